#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark's report: targets, medians, ratios, plots.

Usage: bench_report.py [--sweep] BOOTDIR OUTDIR

Reads BOOTDIR/{base,series}-bench-<run>.log (scripts/boot/boot-test.sh
--flavour bench) and writes OUTDIR/results.md, OUTDIR/results.json and
OUTDIR/kill_refill.png; with sweep results in the logs also OUTDIR/sweep.md
and OUTDIR/sweep.png.  With --sweep (bench.sh --sweep ran the extra boots)
also sweep-smp8.* from {base,series}-bench-smp8-*.log and OUTDIR/kselftest.md
from {base,series}-debug-kmod-<run>.log (kmod.sh 0008 and 0009 at full
counts); without it those logs, left by an earlier run, are not reported.
Prints the Markdown table.  Exits 1 if a target of the patched kernel is
missed.
"""

import json
import os
import statistics
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

from kmodtest.bench_plots import plot_kill_refill, plot_real, plot_sweep
from kmodtest.bench_runs import KERNELS, Runs, boots, spread
from kmodtest.bench_tables import (REAL_NS, TABLE_TITLES, detail_tables,
                                   kselftest_table, real_fs_table, sweep_data,
                                   sweep_table)

# Boots of each kernel below which a ratio target is reported, not judged
# (make demo boots each kernel once; make bench three times).
MIN_RATIO_RUNS = 3

# (figure, what it shows, target text, check of the patched median, ratio?)
Target = Tuple[str, str, str, Optional[Callable[[float, float], bool]], bool]
TARGETS: List[Target] = [
    ("same_name.modprobe_runs", "modprobe runs, 200 callers of one name",
     "1", lambda s, b: s == 1, False),
    ("moving_queue.failures", "failures, 200 names, modprobe 3 s",
     "0", lambda s, b: s == 0, False),
    ("kill_refill.peak_live", "peak live modprobes, 50 killed + 50 new",
     "<= 50", lambda s, b: s <= 50, False),
    ("nowait_storm.peak_live", "peak live modprobes, 200 request_module_nowait()",
     "<= 50", lambda s, b: s <= 50, False),
    ("killed_queued.linger_ms", "ms from SIGKILL to exit, queued caller",
     "< 50", lambda s, b: s < 50, False),
    ("umh_cost.umh_ns_per_call", "ns per call_usermodehelper(UMH_WAIT_PROC)",
     "series/base <= 1.02", lambda s, b: b > 0 and s / b <= 1.02, True),
    ("umh_cost.kmod_ns_per_call", "ns per request_module() of a missing module",
     "series/base <= 1.02", lambda s, b: b > 0 and s / b <= 1.02, True),
    ("umh_cost.sizeof_subprocess_info", "sizeof(struct subprocess_info), bytes",
     "reported", None, True),
    ("real_same_2000.modprobe_runs", "kmod modprobe runs, 2000 callers of one real module",
     "1", lambda s, b: s == 1, False),
    ("real_same_2000.failures", "failed requests, 2000 callers of one real module",
     "0", lambda s, b: s == 0, False),
    ("real_distinct_2000.failures", "failed requests, 2000 callers of 2000 real modules",
     "0", lambda s, b: s == 0, False),
    ("real_distinct_2000.loaded", "modules loaded, 2000 callers of 2000 real modules",
     "2000", lambda s, b: s == 2000, False),
    ("real_distinct_2000.cpu_ms", "guest CPU ms, 2000 callers of 2000 real modules",
     "reported", None, True),
    ("wakeups.ctxt_per_request_2000", "context switches per request, 2000 queued",
     "reported", None, True),
    ("fork_chain.us_per_request_deep", "µs per request, caller 1000 processes deep",
     "reported", None, True),
    ("recursion.answer_ms", "ms until a modprobe that recurses is answered",
     "< 1000", lambda s, b: s < 1000, False),
    ("orphan_recovery.served_ms", "ms until served, 50 slots held by stuck orphans",
     "< 15000", lambda s, b: s < 15000, False),
    ("idle_head.others_ms", "ms until 10 callers are served, head caller idle",
     "< 1000", lambda s, b: s < 1000, False),
]


def real_targets(runs: Runs) -> List[Target]:
    """TARGETS, its real-modprobe rows at the largest N the storms reached.

    A quick run (bench.sh --quick) stops the storms at N = 200; its
    targets are then those of 200 callers, not figures it has no data for.
    """
    ns = [n for n in REAL_NS
          if any(f"real_same_{n}.modprobe_runs" in r.figures
                 for k in KERNELS for r in runs[k])]
    top = max(ns) if ns else REAL_NS[-1]
    if top == REAL_NS[-1]:
        return TARGETS
    out: List[Target] = []
    for key, what, target, check, ratio in TARGETS:
        if key.startswith("real_"):
            key = key.replace("_2000.", f"_{top}.")
            what = what.replace("2000", str(top))
            if key.endswith(".loaded"):
                target = str(top)
                check = lambda s, b, top=top: s == top  # noqa: E731
        out.append((key, what, target, check, ratio))
    return out


def target_table(runs: Runs, nruns: Dict[str, int]) -> Tuple[str, List[dict], int]:
    """The targets' table, their JSON rows, and how many the patched
    kernel missed."""
    rel = {k: runs[k][0].info.get("release", "?") for k in KERNELS}
    head = ["figure", "target (patched)", f"unpatched ({rel['base']})",
            f"patched ({rel['series']})", "patched/unpatched", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    results = []
    missed = 0
    for key, what, target, check, ratio in real_targets(runs):
        vals = {k: [r.figures[key] for r in runs[k] if key in r.figures]
                for k in KERNELS}
        b = statistics.median(vals["base"]) if vals["base"] else None
        s = statistics.median(vals["series"]) if vals["series"] else None
        r = f"{s / b:.3f}" if ratio and b and s is not None else "-"
        if check is None:
            met = "-"
        elif ratio and min(nruns.values()) < MIN_RATIO_RUNS:
            # The cost of one boot differs from another's by up to about
            # 2 %, as much as the target allows: a ratio needs several.
            n = min(nruns.values())
            met = f"not judged ({n} boot{'' if n == 1 else 's'}; make bench judges it)"
        elif s is None or b is None:
            met, missed = "NO (no data)", missed + 1
        elif check(s, b):
            met = "yes"
        else:
            met, missed = "NO", missed + 1
        lines.append(f"| {what} | {target} | {spread(vals['base'])} | "
                     f"{spread(vals['series'])} | {r} | {met} |")
        results.append({"figure": key, "what": what, "target": target,
                        "base": vals["base"], "series": vals["series"],
                        "ratio": r, "met": met})
    table = "\n".join(lines) + (
        f"\n\nBoots: {nruns['base']} unpatched, {nruns['series']} patched, "
        "alternating; medians with the range in parentheses; QEMU/TCG "
        "-smp 2 -icount shift=0,sleep=off (guest time counts instructions).\n")
    return table, results, missed


def main() -> int:
    args = sys.argv[1:]
    with_sweep = bool(args) and args[0] == "--sweep"
    if with_sweep:
        args = args[1:]
    title = "make bench"
    if len(args) >= 2 and args[0] == "--title":
        title, args = args[1], args[2:]
    if len(args) != 2 or any(a.startswith("-") for a in args):
        print("usage: bench_report.py [--sweep] [--title TEXT] BOOTDIR OUTDIR",
              file=sys.stderr)
        return 2
    bootdir, outdir = args
    if not os.path.isdir(bootdir):
        print(f"error: {bootdir}: no such directory", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    runs: Runs = {k: boots(bootdir, k, "bench") for k in KERNELS}
    for k in KERNELS:
        if not runs[k]:
            print(f"no benchmark logs of the {k} kernel in {bootdir}",
                  file=sys.stderr)
            return 1
    nruns = {k: len(runs[k]) for k in KERNELS}
    # The real modprobe storms' boot (bench.sh, --tag real): its figures
    # (real_*) are in no other boot, so it joins the runs.  So do the
    # lockstat boots' (lock_hold, of CONFIG_LOCK_STAT kernels of their own).
    nreal, nlock = {}, {}
    for k in KERNELS:
        real, lock = boots(bootdir, k, "bench-real"), boots(bootdir, k, "lockstat")
        nreal[k], nlock[k] = len(real), len(lock)
        runs[k] += real + lock
    rel = {k: runs[k][0].info.get("release", "?") for k in KERNELS}
    table, results, missed = target_table(runs, nruns)
    lockstat = (f", {nlock['base']} and {nlock['series']} of the CONFIG_LOCK_STAT "
                "kernels" if any(nlock.values()) else "")
    tables = {"run": (
        f"`{title}`, {time.strftime('%Y-%m-%d', time.gmtime())}: "
        f"{rel['base']} (unpatched) and {rel['series']} (patched), "
        f"{nruns['base']} and {nruns['series']} alternating boots, "
        f"{nreal['base']} and {nreal['series']} more for the real modprobe "
        f"storms{lockstat}; QEMU/TCG -smp 2 -icount shift=0,sleep=off, so times are "
        "guest times (one instruction, one nanosecond).\n"),
        "targets": table}
    tables.update(detail_tables(runs))
    plots = []
    if plot_kill_refill(runs, os.path.join(outdir, "kill_refill.png")):
        plots.append("kill_refill.png")
    if plot_real(runs, REAL_NS, os.path.join(outdir, "real_modprobe.png")):
        plots.append("real_modprobe.png")
    sweeps = [("sweep", runs)]
    if with_sweep:
        # Real modules of the kernel: only the debug kernels have them.
        fs = real_fs_table({k: boots(bootdir, k, "debug-real") for k in KERNELS})
        if fs:
            tables["real_fs"] = fs
        sweeps.append(("sweep-smp8", {k: boots(bootdir, k, "bench-smp8") for k in KERNELS}))
    for name, sruns in sweeps:
        data = sweep_data(sruns)
        text = sweep_table(data)
        if not text:
            continue
        tables[name.replace("-", "_")] = text
        with open(os.path.join(outdir, f"{name}.md"), "w") as f:
            f.write(text)
        if plot_sweep(data, os.path.join(outdir, f"{name}.png"), name):
            plots.append(f"{name}.png")
    if with_sweep:
        ks = kselftest_table(bootdir)
        if ks:
            tables["kselftest"] = ks
            with open(os.path.join(outdir, "kselftest.md"), "w") as f:
                f.write(ks)
    with open(os.path.join(outdir, "results.md"), "w") as f:
        for name, text in tables.items():
            f.write(f"## {TABLE_TITLES.get(name, name)}\n\n{text}\n")
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"kernels": rel, "boots": nruns, "targets": results,
                   "tables": tables, "plots": plots,
                   "figures": {k: [r.figures for r in runs[k]] for k in KERNELS}},
                  f, indent=1, sort_keys=True)
    for name, text in tables.items():
        print(f"## {TABLE_TITLES.get(name, name)}\n\n{text}")
    for p in plots:
        print(f"plot: {os.path.join(outdir, p)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
