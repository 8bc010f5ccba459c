// SPDX-License-Identifier: GPL-2.0
/* IPv4-embedded IPv6 addresses (RFC 6052 section 2.2). */

#include "xlat.h"

#define NAT64_U_OCTET	8	/* bits 64-71 */

const char *nat64_prefix_check(const struct in6_addr *prefix, unsigned int plen)
{
	unsigned int i;

	switch (plen) {
	case 32: case 40: case 48: case 56: case 64: case 96:
		break;
	default:
		return "prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 6052)";
	}
	if (prefix->s6_addr[NAT64_U_OCTET])
		return "bits 64-71 (u-octet) of the prefix must be zero (RFC 6052 section 2.2)";
	for (i = plen / 8; i < 16; i++)
		if (prefix->s6_addr[i])
			return "prefix has bits set after its length";
	return NULL;
}

/* Byte positions of the IPv4 address: four bytes from plen/8, skipping 8. */
static unsigned int nat64_v4_pos(unsigned int plen, unsigned int i)
{
	unsigned int pos = plen / 8 + i;

	return pos >= NAT64_U_OCTET && plen < 96 ? pos + 1 : pos;
}

void nat64_addr_embed(const struct in6_addr *prefix, unsigned int plen, __be32 v4,
		      struct in6_addr *out)
{
	const u8 *b = (const u8 *)&v4;
	unsigned int i;

	*out = *prefix;
	if (plen == 96) {	/* the common case: the last word */
		out->s6_addr32[3] = v4;
		return;
	}
	for (i = 0; i < 4; i++)
		out->s6_addr[nat64_v4_pos(plen, i)] = b[i];
}

__be32 nat64_addr_extract(const struct in6_addr *addr, unsigned int plen)
{
	__be32 v4;
	u8 *b = (u8 *)&v4;
	unsigned int i;

	if (plen == 96)
		return addr->s6_addr32[3];
	for (i = 0; i < 4; i++)
		b[i] = addr->s6_addr[nat64_v4_pos(plen, i)];
	return v4;
}

bool nat64_prefix_match(const struct in6_addr *prefix, unsigned int plen,
			const struct in6_addr *addr)
{
	/* plen is a multiple of 8; /96 compared as three words */
	if (plen == 96)
		return !((prefix->s6_addr32[0] ^ addr->s6_addr32[0]) |
			 (prefix->s6_addr32[1] ^ addr->s6_addr32[1]) |
			 (prefix->s6_addr32[2] ^ addr->s6_addr32[2]));
	return !memcmp(prefix, addr, plen / 8);
}

/* 64:ff9b::/96, the well-known prefix (RFC 6052 section 2.1). */
bool nat64_prefix_is_wkp(const struct in6_addr *prefix, unsigned int plen)
{
	static const u8 wkp[12] = { 0x00, 0x64, 0xff, 0x9b };

	return plen == 96 && !memcmp(prefix, wkp, sizeof(wkp));
}

/*
 * Global unicast IPv4 per the IANA special-purpose registry (RFC 6890 and
 * updates): everything but the blocks listed as not global.
 */
bool nat64_ipv4_is_global(__be32 addr)
{
	static const struct { u32 net; u8 len; } nonglobal[] = {
		{ 0x00000000, 8 },	/* "this network" */
		{ 0x0a000000, 8 },	/* private */
		{ 0x64400000, 10 },	/* shared address space */
		{ 0x7f000000, 8 },	/* loopback */
		{ 0xa9fe0000, 16 },	/* link local */
		{ 0xac100000, 12 },	/* private */
		{ 0xc0000000, 24 },	/* IETF protocol assignments */
		{ 0xc0000200, 24 },	/* TEST-NET-1 */
		{ 0xc0586300, 24 },	/* 6to4 relay anycast (deprecated) */
		{ 0xc0a80000, 16 },	/* private */
		{ 0xc6120000, 15 },	/* benchmarking */
		{ 0xc6336400, 24 },	/* TEST-NET-2 */
		{ 0xcb007100, 24 },	/* TEST-NET-3 */
		{ 0xe0000000, 4 },	/* multicast */
		{ 0xf0000000, 4 },	/* reserved, limited broadcast */
	};
	u32 a = ntohl(addr);
	unsigned int i;

	/* 192.0.0.9 and 192.0.0.10 (PCP and TURN anycast) are global */
	if (a == 0xc0000009 || a == 0xc000000a)
		return true;
	for (i = 0; i < sizeof(nonglobal) / sizeof(nonglobal[0]); i++)
		if ((a & (~0u << (32 - nonglobal[i].len))) == nonglobal[i].net)
			return false;
	return true;
}
