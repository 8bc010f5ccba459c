/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure translation core: RFC 6052 addresses, packet parsing, RFC 7915
 * header translation, TCP session states of RFC 6146 and port choice.
 * Nothing here knows about sk_buff, locks or time.
 */
#ifndef _NAT64_XLAT_H
#define _NAT64_XLAT_H

#include "pure.h"
#include "stats.h"

/* Bytes of the packet start the parsers look at (headers of interest). */
#define NAT64_HDR_BUF	192

/* --- RFC 6052 (addr.c) --- */
const char *nat64_prefix_check(const struct in6_addr *prefix, unsigned int plen);
void nat64_addr_embed(const struct in6_addr *prefix, unsigned int plen, __be32 v4,
		      struct in6_addr *out);
__be32 nat64_addr_extract(const struct in6_addr *addr, unsigned int plen);
bool nat64_prefix_match(const struct in6_addr *prefix, unsigned int plen,
			const struct in6_addr *addr);
bool nat64_prefix_is_wkp(const struct in6_addr *prefix, unsigned int plen);
bool nat64_ipv4_is_global(__be32 addr);

/* --- parsed packets (xlat6to4.c, xlat4to6.c) --- */
struct nat64_l4 {
	__be16 sport;		/* TCP/UDP ports; ICMP echo: identifier in both */
	__be16 dport;
	u8 proto;		/* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_ICMP */
	u8 tcp_flags;		/* NAT64_TCP_SYN | FIN | RST */
	u8 icmp_type;		/* ICMP: type as received (v6 or v4 numbering) */
	bool icmp_err;		/* ICMP error message (quotes a packet) */
	u16 off;		/* offset of the transport header in the packet */
	u16 hdrlen;		/* transport header bytes rewritten (8 or 20) */
	u32 len;		/* transport header + payload */
};

#define NAT64_TCP_FIN	0x01
#define NAT64_TCP_SYN	0x02
#define NAT64_TCP_RST	0x04

struct nat64_pkt6 {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u8 tclass;
	u8 hop_limit;
	bool frag_ok;		/* arrived in fragments: IPv4 DF stays clear */
	bool frag_mf;		/* quoted first fragment (frag_ok): more follow */
	u16 err_ptr;		/* DROP_SEGMENTS_LEFT: offset of that field */
	__be32 frag_id;		/* quoted first fragment: its identification */
	struct nat64_l4 l4;
};

struct nat64_pkt4 {
	__be32 saddr;
	__be32 daddr;
	u8 tos;
	u8 ttl;
	__be16 id;
	bool mf;		/* a first fragment (quoted in an ICMP error) */
	struct nat64_l4 l4;
};

/*
 * The parsers read @buf, the first @buflen bytes of a packet of @pktlen
 * bytes, and return 0 or the enum nat64_stat drop reason.
 */
int nat64_parse6(const u8 *buf, unsigned int buflen, unsigned int pktlen,
		 struct nat64_pkt6 *p);
int nat64_parse4(const u8 *buf, unsigned int buflen, unsigned int pktlen,
		 struct nat64_pkt4 *p);

/* Shared by both parsers: the transport header at @off. */
int nat64_parse_l4(const u8 *buf, unsigned int buflen, unsigned int off,
		   unsigned int l4len, u8 proto, struct nat64_l4 *l4, int trunc);
unsigned int nat64_l4_csum_off(u8 proto);

