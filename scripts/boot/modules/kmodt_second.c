// SPDX-License-Identifier: GPL-2.0
/*
 * Second half of the boot tests' "module loads module" scenario: loaded by
 * kmodt_first's request_module(), and depends on kmodt_first through the
 * symbol it uses.
 */
#include <linux/module.h>

#include "kmodt_first.h"

static int __init kmodt_second_init(void)
{
	return kmodt_first_ping() == 42 ? 0 : -EINVAL;
}

static void __exit kmodt_second_exit(void)
{
}

module_init(kmodt_second_init);
module_exit(kmodt_second_exit);
MODULE_DESCRIPTION("boot test: a module that depends on kmodt_first");
MODULE_LICENSE("GPL");
