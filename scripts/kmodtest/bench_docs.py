#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark's tables in the documents, from its JSON.

Usage: bench_docs.py [--check] RESULTS.json FILE...

Each FILE may hold regions

    <!-- bench-table NAME -->
    ...
    <!-- /bench-table -->

whose contents are the table NAME of RESULTS.json ("tables", written by
scripts/kmodtest/bench_report.py).  Without --check, rewrites them; with --check,
changes nothing and exits 1 if any region differs from its table, so
that a table typed or edited by hand does not pass the lint.  A region
whose table the JSON lacks, or an unclosed region, is an error (exit 1).
"""

import json
import re
import sys
from typing import Dict, List, Tuple

REGION = re.compile(r"(<!-- bench-table ([a-z_0-9]+) -->\n)(.*?)(<!-- /bench-table -->)",
                    re.S)


def render(text: str, tables: Dict[str, str], path: str) -> Tuple[str, List[str]]:
    """TEXT with every region filled in, and the problems found."""
    problems = []

    def fill(m: "re.Match[str]") -> str:
        name = m.group(2)
        if name not in tables:
            problems.append(f"{path}: region '{name}': no such table in the JSON")
            return m.group(0)
        return m.group(1) + tables[name].rstrip("\n") + "\n" + m.group(4)

    out = REGION.sub(fill, text)
    opened = len(re.findall(r"<!-- bench-table [a-z_0-9]+ -->", text))
    closed = text.count("<!-- /bench-table -->")
    if opened != closed or opened != len(REGION.findall(text)):
        problems.append(f"{path}: {opened} bench-table regions opened, {closed} closed")
    return out, problems


def main() -> int:
    args = sys.argv[1:]
    check = bool(args) and args[0] == "--check"
    if check:
        args = args[1:]
    if len(args) < 2 or any(a.startswith("-") for a in args):
        print("usage: bench_docs.py [--check] RESULTS.json FILE...", file=sys.stderr)
        return 2
    try:
        with open(args[0]) as f:
            tables = json.load(f)["tables"]
    except (OSError, ValueError, KeyError) as e:
        print(f"bench_docs.py: {args[0]}: no benchmark tables ({e})", file=sys.stderr)
        return 1
    bad = 0
    for path in args[1:]:
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            print(f"bench_docs.py: {e}", file=sys.stderr)
            return 1
        out, problems = render(text, tables, path)
        for p in problems:
            print(f"bench_docs.py: {p}", file=sys.stderr)
        bad |= bool(problems)
        if out == text:
            continue
        if check:
            print(f"bench_docs.py: {path}: a benchmark table differs from {args[0]} "
                  "(make bench-docs writes them)", file=sys.stderr)
            bad = 1
        elif not problems:
            with open(path, "w") as f:
                f.write(out)
            print(f"{path}: tables rewritten from {args[0]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
