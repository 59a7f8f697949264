/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umh.pml - the life of a usermode helper request, kernel/umh.c
 *
 * One file, two protocols:
 *   default      the series: struct subprocess_info has a reference count;
 *                running_helpers counts a request for its caller while the
 *                caller is in call_usermodehelper_exec(), and for its
 *                helper from the queueing until the helper process is past
 *                its exec (umh_exec_done()); UMH_REAP only as
 *                UMH_NO_WAIT|UMH_REAP (line numbers: kernel/umh.c at the
 *                tip)
 *   -DBASE       6.12.117: the caller's completion lives on its stack and
 *                ownership passes with xchg(&sub_info->complete, NULL);
 *                running_helpers counts only the caller, until it leaves
 *                call_usermodehelper_exec() (line numbers: kernel/umh.c at
 *                the base)
 *
 * Bounds: NREQ requests (default 1), each issued by its own caller.
 * Request 0 takes any mode (UMH_NO_WAIT, UMH_WAIT_EXEC or UMH_WAIT_PROC,
 * with or without UMH_KILLABLE and, in the series, UMH_REAP, which is
 * refused in all but UMH_NO_WAIT|UMH_REAP) and a NULL, empty or real path;
 * a SIGKILL may reach its caller at any step.  With NREQ=2, request 1 is
 * a plain no-wait request (with or without UMH_REAP) that shares
 * running_helpers; that is more than 30 million states and 3 GB, too many
 * for make check.  The worker's fork may fail, the helper's init or exec
 * may fail, and one usermodehelper_disable() runs at any moment and may
 * time out.  Switches:
 *   -DNOTIMER        the disable never times out (for "wakeup")
 *   -DNO_WAIT_ONLY   request 0 is a plain UMH_NO_WAIT request
 *
 * Variants that must each break a property (checks of the checks):
 *   -DBASE -DKILLABLE_FALLBACK  the fallback wait of a killed caller is
 *                    killable too
 *   -DMUT_DOUBLE_UNLOCK  the caller drops the helper's count as well as
 *                    its own
 *   -DMUT_UNLOCK_AT_EXIT  the helper process drops its count when it
 *                    exits, not after its exec
 *   -DMUT_UNLOCK_AT_RELEASE  the helper's count drops when the request is
 *                    released, not after the exec
 *   -DMUT_WAKE_FIRST     umh_complete() looks at the wait queue before it
 *                    drops its reference
 *   -DMUT_CHILD_NO_REAP  the helper process completes a UMH_REAP request
 *                    after its exec, as for UMH_NO_WAIT
 *
 * Each Promela statement is atomic; a d_step or atomic block stands for
 * code that runs under a lock or as one atomic operation (refcount_*,
 * atomic_*, xchg).  The model is sequentially consistent: it checks the
 * protocol, not the memory barriers that implement it (the smp_mb() in
 * __usermodehelper_disable(), umh.c:565, and the one in helper_lock(),
 * :82, are not modelled).
 */

#ifndef NREQ
#define NREQ 1		/* 1 or 2 */
#endif

/* include/linux/umh.h (at the tip; the base has no UMH_REAP) */
#define UMH_NO_WAIT	0
#define UMH_WAIT_EXEC	1
#define UMH_WAIT_PROC	2
#define UMH_KILLABLE	4
#define UMH_REAP	16

/* Results, abstracted: the model tells errors apart only where it matters. */
#define R_OK		0	/* 0, or the raw status of a helper that ran */
#define R_EINVAL	1	/* no path */
#define R_EBUSY		2	/* helpers disabled */
#define R_ERESTARTSYS	3	/* fatal signal */
#define R_EFAIL		4	/* fork, init or exec of the helper failed */

/* Global kernel state */
short running_helpers;		/* may go negative if the protocol is wrong */
bool disabled;			/* usermodehelper_disabled != UMH_ENABLED */

/* struct subprocess_info, one per request */
byte users[NREQ];		/* refcount_t users (series) */
byte sub_wait[NREQ];		/* sub_info->wait */
byte sub_retval[NREQ];		/* sub_info->retval */
bool child_exited[NREQ];	/* what kernel_wait() waits for */
bool child_alive[NREQ];		/* the helper process exists */
bool pending[NREQ];		/* queued, and its helper is not yet past its exec */
#if defined(MUT_UNLOCK_AT_RELEASE) || defined(MUT_DOUBLE_UNLOCK)
bool queued[NREQ];		/* the request took the helper's count */
#endif
#ifdef BASE
bool complete[NREQ];		/* sub_info->complete != NULL */
bool done[NREQ];		/* the completion on the caller's stack */
bool stack_live[NREQ];		/* the caller is still in call_usermodehelper_exec() */
#endif

