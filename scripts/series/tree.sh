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
#
# The Debian base is made from the linux-source-6.12 version recorded in
# scripts/series/base-version (KMOD_BASE_VERSION overrides it; "any" takes the
# installed one), so that every machine has the base the results are for.
. "$(dirname "$0")/../lib/lib.sh"

base_only=0
case ${1:-} in
--base) base_only=1; shift ;;
esac
(($# == 0)) || die "unknown argument '$1'; usage: tree.sh [--base]"

if [[ -n ${KERNEL_SRC:-} ]]; then
	check_kernel_src
elif [[ -n ${BASE:-} ]]; then
	die "BASE=$BASE is a ref of a kernel git tree: give that tree as KERNEL_SRC too (the Debian base has no refs)"
fi

# debian_version: the version of linux-source-6.12 the base is to be made
# from: that of scripts/series/base-version, or the installed one with
# KMOD_BASE_VERSION=any.
debian_version() {
	local want
	want=$(base_version) || exit 1
	if [[ $want == any ]]; then
		installed_source
		return
	fi
	printf '%s\n' "$want"
}

# installed_source: the installed version of linux-source-6.12.
installed_source() {
	local v
	v=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' linux-source-6.12 2>/dev/null)
	[[ $v == ii* ]] || die "linux-source-6.12 is not installed: run 'make deps'"
	printf '%s\n' "${v##* }"
}

want_src() {
	if [[ -n ${KERNEL_SRC:-} ]]; then
		printf 'git:%s@%s\n' "$KERNEL_SRC" "$BASE_COMMIT"
	else
		local v
		v=$(debian_version) || exit 1
		printf 'debian:%s\n' "$v"
	fi
}

# check_installed_source VERSION: the installed linux-source-6.12 must be
# VERSION, since its tarball is what the base is unpacked from.  Says how
# to get VERSION when the archive has it, and how to go on without it.
check_installed_source() {
	local want=$1 have
	local archive
	have=$(installed_source) || exit 1
	[[ $have == "$want" ]] && return 0
	archive=$(apt-cache madison linux-source-6.12 2>/dev/null | awk -F' *[|] *' '{ print $2 }')
	if grep -qxF "$want" <<<"$archive"; then
		die "linux-source-6.12 $have is installed, not $want ($(base_version_from)): install that one with '$( ((EUID)) && echo 'sudo ')apt-get install --allow-downgrades linux-source-6.12=$want', or set KMOD_BASE_VERSION=any to make the base from $have"
	fi
	die "linux-source-6.12 $have is installed, not $want ($(base_version_from)), and the archive does not have $want: set KMOD_BASE_VERSION=any to make the base from $have (the results in Documentation/ are for $(KMOD_BASE_VERSION='' base_version))"
}

make_debian_base() {
	local tmp=$BUILD/linux.unpack ver debver
	debver=$(debian_version) || exit 1
	check_installed_source "$debver"
	[[ -f $DEBIAN_SRC_TARBALL ]] || die "$DEBIAN_SRC_TARBALL missing: run 'make deps'"
	need_space "$BUILD" "$SPACE_TREE_GB" "the base tree"
	info "the base tree needs about $SPACE_TREE_GB GB; make check and make demo use about $SPACE_TOTAL_GB GB in all (build/ and ccache)"
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
	mkdir -p "${TREE%/*}" || die "cannot create ${TREE%/*}"
	mv "$tmp" "$TREE" || die "could not move $tmp to $TREE"
}

make_git_base() {
	local commit=$BASE_COMMIT
	need_space "$TREE" "$SPACE_TREE_GB" "the checkout of the base"
	info "cloning $KERNEL_SRC (shared objects) with base $commit"
	git clone -q --shared --no-checkout "$KERNEL_SRC" "$TREE" || die "clone failed"
	tgit tag -f base "$commit" >/dev/null
	tgit checkout -q --detach base || die "checkout of base failed"
}

ensure_base() {
	local want have
	want=$(want_src) || exit 1
	if [[ -d $TREE/.git ]]; then
		have=$(cat "$TREE/.git/kmod-series-source" 2>/dev/null)
		if [[ $have != "$want" ]]; then
			die "$TREE was made from '${have:-an unknown source}', not '$want': move it away, or set TREE= to another path, to make a new one"
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
	local old new list files=()
	if [[ -n $(tgit status --porcelain --untracked-files=no) ]]; then
		die "$TREE has uncommitted changes: commit them and 'make regen', or discard them"
	fi
	if [[ -d $TREE/.git/rebase-apply ]]; then
		die "$TREE is in the middle of a git am: finish it or 'git -C $TREE am --abort'"
	fi
	list=$(series_patches "$PATCHES") || exit 1
	[[ -n $list ]] && mapfile -t files <<<"$list"
	old=$(tgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH")
	tgit checkout -q -B "$SERIES_BRANCH" base || die "checkout failed"
	if ((${#files[@]})) && ! tgit am -q --3way "${files[@]}"; then
		msg "git am stopped at: $(head -n 1 "$TREE/.git/rebase-apply/final-commit" 2>/dev/null)"
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
