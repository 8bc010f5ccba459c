// SPDX-License-Identifier: GPL-2.0
/* pool4 port choice and pool4 entry predicates (kmod/ports.c). */
#include "xlat.h"
#include "harness.h"
#include "refpkt.h"

static struct nat64_pool4_entry E(u8 proto, const char *a, u8 plen, u16 pmin, u16 pmax)
{
	struct nat64_pool4_entry e;

	memset(&e, 0, sizeof(e));
	txt4(a, &e.addr);
	e.plen = plen;
	e.proto = proto;
	e.pmin = pmin;
	e.pmax = pmax;
	return e;
}

static uint32_t host32(__be32 a)
{
	uint8_t b[4];

	memcpy(b, &a, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t txt4h(const char *s)
{
	__be32 a;

	txt4(s, &a);
	return host32(a);
}

/* independent containment: entry @e holds @addr (host order) : @port for @proto */
static int ref_in(const struct nat64_pool4_entry *e, u8 proto, uint32_t addr, u16 port)
{
	uint32_t base = host32(e->addr);
	uint64_t count = 1ull << (32 - e->plen);

	return e->proto == proto && addr >= base && addr - base < count &&
	       port >= e->pmin && port <= e->pmax;
}

static int ref_in_pool(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		       uint32_t addr, u16 port)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ref_in(&e[i], proto, addr, port))
			return 1;
	return 0;
}

/* pool used by several cases: other protocols mixed in */
static struct nat64_pool4_entry pool[4];

static void mkpool(void)
{
	pool[0] = E(R_UDP, "198.51.100.0", 32, 1, 65535);
	pool[1] = E(R_TCP, "192.0.2.0", 30, 1000, 1100);
	pool[2] = E(R_ICMP4, "192.0.2.8", 32, 0, 65535);
	pool[3] = E(R_TCP, "203.0.113.5", 32, 40000, 40099);
}

static void t_inside(void)
{
	static const u16 sports[] = { 0, 1, 80, 1023, 1024, 5000, 40000, 65535 };
	size_t s;
	u32 h, a;

	mkpool();
	for (s = 0; s < sizeof(sports) / sizeof(sports[0]); s++) {
		u16 sp = sports[s];

		begin_case("port_pick tcp sport %u: candidates in the TCP entries, %s 1024", sp,
			   sp < 1024 ? "below" : "at or above");
		for (h = 0; h < 64 && !case_failed(); h++)
			for (a = 0; a < 600; a++) {
				__be32 addr = 0;
				u16 port = 0;
				u32 hash = h * 0x9e3779b9u;
				bool ok = nat64_port_pick(pool, 4, R_TCP, sp, hash, a, &addr, &port);

				CHECK(ok, "no candidate, hash %#x attempt %u", hash, a);
				CHECK(ref_in_pool(pool, 4, R_TCP, host32(addr), port),
				      "candidate %#x:%u outside the TCP entries (hash %#x attempt %u)",
				      host32(addr), port, hash, a);
				CHECK(sp < 1024 ? port < 1024 : port >= 1024,
				      "sport %u got port %u", sp, port);
				if (case_failed())
					break;
			}
		end_case();
	}
}

