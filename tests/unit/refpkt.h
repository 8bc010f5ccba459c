/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Independent reference for the tests and the fuzzer: packet builders and
 * RFC 1071 checksums computed byte by byte in host arithmetic. Nothing here
 * is shared with kmod/csum.h or the kernel headers, so that a bug in the
 * module's checksum code cannot hide itself.
 */
#ifndef NAT64_TEST_REFPKT_H
#define NAT64_TEST_REFPKT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* protocol / next header numbers */
enum {
	R_HOP = 0, R_ICMP4 = 1, R_TCP = 6, R_UDP = 17, R_ROUTING = 43,
	R_FRAG = 44, R_ESP = 50, R_ICMP6 = 58, R_NONE = 59, R_DEST = 60,
	R_SCTP = 132,
};

/* TCP flag bits as on the wire */
enum { R_FIN = 0x01, R_SYN = 0x02, R_RST = 0x04, R_PSH = 0x08, R_ACK = 0x10, R_URG = 0x20 };

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Sum of big-endian 16-bit words; an odd last byte is padded with zero. */
static inline uint64_t ref_add(uint64_t acc, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		acc += (i & 1) ? p[i] : (uint64_t)p[i] << 8;
	return acc;
}

/* End-around-carry fold; 0 only for an all-zero sum. */
static inline uint16_t ref_fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* ones' complement equality (0x0000 and 0xffff are both zero) */
static inline int ref_oc_eq(uint16_t a, uint16_t b)
{
	return (a == 0xffff ? 0 : a) == (b == 0xffff ? 0 : b);
}

/* RFC 8200 section 8.1 */
static inline uint64_t ref_pseudo6(const uint8_t *s, const uint8_t *d, uint32_t len,
				   uint8_t nh)
{
	uint8_t t[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			 (uint8_t)len, 0, 0, 0, nh };

	return ref_add(ref_add(ref_add(0, s, 16), d, 16), t, 8);
}

/* RFC 793 / RFC 768 */
static inline uint64_t ref_pseudo4(const uint8_t *s, const uint8_t *d, uint16_t len,
				   uint8_t proto)
{
	uint8_t t[4] = { 0, proto, (uint8_t)(len >> 8), (uint8_t)len };

	return ref_add(ref_add(ref_add(0, s, 4), d, 4), t, 4);
}

static inline size_t ref_csum_off(uint8_t proto)
{
	return proto == R_TCP ? 16 : proto == R_UDP ? 6 : 2;
}

/* Write the correct checksum of the transport segment @l4 (@len bytes). */
static inline void ref_fill_csum(uint64_t pseudo, uint8_t *l4, size_t len, uint8_t proto)
{
	size_t o = ref_csum_off(proto);
	uint16_t c;

	put16(l4 + o, 0);
	c = (uint16_t)~ref_fold(ref_add(pseudo, l4, len));
	if (proto == R_UDP && !c)
		c = 0xffff;
	put16(l4 + o, c);
}

/*
 * fold(pseudo-header + segment, checksum field included): 0xffff when the
 * checksum is right; otherwise how wrong it is (normalised, never 0).
 */
static inline uint16_t ref_residual(uint64_t pseudo, const uint8_t *l4, size_t len)
{
	uint16_t r = ref_fold(ref_add(pseudo, l4, len));

	return r ? r : 0xffff;
}

/* IPv4 header checksum over @hl bytes is right */
static inline int ref_ip4_hdr_ok(const uint8_t *h, size_t hl)
{
	return ref_fold(ref_add(0, h, hl)) == 0xffff;
}

/* --- transport segments (checksum left 0) --- */

static inline size_t ref_udp(uint8_t *o, uint16_t sp, uint16_t dp, const uint8_t *pl,
			     size_t n)
{
	put16(o, sp);
	put16(o + 2, dp);
	put16(o + 4, (uint16_t)(8 + n));
	put16(o + 6, 0);
	if (n)
		memcpy(o + 8, pl, n);
	return 8 + n;
}

/* @optlen a multiple of 4, at most 40 */
static inline size_t ref_tcp(uint8_t *o, uint16_t sp, uint16_t dp, uint32_t seq,
			     uint32_t ack, uint8_t flags, const uint8_t *opt, size_t optlen,
			     const uint8_t *pl, size_t n)
{
	size_t hl = 20 + optlen;

	put16(o, sp);
	put16(o + 2, dp);
	put32(o + 4, seq);
	put32(o + 8, ack);
	o[12] = (uint8_t)((hl / 4) << 4);
	o[13] = flags;
	put16(o + 14, 64240);
	put16(o + 16, 0);
	put16(o + 18, 0);
	if (optlen)
		memcpy(o + 20, opt, optlen);
	if (n)
		memcpy(o + hl, pl, n);
	return hl + n;
}

