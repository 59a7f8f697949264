#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Model-checks the protocols of models/ with spin: for every (model,
# variant, property) of the table below it generates the verifier (spin
# -a), compiles it with gcc, runs it within the bounds, and expects the
# property to hold (pass: no error) or to be broken (fail: an error and a
# counterexample trail).  Prints a table, then "N passed, N failed";
# exits non-zero on any unexpected result.  Installs spin if missing.
# Without FILTER it also checks, with model_refs.py, that the C line each
# step of a model names holds that name in patches/ applied to the base
# of $TREE (make tree).
#
#   scripts/checks/models.sh [-j JOBS] [FILTER]
#
# -j JOBS   verifiers run at once (default: the number of CPUs, at most 2)
# FILTER    run only the rows whose "model variant" contains FILTER
#
# Work files, trails and their replays (*.trail.txt, spin -t -p -g) are
# in build/models/<model>-<variant>-<scenario>/.
. "$(dirname "$0")/../lib/lib.sh"
set -euo pipefail

JOBS_MODELS=$(($(nproc) < 2 ? $(nproc) : 2))
filter=
while (($#)); do
	case $1 in
	-j)
		need_value "$@"
		need_number "-j" "$2"
		JOBS_MODELS=$2
		shift 2
		;;
	-h | --help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "models.sh: unknown option $1" ;;
	*) filter=$1; shift ;;
	esac
done

WORK=$BUILD/models
MODELS=$ROOT/models

if ! command -v spin >/dev/null 2>&1; then
	SUDO=
	((EUID != 0)) && SUDO=sudo
	info "installing spin"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get install -y -qq spin >"$BUILD/apt-spin.log" 2>&1 ||
		{ $SUDO apt-get update -qq && $SUDO apt-get install -y -qq spin >>"$BUILD/apt-spin.log" 2>&1; } ||
		die "could not install spin (log: $BUILD/apt-spin.log)"
fi
command -v gcc >/dev/null 2>&1 || die "gcc is missing (scripts/deps.sh installs build-essential)"

