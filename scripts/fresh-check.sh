#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fresh-check: does the README work on a fresh Debian 12?
#
# Builds a "debootstrap --variant=minbase bookworm" root from the Debian
# archive this machine's apt uses, and in a copy of it runs, as a new user
# would, what "On a fresh machine" in README.md says: the prerequisites
# line, a git clone of the project (of its committed HEAD), make deps, and
# the checks that build no kernel (FRESH_STEPS below).  It does so twice,
# each time in a new copy: as root, and as a user with sudo, whose PATH has
# no sbin directory (Debian's default for a user).  Every step is timed;
# the logs are in build/fresh/logs/.
#
# Needs root on this machine (debootstrap, mount, chroot; it re-runs itself
# with sudo) and the network (the archive).  Not part of make check.
#
#   FRESH_REBUILD=1   debootstrap again (the minbase root is kept between
#                     runs in build/fresh/minbase; the copies are not)
#   FRESH_AS="root sudo"  the runs to do, in that order (default both)
#   FRESH_FULL=1      run the README's "all the tests" command instead of
#                     the checks that build no kernel: make deps, then
#                     make check, as root only unless FRESH_AS says
#                     otherwise (about an hour on two cores: the cold
#                     time of make check on a fresh machine)
#   FRESH_KEEP=1      keep the copies (build/fresh/root, build/fresh/sudo)
#                     after a run that passed; a failed run's is always kept
. "$(dirname "$0")/lib/lib.sh"
no_args "$@"

FRESH=$BUILD/fresh
MINBASE=$FRESH/minbase
FLOGS=$FRESH/logs
SUITE=bookworm
FRESH_FULL=${FRESH_FULL:-0}
[[ $FRESH_FULL == 0 || $FRESH_FULL == 1 ]] || die "FRESH_FULL=$FRESH_FULL: 0 or 1"
if [[ $FRESH_FULL == 1 ]]; then
	read -r -a FRESH_AS <<<"${FRESH_AS:-root}"
else
	read -r -a FRESH_AS <<<"${FRESH_AS:-root sudo}"
fi
for m in "${FRESH_AS[@]}"; do
	[[ $m == root || $m == sudo ]] || die "FRESH_AS=${FRESH_AS[*]}: each run is 'root' or 'sudo', not '$m'"
done

# What a new user runs, in order, from README.md.  PREREQ is the line for
# root; a user with sudo runs it with "sudo " in front of each apt-get.
PREREQ="apt-get update && apt-get install -y make git ca-certificates"
FRESH_STEPS=(
	"make deps"
	"make help"
	"make lint"
	"make tree"
	"scripts/checks/test-tooling.sh"
	"scripts/checks/check-series.sh apply checkpatch kernel-doc docs"
	"scripts/checks/test-checks.sh apply checkpatch kernel-doc maintainers docs rebase"
)
# FRESH_FULL=1: the README's command for all the tests, cold.
[[ $FRESH_FULL == 1 ]] && FRESH_STEPS=("make deps" "make check")

# readme_says: every command of FRESH_STEPS (and the prerequisites lines)
# must be in README.md word for word, so that this check cannot drift
# away from what the README tells a new user.
readme_says() {
	local c
	for c in "$PREREQ" "${PREREQ//apt-get/sudo apt-get}" "${FRESH_STEPS[@]}"; do
		grep -qF -- "$c" "$ROOT/README.md" ||
			die "README.md no longer says '$c': update FRESH_STEPS in scripts/fresh-check.sh with what it says now"
	done
}

# become_root: the rest needs root; re-run under sudo with the knobs.
become_root() {
	((EUID == 0)) && return 0
	command -v sudo >/dev/null ||
		die "make fresh-check needs root (debootstrap, mount, chroot): run it as root, or install sudo"
	info "re-running as root with sudo"
	exec sudo env BUILD="$BUILD" FRESH_REBUILD="${FRESH_REBUILD:-}" \
		FRESH_AS="${FRESH_AS[*]}" FRESH_KEEP="${FRESH_KEEP:-}" FRESH_FULL="$FRESH_FULL" "$0"
}

# archive_entries: "URI SUITE" for each Debian 12 entry (bookworm,
# bookworm-updates, bookworm-security) of this machine's apt sources, in
# both formats (one-line .list, deb822 .sources).  Read at run time, so
# that no mirror is written into the project.
archive_entries() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		awk '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			print $i, $(i + 1)
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			types = uris = suites = ""; enabled = "yes"
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^#/) continue
				split($i, kv, ":[ \t]*")
				key = tolower(kv[1]); val = substr($i, length(kv[1]) + 2)
				sub(/^[ \t]+/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "enabled") enabled = tolower(val)
			}
			if (enabled == "no" || types !~ /(^| )deb( |$)/) next
			nu = split(uris, u, " "); ns = split(suites, s, " ")
			for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) print u[a], s[b]
		}' "$f"
	done | awk -v suite="$SUITE" '$2 ~ "^" suite "(-updates|-security)?$"' | sort -u
}

