/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmod.pml - the request_module() throttle, kernel/module/kmod.c
 *
 * One file, four protocols (line numbers, ":N": kernel/module/kmod.c of
 * the series at its tip for -DV2; for -DV1 and -DV2INLINE the same file
 * in an earlier version of the series, in which the hand-over was a patch
 * of its own, "module: kmod: hand free slots to the head of the queue from
 * whoever frees them": at its parent, patches/ as of project commit
 * 86bc96e; for -DSEM, 6.12.117):
 *   -DV2        the series (default): whoever frees a slot, or queues a
 *               request while one is free, gives free slots to the head of
 *               the queue (kmod_handover()) and queues the launch to a
 *               worker; callers never launch, and sleep on their own
 *               request, woken only when its state changes; a helper's
 *               request for a module its chain of requests is loading
 *               fails at once with -ELOOP, its other requests queue on
 *               their own with a reference to the helper's request; a
 *               caller that finds the queue stalled stops counting the
 *               modprobes that have no caller left and have had their
 *               slot for 2 stall periods (kmod_release_orphans()), oldest
 *               first, no more than are queued and no more than leave L
 *               of them alive, waits if such a modprobe is younger, and
 *               fails with -ETIME only if none may be released; nobody
 *               joins a request that stopped counting, and only running
 *               requests of the chain count for -ELOOP
 *   -DV2INLINE  a comparison: as the V2 of the previous model (the queue
 *               handed over by anyone), but the waiter that claims a slot
 *               launches the helper itself after unlocking, as the series
 *               did before; no orphan release; old line numbers
 *   -DV1        the series before the V2 commits: only a caller of the
 *               head request may claim a slot for it (kmod_claim_slot()),
 *               and launches it itself; helpers never join but get no
 *               -ELOOP; no orphan release
 *   -DSEM       6.12.117: a semaphore of L slots taken with down_timeout()
 *               for an absolute 5 s, uninterruptibly; no coalescing; the
 *               slot is given back when the caller stops waiting
 *
 * Bounds and scenario switches:
 *   L           slots (MAX_KMOD_CONCURRENT, 50 in the kernel)
 *   NEXT        callers from outside, 1 to 3; caller 0 asks for module 0,
 *               the others for any module, so that every partition of
 *               the callers into 1 to 3 module names is covered once
 *   NNEST       requests that helpers may make (recursion budget)
 *   NOWAIT      callers may use request_module_nowait()
 *   KILL        up to KILL outside callers get SIGKILL, each at any step
 *   PARK        caller 0 may stop being scheduled for good: 1 at any point
 *               where it could be preempted, 2 anywhere but between
 *               claiming a slot and launching the helper
 *   LOOP        every helper asks for the next module of a cycle of LOOP
 *               modules (1: a module that needs itself, like a binfmt
 *               loop; 2: two modules that need each other)
 *   NOTIMER     no time passes: no stall, no timeout (for "wakeup")
 *   AGEIDLE     (V2) running requests also age while no request waits
 *               (see clock())
 *   STUCK       the helpers of the first NEXT - 1 callers' requests may
 *               hang for ever (a module init that never returns); those
 *               callers are all killed, at some step; the last outside
 *               caller, the new one, asks for a module of its own and
 *               starts once all the others have returned (for "served")
 *   SAME        (with STUCK, NEXT=3) only caller 0's helper may hang;
 *               caller 1 asks for module 1, and the new caller for module
 *               0, the hung one's, once caller 1's modprobe has exited too
 *               (for "fresh")
 *   NESTNOWAIT  (V2, with LOOP) a helper's request may use
 *               request_module_nowait(): the helper may exit while the
 *               request it made still runs
 *
 * Mutations, which must each break a property (checks of the checks):
 *   MUT_NOWAKE       kmod_request_done() releases the slot without waking
 *                    the waiters (V2: kmod_request_changed(); V1:
 *                    kmod_throttle_changed())
 *   MUT_NODEQUEUE    kmod_request_put() frees a queued request without
 *                    list_del(): it stays on the queue
 *   MUT_HELPER_JOINS (V1) a helper's request joins one in flight, like
 *                    any other
 *   MUT_RELEASE_WITH_CALLERS  (V2) kmod_release_orphans() ignores
 *                    req->callers: it also stops counting old modprobes
 *                    that callers still wait for
 *   MUT_RELEASE_YOUNG (V2) kmod_release_orphans() ignores the age: it
 *                    stops counting a modprobe the moment it has no caller
 *   MUT_RELEASE_UNBOUNDED (V2) kmod_release_orphans() ignores its bound
 *                    (want): it stops counting every old modprobe without
 *                    callers, however many are queued or uncounted
 *   MUT_JOIN_UNCOUNTED (V2) kmod_find_request() also finds a running
 *                    request that was released from the limit
 *   MUT_CHAIN_ALL    (V2) kmod_chain_loads() follows req->parent past a
 *                    request that is done
 *
 * Time is abstract: the clock process stands for "a whole stall period
 * (5 s) has passed".  Each Promela statement is atomic; an atomic block
 * stands for a section under kt->lock (or the semaphore's lock).  The
 * model is sequentially consistent.
 *
 * What the launcher does with the usermode helper (kmod_launch_modprobe(),
 * V2 :1085, V1 :597, with UMH_NO_WAIT | UMH_REAP) is taken from umh.pml, which checks
 * it: kmod_request_done() runs exactly once per launch, after the helper
 * has exited or failed to start, possibly before the launch returns.
 */

#if !defined(V1) && !defined(V2INLINE) && !defined(SEM)
#define V2
#endif
#if defined(V2INLINE)
#define ELOOP_RULE		/* recursion fails at once (V2 has its own) */
#endif

#ifndef L
#define L 1
#endif
#ifndef NEXT
#define NEXT 3
#endif
#ifndef NNEST
#define NNEST 0
#endif
#ifndef KILL
#define KILL 0
#endif
#if defined(STUCK) && (defined(SEM) || defined(LOOP) || NEXT < 2)
#error "STUCK is for V2, V1 and V2INLINE, with 2 or 3 outside callers and no LOOP"
#endif
#if defined(SAME) && (!defined(STUCK) || NEXT != 3)
#error "SAME is for STUCK with 3 outside callers"
#endif
#if defined(NESTNOWAIT) && (!defined(V2) || !defined(LOOP))
#error "NESTNOWAIT is for V2 with LOOP"
#endif
#define NEWC	(NEXT - 1)		/* STUCK: the new caller */
#define ORPHAN_PERIODS	2		/* KMOD_ORPHAN_PERIODS, V2 :75 */
#define NC	(NEXT + NNEST)		/* callers, and request objects */
/* arrays have room for 3 outside callers, which the formulas name */
#if NC < 3
#define NCA	3
#else
#define NCA	NC
#endif
#define NNAMES	3
#define NONE	255

/* enum kmod_request_state, V2 :158, V1 :119, plus FREE for an unused object */
#define R_FREE		0
#define R_QUEUED	1
#define R_RUNNING	2
#define R_DONE		3

/* Results, abstracted */
#define OK		0	/* 0, or modprobe exited with status 0 */
#define EFAIL		1	/* modprobe failed or could not start */
#define ETIME		2
#define ELOOP		3
#define ERESTARTSYS	4

/* struct kmod_throttle, V2 :133, V1 :99 (SEM: the semaphore and its wait list) */
byte in_use;			/* slots taken */
byte queue[NCA];			/* kt->queued, oldest first (SEM: sem->wait_list) */
byte qlen;			/* V2: kt->nr_queued */
#ifdef V2
byte running[NCA];		/* kt->running, in the order the slots were given */
byte nrun;
byte nunc;			/* kt->uncounted: uncounted requests running */
#endif

/* struct kmod_request, V2 :189, V1 :138; request r is the one caller r
 * made, if any */
byte rstate[NCA];
byte users[NCA];
byte rname[NCA];
byte result[NCA];
bool expired[NCA];		/* a stall period passed since the queue last moved */
bool freed[NCA];
#ifdef V2
byte ncallers[NCA];		/* req->callers: callers that have not left */
bool uncounted[NCA];		/* req->uncounted */
byte age[NCA];			/* stall periods since the slot was given
				   (req->started_at), counted up to
				   ORPHAN_PERIODS */
byte parent[NCA];		/* req->parent, NONE for NULL */
#endif

/* callers (outside callers first, then requests made by helpers) */
byte cname[NCA];			/* the module asked for */
bool cwait[NCA];			/* request_module(), not _nowait() */
bool nested[NCA];		/* made by a helper, or a process it started */
byte chain[NCA];			/* modules the caller's ancestry is loading (bits) */
byte myreq[NCA];			/* the request the caller waits for */
#ifdef V2
byte origin[NCA];		/* the request whose helper made the caller's
				   request (kmod_caller_origin() and
				   kmod_origin_request()), NONE if none */
bool inreq[NCA];		/* between kmod_request_enter() and
				   kmod_request_leave(): a caller of myreq */
#endif
bool killed[NCA];
bool returned[NCA];
byte ret[NCA];
bool asleep[NCA];		/* waiting: V2: the request's state read, on
				   req->wq, in schedule(); V1: kt->events read,
				   on kt->wq; SEM: on the semaphore, or in umh */
bool dirty[NCA];		/* the wake-up: V2 the request's state changed,
				   V1 kt->events changed */
bool unint[NCA];		/* asleep where SIGKILL cannot end the sleep */
bool timed[NCA];		/* the sleep has a timeout */
bool tmo[NCA];			/* ... and it expired */
#ifdef SEM
bool up_given[NCA];		/* semaphore_waiter.up */
bool h_exec[NCA], h_exit[NCA];	/* the caller's helper exec'd / exited */
byte h_res[NCA];
#endif

/* helpers */
byte alive;			/* modprobe processes alive */
byte alive_name[NNAMES];	/* ... for requests not made by helpers (V2:
				   and still counted) */
byte next_nested = NEXT;	/* next caller id for a request made by a helper */
byte nspawned, nreturned;	/* of those */
bool parked;			/* caller 0 stopped running */
bool hung;			/* STUCK: a helper hangs for ever */

/* Observations, read by the properties at the end of the file */
bool stuck_q[NCA];		/* for a whole period every slot was taken and
				   none was released or handed over */
bool touched_freed;		/* a request was used after kfree() */
bool leaked;			/* at the end a request or slot was left over */
bool false_etime;		/* -ETIME while the queue moved (V2: or while a
				   counted modprobe had no caller) */
bool dup;			/* two modprobes of one module at once */
bool loop_ok;			/* a request in a loop did not fail */
bool loop_waited;		/* ... it waited, or did not get -ELOOP */
bool budget_short;		/* the recursion needed more than NNEST */
#ifdef V2
bool bad_release;		/* a request stopped counting while a caller
				   was in it, or before it had had its slot
				   for ORPHAN_PERIODS */
bool bad_eloop;			/* -ELOOP, but no request along the running
				   part of the caller's chain is for its module */
bool late_unc;			/* SAME: the new caller came while a request for
				   its module ran uncounted */
#endif
bool all_ended, stuck;
byte live;			/* processes started and not ended */

/*
 * The observations are assignments, not if/else: an if at the head of an
 * option starts in the same state as the enclosing selection, so its else
 * would be false whenever another option is open.
 */
#define TOUCH(r)	touched_freed = (touched_freed || freed[r])
#define IN_CHAIN(c)	((chain[c] >> cname[c]) & 1)
/*
 * Every process exists from the start, so that process numbers do not
 * depend on the order of events: a helper (or a caller for a request
 * that a helper makes) waits, in a valid end state, to be started.
 */
bool hstarted[NCA];		/* helper r has been started */
bool cstarted[NCA];		/* caller n (a request a helper makes) has been started */
#define START(x)	live++; x = true
#define HELPER(r)	hstarted[r]
#define CALLER(n)	cstarted[n]
/* STUCK: the new caller starts once the others have returned */
#ifdef STUCK
#if NEXT == 2
#define OLD_RETURNED	returned[0]
#else
#define OLD_RETURNED	(returned[0] && returned[1])
#endif
#ifdef SAME
/* ... and caller 1's modprobe has exited (request 1 is caller 1's own) */
#define NEW_MAY_START	(OLD_RETURNED && rstate[1] != R_RUNNING)
#define HANGS(r)	(r == 0)
#else
#define NEW_MAY_START	OLD_RETURNED
#define HANGS(r)	(r < NEWC)
#endif
#define CAN_START(c)	((c < NEWC) || (c == NEWC && NEW_MAY_START) || cstarted[c])
#else
#define CAN_START(c)	(c < NEXT || cstarted[c])
#endif

#ifdef V2
/* A caller process is in request r (observations: independent of
 * req->callers), and r is a counted running request without callers. */
#define INREQ(k, r)	(k < NC && inreq[k] && myreq[k] == r)
#define HAS_CALLERS(r)	(INREQ(0, r) || INREQ(1, r) || INREQ(2, r) || \
			 INREQ(3, r) || INREQ(4, r))
