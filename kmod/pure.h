/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet core (addresses, parsing, header translation, checksums, TCP
 * states, port choice) is pure C over buffers: it builds into the module and,
 * with this header, into userspace unit tests and fuzzers.
 */
#ifndef _NAT64_PURE_H
#define _NAT64_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <asm/byteorder.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#define __force
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define htons(x)	((__be16)htobe16(x))
#define ntohs(x)	be16toh((__force u16)(x))
#define htonl(x)	((__be32)htobe32(x))
#define ntohl(x)	be32toh((__force u32)(x))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* IPv4 fragment field bits (RFC 791) */
#define NAT64_IP_DF		0x4000
#define NAT64_IP_MF		0x2000
#define NAT64_IP_OFFSET		0x1fff

/* IPv6 next header values (RFC 8200) */
#define NAT64_NH_HOP		0
#define NAT64_NH_ROUTING	43
#define NAT64_NH_FRAGMENT	44
#define NAT64_NH_ICMP		58
#define NAT64_NH_DEST		60

#endif /* _NAT64_PURE_H */
