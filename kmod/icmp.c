// SPDX-License-Identifier: GPL-2.0
/* ICMP type mapping (RFC 7915 sections 4.2 and 5.2). */

#include "xlat.h"

int nat64_icmp6_classify(u8 type)
{
	switch (type) {
	case ICMPV6_ECHO_REQUEST:
	case ICMPV6_ECHO_REPLY:
		return 0;
	case ICMPV6_DEST_UNREACH:
	case ICMPV6_PKT_TOOBIG:
	case ICMPV6_TIME_EXCEED:
	case ICMPV6_PARAMPROB:
		return NAT64_ICMP_ERROR;
	default:
		/* MLD, ND and the rest are single-hop or unknown: RFC 7915 5.2 */
		return NAT64_STAT_DROP_ICMP_TYPE;
	}
}

int nat64_icmp4_classify(u8 type)
{
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		return 0;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return NAT64_ICMP_ERROR;
	default:
		/* timestamps, info, router and address-mask messages: RFC 7915 4.2 */
		return NAT64_STAT_DROP_ICMP_TYPE;
	}
}

u8 nat64_icmp_echo_6to4(u8 type)
{
	return type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO : ICMP_ECHOREPLY;
}

u8 nat64_icmp_echo_4to6(u8 type)
{
	return type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST : ICMPV6_ECHO_REPLY;
}

/* --- ICMP errors (RFC 7915 sections 4.2, 4.3, 5.2, 5.3) --- */

#include "csum.h"

/* RFC 1191 section 7 plateaus, for routers that report an MTU of 0. */
static const u16 nat64_plateaus[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68
};

static u32 nat64_plateau(u32 tot_len)
{
	unsigned int i;

	for (i = 0; i < sizeof(nat64_plateaus) / sizeof(nat64_plateaus[0]); i++)
		if (nat64_plateaus[i] < tot_len)
			return nat64_plateaus[i];
	return 68;
}

/* IPv4 parameter problem pointer to IPv6 (RFC 7915 4.2 figure 3); -1: none. */
static int nat64_ptr_4to6(u8 ptr)
{
	static const s8 map[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8, 24, 24, 24, 24
	};

	return ptr < 20 ? map[ptr] : -1;
}

/* IPv6 parameter problem pointer to IPv4 (RFC 7915 5.2 figure 6); -1: none. */
static int nat64_ptr_6to4(u32 ptr)
{
	if (ptr < 2)
		return ptr;
	if (ptr == 4 || ptr == 5)
		return 2;
	if (ptr == 6)
		return 9;
	if (ptr == 7)
		return 8;
	if (ptr >= 8 && ptr < 24)
		return 12;
	if (ptr >= 24 && ptr < 40)
		return 16;
	return -1;
}

/*
 * Map an ICMPv4 error type/code/rest-of-header to ICMPv6 (RFC 7915 4.2).
 * @tot_len: total length claimed by the quoted packet (for MTU plateaus).
 * @cap: the translator's own limit for a packet-too-big MTU, 0 for none.
 */
static int nat64_err_map_4to6(const u8 *icmp, u32 tot_len, u32 cap, u8 *hdr)
{
	u8 type = icmp[0], code = icmp[1];
	u32 mtu, rest = 0;
	int ptr;

	switch (type) {
	case ICMP_DEST_UNREACH:
		switch (code) {
		case ICMP_NET_UNREACH: case ICMP_HOST_UNREACH: case ICMP_SR_FAILED:
		case ICMP_NET_UNKNOWN: case ICMP_HOST_UNKNOWN: case ICMP_HOST_ISOLATED:
		case ICMP_NET_UNR_TOS: case ICMP_HOST_UNR_TOS:
			hdr[0] = ICMPV6_DEST_UNREACH;
			hdr[1] = ICMPV6_NOROUTE;
			break;
		case ICMP_PROT_UNREACH:
			hdr[0] = ICMPV6_PARAMPROB;
			hdr[1] = ICMPV6_UNK_NEXTHDR;
			rest = 6;
			break;
		case ICMP_PORT_UNREACH:
			hdr[0] = ICMPV6_DEST_UNREACH;
			hdr[1] = ICMPV6_PORT_UNREACH;
			break;
		case ICMP_FRAG_NEEDED:
			hdr[0] = ICMPV6_PKT_TOOBIG;
			hdr[1] = 0;
			mtu = (icmp[6] << 8) | icmp[7];
			if (mtu < 68)
				mtu = nat64_plateau(tot_len);
			mtu += 20;
			/* and no more than the links on the way allow */
			if (cap && mtu > cap)
				mtu = cap;
			rest = mtu < 1280 ? 1280 : mtu;
			break;
		case ICMP_NET_ANO: case ICMP_HOST_ANO: case ICMP_PKT_FILTERED:
		case ICMP_PREC_CUTOFF:
			hdr[0] = ICMPV6_DEST_UNREACH;
			hdr[1] = ICMPV6_ADM_PROHIBITED;
			break;
		default:	/* 14: host precedence violation, unknown */
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		}
		break;
	case ICMP_TIME_EXCEEDED:
		hdr[0] = ICMPV6_TIME_EXCEED;
		hdr[1] = code;
		break;
	case ICMP_PARAMETERPROB:
		if (code != 0 && code != 2)
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		ptr = nat64_ptr_4to6(icmp[4]);
		if (ptr < 0)
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		hdr[0] = ICMPV6_PARAMPROB;
		hdr[1] = ICMPV6_HDR_FIELD;
		rest = ptr;
		break;
	default:
		return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
	}
	hdr[2] = 0;
	hdr[3] = 0;
	hdr[4] = rest >> 24;
	hdr[5] = rest >> 16;
	hdr[6] = rest >> 8;
	hdr[7] = rest;
	return 0;
}

