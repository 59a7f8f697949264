#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the boot-test initramfs (busybox ash).  Runs the request_module()
# scenarios against the running kernel and reports them as KTAP on the
# console, with "# RESULT <scenario> key=value..." lines for the figures,
# then "BOOT-TEST-END" and a reboot (QEMU runs with -no-reboot).
#
# Requests come from real processes: "mount -t NAME" makes the kernel call
# request_module("fs-NAME") in the mounting process, which waits for the
# result and can be killed.  /sbin/modprobe is the stand-in of
# fake-modprobe.c; it loads nothing, so every mount fails with ENODEV
# after its request.  The scenarios to run can be limited with
# boot_test.only=NAME,NAME on the kernel command line.
export PATH=/sbin:/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /mnt

STATS=/sys/kernel/debug/kmod/stats
ONLY=$(sed -n 's/.*boot_test\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
SCENARIOS="same_name moving_queue kill_refill killed_queued modprobe_path sequential"
n=0

wanted() {
	[ -z "$ONLY" ] && return 0
	case ",$ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

count=0
for s in $SCENARIOS; do wanted "$s" && count=$((count + 1)); done

# Waits, up to $2 seconds, until the command $1 succeeds.
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -ge $(($2 * 100)) ] && return 1
		usleep 10000
	done
}

# Resets the stand-in modprobe: every copy gone, counters cleared, then
# "SLEEP_MS STATUS" as its behaviour.
mp_reset() {
	wait_for '[ -z "$(ls /run/mp/live 2>/dev/null)" ]' 60 ||
		echo "# warning: stand-in modprobes still alive"
	rm -rf /run/mp
	mkdir -p /run/mp/live /run/mp/runs
	echo "$1 $2" >/run/mp/config
}

runs() { ls /run/mp/runs | wc -l; }
live() { ls /run/mp/live | wc -l; }
peak() { p=$(sort -n /run/mp/peaks 2>/dev/null | tail -n 1); echo "${p:-0}"; }
ms() { echo $(($(mono) / 1000)); }
busy_warnings() { dmesg | grep -c 'kmod busy'; }

# A process that asks for module fs-$1 and waits for it (killable).
request() { exec mount -t "$1" none /mnt 2>/dev/null; }

# Starts 50 callers for modules PREFIX1..PREFIX50, their pids in $pids, and
# waits until all 50 modprobes run: every slot taken.
fill_slots() {
	pids=
	for i in $(seq 50); do
		(request "$1$i") &
		pids="$pids $!"
	done
	wait_for '[ "$(runs)" -ge 50 ]' 120 || echo "# warning: only $(runs) of 50 started"
}

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
	fi
}

result() { echo "# RESULT $*"; }

# Keeps the events of a scenario for the plots of the benchmark.
keep_events() {
	echo "# EVENTS-BEGIN $1"
	cat /run/mp/events 2>/dev/null
	echo "# EVENTS-END $1"
}

# 200 concurrent requests for one module: how many modprobes run.  The
# stand-in sleeps 5 s, longer than busybox takes to start 200 callers under
# TCG, so that they are all concurrent.
same_name() {
	mp_reset 5000 1
	t0=$(ms)
	for i in $(seq 200); do (request kmsame) & done
	wait
	r=$(runs)
	result same_name callers=200 modprobe_runs="$r" wall_ms=$(($(ms) - t0))
	[ "$r" -eq 1 ]
}

# 200 requests for distinct modules with a 3 s modprobe: the queue always
# moves; requests that time out never start their modprobe.
moving_queue() {
	mp_reset 3000 1
	w0=$(busy_warnings)
	t0=$(ms)
	for i in $(seq 200); do (request "kmq$i") & done
	wait
	r=$(runs)
	result moving_queue callers=200 modprobe_runs="$r" failures=$((200 - r)) \
		busy_warnings=$(($(busy_warnings) - w0)) peak_live="$(peak)" \
		wall_ms=$(($(ms) - t0))
	[ "$r" -eq 200 ]
}

# 50 callers killed while their modprobes run, then 50 new requests: how
# many modprobes are alive at once.  The stand-in sleeps 4 s: less than the
# stall timeout, so that the new requests, which wait for those slots on
# the patched kernel, get them rather than time out.
kill_refill() {
	mp_reset 4000 1
	fill_slots kk
	kill -9 $pids
	for i in $(seq 50); do (request "kr$i") & done
	wait
	p=$(peak)
	result kill_refill limit=50 peak_live="$p" modprobe_runs="$(runs)"
	keep_events kill_refill
	[ "$p" -le 50 ]
}

# A caller queued behind 50 busy modprobes gets SIGKILL: how long until it
# is gone.
killed_queued() {
	mp_reset 10000 1
	fill_slots kb
	(request kqueued) &
	q=$!
	usleep 500000
	t0=$(mono)
	kill -9 $q
	wait $q
	t1=$(mono)
	linger=$(((t1 - t0) / 1000))
	kill -9 $pids
	wait
	result killed_queued linger_ms="$linger" modprobe_runs="$(runs)"
	[ "$linger" -lt 250 ]
}

# /proc/sys/kernel/modprobe redirects requests; an empty one stops them.
modprobe_path() {
	mp_reset 0 1
	echo /sbin/other-modprobe >/proc/sys/kernel/modprobe
	(request kmpath)
	redirected=$(cat /run/mp/runs/* 2>/dev/null | grep -c '^/sbin/other-modprobe fs-kmpath$')
	echo >/proc/sys/kernel/modprobe
	before=$(runs)
	(request kmempty)
	after=$(runs)
	echo /sbin/modprobe >/proc/sys/kernel/modprobe
	result modprobe_path redirected="$redirected" runs_with_empty_path=$((after - before))
	[ "$redirected" -eq 1 ] && [ "$after" -eq "$before" ]
}

# 200 sequential requests with a modprobe that exits at once: the cost of
# one request, for the ratio between kernels.
sequential() {
	mp_reset 0 1
	t0=$(mono)
	for i in $(seq 200); do (request kmseq); done
	t1=$(mono)
	r=$(runs)
	result sequential requests=200 modprobe_runs="$r" per_request_us=$(((t1 - t0) / 200))
	[ "$r" -eq 200 ]
}

echo "KTAP version 1"
echo "1..$count"
result kernel release="$(uname -r)" cpus="$(grep -c ^processor /proc/cpuinfo)"
for s in $SCENARIOS; do
	wanted "$s" || continue
	echo "# scenario $s"
	$s
	report $? "$s"
done
if [ -r $STATS ]; then
	sed 's/^/# STATS /' $STATS
fi
echo "BOOT-TEST-END"
reboot -f
