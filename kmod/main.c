// SPDX-License-Identifier: GPL-2.0
/* nat64: stateful NAT64 (RFC 6146) for Linux. Module init and exit only. */

#include <linux/module.h>
#include <net/genetlink.h>
#include "nat64.h"

static int __init nat64_init(void)
{
	int err;

	err = nat64_session_init();
	if (err)
		return err;
	err = register_pernet_subsys(&nat64_net_ops);
	if (err)
		goto err_pernet;
	err = nat64_genl_init();
	if (err)
		goto err_genl;
	pr_info("nat64: stateful NAT64 loaded\n");
	return 0;

err_genl:
	unregister_pernet_subsys(&nat64_net_ops);
err_pernet:
	nat64_session_exit();
	return err;
}

static void __exit nat64_exit(void)
{
	nat64_genl_exit();				/* no more configuration */
	unregister_pernet_subsys(&nat64_net_ops);	/* hooks, GC, tables */
	nat64_session_exit();				/* rcu_barrier, caches */
}

module_init(nat64_init);
module_exit(nat64_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stateful NAT64 (RFC 6146, RFC 7915, RFC 6052)");
MODULE_ALIAS_GENL_FAMILY(NAT64_GENL_NAME);
MODULE_VERSION("0.1");