/* Map an ICMPv6 error to ICMPv4 (RFC 7915 5.2); @cap as above. */
static int nat64_err_map_6to4(const u8 *icmp, u32 cap, u8 *hdr)
{
	u8 type = icmp[0], code = icmp[1];
	u32 rest;
	int ptr;

	memset(hdr, 0, 8);
	rest = (u32)icmp[4] << 24 | icmp[5] << 16 | icmp[6] << 8 | icmp[7];
	switch (type) {
	case ICMPV6_DEST_UNREACH:
		hdr[0] = ICMP_DEST_UNREACH;
		switch (code) {
		case ICMPV6_NOROUTE: case ICMPV6_NOT_NEIGHBOUR: case ICMPV6_ADDR_UNREACH:
			hdr[1] = ICMP_HOST_UNREACH;
			break;
		case ICMPV6_ADM_PROHIBITED:
			hdr[1] = ICMP_HOST_ANO;
			break;
		case ICMPV6_PORT_UNREACH:
			hdr[1] = ICMP_PORT_UNREACH;
			break;
		default:
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		}
		break;
	case ICMPV6_PKT_TOOBIG:
		hdr[0] = ICMP_DEST_UNREACH;
		hdr[1] = ICMP_FRAG_NEEDED;
		rest = rest < 68 + 20 ? 68 : rest - 20;
		if (cap && rest > cap)
			rest = cap < 68 ? 68 : cap;
		if (rest > 0xffff)
			rest = 0xffff;
		hdr[6] = rest >> 8;
		hdr[7] = rest & 0xff;
		break;
	case ICMPV6_TIME_EXCEED:
		hdr[0] = ICMP_TIME_EXCEEDED;
		hdr[1] = code;
		break;
	case ICMPV6_PARAMPROB:
		if (code == ICMPV6_UNK_NEXTHDR) {
			hdr[0] = ICMP_DEST_UNREACH;
			hdr[1] = ICMP_PROT_UNREACH;
			break;
		}
		if (code != ICMPV6_HDR_FIELD)
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		ptr = nat64_ptr_6to4(rest);
		if (ptr < 0)
			return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
		hdr[0] = ICMP_PARAMETERPROB;
		hdr[4] = ptr;
		break;
	default:
		return NAT64_STAT_DROP_ICMP_UNTRANSLATABLE;
	}
	return 0;
}

/*
 * The transport header of a quoted packet: at least its first 8 bytes (an
 * ICMPv4 error may quote no more), ports or echo identifier.
 */
static int nat64_inner_l4(const u8 *buf, unsigned int len, unsigned int off,
			  unsigned int l4len, u8 proto, struct nat64_l4 *l4)
{
	if (off + 8 > len || l4len < 8)
		return NAT64_STAT_DROP_ICMP_INNER;
	memset(l4, 0, sizeof(*l4));
	l4->off = off;
	l4->len = l4len;
	l4->proto = proto;
	l4->hdrlen = len - off;
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		memcpy(&l4->sport, buf + off, 2);
		memcpy(&l4->dport, buf + off + 2, 2);
		return 0;
	case IPPROTO_ICMP:
		l4->icmp_type = buf[off];
		memcpy(&l4->sport, buf + off + 4, 2);
		return 0;
	default:
		return NAT64_STAT_DROP_ICMP_INNER;
	}
}