# The table.  One row per verifier binary:
#   model | variant | scenario | spin -D flags | bounds | properties
# A property is "name" (must hold) or "name!" (must be broken).  Liveness
# properties (see LIVE) are checked for acceptance cycles under weak
# fairness (pan -a -f), the others as safety properties.  "safety" is the
# conjunction of all the invariants of a model (umh: lifetime, reap,
# count, disable, exec, killable, deadlock; kmod: lifetime, cap, coalesce,
# etime, killable, deadlock, and for v2 eloopok), checked in one search
# where all must hold;
# where some must be broken, each is a search of its own.
UMH1="1 req, 12 modes, 3 paths, kill, disable"
UMH1B="1 req, 6 modes, 3 paths, kill, disable"
UMHNT="1 req, 12 modes, 3 paths, kill, disable w/o tmo"
UMHNTB="1 req, 6 modes, 3 paths, kill, disable w/o tmo"
MIX="N=2 L=1 nowait kill<=2"
MIX1="N=2 L=1 nowait kill<=1"
Q3="N=3 L=1 names<=3"
Q3L2="N=3 L=2 names<=3"
WAKE="N=2 L=1 kill<=1 no time"
PARK="N=2 L=1 caller 0 parks"
LOOP1="N=1 L=1 self-loop depth<=1"
LOOP1L2="N=1 L=2 self-loop depth<=2"
LOOP2="N=1 L=2 2-cycle depth<=2"
LOOP2NW="N=1 L=2 2-cycle depth<=2, helpers may _nowait()"
STUCK="N=2 L=1 nowait, 1 killed, its modprobe may hang, 1 new"
STUCK2="N=3 L=2 nowait, 2 killed, their modprobes may hang, 1 new"
STUCK1="N=3 L=1, 2 killed, their modprobes may hang, 1 new"
STUCKSAME="N=3 L=1 nowait, 2 killed, 1 may hang, 1 new for its module"
ROWS=(
	"umh|series|one||$UMH1|safety returns"
	"umh|series|notimer|-DNOTIMER|$UMHNT|wakeup"
	"umh|6.12|one|-DBASE|$UMH1B|lifetime count disable! exec killable! deadlock returns"
	"umh|6.12|nowait|-DBASE -DNO_WAIT_ONLY|1 req, UMH_NO_WAIT only, disable|disable!"
	"umh|6.12|notimer|-DBASE -DNOTIMER|$UMHNTB|wakeup"
	"umh|6.12-killable-fallback|one|-DBASE -DKILLABLE_FALLBACK|$UMH1B|lifetime!"
	"umh|mut-double-unlock|one|-DMUT_DOUBLE_UNLOCK|$UMH1|count! disable!"
	"umh|mut-unlock-at-exit|one|-DMUT_UNLOCK_AT_EXIT|$UMH1|exec! disable"
	"umh|mut-unlock-at-release|one|-DMUT_UNLOCK_AT_RELEASE|$UMH1|exec! disable"
	"umh|mut-wake-first|notimer|-DMUT_WAKE_FIRST -DNOTIMER|$UMHNT|wakeup! deadlock!"
	"umh|mut-child-no-reap|one|-DMUT_CHILD_NO_REAP|$UMH1|reap! lifetime!"
	"kmod|v2|mix|-DV2 -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|safety"
	"kmod|v2|mix1|-DV2 -DNEXT=2 -DL=1 -DKILL=1 -DNOWAIT|$MIX1|returns"
	"kmod|v2|queue|-DV2 -DNEXT=3 -DL=1|$Q3|safety"
	"kmod|v2|queue2|-DV2 -DNEXT=3 -DL=2|$Q3L2|safety"
	"kmod|v2|wake|-DV2 -DNEXT=2 -DL=1 -DKILL=1 -DNOTIMER|$WAKE|wakeup"
	"kmod|v2|park|-DV2 -DNEXT=2 -DL=1 -DPARK=1 -DNOTIMER|$PARK anywhere|nodelay"
	"kmod|v2|loop1|-DV2 -DNEXT=1 -DL=1 -DNNEST=1 -DLOOP=1|$LOOP1|loop eloop safety"
	"kmod|v2|loop1l2|-DV2 -DNEXT=1 -DL=2 -DNNEST=2 -DLOOP=1|$LOOP1L2|loop eloop safety"
	"kmod|v2|loop2|-DV2 -DNEXT=1 -DL=2 -DNNEST=2 -DLOOP=2|$LOOP2|loop eloop safety"
	"kmod|v2|mixidle|-DV2 -DAGEIDLE -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX, ages also idle|safety"
	"kmod|v2|stuck|-DV2 -DNEXT=2 -DL=1 -DSTUCK -DNOWAIT|$STUCK|served safety"
	"kmod|v2|stuck2|-DV2 -DNEXT=3 -DL=2 -DSTUCK -DNOWAIT|$STUCK2|served safety"
	"kmod|v2|stuck1|-DV2 -DNEXT=3 -DL=1 -DSTUCK|$STUCK1|safety served!"
	"kmod|v2|stucksame|-DV2 -DNEXT=3 -DL=1 -DSTUCK -DSAME -DNOWAIT|$STUCKSAME|fresh safety"
	"kmod|v2|loop2nw|-DV2 -DNEXT=1 -DL=2 -DNNEST=2 -DLOOP=2 -DNESTNOWAIT|$LOOP2NW|eloopok safety"
	"kmod|v2-inline|mix|-DV2INLINE -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|safety"
	"kmod|v2-inline|park|-DV2INLINE -DNEXT=2 -DL=1 -DPARK=1 -DNOTIMER|$PARK anywhere|nodelay!"
	"kmod|v2-inline|park2|-DV2INLINE -DNEXT=2 -DL=1 -DPARK=2 -DNOTIMER|$PARK, not in launch|nodelay"
	"kmod|v1|mix|-DV1 -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|safety"
	"kmod|v1|mix1|-DV1 -DNEXT=2 -DL=1 -DKILL=1 -DNOWAIT|$MIX1|returns"
	"kmod|v1|queue|-DV1 -DNEXT=3 -DL=1|$Q3|safety"
	"kmod|v1|wake|-DV1 -DNEXT=2 -DL=1 -DKILL=1 -DNOTIMER|$WAKE|wakeup"
	"kmod|v1|park2|-DV1 -DNEXT=2 -DL=1 -DPARK=2 -DNOTIMER|$PARK, not in launch|nodelay!"
	"kmod|v1|loop1|-DV1 -DNEXT=1 -DL=1 -DNNEST=1 -DLOOP=1|$LOOP1|loop eloop! safety"
	"kmod|v1|loop2|-DV1 -DNEXT=1 -DL=2 -DNNEST=2 -DLOOP=2|$LOOP2|loop eloop! safety"
	"kmod|v1|stuck|-DV1 -DNEXT=2 -DL=1 -DSTUCK -DNOWAIT|$STUCK|served! safety"
	"kmod|6.12|mix|-DSEM -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|cap! coalesce! killable! deadlock returns"
	"kmod|6.12|queue|-DSEM -DNEXT=3 -DL=1|$Q3|etime! cap deadlock"
	"kmod|6.12|loop1|-DSEM -DNEXT=1 -DL=1 -DNNEST=1 -DLOOP=1|$LOOP1|loop eloop! deadlock"
	"kmod|mut-nowake|wake|-DV2 -DMUT_NOWAKE -DNEXT=2 -DL=1 -DKILL=1 -DNOTIMER|$WAKE|wakeup!"
	"kmod|mut-nodequeue|mix|-DV2 -DMUT_NODEQUEUE -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|lifetime!"
	"kmod|mut-release-with-callers|mix|-DV2 -DMUT_RELEASE_WITH_CALLERS -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|cap!"
	"kmod|mut-release-young|mix|-DV2 -DMUT_RELEASE_YOUNG -DNEXT=2 -DL=1 -DKILL=2 -DNOWAIT|$MIX|cap!"
	"kmod|mut-release-unbounded|stuck1|-DV2 -DMUT_RELEASE_UNBOUNDED -DNEXT=3 -DL=1 -DSTUCK|$STUCK1|cap!"
	"kmod|mut-join-uncounted|stucksame|-DV2 -DMUT_JOIN_UNCOUNTED -DNEXT=3 -DL=1 -DSTUCK -DSAME -DNOWAIT|$STUCKSAME|fresh!"
	"kmod|mut-chain-all|loop2nw|-DV2 -DMUT_CHAIN_ALL -DNEXT=1 -DL=2 -DNNEST=2 -DLOOP=2 -DNESTNOWAIT|$LOOP2NW|eloopok!"
	"kmod|mut-helper-joins|loop1|-DV1 -DMUT_HELPER_JOINS -DNEXT=1 -DL=1 -DNNEST=1 -DLOOP=1|$LOOP1|loop! deadlock!"
)
LIVE=" returns wakeup nodelay loop served fresh "

