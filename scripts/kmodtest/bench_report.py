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

import glob
import json
import os
import re
import statistics
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

from kmodtest import boot_report as BOOT_REPORT

KERNELS = ("base", "series")


class Run:
    """The figures and modprobe events of one boot."""

    def __init__(self) -> None:
        self.figures: Dict[str, float] = {}
        self.info: Dict[str, str] = {}
        self.events: Dict[str, List[Tuple[str, int]]] = {}




def parse(path: str) -> Run:
    """Figures (boot_report.py's parser) and EVENTS blocks of one log."""
    run = Run()
    figures: Dict[str, List[float]] = {}
    BOOT_REPORT.parse_log(path, figures, {}, run.info)
    run.figures = {key: values[-1] for key, values in figures.items()}
    events: Optional[List[Tuple[str, int]]] = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("# EVENTS-BEGIN "):
                events = run.events.setdefault(line.split()[2], [])
            elif line.startswith("# EVENTS-END"):
                events = None
            elif events is not None:
                parts = line.split()
                if len(parts) >= 2 and parts[0] in ("start", "end"):
                    events.append((parts[0], int(parts[1])))
    return run


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


def spread(values: List[float]) -> str:
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:g}"
    return f"{med:g} ({min(values):g}–{max(values):g})"


def live_curve(events: List[Tuple[str, int]]) -> Tuple[List[float], List[int]]:
    """Step curve of live helpers: seconds from the first event, count."""
    if not events:
        return [], []
    events = sorted(events, key=lambda e: e[1])
    t0 = events[0][1]
    xs, ys, live = [0.0], [0], 0
    for kind, t in events:
        live += 1 if kind == "start" else -1
        xs.append((t - t0) / 1e6)
        ys.append(live)
    return xs, ys


def plot_kill_refill(runs: Dict[str, List[Run]], path: str) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib (python3-matplotlib): no plot", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for k, style in zip(KERNELS, ("-", "-")):
        ev = next((r.events.get("kill_refill") for r in runs[k]
                   if r.events.get("kill_refill")), None)
        if not ev:
            continue
        xs, ys = live_curve(ev)
        rel = runs[k][0].info.get("release", k)
        ax.step(xs, ys, where="post", linestyle=style,
                label=f"{'patched' if k == 'series' else 'unpatched'} ({rel})")
    ax.axhline(50, color="grey", linestyle=":", label="limit (50)")
    ax.set_xlabel("seconds since the first modprobe started (guest clock)")
    ax.set_ylabel("modprobe helpers alive")
    ax.set_title("50 callers killed while their modprobes run, then 50 new requests")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


SWEEP_KEY = re.compile(r"^sweep_(same|distinct)_(\d+)\.(\w+)$")


def plot_against_n(ax, curves: Dict[str, List[Tuple[int, float]]], xlabel: str,
                   ylabel: str, title: str) -> None:
    """One panel: each kernel's (N, value) points, N on a log axis."""
    for k, pts in curves.items():
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o",
                    label="patched" if k == "series" else "unpatched")
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()


def sweep_report(runs: Dict[str, List[Run]], outdir: str,
                 name: str = "sweep") -> Optional[str]:
    """Tables and plot of the scaling sweep (OUTDIR/NAME.{md,png}), if the
    logs have one."""
    data: Dict[Tuple[str, str, int, str], List[float]] = {}
    for k in KERNELS:
        for r in runs[k]:
            for key, v in r.figures.items():
                m = SWEEP_KEY.match(key)
                if m:
                    data.setdefault((k, m.group(1), int(m.group(2)), m.group(3)),
                                    []).append(v)
    if not data:
        return None
    out = []
    for series in ("same", "distinct"):
        ns = sorted({n for (_, s, n, _) in data if s == series})
        # callers is N, and requests times 128 is bytes: not repeated.
        figs = sorted({f for (_, s, _, f) in data if s == series}
                      - {"callers", "throttle_peak_requests"})
        title = ("N callers for one module name" if series == "same"
                 else "N callers for N distinct names, modprobe 1 s")
        out.append(f"### {title}\n")
        head = ["N"] + [f"{f} ({k})" for f in figs for k in KERNELS]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for n in ns:
            row = [str(n)] + [spread(data.get((k, series, n, f), []))
                              for f in figs for k in KERNELS]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    text = "\n".join(out)
    with open(os.path.join(outdir, f"{name}.md"), "w") as f:
        f.write(text)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return text
    fig, axes = plt.subplots(3, 2, figsize=(10, 10))
    for col, series in enumerate(("same", "distinct")):
        for row, fig_name in enumerate(("modprobe_runs", "failures", "wall_ms")):
            plot_against_n(axes[row][col], {k: sorted(
                (n, statistics.median(v)) for (kk, s, n, ff), v in data.items()
                if kk == k and s == series and ff == fig_name) for k in KERNELS},
                "N (callers)", fig_name, f"{series} name(s): {fig_name}")
    fig.tight_layout()
    fig.suptitle(f"{name}: unpatched vs patched, N concurrent request_module() callers")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, f"{name}.png"), dpi=100)
    return text


