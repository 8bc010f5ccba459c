// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7915 header translation (kmod/xlat6to4.c, kmod/xlat4to6.c): every
 * output byte is compared with a packet built from scratch by refpkt.h, and
 * every checksum is recomputed independently.
 */
#include "xlat.h"
#include "harness.h"
#include "samples.h"

#define X4_SPORT	61001	/* pool4 port (6to4: new source port / echo identifier) */
#define X4_DPORT	5353	/* 6to4: new destination port */
#define X6_SPORT	5300	/* 4to6: new source port */
#define X6_DPORT	40000	/* 4to6: new destination port / echo identifier */
#define IP_ID		0xbeef

static struct nat64_xl4 X4;
static struct nat64_xl6 X6;
static uint8_t h6[16], s6[16], pool4[4], srv4[4];

static void init_x(void)
{
	txt6(H6_TXT, h6);
	txt6(S6_TXT, s6);
	txt4(POOL4_TXT, pool4);
	txt4(SRV4_TXT, srv4);
	memset(&X4, 0, sizeof(X4));
	memcpy(&X4.saddr, pool4, 4);
	memcpy(&X4.daddr, srv4, 4);
	X4.sport = htons(X4_SPORT);
	X4.dport = htons(X4_DPORT);
	memset(&X6, 0, sizeof(X6));
	memcpy(&X6.saddr, s6, 16);
	memcpy(&X6.daddr, h6, 16);
	X6.sport = htons(X6_SPORT);
	X6.dport = htons(X6_DPORT);
}

static uint8_t proto_of(const struct pkt *s)
{
	return s->proto == R_ICMP6 ? R_ICMP4 : s->proto;
}

static int is_icmp(const struct pkt *s)
{
	return s->proto == R_ICMP6 || s->proto == R_ICMP4;
}

/* The parsed transport header agrees with the bytes of @b. */
static void check_l4(const struct nat64_l4 *l4, const struct pkt *s, const uint8_t *b)
{
	const uint8_t *t = b + s->l4off;
	u8 flags;

	CHECK_EQ(l4->proto, proto_of(s));
	CHECK_EQ(l4->off, s->l4off);
	CHECK_EQ(l4->len, s->l4len);
	CHECK_EQ(l4->hdrlen, s->proto == R_TCP ? 20 : 8);
#ifdef NAT64_ICMP_ERROR
	CHECK_EQ(l4->icmp_err, false);
#endif
	if (is_icmp(s)) {
		CHECK_EQ(l4->icmp_type, t[0]);
		CHECK_MEM(&l4->sport, t + 4, 2);
		CHECK_EQ(l4->dport, 0);
		CHECK_EQ(l4->tcp_flags, 0);
		return;
	}
	CHECK_MEM(&l4->sport, t, 2);
	CHECK_MEM(&l4->dport, t + 2, 2);
	CHECK_EQ(l4->icmp_type, 0);
	flags = 0;
	if (s->proto == R_TCP)
		flags = (t[13] & R_FIN ? NAT64_TCP_FIN : 0) | (t[13] & R_SYN ? NAT64_TCP_SYN : 0) |
			(t[13] & R_RST ? NAT64_TCP_RST : 0);
	CHECK_EQ(l4->tcp_flags, flags);
}

/*
 * Parse IPv6 packet @b and translate it; the transport header is handed to
 * the core in a buffer of exactly hdrlen bytes (ASan flags any access past
 * it). On success *@out holds the IPv4 packet, 20 + l4.len bytes.
 */
static int do6(const struct pkt *s, const uint8_t *b, bool partial, struct nat64_pkt6 *p,
	       uint8_t **out, size_t *olen)
{
	uint8_t *in = smp_dup(b, s->len), *hdr;
	struct iphdr iph;
	int rc;

	*out = NULL;
	memset(p, 0xa5, sizeof(*p));
	rc = nat64_parse6(in, (unsigned int)s->len, (unsigned int)s->len, p);
	free(in);
	if (rc) {
		CHECK(0, "nat64_parse6 returned %d", rc);
		return -1;
	}
	if ((size_t)p->l4.off + p->l4.len > s->len || p->l4.hdrlen > p->l4.len) {
		CHECK(0, "parse6: off %u len %u hdrlen %u beyond the packet", p->l4.off,
		      p->l4.len, p->l4.hdrlen);
		return -1;
	}
	hdr = smp_dup(b + p->l4.off, p->l4.hdrlen);
	memset(&iph, 0x5a, sizeof(iph));
	rc = nat64_xlat_6to4(p, &X4, htons(IP_ID), partial, hdr, &iph);
	if (!rc) {
		*olen = 20 + p->l4.len;
		*out = malloc(*olen);
		memcpy(*out, &iph, 20);
		memcpy(*out + 20, b + p->l4.off, p->l4.len);
		memcpy(*out + 20, hdr, p->l4.hdrlen);
	}
	free(hdr);
	return rc;
}

