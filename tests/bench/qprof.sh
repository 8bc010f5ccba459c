#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the emulator's time goes, from the host: boots the bench VM (plain
# and nat64.ko), runs pktgen phases (plain64 est64 new est46 plain46 by
# default, QPROF_PHASES to choose) and profiles the qemu process with perf
# for QPROF_SECS (5) seconds during each.  Guest code shows as JIT code
# ([unknown]), the emulator's own work (softmmu TLB refills, translation,
# exclusive steps) by name.  A diagnostic of the benchmark, not of nat64.
# Phases "fill" (QPROF_FILL new flows, paced) and "replay" (the same flows
# round and round at full speed, all hits) tell creating sessions from
# touching many of them; "grow" adds QPROF_BIG (1000000) idle sessions for
# the phases after it; "newfew" makes new sessions on 511 bindings;
# "plainnew" forwards the new-session traffic plainly (what varying the
# ports costs the stack and pktgen); "tcp"
# and "tcpplain" run iperf3 with offloads on (rate and CPU busy shares).
#
#   [QPROF_HOST=0] [QPROF_GUEST=1] [QPROF_PHASES=...] tests/bench/qprof.sh
#
# QPROF_HOST=0: no host profile (the phases run undisturbed, rates only);
# QPROF_GUEST=1: perf inside the guest on CPU 1 too.  Results in
# tests/bench/results/qprof.
set -eu
cd "$(dirname "$0")/../.."
KVER=$(tests/kver.sh)
OUT=${BENCH_OUT:-$PWD/tests/bench/results/qprof}
SECS=${QPROF_SECS:-5}
mkdir -p "$OUT"
rm -f "$OUT/phase" "$OUT"/host-*
make -s module KDIR="/lib/modules/$KVER/build"
make -s nat64ctl
tests/vm/run.sh -k "$KVER" -c 2 -m 4096 -S -a slab_nomerge -t 1800 \
	-e "BENCH_OUT=$OUT" -e "QPROF_PHASES=${QPROF_PHASES:-plain64 est64 new est46 plain46}" \
	-e "QPROF_GUEST=${QPROF_GUEST:-0}" -e "QPROF_SECS=$SECS" -e "QPROF_FILL=${QPROF_FILL:-50000}" -e "QPROF_BIG=${QPROF_BIG:-1000000}" \
	-- tests/bench/qprof-guest.sh >"$OUT/console.log" 2>&1 &
VM=$!
last=
while kill -0 "$VM" 2>/dev/null; do
	ph=$(cat "$OUT/phase" 2>/dev/null || true)
	if [ -n "$ph" ] && [ "$ph" != "$last" ] && [ "$ph" != end ]; then
		q=$(pgrep -n -x qemu-system-x86)
		last=$ph
		[ "${QPROF_HOST:-1}" = 0 ] && continue
		perf record -q -g -p "$q" -o "$OUT/host-$ph.data" -- sleep "$SECS" >/dev/null 2>&1 || true
	fi
	sleep 0.2
done
wait "$VM" || echo "qprof: the VM run failed (see $OUT/console.log)"
cat "$OUT/phases.txt" 2>/dev/null
for d in "$OUT"/host-*.data; do
	[ -e "$d" ] || continue
	perf report -i "$d" --stdio --no-children --sort dso,sym -g none 2>/dev/null |
		grep -v '^#' | grep '%' | head -40 >"${d%.data}.txt"
	echo "== ${d%.data}.txt"
	head -15 "${d%.data}.txt"
done
