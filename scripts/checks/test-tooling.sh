#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the tooling's own promises (about half a minute): build reuse,
# and bad input refused:
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
#   counted-modprobe  the real modprobe wrapped (boot/fake-modprobe.c):
#                 arguments and exit status passed through, the run and a
#                 failure recorded.
#   fork-chain    a command run 300 processes below its caller has 300 more
#                 ancestors (counted through /proc), and its exit status
#                 comes back up.
#   bench-stale   bench_report.py reports the -smp 8 sweep only when asked
#                 (bench.sh --sweep): the logs an earlier "make bench
#                 SWEEP=1" left must not show up in a plain "make bench".
#   bench-docs    the tables of README.md and Documentation/results.md are
#                 the benchmark JSON's: a table typed by hand fails
#                 bench_docs.py --check, and passes once rewritten.
#   bench-quick   with the storms of kmod's modprobe stopped at 200
#                 callers (bench.sh --quick), bench_report.py judges the
#                 targets of 200 callers, not of 2000 it has no data for,
#                 and leaves the rows past 200 out of its tables; a ratio
#                 target is judged only with three boots of each kernel;
#                 the table of the throttle's lock comes from lockstat
#                 boots, and only with them.
#   clone-module  boot/clone-module.py renames every copy in each place
#                 the name occurs, keeps the size, and refuses a module
#                 without its name in .modinfo.
#   model-refs    model_refs.py reports a line reference of a model that a
#                 patch has moved, with the line the name is on now, reads
#                 a reference in a -DBASE block at the base, and passes
#                 once the reference is right.
#   kunit-compare the unit tests of kunit_compare.py (test_kunit_compare.py)
#                 on the recorded JSON of both UML runs in
#                 scripts/kmodtest/tests/testdata/
#   boot-verdict  the unit tests of boot_verdict.py (test_boot_verdict.py):
#                 each of its checks fails a made-up boot that it must fail.
#   boot-options  boot-test.sh refuses, before it builds anything, an
#                 unknown --only name, --runs 0, an unknown kernel or
#                 flavour, and an option without its value, each with one
#                 line that names the problem.
#   lint          scripts/checks/lint.sh fails on a shell script with
#                 a shellcheck finding and on a Python file with a
#                 pyflakes finding, and shows the finding; it passes the
#                 same files once fixed.
#   md-links      md_links.py fails on a link to a heading that is not
#                 there (a heading inside a code block does not count) or
#                 to a missing file, and names it; good links pass.
#   bad-input     each script refuses a wrong command line or environment
#                 (an option without its value, an unknown argument or
#                 name, a KERNEL_SRC or BASE that is not a kernel tree or
#                 ref, a linux-source-6.12 other than
#                 scripts/series/base-version, a disk with too little room,
#                 ...) within 20 s, with a non-zero exit status and one line
#                 on stderr, "error: ..." or "usage: ...", that names what is
#                 wrong.  One case per input, on a small fake kernel tree and
#                 scratch BUILD and TREE, so nothing real is touched.
#   make-knobs    the Makefile takes its knobs from its command line and
#                 drops them from the environment (an exported RUNS, BUILD
#                 or KERNEL_SRC changes nothing), and hands the scripts
#                 none of the names they pass one another (ROOT, SRC, WT).
#   sbin-path     with a user's PATH (no sbin directory), the scripts find
#                 capsh and depmod, which Debian installs in /sbin.
#   no-apply      make kunit, make demo, make outbox and make mutants, on a
#                 series whose second patch does not apply, show why: the
#                 "FAIL: <patch>: apply" line and git am's own error.
#   outbox-*      make outbox refuses to run without git's user.name and
#                 user.email, and with them writes every patch From: and
#                 Signed-off-by: that identity, not the author of the
#                 commits in patches/ (b4 on the fake tree; nothing sent).
#
# Prints a TAP line per case, then the plan and "N passed, N failed".
. "$(dirname "$0")/../lib/lib.sh"
no_args "$@"


