// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl monitor: the binding and session events of the "events" group,
 * one line each, flushed as they come:
 *
 *	TIME bib { add | del } PROTO [IPV6]:PORT IPV4:PORT[ static][ reason R]
 *	TIME session { add | del } PROTO [IPV6 HOST]:PORT [IPV6 REMOTE]:PORT
 *		IPV4MAPPING:PORT IPV4REMOTE:PORT[ reason R]
 *
 * TIME is the kernel's wall clock in UTC (ISO 8601, milliseconds). With -j,
 * one JSON object per line: "time", "time_ms", "event", "reason" (null for
 * additions) and the members of bib show -j or session show -j.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

static const char *const events[] = {
	[NAT64_EV_BIB_ADD]	= "bib-add",
	[NAT64_EV_BIB_DEL]	= "bib-del",
	[NAT64_EV_SESSION_ADD]	= "session-add",
	[NAT64_EV_SESSION_DEL]	= "session-del",
};

static const char *const reasons[] = {
	[NAT64_RSN_NONE]		= NULL,
	[NAT64_RSN_EXPIRED]		= "expired",
	[NAT64_RSN_FLUSHED]		= "flushed",
	[NAT64_RSN_CONFIG]		= "config",
	[NAT64_RSN_LAST_SESSION]	= "last-session",
};

struct mon {
	unsigned long seen;
};

/* 2026-11-26T18:40:01.123Z */
static void iso_time(uint64_t ms, char *buf, size_t size)
{
	time_t t = ms / 1000;
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm) || !(n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, size, "%" PRIu64, ms);
		return;
	}
	snprintf(buf + n, size - n, ".%03uZ", (unsigned int)(ms % 1000));
}

static int event_row(struct nlattr **tb, void *arg)
{
	char when[40], what[2 * INET6_ADDRSTRLEN + 2 * INET_ADDRSTRLEN + 64];
	char rbuf[12], *word;
	const char *ev, *reason = NULL;
	unsigned int e, r = 0;
	struct mon *m = arg;
	struct out o;
	bool session, ok;
	uint64_t ms;

	if (!tb[NAT64_A_EVENT] || !tb[NAT64_A_TIME_MS])
		return NL_SKIP;		/* not an event */
	e = nla_get_u8(tb[NAT64_A_EVENT]);
	if (e >= ARRAY_SIZE(events) || !events[e]) {
		fprintf(stderr, "nat64ctl: warning: ignoring unknown event %u\n", e);
		return NL_SKIP;
	}
	ev = events[e];
	session = e == NAT64_EV_SESSION_ADD || e == NAT64_EV_SESSION_DEL;
	if (tb[NAT64_A_REASON])
		r = nla_get_u8(tb[NAT64_A_REASON]);
	if (r < ARRAY_SIZE(reasons)) {
		reason = reasons[r];
	} else {
		snprintf(rbuf, sizeof(rbuf), "%u", r);
		reason = rbuf;
	}
	ms = nla_get_u64(tb[NAT64_A_TIME_MS]);
	iso_time(ms, when, sizeof(when));

	if (json) {
		out_init(&o, true, NULL, '{');
		jw_str(&o, "time", when);
		jw_uint(&o, "time_ms", ms);
		jw_str(&o, "event", ev);
		jw_str(&o, "reason", reason);
		ok = session ? session_fmt(tb, &o, NULL, 0) : bib_fmt(tb, &o, NULL, 0);
		if (!ok) {
			out_free(&o);
			return NL_SKIP;
		}
		out_print(&o, stdout);
	} else {
		ok = session ? session_fmt(tb, NULL, what, sizeof(what)) :
			       bib_fmt(tb, NULL, what, sizeof(what));
		if (!ok)
			return NL_SKIP;
		word = strchr(ev, '-') + 1;	/* "add" or "del" */
		printf("%s %s %s %s%s%s\n", when, session ? "session" : "bib", word, what,
		       reason ? " reason " : "", reason ? reason : "");
	}
	if (fflush(stdout) == EOF)
		return NL_STOP;
	return count && ++m->seen >= count ? NL_STOP : NL_OK;
}

int do_monitor(int argc, char **argv)
{
	struct mon m = { 0 };

	no_more_args(argc, argv);
	return nl_listen(NAT64_MCGRP_EVENTS, event_row, &m) ? 1 : 0;
}
