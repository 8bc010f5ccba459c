// SPDX-License-Identifier: GPL-2.0
/*
 * Test module of tests/vm/selftest.sh: WARNs once when loaded, so that the
 * test bed's detection of kernel warnings can be checked end to end.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init vm_selftest_warn_init(void)
{
	WARN(1, "nat64-vm selftest: deliberate warning\n");
	return 0;
}

static void __exit vm_selftest_warn_exit(void)
{
}

module_init(vm_selftest_warn_init);
module_exit(vm_selftest_warn_exit);
MODULE_DESCRIPTION("WARN on load (test bed self-test)");
MODULE_LICENSE("GPL");