/* Same for IPv4 -> IPv6; *@out holds 40 + l4.len bytes. */
static int do4(const struct pkt *s, const uint8_t *b, bool partial, struct nat64_pkt4 *p,
	       uint8_t **out, size_t *olen, bool *full)
{
	uint8_t *in = smp_dup(b, s->len), *hdr;
	struct ipv6hdr ip6;
	int rc;

	*out = NULL;
	memset(p, 0xa5, sizeof(*p));
	rc = nat64_parse4(in, (unsigned int)s->len, (unsigned int)s->len, p);
	free(in);
	if (rc) {
		CHECK(0, "nat64_parse4 returned %d", rc);
		return -1;
	}
	if ((size_t)p->l4.off + p->l4.len > s->len || p->l4.hdrlen > p->l4.len) {
		CHECK(0, "parse4: off %u len %u hdrlen %u beyond the packet", p->l4.off,
		      p->l4.len, p->l4.hdrlen);
		return -1;
	}
	hdr = smp_dup(b + p->l4.off, p->l4.hdrlen);
	memset(&ip6, 0x5a, sizeof(ip6));
	*full = true;
	rc = nat64_xlat_4to6(p, &X6, partial, hdr, &ip6, full);
	if (!rc) {
		*olen = 40 + p->l4.len;
		*out = malloc(*olen);
		memcpy(*out, &ip6, 40);
		memcpy(*out + 40, b + p->l4.off, p->l4.len);
		memcpy(*out + 40, hdr, p->l4.hdrlen);
	}
	free(hdr);
	return rc;
}

/* the transport segment after translation, built from the original */
static void expect_l4(const struct pkt *s, uint8_t *e, int to4)
{
	memcpy(e, s->b + s->l4off, s->l4len);
	if (is_icmp(s)) {
		if (to4) {
			e[0] = e[0] == 128 ? 8 : 0;
			put16(e + 4, X4_SPORT);
		} else {
			e[0] = e[0] == 8 ? 128 : 129;
			put16(e + 4, X6_DPORT);
		}
	} else if (to4) {
		put16(e, X4_SPORT);
		put16(e + 2, X4_DPORT);
	} else {
		put16(e, X6_SPORT);
		put16(e + 2, X6_DPORT);
	}
}

static uint8_t expbuf[SCRATCH_MAX], expl4[SCRATCH_MAX];