#define ORPHAN(r)	(r < NC && rstate[r] == R_RUNNING && !uncounted[r] && !HAS_CALLERS(r))
#define ORPHAN_COUNTED	(ORPHAN(0) || ORPHAN(1) || ORPHAN(2) || ORPHAN(3) || ORPHAN(4))
/* a counted running request whose age still counts */
#define YOUNG(r)	(r < NC && rstate[r] == R_RUNNING && !uncounted[r] && age[r] < ORPHAN_PERIODS)
#define AGING		(YOUNG(0) || YOUNG(1) || YOUNG(2) || YOUNG(3) || YOUNG(4))
/* request r runs uncounted, for module n */
#define UNC_FOR(r, n)	(r < NC && rstate[r] == R_RUNNING && uncounted[r] && rname[r] == n)
#if NC > 5
#error "at most 5 callers"
#endif
#endif

/*
 * A point where caller 0 may stop running for good: PARK=1 anywhere it
 * can be preempted, PARK=2 only where it sleeps or is about to take the
 * lock, not between claiming a slot and launching the helper (V2: no
 * caller launches, PARK=1 only).
 */
#ifdef PARK
#define MAYPARK		if :: c == 0 -> parked = true; goto end_park :: true -> skip fi;
#define PARKABLE_WAIT	h == NONE -> MAYPARK
#if PARK == 1
#define MAYPARK_LAUNCH	MAYPARK		/* also between claim and launch */
#else
#define MAYPARK_LAUNCH
#endif
#else
#define MAYPARK
#define PARKABLE_WAIT
#define MAYPARK_LAUNCH
#endif

