// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl dns64 { unbound | bind }: a DNS64 (RFC 6147) configuration
 * snippet for that resolver, with the prefixes of the namespace.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

static const char *const wkp_note[] = {
	"RFC 6052 section 3.1: the well-known prefix 64:ff9b::/96 must not",
	"represent non-global IPv4 addresses (RFC 1918, RFC 6890 special use).",
	NULL
};

/* IPv4 blocks that are not globally reachable (RFC 6890, RFC 1918, RFC 6598) */
static const char *const non_global[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
	"192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
	"224.0.0.0/4", "240.0.0.0/4", NULL
};

static bool is_wkp(const struct prefix *p)
{
	static const uint8_t wkp[16] = { 0x00, 0x64, 0xff, 0x9b };

	return p->len == 96 && !memcmp(&p->addr, wkp, sizeof(wkp));
}

static const char *fmt(const struct prefix *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, size, "%s/%u", inet_ntop(AF_INET6, &p->addr, a, sizeof(a)),
		 p->len);
	return buf;
}

static void lines(const char *indent, const char *comment, const char *const *l)
{
	for (; *l; l++)
		printf("%s%s %s\n", indent, comment, *l);
}

static void print_unbound(const struct prefix *p, size_t n)
{
	char buf[INET6_ADDRSTRLEN + 4];
	size_t i;

	puts("# unbound.conf: DNS64 for the NAT64 prefix of this namespace (nat64ctl dns64 unbound)");
	puts("server:");
	puts("\tmodule-config: \"dns64 validator iterator\"");
	printf("\tdns64-prefix: %s\n", fmt(&p[0], buf, sizeof(buf)));
	if (n > 1) {
		printf("\t# unbound takes one dns64-prefix, BIND takes all (nat64ctl dns64 bind); not used:");
		for (i = 1; i < n; i++)
			printf(" %s", fmt(&p[i], buf, sizeof(buf)));
		putchar('\n');
	}
	if (is_wkp(&p[0])) {
		lines("\t", "#", wkp_note);
		puts("\t# unbound synthesizes from every A record: keep such addresses out of the");
		puts("\t# answers IPv6-only clients get, or use a network-specific prefix.");
	}
}

static void print_bind(const struct prefix *p, size_t n)
{
	char buf[INET6_ADDRSTRLEN + 4];
	const char *const *g;
	size_t i;

	puts("// named.conf: DNS64 for the NAT64 prefixes of this namespace (nat64ctl dns64 bind)");
	puts("// Merge into the options (or a view) block. BIND synthesizes AAAA records");
	puts("// from each dns64 prefix below.");
	puts("options {");
	for (i = 0; i < n; i++) {
		printf("\tdns64 %s {\n", fmt(&p[i], buf, sizeof(buf)));
		puts("\t\tclients { any; };");
		if (is_wkp(&p[i])) {
			lines("\t\t", "//", wkp_note);
			printf("\t\tmapped {");
			for (g = non_global; *g; g++)
				printf(" !%s;", *g);
			puts(" any; };");
		}
		puts("\t\texclude { ::ffff:0:0/96; };");
		puts("\t};");
	}
	puts("};");
}

int do_dns64(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(const struct prefix *p, size_t n);
	} resolvers[] = {
		{ "unbound", print_unbound },
		{ "bind", print_bind },
		{ }
	}, *r;
	struct prefix *p;
	size_t n;

	if (argc < 1)
		usage_err("missing resolver (unbound or bind)");
	r = lookup(argv[0], resolvers, sizeof(*r), "resolver");
	no_more_args(argc - 1, argv + 1);
	if (prefix_list(&p, &n))
		return 1;
	if (!n) {
		fputs("nat64ctl: no prefix configured (nat64ctl prefix add PREFIX/LEN)\n", stderr);
		return 1;
	}
	r->fn(p, n);
	free(p);
	return 0;
}
