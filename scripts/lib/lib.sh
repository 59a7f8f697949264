# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Common helpers for the project's scripts.  Source it; do not run it.
#
# Paths (all overridable from the environment):
#   ROOT        the project checkout
#   BUILD       scratch space, git-ignored            ($ROOT/build)
#   TREE        the kernel tree the series is edited in ($BUILD/linux)
#   PATCHES     the series directory                   ($ROOT/patches)
#   KERNEL_SRC  another kernel git tree to use instead of Debian's source
#   BASE        the ref in KERNEL_SRC the series applies to (default HEAD)

set -o pipefail

# Debian's python3 first: checkpatch's SPDX check needs its python3-ply and
# python3-git, which another python3 on PATH (pyenv, a venv) lacks.  The
# sbin directories too: capsh and depmod live there, and a normal user's
# PATH on Debian (/etc/login.defs) lacks them, so that the boot tests run
# as a user with sudo would not find them.
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
TREE=${TREE:-$BUILD/linux}
PATCHES=${PATCHES:-$ROOT/patches}
# Relative paths given by the user are relative to where they ran make.
TREE=$(realpath -m "$TREE")
BUILD=$(realpath -m "$BUILD")
PATCHES=$(realpath -m "$PATCHES")
DEBIAN_SRC_TARBALL=${DEBIAN_SRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
if [[ ! $JOBS =~ ^[1-9][0-9]*$ ]]; then
	printf 'error: JOBS=%s: the number of parallel jobs must be a positive number\n' "$JOBS" >&2
	exit 1
fi
SERIES_BRANCH=${SERIES_BRANCH:-series}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# Let worktrees at different paths share cache entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
export CCACHE_NOHASHDIR=1
# Reproducible commits: git am uses the patch dates; the committer is us.
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-kmod-umh-series}
export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-kmod-umh-series@localhost}

mkdir -p "$BUILD"

_T0_SCRIPT=$(date +%s)

msg()  { printf '%s\n' "$*" >&2; }
info() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- Command-line input: every mistake ends in one "error:" line ---------

