// SPDX-License-Identifier: GPL-2.0
/* ICMP type mapping (RFC 7915 sections 4.2 and 5.2). */

#include "xlat.h"

int nat64_icmp6_classify(u8 type)
{
	switch (type) {
	case ICMPV6_ECHO_REQUEST:
	case ICMPV6_ECHO_REPLY:
		return 0;
	case ICMPV6_DEST_UNREACH:
	case ICMPV6_PKT_TOOBIG:
	case ICMPV6_TIME_EXCEED:
	case ICMPV6_PARAMPROB:
		return NAT64_STAT_DROP_ICMP_ERROR;
	default:
		/* MLD, ND and the rest are single-hop or unknown: RFC 7915 5.2 */
		return NAT64_STAT_DROP_ICMP_TYPE;
	}
}

int nat64_icmp4_classify(u8 type)
{
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		return 0;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return NAT64_STAT_DROP_ICMP_ERROR;
	default:
		/* timestamps, info, router and address-mask messages: RFC 7915 4.2 */
		return NAT64_STAT_DROP_ICMP_TYPE;
	}
}

u8 nat64_icmp_echo_6to4(u8 type)
{
	return type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO : ICMP_ECHOREPLY;
}

u8 nat64_icmp_echo_4to6(u8 type)
{
	return type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST : ICMPV6_ECHO_REPLY;
}
