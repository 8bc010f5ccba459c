#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of tests/pkg/check.sh: the VM's root is the host's with
# nat64-dkms and nat64ctl installed by dpkg -i (in an overlay, by
# check.sh).  The packaged module loads with modprobe (as the modules-load.d
# entry asks), the packaged nat64ctl configures it, a ping crosses it, and
# the commands of the packaged nat64.service restore a saved configuration
# (check.sh made an empty /etc/nat64 for it).  check.sh purges afterwards.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/topo.sh
. tests/cases.sh
finish() {
	topo_down
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

KVER=$(uname -r)
CTL=/usr/sbin/nat64ctl
UNIT=/lib/systemd/system/nat64.service

if [ "$(dpkg-query -W -f='${Status}\n' nat64-dkms nat64ctl 2>/dev/null | sort -u)" != "install ok installed" ]; then
	ko "nat64-dkms and nat64ctl installed (run tests/pkg/check.sh, not this)"
	finish
fi
MOD=$(modinfo -n nat64 2>/dev/null)
check "modinfo nat64: the DKMS build, $MOD" sh -c \
	"case '$MOD' in /lib/modules/$KVER/updates/dkms/nat64.ko*) exit 0;; esac; exit 1"
check "nat64.service runs /usr/sbin/nat64ctl -f /etc/nat64/nat64.conf" \
	grep -qx 'ExecStart=/usr/sbin/nat64ctl -f /etc/nat64/nat64.conf' $UNIT
check "nat64.service enabled (multi-user.target.wants)" \
	test -L /etc/systemd/system/multi-user.target.wants/nat64.service
check "bash completion registers nat64ctl" bash -c \
	'. /usr/share/bash-completion/completions/nat64ctl && complete -p nat64ctl >/dev/null'
check "man nat64ctl renders" sh -c \
	'MANWIDTH=80 man -l /usr/share/man/man8/nat64ctl.8.gz 2>/dev/null | grep -q "nat64ctl"'

# --- use
modprobe nf_conntrack
check "modprobe of the modules-load.d entry loads the packaged build" sh -c \
	"modprobe \$(grep -v '^#' /etc/modules-load.d/nat64.conf) && [ -d /sys/module/nat64 ] &&
	 [ \"\$(cat /sys/module/nat64/srcversion)\" = \"\$(modinfo -F srcversion '$MOD')\" ]"
topo_up || { ko "topology"; finish; }
check "packaged nat64ctl: prefix, pool4, config" sh -c \
	"$CTL -n $NS_XLAT prefix add $POOL6 && $CTL -n $NS_XLAT pool4 add 203.0.113.1 &&
	 $CTL -n $NS_XLAT config set wkp-global-only 0"
check "ping c6 -> $S4_ADDR6 through the packaged module" sh -c \
	"ip netns exec $NS_C6 ping -6 -c 3 -i 0.3 -W 3 -q $S4_ADDR6 >/dev/null"
check "nat64ctl -j session show icmp: the session to $S4_ADDR4" sh -c \
	"$CTL -n $NS_XLAT -j session show icmp | grep -q '\"remote4\":\"$S4_ADDR4\"'"
topo_down

# --- the boot path: nat64.service's commands restore a saved configuration
mount -t tmpfs -o mode=0755 tmpfs /etc/nat64 || ko "tmpfs on /etc/nat64"
$CTL prefix add 64:ff9b:1::/96 && $CTL pool4 add 198.51.100.7 &&
	$CTL save >/etc/nat64/nat64.conf && rmmod nat64
pre=$(sed -n 's/^ExecStartPre=//p' $UNIT)
start=$(sed -n 's/^ExecStart=//p' $UNIT)
check "nat64.service: '$pre' and '$start' restore the saved configuration" sh -c \
	"$pre && $start && $CTL prefix show | grep -q 64:ff9b:1::/96 &&
	 $CTL pool4 show | grep -q 198.51.100.7"
rmmod nat64

finish
