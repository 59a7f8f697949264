#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot tests: boot the unpatched and/or the patched kernel under QEMU
# (TCG) and run the request_module() scenarios of scripts/boot/init.sh.
#
#   boot-test.sh [--kernels "base series"] [--flavour small|debug|kcsan|bench|lockstat]
#                [--only SCENARIO,...] [--runs N] [--kselftest reduced|full]
#                [--smp N] [--tag NAME] [--expect-unpatched] [--plant SCENARIO]
#
# --kernels: "base", "series" or both (separated by a space or a comma).
# --expect-unpatched: the unpatched kernel must fail exactly the scenarios
# that scripts/boot/fails-unpatched lists for the flavour, and pass the
# others (regression guards); without it, its verdicts are only reported.
# --series-src DIR: the "series" kernel is built from the worktree DIR,
# as it is, into DIR/../o-<name of DIR>[-debug] (scripts/checks/mutants.sh
# boots its mutants so; DIR is best named "check", for ccache).
# --plant: the negative test of the report scan: a test module WARNs while
# SCENARIO runs, and the run passes only if every boot fails for that
# report alone, blamed on SCENARIO.
#
# --smp: vCPUs of the guest (default 2; the kernels allow up to 8); other
# than 2, it is part of the log names (<kernel><sfx>-smpN-<run>.log).
# --tag: a word added to the log names (<kernel><sfx>-NAME-<run>.log), so
# that a special run does not replace the logs of the usual one.
#
# Flavours (fragments merged onto tinyconfig by scripts/lib/kconfig.sh):
#   small  configs/check.config, the config of the series checks: the storm,
#          kill, nowait, modprobe_path and module-loads-module scenarios.
#   debug  configs/check.config + kselftest.config + debug.config: KASAN,
#          lockdep, kmemleak, debug objects, hung task, fault injection,
#          suspend and test_kmod; adds a freeze in a storm, allocation faults
#          in a storm, upstream's kmod selftest, and a final kmemleak scan;
#          the KUnit suites run at boot, before the scenarios.
#   kcsan  configs/check.config + kcsan.config: the data race detector
#          (which excludes KASAN) with lockdep: the small flavour's
#          scenarios, and the KUnit suites at boot.
#   bench  the small kernels, QEMU with -icount: the benchmark's scenarios
#          (scripts/bench/bench.sh).
#   lockstat  configs/check.config + lockstat.config (CONFIG_LOCK_STAT,
#          which brings lockdep), QEMU with -icount: the benchmark's time
#          under the throttle's lock (scenario lock_hold).
# Both kernels of a flavour differ only by the series and their
# LOCALVERSION (-kmod-base, -kmod-series).  "series" is base plus patches/ as
# committed, built from the worktree of scripts/checks/check-series.sh
# (build/check); the small one reuses its build directory (build/o-check).
# "base" is built from a worktree at the tag base (build/boot/base/check).
# Build directories (kept, incremental): build/o-check{,-debug} for the
# patched kernels, build/boot/base/o-check{,-debug} for the unpatched ones.
# Each lies beside its sources as build/o-check lies beside build/check,
# so that the compiler sees the same relative paths for the two kernels
# and ccache (base directory build/) serves every object that the series
# does not change from what the other kernel, or the base step of
# "check-series.sh build", compiled.
#
# Each kernel gets its own initramfs: busybox-static, kmod's tools
# (modprobe, insmod, rmmod, lsmod, depmod) with their libraries, bash and
# capsh, the kernel's modules (modules_install + depmod), the test modules
# of scripts/boot/modules built against it, upstream's kmod selftest, the
# stand-in modprobe (scripts/boot/fake-modprobe.c) and the scenario script.
# Console logs: build/boot/<kernel>[-debug]-<run>.log; results:
# build/boot/results[-debug].{md,json}.
#
# The kernel boots with ignore_loglevel, so that every message reaches the
# console, and /init writes on a second serial port of its own (the log
# above); at the end of each scenario it adds the kernel log of that
# scenario and the taint flags.  scripts/kmodtest/boot_verdict.py then fails a
# boot on a missing end marker, a plan or verdicts other than the scenarios
# asked for (scripts/boot/scenarios), any kernel report (WARNING, BUG,
# Oops, KASAN, KCSAN, lockdep, RCU stall, hung task, kmemleak...) or taint,
# each named with the scenario it happened in, and on a scenario that
# failed on the patched kernel (and, with --expect-unpatched, a verdict of
# the unpatched kernel other than the listed one).
. "$(dirname "$0")/../lib/lib.sh"

