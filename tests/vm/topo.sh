# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Three-namespace topology for the NAT64 tests (guest side: run inside
# tests/vm/run.sh).  Source it, then call topo_up / topo_down.
#
#   [c6] eth0 ---------- to_c6 [xlat] to_s4 ---------- eth0 [s4]
#   2001:db8:6::2/64   2001:db8:6::1/64  192.0.2.1/24      192.0.2.2/24
#   IPv6 only,         forwarding on,                      IPv4 only,
#   default route      the translator                      203.0.113.0/24
#   via xlat                                               (pool4) via xlat
#
# Nothing here loads the translator: tests insmod kmod/nat64.ko and
# configure it in $NS_XLAT themselves.  Sourcing only sets variables and
# functions (it changes no shell options); every function returns non-zero
# on failure.  Any variable below may be preset by the caller.

# namespaces
: "${NS_C6:=c6}"     # IPv6-only client
: "${NS_XLAT:=xlat}" # the translator (router)
: "${NS_S4:=s4}"     # IPv4-only server

# interfaces (veth pairs: C6_IF<->XLAT_IF6, XLAT_IF4<->S4_IF)
: "${C6_IF:=eth0}"
: "${XLAT_IF6:=to_c6}"
: "${XLAT_IF4:=to_s4}"
: "${S4_IF:=eth0}"
: "${TOPO_MTU:=1500}"

# IPv6 side
: "${C6_ADDR6:=2001:db8:6::2}"
: "${XLAT_ADDR6:=2001:db8:6::1}"
: "${NET6_PLEN:=64}"
: "${NET6:=2001:db8:6::/64}"
: "${POOL6:=64:ff9b::/96}" # pool6, well-known prefix (RFC 6052); must be a /96

# IPv4 side
: "${XLAT_ADDR4:=192.0.2.1}"
: "${S4_ADDR4:=192.0.2.2}"
: "${NET4_PLEN:=24}"
: "${NET4:=192.0.2.0/24}"
: "${POOL4:=203.0.113.0/24}" # pool4: routed to xlat, assigned to nothing

# Embed an IPv4 address in POOL6 (/96): 192.0.2.2 -> 64:ff9b::c000:202
topo_v4to6() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	printf '%s%x:%x\n' "${POOL6%%::/96}::" $((a * 256 + b)) $((c * 256 + d))
}
: "${S4_ADDR6:=$(topo_v4to6 "$S4_ADDR4")}" # the server as c6 sees it

export NS_C6 NS_XLAT NS_S4 C6_IF XLAT_IF6 XLAT_IF4 S4_IF TOPO_MTU \
	C6_ADDR6 XLAT_ADDR6 NET6_PLEN NET6 POOL6 \
	XLAT_ADDR4 S4_ADDR4 NET4_PLEN NET4 POOL4 S4_ADDR6

# Run a command in a namespace.
in_c6() { ip netns exec "$NS_C6" "$@"; }
in_xlat() { ip netns exec "$NS_XLAT" "$@"; }
in_s4() { ip netns exec "$NS_S4" "$@"; }

_topo_sysctl() { # ns key=value...
	local ns=$1
	shift
	ip netns exec "$ns" sysctl -q -w "$@" >/dev/null
}

# Wait until an interface is up with carrier (veth: both ends up), and has
# no tentative address left.  ns dev [timeout_s]
topo_wait_link() {
	local ns=$1 dev=$2 n=$((${3:-5} * 10))
	while [ "$n" -gt 0 ]; do
		if ip -n "$ns" link show dev "$dev" 2>/dev/null | grep -q 'LOWER_UP' &&
		   ! ip -n "$ns" addr show dev "$dev" 2>/dev/null | grep -q tentative; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	echo "topo: $ns/$dev not up" >&2
	return 1
}

topo_up() {
	local ns
	topo_down
	modprobe veth 2>/dev/null || true # else auto-loaded by "type veth"
	for ns in "$NS_C6" "$NS_XLAT" "$NS_S4"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up || return 1
		# No DAD (addresses usable at once), no RA/autoconf noise.
		_topo_sysctl "$ns" net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.all.autoconf=0 net.ipv6.conf.default.autoconf=0 \
			net.ipv6.conf.default.router_solicitations=0 || return 1
	done
	# xlat: a router, without reverse-path filtering (pool4 and translated
	# sources are not on-link anywhere).
	_topo_sysctl "$NS_XLAT" net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 || return 1
	# s4: IPv4 only.
	_topo_sysctl "$NS_S4" net.ipv6.conf.default.disable_ipv6=1 || return 1

	ip -n "$NS_C6" link add "$C6_IF" mtu "$TOPO_MTU" type veth \
		peer name "$XLAT_IF6" mtu "$TOPO_MTU" netns "$NS_XLAT" || return 1
	ip -n "$NS_S4" link add "$S4_IF" mtu "$TOPO_MTU" type veth \
		peer name "$XLAT_IF4" mtu "$TOPO_MTU" netns "$NS_XLAT" || return 1
	_topo_sysctl "$NS_XLAT" "net.ipv4.conf.$XLAT_IF6.rp_filter=0" \
		"net.ipv4.conf.$XLAT_IF4.rp_filter=0" || return 1

	ip -n "$NS_C6" -6 addr add "$C6_ADDR6/$NET6_PLEN" dev "$C6_IF" nodad || return 1
	ip -n "$NS_XLAT" -6 addr add "$XLAT_ADDR6/$NET6_PLEN" dev "$XLAT_IF6" nodad || return 1
	ip -n "$NS_XLAT" -4 addr add "$XLAT_ADDR4/$NET4_PLEN" dev "$XLAT_IF4" || return 1
	ip -n "$NS_S4" -4 addr add "$S4_ADDR4/$NET4_PLEN" dev "$S4_IF" || return 1

	ip -n "$NS_C6" link set "$C6_IF" up || return 1
	ip -n "$NS_XLAT" link set "$XLAT_IF6" up || return 1
	ip -n "$NS_XLAT" link set "$XLAT_IF4" up || return 1
	ip -n "$NS_S4" link set "$S4_IF" up || return 1

	# c6 reaches pool6 (and any other prefix a test uses) through xlat.
	ip -n "$NS_C6" -6 route add default via "$XLAT_ADDR6" dev "$C6_IF" || return 1
	# s4 answers pool4 addresses through xlat.
	ip -n "$NS_S4" -4 route add "$POOL4" via "$XLAT_ADDR4" dev "$S4_IF" || return 1

	topo_wait_link "$NS_C6" "$C6_IF" || return 1
	topo_wait_link "$NS_XLAT" "$XLAT_IF6" || return 1
	topo_wait_link "$NS_XLAT" "$XLAT_IF4" || return 1
	topo_wait_link "$NS_S4" "$S4_IF" || return 1
}

# Remove the namespaces (and with them the veths).  Never fails.
topo_down() {
	local ns
	for ns in "$NS_C6" "$NS_XLAT" "$NS_S4"; do
		if [ -e "/run/netns/$ns" ]; then
			ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
			ip netns del "$ns" 2>/dev/null
		fi
	done
	return 0
}
