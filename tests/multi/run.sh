#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two translators behind one DNS64 resolver (guest side:
# tests/vm/run.sh -- tests/multi/run.sh).  Scale-out with routing and DNS64,
# no state shared between the translators:
#
#        2001:db8:a::/64 -- [xa] 64:ff9b:1::/96, pool4 198.51.100.1 -- 10.4.1.0/24
#   [c6] 2001:db8:b::/64 -- [xb] 64:ff9b:2::/96, pool4 203.0.113.1 -- 10.4.2.0/24 [s4]
#        2001:db8:d::/64 -- [dns] BIND, dns64 for both prefixes    -- 10.4.3.0/24
#
# s4 (IPv4 only) serves www.example.test (A 192.0.2.2, nsd) and a web page
# at 192.0.2.2; c6 (IPv6 only) routes each prefix to its translator and
# resolves through BIND, whose configuration is the "nat64ctl dns64 bind"
# output of both translators.  The client opens each connection as
# getaddrinfo() + connect() in order (glibc, RFC 6724 sorting), like most
# programs; BIND returns both AAAA records in random order.  Then xa's route is withdrawn in c6, and put back.
# One line per case, last "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
CTL=$PWD/usr/nat64ctl
D=/tmp/multi
NAME=www.example.test
S4=192.0.2.2
P1=64:ff9b:1::/96
P2=64:ff9b:2::/96
A1=64:ff9b:1::c000:202
A2=64:ff9b:2::c000:202
NSS="c6 dns xa xb s4"
# BIND orders each answer at random: all FLOWS flows of a phase land on
# one translator with probability 2^(1-FLOWS)
FLOWS=${MULTI_FLOWS:-16}
. tests/cases.sh
down() {
	local ns
	for ns in $NSS; do
		[ -e "/run/netns/$ns" ] || continue
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
finish() {
	down
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- topology
addr() { # ns if addr
	case $3 in
	*:*) ip -n "$1" -6 addr add "$3" dev "$2" nodad ;;
	*) ip -n "$1" -4 addr add "$3" dev "$2" ;;
	esac
}
link() { # ns1 if1 addr1 ns2 if2 addr2
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" &&
	addr "$1" "$2" "$3" && addr "$4" "$5" "$6" &&
	ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}
up() {
	local ns
	down
	modprobe veth
	for ns in $NSS; do
		ip netns add "$ns" && ip -n "$ns" link set lo up &&
		in_ns "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null || return 1
	done
	for ns in xa xb; do
		in_ns $ns sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null || return 1
	done
	link c6 a0 2001:db8:a::2/64 xa v6 2001:db8:a::1/64 &&
	link c6 b0 2001:db8:b::2/64 xb v6 2001:db8:b::1/64 &&
	link c6 d0 2001:db8:d::2/64 dns v6 2001:db8:d::1/64 &&
	link xa v4 10.4.1.1/24 s4 a0 10.4.1.2/24 &&
	link xb v4 10.4.2.1/24 s4 b0 10.4.2.2/24 &&
	link dns v4 10.4.3.1/24 s4 d0 10.4.3.2/24 || return 1
	ip -n s4 addr add $S4/32 dev lo &&
	ip -n s4 route add 198.51.100.0/24 via 10.4.1.1 &&
	ip -n s4 route add 203.0.113.0/24 via 10.4.2.1 &&
	ip -n xa route add $S4/32 via 10.4.1.2 &&
	ip -n xb route add $S4/32 via 10.4.2.2 &&
	ip -n dns route add $S4/32 via 10.4.3.2 &&
	# the routes the test withdraws: each prefix to its translator
	ip -n c6 -6 route add $P1 via 2001:db8:a::1 &&
	ip -n c6 -6 route add $P2 via 2001:db8:b::1 || return 1
	for _ in $(seq 50); do
		in_ns c6 ping -6 -c1 -W1 -q 2001:db8:b::1 >/dev/null 2>&1 &&
			in_ns c6 ping -6 -c1 -W1 -q 2001:db8:a::1 >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}
