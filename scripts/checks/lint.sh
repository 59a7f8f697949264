#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks of the project's own scripts (make lint, a stage of make
# check; a few seconds):
#
#   lint.sh [FILE...]     (default: every shell and Python file of the project)
#
# Shell files (*.sh, or a sh/bash first line: .ci/run) are checked at
# every level by ShellCheck, which follows what they source (-x, paths
# relative to the script); Python files by pyflakes.  A finding that
# is a false positive is silenced where it is, by a shellcheck directive
# "disable=SCnnnn" on the line before, with the reason after it; never
# for a whole file or the whole run.
#
# scripts/checks/lint-pending lists files whose findings are known and not
# fixed yet, with the number of them: such a file fails only when it has more.
#
# Without FILE arguments it also checks that the benchmark's tables in
# README.md and Documentation/results.md are those of the published run
# (Documentation/bench/results.json; scripts/kmodtest/bench_docs.py --check),
# and that every relative link of the Markdown documents leads to a file
# and heading that exist (scripts/checks/md_links.py).
#
# Prints each finding as "file:line:col: level: text [SCnnnn]", then a
# line per tool, and exits non-zero when a file has findings.
. "$(dirname "$0")/../lib/lib.sh"
cd "$ROOT" || exit 1

need_cmd shellcheck shellcheck
need_cmd pyflakes3 pyflakes3

# project_files: every file here that git tracks or does not ignore (or,
# outside a git checkout, every file); kind picks the scripts among them.
project_files() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard
	else
		find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||'
	fi
}

# kind FILE: "sh", "py" or nothing.
kind() {
	local first
	case $1 in
	*.sh) echo sh; return ;;
	*.py) echo py; return ;;
	esac
	IFS= read -r first <"$1" 2>/dev/null
	case $first in
	'#!'*python*) echo py ;;
	'#!'*/sh | '#!'*/bash | '#!'*'env bash' | '#!'*'env sh') echo sh ;;
	esac
}

files=("$@")
if ((${#files[@]} == 0)); then
	mapfile -t files < <(project_files)
else
	for f in "${files[@]}"; do
		[[ -f $f ]] || die "lint.sh: $f: no such file"
		[[ -n $(kind "$f") ]] || die "lint.sh: $f is neither a shell nor a Python script"
	done
fi

# pending FILE: the number of findings scripts/checks/lint-pending allows
# FILE.
pending() {
	awk -v f="$1" '$1 == f { print $2; found = 1 } END { if (!found) print 0 }' \
		"$ROOT/scripts/checks/lint-pending" 2>/dev/null || echo 0
}

sh_n=0 py_n=0 bad=0 known=0
for f in "${files[@]}"; do
	[[ -f $f ]] || continue
	case $(kind "$f") in
	sh) out=$(shellcheck -f gcc -x -P SCRIPTDIR "$f" 2>&1); sh_n=$((sh_n + 1)) ;;
	py) out=$(pyflakes3 "$f" 2>&1); py_n=$((py_n + 1)) ;;
	*) continue ;;
	esac
	[[ -n $out ]] || continue
	n=$(grep -c . <<<"$out")
	allowed=$(pending "$f")
	if ((n <= allowed)); then
		known=$((known + n))
		continue
	fi
	printf '%s\n' "$out"
	((allowed)) && msg "lint: $f has $n findings, scripts/checks/lint-pending allows $allowed"
	bad=$((bad + 1))
done

# The benchmark's tables in the documents: each as the published run's
# JSON has it (scripts/kmodtest/bench_docs.py; make bench-docs rewrites them).
if (($# == 0)) && [[ -f Documentation/bench/results.json ]]; then
	if ! out=$(python3 scripts/kmodtest bench_docs --check Documentation/bench/results.json \
		README.md Documentation/results.md 2>&1); then
		printf '%s\n' "$out"
		bad=$((bad + 1))
	fi
fi

# The links between the project's documents: every file a relative link
# names exists, and every #anchor is one of its headings (md_links.py).
if (($# == 0)); then
	mapfile -t docs < <(project_files | grep '\.md$' | grep -v '^patches/')
	if ! out=$(python3 scripts/checks/md_links.py "${docs[@]}" 2>&1); then
		printf '%s\n' "$out"
		bad=$((bad + 1))
	fi
fi

note=
((known)) && note="; $known known findings allowed by scripts/checks/lint-pending"
info "shellcheck: $sh_n shell files, pyflakes: $py_n Python files$note"
((bad == 0)) || die "lint: $bad files with findings (above)"
