// SPDX-License-Identifier: GPL-2.0
/*
 * Sequential costs for the benchmark, measured in the kernel: on load,
 * "iterations" call_usermodehelper() round trips of "helper" with
 * UMH_WAIT_PROC, then "iterations" request_module() calls for a module
 * that does not exist.  Total nanoseconds and error counts are readable
 * in /sys/module/kmodt_bench/parameters/ afterwards, with the size of the
 * kernel's struct subprocess_info.  Run under QEMU with
 * -icount, the clock counts guest instructions, so both kernels are
 * compared on work done rather than on host timing noise.
 */
#include <linux/kmod.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/umh.h>

static unsigned int iterations = 1000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "round trips of each kind");

static char *helper = "/sbin/umh-true";
module_param(helper, charp, 0444);
MODULE_PARM_DESC(helper, "usermode helper for the call_usermodehelper() loop");

static char *missing = "kmodt-missing";
module_param(missing, charp, 0444);
MODULE_PARM_DESC(missing, "module name for the request_module() loop");

static unsigned long long umh_ns;
module_param(umh_ns, ullong, 0444);
static unsigned int umh_errors;
module_param(umh_errors, uint, 0444);
static unsigned long long kmod_ns;
module_param(kmod_ns, ullong, 0444);
static unsigned int kmod_errors;
module_param(kmod_errors, uint, 0444);
static unsigned int subprocess_info_size = sizeof(struct subprocess_info);
module_param(subprocess_info_size, uint, 0444);

static int __init kmodt_bench_init(void)
{
	char *envp[] = { "HOME=/", "PATH=/sbin:/bin", NULL };
	char *argv[] = { helper, NULL };
	unsigned int i;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < iterations; i++)
		if (call_usermodehelper(helper, argv, envp, UMH_WAIT_PROC))
			umh_errors++;
	umh_ns = ktime_get_ns() - t0;

	/* A missing module: modprobe runs and fails, nothing is loaded. */
	t0 = ktime_get_ns();
	for (i = 0; i < iterations; i++)
		if (request_module("%s", missing) <= 0)
			kmod_errors++;
	kmod_ns = ktime_get_ns() - t0;
	return 0;
}

static void __exit kmodt_bench_exit(void)
{
}

module_init(kmodt_bench_init);
module_exit(kmodt_bench_exit);
MODULE_DESCRIPTION("boot test: cost of usermode helper and request_module() round trips");
MODULE_LICENSE("GPL");
