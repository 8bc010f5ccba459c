// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl: command line argument parsers. They check the syntax only and
 * leave the meaning to the kernel; errors end in usage_err() (exit status 2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

bool parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno && *v <= max;
}

static const struct {
	const char *name;
	uint8_t proto;
	uint8_t flag;
} protos[] = {
	{ "tcp", IPPROTO_TCP, NAT64_PROTO_F_TCP },
	{ "udp", IPPROTO_UDP, NAT64_PROTO_F_UDP },
	{ "icmp", IPPROTO_ICMP, NAT64_PROTO_F_ICMP },
};

static int proto_idx(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(protos); i++)
		if (!strcmp(s, protos[i].name))
			return i;
	return -1;
}

/* NAT64_PROTO_F_* of a protocol name, 0 if s is none */
uint8_t proto_flag(const char *s)
{
	int i = proto_idx(s);

	return i < 0 ? 0 : protos[i].flag;
}

uint8_t arg_proto(const char *s)
{
	int i = proto_idx(s);

	if (i < 0)
		usage_err("invalid protocol \"%s\" (expected tcp, udp or icmp)", s);
	return protos[i].proto;
}

const char *proto_name(uint8_t proto, char *buf)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(protos); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	sprintf(buf, "%u", proto);
	return buf;
}

/* ADDR[/LEN] of family af; returns whether /LEN was given. */
bool arg_addr_len(int af, const char *arg, void *addr,
			 unsigned long *len)
{
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	char buf[INET6_ADDRSTRLEN];

	if (n >= sizeof(buf))
		n = 0;
	memcpy(buf, arg, n);
	buf[n] = '\0';
	if (inet_pton(af, buf, addr) != 1)
		usage_err("invalid %s address \"%s\"",
			  af == AF_INET6 ? "IPv6" : "IPv4", arg);
	if (slash && !parse_uint(slash + 1, UINT8_MAX, len))
		usage_err("invalid prefix length \"%s\"", slash + 1);
	return slash;
}

/* [IPV6]:PORT or IPV4:PORT */
void arg_taddr(int af, const char *arg, void *addr, uint16_t *port)
{
	const char *colon = strrchr(arg, ':'), *start = arg;
	char buf[INET6_ADDRSTRLEN];
	unsigned long v;
	size_t n = 0;

	if (colon && af == AF_INET6 && *arg == '[' && colon[-1] == ']' &&
	    colon - arg >= 2) {
		start = arg + 1;
		n = colon - 1 - start;
	} else if (colon && af == AF_INET) {
		n = colon - arg;
	}
	if (n >= sizeof(buf))
		n = 0;
	memcpy(buf, start, n);
	buf[n] = '\0';
	if (!n || inet_pton(af, buf, addr) != 1 ||
	    !parse_uint(colon + 1, UINT16_MAX, &v))
		usage_err("invalid %s transport address \"%s\" (expected %s)",
			  af == AF_INET6 ? "IPv6" : "IPv4", arg,
			  af == AF_INET6 ? "[ADDR]:PORT" : "ADDR:PORT");
	*port = v;
}

/* MIN-MAX, or a single PORT */
void arg_ports(const char *arg, uint16_t *min, uint16_t *max)
{
	const char *dash = strchr(arg, '-');
	size_t n = dash ? (size_t)(dash - arg) : strlen(arg);
	unsigned long a = 0, b = 0;
	char buf[8];
	bool ok = n < sizeof(buf);

	if (ok) {
		memcpy(buf, arg, n);
		buf[n] = '\0';
		ok = parse_uint(buf, UINT16_MAX, &a);
	}
	b = a;
	if (ok && dash)
		ok = parse_uint(dash + 1, UINT16_MAX, &b);
	if (!ok)
		usage_err("invalid port range \"%s\" (expected MIN-MAX)", arg);
	*min = a;
	*max = b;
}
