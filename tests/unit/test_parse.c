// SPDX-License-Identifier: GPL-2.0
/*
 * Parser robustness (nat64_parse6, nat64_parse4, nat64_parse_l4): every
 * buffer handed to the parsers is a malloc of exactly buflen bytes, so that
 * AddressSanitizer reports any read past it.
 */
#include "xlat.h"
#include "harness.h"
#include "samples.h"

static int p6(const uint8_t *b, size_t buflen, size_t pktlen, struct nat64_pkt6 *p)
{
	uint8_t *c = smp_dup(b, buflen);
	int rc;

	memset(p, 0xa5, sizeof(*p));
	rc = nat64_parse6(c, (unsigned int)buflen, (unsigned int)pktlen, p);
	free(c);
	return rc;
}

static int p4(const uint8_t *b, size_t buflen, size_t pktlen, struct nat64_pkt4 *p)
{
	uint8_t *c = smp_dup(b, buflen);
	int rc;

	memset(p, 0xa5, sizeof(*p));
	rc = nat64_parse4(c, (unsigned int)buflen, (unsigned int)pktlen, p);
	free(c);
	return rc;
}

static int parse_any(const struct pkt *s, const uint8_t *b, size_t buflen, size_t pktlen)
{
	struct nat64_pkt6 q6;
	struct nat64_pkt4 q4;

	return s->v6 ? p6(b, buflen, pktlen, &q6) : p4(b, buflen, pktlen, &q4);
}

static const char *stat_name(int rc)
{
	static const char *const names[] = {
#define X(id, name, desc) name,
		NAT64_STATS(X)
#undef X
	};

	if (rc == 0)
		return "ok";
	if (rc > 0 && rc < NAT64_STAT_MAX)
		return names[rc];
	return "?";
}

/*
 * ICMP errors: first dropped (NAT64_STAT_DROP_ICMP_ERROR); since kmod grew
 * ICMP error translation, the parsers accept them with l4.icmp_err set and
 * the classify functions return NAT64_ICMP_ERROR.
 */
#ifdef NAT64_ICMP_ERROR
#define ERR_PARSE	0
#define ERR_CLASSIFY	NAT64_ICMP_ERROR
#define ERR_WHAT	"accepted with icmp_err"
#else
#define ERR_PARSE	NAT64_STAT_DROP_ICMP_ERROR
#define ERR_CLASSIFY	NAT64_STAT_DROP_ICMP_ERROR
#define ERR_WHAT	"drop_icmp_error"
#endif

#define CHECK_RC(rc, want)						\
	do {								\
		int _r = (rc), _w = (want);				\
		CHECK(_r == _w, "%s = %d (%s), expected %d (%s)", #rc, _r, \
		      stat_name(_r), _w, stat_name(_w));		\
	} while (0)

/* every truncation of a valid packet is refused as truncated, without overreads */
static void t_truncations(const struct pkt *s)
{
	int want = s->v6 ? NAT64_STAT_DROP_TRUNCATED6 : NAT64_STAT_DROP_TRUNCATED4;
	size_t k;

	begin_case("truncate %s %s to 0..%zu bytes: drop_truncated%d", s->v6 ? "ipv6" : "ipv4",
		   s->name, s->iplen - 1, s->v6 ? 6 : 4);
	CHECK_RC(parse_any(s, s->b, s->len, s->len), 0);
	for (k = 0; k < s->iplen; k++) {
		int rc = parse_any(s, s->b, k, k);

		CHECK(rc == want, "length %zu: %d (%s)", k, rc, stat_name(rc));
		if (case_failed())
			break;
	}
	end_case();
}

/*
 * The kernel passes only the first NAT64_HDR_BUF bytes: for every buflen the
 * parse succeeds with the same result once the headers are in, and fails as
 * truncated before.
 */
