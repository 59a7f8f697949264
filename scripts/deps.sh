#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the project needs from Debian's archive.  Quiet and fast when
# everything is already there; otherwise one "apt-get update", then one
# "apt-get install -y" of exactly the missing packages.
. "$(dirname "$0")/lib.sh"

PKGS=(
	# the base tree
	linux-source-6.12 xz-utils git
	# kernel builds
	build-essential flex bison bc libelf-dev libssl-dev cpio dwarves rsync
	ccache sparse perl python3
	# checkpatch's SPDX check
	python3-ply python3-git
	# boot tests and KUnit under QEMU
	qemu-system-x86 busybox-static kmod libcap2-bin
	# the benchmark's plots
	python3-matplotlib
	# posting
	b4
	# the documentation check (Sphinx with the kernel's conf.py)
	python3-sphinx
	# the protocol models (scripts/models.sh)
	spin
)

missing=()
for p in "${PKGS[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

((${#missing[@]} == 0)) && exit 0

SUDO=
((EUID != 0)) && SUDO=sudo
info "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || die "apt-get update failed"
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$BUILD/apt.log" 2>&1 ||
	{ tail -20 "$BUILD/apt.log" >&2; die "apt-get install failed (log: $BUILD/apt.log)"; }
info "installed ${#missing[@]} packages"
