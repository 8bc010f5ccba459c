/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nat64: stateful NAT64 (RFC 6146, RFC 7915, RFC 6052) - generic netlink API.
 *
 * Family NAT64_GENL_NAME, version NAT64_GENL_VERSION. Every command acts on the
 * network namespace of the requesting socket. Commands marked (admin) need
 * CAP_NET_ADMIN in the user namespace owning that network namespace
 * (GENL_UNS_ADMIN_PERM). Errors carry an extended ACK message.
 * Integers are in host byte order unless the type says __be; IPv6 addresses are
 * 16 bytes in network order (struct in6_addr), IPv4 addresses are __be32.
 *
 * NAT64_CMD_PREFIX_ADD (admin)      NAT64_A_PREFIX6, NAT64_A_PREFIX6_LEN
 *	Add a translation prefix (RFC 6052). Lengths 32, 40, 48, 56, 64, 96;
 *	bits 64-71 (the u-octet) and host bits must be zero. Up to
 *	NAT64_MAX_PREFIXES prefixes; each maps the whole IPv4 space.
 * NAT64_CMD_PREFIX_DEL (admin)      NAT64_A_PREFIX6, NAT64_A_PREFIX6_LEN
 *	Remove a prefix; sessions through it are removed.
 * NAT64_CMD_PREFIX_GET (dump)       reply: NAT64_A_PREFIX6, NAT64_A_PREFIX6_LEN
 *
 * NAT64_CMD_POOL4_ADD (admin)       NAT64_A_ADDR4, [NAT64_A_ADDR4_LEN],
 *                                   [NAT64_A_PROTOS], [NAT64_A_PORT_MIN, NAT64_A_PORT_MAX]
 *	[NAT64_A_FORCE]
 *	Add IPv4 transport addresses to the pool: ADDR4/ADDR4_LEN (default /32,
 *	at least /16) for each protocol in PROTOS (default all three) with ports
 *	PORT_MIN-PORT_MAX (default 1-65535; for ICMP these are echo
 *	identifiers, default 0-65535). An entry overlapping an existing one of
 *	the same protocol is refused with EEXIST. TCP or UDP ports on an
 *	address of the box that overlap its ephemeral range
 *	(net.ipv4.ip_local_port_range) are refused with EADDRINUSE unless
 *	NAT64_A_FORCE is given: replies to the box's own connections would be
 *	taken for translated traffic.
 * NAT64_CMD_POOL4_DEL (admin)       NAT64_A_ADDR4, [NAT64_A_ADDR4_LEN], [NAT64_A_PROTOS],
 *                                   [NAT64_A_PORT_MIN, NAT64_A_PORT_MAX]
 *	Remove the entries with exactly this address/length for these protocols
 *	(and, when the ports are given, exactly this port range), and the
 *	bindings and sessions that use them (static ones included).
 * NAT64_CMD_POOL4_GET (dump)        reply per entry and protocol: NAT64_A_ADDR4,
 *                                   NAT64_A_ADDR4_LEN, NAT64_A_PROTO,
 *                                   NAT64_A_PORT_MIN, NAT64_A_PORT_MAX
 * NAT64_CMD_POOL4_FLUSH (admin)     Remove every pool4 entry, binding and session.
 *
 * NAT64_CMD_BIB_ADD (admin)         NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6,
 *                                   NAT64_A_ADDR4, NAT64_A_PORT4
 *	Add a static binding (never expires). ADDR4:PORT4 must lie in pool4 for
 *	that protocol; neither side may be bound already (EEXIST).
 * NAT64_CMD_BIB_DEL (admin)         NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6
 *	Remove a binding (static or dynamic) and its sessions.
 * NAT64_CMD_BIB_GET (dump, admin)   [NAT64_A_PROTO], [NAT64_A_STATIC] (static
 *                                   bindings only) filters; reply per binding:
 *                                   NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6,
 *                                   NAT64_A_ADDR4, NAT64_A_PORT4, [NAT64_A_STATIC],
 *                                   NAT64_A_SESSIONS, [NAT64_A_UNPAIRED] (a dynamic
 *                                   binding not on its subscriber's paired pool4
 *                                   address, whose ports there were taken)
 *
 * NAT64_CMD_SESSION_GET (dump, admin) [NAT64_A_PROTO] filter; reply per session:
 *                                   NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6
 *                                   (IPv6 host), NAT64_A_REMOTE6 (prefix+server),
 *                                   NAT64_A_ADDR4, NAT64_A_PORT4 (pool4 mapping),
 *                                   NAT64_A_REMOTE4, NAT64_A_REMOTE_PORT (server),
 *                                   NAT64_A_TCP_STATE (TCP only), NAT64_A_EXPIRES_MS
 * NAT64_CMD_SESSION_FLUSH (admin)   [NAT64_A_PROTO]: remove sessions and the
 *                                   dynamic bindings left without one.
 *
 * NAT64_CMD_STATS_GET (dump)        reply per counter: NAT64_A_STAT_NAME,
 *                                   NAT64_A_STAT_DESC, NAT64_A_STAT_VALUE. Names
 *                                   are stable; every dropped packet counts in a
 *                                   counter whose name starts with "drop_".
 *
 * NAT64_CMD_EVENT                   multicast on group NAT64_MCGRP_EVENTS (no
 *                                   request): NAT64_A_EVENT, NAT64_A_REASON,
 *                                   NAT64_A_TIME_MS and the attributes of a
 *                                   BIB_GET (binding events) or SESSION_GET
 *                                   (session events) reply. For abuse and
 *                                   lawful logging (RFC 6888 REQ-12); nothing
 *                                   is built when nobody listens.
 *
 * NAT64_CMD_CONFIG_GET              reply: every NAT64_A_CFG_* attribute, plus
 *                                   NAT64_A_SESSIONS and NAT64_A_BIBS (counts now)
 * NAT64_CMD_CONFIG_SET (admin)      any NAT64_A_CFG_* attributes; all or nothing.
 *	NAT64_A_CFG_UDP_TIMEOUT       u32 s, 1..86400        (default 300)
 *	NAT64_A_CFG_TCP_EST_TIMEOUT   u32 s, 1..2000000      (default 7440)
 *	NAT64_A_CFG_TCP_TRANS_TIMEOUT u32 s, 1..86400        (default 240)
 *	NAT64_A_CFG_ICMP_TIMEOUT      u32 s, 1..86400        (default 60)
 *	NAT64_A_CFG_MAX_SESSIONS      u32, 1..2^31           (default: memory/16 KiB)
 *	NAT64_A_CFG_WKP_GLOBAL_ONLY   u8, 0..1               (default 1): with the
 *	      well-known prefix 64:ff9b::/96, IPv4 addresses that are not global
 *	      (RFC 6890: private, shared, loopback, link-local, documentation,
 *	      benchmarking, reserved, multicast) are not translated (RFC 6052
 *	      section 3.1); ICMP errors from such routers still are
 *	NAT64_A_CFG_DROP_EXTERNAL_TCP u8, 0..1               (default 0): drop TCP
 *	      SYNs from the IPv4 side that would open a session (RFC 6146 3.5.2.2)
 *	NAT64_A_CFG_ADF               u8, 0..1               (default 0): address-
 *	      dependent filtering (RFC 4787 5): an IPv4 packet to a binding opens
 *	      a session only if the binding has a session with its source address
 *	NAT64_A_CFG_MAX_STORED_SYNS   u32, 0..4096           (default 64): IPv4 SYNs
 *	      to a pool4 address without binding held 6 s for a simultaneous
 *	      open, then answered with ICMP port unreachable (RFC 6146 3.5.2.2);
 *	      0 drops them at once
 *	NAT64_A_CFG_MAX_SESS_PER_SUB  u32, 0..2^31           (default 0 = no limit):
 *	      sessions an IPv6 subscriber may open (RFC 6888 REQ-4); inbound
 *	      sessions to its bindings count but are not refused
 *	NAT64_A_CFG_LOWEST_IPV6_MTU   u32, 1280..65535       (default 1280): IPv4
 *	      packets without DF leave in IPv6 fragments of at most this size
 *	      (RFC 7915 4: the smallest MTU of the IPv6 network, as the
 *	      administrator knows it)
 *	NAT64_A_CFG_SUB_PREFIX_LEN    u8, 32..128            (default 64): the IPv6
 *	      prefix length that makes a subscriber; changes only while there
 *	      are no sessions (EBUSY otherwise)
 *	The timeout minimums of RFC 6146 4 and RFC 5382 REQ-5 (UDP 120 s, TCP
 *	established 7440 s, transitory 240 s) are not enforced, so that tests
 *	can use short timeouts; nat64ctl warns below them.
 */
