// SPDX-License-Identifier: GPL-2.0
/*
 * The boot tests' request_module() storms, from kernel threads.
 *
 * On load, makes "count" requests, for "<prefix><i>" (i = 1..count, at
 * least "width" digits with leading zeros) or, with same=1, for "<prefix>"
 * every time:
 *
 *  - wait=0 (default): request_module_nowait() in a loop, then the load
 *    returns; the modprobes run on after it, and the scenario script
 *    counts them.
 *  - wait=1: one kthread per request, each calling request_module() and
 *    waiting for it; the load returns when every thread has its answer.
 *
 * With wait=1 fail=1 the threads opt in to failslab's task filter, so that
 * the allocations of request_module() and the usermode helper setup in
 * them can fail.
 *
 * Afterwards /sys/module/kmodt_storm/parameters/ says how many requests
 * failed (returned an error: modprobe's own exit status does not count),
 * the first error, how many errors were not -ENOMEM and the first of
 * those, and, with wait=1, the nanoseconds from the first request to the
 * last answer.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kmod.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

static unsigned int count = 200;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "number of requests");

static char *prefix = "kmns";
module_param(prefix, charp, 0444);
MODULE_PARM_DESC(prefix, "module name, or name prefix without same=1");

static unsigned int width;
module_param(width, uint, 0444);
MODULE_PARM_DESC(width, "digits of <i> at least, with leading zeros");
static bool same;
module_param(same, bool, 0444);
MODULE_PARM_DESC(same, "ask for the same name every time");

static bool wait;
module_param(wait, bool, 0444);
MODULE_PARM_DESC(wait, "one waiting request_module() per kthread");

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "wait=1: the threads' allocations may fail (failslab's task filter)");

static unsigned int errors;
module_param(errors, uint, 0444);
MODULE_PARM_DESC(errors, "number of requests that returned an error");

static int first_error;
module_param(first_error, int, 0444);
MODULE_PARM_DESC(first_error, "the first error returned, 0 if none");

static unsigned int other_errors;
module_param(other_errors, uint, 0444);
MODULE_PARM_DESC(other_errors, "number of errors other than -ENOMEM");

static int first_other_error;
module_param(first_other_error, int, 0444);
MODULE_PARM_DESC(first_other_error, "the first error other than -ENOMEM, 0 if none");

static unsigned long long wall_ns;
module_param(wall_ns, ullong, 0444);
MODULE_PARM_DESC(wall_ns, "wait=1: ns from the first request to the last answer");

static atomic_t pending;
static atomic_t failed;
static atomic_t first_err;
static atomic_t other;
static atomic_t first_other;
static DECLARE_COMPLETION(all_answered);

static void kmodt_storm_record(int ret)
{
	if (ret < 0) {
		atomic_inc(&failed);
		atomic_cmpxchg(&first_err, 0, ret);
	}
	/* Under allocation faults, anything else is a bug to report. */
	if (ret < 0 && ret != -ENOMEM) {
		atomic_inc(&other);
		atomic_cmpxchg(&first_other, 0, ret);
	}
}

static int kmodt_storm_request(unsigned int i, bool nowait)
{
	if (same)
		return __request_module(!nowait, "%s", prefix);
	return __request_module(!nowait, "%s%0*u", prefix, (int)width, i);
}

static int kmodt_storm_thread(void *data)
{
#ifdef CONFIG_FAULT_INJECTION
	/* Opt in to failslab's task filter: only these threads see faults. */
	current->make_it_fail = fail;
#endif
	kmodt_storm_record(kmodt_storm_request((unsigned long)data, false));
	if (atomic_dec_and_test(&pending))
		complete(&all_answered);
	/* Exit only through kthread_stop(): the module's code stays in use. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int kmodt_storm_threads(void)
{
	struct task_struct **tasks;
	unsigned int i, started = 0;
	int ret = 0;
	u64 t0;

	tasks = kcalloc(count, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	atomic_set(&pending, count + 1);
	t0 = ktime_get_ns();
	for (i = 1; i <= count; i++) {
		struct task_struct *t;

		t = kthread_run(kmodt_storm_thread, (void *)(unsigned long)i,
				"kmodt_storm/%u", i);
		if (IS_ERR(t)) {
			kmodt_storm_record(PTR_ERR(t));
			atomic_dec(&pending);
			continue;
		}
		tasks[started++] = t;
	}
	/*
	 * The extra count keeps all_answered from firing before this point.
	 * A killed modprobe stops waiting here; kthread_stop() below still
	 * waits for every thread's answer, so no thread outlives the module.
	 */
	if (!atomic_dec_and_test(&pending) &&
	    wait_for_completion_killable(&all_answered))
		ret = -EINTR;
	wall_ns = ktime_get_ns() - t0;
	for (i = 0; i < started; i++)
		kthread_stop(tasks[i]);
	kfree(tasks);
	return ret;
}

static int __init kmodt_storm_init(void)
{
	unsigned int i;
	int ret = 0;

	if (wait)
		ret = kmodt_storm_threads();
	else
		for (i = 1; i <= count; i++)
			kmodt_storm_record(kmodt_storm_request(i, true));
	errors = atomic_read(&failed);
	first_error = atomic_read(&first_err);
	other_errors = atomic_read(&other);
	first_other_error = atomic_read(&first_other);
	return ret;
}

static void __exit kmodt_storm_exit(void)
{
}

module_init(kmodt_storm_init);
module_exit(kmodt_storm_exit);
MODULE_DESCRIPTION("boot test: storms of request_module() calls");
MODULE_LICENSE("GPL");
