// SPDX-License-Identifier: GPL-2.0
/* RFC 6052: prefix checks, embedding and extraction (kmod/addr.c). */
#include "xlat.h"
#include "harness.h"

struct rfc_row {
	const char *prefix;
	unsigned int plen;
	const char *v6;
};

/* RFC 6052 section 2.4, 192.0.2.33, plus the well-known prefix */
static const struct rfc_row rfc_table[] = {
	{ "2001:db8::", 32, "2001:db8:c000:221::" },
	{ "2001:db8:100::", 40, "2001:db8:1c0:2:21::" },
	{ "2001:db8:122::", 48, "2001:db8:122:c000:2:2100::" },
	{ "2001:db8:122:300::", 56, "2001:db8:122:3c0:0:221::" },
	{ "2001:db8:122:344::", 64, "2001:db8:122:344:c0:2:2100:0" },
	{ "2001:db8:122:344::", 96, "2001:db8:122:344::192.0.2.33" },
	{ "64:ff9b::", 96, "64:ff9b::c000:221" },
};

static const unsigned int lens[] = { 32, 40, 48, 56, 64, 96 };

/* Byte positions of the four IPv4 bytes, written down from RFC 6052 figure 1. */
static const unsigned int v4pos[][4] = {
	{ 4, 5, 6, 7 },		/* /32 */
	{ 5, 6, 7, 9 },		/* /40 */
	{ 6, 7, 9, 10 },	/* /48 */
	{ 7, 9, 10, 11 },	/* /56 */
	{ 9, 10, 11, 12 },	/* /64 */
	{ 12, 13, 14, 15 },	/* /96 */
};

static void t_rfc_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(rfc_table) / sizeof(rfc_table[0]); i++) {
		const struct rfc_row *r = &rfc_table[i];
		struct in6_addr pfx, want, got;
		uint8_t v4[4];
		__be32 v4be, ext;
		const char *msg;

		begin_case("rfc6052 2.4 embed 192.0.2.33 in %s/%u -> %s", r->prefix, r->plen,
			   r->v6);
		txt6(r->prefix, &pfx);
		txt6(r->v6, &want);
		txt4("192.0.2.33", v4);
		memcpy(&v4be, v4, 4);
		memset(&got, 0xee, sizeof(got));
		nat64_addr_embed(&pfx, r->plen, v4be, &got);
		CHECK_MEM(&got, &want, 16);
		msg = nat64_prefix_check(&pfx, r->plen);
		CHECK(!msg, "prefix_check refused a valid prefix: %s", msg);
		end_case();

		begin_case("rfc6052 2.4 extract %s/%u -> 192.0.2.33", r->v6, r->plen);
		ext = nat64_addr_extract(&want, r->plen);
		CHECK_MEM(&ext, v4, 4);
		CHECK_TRUE(nat64_prefix_match(&pfx, r->plen, &want));
		end_case();
	}
}

