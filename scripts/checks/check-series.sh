#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checks of the patch series listed in $PATCHES/series:
#
#   check-series.sh [apply|tip|checkpatch|maintainers|build|kernel-doc|docs|all]...
#                                                       (default: all)
#
#   apply       every patch applies with plain "git am" on top of "base"
#   tip         not a check: leave the worktree at the tip of the series,
#               for the scripts that build or test it.  Reuses the commits
#               of an earlier apply of the same patches on the same base,
#               and checks out only the files that differ, so the kernels
#               built from the worktree are not rebuilt when nothing changed
#   checkpatch  scripts/checkpatch.pl --strict is silent on every patch,
#               and the maintainers check below passes
#   maintainers (also part of checkpatch, instead of checkpatch's MAINTAINERS
#               reminder) at the tip: every file a patch adds has a
#               maintainer in get_maintainer.pl, no file it deletes keeps an
#               F: line, and "get_maintainer.pl --self-test=patterns" finds
#               a file for every F:/X: line it adds to MAINTAINERS
#   build       bisectability: every commit builds (vmlinux + modules) with
#               configs/check.config, and W=1 C=1 (gcc + sparse) on the .c
#               files the series touches shows no warning that base lacks
#   kernel-doc  scripts/kernel-doc -Wall finds no new warning in the .c/.h
#               files each commit touches, compared with the files at base
#   docs        Sphinx ("make htmldocs SPHINXDIRS=core-api", the kernel's own
#               conf.py and kernel-doc extension) at the tip of the series
#               gives no warning that the same build of base lacks
#               (warnings compared without line numbers; those of base are
#               kept in $BUILD/docs-base-*.warn).  DOCS_DIRS overrides the
#               directories built.  About 1.5 minutes per build on 2 cores.
#
# Work happens in the worktree $BUILD/check (CHECK_WT) of $TREE's repository
# (never in $TREE itself); build output goes to $BUILD/o-check (docs: $BUILD/o-docs)
# and logs to $BUILD/logs.
# Every failure is one line "FAIL: <patch file>: <check>: ...".  The exit
# status is non-zero when any check failed.
#
# Environment: PATCHES (the series directory), CHECK_CONFIG (the config
# fragment, default configs/check.config), STRICT_CONFIG (default 1: at the
# tip, also fail on options of the fragment that no Kconfig file defines;
# STRICT_CONFIG=0 only warns about those, for a series that does not add
# them yet; options that exist but got lost always fail).
. "$(dirname "$0")/../lib/lib.sh"

# CHECK_WT, CHECK_OUT, CHECK_STATE: another worktree, build directory and
# state file, for checks of another tree (scripts/series/rebase.sh).
WT=${CHECK_WT:-$BUILD/check}
OUT=${CHECK_OUT:-$BUILD/o-check}
# The source tree of kmake and kconfig.sh.
export SRC=$WT
FRAG=${CHECK_CONFIG:-$ROOT/configs/check.config}
STATE=${CHECK_STATE:-$BUILD/check.state}

USAGE="check-series.sh [apply|tip|checkpatch|maintainers|build|kernel-doc|docs|all]..."

checks=()
for a in "${@:-all}"; do
	case $a in
	apply | tip | checkpatch | maintainers | build | kernel-doc | docs) checks+=("$a") ;;
	all) checks+=(apply checkpatch build kernel-doc docs) ;;
	*) die "unknown check '$a'; usage: $USAGE" ;;
	esac
done

# One run at a time: they share the worktree and the output directory.
exec {check_lock}>"$BUILD/.check.lock"
if ! flock -n "$check_lock"; then
	info "waiting for another check-series.sh run to finish"
	flock "$check_lock"
fi

