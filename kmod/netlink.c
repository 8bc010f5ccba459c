// SPDX-License-Identifier: GPL-2.0
/* Generic netlink family "nat64": see include/uapi/linux/nat64.h. */

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <linux/inetdevice.h>
#include "nat64.h"
#include "compat.h"

static struct genl_family nat64_family;

/* The family is not parallel_ops: genl_mutex serializes every update. */
#define nat64_cfg(p)	rcu_dereference_protected(p, true)

/* { min, max } */
static struct netlink_range_validation nat64_tmo_range __ro_after_init = { 1, 86400 };
static struct netlink_range_validation nat64_est_range __ro_after_init = { 1, 2000000 };
static struct netlink_range_validation nat64_max_range __ro_after_init = { 1, 1u << 31 };
static struct netlink_range_validation nat64_syns_range __ro_after_init = { 0, 4096 };
static struct netlink_range_validation nat64_mtu6_range __ro_after_init = { 1280, 65535 };
static struct netlink_range_validation nat64_sub_range __ro_after_init = { 0, 1u << 31 };

/*
 * NAT64_A_PROTO, if given: 0 if absent, else TCP, UDP or ICMP. Not a policy
 * validate function: 6.1's policy dump and extack policy reports read an
 * integer's range from the union that holds its pointer, and warn.
 */
static int nat64_proto_get(const struct nlattr *attr, u8 *proto,
			   struct netlink_ext_ack *extack)
{
	*proto = attr ? nla_get_u8(attr) : 0;
	if (!attr || *proto == IPPROTO_TCP || *proto == IPPROTO_UDP || *proto == IPPROTO_ICMP)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "protocol must be TCP, UDP or ICMP");
	return -EINVAL;
}

static const struct nla_policy nat64_policy[NAT64_A_MAX + 1] = {
	[NAT64_A_PREFIX6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NAT64_A_PREFIX6_LEN] = NLA_POLICY_RANGE(NLA_U8, 0, 128),
	[NAT64_A_ADDR4] = { .type = NLA_BE32 },
	[NAT64_A_ADDR4_LEN] = NLA_POLICY_RANGE(NLA_U8, 16, 32),
	[NAT64_A_PROTO] = NLA_POLICY_RANGE(NLA_U8, IPPROTO_ICMP, IPPROTO_UDP),
	[NAT64_A_PROTOS] = NLA_POLICY_MASK(NLA_U8, NAT64_PROTO_F_ALL),
	[NAT64_A_PORT_MIN] = { .type = NLA_U16 },
	[NAT64_A_PORT_MAX] = { .type = NLA_U16 },
	[NAT64_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[NAT64_A_PORT6] = { .type = NLA_U16 },
	[NAT64_A_PORT4] = { .type = NLA_U16 },
	[NAT64_A_CFG_UDP_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_tmo_range),
	[NAT64_A_CFG_TCP_EST_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_est_range),
	[NAT64_A_CFG_TCP_TRANS_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_tmo_range),
	[NAT64_A_CFG_ICMP_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_tmo_range),
	[NAT64_A_CFG_MAX_SESSIONS] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_max_range),
	[NAT64_A_FORCE] = { .type = NLA_FLAG },
	[NAT64_A_STATIC] = { .type = NLA_FLAG },	/* binding dump filter */
	[NAT64_A_CFG_WKP_GLOBAL_ONLY] = NLA_POLICY_MAX(NLA_U8, 1),
	[NAT64_A_CFG_DROP_EXTERNAL_TCP] = NLA_POLICY_MAX(NLA_U8, 1),
	[NAT64_A_CFG_ADF] = NLA_POLICY_MAX(NLA_U8, 1),
	[NAT64_A_CFG_MAX_STORED_SYNS] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_syns_range),
	[NAT64_A_CFG_LOWEST_IPV6_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_mtu6_range),
	[NAT64_A_CFG_MAX_SESS_PER_SUB] = NLA_POLICY_FULL_RANGE(NLA_U32, &nat64_sub_range),
	[NAT64_A_CFG_SUB_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 32, 128),
};

static struct nat64_net *nat64_info_net(struct genl_info *info)
{
	return nat64_pernet(genl_info_net(info));
}

/* @msg is a string literal: extack keeps the pointer. */
static int nat64_err(struct genl_info *info, int attr, const char *msg, int err)
{
	info->extack->_msg = msg;
	if (attr && info->attrs[attr])
		info->extack->bad_attr = info->attrs[attr];
	return err;
}