static void t_fallback(void)
{
	struct nat64_pool4_entry hi[2], lo[2];
	u32 a;

	hi[0] = E(R_TCP, "192.0.2.1", 32, 2000, 3000);
	hi[1] = E(R_UDP, "192.0.2.1", 32, 1, 1023);	/* low ports, wrong protocol */
	lo[0] = E(R_UDP, "192.0.2.2", 32, 1, 1023);
	lo[1] = E(R_UDP, "192.0.2.3", 32, 1024, 65535);	/* wrong protocol for TCP */
	lo[1].proto = R_TCP;
	lo[1].pmin = 100;
	lo[1].pmax = 200;

	begin_case("port_pick sport < 1024 falls back to >= 1024 when the pool has no low port");
	for (a = 0; a < 3000; a++) {
		__be32 addr = 0;
		u16 port = 0;

		CHECK(nat64_port_pick(hi, 2, R_TCP, 80, 12345, a, &addr, &port), "none");
		CHECK(port >= 2000 && port <= 3000 && host32(addr) == txt4h("192.0.2.1"),
		      "attempt %u: %#x:%u", a, host32(addr), port);
		if (case_failed())
			break;
	}
	end_case();

	begin_case("port_pick sport >= 1024 falls back to < 1024 when the pool has no high port");
	for (a = 0; a < 300; a++) {
		__be32 addr = 0;
		u16 port = 0;

		CHECK(nat64_port_pick(lo, 2, R_UDP, 5000, 777, a, &addr, &port), "none");
		CHECK(port >= 1 && port <= 1023 && host32(addr) == txt4h("192.0.2.2"),
		      "attempt %u: %#x:%u", a, host32(addr), port);
		CHECK(nat64_port_pick(lo, 2, R_TCP, 40000, 777, a, &addr, &port), "none (tcp)");
		CHECK(port >= 100 && port <= 200 && host32(addr) == txt4h("192.0.2.3"),
		      "tcp attempt %u: %#x:%u", a, host32(addr), port);
		if (case_failed())
			break;
	}
	end_case();

	begin_case("port_pick prefers the source port's range when the pool has both");
	{
		struct nat64_pool4_entry both = E(R_UDP, "192.0.2.4", 32, 1000, 1049);
		__be32 addr;
		u16 port;

		u64 low = 0, high = 0;

		/* 24 low ports (1000-1023), 26 high ports (1024-1049): each once */
		for (a = 0; a < 100; a++) {
			CHECK(nat64_port_pick(&both, 1, R_UDP, 53, 0, a, &addr, &port), "none");
			CHECK(port >= 1000 && port <= 1023, "sport 53, attempt %u: %u", a, port);
			if (a < 24 && port >= 1000 && port <= 1023)
				low |= 1ull << (port - 1000);
			CHECK(nat64_port_pick(&both, 1, R_UDP, 1024, 0, a, &addr, &port), "none");
			CHECK(port >= 1024 && port <= 1049, "sport 1024, attempt %u: %u", a, port);
			if (a < 26 && port >= 1024 && port <= 1049)
				high |= 1ull << (port - 1024);
		}
		CHECK(low == (1ull << 24) - 1 && high == (1ull << 26) - 1, "low %#llx high %#llx",
		      (unsigned long long)low, (unsigned long long)high);
	}
	end_case();
}

static void t_none(void)
{
	struct nat64_pool4_entry only_udp[2];
	__be32 addr = 0x11111111;
	u16 port = 4242;

	only_udp[0] = E(R_UDP, "192.0.2.1", 32, 1, 65535);
	only_udp[1] = E(R_UDP, "192.0.2.2", 31, 0, 65535);
	begin_case("port_pick returns false without an entry of the protocol");
	CHECK_TRUE(!nat64_port_pick(only_udp, 2, R_TCP, 80, 1, 0, &addr, &port));
	CHECK_TRUE(!nat64_port_pick(only_udp, 2, R_ICMP4, 80, 1, 0, &addr, &port));
	CHECK_TRUE(!nat64_port_pick(only_udp, 0, R_UDP, 80, 1, 0, &addr, &port));
	CHECK_TRUE(!nat64_port_pick(NULL, 0, R_UDP, 80, 1, 0, &addr, &port));
	CHECK_TRUE(nat64_port_pick(only_udp, 2, R_UDP, 80, 1, 0, &addr, &port));
	end_case();
}