static void t_6to4(const struct pkt *s)
{
	struct nat64_pkt6 p;
	uint8_t *o, tclass;
	size_t ol, tot = 20 + s->l4len;
	struct ref_ip4 h;
	const uint8_t *l4, *in;
	int rc;

	begin_case("6to4 %s", s->name);
	rc = do6(s, s->b, false, &p, &o, &ol);
	CHECK_EQ(rc, 0);
	if (rc) {
		end_case();
		return;
	}
	tclass = (uint8_t)((s->b[0] & 0x0f) << 4 | s->b[1] >> 4);
	CHECK_MEM(&p.saddr, h6, 16);
	CHECK_MEM(&p.daddr, s6, 16);
	CHECK_EQ(p.tclass, tclass);
	CHECK_EQ(p.hop_limit, s->b[7]);
	check_l4(&p.l4, s, s->b);

	/* RFC 7915 section 5.1, field by field */
	CHECK_EQ(ol, tot);
	CHECK_EQ(o[0], 0x45);				/* version 4, IHL 5 */
	CHECK_EQ(o[1], tclass);				/* TOS = traffic class */
	CHECK_EQ(get16(o + 2), tot);			/* total length */
	if (tot > 1260) {
		CHECK_EQ(get16(o + 6), 0x4000);		/* DF, MF 0, offset 0 */
		CHECK_EQ(get16(o + 4), 0);
	} else {
		CHECK_EQ(get16(o + 6), 0);
		CHECK_EQ(get16(o + 4), IP_ID);
	}
	CHECK_EQ(o[8], s->b[7]);			/* TTL = hop limit */
	CHECK_EQ(o[9], proto_of(s));			/* 58 -> 1 */
	CHECK(ref_ip4_hdr_ok(o, 20), "IPv4 header checksum %#x wrong", get16(o + 10));
	CHECK_MEM(o + 12, pool4, 4);
	CHECK_MEM(o + 16, srv4, 4);

	l4 = o + 20;
	in = s->b + s->l4off;
	if (is_icmp(s)) {
		CHECK_EQ(l4[0], in[0] == 128 ? 8 : 0);
		CHECK_EQ(l4[1], in[1]);
		CHECK_EQ(get16(l4 + 4), X4_SPORT);
		CHECK_MEM(l4 + 6, in + 6, s->l4len - 6);
		CHECK(ref_residual(0, l4, s->l4len) == 0xffff, "ICMPv4 checksum %#x wrong",
		      get16(l4 + 2));
	} else {
		size_t co = ref_csum_off(s->proto);

		CHECK_EQ(get16(l4), X4_SPORT);
		CHECK_EQ(get16(l4 + 2), X4_DPORT);
		CHECK_MEM(l4 + 4, in + 4, co - 4);
		CHECK_MEM(l4 + co + 2, in + co + 2, s->l4len - co - 2);
		CHECK(ref_residual(ref_pseudo4(pool4, srv4, (uint16_t)s->l4len, s->proto), l4,
				   s->l4len) == 0xffff,
		      "transport checksum %#x wrong", get16(l4 + co));
	}

	/* the whole packet, byte for byte, against one built from scratch */
	expect_l4(s, expl4, 1);
	h.tos = tclass;
	h.id = tot > 1260 ? 0 : IP_ID;
	h.frag = tot > 1260 ? 0x4000 : 0;
	h.ttl = s->b[7];
	memcpy(h.src, pool4, 4);
	memcpy(h.dst, srv4, 4);
	ref_build4(expbuf, &h, proto_of(s), NULL, 0, expl4, s->l4len, 1);
	CHECK_MEM(o, expbuf, tot);
	free(o);
	end_case();
}

static void t_4to6(const struct pkt *s)
{
	struct nat64_pkt4 p;
	uint8_t *o, tos, nh;
	size_t ol;
	struct ref_ip6 h;
	const uint8_t *l4, *in;
	bool full;
	int rc;

	begin_case("4to6 %s", s->name);
	rc = do4(s, s->b, false, &p, &o, &ol, &full);
	CHECK_EQ(rc, 0);
	if (rc) {
		end_case();
		return;
	}
	tos = s->b[1];
	nh = s->proto == R_ICMP4 ? R_ICMP6 : s->proto;
	CHECK_MEM(&p.saddr, srv4, 4);
	CHECK_MEM(&p.daddr, pool4, 4);
	CHECK_EQ(p.tos, tos);
	CHECK_EQ(p.ttl, s->b[8]);
	check_l4(&p.l4, s, s->b);
	CHECK_EQ(full, false);

	/* RFC 7915 section 4.1 */
	CHECK_EQ(ol, 40 + s->l4len);
	CHECK_EQ(o[0] >> 4, 6);					/* version */
	CHECK_EQ((o[0] & 0x0f) << 4 | o[1] >> 4, tos);		/* traffic class = TOS */
	CHECK_EQ((o[1] & 0x0f) << 16 | o[2] << 8 | o[3], 0);	/* flow label 0 */
	CHECK_EQ(get16(o + 4), s->l4len);			/* payload length */
	CHECK_EQ(o[6], nh);					/* 1 -> 58 */
	CHECK_EQ(o[7], s->b[8]);				/* hop limit = TTL */
	CHECK_MEM(o + 8, s6, 16);
	CHECK_MEM(o + 24, h6, 16);

	l4 = o + 40;
	in = s->b + s->l4off;
	if (is_icmp(s)) {
		CHECK_EQ(l4[0], in[0] == 8 ? 128 : 129);
		CHECK_EQ(l4[1], in[1]);
		CHECK_EQ(get16(l4 + 4), X6_DPORT);
		CHECK_MEM(l4 + 6, in + 6, s->l4len - 6);
	} else {
		size_t co = ref_csum_off(s->proto);

		CHECK_EQ(get16(l4), X6_SPORT);
		CHECK_EQ(get16(l4 + 2), X6_DPORT);
		CHECK_MEM(l4 + 4, in + 4, co - 4);
		CHECK_MEM(l4 + co + 2, in + co + 2, s->l4len - co - 2);
	}
	CHECK(ref_residual(ref_pseudo6(s6, h6, (uint32_t)s->l4len, nh), l4, s->l4len) == 0xffff,
	      "transport checksum %#x wrong (IPv6 pseudo-header included)",
	      get16(l4 + ref_csum_off(nh)));

	expect_l4(s, expl4, 0);
	h.tclass = tos;
	h.flow = 0;
	h.hlim = s->b[8];
	memcpy(h.src, s6, 16);
	memcpy(h.dst, h6, 16);
	ref_build6(expbuf, &h, nh, NULL, 0, expl4, s->l4len, nh);
	CHECK_MEM(o, expbuf, 40 + s->l4len);
	free(o);
	end_case();
}

