// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter glue, input half (out.c is the other; only these two touch
 * struct sk_buff). PREROUTING hooks take IPv6 packets to a prefix and IPv4
 * packets to pool4, parse them, find or create their session and have out.c
 * translate them in place and hand them to the receive path of the other
 * family at its PREROUTING hook, so they meet that family's conntrack and
 * rules, routing, FORWARD or INPUT, and POSTROUTING as if they arrived so.
 */

#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <linux/icmpv6.h>
#include <net/ipv6_frag.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "nat64.h"

/* After conntrack (and its defragmentation) and destination NAT of the arriving family. */
#define NAT64_PRI	(NF_IP_PRI_NAT_DST + 1)

static bool nat64_pool4_has_addr(const struct nat64_pool4 *pool, __be32 a)
{
	unsigned int i;

	for (i = 0; i < pool->n; i++)
		if (nat64_entry_holds(&pool->e[i], a))
			return true;
	return false;
}

/*
 * A packet of the box's own (LOCAL_OUT) leaves translated as if it arrived
 * on the loopback device.
 */
static void nat64_local(struct sk_buff *skb, const struct nf_hook_state *state)
{
	if (state->hook == NF_INET_LOCAL_OUT) {
		skb_orphan(skb);
		skb->dev = state->net->loopback_dev;
		skb->pkt_type = PACKET_HOST;
	}
}

/*
 * Fragments of ours are reassembled here, and only ours: nf_defrag would put
 * one more hook in front of every packet of the namespace. With conntrack
 * in the namespace they arrive whole (its nf_defrag runs at priority -400).
 * The kernel's reassembly queues are shared with nf_defrag's (same users).
 *
 * 0: @skb is whole; -EINPROGRESS: queued (stolen); else a drop counter.
 */
static int nat64_defrag6(struct sk_buff *skb, const struct nf_hook_state *state)
{
	const u8 *nh;
	u32 user;
	u8 b;
	int err;

	nh = skb_header_pointer(skb, offsetof(struct ipv6hdr, nexthdr), 1, &b);
	if (!nh)
		return 0;	/* nat64_parse6 counts it */
	switch (*nh) {
	case NEXTHDR_FRAGMENT:
		/*
		 * RFC 8200 4.1: hop-by-hop only right after the IPv6 header.
		 * Behind a fragment header it would come first once reassembly
		 * took the fragment header out.
		 */
		nh = skb_header_pointer(skb, sizeof(struct ipv6hdr), 1, &b);
		if (nh && *nh == NEXTHDR_HOP)
			return NAT64_STAT_DROP_EXTHDR;
		fallthrough;
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_DEST:
		break;
	default:
		return 0;	/* no extension header: no fragment header */
	}
	user = state->hook == NF_INET_PRE_ROUTING ? IP6_DEFRAG_CONNTRACK_IN :
						      IP6_DEFRAG_CONNTRACK_OUT;
	err = nf_ct_frag6_gather(state->net, skb, user);
	if (err == -EINPROGRESS)
		return err;
	return err ? NAT64_STAT_DROP_REASSEMBLY : 0;
}

/*
 * As nat64_defrag6 for IPv4, but a fragment reassembly refused is freed:
 * 0: @skb is whole; -EINPROGRESS: queued; else @skb is gone (counted).
 */
static int nat64_defrag4(struct nat64_net *nn, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	const __be16 *frag;
	__be16 b;
	u32 user;
	int err;

	frag = skb_header_pointer(skb, offsetof(struct iphdr, frag_off), sizeof(b), &b);
	if (!frag || !(*frag & htons(IP_MF | IP_OFFSET)))
		return 0;
	user = state->hook == NF_INET_PRE_ROUTING ? IP_DEFRAG_CONNTRACK_IN :
						      IP_DEFRAG_CONNTRACK_OUT;
	local_bh_disable();
	err = ip_defrag(state->net, skb, user);
	local_bh_enable();
	if (!err) {
		/*
		 * As nf_defrag does: forwarded untouched (not ours after
		 * all), the packet leaves in fragments again, not refused
		 * for DF (ip_exceeds_mtu() checks IPCB frag_max_size).
		 */
		skb->ignore_df = 1;
		return 0;
	}
	if (err != -EINPROGRESS) {
		nat64_stat_inc_nr(nn, NAT64_STAT_DROP_REASSEMBLY);
		err = -ENOENT;
	}
	return err;
}