/* every attempt 0..N-1 distinct, so the whole space is covered */
static void coverage(const struct nat64_pool4_entry *e, unsigned int n, u8 proto, u16 sport,
		     u32 hash, u32 N, u16 lo, u16 hi)
{
	uint8_t *seen = calloc((size_t)N, 1);
	uint32_t *as = calloc((size_t)N, sizeof(*as));
	uint16_t *ps = calloc((size_t)N, sizeof(*ps));
	__be32 addr0 = 0, addr;
	u16 port0 = 0, port;
	u32 a, k;

	for (a = 0; a < N; a++) {
		if (!nat64_port_pick(e, n, proto, sport, hash, a, &addr, &port)) {
			CHECK(0, "attempt %u: no candidate", a);
			break;
		}
		CHECK(ref_in_pool(e, n, proto, host32(addr), port) && port >= lo && port <= hi,
		      "attempt %u: %#x:%u outside", a, host32(addr), port);
		as[a] = host32(addr);
		ps[a] = port;
		if (!a) {
			addr0 = addr;
			port0 = port;
		}
	}
	/* distinctness: sort-free check through a linear index of the space */
	for (a = 0; a < N && !case_failed(); a++) {
		u32 idx = 0;
		unsigned int i;
		int found = 0;

		for (i = 0; i < n; i++) {
			u32 np, na, base;

			if (e[i].proto != proto)
				continue;
			np = (e[i].pmax < hi ? e[i].pmax : hi) >= (e[i].pmin > lo ? e[i].pmin : lo) ?
			     (u32)((e[i].pmax < hi ? e[i].pmax : hi) -
				   (e[i].pmin > lo ? e[i].pmin : lo) + 1) : 0;
			na = 1u << (32 - e[i].plen);
			base = host32(e[i].addr);
			if (np && ref_in(&e[i], proto, as[a], ps[a])) {
				idx += (as[a] - base) * np + (ps[a] - (e[i].pmin > lo ? e[i].pmin : lo));
				found = 1;
				break;
			}
			idx += na * np;
		}
		CHECK(found && idx < N, "attempt %u: %#x:%u not indexable", a, as[a], ps[a]);
		if (!found || idx >= N)
			break;
		CHECK(!seen[idx], "attempt %u repeats %#x:%u", a, as[a], ps[a]);
		seen[idx] = 1;
	}
	for (k = 0; k < N && !case_failed(); k++)
		CHECK(seen[k], "candidate %u of the space never produced", k);
	/* wraps around after N */
	CHECK(nat64_port_pick(e, n, proto, sport, hash, N, &addr, &port), "attempt N");
	CHECK(addr == addr0 && port == port0, "attempt N differs from attempt 0");
	free(seen);
	free(as);
	free(ps);
}

static void t_coverage(void)
{
	static const u32 hashes[] = { 0, 1, 407, 0x7fffffff, 0xfffffffe, 0xffffffff };
	size_t h;

	mkpool();
	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		begin_case("port_pick full coverage, tcp high range (408 candidates), hash %#x",
			   hashes[h]);
		coverage(pool, 4, R_TCP, 5000, hashes[h], 4 * 77 + 100, 1024, 65535);
		end_case();
		begin_case("port_pick full coverage, tcp low range (96 candidates), hash %#x",
			   hashes[h]);
		coverage(pool, 4, R_TCP, 22, hashes[h], 4 * 24, 0, 1023);
		end_case();
	}
	begin_case("port_pick full coverage, icmp ids 0-65535 (65536 candidates)");
	coverage(pool, 4, R_ICMP4, 7, 0xdeadbeef, 65536, 0, 65535);
	end_case();
	{
		struct nat64_pool4_entry big = E(R_UDP, "10.1.0.0", 24, 60000, 60099);

		begin_case("port_pick full coverage, udp /24 x 100 ports (25600 candidates)");
		coverage(&big, 1, R_UDP, 3333, 99, 25600, 1024, 65535);
		end_case();
	}
	{
		/* 35000 + 35729 identifiers: 70729, the first stride, divides them */
		struct nat64_pool4_entry two[2] = {
			E(R_ICMP4, "10.2.0.1", 32, 0, 34999), E(R_ICMP4, "10.2.0.2", 32, 0, 35728),
		};
		static const u64 hs[] = { 0, 5, 0x100000007ull, 31ull << 32 };
		size_t h;

		for (h = 0; h < sizeof(hs) / sizeof(hs[0]); h++) {
			begin_case("port_pick full coverage, 70729 candidates, a stride dividing "
				   "them passed over (hash %#llx)", (unsigned long long)hs[h]);
			coverage(two, 2, R_ICMP4, 7, hs[h], 70729, 0, 65535);
			end_case();
		}
	}
}

/* an address held by two entries: the ports of both, each once */
static void t_on_two(void)
{
	struct nat64_pool4_entry two[2] = {
		E(R_TCP, "192.0.2.16", 30, 1024, 2000), E(R_TCP, "192.0.2.17", 32, 3000, 4000),
	};
	uint8_t seen[4001 - 1024];
	__be32 addr;
	unsigned int n = 977 + 1001, i;
	u16 port;
	u32 a;

	begin_case("port_pick_on: an address in two entries, their 1978 ports once each");
	memset(seen, 0, sizeof(seen));
	txt4("192.0.2.17", &addr);
	for (a = 0; a < n && !case_failed(); a++) {
		CHECK(nat64_port_pick_on(two, 2, R_TCP, addr, 5000, 0xabcdef12345ull, a, &port),
		      "none");
		CHECK((port >= 1024 && port <= 2000) || (port >= 3000 && port <= 4000),
		      "attempt %u: port %u", a, port);
		if (case_failed())
			break;
		CHECK(!seen[port - 1024], "attempt %u repeats %u", a, port);
		seen[port - 1024] = 1;
	}
	for (i = 0; i < sizeof(seen) && !case_failed(); i++)
		CHECK(seen[i] == (i <= 2000 - 1024 || i >= 3000 - 1024),
		      "port %u %s", i + 1024, seen[i] ? "given" : "never given");
	end_case();
}

