// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl: generic netlink plumbing.
 *
 * The socket is opened (in the network namespace given with -n) on the first
 * nl_run(), after the command line (or the whole -f file) has been parsed;
 * requests then go one at a time, each waiting for its ACK or end of dump.
 * Kernel errors are reported as "nat64ctl: <extack message>", or strerror()
 * of the error when the kernel sent no message. nl_listen() receives the
 * multicast messages of a group instead (monitor).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

const char *nl_netns;
const char *nl_errctx = "";
static struct nl_sock *sk;
static int family;

/* State of one request: reply callback and how it ended. */
struct xfer {
	row_cb_t row;
	void *arg;
	bool done;
	int err;		/* positive errno reported by the kernel */
	char msg[256];		/* its extack message, if any */
};

static const struct nla_policy policy[NAT64_A_MAX + 1] = {
	[NAT64_A_PREFIX6]		= { .minlen = 16 },
	[NAT64_A_PREFIX6_LEN]		= { .type = NLA_U8 },
	[NAT64_A_ADDR4]			= { .type = NLA_U32 },
	[NAT64_A_ADDR4_LEN]		= { .type = NLA_U8 },
	[NAT64_A_PROTO]			= { .type = NLA_U8 },
	[NAT64_A_PROTOS]		= { .type = NLA_U8 },
	[NAT64_A_PORT_MIN]		= { .type = NLA_U16 },
	[NAT64_A_PORT_MAX]		= { .type = NLA_U16 },
	[NAT64_A_ADDR6]			= { .minlen = 16 },
	[NAT64_A_PORT6]			= { .type = NLA_U16 },
	[NAT64_A_PORT4]			= { .type = NLA_U16 },
	[NAT64_A_REMOTE6]		= { .minlen = 16 },
	[NAT64_A_REMOTE4]		= { .type = NLA_U32 },
	[NAT64_A_REMOTE_PORT]		= { .type = NLA_U16 },
	[NAT64_A_TCP_STATE]		= { .type = NLA_U8 },
	[NAT64_A_EXPIRES_MS]		= { .type = NLA_U64 },
	[NAT64_A_STATIC]		= { .type = NLA_FLAG },
	[NAT64_A_UNPAIRED]		= { .type = NLA_FLAG },
	[NAT64_A_SESSIONS]		= { .type = NLA_U32 },
	[NAT64_A_BIBS]			= { .type = NLA_U32 },
	[NAT64_A_STAT_NAME]		= { .type = NLA_STRING },
	[NAT64_A_STAT_DESC]		= { .type = NLA_STRING },
	[NAT64_A_STAT_VALUE]		= { .type = NLA_U64 },
	[NAT64_A_CFG_UDP_TIMEOUT]	= { .type = NLA_U32 },
	[NAT64_A_CFG_TCP_EST_TIMEOUT]	= { .type = NLA_U32 },
	[NAT64_A_CFG_TCP_TRANS_TIMEOUT]	= { .type = NLA_U32 },
	[NAT64_A_CFG_ICMP_TIMEOUT]	= { .type = NLA_U32 },
	[NAT64_A_CFG_MAX_SESSIONS]	= { .type = NLA_U32 },
	[NAT64_A_EVENT]			= { .type = NLA_U8 },
	[NAT64_A_REASON]		= { .type = NLA_U8 },
	[NAT64_A_TIME_MS]		= { .type = NLA_U64 },
	[NAT64_A_CFG_WKP_GLOBAL_ONLY]	= { .type = NLA_U8 },
	[NAT64_A_CFG_DROP_EXTERNAL_TCP]	= { .type = NLA_U8 },
	[NAT64_A_CFG_ADF]		= { .type = NLA_U8 },
	[NAT64_A_CFG_MAX_STORED_SYNS]	= { .type = NLA_U32 },
	[NAT64_A_CFG_MAX_SESS_PER_SUB]	= { .type = NLA_U32 },
	[NAT64_A_CFG_SUB_PREFIX_LEN]	= { .type = NLA_U8 },
	[NAT64_A_CFG_LOWEST_IPV6_MTU]	= { .type = NLA_U32 },
};

/*
 * New request. The family id is not known before the socket is open, it is
 * filled in by nl_run(). Dumps get NLM_F_DUMP, the others NLM_F_ACK.
 */
struct nl_msg *nl_req(uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0,
				 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
				 NAT64_GENL_VERSION))
		oom();
	return msg;
}

void put(struct nl_msg *msg, int type, size_t len, const void *data)
{
	if (nla_put(msg, type, len, data) < 0)
		oom();
}