/* ones' complement a + b */
static uint16_t oc_add(uint16_t a, uint16_t b)
{
	uint32_t v = (uint32_t)a + b;

	return (uint16_t)((v & 0xffff) + (v >> 16));
}

static void t_wrong6(const struct pkt *s)
{
	uint8_t nh = s->proto, *bad = smp_dup(s->b, s->len), *o;
	uint8_t *f = bad + s->l4off + ref_csum_off(s->proto);
	struct nat64_pkt6 p;
	uint16_t r0, r1;
	size_t ol;
	int rc;

	begin_case("6to4 %s: a wrong checksum stays wrong by the same amount", s->name);
	put16(f, oc_add(get16(f), 0x1234));
	r0 = ref_residual(ref_pseudo6(h6, s6, (uint32_t)s->l4len, nh), bad + s->l4off, s->l4len);
	CHECK(r0 != 0xffff, "corrupted checksum still right");
	rc = do6(s, bad, false, &p, &o, &ol);
	CHECK_EQ(rc, 0);
	if (!rc) {
		r1 = ref_residual(s->proto == R_ICMP6 ? 0 :
				  ref_pseudo4(pool4, srv4, (uint16_t)s->l4len, s->proto),
				  o + 20, s->l4len);
		CHECK(r1 == r0, "checksum error %#x after translation, %#x before", r1, r0);
		free(o);
	}
	free(bad);
	end_case();
}

static void t_wrong4(const struct pkt *s)
{
	uint8_t nh = s->proto == R_ICMP4 ? R_ICMP6 : s->proto;
	uint8_t *bad = smp_dup(s->b, s->len), *o;
	uint8_t *f = bad + s->l4off + ref_csum_off(s->proto);
	struct nat64_pkt4 p;
	uint16_t r0, r1;
	size_t ol;
	bool full;
	int rc;

	begin_case("4to6 %s: a wrong checksum stays wrong by the same amount", s->name);
	put16(f, oc_add(get16(f), 0xedcb));
	r0 = ref_residual(s->proto == R_ICMP4 ? 0 :
			  ref_pseudo4(srv4, pool4, (uint16_t)s->l4len, s->proto),
			  bad + s->l4off, s->l4len);
	CHECK(r0 != 0xffff, "corrupted checksum still right");
	rc = do4(s, bad, false, &p, &o, &ol, &full);
	CHECK_EQ(rc, 0);
	if (!rc) {
		CHECK_EQ(full, false);
		r1 = ref_residual(ref_pseudo6(s6, h6, (uint32_t)s->l4len, nh), o + 40, s->l4len);
		CHECK(r1 == r0, "checksum error %#x after translation, %#x before", r1, r0);
		free(o);
	}
	free(bad);
	end_case();
}

