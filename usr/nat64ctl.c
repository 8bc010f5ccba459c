// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl - configuration tool of the nat64 stateful NAT64 module.
 *
 *	nat64ctl [-j] [-n NETNS] OBJECT [COMMAND [ARGS]]
 *
 * The command line is checked for syntax only (exit status 2 on errors);
 * everything else is left to the kernel, whose extended ACK message is
 * printed (exit status 1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

static bool json;

static const char prefix_usage[] =
	"prefix { add | del } PREFIX/LEN\n"
	"prefix show\n";
static const char pool4_usage[] =
	"pool4 { add | del } ADDR[/LEN] [tcp] [udp] [icmp] [ports MIN-MAX]\n"
	"pool4 { show | flush }\n";
static const char bib_usage[] =
	"bib { add | del } PROTO [IPV6]:PORT IPV4:PORT\n"
	"bib show [PROTO]\n";
static const char session_usage[] =
	"session { show | flush } [PROTO]\n";
static const char stats_usage[] =
	"stats show\n";
static const char config_usage[] =
	"config show\n"
	"config set KEY VALUE [KEY VALUE]...\n";

static const char *const all_usage[] = {
	"OBJECT [COMMAND [ARGS]]\n", prefix_usage, pool4_usage, bib_usage,
	session_usage, stats_usage, config_usage, NULL
};

static const char where_usage[] =
	"where  OBJECT := { prefix | pool4 | bib | session | stats | config | help }\n"
	"       PROTO := { tcp | udp | icmp }\n"
	"       KEY := { udp-timeout | tcp-est-timeout | tcp-trans-timeout |\n"
	"                icmp-timeout | max-sessions }\n"
	"       OPTIONS := { -j | --json | -n NETNS | --netns NETNS |\n"
	"                    -h | --help | -V | --version }\n"
	"COMMAND defaults to show. pool4 add/del without a protocol means all three.\n";

/*
 * The full usage (usage NULL, full), the short one of an object, or when
 * neither is given the first and OBJECT lines.
 */
static void print_usage(FILE *f, const char *usage, bool full)
{
	const char *const *u, *l, *nl;
	bool first = true;

	for (u = usage ? (const char *const[]){ usage, NULL } : all_usage; *u; u++) {
		for (l = *u; *l; l = nl + 1) {
			nl = strchr(l, '\n');
			fprintf(f, "%snat64ctl [OPTIONS] %.*s\n",
				first ? "Usage: " : "       ", (int)(nl - l), l);
			first = false;
		}
		if (!usage && !full)
			break;
	}
	if (full) {
		fputs(where_usage, f);
		return;
	}
	if (!usage)
		fprintf(f, "%.*s", (int)(strchr(where_usage, '\n') - where_usage + 1),
			where_usage);
	fputs("Run 'nat64ctl help' for the full usage.\n", f);
}

static const char *cur_usage;

void usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("nat64ctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(stderr, cur_usage, false);
	exit(2);
}

static void no_more_args(int argc, char **argv)
{
	if (argc > 0)
		usage_err("unexpected argument \"%s\"", argv[0]);
}

/* Reply helpers */

static bool need(struct nlattr **tb, ...)
{
	va_list ap;
	int a;

	va_start(ap, tb);
	while ((a = va_arg(ap, int)) && tb[a])
		;
	va_end(ap);
	if (a)
		fprintf(stderr, "nat64ctl: warning: ignoring a reply without attribute %d\n",
			a);
	return !a;
}

static const char *ntop6(const struct nlattr *a, char *buf)
{
	return inet_ntop(AF_INET6, nla_data(a), buf, INET6_ADDRSTRLEN);
}

static const char *ntop4(const struct nlattr *a, char *buf)
{
	uint32_t v = nla_get_u32((struct nlattr *)a);	/* __be32, kept as is */

	return inet_ntop(AF_INET, &v, buf, INET_ADDRSTRLEN);
}

static int show(uint8_t cmd, bool dump, struct nl_msg *msg, row_cb_t row,
		const char *const *hdr, char top)
{
	struct out o;

	if (!msg)
		msg = nl_req(cmd, dump);
	out_init(&o, json, hdr, top);
	if (nl_run(msg, row, &o))
		return 1;
	out_print(&o, stdout);
	return 0;
}

/* prefix */

static int prefix_row(struct nlattr **tb, void *arg)
{
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN + 4];
	struct out *o = arg;
	unsigned int len;

	if (!need(tb, NAT64_A_PREFIX6, NAT64_A_PREFIX6_LEN, 0))
		return NL_SKIP;
	ntop6(tb[NAT64_A_PREFIX6], a);
	len = nla_get_u8(tb[NAT64_A_PREFIX6_LEN]);
	if (o->json) {
		jw_begin(o, NULL, '{');
		jw_str(o, "prefix", a);
		jw_uint(o, "len", len);
		jw_end(o);
	} else {
		snprintf(p, sizeof(p), "%s/%u", a, len);
		tbl_row(o, p);
	}
	return NL_OK;
}

