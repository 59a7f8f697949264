# SPDX-License-Identifier: GPL-2.0
"""The parsers and reports of the project's tests.

boot_verdict   judges one boot of the boot tests from its console log
boot_report    summarises the boots of each kernel side by side
bench_report   the benchmark's targets, tables, JSON and plots from its boots,
               made of bench_runs (the boots' figures, table cells),
               bench_tables (the tables beyond the targets) and
               bench_plots (the PNG plots)
bench_docs     those tables into the documents, or a check that they match
kunit_compare  reads kunit.py's JSON: verdicts, failures, two runs compared

Each runs as "python3 scripts/kmodtest NAME ARGS..." (or "python3 -m
kmodtest.NAME" with scripts/ on PYTHONPATH); the unit tests in tests/
run on recorded logs and made-up ones.
"""