/*
 * ICMPv4 error about @skb to its sender. Before routing a packet has no
 * route, which icmp_send needs: the route back to the sender is used.
 */
static void nat64_icmp4_reply(struct net *net, struct sk_buff *skb, u8 type, u8 code)
{
	struct flowi4 fl4 = { .daddr = ip_hdr(skb)->saddr, .flowi4_mark = skb->mark };
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));	/* no options echoed */
	local_bh_disable();
	icmp_send(skb, type, code, 0);
	local_bh_enable();
}

/*
 * A pool4 address the box owns is shared with its stack: ports outside
 * pool4 are the box's (nat64_xlat4 leaves them at once), and so are the
 * ICMP identifiers no binding holds there (its own pings' replies, pings of
 * the box; the stack answers, or drops an echo reply nobody waits for as
 * RFC 6146 would). Asked when @k has no session, before any check that
 * would drop the packet as traffic to translate.
 */
static bool nat64_for_box(struct nat64_net *nn, const struct nf_hook_state *state,
			  const struct nat64_skey4 *k)
{
	struct nat64_bkey4 bk = { .addr = k->dst, .port = k->dport, .proto = k->proto };

	return k->proto == IPPROTO_ICMP && !nat64_bib_held4(nn, &bk) &&
	       inet_addr_type_dev_table(state->net, state->in ?: state->out,
					k->dst) == RTN_LOCAL;
}

#define NAT64_SYN_HOLD	(6 * HZ)

static struct hlist_head *nat64_syn_bucket(struct nat64_net *nn,
					   const struct nat64_skey4 *k)
{
	BUILD_BUG_ON(sizeof(*k) % 4);
	return &nn->syn_hash[jhash2((const u32 *)k, sizeof(*k) / 4, nn->syn_seed) %
			     NAT64_SYN_BUCKETS];
}

/* The held SYN of flow @k in its bucket @head, if any. Under nn->lock. */
static struct nat64_syn *nat64_syn_find(struct hlist_head *head, const struct nat64_skey4 *k)
{
	struct nat64_syn *sy;

	hlist_for_each_entry(sy, head, node)
		if (!memcmp(&sy->k, k, sizeof(*k)))
			return sy;
	return NULL;
}

/*
 * RFC 6146 3.5.2.2: an IPv4 SYN without binding is held 6 s; an IPv6 SYN
 * opening the same flow meanwhile discards it, else port unreachable goes
 * back. The list is bounded by max-stored-syns. Takes @skb on success.
 */
static int nat64_syn_hold(struct nat64_net *nn, struct sk_buff *skb,
			  const struct nat64_skey4 *k)
{
	u32 max = READ_ONCE(nn->cfg.max_stored_syns);
	struct hlist_head *head = nat64_syn_bucket(nn, k);
	struct nat64_syn *sy;
	int err = 0;

	if (!max)
		return NAT64_STAT_DROP_SYN_STORE_FULL;
	sy = kmalloc(sizeof(*sy), GFP_ATOMIC);
	if (!sy)
		return NAT64_STAT_DROP_NOMEM;
	/*
	 * Kept no longer than the port unreachable quotes: a reassembled SYN
	 * would hold up to 64 KiB (pskb_trim drops the frag_list).
	 */
	if (skb->len > 576)
		pskb_trim(skb, 576);
	spin_lock_bh(&nn->lock);
	if (nat64_syn_find(head, k))
		err = NAT64_STAT_DROP_SYN_RETRANS;
	else if (nn->nsyns >= max)
		err = NAT64_STAT_DROP_SYN_STORE_FULL;
	if (!err) {
		/* kept without references to the device, route or conntrack */
		nf_reset_ct(skb);
		skb_dst_drop(skb);
		skb->dev = NULL;
		sy->k = *k;
		sy->skb = skb;
		sy->expires = jiffies + NAT64_SYN_HOLD;
		list_add_tail(&sy->list, &nn->syns);
		hlist_add_head(&sy->node, head);
		WRITE_ONCE(nn->nsyns, nn->nsyns + 1);
		nat64_stat_inc(nn, SYN_STORED);
	}
	spin_unlock_bh(&nn->lock);
	if (err)
		kfree(sy);
	return err;
}