TMP=$(mktemp -d "${TMPDIR:-/tmp}/kmod-tooling.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

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
# shellcheck disable=SC2016  # expanded by the inner bash
SRC=$fake setsid bash -c '. "$1"; kmake "$2" SLOW=1' _ "$ROOT/scripts/lib/lib.sh" "$odir" \
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
if ! "$ROOT/scripts/checks/check-series.sh" tip >"$TMP/tip1.log" 2>&1; then
	result 0 "tip-reuse: check-series.sh tip failed (log: $TMP/tip1.log)"
	cp "$TMP/tip1.log" "$LOGS/test-tooling-tip.log"
else
	before=$(mtimes)
	"$ROOT/scripts/checks/check-series.sh" tip >"$TMP/tip2.log" 2>&1
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
	# shellcheck disable=SC2086  # one argument per pid
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

# 4b. counted-modprobe: runs the real modprobe with the arguments it got,
# exits with its status and records the run, its status and the failure;
# fork-chain: the command runs below DEPTH more ancestors.
if [[ -x $TMP/fake-modprobe ]]; then
	mp=$TMP/mp-counted
	mkdir -p "$mp/live" "$mp/runs"
	ln -s fake-modprobe "$TMP/counted-modprobe"
	ln -s fake-modprobe "$TMP/fork-chain"
	# shellcheck disable=SC2016 # the stand-in modprobe expands them
	printf '#!/bin/sh\necho "$*" >%s/args\n[ "$3" = good ]\n' "$TMP" >"$TMP/real-mp"
	chmod 755 "$TMP/real-mp"
	FAKE_MODPROBE_DIR=$mp REAL_MODPROBE=$TMP/real-mp "$TMP/counted-modprobe" -q -- good
	rc_good=$?
	FAKE_MODPROBE_DIR=$mp REAL_MODPROBE=$TMP/real-mp "$TMP/counted-modprobe" -q -- bad
	rc_bad=$?
	runs=$(find "$mp/runs" -type f | wc -l) left=$(find "$mp/live" -type f | wc -l)
	ends=$(grep -c '^end [0-9]* ' "$mp/events") fails=$(cat "$mp/failures" 2>/dev/null)
	args=$(cat "$TMP/args")
	if [[ $rc_good == 0 && $rc_bad == 1 && $runs == 2 && $left == 0 && $ends == 2 &&
		$fails == "bad 1" && $args == "-q -- bad" ]]; then
		result 1 "counted-modprobe: statuses 0 and 1 passed through, 2 runs and 1 failure recorded"
	else
		result 0 "counted-modprobe: rc $rc_good/$rc_bad, $runs runs, $left live, $ends ends, failures '$fails', args '$args'"
	fi
	# Each level is the parent of the next: the bottom's ancestors, counted
	# through /proc, are the top's and 300 more.
	# shellcheck disable=SC2016 # expanded by the shell at the bottom
	depth_of='d=0 p=$$; while [ "$p" -gt 1 ]; do p=$(awk "/^PPid:/ { print \$2 }" /proc/$p/status); d=$((d + 1)); done; echo $d'
	top=$("$TMP/fork-chain" 0 sh -c "$depth_of")
	deep=$("$TMP/fork-chain" 300 sh -c "$depth_of; exit 7")
	deep_rc=$?
	if [[ -n $top && $deep == "$((top + 300))" && $deep_rc == 7 ]]; then
		result 1 "fork-chain: 300 levels: $top ancestors become $deep, exit status passed up"
	else
		result 0 "fork-chain: ancestors $top and $deep (wanted $((top + 300))), rc $deep_rc"
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
python3 "$ROOT/scripts/kmodtest" bench_report "$TMP/boot" "$TMP/plain" >"$TMP/plain.out" 2>&1
python3 "$ROOT/scripts/kmodtest" bench_report --sweep "$TMP/boot" "$TMP/sweep" >"$TMP/sweep.out" 2>&1
if grep -q 'smp 8' "$TMP/plain.out" || [[ -e $TMP/plain/sweep-smp8.md ]]; then
	result 0 "bench-stale: a plain benchmark report shows an -smp 8 sweep of an earlier run"
elif ! grep -q 'smp 8' "$TMP/sweep.out" || [[ ! -e $TMP/sweep/sweep-smp8.md ]]; then
	result 0 "bench-stale: the --sweep report lacks the -smp 8 sweep ($TMP/sweep.out)"
	cp "$TMP/sweep.out" "$LOGS/test-tooling-bench.log"
else
	result 1 "bench-stale: the -smp 8 sweep is reported with --sweep only"
fi

# 5b. bench-docs: the tables of a document come from the benchmark's JSON;
# --check fails a table edited by hand and passes it once rewritten; a
# region naming a table the JSON lacks is an error.
doc=$TMP/doc.md
printf 'intro\n<!-- bench-table targets -->\n| typed | by hand |\n<!-- /bench-table -->\nend\n' >"$doc"
python3 "$ROOT/scripts/kmodtest" bench_docs --check "$TMP/plain/results.json" "$doc" 2>"$TMP/bd1.err"
bd1=$?
python3 "$ROOT/scripts/kmodtest" bench_docs "$TMP/plain/results.json" "$doc" >/dev/null 2>&1
bd2=$?
python3 "$ROOT/scripts/kmodtest" bench_docs --check "$TMP/plain/results.json" "$doc" 2>/dev/null
bd3=$?
printf '<!-- bench-table no_such -->\n<!-- /bench-table -->\n' >"$TMP/doc2.md"
python3 "$ROOT/scripts/kmodtest" bench_docs --check "$TMP/plain/results.json" "$TMP/doc2.md" 2>"$TMP/bd4.err"
bd4=$?
if [[ $bd1 == 1 && $bd2 == 0 && $bd3 == 0 && $bd4 == 1 ]] &&
	grep -q 'modprobe runs, 200 callers of one name' "$doc" && ! grep -q typed "$doc" &&
	grep -q "region 'no_such'" "$TMP/bd4.err" && grep -q '^intro$' "$doc" && grep -q '^end$' "$doc"; then
	result 1 "bench-docs: a hand-typed table fails --check, is rewritten from the JSON, then passes"
else
	result 0 "bench-docs: check $bd1, rewrite $bd2, check again $bd3, unknown table $bd4 ($(head -c 200 "$TMP/bd1.err"))"
fi

# 5b2. bench-quick: one boot of each kernel, the real storms up to 200.
mkdir -p "$TMP/qboot"
for k in base series; do
	runs=1
	[[ $k == base ]] && runs=200
	# A cost 10 % higher on the series: one boot cannot judge it.
	cost=1000
	[[ $k == series ]] && cost=1100
	printf 'BOOT-TEST-BEGIN bench\n# RESULT kernel release=test-%s cpus=2\n# RESULT umh_cost kmod_ns_per_call=%s\nok 1 same_name\n' \
		"$k" "$cost" >"$TMP/qboot/$k-bench-1.log"
	{
		printf 'BOOT-TEST-BEGIN bench\n# RESULT kernel release=test-%s cpus=2\n' "$k"
		for n in 50 200; do
			printf '# RESULT real_same_%s callers=%s modprobe_runs=%s failures=0 loaded=1\n' "$n" "$n" "$runs"
			printf '# RESULT real_distinct_%s callers=%s modprobe_runs=%s failures=0 loaded=%s cpu_ms=9\n' "$n" "$n" "$n" "$n"
		done
		printf 'ok 1 real_modprobe\n'
	} >"$TMP/qboot/$k-bench-real-1.log"
done
python3 "$ROOT/scripts/kmodtest" bench_report --title "make demo (quick)" "$TMP/qboot" "$TMP/quick" >"$TMP/quick.out" 2>&1
# The same cost over three boots of each kernel is judged, and fails.
mkdir -p "$TMP/qboot3"
for k in base series; do
	for i in 1 2 3; do
		cp "$TMP/qboot/$k-bench-1.log" "$TMP/qboot3/$k-bench-$i.log"
	done
	cp "$TMP/qboot/$k-bench-real-1.log" "$TMP/qboot3/"
	# A lockstat boot (make bench): its lock table, with the ratio.
	hold=1000
	[[ $k == series ]] && hold=20000
	printf 'BOOT-TEST-BEGIN lockstat\n# RESULT kernel release=test-%s cpus=2\n# RESULT lock_hold lock=x acq_per_request_2000=2 hold_ns_per_request_2000=%s hold_max_ns_2000=9\nok 1 lock_hold\n' \
		"$k" "$hold" >"$TMP/qboot3/$k-lockstat-1.log"
done
python3 "$ROOT/scripts/kmodtest" bench_report "$TMP/qboot3" "$TMP/quick3" >"$TMP/quick3.out" 2>&1
q3_rc=$?
if grep -q '^| kmod modprobe runs, 200 callers of one real module | 1 | 200 | 1 | - | yes |$' "$TMP/quick.out" &&
	grep -q '^| modules loaded, 200 callers of 200 real modules | 200 | 200 | 200 | - | yes |$' "$TMP/quick.out" &&
	! grep -q '2000 callers of\|^| 600 callers' "$TMP/quick.out" &&
	grep -qF '| 1000 | 1100 | 1.100 | not judged (1 boot; make bench judges it) |' "$TMP/quick.out" &&
	grep -qF '| 1000 (1000–1000) | 1100 (1100–1100) | 1.100 | NO |' "$TMP/quick3.out" && ((q3_rc == 1)) &&
	grep -qF '| 2000 callers of distinct modules at once (stand-in modprobe, 200 ms) | 1000 | 20000 | 20.000 | 2 | 2 |' "$TMP/quick3/results.md" &&
	grep -qF '1 and 1 of the CONFIG_LOCK_STAT kernels' "$TMP/quick3/results.md" &&
	! grep -q "throttle's lock" "$TMP/quick/results.md" &&
	grep -qF 'make demo (quick)' "$TMP/quick.out"; then
	result 1 "bench-quick: storms up to 200 callers: targets of 200, no rows past it; a ratio of one boot not judged, of three judged (NO); the lock table only with lockstat boots"
else
	result 0 "bench-quick: $(grep -m3 'real module' "$TMP/quick.out" | tr '\n' ' ')"
fi

# 5c. clone-module: copies named kmodt_0001... with the name replaced in
# every place, same size; a file without the name in .modinfo is refused.
printf 'ELF\0name=kmodt_real\0parm=init_ms\0kmodt_real.init_ms\0xx\0kmodt_real\0' >"$TMP/kmodt_real.ko"
python3 "$ROOT/scripts/boot/clone-module.py" "$TMP/kmodt_real.ko" "$TMP/clones" 12 >/dev/null 2>&1
cm_rc=$?
n_clones=$(find "$TMP/clones" -name 'kmodt_*.ko' 2>/dev/null | wc -l)
printf 'ELF\0kmodt_other\0' >"$TMP/kmodt_none.ko"
python3 "$ROOT/scripts/boot/clone-module.py" "$TMP/kmodt_none.ko" "$TMP/clones2" 3 2>"$TMP/cm.err"
cm_bad=$?
if [[ $cm_rc == 0 && $n_clones == 12 && $cm_bad == 1 && ! -e $TMP/clones2 ]] &&
	[[ $(grep -c -a kmodt_0012 "$TMP/clones/kmodt_0012.ko") == 1 ]] &&
	[[ $(tr '\0' '\n' <"$TMP/clones/kmodt_0012.ko" | grep -c kmodt_0012) == 3 ]] &&
	! grep -q -a kmodt_real "$TMP/clones/kmodt_0012.ko" &&
	[[ $(stat -c %s "$TMP/clones/kmodt_0007.ko") == $(stat -c %s "$TMP/kmodt_real.ko") ]] &&
	grep -q "no 'name=kmodt_none'" "$TMP/cm.err"; then
	result 1 "clone-module: 12 copies renamed in all 3 places, same size; a module without its name refused"
else
	result 0 "clone-module: rc $cm_rc, $n_clones copies, refusal rc $cm_bad ($(head -c 200 "$TMP/cm.err"))"
fi

# 5d. model-refs: a tiny tree whose one patch moves umh_complete() from
# line 2 to line 4; a model citing :2 outside a -DBASE block is stale.
MR=$TMP/mr
mkdir -p "$MR/k/kernel" "$MR/p" "$MR/good" "$MR/bad"
printf 'int a;\nstatic void umh_complete(void)\n{\n}\n' >"$MR/k/kernel/umh.c"
{
	git -C "$MR/k" init -q &&
	git -C "$MR/k" add kernel/umh.c &&
	git -C "$MR/k" -c user.name=t -c user.email=t@t commit -q -m base &&
	git -C "$MR/k" tag base &&
	printf 'int a;\nint b;\nint c;\nstatic void umh_complete(void)\n{\n}\n' >"$MR/k/kernel/umh.c" &&
	git -C "$MR/k" -c user.name=t -c user.email=t@t commit -q -am 'umh: two lines' &&
	git -C "$MR/k" format-patch -q -1 -o "$MR/p" &&
	basename -a "$MR"/p/*.patch >"$MR/p/series"
} >"$TMP/mr-setup.log" 2>&1
printf '/* umh_complete(), umh.c:4 */\n#ifdef BASE\n/* umh_complete(), umh.c:2 */\n#endif\n' >"$MR/good/umh.pml"
printf '/* umh_complete(), umh.c:2 */\n#ifdef BASE\n/* umh_complete(), umh.c:2 */\n#endif\n' >"$MR/bad/umh.pml"
python3 "$ROOT/scripts/checks/model_refs.py" --tree "$MR/k" --patches "$MR/p" "$MR/good/umh.pml" >"$TMP/mr-good.out" 2>&1
mr_good=$?
python3 "$ROOT/scripts/checks/model_refs.py" --tree "$MR/k" --patches "$MR/p" "$MR/bad/umh.pml" >"$TMP/mr-bad.out" 2>&1
mr_bad=$?
if [[ $mr_good == 0 && $mr_bad == 1 ]] && grep -q '^2 references checked, 0 stale$' "$TMP/mr-good.out" &&
	grep -q '^umh.pml:1: umh_complete is not on series:kernel/umh.c:2 (it is on 4)$' "$TMP/mr-bad.out" &&
	grep -q '^2 references checked, 1 stale$' "$TMP/mr-bad.out"; then
	result 1 "model-refs: a reference moved by a patch is reported with its new line; one under -DBASE is read at the base"
else
	result 0 "model-refs: good rc $mr_good, bad rc $mr_bad ($(head -c 300 "$TMP/mr-bad.out"; head -c 200 "$TMP/mr-setup.log"))"
fi

# 6. boot-verdict
if python3 "$ROOT/scripts/kmodtest/tests/test_boot_verdict.py" >"$TMP/verdict.out" 2>&1; then
	result 1 "boot-verdict: $(grep -o 'Ran [0-9]* tests' "$TMP/verdict.out")"
else
	result 0 "boot-verdict: unit tests failed:"
	sed 's/^/# /' "$TMP/verdict.out"
fi

# 6b. kunit-compare
if python3 "$ROOT/scripts/kmodtest/tests/test_kunit_compare.py" >"$TMP/kcompare.out" 2>&1; then
	result 1 "kunit-compare: $(grep -o 'Ran [0-9]* tests' "$TMP/kcompare.out")"
else
	result 0 "kunit-compare: unit tests failed:"
	sed 's/^/# /' "$TMP/kcompare.out"
fi

# 7. boot-options: each bad command line must fail at once, with a message
# that names what is wrong (and never start a build: the lock is not
# taken, the time is seconds).
bad=
check_refused() {
	local want=$1 out rc
	shift
	out=$(timeout 60 "$ROOT/scripts/boot/boot-test.sh" "$@" 2>&1 </dev/null)
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

# 8. lint: each tool's finding fails lint.sh and is shown; fixed, it passes.
cat >"$TMP/lint-bad.sh" <<'END'
#!/bin/bash
echo $1
END
cat >"$TMP/lint-good.sh" <<'END'
#!/bin/bash
echo "$1"
END
printf 'import os\n' >"$TMP/lint_bad.py"
printf 'import os\nprint(os.sep)\n' >"$TMP/lint_good.py"
why=
for c in "lint-bad.sh lint_good.py SC2086" "lint-good.sh lint_bad.py imported"; do
	read -r sh py want <<<"$c"
	if "$ROOT/scripts/checks/lint.sh" "$TMP/$sh" "$TMP/$py" >"$TMP/lint.out" 2>&1; then
		why+=" $sh + $py passed;"
	elif ! grep -q "$want" "$TMP/lint.out"; then
		why+=" $sh + $py failed without showing '$want';"
	fi
done
"$ROOT/scripts/checks/lint.sh" "$TMP/lint-good.sh" "$TMP/lint_good.py" >"$TMP/lint.out" 2>&1 ||
	why+=" the fixed files failed: $(head -n 2 "$TMP/lint.out" | tr '\n' '|');"
if [[ -z $why ]]; then
	result 1 "lint: a shellcheck and a pyflakes finding each fail lint.sh and are shown"
else
	result 0 "lint:$why"
fi

# 8b. md-links: a link to a heading that is not there, or to a missing
# file, fails md_links.py and is named; the same link to a heading that is
# there passes.
mkdir -p "$TMP/md/doc"
# shellcheck disable=SC2016 # the backquotes are Markdown, not a command
printf '# Top\n\n## Boot tests (`boot-test.sh`)\n\n```\n## not a heading\n```\n' >"$TMP/md/doc/a.md"
printf 'See [x](doc/a.md#boot-tests-boot-testsh) and [y](#top).\n' >"$TMP/md/good.md"
printf 'See [x](doc/a.md#boot-tests-scriptsboot-testsh).\n' >"$TMP/md/bad.md"
printf 'See [x](doc/b.md) and [y](doc/a.md#not-a-heading).\n' >"$TMP/md/gone.md"
printf '# Top\n' >"$TMP/md/top.md"
cat "$TMP/md/good.md" >>"$TMP/md/top.md"
why=
python3 "$ROOT/scripts/checks/md_links.py" "$TMP/md/top.md" >"$TMP/md.out" 2>&1 ||
	why+=" good links failed: $(head -n 1 "$TMP/md.out");"
python3 "$ROOT/scripts/checks/md_links.py" "$TMP/md/bad.md" >"$TMP/md.out" 2>&1 &&
	why+=" a missing heading passed;"
grep -q 'bad.md:1: .*boot-tests-scriptsboot-testsh: no such heading' "$TMP/md.out" ||
	why+=" the missing heading was not named;"
python3 "$ROOT/scripts/checks/md_links.py" "$TMP/md/gone.md" >"$TMP/md.out" 2>&1 &&
	why+=" a missing file passed;"
[[ $(grep -c 'gone.md:1: ' "$TMP/md.out") == 2 ]] ||
	why+=" not both broken links named: $(tr '\n' '|' <"$TMP/md.out");"
if [[ -z $why ]]; then
	result 1 "md-links: a link to a missing heading or file fails md_links.py and is named"
else
	result 0 "md-links:$why"
fi


# 8c. make-knobs: a knob on make's command line reaches the scripts; the
# same knob, or a name the scripts pass one another, exported by the
# user's shell does not.  make -n prints the recipes without running them.
# shellcheck disable=SC2016 # $$ is make's, for the recipe's shell
show='knob-env: ; @echo "ROOT=$${ROOT-unset} SRC=$${SRC-unset} WT=$${WT-unset} RUNS=$${RUNS-unset} BUILD=$${BUILD-unset} KERNEL_SRC=$${KERNEL_SRC-unset}"'
why=
got=$(env ROOT=/nonexistent SRC=/x WT=/x RUNS=7 BUILD=/b KERNEL_SRC=/k \
	make -s -C "$ROOT" --no-print-directory --eval "$show" knob-env 2>&1)
[[ $got == "ROOT=unset SRC=unset WT=unset RUNS=unset BUILD=unset KERNEL_SRC=unset" ]] ||
	why+=" from the environment the scripts got: $got;"
got=$(make -s -C "$ROOT" --no-print-directory --eval "$show" knob-env RUNS=7 BUILD=/b KERNEL_SRC=/k 2>&1)
[[ $got == "ROOT=unset SRC=unset WT=unset RUNS=7 BUILD=/b KERNEL_SRC=/k" ]] ||
	why+=" from the command line the scripts got: $got;"
env RUNS=7 make -n -C "$ROOT" --no-print-directory bench 2>&1 | grep -q -- '--runs' &&
	why+=" an exported RUNS reached bench.sh;"
make -n -C "$ROOT" --no-print-directory bench RUNS=7 2>&1 | grep -q -- 'bench.sh --runs 7' ||
	why+=" RUNS=7 on the command line did not reach bench.sh;"
if [[ -z $why ]]; then
	result 1 "make-knobs: knobs come from make's command line only; the scripts' own names never from the shell"
else
	result 0 "make-knobs:$why"
fi


# --- A small fake kernel tree for the cases below --------------------------

# fake_commit DIR SUBJECT: commit everything in DIR as the team that wrote
# the series, the way the commits in patches/ are signed.
GROUP="Kmod Team <team@example.org>"
fake_commit() {
	git -C "$1" add -A &&
		GIT_AUTHOR_NAME="Kmod Team" GIT_AUTHOR_EMAIL=team@example.org \
		GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
		git -C "$1" commit -q -m "$2" -m "A line of explanation." -m "Signed-off-by: $GROUP"
}

# make_fake_tree DIR: a git tree with the files the series changes, tag
# "base", a stand-in get_maintainer.pl for b4 and the outbox check, and
# the series DIR.patches (two patches, each From: and Signed-off-by:
# $GROUP) with its broken copy DIR.broken, whose second patch does not
# apply.  The tree records the Debian source tree.sh expects, so that
# tree.sh takes it as an existing base.
make_fake_tree() {
	local d=$1 v
	mkdir -p "$d/kernel/module" "$d/scripts" || return 1
	git init -q "$d" || return 1
	printf 'int umh;\n' >"$d/kernel/umh.c"
	printf 'int kmod;\n' >"$d/kernel/module/kmod.c"
	printf '#!/bin/sh\necho "Kmod List <kmod-list@example.org>"\n' >"$d/scripts/get_maintainer.pl"
	chmod +x "$d/scripts/get_maintainer.pl"
	fake_commit "$d" "base" && git -C "$d" tag base || return 1
	printf 'int umh_two;\n' >>"$d/kernel/umh.c"
	fake_commit "$d" "umh: a second int" || return 1
	printf 'int kmod_two;\n' >>"$d/kernel/module/kmod.c"
	fake_commit "$d" "module: kmod: a second int" || return 1
	git -C "$d" format-patch -q -o "$d.patches" base || return 1
	(cd "$d.patches" && ls 0*.patch >series && printf 'The subject\n\nThe text.\n' >cover.txt) || return 1
	git -C "$d" checkout -q --detach base || return 1
	cp -r "$d.patches" "$d.broken"
	sed -i 's/^ int kmod;$/ int kmod_gone;/' "$d.broken"/0002-*.patch
	v=$(grep -v '^\s*\(#\|$\)' "$ROOT/scripts/series/base-version" 2>/dev/null | head -n 1)
	printf 'debian:%s\n' "$v" >"$d/.git/kmod-series-source"
	mkdir -p "$d.other" && git init -q "$d.other" && printf 'not Linux\n' >"$d.other/README" &&
		fake_commit "$d.other" "not a kernel"
}

FAKE=$TMP/fake/tree
if ! make_fake_tree "$FAKE" >"$TMP/fake.log" 2>&1; then
	result 0 "fake-tree: could not make the fake kernel tree: $(tail -n 3 "$TMP/fake.log")"
fi
# What every case runs with: scratch BUILD and TREE, no identity, no
# KERNEL_SRC or BASE from the caller's environment.
mkdir -p "$TMP/home"
: >"$TMP/gitconfig"
CASE_ENV=(-u KERNEL_SRC -u BASE -u KMOD_BASE_VERSION -u KMOD_SPACE_CHECK -u SRC -u GIT_CONFIG_COUNT
	HOME="$TMP/home" GIT_CONFIG_GLOBAL="$TMP/gitconfig" GIT_CONFIG_NOSYSTEM=1
	BUILD="$TMP/case-build" TREE="$TMP/no-tree" PATCHES="$FAKE.patches")

# run_case [VAR=VALUE...] -- COMMAND...: COMMAND with CASE_ENV and those
# variables, at most 20 s; stdout and stderr in $TMP/case.{out,err}.
run_case() {
	local vars=()
	while [[ $1 != -- ]]; do vars+=("$1"); shift; done
	shift
	rm -rf "$TMP/case-build" "$TMP/no-tree"
	env "${CASE_ENV[@]}" "${vars[@]}" timeout 20 "$@" \
		>"$TMP/case.out" 2>"$TMP/case.err" </dev/null
}

# refuses WHAT WORD [VAR=VALUE...] -- COMMAND...: COMMAND must fail, in
# time, with exactly one line on stderr that starts with "error:" or
# "usage:" and contains WORD.
refuses() {
	local what=$1 word=$2 rc n line
	shift 2
	run_case "$@"
	rc=$?
	n=$(grep -c . "$TMP/case.err")
	line=$(head -c 300 "$TMP/case.err" | tr '\n' '|')
	if ((rc == 124)); then
		result 0 "bad-input: $what: still running after 20 s"
	elif ((rc == 0)); then
		result 0 "bad-input: $what: exit status 0${line:+ ($line)}"
	elif ((n != 1)); then
		result 0 "bad-input: $what: $n lines on stderr: $line"
	elif ! grep -qE '^(error|usage): ' "$TMP/case.err" || ! grep -qF -- "$word" "$TMP/case.err"; then
		result 0 "bad-input: $what: not an 'error:' line naming '$word': $line"
	else
		result 1 "bad-input: $what: $line"
	fi
}

S=$ROOT/scripts
# 9. bad-input.  An option without its value (these four looped forever).
refuses "kunit.sh --arch" --arch -- "$S/kunit/kunit.sh" --arch
refuses "bench.sh --runs" --runs -- "$S/bench/bench.sh" --runs
refuses "outbox.sh --version" --version -- "$S/series/outbox.sh" --version
refuses "outbox.sh --prev" --prev -- "$S/series/outbox.sh" --prev
refuses "models.sh -j" -j -- "$S/checks/models.sh" -j
refuses "mutants.sh --only ''" --only -- "$S/checks/mutants.sh" --only ''
refuses "boot_report.py --suffix" --suffix -- python3 "$S/kmodtest" boot_report "$TMP" --suffix
# Values and names that are not what the script takes.
refuses "bench.sh --runs 2x" 2x -- "$S/bench/bench.sh" --runs 2x
refuses "outbox.sh --prev without --version" --prev -- "$S/series/outbox.sh" --prev v1
refuses "kunit.sh with an unknown suite" nosuch -- "$S/kunit/kunit.sh" --arch um nosuch
refuses "JOBS=abc" JOBS JOBS=abc -- "$S/checks/check-series.sh" tip
refuses "PATCHES that does not exist" /nonexistent PATCHES=/nonexistent -- "$S/checks/check-series.sh" apply
refuses "TREE that does not exist" "$TMP/no-tree" -- "$S/checks/check-series.sh" tip
refuses "kmodtest with an unknown module" bogus -- python3 "$S/kmodtest" bogus
refuses "kunit_compare.py without results" usage -- python3 "$S/kmodtest" kunit_compare
refuses "kunit_compare.py with missing results" /nonexistent -- python3 "$S/kmodtest" kunit_compare /nonexistent /nonexistent
refuses "bench_report.py --bogus" usage -- python3 "$S/kmodtest" bench_report --bogus "$TMP"
refuses "boot_report.py without kernels" usage -- python3 "$S/kmodtest" boot_report "$TMP"
refuses "boot_report.py with a missing directory" /nonexistent -- python3 "$S/kmodtest" boot_report /nonexistent base
refuses "boot_verdict.py with an unknown kernel" patched -- python3 "$S/kmodtest" boot_verdict --log /dev/null \
	--console /dev/null --kernel patched --flavour small --scenarios "$S/boot/scenarios"
refuses "boot_verdict.py with a missing log" /nonexistent -- python3 "$S/kmodtest" boot_verdict --log /nonexistent \
	--console /dev/null --kernel series --flavour small --scenarios "$S/boot/scenarios"
refuses "models.sh -j abc" abc -- "$S/checks/models.sh" -j abc
refuses "models.sh with a filter that matches nothing" nosuchmodel -- "$S/checks/models.sh" nosuchmodel
refuses "mutants.sh with an unknown mutant" nosuchmutant -- "$S/checks/mutants.sh" --only nosuchmutant
refuses "check-series.sh with an unknown check" bogus -- "$S/checks/check-series.sh" bogus
refuses "test-checks.sh with an unknown case" bogus -- "$S/checks/test-checks.sh" bogus
refuses "lint.sh with a missing file" /nonexistent -- "$S/checks/lint.sh" /nonexistent
refuses "kconfig.sh without a source tree" "$TMP/no-tree" -- "$S/lib/kconfig.sh" "$TMP/od" "$ROOT/configs/check.config"
# Arguments to scripts that take none, or not those.
refuses "tree.sh --bogus" --bogus TREE="$FAKE" -- "$S/series/tree.sh" --bogus
for s in demo deps series/regen series/base-variant kunit/kunit-unpatched check boot/boot-plant; do
	refuses "${s##*/}.sh with an argument" extra TREE="$FAKE" -- "$S/$s.sh" extra
done
refuses "check.sh --debug with another argument" extra TREE="$FAKE" -- "$S/check.sh" --debug extra
refuses "boot-plant.sh with an unknown flavour" kcsan TREE="$FAKE" -- "$S/boot/boot-plant.sh" kcsan
# A base-variant shim that no longer makes the changes of the series
# patch it stands for.
mkdir -p "$TMP/stale-root"
cp -r "$ROOT/kunit" "$TMP/stale-root/"
sed -i 's/^+static bool umh_disabled(void)$/+static bool umh_disabled_old(void)/' \
	"$TMP/stale-root/kunit/base-variant-umh-seams.patch"
refuses "base-variant.sh with a stale shim" base-variant-umh-seams.patch \
	ROOT="$TMP/stale-root" PATCHES="$ROOT/patches" TREE="$FAKE" -- "$S/series/base-variant.sh"
refuses "fresh-check.sh --bogus" --bogus -- "$S/fresh-check.sh" --bogus
refuses "rebase.sh --bogus" --bogus -- "$S/series/rebase.sh" --bogus
# A KERNEL_SRC or BASE that is wrong.
refuses "KERNEL_SRC that does not exist" /nonexistent KERNEL_SRC=/nonexistent -- "$S/series/tree.sh" --base
refuses "KERNEL_SRC that is no git tree" "$TMP/home" KERNEL_SRC="$TMP/home" -- "$S/series/tree.sh" --base
refuses "KERNEL_SRC that is not Linux" kernel/umh.c KERNEL_SRC="$FAKE.other" -- "$S/series/tree.sh" --base
refuses "BASE that is not a ref" nosuchref KERNEL_SRC="$FAKE" BASE=nosuchref -- "$S/series/tree.sh" --base
refuses "BASE without KERNEL_SRC" KERNEL_SRC TREE="$FAKE" BASE=v6.13 -- "$S/series/tree.sh" --base
refuses "make rebase onto a tree that is not Linux" kernel/umh.c KERNEL_SRC="$FAKE.other" -- "$S/series/rebase.sh"
# A program that is missing, or installed where PATH does not look.
# shellcheck disable=SC2016  # expanded by the inner bash
refuses "a missing program" "run 'make deps'" \
	-- bash -c '. "$1"; need_cmd kmod-no-such-program kmod-no-such-package' _ "$S/lib/lib.sh"
# shellcheck disable=SC2016  # expanded by the inner bash
refuses "a program off PATH whose package is installed" "although package bash is installed" \
	-- bash -c '. "$1"; need_cmd kmod-no-such-program bash' _ "$S/lib/lib.sh"
# The base: a linux-source-6.12 other than the one the project records,
# and a disk with less room than a step needs.
refuses "another linux-source-6.12 than scripts/series/base-version" 0.0-other \
	KMOD_BASE_VERSION=0.0-other -- "$S/series/tree.sh" --base
# shellcheck disable=SC2016  # expanded by the inner bash
refuses "a disk with too little room" "needs about 100000 GB" \
	-- bash -c '. "$1"; need_space "$2" 100000 "a test"' _ "$S/lib/lib.sh" "$TMP"

# A user's PATH on Debian lacks the sbin directories, where capsh and
# depmod are: lib.sh adds them.
# shellcheck disable=SC2016  # expanded by the inner bash
found=$(env PATH=/usr/local/bin:/usr/bin:/bin bash -c '. "$1"; command -v capsh depmod' _ "$S/lib/lib.sh" 2>&1)
if (($(grep -c '^/.*sbin/' <<<"$found") == 2)); then
	result 1 "sbin-path: with a user's PATH, the scripts find $(paste -sd' ' <<<"$found")"
else
	result 0 "sbin-path: with a user's PATH, the scripts do not find capsh and depmod: $(paste -sd' ' <<<"$found")"
fi

# 10. no-apply: each must fail and show the patch and git am's reason.
shows_apply_error() {
	local what=$1
	shift
	run_case TREE="$FAKE" PATCHES="$FAKE.broken" GIT_CONFIG_COUNT=2 \
		GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Pat Poster" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=pat@example.org -- "$@"
	local rc=$?
	if ((rc == 0 || rc == 124)); then
		result 0 "no-apply: $what: exit status $rc on a series that does not apply"
	elif ! grep -q '^FAIL: 0002-.*: apply' "$TMP/case.err"; then
		result 0 "no-apply: $what: no 'FAIL: 0002-...: apply' line on stderr: $(tail -n 2 "$TMP/case.err" | tr '\n' '|')"
	elif ! grep -qE 'patch does not apply|patch failed' "$TMP/case.err"; then
		result 0 "no-apply: $what: git am's error is not shown"
	else
		result 1 "no-apply: $what shows the patch and git am's error"
	fi
}
shows_apply_error "kunit.sh --series" "$S/kunit/kunit.sh" --series --arch um
shows_apply_error "demo.sh" "$S/demo.sh"
shows_apply_error "outbox.sh" "$S/series/outbox.sh"
shows_apply_error "mutants.sh" "$S/checks/mutants.sh"

# 11. outbox-identity: no posting without an identity; with one, every patch
# is From: and Signed-off-by: it, and no longer the commits' author's.
refuses "outbox-identity: outbox.sh without git user.name and user.email" user.name \
	TREE="$FAKE" -- "$S/series/outbox.sh"
run_case TREE="$FAKE" GIT_CONFIG_COUNT=2 \
	GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Pat Poster" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=pat@example.org -- "$S/series/outbox.sh"
rc=$?
mapfile -t mails < <(find "$TMP/case-build/outbox" -name '*.eml' 2>/dev/null | sort)
why=
((rc == 0)) || why+=" outbox.sh failed ($rc): $(tail -n 2 "$TMP/case.err" | tr '\n' '|');"
((${#mails[@]} == 3)) || why+=" ${#mails[@]} emails instead of 3;"
for m in "${mails[@]:1}"; do
	grep -qx 'From: Pat Poster <pat@example.org>' "$m" || why+=" ${m##*/} is not From: the poster;"
	grep -qx 'Signed-off-by: Pat Poster <pat@example.org>' "$m" || why+=" ${m##*/} lacks the poster's Signed-off-by;"
	grep -qF 'team@example.org' "$m" && why+=" ${m##*/} still names the author of patches/;"
done
if [[ -z $why ]]; then
	result 1 "outbox-identity: the emails are From: and Signed-off-by: git's user.name and user.email"
else
	result 0 "outbox-identity:$why"
fi

printf '1..%d\n' "$_tap_num"
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