/* The caller's task */
byte mode[NREQ];
bool sigkill[NREQ];		/* a fatal signal is pending */
bool on_wq[NREQ];		/* on the wait queue (prepare_to_wait_event()) */
bool woken[NREQ];		/* a wake-up arrived since it got on the queue */
bool asleep[NREQ];		/* in schedule() */
bool unint[NREQ];		/* ... in a sleep that SIGKILL cannot end */
bool returned[NREQ];
byte ret[NREQ];

/* usermodehelper_disable() */
bool dis_on_wq, dis_woken, dis_asleep, dis_returned;
bool dis_ok;			/* it returned 0, and helpers stay disabled */

/* Observations, read by the properties at the end of the file */
byte cleanups[NREQ];		/* runs of sub_info->cleanup */
bool freed[NREQ];		/* kfree(sub_info) happened */
bool touched_freed;		/* a request was read or written after its kfree() */
bool touched_dead_stack;	/* complete() on a completion whose stack frame is gone */
bool started_late;		/* a helper forked or exec'd after disable returned 0 */
bool all_ended;			/* every process has ended */
bool stuck;			/* no process can move, but not all have ended */
byte live;			/* processes started and not ended */
bool leaked;			/* at the end, a request was not cleaned up exactly once */
bool reaped_early;		/* UMH_REAP: cleanup ran while the helper was alive */

#define SPAWN(p)	atomic { live++; run p }
#define SPAWN_CHILD(i)	atomic { live++; child_alive[i] = true; run child(i) }
#define KILLABLE(i)	((mode[i] & UMH_KILLABLE) != 0)
/*
 * The observations are assignments, not if/else: an if at the head of an
 * option starts in the same state as the enclosing selection, so its else
 * would be false whenever another option is open.
 */
#define TOUCH(i)	touched_freed = (touched_freed || freed[i])

/* A helper process starts: the worker forks it, or it execs. */
#define HELPER_STARTS	started_late = (started_late || dis_ok)

/* call_usermodehelper_freeinfo(), umh.c:41 (base :39): cleanup, then kfree() */
inline freeinfo(i)
{
	d_step {
		TOUCH(i);
		if
		:: (mode[i] & UMH_REAP) && child_alive[i] -> reaped_early = true
		:: else -> skip
		fi;
		cleanups[i]++;
		freed[i] = true
	}
}

/* helper_unlock(), umh.c:90 (base :326): the last one wakes the disabler */
inline dec_running()
{
	running_helpers--;
	if
	:: running_helpers == 0 && dis_on_wq -> dis_woken = true; dis_on_wq = false
	:: else -> skip
	fi
}

inline helper_unlock()
{
	d_step { dec_running() }
}

/*
 * What the caller passes: request 0 takes any mode and path; request 1,
 * when there is one, is a plain no-wait request (the mode whose count
 * changed), so that the two share running_helpers and the disable.
 */
#define P_REAL	0
#define P_NULL	1	/* sub_info->path == NULL */
#define P_EMPTY	2	/* the path is "" (STATIC_USERMODEHELPER_PATH="") */
#ifdef BASE
#define MAYREAP(i)	skip
#else
#define MAYREAP(i)	if :: mode[i] = mode[i] | UMH_REAP :: skip fi
#endif
#ifdef NO_WAIT_ONLY
#define ONLY_NO_WAIT	1	/* every request is a plain UMH_NO_WAIT one */
#else
#define ONLY_NO_WAIT	0
#endif
#define CHOOSE(i, path)							\
	atomic {							\
		if							\
		:: i == 0 && !ONLY_NO_WAIT ->				\
			if						\
			:: mode[i] = UMH_NO_WAIT			\
			:: mode[i] = UMH_WAIT_EXEC			\
			:: mode[i] = UMH_WAIT_PROC			\
			fi;						\
			if						\
			:: mode[i] = mode[i] | UMH_KILLABLE		\
			:: skip						\
			fi;						\
			MAYREAP(i);					\
			if						\
			:: path = P_REAL				\
			:: path = P_NULL				\
			:: path = P_EMPTY				\
			fi						\
		:: else ->						\
			mode[i] = UMH_NO_WAIT;				\
			if						\
			:: !ONLY_NO_WAIT -> MAYREAP(i)			\
			:: else -> skip					\
			fi;						\
			path = P_REAL					\
		fi							\
	}