/* ICMPv6 (128/129) or ICMPv4 (8/0) echo */
static inline size_t ref_echo(uint8_t *o, uint8_t type, uint16_t id, uint16_t seq,
			      const uint8_t *pl, size_t n)
{
	o[0] = type;
	o[1] = 0;
	put16(o + 2, 0);
	put16(o + 4, id);
	put16(o + 6, seq);
	if (n)
		memcpy(o + 8, pl, n);
	return 8 + n;
}

/* HBH / destination options header of @len bytes (multiple of 8) with PadN */
static inline size_t ref_opthdr(uint8_t *o, uint8_t nh, size_t len)
{
	memset(o, 0, len);
	o[0] = nh;
	o[1] = (uint8_t)(len / 8 - 1);
	o[2] = 1;			/* PadN */
	o[3] = (uint8_t)(len - 4);
	return len;
}

/* Routing header type 4 (SRH-like) with @segleft, 8 + 16 * nseg bytes */
static inline size_t ref_rthdr(uint8_t *o, uint8_t nh, uint8_t segleft, unsigned int nseg)
{
	size_t len = 8 + 16 * nseg;
	unsigned int i;

	memset(o, 0, len);
	o[0] = nh;
	o[1] = (uint8_t)(2 * nseg);
	o[2] = 4;
	o[3] = segleft;
	for (i = 0; i < nseg; i++) {
		o[8 + 16 * i] = 0x20;
		o[8 + 16 * i + 1] = 0x01;
		o[8 + 16 * i + 15] = (uint8_t)(i + 1);
	}
	return len;
}

/* Fragment header */
static inline size_t ref_fraghdr(uint8_t *o, uint8_t nh, uint16_t offset, int more,
				 uint32_t ident)
{
	o[0] = nh;
	o[1] = 0;
	put16(o + 2, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	put32(o + 4, ident);
	return 8;
}

/* --- IP packets --- */

struct ref_ip6 {
	uint8_t tclass;
	uint32_t flow;		/* 20 bits */
	uint8_t hlim;
	uint8_t src[16];
	uint8_t dst[16];
};

/*
 * IPv6 header (next header @nh) + @ext + @l4. When @csum_proto is not 0 the
 * transport checksum of that protocol is computed (pseudo-header with
 * @csum_proto, length @l4len). Returns the packet length.
 */
static inline size_t ref_build6(uint8_t *o, const struct ref_ip6 *h, uint8_t nh,
				const uint8_t *ext, size_t extlen, const uint8_t *l4,
				size_t l4len, uint8_t csum_proto)
{
	o[0] = (uint8_t)(0x60 | h->tclass >> 4);
	o[1] = (uint8_t)((h->tclass & 0x0f) << 4 | ((h->flow >> 16) & 0x0f));
	o[2] = (uint8_t)(h->flow >> 8);
	o[3] = (uint8_t)h->flow;
	put16(o + 4, (uint16_t)(extlen + l4len));
	o[6] = nh;
	o[7] = h->hlim;
	memcpy(o + 8, h->src, 16);
	memcpy(o + 24, h->dst, 16);
	if (extlen)
		memcpy(o + 40, ext, extlen);
	if (l4len)
		memmove(o + 40 + extlen, l4, l4len);
	if (csum_proto)
		ref_fill_csum(ref_pseudo6(h->src, h->dst, (uint32_t)l4len, csum_proto),
			      o + 40 + extlen, l4len, csum_proto);
	return 40 + extlen + l4len;
}

struct ref_ip4 {
	uint8_t tos;
	uint16_t id;
	uint16_t frag;		/* flags + offset as on the wire */
	uint8_t ttl;
	uint8_t src[4];
	uint8_t dst[4];
};

/*
 * IPv4 header with @optlen bytes of options (multiple of 4) + @l4; header
 * checksum always, transport checksum when @csum (ICMP: no pseudo-header).
 */
static inline size_t ref_build4(uint8_t *o, const struct ref_ip4 *h, uint8_t proto,
				const uint8_t *opt, size_t optlen, const uint8_t *l4,
				size_t l4len, int csum)
{
	size_t hl = 20 + optlen;

	o[0] = (uint8_t)(0x40 | hl / 4);
	o[1] = h->tos;
	put16(o + 2, (uint16_t)(hl + l4len));
	put16(o + 4, h->id);
	put16(o + 6, h->frag);
	o[8] = h->ttl;
	o[9] = proto;
	put16(o + 10, 0);
	memcpy(o + 12, h->src, 4);
	memcpy(o + 16, h->dst, 4);
	if (optlen)
		memcpy(o + 20, opt, optlen);
	put16(o + 10, (uint16_t)~ref_fold(ref_add(0, o, hl)));
	if (l4len)
		memmove(o + hl, l4, l4len);
	if (csum)
		ref_fill_csum(proto == R_ICMP4 ? 0 :
			      ref_pseudo4(h->src, h->dst, (uint16_t)l4len, proto),
			      o + hl, l4len, proto);
	return hl + l4len;
}

#endif /* NAT64_TEST_REFPKT_H */