#define NAT64_NEED(info, attr, what)						\
	do {									\
		if (!(info)->attrs[attr])					\
			return nat64_err(info, 0, "missing " what, -EINVAL);	\
	} while (0)

static void *nat64_put_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &nat64_family, NLM_F_MULTI, cmd);
}

/* --- prefixes --- */

static bool nat64_match_prefix(struct nat64_net *nn, struct nat64_session *s,
			       struct nat64_bib *b, const void *arg)
{
	const unsigned int *slot = arg;

	return s->pidx == *slot;
}

/* Publish a copy of @old (NULL: empty) with slot @i set to @p (len 0: freed). */
static int nat64_prefix_publish(struct nat64_net *nn, struct nat64_prefixes *old,
				unsigned int i, const struct nat64_prefix *p)
{
	struct nat64_prefixes *new = kzalloc(sizeof(*new), GFP_KERNEL);

	if (!new)
		return -ENOMEM;
	if (old)
		*new = *old;
	new->p[i] = *p;
	if (i >= new->n)
		new->n = i + 1;
	while (new->n && !new->p[new->n - 1].len)
		new->n--;
	rcu_assign_pointer(nn->prefixes, new);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/*
 * A prefix keeps its slot while it lives: sessions name their prefix by
 * slot. Deletion marks the slot going (no new sessions), waits for the
 * packets that matched it before, removes its sessions, then frees it.
 */
static int nat64_prefix_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	struct nat64_prefixes *old = nat64_cfg(nn->prefixes);
	bool add = info->genlhdr->cmd == NAT64_CMD_PREFIX_ADD;
	unsigned int i, n = old ? old->n : 0, slot = n, used = 0;
	struct nat64_prefix p = {};
	const char *why;
	int err;

	NAT64_NEED(info, NAT64_A_PREFIX6, "prefix address");
	NAT64_NEED(info, NAT64_A_PREFIX6_LEN, "prefix length");
	nla_memcpy(&p.addr, info->attrs[NAT64_A_PREFIX6], sizeof(p.addr));
	p.len = nla_get_u8(info->attrs[NAT64_A_PREFIX6_LEN]);
	why = nat64_prefix_check(&p.addr, p.len);
	if (why)
		return nat64_err(info, NAT64_A_PREFIX6, why, -EINVAL);
	for (i = 0; i < n; i++) {
		if (!old->p[i].len) {
			slot = min(slot, i);
			continue;
		}
		used++;
		if (old->p[i].len == p.len && ipv6_addr_equal(&old->p[i].addr, &p.addr))
			break;
	}
	if (add && i < n)
		return nat64_err(info, NAT64_A_PREFIX6, "prefix already configured", -EEXIST);
	if (!add && i == n)
		return nat64_err(info, NAT64_A_PREFIX6, "no such prefix", -ENOENT);
	if (add && used == NAT64_MAX_PREFIXES)
		return nat64_err(info, 0, "too many prefixes", -ENOSPC);
	if (add) {
		err = nat64_instance_hooks(nn);
		if (err)
			return nat64_err(info, 0, "cannot register netfilter hooks", err);
		return nat64_prefix_publish(nn, old, slot, &p);
	}
	p.going = true;
	err = nat64_prefix_publish(nn, old, i, &p);
	if (err)
		return err;
	synchronize_net();
	nat64_state_flush(nn, nat64_match_prefix, &i, false, NAT64_RSN_CONFIG);
	memset(&p, 0, sizeof(p));
	return nat64_prefix_publish(nn, nat64_cfg(nn->prefixes), i, &p);
}