static int do_prefix(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = { "PREFIX", NULL };
	unsigned long len;
	struct in6_addr a;
	struct nl_msg *msg;

	if (cmd == NAT64_CMD_PREFIX_GET) {
		no_more_args(argc, argv);
		return show(cmd, true, NULL, prefix_row, hdr, '[');
	}
	if (argc < 1)
		usage_err("missing PREFIX/LEN");
	if (!arg_addr_len(AF_INET6, argv[0], &a, &len))
		usage_err("missing prefix length in \"%s\"", argv[0]);
	no_more_args(argc - 1, argv + 1);
	msg = nl_req(cmd, false);
	put(msg, NAT64_A_PREFIX6, sizeof(a), &a);
	put_u8(msg, NAT64_A_PREFIX6_LEN, len);
	return nl_run(msg, NULL, NULL) ? 1 : 0;
}

/* pool4 */

static int pool4_row(struct nlattr **tb, void *arg)
{
	char a[INET_ADDRSTRLEN], pn[4], p[INET_ADDRSTRLEN + 4], r[12];
	unsigned int len, min, max;
	struct out *o = arg;
	const char *proto;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR4, NAT64_A_ADDR4_LEN,
		  NAT64_A_PORT_MIN, NAT64_A_PORT_MAX, 0))
		return NL_SKIP;
	proto = proto_name(nla_get_u8(tb[NAT64_A_PROTO]), pn);
	ntop4(tb[NAT64_A_ADDR4], a);
	len = nla_get_u8(tb[NAT64_A_ADDR4_LEN]);
	min = nla_get_u16(tb[NAT64_A_PORT_MIN]);
	max = nla_get_u16(tb[NAT64_A_PORT_MAX]);
	if (o->json) {
		jw_begin(o, NULL, '{');
		jw_str(o, "proto", proto);
		jw_str(o, "addr4", a);
		jw_uint(o, "len", len);
		jw_uint(o, "port_min", min);
		jw_uint(o, "port_max", max);
		jw_end(o);
	} else {
		snprintf(p, sizeof(p), "%s/%u", a, len);
		snprintf(r, sizeof(r), "%u-%u", min, max);
		tbl_row(o, proto, p, r);
	}
	return NL_OK;
}

static int do_pool4(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = { "PROTO", "ADDRESS", "PORTS", NULL };
	bool has_len, has_ports = false;
	uint16_t min = 0, max = 0;
	struct nl_msg *msg;
	uint8_t flags = 0;
	unsigned long len;
	struct in_addr a;
	int i;

	if (cmd == NAT64_CMD_POOL4_GET || cmd == NAT64_CMD_POOL4_FLUSH) {
		no_more_args(argc, argv);
		if (cmd == NAT64_CMD_POOL4_FLUSH)
			return nl_run(nl_req(cmd, false), NULL, NULL) ? 1 : 0;
		return show(cmd, true, NULL, pool4_row, hdr, '[');
	}
	if (argc < 1)
		usage_err("missing ADDR[/LEN]");
	has_len = arg_addr_len(AF_INET, argv[0], &a, &len);
	for (i = 1; i < argc; i++) {
		if (proto_flag(argv[i])) {
			flags |= proto_flag(argv[i]);
		} else if (!strcmp(argv[i], "ports")) {
			if (++i == argc)
				usage_err("missing MIN-MAX after \"ports\"");
			arg_ports(argv[i], &min, &max);
			has_ports = true;
		} else {
			usage_err("unexpected argument \"%s\"", argv[i]);
		}
	}
	msg = nl_req(cmd, false);
	put(msg, NAT64_A_ADDR4, sizeof(a.s_addr), &a.s_addr);
	if (has_len)
		put_u8(msg, NAT64_A_ADDR4_LEN, len);
	put_u8(msg, NAT64_A_PROTOS, flags ? flags : NAT64_PROTO_F_ALL);
	if (has_ports && cmd == NAT64_CMD_POOL4_ADD) {
		put_u16(msg, NAT64_A_PORT_MIN, min);
		put_u16(msg, NAT64_A_PORT_MAX, max);
	}
	if (nl_run(msg, NULL, NULL))
		return 1;
	if (has_ports && cmd == NAT64_CMD_POOL4_DEL)
		fputs("nat64ctl: warning: pool4 del ignores ports, whole entries were removed\n",
		      stderr);
	return 0;
}

