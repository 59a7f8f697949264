#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure a kernel output directory from tinyconfig plus config fragments:
#
#   kconfig.sh [--strict | --allow-missing | --allow-undefined] ODIR FRAGMENT...
#
# Source tree: $SRC (default $TREE); architecture: $KARCH (default x86_64).
# Runs "make tinyconfig", merges the FRAGMENTs with merge_config.sh -m, then
# "make olddefconfig", and checks that every option the fragments ask for
# has the requested value in ODIR/.config.  Options that did not survive are
# listed and make it fail with exit status 2 (1: other errors), unless
#   --allow-missing    they are only listed ("note:")
#   --allow-undefined  options whose symbol no Kconfig file of the tree
#                      defines are only listed ("warning:"); options that
#                      exist but lost their value still fail
# The configuration is skipped when ODIR/.config was made from the same
# fragments, Kconfig files and compiler (stamp in ODIR/.kconfig-stamp); the
# check of the options is always done.
. "$(dirname "$0")/lib.sh"

mode=strict
case ${1:-} in
--strict) shift ;;
--allow-missing) mode=missing; shift ;;
--allow-undefined) mode=undefined; shift ;;
-*) die "usage: kconfig.sh [--strict|--allow-missing|--allow-undefined] ODIR FRAGMENT..." ;;
esac
(($# >= 2)) || die "usage: kconfig.sh [--strict|--allow-missing|--allow-undefined] ODIR FRAGMENT..."
odir=$1
shift
SRC=$(cd "${SRC:-$TREE}" 2>/dev/null && pwd) || die "kconfig.sh: no kernel source tree at ${SRC:-$TREE} (SRC or TREE)"
frags=()
for f; do
	[[ -f $f ]] || die "config fragment $f not found"
	frags+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done
mkdir -p "$odir"
odir=$(cd "$odir" && pwd)
log=$odir/kconfig.log

# kcmake ARGS...: make in ODIR under the build lock, output to the log (a wait
# for the lock is said on stderr).
# shellcheck disable=SC2317  # called through with_build_lock
_kcmake() { kmake "$odir" ARCH="$KARCH" "$@" >>"$log" 2>&1; }
kcmake() { with_build_lock _kcmake "$@"; }

# What the configuration depends on, as one hash.
stamp() {
	{
		printf 'arch %s\n' "$KARCH"
		ccache gcc --version | head -1
		cat "${frags[@]}"
		if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			git -C "$SRC" ls-files -z -- Makefile ':(glob)**/Kconfig*' \
				':(glob)**/configs/tiny.config' scripts/kconfig
		else
			find Makefile scripts/kconfig kernel/configs/tiny.config \
				"arch/${SRCARCH:-x86}/configs/tiny.config" \
				-type f -print0 2>/dev/null
			find . -name 'Kconfig*' -type f -print0
		fi | (cd "$SRC" && xargs -0 cat 2>/dev/null)
	} | sha1sum | cut -d' ' -f1
}

stamp_now=$(cd "$SRC" && stamp)
if [[ -f $odir/.config && $(cat "$odir/.kconfig-stamp" 2>/dev/null) == "$stamp_now" ]]; then
	info "kconfig: $odir/.config is up to date"
else
	info "kconfig: tinyconfig + ${*##*/} in $odir"
	rm -f "$odir/.kconfig-stamp"
	: >"$log"
	{
		kcmake tinyconfig &&
			(cd "$SRC" && scripts/kconfig/merge_config.sh -m -O "$odir" \
				"$odir/.config" "${frags[@]}" >>"$log" 2>&1) &&
			kcmake olddefconfig
	} || {
		tail -30 "$log" >&2
		die "kconfig: configuration failed (log: $log)"
	}
	printf '%s\n' "$stamp_now" >"$odir/.kconfig-stamp"
fi

# is_defined SYM: does some Kconfig file of the tree define CONFIG_SYM?
is_defined() {
	local re="^[[:space:]]*(menu)?config[[:space:]]+$1[[:space:]]*(#.*)?$"
	if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$SRC" grep -qE "$re" -- ':(glob)**/Kconfig*'
	else
		grep -rqE --include='Kconfig*' "$re" "$SRC"
	fi
}

# Requested values, the last one of each option winning as in merge_config.sh.
declare -A req=()
order=()
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
			sym=${BASH_REMATCH[1]} val=n
		else
			continue
		fi
		[[ -v req[$sym] ]] || order+=("$sym")
		req[$sym]=$val
	done <"$f"
done

declare -A got=()
while IFS= read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		got[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
	fi
done <"$odir/.config"

bad=0
for sym in "${order[@]}"; do
	want=${req[$sym]} have=${got[$sym]:-n}
	[[ $want == "$have" ]] && continue
	if [[ $have == n ]]; then have="not set"; fi
	if is_defined "${sym#CONFIG_}"; then
		why="lost: unmet dependencies or not selectable"
		level=FAIL
	else
		why="no such symbol in this tree"
		level=FAIL
		[[ $mode == undefined ]] && level=warning
	fi
	[[ $mode == missing ]] && level=note
	printf 'kconfig: %s: %s=%s requested, got %s (%s)\n' "$level" "$sym" "$want" "$have" "$why"
	[[ $level == FAIL ]] && bad=1
done
((bad == 0)) || exit 2
exit 0
