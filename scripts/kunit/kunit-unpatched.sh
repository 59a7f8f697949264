#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proves that the KUnit suites can fail: runs them (under UML) on the base
# plus only the seams and the tests (kunit/base-variant), and passes only if
# the cases that fail there are exactly those listed in
# kunit/<suite>/fails-unpatched.  A test that stops catching the bug it was
# written for, or a new case that fails on the unpatched code without
# being listed, fails this check.  After a run of the series' suites
# (kunit.sh --series --arch um), it also prints, result by result, what the
# series changes.
. "$(dirname "$0")/../lib/lib.sh"
no_args "$@"

variant=$("$ROOT/scripts/series/base-variant.sh") || exit 1
mapfile -t suites < <(kunit_suites)
want=
for s in "${suites[@]}"; do
	expect=$ROOT/kunit/$s/fails-unpatched
	[[ -f $expect ]] || die "FAIL: $s: no kunit/$s/fails-unpatched"
	want+=$(grep -v '^\s*\(#\|$\)' "$expect")$'\n'
done
want=$(sort <<<"$want" | sed '/^$/d')
SRC=$variant "$ROOT/scripts/kunit/kunit.sh" --arch um "${suites[@]}" >/dev/null 2>&1
json=$(kunit_json um "$variant" "$(kunit_name "${suites[@]}")")
[[ -s $json ]] ||
	die "FAIL: the unpatched run gave no results (log: $(kunit_log um "$variant" "$(kunit_name "${suites[@]}")"))"
failed=$(python3 "$ROOT/scripts/kmodtest" kunit_compare --failed "$json") ||
	die "FAIL: the results of the unpatched run could not be read ($json)"
got=$(sort <<<"$failed" | sed '/^$/d')
msg "suites ${suites[*]} on the unpatched code, failing as expected:"
printf '%s\n' "${got:-(none)}" | sed 's/^/  - /' >&2
# With a run of the series there too (make check's kunit-um, make demo),
# the results that the series changes, side by side.
series_json=$(kunit_json um "$BUILD/check" "$(kunit_name "${suites[@]}")")
if [[ -s $series_json ]]; then
	msg "results whose verdict the series changes (series: $series_json):"
	python3 "$ROOT/scripts/kmodtest" kunit_compare "$series_json" "$json" >&2
fi
if [[ $got != "$want" ]]; then
	msg "FAIL: the failures on the unpatched code differ from kunit/*/fails-unpatched:"
	diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/  /' >&2
	exit 1
fi
exit 0