/* An IPv6 SYN opened session @k: a held IPv4 SYN of it goes. Under nn->lock. */
void nat64_syn_match(struct nat64_net *nn, const struct nat64_skey4 *k)
{
	struct nat64_syn *sy = nat64_syn_find(nat64_syn_bucket(nn, k), k);

	if (!sy)
		return;
	list_del(&sy->list);
	hlist_del(&sy->node);
	WRITE_ONCE(nn->nsyns, nn->nsyns - 1);
	kfree_skb(sy->skb);
	kfree(sy);
	nat64_stat_inc(nn, DROP_SYN_MATCHED);
}

/*
 * Answer held SYNs whose time is up (@all: free every one, no answer).
 * Process context: GC's work, namespace exit.
 */
void nat64_syn_expire(struct nat64_net *nn, bool all)
{
	struct nat64_syn *sy, *tmp;
	LIST_HEAD(done);

	spin_lock_bh(&nn->lock);
	list_for_each_entry_safe(sy, tmp, &nn->syns, list) {
		if (!all && time_before(jiffies, sy->expires))
			break;
		list_move_tail(&sy->list, &done);
		hlist_del(&sy->node);
		WRITE_ONCE(nn->nsyns, nn->nsyns - 1);
	}
	spin_unlock_bh(&nn->lock);
	list_for_each_entry_safe(sy, tmp, &done, list) {
		if (!all) {
			nat64_icmp4_reply(nn->net, sy->skb, ICMP_DEST_UNREACH,
					  ICMP_PORT_UNREACH);
			nat64_stat_inc(nn, DROP_SYN_UNANSWERED);
		}
		kfree_skb(sy->skb);
		kfree(sy);
		cond_resched();		/* up to 4096 answers, from GC's work */
	}
}

/*
 * An IPv6 packet to prefix @pfx. Out of line: the hook sees every IPv6
 * packet, and this frame (cleared on entry where the kernel initializes
 * the stack, Debian's default) is paid only by what is ours.
 */
static noinline unsigned int nat64_xlat6(struct nat64_net *nn, struct sk_buff *skb,
					 const struct nf_hook_state *state,
					 const struct nat64_prefixes *pf,
					 const struct nat64_prefix *pfx)
{
	struct nat64_skey6 k = {};
	struct nat64_session *s;
	struct nat64_pkt6 p;
	struct nat64_xl4 x;
	u8 buf[NAT64_HDR_BUF] __uninitialized;	/* read only where copied to */
	const u8 *h;
	unsigned int len;
	int err;

	err = nat64_defrag6(skb, state);
	if (err == -EINPROGRESS)
		return NF_STOLEN;
	if (err)
		goto drop;
	len = min_t(unsigned int, skb->len, sizeof(buf));
	h = skb_header_pointer(skb, 0, len, buf);
	if (!h) {
		err = NAT64_STAT_DROP_TRUNCATED6;
		goto drop;
	}
	err = nat64_parse6(h, len, skb->len, &p);
	if (err) {
		if (err == NAT64_STAT_DROP_SEGMENTS_LEFT &&
		    state->hook == NF_INET_PRE_ROUTING)
			icmpv6_send(skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, p.err_ptr);
		goto drop;
	}
	if (nat64_prefix_of(pf, &p.saddr)) {
		err = NAT64_STAT_DROP_SRC_IN_PREFIX;
		goto drop;
	}
	nat64_local(skb, state);
	if (p.l4.icmp_err) {
		err = nat64_err6(nn, skb, &p, pf, pfx);
		if (err)
			goto drop;
		return NF_STOLEN;
	}
	k.src = p.saddr;
	k.dst4 = nat64_addr_extract(&p.daddr, pfx->len);
	k.sport = p.l4.sport;
	k.dport = p.l4.dport;
	k.proto = p.l4.proto;
	k.pidx = pfx - pf->p;
	s = nat64_sess_lookup6(nn, &k);
	if (!s) {
		if (p.l4.proto == IPPROTO_TCP && !(p.l4.tcp_flags & NAT64_TCP_SYN)) {
			err = NAT64_STAT_DROP_TCP_NO_SYN;
			goto drop;
		}
		if (READ_ONCE(nn->cfg.wkp_global_only) &&
		    nat64_prefix_is_wkp(&pfx->addr, pfx->len) && !nat64_ipv4_is_global(k.dst4)) {
			err = NAT64_STAT_DROP_WKP_NON_GLOBAL;
			goto drop;
		}
		s = nat64_sess_create6(nn, &k, &err);
		if (!s) {
			/* RFC 6146 3.5.1.1, 3.5.2.2, 3.5.3: no binding to be had */
			if ((err == NAT64_STAT_DROP_POOL4_EXHAUSTED ||
			     err == NAT64_STAT_DROP_NO_POOL4) &&
			    state->hook == NF_INET_PRE_ROUTING)
				icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
			goto drop;
		}
	}
	nat64_sess_update(nn, s, true, p.l4.tcp_flags);
	x.saddr = s->pool_addr;
	x.daddr = s->addr4;
	x.sport = s->pool_port;
	x.dport = s->rport;
	err = nat64_out4(nn, skb, &p, &x);
	if (err)
		goto drop;
	return NF_STOLEN;
drop:
	nat64_stat_inc_nr(nn, err);
	return NF_DROP;
}

