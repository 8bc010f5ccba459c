// SPDX-License-Identifier: GPL-2.0
/* IPv4 packet parsing and IPv4-to-IPv6 header translation (RFC 7915 section 4). */

#include "xlat.h"
#include "csum.h"

/* An unexpired loose or strict source route (RFC 7915 4.1: discard). */
static bool nat64_ip4_srr_unexpired(const u8 *opt, unsigned int len)
{
	unsigned int i = 0, olen;

	while (i < len && opt[i] != IPOPT_END) {
		if (opt[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (i + 2 > len)
			break;
		olen = opt[i + 1];
		if (olen < 2 || i + olen > len)
			break;
		if ((opt[i] == IPOPT_LSRR || opt[i] == IPOPT_SSRR) && olen >= 3 &&
		    opt[i + 2] <= olen)
			return true;
		i += olen;
	}
	return false;
}

int nat64_parse4(const u8 *buf, unsigned int buflen, unsigned int pktlen,
		 struct nat64_pkt4 *p)
{
	const struct iphdr *iph = (const struct iphdr *)buf;
	unsigned int ihl, tot;
	int err;

	if (buflen > pktlen)
		buflen = pktlen;
	if (buflen < sizeof(*iph))
		return NAT64_STAT_DROP_TRUNCATED4;
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph))
		return NAT64_STAT_DROP_BAD_HDR;
	tot = ntohs(iph->tot_len);
	if (tot < ihl)
		return NAT64_STAT_DROP_BAD_HDR;
	if (tot > pktlen || ihl > buflen)
		return NAT64_STAT_DROP_TRUNCATED4;
	if (iph->frag_off & htons(NAT64_IP_MF | NAT64_IP_OFFSET))
		return NAT64_STAT_DROP_FRAGMENT;
	if (ihl > sizeof(*iph) &&
	    nat64_ip4_srr_unexpired(buf + sizeof(*iph), ihl - sizeof(*iph)))
		return NAT64_STAT_DROP_SOURCE_ROUTE;
	p->saddr = iph->saddr;
	p->daddr = iph->daddr;
	p->tos = iph->tos;
	p->ttl = iph->ttl;
	p->id = iph->id;
	p->mf = iph->frag_off & htons(NAT64_IP_MF);
	err = nat64_parse_l4(buf, buflen, ihl, tot - ihl, iph->protocol, &p->l4,
			     NAT64_STAT_DROP_TRUNCATED4);
	if (!err && p->l4.proto == IPPROTO_ICMP)
		err = nat64_icmp4_classify(p->l4.icmp_type);
	if (err == NAT64_ICMP_ERROR) {
		p->l4.icmp_err = true;
		err = 0;
	}
	return err;
}

int nat64_xlat_4to6(const struct nat64_pkt4 *p, const struct nat64_xl6 *x,
		    bool partial, u8 *l4, struct ipv6hdr *ip6, bool *full_csum)
{
	unsigned int coff = nat64_l4_csum_off(p->l4.proto);
	u32 old, new;
	__sum16 check;

	*full_csum = false;
	memcpy(&check, l4 + coff, 2);
	if (p->l4.proto == IPPROTO_ICMP) {
		old = nat64_sum(0, l4, 2);
		old = nat64_sum(old, l4 + 4, 2);
		l4[0] = nat64_icmp_echo_4to6(l4[0]);
		memcpy(l4 + 4, &x->dport, 2);
		new = nat64_pseudo6(&x->saddr, &x->daddr, p->l4.len, NAT64_NH_ICMP);
		new = nat64_sum(new, l4, 2);
		new = nat64_sum(new, l4 + 4, 2);
		check = nat64_csum_update(check, old, new);
	} else if (p->l4.proto == IPPROTO_UDP && !check && !partial) {
		/* RFC 7915 4.5: zero UDP checksum, computed by the caller */
		memcpy(l4, &x->sport, 2);
		memcpy(l4 + 2, &x->dport, 2);
		*full_csum = true;
	} else {
		old = nat64_sum(nat64_sum(0, &p->saddr, 4), &p->daddr, 4);
		new = nat64_sum(nat64_sum(0, &x->saddr, 16), &x->daddr, 16);
		check = nat64_l4_rewrite(l4, p->l4.proto, check, old, new, x->sport,
					 x->dport, partial);
	}
	memcpy(l4 + coff, &check, 2);

	memset(ip6, 0, sizeof(*ip6));
	ip6->version = 6;
	ip6->priority = p->tos >> 4;
	ip6->flow_lbl[0] = (p->tos & 0x0f) << 4;
	ip6->payload_len = htons(p->l4.len);
	ip6->nexthdr = p->l4.proto == IPPROTO_ICMP ? NAT64_NH_ICMP : p->l4.proto;
	ip6->hop_limit = p->ttl;
	ip6->saddr = x->saddr;
	ip6->daddr = x->daddr;
	return 0;
}
