#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot tests: boot the unpatched and/or the patched kernel under QEMU
# (TCG) and run the request_module() scenarios of scripts/boot/init.sh.
#
#   boot-test.sh [--kernels "base series"] [--flavour small|debug|bench]
#                [--only SCENARIO,...] [--runs N] [--kselftest reduced|full]
#                [--smp N] [--tag NAME]
#
# --smp: vCPUs of the guest (default 2; the kernels allow up to 8); other
# than 2, it is part of the log names (<kernel><sfx>-smpN-<run>.log).
# --tag: a word added to the log names (<kernel><sfx>-NAME-<run>.log), so
# that a special run does not replace the logs of the usual one.
#
# Flavours (config fragments merged onto tinyconfig by scripts/kconfig.sh):
#   small  configs/check.config, the config of the series checks: the storm,
#          kill, nowait, modprobe_path and module-loads-module scenarios.
#   debug  configs/check.config + kselftest.config + debug.config: KASAN,
#          lockdep, kmemleak, debug objects, hung task, fault injection,
#          suspend and test_kmod; adds a freeze in a storm, allocation faults
#          in a storm, upstream's kmod selftest, and a final kmemleak scan;
#          the KUnit suites run at boot, before the scenarios.
#   bench  the small kernels, QEMU with -icount: the benchmark's scenarios
#          (scripts/bench.sh).
# Both kernels of a flavour differ only by the series and their
# LOCALVERSION (-kmod-base, -kmod-series).  "series" is base plus patches/ as
# committed, built from the worktree of scripts/check-series.sh
# (build/check); the small one reuses its build directory (build/o-check).
# "base" is built from a worktree at the tag base (build/boot/src-base).
# Build directories (kept, incremental): build/o-check,
# build/boot/o-base, build/boot/o-{series,base}-debug.
#
# Each kernel gets its own initramfs: busybox-static, kmod's tools
# (modprobe, insmod, rmmod, lsmod, depmod) with their libraries, bash and
# capsh, the kernel's modules (modules_install + depmod), the test modules
# of scripts/boot/modules built against it, upstream's kmod selftest, the
# stand-in modprobe (scripts/boot/fake-modprobe.c) and the scenario script.
# Console logs: build/boot/<kernel>[-debug]-<run>.log; results:
# build/boot/results[-debug].{md,json}.
#
# A boot fails on a missing end marker, a timeout, or any BUG/WARNING/Oops/
# KASAN/lockdep/kmemleak/hung-task report.  Scenario verdicts count only for
# the patched kernel: the unpatched one is expected to fail some, which is
# the point of the comparison.
. "$(dirname "$0")/lib.sh"

kernels="base series"
flavour=small
only=
nruns=1
kselftest=reduced
smp=2
tag=
usage="usage: boot-test.sh [--kernels \"base series\"] [--flavour small|debug|bench] [--only S,...] [--runs N] [--kselftest reduced|full] [--smp N] [--tag NAME]"
while (($#)); do
	case $1 in
	--kernels) kernels=$2; shift 2 ;;
	--flavour) flavour=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--runs) nruns=$2; shift 2 ;;
	--kselftest) kselftest=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--tag) tag=$2; shift 2 ;;
	*) die "$usage" ;;
	esac
done
# FRAGS: the kernel's config fragments; ksfx: the suffix of its build
# directory and initramfs; sfx: the suffix of the console logs and results.
QEMU_EXTRA=()
case $flavour in
small) FRAGS=("$ROOT/configs/check.config") ksfx= sfx= ;;
debug) FRAGS=("$ROOT/configs/check.config" "$ROOT/configs/kselftest.config" "$ROOT/configs/debug.config") ksfx=-debug sfx=-debug ;;
bench)
	# The small kernels; the guest clock counts instructions (1 ns each)
	# and skips idle time, so that timings compare work, not host noise.
	FRAGS=("$ROOT/configs/check.config") ksfx= sfx=-bench
	QEMU_EXTRA=(-icount shift=0,sleep=off)
	;;
*) die "$usage" ;;
esac
[[ $kselftest == reduced || $kselftest == full ]] || die "$usage"
[[ $smp =~ ^[1-8]$ ]] || die "$usage"
((smp == 2)) || sfx+=-smp$smp
# A tag keeps the logs of a special run (bench.sh's kmod.sh timing) apart.
[[ -z $tag || $tag =~ ^[a-z0-9]+$ ]] || die "$usage"
[[ -n $tag ]] && sfx+=-$tag

BOOT=$BUILD/boot
mkdir -p "$BOOT"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-1800}
SPLATS='BUG:|WARNING:|Oops|general protection fault|Kernel panic|UBSAN:|ODEBUG:|KASAN:|kmemleak:.*new suspected|INFO: (possible|inconsistent|trying to register|suspicious RCU|task .* blocked)|circular locking|hung_task'

