#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the boot-test initramfs (busybox ash).  Runs the request_module()
# scenarios against the running kernel and reports them as KTAP on the
# console, with "# RESULT <scenario> key=value..." lines for the figures,
# then "BOOT-TEST-END" and a reboot (QEMU runs with -no-reboot).
#
# Requests come from real processes: "mount -t NAME" makes the kernel call
# request_module("fs-NAME") in the mounting process, which waits for the
# result and can be killed.  The storm scenarios point
# /proc/sys/kernel/modprobe at /sbin/fake-modprobe (fake-modprobe.c),
# which loads nothing and records its runs, so every such mount fails with
# ENODEV after its request.  The other scenarios use the real modprobe of
# kmod (/sbin/modprobe) and the modules in /lib/modules.
#
# Kernel command line:
#   boot_test.flavour=FLAVOUR       which scenario list runs (below)
#   boot_test.only=NAME,NAME        only these scenarios
#   boot_test.kselftest=reduced|full  iteration counts of kmod.sh
#   boot_test.kselftest_only=ID,ID  only these tests of kmod.sh (0001...)
#   boot_test.kernel=base|series    which kernel this is
#   boot_test.plant=NAME            load kmodt_plant, which WARNs, while
#                                   scenario NAME runs (a negative test)
#   boot_test.sweep=1               add the benchmark's scaling sweep
#   boot_test.real_max=N            real_modprobe: only N <= this (a quick run)
export PATH=/sbin:/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /mnt /tmp