static int nat64_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nat64_net *nn = nat64_pernet(sock_net(skb->sk));
	const struct nat64_prefixes *pf;
	unsigned int i;
	void *hdr;

	rcu_read_lock();
	pf = rcu_dereference(nn->prefixes);
	for (i = cb->args[0]; pf && i < pf->n; i++) {
		if (!pf->p[i].len || pf->p[i].going)
			continue;
		hdr = nat64_put_hdr(skb, cb, NAT64_CMD_PREFIX_GET);
		if (!hdr)
			break;
		if (nla_put_in6_addr(skb, NAT64_A_PREFIX6, &pf->p[i].addr) ||
		    nla_put_u8(skb, NAT64_A_PREFIX6_LEN, pf->p[i].len)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* --- pool4 --- */

static const u8 nat64_protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };

static bool nat64_bib_outside_pool(struct nat64_net *nn, struct nat64_session *s,
				   struct nat64_bib *b, const void *arg)
{
	const struct nat64_pool4 *pool = rcu_dereference(nn->pool4);
	unsigned int i;

	for (i = 0; pool && i < pool->n; i++)
		if (nat64_pool4_contains(&pool->e[i], b->k4.proto, b->k4.addr,
					 ntohs(b->k4.port)))
			return false;
	return true;
}

static int nat64_pool4_publish(struct nat64_net *nn, struct nat64_pool4 *new)
{
	struct nat64_pool4 *old = nat64_cfg(nn->pool4);

	rcu_assign_pointer(nn->pool4, new);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/*
 * TCP/UDP ports of an address the box owns that overlap its ephemeral range:
 * replies to the box's own connections would be taken for translated ones.
 */
static bool nat64_pool4_hits_local(struct net *net, const struct nat64_pool4_entry *e)
{
	u32 mask = ~0u << (32 - e->plen);
	const struct in_ifaddr *ifa;
	struct net_device *dev;
	bool hit = false;
	int lo, hi;

	if (e->proto == IPPROTO_ICMP)
		return false;
	inet_get_local_port_range(net, &lo, &hi);
	if (e->pmax < lo || e->pmin > hi)
		return false;
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		struct in_device *in_dev = __in_dev_get_rcu(dev);

		if (!in_dev)
			continue;
		in_dev_for_each_ifa_rcu(ifa, in_dev)
			if ((ntohl(ifa->ifa_local) & mask) == ntohl(e->addr))
				hit = true;
	}
	rcu_read_unlock();
	return hit;
}

static int nat64_pool4_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	struct nat64_pool4 *old = nat64_cfg(nn->pool4), *new;
	bool add = info->genlhdr->cmd == NAT64_CMD_POOL4_ADD;
	u8 plen = 32, protos = NAT64_PROTO_F_ALL;
	unsigned int i, j, removed = 0;
	u32 pmin = 0, pmax = 0xffff;
	bool ports = false;
	__be32 addr;
	int err;

	NAT64_NEED(info, NAT64_A_ADDR4, "IPv4 address");
	addr = nla_get_be32(info->attrs[NAT64_A_ADDR4]);
	if (info->attrs[NAT64_A_ADDR4_LEN])
		plen = nla_get_u8(info->attrs[NAT64_A_ADDR4_LEN]);
	if (info->attrs[NAT64_A_PROTOS])
		protos = nla_get_u8(info->attrs[NAT64_A_PROTOS]);
	if (!protos)
		return nat64_err(info, NAT64_A_PROTOS, "no protocol given", -EINVAL);
	if (ntohl(addr) & ~(~0u << (32 - plen)))
		return nat64_err(info, NAT64_A_ADDR4,
				 "pool4 address has bits set after its length", -EINVAL);
	if (info->attrs[NAT64_A_PORT_MIN] || info->attrs[NAT64_A_PORT_MAX]) {
		NAT64_NEED(info, NAT64_A_PORT_MIN, "lowest port");
		NAT64_NEED(info, NAT64_A_PORT_MAX, "highest port");
		pmin = nla_get_u16(info->attrs[NAT64_A_PORT_MIN]);
		pmax = nla_get_u16(info->attrs[NAT64_A_PORT_MAX]);
		ports = true;
		if (pmin > pmax)
			return nat64_err(info, NAT64_A_PORT_MIN,
					 "port range: lowest port above highest", -EINVAL);
	}

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	if (old)
		*new = *old;
	if (add) {
		for (j = 0; j < ARRAY_SIZE(nat64_protos); j++) {
			struct nat64_pool4_entry e = {
				.addr = addr, .plen = plen, .proto = nat64_protos[j],
				.pmin = pmin, .pmax = pmax,
			};

			if (!(protos & (1 << j)))
				continue;
			if (e.proto != IPPROTO_ICMP && !e.pmin) {
				if (ports && pmax == 0) {
					kfree(new);
					return nat64_err(info, NAT64_A_PORT_MIN,
							 "TCP and UDP cannot use port 0", -EINVAL);
				}
				e.pmin = 1;
			}
			for (i = 0; i < new->n; i++)
				if (nat64_pool4_overlap(&new->e[i], &e))
					break;
			if (i < new->n) {
				kfree(new);
				return nat64_err(info, NAT64_A_ADDR4,
						 "overlaps an existing pool4 entry of the same protocol",
						 -EEXIST);
			}
			if (!info->attrs[NAT64_A_FORCE] &&
			    nat64_pool4_hits_local(genl_info_net(info), &e)) {
				kfree(new);
				return nat64_err(info, NAT64_A_PORT_MIN,
						 "pool4 ports overlap the ephemeral range (net.ipv4.ip_local_port_range) of an address this box owns: choose ports outside it, or force",
						 -EADDRINUSE);
			}
			if (new->n == NAT64_MAX_POOL4) {
				kfree(new);
				return nat64_err(info, 0, "too many pool4 entries", -ENOSPC);
			}
			new->e[new->n++] = e;
		}
		err = nat64_instance_hooks(nn);
		if (err) {
			kfree(new);
			return nat64_err(info, 0, "cannot register netfilter hooks", err);
		}
		return nat64_pool4_publish(nn, new);
	}

	for (i = 0; i < new->n; ) {
		struct nat64_pool4_entry *e = &new->e[i];
		int bit = e->proto == IPPROTO_TCP ? NAT64_PROTO_F_TCP :
			  e->proto == IPPROTO_UDP ? NAT64_PROTO_F_UDP : NAT64_PROTO_F_ICMP;
		u16 lo = e->proto != IPPROTO_ICMP && !pmin ? 1 : pmin;	/* as add stores it */

		if (e->addr == addr && e->plen == plen && (protos & bit) &&
		    (!ports || (e->pmin == lo && e->pmax == pmax))) {
			*e = new->e[--new->n];
			removed++;
		} else {
			i++;
		}
	}
	if (!removed) {
		kfree(new);
		return nat64_err(info, NAT64_A_ADDR4, "no such pool4 entry", -ENOENT);
	}
	nat64_pool4_publish(nn, new);
	/* a binding made on the old pool is in the tables before the walk */
	synchronize_net();
	nat64_state_flush(nn, nat64_bib_outside_pool, NULL, true, NAT64_RSN_CONFIG);
	return 0;
}