static void t_short_buffer(const struct pkt *s)
{
	size_t need = s->l4off + (s->proto == R_TCP ? 20 : 8), k;
	int trunc = s->v6 ? NAT64_STAT_DROP_TRUNCATED6 : NAT64_STAT_DROP_TRUNCATED4;
	struct nat64_pkt6 full6, q6;
	struct nat64_pkt4 full4, q4;

	begin_case("short buffer %s %s: buflen 0..%zu of %zu, headers end at %zu",
		   s->v6 ? "ipv6" : "ipv4", s->name, s->len, s->len, need);
	if (s->v6)
		CHECK_RC(p6(s->b, s->len, s->len, &full6), 0);
	else
		CHECK_RC(p4(s->b, s->len, s->len, &full4), 0);
	for (k = 0; k <= s->len && !case_failed(); k++) {
		int rc;

		if (s->v6) {
			rc = p6(s->b, k, s->len, &q6);
			if (k >= need) {
				CHECK(!rc, "buflen %zu: %s", k, stat_name(rc));
				CHECK(!memcmp(&q6, &full6, sizeof(q6)), "buflen %zu: other result", k);
			} else {
				CHECK(rc == trunc, "buflen %zu: %s", k, stat_name(rc));
			}
		} else {
			rc = p4(s->b, k, s->len, &q4);
			if (k >= need) {
				CHECK(!rc, "buflen %zu: %s", k, stat_name(rc));
				CHECK(!memcmp(&q4, &full4, sizeof(q4)), "buflen %zu: other result", k);
			} else {
				CHECK(rc == trunc, "buflen %zu: %s", k, stat_name(rc));
			}
		}
	}
	/* buflen larger than the packet is clamped */
	if (s->v6) {
		uint8_t *big = calloc(s->len + 64, 1);

		memcpy(big, s->b, s->len);
		memset(&q6, 0xa5, sizeof(q6));
		CHECK_RC(nat64_parse6(big, (unsigned int)s->len + 64, (unsigned int)s->len, &q6), 0);
		CHECK(!memcmp(&q6, &full6, sizeof(q6)), "buflen > pktlen: other result");
		free(big);
	}
	end_case();
}

/* --- IPv6 --- */

static uint8_t buf[SCRATCH_MAX];