kernels="base series"
flavour=small
only=
nruns=1
kselftest=reduced
smp=2
tag=
expect=
plant=
series_src=
usage="usage: boot-test.sh [--kernels \"base series\"] [--flavour small|debug|kcsan|bench|lockstat] [--only S,...] [--runs N] [--kselftest reduced|full] [--smp N] [--tag NAME] [--expect-unpatched] [--plant S]"
while (($#)); do
	case $1 in
	--expect-unpatched) expect=$ROOT/scripts/boot/fails-unpatched; shift; continue ;;
	--kernels | --flavour | --only | --runs | --kselftest | --smp | --tag | --plant | --series-src)
		(($# >= 2)) || die "boot-test.sh: $1 needs a value"
		;;
	*) die "boot-test.sh: unknown option $1; $usage" ;;
	esac
	case $1 in
	--kernels) kernels=${2//,/ } ;;
	--flavour) flavour=$2 ;;
	--only) only=$2 ;;
	--runs) nruns=$2 ;;
	--kselftest) kselftest=$2 ;;
	--smp) smp=$2 ;;
	--tag) tag=$2 ;;
	--plant) plant=$2 ;;
	--series-src) series_src=$(realpath -m "$2") ;;
	esac
	shift 2
done
[[ $nruns =~ ^[1-9][0-9]*$ ]] || die "boot-test.sh: --runs must be a positive number, not '$nruns'"
for k in $kernels; do
	[[ $k == base || $k == series ]] || die "boot-test.sh: unknown kernel '$k' (base or series)"
done
[[ -n $kernels ]] || die "boot-test.sh: --kernels names no kernel"
# FRAGS: the kernel's config fragments; ksfx: the suffix of its build
# directory and initramfs; sfx: the suffix of the console logs and results.
QEMU_EXTRA=()
case $flavour in
small) FRAGS=("$ROOT/configs/check.config") ksfx='' sfx='' ;;
debug) FRAGS=("$ROOT/configs/check.config" "$ROOT/configs/kselftest.config" "$ROOT/configs/debug.config") ksfx=-debug sfx=-debug ;;
kcsan) FRAGS=("$ROOT/configs/check.config" "$ROOT/configs/kcsan.config") ksfx=-kcsan sfx=-kcsan ;;
bench)
	# The small kernels; the guest clock counts instructions (1 ns each)
	# and skips idle time, so that timings compare work, not host noise.
	FRAGS=("$ROOT/configs/check.config") ksfx='' sfx=-bench
	QEMU_EXTRA=(-icount 'shift=0,sleep=off')
	;;
lockstat)
	# The small kernel with CONFIG_LOCK_STAT, for the benchmark's time
	# under the throttle's lock; the guest clock as the bench flavour's.
	FRAGS=("$ROOT/configs/check.config" "$ROOT/configs/lockstat.config") ksfx=-lockstat sfx=-lockstat
	QEMU_EXTRA=(-icount 'shift=0,sleep=off')
	;;
*) die "boot-test.sh: unknown flavour '$flavour' (small, debug, kcsan, bench or lockstat)" ;;
esac
[[ $kselftest == reduced || $kselftest == full ]] ||
	die "boot-test.sh: --kselftest must be reduced or full, not '$kselftest'"
