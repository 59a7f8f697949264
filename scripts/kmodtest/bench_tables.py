# SPDX-License-Identifier: GPL-2.0
"""The benchmark's tables beyond its targets, in Markdown.

Each function returns its table, or None when the boots have none of its
figures (a quick run has no lockstat boots, only --sweep has the sweep).
"""

import re
from typing import Dict, List, Optional, Tuple

from kmodtest.bench_runs import (KERNELS, Column, Runs, boots, cells, figure_table,
                                 has, spread)

# The queue lengths of the real modprobe storms and of wakeups.
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
    "sweep": "Scaling sweep, -smp 2",
    "sweep_smp8": "Scaling sweep, -smp 8",
}
REAL_COUNTS: List[Column] = [
    ("modprobe_runs", "modprobe runs", False), ("failures", "failed requests", False),
    ("modprobe_failures", "failed modprobes", False), ("peak_live", "peak live", False),
    ("loaded", "loaded", False)]
REAL_COSTS: List[Column] = [
    ("wall_ms", "wall ms", True), ("cpu_ms", "busy CPU ms", True),
    ("ctxt_per_request", "context switches per request", True)]
REAL_FS = [("xfs", 200), ("btrfs", 200), ("xfs", 2000)]
PATHOLOGICAL = [
    ("recursion: ms until answered", "recursion.answer_ms"),
    ("recursion: helpers started", "recursion.helpers"),
    ("stuck orphans: ms until a new request is served", "orphan_recovery.served_ms"),
    ("killed queued caller: ms from SIGKILL to exit", "killed_queued.linger_ms"),
    ("head caller that does not run: ms until 10 others are served",
     "idle_head.others_ms"),
]


def real_fs_table(runs: Runs) -> Optional[str]:
    """Real modules of the kernel (xfs, btrfs) through kmod's modprobe."""
    rows = [(f"{n} callers of fs-{m}", f"real_fs_{m}_{n}") for m, n in REAL_FS]
    return figure_table(runs, rows, REAL_COUNTS[:4] + REAL_COSTS[:2])


def per_request_table(runs: Runs) -> Optional[str]:
    """Context switches per request by queue length, and the cost of a
    request by the depth of its caller."""
    lines = ["| case | context switches per request: unpatched | patched | ratio |",
             "|---|---|---|---|"]
    found = False
    for n in REAL_NS:
        key = f"wakeups.ctxt_per_request_{n}"
        found |= has(runs, key)
        lines.append(f"| {n} queued requests (stand-in modprobe, 20 ms) | "
                     + " | ".join(cells(runs, key, True)) + " |")
    for depth, fig in (("no extra ancestors", "us_per_request_top"),
                       ("1000 processes deep", "us_per_request_deep")):
        key = f"fork_chain.{fig}"
        found |= has(runs, key)
        lines.append(f"| µs per request, caller with {depth} | "
                     + " | ".join(cells(runs, key, True)) + " |")
    return "\n".join(lines) + "\n" if found else None


def pathological_table(runs: Runs) -> Optional[str]:
    """The cases the unpatched throttle handles worst, or the v1 series did."""
    lines = ["| case | unpatched | patched |", "|---|---|---|"]
    found = False
    for label, key in PATHOLOGICAL:
        found |= has(runs, key)
        lines.append(f"| {label} | " + " | ".join(cells(runs, key, False)) + " |")
    return "\n".join(lines) + "\n" if found else None


# (figure suffix, header, with a ratio?) of the lockstat boots' lock_hold.
# Its longest hold (hold_max_ns) stays in the JSON only: under TCG one
# vCPU can be held up mid-section while the other runs its time slice.
LOCK_COLUMNS: List[Column] = [
    ("hold_ns_per_request", "ns held per request", True),
    ("acq_per_request", "acquisitions per request", False)]


