# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the stress suites (guest side, inside tests/vm/run.sh): a
# topology with one IPv6 client namespace, one IPv4 server namespace and
# N translator namespaces between them, results, counters.
#
#              +-- x1 ==== [st_x1] 64:ff9b:1::/96, pool4 203.0.113.1 ==== x1 --+
#   [st_c6] ---+-- x2 ==== [st_x2] 64:ff9b:2::/96, pool4 203.0.113.2 ==== x2 --+--- [st_s4]
#              +-- ...                                                          |
#   2001:db8:I::2/64  2001:db8:I::1/64 | 10.4.I.1/24           10.4.I.2/24,
#                                                              server 198.51.100.1 (lo)
#
# The server, 198.51.100.1, is 64:ff9b:I::c633:6401 through translator I.
# Sourcing sets variables and functions only.

ST_C6=st_c6
ST_S4=st_s4
ST_SERVER4=198.51.100.1
ST_PORT=7000
: "${CTL:=usr/nat64ctl}"
: "${NAT64_KO:=nat64.ko}"
ST_PY=${ST_PY:-python3}
ST_HERE=tests/stress
ST_TMP=${ST_TMP:-/tmp/stress}
mkdir -p "$ST_TMP"

pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
ko() { echo "FAIL - $*"; fail=$((fail + 1)); }
summary() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# until S: true while less than S seconds passed since "deadline_start"
# (loops that poll nat64ctl are bounded in time, not in rounds: under a
# loaded TCG host one call can take seconds)
deadline_start() { ST_T0=$SECONDS; }
until_s() { [ $((SECONDS - ST_T0)) -lt "$1" ]; }

st_xlat() { echo "st_x$1"; }
st_prefix() { echo "64:ff9b:$1::/96"; }
st_pool4() { echo "203.0.113.$1"; }
st_server6() { echo "64:ff9b:$1::c633:6401"; }

# nsenter is cheaper than "ip netns exec" (no /sys remount).
in_ns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

# bg_ns NS CMD...: CMD in NS in the background, its pid in BG_PID (not a
# subshell's: killing BG_PID stops CMD)
bg_ns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@" &
	BG_PID=$!
}

st_ns_add() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up || return 1
	# no DAD, no RA: addresses usable at once
	in_ns "$1" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_ra=0 \
		net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.autoconf=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null
}

# st_xlat_up I: translator namespace I, linked to the client and the server.
st_xlat_up() {
	local i=$1 x
	x=$(st_xlat "$i")
	# a deleted namespace's veths go with its asynchronous cleanup
	for _ in $(seq 100); do
		ip -n "$ST_C6" link show "x$i" >/dev/null 2>&1 ||
			ip -n "$ST_S4" link show "x$i" >/dev/null 2>&1 || break
		sleep 0.1
	done
	st_ns_add "$x" || return 1
	ip -n "$ST_C6" link add "x$i" type veth peer name c6 netns "$x" || return 1
	ip -n "$ST_S4" link add "x$i" type veth peer name s4 netns "$x" || return 1
	ip -n "$x" -b - <<-EOF || return 1
		addr add 2001:db8:$i::1/64 dev c6 nodad
		addr add 10.4.$i.1/24 dev s4
		link set c6 up
		link set s4 up
		route add $ST_SERVER4/32 via 10.4.$i.2
	EOF
	ip -n "$ST_C6" -b - <<-EOF || return 1
		addr add 2001:db8:$i::2/64 dev x$i nodad
		link set x$i up
		route add $(st_prefix "$i") via 2001:db8:$i::1 dev x$i
	EOF
	ip -n "$ST_S4" -b - <<-EOF || return 1
		addr add 10.4.$i.2/24 dev x$i
		link set x$i up
		route add $(st_pool4 "$i")/32 via 10.4.$i.1
	EOF
}

# st_topo_up N: client, server (echo server started) and N translators.
st_topo_up() {
	local i
	st_topo_down
	# Debian's kernel: modules (nat64.ko needs conntrack and defrag)
	for m in veth nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6; do
		modprobe "$m" 2>/dev/null
	done
	st_ns_add "$ST_C6" || return 1
	st_ns_add "$ST_S4" || return 1
	ip -n "$ST_S4" addr add "$ST_SERVER4/32" dev lo || return 1
	for i in $(seq "$1"); do
		st_xlat_up "$i" || return 1
	done
	bg_ns "$ST_S4" "$ST_PY" "$ST_HERE/traffic.py" echo --addr "$ST_SERVER4" --port "$ST_PORT" \
		>"$ST_TMP/echo.log" 2>&1
	ST_ECHO_PID=$BG_PID
}

st_topo_down() {
	local ns
	[ -n "${ST_ECHO_PID:-}" ] && kill "$ST_ECHO_PID" 2>/dev/null
	for ns in $(ip netns list | awk '$1 ~ /^st_/ { print $1 }'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# st_configure I: prefix and pool4 in translator I.
st_configure() {
	local x
	x=$(st_xlat "$1")
	$CTL -n "$x" prefix add "$(st_prefix "$1")" &&
	$CTL -n "$x" pool4 add "$(st_pool4 "$1")"
}

# jnum KEY < json: the first number under "KEY".
jnum() {
	grep -o "\"$1\": *[0-9]*" | head -n1 | grep -o '[0-9]*$'
}

# counter NS NAME: a counter of nat64ctl stats show (empty when unreadable)
counter() {
	$CTL -n "$1" -j stats show 2>/dev/null | jnum "$2"
}

# sessions NS: the session count of config show
sessions() {
	$CTL -n "$1" -j config show 2>/dev/null | jnum sessions
}

bindings() {
	$CTL -n "$1" -j config show 2>/dev/null | jnum bibs
}

# dumped NS [PROTO]: the number of sessions session show lists
dumped() {
	$CTL -n "$1" -j session show ${2:+"$2"} 2>/dev/null | grep -o '"proto"' | wc -l
}

# per_proto NS: "UDP TCP ICMP" session counts, from one dump
per_proto() {
	$CTL -n "$1" -j session show 2>/dev/null | grep -o '"proto": *"[a-z]*"' |
		awk '/udp/ { u++ } /tcp/ { t++ } /icmp/ { i++ } END { print u + 0, t + 0, i + 0 }'
}

# nat64 slab caches present: prints their slabinfo lines
st_caches() {
	grep -E '^nat64_(session|bib) ' /proc/slabinfo 2>/dev/null
	ls -d /sys/kernel/slab/nat64_* 2>/dev/null
}

# the module's slab objects in use (caches with slub_debug's user tracking
# only: "alloc_calls" lists the live objects), or "?" when unknown
st_slab_live() {
	local c n t=0
	for c in nat64_session nat64_bib; do
		if [ ! -r "/sys/kernel/slab/$c/alloc_calls" ]; then
			echo "?"
			return
		fi
		n=$(awk '$1 ~ /^[0-9]+$/ { s += $1 } END { print s + 0 }' "/sys/kernel/slab/$c/alloc_calls")
		t=$((t + n))
	done
	echo "$t"
}

# One case: rmmod nat64 succeeds in under 5 s and leaves no slab cache.
st_rmmod_check() {
	local ms
	ms=$(now_ms)
	if rmmod nat64; then
		ms=$(($(now_ms) - ms))
		if [ "$ms" -lt 5000 ] && [ -z "$(st_caches)" ]; then
			ok "rmmod in $ms ms, slab caches gone"
		else
			ko "rmmod took $ms ms, caches: $(st_caches | tr '\n' ' ')"
		fi
	else
		ko "rmmod failed"
	fi
}
