// SPDX-License-Identifier: GPL-2.0
/*
 * Test module of tests/kernel/selftest.sh: makes one deliberate bug of the
 * kind the debug kernel must catch, chosen by the "bug" parameter, so that
 * the test bed's detection (console scan, kmemleak scan) is checked end to
 * end.  bug=none loads and unloads cleanly.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "none, leak, uaf, oob, ubsan or lockdep");

static DEFINE_MUTEX(dbg_a);
static DEFINE_MUTEX(dbg_b);

static noinline void dbg_leak(void)
{
	/* allocated, filled, and the only pointer to it dropped */
	char *volatile p = kmalloc(200, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, 200);
	p = NULL;
}

static noinline void dbg_uaf(void)
{
	char *volatile p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("dbg_bugs: read after free: %d\n", READ_ONCE(p[8]));
}

static noinline void dbg_oob(void)
{
	char *volatile p = kmalloc(64, GFP_KERNEL);
	volatile int i = 64;

	if (!p)
		return;
	p[i] = 1;
	kfree(p);
}

static noinline void dbg_ubsan(void)
{
	volatile int shift = 40;
	volatile int one = 1;

	pr_info("dbg_bugs: shifted: %d\n", one << shift);
}

static noinline void dbg_lockdep(void)
{
	/* A then B, later B then A: a possible ABBA deadlock */
	mutex_lock(&dbg_a);
	mutex_lock(&dbg_b);
	mutex_unlock(&dbg_b);
	mutex_unlock(&dbg_a);
	mutex_lock(&dbg_b);
	mutex_lock(&dbg_a);
	mutex_unlock(&dbg_a);
	mutex_unlock(&dbg_b);
}

static int __init dbg_bugs_init(void)
{
	pr_info("dbg_bugs: bug=%s\n", bug);
	if (!strcmp(bug, "leak"))
		dbg_leak();
	else if (!strcmp(bug, "uaf"))
		dbg_uaf();
	else if (!strcmp(bug, "oob"))
		dbg_oob();
	else if (!strcmp(bug, "ubsan"))
		dbg_ubsan();
	else if (!strcmp(bug, "lockdep"))
		dbg_lockdep();
	else if (strcmp(bug, "none"))
		return -EINVAL;
	return 0;
}

static void __exit dbg_bugs_exit(void)
{
}

module_init(dbg_bugs_init);
module_exit(dbg_bugs_exit);
MODULE_DESCRIPTION("deliberate bugs for the debug kernel's self-test");
MODULE_LICENSE("GPL");
