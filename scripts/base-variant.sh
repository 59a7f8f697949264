#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/base-variant: the base plus only the patches listed in
# kunit/base-variant (the KUnit seam and the tests), so that the new
# suites can run against the unpatched code.  Prints the worktree path.
. "$(dirname "$0")/lib.sh"

WT=${WT:-$BUILD/base-variant}
mapfile -t globs < <(grep -v '^\s*\(#\|$\)' "$ROOT/kunit/base-variant")
picked=()
while read -r p; do
	for g in "${globs[@]}"; do
		# shellcheck disable=SC2053
		[[ $(basename "$p") == $g ]] && picked+=("$p") && break
	done
done < <(series_patches)
((${#picked[@]} == ${#globs[@]})) ||
	die "kunit/base-variant names ${#globs[@]} patches, the series has ${#picked[@]} of them"

if [[ ! -d $WT ]]; then
	tgit worktree add -q --detach "$WT" base || die "cannot add worktree $WT"
fi
git -C "$WT" am --abort >/dev/null 2>&1
git -C "$WT" checkout -q -f --detach base && git -C "$WT" clean -fdq ||
	die "cannot reset $WT"
git -C "$WT" am -q --3way "${picked[@]}" ||
	die "the test patches do not apply to the base without the rest of the series: ${picked[*]##*/}"
info "$WT: base + ${picked[*]##*/}"
echo "$WT"
