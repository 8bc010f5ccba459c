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
	for (i = 0; i < 4; i++)
		out->s6_addr[nat64_v4_pos(plen, i)] = b[i];
}

__be32 nat64_addr_extract(const struct in6_addr *addr, unsigned int plen)
{
	__be32 v4;
	u8 *b = (u8 *)&v4;
	unsigned int i;

	for (i = 0; i < 4; i++)
		b[i] = addr->s6_addr[nat64_v4_pos(plen, i)];
	return v4;
}

bool nat64_prefix_match(const struct in6_addr *prefix, unsigned int plen,
			const struct in6_addr *addr)
{
	/* plen is a multiple of 8 */
	return !memcmp(prefix, addr, plen / 8);
}
