// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl: bindings (bib) and sessions. A binding or session message is
 * decoded once, then written as a table row, as JSON members (show, and
 * monitor with -j) or as one line of text (monitor).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

/* bib */

struct bib_v {
	const char *proto;
	char pn[4], a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN];
	unsigned int p6, p4, sessions;
	bool is_static, unpaired;
};

static bool bib_decode(struct nlattr **tb, struct bib_v *v)
{
	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6, NAT64_A_ADDR4,
		  NAT64_A_PORT4, NAT64_A_SESSIONS, 0))
		return false;
	v->proto = proto_name(nla_get_u8(tb[NAT64_A_PROTO]), v->pn);
	ntop6(tb[NAT64_A_ADDR6], v->a6);
	ntop4(tb[NAT64_A_ADDR4], v->a4);
	v->p6 = nla_get_u16(tb[NAT64_A_PORT6]);
	v->p4 = nla_get_u16(tb[NAT64_A_PORT4]);
	v->sessions = nla_get_u32(tb[NAT64_A_SESSIONS]);
	v->is_static = tb[NAT64_A_STATIC];
	v->unpaired = tb[NAT64_A_UNPAIRED];
	return true;
}

static void bib_members(struct out *o, const struct bib_v *v)
{
	jw_str(o, "proto", v->proto);
	jw_str(o, "addr6", v->a6);
	jw_uint(o, "port6", v->p6);
	jw_str(o, "addr4", v->a4);
	jw_uint(o, "port4", v->p4);
	jw_bool(o, "static", v->is_static);
	jw_bool(o, "unpaired", v->unpaired);
	jw_uint(o, "sessions", v->sessions);
}

/*
 * One binding for monitor: with o, its JSON members into the open object;
 * else "PROTO [IPV6]:PORT IPV4:PORT[ static][ unpaired]" into buf.
 */
bool bib_fmt(struct nlattr **tb, struct out *o, char *buf, size_t size)
{
	struct bib_v v;

	if (!bib_decode(tb, &v))
		return false;
	if (o)
		bib_members(o, &v);
	else
		snprintf(buf, size, "%s [%s]:%u %s:%u%s%s", v.proto, v.a6, v.p6, v.a4,
			 v.p4, v.is_static ? " static" : "", v.unpaired ? " unpaired" : "");
	return true;
}

static int bib_row(struct nlattr **tb, void *arg)
{
	char t6[INET6_ADDRSTRLEN + 8], t4[INET_ADDRSTRLEN + 6], s[12];
	struct out *o = arg;
	struct bib_v v;

	if (!bib_decode(tb, &v))
		return NL_SKIP;
	if (o->json) {
		jw_begin(o, NULL, '{');
		bib_members(o, &v);
		jw_end(o);
	} else {
		snprintf(t6, sizeof(t6), "[%s]:%u", v.a6, v.p6);
		snprintf(t4, sizeof(t4), "%s:%u", v.a4, v.p4);
		snprintf(s, sizeof(s), "%u", v.sessions);
		tbl_row(o, v.proto, t6, t4,
			v.is_static ? "static" : v.unpaired ? "unpaired" : "dynamic", s);
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

int do_bib(int argc, char **argv, int cmd)
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
	return submit(msg, NULL);
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

struct session_v {
	const char *proto, *state;	/* state NULL for UDP and ICMP */
	char pn[4], a6[INET6_ADDRSTRLEN], r6[INET6_ADDRSTRLEN];
	char a4[INET_ADDRSTRLEN], r4[INET_ADDRSTRLEN];
	unsigned int p6, p4, rp;
	uint64_t ms;
};

static bool session_decode(struct nlattr **tb, struct session_v *v)
{
	unsigned int st;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6, NAT64_A_REMOTE6,
		  NAT64_A_ADDR4, NAT64_A_PORT4, NAT64_A_REMOTE4,
		  NAT64_A_REMOTE_PORT, NAT64_A_EXPIRES_MS, 0))
		return false;
	v->proto = proto_name(nla_get_u8(tb[NAT64_A_PROTO]), v->pn);
	ntop6(tb[NAT64_A_ADDR6], v->a6);
	ntop6(tb[NAT64_A_REMOTE6], v->r6);
	ntop4(tb[NAT64_A_ADDR4], v->a4);
	ntop4(tb[NAT64_A_REMOTE4], v->r4);
	v->p6 = nla_get_u16(tb[NAT64_A_PORT6]);
	v->p4 = nla_get_u16(tb[NAT64_A_PORT4]);
	v->rp = nla_get_u16(tb[NAT64_A_REMOTE_PORT]);
	v->ms = nla_get_u64(tb[NAT64_A_EXPIRES_MS]);
	v->state = NULL;
	if (tb[NAT64_A_TCP_STATE]) {
		st = nla_get_u8(tb[NAT64_A_TCP_STATE]);
		v->state = st < __NAT64_TCP_STATE_MAX ? tcp_states[st] : "UNKNOWN";
	}
	return true;
}

