#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the tooling's own promises about build reuse (a few seconds):
#
#   killed-make   kmake (lib.sh) after a make that was killed with SIGKILL
#                 while it wrote a file: the truncated file, newer than its
#                 source, is removed and rebuilt; ODIR/.config stays.  Run
#                 with a stand-in kernel Makefile in a temporary directory.
#   finished-make after a make that finished, the next kmake removes nothing.
#   tip-reuse     "check-series.sh tip" twice in a row rewrites no file of
#                 the worktree build/check (same mtime for every file the
#                 series touches), so the kernels built from it are not
#                 rebuilt.
#   modprobe-gate the boot tests' stand-in modprobe (boot/fake-modprobe.c),
#                 gated: copies stay alive past their run time until the
#                 gate FIFO has a writer, then all exit with the configured
#                 status, and a copy started after that does not wait.
#   bench-stale   bench-report.py reports the -smp 8 sweep only when asked
#                 (bench.sh --sweep): the logs an earlier "make bench
#                 SWEEP=1" left must not show up in a plain "make bench".
#   boot-verdict  the unit tests of boot-verdict.py (test_boot_verdict.py):
#                 each of its checks fails a made-up boot that it must fail.
#   boot-options  boot-test.sh refuses, before it builds anything, an
#                 unknown --only name, --runs 0, an unknown kernel or
#                 flavour, and an option without its value, each with one
#                 line that names the problem.
#
# Prints a TAP line per case, then "N passed, N failed".
. "$(dirname "$0")/lib.sh"


