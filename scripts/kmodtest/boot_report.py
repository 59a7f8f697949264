#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the console logs of the boot tests side by side.

Usage: boot_report.py BOOTDIR [--suffix SFX] KERNEL...

Reads BOOTDIR/<kernel><SFX>-<run>.log, as written by scripts/boot/boot-test.sh
(SFX is "-debug" for the debug flavour, empty for the small one), and
writes BOOTDIR/results<SFX>.md and BOOTDIR/results<SFX>.json: for every figure of
every scenario ("# RESULT <scenario> key=value ..."), the median over the
runs of each kernel with its range, the ratio patched/base, and the KTAP
verdicts; with reboot_orphans, also reboot_orphans.reboot_ms, the time of
the final reboot read from the boot's console (<kernel><SFX>-<run>.console,
as boot_verdict.py reads it).  Prints the Markdown table.
"""

import glob
import json
import os
import re
import statistics
import sys
from typing import Dict, List, Optional

from kmodtest.boot_verdict import REBOOT_SCENARIO, reboot_ms



RESULT = re.compile(r"^# RESULT (\S+) (.*)$")
VERDICT = re.compile(r"^(ok|not ok) \d+ (\S+)")

Figures = Dict[str, List[float]]


def parse_log(path: str, figures: Figures, verdicts: Dict[str, List[str]],
              info: Dict[str, str]) -> None:
    """Adds the figures and verdicts of one console log."""
    started = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            # Before it, the console has the kernel's own KTAP (KUnit).
            if line.startswith("BOOT-TEST-BEGIN"):
                started = True
            if not started:
                continue
            m = RESULT.match(line)
            if m:
                scenario, rest = m.groups()
                for kv in rest.split():
                    key, eq, value = kv.partition("=")
                    if not eq:
                        continue
                    if scenario == "kernel":
                        info[key] = value
                        continue
                    # Figures are numbers; other values (args=...) are not.
                    try:
                        number = float(value)
                    except ValueError:
                        continue
                    figures.setdefault(f"{scenario}.{key}", []).append(number)
                continue
            m = VERDICT.match(line)
            if m:
                verdicts.setdefault(m.group(2), []).append(m.group(1))


def console_reboot_ms(path: str) -> Optional[float]:
    """The time of the boot's final reboot on its console (boot_verdict.py)."""
    try:
        with open(path, errors="replace") as f:
            return reboot_ms(f.readlines())
    except OSError:
        return None


def fmt(values: List[float]) -> str:
    if not values:
        return "-"
    med = statistics.median(values)
    text = f"{med:g}"
    if len(values) > 1:
        text += f" ({min(values):g}–{max(values):g})"
    return text


USAGE = "usage: boot_report.py BOOTDIR [--suffix SFX] KERNEL..."


def main() -> int:
    if len(sys.argv) < 3:
        print(USAGE, file=sys.stderr)
        return 2
    bootdir, kernels = sys.argv[1], sys.argv[2:]
    sfx = ""
    if kernels[0] == "--suffix":
        if len(kernels) < 2:
            print("error: option --suffix needs a value", file=sys.stderr)
            return 2
        sfx, kernels = kernels[1], kernels[2:]
    if not kernels or kernels[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    if not os.path.isdir(bootdir):
        print(f"error: {bootdir}: no such directory of boot logs", file=sys.stderr)
        return 2
    data = {}
    for k in kernels:
        figures: Figures = {}
        verdicts: Dict[str, List[str]] = {}
        info: Dict[str, str] = {}
        logs = sorted(glob.glob(os.path.join(bootdir, f"{k}{sfx}-[0-9]*.log")))
        for log in logs:
            parse_log(log, figures, verdicts, info)
            ms = console_reboot_ms(log[:-len(".log")] + ".console")
            if ms is not None and REBOOT_SCENARIO in verdicts:
                figures.setdefault(f"{REBOOT_SCENARIO}.reboot_ms", []).append(ms)
        data[k] = {"runs": len(logs), "kernel": info,
                   "figures": figures, "verdicts": verdicts}

    keys = sorted({key for k in kernels for key in data[k]["figures"]})
    head = ["figure"] + [f"{k} ({data[k]['kernel'].get('release', '?')})"
                         for k in kernels]
    ratio = "base" in kernels and "series" in kernels
    if ratio:
        head.append("series/base")
    rows = []
    for key in keys:
        row = [key] + [fmt(data[k]["figures"].get(key, [])) for k in kernels]
        if ratio:
            b = data["base"]["figures"].get(key)
            s = data["series"]["figures"].get(key)
            if b and s and statistics.median(b):
                row.append(f"{statistics.median(s) / statistics.median(b):.3f}")
            else:
                row.append("-")
        rows.append(row)
    scenarios = sorted({s for k in kernels for s in data[k]["verdicts"]})
    for s in scenarios:
        row = [f"{s} (verdict)"]
        for k in kernels:
            v = data[k]["verdicts"].get(s, [])
            row.append(f"{v.count('ok')}/{len(v)} ok" if v else "-")
        if ratio:
            row.append("")
        rows.append(row)

    lines = ["| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    runs = ", ".join(f"{k}: {data[k]['runs']}" for k in kernels)
    table = "\n".join(lines) + f"\n\nRuns per kernel: {runs}; medians " \
        "with the range in parentheses.\n"
    with open(os.path.join(bootdir, f"results{sfx}.md"), "w") as f:
        f.write(table)
    with open(os.path.join(bootdir, f"results{sfx}.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
