#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of tests/kernel/check-stage.sh: the end-to-end suite, then the
# stress suites (bounded by the environment: LIFETIME_CYCLES,
# CONCURRENT_SECONDS, LIMITS_N), in one boot; adds up their
# "N passed, N failed" lines.  run.sh scans kmemleak after it.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=/tmp/check-guest
mkdir -p "$out"
pass=0
fail=0
durations=()
run_suite() { # name command...
	local name=$1 rc line p f t0
	shift
	echo "=== debug kernel: $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$out/$name.out"
	rc=${PIPESTATUS[0]}
	durations+=("$name $(($(date +%s) - t0))s")
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/$name.out" | tail -n1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			echo "FAIL - $name exited $rc"
			f=1
		fi
	else
		echo "FAIL - $name ended without a summary (exit $rc)"
		p=0
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}
if [ "${CHECK_SKIP_E2E:-0}" != 1 ]; then
	# Jool is built for Debian's kernel only: its differential pass runs
	# in make check's vm stage
	run_suite e2e env CONFORM_PASSES="${CONFORM_PASSES:-lin,nl}" tests/e2e/run.sh
fi
run_suite stress tests/stress/run.sh
# no module left loaded for the kmemleak scan to excuse
if grep -q '^nat64 ' /proc/modules; then
	echo "FAIL - nat64 still loaded after the suites"
	fail=$((fail + 1))
fi
echo "debug kernel: ${durations[*]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
