#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh [result-file...] -- binary...
# Prints every case line, then "N passed, N failed" as the last line; exits 1
# on any failure. A binary that dies before its "# done" line (sanitizer
# report, crash) counts as one more failure.
pass=0
fail=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	cat "$1"
	pass=$((pass + $(grep -c '^ok - ' "$1")))
	fail=$((fail + $(grep -c '^FAIL - ' "$1")))
	shift
done
[ "$1" = "--" ] && shift
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT
: "${ASAN_OPTIONS:=detect_leaks=0:abort_on_error=0}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
for bin in "$@"; do
	"$bin" >"$out"
	rc=$?
	cat "$out"
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^FAIL - ' "$out")
	if ! grep -q '^# done$' "$out" || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "FAIL - $(basename "$bin"): exited with status $rc before finishing (see stderr)"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
