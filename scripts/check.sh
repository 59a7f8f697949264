#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Driver of "make check" (and so of CI): runs every stage below with run_check
# from lib.sh, which never stops at a failure, then prints a table of the
# stages (name, PASS/FAIL, seconds) and a last line "N passed, N failed".
# The exit status is non-zero if any stage failed.
#
#   check.sh           the stages of make check (CI)
#   check.sh --debug   the stages of make check-debug: the boot tests on
#                      the patched debug kernel, which make check leaves
#                      out to stay within an hour on two cores (the debug
#                      kernel alone takes about 14 minutes to build cold)
. "$(dirname "$0")/lib/lib.sh"
tier=check
[[ ${1-} == --debug ]] && tier=debug && shift
(($# == 0)) || die "check.sh: unknown argument '$1'; usage: check.sh [--debug]"
cd "$ROOT" || exit 1

# Each entry: a stage name, then the command (run from the project root).
# make check runs the KUnit suites under UML with kunit.py; check-debug
# runs them again built into the debug boot kernel (x86_64, KASAN,
# lockdep, debug objects, 2 CPUs), where boot-test-debug parses them.
# "make kunit" also runs them with kunit.py on x86_64 with KASAN.
CHECK_STAGES=(
	"series-apply       scripts/checks/check-series.sh apply"
	"lint               scripts/checks/lint.sh"
	"tooling            scripts/checks/test-tooling.sh"
	"models             scripts/checks/models.sh"
	"series-checkpatch  scripts/checks/check-series.sh checkpatch"
	"series-build       scripts/checks/check-series.sh build"
	"series-kernel-doc  scripts/checks/check-series.sh kernel-doc"
	"series-docs        scripts/checks/check-series.sh docs"
	"kunit-um           scripts/kunit/kunit.sh --series --arch um"
	"kunit-unpatched    scripts/kunit/kunit-unpatched.sh"
	"boot-test-small    scripts/boot/boot-test.sh --kernels base,series --flavour small --expect-unpatched"
	"boot-plant         scripts/boot/boot-plant.sh small"
	"outbox             scripts/series/outbox.sh"
	"negative-tests     scripts/checks/test-checks.sh"
)
DEBUG_STAGES=(
	"boot-test-debug    scripts/boot/boot-test.sh --kernels series --flavour debug"
	"boot-plant-debug   scripts/boot/boot-plant.sh debug"
)
if [[ $tier == debug ]]; then
	STAGES=("${DEBUG_STAGES[@]}")
	RESULTS=$BUILD/results-debug.tsv
else
	STAGES=("${CHECK_STAGES[@]}")
fi

# The outbox stage writes the emails as make outbox would, From: and
# Signed-off-by: git's user.name and user.email, and make outbox refuses
# without them.  A fresh machine or a CI runner has none and sends
# nothing: give make check one of its own, through git's environment so
# that no configuration file changes.
if [[ $tier == check ]] && ! { git -C "$ROOT" config user.name && git -C "$ROOT" config user.email; } >/dev/null; then
	info "check.sh: git has no user.name or user.email; the outbox stage writes its emails as 'kmod series check <check@localhost>'"
	export GIT_CONFIG_COUNT=2
	export GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="kmod series check"
	export GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="check@localhost"
fi

: >"$RESULTS"
t0=$(date +%s)
for entry in "${STAGES[@]}"; do
	read -r -a words <<<"$entry"
	((${#words[@]} >= 2)) || die "check.sh: stage '$entry' has no command"
	run_check "${words[0]}" "${words[@]:1}"
done

passed=0 failed=0
printf '\n%-24s %-6s %8s\n' STAGE RESULT SECONDS
while IFS=$'\t' read -r verdict name secs _; do
	printf '%-24s %-6s %8s\n' "$name" "$verdict" "$secs"
	if [[ $verdict == PASS ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done <"$RESULTS"
printf '%-24s %-6s %8s\n' total "" $(($(date +%s) - t0))
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