TMP=$(mktemp -d "${TMPDIR:-/tmp}/kmod-tooling.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

printf '1..7\n'

# A stand-in for a kernel tree: "make O=ODIR" makes ODIR/tool from tool.src
# the way a linker does, writing the output in place, slowly when SLOW=1.
fake=$TMP/src odir=$TMP/out
mkdir -p "$fake" "$odir"
printf '#!/bin/sh\necho built\n' >"$fake/tool.src"
cat >"$fake/Makefile" <<'EOF'
$(O)/tool: tool.src
	: >$@
	if [ "$(SLOW)" = 1 ]; then sleep 60; fi
	cat tool.src >$@
	chmod +x $@
EOF

# 1. killed-make
echo 'CONFIG_TEST=y' >"$odir/.config"
SRC=$fake setsid bash -c '. "$1"; kmake "$2" SLOW=1' _ "$ROOT/scripts/lib.sh" "$odir" \
	>"$TMP/make1.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -e $odir/tool ]] && break; sleep 0.1; done
sleep 0.5
kill -KILL -- "-$pid" 2>/dev/null
wait "$pid" 2>/dev/null
echo 'CONFIG_TEST=y' >"$odir/.config"
if [[ ! -e $odir/tool || -s $odir/tool ]]; then
	result 0 "killed-make: could not set up a truncated file (see $TMP/make1.log)"
else
	SRC=$fake kmake "$odir" SLOW=0 >"$TMP/make2.log" 2>&1
	rc=$?
	ok=1 why=
	((rc == 0)) || { ok=0 why+=" make failed ($rc);"; }
	[[ $("$odir/tool" 2>/dev/null) == built ]] || { ok=0 why+=" the truncated file was not rebuilt;"; }
	[[ -f $odir/.config ]] || { ok=0 why+=" .config was removed;"; }
	[[ -e $odir/.kmake-unfinished ]] && { ok=0 why+=" the mark is still there;"; }
	grep -q 'was interrupted' "$TMP/make2.log" || { ok=0 why+=" no message about the killed make;"; }
	result "$ok" "killed-make: a file truncated by a killed make is rebuilt, .config kept${why:+:$why}"
fi

# 2. finished-make
SRC=$fake kmake "$odir" SLOW=0 >"$TMP/make3.log" 2>&1
if [[ $? == 0 && ! -e $odir/.kmake-unfinished ]] && ! grep -q 'was interrupted' "$TMP/make3.log"; then
	result 1 "finished-make: nothing to clean after a make that finished"
else
	result 0 "finished-make: a finished make left its mark or was cleaned up after ($TMP/make3.log)"
fi

# 3. tip-reuse
mtimes() {
	local f
	git -C "$BUILD/check" diff --name-only base HEAD | while read -r f; do
		[[ -e $BUILD/check/$f ]] && printf '%s %s\n' "$(stat -c %y "$BUILD/check/$f")" "$f"
	done
}
if ! "$ROOT/scripts/check-series.sh" tip >"$TMP/tip1.log" 2>&1; then
	result 0 "tip-reuse: check-series.sh tip failed (log: $TMP/tip1.log)"
	cp "$TMP/tip1.log" "$LOGS/test-tooling-tip.log"
else
	before=$(mtimes)
	"$ROOT/scripts/check-series.sh" tip >"$TMP/tip2.log" 2>&1
	after=$(mtimes)
	changed=$(diff <(echo "$before") <(echo "$after") | grep -c '^>')
	if [[ -n $before && $changed == 0 ]]; then
		result 1 "tip-reuse: a second check-series.sh tip rewrote none of the $(wc -l <<<"$before") files the series touches"
	else
		result 0 "tip-reuse: a second check-series.sh tip rewrote $changed of the files the series touches"
	fi
fi

# 4. modprobe-gate: three gated copies with a 100 ms run time.
mp=$TMP/mp
mkdir -p "$mp/live" "$mp/runs"
echo "100 3 1" >"$mp/config"
mkfifo "$mp/gate"
if ! gcc -O2 -Wall -Werror -o "$TMP/fake-modprobe" "$ROOT/scripts/boot/fake-modprobe.c" \
	>"$TMP/gcc.log" 2>&1; then
	result 0 "modprobe-gate: fake-modprobe.c does not build: $(head -n 3 "$TMP/gcc.log")"
else
	ln -s fake-modprobe "$TMP/not-blocked"
	export FAKE_MODPROBE_DIR=$mp
	gpids=
	for i in 1 2 3; do
		"$TMP/fake-modprobe" -q -- "gated$i" &
		gpids+=" $!"
	done
	sleep 1
	held=$(find "$mp/live" -type f | wc -l)
	waiting=$("$TMP/not-blocked" $gpids)
	exec 9<>"$mp/gate"
	statuses=
	for p in $gpids; do
		wait "$p"
		statuses+=" $?"
	done
	t0=$(date +%s%N)
	"$TMP/fake-modprobe" -q -- late
	late_rc=$? late_ms=$((($(date +%s%N) - t0) / 1000000))
	exec 9>&-
	unset FAKE_MODPROBE_DIR
	runs=$(find "$mp/runs" -type f | wc -l)
	left=$(find "$mp/live" -type f | wc -l)
	if [[ $held == 3 && $waiting == 3 && $statuses == " 3 3 3" && $late_rc == 3 &&
		$late_ms -lt 1000 && $runs == 4 && $left == 0 ]]; then
		result 1 "modprobe-gate: 3 copies held 1 s past their 100 ms, released by the gate; a late one ran ${late_ms} ms"
	else
		result 0 "modprobe-gate: held $held of 3 (not-blocked: $waiting), exit statuses$statuses, late copy rc $late_rc in $late_ms ms, $runs runs, $left still live"
	fi
fi

# 5. bench-stale: one benchmark boot per kernel, and an -smp 8 sweep boot
# from an earlier run.
mkdir -p "$TMP/boot"
for k in base series; do
	printf 'BOOT-TEST-BEGIN bench\n# RESULT kernel release=test-%s cpus=2\n# RESULT same_name callers=200 modprobe_runs=1\nok 1 same_name\n' \
		"$k" >"$TMP/boot/$k-bench-1.log"
	printf 'BOOT-TEST-BEGIN bench\n# RESULT sweep_same_50 callers=50 modprobe_runs=1 failures=0 wall_ms=2000\nok 1 sweep\n' \
		>"$TMP/boot/$k-bench-smp8-1.log"
done
python3 "$ROOT/scripts/bench-report.py" "$TMP/boot" "$TMP/plain" >"$TMP/plain.out" 2>&1
python3 "$ROOT/scripts/bench-report.py" --sweep "$TMP/boot" "$TMP/sweep" >"$TMP/sweep.out" 2>&1
if grep -q 'smp 8' "$TMP/plain.out" || [[ -e $TMP/plain/sweep-smp8.md ]]; then
	result 0 "bench-stale: a plain benchmark report shows an -smp 8 sweep of an earlier run"
elif ! grep -q 'smp 8' "$TMP/sweep.out" || [[ ! -e $TMP/sweep/sweep-smp8.md ]]; then
	result 0 "bench-stale: the --sweep report lacks the -smp 8 sweep ($TMP/sweep.out)"
	cp "$TMP/sweep.out" "$LOGS/test-tooling-bench.log"
else
	result 1 "bench-stale: the -smp 8 sweep is reported with --sweep only"
fi

# 6. boot-verdict
if python3 "$ROOT/scripts/test_boot_verdict.py" >"$TMP/verdict.out" 2>&1; then
	result 1 "boot-verdict: $(grep -o 'Ran [0-9]* tests' "$TMP/verdict.out")"
else
	result 0 "boot-verdict: unit tests failed:"
	sed 's/^/# /' "$TMP/verdict.out"
fi

# 7. boot-options: each bad command line must fail at once, with a message
# that names what is wrong (and never start a build: the lock is not
# taken, the time is seconds).
bad=
check_refused() {
	local want=$1 out rc
	shift
	out=$(timeout 60 "$ROOT/scripts/boot-test.sh" "$@" 2>&1 </dev/null)
	rc=$?
	if ((rc == 0 || rc == 124)) || ! grep -q -- "$want" <<<"$out" || (($(wc -l <<<"$out") != 1)); then
		bad+=" [$* -> rc $rc: $(head -c 200 <<<"$out")]"
	fi
}
check_refused "unknown scenario moving_queu" --flavour small --only same_name,moving_queu
check_refused "unknown scenario sweep" --flavour small --only sweep
check_refused "runs must be a positive number" --runs 0
check_refused "unknown kernel 'patched'" --kernels patched
check_refused "unknown flavour 'tiny'" --flavour tiny
check_refused "needs a value" --only
check_refused "unknown option" --onyl same_name
check_refused "not a scenario of this run" --only same_name --plant sequential
if [[ -z $bad ]]; then
	result 1 "boot-options: 8 bad command lines refused with one line each"
else
	result 0 "boot-options: not refused as they should be:$bad"
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