#ifndef _UAPI_LINUX_NAT64_H
#define _UAPI_LINUX_NAT64_H

#include <linux/types.h>

#define NAT64_GENL_NAME		"nat64"
#define NAT64_GENL_VERSION	1
#define NAT64_MAX_PREFIXES	16

/* NAT64_A_PROTOS bits */
#define NAT64_PROTO_F_TCP	(1 << 0)
#define NAT64_PROTO_F_UDP	(1 << 1)
#define NAT64_PROTO_F_ICMP	(1 << 2)
#define NAT64_PROTO_F_ALL	0x7

#define NAT64_MCGRP_EVENTS	"events"

/* NAT64_A_EVENT */
enum nat64_event {
	NAT64_EV_BIB_ADD = 1,
	NAT64_EV_BIB_DEL,
	NAT64_EV_SESSION_ADD,
	NAT64_EV_SESSION_DEL,
};

/* NAT64_A_REASON: why state was removed */
enum nat64_reason {
	NAT64_RSN_NONE,			/* creation */
	NAT64_RSN_EXPIRED,		/* lifetime over */
	NAT64_RSN_FLUSHED,		/* session flush or pool4 flush */
	NAT64_RSN_CONFIG,		/* its prefix, pool4 entry or binding removed */
	NAT64_RSN_LAST_SESSION,		/* dynamic binding without sessions left */
};