static int nat64_pool4_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);

	nat64_pool4_publish(nn, NULL);
	synchronize_net();	/* as in nat64_pool4_doit */
	nat64_state_flush(nn, NULL, NULL, true, NAT64_RSN_FLUSHED);
	return 0;
}

static int nat64_pool4_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nat64_net *nn = nat64_pernet(sock_net(skb->sk));
	const struct nat64_pool4 *pool;
	unsigned int i;
	void *hdr;

	rcu_read_lock();
	pool = rcu_dereference(nn->pool4);
	for (i = cb->args[0]; pool && i < pool->n; i++) {
		const struct nat64_pool4_entry *e = &pool->e[i];

		hdr = nat64_put_hdr(skb, cb, NAT64_CMD_POOL4_GET);
		if (!hdr)
			break;
		if (nla_put_be32(skb, NAT64_A_ADDR4, e->addr) ||
		    nla_put_u8(skb, NAT64_A_ADDR4_LEN, e->plen) ||
		    nla_put_u8(skb, NAT64_A_PROTO, e->proto) ||
		    nla_put_u16(skb, NAT64_A_PORT_MIN, e->pmin) ||
		    nla_put_u16(skb, NAT64_A_PORT_MAX, e->pmax)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* --- bindings --- */

static int nat64_bib_key6(struct genl_info *info, struct nat64_bkey6 *k6)
{
	NAT64_NEED(info, NAT64_A_PROTO, "protocol");
	NAT64_NEED(info, NAT64_A_ADDR6, "IPv6 address");
	NAT64_NEED(info, NAT64_A_PORT6, "IPv6 port");
	memset(k6, 0, sizeof(*k6));
	if (nat64_proto_get(info->attrs[NAT64_A_PROTO], &k6->proto, info->extack))
		return -EINVAL;
	nla_memcpy(&k6->addr, info->attrs[NAT64_A_ADDR6], sizeof(k6->addr));
	k6->port = htons(nla_get_u16(info->attrs[NAT64_A_PORT6]));
	return 0;
}

static int nat64_bib_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	const struct nat64_pool4 *pool = nat64_cfg(nn->pool4);
	const struct nat64_prefixes *pf = nat64_cfg(nn->prefixes);
	struct nat64_bkey6 k6;
	struct nat64_bkey4 k4 = {};
	const char *msg = NULL;
	unsigned int i;
	int err;

	err = nat64_bib_key6(info, &k6);
	if (err)
		return err;
	NAT64_NEED(info, NAT64_A_ADDR4, "IPv4 address");
	NAT64_NEED(info, NAT64_A_PORT4, "IPv4 port");
	k4.addr = nla_get_be32(info->attrs[NAT64_A_ADDR4]);
	k4.port = htons(nla_get_u16(info->attrs[NAT64_A_PORT4]));
	k4.proto = k6.proto;
	for (i = 0; pool && i < pool->n; i++)
		if (nat64_pool4_contains(&pool->e[i], k4.proto, k4.addr, ntohs(k4.port)))
			break;
	if (!pool || i == pool->n)
		return nat64_err(info, NAT64_A_ADDR4,
				 "IPv4 transport address is not in pool4 for this protocol",
				 -EINVAL);
	for (i = 0; pf && i < pf->n; i++)
		if (pf->p[i].len && nat64_prefix_match(&pf->p[i].addr, pf->p[i].len, &k6.addr))
			return nat64_err(info, NAT64_A_ADDR6,
					 "IPv6 address lies inside a translation prefix",
					 -EINVAL);
	err = nat64_instance_hooks(nn);
	if (err)
		return nat64_err(info, 0, "cannot register netfilter hooks", err);
	err = nat64_bib_add_static(nn, &k6, &k4, &msg);
	if (err && msg)
		return nat64_err(info, NAT64_A_ADDR4, msg, err);
	return err;
}

static int nat64_bib_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	struct nat64_bkey6 k6;
	int err;

	err = nat64_bib_key6(info, &k6);
	if (err)
		return err;
	if (nat64_bib_del(nn, &k6))
		return nat64_err(info, NAT64_A_ADDR6, "no such binding", -ENOENT);
	return 0;
}

