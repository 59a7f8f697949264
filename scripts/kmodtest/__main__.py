# SPDX-License-Identifier: GPL-2.0
"""python3 scripts/kmodtest NAME ARGS...: run the module NAME of the package.

Running the directory puts the directory itself, not its parent, on
sys.path; the parent goes first so that the modules import one another
as kmodtest.NAME, the way "python3 -m kmodtest.NAME" would.
"""

import os
import runpy
import sys

MODULES = ("boot_verdict", "boot_report", "bench_report", "bench_docs", "kunit_compare")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in MODULES:
        got = f"'{sys.argv[1]}'" if len(sys.argv) > 1 else "nothing"
        sys.exit(f"usage: python3 scripts/kmodtest NAME ARGS... with NAME one of "
                 f"{', '.join(MODULES)} (got {got})")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    name = sys.argv.pop(1)
    runpy.run_module(f"kmodtest.{name}", run_name="__main__", alter_sys=True)


main()