static void t_order(void)
{
	struct nat64_pool4_entry e = E(R_TCP, "192.0.2.4", 30, 2000, 2009);
	struct nat64_pool4_entry two[3];
	unsigned int cnt[4] = { 0 };
	__be32 addr;
	u16 port;
	u32 a, h;

	begin_case("port_pick /30: ports vary fastest, each address used 10 times in 40");
	for (a = 0; a < 40; a++) {
		CHECK(nat64_port_pick(&e, 1, R_TCP, 5000, a, 0, &addr, &port), "none");
		CHECK_EQ(host32(addr), txt4h("192.0.2.4") + a / 10);
		CHECK_EQ(port, 2000 + a % 10);
		if (host32(addr) - txt4h("192.0.2.4") < 4)
			cnt[host32(addr) - txt4h("192.0.2.4")]++;
	}
	CHECK(cnt[0] == 10 && cnt[1] == 10 && cnt[2] == 10 && cnt[3] == 10,
	      "counts %u %u %u %u", cnt[0], cnt[1], cnt[2], cnt[3]);
	end_case();

	begin_case("port_pick /30: the flow hash spreads first candidates over the 4 addresses");
	memset(cnt, 0, sizeof(cnt));
	for (h = 0; h < 40; h++) {
		CHECK(nat64_port_pick(&e, 1, R_TCP, 5000, h * 10 + 3, 0, &addr, &port), "none");
		if (host32(addr) - txt4h("192.0.2.4") < 4)
			cnt[host32(addr) - txt4h("192.0.2.4")]++;
		CHECK_EQ(port, 2003);
	}
	CHECK(cnt[0] == 10 && cnt[1] == 10 && cnt[2] == 10 && cnt[3] == 10,
	      "counts %u %u %u %u", cnt[0], cnt[1], cnt[2], cnt[3]);
	end_case();

	begin_case("port_pick exact index across entries, other protocols skipped");
	two[0] = E(R_TCP, "198.51.100.10", 32, 1024, 1033);	/* idx 0-9 */
	two[1] = E(R_UDP, "198.51.100.20", 32, 1024, 1033);	/* skipped */
	two[2] = E(R_TCP, "198.51.100.30", 31, 1024, 1028);	/* idx 10-19 */
	CHECK(nat64_port_pick(two, 3, R_TCP, 4000, 12, 0, &addr, &port), "none");
	CHECK_EQ(host32(addr), txt4h("198.51.100.30"));
	CHECK_EQ(port, 1026);
	CHECK(nat64_port_pick(two, 3, R_TCP, 4000, 17, 0, &addr, &port), "none");
	CHECK_EQ(host32(addr), txt4h("198.51.100.31"));
	CHECK_EQ(port, 1026);
	CHECK(nat64_port_pick(two, 3, R_TCP, 4000, 20 * 1000 + 5, 0, &addr, &port), "none");
	CHECK_EQ(host32(addr), txt4h("198.51.100.10"));
	CHECK_EQ(port, 1029);
	CHECK(nat64_port_pick(two, 3, R_UDP, 4000, 3, 0, &addr, &port), "none");
	CHECK_EQ(host32(addr), txt4h("198.51.100.20"));
	CHECK_EQ(port, 1027);
	end_case();

	begin_case("port_pick icmp: identifier range not split at 1024");
	{
		struct nat64_pool4_entry ic = E(R_ICMP4, "192.0.2.9", 32, 0, 65535);

		CHECK(nat64_port_pick(&ic, 1, R_ICMP4, 5, 5000, 0, &addr, &port), "none");
		CHECK_EQ(port, 5000);
		CHECK(nat64_port_pick(&ic, 1, R_ICMP4, 5000, 7, 0, &addr, &port), "none");
		CHECK_EQ(port, 7);
		CHECK_EQ(host32(addr), txt4h("192.0.2.9"));
	}
	end_case();
}