/* An IPv4 packet to a pool4 address (out of line as nat64_xlat6). */
static noinline unsigned int nat64_xlat4(struct nat64_net *nn, struct sk_buff *skb,
					 const struct nf_hook_state *state,
					 const struct nat64_pool4 *pool)
{
	struct nat64_skey4 k = {};
	struct nat64_session *s;
	struct nat64_pkt4 p;
	struct nat64_xl6 x;
	u8 buf[NAT64_HDR_BUF] __uninitialized;	/* read only where copied to */
	unsigned int len, i;
	const u8 *h;
	__be16 port;
	int err;

	if (nat64_defrag4(nn, skb, state))
		return NF_STOLEN;	/* queued, or refused and freed */
	len = min_t(unsigned int, skb->len, sizeof(buf));
	h = skb_header_pointer(skb, 0, len, buf);
	if (!h) {
		err = NAT64_STAT_DROP_TRUNCATED4;
		goto drop;
	}
	err = nat64_parse4(h, len, skb->len, &p);
	if (err == NAT64_STAT_DROP_PROTO)
		return NF_ACCEPT;	/* not a protocol of ours: the box's own */
	if (err) {
		if (err == NAT64_STAT_DROP_SOURCE_ROUTE &&
		    state->hook == NF_INET_PRE_ROUTING)
			nat64_icmp4_reply(state->net, skb, ICMP_DEST_UNREACH, ICMP_SR_FAILED);
		goto drop;
	}
	if (p.l4.icmp_err) {
		nat64_local(skb, state);
		err = nat64_err4(nn, skb, &p, pool);
		if (err == NAT64_NOT_OURS)
			return NF_ACCEPT;
		if (err)
			goto drop;
		return NF_STOLEN;
	}
	port = p.l4.proto == IPPROTO_ICMP ? p.l4.sport : p.l4.dport;
	for (i = 0; i < pool->n; i++)
		if (nat64_pool4_contains(&pool->e[i], p.l4.proto, p.daddr, ntohs(port)))
			break;
	if (i == pool->n)
		return NF_ACCEPT;	/* outside the pool's ports: the box's own */

	k.src = p.saddr;
	k.dst = p.daddr;
	k.sport = p.l4.proto == IPPROTO_ICMP ? 0 : p.l4.sport;
	k.dport = port;
	k.proto = p.l4.proto;
	s = nat64_sess_lookup4(nn, &k);
	if (!s) {
		if (nat64_for_box(nn, state, &k))
			return NF_ACCEPT;
		if (p.l4.proto == IPPROTO_TCP && !(p.l4.tcp_flags & NAT64_TCP_SYN)) {
			err = NAT64_STAT_DROP_TCP_NO_SYN;
			goto drop;
		}
		if (p.l4.proto == IPPROTO_TCP && READ_ONCE(nn->cfg.drop_external_tcp)) {
			err = NAT64_STAT_DROP_EXTERNAL_TCP;
			goto drop;
		}
		if (READ_ONCE(nn->cfg.wkp_global_only) && !nat64_ipv4_is_global(p.saddr)) {
			const struct nat64_prefix *pfx;

			pfx = nat64_prefix_first(rcu_dereference(nn->prefixes));
			if (pfx && nat64_prefix_is_wkp(&pfx->addr, pfx->len)) {
				err = NAT64_STAT_DROP_WKP_NON_GLOBAL;
				goto drop;
			}
		}
		s = nat64_sess_create4(nn, &k, &err);
		if (!s) {
			if (p.l4.proto == IPPROTO_TCP && state->hook == NF_INET_PRE_ROUTING &&
			    (err == NAT64_STAT_DROP_NO_BIB || err == NAT64_STAT_DROP_FILTERED)) {
				err = nat64_syn_hold(nn, skb, &k);
				if (!err)
					return NF_STOLEN;
			}
			goto drop;
		}
	}
	if (unlikely(!nat64_sess_remote6(rcu_dereference(nn->prefixes), s, &x.saddr))) {
		err = NAT64_STAT_DROP_PREFIX_GONE;
		goto drop;
	}
	nat64_sess_update(nn, s, false, p.l4.tcp_flags);
	nat64_local(skb, state);
	x.daddr = s->src6;
	x.sport = s->rport;
	x.dport = s->port6;
	err = nat64_out6(nn, skb, &p, &x);
	if (err)
		goto drop;
	return NF_STOLEN;
drop:
	nat64_stat_inc_nr(nn, err);
	return NF_DROP;
}

