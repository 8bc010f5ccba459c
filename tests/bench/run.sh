#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, host side: dependencies, Jool for the test kernel, build,
# one VM boot running tests/bench/guest.sh, then the table.
#
#   tests/bench.sh            full run (3 rounds, ~15-20 min under TCG)
#   tests/bench.sh --smoke    one short round (< 3 min), ends "N passed, N failed"
#   tests/bench.sh --profile  full run plus perf profiles of both translators
#
# Environment: BENCH_ROUNDS, BENCH_WINDOW, BENCH_WARMUP, BENCH_SCALE,
# BENCH_SCALE_BIG (empty: no 1M step), BENCH_CONTENDERS, BENCH_IPERF_T are
# passed to the guest; BENCH_OUT (results folder, default
# tests/bench/results/last), BENCH_VM_TIMEOUT.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
SMOKE=
ARGS=()
for a in "$@"; do
	case $a in
	--smoke) SMOKE=--smoke; ARGS+=("$a") ;;
	--profile) ARGS+=("$a") ;;
	-h|--help) sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: tests/bench.sh [--smoke] [--profile]" >&2; exit 2 ;;
	esac
done
T0=$(date +%s)

# --- dependencies (the test bed's, plus Jool, ethtool, iperf3, perf)
tests/deps.sh
tests/deps.sh ethtool iperf3 nftables linux-perf python3

KVER=$(tests/kver.sh)
# Jool's module for the kernel the VM boots
tests/jool.sh "$KVER"

# --- build
make -s module KDIR="/lib/modules/$KVER/build"
make -s nat64ctl

# --- one VM boot.  -S: no slub_debug (it slows every allocation and pads
# every object); slab_nomerge: our caches and Jool's stay separate, so
# /proc/slabinfo counts their objects only.
OUT=${BENCH_OUT:-$TOP/tests/bench/results/last}
mkdir -p "$OUT"
ENVS=(-e "BENCH_OUT=$OUT")
for v in BENCH_ROUNDS BENCH_WINDOW BENCH_WARMUP BENCH_SCALE BENCH_SCALE_BIG BENCH_FLOWS \
	BENCH_CONTENDERS BENCH_IPERF_T; do
	[ -z "${!v+x}" ] || ENVS+=(-e "$v=${!v}")
done
if [ -n "$SMOKE" ]; then TMO=${BENCH_VM_TIMEOUT:-600}; else TMO=${BENCH_VM_TIMEOUT:-2400}; fi
rc=0
tests/vm/run.sh -k "$KVER" -c 2 -m 4096 -S -a slab_nomerge -t "$TMO" -o "$OUT/console.log" \
	"${ENVS[@]}" -- tests/bench/guest.sh ${ARGS[@]+"${ARGS[@]}"} || rc=$?

echo
echo "=== make bench${SMOKE:+ --smoke}: $(($(date +%s) - T0)) s in all (VM status $rc, console: $OUT/console.log)"
rrc=0
python3 tests/bench/report.py "$OUT" $SMOKE || rrc=$?
[ "$rc" = 0 ] || exit "$rc"
exit "$rrc"