[[ $smp =~ ^[1-8]$ ]] || die "boot-test.sh: --smp must be 1 to 8, not '$smp'"
((smp == 2)) || sfx+=-smp$smp
# A tag keeps the logs of a special run (bench.sh's kmod.sh timing) apart.
[[ -z $tag || $tag =~ ^[a-z0-9]+$ ]] || die "boot-test.sh: --tag must be lower-case letters and digits, not '$tag'"
SCENARIO_FILE=$ROOT/scripts/boot/scenarios
# What --only may name, and what each boot must run: an unknown name is an
# error here, not a boot that runs nothing and passes.
sweep=
[[ ${BOOT_APPEND:-} == *boot_test.sweep=1* ]] && sweep=--sweep
plan=$(python3 "$ROOT/scripts/kmodtest" boot_verdict --list-plan --log /dev/null --console /dev/null \
	--kernel series --flavour "$flavour" --scenarios "$SCENARIO_FILE" --only "$only" \
	${plant:+--plant "$plant"} $sweep) || exit 1
[[ -n $plan ]] || die "boot-test.sh: no scenario to run"
[[ -n $tag ]] && sfx+=-$tag

BOOT=$BUILD/boot
mkdir -p "$BOOT"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-1800}

# source_of KERNEL: a worktree with the kernel's sources checked out.
source_of() {
	local dir
	case $1 in
	base)
		dir=$BOOT/base/check
		ensure_worktree "$dir"
		if [[ $(git -C "$dir" rev-parse HEAD) != $(tgit rev-parse 'base^{commit}') ]]; then
			reset_worktree "$dir" base
		fi
		echo "$dir"
		;;
	series)
		if [[ -n $series_src ]]; then
			[[ -f $series_src/Makefile && -f $series_src/kernel/umh.c ]] ||
				die "boot-test.sh: --series-src $series_src is not a kernel tree"
			echo "$series_src"
			return
		fi
		# check-series.sh leaves its worktree at the tip of the series.
		"$ROOT/scripts/checks/check-series.sh" tip >&2 || die "patches/ does not apply"
		echo "$BUILD/check"
		;;
	*) die "unknown kernel $1 (base or series)" ;;
	esac
}

# odir_of KERNEL: its build directory.
odir_of() {
	case $1 in
	base) echo "$BOOT/base/o-check$ksfx" ;;
	series)
		if [[ -n $series_src ]]; then
			echo "$(dirname "$series_src")/o-$(basename "$series_src")$ksfx"
		else
			echo "$BUILD/o-check$ksfx"
		fi
		;;
	esac
}

# build_kernel KERNEL SRC: builds it from SRC, with its modules and the test
# modules, installs them into build/boot/root-KERNEL<ksfx>, and prints the
# path of its bzImage.
# shellcheck disable=SC2317  # called through with_build_lock
build_kernel() {
	local k=$1 src=$2 odir t0 mode=--strict root ext rel log rc
	odir=$(odir_of "$k")
	root=$BOOT/root-$k$ksfx ext=$BOOT/extmod-$k$ksfx log=$BOOT/build-$k$ksfx.log
	# The base lacks the KUnit options the series adds to the fragment.
	[[ $k == base ]] && mode=--allow-undefined
	# Before the build, not after it: depmod is in /sbin.
	need_cmd depmod kmod
	t0=$(date +%s)
	info "boot-test: building the $k kernel ($flavour) in $odir (first build: 7 to 20 minutes)"
	SRC=$src "$ROOT/scripts/lib/kconfig.sh" "$mode" "$odir" "${FRAGS[@]}" >&2 ||
		die "configuration of the $k kernel failed"
	heartbeat_start "$odir" "the $k kernel ($flavour)"
	SRC=$src kmake "$odir" LOCALVERSION="-kmod-$k" bzImage modules >"$log" 2>&1
	rc=$?
	heartbeat_stop
	((rc == 0)) || { tail -n 30 "$log" >&2; die "build of the $k kernel failed (log: $log)"; }
	rel=$(cat "$odir/include/config/kernel.release")
	rm -rf "$root" "$ext"
	mkdir -p "$root" "$ext"
	cp "$ROOT"/scripts/boot/modules/{Kbuild,*.c,*.h} "$ext/"
	{
		SRC=$src kmake "$odir" LOCALVERSION="-kmod-$k" INSTALL_MOD_PATH="$root" \
			INSTALL_MOD_STRIP=1 DEPMOD=true modules_install &&
			SRC=$src kmake "$odir" M="$ext" modules &&
			SRC=$src kmake "$odir" M="$ext" INSTALL_MOD_PATH="$root" \
				INSTALL_MOD_STRIP=1 DEPMOD=true modules_install &&
			depmod -b "$root" -F "$odir/System.map" "$rel"
	} >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "modules of the $k kernel failed (log: $log)"; }
	info "boot-test: $k kernel $rel ready after $(($(date +%s) - t0))s"
	echo "$odir/arch/x86/boot/bzImage"
}

