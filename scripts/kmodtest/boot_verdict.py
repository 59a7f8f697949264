#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict on one boot of the boot tests.

Usage: boot_verdict.py --log LOG --console CONSOLE --kernel base|series
                       --flavour F --scenarios FILE [--only A,B] [--sweep]
                       [--expect FILE] [--plant SCENARIO]

LOG is what /init (scripts/boot/init.sh) wrote on its own serial port:
the KTAP plan and verdicts, "# RESULT" figures, "# TAINT <part> <value>"
lines and the kernel log in parts ("# DMESG-BEGIN <part>" ...
"# DMESG-END <part>"), a part being "boot", a scenario or "end".  CONSOLE
is the kernel's console (ignore_loglevel: every message).

The boot fails, with one line per reason naming the scenario, on:
  - a missing end marker, or a plan that is not the one asked for: the
    scenarios of the flavour in FILE (scripts/boot/scenarios), plus the
    sweep with --sweep, restricted to --only;
  - a verdict line missing, repeated or out of order;
  - any kernel report (WARNING, BUG, Oops, KASAN, KCSAN, lockdep, RCU
    stall, hung task, kmemleak, ...) in the kernel log or on the console;
  - a kernel log that lost lines (the boot part does not start with the
    kernel's first line, or printk dropped messages);
  - a taint flag other than those the tests set themselves (O: the test
    modules are built out of tree; N: KUnit ran);
  - after reboot_orphans, a reboot that took 2.5 s or more from /init's
    "boot-test: reboot" mark to "reboot: Restarting system" (console
    times), or that the console does not show;
  - a scenario that failed on the patched kernel; on the unpatched kernel
    with --expect, a scenario whose verdict is not the one the file lists
    (listed: it must fail; listed with "?": not judged; unlisted: it
    must pass).

With --plant SCENARIO the run is the negative test of all this: it passes
only if the only problems are the planted report and its taint, both
blamed on SCENARIO.  Exit status 0 if the boot passes, 1 if not.
"""

import argparse
import os
import re
import sys
from typing import Dict, List, NoReturn, Optional, Tuple


def read_splats(path: str) -> "re.Pattern[str]":
    """The pattern of kernel reports: the alternatives listed in PATH."""
    with open(path) as f:
        alts = [line.rstrip("\n") for line in f
                if line.strip() and not line.startswith("#")]
    return re.compile("|".join(alts))


# The list is shared with the guest's /init, which lives in scripts/boot/.
SPLATS = read_splats(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  os.pardir, "boot", "splats"))
# The taint flags, bit by bit, as the kernel prints them (kernel/panic.c).
TAINT_LETTERS = "PFSRMBUDAWCIOELKXTNJ"
# Out-of-tree modules (the test modules) and KUnit: the tests' own doing.
ALLOWED_TAINT = (1 << TAINT_LETTERS.index("O")) | (1 << TAINT_LETTERS.index("N"))
# What the planted report (kmodt_plant.c: a WARN() on load) names.
PLANT_TEXT = "kmodt_plant"

VERDICT = re.compile(r"^(ok|not ok) (\d+) (\S+)")
SCENARIO_MARK = re.compile(r"boot-test: scenario (\S+)")
# The reboot that ends a boot: /init's mark just before reboot(2), and the
# kernel's last words, each with its printk time in seconds.
REBOOT_MARK = re.compile(r"^\[\s*(\d+\.\d+)\] boot-test: reboot$")
REBOOT_DONE = re.compile(r"^\[\s*(\d+\.\d+)\] reboot: Restarting system")
# The scenario that leaves orphaned helpers alive for the reboot, and how
# long that reboot may take: usermode helpers counted as running make
# usermodehelper_disable() wait RUNNING_HELPERS_TIMEOUT, 5 s.
REBOOT_SCENARIO = "reboot_orphans"
REBOOT_LIMIT_MS = 2500


def reboot_ms(console_lines: List[str]) -> Optional[int]:
    """Milliseconds from /init's reboot mark to "Restarting system"."""
    start = end = None
    for raw in console_lines:
        line = raw.rstrip("\r\n")
        m = REBOOT_MARK.match(line)
        if m:
            start = float(m.group(1))
            continue
        m = REBOOT_DONE.match(line)
        if m and start is not None:
            end = float(m.group(1))
    if start is None or end is None:
        return None
    return round((end - start) * 1000)


def taint_letters(value: int) -> str:
    """The letters of the taint flags set in VALUE."""
    return "".join(c for i, c in enumerate(TAINT_LETTERS) if value & (1 << i))


def expected_plan(scenarios_file: str, flavour: str, only: List[str],
                  sweep: bool) -> Tuple[List[str], List[str]]:
    """The scenarios a boot must run, and the names --only may use."""
    flavours: Dict[str, List[str]] = {}
    with open(scenarios_file) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if words:
                flavours[words[0]] = words[1:]
    if flavour not in flavours:
        raise ValueError(f"no flavour '{flavour}' in {scenarios_file}")
    known = flavours[flavour] + (["sweep"] if sweep else [])
    # "FLAVOUR+": scenarios that run only when --only names them.
    on_request = flavours.get(flavour + "+", [])
    unknown = [s for s in only if s not in known + on_request]
    if unknown:
        raise ValueError(f"unknown scenario {', '.join(unknown)} for flavour "
                         f"{flavour} (known: {' '.join(known + on_request)})")
    return ([s for s in known if not only or s in only]
            + [s for s in on_request if s in only], known + on_request)


def read_expect(path: str, flavour: str) -> List[str]:
    """The scenarios of FLAVOUR that must fail on the unpatched kernel.

    A name that ends in "?" is one whose verdict on the unpatched kernel
    is not judged: it fails there at some runs only.
    """
    names = []
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) >= 2 and words[0] == flavour:
                names.append(words[1])
    return names