STATS=/sys/kernel/debug/kmod/stats
KMEMLEAK=/sys/kernel/debug/kmemleak
FAILSLAB=/sys/kernel/debug/failslab
MODPROBE=/sbin/modprobe
FAKE=/sbin/fake-modprobe
arg() { sed -n "s/.*boot_test\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
ONLY=$(arg only)
FLAVOUR=$(arg flavour)
KSELFTEST=$(arg kselftest)
KSELFTEST_ONLY=$(arg kselftest_only | tr , ' ')
# The kernel under test, base or series: what it cannot have (the
# throttle's statistics on base) is checked only where it must be there.
KERNEL=$(arg kernel)
PLANT=$(arg plant)
REAL_MAX=$(arg real_max)
# The scenarios of each flavour are listed in /etc/boot-test/scenarios
# (scripts/boot/scenarios).  Every flavour runs those that need only the
# test modules, the stand-in modprobe and pm_test; the debug kernel (KASAN,
# lockdep, kmemleak, fault injection, test_kmod) adds the ones that need
# those, and ends with a kmemleak scan.  A scenario whose kernel support is
# missing fails: nothing is skipped.  The benchmark (scripts/bench/bench.sh)
# runs the figures it compares, and with boot_test.sweep=1 the scaling sweep.
SCENARIOS=$(awk -v f="$FLAVOUR" '$1 == f { $1 = ""; print }' /etc/boot-test/scenarios)
[ "$(arg sweep)" = 1 ] && SCENARIOS="$SCENARIOS sweep"
# A "FLAVOUR+" line: scenarios that run only when boot_test.only names them.
[ -n "$ONLY" ] && SCENARIOS="$SCENARIOS $(awk -v f="$FLAVOUR+" '$1 == f { $1 = ""; print }' /etc/boot-test/scenarios)"
n=0

wanted() {
	[ -z "$ONLY" ] && return 0
	case ",$ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

count=0
for s in $SCENARIOS; do wanted "$s" && count=$((count + 1)); done

# Waits, up to $2 seconds, until the command $1 succeeds.  The limit is
# time, not a count of tries: under KASAN one try of a command that forks
# can take 100 ms.
wait_for() {
	wf_end=$(($(ms) + $2 * 1000))
	while ! eval "$1"; do
		[ "$(ms)" -ge $wf_end ] && return 1
		usleep 10000
	done
}

# Resets the stand-in modprobe: every copy gone (gated ones released),
# counters cleared, then "SLEEP_MS STATUS [GATED]" as its behaviour.
mp_reset() {
	mp_open_gate
	wait_for '[ -z "$(ls /run/mp/live 2>/dev/null)" ]' 60 ||
		echo "# warning: stand-in modprobes still alive"
	exec 9>&-
	rm -rf /run/mp
	mkdir -p /run/mp/live /run/mp/runs
	echo "$1 $2 ${3:-0}" >/run/mp/config
	[ "${3:-0}" = 1 ] && mkfifo /run/mp/gate
	echo $FAKE >/proc/sys/kernel/modprobe
}

# Lets gated stand-in modprobes finish: holding the FIFO open for writing
# (fd 9, until the next mp_reset) unblocks every copy waiting to read it,
# and those still to come.
mp_open_gate() {
	[ -p /run/mp/gate ] && exec 9<>/run/mp/gate
	return 0
}

# The real modprobe as the kernel's helper again.
mp_real() { echo $MODPROBE >/proc/sys/kernel/modprobe; }

runs() { ls /run/mp/runs | wc -l; }
live() { ls /run/mp/live | wc -l; }
peak() { p=$(sort -n /run/mp/peaks 2>/dev/null | tail -n 1); echo "${p:-0}"; }
ms() { echo $(($(mono) / 1000)); }
# The value of field $1 of the throttle's statistics; fails without them.
stat_of() {
	[ -r $STATS ] || return 1
	v=$(awk -v k="$1:" '$1 == k { print $2 }' $STATS)
	[ -n "$v" ] && echo "$v"
}
# Requests in the throttle (in_use + waiters + queued); fails without its
# statistics or with a field missing.
throttle_busy() {
	tb_u=$(stat_of in_use) && tb_w=$(stat_of waiters) && tb_q=$(stat_of queued) ||
		return 1
	echo $((tb_u + tb_w + tb_q))
}
busy_warnings() { dmesg | grep -c 'kmod busy'; }

# A process that asks for module fs-$1 and waits for it (killable).
request() { exec mount -t "$1" none /mnt 2>/dev/null; }

# Starts $1 callers of module fs-$2, their pids in $pids.
same_callers() {
	pids=
	for i in $(seq "$1"); do
		(request "$2") &
		pids="$pids $!"
	done
}

# Starts 50 callers for modules PREFIX1..PREFIX50, their pids in $pids, and
# waits until all 50 modprobes run: every slot taken.  Fails if they do
# not all start: what the scenario measures next would then test nothing.
fill_slots() {
	pids=
	for i in $(seq 50); do
		(request "$1$i") &
		pids="$pids $!"
	done
	wait_for '[ "$(runs)" -ge 50 ]' 120 && return 0
	echo "# only $(runs) of 50 modprobes started: the slots are not all taken"
	return 1
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

# Succeeds if none of the processes $* is still on its way into the
# kernel (not-blocked, in fake-modprobe.c).  A request_module() caller
# sleeps killably, in state D, both while it waits for a slot and while it
# waits for its modprobe; one whose request failed is gone.
all_blocked() { [ "$(not-blocked "$@")" = 0 ]; }

# Opens the gate of the stand-in modprobe (mp_reset ... 1) once every one
# of the processes $* has made its request: all blocked twice in a row,
# 100 ms apart.  Opens it anyway after 120 s, with a warning, rather than
# hang the boot test.
open_gate_when_blocked() {
	wait_for "all_blocked $* && usleep 100000 && all_blocked $*" 120 ||
		echo "# warning: $(not-blocked "$@") callers never blocked in the kernel"
	mp_open_gate
}

# 200 concurrent requests for one module: how many modprobes run.  The
# stand-in runs for 5 s and, gated, until all 200 callers have asked:
# under KASAN and TCG busybox can take longer than 5 s to start them, and
# a caller that arrives after the modprobe has exited rightly starts a new
# one.  On a fast machine the gate opens within the 5 s and changes
# nothing, so the unpatched kernel's figure stays comparable.
same_name() {
	mp_reset 5000 1 1
	t0=$(ms)
	same_callers 200 kmsame
	open_gate_when_blocked $pids
	t_in=$(($(ms) - t0))
	wait
	r=$(runs)
	result same_name callers=200 modprobe_runs="$r" wall_ms=$(($(ms) - t0)) \
		all_asked_ms="$t_in"
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
	fill_slots kk || { kill -9 $pids; wait; return 1; }
	kill -9 $pids
	for i in $(seq 50); do (request "kr$i") & done
	wait
	p=$(peak) r=$(runs)
	result kill_refill limit=50 peak_live="$p" modprobe_runs="$r"
	keep_events kill_refill
	# Every request ran its modprobe, and the cap was reached, not passed.
	[ "$r" -eq 100 ] && [ "$p" -eq 50 ]
}

# A caller queued behind 50 busy modprobes gets SIGKILL: how long until it
# is gone.
killed_queued() {
	mp_reset 10000 1
	fill_slots kb || { kill -9 $pids; wait; return 1; }
	(request kqueued) &
	q=$!
	# The victim must be asleep in the kernel, waiting for a slot, when it
	# is killed: otherwise the kill tests nothing.
	wait_for "all_blocked $q && usleep 100000 && all_blocked $q" 60
	queued=$?
	t0=$(mono)
	kill -9 $q
	wait $q
	t1=$(mono)
	linger=$(((t1 - t0) / 1000))
	kill -9 $pids
	wait
	r=$(runs)
	result killed_queued linger_ms="$linger" modprobe_runs="$r" victim_was_queued=$((!queued))
	# Only the 50 slot holders ran: the killed caller never got a modprobe.
	[ "$queued" = 0 ] && [ "$r" -eq 50 ] && [ "$linger" -lt 250 ]
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
	# request_module() itself says -ENOENT: see the test module's result.
	modprobe kmodt_storm count=1 prefix=kmempty2 2>/dev/null
	empty_err=$(cat /sys/module/kmodt_storm/parameters/first_error 2>/dev/null)
	rmmod kmodt_storm 2>/dev/null
	mp_real
	result modprobe_path redirected="$redirected" runs_with_empty_path=$((after - before)) \
		nowait_error_with_empty_path="$empty_err"
	[ "$redirected" -eq 1 ] && [ "$after" -eq "$before" ] && [ "$empty_err" = -2 ]
}

# A module whose init starts a kthread that request_module()s a second
# module, which uses a symbol of the first.  The real modprobe and depmod.
module_chain() {
	mp_real
	modprobe kmodt_first || { echo "# modprobe kmodt_first failed"; return 1; }
	# The kthread's request_module() returns when modprobe has exited.
	wait_for '[ "$(cat /sys/module/kmodt_first/parameters/request_result)" != -2147483648 ]' 30
	res=$(cat /sys/module/kmodt_first/parameters/request_result)
	users=$(lsmod | awk '$1 == "kmodt_first" { print $3 "," $4 }')
	modprobe -r kmodt_first 2>/dev/null
	rm_first=$?
	[ -d /sys/module/kmodt_first ] && first_stays=1 || first_stays=0
	modprobe -r kmodt_second
	rm_second=$?
	left=$(lsmod | grep -c '^kmodt_')
	result module_chain request_result="$res" used_by="$users" \
		rm_first_rc="$rm_first" first_stays="$first_stays" \
		rm_second_rc="$rm_second" left_loaded="$left"
	[ "$res" = 0 ] && [ "$users" = "1,kmodt_second" ] && [ "$rm_first" -ne 0 ] &&
		[ "$first_stays" = 1 ] && [ "$rm_second" = 0 ] && [ "$left" = 0 ]
}

# request_module_nowait() from a module's init, 200 distinct names, a 2 s
# modprobe: how many modprobes are alive at once.
nowait_storm() {
	mp_reset 2000 1
	t0=$(ms)
	modprobe kmodt_storm count=200 prefix=kmns || { echo "# modprobe kmodt_storm failed"; return 1; }
	errors=$(cat /sys/module/kmodt_storm/parameters/errors)
	rmmod kmodt_storm
	wait_for '[ "$(runs)" -ge $((200 - errors)) ] && [ "$(live)" -eq 0 ]' 180 ||
		echo "# warning: $(runs) runs, $(live) alive"
	r=$(runs) p=$(peak)
	result nowait_storm requests=200 errors="$errors" modprobe_runs="$r" \
		peak_live="$p" wall_ms=$(($(ms) - t0))
	keep_events nowait_storm
	[ "$errors" -eq 0 ] && [ "$r" -eq 200 ] && [ "$p" -le 50 ]
}

# A real helper that exits 0, started from a module in every wait mode of
# the usermode helper (kmodt_umh.c), 20 times each: every call returns 0,
# every request is cleaned up exactly once, and the helper really ran
# every time.  The paths after a successful exec, where the helper itself
# may release the request, are the ones no other scenario takes.
umh_modes() {
	mp_reset 0 0
	modprobe kmodt_umh rounds=20 || { echo "# modprobe kmodt_umh failed"; return 1; }
	pd=/sys/module/kmodt_umh/parameters
	rep=$(cat $pd/report) bad=$(cat $pd/bad)
	rmmod kmodt_umh
	nmodes=$(echo "$rep" | wc -w)
	wait_for '[ "$(live)" -eq 0 ]' 60
	r=$(runs)
	result umh_modes modes="$nmodes" bad_calls="$bad" helper_runs="$r" \
		report="$(echo "$rep" | tr ' ' ,)"
	echo "# $rep"
	# The five modes a module may use, on either kernel.
	[ "$bad" = 0 ] && [ "$nmodes" -eq 5 ] && [ "$r" -eq $((nmodes * 20)) ]
}

# modprobe_path names a file that no binary format handles.  Running it
# as a module's helper makes exec ask for module binfmt-0403 (bytes 2 and 3
# of the file), from inside the helper, whose own helper asks again, and so
# on.  The unpatched kernel goes round until all 50 slots are taken, and
# the first caller gets its answer after the 5 s timeout, with "kmod busy".
# The series fails the helper's request for a module its own chain is
# loading at once with -ELOOP: at most 2 helpers (the first caller's and
# one for binfmt-0403), one warning, an answer long before any timeout.
# Figures: time to the first answer, nested requests (module_request trace
# events), helpers started (the throttle's statistics where there are
# any, else one per request), warnings.
recursion() { loop_through /run/not-a-program kmrec recursion; }

# The same loop, with a modprobe_path program that runs the file from a
# child of a second thread, as threaded wrappers do: the child's parent is
# the thread, not the helper the kernel started.
recursion_threads() { loop_through /sbin/thread-exec kmthr recursion_threads; }

# Runs the loop with modprobe_path $1 for module fs-$2; $3 names the result.
loop_through() {
	# No slot may be held by the modprobes of an earlier scenario.
	mp_reset 0 1
	T=/sys/kernel/tracing
	mountpoint -q $T || mount -t tracefs tracefs $T
	ev=$T/events/module/module_request/enable
	[ -w $ev ] || { echo "# no trace event module_request"; return 1; }
	printf '\001\002\003\004\005\006\007\010' >/run/not-a-program
	chmod 755 /run/not-a-program
	echo 1 >$ev
	: >$T/trace
	w0=$(busy_warnings)
	l0=$(loop_warnings)
	launched0=$(stat_of launched) || launched0=
	rm -f /run/recursion.done
	echo "$1" >/proc/sys/kernel/modprobe
	t0=$(ms)
	(mount -t "$2" none /mnt 2>/dev/null; touch /run/recursion.done) &
	p=$!
	answered=0
	wait_for '[ -e /run/recursion.done ]' 60 && answered=1
	t=$(($(ms) - t0))
	[ $answered = 1 ] || kill -9 $p
	wait $p
	# Let the loop's last helpers end before counting them.
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '[ "$(throttle_busy 2>/dev/null || echo 0)" = 0 ]' 30
	mp_real
	echo 0 >$ev
	nested=$(grep -c ' module_request: binfmt-0403 ' $T/trace)
	[ "$nested" -gt 0 ] || { echo "# the trace has:"; head -n 8 $T/trace | sed 's/^/# /'; }
	if [ -n "$launched0" ]; then
		helpers=$(($(stat_of launched) - launched0))
	else
		helpers=$((nested + 1))
	fi
	loops=$(($(loop_warnings) - l0))
	result "$3" answered="$answered" answer_ms="$t" nested_requests="$nested" \
		helpers="$helpers" loop_warnings="$loops" busy_warnings=$(($(busy_warnings) - w0))
	# The loop was there (a nested request), and it ended at once: at
	# most 2 helpers, one warning, no "kmod busy", an answer within a
	# second (the timeout the unpatched kernel needs is 5 s).
	[ "$answered" = 1 ] && [ "$nested" -ge 1 ] && [ "$helpers" -ge 1 ] &&
		[ "$helpers" -le 2 ] && [ "$loops" = 1 ] && [ "$t" -lt 1000 ] &&
		[ "$(($(busy_warnings) - w0))" = 0 ]
}
loop_warnings() { dmesg | grep -c 'requested from within its own modprobe chain'; }

# Context switches per request as the queue grows: N concurrent callers
# of distinct modules (modprobe 20 ms) behind the 50 slots, for N = 50,
# 200, 600 and 2000, from /proc/stat's ctxt.  A throttle that wakes every waiter
# on every change costs O(N) wakeups per request; per-request waits and
# the semaphore of the unpatched kernel cost the same at every N.  A
# regression guard.  The unpatched kernel fails some requests of the
# longer queues with -ETIME (its timeout is absolute); they are counted,
# not judged here (moving_queue judges them).
wakeups() {
	out=""
	failed=0
	for n in 50 200 600 2000; do
		mp_reset 20 1
		c0=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
		for i in $(seq "$n"); do (request "kw$n-$i") & done
		wait
		c1=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
		per=$(((c1 - c0) / n))
		failed=$((failed + n - $(runs)))
		out="$out ctxt_per_request_$n=$per"
		[ $n = 50 ] && first=$per
		last=$per
	done
	# shellcheck disable=SC2086 # $out is a list of name=value words
	result wakeups $out failed_requests="$failed"
	# At least one switch per request, and no more than twice as many
	# per request with 40 times the queue.
	[ "$first" -ge 1 ] && [ "$last" -le $((2 * first)) ]
}

# Time under the throttle's lock (the lockstat kernels, CONFIG_LOCK_STAT):
# the semaphore's lock on the unpatched kernel, the throttle's with the
# series.  From /proc/lock_stat, cleared before each part: its
# acquisitions and hold time per request, and its longest hold, for N
# concurrent callers of distinct modules behind the 50 slots, N = 50, 200,
# 600 and 2000, with a modprobe of 200 ms: slower than the callers come,
# so that the queue grows to most of N, yet releasing a slot every few
# milliseconds, so that no request waits long enough to be reported as
# slow or, with the series, to stall; then for 200 sequential requests
# (modprobe exits 1 at once) from a shell with no extra ancestors and from
# one at the bottom of a chain of 1000 processes.  Hold times are in guest
# nanoseconds (-icount: instructions), lockdep's own work included, the
# same on both kernels.  Passes if the lock was taken at least once per
# request, and a request holds it at most twice as long with 2000 callers
# as with 200 (at 50 every request finds a free slot and never queues, a
# shorter path), and 1000 ancestors deep as at the top.
lock_hold() {
	[ -w /proc/lock_stat ] || { echo "# no /proc/lock_stat (CONFIG_LOCK_STAT)"; return 1; }
	echo 1 >/proc/sys/kernel/lock_stat
	out="" ok=0
	for n in 50 200 600 2000; do
		mp_reset 200 1
		echo 0 >/proc/lock_stat
		for i in $(seq "$n"); do (request "kh$n-$i") & done
		wait
		lock_figures "$n" "$n" || ok=1
		out="$out $figs"
		[ "$n" = 200 ] && first=$hold
	done
	[ "$hold" -le $((2 * first)) ] || ok=1
	mp_reset 0 1
	# shellcheck disable=SC2016 # expanded by the shell at the bottom
	loop='for i in $(seq 200); do mount -t "khc$0-$i" none /mnt 2>/dev/null; done'
	for depth in 0 1000; do
		echo 0 >/proc/lock_stat
		fork-chain "$depth" sh -c "$loop" "d$depth"
		lock_figures "depth$depth" 200 || ok=1
		out="$out $figs"
		[ $depth = 0 ] && first=$hold
	done
	[ "$hold" -le $((2 * first)) ] || ok=1
	echo 0 >/proc/sys/kernel/lock_stat
	# shellcheck disable=SC2086 # $out is a list of name=value words
	result lock_hold lock="$LOCK_CLASS" $out
	return $ok
}

# The lock of the throttle, as /proc/lock_stat names its class: the
# series' static spinlock, or the unpatched kernel's semaphore's.
LOCK_CLASS=
lock_class() {
	for c in kmod_throttle.lock "(kmod_concurrent_max).lock"; do
		grep -qF " $c:" /proc/lock_stat && { LOCK_CLASS=$c; return 0; }
	done
	return 1
}

# lock_figures TAG REQUESTS: the throttle's lock since /proc/lock_stat was
# cleared, per request, as name=value words in $figs; its hold time per
# request (ns) in $hold.  Fails if the lock was not taken once a request.
lock_figures() {
	[ -n "$LOCK_CLASS" ] || lock_class || { echo "# no throttle lock in /proc/lock_stat"; return 1; }
	# After "NAME:": con-bounces, contentions, wait min/max/total/avg,
	# acq-bounces, acquisitions, hold min/max/total/avg; times in us.
	line=$(awk -v c="$LOCK_CLASS:" '$1 == c { print; exit }' /proc/lock_stat)
	# shellcheck disable=SC2086 # the line's fields become $3 ...
	set -- "$1" "$2" $line
	[ $# -ge 15 ] || { echo "# no figures for $LOCK_CLASS"; return 1; }
	tag=$1 n=$2
	acq=${11}
	hold=$(echo "${14}" | awk -v n="$n" '{ printf "%d", $1 * 1000 / n }')
	figs="acq_per_request_$tag=$((acq / n)) hold_ns_per_request_$tag=$hold"
	figs="$figs hold_max_ns_$tag=$(echo "${13}" | awk '{ printf "%d", $1 * 1000 }')"
	figs="$figs contentions_$tag=$5"
	[ "$acq" -ge "$n" ]
}

# A caller that does not get the CPU delays only itself.  Every slot is
# held by a gated modprobe; a caller at SCHED_IDLE on CPU 0 queues the
# head request, then four busy loops take CPU 0, and 10 ordinary callers
# on CPU 1 queue requests for other modules behind it.  The gate opens:
# the 50 modprobes exit and their slots go to the queue.  The ordinary
# callers are served at once on every kernel whose slots are given out by
# whoever frees them: the unpatched semaphore hands a slot to each waiter
# in turn, the series hands slots to the head of the queue and launches
# from a worker.  A throttle that only lets a caller of the head request
# launch it leaves all 10 waiting until the idle caller runs, seconds
# later.  A regression guard: both kernels pass it.  Figures: time from
# the gate until the 10 were served, whether the head's modprobe had run
# by then.
idle_head() {
	[ "$(grep -c ^processor /proc/cpuinfo)" -ge 2 ] ||
		{ echo "# idle_head needs 2 CPUs (boot-test.sh --smp 2 or more)"; return 1; }
	mp_reset 0 1 1
	# shellcheck disable=SC2086 # $pids is a list of pids
	fill_slots kih || { kill -9 $pids; mp_open_gate; wait; return 1; }
	slots=$pids
	# This script measures from CPU 1, away from the busy loops.
	taskset -p 2 $$ >/dev/null
	(exec taskset 1 sched-idle mount -t kihead none /mnt 2>/dev/null) &
	head=$!
	wait_for "all_blocked $head" 60 || echo "# warning: the idle caller never blocked"
	hogs=
	for i in 1 2 3 4; do
		(exec taskset 1 sh -c 'while :; do :; done') &
		hogs="$hogs $!"
	done
	others=
	for i in $(seq 10); do
		(exec taskset 2 mount -t "kio$i" none /mnt 2>/dev/null) &
		others="$others $!"
	done
	# shellcheck disable=SC2086 # $others is a list of pids
	wait_for "all_blocked $others" 60 ||
		echo "# warning: $(not-blocked $others) callers never blocked"
	t0=$(ms)
	mp_open_gate
	# shellcheck disable=SC2086 # lists of pids
	wait $others
	t=$(($(ms) - t0))
	served=0
	for i in $(seq 10); do
		grep -qs " fs-kio$i$" /run/mp/runs/* && served=$((served + 1))
	done
	head_first=0
	grep -qs " fs-kihead$" /run/mp/runs/* && head_first=1
	# shellcheck disable=SC2086 # lists of pids
	{
		kill -9 $hogs
		wait $hogs $slots $head 2>/dev/null
	}
	taskset -p 3 $$ >/dev/null
	head_served=0
	grep -qs " fs-kihead$" /run/mp/runs/* && head_served=1
	result idle_head others_served="$served" others_ms="$t" \
		head_launched_by_then="$head_first" head_served="$head_served"
	# All 10 served, within a second of the gate (an idle caller under
	# four busy loops runs seconds later), and the idle caller too once
	# the loops are gone.
	[ "$served" = 10 ] && [ "$t" -lt 1000 ] && [ "$head_served" = 1 ]
}

# 50 modprobes that never end hold every slot, and their callers are all
# killed; then one new request.  The unpatched kernel serves it at once:
# the killed callers' slots of its semaphore came back (past the cap of
# live modprobes).  The series serves it once those modprobes have had
# their slots for two stall timeouts, 10 s, and names them in warnings.
# A kernel that keeps a slot until modprobe exits and never gives it back
# fails the request with -ETIME.  Then the other half: while the callers
# of the stuck modprobes still wait, the cap holds, and a new request
# fails with -ETIME after the 5 s stall timeout on both kernels.  A
# regression guard: both kernels pass it.  Figures: time until the new
# request's modprobe runs, warnings.
orphan_recovery() {
	mp_reset 0 1 1
	w0=$(dmesg | grep -c 'no caller left')
	# shellcheck disable=SC2086 # $pids is a list of pids
	{
		fill_slots ko || { kill -9 $pids; mp_open_gate; wait; return 1; }
		kill -9 $pids
		wait $pids 2>/dev/null
	}
	t0=$(ms)
	(request knew) &
	q=$!
	served=0
	wait_for 'grep -qs " fs-knew$" /run/mp/runs/*' 30 && served=1
	t=$(($(ms) - t0))
	mp_open_gate
	wait $q
	warned=$(($(dmesg | grep -c 'no caller left') - w0))

	mp_reset 0 1 1
	# shellcheck disable=SC2086 # $pids is a list of pids
	fill_slots kc || { kill -9 $pids; mp_open_gate; wait; return 1; }
	t1=$(ms)
	(request kcnew) &
	q=$!
	wait $q
	capped_ms=$(($(ms) - t1))
	grep -qs " fs-kcnew$" /run/mp/runs/* && capped=0 || capped=1
	mp_open_gate
	wait
	result orphan_recovery served="$served" served_ms="$t" orphan_warnings="$warned" \
		cap_held="$capped" capped_fail_ms="$capped_ms"
	# Served within 3 stall timeouts; with callers still waiting, nothing
	# past the cap, and a failure after one stall timeout, not before.
	[ "$served" = 1 ] && [ "$t" -le 15000 ] && [ "$capped" = 1 ] &&
		[ "$capped_ms" -ge 5000 ] && [ "$capped_ms" -lt 15000 ]
}

# How many lines of the trace buffer are events $1 for module $2.
trace_count() { grep -c " $1: $2 " /sys/kernel/tracing/trace; }

# The throttle's own report of what it did: its statistics in debugfs and
# its trace events.  20 callers of one module while its (gated) modprobe
# runs: 1 launch, 19 coalesced.  Then 50 slots held past the stall
# timeout and one more request: it waits once, fails with -ETIME after
# one stall timeout, and is counted, traced and warned about once.  The
# unpatched kernel has none of this, and fails.
throttle_report() {
	[ -r $STATS ] || { echo "# no $STATS"; return 1; }
	mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
	T=/sys/kernel/tracing
	for e in module_request_wait module_request_coalesced module_request_stall; do
		[ -w $T/events/module/$e/enable ] || { echo "# no trace event $e"; return 1; }
		echo 1 >$T/events/module/$e/enable
	done
	: >$T/trace
	l0=$(stat_of launched) c0=$(stat_of coalesced) s0=$(stat_of stall_timeouts)
	stall_ms=$(stat_of stall_timeout_ms) limit=$(stat_of limit)
	mp_reset 1000 1 1
	same_callers 20 kdiag
	open_gate_when_blocked $pids
	wait
	# Modprobes that outlive the stall timeout hold every slot.
	mp_reset $((stall_ms * 3)) 1
	w0=$(busy_warnings)
	fill_slots kdst || { kill -9 $pids; wait; return 1; }
	peak=$(stat_of peak)
	t0=$(ms)
	modprobe kmodt_storm wait=1 count=1 prefix=kdstall
	waited=$(($(ms) - t0))
	err=$(cat /sys/module/kmodt_storm/parameters/first_error)
	rmmod kmodt_storm
	kill -9 $pids
	wait
	for e in module_request_wait module_request_coalesced module_request_stall; do
		echo 0 >$T/events/module/$e/enable
	done
	launched=$(($(stat_of launched) - l0)) coalesced=$(($(stat_of coalesced) - c0))
	stalls=$(($(stat_of stall_timeouts) - s0))
	ev_co=$(trace_count module_request_coalesced fs-kdiag)
	ev_wait=$(trace_count module_request_wait kdstall1)
	ev_stall=$(trace_count module_request_stall kdstall1)
	[ "$ev_co" -gt 0 ] || { echo "# the trace has:"; head -n 8 $T/trace | sed 's/^/# /'; }
	warned=$(($(busy_warnings) - w0))
	result throttle_report launched="$launched" coalesced="$coalesced" stalls="$stalls" \
		peak="$peak" limit="$limit" stall_error="$err" stall_wait_ms="$waited" \
		stall_timeout_ms="$stall_ms" events_coalesced="$ev_co" events_wait="$ev_wait" \
		events_stall="$ev_stall" busy_warnings="$warned"
	# 1 + 50 launches; the stalled request never launched.  It waited at
	# least one stall timeout, and not two.
	[ "$launched" = 51 ] && [ "$coalesced" = 19 ] && [ "$stalls" = 1 ] &&
		[ "$peak" = "$limit" ] && [ "$err" = -62 ] &&
		[ "$waited" -ge "$stall_ms" ] && [ "$waited" -lt $((stall_ms * 2)) ] &&
		[ "$ev_co" = 19 ] && [ "$ev_wait" = 1 ] && [ "$ev_stall" = 1 ] &&
		[ "$warned" = 1 ]
}

# printk time of the first kernel log line matching $1, in microseconds.
klog_us() {
	dmesg | grep -m1 "$1" | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2/p'
}

# A suspend (pm_test=freezer: tasks are frozen, then thawed after 5 s)
# while 100 requests with a 3 s modprobe are queued and running.  While
# user space is frozen no helper may start; nothing may hang; afterwards a
# request runs its modprobe again.
freeze_storm() {
	[ -w /sys/power/pm_test ] || { echo "# no /sys/power/pm_test"; return 1; }
	mp_reset 3000 1
	for i in $(seq 100); do (request "kfz$i") & done
	wait_for '[ "$(runs)" -ge 20 ]' 60
	# Ties the console clock to CLOCK_MONOTONIC (both in microseconds).
	echo "boot-test: clock mark" >/dev/kmsg
	mark_mono=$(mono)
	echo freezer >/sys/power/pm_test
	t0=$(ms)
	echo freeze >/sys/power/state
	rc=$?
	echo none >/sys/power/pm_test
	freeze_ms=$(($(ms) - t0))
	wait
	off=$(($(klog_us 'boot-test: clock mark') - mark_mono))
	from=$(($(klog_us 'Freezing user space processes') - off))
	to=$(($(klog_us 'Restarting tasks') - off))
	started=$(awk -v a="$from" -v b="$to" '$1 == "start" && $2 > a + 20000 && $2 < b - 20000' \
		/run/mp/events | wc -l)
	before=$(runs)
	(request kfzafter)
	after=$(runs)
	result freeze_storm callers=100 state_write_rc="$rc" freeze_ms="$freeze_ms" \
		frozen_window_ms=$(((to - from) / 1000)) helpers_started_while_frozen="$started" \
		modprobe_runs="$before" runs_after_resume=$((after - before))
	[ "$rc" = 0 ] && [ $((to - from)) -gt 0 ] && [ "$started" = 0 ] &&
		[ $((after - before)) = 1 ]
}

# Succeeds if at least one stand-in modprobe is alive and every one alive is
# asleep interruptibly (state S, as in the gate's open(2)): where the
# freezer can freeze it.
mp_all_asleep() {
	set -- /run/mp/live/*
	[ -e "$1" ] || return 1
	for f; do
		st=$(sed 's/.*) //' "/proc/${f##*/}/stat" 2>/dev/null | cut -d' ' -f1)
		[ "$st" = S ] || return 1
	done
}

# Leaves two modprobes whose callers are gone alive and asleep (gated):
# one of a request_module() caller SIGKILLed while it waited, one of a
# request_module_nowait() (modules fs-$1_killed and $1nw1).  Sets
# caller_blocked, asleep (1: both were asleep, twice 100 ms apart),
# nw_errors and live_before.
make_orphans() {
	mp_reset 0 1 1
	(request "${1}_killed") &
	c=$!
	# The caller must be asleep in the kernel, its modprobe running.
	wait_for "[ \"\$(live)\" -ge 1 ] && all_blocked $c && usleep 100000 && all_blocked $c" 60
	caller_blocked=$((!$?))
	kill -9 $c
	wait $c
	modprobe kmodt_storm count=1 prefix="${1}nw" || echo "# modprobe kmodt_storm failed"
	nw_errors=$(cat /sys/module/kmodt_storm/parameters/errors 2>/dev/null || echo -)
	rmmod kmodt_storm 2>/dev/null
	# Both alive and asleep, twice 100 ms apart: otherwise what the
	# scenario does next tests nothing.
	wait_for '[ "$(live)" -eq 2 ] && mp_all_asleep && usleep 100000 && mp_all_asleep' 60
	asleep=$((!$?))
	live_before=$(live)
}

# A suspend (pm_test=freezer, pm_test_delay 1 s) while two modprobes whose
# callers are gone are alive and asleep (gated): one of a request_module()
# caller SIGKILLed while it waited, one of a request_module_nowait().  The
# freezer freezes them and thaws them; it must not wait for them to exit.
# Nothing counts them as running helpers once their callers are gone (on
# the unpatched kernel, once call_usermodehelper_exec() has returned), so
# the suspend succeeds at once; a kernel that counts them until they exit
# makes every suspend wait the 5 s of RUNNING_HELPERS_TIMEOUT and fail
# with -EAGAIN.
suspend_orphans() {
	[ -w /sys/power/pm_test ] && grep -qw freezer /sys/power/pm_test &&
		grep -qw freeze /sys/power/state ||
		{ echo "# no /sys/power/pm_test with freezer, or no freeze state"; return 1; }
	make_orphans so
	delay_file=/sys/module/suspend/parameters/pm_test_delay
	delay=5 old_delay=
	if [ -w $delay_file ]; then
		old_delay=$(cat $delay_file)
		echo 1 >$delay_file
		delay=$(cat $delay_file)
	fi
	ff=/sys/power/suspend_stats/failed_freeze
	ff0=$(cat $ff 2>/dev/null || echo 0)
	echo freezer >/sys/power/pm_test
	t0=$(ms)
	echo freeze >/sys/power/state 2>/run/so-state.err
	rc=$?
	suspend_ms=$(($(ms) - t0))
	echo none >/sys/power/pm_test
	[ -n "$old_delay" ] && echo "$old_delay" >$delay_file
	[ -s /run/so-state.err ] && sed 's/^/# state write: /' /run/so-state.err
	failed_freeze=$(($(cat $ff 2>/dev/null || echo 0) - ff0))
	# What the kernel log says: "Freezing user space processes" only once
	# the wait for running helpers is over.
	freezing_logged=$(dmesg | grep -c 'Freezing user space processes$')
	# Frozen and thawed, not needed gone: both still alive.
	live_after=$(live)
	mp_open_gate
	wait_for '[ "$(live)" -eq 0 ]' 60
	live_end=$(live)
	r=$(runs)
	result suspend_orphans state_write_rc="$rc" suspend_ms="$suspend_ms" \
		pm_test_delay_s="$delay" live_before="$live_before" live_after="$live_after" \
		modprobe_runs="$r" caller_was_blocked="$caller_blocked" orphans_asleep="$asleep" \
		nowait_errors="$nw_errors" failed_freeze="$failed_freeze" \
		freezing_logged="$freezing_logged"
	[ "$caller_blocked" = 1 ] && [ "$asleep" = 1 ] && [ "$live_before" = 2 ] &&
		[ "$nw_errors" = 0 ] && [ "$rc" = 0 ] &&
		[ "$suspend_ms" -lt $((delay * 1000 + 2500)) ] &&
		[ "$live_after" = 2 ] && [ "$r" = 2 ] && [ "$live_end" = 0 ]
}

# The reboot that ends the boot test, with two orphaned modprobes alive
# and asleep (see make_orphans()).  kernel_restart() disables usermode
# helpers before device_shutdown(), and that waits, for at most the 5 s of
# RUNNING_HELPERS_TIMEOUT, for the helpers counted as running.  A kernel
# that counts these until they exit makes every reboot (and kexec,
# poweroff) wait 5 s, then shuts the devices down with helpers enabled
# again.  Only the setup is judged here; the reboot comes after the last
# scenario, and scripts/kmodtest/boot_verdict.py judges its time on the console:
# from the "boot-test: reboot" mark /init writes just before reboot(2) to
# the kernel's "reboot: Restarting system".  So it must be the last
# scenario of its flavour.
reboot_orphans() {
	make_orphans ro
	result reboot_orphans live="$live_before" caller_was_blocked="$caller_blocked" \
		orphans_asleep="$asleep" nowait_errors="$nw_errors"
	[ "$caller_blocked" = 1 ] && [ "$asleep" = 1 ] && [ "$live_before" = 2 ] &&
		[ "$nw_errors" = 0 ]
}

# Marks (1) or unmarks (0) the kworkers of the unbound workqueues for
# failslab's task filter.  They run call_usermodehelper_exec_work(), which
# spawns each helper, and the helper inherits the mark, so its credentials
# and exec can fail too.  Kworkers started later are not marked.
mark_unbound_kworkers() {
	for f in $(grep -l '^kworker/u' /proc/[0-9]*/comm 2>/dev/null); do
		echo "$1" >"${f%/comm}/make-it-fail" 2>/dev/null
	done
}

# Allocation failures during a storm, at 10 % (failslab with its task
# filter), modprobe 200 ms, three storms of 100 kmodt_storm kthreads:
#   callers       100 distinct names; the kthreads opt in, so the
#                 request_module() structures and the usermode helper's
#                 setup fail;
#   callers_same  the same for 100 callers of one name;
#   spawn         100 distinct names, at 2 %; the unbound kworkers are
#                 marked instead, so spawning the helper and its exec fail.
#                 An exec has dozens of allocations (at 10 % all 100
#                 failed), and exec reports some failures as -E2BIG
#                 (copy_string_kernel()), so other errors are only counted.
# Every caller gets an answer, some get an error, in the caller storms
# every error is -ENOMEM, the throttle ends idle, every modprobe that
# started has exited (kmemleak and KASAN: see the final scenario and the
# console scan).
fault_storm() {
	[ -d $FAILSLAB ] || { echo "# no $FAILSLAB"; return 1; }
	mp_reset 200 1
	echo Y >$FAILSLAB/task-filter
	echo N >$FAILSLAB/ignore-gfp-wait
	echo 0 >$FAILSLAB/verbose
	echo 1 >$FAILSLAB/interval
	echo -1 >$FAILSLAB/times
	echo 10 >$FAILSLAB/probability
	ok=0 figures=
	for storm in callers callers_same spawn; do
		case $storm in
		callers) args="fail=1 prefix=kft" ;;
		callers_same) args="fail=1 same=1 prefix=kftsame" ;;
		spawn)
			args="prefix=kfspawn"
			echo 2 >$FAILSLAB/probability
			mark_unbound_kworkers 1
			;;
		esac
		modprobe kmodt_storm wait=1 count=100 $args
		rc=$?
		[ $storm = spawn ] && mark_unbound_kworkers 0
		if [ $rc != 0 ]; then
			echo "# modprobe kmodt_storm $args failed"
			ok=1
			continue
		fi
		pd=/sys/module/kmodt_storm/parameters
		e=$(cat $pd/errors) o=$(cat $pd/other_errors)
		if [ "$o" != 0 ]; then
			echo "# $storm: $o errors not -ENOMEM, the first: $(cat $pd/first_other_error)"
			[ $storm = spawn ] || ok=1
		fi
		[ "$e" -gt 0 ] || { echo "# $storm: no request failed"; ok=1; }
		rmmod kmodt_storm
		figures="$figures ${storm}_failed=$e ${storm}_not_enomem=$o"
	done
	echo 0 >$FAILSLAB/probability
	wait_for '[ "$(live)" -eq 0 ]' 60
	# The patched throttle must say it is idle; the unpatched one has no
	# statistics to ask.
	busy=0
	if [ "$KERNEL" != base ]; then
		busy=$(throttle_busy) || { echo "# no throttle statistics in $STATS"; ok=1; }
	fi
	result fault_storm callers=300$figures \
		modprobe_runs="$(runs)" live_after="$(live)" throttle_busy_after="$busy"
	[ $ok = 0 ] && [ "$(live)" = 0 ] && [ "$busy" = 0 ]
}