# need_value OPTION [VALUE...]: call as  need_value "$@"  while $1 is an
# option that takes a value.  A missing value used to make "shift 2" fail
# without shifting, and the option loop then ran forever; a value that is
# itself an option ("--runs --sweep") is taken as missing too.
need_value() {
	if (($# < 2)) || [[ -z $2 || $2 == --* ]]; then
		die "option $1 needs a value"
	fi
}

# no_args "$@": for the scripts that take no arguments at all.
no_args() {
	(($# == 0)) || die "${0##*/} takes no arguments, got '$1'"
}

# need_number WHAT VALUE: VALUE must be a positive whole number.
need_number() {
	[[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 wants a positive number, not '$2'"
}

# need_cmd COMMAND PACKAGE: COMMAND must be on PATH.  Tells apart a package
# that is missing from one that is installed where PATH does not look.
need_cmd() {
	local cmd=$1 pkg=$2
	command -v "$cmd" >/dev/null && return 0
	if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		die "$cmd is not on PATH, although package $pkg is installed: 'dpkg -L $pkg | grep bin/$cmd' shows where it is; add that directory to PATH"
	fi
	die "$cmd is missing: run 'make deps' (it installs package $pkg)"
}

# check_kernel_src: KERNEL_SRC must be a git repository whose BASE (default
# HEAD) is a commit with the files the series changes; sets KERNEL_SRC to
# its absolute path and BASE_COMMIT to the commit id.  Without these checks
# a wrong path gave three raw git errors and then a misleading "BASE is not
# a commit", and a repository of something else than Linux was taken as
# the base until the series failed to apply.
check_kernel_src() {
	local dir f
	[[ -n ${KERNEL_SRC:-} ]] || die "KERNEL_SRC is empty: set it to a Linux kernel git tree"
	dir=$(cd "$KERNEL_SRC" 2>/dev/null && pwd) || die "KERNEL_SRC=$KERNEL_SRC: no such directory"
	git -C "$dir" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KERNEL_SRC=$KERNEL_SRC is not a git repository (a Linux kernel git tree is needed)"
	BASE_COMMIT=$(git -C "$dir" rev-parse -q --verify "${BASE:-HEAD}^{commit}" 2>/dev/null) ||
		die "BASE=${BASE:-HEAD} is not a branch, tag or commit of KERNEL_SRC=$KERNEL_SRC"
	for f in kernel/umh.c kernel/module/kmod.c; do
		git -C "$dir" cat-file -e "$BASE_COMMIT:$f" 2>/dev/null && continue
		die "KERNEL_SRC=$KERNEL_SRC at ${BASE:-HEAD} is not a Linux kernel tree with the files the series changes (no $f)"
	done
	KERNEL_SRC=$dir
}

# --- The base and the disk ----------------------------------------------

# The Debian linux-source-6.12 version the series is made and measured on,
# from scripts/series/base-version.  KMOD_BASE_VERSION=<version> expects
# another one; KMOD_BASE_VERSION=any takes whatever version is installed.
base_version() {
	if [[ -n ${KMOD_BASE_VERSION:-} ]]; then
		printf '%s\n' "$KMOD_BASE_VERSION"
		return 0
	fi
	local v
	v=$(grep -v '^\s*\(#\|$\)' "$ROOT/scripts/series/base-version" 2>/dev/null | head -n 1)
	[[ -n $v ]] || die "$ROOT/scripts/series/base-version names no version"
	printf '%s\n' "$v"
}
# base_version_from: where base_version took it from, for messages.
base_version_from() {
	if [[ -n ${KMOD_BASE_VERSION:-} ]]; then echo KMOD_BASE_VERSION; else echo scripts/series/base-version; fi
}

# Disk space (README, "The base"), in GB.  Measured on this project's
# trees: the base tree with its repository 2.0, each worktree of it 1.7,
# so 3 is asked for either.  A build directory: Sphinx's 0.03, the small
# boot kernel's 0.16, the KASAN debug kernel's with its modules 0.4; 4 is
# asked for, as headroom.  In all, du -sh of build/ after make check:
# 11.5, 1.7 more while make outbox runs, and a ccache of 0.3 (its cap,
# CCACHE_MAXSIZE, is 20); make demo and make mutants add a little: 20.
# KMOD_SPACE_CHECK=0 skips the checks.
SPACE_TREE_GB=3
SPACE_BUILD_GB=4
SPACE_TOTAL_GB=20

# need_space DIR GB WHAT: stop before WHAT when the file system that will
# hold DIR has less than GB GiB free, rather than fail in the middle of it
# with the tail of a build log.
need_space() {
	local dir=$1 gb=$2 what=$3 free
	[[ ${KMOD_SPACE_CHECK:-1} == 0 ]] && return 0
	while [[ ! -e $dir && $dir == */* ]]; do dir=${dir%/*}; done
	free=$(df -Pk "${dir:-/}" 2>/dev/null | awk 'NR == 2 { print $4 }')
	[[ $free =~ ^[0-9]+$ ]] || return 0
	((free >= gb * 1024 * 1024)) && return 0
	die "$what needs about $gb GB free in $dir, which has $((free / 1024 / 1024)) GB: free some space or set BUILD= to a larger disk (make check and make demo use about $SPACE_TOTAL_GB GB in all; KMOD_SPACE_CHECK=0 skips this check)"
}

# fmt_secs SECONDS -> "1m23s"
fmt_secs() {
	local s=$1
	if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# stage NAME: announce a stage; stage_done prints its elapsed time.
_STAGE_NAME=
_STAGE_T0=0
stage() {
	_STAGE_NAME=$*
	_STAGE_T0=$(date +%s)
	printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$_STAGE_NAME" >&2
}
stage_done() {
	local status=${1:-ok}
	printf '<== %s: %s (%s)\n' "$_STAGE_NAME" "$status" \
		"$(fmt_secs $(($(date +%s) - _STAGE_T0)))" >&2
}
# stage_result RC: stage_done with "ok" for exit status 0, "FAILED" otherwise.
stage_result() {
	if (($1 == 0)); then stage_done ok; else stage_done FAILED; fi
}

# heartbeat_start DIR WHAT: until heartbeat_stop, prints every minute how
# many objects the build in DIR has compiled so far, so that a long build
# does not look hung.  One at a time.
_HB_PID=
heartbeat_start() {
	local dir=$1 what=$2 stamp t0
	mkdir -p "$dir"
	stamp=$(mktemp "$dir/.heartbeat.XXXXXX")
	t0=$(date +%s)
	(
		# The sleep runs in the background: bash runs a trap only once its
		# foreground command is done, and wait returns at once on a signal.
		sp=
		trap 'kill $sp 2>/dev/null; rm -f "$stamp"; exit 0' TERM
		while :; do
			sleep 60 &
			sp=$!
			wait "$sp"
			info "building $what: $(find "$dir" -name '*.o' -newer "$stamp" | wc -l) objects compiled in $(fmt_secs $(($(date +%s) - t0)))"
		done
	) >&2 &
	_HB_PID=$!
}
heartbeat_stop() {
	[[ -n $_HB_PID ]] || return 0
	kill "$_HB_PID" 2>/dev/null
	wait "$_HB_PID" 2>/dev/null
	_HB_PID=
	return 0
}

# Results of make check, one line per check: "PASS|FAIL<TAB>name<TAB>secs<TAB>detail"
RESULTS=${RESULTS:-$BUILD/results.tsv}

record() {
	local verdict=$1 name=$2 secs=$3 detail=${4:-}
	printf '%s\t%s\t%s\t%s\n' "$verdict" "$name" "$secs" "$detail" >>"$RESULTS"
}

# run_check NAME CMD...: run one check as a stage, record PASS/FAIL, never abort.
run_check() {
	local name=$1 rc t0
	shift
	stage "$name"
	t0=$(date +%s)
	"$@"
	rc=$?
	if ((rc == 0)); then
		stage_done PASS
		record PASS "$name" $(($(date +%s) - t0))
	else
		stage_done "FAIL (exit $rc)"
		record FAIL "$name" $(($(date +%s) - t0)) "exit $rc"
	fi
	return 0
}

# with_build_lock CMD...: only one kernel build at a time on this machine.
# Re-entrant: a script run under the lock (KMOD_SERIES_BUILD_LOCK set)
# does not take it again.  The lock stays in $ROOT/build even when BUILD
# points elsewhere (another kernel tree's checks), so that it is one lock.
with_build_lock() {
	local lock=$ROOT/build/.build.lock
	if [[ -n ${KMOD_SERIES_BUILD_LOCK:-} ]]; then
		"$@"
		return
	fi
	mkdir -p "${lock%/*}"
	exec {_lockfd}>"$lock"
	if ! flock -n "$_lockfd"; then
		info "waiting for another kernel build to finish ($lock)"
		flock "$_lockfd"
	fi
	KMOD_SERIES_BUILD_LOCK=1 "$@"
	local rc=$?
	exec {_lockfd}>&-
	return $rc
}

# series_dir: the absolute path of $PATCHES, which must be a directory.
series_dir() {
	(cd "$PATCHES" 2>/dev/null && pwd) || die "PATCHES=$PATCHES: no such directory (it holds the series, like patches/)"
}

# series_patches [DIR]: patch files of the series, in order.
series_patches() {
	local dir=${1:-$PATCHES} p
	[[ -f $dir/series ]] || die "$dir/series not found"
	while read -r p _; do
		[[ -z $p || $p == \#* ]] && continue
		[[ -f $dir/$p ]] || die "$dir/series names $p, which does not exist"
		printf '%s\n' "$dir/$p"
	done <"$dir/series"
}

# A git command in the kernel tree.
tgit() { git -C "$TREE" "$@"; }

# kmake ODIR [ARGS...]: make in the tree's worktree $SRC with O=ODIR and ccache.
#
# A make that is killed outright (SIGKILL, a machine restart) cannot delete
# the file it was writing, and a truncated file newer than its sources
# looks up to date to the next make: a 0-byte scripts/mod/modpost then
# fails every later build with "Permission denied".  So ODIR/.kmake-unfinished
# marks a make in progress; if it is still there when the next one starts,
# every file written after it is removed and rebuilt (ccache makes that
# cheap).  A make that fails normally removes the mark: kbuild deletes the
# targets of the rules that failed.
kmake() {
	local odir=$1 mark rc n
	shift
	mark=$odir/.kmake-unfinished
	if [[ -e $mark ]]; then
		# The configuration stays: scripts/lib/kconfig.sh may have written
		# it since, and redoes it itself when it did not finish.
		local keep=(! -name .config ! -name .config.old ! -name .kconfig-stamp)
		n=$(find "$odir" -type f -newer "$mark" "${keep[@]}" | wc -l)
		info "the last make in $odir was interrupted: removing the $n files it wrote"
		find "$odir" -type f -newer "$mark" "${keep[@]}" -delete
	fi
	# The first build in a directory is where a full disk would show, as
	# the tail of a failed build log: say it before.
	[[ -e $odir/.config ]] || need_space "$odir" "$SPACE_BUILD_GB" "the first kernel build in $odir"
	# Dated a second back: file times come from a coarse clock, and a
	# file the make writes within the same tick would not be -newer.
	# A file of an earlier make caught by that second is only rebuilt.
	mkdir -p "$odir" && touch -d '1 second ago' "$mark" || return 1
	make -s -C "${SRC:-$TREE}" O="$odir" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" "$@"
	rc=$?
	rm -f "$mark"
	return $rc
}

# --- Added for the series checks (check-series.sh, kconfig.sh, test-checks.sh) ---

# The architecture of every kernel build and configuration of the checks.
KARCH=${KARCH:-x86_64}
# Logs of the checks.
LOGS=${LOGS:-$BUILD/logs}
mkdir -p "$LOGS"
# When a script runs from "make check", the outer make's flags (jobserver,
# command-line variables) must not leak into the kernel's make.
unset MAKEFLAGS MFLAGS MAKELEVEL

# result OK WHAT: one TAP line "ok N - WHAT" (OK=1) or "not ok N - WHAT",
# counted in $passed and $failed, for the tests of the tooling
# (test-checks.sh, test-tooling.sh), which end with
# "$passed passed, $failed failed".
passed=0 failed=0 _tap_num=0
result() {
	local ok=$1 what=$2
	_tap_num=$((_tap_num + 1))
	if ((ok)); then
		passed=$((passed + 1))
		printf 'ok %d - %s\n' "$_tap_num" "$what"
	else
		failed=$((failed + 1))
		printf 'not ok %d - %s\n' "$_tap_num" "$what"
	fi
}

# fail_patch FILE MSG...: the one format every check failure is reported in.
fail_patch() {
	local file=$1
	shift
	printf 'FAIL: %s: %s\n' "${file##*/}" "$*"
}

# ensure_worktree DIR: a detached worktree of $TREE's repository at DIR,
# created at "base" once and reused afterwards.
ensure_worktree() {
	local dir=$1
	[[ -e $TREE/.git ]] || die "$TREE is not a git tree: run 'make tree' (or set TREE= to the tree made by it)"
	if [[ -e $dir/.git ]] && git -C "$dir" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		# A worktree of another repository (another TREE) would check
		# the wrong base without a word.
		[[ $(git -C "$dir" rev-parse --path-format=absolute --git-common-dir) == \
			"$(tgit rev-parse --path-format=absolute --git-common-dir)" ]] ||
			die "$dir is a worktree of another repository than $TREE: remove it, or use another BUILD="
		return 0
	fi
	[[ -e $dir ]] && die "$dir exists but is not a worktree of $TREE: remove it"
	tgit rev-parse -q --verify base >/dev/null || die "$TREE has no tag 'base': run 'make tree'"
	need_space "$dir" "$SPACE_TREE_GB" "a worktree of the kernel tree"
	tgit worktree prune
	info "creating worktree $dir"
	tgit worktree add -q --detach "$dir" base >&2 || die "git worktree add $dir failed"
}

# reset_worktree DIR [REF]: abort a half-done git am, check out REF
# (default base) detached and drop untracked files.
reset_worktree() {
	local dir=$1 ref=${2:-base} gd
	gd=$(git -C "$dir" rev-parse --absolute-git-dir) || die "$dir is not a git tree"
	if [[ -d $gd/rebase-apply ]]; then
		git -C "$dir" am --abort >/dev/null 2>&1 || rm -rf "$gd/rebase-apply"
	fi
	git -C "$dir" checkout -q -f --detach "$ref" || die "checkout of $ref in $dir failed"
	git -C "$dir" clean -fdq
}

# norm_diag SRCDIR [ODIR...] < diagnostics: the warning/error lines of gcc,
# sparse and kernel-doc, each with sparse's indented continuation lines
# ("expected ...", "got ...") joined to it, without line/column numbers or
# the absolute prefixes SRCDIR and ODIR, so they compare across commits.
norm_diag() {
	local sed_args=() d
	for d in "$@"; do
		[[ -n $d ]] || continue
		sed_args+=(-e "s|${d%/}/||g")
		d=$(cd "$d" 2>/dev/null && pwd -P) && sed_args+=(-e "s|${d%/}/||g")
	done
	awk '
		/(warning|error|Error):/ { if (cur != "") print cur; cur = $0; next }
		cur != "" && /^[^ ]+:[0-9]+(:[0-9]+)?:   +[^ ]/ {
			sub(/^[^ ]+:[0-9]+(:[0-9]+)?: +/, "")
			cur = cur " | " $0
			next
		}
		{ if (cur != "") print cur; cur = "" }
		END { if (cur != "") print cur }
	' | sed "${sed_args[@]}" \
		-e 's|^\(\.\.\{0,1\}/\)*||' \
		-e 's|:[0-9]\+:[0-9]\+:|:|g' -e 's|:[0-9]\+:|:|g' \
		-e 's|[[:space:]]\+$||'
}

# kunit_log ARCH SRC SUITE [TAG]: where scripts/kunit/kunit.sh keeps
# kunit.py's output for SUITE run on tree SRC.
kunit_log() { printf '%s/logs/kunit-%s-%s-%s%s.log\n' "$BUILD" "$1" "$(basename "$2")" "$3" "${4:+-$4}"; }

# kunit_json ARCH SRC SUITE [TAG]: the results of that run, as kunit.py's
# JSON (scripts/kmodtest/kunit_compare.py reads them).
kunit_json() { local l; l=$(kunit_log "$@"); printf '%s.json\n' "${l%.log}"; }

# kunit_name SUITE...: the name of a run of those suites, for kunit_log.
kunit_name() { local IFS=+; echo "$*"; }

# kunit_suites: the suites under kunit/ (directories with a .kunitconfig).
kunit_suites() {
	local d
	for d in "$ROOT"/kunit/*/; do
		[[ -f $d/.kunitconfig ]] && basename "$d"
	done
}