#ifndef BASE
/* ---------------------------------------------------------------- series */

/*
 * umh_release(), umh.c:138: cleanup and free.
 *
 * -DMUT_UNLOCK_AT_RELEASE: the helper's count drops here, as long as the
 * request lives, instead of in umh_exec_done().
 */
inline umh_release(i)
{
	freeinfo(i);
#ifdef MUT_UNLOCK_AT_RELEASE
	if
	:: queued[i] -> helper_unlock()
	:: else -> skip
	fi
#endif
}

/*
 * umh_exec_done(), umh.c:106: the helper's count drops, once per queued
 * request, when the helper is past kernel_execve() (or failed to start).
 * It touches no request.  pending[] is the observation: from here on the
 * helper only runs its program, or exits.
 */
#ifdef MUT_UNLOCK_AT_RELEASE
#define EXEC_DONE(i)	pending[i] = false
#else
#define EXEC_DONE(i)	d_step { dec_running(); pending[i] = false }
#endif
/*
 * -DMUT_UNLOCK_AT_EXIT: the helper process drops the count when it exits
 * (the worker still drops it when the fork fails).
 */
#ifdef MUT_UNLOCK_AT_EXIT
#define CHILD_EXEC_DONE(i)	pending[i] = false
#define EXIT_UNLOCK()		dec_running()
#else
#define CHILD_EXEC_DONE(i)	EXEC_DONE(i)
#define EXIT_UNLOCK()		skip
#endif

/*
 * umh_complete(), umh.c:165: drop the worker's reference; the last one
 * releases, otherwise smp_mb() and wake_up_var() (:174-175).  The wake-up
 * only hashes the address and looks at the wait queue, so it is no access
 * to the request, which the caller may have freed by then.
 *
 * -DMUT_WAKE_FIRST: the wait queue is looked at before the decrement, as
 * the CPU may do it without the smp_mb(): a wake-up can be lost.
 */
inline umh_wake(i)
{
	d_step {
		if
		:: on_wq[i] -> woken[i] = true; on_wq[i] = false
		:: else -> skip
		fi
	}
}

inline umh_complete(i, last)
{
#ifdef MUT_WAKE_FIRST
	umh_wake(i);
#endif
	d_step {
		TOUCH(i);
		users[i]--;				/* refcount_dec_and_test(), :169 */
		last = (users[i] == 0)
	}
	if
	:: last -> umh_release(i)			/* :170 */
	:: else ->
#ifndef MUT_WAKE_FIRST
		umh_wake(i)
#else
		skip
#endif
	fi;
	last = false
}

/*
 * umh_reap_unqueued(), umh.c:288: a UMH_REAP request that gets no helper
 * goes to a kworker, umh_release_work() (:272), which only releases it.
 */
proctype releaser(byte i)
{
	umh_release(i);
	live--
}

inline umh_reap_unqueued(i)
{
	d_step { TOUCH(i); sub_retval[i] = ret[i] };	/* :289 */
	SPAWN(releaser(i));				/* queue_work(), :292 */
	ret[i] = R_OK					/* return 0, :292 */
}

/* umh_worker_reaps(), umh.c:222 */
#define REAPS(i)	((sub_wait[i] & (UMH_WAIT_PROC | UMH_REAP)) != 0)
/*
 * -DMUT_CHILD_NO_REAP: the helper process still tests UMH_WAIT_PROC alone
 * after its exec, as before UMH_REAP, while the worker reaps.
 */
#ifdef MUT_CHILD_NO_REAP
#define CHILD_REAPS(i)	((sub_wait[i] & UMH_WAIT_PROC) != 0)
#else
#define CHILD_REAPS(i)	REAPS(i)
#endif

/*
 * call_usermodehelper_exec(), umh.c:753, and the caller's side of
 * umh_wait_for_worker(), umh.c:188.
 */
