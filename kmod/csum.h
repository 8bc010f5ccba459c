/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ones' complement arithmetic (RFC 1071, RFC 1624) on 16-bit words kept in
 * network order. Incremental updates keep a wrong checksum wrong.
 */
#ifndef _NAT64_CSUM_H
#define _NAT64_CSUM_H

#include "pure.h"

/* Add @len bytes (even) at @p to the 32-bit accumulator @sum. */
static inline u32 nat64_sum(u32 sum, const void *p, size_t len)
{
	const u8 *b = p;
	size_t i;
	u16 w;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&w, b + i, 2);
		sum += w;
	}
	if (len & 1) {
		w = 0;
		memcpy(&w, b + len - 1, 1);
		sum += w;
	}
	return sum;
}

static inline u16 nat64_fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (u16)sum;
}

/*
 * Replace, in the complemented checksum @check, data summing to @old by data
 * summing to @new (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')).
 */
static inline __sum16 nat64_csum_update(__sum16 check, u32 old, u32 new)
{
	u32 acc = (u16)~(__force u16)check;

	acc += (u16)~nat64_fold(old);
	acc += nat64_fold(new);
	return (__force __sum16)(u16)~nat64_fold(acc);
}

/*
 * Same for a checksum field that holds a pseudo-header sum not yet
 * complemented (CHECKSUM_PARTIAL: the rest is computed at transmit).
 */
static inline __sum16 nat64_csum_update_partial(__sum16 check, u32 old, u32 new)
{
	u32 acc = (__force u16)check;

	acc += (u16)~nat64_fold(old);
	acc += nat64_fold(new);
	return (__force __sum16)nat64_fold(acc);
}

/* Sum of the IPv6 pseudo-header (RFC 8200 section 8.1). */
static inline u32 nat64_pseudo6(const struct in6_addr *s, const struct in6_addr *d,
				u32 len, u8 proto)
{
	__be32 tail[2] = { htonl(len), htonl(proto) };
	u32 sum = nat64_sum(0, s, 16);

	sum = nat64_sum(sum, d, 16);
	return nat64_sum(sum, tail, 8);
}

/* Sum of the IPv4 pseudo-header (RFC 793/768). */
static inline u32 nat64_pseudo4(__be32 s, __be32 d, u16 len, u8 proto)
{
	__be16 tail[2] = { htons(proto), htons(len) };
	u32 sum = nat64_sum(0, &s, 4);

	sum = nat64_sum(sum, &d, 4);
	return nat64_sum(sum, tail, 4);
}

/*
 * Give the TCP/UDP header @l4 the ports @sport and @dport, and return its
 * checksum @check updated for them and for a pseudo-header whose changing
 * part summed to @old and now sums to @new.
 */
static inline __sum16 nat64_l4_rewrite(u8 *l4, u8 proto, __sum16 check, u32 old,
				       u32 new, __be16 sport, __be16 dport, bool partial)
{
	if (partial) {
		/* the ports are summed at transmit, the pseudo-header now */
		memcpy(l4, &sport, 2);
		memcpy(l4 + 2, &dport, 2);
		return nat64_csum_update_partial(check, old, new);
	}
	old = nat64_sum(old, l4, 4);
	memcpy(l4, &sport, 2);
	memcpy(l4 + 2, &dport, 2);
	new = nat64_sum(new, l4, 4);
	check = nat64_csum_update(check, old, new);
	if (proto == IPPROTO_UDP && !check)
		check = (__force __sum16)0xffff;	/* RFC 768 */
	return check;
}

/* IPv4 header checksum over @len bytes. */
static inline __sum16 nat64_ip4_csum(const void *iph, size_t len)
{
	return (__force __sum16)(u16)~nat64_fold(nat64_sum(0, iph, len));
}

#endif /* _NAT64_CSUM_H */
