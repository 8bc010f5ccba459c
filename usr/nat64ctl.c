// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl - configuration tool of the nat64 stateful NAT64 module.
 *
 *	nat64ctl [-j] [-n NETNS] OBJECT [COMMAND [ARGS]]
 *	nat64ctl [-n NETNS] -f FILE
 *
 * The command line is checked for syntax only (exit status 2 on errors);
 * everything else is left to the kernel, whose extended ACK message is
 * printed (exit status 1). Commands that change the configuration go
 * through submit() (conf.c), so that -f can parse a whole file first.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

bool json;
unsigned long count;
const char *conf_file;
unsigned int conf_line;

static const char prefix_usage[] =
	"prefix { add | del } PREFIX/LEN\n"
	"prefix show\n";
static const char pool4_usage[] =
	"pool4 add ADDR[/LEN] [tcp] [udp] [icmp] [ports MIN-MAX] [force]\n"
	"pool4 del ADDR[/LEN] [tcp] [udp] [icmp] [ports MIN-MAX]\n"
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
static const char monitor_usage[] =
	"monitor [-c COUNT]\n";
static const char save_usage[] =
	"save\n"
	"-f FILE\n";
static const char dns64_usage[] =
	"dns64 { unbound | bind }\n";

static const char *const all_usage[] = {
	"OBJECT [COMMAND [ARGS]]\n", prefix_usage, pool4_usage, bib_usage,
	session_usage, stats_usage, config_usage, monitor_usage, save_usage,
	dns64_usage, NULL
};

static const char where_usage[] =
	"where  OBJECT := { prefix | pool4 | bib | session | stats | config |\n"
	"                   monitor | save | dns64 | help }\n"
	"       PROTO := { tcp | udp | icmp }\n"
	"       KEY := { udp-timeout | tcp-est-timeout | tcp-trans-timeout |\n"
	"                icmp-timeout | max-sessions | wkp-global-only |\n"
	"                drop-external-tcp | address-dependent-filtering |\n"
	"                max-stored-syns | max-sessions-per-subscriber |\n"
	"                subscriber-prefix-len | lowest-ipv6-mtu }\n"
	"       on and off stand for 1 and 0.\n"
	"       OPTIONS := { -j | --json | -n NETNS | --netns NETNS |\n"
	"                    -h | --help | -V | --version }\n"
	"COMMAND defaults to show. pool4 add/del without a protocol means all three.\n"
	"-f FILE (- for stdin) applies lines in this grammar, as printed by save,\n"
	"all or nothing; \"flush\" there removes every prefix, pool4 entry, binding\n"
	"and session (the settings stay).\n";

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
	if (!usage)	/* the OBJECT lines */
		fprintf(f, "%.*s", (int)(strstr(where_usage, "       PROTO") - where_usage),
			where_usage);
	fputs("Run 'nat64ctl help' for the full usage.\n", f);
}

static const char *cur_usage;

void usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("nat64ctl: ", stderr);
	if (conf_file)
		fprintf(stderr, "%s:%u: ", conf_file, conf_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!conf_file)
		print_usage(stderr, cur_usage, false);
	exit(2);
}

void no_more_args(int argc, char **argv)
{
	if (argc > 0)
		usage_err("unexpected argument \"%s\"", argv[0]);
}

/* Reply helpers */

bool need(struct nlattr **tb, ...)
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

const char *ntop6(const struct nlattr *a, char *buf)
{
	return inet_ntop(AF_INET6, nla_data(a), buf, INET6_ADDRSTRLEN);
}

const char *ntop4(const struct nlattr *a, char *buf)
{
	uint32_t v = nla_get_u32((struct nlattr *)a);	/* __be32, kept as is */

	return inet_ntop(AF_INET, &v, buf, INET_ADDRSTRLEN);
}

int show(uint8_t cmd, bool dump, struct nl_msg *msg, row_cb_t row,
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
	return submit(msg, NULL);
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
	bool has_len, has_ports = false, force = false;
	uint16_t min = 0, max = 0;
	struct nl_msg *msg;
	uint8_t flags = 0;
	unsigned long len;
	struct in_addr a;
	int i;

	if (cmd == NAT64_CMD_POOL4_GET || cmd == NAT64_CMD_POOL4_FLUSH) {
		no_more_args(argc, argv);
		if (cmd == NAT64_CMD_POOL4_FLUSH)
			return submit(nl_req(cmd, false), NULL);
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
		} else if (!strcmp(argv[i], "force") && cmd == NAT64_CMD_POOL4_ADD) {
			force = true;
		} else {
			usage_err("unexpected argument \"%s\"", argv[i]);
		}
	}
	msg = nl_req(cmd, false);
	put(msg, NAT64_A_ADDR4, sizeof(a.s_addr), &a.s_addr);
	if (has_len)
		put_u8(msg, NAT64_A_ADDR4_LEN, len);
	put_u8(msg, NAT64_A_PROTOS, flags ? flags : NAT64_PROTO_F_ALL);
	if (has_ports) {
		put_u16(msg, NAT64_A_PORT_MIN, min);
		put_u16(msg, NAT64_A_PORT_MAX, max);
	}
	if (force)
		if (nla_put_flag(msg, NAT64_A_FORCE) < 0)
			oom();
	return submit(msg, NULL);
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

