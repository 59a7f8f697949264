#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the results of kunit.py runs from their --json files.

    kunit_compare.py PATCHED_JSON BASE_JSON
    kunit_compare.py --failed JSON
    kunit_compare.py --check JSON

Each JSON file is what "kunit.py run --json=FILE" (or "kunit.py parse
--json=FILE") writes: suites as groups, cases as test cases, and a
parameterised case as a group of its parameters.  A result is named by
its path, "suite.case" or "suite.case.parameter", so that two cases with
parameters of the same description do not mix.

The first form prints the results whose verdict differs, then one summary
line per run, and exits 0 if every result of the patched run passed.
--failed prints the results that failed or crashed, one per line.
--check prints the summary line and exits 0 only if the run has results
and every one of them passed (a skip asserted nothing: it fails the check).
Exit status 2: wrong arguments or an unreadable file.
"""
import json
import os
import sys
from typing import Any, Dict, Iterator, List, Tuple

USAGE = ('usage: kunit_compare.py PATCHED_JSON BASE_JSON | --failed JSON'
         ' | --check JSON')


def walk(group: Dict[str, Any], prefix: str) -> Iterator[Tuple[str, str]]:
    """Yield (path, status) of every test case under GROUP, in log order."""
    for case in group.get('test_cases', []):
        yield prefix + case['name'], case['status']
    for sub in group.get('sub_groups', []):
        yield from walk(sub, prefix + sub['name'] + '.')


def parse(path: str) -> Dict[str, str]:
    """Map each result's path to its status: PASS, FAIL, SKIP or ERROR."""
    with open(path, errors='replace') as f:
        root = json.load(f)
    # The root group is kunit.py's own ("KUnit Test Group"): its name is
    # not part of any result's path.
    return dict(walk(root, ''))


def count(results: Dict[str, str]) -> Tuple[int, int, int]:
    """(passed, failed or crashed, skipped)."""
    values = list(results.values())
    return (values.count('PASS'), values.count('FAIL') +
            values.count('ERROR'), values.count('SKIP'))


def summary(label: str, results: Dict[str, str]) -> str:
    passed, failed, skipped = count(results)
    return (f'{label}: {len(results)} results, {passed} passed, '
            f'{failed} failed, {skipped} skipped')


def compare(patched: Dict[str, str], base: Dict[str, str]) -> List[str]:
    """The table of the results whose verdict the series changes."""
    width = max(len(name) for name in patched)
    lines = [f'{"result":<{width}}  {"unpatched":>9}  {"series":>9}']
    for name, verdict in patched.items():
        before = base.get(name, 'MISSING')
        if before != verdict:
            lines.append(f'{name:<{width}}  {before:>9}  {verdict:>9}')
    if len(lines) == 1:
        lines.append('(no result differs)')
    return lines


def load(path: str) -> Dict[str, str]:
    """parse(), with a clear error for a file that is not kunit.py's JSON."""
    if not os.path.isfile(path):
        raise ValueError(f'{path}: no such file (did kunit.py run?)')
    try:
        return parse(path)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ValueError(f'{path}: not the JSON of kunit.py --json ({e})')


def main(argv: List[str]) -> int:
    if len(argv) != 3 or (argv[1].startswith('-') and
                          argv[1] not in ('--failed', '--check')):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        runs = [load(p) for p in argv[1:] if p not in ('--failed', '--check')]
    except ValueError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    if argv[1] == '--failed':
        for name, verdict in runs[0].items():
            if verdict in ('FAIL', 'ERROR'):
                print(name)
        return 0
    if argv[1] == '--check':
        results = runs[0]
        print(summary(os.path.basename(argv[2]), results))
        if not results:
            print('error: no results', file=sys.stderr)
            return 1
        return 0 if count(results)[0] == len(results) else 1
    patched, base = runs
    if not patched or not base:
        print('error: no KUnit results in one of the runs', file=sys.stderr)
        return 1
    print('\n'.join(compare(patched, base)))
    print(summary('unpatched', base))
    print(summary('series', patched))
    return 0 if count(patched)[0] == len(patched) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