# Upstream's kmod selftest (tools/testing/selftests/kmod/kmod.sh) with
# lib/test_kmod.c: every test (or those of boot_test.kselftest_only),
# reduced iteration counts unless boot_test.kselftest=full.  Each test
# runs on its own, as "kmod.sh -t" or "-c" does; the kselftest runner's
# 45 s default does not apply (run_kselftest.sh --override-timeout is how
# a user lifts it), but the total is reported.
kselftest() {
	mp_real
	bad=
	start=$(ms)
	ids=${KSELFTEST_ONLY:-0001 0002 0003 0004 0005 0006 0007 0008 0009 0010 0011 0012 0013}
	for id in $ids; do
		if [ "$KSELFTEST" = full ]; then
			args="-t $id"
		else
			case $id in
			0008 | 0009) args="-c $id 10" ;;
			*) args="-c $id 1" ;;
			esac
		fi
		t0=$(ms)
		bash /kselftest/kmod/kmod.sh $args >/run/kselftest-$id.log 2>&1
		rc=$?
		# kmod.sh prints "Running test: ... - run #N" before each round.
		result kselftest_$id args="$(echo $args | tr ' ' ,)" rc=$rc ms=$(($(ms) - t0)) \
			rounds=$(grep -c 'Running test:' /run/kselftest-$id.log)
		if [ $rc != 0 ]; then
			bad="$bad $id"
			tail -n 20 /run/kselftest-$id.log | sed 's/^/# /'
		fi
	done
	mp_real
	total=$(($(ms) - start))
	result kselftest total_ms=$total tests="$(echo "$ids" | wc -w)"
	[ -n "$ids" ] && [ -z "$bad" ]
}

