#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of the VM tests: topology, module, cases, unload under traffic.
set -u
cd "$(dirname "$0")/../.."
. tests/vm/topo.sh
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
ko() { echo "FAIL - $1"; fail=$((fail + 1)); }
CTL=usr/nat64ctl

topo_up || { echo "topology failed"; echo "0 passed, 1 failed"; exit 1; }
ip -n "$NS_S4" addr add 192.0.2.3/24 dev "$S4_IF"
for m in nf_conntrack nf_tables nft_ct nft_chain_nat nft_masq nf_nat dummy; do
	modprobe "$m"
done
# Routes for the translator's own packets to the prefix and to pool4 (its
# processes, the ICMP errors of its forwarding paths): the LOCAL_OUT hooks
# take them before they reach the device.
ip -n "$NS_XLAT" link add nat64 type dummy
ip -n "$NS_XLAT" link set nat64 up
ip -n "$NS_XLAT" -6 route add 64:ff9b::/96 dev nat64
ip -n "$NS_XLAT" route add 203.0.113.0/24 dev nat64

if insmod nat64.ko; then ok "insmod nat64.ko"; else ko "insmod nat64.ko"; fi
if $CTL -n "$NS_XLAT" prefix add 64:ff9b::/96 &&
   $CTL -n "$NS_XLAT" pool4 add 203.0.113.1 &&
   $CTL -n "$NS_XLAT" config set max-sessions 100000 &&
   $CTL -n "$NS_XLAT" config set wkp-global-only 0; then
	ok "configure prefix and pool4"
else
	ko "configure prefix and pool4"
fi

for t in ${E2E_SUITES:-tests/e2e/test_e2e.py tests/e2e/test_netlink.py tests/e2e/test_cli.py}; do
	[ -f "$t" ] || continue
	python3 "$t" | tee /tmp/e2e.out
	p=$(grep -oE '^[0-9]+ passed' /tmp/e2e.out | tail -1 | grep -oE '[0-9]+' || echo 0)
	f=$(grep -oE '^[0-9]+ passed, [0-9]+ failed' /tmp/e2e.out | tail -1 |
		grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 1)
	pass=$((pass + p))
	fail=$((fail + f))
done

# Unload with live sessions and traffic in flight. (The lab's IPv4 addresses
# are documentation addresses, not global: the well-known prefix may carry
# them only with wkp-global-only 0, set above.)
ip netns exec "$NS_C6" ping -6 -f -w 20 64:ff9b::192.0.2.2 >/dev/null 2>&1 &
ping_pid=$!
ip netns exec "$NS_C6" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
end = time.time() + 20
i = 0
while time.time() < end:
    s2 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s2.sendto(b"x", ("64:ff9b::c000:202", 5001 + i % 100))
    s2.close()
    i += 1
' &
udp_pid=$!
# wait until the flows are up (python starts slowly under emulation)
for _ in $(seq 30); do
	n=$($CTL -n "$NS_XLAT" -j config show | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"])')
	[ "$n" -ge 50 ] && break
	sleep 0.5
done
n=$($CTL -n "$NS_XLAT" -j config show | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"])')
start=$(date +%s%N)
if [ "$n" -ge 50 ] && rmmod nat64; then
	ms=$((($(date +%s%N) - start) / 1000000))
	ok "rmmod under traffic with $n live sessions (${ms} ms)"
else
	ko "rmmod under traffic"
fi
kill $ping_pid $udp_pid 2>/dev/null
wait 2>/dev/null
if insmod nat64.ko && rmmod nat64; then ok "reload and unload"; else ko "reload and unload"; fi
KVER=$(uname -r)
if [ -f "/lib/modules/$KVER/updates/dkms/nat64.ko" ]; then
	if modprobe nat64 && usr/nat64ctl config show >/dev/null && rmmod nat64; then
		ok "modprobe nat64 (DKMS build)"
	else
		ko "modprobe nat64 (DKMS build)"
	fi
fi
topo_down
# the byte-level conformance and hostile-input suite (its own topology)
if [ "${E2E_CONFORM:-1}" = 1 ]; then
	tests/conform/run.sh | tee /tmp/conform.out
	p=$(grep -oE '^[0-9]+ passed' /tmp/conform.out | tail -1 | grep -oE '[0-9]+' || echo 0)
	f=$(grep -oE '^[0-9]+ passed, [0-9]+ failed' /tmp/conform.out | tail -1 |
		grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 1)
	pass=$((pass + p))
	fail=$((fail + f))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
