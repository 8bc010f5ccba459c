#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the VM test bed (runs in the guest):
#   tests/vm/run.sh -- tests/vm/smoke.sh
# One "ok - ..." / "FAIL - ..." line per case, then "N passed, M failed".
# shellcheck disable=SC2016 # the sh -c snippets expand their own variables
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/topo.sh
. "$HERE/topo.sh"

if [ "${NAT64_VM:-}" != 1 ] && [ "${1:-}" != --force ]; then
	echo "smoke.sh: meant to run inside tests/vm/run.sh (creates namespaces, loads modules); --force to run anyway" >&2
	exit 2
fi

PASS=0
FAIL=0
LOGF=/tmp/smoke-case.log

# check NAME COMMAND [ARGS...]: run COMMAND, report, keep going.
check() {
	local name=$1
	shift
	if "$@" >"$LOGF" 2>&1; then
		echo "ok - $name"
		PASS=$((PASS + 1))
	else
		echo "FAIL - $name"
		sed 's/^/#   /' "$LOGF" | tail -n 20
		FAIL=$((FAIL + 1))
	fi
}

sysctl_is() { # ns key value
	[ "$(ip netns exec "$1" sysctl -n "$2")" = "$3" ]
}

check "running as root in the guest kernel" \
	sh -c '[ "$(id -u)" = 0 ] && [ -d "/lib/modules/$(uname -r)" ] && uname -r'
check "kernel.panic_on_oops is 1" sh -c '[ "$(cat /proc/sys/kernel/panic_on_oops)" = 1 ]'
check "debugfs mounted" sh -c 'grep -q " /sys/kernel/debug debugfs " /proc/mounts'
check "/etc read-only" sh -c '! touch /etc/.nat64-vm-write-test'
check "writable /tmp /run /var/tmp /var/lib /var/log /var/cache" sh -c '
	for d in /tmp /run /var/tmp /var/lib /var/log /var/cache; do
		f=$(mktemp -p "$d") && rm -f "$f" || exit 1
	done'
check "work tree writable" sh -c 'f=$(mktemp -p "$PWD" .vm-smoke.XXXXXX) && rm -f "$f"'
check "modprobe veth" modprobe veth
check "modprobe nf_defrag_ipv6 nf_defrag_ipv4 nf_conntrack" \
	sh -c 'modprobe nf_defrag_ipv6 && modprobe nf_defrag_ipv4 && modprobe nf_conntrack'
check "kernel headers for out-of-tree modules" test -e "/lib/modules/$(uname -r)/build/Makefile"

check "topo_v4to6 192.0.2.2 is 64:ff9b::c000:202" test "$(topo_v4to6 192.0.2.2)" = 64:ff9b::c000:202
check "topology up" topo_up
check "c6 has no IPv4 address" sh -c '! ip -n "$NS_C6" -4 addr show dev "$C6_IF" | grep -q inet'
check "s4 has no IPv6 address" sh -c '! ip -n "$NS_S4" -6 addr show dev "$S4_IF" | grep -q inet6'
xlat_is_router() {
	sysctl_is "$NS_XLAT" net.ipv4.ip_forward 1 &&
		sysctl_is "$NS_XLAT" net.ipv6.conf.all.forwarding 1 &&
		sysctl_is "$NS_XLAT" net.ipv4.conf.all.rp_filter 0
}
check "forwarding on, rp_filter off in xlat" xlat_is_router
check "c6 default route via xlat" \
	sh -c 'ip -n "$NS_C6" -6 route get "${POOL6%%/*}1" | grep -q "via $XLAT_ADDR6"'
check "s4 route to pool4 via xlat" \
	sh -c 'ip -n "$NS_S4" -4 route get "${POOL4%.*}.7" | grep -q "via $XLAT_ADDR4"'
check "ping6 client to router" in_c6 ping -6 -c 1 -W 2 "$XLAT_ADDR6"
check "ping server to router" in_s4 ping -4 -c 1 -W 2 "$XLAT_ADDR4"
check "ping router to client and server" \
	sh -c 'ip netns exec "$NS_XLAT" ping -6 -c 1 -W 2 "$C6_ADDR6" &&
		ip netns exec "$NS_XLAT" ping -4 -c 1 -W 2 "$S4_ADDR4"'
check "python3 -c 'import scapy.all'" python3 -c 'import scapy.all'
topo_gone() {
	topo_down && [ -z "$(ip netns list)" ]
}
check "topology down" topo_gone

rm -f "$LOGF"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