/*
 * V1, V2INLINE: what a waiter's next pass through kmod_request_wait()
 * would do other than sleep again: its request is done, or running and
 * it does not wait for the exit, or it may claim a slot, or its request
 * may stall.
 */
#ifdef V1
#define MAY_CLAIM(k)	(rstate[myreq[k]] == R_QUEUED && queue[0] == myreq[k] && in_use < L)
#else
#define MAY_CLAIM(k)	(qlen > 0 && in_use < L)
#endif
#define RELEVANT(k)	(rstate[myreq[k]] == R_DONE ||				\
			 (rstate[myreq[k]] == R_RUNNING && !cwait[k]) ||	\
			 MAY_CLAIM(k) ||					\
			 (rstate[myreq[k]] == R_QUEUED && expired[myreq[k]] && in_use >= L))

/*
 * V1, V2INLINE: kmod_throttle_changed(), V1 :200: kt->events++ and
 * wake_up_all().  Every waiter sees the change and is woken.  A waiter for which nothing
 * changed would take the lock, test, and sleep again: a stutter, which
 * the model leaves out by waking only the waiters for which RELEVANT()
 * holds.  Every change to the throttle in a locked section is followed
 * by a call, so the test sees the state the waiter would find.
 */
inline changed()
{
	k = 0;
	do
	:: k < NC ->
		if
		:: asleep[k] && RELEVANT(k) -> dirty[k] = true
		:: else -> skip
		fi;
		k++
	:: else -> k = 0; break
	od
}

/* kt->last_release = jiffies; kt->releases++: the queue moved */
inline moved()
{
	k = 0;
	do
	:: k < NC -> expired[k] = false; stuck_q[k] = false; k++
	:: else -> k = 0; break
	od
}

inline q_remove(r)
{
	k = 0;
	do
	:: k < qlen && queue[k] != r -> k++
	:: else -> break
	od;
	do
	:: k + 1 < qlen -> queue[k] = queue[k + 1]; k++
	:: else -> break
	od;
	qlen--;
	queue[qlen] = 0;
	k = 0
}

#ifdef V2
/* ---------------------------------------------- the series at its tip, V2 */

/*
 * kmod_request_changed(), :265-269: wake_up_all(&req->wq).  The callers
 * of request r asleep on its wait queue are woken; they are the only
 * ones that wait for its state, and every change of the state wakes them
 * (kmod_claim_slot(), kmod_request_done(), kmod_request_stalled()), so
 * that the condition of the wait, the state differs from the one read
 * before sleeping, holds exactly for the woken ones.
 */
inline req_changed(r)
{
	k = 0;
	do
	:: k < NC ->
		if
		:: asleep[k] && myreq[k] == r -> dirty[k] = true
		:: else -> skip
		fi;
		k++
	:: else -> k = 0; break
	od
}

/* The helper starts: it is counted alive from its slot on (see helper()). */
inline helper_starts(r)
{
	alive++;
	if
	:: !nested[r] ->
		if
		:: alive_name[rname[r]] > 0 -> dup = true
		:: else -> skip
		fi;
		alive_name[rname[r]]++
	:: else -> skip
	fi
}

/* list_del() of request r from kt->running */
inline run_remove(r)
{
	k = 0;
	do
	:: k < nrun && running[k] != r -> k++
	:: else -> break
	od;
	do
	:: k + 1 < nrun -> running[k] = running[k + 1]; k++
	:: else -> break
	od;
	nrun--;
	running[nrun] = 0;
	k = 0
}

/* kmod_claim_slot(), :541-557, for request h at the head */
inline claim(h)
{
	TOUCH(h);
	rstate[h] = R_RUNNING;		/* :544-545, launched */
	age[h] = 0;			/* :546, started_at = jiffies */
	q_remove(h);			/* :547-548, off kt->queued, */
	running[nrun] = h;		/* onto the tail of kt->running */
	nrun++;
	users[h]++;			/* :549, the launcher's reference */
	in_use++;			/* :550 */
	moved();			/* :552-553 */
	req_changed(h)			/* :556 */
}

/*
 * kmod_handover(), :582-593: free slots go to the head of the queue,
 * oldest first, and each launch is queued to a worker (queue_work(),
 * :590-591), which helper() stands for from that step on.
 */
inline handover()
{
	do
	:: in_use < L && qlen > 0 ->		/* :587 */
		h = queue[0];			/* :588 */
		claim(h);			/* :589 */
		helper_starts(h);		/* :590-591 */
		START(HELPER(h));
		h = NONE
	:: else -> break
	od
}

/*
 * kmod_request_put(), :444-466: drop a reference to request r; the last
 * one frees it, takes it off the queue if it is still queued (:457-460:
 * no slot was its, so nothing is handed over), and drops its reference
 * to its parent, and so on up the chain (:450, :462).  Each request is
 * one locked section.
 */
inline put(r)
{
	p = r;
	do
	:: p != NONE ->
		atomic {
			TOUCH(p);
			users[p]--;			/* :452 */
			if
			:: users[p] == 0 ->
				if
				:: rstate[p] == R_QUEUED ->
#ifndef MUT_NODEQUEUE
					q_remove(p)	/* :457-460 */
#else
					skip
#endif
				:: else -> skip
				fi;
				/*
				 * put_pid() and kfree(), :463-464, come after
				 * the unlock; nothing can reach the request by
				 * then, and a use in between would be a use
				 * after this free here.
				 */
				freed[p] = true;
				q = parent[p];		/* :462 */
				rstate[p] = R_FREE; rname[p] = 0; result[p] = 0;
				expired[p] = false; stuck_q[p] = false;
				ncallers[p] = 0; uncounted[p] = false;
				age[p] = 0; parent[p] = NONE;
				p = q; q = 0
			:: else -> p = NONE		/* :453-454 */
			fi
		}
	:: else -> break
	od
}

/* kmod_request_done(), :511-529, the locked part: the helper is gone */
inline done_locked(r, res)
{
	TOUCH(r);
	result[r] = res;		/* :516 */
	rstate[r] = R_DONE;		/* :517 */
	run_remove(r);			/* :518 */
	if
	:: uncounted[r] -> nunc--	/* :519-520 */
	:: else -> in_use--		/* :521-522 */
	fi;
	moved();			/* :523-524 */
#ifndef MUT_NOWAKE
	req_changed(r);			/* :525 */
#endif
	handover()			/* :526 */
}

/*
 * The helper of request r, from the launch work (kmod_launch_work(),
 * :560, kmod_launch_modprobe(), :1085) to kmod_modprobe_cleanup() (:1063),
 * which umh runs once modprobe has exited.  It is started in the step
 * that gives r its slot: only the observations (alive, alive_name) see
 * when the worker runs, and counting it alive from the slot on is the
 * stricter cap.  A launch that fails (-ENOMEM, :1117; umh's errors reach
 * the cleanup too) is the same as a helper that exits at once.
 */
