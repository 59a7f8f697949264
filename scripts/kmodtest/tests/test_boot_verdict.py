#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of kmodtest.boot_verdict on made-up boots: each check must fail
the boot it is there to fail, and pass a clean one.

Run: python3 scripts/kmodtest/tests/test_boot_verdict.py (the tooling stage
of make check runs it).
"""

import os
import sys
import tempfile
import unittest
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
# The package is two directories up: run as a file, not with -m.
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir))

from kmodtest import boot_verdict as bv  # noqa: E402

PLAN = ["alpha", "beta", "gamma"]


def make_log(plan: List[str] = PLAN, verdicts: Optional[Dict[str, str]] = None,
             dmesg: Optional[Dict[str, List[str]]] = None,
             taint: Optional[Dict[str, int]] = None, end: bool = True,
             first_line: str = "[    0.000000] Linux version 6.12.117") -> List[str]:
    """The lines /init would write for PLAN."""
    verdicts = verdicts or {}
    dmesg = dmesg or {}
    taint = taint or {}
    lines = ["BOOT-TEST-BEGIN small", "KTAP version 1", f"1..{len(plan)}",
             "# PLAN " + " ".join(plan), "# DMESG-BEGIN boot", first_line]
    lines += dmesg.get("boot", []) + ["# DMESG-END boot", "# TAINT boot 0"]
    for i, name in enumerate(plan, 1):
        lines.append(f"# scenario {name}")
        lines.append(f"{verdicts.get(name, 'ok')} {i} {name}")
        lines += [f"# DMESG-BEGIN {name}", f"[ 1.0] boot-test: scenario {name}"]
        lines += dmesg.get(name, []) + [f"# DMESG-END {name}"]
        lines.append(f"# TAINT {name} {taint.get(name, 4096)}")
    if end:
        lines += ["# DMESG-BEGIN end", "# DMESG-END end", "# TAINT end 4096",
                  "BOOT-TEST-END"]
    return [line + "\n" for line in lines]


def problems(log: List[str], console: Optional[List[str]] = None,
             plan: List[str] = PLAN, kernel: str = "series",
             expect: Optional[List[str]] = None, plant: Optional[str] = None):
    boot = bv.Boot(log, console or [])
    if plant:
        return bv.check_plant(boot, plan, kernel, expect, plant)
    return bv.check(boot, plan, kernel, expect)


class VerdictTest(unittest.TestCase):
    def test_clean_boot_passes(self):
        self.assertEqual(problems(make_log()), [])

    def test_warning_is_blamed_on_its_scenario(self):
        log = make_log(dmesg={"beta": ["[ 2.0] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2"]})
        p = problems(log)
        self.assertEqual(len(p), 1)
        self.assertIn("kernel report in beta", p[0])

    def test_refcount_and_lockdep_and_rcu_are_reports(self):
        for line in ["refcount_t: underflow; use-after-free.",
                     "WARNING: possible circular locking dependency detected",
                     "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                     "INFO: task mount:99 blocked for more than 30 seconds.",
                     "BUG: KASAN: slab-use-after-free in umh_complete",
                     "BUG: KCSAN: data-race in kmod_request_wait",
                     "kmemleak: Kernel memory leak detector disabled",
                     "kmemleak: 2 new suspected memory leaks"]:
            p = problems(make_log(dmesg={"gamma": [line]}))
            self.assertTrue(p and "in gamma" in p[0], line)

    def test_taint_is_blamed_where_it_appears(self):
        p = problems(make_log(taint={"beta": 4096 | 512, "gamma": 4096 | 512}))
        self.assertEqual(len(p), 1)
        self.assertIn("tainted (W) in beta", p[0])

    def test_own_taint_is_allowed(self):
        self.assertEqual(problems(make_log(taint={"alpha": 4096 | (1 << 18)})), [])

    def test_missing_verdict_fails(self):
        log = [line for line in make_log() if not line.startswith("ok 2 ")]
        self.assertTrue(any("verdicts for" in p for p in problems(log)))

    def test_plan_other_than_asked_fails(self):
        p = problems(make_log(plan=["alpha"]), plan=PLAN)
        self.assertTrue(any(x.startswith("plan ") for x in p))

    def test_no_end_marker_fails(self):
        self.assertTrue(any("no end marker" in p for p in problems(make_log(end=False))))

    def test_lost_log_lines_fail(self):
        p = problems(make_log(first_line="[ 9.9] something late"))
        self.assertTrue(any("lost its first lines" in x for x in p))

    def test_console_only_panic_is_reported(self):
        console = ["[ 1.0] boot-test: scenario gamma\n",
                   "[ 1.1] Kernel panic - not syncing: Fatal exception\n"]
        p = problems(make_log(), console)
        self.assertTrue(any("kernel report in gamma" in x for x in p))

    def test_failed_scenario_fails_on_series(self):
        p = problems(make_log(verdicts={"beta": "not ok"}))
        self.assertEqual(p, ["scenario beta failed on the patched kernel"])

    def test_unpatched_must_fail_exactly_the_listed(self):
        log = make_log(verdicts={"beta": "not ok"})
        self.assertEqual(problems(log, kernel="base", expect=["beta"]), [])
        self.assertTrue(problems(log, kernel="base", expect=["alpha", "beta"]))
        self.assertTrue(problems(log, kernel="base", expect=[]))
        # "beta?": beta is not judged on the unpatched kernel, either way.
        self.assertEqual(problems(log, kernel="base", expect=["beta?"]), [])
        passed = make_log()
        self.assertEqual(problems(passed, kernel="base", expect=["beta?"]), [])
        self.assertTrue(problems(passed, kernel="base", expect=["beta"]))
        # Without a list, the unpatched kernel's verdicts are only shown.
        self.assertEqual(problems(log, kernel="base"), [])

    def test_plant_found_passes_and_missed_fails(self):
        planted = ["[ 3.0] kmodt_plant: a planted warning for the boot test's negative test",
                   "[ 3.0] WARNING: CPU: 1 PID: 88 at kmodt_plant.c:13 kmodt_plant_init+0x1/0x2 [kmodt_plant]"]
        log = make_log(dmesg={"beta": planted}, taint={"beta": 4096 | 512,
                                                       "gamma": 4096 | 512})
        self.assertEqual(problems(log, plant="beta"), [])
        self.assertTrue(problems(make_log(), plant="beta"))
        # Blamed on the wrong scenario: the negative test fails.
        self.assertTrue(problems(log, plant="gamma"))

    def test_reboot_after_reboot_orphans_is_timed(self):
        plan = ["alpha", "reboot_orphans"]
        log = make_log(plan=plan)

        def console(start: str, end: Optional[str]) -> List[str]:
            lines = ["[    0.000000] Linux version 6.12.117\n",
                     f"[ {start}] boot-test: reboot\n"]
            if end:
                lines.append(f"[ {end}] reboot: Restarting system\n")
            return lines

        self.assertEqual(bv.reboot_ms(console("40.100000", "40.350000")), 250)
        self.assertEqual(problems(log, console("40.100000", "40.350000"), plan=plan), [])
        slow = problems(log, console("40.100000", "45.200000"), plan=plan)
        self.assertEqual(len(slow), 1)
        self.assertIn("the reboot took 5100 ms", slow[0])
        self.assertIn("reboot_orphans", slow[0])
        missing = problems(log, console("40.100000", None), plan=plan)
        self.assertEqual(len(missing), 1)
        self.assertIn("no reboot on the console", missing[0])
        # Without the scenario, the reboot is not judged.
        self.assertEqual(problems(make_log(), console("40.1", "45.2")), [])

    def test_unknown_only_name_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# comment\nsmall alpha beta\n")
        try:
            self.assertEqual(bv.expected_plan(f.name, "small", ["beta"], False),
                             (["beta"], ["alpha", "beta"]))
            with self.assertRaises(ValueError):
                bv.expected_plan(f.name, "small", ["betta"], False)
            with self.assertRaises(ValueError):
                bv.expected_plan(f.name, "smal", [], False)
        finally:
            os.unlink(f.name)

    def test_on_request_scenario_runs_only_when_named(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("small alpha beta\nsmall+ gamma\n")
        try:
            # Not in a plain boot's plan, nor in a boot restricted to others.
            self.assertEqual(bv.expected_plan(f.name, "small", [], False)[0],
                             ["alpha", "beta"])
            self.assertEqual(bv.expected_plan(f.name, "small", ["beta"], False)[0],
                             ["beta"])
            # Named, it runs, after the flavour's own.
            self.assertEqual(bv.expected_plan(f.name, "small", ["gamma", "alpha"], False)[0],
                             ["alpha", "gamma"])
            with self.assertRaises(ValueError):
                bv.expected_plan(f.name, "small", ["gama"], False)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