enum nat64_cmd {
	NAT64_CMD_UNSPEC,
	NAT64_CMD_PREFIX_ADD,
	NAT64_CMD_PREFIX_DEL,
	NAT64_CMD_PREFIX_GET,
	NAT64_CMD_POOL4_ADD,
	NAT64_CMD_POOL4_DEL,
	NAT64_CMD_POOL4_GET,
	NAT64_CMD_POOL4_FLUSH,
	NAT64_CMD_BIB_ADD,
	NAT64_CMD_BIB_DEL,
	NAT64_CMD_BIB_GET,
	NAT64_CMD_SESSION_GET,
	NAT64_CMD_SESSION_FLUSH,
	NAT64_CMD_STATS_GET,
	NAT64_CMD_CONFIG_GET,
	NAT64_CMD_CONFIG_SET,
	NAT64_CMD_EVENT,
	__NAT64_CMD_MAX
};
#define NAT64_CMD_MAX (__NAT64_CMD_MAX - 1)

enum nat64_attr {
	NAT64_A_UNSPEC,
	NAT64_A_PAD,
	NAT64_A_PREFIX6,		/* binary, 16 bytes */
	NAT64_A_PREFIX6_LEN,		/* u8 */
	NAT64_A_ADDR4,			/* __be32 */
	NAT64_A_ADDR4_LEN,		/* u8, 16..32 */
	NAT64_A_PROTO,			/* u8: IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	NAT64_A_PROTOS,			/* u8: NAT64_PROTO_F_* bits */
	NAT64_A_PORT_MIN,		/* u16 */
	NAT64_A_PORT_MAX,		/* u16 */
	NAT64_A_ADDR6,			/* binary, 16 bytes */
	NAT64_A_PORT6,			/* u16 (ICMP: echo identifier) */
	NAT64_A_PORT4,			/* u16 (ICMP: echo identifier) */
	NAT64_A_REMOTE6,		/* binary, 16 bytes */
	NAT64_A_REMOTE4,		/* __be32 */
	NAT64_A_REMOTE_PORT,		/* u16 */
	NAT64_A_TCP_STATE,		/* u8: enum nat64_tcp_state */
	NAT64_A_EXPIRES_MS,		/* u64: ms left, 0 = static / none */
	NAT64_A_STATIC,			/* flag */
	NAT64_A_SESSIONS,		/* u32 */
	NAT64_A_BIBS,			/* u32 */
	NAT64_A_STAT_NAME,		/* string */
	NAT64_A_STAT_DESC,		/* string */
	NAT64_A_STAT_VALUE,		/* u64 */
	NAT64_A_CFG_UDP_TIMEOUT,	/* u32 s */
	NAT64_A_CFG_TCP_EST_TIMEOUT,	/* u32 s */
	NAT64_A_CFG_TCP_TRANS_TIMEOUT,	/* u32 s */
	NAT64_A_CFG_ICMP_TIMEOUT,	/* u32 s */
	NAT64_A_CFG_MAX_SESSIONS,	/* u32 */
	NAT64_A_FORCE,			/* flag */
	NAT64_A_EVENT,			/* u8: enum nat64_event */
	NAT64_A_REASON,			/* u8: enum nat64_reason */
	NAT64_A_TIME_MS,		/* u64: wall clock, ms since the epoch */
	NAT64_A_CFG_WKP_GLOBAL_ONLY,	/* u8 */
	NAT64_A_CFG_DROP_EXTERNAL_TCP,	/* u8 */
	NAT64_A_CFG_ADF,		/* u8 */
	NAT64_A_CFG_MAX_STORED_SYNS,	/* u32 */
	NAT64_A_CFG_MAX_SESS_PER_SUB,	/* u32 */
	NAT64_A_CFG_SUB_PREFIX_LEN,	/* u8 */
	NAT64_A_UNPAIRED,		/* flag */
	NAT64_A_CFG_LOWEST_IPV6_MTU,	/* u32 */
	__NAT64_A_MAX
};
#define NAT64_A_MAX (__NAT64_A_MAX - 1)

/* RFC 6146 section 3.5.2 TCP session states */
enum nat64_tcp_state {
	NAT64_TCP_CLOSED,
	NAT64_TCP_V4_INIT,
	NAT64_TCP_V6_INIT,
	NAT64_TCP_ESTABLISHED,
	NAT64_TCP_V4_FIN_RCV,
	NAT64_TCP_V6_FIN_RCV,
	NAT64_TCP_V4_FIN_V6_FIN_RCV,
	NAT64_TCP_TRANS,
	__NAT64_TCP_STATE_MAX
};

#endif /* _UAPI_LINUX_NAT64_H */