# cpio_tree DIR PREFIX: gen_init_cpio lines for the files under DIR, placed
# under PREFIX in the initramfs.
cpio_tree() {
	local dir=$1 prefix=$2 p
	while IFS= read -r p; do
		if [[ -d $dir/$p ]]; then
			echo "dir $prefix/$p 755 0 0"
		else
			echo "file $prefix/$p $dir/$p 644 0 0"
		fi
	done < <(cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | sort)
}

# host_program PATH DEST: a gen_init_cpio line for a host program, and lines
# for the shared libraries it needs (the same path as on the host).
host_program() {
	local prog=$1 dest=$2 lib
	echo "file $dest $(readlink -f "$prog") 755 0 0"
	while read -r lib; do
		echo "file $lib $(readlink -f "$lib") 755 0 0"
	done < <(ldd "$prog" | grep -oE '/[^ ]+\.so[^ ]*')
}

# bench_root KERNEL: the benchmark's module tree, build/boot/root-KERNEL-bench:
# the kernel's (hard links), with kmodt_real copied into kmodt_0001 ...
# kmodt_2000 (scripts/boot/clone-module.py) and depmod run again.  Only the
# benchmark's initramfs carries these 2000 modules.
bench_root() {
	local k=$1 root=$BOOT/root-$1-bench rel tmpl
	rel=$(cat "$(odir_of "$k")/include/config/kernel.release")
	rm -rf "$root"
	cp -al "$BOOT/root-$k" "$root"
	# depmod's output replaces the hard links, which it would write through;
	# its inputs are copied back from the kernel's own tree.
	rm -f "$root/lib/modules/$rel"/modules.*
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		if [[ -f $BOOT/root-$k/lib/modules/$rel/$f ]]; then
			cp "$BOOT/root-$k/lib/modules/$rel/$f" "$root/lib/modules/$rel/"
		fi
	done
	tmpl=$(find "$root/lib/modules/$rel" -name kmodt_real.ko | head -n 1)
	[[ -n $tmpl ]] || die "no kmodt_real.ko among the $k kernel's modules"
	python3 "$ROOT/scripts/boot/clone-module.py" "$tmpl" "$root/lib/modules/$rel/bench" 2000 >/dev/null ||
		die "cannot copy kmodt_real.ko for the benchmark"
	depmod -b "$root" -F "$(odir_of "$k")/System.map" "$rel" ||
		die "depmod of the $k kernel's benchmark modules failed"
	echo "$root"
}