/* bib */

static int bib_row(struct nlattr **tb, void *arg)
{
	char a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN], pn[4], s[12];
	char t6[INET6_ADDRSTRLEN + 8], t4[INET_ADDRSTRLEN + 6];
	unsigned int p6, p4, sessions;
	bool is_static = tb[NAT64_A_STATIC];
	struct out *o = arg;
	const char *proto;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6, NAT64_A_ADDR4,
		  NAT64_A_PORT4, NAT64_A_SESSIONS, 0))
		return NL_SKIP;
	proto = proto_name(nla_get_u8(tb[NAT64_A_PROTO]), pn);
	ntop6(tb[NAT64_A_ADDR6], a6);
	ntop4(tb[NAT64_A_ADDR4], a4);
	p6 = nla_get_u16(tb[NAT64_A_PORT6]);
	p4 = nla_get_u16(tb[NAT64_A_PORT4]);
	sessions = nla_get_u32(tb[NAT64_A_SESSIONS]);
	if (o->json) {
		jw_begin(o, NULL, '{');
		jw_str(o, "proto", proto);
		jw_str(o, "addr6", a6);
		jw_uint(o, "port6", p6);
		jw_str(o, "addr4", a4);
		jw_uint(o, "port4", p4);
		jw_bool(o, "static", is_static);
		jw_uint(o, "sessions", sessions);
		jw_end(o);
	} else {
		snprintf(t6, sizeof(t6), "[%s]:%u", a6, p6);
		snprintf(t4, sizeof(t4), "%s:%u", a4, p4);
		snprintf(s, sizeof(s), "%u", sessions);
		tbl_row(o, proto, t6, t4, is_static ? "static" : "dynamic", s);
	}
	return NL_OK;
}

/* [PROTO] filter of bib show, session show and session flush */
static struct nl_msg *proto_req(int argc, char **argv, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;
	uint8_t proto = 0;

	if (argc > 0) {
		proto = arg_proto(argv[0]);
		no_more_args(argc - 1, argv + 1);
	}
	msg = nl_req(cmd, dump);
	if (proto)
		put_u8(msg, NAT64_A_PROTO, proto);
	return msg;
}

static int do_bib(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = {
		"PROTO", "IPV6 TRANSPORT", "IPV4 TRANSPORT", "TYPE", "SESSIONS", NULL
	};
	struct in_addr a4 = { 0 };
	uint16_t p6, p4 = 0;
	struct in6_addr a6;
	struct nl_msg *msg;
	uint8_t proto;

	if (cmd == NAT64_CMD_BIB_GET)
		return show(cmd, true, proto_req(argc, argv, cmd, true), bib_row,
			    hdr, '[');
	if (argc < 1)
		usage_err("missing PROTO");
	proto = arg_proto(argv[0]);
	if (argc < 2)
		usage_err("missing [IPV6]:PORT");
	arg_taddr(AF_INET6, argv[1], &a6, &p6);
	if (argc < 3 && cmd == NAT64_CMD_BIB_ADD)
		usage_err("missing IPV4:PORT");
	/* del identifies the binding by its IPv6 side; IPv4 is syntax only */
	if (argc >= 3) {
		arg_taddr(AF_INET, argv[2], &a4, &p4);
		no_more_args(argc - 3, argv + 3);
	}
	msg = nl_req(cmd, false);
	put_u8(msg, NAT64_A_PROTO, proto);
	put(msg, NAT64_A_ADDR6, sizeof(a6), &a6);
	put_u16(msg, NAT64_A_PORT6, p6);
	if (cmd == NAT64_CMD_BIB_ADD) {
		put(msg, NAT64_A_ADDR4, sizeof(a4.s_addr), &a4.s_addr);
		put_u16(msg, NAT64_A_PORT4, p4);
	}
	return nl_run(msg, NULL, NULL) ? 1 : 0;
}

