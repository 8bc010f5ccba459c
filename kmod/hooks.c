// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter glue, the only file that touches struct sk_buff. PREROUTING
 * hooks take IPv6 packets to a prefix and IPv4 packets to pool4, translate
 * the headers in place and hand the packet back to the receive path of the
 * other family (netif_receive_skb_core), so it meets that family's PREROUTING
 * (conntrack, rules), routing, FORWARD or INPUT, and POSTROUTING as if it had
 * arrived so.
 */

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/icmp.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <linux/icmpv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "nat64.h"

/* After defragmentation, conntrack and destination NAT of the arriving family. */
#define NAT64_PRI	(NF_IP_PRI_NAT_DST + 1)

static const struct nat64_prefix *nat64_prefix_of(const struct nat64_prefixes *pf,
						  const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < pf->n; i++)
		if (pf->p[i].len && !pf->p[i].going &&
		    nat64_prefix_match(&pf->p[i].addr, pf->p[i].len, a))
			return &pf->p[i];
	return NULL;
}

static bool nat64_pool4_has_addr(const struct nat64_pool4 *pool, __be32 a)
{
	unsigned int i;

	for (i = 0; i < pool->n; i++) {
		u32 mask = ~0u << (32 - pool->e[i].plen);

		if ((ntohl(a) & mask) == ntohl(pool->e[i].addr))
			return true;
	}
	return false;
}

/* The Ethernet header, kept for packet taps on the receive path. */
struct nat64_mac {
	unsigned int len;
	u8 hdr[ETH_HLEN];
};

static void nat64_mac_save(struct sk_buff *skb, struct nat64_mac *m)
{
	m->len = 0;
	if (skb_mac_header_was_set(skb) && skb_mac_header_len(skb) == ETH_HLEN &&
	    skb->dev && skb->dev->type == ARPHRD_ETHER) {
		memcpy(m->hdr, skb_mac_header(skb), ETH_HLEN);
		m->len = ETH_HLEN;
	}
}

/*
 * RFC 7915 4: an IPv4 packet without DF (its sender cannot learn the IPv6
 * path MTU) leaves in IPv6 fragments of 1280 bytes at most. The IPv6 output
 * fragments at IP6CB()->frag_max_size, which the IPv6 receive path clears:
 * the packet is marked here for the IPv6 hook it meets next, on this CPU.
 */
static DEFINE_PER_CPU(struct sk_buff *, nat64_frag1280);

/* Hand the translated packet, data at its new network header, to the stack. */
static int nat64_reinject(struct nat64_net *nn, struct sk_buff *skb, __be16 proto,
			  unsigned int nhlen, const struct nat64_mac *m)
{
	skb->protocol = proto;
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhlen);
	if (m->len && skb_headroom(skb) >= ETH_HLEN) {
		struct ethhdr *eth = (struct ethhdr *)(skb->data - ETH_HLEN);

		memcpy(eth, m->hdr, ETH_HLEN);
		eth->h_proto = proto;
		skb_set_mac_header(skb, -ETH_HLEN);
	} else {
		skb_reset_mac_header(skb);
	}
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	/*
	 * With bottom halves off (receive softirq or threaded NAPI) a packet
	 * that arrived goes on at once, one level deeper (two for a hairpin),
	 * without RPS steering it into a backlog again; the box's own packets
	 * (on the loopback device) go through the backlog.
	 */
	if (in_softirq() && !(skb->dev->flags & IFF_LOOPBACK)) {
		netif_receive_skb_core(skb);
		return 0;
	}
	if (netif_rx(skb) == NET_RX_DROP) {
		nat64_stat_inc(nn, DROP_BACKLOG);
		return -ENOBUFS;
	}
	return 0;
}

/*
 * The arriving family's conntrack entry would be confirmed only on leaving
 * that family, which a translated packet never does: confirm it here, so
 * that replies translated back are seen as replies of a known flow.
 */
static int nat64_ct_confirm(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	if (skb_nfct(skb) && nf_conntrack_confirm(skb) != NF_ACCEPT)
		return NAT64_STAT_DROP_CONNTRACK;
#endif
	return 0;
}