/*
 * Parse the packet quoted in an ICMP error (@len bytes at @buf). It may be
 * cut anywhere after the first 8 bytes of its transport header; its lengths
 * describe the original packet. ICMP inside must be an echo: errors about
 * errors are dropped (RFC 7915 4.2, 5.2).
 */
int nat64_parse_inner4(const u8 *buf, unsigned int len, struct nat64_pkt4 *in)
{
	const struct iphdr *iph = (const struct iphdr *)buf;
	unsigned int ihl;

	if (len < sizeof(*iph))
		return NAT64_STAT_DROP_ICMP_INNER;
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) || ntohs(iph->tot_len) < ihl + 8)
		return NAT64_STAT_DROP_ICMP_INNER;
	if (iph->frag_off & htons(NAT64_IP_OFFSET))
		return NAT64_STAT_DROP_ICMP_INNER;	/* no transport header */
	in->saddr = iph->saddr;
	in->daddr = iph->daddr;
	in->tos = iph->tos;
	in->ttl = iph->ttl;
	in->id = iph->id;
	in->mf = iph->frag_off & htons(NAT64_IP_MF);
	if (nat64_inner_l4(buf, len, ihl, ntohs(iph->tot_len) - ihl, iph->protocol,
			   &in->l4))
		return NAT64_STAT_DROP_ICMP_INNER;
	if (in->l4.proto == IPPROTO_ICMP && nat64_icmp4_classify(in->l4.icmp_type))
		return NAT64_STAT_DROP_ICMP_INNER;
	return 0;
}

int nat64_parse_inner6(const u8 *buf, unsigned int len, struct nat64_pkt6 *in)
{
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)buf;
	unsigned int off = sizeof(*ip6), end, n = 0;
	u8 nh, next;

	if (len < sizeof(*ip6) || ip6->version != 6)
		return NAT64_STAT_DROP_ICMP_INNER;
	end = sizeof(*ip6) + ntohs(ip6->payload_len);
	in->saddr = ip6->saddr;
	in->daddr = ip6->daddr;
	in->tclass = (ip6->priority << 4) | (ip6->flow_lbl[0] >> 4);
	in->hop_limit = ip6->hop_limit;
	in->frag_ok = false;
	in->frag_mf = false;
	in->frag_id = 0;
	nh = ip6->nexthdr;
	while (nh == NAT64_NH_HOP || nh == NAT64_NH_DEST || nh == NAT64_NH_ROUTING ||
	       nh == NAT64_NH_FRAGMENT) {
		if (n++ >= 8 || off + 8 > len)
			return NAT64_STAT_DROP_ICMP_INNER;
		next = buf[off];
		if (nh == NAT64_NH_FRAGMENT) {
			/* only a first fragment quotes the transport header */
			if ((buf[off + 2] << 8 | buf[off + 3]) & 0xfff8)
				return NAT64_STAT_DROP_ICMP_INNER;
			in->frag_ok = true;
			in->frag_mf = buf[off + 3] & 1;
			memcpy(&in->frag_id, buf + off + 4, 4);
			off += 8;
		} else {
			off += (buf[off + 1] + 1) * 8;
		}
		nh = next;
	}
	if (off > end || nh == IPPROTO_ICMP)
		return NAT64_STAT_DROP_ICMP_INNER;
	if (nat64_inner_l4(buf, len, off, end - off, nh == NAT64_NH_ICMP ? IPPROTO_ICMP : nh,
			   &in->l4))
		return NAT64_STAT_DROP_ICMP_INNER;
	if (in->l4.proto == IPPROTO_ICMP && nat64_icmp6_classify(in->l4.icmp_type))
		return NAT64_STAT_DROP_ICMP_INNER;
	return 0;
}

/*
 * Rewrite the quoted transport header @l4 (@avail bytes of it are there):
 * ports (ICMP: type and identifier @id) and, when the checksum field is
 * there, the checksum for the new pseudo-header: @old and @new are the sums
 * of the old and new pseudo-header parts that differ.
 */