mkdir -p $D
if up; then ok "topology: c6, dns, xa, xb, s4"; else ko "topology"; finish; fi

# --- translators
modprobe nf_conntrack
lsmod | grep -q '^nat64 ' || insmod nat64.ko
check "xa: $P1 + pool4 198.51.100.1; xb: $P2 + pool4 203.0.113.1" sh -c \
	"$CTL -n xa prefix add $P1 && $CTL -n xa pool4 add 198.51.100.1 &&
	 $CTL -n xb prefix add $P2 && $CTL -n xb pool4 add 203.0.113.1"

# --- s4: nsd (A only) and a web server
cat >$D/example.test.zone <<ZONE
\$ORIGIN example.test.
\$TTL 60
@	IN SOA ns hostmaster 1 3600 600 86400 60
@	IN NS ns
ns	IN A $S4
www	IN A $S4
ZONE
cat >$D/nsd.conf <<CONF
server:
	ip-address: $S4
	username: ""
	chroot: ""
	zonesdir: "$D"
	pidfile: "$D/nsd.pid"
	xfrdfile: "$D/xfrd.state"
	zonelistfile: "$D/zone.list"
	logfile: "$D/nsd.log"
remote-control:
	control-enable: no
zone:
	name: example.test
	zonefile: example.test.zone
CONF
mkdir -p $D/www
echo "hello from s4" >$D/www/index.html
in_ns s4 nsd -c $D/nsd.conf || ko "nsd"
(cd $D/www && exec ip netns exec s4 python3 -m http.server --bind $S4 80 >$D/http.log 2>&1) &

