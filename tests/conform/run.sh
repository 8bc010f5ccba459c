#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side: conformance + hostile-input suite (tests/conform/conform.py).
# Standalone: sets up its own topology and module; leaves nat64 unloaded.
# tests/vm/run.sh -- tests/conform/run.sh   (CONFORM_ONLY=regex CONFORM_PASSES=lin,nl,jool)
set -u
cd "$(dirname "$0")/../.."
. tests/vm/topo.sh
CTL=usr/nat64ctl
fail() { echo "FAIL - conform setup: $1"; echo "0 passed, 1 failed"; exit 1; }

lsmod | grep -q '^nat64 ' && rmmod nat64
topo_up || fail "topology"
for m in nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 dummy tun; do modprobe "$m"; done
ip -n "$NS_XLAT" link add nat64 type dummy && ip -n "$NS_XLAT" link set nat64 up
ip -n "$NS_XLAT" -6 route add 64:ff9b::/96 dev nat64
ip -n "$NS_XLAT" route add 203.0.113.0/24 dev nat64
ip netns exec "$NS_XLAT" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
insmod nat64.ko || fail "insmod"
$CTL -n "$NS_XLAT" prefix add 64:ff9b::/96 && $CTL -n "$NS_XLAT" pool4 add 203.0.113.1 &&
	$CTL -n "$NS_XLAT" config set wkp-global-only 0 max-sessions 100000 || fail "configure"
/usr/bin/python3 tests/conform/conform.py
rc=$?
rmmod nat64 2>/dev/null
topo_down
exit $rc