static void nat64_inner_rewrite(u8 *l4, unsigned int avail, u8 proto, u8 icmp_type,
				__be16 sport, __be16 dport, __be16 id, u32 old, u32 new)
{
	unsigned int coff = nat64_l4_csum_off(proto);
	__sum16 check;

	if (proto == IPPROTO_ICMP) {
		old = nat64_sum(old, l4, 2);
		old = nat64_sum(old, l4 + 4, 2);
		l4[0] = icmp_type;
		memcpy(l4 + 4, &id, 2);
		new = nat64_sum(new, l4, 2);
		new = nat64_sum(new, l4 + 4, 2);
	} else {
		old = nat64_sum(old, l4, 4);
		memcpy(l4, &sport, 2);
		memcpy(l4 + 2, &dport, 2);
		new = nat64_sum(new, l4, 4);
	}
	if (avail < coff + 2)
		return;
	memcpy(&check, l4 + coff, 2);
	if (proto == IPPROTO_UDP && !check)
		return;
	check = nat64_csum_update(check, old, new);
	if (proto == IPPROTO_UDP && !check)
		check = (__force __sum16)0xffff;
	memcpy(l4 + coff, &check, 2);
}

/*
 * RFC 4884: a length attribute (@words of @unit bytes) says where the quoted
 * datagram ends, and extensions may follow. @qlen bytes follow the ICMP
 * header; a length shorter than @min (the headers parsed) or past the end
 * is not one to trust.
 */
static unsigned int nat64_quote_len(unsigned int qlen, unsigned int words,
				    unsigned int unit, unsigned int min)
{
	if (words && words * unit >= min && words * unit < qlen)
		return words * unit;
	return qlen;
}

int nat64_err_4to6(const u8 *icmp, unsigned int len, const struct nat64_pkt4 *outer,
		   const struct nat64_pkt4 *in, const struct nat64_xl6 *x,
		   const struct nat64_xl6 *xi, u32 mtu, u8 *out, unsigned int cap)
{
	struct ipv6hdr *o6 = (struct ipv6hdr *)out, *i6 = (struct ipv6hdr *)(out + 48);
	/* a quoted first fragment keeps its identity: a fragment header */
	unsigned int fh = in->mf ? 8 : 0, copy, plen, ihl = in->l4.off;
	u8 *l4 = out + 88 + fh, *ic = out + 40;
	u8 nh = in->l4.proto == IPPROTO_ICMP ? NAT64_NH_ICMP : in->l4.proto;
	__sum16 check;
	u32 old, new;
	int err;

	if (cap > 1280)
		cap = 1280;
	if (len < 8 + ihl + 8 || cap < 88 + fh + 8)
		return -NAT64_STAT_DROP_ICMP_INNER;
	if (nat64_fold(nat64_sum(0, icmp, len)) != 0xffff)
		return -NAT64_STAT_DROP_ICMP_CSUM;
	err = nat64_err_map_4to6(icmp, ihl + in->l4.len, mtu, ic);
	if (err)
		return -err;
	/* the quoted datagram only: RFC 4884 padding and extensions stay out */
	copy = nat64_quote_len(len - 8, icmp[5], 4, ihl + 8) - ihl;
	if (copy > in->l4.len)
		copy = in->l4.len;
	if (copy > cap - 88 - fh)
		copy = cap - 88 - fh;
	memcpy(l4, icmp + 8 + ihl, copy);
	old = nat64_sum(nat64_sum(0, &in->saddr, 4), &in->daddr, 4);
	new = nat64_sum(nat64_sum(0, &xi->saddr, 16), &xi->daddr, 16);
	if (in->l4.proto == IPPROTO_ICMP) {
		old = 0;
		new = nat64_pseudo6(&xi->saddr, &xi->daddr, in->l4.len, NAT64_NH_ICMP);
	}
	nat64_inner_rewrite(l4, copy, in->l4.proto, nat64_icmp_echo_4to6(in->l4.icmp_type),
			    xi->sport, xi->dport, xi->sport, old, new);

	memset(i6, 0, sizeof(*i6));
	i6->version = 6;
	i6->priority = in->tos >> 4;
	i6->flow_lbl[0] = (in->tos & 0x0f) << 4;
	i6->payload_len = htons(fh + in->l4.len);
	i6->nexthdr = fh ? NAT64_NH_FRAGMENT : nh;
	i6->hop_limit = in->ttl;
	i6->saddr = xi->saddr;
	i6->daddr = xi->daddr;
	if (fh) {	/* RFC 7915 4.1: offset 0, M set, the IPv4 identification */
		__be32 id = htonl(ntohs(in->id));

		out[88] = nh;
		out[89] = 0;
		out[90] = 0;
		out[91] = 1;
		memcpy(out + 92, &id, 4);
	}

	plen = 8 + 40 + fh + copy;
	memset(o6, 0, sizeof(*o6));
	o6->version = 6;
	o6->priority = outer->tos >> 4;
	o6->flow_lbl[0] = (outer->tos & 0x0f) << 4;
	o6->payload_len = htons(plen);
	o6->nexthdr = NAT64_NH_ICMP;
	o6->hop_limit = outer->ttl;
	o6->saddr = x->saddr;
	o6->daddr = x->daddr;
	new = nat64_pseudo6(&x->saddr, &x->daddr, plen, NAT64_NH_ICMP);
	check = (__force __sum16)(u16)~nat64_fold(nat64_sum(new, ic, plen));
	memcpy(ic + 2, &check, 2);
	return 40 + plen;
}

