# SPDX-License-Identifier: GPL-2.0
"""The benchmark's plots (PNG, with matplotlib when it is installed).

Each function returns whether it wrote its plot: without matplotlib
(python3-matplotlib) the tables are still written, the plots are not.
"""

import statistics
import sys
from typing import Any, Dict, List, Optional, Tuple

from kmodtest.bench_runs import KERNELS, Runs, median_of


def pyplot() -> Optional[Any]:
    """matplotlib.pyplot drawing to files only, None if not installed."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


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


def plot_kill_refill(runs: Runs, path: str) -> bool:
    """Live modprobes over time in kill_refill, one curve per kernel."""
    plt = pyplot()
    if plt is None:
        print("no matplotlib (python3-matplotlib): no plot", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for k in KERNELS:
        ev = next((r.events.get("kill_refill") for r in runs[k]
                   if r.events.get("kill_refill")), None)
        if not ev:
            continue
        xs, ys = live_curve(ev)
        rel = runs[k][0].info.get("release", k)
        ax.step(xs, ys, where="post", linestyle="-",
                label=f"{'patched' if k == 'series' else 'unpatched'} ({rel})")
    ax.axhline(50, color="grey", linestyle=":", label="limit (50)")
    ax.set_xlabel("seconds since the first modprobe started (guest clock)")
    ax.set_ylabel("modprobe helpers alive")
    ax.set_title("50 callers killed while their modprobes run, then 50 new requests")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


def plot_against_n(ax: Any, curves: Dict[str, List[Tuple[int, float]]], xlabel: str,
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


# The sweep's figures: (kernel, "same" or "distinct", N, figure) -> values.
SweepData = Dict[Tuple[str, str, int, str], List[float]]


def plot_sweep(data: SweepData, path: str, name: str) -> bool:
    """modprobe runs, failures and wall time of the scaling sweep against N."""
    plt = pyplot()
    if plt is None:
        return False
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
    fig.savefig(path, dpi=100)
    return True


def plot_real(runs: Runs, ns: Tuple[int, ...], path: str) -> bool:
    """modprobe runs, failures and CPU time against N, real modprobe."""
    plt = pyplot()
    if plt is None:
        return False
    fig, axes = plt.subplots(3, 2, figsize=(10, 10))
    drawn = False
    for col, kind in enumerate(("same", "distinct")):
        for row, (fig_name, label) in enumerate((("modprobe_runs", "modprobe runs"),
                                                 ("failures", "failed requests"),
                                                 ("cpu_ms", "busy guest CPU ms"))):
            curves = {k: [(n, v) for n in ns if (v := median_of(
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