# source_of KERNEL: a worktree with the kernel's sources checked out.
source_of() {
	local dir
	case $1 in
	base)
		dir=$BOOT/src-base
		ensure_worktree "$dir"
		if [[ $(git -C "$dir" rev-parse HEAD) != $(tgit rev-parse 'base^{commit}') ]]; then
			reset_worktree "$dir" base
		fi
		echo "$dir"
		;;
	series)
		# check-series.sh leaves its worktree at the tip of the series.
		"$ROOT/scripts/check-series.sh" tip >&2 || die "patches/ does not apply"
		echo "$BUILD/check"
		;;
	*) die "unknown kernel $1 (base or series)" ;;
	esac
}

# odir_of KERNEL: its build directory.
odir_of() {
	case $1$ksfx in
	base) echo "$BOOT/o-base" ;;
	series) echo "$BUILD/o-check" ;;
	*) echo "$BOOT/o-$1$ksfx" ;;
	esac
}

# build_kernel KERNEL SRC: builds it from SRC, with its modules and the test
# modules, installs them into build/boot/root-KERNEL<ksfx>, and prints the
# path of its bzImage.
build_kernel() {
	local k=$1 src=$2 odir t0 mode=--strict root ext rel log rc
	odir=$(odir_of "$k")
	root=$BOOT/root-$k$ksfx ext=$BOOT/extmod-$k$ksfx log=$BOOT/build-$k$ksfx.log
	# The base lacks the KUnit options the series adds to the fragment.
	[[ $k == base ]] && mode=--allow-undefined
	t0=$(date +%s)
	info "boot-test: building the $k kernel ($flavour) in $odir (first build: 7 to 20 minutes)"
	SRC=$src "$ROOT/scripts/kconfig.sh" "$mode" "$odir" "${FRAGS[@]}" >&2 ||
		die "configuration of the $k kernel failed"
	heartbeat_start "$odir" "the $k kernel ($flavour)"
	SRC=$src kmake "$odir" LOCALVERSION="-kmod-$k" bzImage modules >"$log" 2>&1
	rc=$?
	heartbeat_stop
	((rc == 0)) || { tail -n 30 "$log" >&2; die "build of the $k kernel failed (log: $log)"; }
	rel=$(cat "$odir/include/config/kernel.release")
	rm -rf "$root" "$ext"
	mkdir -p "$root" "$ext"
	cp "$ROOT"/scripts/boot/modules/{Kbuild,*.c} "$ext/"
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

# build_initramfs GEN_INIT_CPIO KERNEL SRC: build/boot/initramfs-KERNEL<ksfx>.cpio
build_initramfs() {
	local gen=$1 k=$2 src=$3 list=$BOOT/initramfs-$2$ksfx.list bb a t
	bb=$(command -v busybox) || die "busybox-static is not installed"
	ldd "$bb" >/dev/null 2>&1 && die "$bb is not statically linked (install busybox-static)"
	for t in kmod bash capsh; do
		command -v "$t" >/dev/null || die "$t is not installed (scripts/deps.sh installs it)"
	done
	gcc -static -O2 -Wall -Werror -o "$BOOT/fake-modprobe" "$ROOT/scripts/boot/fake-modprobe.c" ||
		die "cannot build the stand-in modprobe (static glibc: libc6-dev)"
	{
		printf 'dir /%s 755 0 0\n' dev proc sys run mnt tmp bin sbin lib lib64 \
			lib/x86_64-linux-gnu usr usr/lib usr/lib/x86_64-linux-gnu kselftest kselftest/kmod
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
		for a in other-modprobe umh-true umh-false; do
			echo "slink /sbin/$a fake-modprobe 777 0 0"
		done
		for a in mono not-blocked; do
			echo "slink /bin/$a ../sbin/fake-modprobe 777 0 0"
		done
		echo "file /kselftest/kmod/kmod.sh $src/tools/testing/selftests/kmod/kmod.sh 755 0 0"
		echo "file /kselftest/kmod/config $src/tools/testing/selftests/kmod/config 644 0 0"
		# The runner's limit for kmod.sh, which the kselftest scenario
		# checks (the series adds the file).
		if [[ -f $src/tools/testing/selftests/kmod/settings ]]; then
			echo "file /kselftest/kmod/settings $src/tools/testing/selftests/kmod/settings 644 0 0"
		fi
		echo "file /init $ROOT/scripts/boot/init.sh 755 0 0"
		cpio_tree "$BOOT/root-$k$ksfx/lib" /lib
	} | awk '!seen[$2]++' >"$list"
	"$gen" "$list" >"$BOOT/initramfs-$k$ksfx.cpio" || die "gen_init_cpio failed"
	echo "$BOOT/initramfs-$k$ksfx.cpio"
}

# boot KERNEL RUN BZIMAGE INITRAMFS: boots, writes the console log, checks it.
boot() {
	local k=$1 run=$2 img=$3 initrd=$4 log=$BOOT/$1$sfx-$2.log rc t0 bad=0 append
	append="console=ttyS0 panic=-1 loglevel=4 rdinit=/init"
	append+=" boot_test.flavour=$flavour boot_test.kselftest=$kselftest"
	# The debug kernel runs the KUnit suites built into it before /init
	# (KASAN reporting every finding, not only the first); the small one
	# only the scenarios.
	if [[ $flavour == debug && $k == series ]]; then
		append+=" kasan_multi_shot"
	else
		append+=" kunit.enable=0"
	fi
	[[ -n $only ]] && append+=" boot_test.only=$only"
	# More arguments from the caller (scripts/bench.sh).
	[[ -n ${BOOT_APPEND:-} ]] && append+=" $BOOT_APPEND"
	t0=$(date +%s)
	info "boot-test: booting the $k kernel (run $run), console log $log"
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -m 1024 -smp "$smp" "${QEMU_EXTRA[@]}" -nographic -no-reboot \
		-kernel "$img" -initrd "$initrd" -append "$append" \
		</dev/null >"$log" 2>&1
	rc=$?
	info "boot-test: $k run $run finished in $(($(date +%s) - t0))s"
	if ((rc == 124)); then
		msg "FAIL: $k: QEMU timed out after ${QEMU_TIMEOUT}s"
		bad=1
	fi
	if ! grep -q '^BOOT-TEST-END' "$log"; then
		msg "FAIL: $k: no end marker in $log"
		bad=1
	fi
	if grep -aE "$SPLATS" "$log" >"$log.splats"; then
		msg "FAIL: $k: kernel reports in $log:"
		sed 's/^/    /' "$log.splats" >&2
		bad=1
	fi
	if [[ $flavour == debug && $k == series ]]; then
		check_kunit "$log" "$k" "$src_series" || bad=1
	fi
	sed -n '/^BOOT-TEST-BEGIN/,$p' "$log" | grep -aE '^(ok|not ok) [0-9]+ |^# RESULT ' |
		sed "s/^/  [$k] /" >&2
	return $bad
}

# check_kunit LOG KERNEL SRC: the KUnit suites built into the kernel ran
# before /init, which printed their debugfs results (one KTAP document per
# suite) between "# KUNIT-SUITE-BEGIN <suite>" and "# KUNIT-SUITE-END".
# Each is parsed by SRC's kunit.py: every suite under kunit/ must be there,
# with every case passed and none skipped.
check_kunit() {
	local log=$1 k=$2 src=$3 out suite bad=0 cfg
	for cfg in $(cd "$ROOT/kunit" && grep -ho '^CONFIG_[A-Z_]*KUNIT_TEST' ./*/.kunitconfig); do
		grep -q "^${cfg}=y" "$(odir_of "$k")/.config" ||
			{ msg "FAIL: $k: $cfg is not built in"; bad=1; }
	done
	for suite in $(kunit_suites_of "$src"); do
		out=${log%.log}.kunit-$suite
		tr -d '\r' <"$log" | awk -v s="$suite" '$0 == "# KUNIT-SUITE-BEGIN " s { on = 1; next }
			/^# KUNIT-SUITE-END/ { on = 0 } on' |
			python3 "$src/tools/testing/kunit/kunit.py" parse >"$out" 2>&1
		sed -n 's/^\[..:..:..\] //; /Testing complete/s/^/  [kunit '"$suite"'] /p' "$out" >&2
		if ! grep -qE 'Testing complete\. Ran [1-9][0-9]* tests: passed: [0-9]+$' "$out"; then
			msg "FAIL: $k: KUnit suite $suite at boot: failures, skips or no results (parsed: $out)"
			bad=1
		fi
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
for k in $kernels; do rm -f "$BOOT/$k$sfx"-[0-9]*.log "$BOOT/$k$sfx"-[0-9]*.log.splats; done

fail=0
for k in $kernels; do
	src=$(source_of "$k") || exit 1
	eval "src_$k=\$src"
	img=$(with_build_lock build_kernel "$k" "$src") || exit 1
	gen=$(odir_of "$k")/usr/gen_init_cpio
	[[ -x $gen ]] || die "no usr/gen_init_cpio in the $k kernel's build"
	initrd=$(build_initramfs "$gen" "$k" "$src") || exit 1
	eval "img_$k=\$img initrd_$k=\$initrd"
done

for ((r = 1; r <= nruns; r++)); do
	for k in $kernels; do
		eval "img=\$img_$k initrd=\$initrd_$k"
		boot "$k" "$r" "$img" "$initrd" || fail=1
		log=$BOOT/$k$sfx-$r.log
		if [[ $k == series ]] && sed -n '/^BOOT-TEST-BEGIN/,$p' "$log" | grep -aq '^not ok '; then
			msg "FAIL: series: scenarios failed on the patched kernel:"
			sed -n '/^BOOT-TEST-BEGIN/,$p' "$log" | grep -a '^not ok ' | sed 's/^/    /' >&2
			fail=1
		fi
	done
done

python3 "$ROOT/scripts/boot-report.py" "$BOOT" --suffix "$sfx" $kernels || fail=1
exit $fail
