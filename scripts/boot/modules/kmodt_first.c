// SPDX-License-Identifier: GPL-2.0
/*
 * First half of the boot tests' "module loads module" scenario.
 *
 * On load it starts a kthread that asks for kmodt_second with
 * request_module().  kmodt_second uses kmodt_first_ping(), exported here,
 * so depmod records that it depends on this module, and this module stays
 * in use for as long as kmodt_second is loaded.  What request_module()
 * returned is readable in /sys/module/kmodt_first/parameters/request_result
 * once the kthread is done (INT_MIN until then).
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kmod.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/sched/task.h>

#include "kmodt_first.h"

static int request_result = INT_MIN;
module_param(request_result, int, 0444);
MODULE_PARM_DESC(request_result, "return value of request_module(\"kmodt_second\")");

static struct task_struct *requester;

/**
 * kmodt_first_ping() - the symbol kmodt_second depends on
 *
 * Return: a constant that kmodt_second checks.
 */
int kmodt_first_ping(void)
{
	return 42;
}
EXPORT_SYMBOL_GPL(kmodt_first_ping);

static int kmodt_first_request(void *unused)
{
	/* Written once, read through sysfs: no lock needed. */
	WRITE_ONCE(request_result, request_module("kmodt_second"));
	/* Stay until kthread_stop(): the exit path owns the task. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int __init kmodt_first_init(void)
{
	struct task_struct *t;

	t = kthread_run(kmodt_first_request, NULL, "kmodt_first");
	if (IS_ERR(t))
		return PTR_ERR(t);
	requester = t;
	return 0;
}

static void __exit kmodt_first_exit(void)
{
	kthread_stop(requester);
}

module_init(kmodt_first_init);
module_exit(kmodt_first_exit);
MODULE_DESCRIPTION("boot test: a module whose load requests another module");
MODULE_LICENSE("GPL");