/* Transport addresses of the translated packet. */
struct nat64_xl4 {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

struct nat64_xl6 {
	struct in6_addr saddr;
	struct in6_addr daddr;
	__be16 sport;
	__be16 dport;
};

/*
 * RFC 7915 section 5.1: write the IPv4 header for @p into @iph (20 bytes)
 * and rewrite the transport header @l4 (p->l4.hdrlen bytes, in place).
 * @partial: the transport checksum holds only the pseudo-header sum
 * (CHECKSUM_PARTIAL). @id: IPv4 identification to use when DF is clear.
 * Returns 0 or a drop reason.
 */
int nat64_xlat_6to4(const struct nat64_pkt6 *p, const struct nat64_xl4 *x,
		    __be16 id, bool partial, u8 *l4, struct iphdr *iph);

/*
 * RFC 7915 section 4.1: write the IPv6 header (40 bytes) and rewrite the
 * transport header. Sets *@full_csum when the UDP checksum was zero and must
 * be computed over the whole datagram by the caller.
 */
int nat64_xlat_4to6(const struct nat64_pkt4 *p, const struct nat64_xl6 *x,
		    bool partial, u8 *l4, struct ipv6hdr *ip6, bool *full_csum);

/* --- ICMP (icmp.c) --- */
/* classify: 0 for echo, NAT64_ICMP_ERROR for errors, else a drop reason */
#define NAT64_ICMP_ERROR	(-1)
int nat64_icmp6_classify(u8 type);
int nat64_icmp4_classify(u8 type);
u8 nat64_icmp_echo_6to4(u8 type);
u8 nat64_icmp_echo_4to6(u8 type);
int nat64_parse_inner4(const u8 *buf, unsigned int len, struct nat64_pkt4 *in);
int nat64_parse_inner6(const u8 *buf, unsigned int len, struct nat64_pkt6 *in);

/*
 * Translate the ICMP error message @icmp (@len bytes from the ICMP header on)
 * whose quoted packet is @in into a whole packet of the other family at @out
 * (@cap bytes; the result is cut to 1280 bytes for IPv6, 576 for IPv4).
 * @x: outer addresses; @xi: the quoted packet's new addresses and ports.
 * @mtu: upper bound for the MTU of a translated packet too big or
 * fragmentation needed, from the links the translator sees (RFC 7915 4.2,
 * 5.2), 0 for none.
 * Verifies the ICMP checksum and computes the new one. Returns the length
 * written or minus a drop reason.
 */
int nat64_err_4to6(const u8 *icmp, unsigned int len, const struct nat64_pkt4 *outer,
		   const struct nat64_pkt4 *in, const struct nat64_xl6 *x,
		   const struct nat64_xl6 *xi, u32 mtu, u8 *out, unsigned int cap);
int nat64_err_6to4(const u8 *icmp, unsigned int len, const struct nat64_pkt6 *outer,
		   const struct nat64_pkt6 *in, const struct nat64_xl4 *x,
		   const struct nat64_xl4 *xi, __be16 id, u32 mtu, u8 *out,
		   unsigned int cap);

/* --- TCP states of RFC 6146 section 3.5.2 (tcpstate.c) --- */
enum nat64_tmo {
	NAT64_TMO_KEEP,		/* lifetime left as it is */
	NAT64_TMO_EST,		/* TCP established lifetime */
	NAT64_TMO_TRANS,	/* TCP transitory lifetime */
};

u8 nat64_tcp_next(u8 state, bool from6, u8 flags, enum nat64_tmo *tmo);
enum nat64_tmo nat64_tcp_state_tmo(u8 state);
const char *nat64_tcp_state_name(u8 state);

/* --- port choice, RFC 6056 style (ports.c) --- */
struct nat64_pool4_entry {
	__be32 addr;		/* first address */
	u8 plen;		/* 16..32 */
	u8 proto;		/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	u16 pmin;
	u16 pmax;
};

#define NAT64_PORT_PROBES	128

/* @addr is one of @e's addresses (any protocol, any port). */
static inline bool nat64_entry_holds(const struct nat64_pool4_entry *e, __be32 addr)
{
	u32 mask = e->plen ? ~0u << (32 - e->plen) : 0;

	return (ntohl(addr) & mask) == ntohl(e->addr);
}

/*
 * Candidate number @attempt (0, 1, ...) for a new binding of @proto whose
 * IPv6 source port is @sport, with flow hash @hash. Keeps the port in the
 * source port's range (0-1023 or 1024-65535) when the pool has any there.
 * Attempts 0..N-1 give each of the N candidates once, in an order that
 * depends on all 64 bits of @hash. Returns false when the pool has nothing
 * for @proto.
 */
bool nat64_port_pick(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
		     u16 sport, u64 hash, u32 attempt, __be32 *addr, u16 *port);

#define NAT64_PAIRED_PROBES	(NAT64_PORT_PROBES / 2)

/*
 * Paired pooling: the pool4 address of a subscriber whose hash is
 * @sub_hash, among @proto's addresses taken in ascending order (so the same
 * for every protocol that has the same addresses, whatever the order they
 * were added in). False when the pool has nothing for @proto.
 */
bool nat64_pool4_paired_addr(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			     u32 sub_hash, __be32 *addr);
/*
 * Candidate port @attempt on @addr: @hash over the ports of @proto's entries
 * holding @addr, in the source port's range when @addr has ports there.
 * False when @addr has none for @proto.
 */
bool nat64_port_pick_on(const struct nat64_pool4_entry *e, unsigned int n, u8 proto,
			__be32 addr, u16 sport, u64 hash, u32 attempt, u16 *port);
bool nat64_pool4_contains(const struct nat64_pool4_entry *e, u8 proto, __be32 addr,
			  u16 port);
bool nat64_pool4_overlap(const struct nat64_pool4_entry *a,
			 const struct nat64_pool4_entry *b);

#endif /* _NAT64_XLAT_H */