# run_row INDEX: build one verifier and check its properties; writes one
# line per property to $WORK/rows/INDEX:
#   model<TAB>variant<TAB>property<TAB>bounds<TAB>states<TAB>result<TAB>secs<TAB>ok
run_row() {
	local idx=$1 model variant scen defs bounds props dir p want args t0 t1 out
	local states errors verdict ok secs
	IFS='|' read -r model variant scen defs bounds props <<<"${ROWS[idx]}"
	dir=$WORK/$model-$variant-$scen
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$MODELS/$model.pml" "$dir/"
	# shellcheck disable=SC2086 # $defs is a list of -D flags
	if ! (cd "$dir" && spin -a $defs "$model.pml" >spin.log 2>&1 &&
		gcc -O0 -w -DNFAIR=4 -o pan pan.c >gcc.log 2>&1); then
		for p in $props; do
			printf '%s\t%s\t%s\t%s\t-\t%s\t0\t0\n' "$model" "$variant" "${p%!}" \
				"$bounds" "unexpected: no verifier (see $dir/*.log)"
		done >"$WORK/rows/$idx"
		return 0
	fi
	for p in $props; do
		want=pass
		[[ $p == *! ]] && want=fail && p=${p%!}
		args=()
		[[ $LIVE == *" $p "* ]] && args=(-a -f)
		t0=$(date +%s.%N)
		(cd "$dir" && ./pan "${args[@]}" -N "$p" -m50000 -w18 >"$p.out" 2>&1) || true
		t1=$(date +%s.%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
		out=$dir/$p.out
		states=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$out" | head -1)
		[[ $states == *e+* ]] && states=$(printf '%.0f' "$states")
		errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$out" | head -1)
		verdict=
		if [[ -z $errors ]] || grep -q 'max search depth too small\|out of memory' "$out"; then
			verdict="incomplete (see $out)"
		elif ((errors == 0)); then
			verdict=pass
		elif [[ -f $dir/$model.pml.trail ]]; then
			mv "$dir/$model.pml.trail" "$dir/$p.trail"
			# shellcheck disable=SC2086
			(cd "$dir" && cp "$p.trail" "$model.pml.trail" &&
				spin -t -p -g $defs "$model.pml" >"$p.trail.txt" 2>&1; rm -f "$model.pml.trail")
			verdict=fail
		else
			verdict="error without a trail"
		fi
		if [[ $verdict == "$want" ]]; then
			ok=1
			if [[ $want == pass ]]; then verdict="holds (expected)"; else verdict="broken, trail (expected)"; fi
		else
			ok=0
			case $verdict in
			pass) verdict="holds (UNEXPECTED)" ;;
			fail) verdict="broken, trail $p.trail (UNEXPECTED)" ;;
			*) verdict="$verdict (UNEXPECTED)" ;;
			esac
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$variant" "$p" \
			"$bounds" "${states:--}" "$verdict" "$secs" "$ok"
	done >"$WORK/rows/$idx"
}