proctype helper(byte r)
{
	byte k, h = NONE, n, p = NONE, q, res = OK;

#ifdef LOOP
	/*
	 * modprobe's exec, or the module's init, asks for the next module,
	 * after kmod_modprobe_init() (:1070) has set req->helper
	 * (kmod_request_started(), :491): the nested caller's origin is r.
	 * NESTNOWAIT: the request may be request_module_nowait(), which
	 * returns once it has a slot: the helper may then exit, and r be
	 * done, while the request it made still runs.
	 */
end_idle:
	atomic {
		hstarted[r] ->
		if
		:: next_nested < NC ->
			n = next_nested;
			next_nested++;
			nested[n] = true;
#ifdef NESTNOWAIT
			if
			:: cwait[n] = true
			:: cwait[n] = false
			fi;
#else
			cwait[n] = true;
#endif
			cname[n] = (rname[r] + 1) % LOOP;
			chain[n] = chain[r] | (1 << rname[r]);
			origin[n] = r;
			nspawned++;
			START(CALLER(n))
		:: else -> budget_short = true; n = NONE
		fi
	}
	if
	:: n != NONE ->
		returned[n];
		if			/* modprobe fails if its request failed */
		:: ret[n] != OK -> res = EFAIL
		:: else -> skip
		fi
	:: else -> skip
	fi;
	n = 0;
#elif defined(STUCK)
end_idle:
	if
	:: atomic { hstarted[r] && HANGS(r) -> hung = true }; goto end_hang
	:: hstarted[r] -> skip
	fi;
#else
end_idle:
#endif
	atomic {			/* modprobe exits: :1066, kmod_request_done() */
		hstarted[r] ->
		alive--;
		if
		:: !nested[r] && !uncounted[r] -> alive_name[rname[r]]--
		:: else -> skip
		fi;
		done_locked(r, res);
		/*
		 * :528, after the unlock: the launcher's reference to a done
		 * request, in the same step, as nothing in between could
		 * tell (it is the last reference only if nobody else holds
		 * one).
		 */
		put(r)
	}
	live--;
#ifdef STUCK
	goto out;
end_hang:
	false;
out:
	skip
#endif
}

/*
 * kmod_request_stalled(), :634-646.  Its caller found, after a whole
 * stall period, every slot taken and no modprobe that may be released
 * (kmod_release_orphans() returned -1): the observations check both,
 * the second as "none without callers, or L uncounted ones alive".
 */
inline stalled(r)
{
	false_etime = (false_etime || !stuck_q[r] || (ORPHAN_COUNTED && nunc < L));
	result[r] = ETIME;		/* :638 */
	rstate[r] = R_DONE;		/* :639 */
	q_remove(r);			/* :640-641 */
	req_changed(r)			/* :645 */
}

/*
 * kmod_release_orphans(), :687-728.  rel: 0 some were released (and the
 * slots handed over, :726), 1 none was, but some have no caller and are
 * too young (:705-710, :724-725: wait until the oldest is old enough), 2
 * none may be released (:698-699, :724-725: -1).  At most want (:692)
 * are released, no more than are queued and no more than leave L
 * uncounted alive, oldest first along kt->running (:700-702).  The
 * observation bad_release checks the callers by the caller processes
 * themselves, not by req->callers.
 */
inline release_orphans(rel)
{
	rel = 2;
#ifndef MUT_RELEASE_UNBOUNDED
	want = (qlen < L - nunc -> qlen : L - nunc);	/* :692 */
#else
	want = NC;
#endif
	p = 0;
	do
	:: want > 0 && p < nrun ->			/* :698-702 */
		q = running[p];
		if
#ifndef MUT_RELEASE_WITH_CALLERS
		:: !uncounted[q] && ncallers[q] == 0 ->		/* :703-704 */
#else
		:: !uncounted[q] ->
#endif
			if
#ifndef MUT_RELEASE_YOUNG
			:: age[q] >= ORPHAN_PERIODS ->			/* :705-706 */
#else
			:: true ->
#endif
				bad_release = (bad_release || HAS_CALLERS(q) ||
					       age[q] < ORPHAN_PERIODS);
				uncounted[q] = true;			/* :711 */
				in_use--;				/* :712 */
				nunc++;					/* :713 */
				if			/* (observation) */
				:: !nested[q] -> alive_name[rname[q]]--
				:: else -> skip
				fi;
				want--;					/* :722 */
				rel = 0
			:: else ->
				if				/* :706-710 */
				:: rel == 2 -> rel = 1
				:: else -> skip
				fi
			fi
		:: else -> skip
		fi;
		p++
	:: else -> p = NONE; q = 0; want = 0; break
	od;
	if
	:: rel == 0 -> handover()		/* :724-727 */
	:: else -> skip
	fi
}

/*
 * __request_module(), :1197: usermodehelper_wait_begin() (:1225), then
 * kmod_throttle_request(), :1009, whose kmod_request_enter() (:948) and
 * kmod_request_wait() (:827) are the steps below, then
 * usermodehelper_wait_end() (:1229).
 */