static void nat64_gso_6to4(struct sk_buff *skb)
{
	struct skb_shared_info *si = skb_shinfo(skb);

	if (!skb_is_gso(skb))
		return;
	if (si->gso_type & SKB_GSO_TCPV6) {
		si->gso_type &= ~SKB_GSO_TCPV6;
		si->gso_type |= SKB_GSO_TCPV4;
	}
}

static void nat64_gso_4to6(struct sk_buff *skb, const struct nat64_l4 *l4,
			   unsigned int l4hdr)
{
	struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int payload;

	if (!skb_is_gso(skb))
		return;
	if (si->gso_type & SKB_GSO_TCPV4) {
		si->gso_type &= ~(SKB_GSO_TCPV4 | SKB_GSO_TCP_FIXEDID);
		si->gso_type |= SKB_GSO_TCPV6;
	}
	/* segments grow by the 20 bytes the IPv6 header adds */
	if (si->gso_size > 20 + 536) {
		skb_decrease_gso_size(si, 20);
		payload = l4->len - l4hdr;
		si->gso_segs = DIV_ROUND_UP(payload, si->gso_size);
	}
}

static int nat64_out4(struct nat64_net *nn, struct sk_buff *skb,
		      struct nat64_pkt6 *p, const struct nat64_xl4 *x)
{
	unsigned int end = p->l4.off + p->l4.hdrlen;
	struct nat64_mac mac;
	struct iphdr iph;
	bool partial;
	int err;

	err = nat64_ct_confirm(skb);
	if (err)
		return err;
	nat64_mac_save(skb, &mac);
	if (skb_ensure_writable(skb, end))
		return NAT64_STAT_DROP_NOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL && p->l4.proto == IPPROTO_ICMP &&
	    skb_checksum_help(skb))
		return NAT64_STAT_DROP_NOMEM;
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	p->frag_ok = IP6CB(skb)->frag_max_size;	/* reassembled by nf_defrag */
	err = nat64_xlat_6to4(p, x, 0, partial, skb->data + p->l4.off, &iph);
	if (err)
		return err;
	/*
	 * Without DF the packet needs an ID: the one IPv4 output gives the
	 * box's own packets (a counter per hashed destination with random
	 * steps, RFC 7739; what Jool uses too), and no random bytes per packet.
	 */
	if (!(iph.frag_off & htons(IP_DF))) {
		__ip_select_ident(nn->net, &iph, skb_is_gso(skb) ?
				  skb_shinfo(skb)->gso_segs : 1);
		csum_replace2(&iph.check, 0, iph.id);
	}
	__skb_pull(skb, p->l4.off - sizeof(iph));
	memcpy(skb->data, &iph, sizeof(iph));
	nat64_gso_6to4(skb);
	nat64_stat_inc(nn, XLAT_6TO4);
	nat64_reinject(nn, skb, htons(ETH_P_IP), sizeof(iph), &mac);
	return 0;
}

static int nat64_out6(struct nat64_net *nn, struct sk_buff *skb,
		      const struct nat64_pkt4 *p, const struct nat64_xl6 *x)
{
	unsigned int end = p->l4.off + p->l4.hdrlen;
	struct nat64_mac mac;
	struct ipv6hdr ip6;
	bool partial, full;
	int err, delta;

	err = nat64_ct_confirm(skb);
	if (err)
		return err;
	nat64_mac_save(skb, &mac);
	delta = (int)sizeof(ip6) - p->l4.off;
	if (skb_cow_head(skb, max(delta, 0) + ETH_HLEN) || skb_ensure_writable(skb, end))
		return NAT64_STAT_DROP_NOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL && p->l4.proto == IPPROTO_ICMP &&
	    skb_checksum_help(skb))
		return NAT64_STAT_DROP_NOMEM;
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	/*
	 * Without DF (or reassembled) the IPv4 sender allows fragmentation:
	 * the IPv6 output fragments what exceeds the link (RFC 7915 4).
	 */
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || IPCB(skb)->frag_max_size)
		skb->ignore_df = 1;
	err = nat64_xlat_4to6(p, x, partial, skb->data + p->l4.off, &ip6, &full);
	if (err)
		return err;
	if (delta > 0)
		__skb_push(skb, delta);
	else
		__skb_pull(skb, -delta);
	memcpy(skb->data, &ip6, sizeof(ip6));
	if (full) {
		struct udphdr *uh = (struct udphdr *)(skb->data + sizeof(ip6));
		__wsum csum = skb_checksum(skb, sizeof(ip6), p->l4.len, 0);

		uh->check = csum_ipv6_magic(&x->saddr, &x->daddr, p->l4.len,
					    IPPROTO_UDP, csum);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	nat64_gso_4to6(skb, &p->l4, p->l4.proto == IPPROTO_TCP ?
		       (skb->data[sizeof(ip6) + 12] >> 4) * 4 : p->l4.hdrlen);
	nat64_stat_inc(nn, XLAT_4TO6);
	if (skb->ignore_df && !skb_is_gso(skb) && skb->len > IPV6_MIN_MTU &&
	    in_softirq() && !(skb->dev->flags & IFF_LOOPBACK)) {
		this_cpu_write(nat64_frag1280, skb);
		nat64_reinject(nn, skb, htons(ETH_P_IPV6), sizeof(ip6), &mac);
		this_cpu_write(nat64_frag1280, NULL);
		return 0;
	}
	nat64_reinject(nn, skb, htons(ETH_P_IPV6), sizeof(ip6), &mac);
	return 0;
}