/* session */

static const char *const tcp_states[__NAT64_TCP_STATE_MAX] = {
	[NAT64_TCP_CLOSED]		= "CLOSED",
	[NAT64_TCP_V4_INIT]		= "V4_INIT",
	[NAT64_TCP_V6_INIT]		= "V6_INIT",
	[NAT64_TCP_ESTABLISHED]		= "ESTABLISHED",
	[NAT64_TCP_V4_FIN_RCV]		= "V4_FIN_RCV",
	[NAT64_TCP_V6_FIN_RCV]		= "V6_FIN_RCV",
	[NAT64_TCP_V4_FIN_V6_FIN_RCV]	= "V4_FIN_V6_FIN_RCV",
	[NAT64_TCP_TRANS]		= "TRANS",
};

static int session_row(struct nlattr **tb, void *arg)
{
	char a6[INET6_ADDRSTRLEN], r6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN];
	char r4[INET_ADDRSTRLEN], t[4][INET6_ADDRSTRLEN + 8], pn[4], e[24];
	unsigned int p6, p4, rp, st;
	const char *proto, *state = NULL;
	struct out *o = arg;
	uint64_t ms;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6, NAT64_A_REMOTE6,
		  NAT64_A_ADDR4, NAT64_A_PORT4, NAT64_A_REMOTE4,
		  NAT64_A_REMOTE_PORT, NAT64_A_EXPIRES_MS, 0))
		return NL_SKIP;
	proto = proto_name(nla_get_u8(tb[NAT64_A_PROTO]), pn);
	ntop6(tb[NAT64_A_ADDR6], a6);
	ntop6(tb[NAT64_A_REMOTE6], r6);
	ntop4(tb[NAT64_A_ADDR4], a4);
	ntop4(tb[NAT64_A_REMOTE4], r4);
	p6 = nla_get_u16(tb[NAT64_A_PORT6]);
	p4 = nla_get_u16(tb[NAT64_A_PORT4]);
	rp = nla_get_u16(tb[NAT64_A_REMOTE_PORT]);
	ms = nla_get_u64(tb[NAT64_A_EXPIRES_MS]);
	if (tb[NAT64_A_TCP_STATE]) {
		st = nla_get_u8(tb[NAT64_A_TCP_STATE]);
		state = st < __NAT64_TCP_STATE_MAX ? tcp_states[st] : "UNKNOWN";
	}
	if (o->json) {
		jw_begin(o, NULL, '{');
		jw_str(o, "proto", proto);
		jw_str(o, "addr6", a6);
		jw_uint(o, "port6", p6);
		jw_str(o, "remote6", r6);
		jw_str(o, "addr4", a4);
		jw_uint(o, "port4", p4);
		jw_str(o, "remote4", r4);
		jw_uint(o, "remote_port", rp);
		jw_str(o, "state", state);
		jw_uint(o, "expires_ms", ms);
		jw_end(o);
	} else {
		snprintf(t[0], sizeof(t[0]), "[%s]:%u", a6, p6);
		snprintf(t[1], sizeof(t[1]), "[%s]:%u", r6, rp);
		snprintf(t[2], sizeof(t[2]), "%s:%u", a4, p4);
		snprintf(t[3], sizeof(t[3]), "%s:%u", r4, rp);
		snprintf(e, sizeof(e), "%" PRIu64, ms / 1000 + !!(ms % 1000));
		tbl_row(o, proto, t[0], t[1], t[2], t[3], state ? state : "-", e);
	}
	return NL_OK;
}

static int do_session(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = {
		"PROTO", "IPV6 HOST", "IPV6 REMOTE", "IPV4 MAPPING",
		"IPV4 REMOTE", "STATE", "EXPIRES", NULL
	};
	struct nl_msg *msg = proto_req(argc, argv, cmd, cmd == NAT64_CMD_SESSION_GET);

	if (cmd == NAT64_CMD_SESSION_GET)
		return show(cmd, true, msg, session_row, hdr, '[');
	return nl_run(msg, NULL, NULL) ? 1 : 0;
}