proctype caller(byte c)
{
	byte r = NONE, k, h = NONE, p = NONE, q, res, own = NONE, rel, want;
	bool again;

	MAYPARK
end_idle:
	atomic {				/* spin_lock(), :1036 */
		CAN_START(c) ->
		/*
		 * kmod_caller_origin(), :1035, and kmod_origin_request(),
		 * :957-958, :325-327: the running request whose helper made
		 * this request, known exactly here (its helper waits for it,
		 * so it runs).
		 */
		own = origin[c];
		if
		:: own != NONE && rstate[own] != R_RUNNING -> own = NONE
		:: else -> skip
		fi;
		/*
		 * kmod_chain_loads(), :959, :347-350: along req->parent, as
		 * long as the requests run.
		 */
		p = own;
		do
#ifndef MUT_CHAIN_ALL
		:: p != NONE && rstate[p] == R_RUNNING ->
#else
		:: p != NONE ->
#endif
			TOUCH(p);
			if
			:: rname[p] == cname[c] -> break
			:: else -> p = parent[p]
			fi
		:: else -> p = NONE; break
		od;
		if
		:: p != NONE ->					/* :960-962 */
			/*
			 * (observation) a request for the module along the
			 * caller's chain by the callers' origins, up to the
			 * first that no longer runs
			 */
			k = origin[c];
			do
			:: k != NONE && rstate[k] == R_RUNNING && rname[k] != cname[c] -> k = origin[k]
			:: else -> break
			od;
			bad_eloop = (bad_eloop || k == NONE || rstate[k] != R_RUNNING);
			k = 0;
			p = NONE; own = NONE; res = ELOOP; goto leave
		:: else -> skip
		fi;
#ifdef SAME
		late_unc = (late_unc || (c == NEWC &&
			    (UNC_FOR(0, cname[c]) || UNC_FOR(1, cname[c]) || UNC_FOR(2, cname[c]))));
#endif
		r = NONE;
		if
		:: own == NONE ->		/* kmod_find_request(), :964-965, :400-418 */
			k = 0;
			do
#ifndef MUT_JOIN_UNCOUNTED
			:: k < nrun && (uncounted[running[k]] ||			/* :407-413 */
					rname[running[k]] != cname[c]) -> k++
#else
			:: k < nrun && rname[running[k]] != cname[c] -> k++
#endif
			:: else -> break
			od;
			if
			:: k < nrun -> r = running[k]
			:: else ->
				k = 0;
				do				/* :414-416 */
				:: k < qlen && rname[queue[k]] != cname[c] -> k++
				:: else -> break
				od;
				if
				:: k < qlen -> r = queue[k]
				:: else -> skip
				fi
			fi;
			k = 0
		:: else -> skip		/* a helper's request never joins */
		fi;
		if
		:: r != NONE ->			/* join, :966-971 */
			TOUCH(r);
			users[r]++;
			ncallers[r]++
		:: else ->			/* a new request, :972-990 */
			r = c;
			rstate[r] = R_QUEUED;
			users[r] = 1;
			ncallers[r] = 1;
			rname[r] = cname[c];
			freed[r] = false;
			if
			:: own != NONE ->	/* :983-986 */
				TOUCH(own);
				users[own]++;
				parent[r] = own
			:: else -> skip
			fi;
			queue[qlen] = r;	/* :987-989 */
			qlen++;
			handover()		/* :990 */
		fi;
		own = NONE;
		myreq[c] = r;
		inreq[c] = true
	}					/* spin_unlock(), :1041 */

	do					/* kmod_request_wait(), :838-914 */
	:: MAYPARK
	   atomic {
		/*
		 * Asleep (see below), the caller goes on once woken, killed,
		 * or out of time; ___wait_event() tests the condition first,
		 * then the signal.  Returning from the wait and taking the
		 * lock again (:908) are one step here: whatever happens in
		 * between could as well happen before the caller runs.
		 */
		!asleep[c] || dirty[c] || killed[c] || (timed[c] && tmo[c]) ->
		if
		:: asleep[c] ->
			if
			:: !dirty[c] && killed[c] -> res = ERESTARTSYS
			:: else -> skip
			fi;
			asleep[c] = false; dirty[c] = false;
			timed[c] = false; tmo[c] = false
		:: else -> skip
		fi;
		if
		:: res == ERESTARTSYS -> break	/* :910-913 */
		:: else -> skip
		fi;
		TOUCH(r);
		if
		:: rstate[r] == R_DONE ->	/* :840-844 */
			/* wait || !req->launched: only a stalled request is
			 * done without having had a slot */
			if
			:: cwait[c] || result[r] == ETIME -> res = result[r]
			:: else -> res = OK
			fi;
			break
		:: rstate[r] == R_RUNNING && !cwait[c] -> res = OK; break	/* :845-849 */
		:: rstate[r] == R_RUNNING && cwait[c] -> skip	/* :850, no timeout */
		:: rstate[r] == R_QUEUED && expired[r] && in_use >= L ->	/* :852-853 */
			release_orphans(rel);	/* :854-855 */
			if
			:: rel == 0 -> again = true	/* :856-861: warn, then again */
			:: rel == 1 -> timed[c] = true	/* until it is old enough */
			:: rel == 2 ->			/* :862-867, then :840-843 */
				stalled(r); res = ETIME; rel = 0; break
			fi;
			rel = 0
		:: rstate[r] == R_QUEUED && !(expired[r] && in_use >= L) ->
			timed[c] = true		/* :874-875, :893: the deadline */
		fi;
		/*
		 * The warning of kmod_report_slow() (:876-894) only
		 * unlocks and tests again; it is left out.
		 */
		if
		:: again -> again = false	/* unlocked: the next pass */
		:: else ->
			/*
			 * :902-907: read req->state, unlock, and
			 * wait_event_killable_timeout(): on req->wq, then the
			 * condition (the state changed), the signal, the time
			 * left, then schedule().  Taken as one step with the
			 * unlock: a change, a kill or the time running out in
			 * between ends the wait just as it ends the sleep.
			 */
			if
			:: killed[c] -> res = ERESTARTSYS; timed[c] = false; break
			:: else -> asleep[c] = true
			fi
		fi
	   }
	od;
	MAYPARK
	/*
	 * kmod_request_leave(), :1052, :474-477: req->callers-- in one locked
	 * section, kmod_request_put() in the next.  Taken as one step unless
	 * the put frees a queued request: in between, only a claim of that
	 * request (a slot freed meanwhile) would see anything the step does
	 * not also leave behind (a decrement of a reference that is not the
	 * last commutes with everything else that may happen in between).
	 */
	atomic {
		TOUCH(r);
		ncallers[r]--;			/* :475 */
		inreq[c] = false;
		again = (rstate[r] == R_QUEUED && users[r] == 1);
		if
		:: !again -> put(r)		/* :477 */
		:: else -> skip
		fi
	}
	if
	:: again -> again = false; put(r)	/* :477, the last reference */
	:: else -> skip
	fi;
leave:
	atomic {				/* usermodehelper_wait_end(), :1229 */
		if
		:: nested[c] && IN_CHAIN(c) && res == OK -> loop_ok = true
		:: else -> skip
		fi;
		if
		:: nested[c] && IN_CHAIN(c) && (res != ELOOP || r != NONE) -> loop_waited = true
		:: else -> skip
		fi;
		ret[c] = res;
		returned[c] = true;
		if
		:: nested[c] -> nreturned++
		:: else -> skip
		fi;
		live--
	}
#ifdef PARK
	goto out;
end_park:
	false;
out:
	skip
#endif
}

#elif !defined(SEM)
/* ------------------------------- the series before V2: V1 and V2INLINE */

/* kmod_claim_slot(), :363-372, for request h at the head */
inline claim(h)
{
	TOUCH(h);
	rstate[h] = R_RUNNING;
	q_remove(h);
	users[h]++;			/* the launcher's reference */
	in_use++;
	moved();
	changed()
}

#define handover()	skip

/*
 * kmod_request_put(), :281: the last reference frees the request, and a
 * request still queued leaves the queue (:290-293).
 */
inline put(r)
{
	atomic {
		TOUCH(r);
		users[r]--;
		if
		:: users[r] == 0 ->
			if
			:: rstate[r] == R_QUEUED ->
#ifndef MUT_NODEQUEUE
				q_remove(r);
#endif
				changed();
				handover()
			:: else -> skip
			fi;
			/*
			 * put_pid() and kfree(), :295-296, come after the
			 * unlock; nothing can reach the request by then, and a
			 * use in between would be a use after this free here.
			 */
			freed[r] = true;
			rstate[r] = R_FREE; rname[r] = 0; result[r] = 0;
			expired[r] = false; stuck_q[r] = false
		:: else -> skip
		fi
	}
}

/* kmod_request_done(), :330-342, the locked part: the helper is gone */
inline done_locked(r, res)
{
	TOUCH(r);
	result[r] = res;
	rstate[r] = R_DONE;
	in_use--;
	moved();
#ifndef MUT_NOWAKE
	changed();
#endif
	handover()
}

/* The helper starts (kmod_modprobe_init(), :582, then the exec). */
inline helper_starts(r)
{
	alive++;
	if
	:: !nested[r] ->
		if
		:: alive_name[rname[r]] > 0 -> dup = true
		:: else -> skip
		fi;
		alive_name[rname[r]]++
	:: else -> skip
	fi
}

/*
 * The helper of request r, from its start to kmod_modprobe_cleanup()
 * (:575), which umh runs once modprobe has exited.  It starts in the step
 * that launches it: only the observations (alive, alive_name) see when,
 * and failing to start is the same as exiting at once.
 */