/* Rebuild an ICMP error in a new skb (errors are rare; their size is bounded). */
static struct sk_buff *nat64_err_skb(struct sk_buff *skb, unsigned int cap)
{
	struct sk_buff *nskb = alloc_skb(LL_MAX_HEADER + cap, GFP_ATOMIC);

	if (!nskb)
		return NULL;
	skb_reserve(nskb, LL_MAX_HEADER);
	nskb->dev = skb->dev;
	nskb->mark = skb->mark;
	skb_put(nskb, cap);
	return nskb;
}

/* MTU of the route to @daddr, 0 if there is none. */
static u32 nat64_mtu4_to(struct net *net, __be32 daddr)
{
	struct flowi4 fl4 = { .daddr = daddr };
	struct rtable *rt = ip_route_output_key(net, &fl4);
	u32 mtu;

	if (IS_ERR(rt))
		return 0;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return mtu;
}

static u32 nat64_mtu6_to(struct net *net, const struct in6_addr *daddr)
{
	struct flowi6 fl6 = { .daddr = *daddr };
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);
	u32 mtu = dst->error ? 0 : dst_mtu(dst);

	dst_release(dst);
	return mtu;
}

/* ICMPv6 error from the IPv6 side about a flow of a session. */
static int nat64_err6(struct nat64_net *nn, struct sk_buff *skb,
		      const struct nat64_pkt6 *p, const struct nat64_prefixes *pf,
		      const struct nat64_prefix *pfx)
{
	const struct nat64_prefix *ipfx;
	struct nat64_skey6 k = {};
	struct nat64_session *s;
	struct nat64_xl4 x, xi;
	struct nat64_pkt6 in;
	struct sk_buff *nskb;
	struct nat64_mac mac;
	u32 mtu = 0, mtu4;
	const u8 *icmp;
	int err, len;

	nat64_mac_save(skb, &mac);
	if (skb_linearize(skb))
		return NAT64_STAT_DROP_NOMEM;
	icmp = skb->data + p->l4.off;
	err = nat64_parse_inner6(icmp + 8, p->l4.len - 8, &in);
	if (err)
		return err;
	/* the quoted packet went server -> host */
	ipfx = nat64_prefix_of(pf, &in.saddr);
	if (!ipfx)
		return NAT64_STAT_DROP_ICMP_NO_SESSION;
	k.src = in.daddr;
	k.dst4 = nat64_addr_extract(&in.saddr, ipfx->len);
	k.pidx = ipfx - pf->p;
	k.proto = in.l4.proto;
	k.sport = in.l4.proto == IPPROTO_ICMP ? in.l4.sport : in.l4.dport;
	k.dport = in.l4.proto == IPPROTO_ICMP ? 0 : in.l4.sport;
	s = nat64_sess_lookup6(nn, &k);
	if (!s)
		return NAT64_STAT_DROP_ICMP_NO_SESSION;
	x.saddr = s->pool_addr;
	x.daddr = nat64_addr_extract(&p->daddr, pfx->len);
	xi.saddr = s->addr4;
	xi.sport = s->rport;
	xi.daddr = s->pool_addr;
	xi.dport = s->pool_port;
	nskb = nat64_err_skb(skb, 576);
	if (!nskb)
		return NAT64_STAT_DROP_NOMEM;
	/* RFC 7915 5.2: not above the IPv4 route's MTU or this link's - 20 */
	if (icmp[0] == ICMPV6_PKT_TOOBIG) {
		mtu = skb->dev->mtu - 20;
		mtu4 = nat64_mtu4_to(nn->net, x.daddr);
		if (mtu4 && mtu4 < mtu)
			mtu = mtu4;
	}
	len = nat64_err_6to4(icmp, p->l4.len, p, &in, &x, &xi,
			     (__force __be16)get_random_u16(), mtu, nskb->data, 576);
	if (len < 0) {
		kfree_skb(nskb);
		return -len;
	}
	skb_trim(nskb, len);
	nat64_stat_inc(nn, XLAT_6TO4);
	nat64_reinject(nn, nskb, htons(ETH_P_IP), sizeof(struct iphdr), &mac);
	consume_skb(skb);
	return 0;
}