/* Dumps of the hash tables keep a walker between calls. */
struct nat64_dump {
	struct rhashtable_iter it;
	u8 proto;
	bool static_only;	/* bindings: what nat64ctl save needs */
};

static int nat64_table_start(struct netlink_callback *cb, bool sessions)
{
	struct nat64_net *nn = nat64_pernet(sock_net(cb->skb->sk));
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nat64_dump *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	/* no message: 6.1 gives a dump's start no extack */
	if (nat64_proto_get(nat64_dump_attrs(info)[NAT64_A_PROTO], &d->proto, NULL)) {
		kfree(d);
		return -EINVAL;
	}
	d->static_only = !sessions && nat64_dump_attrs(info)[NAT64_A_STATIC];
	rhashtable_walk_enter(sessions ? &nn->sess6 : &nn->bib6, &d->it);
	cb->args[0] = (long)d;
	return 0;
}

static int nat64_bib_start(struct netlink_callback *cb)
{
	return nat64_table_start(cb, false);
}

static int nat64_session_start(struct netlink_callback *cb)
{
	return nat64_table_start(cb, true);
}

static int nat64_table_done(struct netlink_callback *cb)
{
	struct nat64_dump *d = (struct nat64_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->it);
		kfree(d);
	}
	return 0;
}

static int nat64_fill_bib(struct sk_buff *skb, const struct nat64_bib *b)
{
	if (nla_put_u8(skb, NAT64_A_PROTO, b->k6.proto) ||
	    nla_put_in6_addr(skb, NAT64_A_ADDR6, &b->k6.addr) ||
	    nla_put_u16(skb, NAT64_A_PORT6, ntohs(b->k6.port)) ||
	    nla_put_be32(skb, NAT64_A_ADDR4, b->k4.addr) ||
	    nla_put_u16(skb, NAT64_A_PORT4, ntohs(b->k4.port)) ||
	    nla_put_u32(skb, NAT64_A_SESSIONS, READ_ONCE(b->sessions)) ||
	    (READ_ONCE(b->is_static) && nla_put_flag(skb, NAT64_A_STATIC)) ||
	    (b->unpaired && nla_put_flag(skb, NAT64_A_UNPAIRED)))
		return -EMSGSIZE;
	return 0;
}

