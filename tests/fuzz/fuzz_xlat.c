// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the packet core: one packet per input.
 *
 * data[0] (mode):	bit 0	0: IPv6 packet -> nat64_parse6 + nat64_xlat_6to4
 *				1: IPv4 packet -> nat64_parse4 + nat64_xlat_4to6
 *			bit 1	CHECKSUM_PARTIAL (TCP/UDP only, as the hooks do)
 *			bit 2	buflen = min(len, NAT64_HDR_BUF), like the kernel
 *			bit 3	buflen = len / 2
 *			bit 4	ICMP errors: fix the outer ICMP checksum first, so
 *				that mutated errors reach the translation
 * data[1..]: the packet (pktlen = its length).
 *
 * Besides ASan/UBSan, the oracle aborts when:
 *  - a parse accepts a packet with fields that disagree with the bytes, an
 *    off/len/hdrlen outside the buffer, an ICMP type that is not an echo, or
 *    a result that depends on buflen once the headers are in the buffer;
 *  - the translated header is not RFC 7915 (checked field by field);
 *  - a checksum is not carried over exactly (a right one stays right, a
 *    wrong one stays wrong by the same amount; CHECKSUM_PARTIAL fields keep
 *    their offset to the pseudo-header sum), computed independently;
 *  - translating the result back (with the original addresses and ports)
 *    does not give back the original transport header.
 * ICMP errors (when kmod has NAT64_ICMP_ERROR) go through nat64_parse_inner*
 * and nat64_err_6to4 / nat64_err_4to6 as in kmod/hooks.c, with checks of the
 * outer headers and checksums and of the quoted header.
 * Set NAT64_FUZZ_SKIP_KNOWN=1 to ignore IPv6 packets whose last next header
 * is 1 (ICMPv4 in IPv6, accepted by nat64_parse6: known bug) and keep going.
 */
#include <stdio.h>
#include <stdlib.h>
#include "xlat.h"
#include "../unit/refpkt.h"

static const uint8_t H6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 };
static const uint8_t S6[16] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 33 };
static const uint8_t P4[4] = { 198, 51, 100, 7 };
static const uint8_t S4[4] = { 192, 0, 2, 33 };

#define X_PORT_A	61001
#define X_PORT_B	5353
#define IP_ID		0x1234

#define ASSERT(c, ...)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "fuzz_xlat: %s:%d: %s: ", __FILE__, __LINE__, #c); \
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

static int skip_known;

