/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid sample packets of every kind, built with refpkt.h: used by the unit
 * tests (translation, truncation sweeps) and by the fuzzer's seed generator.
 */
#ifndef NAT64_TEST_SAMPLES_H
#define NAT64_TEST_SAMPLES_H

#include <stdlib.h>
#include "refpkt.h"

/* The addresses of every test: an IPv6 host talks to 192.0.2.33 via 64:ff9b::/96. */
#define H6_TXT		"2001:db8:1::5"		/* IPv6 host */
#define S6_TXT		"64:ff9b::c000:221"	/* server as seen from IPv6 */
#define POOL4_TXT	"198.51.100.7"		/* pool4 address */
#define SRV4_TXT	"192.0.2.33"		/* server */

void txt6(const char *s, void *out16);
void txt4(const char *s, void *out4);

struct pkt {
	const char *name;
	uint8_t *b;		/* exactly len bytes (malloc) */
	size_t len;		/* bytes of the buffer */
	size_t iplen;		/* bytes the IP header accounts for (len minus link padding) */
	size_t l4off;
	size_t l4len;
	uint8_t proto;		/* R_TCP, R_UDP, R_ICMP6 or R_ICMP4 */
	int v6;
};

#define SAMPLES_MAX 32
#define SCRATCH_MAX 70000

static uint8_t smp_scratch[SCRATCH_MAX];
static uint8_t smp_l4[SCRATCH_MAX];

static inline uint8_t *smp_dup(const uint8_t *b, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, b, len);
	return p;
}