proctype caller(byte i)
{
	bool waits, last;
	byte path;

	CHOOSE(i, path);
	if
	:: (mode[i] & UMH_REAP) && mode[i] != (UMH_NO_WAIT | UMH_REAP) ->
		/* umh_reap_allowed() :250 refuses it, cleanup runs here, :759-763 */
		freeinfo(i); ret[i] = R_EINVAL; goto leave
	:: else -> skip
	fi;
	if
	:: path == P_NULL && (mode[i] & UMH_REAP) ->
		ret[i] = R_EINVAL; umh_reap_unqueued(i); goto leave	/* :765-766 */
	:: path == P_NULL && !(mode[i] & UMH_REAP) ->
		freeinfo(i); ret[i] = R_EINVAL; goto leave	/* :767-768 */
	:: else -> skip
	fi;
	running_helpers++;				/* helper_lock(), :770 */
	if
	:: disabled -> ret[i] = R_EBUSY; goto out	/* :771-774 */
	:: else -> skip
	fi;
	if
	:: path == P_EMPTY -> ret[i] = R_OK; goto out	/* :781-782 */
	:: else -> skip
	fi;
	d_step {
		running_helpers++;			/* helper_lock(), the helper's count, :753 */
		pending[i] = true;
#if defined(MUT_UNLOCK_AT_RELEASE) || defined(MUT_DOUBLE_UNLOCK)
		queued[i] = true;
#endif
		sub_wait[i] = mode[i];			/* :755 */
		waits = ((mode[i] & ~UMH_REAP) != UMH_NO_WAIT);	/* :756 */
		if
		:: waits -> users[i]++			/* :798-799 */
		:: else -> skip
		fi
	}
	SPAWN(worker(i));				/* umh_queue_work(), :800 */
	if
	:: !waits -> ret[i] = R_OK; goto unlock		/* :801-802 */
	:: else -> skip
	fi;

	/*
	 * umh_wait_for_worker() calls ___wait_var_event(), :194, which gets on the
	 * queue, tests the condition, then the signal, then sleeps.  Getting
	 * on the queue and testing are one step here: a wake-up in between
	 * would find the caller on the queue, which is the same outcome.
	 */
	do
	:: atomic {
		on_wq[i] = true; woken[i] = false;	/* prepare_to_wait_event() */
		if
		:: users[i] == 1 ->			/* refcount_read() == 1, :195 */
			on_wq[i] = false;
			TOUCH(i);
			ret[i] = sub_retval[i];		/* :814-815 */
			break
		:: else -> skip
		fi;
		if
		:: KILLABLE(i) && sigkill[i] ->		/* -ERESTARTSYS, :197-198 */
			on_wq[i] = false;
			ret[i] = R_ERESTARTSYS;
			break
		:: else ->
			asleep[i] = true;		/* schedule() */
			unint[i] = !KILLABLE(i)
		fi
	   }
	   atomic {
		woken[i] || (KILLABLE(i) && sigkill[i]) ->
		asleep[i] = false; unint[i] = false; on_wq[i] = false
	   }
	od;
out:
	skip;
	if
	:: mode[i] & UMH_REAP -> umh_reap_unqueued(i)	/* :817-818 */
	:: else ->
		d_step {				/* umh_put_info(), :820, :152 */
			TOUCH(i);
			users[i]--;
			last = (users[i] == 0)
		}
		if
		:: last -> umh_release(i)		/* :153 */
		:: else -> skip
		fi
	fi;
unlock:
	skip;
	helper_unlock();				/* :786 */
#ifdef MUT_DOUBLE_UNLOCK
	/* -DMUT_DOUBLE_UNLOCK: the caller drops the helper's count too */
	if
	:: queued[i] -> helper_unlock()
	:: else -> skip
	fi;
#endif
leave:
	returned[i] = true;
	live--
}