# Sequential costs measured in the kernel by the kmodt_bench module: 1000
# call_usermodehelper(UMH_WAIT_PROC) round trips of a static helper that
# exits at once, then 1000 request_module() calls for a missing module with
# a modprobe that exits 1 at once.  Also the size of a umh request.
umh_cost() {
	echo /sbin/umh-false >/proc/sys/kernel/modprobe
	modprobe kmodt_bench iterations=1000 helper=/sbin/umh-true missing=kmodt-missing ||
		{ mp_real; echo "# modprobe kmodt_bench failed"; return 1; }
	mp_real
	pd=/sys/module/kmodt_bench/parameters
	ue=$(cat $pd/umh_errors) ke=$(cat $pd/kmod_errors)
	result umh_cost calls=1000 umh_ns_per_call=$(($(cat $pd/umh_ns) / 1000)) \
		kmod_ns_per_call=$(($(cat $pd/kmod_ns) / 1000)) umh_errors="$ue" \
		kmod_errors="$ke" sizeof_subprocess_info="$(cat $pd/subprocess_info_size)"
	rmmod kmodt_bench
	[ "$ue" = 0 ] && [ "$ke" = 0 ]
}

# Prints the largest number of live requests (queued + running) that the
# patched throttle's debugfs file showed, sampled every 50 ms until
# /run/sampler.stop exists; 0 without the file (unpatched kernel).
sample_requests() {
	max=0
	while [ ! -e /run/sampler.stop ]; do
		if [ -r $STATS ]; then
			v=$(awk '$1 == "in_use:" || $1 == "queued:" { s += $2 } END { print s + 0 }' $STATS)
			[ "$v" -gt "$max" ] && max=$v
		fi
		usleep 50000
	done
	echo "$max"
}

