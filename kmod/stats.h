/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters. Every packet the module takes either leaves translated or is
 * dropped and counted under a "drop_" name that says why.
 */
#ifndef _NAT64_STATS_H
#define _NAT64_STATS_H

#define NAT64_STATS(X)								\
	X(XLAT_6TO4, "xlat_6to4", "IPv6 packets translated to IPv4")		\
	X(XLAT_4TO6, "xlat_4to6", "IPv4 packets translated to IPv6")		\
	X(BIB_CREATED, "bib_created", "dynamic bindings created")		\
	X(BIB_UNPAIRED, "bib_unpaired",						\
	  "dynamic bindings not on their subscriber's pool4 address, its ports near the flow's being taken (RFC 4787 REQ-2)") \
	X(SESSION_CREATED, "session_created", "sessions created")		\
	X(SESSION_EXPIRED, "session_expired", "sessions removed by expiry")	\
	X(DROP_TRUNCATED6, "drop_truncated6",					\
	  "IPv6 packet shorter than its headers or lengths claim")		\
	X(DROP_TRUNCATED4, "drop_truncated4",					\
	  "IPv4 packet shorter than its headers or lengths claim")		\
	X(DROP_BAD_HDR, "drop_bad_header",					\
	  "malformed IP header (version, IHL, length fields)")		\
	X(DROP_EXTHDR, "drop_ext_header",					\
	  "IPv6 extension headers not translatable (two fragment headers, too many, hop-by-hop not first)") \
	X(DROP_SEGMENTS_LEFT, "drop_segments_left",				\
	  "IPv6 routing header with segments left; parameter problem sent (RFC 7915 5.1)") \
	X(DROP_SOURCE_ROUTE, "drop_source_route",				\
	  "IPv4 packet with an unexpired source route; source route failed sent (RFC 7915 4.1)") \
	X(DROP_FRAGMENT, "drop_fragment", "fragment seen (not reassembled)")	\
	X(DROP_REASSEMBLY, "drop_reassembly",					\
	  "fragment discarded by reassembly (overlapping, IPv4 duplicate, beyond 65535 bytes, no memory)") \
	X(DROP_JUMBO, "drop_too_big",						\
	  "packet too big to be represented in the other family")		\
	X(DROP_PROTO, "drop_unsupported_proto",					\
	  "transport protocol other than TCP, UDP or ICMP")			\
	X(DROP_ICMP_TYPE, "drop_icmp_type",					\
	  "ICMP type that is not translated (RFC 7915 sections 4.2, 5.2)")	\
	X(DROP_ICMP_INNER, "drop_icmp_inner",					\
	  "ICMP error quoting a malformed or truncated packet, or an ICMP error") \
	X(DROP_ICMP_NO_SESSION, "drop_icmp_no_session",				\
	  "ICMP error about a flow without session")				\
	X(DROP_ICMP_CSUM, "drop_icmp_checksum", "ICMP error with a bad checksum") \
	X(DROP_ICMP_UNTRANSLATABLE, "drop_icmp_untranslatable",			\
	  "ICMP error type, code or pointer with no counterpart (RFC 7915)")	\
	X(DROP_UDP_ZERO_CSUM6, "drop_udp_zero_csum6",				\
	  "IPv6 UDP packet with zero checksum")					\
	X(DROP_SRC_IN_PREFIX, "drop_src_in_prefix",				\
	  "IPv6 source inside a translation prefix (loop)")			\
	X(DROP_WKP_NON_GLOBAL, "drop_wkp_non_global",				\
	  "well-known prefix with a non-global IPv4 address (RFC 6052 3.1)")	\
	X(DROP_EXTERNAL_TCP, "drop_external_tcp",				\
	  "TCP SYN from the IPv4 side refused by drop-external-tcp")		\
	X(DROP_NO_BIB, "drop_no_binding",					\
	  "IPv4 packet to a pool4 transport address without binding")		\
	X(SYN_STORED, "syn_stored",						\
	  "IPv4 SYN without binding held 6 s for a simultaneous open (RFC 6146 3.5.2.2)") \
	X(DROP_SYN_UNANSWERED, "drop_syn_unanswered",				\
	  "held IPv4 SYN: no IPv6 SYN in 6 s; port unreachable sent")		\
	X(DROP_SYN_MATCHED, "drop_syn_matched",					\
	  "held IPv4 SYN discarded: an IPv6 SYN opened that flow")		\
	X(DROP_SYN_STORE_FULL, "drop_syn_store_full",				\
	  "IPv4 SYN without binding: max-stored-syns are held already")		\
	X(DROP_SYN_RETRANS, "drop_syn_retransmit",				\
	  "IPv4 SYN without binding that is already held (retransmission)")	\
	X(DROP_FILTERED, "drop_filtered",					\
	  "IPv4 packet from a host the binding has no session with (address-dependent filtering)") \
	X(DROP_SUBSCRIBER_LIMIT, "drop_subscriber_limit",			\
	  "new flow refused: max-sessions-per-subscriber reached (RFC 6888)")	\
	X(DROP_TCP_NO_SYN, "drop_tcp_no_session",				\
	  "TCP segment without session that is not a SYN (RFC 6146 3.5.2)")	\
	X(DROP_POOL4_EXHAUSTED, "drop_pool4_exhausted",				\
	  "no free pool4 transport address for a new binding")		\
	X(DROP_NO_POOL4, "drop_no_pool4", "no pool4 entry for the protocol")	\
	X(DROP_MAX_SESSIONS, "drop_max_sessions",				\
	  "new flow refused: max-sessions reached")				\
	X(DROP_SESSION_CONFLICT, "drop_session_conflict",			\
	  "IPv4 side of a new session already used through another prefix")	\
	X(DROP_PREFIX_GONE, "drop_prefix_gone",					\
	  "IPv4 packet of a session whose prefix was deleted meanwhile")	\
	X(DROP_NOMEM, "drop_nomem", "memory allocation failed")		\
	X(DROP_CONNTRACK, "drop_conntrack",					\
	  "conntrack refused to confirm the arriving flow (table full)")	\
	X(DROP_XFRM_POLICY, "drop_xfrm_policy",					\
	  "packet that came through IPsec refused by its family's forward policy") \
	X(DROP_BACKLOG, "drop_backlog",						\
	  "translated packet refused by the receive backlog")			\
	X(DROP_ROUTE4, "drop_route4",						\
	  "translated IPv4 packet refused by the IPv4 input route: "		\
	  "rp_filter, accept_local, no route")					\
	X(DROP_OTHER, "drop_other", "dropped for another reason (a bug if non-zero)")

enum nat64_stat {
#define NAT64_STAT_ENUM(id, name, desc) NAT64_STAT_##id,
	NAT64_STATS(NAT64_STAT_ENUM)
#undef NAT64_STAT_ENUM
	NAT64_STAT_MAX
};

#ifdef __KERNEL__
#include <linux/percpu.h>

struct nat64_stats {
	u64 c[NAT64_STAT_MAX];
};

#define nat64_stat_inc(nn, id)	this_cpu_inc((nn)->stats->c[NAT64_STAT_##id])
#define nat64_stat_inc_nr(nn, nr) this_cpu_inc((nn)->stats->c[nr])

const char *nat64_stat_name(unsigned int i);
const char *nat64_stat_desc(unsigned int i);
u64 nat64_stat_read(struct nat64_stats __percpu *st, unsigned int i);
#endif

#endif /* _NAT64_STATS_H */
