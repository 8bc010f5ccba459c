#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stress suites, one after the other (guest side):
#   tests/vm/run.sh [-K DIR] [-e LIFETIME_CYCLES=N] [-e CONCURRENT_SECONDS=S] \
#       [-e LIMITS_N=N] -- tests/stress/run.sh [SUITE...]
#
# SUITE: lifetime, concurrent, limits (default: all three).  Each prints its
# cases and "N passed, N failed"; this adds them up, prints each suite's
# duration and ends with the total.  A suite that ends without that line
# counts as one failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(lifetime concurrent limits)
out=${ST_TMP:-/tmp/stress}
mkdir -p "$out"
pass=0
fail=0
durations=()
for s in "${suites[@]}"; do
	echo "=== stress: $s"
	t0=$(date +%s)
	"tests/stress/$s.sh" 2>&1 | tee "$out/$s.out"
	rc=${PIPESTATUS[0]}
	t=$(($(date +%s) - t0))
	durations+=("$s ${t}s")
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/$s.out" | tail -n1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			echo "FAIL - $s exited $rc"
			f=1
		fi
	else
		echo "FAIL - $s ended without a summary (exit $rc)"
		p=0
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "stress: ${durations[*]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