/*
 * Paired pooling (RFC 4787 REQ-2, RFC 6888 REQ-2): one address per
 * subscriber whatever the protocol (when the protocols have the same
 * addresses, added in any order), subscribers spread over the pool; the
 * ports of a candidate are the ports of that address.
 */
static void t_paired(void)
{
	static const u8 protos[] = { R_TCP, R_UDP, R_ICMP4 };
	static const u16 sports[] = { 53, 1024, 40000, 65535 };
	struct nat64_pool4_entry p[6], q[6], two[2], one = E(R_UDP, "192.0.2.7", 32, 2000, 2009);
	unsigned int cnt[20] = { 0 }, seen = 0, i, j, x;
	__be32 addr, a2;
	u16 port;
	u32 sh, a;

	for (i = 0; i < 3; i++) {
		u16 pmin = protos[i] == R_ICMP4 ? 0 : 1024;

		p[i] = E(protos[i], "203.0.113.0", 28, pmin, 65535);
		p[3 + i] = E(protos[i], "198.51.100.0", 30, pmin, 65535);
	}
	/* the same pool added in another order: udp first, the /30 before the /28 */
	q[0] = p[4];
	q[1] = p[1];
	q[2] = p[3];
	q[3] = p[5];
	q[4] = p[0];
	q[5] = p[2];
	begin_case("paired_addr: one address per subscriber for tcp, udp, icmp, any entry order");
	for (sh = 0; sh < 200; sh++) {
		__be32 want;

		CHECK(nat64_pool4_paired_addr(p, 6, R_TCP, sh, &want), "none");
		for (i = 0; i < 3; i++) {
			CHECK(nat64_pool4_paired_addr(p, 6, protos[i], sh, &addr), "none");
			CHECK(nat64_pool4_paired_addr(q, 6, protos[i], sh, &a2), "none");
			CHECK(addr == want && a2 == want, "sub %u proto %u: %#x, %#x, not %#x", sh,
			      protos[i], host32(addr), host32(a2), host32(want));
		}
		/* ascending order: the /30's four addresses first */
		x = host32(want) - (host32(want) >= txt4h("203.0.113.0") ?
				    txt4h("203.0.113.0") - 4 : txt4h("198.51.100.0"));
		CHECK(x == sh % 20, "sub %u: address %#x is number %u", sh, host32(want), x);
		if (x < 20)
			cnt[x]++;
	}
	for (x = 0; x < 20; x++)
		seen += cnt[x] == 10;
	CHECK(seen == 20, "the 200 subscribers' addresses: %u of 20 used 10 times", seen);
	end_case();

	begin_case("port_pick_on: ports of that address, in the source port's range");
	for (sh = 0; sh < 20; sh++) {
		CHECK(nat64_pool4_paired_addr(p, 6, R_UDP, sh, &addr), "none");
		for (j = 0; j < 4; j++)
			for (a = 0; a < NAT64_PAIRED_PROBES; a += 9) {
				CHECK(nat64_port_pick_on(p, 6, R_UDP, addr, sports[j], sh * 31 + j, a,
							 &port), "none");
				CHECK(ref_in_pool(p, 6, R_UDP, host32(addr), port), "outside the pool");
				CHECK(port >= 1024, "port %u", port);
			}
	}
	two[0] = E(R_TCP, "192.0.2.16", 30, 1024, 65535);
	two[1] = E(R_TCP, "192.0.2.17", 32, 100, 200);	/* .17 has both ranges */
	txt4("192.0.2.17", &addr);
	for (a = 0; a < 300; a++) {
		CHECK(nat64_port_pick_on(two, 2, R_TCP, addr, 80, 7, a, &port), "none");
		CHECK(port >= 100 && port <= 200, "sport 80 on .17: %u", port);
		CHECK(nat64_port_pick_on(two, 2, R_TCP, addr, 8080, 7, a, &port), "none");
		CHECK(port >= 1024, "sport 8080 on .17: %u", port);
	}
	txt4("192.0.2.18", &addr);	/* no low ports: the whole range */
	CHECK(nat64_port_pick_on(two, 2, R_TCP, addr, 80, 7, 0, &port), "none");
	CHECK(port >= 1024, "sport 80 on .18: %u", port);
	CHECK_TRUE(!nat64_port_pick_on(two, 2, R_UDP, addr, 80, 7, 0, &port));
	txt4("192.0.2.20", &addr);
	CHECK_TRUE(!nat64_port_pick_on(two, 2, R_TCP, addr, 80, 7, 0, &port));
	CHECK_TRUE(!nat64_pool4_paired_addr(two, 2, R_UDP, 1, &addr));
	end_case();

	begin_case("port_pick_on: attempts 0-9 give the 10 ports once each, from hash %% 10");
	txt4("192.0.2.7", &addr);
	for (x = 0; x < 4; x++) {
		u64 h = 3 + 0x100000001ull * x * 977;
		unsigned int mask = 0;

		for (a = 0; a <= 10; a++) {
			CHECK(nat64_port_pick_on(&one, 1, R_UDP, addr, 5000, h, a, &port), "none");
			if (a == 0 || a == 10)
				CHECK_EQ(port, 2000 + h % 10);
			else
				CHECK(!(mask & 1u << (port - 2000)), "attempt %u repeats %u", a,
				      port);
			mask |= 1u << (port - 2000);
		}
		CHECK(mask == 0x3ff, "ports %#x", mask);
	}
	end_case();
}