/* stats */

static int stats_row(struct nlattr **tb, void *arg)
{
	struct out *o = arg;
	const char *name;
	uint64_t v;
	char s[24];

	if (!need(tb, NAT64_A_STAT_NAME, NAT64_A_STAT_VALUE, 0))
		return NL_SKIP;
	name = nla_get_string(tb[NAT64_A_STAT_NAME]);
	v = nla_get_u64(tb[NAT64_A_STAT_VALUE]);
	if (o->json) {
		jw_uint(o, name, v);
	} else {
		snprintf(s, sizeof(s), "%" PRIu64, v);
		tbl_row(o, name, s, tb[NAT64_A_STAT_DESC] ?
			nla_get_string(tb[NAT64_A_STAT_DESC]) : "-");
	}
	return NL_OK;
}

static int do_stats(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = { "NAME", "VALUE", "DESCRIPTION", NULL };

	no_more_args(argc, argv);
	return show(cmd, true, NULL, stats_row, hdr, '{');
}

/* config */

static const struct {
	const char *name;	/* "config set" key and table key */
	const char *json;
	int attr;
	unsigned long rfc_min;	/* RFC 6146 minimum, warned about */
} cfg_keys[] = {
	{ "udp-timeout", "udp_timeout", NAT64_A_CFG_UDP_TIMEOUT, 120 },
	{ "tcp-est-timeout", "tcp_est_timeout", NAT64_A_CFG_TCP_EST_TIMEOUT, 7200 },
	{ "tcp-trans-timeout", "tcp_trans_timeout", NAT64_A_CFG_TCP_TRANS_TIMEOUT, 0 },
	{ "icmp-timeout", "icmp_timeout", NAT64_A_CFG_ICMP_TIMEOUT, 0 },
	{ "max-sessions", "max_sessions", NAT64_A_CFG_MAX_SESSIONS, 0 },
	/* read only */
	{ "sessions", "sessions", NAT64_A_SESSIONS, 0 },
	{ "bibs", "bibs", NAT64_A_BIBS, 0 },
};
#define NR_CFG_SETTABLE 5

static int config_row(struct nlattr **tb, void *arg)
{
	struct out *o = arg;
	uint32_t v;
	size_t i;
	char s[12];

	for (i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
		if (!tb[cfg_keys[i].attr])
			continue;
		v = nla_get_u32(tb[cfg_keys[i].attr]);
		if (o->json) {
			jw_uint(o, cfg_keys[i].json, v);
		} else {
			snprintf(s, sizeof(s), "%" PRIu32, v);
			tbl_row(o, cfg_keys[i].name, s);
		}
	}
	return NL_OK;
}

static int do_config(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = { "KEY", "VALUE", NULL };
	unsigned long val[NR_CFG_SETTABLE];
	bool set[NR_CFG_SETTABLE] = { 0 };
	struct nl_msg *msg;
	int i, k;

	if (cmd == NAT64_CMD_CONFIG_GET) {
		no_more_args(argc, argv);
		return show(cmd, false, NULL, config_row, hdr, '{');
	}
	if (argc < 1)
		usage_err("missing KEY VALUE");
	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < NR_CFG_SETTABLE; k++)
			if (!strcmp(argv[i], cfg_keys[k].name))
				break;
		if (k == NR_CFG_SETTABLE)
			usage_err("unknown key \"%s\"", argv[i]);
		if (i + 1 == argc)
			usage_err("missing value for %s", argv[i]);
		if (!parse_uint(argv[i + 1], UINT32_MAX, &val[k]))
			usage_err("invalid value \"%s\" for %s", argv[i + 1], argv[i]);
		set[k] = true;
	}
	msg = nl_req(cmd, false);
	for (k = 0; k < NR_CFG_SETTABLE; k++)
		if (set[k])
			put_u32(msg, cfg_keys[k].attr, val[k]);
	if (nl_run(msg, NULL, NULL))
		return 1;
	for (k = 0; k < NR_CFG_SETTABLE; k++)
		if (set[k] && val[k] < cfg_keys[k].rfc_min)
			fprintf(stderr, "nat64ctl: warning: %s %lu is below the RFC 6146 minimum of %lu seconds\n",
				cfg_keys[k].name, val[k], cfg_keys[k].rfc_min);
	return 0;
}