# Busy guest CPU time since boot, in milliseconds: /proc/stat's "cpu"
# line without idle and iowait (USER_HZ is 100).
cpu_ms() { awk '$1 == "cpu" { print ($2 + $3 + $4 + $7 + $8 + $9) * 10 }' /proc/stat; }

# The loaded modules among kmodt_real and its copies, one per line.
real_loaded() {
	for d in /sys/module/kmodt_[0-9][0-9][0-9][0-9] /sys/module/kmodt_real; do
		[ -d "$d" ] && echo "${d#/sys/module/}"
	done
}

# Unloads kmodt_real and every copy of it.
unload_real() {
	ur=$(real_loaded)
	# shellcheck disable=SC2086 # a list of module names
	[ -z "$ur" ] || rmmod $ur
}

# real_verdict FIGURES LOADED WANT: prints a storm's figures with the
# modules loaded; fails if a request failed or LOADED is not WANT.
real_verdict() {
	echo "$1 loaded=$2"
	case $1 in *" failures=0 "*) ;; *) return 1 ;; esac
	[ "$2" = "$3" ]
}

# One storm of kmodt_storm wait=1 kthreads with the real modprobe counted
# (counted-modprobe): "$1" names the figures, "$2" the callers, the rest
# are kmodt_storm's arguments.  Prints the figures; sets st_errors.
real_storm() {
	rs_name=$1 rs_n=$2
	shift 2
	mp_reset 0 0
	echo /sbin/counted-modprobe >/proc/sys/kernel/modprobe
	c0=$(cpu_ms) x0=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
	modprobe kmodt_storm wait=1 count="$rs_n" "$@" ||
		{ echo "# modprobe kmodt_storm failed"; st_errors=-1; return 1; }
	c1=$(cpu_ms) x1=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
	pd=/sys/module/kmodt_storm/parameters
	st_errors=$(cat $pd/errors) st_wall=$(cat $pd/wall_ns)
	rmmod kmodt_storm
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '[ "$(live)" -eq 0 ]' 120 || echo "# warning: modprobes still alive"
	mp_real
	mf=0
	[ -f /run/mp/failures ] && mf=$(wc -l </run/mp/failures)
	result "$rs_name" callers="$rs_n" modprobe_runs="$(runs)" failures="$st_errors" \
		modprobe_failures="$mf" wall_ms=$((st_wall / 1000000)) cpu_ms=$((c1 - c0)) \
		ctxt_per_request=$(((x1 - x0) / rs_n)) peak_live="$(peak)"
}

