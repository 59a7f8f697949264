#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: apply the series, run its KUnit suites under User Mode
# Linux (the kernel of make check's kunit-um stage, so either target builds
# it for the other), then a quick benchmark (scripts/bench/bench.sh --quick):
# the unpatched and the patched kernel built from one config and booted once
# each under QEMU with real processes requesting modules (the scenarios
# that the series changes, kmod's own modprobe up to 200 callers), and the
# table of what the series changes.  With RUNS=N it runs the full
# benchmark instead (make bench: N alternating boots of each kernel, the
# storms up to 2000 callers).
#
# Which KUnit cases fail on the unpatched code is make kunit-unpatched's
# (one more UML kernel, about 7 minutes the first time); make kunit runs
# the suites under QEMU with KASAN and lockdep.  The first run here builds
# one UML kernel and two x86_64 boot kernels; later runs reuse build/ and
# ccache.
. "$(dirname "$0")/lib/lib.sh"
no_args "$@"

T0=$(date +%s)
# Measured from a fresh clone with an empty ccache, two cores (testing.md,
# "Timing"); with everything built, a run is the quick benchmark's boots.
COLD_MINUTES=26
if [[ ! -d $BUILD/kunit-um-check ]]; then
	info "first run: three kernels to build, about $COLD_MINUTES minutes in all on two cores with an empty ccache (less with more cores or a warm one)"
fi
stage "apply patches/ onto the base (build/check)"
"$ROOT/scripts/checks/check-series.sh" tip >&2 || die "the series does not apply (the reason is above)"
stage_done

mapfile -t suites < <(kunit_suites)

stage "build the series for UML and run its KUnit suites"
SRC=$BUILD/check "$ROOT/scripts/kunit/kunit.sh" --arch um "${suites[@]}"
rc=$?
stage_done "$( ((rc == 0)) && echo passed || echo FAILED)"

stage "benchmark: both kernels booted with a real userspace, the request_module() scenarios"
printf '\n'
bench_rc=0
if [[ -n ${RUNS:-} ]]; then
	"$ROOT/scripts/bench/bench.sh" --runs "$RUNS" || bench_rc=1
else
	"$ROOT/scripts/bench/bench.sh" --quick || bench_rc=1
fi
stage_result "$bench_rc"
((bench_rc == 0)) || rc=1
printf '\nwhich KUnit cases fail on the unpatched code: make kunit-unpatched\n'
printf 'logs: %s/logs/  total time: %s\n' "$BUILD" "$(fmt_secs $(($(date +%s) - T0)))"
exit $rc