static inline void smp_payload(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

/* TCP options of a SYN: MSS, SACK permitted, timestamps, NOP, window scale */
static const uint8_t smp_synopt[20] = {
	2, 4, 0x05, 0xa0, 4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 1, 3, 3, 7,
};

static inline struct pkt smp_mk6(const char *name, const struct ref_ip6 *h, uint8_t nh,
				 const uint8_t *ext, size_t extlen, uint8_t proto,
				 const uint8_t *l4, size_t l4len, size_t pad)
{
	struct pkt p;
	size_t len = ref_build6(smp_scratch, h, nh, ext, extlen, l4, l4len, proto);

	memset(smp_scratch + len, 0xee, pad);
	p.name = name;
	p.b = smp_dup(smp_scratch, len + pad);
	p.len = len + pad;
	p.iplen = len;
	p.l4off = 40 + extlen;
	p.l4len = l4len;
	p.proto = proto;
	p.v6 = 1;
	return p;
}

static inline struct pkt smp_mk4(const char *name, const struct ref_ip4 *h, uint8_t proto,
				 const uint8_t *opt, size_t optlen, const uint8_t *l4,
				 size_t l4len, size_t pad)
{
	struct pkt p;
	size_t len = ref_build4(smp_scratch, h, proto, opt, optlen, l4, l4len, 1);

	memset(smp_scratch + len, 0xee, pad);
	p.name = name;
	p.b = smp_dup(smp_scratch, len + pad);
	p.len = len + pad;
	p.iplen = len;
	p.l4off = 20 + optlen;
	p.l4len = l4len;
	p.proto = proto;
	p.v6 = 0;
	return p;
}

static inline void smp_ip6(struct ref_ip6 *h, uint8_t tclass, uint32_t flow, uint8_t hlim)
{
	h->tclass = tclass;
	h->flow = flow;
	h->hlim = hlim;
	txt6(H6_TXT, h->src);
	txt6(S6_TXT, h->dst);
}

static inline void smp_ip4(struct ref_ip4 *h, uint8_t tos, uint16_t id, uint16_t frag,
			   uint8_t ttl)
{
	h->tos = tos;
	h->id = id;
	h->frag = frag;
	h->ttl = ttl;
	txt4(SRV4_TXT, h->src);
	txt4(POOL4_TXT, h->dst);
}

/* Valid IPv6 packets (IPv6 host -> server); returns how many. */
static inline size_t samples6(struct pkt *s)
{
	uint8_t pl[1300], ext[128];
	struct ref_ip6 h;
	size_t n = 0, l, e;
	int i;

	smp_payload(pl, sizeof(pl), 0x31);
	smp_ip6(&h, 0xb8, 0x12345, 64);
	l = ref_udp(smp_l4, 40000, 53, pl, 17);
	s[n++] = smp_mk6("udp", &h, R_UDP, NULL, 0, R_UDP, smp_l4, l, 0);

	smp_ip6(&h, 0x00, 0, 255);
	l = ref_tcp(smp_l4, 40001, 80, 0x01020304, 0, R_SYN, smp_synopt, 20, NULL, 0);
	s[n++] = smp_mk6("tcp syn with options", &h, R_TCP, NULL, 0, R_TCP, smp_l4, l, 0);

	smp_ip6(&h, 0x28, 0xfffff, 17);
	l = ref_tcp(smp_l4, 40002, 443, 0xfffffff0, 0x0a0b0c0d, R_FIN | R_ACK | R_PSH, NULL, 0,
		    pl, 100);
	s[n++] = smp_mk6("tcp fin|ack|psh with 100 bytes", &h, R_TCP, NULL, 0, R_TCP, smp_l4, l,
			 0);

	smp_ip6(&h, 0x04, 1, 2);
	l = ref_tcp(smp_l4, 40003, 25, 7, 8, R_RST | R_ACK, NULL, 0, NULL, 0);
	s[n++] = smp_mk6("tcp rst|ack", &h, R_TCP, NULL, 0, R_TCP, smp_l4, l, 0);

	smp_ip6(&h, 0x10, 0xabcde, 64);
	l = ref_echo(smp_l4, 128, 0x4242, 7, pl, 56);
	s[n++] = smp_mk6("icmpv6 echo request", &h, R_ICMP6, NULL, 0, R_ICMP6, smp_l4, l, 0);

	smp_ip6(&h, 0x00, 0, 64);
	l = ref_echo(smp_l4, 129, 0x4243, 8, pl, 3);
	s[n++] = smp_mk6("icmpv6 echo reply", &h, R_ICMP6, NULL, 0, R_ICMP6, smp_l4, l, 0);

	smp_ip6(&h, 0xff, 0xfffff, 1);
	l = ref_udp(smp_l4, 1, 65535, pl, 0);
	s[n++] = smp_mk6("udp tclass 0xff hop limit 1 empty", &h, R_UDP, NULL, 0, R_UDP, smp_l4,
			 l, 0);

	smp_ip6(&h, 0x00, 0, 64);
	l = ref_udp(smp_l4, 40004, 53, pl, 1232);
	s[n++] = smp_mk6("udp giving a 1260-byte IPv4 packet", &h, R_UDP, NULL, 0, R_UDP, smp_l4,
			 l, 0);
	l = ref_udp(smp_l4, 40004, 53, pl, 1233);
	s[n++] = smp_mk6("udp giving a 1261-byte IPv4 packet", &h, R_UDP, NULL, 0, R_UDP, smp_l4,
			 l, 0);

	e = ref_opthdr(ext, R_DEST, 8);
	e += ref_opthdr(ext + e, R_UDP, 16);
	l = ref_udp(smp_l4, 40005, 53, pl, 20);
	s[n++] = smp_mk6("udp after hop-by-hop and destination options", &h, R_HOP, ext, e,
			 R_UDP, smp_l4, l, 0);

	e = ref_opthdr(ext, R_ROUTING, 16);
	e += ref_rthdr(ext + e, R_DEST, 0, 2);
	e += ref_opthdr(ext + e, R_TCP, 8);
	l = ref_tcp(smp_l4, 40006, 80, 1, 0, R_SYN, smp_synopt, 20, NULL, 0);
	s[n++] = smp_mk6("tcp after hop-by-hop, routing (segments left 0), destination", &h,
			 R_HOP, ext, e, R_TCP, smp_l4, l, 0);

	e = ref_opthdr(ext, R_ICMP6, 24);
	l = ref_echo(smp_l4, 128, 0x0001, 1, pl, 32);
	s[n++] = smp_mk6("icmpv6 echo after destination options", &h, R_DEST, ext, e, R_ICMP6,
			 smp_l4, l, 0);

	l = ref_udp(smp_l4, 40007, 123, pl, 48);
	s[n++] = smp_mk6("udp followed by 6 bytes of link padding", &h, R_UDP, NULL, 0, R_UDP,
			 smp_l4, l, 6);

	e = ref_opthdr(ext, R_DEST, 8);
	for (i = 0; i < 7; i++)
		e += ref_opthdr(ext + e, i == 6 ? R_UDP : R_DEST, 8);
	l = ref_udp(smp_l4, 40008, 53, pl, 9);
	s[n++] = smp_mk6("udp after 8 extension headers (the most allowed)", &h, R_HOP, ext, e,
			 R_UDP, smp_l4, l, 0);

	l = ref_tcp(smp_l4, 40009, 8080, 100, 200, R_ACK, NULL, 0, pl, 1000);
	s[n++] = smp_mk6("tcp ack with 1000 bytes", &h, R_TCP, NULL, 0, R_TCP, smp_l4, l, 0);
	return n;
}

/* Valid IPv4 packets (server -> pool4 address); returns how many. */
static inline size_t samples4(struct pkt *s)
{
	static const char *const optnames[] = {
		"udp with IHL 6 options", "udp with IHL 7 options", "udp with IHL 8 options",
		"udp with IHL 9 options", "udp with IHL 10 options", "udp with IHL 11 options",
		"udp with IHL 12 options", "udp with IHL 13 options", "udp with IHL 14 options",
		"udp with IHL 15 options",
	};
	uint8_t pl[1300], opt[40];
	struct ref_ip4 h;
	size_t n = 0, l;
	int ihl;

	smp_payload(pl, sizeof(pl), 0x52);
	smp_ip4(&h, 0xb8, 0x1234, 0x4000, 63);
	l = ref_udp(smp_l4, 53, 61001, pl, 17);
	s[n++] = smp_mk4("udp", &h, R_UDP, NULL, 0, smp_l4, l, 0);

	smp_ip4(&h, 0x00, 0xffff, 0, 255);
	l = ref_tcp(smp_l4, 80, 61002, 0x01020304, 0x05060708, R_SYN | R_ACK, smp_synopt, 20,
		    NULL, 0);
	s[n++] = smp_mk4("tcp syn|ack with options", &h, R_TCP, NULL, 0, smp_l4, l, 0);

	smp_ip4(&h, 0x28, 0, 0x4000, 17);
	l = ref_tcp(smp_l4, 443, 61003, 0xfffffff0, 0x0a0b0c0d, R_FIN | R_ACK, NULL, 0, pl, 100);
	s[n++] = smp_mk4("tcp fin|ack with 100 bytes", &h, R_TCP, NULL, 0, smp_l4, l, 0);

	smp_ip4(&h, 0x04, 7, 0, 2);
	l = ref_tcp(smp_l4, 25, 61004, 7, 8, R_RST, NULL, 0, NULL, 0);
	s[n++] = smp_mk4("tcp rst", &h, R_TCP, NULL, 0, smp_l4, l, 0);

	smp_ip4(&h, 0x10, 0x5555, 0, 64);
	l = ref_echo(smp_l4, 8, 0x2222, 9, pl, 56);
	s[n++] = smp_mk4("icmp echo request", &h, R_ICMP4, NULL, 0, smp_l4, l, 0);
	l = ref_echo(smp_l4, 0, 0x2223, 10, pl, 3);
	s[n++] = smp_mk4("icmp echo reply", &h, R_ICMP4, NULL, 0, smp_l4, l, 0);

	for (ihl = 6; ihl <= 15; ihl++) {
		size_t optlen = (size_t)(ihl - 5) * 4;

		memset(opt, 1, optlen);		/* NOPs */
		opt[optlen - 1] = 0;		/* end of options */
		smp_ip4(&h, 0x20, (uint16_t)ihl, 0, 64);
		l = ref_udp(smp_l4, 53, 61005, pl, 11);
		s[n++] = smp_mk4(optnames[ihl - 6], &h, R_UDP, opt, optlen, smp_l4, l, 0);
	}

	smp_ip4(&h, 0xff, 1, 0x4000, 1);
	l = ref_udp(smp_l4, 65535, 1, pl, 0);
	s[n++] = smp_mk4("udp tos 0xff ttl 1 empty", &h, R_UDP, NULL, 0, smp_l4, l, 0);

	smp_ip4(&h, 0, 2, 0, 64);
	l = ref_udp(smp_l4, 123, 61006, pl, 48);
	s[n++] = smp_mk4("udp followed by 6 bytes of link padding", &h, R_UDP, NULL, 0, smp_l4,
			 l, 6);

	l = ref_tcp(smp_l4, 8080, 61007, 100, 200, R_ACK, NULL, 0, pl, 1000);
	s[n++] = smp_mk4("tcp ack with 1000 bytes", &h, R_TCP, NULL, 0, smp_l4, l, 0);
	return n;
}

static inline void samples_free(struct pkt *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].b);
}

#endif /* NAT64_TEST_SAMPLES_H */