# kmod's modprobe and real modules (the benchmark): N waiting
# request_module() calls from N kthreads (kmodt_storm wait=1) for one
# module whose init takes 100 ms, and for N distinct modules (the copies
# kmodt_0001 ... of kmodt_real, init 20 ms), N = 50, 200, 600, 2000 (up
# to boot_test.real_max).  A
# modprobe of a module that is already live exits at once, and
# finit_module() makes concurrent loads of one module wait for the first:
# this says what coalescing requests still saves when modprobe is real.
# Figures: modprobe runs, requests that failed, modprobes that failed,
# guest wall and busy CPU time, context switches per request, peak live
# modprobes, modules loaded at the end.  Passes if every requested module
# was loaded and no request failed.
real_modprobe() {
	# The copies keep kmodt_real's default of 20 ms: one line of
	# configuration, which every modprobe reads, not 2000.
	mkdir -p /etc/modprobe.d
	echo "options kmodt_real init_ms=100" >/etc/modprobe.d/bench.conf
	ok=0
	for n in 50 200 600 2000; do
		[ -n "$REAL_MAX" ] && [ "$n" -gt "$REAL_MAX" ] && continue
		for kind in same distinct; do
			unload_real
			if [ $kind = same ]; then
				args="same=1 prefix=kmodt_real" want=1
			else
				args="prefix=kmodt_ width=4" want=$n
			fi
			# shellcheck disable=SC2086 # $args is a list of arguments
			out=$(real_storm real_${kind}_$n "$n" $args) || ok=1
			real_verdict "$out" "$(real_loaded | wc -l)" "$want" || ok=1
		done
	done
	unload_real
	rm /etc/modprobe.d/bench.conf
	return $ok
}

