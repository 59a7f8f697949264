#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot tests: boot the unpatched and the patched kernel under QEMU (TCG)
# and run the request_module() scenarios of scripts/boot/init.sh on both.
#
#   boot-test.sh [--kernels "base series"] [--only SCENARIO,...] [--runs N]
#
# Both kernels come from configs/check.config on tinyconfig, the config of
# the series checks, and differ only by the series and their LOCALVERSION
# (-kmod-base, -kmod-series).  "series" is base plus patches/ as committed:
# the worktree and build directory of scripts/check-series.sh (build/check,
# build/o-check), so after "make check-series" only bzImage is left to
# link.  "base" is built in build/boot/o-base from a worktree at the tag
# base.  Builds are incremental and kept.  KUnit suites built into the
# kernel are not run at boot (kunit.enable=0).  The initramfs
# holds busybox-static, the stand-in modprobe (scripts/boot/fake-modprobe.c)
# and the scenario script.  Console logs: build/boot/<kernel>-<run>.log.
#
# A boot fails on a missing end marker, a timeout, or any BUG/WARNING/Oops/
# KASAN/lockdep/hung-task report.  Scenario verdicts count only for the
# patched kernel: the unpatched one is expected to fail some, which is the
# point of the comparison.  Results: build/boot/results.{md,json}.
. "$(dirname "$0")/lib.sh"

kernels="base series"
only=
nruns=1
while (($#)); do
	case $1 in
	--kernels) kernels=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--runs) nruns=$2; shift 2 ;;
	*) die "usage: boot-test.sh [--kernels \"base series\"] [--only S,...] [--runs N]" ;;
	esac
done

BOOT=$BUILD/boot
mkdir -p "$BOOT"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-900}
SPLATS='BUG:|WARNING:|Oops|general protection fault|Kernel panic|UBSAN:|ODEBUG:|KASAN:|kmemleak:.*new suspected|INFO: (possible|inconsistent|trying to register|suspicious RCU|task .* blocked)|circular locking|hung_task'

# source_of KERNEL: a worktree with the kernel's sources checked out.
source_of() {
	local k=$1 dir ref
	case $k in
	base)
		dir=$BOOT/src-base
		ref=base
		ensure_worktree "$dir"
		;;
	series)
		dir=$BUILD/check
		"$ROOT/scripts/check-series.sh" apply >&2 || die "patches/ does not apply"
		ref=$(tail -n 1 "$BUILD/check.state" | cut -f1)
		;;
	*) die "unknown kernel $k (base or series)" ;;
	esac
	if [[ $(git -C "$dir" rev-parse HEAD) != $(tgit rev-parse "$ref^{commit}") ]]; then
		reset_worktree "$dir" "$ref"
	fi
	echo "$dir"
}

# odir_of KERNEL: its build directory.
odir_of() {
	case $1 in
	base) echo "$BOOT/o-base" ;;
	series) echo "$BUILD/o-check" ;;
	esac
}

# build_kernel KERNEL: prints the path of its bzImage.
build_kernel() {
	local k=$1 src odir t0 mode=--strict
	src=$(source_of "$k")
	odir=$(odir_of "$k")
	# The base lacks the KUnit options the series adds to the fragment.
	[[ $k == base ]] && mode=--allow-undefined
	t0=$(date +%s)
	info "boot-test: building the $k kernel in $odir (first build: several minutes)"
	SRC=$src "$ROOT/scripts/kconfig.sh" "$mode" "$odir" "$ROOT/configs/check.config" >&2 ||
		die "configuration of the $k kernel failed"
	SRC=$src kmake "$odir" LOCALVERSION="-kmod-$k" bzImage >"$BOOT/build-$k.log" 2>&1 ||
		{ tail -n 30 "$BOOT/build-$k.log" >&2; die "build of the $k kernel failed (log: $BOOT/build-$k.log)"; }
	info "boot-test: $k kernel ready after $(($(date +%s) - t0))s"
	echo "$odir/arch/x86/boot/bzImage"
}

# build_initramfs GEN_INIT_CPIO: build/boot/initramfs.cpio
build_initramfs() {
	local gen=$1 list=$BOOT/initramfs.list bb a
	bb=$(command -v busybox) || die "busybox-static is not installed"
	ldd "$bb" >/dev/null 2>&1 && die "$bb is not statically linked (install busybox-static)"
	gcc -static -O2 -Wall -Werror -o "$BOOT/fake-modprobe" "$ROOT/scripts/boot/fake-modprobe.c" ||
		die "cannot build the stand-in modprobe (static glibc: libc6-dev)"
	{
		printf 'dir /%s 755 0 0\n' dev proc sys run mnt bin sbin
		echo "nod /dev/console 600 0 0 c 5 1"
		echo "file /bin/busybox $bb 755 0 0"
		for a in $("$bb" --list); do
			[[ $a == busybox ]] && continue
			echo "slink /bin/$a busybox 777 0 0"
		done
		echo "file /sbin/modprobe $BOOT/fake-modprobe 755 0 0"
		echo "slink /sbin/other-modprobe modprobe 777 0 0"
		echo "slink /bin/mono ../sbin/modprobe 777 0 0"
		echo "file /init $ROOT/scripts/boot/init.sh 755 0 0"
	} >"$list"
	"$gen" "$list" >"$BOOT/initramfs.cpio" || die "gen_init_cpio failed"
}

# boot KERNEL RUN BZIMAGE: boots, writes the console log, checks it.
boot() {
	local k=$1 run=$2 img=$3 log=$BOOT/$1-$2.log rc t0 bad=0 append
	append="console=ttyS0 panic=-1 loglevel=4 rdinit=/init kunit.enable=0"
	[[ -n $only ]] && append+=" boot_test.only=$only"
	t0=$(date +%s)
	info "boot-test: booting the $k kernel (run $run), console log $log"
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -m 1024 -smp 2 -nographic -no-reboot \
		-kernel "$img" -initrd "$BOOT/initramfs.cpio" -append "$append" \
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
	grep -aE '^(ok|not ok) [0-9]+ |^# RESULT ' "$log" | sed "s/^/  [$k] /" >&2
	return $bad
}

fail=0
gen=
for k in $kernels; do
	img=$(with_build_lock build_kernel "$k") || exit 1
	eval "img_$k=\$img"
	gen=$(odir_of "$k")/usr/gen_init_cpio
done
[[ -x $gen ]] || die "no usr/gen_init_cpio in the kernel build"
build_initramfs "$gen"

for ((r = 1; r <= nruns; r++)); do
	for k in $kernels; do
		eval "img=\$img_$k"
		boot "$k" "$r" "$img" || fail=1
		if [[ $k == series ]] && grep -aq '^not ok ' "$BOOT/$k-$r.log"; then
			msg "FAIL: series: scenarios failed on the patched kernel:"
			grep -a '^not ok ' "$BOOT/$k-$r.log" | sed 's/^/    /' >&2
			fail=1
		fi
	done
done

python3 "$ROOT/scripts/boot-report.py" "$BOOT" $kernels || fail=1
exit $fail