class Boot:
    """What one boot's two logs say."""

    def __init__(self, log_lines: List[str], console_lines: List[str]):
        self.begun = False
        self.ended = False
        self.bail: Optional[str] = None
        self.plan_count: Optional[int] = None
        self.plan: Optional[List[str]] = None
        self.verdicts: List[Tuple[str, int, str]] = []
        self.taint: List[Tuple[str, int]] = []
        self.dmesg: Dict[str, List[str]] = {}
        self.console_parts: List[Tuple[str, str]] = []
        self.reboot_ms = reboot_ms(console_lines)
        self._parse_log(log_lines)
        self._parse_console(console_lines)

    def _parse_log(self, lines: List[str]) -> None:
        part: Optional[str] = None
        for raw in lines:
            line = raw.rstrip("\r\n")
            if part is not None:
                if line == f"# DMESG-END {part}":
                    part = None
                else:
                    self.dmesg[part].append(line)
                continue
            if line.startswith("# DMESG-BEGIN "):
                part = line.split(" ", 2)[2]
                self.dmesg.setdefault(part, [])
                continue
            if line.startswith("BOOT-TEST-BEGIN"):
                self.begun = True
                continue
            if not self.begun:
                continue
            if line == "BOOT-TEST-END":
                self.ended = True
            elif line.startswith("Bail out!"):
                self.bail = line
            elif re.fullmatch(r"1\.\.\d+", line) and self.plan_count is None:
                self.plan_count = int(line[3:])
            elif line.startswith("# PLAN"):
                self.plan = line.split()[2:]
            elif line.startswith("# TAINT "):
                words = line.split()
                if len(words) == 4 and words[3].isdigit():
                    self.taint.append((words[2], int(words[3])))
            else:
                m = VERDICT.match(line)
                if m:
                    self.verdicts.append((m.group(3), int(m.group(2)), m.group(1)))

    def _parse_console(self, lines: List[str]) -> None:
        part = "boot"
        for raw in lines:
            line = raw.rstrip("\r\n")
            m = SCENARIO_MARK.search(line)
            if m:
                part = m.group(1)
            if SPLATS.search(line):
                self.console_parts.append((part, line))

    def reports(self) -> List[Tuple[str, str]]:
        """(part, line) of every kernel report, from the log and console."""
        found = []
        for part, lines in self.dmesg.items():
            found += [(part, line) for line in lines if SPLATS.search(line)]
        seen = {line.strip() for _, line in found}
        # The console repeats the log; keep what only it has (a panic
        # that ended the boot before /init could read the log).
        found += [(p, l) for p, l in self.console_parts if l.strip() not in seen]
        return found