def lock_table(runs: Runs) -> Optional[str]:
    """Time under the throttle's lock (lockstat boots): one row per queue
    length and caller depth, None without lockstat boots."""
    rows = [(f"{n} callers of distinct modules at once (stand-in modprobe, 200 ms)", str(n))
            for n in REAL_NS]
    rows += [("200 sequential requests, caller with no extra ancestors", "depth0"),
             ("200 sequential requests, caller 1000 processes deep", "depth1000")]
    return figure_table(runs, rows, LOCK_COLUMNS,
                        key_of=lambda tag, fig: f"lock_hold.{fig}_{tag}")


def detail_tables(runs: Runs) -> Dict[str, str]:
    """The benchmark's tables beyond the targets, by name (those with data)."""
    tables: Dict[str, Optional[str]] = {}
    for kind, what in (("same", "one module (init 100 ms)"),
                       ("distinct", "N modules (init 20 ms each)")):
        rows = [(f"{n} callers, {what}", f"real_{kind}_{n}") for n in REAL_NS]
        tables[f"real_{kind}_counts"] = figure_table(runs, rows, REAL_COUNTS)
        tables[f"real_{kind}_costs"] = figure_table(runs, rows, REAL_COSTS)
    tables["real_fs"] = real_fs_table(runs)
    tables["per_request"] = per_request_table(runs)
    tables["pathological"] = pathological_table(runs)
    tables["lock_hold"] = lock_table(runs)
    return {k: v for k, v in tables.items() if v}


SWEEP_KEY = re.compile(r"^sweep_(same|distinct)_(\d+)\.(\w+)$")


def sweep_data(runs: Runs) -> Dict[Tuple[str, str, int, str], List[float]]:
    """The sweep's figures by (kernel, same or distinct, N, figure)."""
    data: Dict[Tuple[str, str, int, str], List[float]] = {}
    for k in KERNELS:
        for r in runs[k]:
            for key, v in r.figures.items():
                m = SWEEP_KEY.match(key)
                if m:
                    data.setdefault((k, m.group(1), int(m.group(2)), m.group(3)),
                                    []).append(v)
    return data


def sweep_table(data: Dict[Tuple[str, str, int, str], List[float]]) -> Optional[str]:
    """One table per kind of sweep (one name, distinct names), a row per N."""
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
    return "\n".join(out)


def kselftest_table(bootdir: str) -> Optional[str]:
    """Run times of kmod.sh tests 0008 and 0009 at full counts on both debug
    kernels (BOOTDIR/{base,series}-debug-kmod-<run>.log, bench.sh --sweep)
    and the patched/unpatched ratio of the time per round; None if there
    are no such logs.  A test that failed stopped early: its time per
    round still compares, its total does not."""
    runs = {k: boots(bootdir, k, "debug-kmod") for k in KERNELS}
    if not all(runs.values()):
        return None
    head = ["kmod.sh test", "unpatched: s, rounds, rc", "patched: s, rounds, rc",
            "patched/unpatched, time per round"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for test in ("0008", "0009"):
        row = []
        per_round: Dict[str, Optional[float]] = {}
        for k in KERNELS:
            figs = [r.figures for r in runs[k] if f"kselftest_{test}.ms" in r.figures]
            if not figs:
                row.append("-")
                per_round[k] = None
                continue
            f = figs[-1]
            ms = f[f"kselftest_{test}.ms"]
            rounds = f.get(f"kselftest_{test}.rounds")
            rc = int(f.get(f"kselftest_{test}.rc", -1))
            row.append(f"{ms / 1000:.1f} s, {int(rounds) if rounds else '?'}, "
                       f"rc {rc}" + (" (failed)" if rc else ""))
            per_round[k] = ms / rounds if rounds else None
        b, p = per_round["base"], per_round["series"]
        ratio = f"{p / b:.3f}" if b and p else "-"
        out.append(f"| {test} | {row[0]} | {row[1]} | {ratio} |")
    out.append("")
    out.append("Debug kernels (KASAN, lockdep), QEMU/TCG -smp 2, one boot each; "
               "kmod.sh -t 0008 and -t 0009: 150 rounds of 58 and 62 threads "
               "unless a round fails (rc 1), which ends the test.")
    return "\n".join(out) + "\n"
