#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Negative test of the series checks: each check of check-series.sh must
# fail on a series that is broken in the way it looks for, and must name the
# broken patch file.  For every check, a corrupted copy of the series in
# $PATCHES is made under $BUILD/negtest/<check>/, "check-series.sh <check>"
# runs with PATCHES pointing at it, and the case passes only if that exits
# non-zero and prints "FAIL: <the corrupted patch file>: ...".
#
#   apply       a context line of the last patch is changed
#   checkpatch  } a commit that touches a .c file gets, appended to that
#   build       } file: a line against the coding style, a line that does
#   kernel-doc  } not compile, or a function whose kernel-doc names the wrong
#                 parameter.  checkpatch and kernel-doc corrupt the last such
#                 commit, build the first (the build check stops at the first
#                 patch that fails, so the case costs minutes, not a pass
#                 over the whole series).  The commits are made with git in
#                 the worktree $BUILD/negtest/wt and written out with git
#                 format-patch under the real series' file names.
#   maintainers   the last commit that touches MAINTAINERS gets an F: line
#                 for a file that does not exist (get_maintainer.pl
#                 --self-test=patterns must catch it)
#   docs          the last commit that touches an .rst file under
#                 Documentation/ gets a reference to a document that does
#                 not exist appended to it (Sphinx must warn)
#   rebase        scripts/series/rebase.sh onto a copy of base in which a line
#                 that a patch removes or changes was changed too, so that this patch, the latest one for which
#                 such a line exists, conflicts and none before it does: it
#                 must stop with exit status 2 and "CONFLICT: <that patch>:
#                 <file>"; onto base
#                 itself it must apply every patch (REBASE_CHECKS=none: the
#                 checks themselves are tested above)
#
# "test-checks.sh CHECK..." runs only those cases.
#
# Prints a TAP-like line per case, then "N passed, N failed".
. "$(dirname "$0")/../lib/lib.sh"

NEG=$BUILD/negtest
WT=$NEG/wt
ALL_CHECKS=(apply checkpatch build kernel-doc maintainers docs rebase)
CHECKS=()
for a in "${@:-${ALL_CHECKS[@]}}"; do
	[[ " ${ALL_CHECKS[*]} " == *" $a "* ]] || die "unknown case '$a'; usage: test-checks.sh [${ALL_CHECKS[*]}]..."
	CHECKS+=("$a")
done
# want CHECK: is that case to run?
want() { [[ " ${CHECKS[*]} " == *" $1 "* ]]; }

