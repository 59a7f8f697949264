#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Move patches/ onto another kernel git tree, report conflicts by patch, and
# run the series checks there:
#
#   KERNEL_SRC=/path/to/linux.git [BASE=ref] rebase.sh    (make rebase)
#   rebase.sh --continue   after resolving a conflict in $BUILD/rebase
#   rebase.sh --abort      drop $BUILD/rebase and what was made from it
#
# 1. $BUILD/rebase (REBASE_DIR) is a "git clone --shared" of KERNEL_SRC (like tree.sh,
#    nothing in KERNEL_SRC changes: no branch, no tag, no worktree), with
#    tag "base" at BASE (default: KERNEL_SRC's HEAD) and branch
#    kmod-series-rebase (REBASE_BRANCH) checked out, sparsely: only the
#    files the patches touch are in the work tree.  It also borrows the
#    objects of $TREE (build/linux), so that "git am -3" finds the blobs
#    the patches were made against even where KERNEL_SRC lacks them.
# 2. Each patch goes in with "git am -3", one at a time, so that every
#    report names its patch: "clean", "3-way" (git had to merge), or
#    "CONFLICT: <patch>: <files>".  A conflict where the patch deletes a
#    file that BASE changed is resolved by deleting it (the series means
#    to remove it; look at what BASE changed there) and reported as such.
#    Any other conflict stops the run, with the conflict markers left in
#    $BUILD/rebase: resolve them there, "git add" the files, then
#    "make rebase CONTINUE=1" (or rebase.sh --continue) goes on with the
#    rest.  It does not skip a patch to go on: every later patch would be
#    applied to a tree that lacks it, and its report would mislead.
# 3. With every patch in: patches/ regenerated from the branch into
#    $BUILD/rebase-patches (with cover.txt and changelog.txt), "git range-diff"
#    against the original series into $BUILD/logs/rebase/range-diff.txt,
#    and check-series.sh apply, checkpatch (with the maintainers checks)
#    and kernel-doc on that tree (REBASE_CHECKS="..." picks others).
#    REBASE_BUILD=1 adds the per-commit build (about 20 minutes),
#    REBASE_DOCS=1 the Sphinx check.
#
# PATCHES=$BUILD/rebase-patches starts again from the result of an earlier
# run (with its resolutions), for example with REBASE_BUILD=1.
#
# Exit status: 0 when the series is in and the checks pass, 2 when a
# conflict needs a hand, 1 otherwise.  To take the result into your tree:
#   git -C $KERNEL_SRC fetch $BUILD/rebase kmod-series-rebase
. "$(dirname "$0")/../lib/lib.sh"