/* CHECKSUM_PARTIAL: the field holds the folded, uncomplemented pseudo-header sum */
static void t_partial6(const struct pkt *s)
{
	size_t co = ref_csum_off(s->proto);
	uint8_t *b = smp_dup(s->b, s->len), *o;
	struct nat64_pkt6 p;
	uint16_t want, c;
	size_t ol;
	int rc;

	begin_case("6to4 %s: CHECKSUM_PARTIAL field becomes the IPv4 pseudo-header sum", s->name);
	put16(b + s->l4off + co, ref_fold(ref_pseudo6(h6, s6, (uint32_t)s->l4len, s->proto)));
	rc = do6(s, b, true, &p, &o, &ol);
	CHECK_EQ(rc, 0);
	if (!rc) {
		want = ref_fold(ref_pseudo4(pool4, srv4, (uint16_t)s->l4len, s->proto));
		CHECK_EQ(get16(o + 20 + co), want);
		CHECK_EQ(get16(o + 20), X4_SPORT);
		CHECK_EQ(get16(o + 22), X4_DPORT);
		CHECK(ref_ip4_hdr_ok(o, 20), "IPv4 header checksum");
		CHECK_EQ(get16(o + 2), 20 + s->l4len);
		/* finish it as the device would: the result must be right */
		c = (uint16_t)~ref_fold(ref_add(0, o + 20, s->l4len));
		put16(o + 20 + co, c);
		CHECK(ref_residual(ref_pseudo4(pool4, srv4, (uint16_t)s->l4len, s->proto), o + 20,
				   s->l4len) == 0xffff, "completed checksum wrong");
		free(o);
	}
	free(b);
	end_case();
}

static void t_partial4(const struct pkt *s)
{
	size_t co = ref_csum_off(s->proto);
	uint8_t *b = smp_dup(s->b, s->len), *o;
	struct nat64_pkt4 p;
	uint16_t want, c;
	size_t ol;
	bool full;
	int rc;

	begin_case("4to6 %s: CHECKSUM_PARTIAL field becomes the IPv6 pseudo-header sum", s->name);
	put16(b + s->l4off + co, ref_fold(ref_pseudo4(srv4, pool4, (uint16_t)s->l4len, s->proto)));
	rc = do4(s, b, true, &p, &o, &ol, &full);
	CHECK_EQ(rc, 0);
	if (!rc) {
		CHECK_EQ(full, false);
		want = ref_fold(ref_pseudo6(s6, h6, (uint32_t)s->l4len, s->proto));
		CHECK_EQ(get16(o + 40 + co), want);
		CHECK_EQ(get16(o + 40), X6_SPORT);
		CHECK_EQ(get16(o + 42), X6_DPORT);
		CHECK_EQ(get16(o + 4), s->l4len);
		c = (uint16_t)~ref_fold(ref_add(0, o + 40, s->l4len));
		put16(o + 40 + co, c);
		CHECK(ref_residual(ref_pseudo6(s6, h6, (uint32_t)s->l4len, s->proto), o + 40,
				   s->l4len) == 0xffff, "completed checksum wrong");
		free(o);
	}
	free(b);
	end_case();
}

static void t_udp_zero6(const struct pkt *s)
{
	uint8_t *b = smp_dup(s->b, s->len), *o;
	struct nat64_pkt6 p;
	size_t ol;
	int rc;

	begin_case("6to4 %s with zero UDP checksum: DROP_UDP_ZERO_CSUM6", s->name);
	put16(b + s->l4off + 6, 0);
	rc = do6(s, b, false, &p, &o, &ol);
	CHECK_EQ(rc, NAT64_STAT_DROP_UDP_ZERO_CSUM6);
	if (!rc)
		free(o);
	free(b);
	end_case();
}