def median_of(runs: Dict[str, List[Run]], kernel: str, key: str) -> Optional[float]:
    vals = [r.figures[key] for r in runs[kernel] if key in r.figures]
    return statistics.median(vals) if vals else None


def cells(runs: Dict[str, List[Run]], key: str, ratio: bool) -> List[str]:
    """The unpatched and patched spread of figure KEY, and with RATIO their
    patched/unpatched ratio of medians."""
    out = [spread([r.figures[key] for r in runs[k] if key in r.figures])
           for k in KERNELS]
    if ratio:
        b, p = median_of(runs, "base", key), median_of(runs, "series", key)
        out.append(f"{p / b:.3f}" if b and p is not None else "-")
    return out


# Column: (figure, header, with a patched/unpatched ratio?)
Column = Tuple[str, str, bool]


def dotted(prefix: str, fig: str) -> str:
    """The figure FIG of scenario or storm PREFIX: "real_same_50.wall_ms"."""
    return f"{prefix}.{fig}"


def figure_table(runs: Dict[str, List[Run]], rows: List[Tuple[str, str]],
                 columns: List[Column],
                 key_of: Callable[[str, str], str] = dotted) -> Optional[str]:
    """A Markdown table: one row per (label, figure prefix), for each column
    the unpatched and patched spread (and ratio) of key_of(prefix, column
    figure), rows without data left out; None if no row has data."""
    head = ["case"]
    for _, name, ratio in columns:
        head += [f"{name}: unpatched", "patched"] + (["ratio"] if ratio else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    found = False
    for label, prefix in rows:
        row, here = [label], False
        for fig, _, ratio in columns:
            key = key_of(prefix, fig)
            here |= any(key in r.figures for k in KERNELS for r in runs[k])
            row += cells(runs, key, ratio)
        # A quick run has no rows past its largest N: leave them out.
        if here:
            lines.append("| " + " | ".join(row) + " |")
        found |= here
    return "\n".join(lines) + "\n" if found else None


REAL_NS = (50, 200, 600, 2000)
TABLE_TITLES = {
    "run": "The run",
    "targets": "Targets",
    "real_same_counts": "kmod's modprobe, N callers of one module: counts",
    "real_same_costs": "kmod's modprobe, N callers of one module: costs",
    "real_distinct_counts": "kmod's modprobe, N callers of N modules: counts",
    "real_distinct_costs": "kmod's modprobe, N callers of N modules: costs",
    "real_fs": "kmod's modprobe, real modules of the kernel (xfs, btrfs; debug kernels)",
    "per_request": "Cost per request as the queue grows",
    "pathological": "Pathological cases",
    "lock_hold": "Time under the throttle's lock (CONFIG_LOCK_STAT kernels, guest ns)",
    "kselftest": "kselftest kmod 0008 and 0009 at full counts (debug kernels)",
}
REAL_COUNTS: List[Column] = [
    ("modprobe_runs", "modprobe runs", False), ("failures", "failed requests", False),
    ("modprobe_failures", "failed modprobes", False), ("peak_live", "peak live", False),
    ("loaded", "loaded", False)]
REAL_COSTS: List[Column] = [
    ("wall_ms", "wall ms", True), ("cpu_ms", "busy CPU ms", True),
    ("ctxt_per_request", "context switches per request", True)]
REAL_FS = [("xfs", 200), ("btrfs", 200), ("xfs", 2000)]


def detail_tables(runs: Dict[str, List[Run]]) -> Dict[str, str]:
    """The benchmark's tables beyond the targets, by name (those with data)."""
    tables: Dict[str, Optional[str]] = {}
    for kind, what in (("same", "one module (init 100 ms)"),
                       ("distinct", "N modules (init 20 ms each)")):
        rows = [(f"{n} callers, {what}", f"real_{kind}_{n}") for n in REAL_NS]
        tables[f"real_{kind}_counts"] = figure_table(runs, rows, REAL_COUNTS)
        tables[f"real_{kind}_costs"] = figure_table(runs, rows, REAL_COSTS)
    rows = [(f"{n} callers of fs-{m}", f"real_fs_{m}_{n}") for m, n in REAL_FS]
    tables["real_fs"] = figure_table(runs, rows, REAL_COUNTS[:4] + REAL_COSTS[:2])
    per = ["| case | context switches per request: unpatched | patched | ratio |",
           "|---|---|---|---|"]
    found = False
    for n in REAL_NS:
        key = f"wakeups.ctxt_per_request_{n}"
        found |= any(key in r.figures for k in KERNELS for r in runs[k])
        per.append(f"| {n} queued requests (stand-in modprobe, 20 ms) | "
                   + " | ".join(cells(runs, key, True)) + " |")
    for depth, fig in (("no extra ancestors", "us_per_request_top"),
                       ("1000 processes deep", "us_per_request_deep")):
        key = f"fork_chain.{fig}"
        found |= any(key in r.figures for k in KERNELS for r in runs[k])
        per.append(f"| µs per request, caller with {depth} | "
                   + " | ".join(cells(runs, key, True)) + " |")
    tables["per_request"] = "\n".join(per) + "\n" if found else None
    rows_p = [
        ("recursion: ms until answered", "recursion.answer_ms"),
        ("recursion: helpers started", "recursion.helpers"),
        ("stuck orphans: ms until a new request is served", "orphan_recovery.served_ms"),
        ("killed queued caller: ms from SIGKILL to exit", "killed_queued.linger_ms"),
        ("head caller that does not run: ms until 10 others are served",
         "idle_head.others_ms"),
    ]
    path = ["| case | unpatched | patched |", "|---|---|---|"]
    found = False
    for label, key in rows_p:
        found |= any(key in r.figures for k in KERNELS for r in runs[k])
        path.append(f"| {label} | " + " | ".join(cells(runs, key, False)) + " |")
    tables["pathological"] = "\n".join(path) + "\n" if found else None
    tables["lock_hold"] = lock_table(runs)
    return {k: v for k, v in tables.items() if v}


# (figure suffix, header, with a ratio?) of the lockstat boots' lock_hold.
# Its longest hold (hold_max_ns) stays in the JSON only: under TCG one
# vCPU can be held up mid-section while the other runs its time slice.
LOCK_COLUMNS: List[Column] = [
    ("hold_ns_per_request", "ns held per request", True),
    ("acq_per_request", "acquisitions per request", False)]


def lock_table(runs: Dict[str, List[Run]]) -> Optional[str]:
    """Time under the throttle's lock (lockstat boots): one row per queue
    length and caller depth, None without lockstat boots."""
    rows = [(f"{n} callers of distinct modules at once (stand-in modprobe, 200 ms)", str(n))
            for n in REAL_NS]
    rows += [("200 sequential requests, caller with no extra ancestors", "depth0"),
             ("200 sequential requests, caller 1000 processes deep", "depth1000")]
    return figure_table(runs, rows, LOCK_COLUMNS,
                        key_of=lambda tag, fig: f"lock_hold.{fig}_{tag}")


def plot_real(runs: Dict[str, List[Run]], path: str) -> bool:
    """modprobe runs, wall and CPU time against N, real modprobe."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(3, 2, figsize=(10, 10))
    drawn = False
    for col, kind in enumerate(("same", "distinct")):
        for row, (fig_name, label) in enumerate((("modprobe_runs", "modprobe runs"),
                                                 ("failures", "failed requests"),
                                                 ("cpu_ms", "busy guest CPU ms"))):
            curves = {k: [(n, v) for n in REAL_NS if (v := median_of(
                runs, k, f"real_{kind}_{n}.{fig_name}")) is not None] for k in KERNELS}
            drawn |= any(curves.values())
            plot_against_n(axes[row][col], curves, "N (waiting callers)", label,
                           f"kmod modprobe, {'one module' if kind == 'same' else 'N modules'}")
    if not drawn:
        plt.close(fig)
        return False
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def kselftest_report(bootdir: str, outdir: str) -> Optional[str]:
    """Run times of kmod.sh tests 0008 and 0009 at full counts on both debug
    kernels (BOOTDIR/{base,series}-debug-kmod-<run>.log, bench.sh --sweep)
    and the patched/unpatched ratio of the time per round, written to
    OUTDIR/kselftest.md; None if there are no such logs.  A test that
    failed stopped early: its time per round still compares, its total
    does not."""
    runs = {k: [parse(p) for p in sorted(glob.glob(
        os.path.join(bootdir, f"{k}-debug-kmod-[0-9]*.log")))] for k in KERNELS}
    if not all(runs.values()):
        return None
    head = ["kmod.sh test", "unpatched: s, rounds, rc", "patched: s, rounds, rc",
            "patched/unpatched, time per round"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for test in ("0008", "0009"):
        cells = []
        per_round: Dict[str, Optional[float]] = {}
        for k in KERNELS:
            figs = [r.figures for r in runs[k] if f"kselftest_{test}.ms" in r.figures]
            if not figs:
                cells.append("-")
                per_round[k] = None
                continue
            f = figs[-1]
            ms = f[f"kselftest_{test}.ms"]
            rounds = f.get(f"kselftest_{test}.rounds")
            rc = int(f.get(f"kselftest_{test}.rc", -1))
            cells.append(f"{ms / 1000:.1f} s, {int(rounds) if rounds else '?'}, "
                         f"rc {rc}" + (" (failed)" if rc else ""))
            per_round[k] = ms / rounds if rounds else None
        b, p = per_round["base"], per_round["series"]
        ratio = f"{p / b:.3f}" if b and p else "-"
        out.append(f"| {test} | {cells[0]} | {cells[1]} | {ratio} |")
    out.append("")
    out.append("Debug kernels (KASAN, lockdep), QEMU/TCG -smp 2, one boot each; "
               "kmod.sh -t 0008 and -t 0009: 150 rounds of 58 and 62 threads "
               "unless a round fails (rc 1), which ends the test.")
    text = "\n".join(out) + "\n"
    with open(os.path.join(outdir, "kselftest.md"), "w") as f:
        f.write(text)
    return text


def real_targets(runs: Dict[str, List[Run]]) -> List[Target]:
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
    runs: Dict[str, List[Run]] = {}
    for k in KERNELS:
        logs = sorted(glob.glob(os.path.join(bootdir, f"{k}-bench-[0-9]*.log")))
        runs[k] = [parse(p) for p in logs]
        if not runs[k]:
            print(f"no benchmark logs of the {k} kernel in {bootdir}",
                  file=sys.stderr)
            return 1
    nruns = {k: len(runs[k]) for k in KERNELS}
    # The real modprobe storms' boot (bench.sh, --tag real): its figures
    # (real_*) are in no other boot, so it joins the runs.
    for k in KERNELS:
        runs[k] += [parse(p) for p in sorted(glob.glob(
            os.path.join(bootdir, f"{k}-bench-real-[0-9]*.log")))]
    # The lockstat boots (bench.sh): lock_hold's figures, of kernels of
    # their own (CONFIG_LOCK_STAT), in no other boot.
    nlock = {}
    for k in KERNELS:
        extra = [parse(p) for p in sorted(glob.glob(
            os.path.join(bootdir, f"{k}-lockstat-[0-9]*.log")))]
        nlock[k] = len(extra)
        runs[k] += extra
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
    real = {k: len(runs[k]) - nruns[k] - nlock[k] for k in KERNELS}
    lockstat = (f", {nlock['base']} and {nlock['series']} of the CONFIG_LOCK_STAT "
                "kernels" if any(nlock.values()) else "")
    tables = {"run": (
        f"`{title}`, {time.strftime('%Y-%m-%d', time.gmtime())}: "
        f"{rel['base']} (unpatched) and {rel['series']} (patched), "
        f"{nruns['base']} and {nruns['series']} alternating boots, "
        f"{real['base']} and {real['series']} more for the real modprobe "
        f"storms{lockstat}; QEMU/TCG -smp 2 -icount shift=0,sleep=off, so times are "
        "guest times (one instruction, one nanosecond).\n"),
        "targets": table}
    tables.update(detail_tables(runs))
    plots = []
    if plot_kill_refill(runs, os.path.join(outdir, "kill_refill.png")):
        plots.append("kill_refill.png")
    if plot_real(runs, os.path.join(outdir, "real_modprobe.png")):
        plots.append("real_modprobe.png")
    sweeps = [("sweep", "Scaling sweep, -smp 2", runs)]
    if with_sweep:
        # Real modules of the kernel: only the debug kernels have them.
        fs_runs = {k: [parse(p) for p in sorted(glob.glob(
            os.path.join(bootdir, f"{k}-debug-real-[0-9]*.log")))] for k in KERNELS}
        rows = [(f"{n} callers of fs-{m}", f"real_fs_{m}_{n}") for m, n in REAL_FS]
        fs = figure_table(fs_runs, rows, REAL_COUNTS[:4] + REAL_COSTS[:2])
        if fs:
            tables["real_fs"] = fs
        sweeps.append(("sweep-smp8", "Scaling sweep, -smp 8", {k: [parse(p) for p in sorted(
            glob.glob(os.path.join(bootdir, f"{k}-bench-smp8-[0-9]*.log")))] for k in KERNELS}))
    for name, title, sruns in sweeps:
        text = sweep_report(sruns, outdir, name)
        if text:
            tables[name.replace("-", "_")] = text
            TABLE_TITLES[name.replace("-", "_")] = title
            plots.append(f"{name}.png")
    if with_sweep:
        ks = kselftest_report(bootdir, outdir)
        if ks:
            tables["kselftest"] = ks
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