def check(boot: Boot, plan: List[str], kernel: str,
          expect: Optional[List[str]]) -> List[str]:
    """Every reason the boot fails, one line each."""
    problems = []
    if not boot.begun:
        problems.append("the scenario script never started (no BOOT-TEST-BEGIN)")
    if boot.bail:
        problems.append(f"the scenario script gave up: {boot.bail}")
    if not boot.ended:
        problems.append("no end marker: the boot did not finish")
    if boot.plan_count != len(plan) or boot.plan != plan:
        problems.append(f"plan {boot.plan_count} {boot.plan} is not the "
                        f"{len(plan)} scenarios asked for: {plan}")
    names = [v[0] for v in boot.verdicts]
    numbers = [v[1] for v in boot.verdicts]
    if names != plan or numbers != list(range(1, len(plan) + 1)):
        problems.append(f"verdicts for {names}, expected one each for {plan}")

    boot_part = boot.dmesg.get("boot")
    if boot_part is None:
        problems.append("no kernel log: the scenario script did not read it")
    elif not any("Linux version" in line for line in boot_part[:5]):
        problems.append("the kernel log lost its first lines (log_buf_len too small)")

    for part, line in boot.reports():
        problems.append(f"kernel report in {part}: {line.strip()}")

    prev = 0
    for part, value in boot.taint:
        new = value & ~prev & ~ALLOWED_TAINT
        if new:
            problems.append(f"kernel tainted ({taint_letters(new)}) in {part}: "
                            f"/proc/sys/kernel/tainted = {value}")
        prev |= value
    if not boot.taint and boot.ended:
        problems.append("no taint flags read")

    verdict = {name: v for name, _, v in boot.verdicts}
    if verdict.get(REBOOT_SCENARIO) == "ok" and boot.ended:
        if boot.reboot_ms is None:
            problems.append(f"scenario {REBOOT_SCENARIO}: no reboot on the console "
                            "(\"boot-test: reboot\", then \"reboot: Restarting system\")")
        elif boot.reboot_ms >= REBOOT_LIMIT_MS:
            problems.append(f"scenario {REBOOT_SCENARIO}: the reboot took {boot.reboot_ms} ms "
                            f"with orphaned helpers alive (limit {REBOOT_LIMIT_MS} ms)")
    for name in plan:
        v = verdict.get(name)
        if v is None:
            continue
        if expect is not None and kernel != "series" and f"{name}?" in expect:
            continue
        if kernel == "series" or expect is None:
            if kernel == "series" and v != "ok":
                problems.append(f"scenario {name} failed on the patched kernel")
        elif name in expect and v == "ok":
            problems.append(f"scenario {name} passed on the unpatched kernel, "
                            "which it must fail (scripts/boot/fails-unpatched)")
        elif name not in expect and v != "ok":
            problems.append(f"scenario {name} failed on the unpatched kernel, "
                            "which it must pass (a regression guard)")
    return problems


def check_plant(boot: Boot, plan: List[str], kernel: str,
                expect: Optional[List[str]], plant: str) -> List[str]:
    """The negative test: the planted report must be found, and blamed."""
    problems = check(boot, plan, kernel, expect)
    want_report = f"kernel report in {plant}: "
    want_taint = f"kernel tainted (W) in {plant}: "
    found_report = any(p.startswith(want_report) and "WARNING:" in p and PLANT_TEXT in p
                       for p in problems)
    found_taint = any(p.startswith(want_taint) for p in problems)
    missed = []
    if not found_report:
        missed.append(f"the planted WARNING was not reported in {plant}")
    if not found_taint:
        missed.append(f"the planted taint (W) was not reported in {plant}")
    others = [p for p in problems
              if not ((p.startswith(want_report) and PLANT_TEXT in p)
                      or p.startswith(want_taint))]
    return missed + others


class Parser(argparse.ArgumentParser):
    """argparse, with one line for a wrong command line instead of three."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (--help lists the options)\n")


def main(argv: List[str]) -> int:
    ap = Parser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--kernel", required=True, choices=["base", "series"])
    ap.add_argument("--flavour", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--only", default="")
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--expect")
    ap.add_argument("--plant")
    ap.add_argument("--list-plan", action="store_true",
                    help="only print the plan (and check --only)")
    args = ap.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    try:
        plan, _ = expected_plan(args.scenarios, args.flavour, only, args.sweep)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.plant and args.plant not in plan:
        print(f"error: --plant {args.plant} is not a scenario of this run", file=sys.stderr)
        return 2
    if args.list_plan:
        print(" ".join(plan))
        return 0
    expect = read_expect(args.expect, args.flavour) if args.expect else None
    try:
        with open(args.log, errors="replace") as f:
            log_lines = f.readlines()
    except OSError as e:
        print(f"error: --log: {e}", file=sys.stderr)
        return 2
    try:
        with open(args.console, errors="replace") as f:
            console_lines = f.readlines()
    except OSError:
        console_lines = []
    boot = Boot(log_lines, console_lines)
    if args.plant:
        problems = check_plant(boot, plan, args.kernel, expect, args.plant)
    else:
        problems = check(boot, plan, args.kernel, expect)
    for p in problems:
        print(f"FAIL: {args.kernel}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
