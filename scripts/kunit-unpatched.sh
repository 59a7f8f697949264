#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proves that the KUnit suites can fail: runs them (under UML) on the base
# plus only the seam and the tests (kunit/base-variant), and passes only if
# the cases that fail there are exactly those listed in
# kunit/<suite>/fails-unpatched.  A test that stops catching the bug it was
# written for, or a new case that fails on the unpatched code without
# being listed, fails this check.
. "$(dirname "$0")/lib.sh"

variant=$("$ROOT/scripts/base-variant.sh") || exit 1
fail=0
for d in "$ROOT"/kunit/*/; do
	[[ -f $d/.kunitconfig ]] || continue
	s=$(basename "$d")
	expect=$d/fails-unpatched
	[[ -f $expect ]] || { msg "FAIL: $s: no kunit/$s/fails-unpatched"; fail=1; continue; }
	SRC=$variant "$ROOT/scripts/kunit.sh" --arch um "$s" >/dev/null 2>&1
	log=$(kunit_log um "$variant" "$s")
	grep -q 'Testing complete' "$log" ||
		{ msg "FAIL: $s: the unpatched run gave no results (log: $log)"; fail=1; continue; }
	got=$(python3 "$ROOT/scripts/kunit-compare.py" --failed "$log" | sort)
	want=$(grep -v '^\s*\(#\|$\)' "$expect" | sort)
	msg "suite $s on the unpatched code, failing as expected:"
	printf '%s\n' "${got:-(none)}" | sed 's/^/  - /' >&2
	if [[ $got != "$want" ]]; then
		msg "FAIL: $s: the failures on the unpatched code differ from kunit/$s/fails-unpatched:"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/  /' >&2
		fail=1
	fi
done
exit $fail
