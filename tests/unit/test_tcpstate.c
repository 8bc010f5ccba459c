// SPDX-License-Identifier: GPL-2.0
/* TCP session states of RFC 6146 section 3.5.2.2 (kmod/tcpstate.c). */
#include <linux/nat64.h>
#include "xlat.h"
#include "harness.h"

#define V6 true
#define V4 false
#define NONE 0
#define SYN NAT64_TCP_SYN
#define FIN NAT64_TCP_FIN
#define RST NAT64_TCP_RST

static const char *const tmo_names[] = { "KEEP", "EST", "TRANS" };

struct tr {
	const char *what;
	u8 state;
	bool from6;
	u8 flags;
	u8 next;
	enum nat64_tmo tmo;
};

static const struct tr table[] = {
	/* CLOSED */
	{ "CLOSED + V6 SYN", NAT64_TCP_CLOSED, V6, SYN, NAT64_TCP_V6_INIT, NAT64_TMO_TRANS },
	{ "CLOSED + V4 SYN", NAT64_TCP_CLOSED, V4, SYN, NAT64_TCP_V4_INIT, NAT64_TMO_TRANS },
	{ "CLOSED + V6 no flags", NAT64_TCP_CLOSED, V6, NONE, NAT64_TCP_CLOSED, NAT64_TMO_KEEP },
	{ "CLOSED + V4 no flags", NAT64_TCP_CLOSED, V4, NONE, NAT64_TCP_CLOSED, NAT64_TMO_KEEP },
	{ "CLOSED + V6 FIN", NAT64_TCP_CLOSED, V6, FIN, NAT64_TCP_CLOSED, NAT64_TMO_KEEP },
	{ "CLOSED + V4 RST", NAT64_TCP_CLOSED, V4, RST, NAT64_TCP_CLOSED, NAT64_TMO_KEEP },
	{ "CLOSED + V6 FIN|RST", NAT64_TCP_CLOSED, V6, FIN | RST, NAT64_TCP_CLOSED,
	  NAT64_TMO_KEEP },
	/* V6 INIT */
	{ "V6_INIT + V4 SYN", NAT64_TCP_V6_INIT, V4, SYN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "V6_INIT + V6 SYN (retransmit)", NAT64_TCP_V6_INIT, V6, SYN, NAT64_TCP_V6_INIT,
	  NAT64_TMO_TRANS },
	{ "V6_INIT + V6 no flags", NAT64_TCP_V6_INIT, V6, NONE, NAT64_TCP_V6_INIT,
	  NAT64_TMO_KEEP },
	{ "V6_INIT + V4 RST", NAT64_TCP_V6_INIT, V4, RST, NAT64_TCP_V6_INIT, NAT64_TMO_KEEP },
	/* V4 INIT */
	{ "V4_INIT + V6 SYN", NAT64_TCP_V4_INIT, V6, SYN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "V4_INIT + V4 SYN (retransmit)", NAT64_TCP_V4_INIT, V4, SYN, NAT64_TCP_V4_INIT,
	  NAT64_TMO_TRANS },
	{ "V4_INIT + V6 no flags", NAT64_TCP_V4_INIT, V6, NONE, NAT64_TCP_V4_INIT,
	  NAT64_TMO_KEEP },
	/* ESTABLISHED */
	{ "ESTABLISHED + V4 FIN", NAT64_TCP_ESTABLISHED, V4, FIN, NAT64_TCP_V4_FIN_RCV,
	  NAT64_TMO_EST },
	{ "ESTABLISHED + V6 FIN", NAT64_TCP_ESTABLISHED, V6, FIN, NAT64_TCP_V6_FIN_RCV,
	  NAT64_TMO_EST },
	{ "ESTABLISHED + V4 RST", NAT64_TCP_ESTABLISHED, V4, RST, NAT64_TCP_TRANS,
	  NAT64_TMO_TRANS },
	{ "ESTABLISHED + V6 RST", NAT64_TCP_ESTABLISHED, V6, RST, NAT64_TCP_TRANS,
	  NAT64_TMO_TRANS },
	{ "ESTABLISHED + V6 FIN|RST", NAT64_TCP_ESTABLISHED, V6, FIN | RST, NAT64_TCP_TRANS,
	  NAT64_TMO_TRANS },
	{ "ESTABLISHED + V6 data", NAT64_TCP_ESTABLISHED, V6, NONE, NAT64_TCP_ESTABLISHED,
	  NAT64_TMO_EST },
	{ "ESTABLISHED + V4 data", NAT64_TCP_ESTABLISHED, V4, NONE, NAT64_TCP_ESTABLISHED,
	  NAT64_TMO_EST },
	/* V4 FIN RCV */
	{ "V4_FIN_RCV + V6 FIN", NAT64_TCP_V4_FIN_RCV, V6, FIN, NAT64_TCP_V4_FIN_V6_FIN_RCV,
	  NAT64_TMO_TRANS },
	{ "V4_FIN_RCV + V4 FIN", NAT64_TCP_V4_FIN_RCV, V4, FIN, NAT64_TCP_V4_FIN_RCV,
	  NAT64_TMO_EST },
	{ "V4_FIN_RCV + V6 data", NAT64_TCP_V4_FIN_RCV, V6, NONE, NAT64_TCP_V4_FIN_RCV,
	  NAT64_TMO_EST },
	{ "V4_FIN_RCV + V4 RST", NAT64_TCP_V4_FIN_RCV, V4, RST, NAT64_TCP_V4_FIN_RCV,
	  NAT64_TMO_EST },
	/* V6 FIN RCV */
	{ "V6_FIN_RCV + V4 FIN", NAT64_TCP_V6_FIN_RCV, V4, FIN, NAT64_TCP_V4_FIN_V6_FIN_RCV,
	  NAT64_TMO_TRANS },
	{ "V6_FIN_RCV + V6 FIN", NAT64_TCP_V6_FIN_RCV, V6, FIN, NAT64_TCP_V6_FIN_RCV,
	  NAT64_TMO_EST },
	{ "V6_FIN_RCV + V4 data", NAT64_TCP_V6_FIN_RCV, V4, NONE, NAT64_TCP_V6_FIN_RCV,
	  NAT64_TMO_EST },
	/* TRANS */
	{ "TRANS + V6 data", NAT64_TCP_TRANS, V6, NONE, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "TRANS + V4 data", NAT64_TCP_TRANS, V4, NONE, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "TRANS + V4 FIN", NAT64_TCP_TRANS, V4, FIN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "TRANS + V6 SYN", NAT64_TCP_TRANS, V6, SYN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
	{ "TRANS + V6 RST", NAT64_TCP_TRANS, V6, RST, NAT64_TCP_TRANS, NAT64_TMO_KEEP },
	{ "TRANS + V4 RST", NAT64_TCP_TRANS, V4, RST, NAT64_TCP_TRANS, NAT64_TMO_KEEP },
	{ "TRANS + V4 FIN|RST", NAT64_TCP_TRANS, V4, FIN | RST, NAT64_TCP_TRANS,
	  NAT64_TMO_KEEP },
	/* out of range states are left alone */
	{ "state 8 (out of range)", 8, V6, SYN, 8, NAT64_TMO_KEEP },
	{ "state 255 (out of range)", 255, V4, FIN, 255, NAT64_TMO_KEEP },
};

static void t_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct tr *t = &table[i];
		enum nat64_tmo tmo = (enum nat64_tmo)77;
		u8 next;

		begin_case("tcp %s -> %s (%s)", t->what, nat64_tcp_state_name(t->next),
			   tmo_names[t->tmo]);
		next = nat64_tcp_next(t->state, t->from6, t->flags, &tmo);
		CHECK(next == t->next, "next state %s (%u), expected %s (%u)",
		      nat64_tcp_state_name(next), next, nat64_tcp_state_name(t->next), t->next);
		CHECK(tmo == t->tmo, "timeout %d, expected %s", (int)tmo, tmo_names[t->tmo]);
		end_case();
	}
}

