#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, guest side (run by tests/bench.sh through tests/vm/run.sh).
# One boot; three contenders, each on its own copy of the topology:
#
#   plain  no translator: c6 -> s4 over IPv6 (6->4 baseline), s4 -> c6 over
#          IPv4 (4->6 baseline), same veths and namespaces
#   ours   nat64.ko
#   jool   Jool 4.1.9 (netfilter instance)
#
# In every round each measurement runs for each contender in turn (the
# order rotates from round to round):
#
#   est64/est46  established UDP, 4 flows of small packets (pktgen), pps
#                delivered to the far namespace's eth0 (pktgen on CPU 0,
#                xlat's work on CPU 1 through RPS; _1cpu: both on CPU 0)
#   new          one new session per packet, pps delivered, checked
#                against the sessions the translator counts
#   est64_flows  est64 over 50,000 established flows, round robin
#   est64@N      est64 with N other live sessions
#   mem_*        bytes per session (slab objects; MemFree)
#   tcp_on/off   iperf3 TCP c6 -> s4, offloads on / off
#
# Raw results go to $BENCH_OUT/raw.tsv (metric contender round value note),
# notes (drops, counters) to $BENCH_OUT/notes.txt; tests/bench/report.py
# makes the table.  Usage: guest.sh [--smoke] [--profile]
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
. tests/vm/topo.sh
. tests/bench/lib.sh

MODE=full
PROFILE=0
for a in "$@"; do
	case $a in
	--smoke) MODE=smoke ;;
	--profile) PROFILE=1 ;;
	*) echo "usage: $0 [--smoke] [--profile]" >&2; exit 2 ;;
	esac
done

if [ "$MODE" = smoke ]; then
	ROUNDS=1 WARMUP=0.3 WINDOW=1 IPERF_T=1 IPERF_O=0
	SCALE="10 1000" SCALE_BIG='' MEMTOTAL_MIN=1000 FLOWS=
else
	ROUNDS=${BENCH_ROUNDS:-3} WARMUP=${BENCH_WARMUP:-1} WINDOW=${BENCH_WINDOW:-3}
	IPERF_T=${BENCH_IPERF_T:-3} IPERF_O=1
	SCALE=${BENCH_SCALE:-"10 10000 100000"}
	SCALE_BIG=${BENCH_SCALE_BIG-1000000}	# last round only (time)
	MEMTOTAL_MIN=50000	# MemFree moves by MBs on its own: only for many sessions
	FLOWS=${BENCH_FLOWS-50000}	# established flows of manyflows
fi
CONTENDERS=${BENCH_CONTENDERS:-"plain ours jool"}
XLATORS=$(echo "$CONTENDERS" | tr ' ' '\n' | grep -v '^plain$' | tr '\n' ' ')
# background sessions of the scale series: source ports [1024, 1024+SPORTS)
# (a prime, so every destination-port range length is coprime to it)
SPORTS=1009

BENCH_OUT=${BENCH_OUT:-$TOP/tests/bench/results/last}
mkdir -p "$BENCH_OUT"
bench_files
ROUND=0

# Private copies: the work tree's nat64.ko may be rebuilt during the run.
cp nat64.ko usr/nat64ctl $BIN/ || { echo "no nat64.ko / usr/nat64ctl: build first"; exit 1; }

START=$(date +%s)
{
	echo "mode=$MODE rounds=$ROUNDS warmup=${WARMUP}s window=${WINDOW}s iperf=${IPERF_T}s scale=$SCALE big=$SCALE_BIG"
	echo "kernel=$(uname -r) cpus=$(nproc) mem=$(awk '/MemTotal/ {print $2}' /proc/meminfo)kB"
	echo "cmdline=$(cat /proc/cmdline)"
	echo "nat64.ko srcversion=$(modinfo -F srcversion $BIN/nat64.ko) jool=$(modinfo -F version jool 2>/dev/null)"
} >"$BENCH_OUT/meta.txt"
cat "$BENCH_OUT/meta.txt"
grep -q slab_nomerge /proc/cmdline ||
	note "slab caches may be merged (no slab_nomerge): slab figures may include other objects"