/* Command line */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, int cmd);
	int cmd;
};

struct object {
	const char *name;
	const char *usage;
	const struct command *cmds;
};

static const struct command prefix_cmds[] = {
	{ "show", do_prefix, NAT64_CMD_PREFIX_GET },
	{ "add", do_prefix, NAT64_CMD_PREFIX_ADD },
	{ "del", do_prefix, NAT64_CMD_PREFIX_DEL },
	{ }
};

static const struct command pool4_cmds[] = {
	{ "show", do_pool4, NAT64_CMD_POOL4_GET },
	{ "add", do_pool4, NAT64_CMD_POOL4_ADD },
	{ "del", do_pool4, NAT64_CMD_POOL4_DEL },
	{ "flush", do_pool4, NAT64_CMD_POOL4_FLUSH },
	{ }
};

static const struct command bib_cmds[] = {
	{ "show", do_bib, NAT64_CMD_BIB_GET },
	{ "add", do_bib, NAT64_CMD_BIB_ADD },
	{ "del", do_bib, NAT64_CMD_BIB_DEL },
	{ }
};

static const struct command session_cmds[] = {
	{ "show", do_session, NAT64_CMD_SESSION_GET },
	{ "flush", do_session, NAT64_CMD_SESSION_FLUSH },
	{ }
};

static const struct command stats_cmds[] = {
	{ "show", do_stats, NAT64_CMD_STATS_GET },
	{ }
};

static const struct command config_cmds[] = {
	{ "show", do_config, NAT64_CMD_CONFIG_GET },
	{ "set", do_config, NAT64_CMD_CONFIG_SET },
	{ }
};

static const struct object objects[] = {
	{ "prefix", prefix_usage, prefix_cmds },
	{ "pool4", pool4_usage, pool4_cmds },
	{ "bib", bib_usage, bib_cmds },
	{ "session", session_usage, session_cmds },
	{ "stats", stats_usage, stats_cmds },
	{ "config", config_usage, config_cmds },
	{ "help", NULL, NULL },
	{ }
};

/*
 * Find arg in a table of structs starting with a name, ending with a NULL
 * name: an exact match, or else an unambiguous prefix. NULL if none.
 */
static const void *lookup(const char *arg, const void *tbl, size_t size,
			  const char *what)
{
	const void *found = NULL;
	const char *name;
	size_t n = strlen(arg);

	for (; (name = *(const char *const *)tbl); tbl = (const char *)tbl + size) {
		if (!strcmp(arg, name))
			return tbl;
		if (n && !strncmp(arg, name, n)) {
			if (found)
				usage_err("ambiguous %s \"%s\"", what, arg);
			found = tbl;
		}
	}
	if (!found)
		usage_err("unknown %s \"%s\"", what, arg);
	return found;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	const struct command *cmd;
	const struct object *obj;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jn:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			if (!*optarg)
				usage_err("empty network namespace name");
			nl_netns = optarg;
			break;
		case 'h':
			print_usage(stdout, NULL, true);
			return 0;
		case 'V':
			printf("nat64ctl %s (nat64 generic netlink version %d)\n",
			       NAT64CTL_VERSION, NAT64_GENL_VERSION);
			return 0;
		case ':':
			usage_err("option \"%s\" needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				usage_err("unknown option \"-%c\"", optopt);
			usage_err("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage_err("missing OBJECT");

	obj = lookup(argv[0], objects, sizeof(*obj), "object");
	if (!obj->cmds) {
		print_usage(stdout, NULL, true);
		return 0;
	}
	cur_usage = obj->usage;
	if (argc > 1 && !strcmp(argv[1], "help")) {
		print_usage(stdout, obj->usage, false);
		return 0;
	}
	cmd = lookup(argc > 1 ? argv[1] : "show", obj->cmds, sizeof(*cmd),
		     "command");
	c = argc > 2 ? 2 : argc;
	ret = cmd->fn(argc - c, argv + c, cmd->cmd);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "nat64ctl: write error: %s\n", strerror(errno));
		return 1;
	}
	return ret;
}
