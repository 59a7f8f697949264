// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel report on purpose: loading this module prints a WARN() and so
 * taints the kernel (W).  The boot tests load it while a scenario runs
 * (boot_test.plant=SCENARIO) to show that such a report fails the boot and
 * is blamed on that scenario.  Nothing else may load it.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init kmodt_plant_init(void)
{
	WARN(1, "kmodt_plant: a planted warning for the boot test's negative test\n");
	return 0;
}
module_init(kmodt_plant_init);

static void __exit kmodt_plant_exit(void)
{
}
module_exit(kmodt_plant_exit);

MODULE_DESCRIPTION("Boot test fixture: a WARN() on load");
MODULE_LICENSE("GPL");