PATCHES=$(series_dir) || exit 1
list=$(series_patches "$PATCHES") || exit 1
PATCH_FILES=()
[[ -n $list ]] && mapfile -t PATCH_FILES <<<"$list"
ensure_worktree "$WT"
# "base" once for the whole run, even if the tag moves meanwhile.
BASE_REV=$(git -C "$WT" rev-parse -q --verify 'base^{commit}') || die "$TREE has no tag 'base'"

# Commits of the applied series, COMMITS[i] made from PATCH_FILES[i].
COMMITS=()
APPLY_FAILED=
# Set once the worktree has the tip of the series checked out.
AT_TIP=0

indent() { sed 's/^/    /'; }

fingerprint() {
	{
		printf '%s\n' "$BASE_REV"
		local f
		for f in "${PATCH_FILES[@]}"; do sha1sum <"$f"; done
	} | sha1sum | cut -d' ' -f1
}

# apply_series: git am every patch on base, one at a time, so a failure
# names its patch.  Saves the commit of each patch in $STATE.
apply_series() {
	local f prev head n out i=0
	rm -f "$STATE"
	COMMITS=()
	reset_worktree "$WT" "$BASE_REV"
	prev=$(git -C "$WT" rev-parse HEAD)
	for f in "${PATCH_FILES[@]}"; do
		i=$((i + 1))
		if ! out=$(git -C "$WT" am -q --committer-date-is-author-date "$f" 2>&1); then
			fail_patch "$f" "apply: does not apply on base + the $((i - 1)) patches before it (git am)"
			printf '%s\n' "$out" | indent
			reset_worktree "$WT" "$BASE_REV"
			return 1
		fi
		head=$(git -C "$WT" rev-parse HEAD)
		n=$(git -C "$WT" rev-list --count "$prev..$head")
		if ((n != 1)); then
			fail_patch "$f" "apply: made $n commits instead of one"
			reset_worktree "$WT" "$BASE_REV"
			return 1
		fi
		COMMITS+=("$head")
		prev=$head
	done
	{
		fingerprint
		for i in "${!COMMITS[@]}"; do
			printf '%s\t%s\n' "${COMMITS[i]}" "${PATCH_FILES[i]##*/}"
		done
	} >"$STATE"
	return 0
}

