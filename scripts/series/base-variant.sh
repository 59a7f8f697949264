#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/base-variant: the base plus only the patches listed in
# kunit/base-variant (the KUnit seams and the tests), so that the new
# suites can run against the unpatched code.  Prints the worktree path.
. "$(dirname "$0")/../lib/lib.sh"
no_args "$@"

WT=${WT:-$BUILD/base-variant}
mapfile -t globs < <(grep -v '^\s*\(#\|$\|shim \)' "$ROOT/kunit/base-variant")
shims=() stands=()
while read -r _ file for glob; do
	[[ -f $ROOT/kunit/$file ]] || die "kunit/base-variant: no shim $file in kunit/"
	[[ -z $for || $for == for && -n $glob ]] ||
		die "kunit/base-variant: 'shim $file $for $glob': want 'shim FILE' or 'shim FILE for GLOB'"
	shims+=("$ROOT/kunit/$file") stands+=("$glob")
done < <(grep '^shim ' "$ROOT/kunit/base-variant")
list=$(series_patches "$PATCHES") || exit 1

# matching GLOB...: the patches of the series, in its order, whose file
# names match one of the globs.
matching() {
	local p g
	while read -r p; do
		for g in "$@"; do
			# shellcheck disable=SC2053
			[[ $(basename "$p") == $g ]] && echo "$p" && break
		done
	done <<<"$list"
}

# changed_lines PATCH: the lines a patch adds and removes, without its
# log, its file headers and its line numbers.
changed_lines() {
	sed -n '/^diff --git /,$p' "$1" | sed '/^-- $/,$d' | grep -v '^\(+++\|---\) ' | grep '^[-+]'
}

# A shim "for GLOB" is the series patch GLOB written against the base: it
# must make the same changes, line for line, or it has gone stale.
for i in "${!shims[@]}"; do
	[[ -n ${stands[i]} ]] || continue
	mapfile -t match < <(matching "${stands[i]}")
	((${#match[@]} == 1)) ||
		die "kunit/base-variant: shim ${shims[i]##*/} is for '${stands[i]}', which names ${#match[@]} patches of the series, not 1"
	if ! cmp -s <(changed_lines "${shims[i]}") <(changed_lines "${match[0]}"); then
		die "kunit/${shims[i]##*/} does not make the changes of ${match[0]##*/} any more: make it again from that patch, against the base"
	fi
done
mapfile -t picked < <(matching "${globs[@]}")
((${#picked[@]} == ${#globs[@]})) ||
	die "kunit/base-variant names ${#globs[@]} patches, the series has ${#picked[@]} of them"

# ensure_worktree also refuses a worktree of another TREE's repository,
# which would test that tree's base without a word.
ensure_worktree "$WT"
git -C "$WT" am --abort >/dev/null 2>&1

# The same patches on the same base as last time: check out the commit made
# then, which rewrites no file, so that its kernels are not rebuilt.
state=$WT.state
fp=$({ tgit rev-parse 'base^{commit}'; cat "${picked[@]}" "${shims[@]}"; } | sha1sum | cut -d' ' -f1)
if [[ -f $state ]] && read -r sfp scommit <"$state" && [[ $sfp == "$fp" ]] &&
   git -C "$WT" cat-file -e "$scommit^{commit}" 2>/dev/null &&
   git -C "$WT" checkout -q -f --detach "$scommit" && git -C "$WT" clean -fdq; then
	info "$WT: base + ${picked[*]##*/} (unchanged)"
	echo "$WT"
	exit 0
fi

rm -f "$state"
if ! git -C "$WT" checkout -q -f --detach base || ! git -C "$WT" clean -fdq; then
	die "cannot reset $WT"
fi
git -C "$WT" am -q --3way "${picked[@]}" ||
	die "the test patches do not apply to the base without the rest of the series: ${picked[*]##*/}"
for s in "${shims[@]}"; do
	if ! git -C "$WT" apply --index "$s"; then
		die "kunit/${s##*/} does not apply to the base with the test patches"
	fi
	git -C "$WT" -c user.name=base-variant -c user.email=base-variant@localhost \
		commit -q -m "base-variant shim: ${s##*/}" || die "could not commit kunit/${s##*/} in $WT"
done
printf '%s %s\n' "$fp" "$(git -C "$WT" rev-parse HEAD)" >"$state"
info "$WT: base + ${picked[*]##*/} ${shims[*]##*/}"
echo "$WT"