static void t_roundtrip(void)
{
	static const char *const fixed[] = {
		"0.0.0.0", "255.255.255.255", "192.0.2.33", "1.2.3.4", "10.20.30.40",
		"128.0.0.1", "198.51.100.255",
	};
	size_t i, k, j;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		unsigned int plen = lens[i];
		struct in6_addr pfx;

		begin_case("embed/extract round trip, byte positions, u-octet 0, suffix 0: /%u",
			   plen);
		/* a prefix with every prefix bit set except the u-octet */
		memset(&pfx, 0, sizeof(pfx));
		for (k = 0; k < plen / 8; k++)
			pfx.s6_addr[k] = k == 8 ? 0 : (uint8_t)(0xa0 + k);
		CHECK(!nat64_prefix_check(&pfx, plen), "prefix refused");
		for (k = 0; k < 1000 + sizeof(fixed) / sizeof(fixed[0]); k++) {
			struct in6_addr out;
			uint8_t v4[4];
			__be32 v4be, back;
			uint8_t expect[16];

			if (k < sizeof(fixed) / sizeof(fixed[0])) {
				txt4(fixed[k], v4);
			} else {
				uint32_t r = test_rand();

				memcpy(v4, &r, 4);
			}
			memcpy(&v4be, v4, 4);
			memset(&out, 0x77, sizeof(out));
			nat64_addr_embed(&pfx, plen, v4be, &out);
			memcpy(expect, &pfx, 16);
			for (j = 0; j < 4; j++)
				expect[v4pos[i][j]] = v4[j];
			CHECK_MEM(&out, expect, 16);
			if (plen < 96)
				CHECK_EQ(out.s6_addr[8], 0);
			back = nat64_addr_extract(&out, plen);
			CHECK_MEM(&back, v4, 4);
			CHECK_TRUE(nat64_prefix_match(&pfx, plen, &out));
			if (case_failed())
				break;
		}
		end_case();
		begin_case("prefix_match: any bit of the first %u flipped misses, bits after count not: /%u",
			   plen, plen);
		for (k = 0; k < 128; k++) {
			struct in6_addr a = pfx;

			a.s6_addr[k / 8] ^= (uint8_t)(0x80 >> (k % 8));
			CHECK(nat64_prefix_match(&pfx, plen, &a) == (k >= plen),
			      "bit %zu flipped: match %d", k, nat64_prefix_match(&pfx, plen, &a));
			if (case_failed())
				break;
		}
		end_case();
	}
}

static void t_check_lengths(void)
{
	static const unsigned int bad[] = { 0, 31, 33, 95, 128, 8, 16, 24, 39, 41, 63, 65,
					    72, 80, 88, 97, 255, 256, 1000, 0xffffffffu };
	struct in6_addr zero;
	size_t i;

	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin_case("prefix_check rejects length %u", bad[i]);
		CHECK(nat64_prefix_check(&zero, bad[i]), "accepted ::/%u", bad[i]);
		end_case();
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		begin_case("prefix_check accepts ::/%u", lens[i]);
		CHECK(!nat64_prefix_check(&zero, lens[i]), "refused");
		end_case();
	}
}

static void t_check_uoctet(void)
{
	struct in6_addr pfx;
	const char *msg;
	int bit;

	begin_case("prefix_check rejects non-zero u-octet (bits 64-71) for /96");
	for (bit = 0; bit < 8; bit++) {
		txt6("64:ff9b::", &pfx);
		pfx.s6_addr[8] = (uint8_t)(1 << bit);
		msg = nat64_prefix_check(&pfx, 96);
		CHECK(msg, "accepted u-octet %#x", pfx.s6_addr[8]);
		CHECK(!msg || strstr(msg, "u-octet"), "wrong reason: %s", msg);
	}
	/* bits next to the u-octet are fine */
	txt6("2001:db8:122:344:ff:ffff::", &pfx);
	msg = nat64_prefix_check(&pfx, 96);
	CHECK(!msg, "refused 2001:db8:122:344:ff:ffff::/96: %s", msg);
	txt6("2001:db8:122:3ff::", &pfx);
	msg = nat64_prefix_check(&pfx, 64);
	CHECK(!msg, "refused 2001:db8:122:3ff::/64: %s", msg);
	end_case();
}

static void t_check_hostbits(void)
{
	size_t i;
	unsigned int bit;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		unsigned int plen = lens[i];
		struct in6_addr pfx;
		const char *msg;

		begin_case("prefix_check /%u: rejects each host bit, accepts last prefix bit",
			   plen);
		for (bit = plen; bit < 128; bit++) {
			txt6("2001:db8::", &pfx);
			pfx.s6_addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
			msg = nat64_prefix_check(&pfx, plen);
			CHECK(msg, "accepted host bit %u", bit);
		}
		txt6("2001:db8::", &pfx);
		if (plen - 1 < 64 || plen - 1 > 71)
			pfx.s6_addr[(plen - 1) / 8] |= (uint8_t)(0x80 >> ((plen - 1) % 8));
		msg = nat64_prefix_check(&pfx, plen);
		CHECK(!msg, "refused prefix with bit %u set: %s", plen - 1, msg);
		end_case();
	}
}

