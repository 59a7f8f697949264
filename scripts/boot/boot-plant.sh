#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The negative test of the boot tests' report scan: on the patched small
# and debug kernels, a test module (scripts/boot/modules/kmodt_plant.c)
# WARNs while the scenario modprobe_path runs, and sequential runs after
# it.  scripts/boot/boot-test.sh --plant passes only if each boot is failed
# for exactly that warning and its taint (W), both blamed on modprobe_path:
# a warning that the console hid, that went unread, or that was blamed on
# the wrong scenario fails this check.  The kernels are those of the other
# boot tests, so nothing is built that they do not build.
#
#   boot-plant.sh [small|debug]...   the flavours to plant in (both if none)
. "$(dirname "$0")/../lib/lib.sh"
flavours=("$@")
((${#flavours[@]})) || flavours=(small debug)
for flavour in "${flavours[@]}"; do
	[[ $flavour == @(small|debug) ]] ||
		die "boot-plant.sh: unknown flavour '$flavour' (small or debug)"
done

rc=0
for flavour in "${flavours[@]}"; do
	"$ROOT/scripts/boot/boot-test.sh" --kernels series --flavour "$flavour" --tag plant \
		--only modprobe_path,sequential --plant modprobe_path || rc=1
done
exit $rc
