// SPDX-License-Identifier: GPL-2.0
/*
 * Choice of pool4 transport addresses for new bindings: the subscriber's
 * address (paired pooling, RFC 4787 REQ-2, RFC 6888 REQ-2), a port from a
 * keyed hash of the flow (RFC 6056 algorithm 3 style).
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

static u64 nat64_space(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		       u16 lo, u16 hi)
{
	u64 total = 0;
	unsigned int i;
	u16 first;

	for (i = 0; i < n; i++)
		if (e[i].proto == proto)
			total += (u64)nat64_entry_naddr(&e[i]) *
				 nat64_entry_ports(&e[i], lo, hi, &first);
	return total;
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

/*
 * The ports a binding for IPv6 source port @sport takes: the source port's
 * range when the pool has any there, else all. Returns the candidates
 * (address, port) in it.
 */
static u64 nat64_range(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		       u16 sport, u16 *lo, u16 *hi)
{
	u64 total;

	nat64_sport_range(proto, sport, lo, hi);
	total = nat64_space(e, n, proto, *lo, *hi);
	if (!total) {
		*lo = 0;
		*hi = 0xffff;
		total = nat64_space(e, n, proto, *lo, *hi);
	}
	return total;
}

bool nat64_port_pick(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		     u16 sport, u32 hash, u32 attempt, __be32 *addr, u16 *port)
{
	u16 lo, hi, first;
	unsigned int i;
	u64 total, idx;

	total = nat64_range(e, n, proto, sport, &lo, &hi);
	if (!total)
		return false;
	idx = ((u64)hash + attempt) % total;
	for (i = 0; i < n; i++) {
		u32 np, na;
		u64 span;

		if (e[i].proto != proto)
			continue;
		np = nat64_entry_ports(&e[i], lo, hi, &first);
		na = nat64_entry_naddr(&e[i]);
		span = (u64)na * np;
		if (idx < span) {
			/* ports vary fastest: one address fills before the next */
			*addr = htonl(ntohl(e[i].addr) + (u32)(idx / np));
			*port = first + (u16)(idx % np);
			return true;
		}
		idx -= span;
	}
	return false;
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

/* Ports of @proto's entries that hold @addr, within [lo, hi]. */
static u32 nat64_addr_ports(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			    __be32 addr, u16 lo, u16 hi)
{
	u32 total = 0;
	unsigned int i;
	u16 first;

	for (i = 0; i < n; i++)
		if (e[i].proto == proto && nat64_entry_holds(&e[i], addr))
			total += nat64_entry_ports(&e[i], lo, hi, &first);
	return total;
}

bool nat64_port_pick_on(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			__be32 addr, u16 sport, u32 hash, u32 attempt, u16 *port)
{
	u16 lo, hi, first;
	unsigned int i;
	u32 total, idx, np;

	nat64_sport_range(proto, sport, &lo, &hi);
	total = nat64_addr_ports(e, n, proto, addr, lo, hi);
	if (!total) {
		lo = 0;
		hi = 0xffff;
		total = nat64_addr_ports(e, n, proto, addr, lo, hi);
		if (!total)
			return false;
	}
	idx = (u32)(((u64)hash + attempt) % total);
	for (i = 0; i < n; i++) {
		if (e[i].proto != proto || !nat64_entry_holds(&e[i], addr))
			continue;
		np = nat64_entry_ports(&e[i], lo, hi, &first);
		if (idx < np) {
			*port = first + (u16)idx;
			return true;
		}
		idx -= np;
	}
	return false;
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