static uint8_t *dup(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

static int is_drop(int rc)
{
	return rc >= NAT64_STAT_DROP_TRUNCATED6 && rc < NAT64_STAT_MAX;
}

/* ones' complement a - b (as a 16-bit value) */
static uint16_t oc_sub(uint16_t a, uint16_t b)
{
	return ref_fold((uint64_t)a + (uint16_t)~b);
}

/* Independent walk of the IPv6 extension headers of a packet parse6 accepted. */
static void walk6(const uint8_t *d, size_t n, size_t *off, uint8_t *nh)
{
	*off = 40;
	*nh = d[6];
	while (*nh == R_HOP || *nh == R_DEST || *nh == R_ROUTING) {
		ASSERT(*off + 2 <= n, "extension header at %zu beyond %zu", *off, n);
		*nh = d[*off];
		*off += (size_t)(d[*off + 1] + 1) * 8;
	}
}

static void check_l4(const struct nat64_l4 *l4, const uint8_t *t)
{
	ASSERT(l4->proto == R_TCP || l4->proto == R_UDP || l4->proto == R_ICMP4, "proto %u",
	       l4->proto);
	ASSERT(l4->hdrlen == (l4->proto == R_TCP ? 20 : 8), "hdrlen %u", l4->hdrlen);
	ASSERT(l4->len >= l4->hdrlen, "len %u", l4->len);
	if (l4->proto == R_ICMP4) {
		ASSERT(l4->icmp_type == t[0], "icmp type");
		ASSERT(!memcmp(&l4->sport, t + 4, 2) && l4->dport == 0, "echo id");
	} else {
		ASSERT(!memcmp(&l4->sport, t, 2) && !memcmp(&l4->dport, t + 2, 2), "ports");
	}
	if (l4->proto == R_TCP) {
		u8 f = (t[13] & R_FIN ? NAT64_TCP_FIN : 0) | (t[13] & R_SYN ? NAT64_TCP_SYN : 0) |
		       (t[13] & R_RST ? NAT64_TCP_RST : 0);

		ASSERT(l4->tcp_flags == f, "tcp flags %#x, expected %#x", l4->tcp_flags, f);
		ASSERT((t[12] >> 4) * 4 >= 20 && (t[12] >> 4) * 4 <= (int)l4->len, "doff");
	} else {
		ASSERT(l4->tcp_flags == 0, "tcp flags on non-TCP");
	}
	if (l4->proto == R_UDP) {
		uint16_t ul = get16(t + 4);

		ASSERT(ul >= 8 && (ul <= l4->len || ul == 0xffff), "udp length %u of %u", ul,
		       l4->len);
	}
}

/* header bytes other than ports / identifier / type / checksum are untouched */
static void check_hdr_rest(const uint8_t *in, const uint8_t *out, unsigned int hdrlen,
			   uint8_t proto)
{
	unsigned int i, co = (unsigned int)ref_csum_off(proto);

	for (i = 0; i < hdrlen; i++) {
		if (i == co || i == co + 1)
			continue;
		if (proto == R_ICMP4 ? (i == 0 || i == 4 || i == 5) : i < 4)
			continue;
		ASSERT(in[i] == out[i], "transport header byte %u changed", i);
	}
}

#ifdef NAT64_ICMP_ERROR
/*
 * ICMP error translation, called as kmod/hooks.c does: the whole ICMP message
 * (linearized skb), parse_inner on what follows its 8-byte header, then
 * nat64_err_6to4 / nat64_err_4to6 into a buffer of the cap the hooks use.
 */
static void err6(const uint8_t *d, const struct nat64_pkt6 *p, uint8_t mode)
{
	uint8_t *icmp = dup(d + p->l4.off, p->l4.len), *out;
	struct nat64_pkt6 in;
	struct nat64_xl4 x, xi;
	unsigned int quoted = p->l4.len - 8;
	int len;

	ASSERT(p->l4.proto == R_ICMP4 && icmp[0] >= 1 && icmp[0] <= 4, "icmp_err type %u",
	       icmp[0]);
	if (mode & 0x10)
		ref_fill_csum(ref_pseudo6(d + 8, d + 24, p->l4.len, R_ICMP6), icmp, p->l4.len,
			      R_ICMP6);
	memset(&in, 0xa5, sizeof(in));
	len = nat64_parse_inner6(icmp + 8, quoted, &in);
	if (len) {
		ASSERT(is_drop(len), "parse_inner6 returned %d", len);
		free(icmp);
		return;
	}
	ASSERT(in.l4.off + 8 <= quoted, "inner transport header at %u of %u", in.l4.off, quoted);
	ASSERT(in.l4.proto == R_TCP || in.l4.proto == R_UDP || in.l4.proto == R_ICMP4,
	       "inner proto %u", in.l4.proto);
	memcpy(&x.saddr, P4, 4);		/* outer: pool4 -> server */
	memcpy(&x.daddr, S4, 4);
	x.sport = x.dport = 0;
	memcpy(&xi.saddr, S4, 4);		/* quoted: server -> pool4 */
	memcpy(&xi.daddr, P4, 4);
	xi.sport = htons(X_PORT_B);
	xi.dport = htons(X_PORT_A);
	out = malloc(576);
	len = nat64_err_6to4(icmp, p->l4.len, p, &in, &x, &xi, htons(IP_ID), 0, out, 576);
	if (len < 0) {
		ASSERT(is_drop(-len), "err_6to4 returned %d", len);
	} else {
		uint16_t sum6 = ref_residual(ref_pseudo6(d + 8, d + 24, p->l4.len, R_ICMP6), icmp,
					     p->l4.len);
		unsigned int copy = (unsigned int)len - 48;

		ASSERT(sum6 == 0xffff, "ICMPv6 error with a bad checksum translated");
		ASSERT(len >= 56 && len <= 576, "length %d", len);
		ASSERT(copy <= quoted - in.l4.off, "quoted %u bytes of %u", copy,
		       quoted - in.l4.off);
		ASSERT(out[0] == 0x45 && get16(out + 2) == len && out[9] == R_ICMP4 &&
		       ref_ip4_hdr_ok(out, 20), "outer IPv4 header");
		ASSERT(!memcmp(out + 12, P4, 4) && !memcmp(out + 16, S4, 4), "outer addresses");
		ASSERT(out[20] == 3 || out[20] == 11 || out[20] == 12, "ICMPv4 type %u", out[20]);
		ASSERT(ref_fold(ref_add(0, out + 20, (size_t)len - 20)) == 0xffff,
		       "ICMPv4 checksum");
		ASSERT(out[28] == 0x45 && ref_ip4_hdr_ok(out + 28, 20) &&
		       !memcmp(out + 40, S4, 4) && !memcmp(out + 44, P4, 4), "quoted IPv4 header");
		ASSERT(out[37] == in.l4.proto, "quoted protocol");
		if (in.frag_ok)	/* a quoted first fragment (RFC 7915 5.1.1) */
			ASSERT(get16(out + 32) == (ntohl(in.frag_id) & 0xffff) &&
			       get16(out + 34) == (in.frag_mf ? 0x2000 : 0),
			       "quoted fragment: id %#x flags %#x", get16(out + 32),
			       get16(out + 34));
		if (in.l4.proto != R_ICMP4)
			ASSERT(get16(out + 48) == X_PORT_B && get16(out + 50) == X_PORT_A,
			       "quoted ports");
		/* a complete quoted segment keeps its checksum right (or wrong) */
		if (copy == in.l4.len && in.l4.off + in.l4.len == quoted &&
		    in.l4.len >= ref_csum_off(in.l4.proto) + 2 &&
		    !(in.l4.proto == R_UDP && !get16(icmp + 8 + in.l4.off + 6))) {
			uint8_t inh = in.l4.proto == R_ICMP4 ? R_ICMP6 : in.l4.proto;
			uint16_t r0 = ref_residual(ref_pseudo6(icmp + 8 + 8, icmp + 8 + 24,
							       in.l4.len, inh),
						   icmp + 8 + in.l4.off, in.l4.len);
			uint16_t r1 = ref_residual(in.l4.proto == R_ICMP4 ? 0 :
						   ref_pseudo4(S4, P4, (uint16_t)in.l4.len,
							       in.l4.proto),
						   out + 48, in.l4.len);

			ASSERT(r0 == r1, "quoted checksum error %#x became %#x", r0, r1);
		}
	}
	free(out);
	free(icmp);
}

static void err4(const uint8_t *d, const struct nat64_pkt4 *p, uint8_t mode)
{
	uint8_t *icmp = dup(d + p->l4.off, p->l4.len), *out;
	struct nat64_pkt4 in;
	struct nat64_xl6 x, xi;
	unsigned int quoted = p->l4.len - 8;
	int len;

	ASSERT(p->l4.proto == R_ICMP4 && (icmp[0] == 3 || icmp[0] == 11 || icmp[0] == 12),
	       "icmp_err type %u", icmp[0]);
	if (mode & 0x10)
		ref_fill_csum(0, icmp, p->l4.len, R_ICMP4);
	memset(&in, 0xa5, sizeof(in));
	len = nat64_parse_inner4(icmp + 8, quoted, &in);
	if (len) {
		ASSERT(is_drop(len), "parse_inner4 returned %d", len);
		free(icmp);
		return;
	}
	ASSERT(in.l4.off + 8 <= quoted, "inner transport header at %u of %u", in.l4.off, quoted);
	ASSERT(in.l4.proto == R_TCP || in.l4.proto == R_UDP || in.l4.proto == R_ICMP4,
	       "inner proto %u", in.l4.proto);
	memcpy(&x.saddr, S6, 16);		/* outer: server (via prefix) -> host */
	memcpy(&x.daddr, H6, 16);
	x.sport = x.dport = 0;
	memcpy(&xi.saddr, H6, 16);		/* quoted: host -> server */
	memcpy(&xi.daddr, S6, 16);
	xi.sport = htons(X_PORT_A);
	xi.dport = htons(X_PORT_B);
	out = malloc(1280);
	len = nat64_err_4to6(icmp, p->l4.len, p, &in, &x, &xi, 0, out, 1280);
	if (len < 0) {
		ASSERT(is_drop(-len), "err_4to6 returned %d", len);
	} else {
		/* a quoted first fragment gets a fragment header (RFC 7915 4.1) */
		unsigned int fh = in.mf ? 8 : 0, l4 = 88 + fh;
		unsigned int copy = (unsigned int)len - l4;
		uint8_t inh = in.l4.proto == R_ICMP4 ? R_ICMP6 : in.l4.proto;

		ASSERT(ref_fold(ref_add(0, icmp, p->l4.len)) == 0xffff,
		       "ICMPv4 error with a bad checksum translated");
		ASSERT(len >= (int)l4 + 8 && len <= 1280, "length %d", len);
		ASSERT(copy <= quoted - in.l4.off, "quoted %u bytes of %u", copy,
		       quoted - in.l4.off);
		ASSERT(out[0] >> 4 == 6 && get16(out + 4) == len - 40 && out[6] == R_ICMP6 &&
		       !memcmp(out + 8, S6, 16) && !memcmp(out + 24, H6, 16), "outer IPv6 header");
		ASSERT(out[40] >= 1 && out[40] <= 4, "ICMPv6 type %u", out[40]);
		ASSERT(ref_residual(ref_pseudo6(S6, H6, (uint32_t)len - 40, R_ICMP6), out + 40,
				    (size_t)len - 40) == 0xffff, "ICMPv6 checksum");
		ASSERT(out[48] >> 4 == 6 && !memcmp(out + 56, H6, 16) && !memcmp(out + 72, S6, 16),
		       "quoted IPv6 header");
		ASSERT(out[54] == (fh ? 44 : inh), "quoted next header");
		ASSERT(get16(out + 52) == fh + in.l4.len, "quoted payload length");
		if (fh)
			ASSERT(out[88] == inh && get16(out + 90) == 1 &&
			       get16(out + 94) == get16(icmp + 8 + 4) && !get16(out + 92),
			       "quoted fragment header");
		if (in.l4.proto != R_ICMP4)
			ASSERT(get16(out + l4) == X_PORT_A && get16(out + l4 + 2) == X_PORT_B,
			       "quoted ports");
		if (copy == in.l4.len && in.l4.off + in.l4.len == quoted &&
		    in.l4.len >= ref_csum_off(in.l4.proto) + 2 &&
		    !(in.l4.proto == R_UDP && !get16(icmp + 8 + in.l4.off + 6))) {
			uint8_t inh = in.l4.proto == R_ICMP4 ? R_ICMP6 : in.l4.proto;
			uint16_t r0 = ref_residual(in.l4.proto == R_ICMP4 ? 0 :
						   ref_pseudo4(icmp + 8 + 12, icmp + 8 + 16,
							       (uint16_t)in.l4.len, in.l4.proto),
						   icmp + 8 + in.l4.off, in.l4.len);
			uint16_t r1 = ref_residual(ref_pseudo6(H6, S6, in.l4.len, inh), out + l4,
						   in.l4.len);

			ASSERT(r0 == r1, "quoted checksum error %#x became %#x", r0, r1);
		}
	}
	free(out);
	free(icmp);
}
#endif

static void fuzz6(const uint8_t *d, size_t n, uint8_t mode)
{
	size_t buflen = n, off, i;
	struct nat64_pkt6 p, pf;
	struct nat64_pkt4 q;
	struct nat64_xl4 x;
	struct nat64_xl6 x6;
	struct iphdr iph;
	struct ipv6hdr ip6;
	uint8_t *b, *hdr, *out, *hdr2, nh, tclass;
	uint16_t f0, f1, tot;
	bool partial, full;
	int rc;

	if (mode & 4)
		buflen = n < NAT64_HDR_BUF ? n : NAT64_HDR_BUF;
	if (mode & 8)
		buflen = n / 2;
	b = dup(d, buflen);
	memset(&p, 0xa5, sizeof(p));
	rc = nat64_parse6(b, (unsigned int)buflen, (unsigned int)n, &p);
	free(b);
	if (buflen < n) {
		int rcf;

		b = dup(d, n);
		memset(&pf, 0xa5, sizeof(pf));
		rcf = nat64_parse6(b, (unsigned int)n, (unsigned int)n, &pf);
		free(b);
		if (!rc)
			ASSERT(!rcf && !memcmp(&p, &pf, sizeof(p)),
			       "short buffer accepted, full buffer: %d / other result", rcf);
	}
	if (rc) {
		ASSERT(is_drop(rc), "parse6 returned %d", rc);
		return;
	}
	walk6(d, n, &off, &nh);
	if (skip_known && nh == R_ICMP4)
		return;
	ASSERT(n >= 40 && d[0] >> 4 == 6, "not IPv6");
	ASSERT(off == p.l4.off, "l4 at %u, walk says %zu", p.l4.off, off);
	ASSERT(nh == (p.l4.proto == R_ICMP4 ? R_ICMP6 : p.l4.proto),
	       "last next header %u parsed as protocol %u", nh, p.l4.proto);
	ASSERT(p.l4.off + p.l4.hdrlen <= buflen, "header beyond the buffer");
	ASSERT(p.l4.off + p.l4.len == 40u + get16(d + 4), "l4 len %u", p.l4.len);
	ASSERT(p.l4.off + p.l4.len <= n, "beyond the packet");
	check_l4(&p.l4, d + p.l4.off);
#ifdef NAT64_ICMP_ERROR
	if (p.l4.icmp_err) {
		err6(d, &p, mode);
		return;
	}
#endif
	if (p.l4.proto == R_ICMP4)
		ASSERT(p.l4.icmp_type == 128 || p.l4.icmp_type == 129, "icmpv6 type %u",
		       p.l4.icmp_type);
	tclass = (uint8_t)((d[0] & 0x0f) << 4 | d[1] >> 4);
	ASSERT(!memcmp(&p.saddr, d + 8, 16) && !memcmp(&p.daddr, d + 24, 16), "addresses");
	ASSERT(p.tclass == tclass && p.hop_limit == d[7], "tclass/hop limit");

	partial = (mode & 2) && p.l4.proto != R_ICMP4;
	memcpy(&x.saddr, P4, 4);
	memcpy(&x.daddr, S4, 4);
	x.sport = htons(X_PORT_A);
	x.dport = htons(X_PORT_B);
	hdr = dup(d + p.l4.off, p.l4.hdrlen);
	f0 = get16(hdr + ref_csum_off(p.l4.proto));
	rc = nat64_xlat_6to4(&p, &x, htons(IP_ID), partial, hdr, &iph);
	if (rc) {
		ASSERT((rc == NAT64_STAT_DROP_JUMBO && 20 + p.l4.len > 0xffff) ||
		       (rc == NAT64_STAT_DROP_UDP_ZERO_CSUM6 && p.l4.proto == R_UDP && !f0 &&
			!partial), "xlat_6to4 returned %d", rc);
		free(hdr);
		return;
	}
	ASSERT(20 + p.l4.len <= 0xffff, "jumbo translated");
	ASSERT(!(p.l4.proto == R_UDP && !f0 && !partial), "zero UDP checksum translated");
	tot = (uint16_t)(20 + p.l4.len);
	out = malloc(tot);
	memcpy(out, &iph, 20);
	memcpy(out + 20, d + p.l4.off, p.l4.len);
	memcpy(out + 20, hdr, p.l4.hdrlen);
	free(hdr);

	/* RFC 7915 section 5.1 */
	ASSERT(out[0] == 0x45 && out[1] == tclass && get16(out + 2) == tot, "ver/ihl/tos/len");
	if (tot > 1260)
		ASSERT(get16(out + 4) == 0 && get16(out + 6) == 0x4000, "DF/ID above 1260");
	else
		ASSERT(get16(out + 4) == IP_ID && get16(out + 6) == 0, "DF/ID up to 1260");
	ASSERT(out[8] == d[7] && out[9] == p.l4.proto, "ttl/proto");
	ASSERT(!memcmp(out + 12, P4, 4) && !memcmp(out + 16, S4, 4), "addresses");
	ASSERT(ref_ip4_hdr_ok(out, 20), "header checksum");
	check_hdr_rest(d + p.l4.off, out + 20, p.l4.hdrlen, p.l4.proto);
	if (p.l4.proto == R_ICMP4) {
		ASSERT(out[20] == (d[p.l4.off] == 128 ? 8 : 0), "icmp type %u", out[20]);
		ASSERT(get16(out + 24) == X_PORT_A, "echo id");
	} else {
		ASSERT(get16(out + 20) == X_PORT_A && get16(out + 22) == X_PORT_B, "ports");
	}
	f1 = get16(out + 20 + ref_csum_off(p.l4.proto));
	if (partial) {
		uint16_t ps6 = ref_fold(ref_pseudo6(d + 8, d + 24, p.l4.len, nh));
		uint16_t ps4 = ref_fold(ref_pseudo4(P4, S4, (uint16_t)p.l4.len, p.l4.proto));

		ASSERT(ref_oc_eq(oc_sub(f0, ps6), oc_sub(f1, ps4)),
		       "partial checksum %#x -> %#x, pseudo %#x -> %#x", f0, f1, ps6, ps4);
	} else {
		uint16_t r0 = ref_residual(ref_pseudo6(d + 8, d + 24, p.l4.len, nh),
					   d + p.l4.off, p.l4.len);
		uint16_t r1 = ref_residual(p.l4.proto == R_ICMP4 ? 0 :
					   ref_pseudo4(P4, S4, (uint16_t)p.l4.len, p.l4.proto),
					   out + 20, p.l4.len);

		ASSERT(r0 == r1, "checksum error %#x became %#x", r0, r1);
		if (p.l4.proto == R_UDP)
			ASSERT(f1 != 0, "UDP checksum 0 emitted");
	}

	/* back to IPv6 with the original addresses and ports */
	b = dup(out, tot);
	memset(&q, 0xa5, sizeof(q));
	rc = nat64_parse4(b, tot, tot, &q);
	free(b);
	ASSERT(!rc, "translated packet refused by parse4: %d", rc);
	memcpy(&x6.saddr, d + 8, 16);
	memcpy(&x6.daddr, d + 24, 16);
	x6.sport = p.l4.sport;
	x6.dport = p.l4.proto == R_ICMP4 ? p.l4.sport : p.l4.dport;
	hdr2 = dup(out + 20, q.l4.hdrlen);
	rc = nat64_xlat_4to6(&q, &x6, partial, hdr2, &ip6, &full);
	ASSERT(!rc && !full, "back to IPv6: %d full %d", rc, full);
	for (i = 0; i < p.l4.hdrlen; i++) {
		size_t co = ref_csum_off(p.l4.proto);

		if (i == co)
			ASSERT(ref_oc_eq(get16(hdr2 + co), get16(d + p.l4.off + co)),
			       "round trip checksum %#x, was %#x", get16(hdr2 + co),
			       get16(d + p.l4.off + co));
		else if (i != co + 1)
			ASSERT(hdr2[i] == d[p.l4.off + i], "round trip header byte %zu", i);
	}
	{
		uint8_t h[40];

		memcpy(h, &ip6, 40);
		ASSERT((h[0] >> 4) == 6 && ((h[0] & 0x0f) << 4 | h[1] >> 4) == tclass &&
		       (h[1] & 0x0f) == 0 && h[2] == 0 && h[3] == 0, "round trip version/tc/flow");
		ASSERT(get16(h + 4) == p.l4.len && h[6] == nh && h[7] == d[7],
		       "round trip length/next header/hop limit");
		ASSERT(!memcmp(h + 8, d + 8, 32), "round trip addresses");
	}
	free(hdr2);
	free(out);
}

static void fuzz4(const uint8_t *d, size_t n, uint8_t mode)
{
	size_t buflen = n, i;
	struct nat64_pkt4 p, pf;
	struct nat64_pkt6 q;
	struct nat64_xl6 x;
	struct nat64_xl4 x4;
	struct ipv6hdr ip6;
	struct iphdr iph;
	uint8_t *b, *hdr, *out, *hdr2, nh;
	uint16_t f0, f1;
	unsigned int olen;
	bool partial, full;
	int rc;

	if (mode & 4)
		buflen = n < NAT64_HDR_BUF ? n : NAT64_HDR_BUF;
	if (mode & 8)
		buflen = n / 2;
	b = dup(d, buflen);
	memset(&p, 0xa5, sizeof(p));
	rc = nat64_parse4(b, (unsigned int)buflen, (unsigned int)n, &p);
	free(b);
	if (buflen < n) {
		int rcf;

		b = dup(d, n);
		memset(&pf, 0xa5, sizeof(pf));
		rcf = nat64_parse4(b, (unsigned int)n, (unsigned int)n, &pf);
		free(b);
		if (!rc)
			ASSERT(!rcf && !memcmp(&p, &pf, sizeof(p)),
			       "short buffer accepted, full buffer: %d / other result", rcf);
	}
	if (rc) {
		ASSERT(is_drop(rc), "parse4 returned %d", rc);
		return;
	}
	ASSERT(n >= 20 && d[0] >> 4 == 4 && (d[0] & 0x0f) >= 5, "not IPv4");
	ASSERT(!(get16(d + 6) & 0x3fff), "fragment accepted");
	ASSERT(p.l4.off == (d[0] & 0x0f) * 4, "l4 at %u", p.l4.off);
	ASSERT(p.l4.proto == d[9], "protocol %u parsed as %u", d[9], p.l4.proto);
	ASSERT(p.l4.off + p.l4.hdrlen <= buflen, "header beyond the buffer");
	ASSERT(p.l4.off + p.l4.len == get16(d + 2), "l4 len %u", p.l4.len);
	ASSERT(p.l4.off + p.l4.len <= n, "beyond the packet");
	check_l4(&p.l4, d + p.l4.off);
#ifdef NAT64_ICMP_ERROR
	if (p.l4.icmp_err) {
		err4(d, &p, mode);
		return;
	}
#endif
	if (p.l4.proto == R_ICMP4)
		ASSERT(p.l4.icmp_type == 8 || p.l4.icmp_type == 0, "icmp type %u", p.l4.icmp_type);
	ASSERT(!memcmp(&p.saddr, d + 12, 4) && !memcmp(&p.daddr, d + 16, 4), "addresses");
	ASSERT(p.tos == d[1] && p.ttl == d[8], "tos/ttl");

	nh = p.l4.proto == R_ICMP4 ? R_ICMP6 : p.l4.proto;
	partial = (mode & 2) && p.l4.proto != R_ICMP4;
	memcpy(&x.saddr, S6, 16);
	memcpy(&x.daddr, H6, 16);
	x.sport = htons(X_PORT_B);
	x.dport = htons(X_PORT_A);
	hdr = dup(d + p.l4.off, p.l4.hdrlen);
	f0 = get16(hdr + ref_csum_off(p.l4.proto));
	full = true;
	rc = nat64_xlat_4to6(&p, &x, partial, hdr, &ip6, &full);
	ASSERT(!rc, "xlat_4to6 returned %d", rc);
	ASSERT(full == (p.l4.proto == R_UDP && !f0 && !partial), "full_csum %d", full);
	olen = 40 + p.l4.len;
	out = malloc(olen);
	memcpy(out, &ip6, 40);
	memcpy(out + 40, d + p.l4.off, p.l4.len);
	memcpy(out + 40, hdr, p.l4.hdrlen);
	free(hdr);

	/* RFC 7915 section 4.1 */
	ASSERT(out[0] >> 4 == 6 && ((out[0] & 0x0f) << 4 | out[1] >> 4) == d[1], "version/tc");
	ASSERT((out[1] & 0x0f) == 0 && out[2] == 0 && out[3] == 0, "flow label");
	ASSERT(get16(out + 4) == p.l4.len && out[6] == nh && out[7] == d[8],
	       "payload length/next header/hop limit");
	ASSERT(!memcmp(out + 8, S6, 16) && !memcmp(out + 24, H6, 16), "addresses");
	check_hdr_rest(d + p.l4.off, out + 40, p.l4.hdrlen, p.l4.proto);
	if (p.l4.proto == R_ICMP4) {
		ASSERT(out[40] == (d[p.l4.off] == 8 ? 128 : 129), "icmp type %u", out[40]);
		ASSERT(get16(out + 44) == X_PORT_A, "echo id");
	} else {
		ASSERT(get16(out + 40) == X_PORT_B && get16(out + 42) == X_PORT_A, "ports");
	}
	f1 = get16(out + 40 + ref_csum_off(p.l4.proto));
	if (full) {
		ASSERT(f1 == 0, "full_csum with checksum %#x", f1);
		/* the caller computes it over the whole datagram */
		ref_fill_csum(ref_pseudo6(S6, H6, p.l4.len, R_UDP), out + 40, p.l4.len, R_UDP);
		f1 = get16(out + 46);
	} else if (partial) {
		uint16_t ps4 = ref_fold(ref_pseudo4(d + 12, d + 16, (uint16_t)p.l4.len, p.l4.proto));
		uint16_t ps6 = ref_fold(ref_pseudo6(S6, H6, p.l4.len, nh));

		ASSERT(ref_oc_eq(oc_sub(f0, ps4), oc_sub(f1, ps6)),
		       "partial checksum %#x -> %#x, pseudo %#x -> %#x", f0, f1, ps4, ps6);
	} else {
		uint16_t r0 = ref_residual(p.l4.proto == R_ICMP4 ? 0 :
					   ref_pseudo4(d + 12, d + 16, (uint16_t)p.l4.len,
						       p.l4.proto),
					   d + p.l4.off, p.l4.len);
		uint16_t r1 = ref_residual(ref_pseudo6(S6, H6, p.l4.len, nh), out + 40, p.l4.len);

		ASSERT(r0 == r1, "checksum error %#x became %#x", r0, r1);
		if (p.l4.proto == R_UDP)
			ASSERT(f1 != 0, "UDP checksum 0 emitted");
	}

	/* back to IPv4 with the original addresses and ports */
	b = dup(out, olen);
	memset(&q, 0xa5, sizeof(q));
	rc = nat64_parse6(b, olen, olen, &q);
	free(b);
	ASSERT(!rc, "translated packet refused by parse6: %d", rc);
	memcpy(&x4.saddr, d + 12, 4);
	memcpy(&x4.daddr, d + 16, 4);
	x4.sport = p.l4.sport;
	x4.dport = p.l4.dport;
	hdr2 = dup(out + 40, q.l4.hdrlen);
	rc = nat64_xlat_6to4(&q, &x4, htons(IP_ID), partial, hdr2, &iph);
	ASSERT(!rc, "back to IPv4: %d", rc);
	for (i = 0; i < p.l4.hdrlen; i++) {
		size_t co = ref_csum_off(p.l4.proto);

		if (i == co) {
			if (!full)
				ASSERT(ref_oc_eq(get16(hdr2 + co), f0),
				       "round trip checksum %#x, was %#x", get16(hdr2 + co), f0);
		} else if (i != co + 1) {
			ASSERT(hdr2[i] == d[p.l4.off + i], "round trip header byte %zu", i);
		}
	}
	{
		uint8_t h[20];

		memcpy(h, &iph, 20);
		ASSERT(h[0] == 0x45 && h[1] == d[1] && get16(h + 2) == 20 + p.l4.len &&
		       h[8] == d[8] && h[9] == d[9] && !memcmp(h + 12, d + 12, 8) &&
		       ref_ip4_hdr_ok(h, 20), "round trip IPv4 header");
	}
	free(hdr2);
	free(out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e = getenv("NAT64_FUZZ_SKIP_KNOWN");

	(void)argc;
	(void)argv;
	skip_known = e && *e && *e != '0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz4(data + 1, size - 1, data[0]);
	else
		fuzz6(data + 1, size - 1, data[0]);
	return 0;
}
