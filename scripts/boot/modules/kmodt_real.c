// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's real module: kmod's modprobe loads it, and its init
 * takes "init_ms" milliseconds (default 20, sleeping) before it succeeds.  It does
 * nothing else.  scripts/boot/boot-test.sh copies the built module into
 * kmodt_0001.ko ... kmodt_2000.ko for the benchmark, each renamed inside
 * (the name "kmodt_real" is ten bytes, as "kmodt_0001" is), so that N
 * distinct names are N real modules without building N of them.
 */
#include <linux/delay.h>
#include <linux/module.h>

static unsigned int init_ms = 20;
module_param(init_ms, uint, 0444);
MODULE_PARM_DESC(init_ms, "milliseconds that the module's init takes");

static int __init kmodt_real_init(void)
{
	if (init_ms)
		msleep(init_ms);
	return 0;
}
module_init(kmodt_real_init);

static void __exit kmodt_real_exit(void)
{
}
module_exit(kmodt_real_exit);

MODULE_DESCRIPTION("Boot-test fixture: a module whose init takes a given time");
MODULE_LICENSE("GPL");