int nat64_err_6to4(const u8 *icmp, unsigned int len, const struct nat64_pkt6 *outer,
		   const struct nat64_pkt6 *in, const struct nat64_xl4 *x,
		   const struct nat64_xl4 *xi, __be16 id, u32 mtu, u8 *out, unsigned int cap)
{
	struct iphdr *o4 = (struct iphdr *)out, *i4 = (struct iphdr *)(out + 28);
	unsigned int copy, tot, l3 = in->l4.off;
	u8 *l4 = out + 48, *ic = out + 20;
	__sum16 check;
	u32 old, new;
	int err;

	if (cap > 576)
		cap = 576;
	if (len < 8 + l3 + 8 || cap < 48 + 8)
		return -NAT64_STAT_DROP_ICMP_INNER;
	old = nat64_pseudo6(&outer->saddr, &outer->daddr, len, NAT64_NH_ICMP);
	if (nat64_fold(nat64_sum(old, icmp, len)) != 0xffff)
		return -NAT64_STAT_DROP_ICMP_CSUM;
	err = nat64_err_map_6to4(icmp, mtu, ic);
	if (err)
		return -err;
	/* destination unreachable and time exceeded have a length at byte 4 */
	copy = nat64_quote_len(len - 8, icmp[0] == 1 || icmp[0] == 3 ? icmp[4] : 0, 8,
			       l3 + 8) - l3;
	if (copy > in->l4.len)
		copy = in->l4.len;	/* no RFC 4884 padding or extensions */
	if (copy > cap - 48)
		copy = cap - 48;
	memcpy(l4, icmp + 8 + l3, copy);
	old = nat64_sum(nat64_sum(0, &in->saddr, 16), &in->daddr, 16);
	new = nat64_sum(nat64_sum(0, &xi->saddr, 4), &xi->daddr, 4);
	if (in->l4.proto == IPPROTO_ICMP) {
		old = nat64_pseudo6(&in->saddr, &in->daddr, in->l4.len, NAT64_NH_ICMP);
		new = 0;
	}
	nat64_inner_rewrite(l4, copy, in->l4.proto, nat64_icmp_echo_6to4(in->l4.icmp_type),
			    xi->sport, xi->dport, xi->dport, old, new);

	tot = 20 + in->l4.len;
	memset(i4, 0, sizeof(*i4));
	i4->version = 4;
	i4->ihl = 5;
	i4->tos = in->tclass;
	i4->tot_len = htons(tot > 0xffff ? 0xffff : tot);
	i4->frag_off = tot > 1260 ? htons(NAT64_IP_DF) : 0;
	if (in->frag_ok) {	/* RFC 7915 5.1.1: a quoted first fragment */
		i4->id = htons(ntohl(in->frag_id) & 0xffff);
		i4->frag_off = in->frag_mf ? htons(NAT64_IP_MF) : 0;
	}
	i4->ttl = in->hop_limit;
	i4->protocol = in->l4.proto;
	i4->saddr = xi->saddr;
	i4->daddr = xi->daddr;
	i4->check = nat64_ip4_csum(i4, sizeof(*i4));

	tot = 20 + 8 + 20 + copy;
	memset(o4, 0, sizeof(*o4));
	o4->version = 4;
	o4->ihl = 5;
	o4->tos = outer->tclass;
	o4->tot_len = htons(tot);
	o4->id = id;
	o4->ttl = outer->hop_limit;
	o4->protocol = IPPROTO_ICMP;
	o4->saddr = x->saddr;
	o4->daddr = x->daddr;
	o4->check = nat64_ip4_csum(o4, sizeof(*o4));
	check = (__force __sum16)(u16)~nat64_fold(nat64_sum(0, ic, tot - 20));
	memcpy(ic + 2, &check, 2);
	return tot;
}
