#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark: the unpatched and the patched kernel, same config
# (configs/check.config) and same QEMU settings, booted alternately
# (base, series, base, series, ...) RUNS times each (default 3), running
# the "bench" scenarios of scripts/boot/init.sh under QEMU with -icount,
# then one more boot of each that runs the real modprobe storms
# (real_modprobe: 50 to 2000 callers of one test module or of 2000 copies
# of it, loaded by kmod's own modprobe), and one boot of each kernel built
# with CONFIG_LOCK_STAT (scenario lock_hold: the time under the throttle's
# lock as the queue grows, and for a caller 1000 processes deep).
#
#   bench.sh [--runs N] [--sweep]
#   bench.sh --quick
#   bench.sh --publish
#
# --quick, for make demo: one boot of each kernel, and storms of kmod's
# modprobe up to 200 callers, and no lockstat boots (whose kernels would be
# two more builds); the target table judges those.  About 7 minutes of
# boots instead of 24.
#
# --sweep adds the scaling sweep (N callers for one name, and N callers for
# N names, N = 50 ... 2000) to every boot, one more boot of each kernel
# with -smp 8 that runs only the sweep, and two boots of each debug kernel
# (the boot tests' build/boot/o-{base,series}-debug, which have test_kmod
# and the file systems of the kselftest configuration as modules): one
# loads xfs and btrfs through kmod's modprobe (scenario real_fs), one
# times upstream's kmod.sh tests 0008 and 0009 at their full counts.
#
# Output: the table on the terminal, build/bench/results.{md,json}, and
# build/bench/kill_refill.png (live modprobes over time while 50 killed
# callers are followed by 50 new ones, both kernels); with --sweep also
# build/bench/sweep.{md,png}, sweep-smp8.{md,png} and kselftest.md.  The
# kernels are the boot tests' small ones (build/boot/base/o-check, build/o-check),
# built once and reused.
#
# --publish boots nothing: it copies the last run's build/bench/results.json
# to Documentation/bench/ and its plots to Documentation/img/, and rewrites
# the benchmark's tables in README.md and Documentation/results.md from
# that JSON (scripts/kmodtest/bench_docs.py), for a commit.
. "$(dirname "$0")/../lib/lib.sh"

USAGE="bench.sh [--runs N] [--sweep] | bench.sh --quick | bench.sh --publish"
runs=${RUNS:-3}
sweep=
publish=
quick=
while (($#)); do
	case $1 in
	--runs) need_value "$@"; runs=$2; shift 2 ;;
	--sweep) sweep=1; shift ;;
	--quick) quick=1; shift ;;
	--publish) publish=1; shift ;;
	*) die "unknown argument '$1'; usage: $USAGE" ;;
	esac
done
need_number "--runs (RUNS)" "$runs"
real_append='' title="make bench"
if [[ -n $quick ]]; then
	[[ -z $sweep ]] || die "--quick and --sweep exclude each other; usage: $USAGE"
	# One boot of each kernel; the storms of kmod's modprobe stop at 200.
	runs=1 real_append="boot_test.real_max=200" title="make demo (bench.sh --quick)"
fi

if [[ -n $publish ]]; then
	json=$BUILD/bench/results.json
	[[ -f $json ]] || die "no $json: run make bench first"
	mkdir -p "$ROOT/Documentation/bench" "$ROOT/Documentation/img"
	cp "$json" "$ROOT/Documentation/bench/results.json"
	for p in "$BUILD"/bench/*.png; do
		[[ -f $p ]] && cp "$p" "$ROOT/Documentation/img/"
	done
	exec python3 "$ROOT/scripts/kmodtest" bench_docs "$ROOT/Documentation/bench/results.json" \
		"$ROOT/README.md" "$ROOT/Documentation/results.md"
fi

T0=$(date +%s)
# build/bench holds this run's results only, and the report reads no
# lockstat boot of an earlier run (a quick run has none of its own).
rm -rf "$BUILD/bench"
rm -f "$BUILD"/boot/{base,series}-lockstat-[0-9]*.{log,console,qemu}
if [[ -n $sweep ]]; then
	export BOOT_APPEND="boot_test.sweep=1"
	stage "benchmark with the scaling sweep: $runs boots of each kernel, alternating"
else
	export BOOT_APPEND=
	stage "benchmark: $runs boots of each kernel, alternating"
fi
"$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour bench --runs "$runs"
rc=$?
stage_result "$rc"
# Kernel modules loaded by kmod's modprobe (scenario real_modprobe): counts
# and guest times that do not vary between boots, and ten minutes of each
# boot, so one boot per kernel, not $runs.
stage "real modprobe storms (${quick:+up to 200 of }2000 copies of a test module): one boot of each kernel"
r=0
BOOT_APPEND=$real_append "$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour bench --tag real \
	--only real_modprobe || r=1
stage_result "$r"
((r == 0)) || rc=1
if [[ -z $quick ]]; then
	# Time under the throttle's lock: the lockstat kernels (lockdep's
	# statistics) differ from the others, so a boot of each of their own.
	stage "time under the throttle's lock (CONFIG_LOCK_STAT kernels): one boot of each kernel"
	r=0
	BOOT_APPEND='' "$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour lockstat || r=1
	stage_result "$r"
	((r == 0)) || rc=1
fi
if [[ -n $sweep ]]; then
	# The same-name and distinct-name series again with 8 vCPUs: does the
	# result depend on how many CPUs race?
	stage "scaling sweep with -smp 8: one boot of each kernel"
	r=0
	"$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour bench --smp 8 \
		--only sweep || r=1
	stage_result "$r"
	((r == 0)) || rc=1
	# Real modules of the kernel through kmod's modprobe: the debug kernels
	# have the kselftest configuration's file systems as modules.
	stage "real modules (xfs, btrfs) through kmod's modprobe: one boot of each debug kernel"
	r=0
	"$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour debug --tag real \
		--only real_fs || r=1
	stage_result "$r"
	((r == 0)) || rc=1
	# kmod.sh 0008/0009: 58 and 62 threads asking for one module, 150
	# rounds.  Only the debug kernels have test_kmod and the filesystems
	# 0009 asks for.  The unpatched kernel takes long: a larger timeout.
	stage "kselftest kmod 0008 and 0009, full counts: one boot of each debug kernel"
	r=0
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-7200} BOOT_APPEND="boot_test.kselftest_only=0008,0009" \
		"$ROOT/scripts/boot/boot-test.sh" --kernels "base series" --flavour debug --tag kmod \
		--only kselftest --kselftest full || r=1
	stage_result "$r"
	((r == 0)) || rc=1
fi

mkdir -p "$BUILD/bench"
python3 "$ROOT/scripts/kmodtest" bench_report ${sweep:+--sweep} --title "$title" "$BUILD/boot" "$BUILD/bench" || rc=1
printf '\nresults: %s/bench/  total time: %s\n' "$BUILD" "$(fmt_secs $(($(date +%s) - T0)))"
exit $rc