/*
 * V4_FIN_V6_FIN_RCV: a SYN (without RST) reopens the flow as from CLOSED,
 * transitory lifetime; every other segment, either side: no change, KEEP.
 */
static void t_both_fin(void)
{
	u8 flags;
	int side;

	begin_case("tcp V4_FIN_V6_FIN_RCV + SYN reopens (V6/V4_INIT), any other segment stays");
	for (side = 0; side < 2; side++)
		for (flags = 0; flags < 8; flags++) {
			enum nat64_tmo tmo = NAT64_TMO_EST;
			u8 next = nat64_tcp_next(NAT64_TCP_V4_FIN_V6_FIN_RCV, side, flags, &tmo);
			bool reopen = (flags & NAT64_TCP_SYN) && !(flags & NAT64_TCP_RST);
			u8 want = !reopen ? NAT64_TCP_V4_FIN_V6_FIN_RCV :
				  side ? NAT64_TCP_V6_INIT : NAT64_TCP_V4_INIT;

			CHECK(next == want, "flags %#x from6 %d -> %s", flags, side,
			      nat64_tcp_state_name(next));
			CHECK(tmo == (reopen ? NAT64_TMO_TRANS : NAT64_TMO_KEEP),
			      "flags %#x from6 %d tmo %d", flags, side, tmo);
		}
	end_case();
}

/*
 * nat64_tcp_state_tmo(S) is the lifetime every transition into S gives, so
 * that a lifetime overwritten in a race can be given again from the state.
 */