# is_mounted_under DIR: is anything mounted at or below DIR?  A copy is
# only removed when nothing is: rm -rf through a bind mount of /dev would
# empty the machine's /dev.
is_mounted_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mountinfo
}

# make_minbase: the debootstrap root, once (FRESH_REBUILD=1: again).
make_minbase() {
	local mirror tmp=$FRESH/minbase.new
	if [[ -f $MINBASE/.fresh-check-minbase && ${FRESH_REBUILD:-0} != 1 ]]; then
		info "minbase root: $MINBASE (kept from an earlier run; FRESH_REBUILD=1 makes it again)"
		return 0
	fi
	if ! command -v debootstrap >/dev/null; then
		info "installing debootstrap"
		apt-get install -y -qq debootstrap >"$FLOGS/apt-debootstrap.log" 2>&1 ||
			die "apt-get install debootstrap failed (log: $FLOGS/apt-debootstrap.log)"
	fi
	mirror=$(archive_entries | awk -v suite="$SUITE" '$2 == suite { print $1; exit }')
	[[ -n $mirror ]] ||
		die "no Debian '$SUITE' entry in /etc/apt/sources.list or /etc/apt/sources.list.d: fresh-check uses the archive this machine's apt uses"
	for d in "$MINBASE" "$tmp"; do
		is_mounted_under "$d" && die "something is still mounted under $d: unmount it first"
	done
	rm -rf "$tmp" "$MINBASE"
	info "debootstrap --variant=minbase $SUITE from $mirror (a few minutes; log: $FLOGS/debootstrap.log)"
	debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >"$FLOGS/debootstrap.log" 2>&1 ||
		{ tail -5 "$FLOGS/debootstrap.log" >&2; die "debootstrap failed (log: $FLOGS/debootstrap.log)"; }
	rm -rf "$tmp/var/cache/apt/archives/"*.deb
	: >"$tmp/.fresh-check-minbase"
	mv "$tmp" "$MINBASE" || die "could not move $tmp to $MINBASE"
}

# The chroot of the current run, and what is mounted in it (for cleanup).
WORK=
MOUNTS=()

unmount_all() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null ||
			msg "warning: could not unmount ${MOUNTS[i]}"
	done
	MOUNTS=()
}
trap unmount_all EXIT

# mount_into: /proc, /sys and /dev of the machine in $WORK, as apt,
# sudo and the kernel's scripts expect them.
mount_into() {
	mount -t proc proc "$WORK/proc" || die "mounting /proc in $WORK failed"
	MOUNTS+=("$WORK/proc")
	mount -t sysfs sysfs "$WORK/sys" || die "mounting /sys in $WORK failed"
	MOUNTS+=("$WORK/sys")
	mount --bind /dev "$WORK/dev" || die "mounting /dev in $WORK failed"
	MOUNTS+=("$WORK/dev")
	mount --bind /dev/pts "$WORK/dev/pts" || die "mounting /dev/pts in $WORK failed"
	MOUNTS+=("$WORK/dev/pts")
}

