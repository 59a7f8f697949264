#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shows that the tests catch the undoing of every fix of the series.
#
#   mutants.sh [--only NAME,...]
#
# Each mutants/*.patch undoes one fix of the series: its header names the
# patch whose fix it undoes ("Undoes:"), what goes wrong ("What:"), and the
# tests that must see it ("Test: kunit", or "Test: boot FLAVOUR SCENARIO,..."
# where no KUnit case can).  For each mutant, the series tip is checked out
# in the worktree build/mutant/check, the mutant is applied on top, and its
# tests run: the KUnit suites under UML (scripts/kunit/kunit.sh --tag mutant,
# build directory build/kunit-um-check-mutant), or those scenarios on the
# mutant's boot kernel (scripts/boot/boot-test.sh --series-src, build
# directory build/mutant/o-check[-debug]).  A mutant is caught if its tests
# fail on it; before the mutants, the same tests must pass on the unmutated
# tip (the control), or no failure would mean anything.
#
# Prints a table (mutant, what it undoes, the cases or scenarios that
# caught it, seconds), also written to build/mutants/results.md, and exits
# non-zero unless every mutant was caught.
. "$(dirname "$0")/../lib/lib.sh"
cd "$ROOT" || exit 1

only=
while (($#)); do
	case $1 in
	--only)
		need_value "$@"
		only=$2
		shift 2
		;;
	*) die "mutants.sh: unknown option $1 (usage: mutants.sh [--only NAME,...])" ;;
	esac
done

MUTANTS=$ROOT/mutants
WT=$BUILD/mutant/check
OUT=$BUILD/mutants
mkdir -p "$OUT"

all=()
for f in "$MUTANTS"/*.patch; do
	[[ -f $f ]] && all+=("$(basename "$f" .patch)")
done
((${#all[@]})) || die "mutants.sh: no mutants in $MUTANTS"
names=()
if [[ -n $only ]]; then
	for n in ${only//,/ }; do
		[[ -f $MUTANTS/$n.patch ]] || die "mutants.sh: no mutant '$n' (known: ${all[*]})"
		names+=("$n")
	done
else
	names=("${all[@]}")
fi

# header FIELD FILE: the value of "# FIELD: ..." in a mutant's header.
header() { sed -n "s/^# $1: *//p" "$2" | head -n 1; }

for n in "${names[@]}"; do
	f=$MUTANTS/$n.patch
	[[ -n $(header Undoes "$f") && -n $(header What "$f") ]] ||
		die "mutants.sh: $n.patch lacks an Undoes: or What: line"
	case $(header Test "$f") in
	kunit | "boot "*) ;;
	*) die "mutants.sh: $n.patch: 'Test:' must be 'kunit' or 'boot FLAVOUR SCENARIO,...'" ;;
	esac
done

"$ROOT/scripts/checks/check-series.sh" tip >&2 || die "mutants.sh: patches/ does not apply (the reason is above)"
tip=$(git -C "$BUILD/check" rev-parse HEAD) || die "mutants.sh: no series worktree"
ensure_worktree "$WT"

# checkout [MUTANT]: the worktree at the tip, with MUTANT applied.
checkout() {
	reset_worktree "$WT" "$tip" || return 1
	[[ -z ${1:-} ]] && return 0
	git -C "$WT" apply --whitespace=nowarn "$MUTANTS/$1.patch" 2>"$OUT/$1.apply" && return 0
	msg "mutants.sh: $1.patch does not apply to the series tip: $(head -n 1 "$OUT/$1.apply")"
	return 1
}

# run_kunit LABEL: the suites under UML on the worktree; prints the failed
# cases (none: the suites passed).  Returns 2 if kunit.py gave no results.
run_kunit() {
	local label=$1 json suites
	mapfile -t suites < <(kunit_suites)
	json=$(kunit_json um "$WT" "$(kunit_name "${suites[@]}")" mutant)
	SRC=$WT "$ROOT/scripts/kunit/kunit.sh" --arch um --tag mutant >"$OUT/$label.out" 2>&1
	[[ -s $json ]] || return 2
	python3 "$ROOT/scripts/kmodtest" kunit_compare --failed "$json" || return 2
	# A report in the kernel log fails kunit.sh without failing a case.
	grep -q '^FAIL: kunit .*reports' "$OUT/$label.out" && echo "kernel report"
	return 0
}

# run_boot LABEL FLAVOUR SCENARIOS: those scenarios on the worktree's boot
# kernel; prints what failed (none: the boot passed).  Returns 2 if no
# boot happened (the kernel did not build).
run_boot() {
	local label=$1 flavour=$2 only=$3
	"$ROOT/scripts/boot/boot-test.sh" --kernels series --flavour "$flavour" --only "$only" \
		--series-src "$WT" --tag mutant >"$OUT/$label.out" 2>&1
	grep -q 'boot-test: series run 1 finished' "$OUT/$label.out" || return 2
	sed -n 's/^FAIL: series: //p' "$OUT/$label.out"
	return 0
}

# run_tests LABEL TEST: the tests of one "Test:" line.
run_tests() {
	local label=$1 kind flavour scen
	read -r kind flavour scen <<<"$2"
	if [[ $kind == kunit ]]; then
		run_kunit "$label"
	else
		run_boot "$label" "$flavour" "$scen"
	fi
}

# The controls: every distinct Test: line on the unmutated tip.
declare -A control_done
checkout || exit 1
for n in "${names[@]}"; do
	t=$(header Test "$MUTANTS/$n.patch")
	[[ -n ${control_done[$t]:-} ]] && continue
	info "mutants: control ($t) on the unmutated series tip"
	label=control-${#control_done[@]}
	failed=$(with_build_lock run_tests "$label" "$t")
	rc=$?
	((rc == 2)) && die "mutants.sh: control ($t) produced no results (log: $OUT/$label.out)"
	[[ -z $failed ]] || die "mutants.sh: control ($t) fails on the unmutated tip: ${failed//$'\n'/ } (log: $OUT/$label.out)"
	control_done[$t]=1
done

caught=0 missed=0
table="| mutant | undoes | caught by | seconds |"$'\n'"|---|---|---|---|"
for n in "${names[@]}"; do
	f=$MUTANTS/$n.patch
	t0=$(date +%s)
	info "mutants: $n ($(header What "$f"))"
	if ! checkout "$n"; then
		by="NOT TESTED: does not apply"
		missed=$((missed + 1))
	else
		failed=$(with_build_lock run_tests "$n" "$(header Test "$f")")
		rc=$?
		if ((rc == 2)); then
			by="NOT TESTED: no results (log: $OUT/$n.out)"
			missed=$((missed + 1))
		elif [[ -z $failed ]]; then
			by="NOT CAUGHT"
			missed=$((missed + 1))
		else
			by=$(head -n 4 <<<"$failed" | paste -sd';' | sed 's/;/; /g')
			(($(wc -l <<<"$failed") > 4)) && by+="; ..."
			caught=$((caught + 1))
		fi
	fi
	secs=$(($(date +%s) - t0))
	table+=$'\n'"| $n | $(header Undoes "$f") | $by | $secs |"
	info "mutants: $n: $by (${secs}s)"
done
checkout || true

printf '%s\n' "$table" | tee "$OUT/results.md"
printf '%d passed, %d failed\n' "$caught" "$missed"
((missed == 0))
