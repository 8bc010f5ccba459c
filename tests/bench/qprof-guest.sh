#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/bench/qprof.sh: each phase runs pktgen for QPROF_SECS
# seconds plus one, and $BENCH_OUT/phase names it for the host's profile.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck disable=SC2034 # used by the sourced files
TOP=$PWD
. tests/vm/topo.sh
. tests/bench/lib.sh
SECS=${QPROF_SECS:-5}
bench_files
cp nat64.ko usr/nat64ctl $BIN/
modprobe -a veth pktgen sch_ingress cls_flower act_gact || exit 1
for c in plain ours; do
	bench_topo_up "$c" || { echo "qprof: topology $c"; exit 1; }
	use "$c"
	mode pktgen
	if ! "${c}_load" || ! "${c}_up"; then echo "qprof: setup $c"; exit 1; fi
done
N=0
# rate_line NAME R1 R2 T1 T2 S1 S2: rx counts, times and session counts
rate_line() {
	echo "QPROF $1 $((($3 - $2) * 1000000 / ($(us "$5") - $(us "$4")))) pps, $(($3 - $2)) delivered, $(($7 - $6)) sessions" |
		tee -a "$BENCH_OUT/phases.txt"
}
# irq_snap: CPU 1's interrupt counts (/proc/interrupts) and softirqs, one
# "name count" per line
irq_snap() {
	awk 'NR > 1 && $3 ~ /^[0-9]+$/ { sub(":", "", $1); print $1, $3 }' /proc/interrupts
	awk 'NR > 1 { sub(":", "", $1); print "softirq_" $1, $3 }' /proc/softirqs
}
# irq_delta FILE1 FILE2: the counts that moved
irq_delta() {
	awk 'NR == FNR { a[$1] = $2; next } $2 - a[$1] > 0 { printf "%s=%d ", $1, $2 - a[$1] }' "$1" "$2"
}
# phase NAME TXNS TXDEV RXNS RXDEV: pktgen is configured; the files of the
# Nth phase are named N-NAME (a phase may come twice)
phase() {
	local r1 r2 t1 t2 s1 s2 f
	N=$((N + 1))
	f=$N-$1
	pg_start "$2"
	sleep 1
	ifstat_v r1 "$4" "$5" rx_packets
	s1=$(ours_sessions)
	irq_snap >/tmp/irq1
	t1=$EPOCHREALTIME
	echo "$f" >"$BENCH_OUT/phase"
	if [ "${QPROF_GUEST:-0}" = 1 ]; then
		perf record -C 1 -g -o "/tmp/perf-$f.data" -- sleep "$SECS" >/dev/null 2>&1
	else
		sleep "$SECS"
	fi
	sleep 1		# the host's profile ends
	t2=$EPOCHREALTIME
	irq_snap >/tmp/irq2
	ifstat_v r2 "$4" "$5" rx_packets
	s2=$(ours_sessions)
	pg_stop
	echo "QPROF $f cpu1 irqs: $(irq_delta /tmp/irq1 /tmp/irq2)" | tee -a "$BENCH_OUT/phases.txt"
	if [ "${QPROF_GUEST:-0}" = 1 ]; then
		perf report -i "/tmp/perf-$f.data" --stdio --no-children --sort sym -g none 2>/dev/null |
			grep -v '^#' | grep '%' | head -50 >"$BENCH_OUT/guest-$f.txt"
		perf report -i "/tmp/perf-$f.data" --stdio --children --sort sym -g none 2>/dev/null |
			grep -v '^#' | grep '%' | head -80 >"$BENCH_OUT/guest-$f-children.txt"
	fi
	rate_line "$f" "$r1" "$r2" "$t1" "$t2" "$s1" "$s2"
}
# fill: FILL flows made one by one, paced so that none is lost (the rate
# over the run, overload is dropped before the translator)
fill() {
	local r1 r2 t1 t2 s2
	ours_flush
	sleep 1
	ifstat_v r1 "$NS_S4" "$S4_IF" rx_packets
	t1=$EPOCHREALTIME
	flows_fill "$FILL"
	t2=$EPOCHREALTIME
	ifstat_v r2 "$NS_S4" "$S4_IF" rx_packets
	s2=$(ours_sessions)
	rate_line fill "$r1" "$r2" "$t1" "$t2" 0 "$s2"
}
# tcp_phase NAME: iperf3 c6 -> s4 (offloads on, the veth defaults, as
# make bench's tcp_on) for QPROF_SECS + 2 s: the rate and both CPUs' busy
# share. No guest profile: perf's samples (cpu-clock, no PMU under TCG) put
# 98 % in the idle loop while /proc/stat has both CPUs half busy or more.
tcp_phase() {
	local dst=$S4_ADDR6 f out
	[ "$C" = plain ] && dst=$PLAIN6_S4
	N=$((N + 1))
	f=$N-$1
	mode on
	nsrun "$NS_S4" "iperf3 -s -D >/dev/null 2>&1"
	nsrun "$NS_C6" "iperf3 -c $dst -t $((SECS + 2)) -f m >$AGENT_DIR/iperf.out 2>&1 &"
	sleep 1
	echo "$f" >"$BENCH_OUT/phase"
	cpustat CA_
	sleep "$SECS"
	cpustat CB_
	sleep 2
	out=$(iperf_mbps <"$AGENT_DIR/iperf.out")
	echo "QPROF $f ${out:-?} Mbit/s (iperf3, offloads on), busy $(cpubusy)" |
		tee -a "$BENCH_OUT/phases.txt"
	mode pktgen
}
FILL=${QPROF_FILL:-50000}
# shellcheck disable=SC2034 # read by lib.sh (scale_to)
SPORTS=1009
declare -A NEW_PPS=([ours]=15000)
: >"$BENCH_OUT/phases.txt"
for ph in ${QPROF_PHASES:-plain64 est64 new est46 plain46}; do
	case $ph in
	plain64) use plain; pg6 "$PLAIN6_S4" 1000 1004 9 9 ;;
	est64) use ours; pg6 "$S4_ADDR6" 1000 1004 9 9 ;;
	new) use ours; ours_flush; sleep 1; pg6 "$S4_ADDR6" 1024 65535 10 17 ;;
	# the new-session traffic forwarded plainly: what varying the ports costs
	plainnew) use plain; pg6 "$PLAIN6_S4" 1024 65535 10 17 ;;
	# new sessions on 511 bindings (newsess_few in lib.sh)
	newfew) use ours; ours_flush; sleep 1; newfew_pg ;;
	# fill: see fill(); replay: the same flows round and round at full
	# speed, all established (the phase shows 0 sessions)
	fill) use ours; fill; continue ;;
	replay) use ours; flows_pg "$FILL" ;;
	grow) use ours; scale_start; scale_to "${QPROF_BIG:-1000000}"	# idle sessions
		continue ;;
	est46) use ours; pg4 203.0.113.1 1000 1004 "$STATIC_PORT" ;;
	plain46) use plain; pg4 "$PLAIN4_C6" 1000 1004 "$STATIC_PORT" ;;
	# TCP with offloads on (iperf3): rate and CPU shares
	tcp) use ours; tcp_phase tcp; continue ;;
	tcpplain) use plain; tcp_phase tcpplain; continue ;;
	esac
	case $ph in
	*46) phase "$ph" "$NS_S4" "$S4_IF" "$NS_C6" "$C6_IF" ;;
	*) phase "$ph" "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF" ;;
	esac
done
echo end >"$BENCH_OUT/phase"
for c in plain ours; do bench_topo_down "$c"; done
rmmod nat64