# in_root CMD...: CMD in the chroot as root, with a clean environment.
in_root() {
	chroot "$WORK" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# make_machine MODE: a new copy of the minbase root, set up the way a Debian
# 12 machine is before its user reads the README: the archive this machine
# uses in its apt sources (Debian 12's three suites), and for MODE sudo a
# user "dev" allowed to use sudo.  The project goes to /srv as a bare
# clone of its committed HEAD, to be cloned from there.
make_machine() {
	local mode=$1
	WORK=$FRESH/$mode
	is_mounted_under "$WORK" && die "something is still mounted under $WORK: unmount it first"
	rm -rf "$WORK"
	info "$mode: copying the minbase root to $WORK"
	cp -a "$MINBASE" "$WORK" || die "copying $MINBASE failed"
	archive_entries | awk '{ print "deb", $1, $2, "main" }' >"$WORK/etc/apt/sources.list"
	cp /etc/resolv.conf "$WORK/etc/resolv.conf"
	grep -q "$(hostname)" "$WORK/etc/hosts" 2>/dev/null ||
		printf '127.0.1.1\t%s\n' "$(hostname)" >>"$WORK/etc/hosts"
	# No daemons from package scripts in a chroot.
	printf '#!/bin/sh\nexit 101\n' >"$WORK/usr/sbin/policy-rc.d"
	chmod +x "$WORK/usr/sbin/policy-rc.d"
	git clone -q --bare "$ROOT" "$WORK/srv/kmod-series.git" || die "git clone --bare $ROOT failed"
	mount_into
	if [[ $mode == sudo ]]; then
		info "sudo: a user 'dev' with sudo (apt-get install sudo)"
		{
			in_root apt-get update -qq &&
				in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo &&
				in_root useradd -m -s /bin/bash dev &&
				printf 'dev ALL=(ALL) NOPASSWD: ALL\n' >"$WORK/etc/sudoers.d/dev"
		} >"$FLOGS/sudo-setup.log" 2>&1 || die "setting up the sudo user failed (log: $FLOGS/sudo-setup.log)"
		chmod 440 "$WORK/etc/sudoers.d/dev"
		# The bare clone stands for the server the user clones from: git
		# refuses a repository of another owner ("dubious ownership").
		in_root chown -R dev: /srv/kmod-series.git || die "chown of /srv/kmod-series.git failed"
	fi
}

# steps_script MODE: the new user's session, as a script for the chroot:
# each command with its time, stopping at the first that fails.
steps_script() {
	local mode=$1 c prereq=$PREREQ
	[[ $mode == sudo ]] && prereq=${PREREQ//apt-get/sudo apt-get}
	cat <<'EOF'
#!/bin/bash
set -o pipefail
export DEBIAN_FRONTEND=noninteractive
step() {
	local t0=$SECONDS
	printf '\n=== fresh-check: %s\n' "$1"
	if ! bash -c "$1"; then
		printf '=== fresh-check: FAILED (%ss): %s\n' $((SECONDS - t0)) "$1"
		exit 1
	fi
	printf '=== fresh-check: %ss: %s\n' $((SECONDS - t0)) "$1"
}
cd ~ || exit 1
EOF
	printf 'step %q\n' "$prereq" "git clone /srv/kmod-series.git kmod-series"
	printf 'cd kmod-series || exit 1\n'
	for c in "${FRESH_STEPS[@]}"; do printf 'step %q\n' "$c"; done
}

# run_mode MODE: one fresh machine, one new user.  Prints the time of each
# step; returns non-zero if a step failed.
run_mode() {
	local mode=$1 log=$FLOGS/$1.log t0=$SECONDS rc t1 steps
	stage "fresh-check as $mode"
	make_machine "$mode"
	steps_script "$mode" >"$WORK/tmp/fresh-steps.sh"
	chmod 755 "$WORK/tmp/fresh-steps.sh"
	info "$mode: the README's commands in $WORK (log: $log)"
	t1=$SECONDS
	if [[ $mode == root ]]; then
		in_root bash /tmp/fresh-steps.sh >"$log" 2>&1
	else
		# A login shell of the user (runuser -l clears the environment):
		# Debian's PATH for a user, without sbin.
		in_root runuser -l dev -c 'bash /tmp/fresh-steps.sh' >"$log" 2>&1
	fi
	rc=$?
	steps=$((SECONDS - t1))
	grep -E '^=== fresh-check: (FAILED|[0-9]+s:)' "$log" | sed 's/^=== fresh-check: /  /' >&2
	if ((rc != 0)); then
		msg "  last lines of $log:"
		tail -n 15 "$log" | sed 's/^/    /' >&2
	fi
	unmount_all
	printf '%s\t%s\t%s\t%s\n' "$mode" "$( ((rc == 0)) && echo PASS || echo FAIL)" \
		"$steps" $((SECONDS - t0)) >>"$FLOGS/summary.tsv"
	# A copy is 6 GB or more: not kept once it has passed.
	if ((rc == 0)) && [[ ${FRESH_KEEP:-0} != 1 ]]; then
		info "$mode: removing $WORK (FRESH_KEEP=1 keeps it)"
		is_mounted_under "$WORK" || rm -rf "$WORK"
	fi
	stage_result "$rc"
	return "$rc"
}

readme_says
become_root
mkdir -p "$FLOGS"
: >"$FLOGS/summary.tsv"
make_minbase
fail=0
for m in "${FRESH_AS[@]}"; do
	run_mode "$m" || fail=1
done
# The time of the README's commands, and of the whole run with the copy
# of the root and the setup of its user (without the removal).
printf '\n%-6s %-6s %-16s %s\n' RUN RESULT "README COMMANDS" "WITH SETUP"
while IFS=$'\t' read -r m v s t; do
	printf '%-6s %-6s %-16s %s\n' "$m" "$v" "$(fmt_secs "$s")" "$(fmt_secs "$t")"
done <"$FLOGS/summary.tsv"
exit $fail