# build_initramfs GEN_INIT_CPIO KERNEL SRC: build/boot/initramfs-KERNEL<ksfx>.cpio
# (-bench added for the benchmark, whose modules differ)
build_initramfs() {
	local gen=$1 k=$2 src=$3 isfx=$ksfx root=$BOOT/root-$2$ksfx bb a list
	if [[ $flavour == bench ]]; then
		isfx+=-bench
		root=$(bench_root "$k") || exit 1
	fi
	list=$BOOT/initramfs-$k$isfx.list
	need_cmd busybox busybox-static
	bb=$(command -v busybox)
	ldd "$bb" >/dev/null 2>&1 && die "$bb is not statically linked (install busybox-static)"
	need_cmd kmod kmod
	need_cmd bash bash
	need_cmd capsh libcap2-bin
	gcc -static -O2 -Wall -Werror -pthread -o "$BOOT/fake-modprobe" "$ROOT/scripts/boot/fake-modprobe.c" ||
		die "cannot build the stand-in modprobe (static glibc: libc6-dev)"
	{
		printf 'dir /%s 755 0 0\n' dev proc sys run mnt tmp bin sbin lib lib64 \
			lib/x86_64-linux-gnu usr usr/lib usr/lib/x86_64-linux-gnu kselftest kselftest/kmod \
			etc etc/boot-test
		echo "file /etc/boot-test/scenarios $SCENARIO_FILE 644 0 0"
		echo "nod /dev/console 600 0 0 c 5 1"
		echo "file /bin/busybox $bb 755 0 0"
		# kmod's tools, not busybox's, answer to these names.
		for a in $("$bb" --list); do
			case $a in
			busybox | bash | modprobe | insmod | rmmod | lsmod | depmod | modinfo) continue ;;
			esac
			echo "slink /bin/$a busybox 777 0 0"
		done
		host_program "$(command -v kmod)" /bin/kmod
		for a in modprobe insmod rmmod lsmod depmod modinfo; do
			echo "slink /sbin/$a ../bin/kmod 777 0 0"
		done
		host_program "$(command -v bash)" /bin/bash
		host_program "$(command -v capsh)" /sbin/capsh
		echo "file /sbin/fake-modprobe $BOOT/fake-modprobe 755 0 0"
		for a in other-modprobe umh-true umh-false thread-exec counted-modprobe; do
			echo "slink /sbin/$a fake-modprobe 777 0 0"
		done
		for a in mono not-blocked sched-idle fork-chain; do
			echo "slink /bin/$a ../sbin/fake-modprobe 777 0 0"
		done
		echo "file /kselftest/kmod/kmod.sh $src/tools/testing/selftests/kmod/kmod.sh 755 0 0"
		echo "file /kselftest/kmod/config $src/tools/testing/selftests/kmod/config 644 0 0"
		echo "file /init $ROOT/scripts/boot/init.sh 755 0 0"
		cpio_tree "$root/lib" /lib
	} | awk '!seen[$2]++' >"$list"
	"$gen" "$list" >"$BOOT/initramfs-$k$isfx.cpio" || die "gen_init_cpio failed"
	echo "$BOOT/initramfs-$k$isfx.cpio"
}

# boot KERNEL RUN BZIMAGE INITRAMFS: boots, writes the two logs, checks them.
boot() {
	local k=$1 run=$2 img=$3 initrd=$4 log=$BOOT/$1$sfx-$2.log rc t0 bad=0 append
	local console=${log%.log}.console
	# Every message on the console, whatever its level; a log buffer that
	# holds the whole boot (the debug kernel with its KUnit suites) until
	# /init reads it.
	append="console=ttyS0 panic=-1 ignore_loglevel log_buf_len=16M rdinit=/init"
	append+=" boot_test.flavour=$flavour boot_test.kselftest=$kselftest boot_test.kernel=$k"
	# The patched debug and kcsan kernels run the KUnit suites built into
	# them before /init (KASAN reporting every finding, not only the
	# first); the small one only the scenarios, and so does a run with a
	# planted report, which tests the scan, not the suites.
	if [[ $flavour != @(debug|kcsan) || $k != series || -n $plant ]]; then
		append+=" kunit.enable=0"
	elif [[ $flavour == debug ]]; then
		append+=" kasan_multi_shot"
	fi
	[[ -n $only ]] && append+=" boot_test.only=$only"
	[[ -n $plant ]] && append+=" boot_test.plant=$plant"
	# More arguments from the caller (scripts/bench/bench.sh).
	[[ -n ${BOOT_APPEND:-} ]] && append+=" $BOOT_APPEND"
	t0=$(date +%s)
	info "boot-test: booting the $k kernel (run $run), log $log, console $console"
	# The console on the first serial port, /init's output on the second.
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -m 1024 -smp "$smp" "${QEMU_EXTRA[@]}" \
		-display none -monitor none -no-reboot \
		-serial "file:$console" -serial "file:$log" \
		-kernel "$img" -initrd "$initrd" -append "$append" \
		</dev/null >"$BOOT/$k$sfx-$run.qemu" 2>&1
	rc=$?
	info "boot-test: $k run $run finished in $(($(date +%s) - t0))s"
	if ((rc == 124)); then
		msg "FAIL: $k: QEMU timed out after ${QEMU_TIMEOUT}s"
		bad=1
	fi
	python3 "$ROOT/scripts/kmodtest" boot_verdict --log "$log" --console "$console" \
		--kernel "$k" --flavour "$flavour" --scenarios "$SCENARIO_FILE" \
		--only "$only" $sweep ${expect:+--expect "$expect"} ${plant:+--plant "$plant"} ||
		bad=1
	if [[ $flavour == @(debug|kcsan) && $k == series && -z $plant ]]; then
		check_kunit "$log" "$k" "${src_of[series]}" || bad=1
	fi
	sed -n '/^BOOT-TEST-BEGIN/,$p' "$log" | grep -aE '^(ok|not ok) [0-9]+ |^# RESULT ' |
		sed "s/^/  [$k] /" >&2
	return $bad
}

