#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the C line references in the comments of the Promela models.

Every step of models/*.pml names the C function it stands for and its
line, "umh_complete(), umh.c:165" or "refcount_dec_and_test(), :169".
Line numbers go stale whenever a patch of the series adds a line above
them.  This reads each reference, works out from the #if/#ifdef blocks
around it which revision of the C it belongs to (the tip of the series,
6.12.117, or for kmod.pml's V1 and V2INLINE an earlier version of the
series, taken from this project's history), and checks that the named
identifier is on that line of that file, or on the lines of a range
":163-164".

  model_refs.py --tree DIR --patches patches MODEL.pml...

DIR is a kernel tree with the tag "base" (make tree); the files of the
tip are the base's with patches/ applied to them; those of kmod.pml's V1
the base's with the earlier patches/ applied, up to the hand-over patch.
Prints one line per stale reference and a summary; exits 1 if any.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

# The variant macros of each model and the revision their code cites.
VARIANTS = {
    "umh.pml": {"tip": set(), "base": {"BASE"}},
    "kmod.pml": {"tip": {"V2"}, "v1": {"V1"}, "v2inline": {"V2INLINE"},
                 "base": {"SEM"}},
}
# The revision each variant's references point at.
REVISION = {"tip": "series", "base": "base", "v1": "v1", "v2inline": "v1"}
# The file a reference without a file name means, per model.
DEFAULT_FILE = {"umh.pml": "kernel/umh.c", "kmod.pml": "kernel/module/kmod.c"}
FILES = {"umh.c": "kernel/umh.c", "kmod.c": "kernel/module/kmod.c",
         "semaphore.c": "kernel/locking/semaphore.c"}
VARIANT_MACROS = {"BASE", "SEM", "V1", "V2", "V2INLINE"}

# name(), then at most a file name and punctuation, then :N or :N-M.
REF = re.compile(
    r"(?:struct\s+(?P<sname>[A-Za-z_]\w*)|(?P<fname>[A-Za-z_]\w*)\(\))"
    r"(?P<gap>(?:,?\s*(?:and\s+\w+\(\)\s*)?\(?)?)"
    r"(?:(?P<tag>V1|V2|base)\s+)?"
    r"(?P<file>(?:umh|kmod|semaphore)\.c)?:(?P<line>\d+)(?:-(?P<end>\d+))?")
# A second reference to the same name: "(base :39)", ", V1 :99".
TAGGED = re.compile(r"(?:(?P<tag>V1|V2|base)\s+|(?=(?:umh|kmod|semaphore)\.c))"
                    r"(?P<file>(?:umh|kmod|semaphore)\.c)?"
                    r":(?P<line>\d+)(?:-(?P<end>\d+))?")


@dataclass
class Ref:
    """One reference found in a model."""
    lineno: int
    name: str
    variants: frozenset[str]
    path: str
    line: int
    end: int


def _eval(cond: str, defined: set[str]) -> bool | None:
    """Evaluate an #if condition for one variant; None if it depends on
    anything but the variant macros (both branches are then possible)."""
    names = set(re.findall(r"defined\((\w+)\)", cond))
    rest = re.sub(r"defined\(\w+\)", "", cond)
    if re.search(r"[A-Za-z_]\w*", rest) or not names <= VARIANT_MACROS:
        return None
    expr = re.sub(r"defined\((\w+)\)",
                  lambda m: str(m.group(1) in defined), cond)
    expr = expr.replace("&&", " and ").replace("||", " or ")
    expr = re.sub(r"!(?!=)", " not ", expr)
    return bool(eval(expr, {"__builtins__": {}}))  # noqa: S307


def _condition(line: str) -> str | None:
    """The condition of an #if, #ifdef or #ifndef line, as an #if."""
    m = re.match(r"#\s*(if|ifdef|ifndef|elif)\b\s*(.*)", line)
    if not m:
        return None
    kind, arg = m.group(1), m.group(2).split("/*")[0].strip()
    if kind == "ifdef":
        return f"defined({arg})"
    if kind == "ifndef":
        return f"!defined({arg})"
    return arg


def active_variants(text: str, variants: dict[str, set[str]]) -> list[frozenset[str]]:
    """For each line of a model, the variants under which it is compiled
    (with every non-variant macro taken either way)."""
    result = []
    # Stack of (per-variant: branch active?, per-variant: taken already?).
    stack: list[tuple[dict[str, bool], dict[str, bool]]] = []
    current = {v: True for v in variants}
    for raw in text.splitlines():
        line = raw.strip()
        cond = _condition(line)
        if cond is not None:
            # #if opens a block with no branch taken; #elif goes on in it.
            if not line.startswith("#elif"):
                stack.append((current, {v: False for v in variants}))
            parent, taken = stack[-1]
            current = {}
            for v, d in variants.items():
                val = _eval(cond, d)
                current[v] = parent[v] and not taken[v] and val is not False
                taken[v] = taken[v] or val is True
        elif line.startswith("#else"):
            parent, taken = stack[-1]
            current = {v: parent[v] and not taken[v] for v in variants}
        elif line.startswith("#endif"):
            current, _ = stack.pop()
        result.append(frozenset(v for v, on in current.items() if on))
    return result


def find_refs(model: Path) -> list[Ref]:
    """Every reference of a model that names what it points at."""
    text = model.read_text()
    variants = VARIANTS[model.name]
    active = active_variants(text, variants)
    refs = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        on = active[lineno - 1]
        path = DEFAULT_FILE[model.name]
        for m in REF.finditer(line):
            name, tag = m.group("sname") or m.group("fname"), m.group("tag")
            # ":N" alone means the file the line last named.
            path = FILES.get(m.group("file") or "", path)
            cited = _tagged(on, tag)
            refs.append(Ref(lineno, name, cited, path, int(m.group("line")),
                            int(m.group("end") or m.group("line"))))
            # Further tagged references to the same name up to the next name.
            tail = line[m.end():]
            nxt = REF.search(tail)
            stop = nxt.start() if nxt and not TAGGED.match(tail[nxt.start():]) else len(tail)
            for t in TAGGED.finditer(tail[:stop]):
                tpath = FILES.get(t.group("file") or "", path)
                refs.append(Ref(lineno, name, _tagged(on, t.group("tag")),
                                tpath, int(t.group("line")),
                                int(t.group("end") or t.group("line"))))
    return refs


def _tagged(on: frozenset[str], tag: str | None) -> frozenset[str]:
    """The variants a reference cites: its tag's, or those compiled there."""
    if tag == "base":
        return frozenset({"base"})
    if tag == "V1":
        return frozenset({"v1"})
    if tag == "V2":
        return frozenset({"tip"})
    return on


def series_files(patches: Path) -> list[Path]:
    """The patches of a series directory, in the order of its series file."""
    names = [ln.split("#")[0].strip()
             for ln in (patches / "series").read_text().splitlines()]
    return [patches / n for n in names if n]


class Revisions:
    """The C files at the base and after the first n patches of patches/.

    A file at a revision is the base's, with the hunks of each patch up
    to that point that touch it applied (git apply --include), so that
    only the base tag of the tree is needed, and what is checked is
    patches/, not whatever branch "series" holds.
    """

    def __init__(self, tree: Path, patches: Path, tmp: Path):
        self.tree, self.tmp = tree, tmp
        self.series = {"base": [], "series": series_files(patches)}
        self.cache: dict[tuple[str, str], list[str]] = {}

    def lines(self, rev: str, path: str) -> list[str]:
        """The lines of path at rev ("base", "v1" or "series")."""
        key = (rev, path)
        if key in self.cache:
            return self.cache[key]
        if rev not in self.series:
            self.series[rev] = v1_series(self.tmp)
        out = subprocess.run(["git", "-C", str(self.tree), "show", f"base:{path}"],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"error: model_refs.py: no {path} at base in {self.tree}: "
                             f"{out.stderr.strip()}")
        with tempfile.TemporaryDirectory() as tmp:
            dst = Path(tmp) / path
            dst.parent.mkdir(parents=True)
            dst.write_text(out.stdout)
            for patch in self.series[rev]:
                if f"+++ b/{path}\n" not in patch.read_text(errors="replace"):
                    continue
                res = subprocess.run(["git", "apply", f"--include={path}", str(patch)],
                                     cwd=tmp, capture_output=True, text=True, check=False)
                if res.returncode:
                    raise SystemExit(f"error: model_refs.py: {patch.name} does not apply "
                                     f"to {path}: {res.stderr.strip()}")
            self.cache[key] = dst.read_text().splitlines()
        return self.cache[key]


def check(refs: list[Ref], revs: Revisions,
          model: str) -> tuple[int, list[str]]:
    """Check references; return (how many checked, problems)."""
    checked, problems = 0, []
    for ref in refs:
        # Shared code cites the tip, unless only older variants compile it.
        kinds = {REVISION[v] for v in ref.variants}
        rev = "series" if "series" in kinds or not kinds else sorted(kinds)[0]
        lines = revs.lines(rev, ref.path)
        span = lines[ref.line - 1:ref.end]
        checked += 1
        if not any(re.search(rf"\b{re.escape(ref.name)}\b", s) for s in span) \
                and not _inside(lines, ref.name, ref.line, ref.end):
            where = f"{ref.line}" + (f"-{ref.end}" if ref.end != ref.line else "")
            hits = [i + 1 for i, s in enumerate(lines)
                    if re.search(rf"\b{re.escape(ref.name)}\b", s)]
            hint = f" (it is on {', '.join(map(str, hits[:4]))})" if hits else ""
            problems.append(f"{model}:{ref.lineno}: {ref.name} is not on "
                            f"{rev}:{ref.path}:{where}{hint}")
    return checked, problems


def _inside(lines: list[str], name: str, first: int, last: int) -> bool:
    """Are lines first..last within the body of function or struct name?

    A reference may point into a function it names ("kmod_request_wait(),
    :790-866", its loop): the lines are then between the definition, at
    the start of a line, and the next closing brace at the start of one.
    """
    head = re.compile(rf"^(?:[A-Za-z_].*[\s*])?{re.escape(name)}\(|^struct {re.escape(name)} \{{")
    for i, s in enumerate(lines, 1):
        if head.match(s) and not s.rstrip().endswith(";"):
            for j in range(i, len(lines) + 1):
                if lines[j - 1].startswith("}"):
                    if i <= first and last <= j:
                        return True
                    break
    return False


class Parser(argparse.ArgumentParser):
    """argparse, with one line for a wrong command line instead of three."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (--help lists the options)\n")


def main(argv: list[str]) -> int:
    ap = Parser(prog="model_refs.py", description=__doc__.splitlines()[0])
    ap.add_argument("--tree", required=True, type=Path,
                    help="a kernel tree with the tag base (make tree)")
    ap.add_argument("--patches", required=True, type=Path,
                    help="the series: patches/ with its series file")
    ap.add_argument("models", nargs="+", type=Path)
    args = ap.parse_args(argv)
    if not (args.tree / ".git").exists():
        print(f"error: model_refs.py: {args.tree} is not a git tree (make tree)",
              file=sys.stderr)
        return 2
    if not (args.patches / "series").is_file():
        print(f"error: model_refs.py: {args.patches} has no series file", file=sys.stderr)
        return 2
    for model in args.models:
        if model.name not in VARIANTS or not model.is_file():
            print(f"error: model_refs.py: no model {model} (umh.pml or kmod.pml)",
                  file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        revs = Revisions(args.tree, args.patches.resolve(), Path(tmp))
        total, bad = 0, []
        for model in args.models:
            n, problems = check(find_refs(model), revs, model.name)
            total += n
            bad += problems
    for p in bad:
        print(p)
    print(f"{total} references checked, {len(bad)} stale")
    return 1 if bad else 0


# kmod.pml's V1 cites kmod.c of an earlier version of the series, in
# which the hand-over of free slots was a patch of its own: the patches
# before it, as patches/ held them at this commit of the project.
V1_COMMIT = "86bc96e"
FIRST_V2 = "module: kmod: hand free slots to the head of the queue"


def v1_series(tmp: Path) -> list[Path]:
    """The patches of V1, from the project's history, written to tmp."""
    root = Path(__file__).resolve().parents[2]

    def show(name: str) -> str:
        out = subprocess.run(["git", "-C", str(root), "show", f"{V1_COMMIT}:patches/{name}"],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"error: model_refs.py: V1's patches are those of commit "
                             f"{V1_COMMIT} of this project, which {root} lacks "
                             f"(a shallow clone?): {out.stderr.strip()}")
        return out.stdout

    v1 = tmp / "v1"
    v1.mkdir()
    (v1 / "series").write_text(show("series"))
    files = []
    for path in series_files(v1):
        text = show(path.name)
        if FIRST_V2 in text:
            return files
        path.write_text(text)
        files.append(path)
    raise SystemExit(f"error: model_refs.py: no patch '{FIRST_V2}' in the series of "
                     f"commit {V1_COMMIT}, which V1's references are relative to")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