const struct cfg_key cfg_keys[] = {
	{ "udp-timeout", "udp_timeout", NAT64_A_CFG_UDP_TIMEOUT, 4, 120 },
	{ "tcp-est-timeout", "tcp_est_timeout", NAT64_A_CFG_TCP_EST_TIMEOUT, 4, 7440 },
	{ "tcp-trans-timeout", "tcp_trans_timeout", NAT64_A_CFG_TCP_TRANS_TIMEOUT, 4, 240 },
	{ "icmp-timeout", "icmp_timeout", NAT64_A_CFG_ICMP_TIMEOUT, 4, 0 },
	{ "max-sessions", "max_sessions", NAT64_A_CFG_MAX_SESSIONS, 4, 0 },
	{ "wkp-global-only", "wkp_global_only", NAT64_A_CFG_WKP_GLOBAL_ONLY, 1, 0 },
	{ "drop-external-tcp", "drop_external_tcp", NAT64_A_CFG_DROP_EXTERNAL_TCP, 1, 0 },
	{ "address-dependent-filtering", "address_dependent_filtering", NAT64_A_CFG_ADF, 1, 0 },
	{ "max-stored-syns", "max_stored_syns", NAT64_A_CFG_MAX_STORED_SYNS, 4, 0 },
	{ "max-sessions-per-subscriber", "max_sessions_per_subscriber",
	  NAT64_A_CFG_MAX_SESS_PER_SUB, 4, 0 },
	{ "subscriber-prefix-len", "subscriber_prefix_len", NAT64_A_CFG_SUB_PREFIX_LEN, 1, 0 },
	{ "lowest-ipv6-mtu", "lowest_ipv6_mtu", NAT64_A_CFG_LOWEST_IPV6_MTU, 4, 0 },
	/* read only */
	{ "sessions", "sessions", NAT64_A_SESSIONS, 4, 0 },
	{ "bibs", "bibs", NAT64_A_BIBS, 4, 0 },
	{ }
};

/* What the user calls attribute @type of a request, for error messages. */
const char *attr_key(int type)
{
	int k;

	if (type == NAT64_A_PREFIX6_LEN)
		return "prefix length";
	if (type == NAT64_A_ADDR4_LEN)
		return "pool4 length";
	for (k = 0; k < NR_CFG_SETTABLE; k++)
		if (cfg_keys[k].attr == type)
			return cfg_keys[k].name;
	return NULL;
}

/* The value of a setting in a reply (u32 or u8), and in a request. */
uint32_t cfg_get(const struct cfg_key *k, struct nlattr *a)
{
	return k->size == 1 ? nla_get_u8(a) : nla_get_u32(a);
}

void cfg_put(struct nl_msg *msg, const struct cfg_key *k, uint32_t v)
{
	if (k->size == 1)
		put_u8(msg, k->attr, v);
	else
		put_u32(msg, k->attr, v);
}

static int config_row(struct nlattr **tb, void *arg)
{
	struct out *o = arg;
	uint32_t v;
	size_t i;
	char s[12];

	for (i = 0; cfg_keys[i].name; i++) {
		if (!tb[cfg_keys[i].attr])
			continue;
		v = cfg_get(&cfg_keys[i], tb[cfg_keys[i].attr]);
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
	char *warn = NULL, *w;
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
		if (cfg_keys[k].size == 1 && !strcmp(argv[i + 1], "on"))
			val[k] = 1;
		else if (cfg_keys[k].size == 1 && !strcmp(argv[i + 1], "off"))
			val[k] = 0;
		else if (!parse_uint(argv[i + 1],
				     cfg_keys[k].size == 1 ? UINT8_MAX : UINT32_MAX, &val[k]))
			usage_err("invalid value \"%s\" for %s", argv[i + 1], argv[i]);
		set[k] = true;
	}
	msg = nl_req(cmd, false);
	for (k = 0; k < NR_CFG_SETTABLE; k++) {
		if (!set[k])
			continue;
		cfg_put(msg, &cfg_keys[k], val[k]);
		if (val[k] >= cfg_keys[k].rfc_min)
			continue;
		if (asprintf(&w, "%s%s%s %lu is below the minimum of RFC 6146 and RFC 5382, %lu seconds",
			     warn ? warn : "", warn ? "\n" : "", cfg_keys[k].name,
			     val[k], cfg_keys[k].rfc_min) < 0)
			oom();
		free(warn);
		warn = w;
	}
	return submit(msg, warn);
}

/* Command line */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, int cmd);
	int cmd;
	bool conf;		/* changes the configuration: allowed in -f */
};

