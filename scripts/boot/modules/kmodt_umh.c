// SPDX-License-Identifier: GPL-2.0
/*
 * The usermode helper's successful paths, in every wait mode.
 *
 * On load, starts "helper" (the boot tests' stand-in modprobe, which
 * records each run under /run/mp) "rounds" times in each of the modes
 * below, with a cleanup callback that counts its calls, then waits, up to
 * "settle_ms", for the cleanups of the requests nobody waits for.  After a
 * successful exec the request is finished and may be released by the
 * helper process itself, so these paths are not those of a missing
 * program or of a failed exec.
 *
 * /sys/module/kmodt_umh/parameters/report then holds one word per mode,
 * "MODE:RET:CLEANUPS/ROUNDS", where RET is the first return value that
 * differed from the expected one (or the expected one), and "bad" the
 * number of calls that returned something else or whose cleanup did not
 * run exactly once.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/umh.h>

static char *helper = "/sbin/fake-modprobe";
module_param(helper, charp, 0444);
MODULE_PARM_DESC(helper, "program to run");

static unsigned int rounds = 20;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "calls per wait mode");

static unsigned int settle_ms = 30000;
module_param(settle_ms, uint, 0444);
MODULE_PARM_DESC(settle_ms, "longest wait for the cleanups of no-wait requests");

static char report[512];
module_param_string(report, report, sizeof(report), 0444);
MODULE_PARM_DESC(report, "MODE:RET:CLEANUPS/ROUNDS per mode");

static unsigned int bad;
module_param(bad, uint, 0444);
MODULE_PARM_DESC(bad, "calls with an unexpected result or cleanup count");

struct kmodt_umh_mode {
	const char *name;
	int wait;
	atomic_t cleanups;
	int first_ret;
};

/* The helper exits with 0 (the stand-in's configured status). */
static struct kmodt_umh_mode modes[] = {
	{ .name = "no-wait",		.wait = UMH_NO_WAIT },
	{ .name = "wait-exec",		.wait = UMH_WAIT_EXEC },
	{ .name = "wait-exec-killable",	.wait = UMH_WAIT_EXEC | UMH_KILLABLE },
	{ .name = "wait-proc",		.wait = UMH_WAIT_PROC },
	{ .name = "wait-proc-killable",	.wait = UMH_WAIT_PROC | UMH_KILLABLE },
	/*
	 * No UMH_NO_WAIT | UMH_REAP: it is for built-in code only and is
	 * refused, with a warning, for a module.  Every modprobe that the
	 * patched request_module() starts takes that path.
	 */
};

/* The four strings of an argv of kmodt_umh_call(), then the array. */
static void kmodt_umh_free_argv(char **argv)
{
	int i;

	for (i = 0; i < 4; i++)
		kfree(argv[i]);
	kfree(argv);
}

/* Runs once per request, wherever the usermode helper releases it. */
static void kmodt_umh_cleanup(struct subprocess_info *info)
{
	struct kmodt_umh_mode *mode = info->data;

	kmodt_umh_free_argv(info->argv);
	atomic_inc(&mode->cleanups);
}

static int kmodt_umh_call(struct kmodt_umh_mode *mode, unsigned int i)
{
	static char *envp[] = { "HOME=/", "PATH=/sbin:/bin", NULL };
	struct subprocess_info *info;
	char **argv;

	/* "HELPER -q -- NAME": the stand-in records NAME as the module. */
	argv = kcalloc(5, sizeof(*argv), GFP_KERNEL);
	if (!argv)
		return -ENOMEM;
	argv[0] = kstrdup(helper, GFP_KERNEL);
	argv[1] = kstrdup("-q", GFP_KERNEL);
	argv[2] = kstrdup("--", GFP_KERNEL);
	argv[3] = kasprintf(GFP_KERNEL, "umh-%s-%u", mode->name, i);
	if (!argv[0] || !argv[1] || !argv[2] || !argv[3])
		goto free_argv;
	info = call_usermodehelper_setup(argv[0], argv, envp, GFP_KERNEL,
					 NULL, kmodt_umh_cleanup, mode);
	if (!info)
		goto free_argv;
	return call_usermodehelper_exec(info, mode->wait);

free_argv:
	kmodt_umh_free_argv(argv);
	return -ENOMEM;
}

static int __init kmodt_umh_init(void)
{
	unsigned long end;
	size_t len = 0;
	unsigned int i;
	int m, ret;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		for (i = 0; i < rounds; i++) {
			ret = kmodt_umh_call(&modes[m], i);
			if (ret && !modes[m].first_ret)
				modes[m].first_ret = ret;
			if (ret)
				bad++;
		}
	}
	end = jiffies + msecs_to_jiffies(settle_ms);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		while (atomic_read(&modes[m].cleanups) < rounds &&
		       time_before(jiffies, end))
			msleep(20);
	}
	/* A cleanup that runs twice would show up here, after the waits. */
	msleep(200);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		int c = atomic_read(&modes[m].cleanups);

		if (c != rounds)
			bad += abs(c - (int)rounds);
		len += scnprintf(report + len, sizeof(report) - len, "%s%s:%d:%d/%u",
				 m ? " " : "", modes[m].name, modes[m].first_ret,
				 c, rounds);
	}
	return 0;
}
module_init(kmodt_umh_init);

static void __exit kmodt_umh_exit(void)
{
}
module_exit(kmodt_umh_exit);

MODULE_DESCRIPTION("Boot test fixture: successful usermode helpers in every wait mode");
MODULE_LICENSE("GPL");