proctype helper(byte r)
{
	byte k, h = NONE, n, res = OK;

#ifdef LOOP
	/* modprobe's exec, or the module's init, asks for the next module */
end_idle:
	atomic {
		hstarted[r] ->
		if
		:: next_nested < NC ->
			n = next_nested;
			next_nested++;
			nested[n] = true;
			cwait[n] = true;
			cname[n] = (rname[r] + 1) % LOOP;
			chain[n] = chain[r] | (1 << rname[r]);
			myreq[n] = n;
			nspawned++;
			START(CALLER(n))
		:: else -> budget_short = true; n = NONE
		fi
	}
	if
	:: n != NONE ->
		returned[n];
		if			/* modprobe fails if its request failed */
		:: ret[n] != OK -> res = EFAIL
		:: else -> skip
		fi
	:: else -> skip
	fi;
	n = 0;
#elif defined(STUCK)
end_idle:
	if
	:: atomic { hstarted[r] && HANGS(r) -> hung = true }; goto end_hang
	:: hstarted[r] -> skip
	fi;
#else
end_idle:
#endif
	atomic {			/* modprobe exits, kmod_request_done() */
		hstarted[r] ->
		alive--;
		if
		:: !nested[r] -> alive_name[rname[r]]--
		:: else -> skip
		fi;
		done_locked(r, res)
	}
	put(r);				/* :343 */
	live--;
#ifdef STUCK
	goto out;
end_hang:
	false;
out:
	skip
#endif
}

/* kmod_launch_modprobe(), :597, run by the caller that claimed (V1, V2INLINE) */
inline launch(h)
{
	if
	:: atomic { done_locked(h, EFAIL) }	/* -ENOMEM or -EBUSY at once, :629 */
	   put(h)
	:: atomic { helper_starts(h); START(HELPER(h)) }	/* :625 */
	fi
}

/* kmod_request_stalled(), :414 */
inline stalled(r)
{
	if
	:: !stuck_q[r] -> false_etime = true
	:: else -> skip
	fi;
	result[r] = ETIME;
	rstate[r] = R_DONE;
	q_remove(r);
	changed();
	handover()
}

/* kmod_throttle_request(), :520, and kmod_request_wait(), :443 */
proctype caller(byte c)
{
	byte r = NONE, k, h = NONE, res;

	MAYPARK
end_idle:
	atomic {				/* spin_lock(), :536 */
		CAN_START(c) ->
#ifdef ELOOP_RULE
		if
		:: nested[c] && IN_CHAIN(c) -> res = ELOOP; goto leave
		:: else -> skip
		fi;
#endif
		r = NONE;
		if
#ifndef MUT_HELPER_JOINS
		:: !nested[c] ->		/* kmod_find_request(), :258 */
#else
		:: true ->
#endif
			k = 0;
			do
			:: k < NC && !(rstate[k] == R_RUNNING && rname[k] == cname[c]) -> k++
			:: else -> break
			od;
			if
			:: k < NC -> r = k
			:: else ->
				k = 0;
				do
				:: k < qlen && rname[queue[k]] != cname[c] -> k++
				:: else -> break
				od;
				if
				:: k < qlen -> r = queue[k]
				:: else -> skip
				fi
			fi;
			k = 0
		:: else -> skip		/* a helper never joins, :542 */
		fi;
		if
		:: r != NONE ->			/* join, :543-547 */
			TOUCH(r);
			users[r]++
		:: else ->			/* queue a new request, :549-558 */
			r = c;
			rstate[r] = R_QUEUED;
			users[r] = 1;
			rname[r] = cname[c];
			freed[r] = false;
			queue[qlen] = r;
			qlen++
		fi;
		myreq[c] = r;
		handover()
	}					/* spin_unlock(), :560 */

	do					/* kmod_request_wait(), :451 */
	:: h != NONE ->
		MAYPARK_LAUNCH
		launch(h);			/* kt->launch(req), :455 */
		h = NONE
	:: PARKABLE_WAIT
	   atomic {
		/*
		 * Asleep (see below), the caller goes on once woken, killed,
		 * or out of time; ___wait_event() tests the condition first,
		 * then the signal.  Returning from the wait and taking the
		 * lock again (:494) are one step here: whatever happens in
		 * between could as well happen before the caller runs.
		 */
		h == NONE && (!asleep[c] || dirty[c] || killed[c] || (timed[c] && tmo[c])) ->
		if
		:: asleep[c] ->
			if
			:: !dirty[c] && killed[c] -> res = ERESTARTSYS
			:: else -> skip
			fi;
			asleep[c] = false; dirty[c] = false;
			timed[c] = false; tmo[c] = false
		:: else -> skip
		fi;
		if
		:: res == ERESTARTSYS -> break	/* :496-499 */
		:: else -> skip
		fi;
		TOUCH(r);
#ifdef V1
		if				/* kmod_claim_slot(), :453 */
		:: rstate[r] == R_QUEUED && in_use < L && queue[0] == r ->
			h = r; claim(h)
		:: else -> skip
		fi;
#else					/* V2INLINE: any waiter */
		if
		:: in_use < L && qlen > 0 -> h = queue[0]; claim(h)
		:: else -> skip
		fi;
#endif
		if
		:: h != NONE -> skip		/* launch it, unlocked: :454-457 */
		:: else ->
			if
			:: rstate[r] == R_DONE -> res = result[r]; break	/* :459-462 */
			:: rstate[r] == R_RUNNING && !cwait[c] -> res = OK; break	/* :464-467 */
			:: rstate[r] == R_RUNNING && cwait[c] -> timed[c] = false	/* :468 */
			:: rstate[r] == R_QUEUED && expired[r] && in_use >= L ->
				stalled(r); res = ETIME; break	/* :470-474 */
			:: rstate[r] == R_QUEUED && !(expired[r] && in_use >= L) ->
				timed[c] = true	/* :475-480 */
			fi;
			/*
			 * :488-491: read kt->events, unlock, and
			 * wait_event_killable_timeout(): on kt->wq, then the
			 * condition (kt->events changed), the signal, the time
			 * left, then schedule().  Taken as one step with the
			 * unlock: a change, a kill or the time running out in
			 * between ends the wait just as it ends the sleep.
			 */
			if
			:: killed[c] -> res = ERESTARTSYS; timed[c] = false; break
			:: else -> asleep[c] = true
			fi
		fi
	   }					/* spin_unlock(), :490 */
	od;
	MAYPARK
	/* spin_unlock(), :501; kmod_request_put(), :564, and return */
	put(r);
leave:
	atomic {
		if
		:: nested[c] && IN_CHAIN(c) && res == OK -> loop_ok = true
		:: else -> skip
		fi;
		if
		:: nested[c] && IN_CHAIN(c) && (res != ELOOP || r != NONE) -> loop_waited = true
		:: else -> skip
		fi;
		ret[c] = res;
		returned[c] = true;
		if
		:: nested[c] -> nreturned++
		:: else -> skip
		fi;
		live--
	}
#ifdef PARK
	goto out;
end_park:
	false;
out:
	skip
#endif
}

#else
/* ------------------------------------------------------------ 6.12.117 */

