#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh FUZZER BUILD_DIR SEED_DIR [libFuzzer args...]
# Fuzzes with a fresh working corpus seeded from SEED_DIR; prints a summary
# and, last, "1 passed, 0 failed" or "0 passed, 1 failed".
fuzzer=$1 build=$2 seeds=$3
shift 3
corpus=$build/corpus
log=$build/fuzz.log
rm -rf "$corpus" "$build/artifacts" && mkdir -p "$corpus" "$build/artifacts" || exit 2
: "${ASAN_OPTIONS:=detect_leaks=1}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
"$fuzzer" "$@" -artifact_prefix="$build/artifacts/" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
grep -v '^#[0-9]' "$log" | tail -n 40
runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 execs in \2 s/p' "$log")
[ -n "$runs" ] || runs="stopped after $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") execs"
cov=$(grep '^#[0-9]' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*corp: \([0-9]*\).*/coverage \1, corpus \2/p')
echo "# fuzz_xlat: $runs; ${cov}; exit status $rc; log $log"
if [ "$rc" -eq 0 ]; then
	echo "ok - fuzz_xlat: no crash"
	echo "1 passed, 0 failed"
else
	ls "$build"/artifacts/ 2>/dev/null | sed 's/^/# artifact: /'
	echo "FAIL - fuzz_xlat: crash or oracle failure (see above)"
	echo "0 passed, 1 failed"
	exit 1
fi
