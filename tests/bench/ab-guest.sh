#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/bench/ab.sh: $BENCH_OUT/a.ko and b.ko alternated.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck disable=SC2034 # used by the sourced files
TOP=$PWD
. tests/vm/topo.sh
. tests/bench/lib.sh
# shellcheck disable=SC2034 # read by lib.sh
ROUNDS=${AB_ROUNDS:-6} WARMUP=1 WINDOW=3
# shellcheck disable=SC2034 # read by lib.sh (scale_to): background sessions
# from 1009 source ports, made at 80 % of AB_PACE per second
SPORTS=1009
declare -A NEW_PPS=([ours]=${AB_PACE:-15000})
bench_files
cp usr/nat64ctl $BIN/
cp "$BENCH_OUT/a.ko" "$BENCH_OUT/b.ko" $BIN/
modprobe -a veth pktgen sch_ingress cls_flower act_gact nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 ||
	{ echo "ab: modprobe failed"; exit 1; }
# shellcheck disable=SC2034 # read by lib.sh
C=ours
bench_topo_up ours || { echo "ab: topology"; exit 1; }
use ours
renamed() { # A|B FUNCTION: run a lib.sh measurement, its metrics suffixed _A|_B
	local n0
	n0=$(wc -l <"$RAW")
	"$2"
	sed -i "$((n0 + 1)),\$ s/^\([a-z_0-9]*\)\t/\1_$1\t/" "$RAW"
}
run() { # A|B
	rmmod nat64 2>/dev/null
	insmod "$BIN/${1,,}.ko" || { echo "ab: insmod $1"; return 1; }
	ours_up || { echo "ab: configure $1"; return 1; }
	mode pktgen
	if [ "${AB_EST:-1}" = 1 ]; then
		est64 "est64_$1"
		est46 "est46_$1"
		mode inline
		est64 "est64_1cpu_$1"
		est46 "est46_1cpu_$1"
		mode pktgen
	fi
	if [ "${AB_NATIVE:-0}" = 1 ]; then	# IPv6 forwarding not to the prefix
		renamed "$1" native64
	fi
	if [ -n "${AB_SCALE:-}" ]; then	# established over AB_SCALE idle sessions
		scale_start
		scale_to "$AB_SCALE"
		est64 "est64@${AB_SCALE}_$1"
		ours_flush
		sleep 1
	fi
	if [ "${AB_NEW:-0}" = 1 ]; then	# new sessions too, from an empty table
		ours_flush
		sleep 1
		renamed "$1" newsess
	fi
	if [ "${AB_NEWFEW:-0}" = 1 ]; then	# new sessions on few bindings
		ours_flush
		sleep 1
		renamed "$1" newsess_few
	fi
}
for ROUND in $(seq 1 "$ROUNDS"); do
	if [ $((ROUND % 2)) = 1 ]; then run A; run B; else run B; run A; fi
	if [ "${AB_NATIVE:-0}" = 1 ]; then	# and with no translator: N
		rmmod nat64
		renamed N native64
	fi
done
rmmod nat64
bench_topo_down ours
