// SPDX-License-Identifier: GPL-2.0
/* IPv6 packet parsing and IPv6-to-IPv4 header translation (RFC 7915 section 5). */

#include "xlat.h"
#include "csum.h"

#define NAT64_MAX_EXTHDRS	8

/* Parse the transport header at @off; shared by both families. */
int nat64_parse_l4(const u8 *buf, unsigned int buflen, unsigned int off,
		   unsigned int l4len, u8 proto, struct nat64_l4 *l4, int trunc)
{
	l4->off = off;
	l4->len = l4len;
	l4->tcp_flags = 0;
	l4->icmp_type = 0;
	l4->icmp_err = false;
	switch (proto) {
	case IPPROTO_TCP: {
		unsigned int doff;

		if (l4len < 20 || off + 20 > buflen)
			return trunc;
		doff = (buf[off + 12] >> 4) * 4;
		if (doff < 20 || doff > l4len)
			return trunc;
		l4->hdrlen = 20;
		memcpy(&l4->sport, buf + off, 2);
		memcpy(&l4->dport, buf + off + 2, 2);
		l4->tcp_flags = (buf[off + 13] & 0x01 ? NAT64_TCP_FIN : 0) |
				(buf[off + 13] & 0x02 ? NAT64_TCP_SYN : 0) |
				(buf[off + 13] & 0x04 ? NAT64_TCP_RST : 0);
		break;
	}
	case IPPROTO_UDP: {
		u16 ulen;

		if (l4len < 8 || off + 8 > buflen)
			return trunc;
		memcpy(&ulen, buf + off + 4, 2);
		ulen = ntohs((__force __be16)ulen);
		/* GSO UDP may carry a length that is not the datagram's */
		if (ulen < 8 || (ulen > l4len && ulen != 0xffff))
			return trunc;
		l4->hdrlen = 8;
		memcpy(&l4->sport, buf + off, 2);
		memcpy(&l4->dport, buf + off + 2, 2);
		break;
	}
	case IPPROTO_ICMP:
		if (l4len < 8 || off + 8 > buflen)
			return trunc;
		l4->hdrlen = 8;
		l4->icmp_type = buf[off];
		memcpy(&l4->sport, buf + off + 4, 2);
		l4->dport = 0;
		break;
	default:
		return NAT64_STAT_DROP_PROTO;
	}
	l4->proto = proto;
	return 0;
}

int nat64_parse6(const u8 *buf, unsigned int buflen, unsigned int pktlen,
		 struct nat64_pkt6 *p)
{
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)buf;
	unsigned int off = sizeof(*ip6), end, n;
	u8 nexthdr;
	int err;

	if (buflen > pktlen)
		buflen = pktlen;
	if (buflen < sizeof(*ip6))
		return NAT64_STAT_DROP_TRUNCATED6;
	if (ip6->version != 6)
		return NAT64_STAT_DROP_BAD_HDR;
	if (!ip6->payload_len)
		return NAT64_STAT_DROP_JUMBO;
	end = sizeof(*ip6) + ntohs(ip6->payload_len);
	if (end > pktlen)
		return NAT64_STAT_DROP_TRUNCATED6;
	p->saddr = ip6->saddr;
	p->daddr = ip6->daddr;
	p->tclass = (ip6->priority << 4) | (ip6->flow_lbl[0] >> 4);
	p->hop_limit = ip6->hop_limit;
	p->frag_ok = false;
	p->frag_mf = false;
	p->frag_id = 0;

	nexthdr = ip6->nexthdr;
	for (n = 0; ; n++) {
		unsigned int hlen;

		if (nexthdr != NAT64_NH_HOP && nexthdr != NAT64_NH_DEST &&
		    nexthdr != NAT64_NH_ROUTING && nexthdr != NAT64_NH_FRAGMENT)
			break;
		if (nexthdr == NAT64_NH_HOP && n)
			return NAT64_STAT_DROP_EXTHDR;
		if (n >= NAT64_MAX_EXTHDRS)
			return NAT64_STAT_DROP_EXTHDR;
		if (off + 8 > end || off + 8 > buflen)
			return NAT64_STAT_DROP_TRUNCATED6;
		if (nexthdr == NAT64_NH_FRAGMENT)
			return NAT64_STAT_DROP_FRAGMENT;
		if (nexthdr == NAT64_NH_ROUTING && buf[off + 3]) {
			/* RFC 7915 5.1: parameter problem at Segments Left */
			p->err_ptr = off + 3;
			return NAT64_STAT_DROP_SEGMENTS_LEFT;
		}
		hlen = (buf[off + 1] + 1) * 8;
		nexthdr = buf[off];
		off += hlen;
		if (off > end)
			return NAT64_STAT_DROP_TRUNCATED6;
	}

	if (nexthdr == NAT64_NH_ICMP) {
		err = nat64_parse_l4(buf, buflen, off, end - off, IPPROTO_ICMP,
				     &p->l4, NAT64_STAT_DROP_TRUNCATED6);
		if (!err)
			err = nat64_icmp6_classify(p->l4.icmp_type);
		if (err == NAT64_ICMP_ERROR) {
			p->l4.icmp_err = true;
			err = 0;
		}
		return err;
	}
	if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP)
		return NAT64_STAT_DROP_PROTO;	/* 1 is ICMPv4, not ICMPv6 */
	return nat64_parse_l4(buf, buflen, off, end - off, nexthdr, &p->l4,
			      NAT64_STAT_DROP_TRUNCATED6);
}