static void t_ip6_header(const struct pkt *udp)
{
	struct nat64_pkt6 q;
	uint8_t *b = buf;
	int v;

	begin_case("ipv6 payload length larger than the packet: drop_truncated6");
	memcpy(b, udp->b, udp->len);
	put16(b + 4, (uint16_t)(get16(b + 4) + 1));
	CHECK_RC(p6(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED6);
	put16(b + 4, 0xffff);
	CHECK_RC(p6(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED6);
	/* buffer holds the bytes, but pktlen says the packet is shorter */
	memcpy(b, udp->b, udp->len);
	CHECK_RC(p6(b, udp->len, udp->len - 1, &q), NAT64_STAT_DROP_TRUNCATED6);
	end_case();

	begin_case("ipv6 payload length 0 (jumbogram): drop_too_big");
	memcpy(b, udp->b, udp->len);
	put16(b + 4, 0);
	CHECK_RC(p6(b, udp->len, udp->len, &q), NAT64_STAT_DROP_JUMBO);
	end_case();

	begin_case("ipv6 payload length smaller than the UDP datagram: drop_truncated6");
	memcpy(b, udp->b, udp->len);
	put16(b + 4, (uint16_t)(get16(b + 4) - 1));
	CHECK_RC(p6(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED6);
	put16(b + 4, 7);
	CHECK_RC(p6(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED6);
	end_case();

	begin_case("ipv6 parser: version other than 6: drop_bad_header");
	for (v = 0; v < 16; v++) {
		if (v == 6)
			continue;
		memcpy(b, udp->b, udp->len);
		b[0] = (uint8_t)(v << 4 | (b[0] & 0x0f));
		CHECK(p6(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_BAD_HDR, "version %d", v);
	}
	end_case();
}

static void t_ip6_l4(void)
{
	uint8_t pl[64], l4[128];
	struct ref_ip6 h;
	struct nat64_pkt6 q;
	struct pkt s;
	size_t l;
	int d;
	static const uint8_t protos[] = { R_NONE, R_ESP, R_SCTP, 2, 41, 47, 51, 135, 255 };
	size_t i;

	smp_payload(pl, sizeof(pl), 1);
	smp_ip6(&h, 0, 0, 64);

	begin_case("ipv6 tcp data offset 0..4: drop_truncated6");
	for (d = 0; d < 5; d++) {
		l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 20);
		l4[12] = (uint8_t)(d << 4);
		s = smp_mk6("", &h, R_TCP, NULL, 0, R_TCP, l4, l, 0);
		CHECK(p6(s.b, s.len, s.len, &q) == NAT64_STAT_DROP_TRUNCATED6, "doff %d", d);
		free(s.b);
	}
	end_case();

	begin_case("ipv6 tcp data offset beyond the segment: drop_truncated6");
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 19);
	l4[12] = 10 << 4;				/* 40 > 39 */
	s = smp_mk6("", &h, R_TCP, NULL, 0, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, NULL, 0);
	l4[12] = 15 << 4;
	s = smp_mk6("", &h, R_TCP, NULL, 0, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	/* exactly as long as the segment: fine */
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 40);
	l4[12] = 15 << 4;
	s = smp_mk6("", &h, R_TCP, NULL, 0, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.hdrlen, 20);
	free(s.b);
	end_case();

	begin_case("ipv6 tcp segment shorter than 20 bytes: drop_truncated6");
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, NULL, 0);
	s = smp_mk6("", &h, R_TCP, NULL, 0, R_TCP, l4, 19, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	end_case();

	begin_case("ipv6 udp length field 0..7 or beyond the payload: drop_truncated6");
	for (d = 0; d < 8; d++) {
		l = ref_udp(l4, 1, 2, pl, 10);
		put16(l4 + 4, (uint16_t)d);
		s = smp_mk6("", &h, R_UDP, NULL, 0, R_UDP, l4, l, 0);
		CHECK(p6(s.b, s.len, s.len, &q) == NAT64_STAT_DROP_TRUNCATED6, "udp len %d", d);
		free(s.b);
	}
	l = ref_udp(l4, 1, 2, pl, 10);
	put16(l4 + 4, 19);
	s = smp_mk6("", &h, R_UDP, NULL, 0, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	end_case();

	begin_case("ipv6 udp length field shorter than the payload, or 0xffff (GSO): accepted");
	l = ref_udp(l4, 1, 2, pl, 10);
	put16(l4 + 4, 8);
	s = smp_mk6("", &h, R_UDP, NULL, 0, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.len, 18);
	free(s.b);
	put16(l4 + 4, 0xffff);
	s = smp_mk6("", &h, R_UDP, NULL, 0, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	free(s.b);
	end_case();

	begin_case("ipv6 icmpv6 shorter than 8 bytes: drop_truncated6");
	l = ref_echo(l4, 128, 1, 1, NULL, 0);
	s = smp_mk6("", &h, R_ICMP6, NULL, 0, R_ICMP6, l4, 7, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	end_case();

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		begin_case("ipv6 next header %u: drop_unsupported_proto", protos[i]);
		l = ref_udp(l4, 1, 2, pl, 24);
		s = smp_mk6("", &h, protos[i], NULL, 0, 0, l4, l, 0);
		CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_PROTO);
		free(s.b);
		end_case();
	}

	/* ICMPv4 inside IPv6 is not ICMP as far as RFC 7915 is concerned */
	begin_case("ipv6 next header 1 (ICMPv4, not ICMPv6) echo request: drop_unsupported_proto");
	l = ref_echo(l4, 8, 0x77, 1, pl, 16);
	s = smp_mk6("", &h, R_ICMP4, NULL, 0, R_ICMP6, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_PROTO);
	free(s.b);
	l = ref_echo(l4, 3, 0, 0, pl, 16);		/* ICMPv4 dest unreachable */
	s = smp_mk6("", &h, R_ICMP4, NULL, 0, R_ICMP6, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_PROTO);
	free(s.b);
	end_case();
}

static void t_ip6_ext(void)
{
	uint8_t pl[2100], l4[64], ext[2200];
	struct ref_ip6 h;
	struct nat64_pkt6 q;
	struct pkt s;
	size_t l, e;
	int i;

	smp_payload(pl, sizeof(pl), 2);
	smp_ip6(&h, 0, 0, 64);
	l = ref_udp(l4, 7, 8, pl, 12);

	begin_case("ipv6 hop-by-hop (8) + destination options (16) skipped: udp at 64");
	e = ref_opthdr(ext, R_DEST, 8);
	e += ref_opthdr(ext + e, R_UDP, 16);
	s = smp_mk6("", &h, R_HOP, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.off, 64);
	CHECK_EQ(q.l4.len, l);
	CHECK_EQ(q.l4.proto, R_UDP);
	CHECK_EQ(ntohs(q.l4.sport), 7);
	CHECK_EQ(ntohs(q.l4.dport), 8);
	free(s.b);
	end_case();

	begin_case("ipv6 long destination options (2048 bytes) skipped");
	e = ref_opthdr(ext, R_UDP, 2048);
	s = smp_mk6("", &h, R_DEST, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.off, 40 + 2048);
	free(s.b);
	end_case();

	begin_case("ipv6 routing header, segments left 0, skipped: tcp at 80");
	e = ref_rthdr(ext, R_TCP, 0, 2);
	l = ref_tcp(l4, 9, 10, 1, 2, R_SYN | R_FIN | R_RST, NULL, 0, NULL, 0);
	s = smp_mk6("", &h, R_ROUTING, ext, e, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.off, 80);
	CHECK_EQ(q.l4.proto, R_TCP);
	CHECK_EQ(q.l4.tcp_flags, NAT64_TCP_SYN | NAT64_TCP_FIN | NAT64_TCP_RST);
	free(s.b);
	end_case();

	begin_case("ipv6 routing header, segments left 1 or 255: drop_segments_left, pointer");
	e = ref_rthdr(ext, R_TCP, 1, 2);
	s = smp_mk6("", &h, R_ROUTING, ext, e, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_SEGMENTS_LEFT);
	CHECK_EQ(q.err_ptr, 43);
	free(s.b);
	e = ref_opthdr(ext, R_ROUTING, 8);
	e += ref_rthdr(ext + e, R_TCP, 255, 1);
	s = smp_mk6("", &h, R_HOP, ext, e, R_TCP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_SEGMENTS_LEFT);
	CHECK_EQ(q.err_ptr, 51);
	free(s.b);
	end_case();

	l = ref_udp(l4, 7, 8, pl, 12);
	begin_case("ipv6 fragment header (first, after hop-by-hop, atomic): drop_fragment");
	e = ref_fraghdr(ext, R_UDP, 0, 1, 0x12345678);
	s = smp_mk6("", &h, R_FRAG, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_FRAGMENT);
	free(s.b);
	e = ref_opthdr(ext, R_FRAG, 8);
	e += ref_fraghdr(ext + e, R_UDP, 100, 0, 1);
	s = smp_mk6("", &h, R_HOP, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_FRAGMENT);
	free(s.b);
	e = ref_fraghdr(ext, R_UDP, 0, 0, 1);
	s = smp_mk6("", &h, R_FRAG, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_FRAGMENT);
	free(s.b);
	end_case();

	begin_case("ipv6 hop-by-hop not first: drop_ext_header");
	e = ref_opthdr(ext, R_HOP, 8);
	e += ref_opthdr(ext + e, R_UDP, 8);
	s = smp_mk6("", &h, R_DEST, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_EXTHDR);
	free(s.b);
	e = ref_opthdr(ext, R_HOP, 8);
	e += ref_opthdr(ext + e, R_UDP, 8);
	s = smp_mk6("", &h, R_HOP, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_EXTHDR);
	free(s.b);
	end_case();

	begin_case("ipv6 chain of 9 extension headers: drop_ext_header (8 are fine)");
	e = ref_opthdr(ext, R_DEST, 8);
	for (i = 0; i < 8; i++)
		e += ref_opthdr(ext + e, i == 7 ? R_UDP : R_DEST, 8);
	s = smp_mk6("", &h, R_HOP, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_EXTHDR);
	free(s.b);
	e = 0;
	for (i = 0; i < 9; i++)
		e += ref_opthdr(ext + e, i == 8 ? R_UDP : R_DEST, 8);
	s = smp_mk6("", &h, R_DEST, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_EXTHDR);
	free(s.b);
	e = 0;
	for (i = 0; i < 8; i++)
		e += ref_opthdr(ext + e, i == 7 ? R_UDP : R_DEST, 8);
	s = smp_mk6("", &h, R_DEST, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.off, 40 + 64);
	free(s.b);
	end_case();

	begin_case("ipv6 extension header longer than the payload: drop_truncated6");
	e = ref_opthdr(ext, R_UDP, 16);
	s = smp_mk6("", &h, R_DEST, ext, 8, 0, NULL, 0, 0);	/* only 8 of its 16 bytes */
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	e = ref_opthdr(ext, R_UDP, 8);
	s = smp_mk6("", &h, R_DEST, ext, 4, 0, NULL, 0, 0);	/* 4 bytes of 8 */
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	ext[1] = 255;						/* claims 2048 bytes */
	s = smp_mk6("", &h, R_DEST, ext, 8, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED6);
	free(s.b);
	end_case();

	begin_case("ipv6 headers beyond the kernel's header buffer: refused");
	e = ref_opthdr(ext, R_UDP, 184);
	s = smp_mk6("", &h, R_DEST, ext, e, R_UDP, l4, l, 0);
	CHECK_RC(p6(s.b, s.len, s.len, &q), 0);
	CHECK(p6(s.b, NAT64_HDR_BUF, s.len, &q) != 0, "parsed a UDP header past the buffer");
	free(s.b);
	end_case();
}

static void t_icmp6_types(void)
{
	uint8_t l4[32];
	struct ref_ip6 h;
	struct nat64_pkt6 q;
	int t;

	smp_ip6(&h, 0, 0, 64);
	begin_case("ipv6 every ICMPv6 type: echo ok, 1-4 %s, rest drop_icmp_type", ERR_WHAT);
	for (t = 0; t < 256; t++) {
		int err = t >= 1 && t <= 4;
		int want = t == 128 || t == 129 ? 0 :
			   err ? ERR_PARSE : NAT64_STAT_DROP_ICMP_TYPE;
		int cwant = err ? ERR_CLASSIFY : want;
		size_t l = ref_echo(l4, (uint8_t)t, 5, 6, NULL, 0);
		struct pkt s = smp_mk6("", &h, R_ICMP6, NULL, 0, R_ICMP6, l4, l, 0);
		int rc = p6(s.b, s.len, s.len, &q);

		CHECK(rc == want, "type %d: %s, expected %s", t, stat_name(rc), stat_name(want));
		CHECK(nat64_icmp6_classify((u8)t) == cwant, "classify6(%d) = %d", t,
		      nat64_icmp6_classify((u8)t));
#ifdef NAT64_ICMP_ERROR
		if (!rc)
			CHECK(q.l4.icmp_err == err, "type %d: icmp_err %d", t, q.l4.icmp_err);
#endif
		free(s.b);
	}
	end_case();

	begin_case("ipv6 neighbour discovery and MLD types: drop_icmp_type");
	for (t = 130; t <= 137; t++)
		CHECK_RC(nat64_icmp6_classify((u8)t), NAT64_STAT_DROP_ICMP_TYPE);
	CHECK_RC(nat64_icmp6_classify(143), NAT64_STAT_DROP_ICMP_TYPE);
	end_case();
}

/* --- IPv4 --- */

static void t_ip4_header(const struct pkt *udp)
{
	struct nat64_pkt4 q;
	uint8_t *b = buf;
	int v, ihl;

	begin_case("ipv4 total length larger than the packet: drop_truncated4");
	memcpy(b, udp->b, udp->len);
	put16(b + 2, (uint16_t)(get16(b + 2) + 1));
	CHECK_RC(p4(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED4);
	put16(b + 2, 0xffff);
	CHECK_RC(p4(b, udp->len, udp->len, &q), NAT64_STAT_DROP_TRUNCATED4);
	memcpy(b, udp->b, udp->len);
	CHECK_RC(p4(b, udp->len, udp->len - 1, &q), NAT64_STAT_DROP_TRUNCATED4);
	end_case();

	begin_case("ipv4 total length below the header length: drop_bad_header");
	memcpy(b, udp->b, udp->len);
	for (v = 0; v < 20; v++) {
		put16(b + 2, (uint16_t)v);
		CHECK(p4(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_BAD_HDR, "tot_len %d", v);
	}
	end_case();

	begin_case("ipv4 total length cutting the transport header: drop_truncated4");
	memcpy(b, udp->b, udp->len);
	for (v = 20; v < 28; v++) {
		put16(b + 2, (uint16_t)v);
		CHECK(p4(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_TRUNCATED4, "tot_len %d", v);
	}
	end_case();

	begin_case("ipv4 IHL 0..4: drop_bad_header");
	for (ihl = 0; ihl < 5; ihl++) {
		memcpy(b, udp->b, udp->len);
		b[0] = (uint8_t)(0x40 | ihl);
		CHECK(p4(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_BAD_HDR, "ihl %d", ihl);
	}
	end_case();

	begin_case("ipv4 IHL beyond the total length or the buffer");
	memcpy(b, udp->b, udp->len);		/* 45 bytes */
	b[0] = 0x4f;				/* 60-byte header */
	CHECK_RC(p4(b, udp->len, udp->len, &q), NAT64_STAT_DROP_BAD_HDR);
	memset(b + udp->len, 0, 64);
	ref_udp(b + 60, 1, 2, NULL, 0);		/* UDP header right after 40 bytes of options */
	put16(b + 2, 68);
	CHECK_RC(p4(b, 40, 68, &q), NAT64_STAT_DROP_TRUNCATED4);
	CHECK_RC(p4(b, 68, 68, &q), 0);
	end_case();

	begin_case("ipv4 parser: version other than 4: drop_bad_header");
	for (v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		memcpy(b, udp->b, udp->len);
		b[0] = (uint8_t)(v << 4 | 5);
		CHECK(p4(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_BAD_HDR, "version %d", v);
	}
	end_case();

	begin_case("ipv4 fragments (MF, offset): drop_fragment; DF alone is fine");
	{
		static const uint16_t frags[] = { 0x2000, 0x0001, 0x1fff, 0x6000, 0x4001, 0x2100 };
		size_t i;

		for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
			memcpy(b, udp->b, udp->len);
			put16(b + 6, frags[i]);
			CHECK(p4(b, udp->len, udp->len, &q) == NAT64_STAT_DROP_FRAGMENT,
			      "frag_off %#x", frags[i]);
		}
		memcpy(b, udp->b, udp->len);
		put16(b + 6, 0x4000);
		CHECK_RC(p4(b, udp->len, udp->len, &q), 0);
		put16(b + 6, 0);
		CHECK_RC(p4(b, udp->len, udp->len, &q), 0);
	}
	end_case();
}

static void t_ip4_l4(void)
{
	static const uint8_t protos[] = { 0, 2, 4, 41, 47, 50, R_ICMP6, R_SCTP, 255 };
	uint8_t pl[64], l4[128];
	struct ref_ip4 h;
	struct nat64_pkt4 q;
	struct pkt s;
	size_t l, i;
	int d;

	smp_payload(pl, sizeof(pl), 3);
	smp_ip4(&h, 0, 1, 0, 64);

	begin_case("ipv4 tcp data offset 0..4: drop_truncated4");
	for (d = 0; d < 5; d++) {
		l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 20);
		l4[12] = (uint8_t)(d << 4);
		s = smp_mk4("", &h, R_TCP, NULL, 0, l4, l, 0);
		CHECK(p4(s.b, s.len, s.len, &q) == NAT64_STAT_DROP_TRUNCATED4, "doff %d", d);
		free(s.b);
	}
	end_case();

	begin_case("ipv4 tcp data offset beyond the segment: drop_truncated4");
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 3);
	l4[12] = 6 << 4;
	s = smp_mk4("", &h, R_TCP, NULL, 0, l4, l, 0);
	CHECK_RC(p4(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED4);
	free(s.b);
	l = ref_tcp(l4, 1, 2, 3, 4, R_SYN, NULL, 0, pl, 4);
	l4[12] = 6 << 4;
	s = smp_mk4("", &h, R_TCP, NULL, 0, l4, l, 0);
	CHECK_RC(p4(s.b, s.len, s.len, &q), 0);
	free(s.b);
	end_case();

	begin_case("ipv4 udp length field 0..7 or beyond the datagram: drop_truncated4");
	for (d = 0; d < 8; d++) {
		l = ref_udp(l4, 1, 2, pl, 10);
		put16(l4 + 4, (uint16_t)d);
		s = smp_mk4("", &h, R_UDP, NULL, 0, l4, l, 0);
		CHECK(p4(s.b, s.len, s.len, &q) == NAT64_STAT_DROP_TRUNCATED4, "udp len %d", d);
		free(s.b);
	}
	l = ref_udp(l4, 1, 2, pl, 10);
	put16(l4 + 4, 19);
	s = smp_mk4("", &h, R_UDP, NULL, 0, l4, l, 0);
	CHECK_RC(p4(s.b, s.len, s.len, &q), NAT64_STAT_DROP_TRUNCATED4);
	free(s.b);
	end_case();

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		begin_case("ipv4 protocol %u: drop_unsupported_proto", protos[i]);
		l = ref_echo(l4, 128, 1, 2, pl, 16);
		s = smp_mk4("", &h, protos[i], NULL, 0, l4, l, 0);
		CHECK_RC(p4(s.b, s.len, s.len, &q), NAT64_STAT_DROP_PROTO);
		free(s.b);
		end_case();
	}

	begin_case("ipv4 every ICMP type: echo ok, 3/11/12 %s, rest drop_icmp_type", ERR_WHAT);
	for (d = 0; d < 256; d++) {
		int err = d == 3 || d == 11 || d == 12;
		int want = d == 0 || d == 8 ? 0 : err ? ERR_PARSE : NAT64_STAT_DROP_ICMP_TYPE;
		int cwant = err ? ERR_CLASSIFY : want;
		int rc;

		l = ref_echo(l4, (uint8_t)d, 5, 6, NULL, 0);
		s = smp_mk4("", &h, R_ICMP4, NULL, 0, l4, l, 0);
		rc = p4(s.b, s.len, s.len, &q);
		CHECK(rc == want, "type %d: %s, expected %s", d, stat_name(rc), stat_name(want));
		CHECK(nat64_icmp4_classify((u8)d) == cwant, "classify4(%d) = %d", d,
		      nat64_icmp4_classify((u8)d));
#ifdef NAT64_ICMP_ERROR
		if (!rc)
			CHECK(q.l4.icmp_err == err, "type %d: icmp_err %d", d, q.l4.icmp_err);
#endif
		free(s.b);
	}
	end_case();
}

/*
 * RFC 7915 section 4.1: options are ignored, "however, if an unexpired
 * source route option is present, then the packet MUST instead be discarded".
 */
static void t_ip4_srr(void)
{
	uint8_t pl[16], l4[64], opt[8];
	struct ref_ip4 h;
	struct nat64_pkt4 q;
	struct pkt s;
	size_t l;
	int type;

	smp_payload(pl, sizeof(pl), 4);
	smp_ip4(&h, 0, 1, 0, 64);
	l = ref_udp(l4, 1, 2, pl, 8);
	for (type = 131; type <= 137; type += 6) {
		begin_case("ipv4 unexpired %s source route option: not translated (RFC 7915 4.1)",
			   type == 131 ? "loose" : "strict");
		/* type, length 7, pointer 4 (first address unused), 192.0.2.99, EOL */
		opt[0] = (uint8_t)type;
		opt[1] = 7;
		opt[2] = 4;
		opt[3] = 192; opt[4] = 0; opt[5] = 2; opt[6] = 99;
		opt[7] = 0;
		s = smp_mk4("", &h, R_UDP, opt, 8, l4, l, 0);
		CHECK(p4(s.b, s.len, s.len, &q) != 0, "translated (parse4 returned 0)");
		free(s.b);
		end_case();
	}
	begin_case("ipv4 expired source route option (pointer past the end): translated");
	opt[0] = 131;
	opt[1] = 7;
	opt[2] = 8;
	opt[3] = 192; opt[4] = 0; opt[5] = 2; opt[6] = 99;
	opt[7] = 0;
	s = smp_mk4("", &h, R_UDP, opt, 8, l4, l, 0);
	CHECK_RC(p4(s.b, s.len, s.len, &q), 0);
	CHECK_EQ(q.l4.off, 28);
	free(s.b);
	end_case();
}

int main(void)
{
	struct pkt s6v[SAMPLES_MAX], s4v[SAMPLES_MAX];
	size_t n6, n4, i;

	n6 = samples6(s6v);
	n4 = samples4(s4v);
	for (i = 0; i < n6; i++)
		t_truncations(&s6v[i]);
	for (i = 0; i < n4; i++)
		t_truncations(&s4v[i]);
	for (i = 0; i < n6; i++)
		t_short_buffer(&s6v[i]);
	for (i = 0; i < n4; i++)
		t_short_buffer(&s4v[i]);
	t_ip6_header(&s6v[0]);
	t_ip6_l4();
	t_ip6_ext();
	t_icmp6_types();
	t_ip4_header(&s4v[0]);
	t_ip4_l4();
	t_ip4_srr();
	samples_free(s6v, n6);
	samples_free(s4v, n4);
	return h_finish("test_parse");
}