# Real modules of the kernel, through kmod's modprobe and their aliases:
# the file systems of the kselftest configuration (the debug kernels),
# 200 waiting requests for fs-xfs, then for fs-btrfs (which loads its
# dependencies first), then 2000 for fs-xfs, each module unloaded after.
# Figures as in real_modprobe.  Passes if each module was loaded and no
# request failed.
real_fs() {
	ok=0
	for mn in xfs:200 btrfs:200 xfs:2000; do
		m=${mn%:*} n=${mn#*:}
		out=$(real_storm "real_fs_${m}_$n" "$n" same=1 "prefix=fs-$m") || ok=1
		loaded=0
		[ -d "/sys/module/$m" ] && loaded=1
		real_verdict "$out" "$loaded" 1 || ok=1
		modprobe -r "$m" 2>/dev/null || echo "# warning: cannot unload $m"
	done
	return $ok
}

# The cost of a request to a caller far down a process tree: 200
# sequential requests (modprobe exits 1 at once) from a shell with no
# extra ancestors, then from one at the bottom of a chain of 1000
# processes (fork-chain).  A throttle that walks the caller's ancestry
# under its lock pays for each ancestor on every request.  Figures:
# microseconds per request at both depths; passes if all 400 modprobes
# ran and the deep caller pays at most twice the shallow one's.
fork_chain() {
	mp_reset 0 1
	# shellcheck disable=SC2016 # expanded by the shell at the bottom
	loop='t0=$(mono); for i in $(seq 200); do mount -t "kfc$0-$i" none /mnt 2>/dev/null; done; echo $(($(mono) - t0))'
	t_top=$(fork-chain 0 sh -c "$loop" top)
	t_deep=$(fork-chain 1000 sh -c "$loop" deep)
	r=$(runs)
	result fork_chain requests=200 depth=1000 us_per_request_top=$((t_top / 200)) \
		us_per_request_deep=$((t_deep / 200)) modprobe_runs="$r"
	[ "$r" = 400 ] && [ "$t_deep" -le $((2 * t_top)) ]
}

# The scaling sweep (scripts/bench/bench.sh --sweep): N waiting
# request_module() calls from N kthreads (kmodt_storm wait=1), for one name
# with a modprobe that outlasts the storm (2 s + 1 ms per caller), then for N
# names with a 1 s modprobe.  Figures per N; passes if every request got its
# modprobe (one run per name) and none failed.
sweep() {
	ok=0
	# Each live request of the patched throttle is one struct kmod_request
	# in kmalloc-128; the unpatched throttle allocates nothing per request.
	reqsize=128
	for n in 50 100 200 500 1000 2000; do
		for kind in same distinct; do
			if [ $kind = same ]; then
				mp_reset $((2000 + n)) 1
				args="same=1 prefix=kswsame$n"
				want=1
			else
				mp_reset 1000 1
				args="prefix=kswd${n}_"
				want=$n
			fi
			rm -f /run/sampler.stop
			sample_requests >/run/sampler.max &
			sp=$!
			modprobe kmodt_storm wait=1 count=$n $args ||
				{ echo "# modprobe kmodt_storm failed"; ok=1; }
			touch /run/sampler.stop
			wait $sp
			[ -d /sys/module/kmodt_storm ] || continue
			pd=/sys/module/kmodt_storm/parameters
			e=$(cat $pd/errors) w=$(cat $pd/wall_ns)
			rmmod kmodt_storm
			wait_for '[ "$(live)" -eq 0 ]' 120
			r=$(runs)
			pr=$(cat /run/sampler.max)
			result sweep_${kind}_$n callers="$n" modprobe_runs="$r" failures="$e" \
				wall_ms=$((w / 1000000)) peak_live="$(peak)" \
				throttle_peak_requests="$pr" throttle_peak_bytes=$((pr * reqsize))
			[ "$r" = "$want" ] && [ "$e" = 0 ] || ok=1
		done
	done
	return $ok
}

# kmemleak: no unreferenced object since the boot test started.
kmemleak() {
	[ -w $KMEMLEAK ] || { echo "# no $KMEMLEAK"; return 1; }
	# Objects younger than 5 s are never reported.
	sleep 6
	# A kmemleak that has disabled itself (out of memory for its own
	# metadata, an error) refuses the scan and would report nothing.
	if ! { echo scan >$KMEMLEAK && echo scan >$KMEMLEAK; } 2>/dev/null; then
		echo "# kmemleak refused the scan: it is disabled"
		return 1
	fi
	leaks=$(grep -c '^unreferenced object' $KMEMLEAK)
	[ "$leaks" = 0 ] || sed 's/^/# /' $KMEMLEAK | head -n 60
	result kmemleak suspects="$leaks"
	[ "$leaks" = 0 ]
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

# Everything the kernel logged since the last call, between markers, for
# scripts/boot/boot-test.sh to scan for reports: "# DMESG-BEGIN <part>" ...
# "# DMESG-END <part>", where <part> is "boot" (boot and the KUnit suites
# at boot), a scenario, or "end".  The log is cleared as it is read, so
# each line is reported once, in the part it was logged in.  The console
# shows the same lines (ignore_loglevel); this copy does not depend on the
# console keeping up, and the boot part, which must start with the
# kernel's first line, shows that nothing was lost (log_buf_len).
dump_dmesg() {
	echo "# DMESG-BEGIN $1"
	dmesg -c
	echo "# DMESG-END $1"
}

# The taint flags after <part>: "# TAINT <part> <value>".
report_taint() { echo "# TAINT $1 $(cat /proc/sys/kernel/tainted)"; }

# Runs scenario $1 with a time limit (in seconds: $2).  Every wait in the
# throttle is killable, and the hung task detector ignores killable
# sleepers, so a deadlock there would otherwise only end with QEMU's
# timeout, with no word of where it was.  Returns the scenario's status,
# or 124 after the limit.  A planted report (boot_test.plant=$1, for the
# negative test of scripts/boot/boot-test.sh) comes while the scenario runs.
run_scenario() {
	rm -f /run/timed-out
	"$1" &
	rs_pid=$!
	(sleep "$2"; touch /run/timed-out; kill -9 $rs_pid) 2>/dev/null &
	rs_dog=$!
	[ "$PLANT" = "$1" ] && modprobe kmodt_plant
	wait $rs_pid
	rs_rc=$?
	kill $rs_dog 2>/dev/null
	wait $rs_dog 2>/dev/null
	if [ -e /run/timed-out ]; then
		echo "# scenario $1: no verdict after $2 s"
		return 124
	fi
	return $rs_rc
}

# The time limit of scenario $1 in seconds: far above its longest run seen
# on the debug kernel of either kind, so that only a hang reaches it.
limit_of() {
	case $1 in
	kselftest) [ "$KSELFTEST" = full ] && echo 5400 || echo 1200 ;;
	sweep) echo 5400 ;;
	real_modprobe) echo 1800 ;;
	*) echo 600 ;;
	esac
}

