#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the relative links of Markdown files: the file each one names
exists, and its #anchor is a heading of that file.

Usage: md_links.py FILE.md...

Anchors are made from headings as GitHub and most renderers make them:
lower case, everything but letters, digits, '-', '_' and spaces dropped,
spaces turned into '-', and "-1", "-2"... after a repeated one.  Links
with a scheme (https:, mailto:) are not followed.  Prints one line per
broken link, "file:line: text", and exits 1 if there is one.
"""

import os
import re
import sys
from typing import Dict, List, Set

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"\]\(([^)\s]*)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def slug(heading: str) -> str:
    """The anchor a heading gets, before any "-N" for repeats."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def prose_lines(path: str) -> List[str]:
    """The lines of @path, with those of fenced code blocks emptied."""
    out, fenced = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if FENCE.match(line):
                fenced = not fenced
                out.append("")
                continue
            out.append("" if fenced else line.rstrip("\n"))
    return out


def anchors(path: str) -> Set[str]:
    """Every anchor of the headings of @path."""
    seen: Dict[str, int] = {}
    found = set()
    for line in prose_lines(path):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def check(paths: List[str]) -> List[str]:
    """One message per broken link in @paths."""
    cache: Dict[str, Set[str]] = {}
    bad = []
    for path in paths:
        for lineno, line in enumerate(prose_lines(path), 1):
            for m in LINK.finditer(line):
                target = m.group(1)
                if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue
                name, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), name)) if name else path
                where = f"{path}:{lineno}"
                if not os.path.exists(dest):
                    bad.append(f"{where}: link to {name}: no such file")
                    continue
                if not anchor or not dest.endswith(".md"):
                    continue
                if dest not in cache:
                    cache[dest] = anchors(dest)
                if anchor not in cache[dest]:
                    bad.append(f"{where}: link to {name or os.path.basename(path)}#{anchor}: no such heading")
    return bad


def main(argv: List[str]) -> int:
    if not argv:
        print("usage: md_links.py FILE.md...", file=sys.stderr)
        return 2
    for p in argv:
        if not os.path.isfile(p):
            print(f"md_links.py: {p}: no such file", file=sys.stderr)
            return 2
    bad = check(argv)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
