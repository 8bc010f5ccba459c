// SPDX-License-Identifier: GPL-2.0
/*
 * Choice of pool4 transport addresses for new bindings: the subscriber's
 * address (paired pooling, RFC 4787 REQ-2, RFC 6888 REQ-2), a port from a
 * keyed hash of the flow, probed by double hashing (RFC 6056 algorithm 3
 * style, without its clustering).
 */

#include "xlat.h"

static u32 nat64_entry_naddr(const struct nat64_pool4_entry *e)
{
	return 1u << (32 - e->plen);
}

/* Ports of @e within [lo, hi]. */
static u32 nat64_entry_ports(const struct nat64_pool4_entry *e, u16 lo, u16 hi,
			     u16 *first)
{
	u16 a = e->pmin > lo ? e->pmin : lo;
	u16 b = e->pmax < hi ? e->pmax : hi;

	if (a > b)
		return 0;
	*first = a;
	return (u32)b - a + 1;
}

/* IPv6 source port @sport's range: 0-1023 or 1024-65535 (ICMP: not split). */
static void nat64_sport_range(u8 proto, u16 sport, u16 *lo, u16 *hi)
{
	*lo = 0;
	*hi = 0xffff;
	if (proto != IPPROTO_ICMP) {
		*lo = sport < 1024 ? 0 : 1024;
		*hi = sport < 1024 ? 1023 : 0xffff;
	}
}

/* @e is one of @proto's entries, and holds @on if given. */
static bool nat64_entry_for(const struct nat64_pool4_entry *e, u8 proto, const __be32 *on)
{
	return e->proto == proto && (!on || nat64_entry_holds(e, *on));
}

/* Candidates (address, port) of @proto's entries within [lo, hi], on @on if given. */
static u64 nat64_space(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		       const __be32 *on, u16 lo, u16 hi)
{
	u64 total = 0;
	unsigned int i;
	u16 first;

	for (i = 0; i < n; i++)
		if (nat64_entry_for(&e[i], proto, on))
			total += (u64)(on ? 1 : nat64_entry_naddr(&e[i])) *
				 nat64_entry_ports(&e[i], lo, hi, &first);
	return total;
}

/*
 * Strides: primes above 65536, so that none divides the ports of one
 * address (a prime that divides a larger pool's count is passed over),
 * spread out, and chosen so that modulo round counts of candidates (1000,
 * 1024, 4096, 10000, 28232, 32768, 64512, 65535, 65536 and some multiples)
 * none is within 1/16 of the count from a multiple of it: no flow steps
 * through ports one or a few at a time.
 */
static const u32 nat64_strides[] = {
	70729, 74131, 77137, 86461, 90631, 93637, 100649, 103651,
	106753, 110849, 115777, 123757, 135427, 138433, 145543, 148549,
	151813, 155317, 158329, 161333, 166147, 171161, 174221, 183761,
	186763, 201073, 204133, 209159, 214129, 217351, 220663, 231559,
};

/*
 * Candidate number @attempt of @total: a start and a stride (one of 32) both
 * from @hash, the stride prime to @total, so that attempts 0..total-1 visit
 * every candidate once. Flows whose starts fall close probe apart (double
 * hashing): with a stride of one, the taken ports would gather into runs
 * that every flow starting inside one walks, and a binding on an address
 * 95 % taken would cost about 11 probes instead of 3.
 */
static u64 nat64_nth(u64 hash, u32 attempt, u64 total)
{
	unsigned int n = ARRAY_SIZE(nat64_strides), i = (hash >> 32) % n, k;
	u64 stride = 1;

	for (k = 0; k < n; k++) {
		u32 p = nat64_strides[(i + k) % n];

		if (total % p) {
			stride = p % total;
			break;
		}
	}
	return (hash % total + (attempt % total) * stride % total) % total;
}

/*
 * Candidate @attempt for a binding of IPv6 source port @sport: among the
 * ports of the source port's range when the pool (or @on) has any there,
 * else among all; on address @on only if given.
 */
static bool nat64_pick(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		       const __be32 *on, u16 sport, u64 hash, u32 attempt, __be32 *addr,
		       u16 *port)
{
	u16 lo, hi, first;
	unsigned int i;
	u64 total, idx;

	nat64_sport_range(proto, sport, &lo, &hi);
	total = nat64_space(e, n, proto, on, lo, hi);
	if (!total) {
		lo = 0;
		hi = 0xffff;
		total = nat64_space(e, n, proto, on, lo, hi);
		if (!total)
			return false;
	}
	idx = nat64_nth(hash, attempt, total);
	for (i = 0; i < n; i++) {
		u32 np, na;
		u64 span;

		if (!nat64_entry_for(&e[i], proto, on))
			continue;
		np = nat64_entry_ports(&e[i], lo, hi, &first);
		na = on ? 1 : nat64_entry_naddr(&e[i]);
		span = (u64)na * np;
		if (idx < span) {
			/* ports vary fastest: one address fills before the next */
			*addr = on ? *on : htonl(ntohl(e[i].addr) + (u32)(idx / np));
			*port = first + (u16)(idx % np);
			return true;
		}
		idx -= span;
	}
	return false;
}

bool nat64_port_pick(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		     u16 sport, u64 hash, u32 attempt, __be32 *addr, u16 *port)
{
	return nat64_pick(e, n, proto, NULL, sport, hash, attempt, addr, port);
}

/* Entry @a before entry @b in ascending order of first address (ties: index). */
static bool nat64_entry_before(const struct nat64_pool4_entry *e, unsigned int a,
			       unsigned int b)
{
	u32 x = ntohl(e[a].addr), y = ntohl(e[b].addr);

	return x < y || (x == y && a < b);
}

bool nat64_pool4_paired_addr(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			     u32 sub_hash, __be32 *addr)
{
	unsigned int i, cur = n, next;
	u64 naddr = 0, k;

	for (i = 0; i < n; i++)
		if (e[i].proto == proto)
			naddr += nat64_entry_naddr(&e[i]);
	if (!naddr)
		return false;
	k = sub_hash % naddr;
	/* the entries in ascending address order, whatever order they came in */
	for (;;) {
		next = n;
		for (i = 0; i < n; i++)
			if (e[i].proto == proto &&
			    (cur == n || nat64_entry_before(e, cur, i)) &&
			    (next == n || nat64_entry_before(e, i, next)))
				next = i;
		if (next == n)
			return false;	/* not reached: k < naddr */
		cur = next;
		if (k < nat64_entry_naddr(&e[cur])) {
			*addr = htonl(ntohl(e[cur].addr) + (u32)k);
			return true;
		}
		k -= nat64_entry_naddr(&e[cur]);
	}
}

bool nat64_port_pick_on(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			__be32 addr, u16 sport, u64 hash, u32 attempt, u16 *port)
{
	__be32 a;

	return nat64_pick(e, n, proto, &addr, sport, hash, attempt, &a, port);
}

bool nat64_pool4_contains(const struct nat64_pool4_entry *e, u8 proto, __be32 addr,
			  u16 port)
{
	return e->proto == proto && nat64_entry_holds(e, addr) &&
	       port >= e->pmin && port <= e->pmax;
}

bool nat64_pool4_overlap(const struct nat64_pool4_entry *a,
			 const struct nat64_pool4_entry *b)
{
	u32 plen = a->plen < b->plen ? a->plen : b->plen;
	u32 mask = plen ? ~0u << (32 - plen) : 0;

	return a->proto == b->proto &&
	       (ntohl(a->addr) & mask) == (ntohl(b->addr) & mask) &&
	       a->pmin <= b->pmax && b->pmin <= a->pmax;
}