static int nat64_fill_session(struct sk_buff *skb, struct nat64_net *nn,
			      const struct nat64_session *s)
{
	long left = (s32)(READ_ONCE(s->expires) - (u32)jiffies);
	struct in6_addr remote6;
	bool has6;

	rcu_read_lock();
	has6 = nat64_sess_remote6(rcu_dereference(nn->prefixes), s, &remote6);
	rcu_read_unlock();
	if (nla_put_u8(skb, NAT64_A_PROTO, s->proto) ||
	    nla_put_in6_addr(skb, NAT64_A_ADDR6, &s->src6) ||
	    nla_put_u16(skb, NAT64_A_PORT6, ntohs(s->port6)) ||
	    (has6 && nla_put_in6_addr(skb, NAT64_A_REMOTE6, &remote6)) ||
	    nla_put_be32(skb, NAT64_A_ADDR4, s->pool_addr) ||
	    nla_put_u16(skb, NAT64_A_PORT4, ntohs(s->pool_port)) ||
	    nla_put_be32(skb, NAT64_A_REMOTE4, s->addr4) ||
	    nla_put_u16(skb, NAT64_A_REMOTE_PORT, ntohs(s->rport)) ||
	    (s->proto == IPPROTO_TCP &&
	     nla_put_u8(skb, NAT64_A_TCP_STATE, READ_ONCE(s->state))) ||
	    nla_put_u64_64bit(skb, NAT64_A_EXPIRES_MS,
			      left > 0 ? jiffies_to_msecs(left) : 0, NAT64_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int nat64_table_dump(struct sk_buff *skb, struct netlink_callback *cb,
			    bool sessions)
{
	struct nat64_net *nn = nat64_pernet(sock_net(skb->sk));
	struct nat64_dump *d = (struct nat64_dump *)cb->args[0];
	void *obj, *hdr;
	int err = 0;

	rhashtable_walk_start(&d->it);
	for (obj = rhashtable_walk_peek(&d->it); obj; obj = rhashtable_walk_next(&d->it)) {
		u8 proto;

		if (IS_ERR(obj)) {
			if (PTR_ERR(obj) == -EAGAIN)
				continue;
			err = PTR_ERR(obj);
			break;
		}
		proto = sessions ? ((struct nat64_session *)obj)->proto :
				   ((struct nat64_bib *)obj)->k6.proto;
		if ((d->proto && proto != d->proto) ||
		    (d->static_only && !READ_ONCE(((struct nat64_bib *)obj)->is_static)))
			continue;
		hdr = nat64_put_hdr(skb, cb, sessions ? NAT64_CMD_SESSION_GET :
							NAT64_CMD_BIB_GET);
		if (!hdr)
			break;
		if (sessions ? nat64_fill_session(skb, nn, obj) : nat64_fill_bib(skb, obj)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(&d->it);
	return err ? err : skb->len;
}

static int nat64_bib_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return nat64_table_dump(skb, cb, false);
}

static int nat64_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return nat64_table_dump(skb, cb, true);
}

static bool nat64_match_proto(struct nat64_net *nn, struct nat64_session *s,
			      struct nat64_bib *b, const void *arg)
{
	const u8 *proto = arg;

	return !*proto || s->proto == *proto;
}

static int nat64_session_flush(struct sk_buff *skb, struct genl_info *info)
{
	u8 proto;

	if (nat64_proto_get(info->attrs[NAT64_A_PROTO], &proto, info->extack))
		return -EINVAL;
	nat64_state_flush(nat64_info_net(info), nat64_match_proto, &proto, false,
			  NAT64_RSN_FLUSHED);
	return 0;
}

/* --- counters and configuration --- */

static int nat64_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nat64_net *nn = nat64_pernet(sock_net(skb->sk));
	unsigned int i;
	void *hdr;

	for (i = cb->args[0]; i < NAT64_STAT_MAX; i++) {
		hdr = nat64_put_hdr(skb, cb, NAT64_CMD_STATS_GET);
		if (!hdr)
			break;
		if (nla_put_string(skb, NAT64_A_STAT_NAME, nat64_stat_name(i)) ||
		    nla_put_string(skb, NAT64_A_STAT_DESC, nat64_stat_desc(i)) ||
		    nla_put_u64_64bit(skb, NAT64_A_STAT_VALUE,
				      nat64_stat_read(nn->stats, i), NAT64_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int nat64_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nat64_family, 0, NAT64_CMD_CONFIG_GET);
	if (!hdr ||
	    nla_put_u32(msg, NAT64_A_CFG_UDP_TIMEOUT, nn->cfg.udp_tmo / HZ) ||
	    nla_put_u32(msg, NAT64_A_CFG_TCP_EST_TIMEOUT, nn->cfg.tcp_est_tmo / HZ) ||
	    nla_put_u32(msg, NAT64_A_CFG_TCP_TRANS_TIMEOUT, nn->cfg.tcp_trans_tmo / HZ) ||
	    nla_put_u32(msg, NAT64_A_CFG_ICMP_TIMEOUT, nn->cfg.icmp_tmo / HZ) ||
	    nla_put_u32(msg, NAT64_A_CFG_MAX_SESSIONS, nn->cfg.max_sessions) ||
	    nla_put_u8(msg, NAT64_A_CFG_WKP_GLOBAL_ONLY, nn->cfg.wkp_global_only) ||
	    nla_put_u8(msg, NAT64_A_CFG_DROP_EXTERNAL_TCP, nn->cfg.drop_external_tcp) ||
	    nla_put_u8(msg, NAT64_A_CFG_ADF, nn->cfg.adf) ||
	    nla_put_u32(msg, NAT64_A_CFG_MAX_STORED_SYNS, nn->cfg.max_stored_syns) ||
	    nla_put_u32(msg, NAT64_A_CFG_MAX_SESS_PER_SUB, nn->cfg.max_sess_per_sub) ||
	    nla_put_u8(msg, NAT64_A_CFG_SUB_PREFIX_LEN, nn->cfg.sub_plen) ||
	    nla_put_u32(msg, NAT64_A_CFG_LOWEST_IPV6_MTU, nn->cfg.lowest_mtu6) ||
	    nla_put_u32(msg, NAT64_A_SESSIONS, atomic_read(&nn->nsessions)) ||
	    nla_put_u32(msg, NAT64_A_BIBS, atomic_read(&nn->nbibs))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int nat64_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nat64_net *nn = nat64_info_net(info);
	struct nat64_config *c = &nn->cfg;
	struct nlattr **a = info->attrs;

	/* the one setting that can be refused goes first: all or nothing */
	if (a[NAT64_A_CFG_SUB_PREFIX_LEN] &&
	    nat64_sub_plen_set(nn, nla_get_u8(a[NAT64_A_CFG_SUB_PREFIX_LEN])))
		return nat64_err(info, NAT64_A_CFG_SUB_PREFIX_LEN,
				 "subscriber-prefix-len changes only without sessions: flush them first",
				 -EBUSY);

	if (a[NAT64_A_CFG_UDP_TIMEOUT])
		WRITE_ONCE(c->udp_tmo, nla_get_u32(a[NAT64_A_CFG_UDP_TIMEOUT]) * HZ);
	if (a[NAT64_A_CFG_TCP_EST_TIMEOUT])
		WRITE_ONCE(c->tcp_est_tmo,
			   (unsigned long)nla_get_u32(a[NAT64_A_CFG_TCP_EST_TIMEOUT]) * HZ);
	if (a[NAT64_A_CFG_TCP_TRANS_TIMEOUT])
		WRITE_ONCE(c->tcp_trans_tmo,
			   nla_get_u32(a[NAT64_A_CFG_TCP_TRANS_TIMEOUT]) * HZ);
	if (a[NAT64_A_CFG_ICMP_TIMEOUT])
		WRITE_ONCE(c->icmp_tmo, nla_get_u32(a[NAT64_A_CFG_ICMP_TIMEOUT]) * HZ);
	if (a[NAT64_A_CFG_MAX_SESSIONS])
		WRITE_ONCE(c->max_sessions, nla_get_u32(a[NAT64_A_CFG_MAX_SESSIONS]));
	if (a[NAT64_A_CFG_WKP_GLOBAL_ONLY])
		WRITE_ONCE(c->wkp_global_only, nla_get_u8(a[NAT64_A_CFG_WKP_GLOBAL_ONLY]));
	if (a[NAT64_A_CFG_DROP_EXTERNAL_TCP])
		WRITE_ONCE(c->drop_external_tcp,
			   nla_get_u8(a[NAT64_A_CFG_DROP_EXTERNAL_TCP]));
	if (a[NAT64_A_CFG_ADF])
		WRITE_ONCE(c->adf, nla_get_u8(a[NAT64_A_CFG_ADF]));
	if (a[NAT64_A_CFG_MAX_STORED_SYNS])
		WRITE_ONCE(c->max_stored_syns, nla_get_u32(a[NAT64_A_CFG_MAX_STORED_SYNS]));
	if (a[NAT64_A_CFG_MAX_SESS_PER_SUB])
		WRITE_ONCE(c->max_sess_per_sub, nla_get_u32(a[NAT64_A_CFG_MAX_SESS_PER_SUB]));
	if (a[NAT64_A_CFG_LOWEST_IPV6_MTU])
		WRITE_ONCE(c->lowest_mtu6, nla_get_u32(a[NAT64_A_CFG_LOWEST_IPV6_MTU]));
	return 0;
}

/* --- events --- */

static const struct genl_multicast_group nat64_mcgrps[] = {
	/* CAP_NET_ADMIN in the user namespace owning the network namespace */
	{ .name = NAT64_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static void nat64_event(struct nat64_net *nn, const void *obj, bool session, u8 ev,
			u8 reason)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&nat64_family, nn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &nat64_family, 0, NAT64_CMD_EVENT);
	if (!hdr ||
	    nla_put_u8(msg, NAT64_A_EVENT, ev) || nla_put_u8(msg, NAT64_A_REASON, reason) ||
	    nla_put_u64_64bit(msg, NAT64_A_TIME_MS, ktime_to_ms(ktime_get_real()),
			      NAT64_A_PAD) ||
	    (session ? nat64_fill_session(msg, nn, obj) : nat64_fill_bib(msg, obj))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&nat64_family, nn->net, msg, 0, 0, GFP_ATOMIC);
}

void nat64_event_bib(struct nat64_net *nn, const struct nat64_bib *b, u8 ev, u8 reason)
{
	nat64_event(nn, b, false, ev, reason);
}

void nat64_event_session(struct nat64_net *nn, const struct nat64_session *s, u8 ev,
			 u8 reason)
{
	nat64_event(nn, s, true, ev, reason);
}

#define NAT64_ADMIN GENL_UNS_ADMIN_PERM

static const struct genl_ops nat64_ops[] = {
	{ .cmd = NAT64_CMD_PREFIX_ADD, .doit = nat64_prefix_doit, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_PREFIX_DEL, .doit = nat64_prefix_doit, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_PREFIX_GET, .dumpit = nat64_prefix_dump },
	{ .cmd = NAT64_CMD_POOL4_ADD, .doit = nat64_pool4_doit, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_POOL4_DEL, .doit = nat64_pool4_doit, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_POOL4_GET, .dumpit = nat64_pool4_dump },
	{ .cmd = NAT64_CMD_POOL4_FLUSH, .doit = nat64_pool4_flush, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_BIB_ADD, .doit = nat64_bib_add, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_BIB_DEL, .doit = nat64_bib_del_doit, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_BIB_GET, .start = nat64_bib_start, .dumpit = nat64_bib_dump,
	  .done = nat64_table_done, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_SESSION_GET, .start = nat64_session_start,
	  .dumpit = nat64_session_dump, .done = nat64_table_done, .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_SESSION_FLUSH, .doit = nat64_session_flush,
	  .flags = NAT64_ADMIN },
	{ .cmd = NAT64_CMD_STATS_GET, .dumpit = nat64_stats_dump },
	{ .cmd = NAT64_CMD_CONFIG_GET, .doit = nat64_config_get },
	{ .cmd = NAT64_CMD_CONFIG_SET, .doit = nat64_config_set, .flags = NAT64_ADMIN },
};

static struct genl_family nat64_family __ro_after_init = {
	.name = NAT64_GENL_NAME,
	.version = NAT64_GENL_VERSION,
	.maxattr = NAT64_A_MAX,
	.policy = nat64_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nat64_ops,
	.n_ops = ARRAY_SIZE(nat64_ops),
	.mcgrps = nat64_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nat64_mcgrps),
	.resv_start_op = NAT64_CMD_EVENT + 1,
};

int __init nat64_genl_init(void)
{
	return genl_register_family(&nat64_family);
}

void nat64_genl_exit(void)
{
	genl_unregister_family(&nat64_family);
}