# ensure_applied: reuse the commits of an earlier apply of the same patches
# on the same base, or apply them now.
ensure_applied() {
	local fp c f
	[[ -n $APPLY_FAILED ]] && return 1
	if [[ -f $STATE ]] && { read -r fp <"$STATE"; [[ $fp == "$(fingerprint)" ]]; }; then
		COMMITS=()
		while IFS=$'\t' read -r c f; do
			git -C "$WT" cat-file -e "$c^{commit}" 2>/dev/null || { COMMITS=(); break; }
			COMMITS+=("$c")
		done < <(tail -n +2 "$STATE")
		((${#COMMITS[@]} == ${#PATCH_FILES[@]})) && return 0
	fi
	info "applying the series in $WT"
	apply_series && return 0
	APPLY_FAILED=1
	return 1
}

# ---------------------------------------------------------------- apply

check_apply() {
	info "git am of ${#PATCH_FILES[@]} patches on base"
	rm -f "$STATE"
	APPLY_FAILED=
	if apply_series; then
		info "series applies: $(git -C "$WT" rev-list --count "$BASE_REV..HEAD") commits"
		return 0
	fi
	APPLY_FAILED=1
	return 1
}

# ------------------------------------------------------------------- tip

# check_tip: the worktree at the last commit of the series.  "git am" from
# base would rewrite every file the series touches, and make would then
# rebuild everything that includes kmod.h or umh.h; a checkout of the same
# commit touches nothing.
check_tip() {
	ensure_applied || return 1
	((${#COMMITS[@]})) || { reset_worktree "$WT" "$BASE_REV"; return 0; }
	reset_worktree "$WT" "${COMMITS[-1]}"
	info "$WT at the tip: $(git -C "$WT" log -1 --format='%h %s')"
}

# ------------------------------------------------------------ checkpatch

# Files a patch adds must have a maintainer at the tip of the series, and
# files it deletes must not keep an F: line of their own in MAINTAINERS.
check_maintained() {
	local patch=$1 file who bad=0
	while read -r file; do
		[[ -e $WT/$file ]] || continue
		who=$(cd "$WT" && ./scripts/get_maintainer.pl --nogit --nogit-fallback \
			--nol --nor -f "$file" 2>/dev/null)
		if [[ -z $who ]]; then
			fail_patch "$patch" "MAINTAINERS: no maintainer for new file $file"
			bad=1
		fi
	done < <(awk '/^diff --git /{f=substr($4,3)} /^new file mode/{print f}' "$patch")
	while read -r file; do
		if grep -qxP "F:\t\Q$file\E" "$WT/MAINTAINERS"; then
			fail_patch "$patch" "MAINTAINERS: still lists deleted file $file"
			bad=1
		fi
	done < <(awk '/^diff --git /{f=substr($3,3)} /^deleted file mode/{print f}' "$patch")
	check_maintainer_patterns "$patch" || bad=1
	return "$bad"
}

# check_maintainer_patterns PATCH: "get_maintainer.pl --self-test=patterns"
# at the tip, on the F:/X: lines PATCH adds to MAINTAINERS only: the whole
# file takes over 2 minutes and warns about lines of base.  The self-test
# takes no options, so the lines stand in for MAINTAINERS in the worktree
# for the time of the test.
check_maintainer_patterns() {
	local patch=$1 lines out l bad=0
	lines=$(awk '/^diff --git /{m=($3 == "a/MAINTAINERS")} m && /^\+[FX]:/{print substr($0, 2)}' "$patch")
	[[ -n $lines ]] || return 0
	# Only the tip has the files those lines are for.
	((AT_TIP)) || return 0
	printf '%s\n' "$lines" >"$WT/MAINTAINERS"
	out=$(cd "$WT" && ./scripts/get_maintainer.pl --self-test=patterns 2>&1)
	git -C "$WT" checkout -q -- MAINTAINERS
	while IFS= read -r l; do
		[[ -n $l ]] || continue
		fail_patch "$patch" "MAINTAINERS: get_maintainer.pl --self-test=patterns: ${l#*: warning: }"
		bad=1
	done < <(grep -F 'warning:' <<<"$out" | tr '\t' ' ')
	((bad)) || info "maintainers: ${patch##*/}: $(wc -l <<<"$lines") F:/X: lines match files"
	return "$bad"
}

# The maintainers check alone, at the tip.
check_maintainers() {
	local f bad=0
	ensure_applied || { msg "maintainers: skipped, the series does not apply"; return 1; }
	git -C "$WT" checkout -q --detach "${COMMITS[-1]}" || return 1
	AT_TIP=1
	for f in "${PATCH_FILES[@]}"; do
		check_maintained "$f" || bad=1
	done
	return "$bad"
}

check_checkpatch() {
	local f out rc total bad=0 opts=(--strict --color=never)
	# checkpatch looks up every "commit <id>" of a log in the tree's
	# history.  Debian's source is one commit with no history, so there it
	# can only call a correct upstream id unknown: skip that one lookup,
	# and only on a tree whose base has less than 1000 commits of history
	# (Debian's, or a test tree made from it; mainline has over a
	# million).  On a real kernel git tree (KERNEL_SRC) it stays on.
	if (($(git -C "$WT" rev-list --count --max-count=1000 "$BASE_REV") < 1000)); then
		opts+=(--ignore UNKNOWN_COMMIT_ID)
		info "checkpatch: the base has (almost) no history: commit ids in logs are not looked up"
	fi
	# checkpatch warns about every added or deleted file unless the patch
	# also edits MAINTAINERS, even when a directory pattern covers it.
	# check_maintained() makes the real check instead.
	opts+=(--ignore FILE_PATH_CHANGES)
	# get_maintainer.pl looks at the tip of the series.
	if ensure_applied; then
		git -C "$WT" checkout -q --detach "${COMMITS[-1]}" || return 1
		AT_TIP=1
	fi
	for f in "${PATCH_FILES[@]}"; do
		check_maintained "$f" || bad=1
		out=$(cd "$WT" && ./scripts/checkpatch.pl "${opts[@]}" "$f" 2>&1)
		rc=$?
		total=$(grep -E '^total: ' <<<"$out" | tail -1)
		if ((rc != 0)) || [[ ! $total =~ ^total:\ 0\ errors,\ 0\ warnings,\ 0\ checks ]]; then
			fail_patch "$f" "checkpatch --strict: ${total:-exit status $rc}"
			printf '%s\n' "$out" | indent
			bad=1
		else
			info "checkpatch: ${f##*/}: clean"
		fi
	done
	return "$bad"
}

# ----------------------------------------------------------------- build

BUILD_LOG=$LOGS/check-build.log

# locked LOG CMD...: CMD under the build lock, its output to LOG.  The time
# spent waiting for the lock adds up in LOCK_WAIT; the message that it waits
# goes to stderr, not to LOG.
LOCK_WAIT=0
# shellcheck disable=SC2317  # called through with_build_lock
_locked() {
	local log=$1
	shift
	LOCK_WAIT=$((LOCK_WAIT + $(date +%s) - _lock_t0))
	"$@" >"$log" 2>&1
}
locked() {
	_lock_t0=$(date +%s)
	with_build_lock _locked "$@"
}

# bmake LOG ARGS...: a kernel make of the worktree into $OUT, under the lock.
bmake() {
	local log=$1
	shift
	locked "$log" kmake "$OUT" ARCH="$KARCH" "$@"
}

# elapsed T0 [WAIT0]: seconds since T0, and the lock wait since WAIT0.
elapsed() {
	local w=$((LOCK_WAIT - ${2:-0}))
	printf '%s' "$(fmt_secs $(($(date +%s) - $1)))"
	((w >= 3)) && printf ', %s of it waiting for the build lock' "$(fmt_secs "$w")"
	return 0
}

# c_files_touched REV...: .c files changed by the given commits.
c_files_touched() {
	local c
	for c; do
		git -C "$WT" diff-tree -r --no-commit-id --name-only "$c" -- '*.c'
	done | sort -u
}

# exists_at REV PATH
exists_at() { git -C "$WT" cat-file -e "$1:$2" 2>/dev/null; }

# build_step WHO REV KCONFIG-MODE TARGETS...: check out REV, configure and
# build TARGETS.  WHO is the patch file the failure is blamed on.
build_step() {
	local who=$1 rev=$2 mode=$3 step rc
	shift 3
	step=$(mktemp)
	reset_worktree "$WT" "$rev"
	printf '\n### %s: %s (%s)\n' "$(date +%T)" "${who##*/}" "$rev" >>"$BUILD_LOG"
	# Under the lock here already (with_build_lock is re-entrant), so that
	# a wait for it shows and counts.
	locked "$step" "$ROOT/scripts/lib/kconfig.sh" "$mode" "$OUT" "$FRAG"
	rc=$?
	cat "$step" >>"$BUILD_LOG"
	[[ $mode == --allow-missing ]] || grep -E '^kconfig: (note|warning):' "$step" >&2
	if ((rc == 2)); then
		# Options of the fragment did not survive: say so, build anyway.
		grep '^kconfig: FAIL: ' "$step" | while IFS= read -r l; do
			fail_patch "$who" "build: config: ${l#kconfig: FAIL: }"
		done
		BUILD_BAD=1
	elif ((rc != 0)); then
		fail_patch "$who" "build: configuration failed"
		tail -30 "$step" | indent
		rm -f "$step"
		return 1
	fi
	heartbeat_start "$OUT" "${who##*/}"
	bmake "$step" "$@"
	rc=$?
	heartbeat_stop
	if ((rc != 0)); then
		cat "$step" >>"$BUILD_LOG"
		fail_patch "$who" "build: 'make $*' failed; last lines (log: $BUILD_LOG):"
		tail -30 "$step" | indent
		rm -f "$step"
		return 1
	fi
	cat "$step" >>"$BUILD_LOG"
	rm -f "$step"
	return 0
}

# extra_warnings WHO RESULT FILE...: rebuild with W=1 C=1 the objects of
# those .c files that this configuration builds; write their normalized
# warnings, sorted, to RESULT.
extra_warnings() {
	local who=$1 result=$2 f objs=() step
	shift 2
	: >"$result"
	for f; do
		if [[ -f $OUT/${f%.c}.o ]]; then
			objs+=("${f%.c}.o")
			rm -f "$OUT/${f%.c}.o"
		else
			printf '(W=1 C=1: %s is not built in this configuration)\n' "$f" >>"$BUILD_LOG"
		fi
	done
	((${#objs[@]})) || return 0
	step=$(mktemp)
	# One job, so that diagnostics of two compilers never interleave.
	if ! JOBS=1 bmake "$step" W=1 C=1 "${objs[@]}"; then
		cat "$step" >>"$BUILD_LOG"
		fail_patch "$who" "build: 'make W=1 C=1 ${objs[*]}' failed:"
		tail -30 "$step" | indent
		rm -f "$step"
		return 1
	fi
	printf '(W=1 C=1: %s)\n' "${objs[*]}" >>"$BUILD_LOG"
	cat "$step" >>"$BUILD_LOG"
	norm_diag "$WT" "$OUT" "$(realpath -m --relative-to="$OUT" "$WT")" <"$step" |
		sort >"$result"
	rm -f "$step"
}

check_build() {
	local n i f f2 c t0 tstep wstep targets mode files=() all_c=() base_c=() now_c=()
	local base_warn cur_warn new
	ensure_applied || { msg "build: skipped, the series does not apply"; return 1; }
	n=${#COMMITS[@]}
	BUILD_BAD=0
	: >"$BUILD_LOG"
	t0=$(date +%s)
	info "build: base and $n commits in $OUT (log: $BUILD_LOG)"

	if ((n)); then mapfile -t all_c < <(c_files_touched "${COMMITS[@]}"); fi
	for f in "${all_c[@]}"; do exists_at "$BASE_REV" "$f" && base_c+=("$f"); done

	# The base: full build, then the baseline of W=1 C=1 warnings.
	tstep=$(date +%s) wstep=$LOCK_WAIT
	mode=--allow-missing
	targets=(vmlinux modules)
	if ((n == 0)); then
		mode=--allow-undefined
		[[ ${STRICT_CONFIG:-1} == 1 ]] && mode=--strict
		targets=(all)
	fi
	if ! build_step "base" "$BASE_REV" "$mode" "${targets[@]}"; then
		msg "build: base does not build: nothing else checked"
		return 1
	fi
	base_warn=$(mktemp)
	extra_warnings base "$base_warn" "${base_c[@]}" || { rm -f "$base_warn"; return 1; }
	info "[0/$n] base: ok, $(wc -l <"$base_warn") W=1/sparse warnings in the baseline ($(elapsed "$tstep" "$wstep"))"

	cur_warn=$(mktemp)
	for ((i = 0; i < n; i++)); do
		c=${COMMITS[i]} f=${PATCH_FILES[i]}
		tstep=$(date +%s) wstep=$LOCK_WAIT
		mode=--allow-missing
		targets=(vmlinux modules)
		if ((i == n - 1)); then
			mode=--allow-undefined
			[[ ${STRICT_CONFIG:-1} == 1 ]] && mode=--strict
			targets=(all)
		fi
		if ! build_step "$f" "$c" "$mode" "${targets[@]}"; then
			info "[$((i + 1))/$n] ${f##*/}: FAILED ($(elapsed "$tstep" "$wstep"))"
			BUILD_BAD=1
			break
		fi
		mapfile -t files < <(c_files_touched "${COMMITS[@]:0:i+1}")
		now_c=()
		for f2 in "${files[@]}"; do exists_at "$c" "$f2" && now_c+=("$f2"); done
		if ! extra_warnings "$f" "$cur_warn" "${now_c[@]}"; then
			BUILD_BAD=1
			break
		fi
		new=$(comm -13 "$base_warn" "$cur_warn")
		if [[ -n $new ]]; then
			while IFS= read -r l; do fail_patch "$f" "build: new W=1/sparse warning: $l"; done <<<"$new"
			BUILD_BAD=1
			info "[$((i + 1))/$n] ${f##*/}: new warnings ($(elapsed "$tstep" "$wstep"))"
		else
			info "[$((i + 1))/$n] ${f##*/}: ok ($(elapsed "$tstep" "$wstep"))"
		fi
	done
	rm -f "$base_warn" "$cur_warn"
	info "build: done in $(elapsed "$t0")"
	return "$BUILD_BAD"
}

# ------------------------------------------------------------ kernel-doc

# kdoc_warnings DIR PATH: normalized kernel-doc -Wall warnings of DIR/PATH.
kdoc_warnings() {
	[[ -f $1/$2 ]] || return 0
	(cd "$1" && "$WT/scripts/kernel-doc" -none -Wall "$2" 2>&1) |
		norm_diag "$1" | sort
}

check_kernel_doc() {
	local i c f p tmp new bad=0 paths
	ensure_applied || { msg "kernel-doc: skipped, the series does not apply"; return 1; }
	tmp=$(mktemp -d)
	for i in "${!COMMITS[@]}"; do
		c=${COMMITS[i]} f=${PATCH_FILES[i]}
		mapfile -t paths < <(git -C "$WT" diff-tree -r --no-commit-id --name-only \
			--diff-filter=d "$c" -- '*.c' '*.h')
		for p in "${paths[@]}"; do
			rm -rf "$tmp/base" "$tmp/new"
			mkdir -p "$tmp/base/$(dirname "$p")" "$tmp/new/$(dirname "$p")"
			git -C "$WT" show "$c:$p" >"$tmp/new/$p"
			exists_at "$BASE_REV" "$p" && git -C "$WT" show "$BASE_REV:$p" >"$tmp/base/$p"
			new=$(comm -13 <(kdoc_warnings "$tmp/base" "$p") <(kdoc_warnings "$tmp/new" "$p"))
			if [[ -n $new ]]; then
				while IFS= read -r l; do fail_patch "$f" "kernel-doc: $l"; done <<<"$new"
				bad=1
			fi
		done
		info "kernel-doc: ${f##*/}: ${#paths[@]} .c/.h files checked"
	done
	rm -rf "$tmp"
	return "$bad"
}

# ------------------------------------------------------------------ docs

DOCS_OUT=$BUILD/o-docs
DOCS_DIRS=${DOCS_DIRS:-core-api}

# docs_warnings REV RESULT: build the documentation of REV from scratch (a
# Sphinx build that reuses its output reports only what changed) and
# write its normalized warnings, sorted, to RESULT.
docs_warnings() {
	local rev=$1 result=$2 log rc
	log=$LOGS/check-docs-$(git -C "$WT" rev-parse --short "$rev").log
	reset_worktree "$WT" "$rev"
	AT_TIP=0
	rm -rf "$DOCS_OUT"
	locked "$log" make -C "$WT" O="$DOCS_OUT" -j"$JOBS" SPHINXDIRS="$DOCS_DIRS" htmldocs
	rc=$?
	# Sphinx: WARNING/ERROR/SEVERE/CRITICAL; kernel-doc: warning/error.
	grep -E '(WARNING|ERROR|SEVERE|CRITICAL|[Ww]arning|[Ee]rror):' "$log" |
		sed -e "s|$WT/||g" -e "s|$DOCS_OUT/||g" \
			-e 's|^\(\.\./\)*||' -e 's|:[0-9]\+:|:|g' -e 's|[[:space:]]\+$||' |
		sort -u >"$result"
	if ((rc != 0)); then
		msg "docs: make htmldocs of $rev failed (exit $rc); last lines of $log:"
		tail -20 "$log" | indent >&2
		return 1
	fi
	info "docs: $(git -C "$WT" rev-parse --short "$rev"): $(wc -l <"$result") distinct warnings (log: $log)"
}

# blame_path PATH: the patch file of the last commit of the series that
# touches PATH, or the last patch file.
blame_path() {
	local i
	for ((i = ${#COMMITS[@]} - 1; i >= 0; i--)); do
		if [[ -n $(git -C "$WT" diff-tree -r --no-commit-id --name-only "${COMMITS[i]}" -- "$1") ]]; then
			printf '%s\n' "${PATCH_FILES[i]}"
			return
		fi
	done
	printf '%s\n' "${PATCH_FILES[-1]}"
}

check_docs() {
	local tip base_warn tip_warn new l path bad=0 ver t0
	ensure_applied || { msg "docs: skipped, the series does not apply"; return 1; }
	((${#COMMITS[@]})) || { info "docs: the series is empty"; return 0; }
	command -v sphinx-build >/dev/null || { msg "docs: sphinx-build not found: run 'make deps'"; return 1; }
	tip=${COMMITS[-1]}
	t0=$(date +%s)
	ver=$(sphinx-build --version 2>&1 | awk '{print $NF}')
	# The warnings of base, once per base, Sphinx version and directories.
	base_warn=$BUILD/docs-base-$BASE_REV-$ver-${DOCS_DIRS// /+}.warn
	if [[ ! -f $base_warn ]]; then
		info "docs: building $DOCS_DIRS at base for its warnings (once)"
		docs_warnings "$BASE_REV" "$base_warn.tmp" || { rm -f "$base_warn.tmp"; return 1; }
		mv "$base_warn.tmp" "$base_warn"
	else
		info "docs: warnings of base from $base_warn ($(wc -l <"$base_warn"))"
	fi
	info "docs: building $DOCS_DIRS at the tip of the series"
	tip_warn=$(mktemp)
	docs_warnings "$tip" "$tip_warn" || bad=1
	new=$(comm -13 "$base_warn" "$tip_warn")
	rm -f "$tip_warn"
	if [[ -n $new ]]; then
		while IFS= read -r l; do
			path=${l%%:*}
			fail_patch "$(blame_path "$path")" "docs: $l"
		done <<<"$new"
		bad=1
	fi
	((bad)) || info "docs: no new warning in $DOCS_DIRS ($(elapsed "$t0"))"
	return "$bad"
}

# ------------------------------------------------------------------ main

run_one() {
	case $1 in
	apply) check_apply ;;
	tip) check_tip ;;
	checkpatch) check_checkpatch ;;
	maintainers) check_maintainers ;;
	build) check_build ;;
	kernel-doc) check_kernel_doc ;;
	docs) check_docs ;;
	esac
}

declare -A verdict=()
order=()
for chk in "${checks[@]}"; do
	[[ -v verdict[$chk] ]] || order+=("$chk")
	verdict[$chk]=
done
failed=0
info "series: ${#PATCH_FILES[@]} patches from $PATCHES"
for chk in "${order[@]}"; do
	stage "check-series: $chk"
	if run_one "$chk"; then
		verdict[$chk]=PASS
	else
		verdict[$chk]=FAIL
		failed=1
	fi
	stage_done "${verdict[$chk]}"
done

summary=
for chk in "${order[@]}"; do summary+="$chk ${verdict[$chk]}, "; done
info "check-series: ${summary%, }"
exit $failed