/* up(), semaphore.c:184, of kmod_concurrent_max, and __up(), :276 */
inline sem_up()
{
	in_use--;
	moved();
	if
	:: qlen > 0 ->
		n = queue[0];
		up_given[n] = true;		/* waiter->up = true */
		q_remove(n);
		n = 0;
		in_use++
	:: else -> skip				/* sem->count++ */
	fi
}

/*
 * The helper of caller c: call_modprobe(), kmod.c:71, through
 * call_usermodehelper_exec(), whose own protocol umh.pml checks.  It
 * starts and execs in the step that spawns it.
 */
proctype helper(byte c)
{
	byte n;

#ifdef LOOP
end_idle:
	atomic {
		hstarted[c] ->
		if
		:: next_nested < NC ->
			n = next_nested;
			next_nested++;
			nested[n] = true;
			cwait[n] = true;
			cname[n] = (cname[c] + 1) % LOOP;
			chain[n] = chain[c] | (1 << cname[c]);
			nspawned++;
			START(CALLER(n))
		:: else -> budget_short = true; n = NONE
		fi
	}
	if
	:: n != NONE ->
		returned[n];
		if
		:: ret[n] != OK -> h_res[c] = EFAIL
		:: else -> skip
		fi
	:: else -> skip
	fi;
	n = 0;
#else
end_idle:
#endif
	atomic {				/* modprobe exits */
		hstarted[c] ->
		alive--;
		if
		:: !nested[c] -> alive_name[cname[c]]--
		:: else -> skip
		fi;
		h_exit[c] = true;
		live--
	}
}

/* __request_module(), kmod.c:131 at the base */
proctype caller(byte c)
{
	byte k, n, res;
	bool got;

	MAYPARK
end_idle:
	atomic {				/* down_timeout(), kmod.c:158, semaphore.c:160 */
		CAN_START(c) ->
		if
		:: in_use < L -> in_use++; moved(); got = true	/* sem->count-- */
		:: else ->
			queue[qlen] = c; qlen++;	/* ___down_common(), semaphore.c:218 */
			timed[c] = true; tmo[c] = false;
			/* TASK_UNINTERRUPTIBLE: SIGKILL cannot end the sleep */
			asleep[c] = true; unint[c] = true
		fi
	}
	if
	:: !got ->
		atomic {
			up_given[c] || tmo[c] ->
			asleep[c] = false; unint[c] = false;
			if
			:: up_given[c] -> up_given[c] = false	/* :231-232 */
			:: else ->				/* timed_out, :235-237 */
				q_remove(c);
				if
				:: !stuck_q[c] -> false_etime = true
				:: else -> skip
				fi;
				res = ETIME
			fi;
			timed[c] = false; tmo[c] = false
		}
		MAYPARK
	:: else -> skip
	fi;
	/*
	 * call_modprobe(), kmod.c:172: call_usermodehelper_exec() with
	 * UMH_WAIT_PROC or UMH_WAIT_EXEC, and UMH_KILLABLE.
	 */
	atomic {
		if
		:: res == ETIME -> goto leave	/* kmod.c:159-163 */
		:: else -> skip
		fi;
		alive++;
		if
		:: !nested[c] ->
			if
			:: alive_name[cname[c]] > 0 -> dup = true
			:: else -> skip
			fi;
			alive_name[cname[c]]++
		:: else -> skip
		fi;
		h_exec[c] = true;
		START(HELPER(c));
		asleep[c] = true
	}
	atomic {
		h_exit[c] || (!cwait[c] && h_exec[c]) || killed[c] ->
		asleep[c] = false;
		if
		:: h_exit[c] -> res = h_res[c]
		:: !h_exit[c] && !cwait[c] && h_exec[c] -> res = OK
		:: else -> res = ERESTARTSYS
		fi
	}
	MAYPARK
	atomic { sem_up() }			/* up(), kmod.c:175 */
leave:
	atomic {
		if
		:: nested[c] && IN_CHAIN(c) && res == OK -> loop_ok = true
		:: else -> skip
		fi;
		if
		:: nested[c] && IN_CHAIN(c) -> loop_waited = true
		:: else -> skip
		fi;
		ret[c] = res;
		returned[c] = true;
		if
		:: nested[c] -> nreturned++
		:: else -> skip
		fi;
		live--
	}
#ifdef PARK
	goto out;
end_park:
	false;
out:
	skip
#endif
}
#endif /* SEM */

#define FINISHED	(EXT_RETURNED && nreturned == nspawned && alive == 0 && in_use == 0)
#if NEXT == 1
#define EXT_RETURNED	returned[0]
#define OTHERS_RETURNED	true
#elif NEXT == 2
#define EXT_RETURNED	(returned[0] && returned[1])
#define OTHERS_RETURNED	returned[1]
#else
#define EXT_RETURNED	(returned[0] && returned[1] && returned[2])
#define OTHERS_RETURNED	(returned[1] && returned[2])
#endif

/*
 * Abstract time.  A tick: a whole stall period passes.  Queued requests
 * then have waited their period (kmod_stall_deadline(), V2 :613, V1 :394,
 * measures it from the last time the queue moved, and moved() resets
 * it), and every timed sleep of a queued caller expires.  SEM:
 * down_timeout()'s 5 s are counted from the start of the wait, and
 * nothing resets them.  V2: every running request has had its slot for
 * one more period (its age, req->started_at, :705), counted up to
 * ORPHAN_PERIODS, beyond which kmod_release_orphans() sees no difference.
 *
 * Time only matters while requests wait and every slot is taken: with a
 * slot free the queue moves at the next claim (which resets the period)
 * and no request may stall (V2 :853, V1 :471), so the clock ticks only
 * then.  A timed sleep that would expire with a slot free only makes its
 * caller test again and sleep again; leaving it out removes no outcome.
 *
 * V2: ages therefore grow only in those periods, and a request's age in
 * the model is at most the time it has really had its slot: the model
 * releases a modprobe no earlier than the C, and where the C releases at
 * once, the model's caller waits for more ticks first (kmod_release_
 * orphans() returning the time left, :706-710), which only set what the
 * release's handover resets (moved()).  -DAGEIDLE lets the clock tick,
 * for the ages alone, also while no request waits.
 */
#if defined(V2) && defined(AGEIDLE)
#define TICKS		((qlen > 0 && in_use >= L) || AGING)
#else
#define TICKS		(qlen > 0 && in_use >= L)
#endif
proctype clock()
{
	byte k;

#ifdef STUCK
end_tick:
#endif
	do
	:: atomic {
		TICKS ->
		k = 0;
		do
		:: k < NC ->
			if
#ifndef SEM
			:: rstate[k] == R_QUEUED ->
				expired[k] = true;
				stuck_q[k] = (in_use >= L)
#ifdef V2
			:: rstate[k] == R_RUNNING && age[k] < ORPHAN_PERIODS ->
				age[k]++
#endif
#else
			:: timed[k] ->
				stuck_q[k] = (in_use >= L)
#endif
			:: else -> skip
			fi;
			if
			:: timed[k] -> tmo[k] = true
			:: else -> skip
			fi;
			k++
		:: else -> k = 0; break
		od
	   }
	:: FINISHED -> break
	od;
	live--
}

/*
 * SIGKILL may reach outside callers at any step (at most KILL of them).
 * STUCK: every outside caller but the new one is killed, at some step.
 */
