#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: apply the series and run its KUnit suites under User Mode
# Linux; then do the same with the unpatched code plus only the seams and
# the tests (kunit/base-variant), and print, case by case, what the series
# changes.  These are the UML kernels of make check's kunit-um and
# kunit-unpatched stages, so either target builds them for the other
# (make kunit runs the suites under QEMU with KASAN and lockdep, and
# make check's debug boot runs them built into a KASAN kernel).
# Then a quick benchmark (scripts/bench.sh --quick): the unpatched and the
# patched kernel booted once each with real processes requesting modules,
# kmod's own modprobe up to 200 callers, and the table of what the series
# changes.  With RUNS=N it runs the full benchmark instead (make bench:
# N alternating boots of each kernel, the storms up to 2000 callers).
#
# The first run builds two UML kernels and two x86_64 boot kernels; later
# runs reuse build/ and ccache.
. "$(dirname "$0")/lib.sh"
no_args "$@"

T0=$(date +%s)
# Measured from a fresh clone with an empty ccache, two cores (testing.md,
# "Timing"); with everything built, a run is the quick benchmark's boots.
COLD_MINUTES=30
if [[ ! -d $BUILD/kunit-um-check ]]; then
	info "first run: four kernels to build, about $COLD_MINUTES minutes in all on two cores with an empty ccache (less with more cores or a warm one)"
fi
stage "apply patches/ onto the base (build/check)"
"$ROOT/scripts/check-series.sh" tip >&2 || die "the series does not apply (the reason is above)"
stage_done

stage "make the unpatched variant: base + seam + tests (build/base-variant)"
variant=$("$ROOT/scripts/base-variant.sh") || die "could not make the base variant"
stage_done

mapfile -t suites < <(kunit_suites)
name=$(kunit_name "${suites[@]}")

stage "build the series for UML and run its KUnit suites"
SRC=$BUILD/check "$ROOT/scripts/kunit.sh" --arch um "${suites[@]}"
patched_rc=$?
stage_done "$( ((patched_rc == 0)) && echo passed || echo FAILED)"

stage "build the unpatched code for UML and run the same suites"
SRC=$variant "$ROOT/scripts/kunit.sh" --arch um "${suites[@]}"
base_rc=$?
stage_done "$( ((base_rc == 0)) && echo 'passed (nothing to fix?)' || echo 'failed, as expected')"

rc=0
printf '\n==> suites %s: cases whose verdict the series changes\n' "${suites[*]}"
python3 "$ROOT/scripts/kunit-compare.py" \
	"$(kunit_log um "$BUILD/check" "$name")" \
	"$(kunit_log um "$variant" "$name")" || rc=1
((patched_rc == 0)) || rc=1

stage "benchmark: both kernels booted with a real userspace, the request_module() scenarios"
printf '\n'
bench_rc=0
if [[ -n ${RUNS:-} ]]; then
	"$ROOT/scripts/bench.sh" --runs "$RUNS" || bench_rc=1
else
	"$ROOT/scripts/bench.sh" --quick || bench_rc=1
fi
stage_result "$bench_rc"
((bench_rc == 0)) || rc=1
printf '\nlogs: %s/logs/  total time: %s\n' "$BUILD" "$(fmt_secs $(($(date +%s) - T0)))"
exit $rc