static void t_state_tmo(void)
{
	u8 st, flags;
	int side;

	begin_case("tcp lifetime of each state = the one every transition into it gives");
	for (st = 0; st < __NAT64_TCP_STATE_MAX; st++)
		for (side = 0; side < 2; side++)
			for (flags = 0; flags < 8; flags++) {
				enum nat64_tmo tmo;
				u8 next = nat64_tcp_next(st, side, flags, &tmo);

				if (next == st || tmo == NAT64_TMO_KEEP)
					continue;
				CHECK(tmo == nat64_tcp_state_tmo(next), "%s -> %s flags %#x: %d, state says %d",
				      nat64_tcp_state_name(st), nat64_tcp_state_name(next), flags, tmo,
				      nat64_tcp_state_tmo(next));
			}
	CHECK(nat64_tcp_state_tmo(NAT64_TCP_ESTABLISHED) == NAT64_TMO_EST, "ESTABLISHED");
	CHECK(nat64_tcp_state_tmo(NAT64_TCP_V4_FIN_V6_FIN_RCV) == NAT64_TMO_TRANS, "FIN both");
	end_case();
}

/* whole connections */
static void t_sequences(void)
{
	struct step {
		bool from6;
		u8 flags;
		u8 state;
		enum nat64_tmo tmo;
	};
	static const struct step open6_close[] = {
		{ V6, SYN, NAT64_TCP_V6_INIT, NAT64_TMO_TRANS },
		{ V4, SYN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },	/* SYN+ACK */
		{ V6, NONE, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
		{ V6, FIN, NAT64_TCP_V6_FIN_RCV, NAT64_TMO_EST },
		{ V4, NONE, NAT64_TCP_V6_FIN_RCV, NAT64_TMO_EST },
		{ V4, FIN, NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TMO_TRANS },
		{ V6, NONE, NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TMO_KEEP },
	};
	static const struct step open4_reset[] = {
		{ V4, SYN, NAT64_TCP_V4_INIT, NAT64_TMO_TRANS },
		{ V6, SYN, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
		{ V4, RST, NAT64_TCP_TRANS, NAT64_TMO_TRANS },
		{ V6, RST, NAT64_TCP_TRANS, NAT64_TMO_KEEP },
		{ V6, NONE, NAT64_TCP_ESTABLISHED, NAT64_TMO_EST },
		{ V4, FIN, NAT64_TCP_V4_FIN_RCV, NAT64_TMO_EST },
		{ V6, FIN, NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_TMO_TRANS },
	};
	const struct {
		const char *name;
		const struct step *s;
		size_t n;
	} seqs[] = {
		{ "IPv6 open, IPv6 close first", open6_close,
		  sizeof(open6_close) / sizeof(open6_close[0]) },
		{ "IPv4 open, reset, revive, IPv4 close first", open4_reset,
		  sizeof(open4_reset) / sizeof(open4_reset[0]) },
	};
	size_t i, j;

	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		u8 st = NAT64_TCP_CLOSED;

		begin_case("tcp sequence: %s", seqs[i].name);
		for (j = 0; j < seqs[i].n; j++) {
			enum nat64_tmo tmo;

			st = nat64_tcp_next(st, seqs[i].s[j].from6, seqs[i].s[j].flags, &tmo);
			CHECK(st == seqs[i].s[j].state, "step %zu: %s, expected %s", j,
			      nat64_tcp_state_name(st),
			      nat64_tcp_state_name(seqs[i].s[j].state));
			CHECK(tmo == seqs[i].s[j].tmo, "step %zu: tmo %d, expected %d", j, tmo,
			      seqs[i].s[j].tmo);
			if (case_failed())
				break;
		}
		end_case();
	}
}

static void t_names(void)
{
	static const char *const names[] = {
		[NAT64_TCP_CLOSED] = "CLOSED",
		[NAT64_TCP_V4_INIT] = "V4_INIT",
		[NAT64_TCP_V6_INIT] = "V6_INIT",
		[NAT64_TCP_ESTABLISHED] = "ESTABLISHED",
		[NAT64_TCP_V4_FIN_RCV] = "V4_FIN_RCV",
		[NAT64_TCP_V6_FIN_RCV] = "V6_FIN_RCV",
		[NAT64_TCP_V4_FIN_V6_FIN_RCV] = "V4_FIN_V6_FIN_RCV",
		[NAT64_TCP_TRANS] = "TRANS",
	};
	unsigned int s;

	begin_case("tcp state names");
	CHECK_EQ(__NAT64_TCP_STATE_MAX, 8);
	for (s = 0; s < 8; s++) {
		const char *n = nat64_tcp_state_name((u8)s);

		CHECK(n && !strcmp(n, names[s]), "state %u named %s, expected %s", s,
		      n ? n : "(null)", names[s]);
	}
	CHECK(!strcmp(nat64_tcp_state_name(8), "?"), "state 8: %s", nat64_tcp_state_name(8));
	CHECK(!strcmp(nat64_tcp_state_name(255), "?"), "state 255: %s",
	      nat64_tcp_state_name(255));
	end_case();
}

int main(void)
{
	t_table();
	t_both_fin();
	t_state_tmo();
	t_sequences();
	t_names();
	return h_finish("test_tcpstate");
}