static void t_match(void)
{
	struct in6_addr pfx, a;

	begin_case("prefix_match");
	txt6("64:ff9b::", &pfx);
	txt6("64:ff9b::c000:221", &a);
	CHECK_TRUE(nat64_prefix_match(&pfx, 96, &a));
	txt6("64:ff9b::1:c000:221", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 96, &a));
	txt6("64:ff9b:1::c000:221", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 96, &a));
	txt6("64:ff9a::c000:221", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 96, &a));

	txt6("2001:db8::", &pfx);
	txt6("2001:db8:ffff:ffff::1", &a);
	CHECK_TRUE(nat64_prefix_match(&pfx, 32, &a));
	txt6("2001:db9::", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 32, &a));
	txt6("2001:db8::1:0:0", &a);		/* bytes 10-11 lie inside a /96 */
	CHECK_TRUE(!nat64_prefix_match(&pfx, 96, &a));
	CHECK_TRUE(nat64_prefix_match(&pfx, 32, &a));
	txt6("2001:db8:100::", &pfx);
	txt6("2001:db8:1c0:2:21::", &a);
	CHECK_TRUE(nat64_prefix_match(&pfx, 40, &a));
	txt6("2001:db8:200::", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 40, &a));
	txt6("2001:db8:122:344::", &pfx);
	txt6("2001:db8:122:345:c0:2:2100:0", &a);
	CHECK_TRUE(!nat64_prefix_match(&pfx, 64, &a));
	txt6("2001:db8:122:344:ffff:ffff:ffff:ffff", &a);
	CHECK_TRUE(nat64_prefix_match(&pfx, 64, &a));
	end_case();
}

/* RFC 6052 3.1 and the RFC 6890 registry: which IPv4 the WKP may carry */
static void t_global(void)
{
	static const struct { const char *a; int global; } t[] = {
		{ "0.1.2.3", 0 }, { "10.0.0.1", 0 }, { "100.64.0.1", 0 },
		{ "100.127.255.255", 0 }, { "100.128.0.1", 1 }, { "127.0.0.1", 0 },
		{ "169.254.1.1", 0 }, { "172.15.255.255", 1 }, { "172.16.0.1", 0 },
		{ "172.31.255.255", 0 }, { "172.32.0.0", 1 }, { "192.0.0.8", 0 },
		{ "192.0.0.9", 1 }, { "192.0.0.10", 1 }, { "192.0.2.2", 0 },
		{ "192.88.99.1", 0 }, { "192.168.1.1", 0 }, { "198.18.0.1", 0 },
		{ "198.19.255.255", 0 }, { "198.20.0.1", 1 }, { "198.51.100.7", 0 },
		{ "203.0.113.1", 0 }, { "224.0.0.1", 0 }, { "240.0.0.1", 0 },
		{ "255.255.255.255", 0 }, { "8.8.8.8", 1 }, { "1.1.1.1", 1 },
		{ "193.0.2.2", 1 }, { "223.255.255.255", 1 },
	};
	struct in6_addr p;
	unsigned int i;
	__be32 a;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		begin_case("ipv4_is_global %s -> %d", t[i].a, t[i].global);
		txt4(t[i].a, &a);
		CHECK_EQ(nat64_ipv4_is_global(a), t[i].global);
		end_case();
	}
	begin_case("prefix_is_wkp: 64:ff9b::/96 only");
	txt6("64:ff9b::", &p);
	CHECK_TRUE(nat64_prefix_is_wkp(&p, 96));
	CHECK_TRUE(!nat64_prefix_is_wkp(&p, 64));
	txt6("64:ff9b:1::", &p);
	CHECK_TRUE(!nat64_prefix_is_wkp(&p, 96));
	end_case();
}

int main(void)
{
	t_global();
	t_rfc_table();
	t_roundtrip();
	t_check_lengths();
	t_check_uoctet();
	t_check_hostbits();
	t_match();
	return h_finish("test_addr");
}