static void t_contains(void)
{
	struct nat64_pool4_entry e30 = E(R_TCP, "192.0.2.4", 30, 1000, 2000);
	struct nat64_pool4_entry e32 = E(R_UDP, "192.0.2.1", 32, 0, 65535);
	struct nat64_pool4_entry e16 = E(R_ICMP4, "10.1.0.0", 16, 5, 5);
	const struct {
		const struct nat64_pool4_entry *e;
		u8 proto;
		const char *a;
		u16 port;
		bool want;
	} t[] = {
		{ &e30, R_TCP, "192.0.2.4", 1000, true },
		{ &e30, R_TCP, "192.0.2.7", 2000, true },
		{ &e30, R_TCP, "192.0.2.5", 1500, true },
		{ &e30, R_TCP, "192.0.2.3", 1500, false },
		{ &e30, R_TCP, "192.0.2.8", 1500, false },
		{ &e30, R_TCP, "192.0.2.4", 999, false },
		{ &e30, R_TCP, "192.0.2.4", 2001, false },
		{ &e30, R_UDP, "192.0.2.4", 1500, false },
		{ &e30, R_ICMP4, "192.0.2.4", 1500, false },
		{ &e30, R_TCP, "193.0.2.4", 1500, false },
		{ &e32, R_UDP, "192.0.2.1", 0, true },
		{ &e32, R_UDP, "192.0.2.1", 65535, true },
		{ &e32, R_UDP, "192.0.2.0", 53, false },
		{ &e32, R_UDP, "192.0.2.2", 53, false },
		{ &e32, R_TCP, "192.0.2.1", 53, false },
		{ &e16, R_ICMP4, "10.1.0.0", 5, true },
		{ &e16, R_ICMP4, "10.1.255.255", 5, true },
		{ &e16, R_ICMP4, "10.1.77.3", 5, true },
		{ &e16, R_ICMP4, "10.1.77.3", 4, false },
		{ &e16, R_ICMP4, "10.1.77.3", 6, false },
		{ &e16, R_ICMP4, "10.0.255.255", 5, false },
		{ &e16, R_ICMP4, "10.2.0.0", 5, false },
	};
	size_t i;

	begin_case("pool4_contains truth table");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		__be32 a;

		txt4(t[i].a, &a);
		CHECK(nat64_pool4_contains(t[i].e, t[i].proto, a, t[i].port) == t[i].want,
		      "row %zu: proto %u %s:%u -> %d", i, t[i].proto, t[i].a, t[i].port, !t[i].want);
	}
	end_case();
}