#define NAT64_NOT_OURS	(-1)

/* ICMPv4 error to a pool4 address about a flow of a session. */
static int nat64_err4(struct nat64_net *nn, struct sk_buff *skb,
		      const struct nat64_pkt4 *p, const struct nat64_pool4 *pool)
{
	const struct nat64_prefixes *pf = rcu_dereference(nn->prefixes);
	const struct nat64_prefix *pfx;
	struct nat64_skey4 k = {};
	struct nat64_session *s;
	struct nat64_xl6 x, xi;
	struct nat64_pkt4 in;
	struct sk_buff *nskb;
	struct nat64_mac mac;
	u32 mtu = 0, mtu6;
	const u8 *icmp;
	unsigned int i;
	int err, len;

	nat64_mac_save(skb, &mac);
	if (skb_linearize(skb))
		return NAT64_STAT_DROP_NOMEM;
	icmp = skb->data + p->l4.off;
	err = nat64_parse_inner4(icmp + 8, p->l4.len - 8, &in);
	if (err)
		return err;
	for (i = 0; i < pool->n; i++)
		if (nat64_pool4_contains(&pool->e[i], in.l4.proto, in.saddr,
					 ntohs(in.l4.sport)))
			break;
	if (i == pool->n)
		return NAT64_NOT_OURS;
	/* the quoted packet went pool4 -> server */
	k.src = in.daddr;
	k.dst = in.saddr;
	k.proto = in.l4.proto;
	k.sport = in.l4.proto == IPPROTO_ICMP ? 0 : in.l4.dport;
	k.dport = in.l4.sport;
	s = nat64_sess_lookup4(nn, &k);
	if (!s || !nat64_sess_remote6(pf, s, &xi.daddr))
		return NAT64_STAT_DROP_ICMP_NO_SESSION;
	pfx = &pf->p[s->pidx];
	nat64_addr_embed(&pfx->addr, pfx->len, p->saddr, &x.saddr);
	x.daddr = s->src6;
	xi.saddr = s->src6;
	xi.sport = s->port6;
	xi.dport = s->rport;
	nskb = nat64_err_skb(skb, 1280);
	if (!nskb)
		return NAT64_STAT_DROP_NOMEM;
	/* RFC 7915 4.2: not above the IPv6 route's MTU or this link's + 20 */
	if (icmp[0] == ICMP_DEST_UNREACH && icmp[1] == ICMP_FRAG_NEEDED) {
		mtu = skb->dev->mtu + 20;
		mtu6 = nat64_mtu6_to(nn->net, &x.daddr);
		if (mtu6 && mtu6 < mtu)
			mtu = mtu6;
	}
	len = nat64_err_4to6(icmp, p->l4.len, p, &in, &x, &xi, mtu, nskb->data, 1280);
	if (len < 0) {
		kfree_skb(nskb);
		return -len;
	}
	skb_trim(nskb, len);
	nat64_stat_inc(nn, XLAT_4TO6);
	nat64_reinject(nn, nskb, htons(ETH_P_IPV6), sizeof(struct ipv6hdr), &mac);
	consume_skb(skb);
	return 0;
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

#define NAT64_SYN_HOLD	(6 * HZ)

/*
 * RFC 6146 3.5.2.2: an IPv4 SYN without binding is held 6 s; an IPv6 SYN
 * opening the same flow meanwhile discards it, else port unreachable goes
 * back. The list is bounded by max-stored-syns. Takes @skb on success.
 */
static int nat64_syn_hold(struct nat64_net *nn, struct sk_buff *skb,
			  const struct nat64_skey4 *k)
{
	u32 max = READ_ONCE(nn->cfg.max_stored_syns);
	struct nat64_syn *sy, *it;
	int err = 0;

	if (!max)
		return NAT64_STAT_DROP_SYN_STORE_FULL;
	sy = kmalloc(sizeof(*sy), GFP_ATOMIC);
	if (!sy)
		return NAT64_STAT_DROP_NOMEM;
	spin_lock_bh(&nn->lock);
	list_for_each_entry(it, &nn->syns, list) {
		if (!memcmp(&it->k, k, sizeof(*k))) {
			err = NAT64_STAT_DROP_SYN_RETRANS;
			break;
		}
	}
	if (!err && nn->nsyns >= max)
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
	struct nat64_syn *sy;

	list_for_each_entry(sy, &nn->syns, list) {
		if (!memcmp(&sy->k, k, sizeof(*k))) {
			list_del(&sy->list);
			WRITE_ONCE(nn->nsyns, nn->nsyns - 1);
			kfree_skb(sy->skb);
			kfree(sy);
			nat64_stat_inc(nn, DROP_SYN_MATCHED);
			return;
		}
	}
}

/* Answer held SYNs whose time is up (@all: free every one, no answer). */
void nat64_syn_expire(struct nat64_net *nn, bool all)
{
	struct nat64_syn *sy, *tmp;
	LIST_HEAD(done);

	spin_lock_bh(&nn->lock);
	list_for_each_entry_safe(sy, tmp, &nn->syns, list) {
		if (!all && time_before(jiffies, sy->expires))
			break;
		list_move_tail(&sy->list, &done);
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
	}
}

static unsigned int nat64_in6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct nat64_net *nn = nat64_pernet(state->net);
	const struct nat64_prefixes *pf = rcu_dereference(nn->prefixes);
	const struct nat64_prefix *pfx;
	struct nat64_skey6 k = {};
	struct nat64_session *s;
	struct nat64_pkt6 p;
	struct nat64_xl4 x;
	u8 buf[NAT64_HDR_BUF];
	const struct ipv6hdr *ip6;
	const u8 *h;
	unsigned int len;
	int err;

	if (unlikely(this_cpu_read(nat64_frag1280) == skb)) {
		IP6CB(skb)->frag_max_size = IPV6_MIN_MTU;	/* from nat64_out6 */
		return NF_ACCEPT;
	}
	if (!pf || skb_network_offset(skb))
		return NF_ACCEPT;
	ip6 = skb_header_pointer(skb, 0, sizeof(*ip6), buf);
	if (!ip6)
		return NF_ACCEPT;
	pfx = nat64_prefix_of(pf, &ip6->daddr);
	if (!pfx)
		return NF_ACCEPT;

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
		if (!s)
			goto drop;
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

static unsigned int nat64_in4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct nat64_net *nn = nat64_pernet(state->net);
	const struct nat64_pool4 *pool = rcu_dereference(nn->pool4);
	struct nat64_skey4 k = {};
	struct nat64_session *s;
	struct nat64_pkt4 p;
	struct nat64_xl6 x;
	u8 buf[NAT64_HDR_BUF];
	const struct iphdr *iph;
	unsigned int len, i;
	const u8 *h;
	__be16 port;
	int err;

	if (!pool || skb_network_offset(skb))
		return NF_ACCEPT;
	iph = skb_header_pointer(skb, 0, sizeof(*iph), buf);
	if (!iph || !nat64_pool4_has_addr(pool, iph->daddr))
		return NF_ACCEPT;

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
		err = NAT64_STAT_DROP_NO_BIB;	/* its prefix is going */
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

/* Fragments are reassembled (nf_defrag, priority -400) before the hooks. */
int nat64_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v6;
	err = nf_register_net_hooks(net, nat64_hook_ops, ARRAY_SIZE(nat64_hook_ops));
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_v6:
	nf_defrag_ipv4_disable(net);
	return err;
}

void nat64_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nat64_hook_ops, ARRAY_SIZE(nat64_hook_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