/* call_usermodehelper_exec_async(), umh.c:299: the helper process */
proctype child(byte i)
{
	byte r;
	bool tmp;

	if
	:: r = R_EFAIL				/* prepare_kernel_cred() :324, init :335-336 */
	:: HELPER_STARTS;			/* kernel_execve(), :345 */
	   if
	   :: r = R_OK
	   :: r = R_EFAIL
	   fi
	fi;
	d_step {
		TOUCH(i);
		sub_retval[i] = r;		/* out:, :348-349 */
		TOUCH(i);
		r = CHILD_REAPS(i)		/* :353; r is reused as a flag */
	}
	if
	:: !r -> umh_complete(i, tmp)		/* :354 */
	:: else -> skip
	fi;
	CHILD_EXEC_DONE(i);			/* umh_exec_done(), :356 */
	/* the helper runs in user space, then exits (or do_exit(), :359) */
	d_step { child_exited[i] = true; child_alive[i] = false; EXIT_UNLOCK() };
	live--
}

/* call_usermodehelper_exec_work(), umh.c:416: the worker */
proctype worker(byte i)
{
	bool reaps, tmp;

	d_step {
		TOUCH(i);
		reaps = REAPS(i)			/* :400 */
	}
	if
	:: reaps ->				/* call_usermodehelper_exec_sync(), :383 */
		if
		:: d_step { TOUCH(i); sub_retval[i] = R_EFAIL };	/* fork failed, :390-391 */
		   EXEC_DONE(i)				/* umh_exec_done(), :392 */
		:: HELPER_STARTS;			/* umh_fork(), :389 */
		   SPAWN_CHILD(i);
		   child_exited[i];			/* kernel_wait(), :394 */
		   d_step { TOUCH(i); sub_retval[i] = R_OK }
		fi;
		umh_complete(i, tmp)				/* :378 */
	:: else ->
		if
		:: d_step { TOUCH(i); sub_retval[i] = R_EFAIL };	/* fork failed, :431-432 */
		   umh_complete(i, tmp);		/* :413 */
		   EXEC_DONE(i)				/* umh_exec_done(), :434 */
		:: HELPER_STARTS;			/* umh_fork(), :430 */
		   SPAWN_CHILD(i)
		fi
	fi;
	live--
}

#else
/* ------------------------------------------------------------------ base */

/*
 * umh_complete(), umh.c:46 at the base: whoever gets the pointer back from
 * the xchg() completes it, whoever gets NULL owns and frees the request.
 */
inline umh_complete(i, comp)
{
	d_step {
		TOUCH(i);
		comp = complete[i];			/* xchg(), :48 */
		complete[i] = false
	}
	if
	:: comp ->
		d_step {				/* complete(), :55 */
			if
			:: !stack_live[i] -> touched_dead_stack = true
			:: else -> skip
			fi;
			done[i] = true
		}
	:: else -> freeinfo(i)			/* :57 */
	fi;
	comp = false
}

#define REAPS(i)	((sub_wait[i] & UMH_WAIT_PROC) != 0)

/*
 * wait_for_completion_state(&done, st), used at :441 and :457: the
 * completion is tested first, then the signal, then the caller sleeps.
 */
inline wait_done(i, kill_ends)
{
	do
	:: atomic {
		if
		:: done[i] -> ret[i] = R_OK; break
		:: else -> skip
		fi;
		if
		:: kill_ends && sigkill[i] -> ret[i] = R_ERESTARTSYS; break
		:: else -> asleep[i] = true; unint[i] = !kill_ends
		fi
	   }
	   atomic {
		done[i] || (kill_ends && sigkill[i]) ->
		asleep[i] = false; unint[i] = false
	   }
	od
}