# --- setup ---------------------------------------------------------------
cleanup() {
	pg_stop
	for c in $CONTENDERS; do bench_topo_down "$c"; done
}
fatal() { echo "bench: $*"; cleanup; exit 1; }

modprobe -a veth pktgen sch_ingress cls_flower act_gact || fatal "modprobe veth, pktgen, tc modules"
for c in $CONTENDERS; do
	bench_topo_up "$c" || fatal "topology of $c"
	[ -e "/proc/${NSPID[$NS_C6]}/net/pktgen/$PG_THREAD" ] || fatal "no pktgen thread $PG_THREAD in $NS_C6"
	nsrun "$NS_S4" "iperf3 -s -D >/dev/null 2>&1" || note "iperf3 server in $NS_S4 did not start"
	mode pktgen
	if ! "${c}_load" || ! "${c}_up"; then
		note "$c: setup failed, left out"
		CONTENDERS=$(echo " $CONTENDERS " | sed "s/ $c / /")
		XLATORS=$(echo " $XLATORS " | sed "s/ $c / /")
	fi
done
log "setup done ($(($(date +%s) - START)) s): $CONTENDERS"

# each: run "$@" for every contender of LIST in this round's order
rotate() { # list -> the list rotated by ROUND-1
	local -a l
	read -r -a l <<<"$1"
	local n=${#l[@]} i
	[ "$n" -gt 0 ] || return 0
	for ((i = 0; i < n; i++)); do
		printf '%s ' "${l[$(((i + ROUND - 1) % n))]}"
	done
}
each() { # list command...
	local list=$1 c
	shift
	for c in $(rotate "$list"); do
		use "$c"
		"$@"
	done
}

# --- rounds ---------------------------------------------------------------
for ROUND in $(seq 1 "$ROUNDS"); do
	t0=$(date +%s)
	log "round $ROUND: $(rotate "$CONTENDERS")"
	each "$CONTENDERS" mode pktgen
	each "$CONTENDERS" est64 est64
	each "$CONTENDERS" est46
	each "$CONTENDERS" est46_fwd6	# plain only: IPv6 forwarding s4 -> c6
	each "$CONTENDERS" native64	# IPv6 forwarding c6 -> s4, not translated
	# the same on one CPU (no RPS): pktgen and xlat share CPU 0
	each "$CONTENDERS" mode inline
	each "$CONTENDERS" est64 est64_1cpu
	each "$CONTENDERS" est46 est46_1cpu
	each "$CONTENDERS" mode pktgen
	each "$CONTENDERS" counters established
	each "$XLATORS" newsess
	each "$XLATORS" counters new
	if [ -n "$FLOWS" ]; then each "$XLATORS" manyflows; fi
	each "$XLATORS" scale_start
	sizes=$SCALE
	[ "$ROUND" = "$ROUNDS" ] && [ -n "$SCALE_BIG" ] && sizes="$sizes $SCALE_BIG"
	for n in $sizes; do
		each "$XLATORS" scale_to "$n"
		each "$XLATORS" est64 "est64@$n"
		[ "$n" -ge 1000 ] && each "$XLATORS" scale_mem "$n"
	done
	each "$XLATORS" counters scale
	for c in $XLATORS; do use "$c"; "${c}_flush"; done
	each "$CONTENDERS" tcp off
	each "$(echo " $CONTENDERS " | sed 's/ jool / /')" tcp on
	each "$CONTENDERS" counters tcp
	log "round $ROUND done ($(($(date +%s) - t0)) s)"
done

if [ "$PROFILE" = 1 ]; then
	each "$XLATORS" mode pktgen
	each "$XLATORS" profile
fi

cleanup
rmmod nat64 2>/dev/null
modprobe -r jool 2>/dev/null
echo "guest time: $(($(date +%s) - START)) s" | tee -a "$BENCH_OUT/meta.txt"
echo "bench: raw results in $RAW (tests/bench/report.py $BENCH_OUT makes the table)"