# --- dns: BIND with the dns64 clauses nat64ctl prints for each translator
body() { # the inside of the options block of "nat64ctl dns64 bind"
	awk '/^options \{/ { on = 1; next } on && /^\};$/ { on = 0; next } on' "$1"
}
$CTL -n xa dns64 bind >$D/xa.bind
$CTL -n xb dns64 bind >$D/xb.bind
check "nat64ctl dns64 bind: xa's names $P1 only, xb's $P2 only" sh -c \
	"[ \"\$(sed -n 's/^\tdns64 \([^ ]*\) {\$/\1/p' $D/xa.bind)\" = '$P1' ] &&
	 [ \"\$(sed -n 's/^\tdns64 \([^ ]*\) {\$/\1/p' $D/xb.bind)\" = '$P2' ]"
{
	cat <<CONF
options {
	directory "$D";
	pid-file "$D/named.pid";
	session-keyfile "$D/session.key";
	managed-keys-directory "$D";
	listen-on { none; };
	listen-on-v6 { 2001:db8:d::1; };
	recursion yes;
	allow-query { any; };
	allow-recursion { any; };
	dnssec-validation no;
	// each answer in random order, so clients start on either translator
	// ("cyclic" does not rotate synthesized AAAA records: BIND 9.18)
	rrset-order { order random; };
	// from "nat64ctl -n xa dns64 bind" and "nat64ctl -n xb dns64 bind":
CONF
	body $D/xa.bind
	body $D/xb.bind
	cat <<CONF
};
controls { };
zone "example.test" {
	type static-stub;
	server-addresses { $S4; };
};
CONF
} >$D/named.conf
check "named-checkconf accepts the merged configuration" named-checkconf $D/named.conf
(exec ip netns exec dns named -g -c $D/named.conf >$D/named.log 2>&1) &
for _ in $(seq 100); do
	in_ns c6 dig +time=1 +tries=1 @2001:db8:d::1 SOA example.test >/dev/null 2>&1 && break
	sleep 0.2
done
aaaa() { in_ns c6 dig +time=2 +tries=2 @2001:db8:d::1 AAAA $NAME +short | sort | tr '\n' ' '; }
got=$(aaaa)
check "AAAA $NAME carries both prefixes: $got" test "$got" = "$A1 $A2 "

# --- the client: getaddrinfo + connect in order, one line per flow
echo "nameserver 2001:db8:d::1" >$D/resolv.conf
cat >$D/client.py <<'PY'
import json, socket, sys
name, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    r = {"answers": [], "tried": [], "ok": None}
    try:
        ais = socket.getaddrinfo(name, 80, socket.AF_INET6, socket.SOCK_STREAM)
    except OSError as e:
        r["error"] = str(e)
        ais = []
    r["answers"] = [ai[4][0] for ai in ais]
    for af, st, pr, _, sa in ais:
        r["tried"].append(sa[0])
        s = socket.socket(af, st, pr)
        s.settimeout(5)
        try:
            s.connect(sa)
            s.sendall(b"GET /index.html HTTP/1.0\r\nHost: www\r\n\r\n")
            data = b""
            while True:
                d = s.recv(4096)
                if not d:
                    break
                data += d
            if b"hello from s4" in data:
                r["ok"] = sa[0]
                break
        except OSError as e:
            r.setdefault("errors", []).append(str(e))
        finally:
            s.close()
    print(json.dumps(r), flush=True)
PY
flows() { # count outfile: runs them in c6 with BIND as its resolver
	ip netns exec c6 unshare -m sh -c \
		"mount --bind $D/resolv.conf /etc/resolv.conf && exec python3 $D/client.py $NAME $1" >"$2"
}
nok() { grep -c "\"ok\": \"$2\"" "$1"; }
sessions() { $CTL -n "$1" -j session show tcp | grep -o "\"remote4\":\"$S4\"" | wc -l; }

# --- phase 1: both translators
for _ in $(seq 50); do
	in_ns s4 python3 -c "import socket; socket.create_connection(('$S4', 80), 1)" 2>/dev/null && break
	sleep 0.2
done
flows "$FLOWS" $D/p1.out
n1=$(nok $D/p1.out $A1)
n2=$(nok $D/p1.out $A2)
check "$FLOWS flows, all served ($n1 through xa, $n2 through xb)" test $((n1 + n2)) = "$FLOWS"
check "the flows are spread over both translators" test "$n1" -ge 1 -a "$n2" -ge 1
sa=$(sessions xa)
sb=$(sessions xb)
check "sessions: xa $sa = $n1 flows, xb $sb = $n2 flows" test "$sa" = "$n1" -a "$sb" = "$n2"

# --- phase 2: xa's route withdrawn
ip -n c6 -6 route del $P1
got=$(aaaa)
check "after withdrawing $P1: DNS64 still answers both ($got)" test "$got" = "$A1 $A2 "
flows "$FLOWS" $D/p2.out
m1=$(nok $D/p2.out $A1)
m2=$(nok $D/p2.out $A2)
check "$FLOWS new flows, all served through xb ($m2; xa $m1)" test "$m2" = "$FLOWS" -a "$m1" = 0
check "getaddrinfo still returns xa's address, after xb's (RFC 6724 rule 1: no route)" \
	test "$(grep -c "\"answers\": \[\"$A2\", \"$A1\"\]" $D/p2.out)" = "$FLOWS"
sa2=$(sessions xa)
sb2=$(sessions xb)
check "sessions: xa unchanged ($sa -> $sa2), xb +$FLOWS ($sb -> $sb2)" \
	test "$sa2" = "$sa" -a "$sb2" = $((sb + FLOWS))

# --- phase 3: the route back
ip -n c6 -6 route add $P1 via 2001:db8:a::1
flows "$FLOWS" $D/p3.out
k1=$(nok $D/p3.out $A1)
k2=$(nok $D/p3.out $A2)
check "route back: $FLOWS flows, both translators serve again (xa $k1, xb $k2)" \
	test $((k1 + k2)) = "$FLOWS" -a "$k1" -ge 1 -a "$k2" -ge 1
for f in p1 p2 p3; do
	sed "s/^/  $f: /" $D/$f.out | head -n 3
done
finish
