// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter glue, output half: write the translated headers into the skb (or
 * rebuild an ICMP error in a new one) and hand it to the receive path of the
 * other family at its PREROUTING hook (nat64_rcv), in the same softirq.
 */
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/dst_metadata.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/l3mdev.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <linux/icmpv6.h>
#include <net/netfilter/nf_conntrack_core.h>
#include "nat64.h"

/* The Ethernet header, for rules that match on it (and taps, on the backlog path). */
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
 * What ip_rcv() and ipv6_rcv() do after their PREROUTING hook: l3mdev (VRF),
 * route lookup, then forward or deliver. The header checks before the hook
 * have nothing to find in a header built here.
 */
static int nat64_rcv4_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct iphdr *iph;

	skb = l3mdev_ip_rcv(skb);
	if (!skb)
		return NET_RX_SUCCESS;
	iph = ip_hdr(skb);
	if (!skb_valid_dst(skb)) {
		/*
		 * Source validation applies to the pool4 source as to any
		 * source arriving on this device: rp_filter, accept_local
		 * (README, deployment). Counted like ip_rcv(), and by us.
		 */
		int err = ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
					       skb->dev);

		if (err) {
			if (err == -EXDEV)
				__NET_INC_STATS(net, LINUX_MIB_IPRPFILTER);
			nat64_stat_inc(nat64_pernet(net), DROP_ROUTE4);
			kfree_skb(skb);
			return NET_RX_DROP;
		}
	}
	return dst_input(skb);
}

static int nat64_rcv6_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6;
	struct flowi6 fl6;

	skb = l3mdev_ip6_rcv(skb);
	if (!skb)
		return NET_RX_SUCCESS;
	if (!skb_valid_dst(skb)) {	/* VRF may have routed it */
		ip6 = ipv6_hdr(skb);
		fl6 = (struct flowi6) {
			.flowi6_iif = skb->dev->ifindex,
			.daddr = ip6->daddr,
			.saddr = ip6->saddr,
			.flowlabel = ip6_flowinfo(ip6),
			.flowi6_mark = skb->mark,
			.flowi6_proto = ip6->nexthdr,
		};
		skb_dst_drop(skb);	/* a metadata dst, if any */
		skb_dst_set_noref(skb, ip6_route_input_lookup(net, skb->dev, &fl6, skb,
							      RT6_LOOKUP_F_HAS_SADDR |
							      RT6_LOOKUP_F_DST_NOREF));
	}
	/*
	 * lowest-ipv6-mtu above the route's MTU: fragments of the route's
	 * size (a frag_max_size above it would have the packet refused).
	 */
	if (IP6CB(skb)->frag_max_size) {
		u32 mtu = dst_mtu(skb_dst(skb));

		if (mtu >= IPV6_MIN_MTU && mtu < IP6CB(skb)->frag_max_size)
			IP6CB(skb)->frag_max_size = mtu;
	}
	return dst_input(skb);
}

/*
 * The other family's receive path from its PREROUTING hook on, in this
 * softirq: the packet is not queued again, and packet taps and tc ingress of
 * the device see it as it arrived, not translated.
 */