static void session_members(struct out *o, const struct session_v *v)
{
	jw_str(o, "proto", v->proto);
	jw_str(o, "addr6", v->a6);
	jw_uint(o, "port6", v->p6);
	jw_str(o, "remote6", v->r6);
	jw_str(o, "addr4", v->a4);
	jw_uint(o, "port4", v->p4);
	jw_str(o, "remote4", v->r4);
	jw_uint(o, "remote_port", v->rp);
	jw_str(o, "state", v->state);
	jw_uint(o, "expires_ms", v->ms);
}

/*
 * One session for monitor: with o, its JSON members; else "PROTO
 * [IPV6 HOST]:PORT [IPV6 REMOTE]:PORT IPV4MAPPING:PORT IPV4REMOTE:PORT".
 */
bool session_fmt(struct nlattr **tb, struct out *o, char *buf, size_t size)
{
	struct session_v v;

	if (!session_decode(tb, &v))
		return false;
	if (o)
		session_members(o, &v);
	else
		snprintf(buf, size, "%s [%s]:%u [%s]:%u %s:%u %s:%u", v.proto, v.a6,
			 v.p6, v.r6, v.rp, v.a4, v.p4, v.r4, v.rp);
	return true;
}

static int session_row(struct nlattr **tb, void *arg)
{
	char t[4][INET6_ADDRSTRLEN + 8], e[24];
	struct session_v v;
	struct out *o = arg;

	if (!session_decode(tb, &v))
		return NL_SKIP;
	if (o->json) {
		jw_begin(o, NULL, '{');
		session_members(o, &v);
		jw_end(o);
	} else {
		snprintf(t[0], sizeof(t[0]), "[%s]:%u", v.a6, v.p6);
		snprintf(t[1], sizeof(t[1]), "[%s]:%u", v.r6, v.rp);
		snprintf(t[2], sizeof(t[2]), "%s:%u", v.a4, v.p4);
		snprintf(t[3], sizeof(t[3]), "%s:%u", v.r4, v.rp);
		snprintf(e, sizeof(e), "%" PRIu64, v.ms / 1000 + !!(v.ms % 1000));
		tbl_row(o, v.proto, t[0], t[1], t[2], t[3], v.state ? v.state : "-", e);
	}
	return NL_OK;
}

int do_session(int argc, char **argv, int cmd)
{
	static const char *const hdr[] = {
		"PROTO", "IPV6 HOST", "IPV6 REMOTE", "IPV4 MAPPING",
		"IPV4 REMOTE", "STATE", "EXPIRES", NULL
	};
	struct nl_msg *msg = proto_req(argc, argv, cmd, cmd == NAT64_CMD_SESSION_GET);

	if (cmd == NAT64_CMD_SESSION_GET)
		return show(cmd, true, msg, session_row, hdr, '[');
	return submit(msg, NULL);
}
