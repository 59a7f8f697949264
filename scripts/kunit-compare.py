#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two kunit.py runs of the same suites, case by case.

    kunit-compare.py PATCHED_LOG BASE_LOG
    kunit-compare.py --failed LOG

Each log is kunit.py's output.  The first form prints the cases whose
verdict differs, then one summary line per run, and exits 0 if every case
passed in the patched run.  The second prints the names of the cases (and
parameters) that failed or crashed, one per line.
"""
import os
import re
import sys
from typing import Dict, List, Tuple

RESULT = re.compile(r'\[(PASSED|FAILED|SKIPPED|CRASHED)\] (.+?)[\s=]*$')


def parse(path: str) -> Dict[str, str]:
    """Map each case (and parameter) name to its verdict, in log order."""
    verdicts: Dict[str, str] = {}
    with open(path, errors='replace') as log:
        for line in log:
            m = RESULT.search(line)
            if m:
                verdicts[m.group(2)] = m.group(1)
    return verdicts


def count(verdicts: Dict[str, str]) -> Tuple[int, int, int]:
    values = list(verdicts.values())
    return (values.count('PASSED'), values.count('FAILED') +
            values.count('CRASHED'), values.count('SKIPPED'))


USAGE = 'usage: kunit-compare.py PATCHED_LOG BASE_LOG | --failed LOG'


def main(argv: List[str]) -> int:
    if len(argv) != 3 or (argv[1].startswith('-') and argv[1] != '--failed'):
        print(USAGE, file=sys.stderr)
        return 2
    for path in argv[1:]:
        if path != '--failed' and not os.path.isfile(path):
            print(f'error: {path}: no such log', file=sys.stderr)
            return 2
    if argv[1] == '--failed':
        for name, verdict in parse(argv[2]).items():
            if verdict in ('FAILED', 'CRASHED'):
                print(name)
        return 0
    patched, base = parse(argv[1]), parse(argv[2])
    if not patched or not base:
        print('no KUnit results in one of the logs', file=sys.stderr)
        return 1

    width = max(len(name) for name in patched)
    print(f'{"case":<{width}}  {"unpatched":>9}  {"series":>9}')
    differ = 0
    for name, verdict in patched.items():
        before = base.get(name, 'MISSING')
        if before != verdict:
            differ += 1
            print(f'{name:<{width}}  {before:>9}  {verdict:>9}')
    if not differ:
        print('(no case differs)')
    for label, run in (('unpatched', base), ('series', patched)):
        p, f, s = count(run)
        print(f'{label}: {len(run)} results, {p} passed, {f} failed, {s} skipped')
    return 0 if count(patched)[1] == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
