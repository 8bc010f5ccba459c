// SPDX-License-Identifier: GPL-2.0
/* The per-namespace instance: configuration, counters and state. */

#include <linux/mm.h>
#include <linux/slab.h>
#include "nat64.h"

unsigned int nat64_net_id __read_mostly;

/* Register the hooks of @nn's namespace when it is first configured. */
int nat64_instance_hooks(struct nat64_net *nn)
{
	if (nn->hook_ops)
		return 0;
	return nat64_hooks_register(nn);
}

/* One session for each 16 KiB of memory, as conntrack sizes its table. */
static u32 nat64_default_max_sessions(void)
{
	u64 n = (u64)totalram_pages() << PAGE_SHIFT >> 14;

	return clamp_t(u64, n, 1024, 1u << 24);
}

static int __net_init nat64_net_init(struct net *net)
{
	struct nat64_net *nn = nat64_pernet(net);
	int err;

	nn->net = net;
	nn->cfg.udp_tmo = 300 * HZ;
	nn->cfg.tcp_est_tmo = 7440 * HZ;
	nn->cfg.tcp_trans_tmo = 240 * HZ;
	nn->cfg.icmp_tmo = 60 * HZ;
	nn->cfg.max_sessions = nat64_default_max_sessions();
	nn->cfg.wkp_global_only = true;
	nn->cfg.max_stored_syns = 64;
	nn->cfg.lowest_mtu6 = IPV6_MIN_MTU;
	nn->cfg.sub_plen = 64;
	get_random_bytes(&nn->port_key, sizeof(nn->port_key));
	nn->syn_seed = get_random_u32();
	nn->stats = alloc_percpu(struct nat64_stats);
	if (!nn->stats)
		return -ENOMEM;
	err = nat64_state_init(nn);
	if (err)
		free_percpu(nn->stats);
	return err;
}

/*
 * The hooks go first: a packet already in them on another CPU may go on
 * using the instance, and the core waits for an RCU grace period between
 * .pre_exit and .exit (namespace exit and module unload alike).
 */
static void __net_exit nat64_net_pre_exit(struct net *net)
{
	struct nat64_net *nn = nat64_pernet(net);

	if (nn->hook_ops)
		nat64_hooks_unregister(nn);
}

static void __net_exit nat64_net_exit(struct net *net)
{
	struct nat64_net *nn = nat64_pernet(net);

	kfree(nn->hook_ops);
	nat64_state_exit(nn);
	kfree(rcu_dereference_protected(nn->prefixes, true));
	kfree(rcu_dereference_protected(nn->pool4, true));
	free_percpu(nn->stats);
}

struct pernet_operations nat64_net_ops = {
	.init = nat64_net_init,
	.pre_exit = nat64_net_pre_exit,
	.exit = nat64_net_exit,
	.id = &nat64_net_id,
	.size = sizeof(struct nat64_net),
};
