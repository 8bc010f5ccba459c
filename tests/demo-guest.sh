#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, guest side: an IPv6-only client resolves an IPv4-only name through
# DNS64 (unbound) and fetches a page from the IPv4 server through nat64.ko.
set -u
cd "$(dirname "$0")/.."
. tests/vm/topo.sh
CTL="usr/nat64ctl -n $NS_XLAT"
NAME=ipv4only.example.test
D=/tmp/demo
step=0
say() { step=$((step + 1)); printf '\n[%d] %s\n' "$step" "$*"; }
die() {
	printf "demo FAILED: %s\n" "$*"
	tail -n 20 $D/*.log 2>/dev/null
	topo_down
	exit 1
}

say "three hosts: c6 (IPv6 only, $C6_ADDR6), xlat (the translator), s4 (IPv4 only, $S4_ADDR4)"
topo_up || die "topology"

say "load nat64.ko; configure prefix 64:ff9b::/96 and pool4 203.0.113.1"
modprobe nf_conntrack && insmod nat64.ko || die "insmod"
$CTL prefix add 64:ff9b::/96 || die "prefix add"
$CTL pool4 add 203.0.113.1 || die "pool4 add"
# The lab's IPv4 addresses are documentation addresses (RFC 5737), not global:
# RFC 6052 3.1 keeps them out of the well-known prefix unless told otherwise.
$CTL config set wkp-global-only 0 || die "config set"
$CTL prefix show
$CTL pool4 show

say "s4 runs an authoritative server (nsd) for example.test with only an A record, and a web server"
mkdir -p $D
cat >$D/example.test.zone <<ZONE
\$ORIGIN example.test.
\$TTL 60
@	IN SOA ns hostmaster 1 3600 600 86400 60
@	IN NS ns
ns	IN A $S4_ADDR4
ipv4only IN A $S4_ADDR4
ZONE
cat >$D/nsd.conf <<CONF
server:
	ip-address: $S4_ADDR4
	port: 53
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
in_s4 nsd -c $D/nsd.conf || die "nsd"
echo "hello from the IPv4-only server $S4_ADDR4" >$D/index.html
(cd $D && exec ip netns exec "$NS_S4" python3 -m http.server --bind 0.0.0.0 80 \
	>$D/http.log 2>&1) &

say "xlat runs unbound as DNS64 resolver with the module's prefix (dns64-prefix: 64:ff9b::/96)"
cat >$D/unbound.conf <<CONF
server:
	interface: $XLAT_ADDR6
	port: 53
	access-control: ::/0 allow
	module-config: "dns64 iterator"
	dns64-prefix: 64:ff9b::/96
	username: ""
	chroot: ""
	directory: "$D"
	pidfile: "$D/unbound.pid"
	use-syslog: no
	logfile: "$D/unbound.log"
	do-not-query-localhost: no
	domain-insecure: "example.test"
	local-zone: "test." nodefault
stub-zone:
	name: "example.test"
	stub-addr: $S4_ADDR4
CONF
(exec ip netns exec "$NS_XLAT" unbound -d -c $D/unbound.conf) &
for _ in $(seq 50); do
	in_c6 dig +time=1 +tries=1 @"$XLAT_ADDR6" SOA example.test >/dev/null 2>&1 && break
	sleep 0.2
done

say "c6 asks DNS64 for the AAAA of $NAME"
in_c6 dig @"$XLAT_ADDR6" AAAA "$NAME" +noall +answer +comments
AAAA=$(in_c6 dig @"$XLAT_ADDR6" AAAA "$NAME" +short | head -1)
[ -n "$AAAA" ] || die "no AAAA synthesized"

say "synthesized address: $AAAA (64:ff9b:: + $S4_ADDR4 = $S4_ADDR6)"
[ "$AAAA" = "$S4_ADDR6" ] || die "unexpected address $AAAA"

for _ in $(seq 50); do
	in_s4 python3 -c "import socket; socket.create_connection(('$S4_ADDR4', 80), 1)" \
		2>/dev/null && break
	sleep 0.2
done
say "c6 fetches http://$NAME/ from [$AAAA]:80"
PAGE=$(in_c6 python3 -c "
import urllib.request
req = urllib.request.Request('http://[$AAAA]/index.html', headers={'Host': '$NAME'})
print(urllib.request.urlopen(req, timeout=10).read().decode().strip())
") || die "fetch failed"
echo "$PAGE"

say "the session the module created for it"
$CTL session show tcp
$CTL -j session show tcp | grep -q "\"remote4\":\"$S4_ADDR4\"" || die "no TCP session"

say "reply received: $PAGE"
echo "$PAGE" | grep -q "hello from the IPv4-only server" || die "wrong page"
$CTL stats show | grep -E '^(NAME|xlat_|session_created|bib_created)'

topo_down
rmmod nat64
echo
echo "demo passed: DNS64 synthesized $AAAA, nat64.ko carried the fetch."