PATCHES=$(series_dir) || exit 1
list=$(series_patches "$PATCHES") || exit 1
PATCH_FILES=()
[[ -n $list ]] && mapfile -t PATCH_FILES <<<"$list"
n=${#PATCH_FILES[@]}

printf '1..%d\n' "${#CHECKS[@]}"
if ((n == 0)); then
	for i in "${!CHECKS[@]}"; do
		printf 'ok %d - %s # SKIP the series is empty\n' $((i + 1)) "${CHECKS[i]}"
	done
	printf '0 passed, 0 failed, %d skipped\n' "${#CHECKS[@]}"
	exit 0
fi

mkdir -p "$NEG"
for c in "${CHECKS[@]}"; do rm -rf "${NEG:?}/$c"; done
ensure_worktree "$WT"
BASE_REV=$(git -C "$WT" rev-parse -q --verify 'base^{commit}') || die "$TREE has no tag 'base'"

# The series applied in the scratch worktree: COMMITS[i] from PATCH_FILES[i].
COMMITS=()
apply_in_wt() {
	local f
	reset_worktree "$WT" "$BASE_REV"
	for f in "${PATCH_FILES[@]}"; do
		git -C "$WT" am -q --committer-date-is-author-date "$f" >/dev/null 2>&1 || {
			reset_worktree "$WT" "$BASE_REV"
			return 1
		}
		COMMITS+=("$(git -C "$WT" rev-parse HEAD)")
	done
}

TARGET_I='' TARGET_FILE=''
# c_targets: "INDEX<TAB>FILE" for every commit of the series that touches a
# .c file still there at the tip, first commit first; FILE is one that the
# check configuration builds if the commit touches one.
c_targets() {
	local i f pick files
	for ((i = 0; i < n; i++)); do
		mapfile -t files < <(git -C "$WT" diff-tree -r --no-commit-id --name-only \
			--diff-filter=d "${COMMITS[i]}" -- '*.c')
		pick=
		for f in "${files[@]}"; do
			git -C "$WT" cat-file -e "${COMMITS[n - 1]}:$f" 2>/dev/null || continue
			[[ -z $pick ]] && pick=$f
			if [[ -f $BUILD/o-check/${f%.c}.o ]]; then
				pick=$f
				break
			fi
		done
		[[ -n $pick ]] && printf '%d\t%s\n' "$i" "$pick"
	done
}

# last_touching PATHSPEC...: sets TOUCH_I and TOUCH_FILE to the last commit
# of the series that touches a file matching PATHSPEC, still there at the
# tip, and to that file.
TOUCH_I='' TOUCH_FILE=''
last_touching() {
	local i f
	for ((i = n - 1; i >= 0; i--)); do
		while read -r f; do
			git -C "$WT" cat-file -e "${COMMITS[n - 1]}:$f" 2>/dev/null || continue
			TOUCH_I=$i TOUCH_FILE=$f
			return 0
		done < <(git -C "$WT" diff-tree -r --no-commit-id --name-only \
			--diff-filter=d "${COMMITS[i]}" -- "$@")
	done
	return 1
}

# corrupt_commit DIR TEXT [INDEX FILE]: the series with TEXT appended to
# FILE (default $TARGET_FILE) in commit INDEX (default $TARGET_I), written
# to DIR under the real file names.
corrupt_commit() {
	local dir=$1 text=$2 ti=${3:-$TARGET_I} tf=${4:-$TARGET_FILE} out i files
	reset_worktree "$WT" "${COMMITS[ti]}"
	printf '%s\n' "$text" >>"$WT/$tf"
	git -C "$WT" commit -q -a --amend --no-edit || return 1
	for ((i = ti + 1; i < n; i++)); do
		git -C "$WT" cherry-pick "${COMMITS[i]}" >/dev/null 2>&1 || {
			msg "could not replay ${PATCH_FILES[i]##*/} on top of the corrupted commit"
			git -C "$WT" cherry-pick --abort >/dev/null 2>&1
			return 1
		}
	done
	i=$(git -C "$WT" rev-list --count "$BASE_REV..HEAD")
	((i == n)) || { msg "the corrupted series has $i commits, not $n"; return 1; }
	mkdir -p "$dir/.fp"
	out=$(git -C "$WT" -c diff.noprefix=false -c diff.mnemonicPrefix=false \
		-c format.signOff=false format-patch -q --no-signature -o "$dir/.fp" "$BASE_REV..HEAD" 2>&1) || {
		msg "$out"
		return 1
	}
	mapfile -t files < <(find "$dir/.fp" -name '*.patch' | sort)
	((${#files[@]} == n)) || { msg "format-patch wrote ${#files[@]} patches, not $n"; return 1; }
	for i in "${!files[@]}"; do mv "${files[i]}" "$dir/${PATCH_FILES[i]##*/}"; done
	rmdir "$dir/.fp"
	cp "$PATCHES/series" "$dir/series"
}

# corrupt_context DIR: the series with a context line of the last patch changed.
corrupt_context() {
	local dir=$1 f last=${PATCH_FILES[n - 1]}
	mkdir -p "$dir"
	for f in "${PATCH_FILES[@]}"; do cp "$f" "$dir/"; done
	cp "$PATCHES/series" "$dir/series"
	awk '
		/^diff --git / { hunk = 0 }
		/^@@ / { hunk = 1; print; next }
		hunk && !done && /^ / {
			print " kmod-series negative test: this line is not in the file"
			done = 1
			next
		}
		{ print }
		END { exit !done }
	' "$last" >"$dir/${last##*/}" || { msg "${last##*/} has no context line to change"; return 1; }
}


# run_case CHECK DIR BLAMED: check-series.sh CHECK on the copy in DIR must
# fail and name BLAMED.
run_case() {
	local chk=$1 dir=$2 blamed=${3##*/} rc log=$2/check-series.log t0
	t0=$(date +%s)
	info "negative test '$chk': check-series.sh $chk on $dir (log: $log)"
	PATCHES=$dir "$ROOT/scripts/checks/check-series.sh" "$chk" >"$log" 2>&1
	rc=$?
	if ((rc != 0)) && grep -qF "FAIL: $blamed:" "$log"; then
		grep -F "FAIL: $blamed:" "$log" | head -3 | sed 's/^/#   /'
		result 1 "$chk: fails on a broken $blamed ($(fmt_secs $(($(date +%s) - t0))))"
	else
		tail -20 "$log" | sed 's/^/#   /'
		if ((rc == 0)); then
			result 0 "$chk: check-series.sh $chk passed a broken $blamed (log: $log)"
		else
			result 0 "$chk: exit status $rc but no 'FAIL: $blamed:' in the output (log: $log)"
		fi
	fi
}

# skip_case CHECK WHY: a case that could not be set up counts as failed.
skip_case() { result 0 "$1: could not make the corrupted series: $2"; }

# make_negtest_branch REPO FILE LINE: branch "negtest" of REPO = base with
# " kmod-series-negtest" appended to line LINE of FILE, made with plumbing.
make_negtest_branch() {
	local repo=$1 file=$2 line=$3 mode blob tree commit
	mode=$(git -C "$repo" ls-tree "$BASE_REV" -- "$file" | cut -d' ' -f1)
	[[ -n $mode ]] || return 1
	blob=$(git -C "$repo" show "$BASE_REV:$file" | sed "${line}s/\$/ kmod-series-negtest/" |
		git -C "$repo" hash-object -w --stdin) || return 1
	local index=$repo/.git/negtest-index
	GIT_INDEX_FILE=$index git -C "$repo" read-tree "$BASE_REV" || return 1
	GIT_INDEX_FILE=$index git -C "$repo" update-index --cacheinfo "$mode,$blob,$file" || return 1
	tree=$(GIT_INDEX_FILE=$index git -C "$repo" write-tree) || return 1
	rm -f "$index"
	commit=$(GIT_AUTHOR_NAME=negtest GIT_AUTHOR_EMAIL=negtest@localhost \
		git -C "$repo" commit-tree -p "$BASE_REV" -m "negative test: change $file:$line" "$tree") ||
		return 1
	git -C "$repo" update-ref refs/heads/negtest "$commit"
}

# only_conflicts REPO REV K: do the patches before patch K (0-based) apply
# on REV, and patch K not?  Checked in a scratch index, without a checkout.
only_conflicts() {
	local repo=$1 rev=$2 k=$3 i ok=0
	local index=$repo/.git/negtest-apply-index
	if GIT_INDEX_FILE=$index git -C "$repo" read-tree "$rev"; then
		ok=1
		for ((i = 0; i < k && ok; i++)); do
			GIT_INDEX_FILE=$index git -C "$repo" apply --cached -q \
				"${PATCH_FILES[i]}" 2>/dev/null || ok=0
		done
		if ((ok)) && GIT_INDEX_FILE=$index git -C "$repo" apply --cached --check -q \
			"${PATCH_FILES[k]}" 2>/dev/null; then
			ok=0
		fi
	fi
	rm -f "$index"
	((ok))
}

# rebase_case: see the header.
rebase_case() {
	local dir=$NEG/rebase last spec k file line rc t0 log
	t0=$(date +%s)
	rm -rf "$dir"
	mkdir -p "$dir"
	# The test tree is made without a checkout (minutes for a kernel).
	if ! git clone -q --shared --no-checkout "$TREE" "$dir/src"; then
		skip_case rebase "could not clone $TREE"
		return
	fi
	# Candidates, "file<TAB>text": each line that a patch removes (changing
	# a line next to one it only adds is merged cleanly by git am -3, and
	# the rebase rightly goes on).  The latest patch with a candidate that occurs once in
	# base's file and makes that patch, and no patch before it, conflict
	# is the one the rebase must stop at.
	spec=$(for ((k = n - 1; k >= 0; k--)); do
		awk -v k="$k" '
			/^diff --git / { f = substr($4, 3); skip = 0; inh = 0; next }
			/^new file mode/ { skip = 1; next }
			/^@@ / { inh = 1; next }
			!inh || skip { next }
			/^-/ { print k "\t" f "\t" substr($0, 2) }
		' "${PATCH_FILES[k]}"
	done | while IFS=$'\t' read -r k file text; do
		[[ $text == *[![:space:]]* ]] || continue
		line=$(git -C "$dir/src" show "$BASE_REV:$file" 2>/dev/null | grep -nxF -- "$text" | cut -d: -f1)
		[[ $line =~ ^[0-9]+$ ]] || continue
		make_negtest_branch "$dir/src" "$file" "$line" || continue
		only_conflicts "$dir/src" negtest "$k" || continue
		printf '%s\t%s\t%s\n' "$k" "$file" "$line"
		break
	done)
	if [[ -z $spec ]]; then
		skip_case rebase "no line of base that makes one patch, and none before it, conflict"
		return
	fi
	IFS=$'\t' read -r k file line <<<"$spec"
	last=${PATCH_FILES[k]}
	info "negative test 'rebase': changing $file:$line of base (log: $dir/*.log)"
	log=$dir/conflict.log
	KERNEL_SRC=$dir/src BASE=negtest REBASE_DIR=$dir/tree REBASE_CHECKS=none \
		"$ROOT/scripts/series/rebase.sh" >"$log" 2>&1
	rc=$?
	if ((rc != 2)) || ! grep -q "^CONFLICT: ${last##*/}: .*$file" "$log"; then
		tail -20 "$log" | sed 's/^/#   /'
		result 0 "rebase: exit status $rc, and no 'CONFLICT: ${last##*/}: $file' (log: $log)"
		return
	fi
	grep "^CONFLICT: " "$log" | sed 's/^/#   /'
	log=$dir/clean.log
	KERNEL_SRC=$dir/src BASE=$BASE_REV REBASE_DIR=$dir/tree REBASE_CHECKS=none \
		"$ROOT/scripts/series/rebase.sh" >"$log" 2>&1
	rc=$?
	if ((rc != 0)) || grep -q '^CONFLICT: ' "$log"; then
		tail -20 "$log" | sed 's/^/#   /'
		result 0 "rebase: onto base itself: exit status $rc (log: $log)"
		return
	fi
	result 1 "rebase: stops at the conflict in ${last##*/}, passes on base ($(fmt_secs $(($(date +%s) - t0))))"
}

info "negative tests on ${#PATCH_FILES[@]} patches from $PATCHES"
if ! apply_in_wt; then
	for c in "${CHECKS[@]}"; do skip_case "$c" "the series does not apply"; done
else
	if ! want apply; then
		:
	elif corrupt_context "$NEG/apply"; then
		run_case apply "$NEG/apply" "${PATCH_FILES[n - 1]}"
	else
		skip_case apply "no context line in the last patch"
	fi

	# checkpatch and kernel-doc corrupt the last commit that touches a .c
	# file.  The build case corrupts the first one whose corruption the
	# rest of the series replays onto: the build check stops at the first
	# failing patch, so this costs a base build and a patch or two rather
	# than a W=1/sparse pass over every patch.
	c_cases=()
	for c in checkpatch build kernel-doc; do want "$c" && c_cases+=("$c"); done
	targets=()
	((${#c_cases[@]})) && mapfile -t targets < <(c_targets)
	if ((${#c_cases[@]} == 0)); then
		:
	elif ((${#targets[@]} == 0)); then
		for c in "${c_cases[@]}"; do skip_case "$c" "no commit touches a .c file"; done
	else
		for c in "${c_cases[@]}"; do
			order=("${targets[-1]}")
			case $c in
			checkpatch)
				text='int kmod_series_negtest=1;'
				;;
			build)
				text='static int kmod_series_negtest(void) { return kmod_series_negtest_undeclared; }'
				order=("${targets[@]}")
				;;
			kernel-doc)
				text=$(printf '%s\n' '' '/**' \
					' * kmod_series_negtest() - negative test of the kernel-doc check' \
					' * @wrong_name: not the name of the parameter' \
					' *' ' * Return: @arg.' ' */' \
					'static int __maybe_unused kmod_series_negtest(int arg)' \
					'{' $'\treturn arg;' '}')
				;;
			esac
			made=0
			for t in "${order[@]}"; do
				IFS=$'\t' read -r TARGET_I TARGET_FILE <<<"$t"
				corrupt_commit "$NEG/$c" "$text" 2>/dev/null && { made=1; break; }
			done
			if ((made)); then
				blamed=${PATCH_FILES[TARGET_I]}
				info "corrupting ${blamed##*/} ($TARGET_FILE) for '$c'"
				run_case "$c" "$NEG/$c" "$blamed"
			else
				skip_case "$c" "no corrupted commit that the rest of the series replays onto"
			fi
		done
	fi

	if ! want maintainers; then
		:
	elif ! last_touching MAINTAINERS; then
		skip_case maintainers "no commit touches MAINTAINERS"
	elif corrupt_commit "$NEG/maintainers" $'F:\tkernel/kmod-series-negtest-no-such-file.c' \
		"$TOUCH_I" "$TOUCH_FILE"; then
		run_case maintainers "$NEG/maintainers" "${PATCH_FILES[TOUCH_I]}"
	else
		skip_case maintainers "see the messages above"
	fi

	# shellcheck disable=SC2016  # the backquotes are rst, not a command
	text=$'\nSee :doc:`kmod-series-negtest-no-such-page`.'
	if ! want docs; then
		:
	elif ! last_touching 'Documentation/*.rst'; then
		skip_case docs "no commit touches an .rst file under Documentation/"
	elif corrupt_commit "$NEG/docs" "$text" "$TOUCH_I" "$TOUCH_FILE"; then
		run_case docs "$NEG/docs" "${PATCH_FILES[TOUCH_I]}"
	else
		skip_case docs "see the messages above"
	fi

	want rebase && rebase_case
fi
reset_worktree "$WT" "$BASE_REV"

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