/* IPv6 packets to a prefix; @priv is the namespace's instance. */
static unsigned int nat64_in6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct nat64_net *nn = priv;
	const struct nat64_prefixes *pf = rcu_dereference(nn->prefixes);
	const struct nat64_prefix *pfx;
	const struct in6_addr *daddr;
	struct in6_addr buf;

	if (!pf || skb_network_offset(skb))
		return NF_ACCEPT;
	daddr = skb_header_pointer(skb, offsetof(struct ipv6hdr, daddr), sizeof(buf), &buf);
	if (!daddr)
		return NF_ACCEPT;
	pfx = nat64_prefix_of(pf, daddr);
	if (!pfx)
		return NF_ACCEPT;
	return nat64_xlat6(nn, skb, state, pf, pfx);
}

/* IPv4 packets to pool4 */
static unsigned int nat64_in4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct nat64_net *nn = priv;
	const struct nat64_pool4 *pool = rcu_dereference(nn->pool4);
	const __be32 *daddr;
	__be32 buf;

	if (!pool || skb_network_offset(skb))
		return NF_ACCEPT;
	daddr = skb_header_pointer(skb, offsetof(struct iphdr, daddr), sizeof(buf), &buf);
	if (!daddr || !nat64_pool4_has_addr(pool, *daddr))
		return NF_ACCEPT;
	return nat64_xlat4(nn, skb, state, pool);
}

static const struct nf_hook_ops nat64_hook_ops[] = {
	{
		.hook = nat64_in6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NAT64_PRI,
	},
	{
		.hook = nat64_in4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NAT64_PRI,
	},
	/* the box's own packets to the prefix and pool4 (its ICMP errors too) */
	{
		.hook = nat64_in6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NAT64_PRI,
	},
	{
		.hook = nat64_in4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NAT64_PRI,
	},
};

/*
 * The namespace's own copy of the hooks carries @nn as their priv, so that
 * a packet finds its instance without a per-net lookup.
 */
int nat64_hooks_register(struct nat64_net *nn)
{
	struct net *net = nn->net;
	struct nf_hook_ops *ops;
	unsigned int i;
	int err;

	ops = kmemdup(nat64_hook_ops, sizeof(nat64_hook_ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(nat64_hook_ops); i++)
		ops[i].priv = nn;
	err = nf_register_net_hooks(net, ops, ARRAY_SIZE(nat64_hook_ops));
	if (err) {
		kfree(ops);
		return err;
	}
	nn->hook_ops = ops;
	return 0;
}

/*
 * No new packet enters the hooks once this returns; one already in them may
 * still run until an RCU grace period is over (nat64_net_pre_exit). The ops
 * are freed by the caller after it.
 */
void nat64_hooks_unregister(struct nat64_net *nn)
{
	struct net *net = nn->net;

	nf_unregister_net_hooks(net, nn->hook_ops, ARRAY_SIZE(nat64_hook_ops));
}
