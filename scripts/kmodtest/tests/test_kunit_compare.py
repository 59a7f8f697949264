#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of kmodtest.kunit_compare on recorded runs: kunit.py's JSON of
the project's suites under UML, on the series (every case passes) and on
the unpatched code (the cases of kunit/*/fails-unpatched fail), recorded
in testdata/ beside this file, and on small made-up runs for the edge cases.

Run: python3 scripts/kmodtest/tests/test_kunit_compare.py (the tooling stage
of make check runs it).
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "testdata")
SERIES = os.path.join(DATA, "kunit-um-series.json")
UNPATCHED = os.path.join(DATA, "kunit-um-unpatched.json")
# The package is two directories up: run as a file, not with -m.
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir))

from kmodtest import kunit_compare as kc  # noqa: E402


def expected_failures() -> List[str]:
    """The names kunit/*/fails-unpatched list, comments left out."""
    names: List[str] = []
    kunit = os.path.join(HERE, os.pardir, os.pardir, os.pardir, "kunit")
    for suite in sorted(os.listdir(kunit)):
        path = os.path.join(kunit, suite, "fails-unpatched")
        if os.path.isfile(path):
            with open(path) as f:
                names += [ln.strip() for ln in f
                          if ln.strip() and not ln.startswith("#")]
    return sorted(names)


def run_main(*args: str) -> tuple:
    """kunit_compare.py's exit status, stdout and stderr for ARGS."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = kc.main(["kunit_compare.py", *args])
    return rc, out.getvalue(), err.getvalue()


class Recorded(unittest.TestCase):
    """The recorded runs read as kunit.py meant them."""

    def test_series_all_pass(self) -> None:
        results = kc.parse(SERIES)
        passed, failed, skipped = kc.count(results)
        self.assertGreater(len(results), 50)
        self.assertEqual((passed, failed, skipped), (len(results), 0, 0))
        rc, out, _ = run_main("--check", SERIES)
        self.assertEqual(rc, 0)
        self.assertIn(f"{len(results)} results, {len(results)} passed", out)

    def test_parameters_have_their_case_in_the_name(self) -> None:
        names = kc.parse(SERIES)
        self.assertIn("kmod_throttle.kmod_test_coalesce.result 0", names)
        # A parameterised case is a group: it has no result of its own.
        self.assertNotIn("kmod_throttle.kmod_test_coalesce", names)

    def test_unpatched_fails_what_fails_unpatched_lists(self) -> None:
        rc, out, _ = run_main("--failed", UNPATCHED)
        self.assertEqual(rc, 0)
        self.assertEqual(sorted(out.split("\n")[:-1]), expected_failures())
        rc, _, _ = run_main("--check", UNPATCHED)
        self.assertEqual(rc, 1)

    def test_compare_lists_exactly_the_changed_results(self) -> None:
        rc, out, _ = run_main(SERIES, UNPATCHED)
        self.assertEqual(rc, 0)
        rows = [r.rsplit(None, 2) for r in out.split("\n")[1:-3]]
        fixed = sorted(name.rstrip() for name, before, _ in rows if before == "FAIL")
        self.assertEqual(fixed, expected_failures())
        # The others are results the unpatched variant does not have (its
        # base lacks what they test), passed by the series; none that
        # passed on both is listed.
        others = {(before, after) for _, before, after in rows if before != "FAIL"}
        self.assertEqual(others, {("MISSING", "PASS")})
        self.assertEqual(len(rows), len(kc.parse(SERIES)) - len(kc.parse(UNPATCHED))
                         + len(expected_failures()))
        # The other way round, the "series" has failures: exit 1.
        rc, _, _ = run_main(UNPATCHED, SERIES)
        self.assertEqual(rc, 1)


def made_up(cases: Dict[str, str]) -> Dict[str, Any]:
    """A kunit.py JSON document with one suite "s" holding CASES."""
    return {"name": "KUnit Test Group", "test_cases": [], "sub_groups": [
        {"name": "s", "sub_groups": [],
         "test_cases": [{"name": n, "status": v} for n, v in cases.items()]}]}


class MadeUp(unittest.TestCase):
    """What a real run seldom shows: skips, crashes, nothing, not JSON."""

    def write(self, doc: Any) -> str:
        fd, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        self.addCleanup(os.unlink, path)
        return path

    def test_a_skip_fails_the_check(self) -> None:
        rc, out, _ = run_main("--check", self.write(made_up({"a": "PASS", "b": "SKIP"})))
        self.assertEqual(rc, 1)
        self.assertIn("2 results, 1 passed, 0 failed, 1 skipped", out)

    def test_a_crash_is_a_failure(self) -> None:
        path = self.write(made_up({"a": "ERROR", "b": "PASS"}))
        self.assertEqual(run_main("--failed", path)[1], "s.a\n")
        rc, out, _ = run_main("--check", path)
        self.assertEqual(rc, 1)
        self.assertIn("2 results, 1 passed, 1 failed, 0 skipped", out)

    def test_no_results_fail_the_check(self) -> None:
        rc, _, err = run_main("--check", self.write(made_up({})))
        self.assertEqual(rc, 1)
        self.assertIn("no results", err)

    def test_a_result_missing_from_the_base_is_shown(self) -> None:
        rc, out, _ = run_main(self.write(made_up({"a": "PASS", "new": "PASS"})),
                              self.write(made_up({"a": "PASS"})))
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"s\.new +MISSING +PASS")

    def test_not_json_is_one_clear_error(self) -> None:
        rc, _, err = run_main("--check", self.write("[PASSED] a\n"))
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.splitlines()), 1)
        self.assertIn("not the JSON of kunit.py --json", err)

    def test_missing_file(self) -> None:
        rc, _, err = run_main("--failed", "/nonexistent.json")
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent.json: no such file", err)


if __name__ == "__main__":
    unittest.main()