static void t_udp_zero4(const struct pkt *s)
{
	uint8_t *b = smp_dup(s->b, s->len), *o;
	struct nat64_pkt4 p;
	size_t ol;
	bool full;
	int rc;

	begin_case("4to6 %s with zero UDP checksum: *full_csum, ports rewritten", s->name);
	put16(b + s->l4off + 6, 0);
	rc = do4(s, b, false, &p, &o, &ol, &full);
	CHECK_EQ(rc, 0);
	if (!rc) {
		CHECK_EQ(full, true);
		CHECK_EQ(get16(o + 40), X6_SPORT);
		CHECK_EQ(get16(o + 42), X6_DPORT);
		CHECK_MEM(o + 44, b + s->l4off + 4, 2);	/* length */
		CHECK_EQ(get16(o + 46), 0);		/* left 0 for the caller's full sum */
		CHECK_MEM(o + 48, b + s->l4off + 8, s->l4len - 8);
		CHECK_EQ(o[6], R_UDP);
		CHECK_EQ(get16(o + 4), s->l4len);
		CHECK_MEM(o + 8, s6, 16);
		CHECK_MEM(o + 24, h6, 16);
		free(o);
	}
	free(b);
	end_case();
}

/* payload length limits: 65515 transport bytes make a 65535-byte IPv4 packet */
static void t_jumbo(void)
{
	static const size_t l4lens[] = { 65515, 65516, 65535 };
	uint8_t pl[65535 - 8];
	struct ref_ip6 h;
	size_t i;

	smp_payload(pl, sizeof(pl), 9);
	smp_ip6(&h, 0x00, 0, 64);
	for (i = 0; i < 3; i++) {
		struct nat64_pkt6 p;
		struct pkt s;
		uint8_t *o = NULL, *hdr;
		struct iphdr iph;
		size_t l;
		int rc;

		l = ref_udp(smp_l4, 1234, 53, pl, l4lens[i] - 8);
		s = smp_mk6("big", &h, R_UDP, NULL, 0, R_UDP, smp_l4, l, 0);
		begin_case("6to4 udp with %zu transport bytes (kernel header buffer): %s", l4lens[i],
			   l4lens[i] <= 65515 ? "65535-byte IPv4 packet, DF" : "DROP_JUMBO");
		/* only NAT64_HDR_BUF bytes are passed, as the kernel does */
		hdr = smp_dup(s.b, NAT64_HDR_BUF);
		rc = nat64_parse6(hdr, NAT64_HDR_BUF, (unsigned int)s.len, &p);
		free(hdr);
		CHECK_EQ(rc, 0);
		CHECK_EQ(p.l4.len, l4lens[i]);
		if (!rc) {
			hdr = smp_dup(s.b + 40, 8);
			rc = nat64_xlat_6to4(&p, &X4, htons(IP_ID), false, hdr, &iph);
			if (l4lens[i] > 65515) {
				CHECK_EQ(rc, NAT64_STAT_DROP_JUMBO);
			} else {
				CHECK_EQ(rc, 0);
				o = malloc(20 + l4lens[i]);
				memcpy(o, &iph, 20);
				memcpy(o + 20, s.b + 40, l4lens[i]);
				memcpy(o + 20, hdr, 8);
				CHECK_EQ(get16(o + 2), 65535);
				CHECK_EQ(get16(o + 6), 0x4000);
				CHECK_EQ(get16(o + 4), 0);
				CHECK(ref_ip4_hdr_ok(o, 20), "header checksum");
				CHECK(ref_residual(ref_pseudo4(pool4, srv4, (uint16_t)l4lens[i], R_UDP),
						   o + 20, l4lens[i]) == 0xffff, "UDP checksum");
				free(o);
			}
			free(hdr);
		}
		end_case();
		free(s.b);
	}

	begin_case("4to6 udp in a 65535-byte IPv4 packet: payload length 65515");
	{
		struct ref_ip4 h4;
		struct nat64_pkt4 p;
		struct pkt s;
		uint8_t *hdr, *o;
		struct ipv6hdr ip6;
		bool full = true;
		size_t l;
		int rc;

		smp_ip4(&h4, 0, 1, 0x4000, 64);
		l = ref_udp(smp_l4, 53, 1234, pl, 65535 - 28);
		s = smp_mk4("big", &h4, R_UDP, NULL, 0, smp_l4, l, 0);
		hdr = smp_dup(s.b, NAT64_HDR_BUF);
		rc = nat64_parse4(hdr, NAT64_HDR_BUF, (unsigned int)s.len, &p);
		free(hdr);
		CHECK_EQ(rc, 0);
		if (!rc) {
			hdr = smp_dup(s.b + 20, 8);
			rc = nat64_xlat_4to6(&p, &X6, false, hdr, &ip6, &full);
			CHECK_EQ(rc, 0);
			CHECK_EQ(full, false);
			o = malloc(40 + 65515);
			memcpy(o, &ip6, 40);
			memcpy(o + 40, s.b + 20, 65515);
			memcpy(o + 40, hdr, 8);
			CHECK_EQ(get16(o + 4), 65515);
			CHECK(ref_residual(ref_pseudo6(s6, h6, 65515, R_UDP), o + 40, 65515) == 0xffff,
			      "UDP checksum");
			free(o);
			free(hdr);
		}
		free(s.b);
	}
	end_case();
}