RDIR=${REBASE_DIR:-$BUILD/rebase}
RDIR=$(realpath -m "$RDIR")
RBRANCH=${REBASE_BRANCH:-kmod-series-rebase}
# Everything made from $RDIR is next to it: <dir>-patches, <dir>-check (the
# worktree of the checks), <dir>-o-check, <dir>-check.state; logs in
# $LOGS/<name of dir>.
RPATCHES=$RDIR-patches
RLOGS=$LOGS/${RDIR##*/}
MARK=kmod-series-rebase
# The environment of the series checks on the rebased tree.
CHECK_ENV=(TREE="$RDIR" PATCHES="$RPATCHES" CHECK_WT="$RDIR-check"
	CHECK_OUT="$RDIR-o-check" CHECK_STATE="$RDIR-check.state"
	LOGS="$RLOGS")

mode=start
case ${1:-} in
--continue) mode=resume ;;
--abort) mode="abort" ;;
"") ;;
*) die "unknown argument '$1'; usage: KERNEL_SRC=... [BASE=...] rebase.sh [--continue|--abort]" ;;
esac
(($# <= 1)) || die "one argument at most; usage: KERNEL_SRC=... [BASE=...] rebase.sh [--continue|--abort]"

rgit() { git -C "$RDIR" "$@"; }

# ours: is $RDIR a tree this script made?
ours() { [[ -f $RDIR/.git/$MARK ]]; }

drop_tree() {
	if [[ -e $RDIR ]]; then
		ours || die "$RDIR exists and was not made by rebase.sh: move it away"
		rm -rf "$RDIR"
	fi
	rm -rf "$RDIR-check" "$RDIR-o-check" "$RDIR-check.state" "$RPATCHES"
}

if [[ $mode == abort ]]; then
	drop_tree
	info "removed $RDIR and what was made from it"
	exit 0
fi

# The patch files, in order, as recorded when the run started.
load_patches() {
	mapfile -t PATCH_FILES <"$RDIR/.git/$MARK"
	((${#PATCH_FILES[@]})) || die "$RDIR/.git/$MARK lists no patches"
}

# report_conflict FILE: print what stopped git am on FILE; resolve a
# deletion by the patch of a file that BASE modified.  Returns 0 if no
# conflict is left.
report_conflict() {
	local f=$1 out=$2 st path left=0 auto=()
	mapfile -t st < <(rgit status --porcelain --untracked-files=no | grep -E '^(DD|AU|UD|UA|DU|AA|UU) ')
	if ((${#st[@]} == 0)); then
		# No three-way merge was possible (the preimage is unknown).
		fail_patch "$f" "rebase: does not apply, and git cannot merge it:"
		printf '%s\n' "$out" | sed 's/^/    /'
		return 1
	fi
	for path in "${st[@]}"; do
		if [[ ${path:0:2} == UD ]]; then
			rgit rm -q -- "${path:3}" && auto+=("${path:3}") && continue
		fi
		left=1
	done
	for path in "${auto[@]}"; do
		info "${f##*/}: resolved: $path was changed by BASE and is deleted by the patch: kept the deletion (review what BASE changed there)"
	done
	((left)) || return 0
	mapfile -t st < <(rgit diff --name-only --diff-filter=U)
	printf 'CONFLICT: %s: %s\n' "${f##*/}" "${st[*]}"
	for path in "${st[@]}"; do
		printf '  %s: %s conflict region(s)\n' "$path" \
			"$(grep -c '^<<<<<<< ' "$RDIR/$path" 2>/dev/null || echo '?')"
	done
	return 1
}

# apply_rest: git am -3 the patches not yet on the branch.
apply_rest() {
	local i n f out
	n=$(rgit rev-list --count base..HEAD)
	for ((i = n; i < ${#PATCH_FILES[@]}; i++)); do
		f=${PATCH_FILES[i]}
		if out=$(rgit am -3 --committer-date-is-author-date "$f" 2>&1); then
			if grep -q 'Falling back to patching base and 3-way merge' <<<"$out"; then
				printf '%-64s 3-way\n' "${f##*/}"
				printf '%s\t3-way\n' "${f##*/}" >>"$RDIR/.git/$MARK-status"
			else
				printf '%-64s clean\n' "${f##*/}"
				printf '%s\tclean\n' "${f##*/}" >>"$RDIR/.git/$MARK-status"
			fi
			continue
		fi
		printf '%s\n' "$out" >"$RLOGS/am-$((i + 1)).log"
		if report_conflict "$f" "$out"; then
			rgit -c core.editor=true am --continue >/dev/null 2>&1 ||
				die "git am --continue failed after the automatic resolution in $RDIR"
			printf '%-64s resolved (deletion kept)\n' "${f##*/}"
			printf '%s\tresolved: deletion kept\n' "${f##*/}" >>"$RDIR/.git/$MARK-status"
			continue
		fi
		printf '%s\tCONFLICT\n' "${f##*/}" >>"$RDIR/.git/$MARK-status"
		msg ""
		msg "The series stops at patch $((i + 1)) of ${#PATCH_FILES[@]}. Resolve the conflict in $RDIR,"
		msg "\"git add\" the files (\"git rm\" those to delete), then run"
		msg "    make rebase CONTINUE=1 KERNEL_SRC=$SRC${BASE:+ BASE=$BASE}"
		msg "(or scripts/series/rebase.sh --continue); \"scripts/series/rebase.sh --abort\" gives up."
		return 2
	done
	return 0
}

[[ -n ${KERNEL_SRC:-} ]] || die "KERNEL_SRC=/path/to/a/kernel/git/tree is required"
check_kernel_src
SRC=$KERNEL_SRC
mkdir -p "$RLOGS"

if [[ $mode == start ]]; then
	base=$BASE_COMMIT
	PATCHES=$(series_dir) || exit 1
	list=$(series_patches "$PATCHES") || exit 1
	[[ -n $list ]] || die "the series in $PATCHES is empty"
	stage "rebase: $(wc -l <<<"$list") patches onto $SRC at ${BASE:-HEAD} ($(git -C "$SRC" log -1 --format='%h %s' "$base"))"
	# A copy of the patches, the cover letter and the changelog: PATCHES
	# may be the $RPATCHES of an earlier run, which goes away now.
	snap=$(mktemp -d "$BUILD/.rebase-input.XXXXXX")
	mapfile -t plist <<<"$list"
	cp "${plist[@]}" "$snap/" || die "cannot copy the patches"
	for f in cover.txt changelog.txt; do
		[[ -f $PATCHES/$f ]] && cp "$PATCHES/$f" "$snap/"
	done
	drop_tree
	git clone -q --shared --no-checkout "$SRC" "$RDIR" || die "git clone --shared $SRC failed"
	mv "$snap" "$RDIR/.git/$MARK-input"
	list=$(for f in "${plist[@]}"; do printf '%s\n' "$RDIR/.git/$MARK-input/${f##*/}"; done)
	printf '%s\n' "$list" >"$RDIR/.git/$MARK"
	: >"$RDIR/.git/$MARK-status"
	rgit tag -f base "$base" >/dev/null
	# Only the files the patches touch are checked out: a whole kernel
	# tree takes minutes to check out and to remove on a busy machine.
	# "git -C $RDIR sparse-checkout disable" brings the rest.
	mapfile -t plist <<<"$list"
	awk '/^diff --git /{print "/" substr($3, 3); print "/" substr($4, 3)}' \
		"${plist[@]}" | sort -u >"$RDIR/.git/$MARK-paths"
	rgit sparse-checkout set --no-cone --stdin <"$RDIR/.git/$MARK-paths" ||
		die "git sparse-checkout failed in $RDIR"
	rgit checkout -q -B "$RBRANCH" base || die "checkout of $base failed"
	# The preimages of the patches, and the original series for range-diff.
	if tgit rev-parse -q --verify 'base^{commit}' >/dev/null 2>&1; then
		printf '%s\n' "$(tgit rev-parse --path-format=absolute --git-common-dir)/objects" \
			>>"$RDIR/.git/objects/info/alternates"
		rgit update-ref refs/kmod-series/orig-base "$(tgit rev-parse 'base^{commit}')"
		if tgit rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null; then
			rgit update-ref refs/kmod-series/orig-series "$(tgit rev-parse "refs/heads/$SERIES_BRANCH")"
		fi
	fi
	load_patches
	rm -f "$RLOGS"/am-*.log
	stage_done
else
	{ [[ -d $RDIR ]] && ours; } || die "no rebase under way in $RDIR: run make rebase first"
	load_patches
	stage "rebase: continue in $RDIR"
	if [[ -d $(rgit rev-parse --absolute-git-dir)/rebase-apply ]]; then
		if [[ -n $(rgit diff --name-only --diff-filter=U) ]]; then
			die "unresolved files in $RDIR: $(rgit diff --name-only --diff-filter=U | tr '\n' ' ')"
		fi
		rgit -c core.editor=true am --continue >/dev/null ||
			die "git am --continue failed in $RDIR"
		n=$(rgit rev-list --count base..HEAD)
		sed -i '$d' "$RDIR/.git/$MARK-status"
		printf '%s\tresolved by hand\n' "${PATCH_FILES[n - 1]##*/}" >>"$RDIR/.git/$MARK-status"
		info "${PATCH_FILES[n - 1]##*/}: resolved by hand"
	fi
	stage_done
fi

stage "rebase: git am -3, patch by patch"
apply_rest
rc=$?
if ((rc != 0)); then
	stage_done "stopped"
	exit "$rc"
fi
stage_done "${#PATCH_FILES[@]} patches on $RBRANCH"

stage "rebase: the series on the new base"
printf '%s\n' "patch status on $(rgit log -1 --format='%h %s' base):" >&2
sed 's/^/  /' "$RDIR/.git/$MARK-status" >&2
if rgit rev-parse -q --verify refs/kmod-series/orig-series >/dev/null; then
	rgit range-diff --no-color refs/kmod-series/orig-base..refs/kmod-series/orig-series \
		base..HEAD >"$RLOGS/range-diff.txt" 2>&1
	info "range-diff against branch $SERIES_BRANCH of $TREE: $RLOGS/range-diff.txt"
	grep -E '^[0-9-]+: +[0-9a-f-]+ [=!<>]' "$RLOGS/range-diff.txt" | cut -c1-100 | sed 's/^/  /' >&2
fi
mkdir -p "$RPATCHES"
for f in cover.txt changelog.txt; do
	[[ -f $RDIR/.git/$MARK-input/$f ]] && cp "$RDIR/.git/$MARK-input/$f" "$RPATCHES/"
done
[[ -f $RPATCHES/cover.txt ]] || die "the series has no cover.txt"
env "${CHECK_ENV[@]}" SERIES_BRANCH="$RBRANCH" "$ROOT/scripts/series/regen.sh" >/dev/null 2>&1 ||
	die "regenerating the patches from $RBRANCH failed"
info "the rebased patches: $RPATCHES"
stage_done

read -r -a checks <<<"${REBASE_CHECKS:-apply checkpatch kernel-doc}"
[[ ${REBASE_BUILD:-0} == 1 ]] && checks+=(build)
[[ ${REBASE_DOCS:-0} == 1 ]] && checks+=(docs)
if [[ ${checks[*]} == none ]]; then
	info "done (REBASE_CHECKS=none): branch $RBRANCH of $RDIR"
	exit 0
fi
stage "rebase: series checks on the new base (${checks[*]})"
# The worktree of the checks is whole: "git worktree add" would copy the
# sparse checkout of $RDIR.
if [[ ! -e $RDIR-check ]]; then
	rgit worktree add -q --detach "$RDIR-check" base >/dev/null 2>&1 ||
		die "git worktree add $RDIR-check failed"
fi
git -C "$RDIR-check" sparse-checkout disable >/dev/null 2>&1 ||
	die "could not make $RDIR-check a full checkout"
env "${CHECK_ENV[@]}" "$ROOT/scripts/checks/check-series.sh" "${checks[@]}"
rc=$?
if ((rc == 0)); then
	stage_done PASS
	info "done: branch $RBRANCH of $RDIR; to take it: git -C $SRC fetch $RDIR $RBRANCH"
	exit 0
fi
stage_done FAIL
exit 1
