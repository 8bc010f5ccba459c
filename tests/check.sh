#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every stage prints one line per case and "N passed, N failed";
# this script adds them up and ends with the total.
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
VM=1
[ "${1:-}" = "--no-vm" ] && VM=0
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
pass=0
fail=0

# stage NAME CMD...: run, echo output, count its "N passed, N failed" line
# (or its exit status, as one case, when it prints none).
stage() {
	local name=$1 rc p f
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$LOG/$name"
	rc=${PIPESTATUS[0]}
	if line=$(grep -E '^[a-z]*:? ?[0-9]+ passed, [0-9]+ failed' "$LOG/$name" | tail -1) &&
	   [ -n "$line" ]; then
		p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
		f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			echo "FAIL - $name exited $rc"
			f=1
		fi
	elif [ "$rc" = 0 ]; then
		echo "ok - $name"
		p=1 f=0
	else
		echo "FAIL - $name (exit $rc)"
		p=0 f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

stage deps tests/deps.sh
KVER=$(tests/kver.sh) || { echo "0 passed, 1 failed"; exit 1; }
export KVER
KDIR=/lib/modules/$KVER/build
echo "kernel under test: $KVER"

stage build tests/build.sh "$KDIR"
stage unit make -s -C tests/unit check
stage nat64ctl make -s -C usr check
stage fuzz make -s -C tests/fuzz run FUZZ_SECONDS=${FUZZ_SECONDS:-30}
if [ "$(id -u)" = 0 ]; then
	stage dkms make -s dkms-install KDIR="$KDIR"
fi
if [ $VM = 1 ]; then
	# Jool for the VM's kernel: the conformance suite's differential oracle
	stage jool tests/jool.sh "$KVER"
	# end to end, netlink, CLI, unload; then the conformance/hostile suite
	stage vm tests/vm/run.sh -k "$KVER" -t 3000 -- tests/e2e/run.sh
	stage stress tests/vm/run.sh -k "$KVER" -t 2400 -a no_timer_check \
		-e LIFETIME_CYCLES=3 -e CONCURRENT_SECONDS=60 -e LIMITS_N=50 -- tests/stress/run.sh
	stage multi tests/vm/run.sh -k "$KVER" -- tests/multi/run.sh
	if [ "$(id -u)" = 0 ]; then
		stage pkg tests/pkg/check.sh -k "$KVER"
		stage k612 tests/k612/e2e.sh -- env E2E_CONFORM=0 tests/e2e/run.sh
	fi
	# the debug kernel (KASAN, UBSAN, lockdep, PROVE_RCU, kmemleak, debug
	# objects): built once from linux-source-6.1 and cached in /var/tmp
	# (bounded here: 3 lifetime cycles, 60 s of concurrency)
	if [ "${NAT64_CHECK_DEBUG:-1}" = 1 ]; then
		stage debug env CHECK_LIFETIME_CYCLES="${CHECK_LIFETIME_CYCLES:-3}" \
			CHECK_CONCURRENT_SECONDS="${CHECK_CONCURRENT_SECONDS:-60}" \
			CHECK_LIMITS_N="${CHECK_LIMITS_N:-50}" tests/kernel/check-stage.sh
	fi
fi

echo "=== total"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
