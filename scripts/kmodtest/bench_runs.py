# SPDX-License-Identifier: GPL-2.0
"""The benchmark's boots as figures, and the table cells made of them.

A boot log of the benchmark (scripts/boot/boot-test.sh --flavour bench)
holds "# RESULT" figures, which boot_report parses, and blocks of
modprobe start and end events.  Every table of the benchmark shows a
figure as the median of each kernel's boots with their range.
"""

import glob
import os
import statistics
from typing import Callable, Dict, List, Optional, Tuple

from kmodtest import boot_report

KERNELS = ("base", "series")


class Run:
    """The figures and modprobe events of one boot."""

    def __init__(self) -> None:
        self.figures: Dict[str, float] = {}
        self.info: Dict[str, str] = {}
        self.events: Dict[str, List[Tuple[str, int]]] = {}


Runs = Dict[str, List[Run]]


def parse(path: str) -> Run:
    """Figures (boot_report's parser) and EVENTS blocks of one log."""
    run = Run()
    figures: Dict[str, List[float]] = {}
    boot_report.parse_log(path, figures, {}, run.info)
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


def boots(bootdir: str, kernel: str, kind: str) -> List[Run]:
    """The boots BOOTDIR/KERNEL-KIND-<run>.log, parsed, in run order."""
    return [parse(p) for p in sorted(glob.glob(
        os.path.join(bootdir, f"{kernel}-{kind}-[0-9]*.log")))]


def spread(values: List[float]) -> str:
    """The median of VALUES with their range, "-" without values."""
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:g}"
    return f"{med:g} ({min(values):g}–{max(values):g})"


def median_of(runs: Runs, kernel: str, key: str) -> Optional[float]:
    """The median of figure KEY over KERNEL's boots, None if none has it."""
    vals = [r.figures[key] for r in runs[kernel] if key in r.figures]
    return statistics.median(vals) if vals else None


def has(runs: Runs, key: str) -> bool:
    """Whether any boot of either kernel has figure KEY."""
    return any(key in r.figures for k in KERNELS for r in runs[k])


def cells(runs: Runs, key: str, ratio: bool) -> List[str]:
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


def figure_table(runs: Runs, rows: List[Tuple[str, str]], columns: List[Column],
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
            here |= has(runs, key)
            row += cells(runs, key, ratio)
        # A quick run has no rows past its largest N: leave them out.
        if here:
            lines.append("| " + " | ".join(row) + " |")
        found |= here
    return "\n".join(lines) + "\n" if found else None