# A FILTER that matches no row would pass with nothing checked.
if [[ -n $filter ]]; then
	names=$(for r in "${ROWS[@]}"; do IFS='|' read -r m v _ <<<"$r"; echo "$m $v"; done | sort -u)
	grep -qF -- "$filter" <<<"$names" ||
		die "models.sh: no row of the table is for '$filter' (there are: $(paste -sd, <<<"$names" | sed 's/,/, /g'))"
fi

mkdir -p "$WORK"
rm -rf "$WORK/rows"
mkdir -p "$WORK/rows"
t0=$(date +%s)
info "spin $(spin -V | sed -n 's/^Spin Version \([^ ]*\).*/\1/p'): ${#ROWS[@]} verifiers, $JOBS_MODELS at a time"
# The rows with the largest state spaces start first, so that the CPUs
# stay busy until the end.
order=()
for i in "${!ROWS[@]}"; do
	[[ ${ROWS[i]} == *"|N=3 "* || ${ROWS[i]} == *returns* ]] && order+=("$i")
done
for i in "${!ROWS[@]}"; do
	[[ ${ROWS[i]} == *"|N=3 "* || ${ROWS[i]} == *returns* ]] || order+=("$i")
done
running=0
for i in "${order[@]}"; do
	IFS='|' read -r model variant _ <<<"${ROWS[i]}"
	[[ -n $filter && "$model $variant" != *"$filter"* ]] && continue
	run_row "$i" &
	running=$((running + 1))
	if ((running >= JOBS_MODELS)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

passed=0 failed=0
fmt='%-5s %-24s %-9s %-44s %9s %-26s %6s\n'
# shellcheck disable=SC2059 # the format is the table's
printf "\n$fmt" MODEL VARIANT PROPERTY BOUNDS STATES RESULT SECONDS
for i in "${!ROWS[@]}"; do
	[[ -f $WORK/rows/$i ]] || continue
	while IFS=$'\t' read -r model variant p bounds states verdict secs ok; do
		# shellcheck disable=SC2059
		printf "$fmt" "$model" "$variant" "$p" "$bounds" "$states" "$verdict" "$secs"
		if ((ok)); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	done <"$WORK/rows/$i"
done
# The C line each step of a model names, checked against patches/ (and
# the base): a patch that adds a line above it moves it.
if [[ -z $filter ]]; then
	refs_out=$WORK/refs.out
	python3 "$ROOT/scripts/checks/model_refs.py" --tree "$TREE" --patches "$PATCHES" \
		"$MODELS/umh.pml" "$MODELS/kmod.pml" >"$refs_out" 2>&1
	refs_rc=$?
	refs_sum=$(tail -n 1 "$refs_out")
	if ((refs_rc == 0)); then
		verdict="all on their lines"
		passed=$((passed + 1))
	else
		verdict="stale or unchecked (UNEXPECTED)"
		failed=$((failed + 1))
		sed 's/^/    /' "$refs_out"
	fi
	# shellcheck disable=SC2059
	printf "$fmt" both refs lines "C line references vs patches/" "-" "$verdict" "-"
	info "line references: $refs_sum"
fi
printf 'total %ss on %s CPUs; work files in %s\n' $(($(date +%s) - t0)) "$JOBS_MODELS" "${WORK#"$ROOT"/}"
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