/* call_usermodehelper_exec(), umh.c:401 at the base */
proctype caller(byte i)
{
	bool comp;
	byte path;

	CHOOSE(i, path);
	stack_live[i] = true;			/* DECLARE_COMPLETION_ONSTACK(), :404 */
	if
	:: path == P_NULL -> freeinfo(i); ret[i] = R_EINVAL; goto leave	/* :407-410 */
	:: else -> skip
	fi;
	running_helpers++;			/* helper_lock(), :411 */
	if
	:: disabled -> ret[i] = R_EBUSY; goto out	/* :412-415 */
	:: else -> skip
	fi;
	if
	:: path == P_EMPTY -> ret[i] = R_OK; goto out	/* :422 */
	:: else -> skip
	fi;
	d_step {
		complete[i] = (mode[i] != UMH_NO_WAIT);	/* :430 */
		sub_wait[i] = mode[i];			/* :431 */
		pending[i] = true
	}
	SPAWN(worker(i));				/* queue_work(), :433 */
	if
	:: mode[i] == UMH_NO_WAIT -> ret[i] = R_OK; goto unlock	/* :434-435 */
	:: else -> skip
	fi;
	if
	:: KILLABLE(i) ->
		wait_done(i, true);		/* :441 */
		if
		:: ret[i] == R_OK -> goto got_done	/* :442-443 */
		:: else -> skip
		fi;
		d_step {
			comp = complete[i];		/* xchg(), :446 */
			complete[i] = false
		}
		if
		:: comp -> goto unlock		/* :446-447, ret is -ERESTARTSYS */
		:: else -> skip
		fi
		/* fall through: the worker is about to complete &done */
	:: else -> skip
	fi;
#ifdef KILLABLE_FALLBACK
	/*
	 * -DKILLABLE_FALLBACK: this wait is killable too, as in the code
	 * that "freezer,umh: Fix call_usermode_helper_exec() vs SIGKILL"
	 * (2023) repaired: a killed caller then leaves while the worker is
	 * about to complete its on-stack completion.
	 */
	wait_done(i, true);
#else
	wait_done(i, false);			/* uninterruptible, :457 */
#endif
got_done:
	skip;
	d_step { TOUCH(i); ret[i] = sub_retval[i] }	/* :460 */
out:
	skip;
	freeinfo(i);				/* :462 */
unlock:
	skip;
	helper_unlock();			/* :464 */
leave:
	skip;
	d_step {
		stack_live[i] = false;		/* return, :465 */
		returned[i] = true;
		live--
	}
}

/* call_usermodehelper_exec_async(), umh.c:63 at the base */
proctype child(byte i)
{
	byte r;
	bool tmp;

	if
	:: r = R_EFAIL				/* prepare_kernel_cred() :88, init :99 */
	:: HELPER_STARTS;			/* kernel_execve(), :109 */
	   if
	   :: r = R_OK
	   :: r = R_EFAIL
	   fi
	fi;
	d_step {
		TOUCH(i);
		sub_retval[i] = r;		/* :113 */
		TOUCH(i);
		r = REAPS(i)			/* :118 */
	}
	if
	:: !r -> umh_complete(i, tmp)		/* :119 */
	:: else -> skip
	fi;
	pending[i] = false;			/* past its exec, as umh_exec_done() in the series */
	d_step { child_exited[i] = true; child_alive[i] = false };
	live--
}

/* call_usermodehelper_exec_work(), umh.c:157 at the base */
proctype worker(byte i)
{
	bool reaps, tmp;

	d_step {
		TOUCH(i);
		reaps = REAPS(i)			/* :162 */
	}
	if
	:: reaps ->				/* call_usermodehelper_exec_sync(), :126 */
		if
		:: d_step { TOUCH(i); sub_retval[i] = R_EFAIL; pending[i] = false }	/* :133-134 */
		:: HELPER_STARTS;			/* user_mode_thread(), :132 */
		   SPAWN_CHILD(i);
		   child_exited[i];			/* kernel_wait(), :136 */
		   d_step { TOUCH(i); sub_retval[i] = R_OK }
		fi;
		umh_complete(i, tmp)				/* :140 */
	:: else ->
		if
		:: d_step { TOUCH(i); sub_retval[i] = R_EFAIL };	/* :173-174 */
		   umh_complete(i, tmp);		/* :175 */
		   pending[i] = false
		:: HELPER_STARTS;			/* user_mode_thread(), :171 */
		   SPAWN_CHILD(i)
		fi
	fi;
	live--
}
#endif /* BASE */

/*
 * __usermodehelper_disable(UMH_DISABLED), umh.c:527 (base :293): set the
 * depth (:570-572, base :300-302), then wait_event_timeout() (:590, base
 * :310) for running_helpers to be 0.  The smp_mb() between them (:546)
 * is not modelled: the model is sequentially consistent.  The 5 s timeout
 * is abstract: it may expire at any moment, and then helpers are enabled
 * again (:596-597, base :316-317).
 */
proctype disabler()
{
	disabled = true;			/* :535 (base :301) */
	do
	:: atomic {
		dis_on_wq = true; dis_woken = false;
		if
		:: running_helpers == 0 ->
			dis_on_wq = false; dis_ok = true; break	/* return 0, :593-594 (base :313-314) */
		:: else -> dis_asleep = true
		fi
	   }
	   if
	   :: atomic { dis_woken -> dis_asleep = false }
#ifndef NOTIMER
	   :: atomic {
		dis_asleep = false; dis_on_wq = false;
		disabled = false;		/* timed out: -EAGAIN, :596-597 */
		break
	      }
#endif
	   fi
	od;
	dis_returned = true;
	live--
}