# check_kunit LOG KERNEL SRC: the KUnit suites built into the kernel ran
# before /init, which printed their debugfs results (one KTAP document per
# suite) between "# KUNIT-SUITE-BEGIN <suite>" and "# KUNIT-SUITE-END".
# Each is parsed by SRC's kunit.py into its JSON: every suite under kunit/
# must be there, with every case passed and none skipped.
check_kunit() {
	local log=$1 k=$2 src=$3 out suite bad=0 cfg verdict passed
	for cfg in $(cd "$ROOT/kunit" && grep -ho '^CONFIG_[A-Z_]*KUNIT_TEST' ./*/.kunitconfig); do
		grep -q "^${cfg}=y" "$(odir_of "$k")/.config" ||
			{ msg "FAIL: $k: $cfg is not built in"; bad=1; }
	done
	for suite in $(kunit_suites_of "$src"); do
		out=${log%.log}.kunit-$suite
		rm -f "$out.json"
		tr -d '\r' <"$log" | awk -v s="$suite" '$0 == "# KUNIT-SUITE-BEGIN " s { on = 1; next }
			/^# KUNIT-SUITE-END/ { on = 0 } on' |
			python3 "$src/tools/testing/kunit/kunit.py" parse --json="$out.json" >"$out" 2>&1
		passed=1
		verdict=$(python3 "$ROOT/scripts/kmodtest" kunit_compare --check "$out.json" 2>&1) || passed=0
		msg "  [kunit $suite] $verdict"
		((passed)) || { msg "FAIL: $k: KUnit suite $suite at boot: failures, skips or no results (parsed: $out)"; bad=1; }
	done
	return $bad
}

# kunit_suites_of SRC: the names of the KUnit suites the project's
# .kunitconfig files enable, as declared in SRC (kunit_suite .name).
kunit_suites_of() {
	local src=$1
	(cd "$src" && git grep -h -A3 'static struct kunit_suite' -- kernel/umh_kunit.c \
		kernel/module/kmod_kunit.c 2>/dev/null | sed -n 's/.*\.name *= *"\([^"]*\)".*/\1/p')
}

# Logs of earlier runs would be counted by the report, also when this run
# stops before its first boot (a failed build).
for k in $kernels; do
	rm -f "$BOOT/$k$sfx"-[0-9]*.{log,console,qemu} "$BOOT/$k$sfx"-[0-9]*.log.splats
done

# Per kernel: its sources, bzImage and initramfs.
declare -A src_of img_of initrd_of
fail=0
for k in $kernels; do
	src_of[$k]=$(source_of "$k") || exit 1
	img_of[$k]=$(with_build_lock build_kernel "$k" "${src_of[$k]}") || exit 1
	gen=$(odir_of "$k")/usr/gen_init_cpio
	[[ -x $gen ]] || die "no usr/gen_init_cpio in the $k kernel's build"
	initrd_of[$k]=$(build_initramfs "$gen" "$k" "${src_of[$k]}") || exit 1
done

for ((r = 1; r <= nruns; r++)); do
	for k in $kernels; do
		boot "$k" "$r" "${img_of[$k]}" "${initrd_of[$k]}" || fail=1
	done
done

# shellcheck disable=SC2086  # one argument per kernel
python3 "$ROOT/scripts/kmodtest" boot_report "$BOOT" --suffix "$sfx" $kernels || fail=1
exit $fail