struct object {
	const char *name;
	const char *usage;
	const struct command *cmds;
	int (*fn)(int argc, char **argv);	/* an object without commands */
};

static const struct command prefix_cmds[] = {
	{ "show", do_prefix, NAT64_CMD_PREFIX_GET, false },
	{ "add", do_prefix, NAT64_CMD_PREFIX_ADD, true },
	{ "del", do_prefix, NAT64_CMD_PREFIX_DEL, true },
	{ }
};

static const struct command pool4_cmds[] = {
	{ "show", do_pool4, NAT64_CMD_POOL4_GET, false },
	{ "add", do_pool4, NAT64_CMD_POOL4_ADD, true },
	{ "del", do_pool4, NAT64_CMD_POOL4_DEL, true },
	{ "flush", do_pool4, NAT64_CMD_POOL4_FLUSH, true },
	{ }
};

static const struct command bib_cmds[] = {
	{ "show", do_bib, NAT64_CMD_BIB_GET, false },
	{ "add", do_bib, NAT64_CMD_BIB_ADD, true },
	{ "del", do_bib, NAT64_CMD_BIB_DEL, true },
	{ }
};

static const struct command session_cmds[] = {
	{ "show", do_session, NAT64_CMD_SESSION_GET, false },
	{ "flush", do_session, NAT64_CMD_SESSION_FLUSH, true },
	{ }
};

static const struct command stats_cmds[] = {
	{ "show", do_stats, NAT64_CMD_STATS_GET, false },
	{ }
};

static const struct command config_cmds[] = {
	{ "show", do_config, NAT64_CMD_CONFIG_GET, false },
	{ "set", do_config, NAT64_CMD_CONFIG_SET, true },
	{ }
};

static const struct object objects[] = {
	{ "prefix", prefix_usage, prefix_cmds, NULL },
	{ "pool4", pool4_usage, pool4_cmds, NULL },
	{ "bib", bib_usage, bib_cmds, NULL },
	{ "session", session_usage, session_cmds, NULL },
	{ "stats", stats_usage, stats_cmds, NULL },
	{ "config", config_usage, config_cmds, NULL },
	{ "monitor", monitor_usage, NULL, do_monitor },
	{ "save", save_usage, NULL, do_save },
	{ "dns64", dns64_usage, NULL, do_dns64 },
	{ "help", NULL, NULL, NULL },
	{ }
};

/*
 * Find arg in a table of structs starting with a name, ending with a NULL
 * name: an exact match, or else an unambiguous prefix. Usage error if none.
 */
const void *lookup(const char *arg, const void *tbl, size_t size, const char *what)
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

/*
 * Run OBJECT [COMMAND [ARGS]]. With conf_only (a line of -f), only commands
 * that change the configuration are accepted.
 */
int dispatch(int argc, char **argv, bool conf_only)
{
	const struct command *cmd;
	const struct object *obj;
	int c;

	obj = lookup(argv[0], objects, sizeof(*obj), "object");
	if (conf_only && !obj->cmds)
		usage_err("\"%s\" is not a configuration command", obj->name);
	if (!obj->cmds && !obj->fn) {
		print_usage(stdout, NULL, true);
		return 0;
	}
	cur_usage = obj->usage;
	if (argc > 1 && !strcmp(argv[1], "help") && !conf_only) {
		print_usage(stdout, obj->usage, false);
		return 0;
	}
	if (obj->fn) {
		if (count && obj->fn != do_monitor)
			usage_err("option \"-c\" is for monitor only");
		return obj->fn(argc - 1, argv + 1);
	}
	if (count)
		usage_err("option \"-c\" is for monitor only");
	cmd = lookup(argc > 1 ? argv[1] : "show", obj->cmds, sizeof(*cmd),
		     "command");
	if (conf_only && !cmd->conf)
		usage_err("\"%s %s\" is not a configuration command", obj->name,
			  cmd->name);
	c = argc > 2 ? 2 : argc;
	return cmd->fn(argc - c, argv + c, cmd->cmd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "netns", required_argument, NULL, 'n' },
		{ "file", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	const char *file = NULL;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jn:f:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			if (!*optarg)
				usage_err("empty network namespace name");
			nl_netns = optarg;
			break;
		case 'f':
			if (!*optarg)
				usage_err("empty file name");
			file = optarg;
			break;
		case 'c':
			if (!parse_uint(optarg, ULONG_MAX, &count) || !count)
				usage_err("invalid count \"%s\" (expected a number above 0)",
					  optarg);
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
	if (file) {
		if (argc > 0)
			usage_err("unexpected argument \"%s\" after -f FILE", argv[0]);
		if (count)
			usage_err("option \"-c\" is for monitor only");
		ret = conf_apply(file);
	} else {
		if (argc < 1)
			usage_err("missing OBJECT");
		ret = dispatch(argc, argv, false);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "nat64ctl: write error: %s\n", strerror(errno));
		return 1;
	}
	return ret;
}