proctype killer()
{
	byte n;

#ifdef STUCK
	do
	:: n < NEWC -> killed[n] = true; n++
	:: else -> break
	od;
#else
	do
	:: n < KILL ->
		if
		:: !killed[0] -> killed[0] = true
		:: NEXT > 1 && !killed[1] -> killed[1] = true
		:: NEXT > 2 && !killed[2] -> killed[2] = true
		fi;
		n++
	:: break
	od;
#endif
	live--
}

/*
 * Runs only when no other process can move: at the end of a run, or in a
 * deadlock.
 */
active proctype watchdog()
{
end:	timeout -> stuck = !all_ended && !parked && !hung
}

init {
	byte k;

	atomic {
		k = 0;
		do
		:: k < NC ->
			myreq[k] = k;
#ifdef V2
			origin[k] = NONE;
			parent[k] = NONE;
#endif
			k++
		:: else -> break
		od;
		k = 0;
		do
		:: k < NEXT ->
			/* names as restricted growth strings: 0, then any name
			 * used so far or the next new one */
			if
			:: k == 0 -> cname[k] = 0
#ifdef LOOP
			/* all ask for the first module of the loop */
			:: k > 0 -> cname[k] = 0
#elif defined(SAME)
			/* caller 1 for another module, the new caller for the
			 * module of caller 0, whose modprobe may hang */
			:: k == 1 -> cname[k] = 1
			:: k == NEWC -> cname[k] = 0
#elif defined(STUCK)
			/* the new caller asks for a module of its own */
			:: k == NEWC -> cname[k] = k
			:: k == 1 && k != NEWC -> if :: cname[k] = 0 :: cname[k] = 1 fi
#else
			:: k == 1 -> if :: cname[k] = 0 :: cname[k] = 1 fi
			:: k == 2 ->
				if
				:: cname[k] = 0
				:: cname[k] = 1
				:: cname[k] = cname[1] + 1
				fi
#endif
			fi;
#ifdef NOWAIT
			if
			:: cwait[k] = true
			:: cwait[k] = false
			fi;
#else
			cwait[k] = true;
#endif
			live++;
			k++
		:: else -> k = 0; break
		od;
		do
		:: k < NC -> run caller(k); k++
		:: else -> k = 0; break
		od;
		do
		:: k < NC -> run helper(k); k++
		:: else -> k = 0; break
		od;
#ifndef NOTIMER
		live++;
		run clock();
#endif
#if KILL > 0 || defined(STUCK)
		live++;
		run killer();
#endif
		skip
	}
#ifdef STUCK
end_wait:
#endif
	live == 0;
	d_step {
		if
		:: in_use != 0 || qlen != 0 || alive != 0 -> leaked = true
		:: else -> skip
		fi;
#ifndef SEM
		k = 0;
		do
		:: k < NC ->
			if
			:: rstate[k] != R_FREE || users[k] != 0 -> leaked = true
			:: else -> skip
			fi;
			k++
		:: else -> k = 0; break
		od;
#endif
		all_ended = true
	}
}

/* ------------------------------------------------------------ properties */

/* Each request is freed exactly once, and nothing uses it afterwards; at
 * the end no request, slot or helper is left. */
#define LIFETIME	!(touched_freed || leaked)
ltl lifetime { [] LIFETIME }

/*
 * The cap.  V1, V2INLINE, SEM: at most L slots taken, and at most L
 * modprobes alive.  V2: at most L slots counted; the modprobes alive
 * exceed L only by uncounted ones, at most L of them, and each of those
 * had no caller (by the caller processes) and had had its slot for
 * ORPHAN_PERIODS stall periods when it stopped counting.
 */
#ifdef V2
#define CAP		(in_use <= L && alive <= L + nunc && nunc <= L && !bad_release)
#else
#define CAP		(in_use <= L && alive <= L)
#endif
ltl cap { [] CAP }

/* Concurrent requests for a module share one modprobe (V2: but for one
 * that stopped counting, which nobody joins). */
#define COALESCE	!dup
ltl coalesce { [] COALESCE }

/* A request fails with -ETIME only after a whole stall period in which
 * every slot was taken and none was released or handed over (V2: and
 * while every counted modprobe had a caller, or L uncounted ones were
 * alive). */
#define ETIME_OK	!false_etime
ltl etime { [] ETIME_OK }

/* A killed caller never sleeps where SIGKILL cannot end the sleep. */
#define KILLABLE_OK	!((killed[0] && unint[0]) || (killed[1] && unint[1]) || \
			  (killed[2] && unint[2]))
ltl killable { [] KILLABLE_OK }

/* No deadlock: every run ends with every process ended. */
#define NO_DEADLOCK	!stuck
ltl deadlock { [] NO_DEADLOCK }

/* V2: -ELOOP only if a request for the module runs along the caller's
 * chain (by the callers' origins, up to the first request that is no
 * longer running). */
#ifdef V2
#define ELOOP_OK	!bad_eloop
#else
#define ELOOP_OK	true
#endif
ltl eloopok { [] ELOOP_OK }

/* All the invariants above, in one search. */
ltl safety { [] (LIFETIME && CAP && COALESCE && ETIME_OK && KILLABLE_OK && NO_DEADLOCK && ELOOP_OK) }

/* A caller asleep while what it waits for has happened is woken (run with
 * NOTIMER, so that no timeout hides a lost wake-up). */
#ifdef SEM
#define READY(c)	(up_given[c] || h_exit[c] || (!cwait[c] && h_exec[c]))
#elif defined(V1)
#define READY(c)	(rstate[myreq[c]] == R_DONE ||				\
			 (rstate[myreq[c]] == R_RUNNING && !cwait[c]) ||	\
			 (rstate[myreq[c]] == R_QUEUED && queue[0] == myreq[c] && in_use < L))
#else
#define READY(c)	(rstate[myreq[c]] == R_DONE ||				\
			 (rstate[myreq[c]] == R_RUNNING && !cwait[c]) ||	\
			 (qlen > 0 && in_use < L))
#endif
#define WAKES(c)	([] ((asleep[c] && READY(c)) -> <> !asleep[c]))
ltl wakeup { WAKES(0) && WAKES(1) && WAKES(2) }

/* Under weak fairness every caller returns, and every helper ends. */
ltl returns { <> FINISHED }

/* A caller that stops running delays nobody else: the others return. */
ltl nodelay { <> OTHERS_RETURNED }

/* A helper's request for a module its ancestry is loading ends with an
 * error, and everything returns. */
ltl loop { [] !(loop_ok || budget_short) && <> FINISHED }

/* ... and it fails at once with -ELOOP, without waiting or queueing. */
ltl eloop { [] !(loop_waited || budget_short) }

/* STUCK: with every slot held by modprobes that hang and have no caller
 * left, a new caller is still served: it returns, and not with -ETIME. */
ltl served { <> (returned[NEWC] && ret[NEWC] != ETIME) }

/* SAME: a new caller that comes while the modprobe of its module hangs
 * uncounted is served all the same, by a modprobe of its own. */
#ifdef V2
#define LATE_UNC	late_unc
#else
#define LATE_UNC	false
#endif
ltl fresh { [] (LATE_UNC -> <> (returned[NEWC] && ret[NEWC] != ETIME)) }
