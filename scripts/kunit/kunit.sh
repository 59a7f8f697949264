#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the project's KUnit suites with the kernel's kunit.py.
#
#   kunit.sh [--series] [--arch um|x86_64|all] [--tag NAME] [SUITE...]
#
# --tag NAME keeps the build directory and the log of this run apart
# (build/kunit-<arch>-<tree>-NAME, kunit-<arch>-<tree>-<suites>-NAME.log):
# scripts/checks/mutants.sh tests its mutants so, never in the build directory
# of the series.
# --series tests patches/ as committed: it applies them in build/check
# (scripts/checks/check-series.sh tip) and tests that tree.
# SUITE is a directory under kunit/ holding a .kunitconfig (default: all).
# All the suites of one architecture run in one kernel: one build, one
# boot, one log (build/logs/kunit-<arch>-<tree>-<suite+suite>.log).
# um runs them under User Mode Linux; x86_64 runs them under QEMU with
# kunit/debug.config (KASAN with kasan_multi_shot, lockdep, debug objects)
# and two CPUs.  Besides kunit.py's verdict, the kernel log is scanned for
# reports that do not fail a KUnit case by themselves (KASAN, lockdep or a
# WARNING in a kworker); any one of them fails the run.
#
# SRC selects the kernel tree to test (default: $TREE).  Build directories
# are build/kunit-<arch>-<tree name> and are kept between runs.
. "$(dirname "$0")/../lib/lib.sh"

USAGE="kunit.sh [--series] [--arch um|x86_64|all] [--tag NAME] [SUITE...]"
arch=all
series=0
tag=
while [[ ${1:-} == -* ]]; do
	case $1 in
	--series) series=1; shift ;;
	--arch) need_value "$@"; arch=$2; shift 2 ;;
	--tag) need_value "$@"; tag=$2; shift 2 ;;
	--) shift; break ;;
	*) die "unknown option '$1'; usage: $USAGE" ;;
	esac
done
[[ -z $tag || $tag =~ ^[a-z0-9-]+$ ]] || die "kunit.sh: --tag must be lower-case letters, digits and dashes"

case $arch in
all) arches=(um x86_64) ;;
um | x86_64) arches=("$arch") ;;
*) die "--arch must be um, x86_64 or all, not '$arch'" ;;
esac

mapfile -t known < <(kunit_suites)
suites=("$@")
((${#suites[@]})) || suites=("${known[@]}")
((${#suites[@]})) || die "no suites under kunit/"
for s in "${suites[@]}"; do
	[[ " ${known[*]} " == *" $s "* ]] ||
		die "no suite '$s' under kunit/ (there are: ${known[*]})"
done

if ((series)); then
	"$ROOT/scripts/checks/check-series.sh" tip >&2 || die "patches/ does not apply (the reason is above)"
	SRC=$BUILD/check
fi
SRC=${SRC:-$TREE}

# Known reports that are not the series' business: UML's virt-pci, which
# kunit.py's default UML config enables, warns at boot when no virtio PCI
# device is configured (6.12).
ALLOWED='virt-pci\.c:[0-9]+ um_pci_init'

# Reports that must never appear in a test kernel's log (scripts/boot/splats).
SPLATS=$(grep -v '^#' "$ROOT/scripts/boot/splats" | paste -sd'|')

# run_one ARCH SUITE...: one kernel with all the suites, one kunit.py run.
# shellcheck disable=SC2317  # called through with_build_lock
run_one() {
	local arch=$1 suite bdir args log json splats rc s
	shift
	suite=$(kunit_name "$@")
	bdir=$BUILD/kunit-$arch-$(basename "$SRC")${tag:+-$tag}
	args=(run --build_dir="$bdir" --jobs="$JOBS"
	      --make_options="CC=ccache gcc" --timeout=1200)
	for s; do
		args+=(--kunitconfig="$ROOT/kunit/$s")
	done
	if [[ $arch == x86_64 ]]; then
		args+=(--arch=x86_64 --kunitconfig="$ROOT/kunit/debug.config"
		       --kernel_args=kasan_multi_shot --qemu_args=-smp
		       --qemu_args=2)
	fi
	log=$(kunit_log "$arch" "$SRC" "$suite" "$tag")
	json=${log%.log}.json splats=${log%.log}.splats
	args+=(--json="$json")
	mkdir -p "$BUILD/logs"
	rm -f "$json"
	info "kunit $suite on $arch: building (first build: several minutes) and running"
	heartbeat_start "$bdir" "the $arch KUnit kernel"
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py "${args[@]}") >"$log" 2>&1
	rc=$?
	heartbeat_stop
	# kunit.py's own summary: the parsed results.
	sed -n '/^\[..:..:..\] =\+ /,$p' "$log" | sed 's/^\[..:..:..\] //' >&2
	if [[ ! -s $json ]]; then
		msg "FAIL: kunit $suite on $arch: no results (kunit.py exit $rc; log: $log)"
		tail -30 "$log" >&2
		return 1
	fi
	# The verdict is the JSON's: results there, every one passed.  A case
	# that skipped asserted nothing: the test kernel is quiet, so a skip
	# means something is wrong with the run.
	if ! python3 "$ROOT/scripts/kmodtest" kunit_compare --check "$json" >&2 || ((rc != 0)); then
		msg "FAIL: kunit $suite on $arch: failures or skips (kunit.py exit $rc; log: $log)"
		python3 "$ROOT/scripts/kmodtest" kunit_compare --failed "$json" | sed 's/^/  failed: /' >&2
		return 1
	fi
	[[ -s $bdir/test.log ]] || { msg "FAIL: kunit $suite on $arch: no kernel log $bdir/test.log"; return 1; }
	if grep -E "$SPLATS" "$bdir/test.log" | grep -vE "$ALLOWED" \
		>"$splats"; then
		msg "FAIL: kunit $suite on $arch: the kernel log has reports:"
		head -20 "$splats" >&2
		msg "(full kernel log: $bdir/test.log)"
		return 1
	fi
	return 0
}

fail=0
for a in "${arches[@]}"; do
	with_build_lock run_one "$a" "${suites[@]}" || fail=1
done
exit $fail
