// SPDX-License-Identifier: GPL-2.0
/* TCP session states of RFC 6146 section 3.5.2.2 as a pure transition function. */

#include <linux/nat64.h>
#include "xlat.h"

static const char *const nat64_tcp_names[] = {
	[NAT64_TCP_CLOSED] = "CLOSED",
	[NAT64_TCP_V4_INIT] = "V4_INIT",
	[NAT64_TCP_V6_INIT] = "V6_INIT",
	[NAT64_TCP_ESTABLISHED] = "ESTABLISHED",
	[NAT64_TCP_V4_FIN_RCV] = "V4_FIN_RCV",
	[NAT64_TCP_V6_FIN_RCV] = "V6_FIN_RCV",
	[NAT64_TCP_V4_FIN_V6_FIN_RCV] = "V4_FIN_V6_FIN_RCV",
	[NAT64_TCP_TRANS] = "TRANS",
};

const char *nat64_tcp_state_name(u8 state)
{
	return state < __NAT64_TCP_STATE_MAX ? nat64_tcp_names[state] : "?";
}

/* The lifetime a session in @state was given when it entered that state. */
enum nat64_tmo nat64_tcp_state_tmo(u8 state)
{
	switch (state) {
	case NAT64_TCP_ESTABLISHED:
	case NAT64_TCP_V4_FIN_RCV:
	case NAT64_TCP_V6_FIN_RCV:
		return NAT64_TMO_EST;
	default:
		return NAT64_TMO_TRANS;
	}
}

/*
 * Next state for a segment with @flags arriving from the IPv6 side (@from6)
 * or the IPv4 side; *@tmo says which lifetime the session gets.
 */
u8 nat64_tcp_next(u8 state, bool from6, u8 flags, enum nat64_tmo *tmo)
{
	bool syn = flags & NAT64_TCP_SYN, fin = flags & NAT64_TCP_FIN;
	bool rst = flags & NAT64_TCP_RST;

	*tmo = NAT64_TMO_KEEP;
	switch (state) {
	case NAT64_TCP_CLOSED:
		if (!syn)
			return state;
		*tmo = NAT64_TMO_TRANS;
		return from6 ? NAT64_TCP_V6_INIT : NAT64_TCP_V4_INIT;
	case NAT64_TCP_V6_INIT:
		if (syn && !from6) {
			*tmo = NAT64_TMO_EST;
			return NAT64_TCP_ESTABLISHED;
		}
		if (syn)
			*tmo = NAT64_TMO_TRANS;
		return state;
	case NAT64_TCP_V4_INIT:
		if (syn && from6) {
			*tmo = NAT64_TMO_EST;
			return NAT64_TCP_ESTABLISHED;
		}
		if (syn)
			*tmo = NAT64_TMO_TRANS;
		return state;
	case NAT64_TCP_ESTABLISHED:
		if (rst) {
			*tmo = NAT64_TMO_TRANS;
			return NAT64_TCP_TRANS;
		}
		*tmo = NAT64_TMO_EST;
		if (fin)
			return from6 ? NAT64_TCP_V6_FIN_RCV : NAT64_TCP_V4_FIN_RCV;
		return state;
	case NAT64_TCP_V4_FIN_RCV:
		if (fin && from6) {
			*tmo = NAT64_TMO_TRANS;
			return NAT64_TCP_V4_FIN_V6_FIN_RCV;
		}
		*tmo = NAT64_TMO_EST;
		return state;
	case NAT64_TCP_V6_FIN_RCV:
		if (fin && !from6) {
			*tmo = NAT64_TMO_TRANS;
			return NAT64_TCP_V4_FIN_V6_FIN_RCV;
		}
		*tmo = NAT64_TMO_EST;
		return state;
	case NAT64_TCP_V4_FIN_V6_FIN_RCV:
		/*
		 * RFC 6146 keeps this state until the transitory lifetime
		 * ends, which would cut a new connection that reuses the
		 * ports meanwhile (a client's TIME_WAIT is shorter): a SYN
		 * opens it as CLOSED would (conntrack reopens alike).
		 */
		if (syn && !rst) {
			*tmo = NAT64_TMO_TRANS;
			return from6 ? NAT64_TCP_V6_INIT : NAT64_TCP_V4_INIT;
		}
		return state;
	case NAT64_TCP_TRANS:
		if (rst)
			return state;
		*tmo = NAT64_TMO_EST;
		return NAT64_TCP_ESTABLISHED;
	}
	return state;
}