static void t_overlap(void)
{
	const struct {
		struct nat64_pool4_entry a, b;
		bool want;
	} t[] = {
		{ E(R_TCP, "192.0.2.1", 32, 1, 100), E(R_TCP, "192.0.2.1", 32, 100, 200), true },
		{ E(R_TCP, "192.0.2.1", 32, 1, 100), E(R_TCP, "192.0.2.1", 32, 101, 200), false },
		{ E(R_TCP, "192.0.2.1", 32, 1, 100), E(R_UDP, "192.0.2.1", 32, 1, 100), false },
		{ E(R_TCP, "192.0.2.1", 32, 1, 100), E(R_TCP, "192.0.2.2", 32, 1, 100), false },
		{ E(R_TCP, "192.0.2.0", 24, 1, 65535), E(R_TCP, "192.0.2.77", 32, 80, 80), true },
		{ E(R_TCP, "192.0.2.0", 24, 1, 65535), E(R_TCP, "192.0.3.77", 32, 80, 80), false },
		{ E(R_TCP, "192.0.2.0", 24, 1000, 2000), E(R_TCP, "192.0.2.77", 32, 80, 999), false },
		{ E(R_TCP, "192.0.2.4", 30, 1, 65535), E(R_TCP, "192.0.2.8", 30, 1, 65535), false },
		{ E(R_TCP, "192.0.2.4", 30, 1, 65535), E(R_TCP, "192.0.2.7", 32, 1, 65535), true },
		{ E(R_UDP, "10.0.0.0", 16, 5, 10), E(R_UDP, "10.0.200.0", 24, 10, 20), true },
		{ E(R_UDP, "10.0.0.0", 16, 5, 10), E(R_UDP, "10.1.0.0", 16, 5, 10), false },
		{ E(R_ICMP4, "10.0.0.0", 16, 0, 0), E(R_ICMP4, "10.0.0.1", 32, 0, 65535), true },
		{ E(R_ICMP4, "10.0.0.0", 16, 1, 65535), E(R_ICMP4, "10.0.0.1", 32, 0, 0), false },
	};
	size_t i;

	begin_case("pool4_overlap truth table, both argument orders");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK(nat64_pool4_overlap(&t[i].a, &t[i].b) == t[i].want, "row %zu a,b -> %d", i,
		      !t[i].want);
		CHECK(nat64_pool4_overlap(&t[i].b, &t[i].a) == t[i].want, "row %zu b,a -> %d", i,
		      !t[i].want);
		CHECK(nat64_pool4_overlap(&t[i].a, &t[i].a), "row %zu a,a", i);
	}
	end_case();
}

/*
 * Bindings made one by one on a single pool4 address (64512 ports), each
 * taking the first free candidate of its own flow hash, as
 * nat64_bib_create() does: filling the address to 95 % must cost few probes
 * on average, and every binding must find a port within the probes the
 * module allows on the paired address. With a stride of one (linear
 * probing) the taken ports gather into runs: about 10 probes on average to
 * 95 %, many past the limit.
 */
static void t_fill(void)
{
	struct nat64_pool4_entry one = E(R_UDP, "198.51.100.9", 32, 1024, 65535);
	unsigned int n = 64512, goal = n * 95 / 100, made, worst = 0, over = 0;
	uint8_t *taken = calloc(n, 1);
	uint64_t x = 0x0123456789abcdefull, probes = 0;
	__be32 addr = one.addr;
	u16 port;
	u32 a;

	begin_case("port_pick_on: 95 %% of one address taken at < 4 probes each on average");
	for (made = 0; made < goal && !case_failed(); made++) {
		uint64_t h;

		x += 0x9e3779b97f4a7c15ull;	/* splitmix64 */
		h = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
		h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
		h ^= h >> 31;
		for (a = 0; a < n; a++) {
			CHECK(nat64_port_pick_on(&one, 1, R_UDP, addr, 5000, h, a, &port),
			      "no candidate");
			if (case_failed() || !taken[port - 1024])
				break;
		}
		CHECK(a < n, "binding %u: %u attempts found no free port of %u", made, n,
		      n - made);
		if (case_failed())
			break;
		probes += a + 1;
		worst = a + 1 > worst ? a + 1 : worst;
		over += a + 1 > NAT64_PAIRED_PROBES;
		taken[port - 1024] = 1;
	}
	CHECK(probes * 4 < (uint64_t)goal * 16, "%.2f probes per binding",
	      (double)probes / goal);
	CHECK(over * 100 < goal, "%u of %u bindings needed more than %u probes (worst %u)",
	      over, goal, NAT64_PAIRED_PROBES, worst);
	end_case();
	free(taken);
}

int main(void)
{
	t_inside();
	t_fallback();
	t_none();
	t_coverage();
	t_order();
	t_paired();
	t_fill();
	t_on_two();
	t_contains();
	t_overlap();
	return h_finish("test_ports");
}
