#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the project needs from Debian's archive.  Quiet and fast when
# everything is already there; otherwise one "apt-get update", then one
# "apt-get install -y" of exactly the missing packages.  Runs as root, or
# as a user with sudo.  The list is what a "debootstrap --variant=minbase"
# Debian 12 lacks (make fresh-check tests that); make and git themselves
# must be there before the project can be cloned (README).
#
# linux-source-6.12 is installed at the version in
# scripts/series/base-version, the one the series is made and measured on:
# the archive serves several.
. "$(dirname "$0")/lib/lib.sh"
no_args "$@"

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
	# the documentation check: Sphinx with the kernel's conf.py; 6.12's
	# "make htmldocs" always runs tools/net/ynl/ynl-gen-rst.py, which
	# imports yaml
	python3-sphinx python3-yaml
	# the protocol models (scripts/checks/models.sh)
	spin
	# the lint stage (scripts/checks/lint.sh)
	shellcheck pyflakes3
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done

((${#missing[@]} == 0)) && exit 0

SUDO=()
if ((EUID != 0)); then
	command -v sudo >/dev/null ||
		die "installing ${missing[*]} needs root: run 'make deps' as root, or install sudo and allow this user to use it"
	SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
info "installing: ${missing[*]}"
"${SUDO[@]}" apt-get update -qq || die "apt-get update failed"

# pin_base_source: replace linux-source-6.12 in the list by the version of
# scripts/series/base-version, if the archive still has it.
pin_base_source() {
	local i want have
	for i in "${!missing[@]}"; do
		[[ ${missing[i]} == linux-source-6.12 ]] || continue
		want=$(base_version) || exit 1
		[[ $want == any ]] && return 0
		have=$(apt-cache madison linux-source-6.12 | awk -F' *[|] *' '{ print $2 }')
		grep -qxF "$want" <<<"$have" ||
			die "the archive has no linux-source-6.12 $want, the version the series is made on ($(base_version_from)), only: $(tr '\n' ' ' <<<"$have"| sed 's/ $//'); set KMOD_BASE_VERSION to one of them, or KMOD_BASE_VERSION=any for the newest"
		missing[i]=linux-source-6.12=$want
	done
}
pin_base_source

"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$BUILD/apt.log" 2>&1 ||
	{ tail -20 "$BUILD/apt.log" >&2; die "apt-get install failed (log: $BUILD/apt.log)"; }
info "installed ${#missing[@]} packages"