static void nat64_rcv(struct nat64_net *nn, struct sk_buff *skb, __be16 proto)
{
	struct net_device *dev = skb->dev;
	struct net *net = nn->net;

	if (proto == htons(ETH_P_IP)) {
		IPCB(skb)->iif = skb->skb_iif;
		__IP_UPD_PO_STATS(net, IPSTATS_MIB_IN, skb->len);
		NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, NULL, skb, dev, NULL,
			nat64_rcv4_finish);
	} else {
		struct inet6_dev *idev = __in6_dev_get(dev);

		IP6CB(skb)->iif = dev->ifindex;
		IP6CB(skb)->nhoff = offsetof(struct ipv6hdr, nexthdr);
		u32 mtu6 = READ_ONCE(nn->cfg.lowest_mtu6);

		/*
		 * RFC 7915 4: an IPv4 packet without DF (nat64_out6 set
		 * ignore_df) leaves in IPv6 fragments of lowest-ipv6-mtu
		 * (1280) bytes at most.
		 */
		if (skb->ignore_df && !skb_is_gso(skb) && skb->len > mtu6)
			IP6CB(skb)->frag_max_size = mtu6;
		if (idev)
			__IP6_UPD_PO_STATS(net, idev, IPSTATS_MIB_IN, skb->len);
		NF_HOOK(NFPROTO_IPV6, NF_INET_PRE_ROUTING, net, NULL, skb, dev, NULL,
			nat64_rcv6_finish);
	}
}

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
	 * that arrived goes on at once, one level deeper (two for a hairpin);
	 * the box's own packets (on the loopback device) go through the
	 * backlog and the whole receive path.
	 */
	if (in_softirq() && !(skb->dev->flags & IFF_LOOPBACK)) {
		nat64_rcv(nn, skb, proto);
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

/*
 * A packet that came through IPsec is checked against the arriving
 * family's forward policy, as forwarding it untranslated would have been;
 * its secpath means nothing to the other family (whose forward policy
 * check would refuse a tunnel-mode one) and goes.
 */
static int nat64_xfrm_fwd(struct sk_buff *skb, unsigned short family)
{
	bool nopolicy;

	if (likely(!skb_sec_path(skb)))
		return 0;
	/* the arriving device's disable_policy exempts it, as its routes would */
	if (family == AF_INET6) {
		const struct inet6_dev *idev = __in6_dev_get(skb->dev);

		nopolicy = idev && READ_ONCE(idev->cnf.disable_policy);
	} else {
		struct in_device *in_dev = __in_dev_get_rcu(skb->dev);

		nopolicy = in_dev && IN_DEV_CONF_GET(in_dev, NOPOLICY);
	}
	if (!nopolicy && !xfrm_policy_check(NULL, XFRM_POLICY_FWD, skb, family))
		return NAT64_STAT_DROP_XFRM_POLICY;
	secpath_reset(skb);
	return 0;
}

static void nat64_gso_6to4(struct sk_buff *skb)
{
	struct skb_shared_info *si = skb_shinfo(skb);

	if (!skb_is_gso(skb) || skb->encapsulation)
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

	/*
	 * Only TCP segments are cut anew. A UDP GSO packet's gso_size is each
	 * datagram's payload (IPv6 output fragments what no longer fits);
	 * a tunnel's gso_type and gso_size describe its inner packet.
	 */
	if (!skb_is_gso(skb) || skb->encapsulation || !(si->gso_type & SKB_GSO_TCPV4))
		return;
	si->gso_type &= ~(SKB_GSO_TCPV4 | SKB_GSO_TCP_FIXEDID);
	si->gso_type |= SKB_GSO_TCPV6;
	/* segments grow by the 20 bytes the IPv6 header adds */
	if (si->gso_size > 20 + 536) {
		skb_decrease_gso_size(si, 20);
		/*
		 * GRO's frag_list members end on the old size: skb_segment()
		 * copies them instead of sharing pages only for DODGY packets.
		 */
		if (skb_has_frag_list(skb))
			si->gso_type |= SKB_GSO_DODGY;
		payload = l4->len - l4hdr;
		si->gso_segs = DIV_ROUND_UP(payload, si->gso_size);
	}
}

int nat64_out4(struct nat64_net *nn, struct sk_buff *skb,
	       struct nat64_pkt6 *p, const struct nat64_xl4 *x)
{
	unsigned int end = p->l4.off + p->l4.hdrlen;
	struct nat64_mac mac;
	struct iphdr iph;
	bool partial;
	int err;

	nat64_mac_save(skb, &mac);
	if (skb_ensure_writable(skb, end))
		return NAT64_STAT_DROP_NOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL && p->l4.proto == IPPROTO_ICMP &&
	    skb_checksum_help(skb))
		return NAT64_STAT_DROP_NOMEM;
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	err = nat64_xfrm_fwd(skb, AF_INET6);
	if (err)
		return err;
	p->frag_ok = IP6CB(skb)->frag_max_size;	/* reassembled */
	err = nat64_xlat_6to4(p, x, 0, partial, skb->data + p->l4.off, &iph);
	if (!err)	/* not for a packet dropped: its entry would stay */
		err = nat64_ct_confirm(skb);
	if (err)
		return err;
	/*
	 * RFC 7915 5.1 decides DF by size: for a GSO packet, by the size of
	 * the segments that leave, as if GRO had not merged them.
	 */
	if ((iph.frag_off & htons(IP_DF)) && skb_is_gso(skb) && !skb->encapsulation &&
	    sizeof(iph) + skb_shinfo(skb)->gso_size + (p->l4.proto == IPPROTO_TCP ?
	    (skb->data[p->l4.off + 12] >> 4) * 4 : p->l4.hdrlen) <= 1260) {
		csum_replace2(&iph.check, iph.frag_off, 0);
		iph.frag_off = 0;
	}
	/*
	 * Without DF the packet needs an ID: the one IPv4 output gives the
	 * box's own packets (a counter per hashed destination with random
	 * steps, RFC 7739; what Jool uses too), and no random bytes per packet.
	 */
	if (!(iph.frag_off & htons(IP_DF))) {
		struct skb_shared_info *si = skb_shinfo(skb);
		/* a DODGY packet (virtio, tap) may not count its segments */
		u32 segs = !skb_is_gso(skb) ? 1 : si->gso_segs ?:
			   DIV_ROUND_UP(skb->len, si->gso_size);

		__ip_select_ident(nn->net, &iph, segs);
		csum_replace2(&iph.check, 0, iph.id);
	}
	__skb_pull(skb, p->l4.off - sizeof(iph));
	memcpy(skb->data, &iph, sizeof(iph));
	/* DF is the translation's (a local IPv6 socket may have allowed more) */
	skb->ignore_df = 0;
	nat64_gso_6to4(skb);
	nat64_stat_inc(nn, XLAT_6TO4);
	nat64_reinject(nn, skb, htons(ETH_P_IP), sizeof(iph), &mac);
	return 0;
}