/* The checksum field that comes out 0 must be sent as 0xffff for UDP (RFC 768). */
static void t_udp_ffff(void)
{
	uint8_t pl[64];
	struct ref_ip6 h;
	struct pkt s;
	int tries;

	begin_case("6to4 udp whose new checksum computes to 0 is sent as 0xffff");
	smp_ip6(&h, 0, 0, 64);
	/* search a payload word that makes the translated UDP checksum 0xffff */
	for (tries = 0; tries < 65536; tries++) {
		struct nat64_pkt6 p;
		uint8_t *o;
		size_t ol, l;
		uint16_t c;

		memset(pl, 0, sizeof(pl));
		put16(pl, (uint16_t)tries);
		l = ref_udp(smp_l4, 1000, 2000, pl, 2);
		/* predict the IPv4 checksum from scratch */
		memcpy(expl4, smp_l4, l);
		put16(expl4, X4_SPORT);
		put16(expl4 + 2, X4_DPORT);
		c = (uint16_t)~ref_fold(ref_add(ref_pseudo4(pool4, srv4, (uint16_t)l, R_UDP),
						expl4, l));
		if (c)
			continue;
		s = smp_mk6("udp", &h, R_UDP, NULL, 0, R_UDP, smp_l4, l, 0);
		if (!do6(&s, s.b, false, &p, &o, &ol)) {
			CHECK_EQ(get16(o + 26), 0xffff);
			free(o);
		}
		free(s.b);
		break;
	}
	CHECK(tries < 65536, "no payload found");
	end_case();
}

static void t_icmp_helpers(void)
{
	begin_case("icmp echo type mapping 128<->8, 129<->0");
	CHECK_EQ(nat64_icmp_echo_6to4(128), 8);
	CHECK_EQ(nat64_icmp_echo_6to4(129), 0);
	CHECK_EQ(nat64_icmp_echo_4to6(8), 128);
	CHECK_EQ(nat64_icmp_echo_4to6(0), 129);
	CHECK_EQ(nat64_l4_csum_off(R_TCP), 16);
	CHECK_EQ(nat64_l4_csum_off(R_UDP), 6);
	CHECK_EQ(nat64_l4_csum_off(R_ICMP4), 2);
	end_case();
}

int main(void)
{
	struct pkt s6v[SAMPLES_MAX], s4v[SAMPLES_MAX];
	size_t n6, n4, i;

	init_x();
	n6 = samples6(s6v);
	n4 = samples4(s4v);
	for (i = 0; i < n6; i++)
		t_6to4(&s6v[i]);
	for (i = 0; i < n4; i++)
		t_4to6(&s4v[i]);
	for (i = 0; i < n6; i++)
		t_wrong6(&s6v[i]);
	for (i = 0; i < n4; i++)
		t_wrong4(&s4v[i]);
	for (i = 0; i < n6; i++)
		if (!is_icmp(&s6v[i]))
			t_partial6(&s6v[i]);
	for (i = 0; i < n4; i++)
		if (!is_icmp(&s4v[i]))
			t_partial4(&s4v[i]);
	for (i = 0; i < n6; i++)
		if (s6v[i].proto == R_UDP && s6v[i].l4off == 40 && s6v[i].len < 200)
			t_udp_zero6(&s6v[i]);
	for (i = 0; i < n4; i++)
		if (s4v[i].proto == R_UDP && s4v[i].len < 200)
			t_udp_zero4(&s4v[i]);
	t_jumbo();
	t_udp_ffff();
	t_icmp_helpers();
	samples_free(s6v, n6);
	samples_free(s4v, n4);
	return h_finish("test_xlat");
}