/* Offset of the checksum in the transport header. */
unsigned int nat64_l4_csum_off(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 16;
	case IPPROTO_UDP:
		return 6;
	default:
		return 2;
	}
}

int nat64_xlat_6to4(const struct nat64_pkt6 *p, const struct nat64_xl4 *x,
		    __be16 id, bool partial, u8 *l4, struct iphdr *iph)
{
	unsigned int coff = nat64_l4_csum_off(p->l4.proto);
	u32 tot = sizeof(*iph) + p->l4.len;
	u32 old, new;
	__sum16 check;

	if (tot > 0xffff)
		return NAT64_STAT_DROP_JUMBO;

	memcpy(&check, l4 + coff, 2);
	if (p->l4.proto == IPPROTO_ICMP) {
		/* ICMPv6 sums a pseudo-header, ICMPv4 does not. */
		old = nat64_pseudo6(&p->saddr, &p->daddr, p->l4.len, NAT64_NH_ICMP);
		old = nat64_sum(old, l4, 2);
		old = nat64_sum(old, l4 + 4, 2);
		l4[0] = nat64_icmp_echo_6to4(l4[0]);
		memcpy(l4 + 4, &x->sport, 2);
		new = nat64_sum(0, l4, 2);
		new = nat64_sum(new, l4 + 4, 2);
		check = nat64_csum_update(check, old, new);
	} else {
		if (p->l4.proto == IPPROTO_UDP && !check && !partial)
			return NAT64_STAT_DROP_UDP_ZERO_CSUM6;
		old = nat64_sum(nat64_sum(0, &p->saddr, 16), &p->daddr, 16);
		new = nat64_sum(nat64_sum(0, &x->saddr, 4), &x->daddr, 4);
		check = nat64_l4_rewrite(l4, p->l4.proto, check, old, new, x->sport,
					 x->dport, partial);
	}
	memcpy(l4 + coff, &check, 2);

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = p->tclass;
	iph->tot_len = htons(tot);
	/*
	 * RFC 7915 5.1: DF above 1260 bytes, unless the sender fragmented
	 * (then IPv4 routers may fragment too); without DF an ID is needed.
	 */
	if (tot > 1260 && !p->frag_ok) {
		iph->id = 0;
		iph->frag_off = htons(NAT64_IP_DF);
	} else {
		iph->id = id;
		iph->frag_off = 0;
	}
	iph->ttl = p->hop_limit;
	iph->protocol = p->l4.proto;
	iph->check = 0;
	iph->saddr = x->saddr;
	iph->daddr = x->daddr;
	iph->check = nat64_ip4_csum(iph, sizeof(*iph));
	return 0;
}