void put_u8(struct nl_msg *msg, int type, uint8_t v)
{
	put(msg, type, sizeof(v), &v);
}

void put_u16(struct nl_msg *msg, int type, uint16_t v)
{
	put(msg, type, sizeof(v), &v);
}

void put_u32(struct nl_msg *msg, int type, uint32_t v)
{
	put(msg, type, sizeof(v), &v);
}

/* Like ip -n: NETNS is a name under /var/run/netns (or /run/netns). */
static int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd = -1;

	if (strchr(name, '/')) {
		fd = open(name, O_RDONLY | O_CLOEXEC);
	} else if (snprintf(path, sizeof(path), "/var/run/netns/%s", name) >=
		   (int)sizeof(path)) {
		errno = ENAMETOOLONG;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			snprintf(path, sizeof(path), "/run/netns/%s", name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd < 0) {
		fprintf(stderr, "nat64ctl: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nat64ctl: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int nl_open(void)
{
	int one = 1, err;

	if (nl_netns && netns_enter(nl_netns))
		return -1;
	sk = nl_socket_alloc();
	if (!sk)
		oom();
	err = genl_connect(sk);
	if (err < 0) {
		fprintf(stderr, "nat64ctl: cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		return -1;
	}
	family = genl_ctrl_resolve(sk, NAT64_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		fputs("nat64ctl: the nat64 module is not loaded (modprobe nat64)\n",
		      stderr);
		return -1;
	}
	if (family < 0) {
		fprintf(stderr, "nat64ctl: cannot resolve generic netlink family %s: %s\n",
			NAT64_GENL_NAME, nl_geterror(family));
		return -1;
	}
	/* After genl_ctrl_resolve(), which waits for its own ACK. */
	nl_socket_disable_auto_ack(sk);
	/* libnl 3.7 has no nl_socket_set_ext_ack(); best effort (Linux 4.12+) */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	return 0;
}

/*
 * The NLMSGERR_ATTR_* TLVs of an NLMSG_ERROR or NLMSG_DONE message into tb;
 * off is where they start, counted from the start of the payload.
 */
static bool err_tlvs(struct nlmsghdr *nlh, size_t off, struct nlattr **tb)
{
	return (nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len >= NLMSG_HDRLEN + off &&
	       nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)NLMSG_DATA(nlh) + off),
			 nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL) >= 0;
}

/* Copy the NLMSGERR_ATTR_MSG of tb (parsed by err_tlvs, or NULL) into buf. */
static void extack(struct nlattr **tb, char *buf, size_t size)
{
	struct nlattr *a = tb ? tb[NLMSGERR_ATTR_MSG] : NULL;

	buf[0] = '\0';
	if (a)
		snprintf(buf, size, "%.*s", (int)strnlen(nla_data(a), nla_len(a)),
			 (char *)nla_data(a));
}

/* TLVs follow struct nlmsgerr, and the echoed request unless capped. */
static size_t err_tlv_off(const struct nlmsghdr *nlh, const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	return off;
}

/*
 * A value the policy refuses: the kernel points at the attribute (its offset
 * in the request, which the error echoes) and gives its range. Append
 * " (KEY: MIN-MAX)" to the message.
 */
static void range_hint(struct nlattr **tb, const struct nlmsgerr *e, char *buf, size_t size)
{
	struct nlattr *pol[NL_POLICY_TYPE_ATTR_MAX + 1];
	size_t used = strlen(buf);
	const struct nlattr *bad;
	const char *key;
	uint32_t at;

	/* the echoed request is whole: err_tlvs found the TLVs after it */
	if (!used || !tb[NLMSGERR_ATTR_OFFS] || !tb[NLMSGERR_ATTR_POLICY] ||
	    nla_len(tb[NLMSGERR_ATTR_OFFS]) != sizeof(at))
		return;
	at = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	/* within the echoed request (err_tlv_off counted it whole) */
	if (at < NLMSG_HDRLEN + GENL_HDRLEN || e->msg.nlmsg_len < NLA_HDRLEN ||
	    at > e->msg.nlmsg_len - NLA_HDRLEN)
		return;
	bad = (const struct nlattr *)((const char *)&e->msg + at);
	key = attr_key(bad->nla_type & NLA_TYPE_MASK);
	if (!key || nla_parse_nested(pol, NL_POLICY_TYPE_ATTR_MAX,
				     tb[NLMSGERR_ATTR_POLICY], NULL) < 0 ||
	    !pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] || !pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
		return;
	snprintf(buf + used, size - used, " (%s: %llu-%llu)", key,
		 (unsigned long long)nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
		 (unsigned long long)nla_get_u64(pol[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload; the header is right before it */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct xfer *x = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	bool tlvs = err_tlvs(nlh, err_tlv_off(nlh, e), tb);

	(void)nla;
	x->err = e->error < 0 ? -e->error : e->error;
	extack(tlvs ? tb : NULL, x->msg, sizeof(x->msg));
	if (tlvs && !(nlh->nlmsg_flags & NLM_F_CAPPED))
		range_hint(tb, e, x->msg, sizeof(x->msg));
	x->done = true;
	return NL_STOP;
}

/* A successful ACK may still carry a message: print it as a warning. */
static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct xfer *x = arg;
	char warn[256];

	extack(err_tlvs(nlh, err_tlv_off(nlh, nlmsg_data(nlh)), tb) ? tb : NULL, warn,
	       sizeof(warn));
	if (warn[0])
		fprintf(stderr, "nat64ctl: %swarning: %s\n", nl_errctx, warn);
	x->done = true;
	return NL_STOP;
}

/* End of a dump: the payload is an int, negative when the dump failed. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct xfer *x = arg;
	int e;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(e))) {
		memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
		if (e < 0) {
			x->err = -e;
			extack(err_tlvs(nlh, NLMSG_ALIGN(sizeof(e)), tb) ? tb : NULL, x->msg,
			       sizeof(x->msg));
		}
	}
	x->done = true;
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NAT64_A_MAX + 1];
	struct xfer *x = arg;
	int ret;

	if (!x->row)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NAT64_A_MAX, policy) < 0) {
		fputs("nat64ctl: warning: ignoring a malformed message\n", stderr);
		return NL_SKIP;
	}
	ret = x->row(tb, x->arg);
	if (ret == NL_STOP)
		x->done = true;
	return ret;
}

/*
 * Send msg (consumed), call row for each reply message, and wait for the
 * ACK or the end of the dump. Returns 0, or -1 once the error is printed.
 */
int nl_run(struct nl_msg *msg, row_cb_t row, void *arg)
{
	struct xfer x = { .row = row, .arg = arg };
	struct nl_cb *cb;
	int err;

	if (!sk && nl_open()) {
		nlmsg_free(msg);
		return -1;
	}
	nlmsg_hdr(msg)->nlmsg_type = family;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		oom();
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &x);

	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !x.done) {
		err = nl_recvmsgs(sk, cb);
		if (err == -NLE_DUMP_INTR) {
			fputs("nat64ctl: warning: the dump was interrupted by a change and may be inconsistent\n",
			      stderr);
			err = 0;
		}
	}
	nl_cb_put(cb);

	if (x.err) {
		fprintf(stderr, "nat64ctl: %s%s\n", nl_errctx,
			x.msg[0] ? x.msg : strerror(x.err));
		return -1;
	}
	if (err < 0) {
		fprintf(stderr, "nat64ctl: %snetlink: %s\n", nl_errctx, nl_geterror(err));
		return -1;
	}
	return 0;
}

/*
 * Join the multicast group of the family and call row for each message
 * until it returns NL_STOP. Returns 0 then, or -1 once an error is printed.
 * Joining may need CAP_NET_ADMIN: the error is the kernel's.
 */
int nl_listen(const char *group, row_cb_t row, void *arg)
{
	struct xfer x = { .row = row, .arg = arg };
	struct nl_cb *cb;
	int grp, err = 0;

	if (!sk && nl_open())
		return -1;
	grp = genl_ctrl_resolve_grp(sk, NAT64_GENL_NAME, group);
	if (grp < 0) {
		fprintf(stderr, "nat64ctl: the nat64 module has no \"%s\" group (an older module?): %s\n",
			group, nl_geterror(grp));
		return -1;
	}
	/* setsockopt() rather than nl_socket_add_membership(): keeps errno */
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &grp, sizeof(grp))) {
		fprintf(stderr, "nat64ctl: cannot join the nat64 \"%s\" group: %s\n",
			group, strerror(errno));
		return -1;
	}
	/* multicast messages carry sequence number 0 */
	nl_socket_disable_seq_check(sk);
	/* bursts (a flush removes every session at once); capped by rmem_max */
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		oom();
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &x);
	while (!x.done) {
		err = nl_recvmsgs(sk, cb);
		if (err == -NLE_NOMEM) {	/* ENOBUFS: the socket overflowed */
			fputs("nat64ctl: warning: events were lost (receive buffer full)\n",
			      stderr);
			err = 0;
		} else if (err < 0) {
			break;
		}
	}
	nl_cb_put(cb);
	if (err < 0) {
		fprintf(stderr, "nat64ctl: netlink: %s\n", nl_geterror(err));
		return -1;
	}
	return 0;
}
