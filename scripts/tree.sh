#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Set up the kernel tree the series is edited in ($TREE, default build/linux):
#
#   tree.sh            make sure the base exists (tag "base"), then put the
#                      series on branch "series" with git am
#   tree.sh --base     only make sure the base exists
#
# The base is Debian's linux-source-6.12, turned into a git repository once,
# with fixed dates so that every machine gets the same base commit id.  With
# KERNEL_SRC=/path/to/kernel.git [BASE=ref] the tree is instead a --shared
# clone of that repository and "base" is BASE (default: its HEAD).
. "$(dirname "$0")/lib.sh"

base_only=0
[[ ${1:-} == --base ]] && base_only=1

want_src() {
	if [[ -n ${KERNEL_SRC:-} ]]; then
		printf 'git:%s@%s\n' "$(cd "$KERNEL_SRC" && pwd)" \
			"$(git -C "$KERNEL_SRC" rev-parse --verify "${BASE:-HEAD}^{commit}")"
	else
		printf 'debian:%s\n' "$(dpkg-query -W -f='${Version}' linux-source-6.12)"
	fi
}

make_debian_base() {
	local tmp=$BUILD/linux.unpack ver debver
	[[ -f $DEBIAN_SRC_TARBALL ]] || die "$DEBIAN_SRC_TARBALL missing: run 'make deps'"
	debver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	rm -rf "$tmp"
	mkdir -p "$tmp"
	info "unpacking $DEBIAN_SRC_TARBALL (about a minute)"
	tar -xf "$DEBIAN_SRC_TARBALL" -C "$tmp" --strip-components=1 || die "unpack failed"
	ver=$(make -s -C "$tmp" kernelversion)
	info "committing Linux $ver (Debian $debver) as the base (a minute or two)"
	# Debian appends a block to .gitignore that ignores every top-level
	# path (its packaging repository holds only debian/).  Drop it, so
	# that new files in the tree show up in "git status" as in mainline.
	sed -i '/^# Debian packaging: ignore everything/,$d' "$tmp/.gitignore"
	sed -i '${/^#$/d}' "$tmp/.gitignore"
	(
		cd "$tmp" || exit 1
		git init -q -b base-src
		git add -f -A . || exit 1
		export GIT_AUTHOR_NAME="Debian linux-source" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
		export GIT_AUTHOR_DATE="2025-01-01T00:00:00Z" GIT_COMMITTER_DATE="2025-01-01T00:00:00Z"
		export GIT_COMMITTER_NAME="Debian linux-source" GIT_COMMITTER_EMAIL="debian-kernel@lists.debian.org"
		git commit -q -F - <<-MSG || exit 1
		Linux $ver (Debian linux-source-6.12 $debver)

		The source of Debian's linux-source-6.12 package, without the
		block Debian appends to .gitignore.
		MSG
		git tag base
	) || die "could not create the base repository"
	mv "$tmp" "$TREE"
}

make_git_base() {
	local commit
	commit=$(git -C "$KERNEL_SRC" rev-parse --verify "${BASE:-HEAD}^{commit}") ||
		die "BASE=${BASE:-HEAD} is not a commit in $KERNEL_SRC"
	info "cloning $KERNEL_SRC (shared objects) with base $commit"
	git clone -q --shared --no-checkout "$KERNEL_SRC" "$TREE" || die "clone failed"
	tgit tag -f base "$commit" >/dev/null
	tgit checkout -q --detach base || die "checkout of base failed"
}

ensure_base() {
	local want have
	want=$(want_src)
	if [[ -d $TREE/.git ]]; then
		have=$(cat "$TREE/.git/kmod-series-source" 2>/dev/null)
		if [[ $have != "$want" ]]; then
			die "$TREE was made from '$have', not '$want'.
Move it away (or set TREE=/another/path) to make a new one."
		fi
		tgit rev-parse -q --verify base >/dev/null || die "$TREE has no tag 'base'"
		return 0
	fi
	if [[ -n ${KERNEL_SRC:-} ]]; then make_git_base; else make_debian_base; fi
	printf '%s\n' "$want" >"$TREE/.git/kmod-series-source"
	# Keep kernel build output and editor files out of "git status".
	printf '%s\n' '/.kunit/' >>"$TREE/.git/info/exclude"
	info "base: $(tgit log -1 --format='%h %s' base)"
}

apply_series() {
	local old new
	if [[ -n $(tgit status --porcelain --untracked-files=no) ]]; then
		die "$TREE has uncommitted changes: commit them and 'make regen', or discard them"
	fi
	if [[ -d $TREE/.git/rebase-apply ]]; then
		die "$TREE is in the middle of a git am: finish it or 'git -C $TREE am --abort'"
	fi
	old=$(tgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH")
	tgit checkout -q -B "$SERIES_BRANCH" base || die "checkout failed"
	mapfile -t files < <(series_patches)
	if ((${#files[@]})) && ! tgit am -q --3way "${files[@]}"; then
		msg "git am stopped at: $(cat "$TREE/.git/rebase-apply/final-commit" 2>/dev/null | head -1)"
		die "the series does not apply to base; resolve in $TREE (git am --continue) or --abort"
	fi
	new=$(tgit rev-parse HEAD)
	if [[ -n $old && $old != "$new" ]] &&
	   [[ -n $(tgit diff "$old" "$new" -- 2>/dev/null | head -1) ]]; then
		tgit branch -f "$SERIES_BRANCH.prev" "$old"
		info "the old '$SERIES_BRANCH' differed from patches/: kept as '$SERIES_BRANCH.prev'"
	fi
	info "$TREE: branch '$SERIES_BRANCH' = base + ${#files[@]} patches"
	tgit log --oneline base..HEAD >&2
}

ensure_base
((base_only)) || apply_series