int nat64_out6(struct nat64_net *nn, struct sk_buff *skb,
	       const struct nat64_pkt4 *p, const struct nat64_xl6 *x)
{
	unsigned int end = p->l4.off + p->l4.hdrlen;
	struct nat64_mac mac;
	struct ipv6hdr ip6;
	bool partial, full;
	int err, delta;

	nat64_mac_save(skb, &mac);
	delta = (int)sizeof(ip6) - p->l4.off;
	if (skb_cow_head(skb, max(delta, 0) + ETH_HLEN) || skb_ensure_writable(skb, end))
		return NAT64_STAT_DROP_NOMEM;
	if (skb->ip_summed == CHECKSUM_PARTIAL && p->l4.proto == IPPROTO_ICMP &&
	    skb_checksum_help(skb))
		return NAT64_STAT_DROP_NOMEM;
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	err = nat64_xfrm_fwd(skb, AF_INET);
	if (err)
		return err;
	/*
	 * Without DF (or reassembled) the IPv4 sender allows fragmentation:
	 * the IPv6 output fragments what exceeds the link (RFC 7915 4).
	 */
	skb->ignore_df = !(ip_hdr(skb)->frag_off & htons(IP_DF)) || IPCB(skb)->frag_max_size;
	err = nat64_xlat_4to6(p, x, partial, skb->data + p->l4.off, &ip6, &full);
	if (!err)
		err = nat64_ct_confirm(skb);
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
	nskb->skb_iif = skb->skb_iif;
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
int nat64_err6(struct nat64_net *nn, struct sk_buff *skb,
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

/* ICMPv4 error to a pool4 address about a flow of a session. */
/*
 * An ICMPv4 error to a pool4 address the box owns about a packet that no
 * binding sent (a protocol not ours, or a port or identifier no binding
 * holds): the box's own, as nat64_for_box decides for other packets.
 */
static bool nat64_err4_for_box(struct nat64_net *nn, struct sk_buff *skb,
			       const struct nat64_pkt4 *p, const struct nat64_pkt4 *in)
{
	if (in) {
		struct nat64_bkey4 bk = {
			.addr = in->saddr, .port = in->l4.sport, .proto = in->l4.proto,
		};

		if (nat64_bib_held4(nn, &bk))
			return false;
	}
	return inet_addr_type_dev_table(nn->net, skb->dev, p->daddr) == RTN_LOCAL;
}

int nat64_err4(struct nat64_net *nn, struct sk_buff *skb,
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
	if (err) {
		u8 proto = p->l4.len >= 8 + 20 ? icmp[8 + 9] : 0;

		if (proto && proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		    proto != IPPROTO_ICMP && nat64_err4_for_box(nn, skb, p, NULL))
			return NAT64_NOT_OURS;
		return err;
	}
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
	if (!s && nat64_err4_for_box(nn, skb, p, &in))
		return NAT64_NOT_OURS;
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
