#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cover.sh BUILD_DIR SEED_DIR KMOD_DIR: replay the fuzzing corpus (of the
# last run, if any) and the seeds through the coverage build and print the
# line and branch coverage of the translation files. Informational: exit 0
# unless the tools fail.
b=$1 seeds=$2 kmod=$3
prof=$b/cov/fuzz.profraw
cov=$(command -v llvm-cov-14 || command -v llvm-cov) &&
	profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata) || {
	echo "# cover: llvm-cov/llvm-profdata not installed (Debian llvm-14)"; exit 0; }
dirs=$seeds
[ -d "$b/corpus" ] && dirs="$b/corpus $seeds"
# shellcheck disable=SC2086 # two directories
LLVM_PROFILE_FILE=$prof "$b/cov/fuzz_xlat" -runs=0 $dirs >"$b/cov/replay.log" 2>&1 || {
	echo "# cover: replay failed, see $b/cov/replay.log"; exit 1; }
"$profdata" merge -sparse "$prof" -o "$b/cov/fuzz.profdata" || exit 1
# shellcheck disable=SC2086
echo "# coverage of the translation files by $(find $dirs -type f | wc -l) inputs"
"$cov" report "$b/cov/fuzz_xlat" -instr-profile="$b/cov/fuzz.profdata" \
	"$kmod"/xlat6to4.c "$kmod"/xlat4to6.c "$kmod"/icmp.c "$kmod"/csum.h 2>/dev/null |
	awk 'NR == 1 || /^-/ { next }
	     { f = $1; sub(".*/", "", f)
	       printf "# coverage %-12s lines %7s of %5s  branches %7s of %5s\n", f, $10, $8, $13, $11 }'
