/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels nat64 builds for: Debian 12's 6.1 and
 * Debian 13's 6.12 (tests/k612/).  Every version test of the module lives
 * here; the rest of kmod/ uses the names below.
 */
#ifndef _NAT64_COMPAT_H
#define _NAT64_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * The attributes a dump request carried: 6.2 moved them from struct
 * genl_dumpit_info into the struct genl_info it now embeds.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define nat64_dump_attrs(dinfo)	((dinfo)->info.attrs)
#else
#define nat64_dump_attrs(dinfo)	((dinfo)->attrs)
#endif

#endif /* _NAT64_COMPAT_H */