/*
 * A fatal signal may reach caller 0 at any moment, or never.  Request 1
 * is a plain no-wait request, which a signal cannot affect.
 */
proctype killer()
{
	if
	:: sigkill[0] = true
	:: skip
	fi;
	live--
}

/*
 * Runs only when no other process can move: at the end of a run, or in a
 * deadlock (a process blocked for good, which init then waits for).
 */
active proctype watchdog()
{
end:	timeout -> stuck = !all_ended
}

init {
	byte k;

	atomic {
		k = 0;
		do
		:: k < NREQ ->
			users[k] = 1;		/* call_usermodehelper_setup(), :654 */
			live++;
			run caller(k);
			k++
		:: else -> break
		od;
		k = 0;
		live = live + 2;
		run disabler();
		run killer()
	}
	live == 0;			/* every other process has ended */
	d_step {
		k = 0;
		do
		:: k < NREQ ->
			if
			:: cleanups[k] != 1 -> leaked = true
			:: else -> skip
			fi;
			k++
		:: else -> break
		od;
		if
		:: running_helpers != 0 -> leaked = true
		:: else -> skip
		fi;
		all_ended = true
	}
}

/* ------------------------------------------------------------ properties */

/* The formulas name request 0, and request 1 if NREQ is 2. */
#if NREQ > 1
#define FOR1(p)		(p)
#else
#define FOR1(p)		true
#endif
#define RETURNED	(returned[0] && FOR1(returned[1]) && dis_returned)

/* Cleanup runs exactly once; nothing touches a request or the caller's
 * completion after its release. */
#define LIFETIME	!(touched_freed || touched_dead_stack || leaked)
ltl lifetime { [] LIFETIME }

/* With UMH_REAP, cleanup runs only once the helper process is gone. */
#define REAP_OK		!reaped_early
ltl reap { [] REAP_OK }

/* running_helpers never goes negative. */
#define COUNT		(running_helpers >= 0)
ltl count { [] COUNT }

/* No helper forks or execs once usermodehelper_disable() has returned 0. */
#define DISABLE		!started_late
ltl disable { [] DISABLE }

/*
 * Once no caller is in call_usermodehelper_exec() and every queued helper
 * is past its exec (or failed to start), running_helpers is 0: a helper
 * that runs its program, with nobody waiting for it, does not hold off
 * usermodehelper_disable().
 */
#define IDLE(i)		(returned[i] && !pending[i])
#define EXEC_OK		(!(IDLE(0) && FOR1(IDLE(1))) || running_helpers == 0)
ltl exec { [] EXEC_OK }

/* A killed UMH_KILLABLE caller never sleeps where SIGKILL cannot wake it. */
#define KILLED_UNINT(i)	(sigkill[i] && (mode[i] & UMH_KILLABLE) && unint[i])
#define KILLABLE_OK	!(KILLED_UNINT(0) || !FOR1(!KILLED_UNINT(1)))
ltl killable { [] KILLABLE_OK }

/* A caller that sleeps while the worker has let go is woken (and so is the
 * disabler once the count is 0).  Run with -DNOTIMER, weak fairness. */
#ifdef BASE
#define CALLER_READY(i)	done[i]
#else
#define CALLER_READY(i)	(users[i] == 1)
#endif
#define WAKES(i)	([] ((asleep[i] && CALLER_READY(i)) -> <> !asleep[i]))
ltl wakeup { WAKES(0) && FOR1(WAKES(1)) &&
	     [] ((dis_asleep && running_helpers == 0) -> <> !dis_asleep) }

/* No deadlock: the run always ends with every process ended. */
#define NO_DEADLOCK	!stuck
ltl deadlock { [] NO_DEADLOCK }

/* All the invariants above, in one search. */
ltl safety { [] (LIFETIME && REAP_OK && COUNT && DISABLE && EXEC_OK &&
		KILLABLE_OK && NO_DEADLOCK) }

/* Under weak fairness, every caller and the disabler return. */
ltl returns { <> RETURNED }