# All output of /init goes to the second serial port, which carries
# nothing else: kernel messages on the console (the first port) cannot
# split its lines.  scripts/boot/boot-test.sh reads the two apart.
exec >/dev/ttyS1 2>&1

# The KUnit suites built into the kernel ran before /init; their results
# (KTAP, one document per suite) are in debugfs.  Printed before the
# scenarios, for scripts/boot/boot-test.sh to parse.
if [ -d /sys/kernel/debug/kunit ]; then
	for d in /sys/kernel/debug/kunit/*/; do
		[ -r "$d/results" ] || continue
		echo "# KUNIT-SUITE-BEGIN $(basename "$d")"
		cat "$d/results"
		echo "# KUNIT-SUITE-END"
	done
fi

echo "BOOT-TEST-BEGIN $FLAVOUR"
echo "KTAP version 1"
if [ -z "$SCENARIOS" ]; then
	echo "Bail out! no scenarios for flavour '$FLAVOUR'"
	echo "BOOT-TEST-END"
	reboot -f
fi
echo "1..$count"
plan=
for s in $SCENARIOS; do wanted "$s" && plan="$plan $s"; done
echo "# PLAN$plan"
result kernel release="$(uname -r)" cpus="$(grep -c ^processor /proc/cpuinfo)"
dump_dmesg boot
report_taint boot
# Marks objects allocated so far (at boot, by the KUnit suites) as already
# reported, so that a boot-time leak does not count against a scenario.
[ -w $KMEMLEAK ] && echo clear >$KMEMLEAK
for s in $plan; do
	echo "# scenario $s"
	echo "boot-test: scenario $s" >/dev/kmsg
	run_scenario "$s" "$(limit_of "$s")"
	report $? "$s"
	dump_dmesg "$s"
	report_taint "$s"
done
if [ -r $STATS ]; then
	sed 's/^/# STATS /' $STATS
fi
dump_dmesg end
report_taint end
echo "BOOT-TEST-END"
# What scripts/kmodtest/boot_verdict.py times the reboot from (see
# reboot_orphans).
echo "boot-test: reboot" >/dev/kmsg
reboot -f
