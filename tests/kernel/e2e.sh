#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the end-to-end tests (or another guest command) on the debug kernel of
# tests/kernel/build.sh.  The module must be built for that kernel, and the
# work tree's own nat64.ko (built for Debian's kernel) must stay as it is:
# so this copies the work tree (as it is, uncommitted changes included,
# without build products) to a scratch folder, builds nat64.ko and nat64ctl
# there and runs tests/vm/run.sh -K from the copy.  Exit status and output
# are run.sh's (the e2e tests end with "N passed, N failed").
#
#   tests/kernel/e2e.sh [-K DIR] [-t TIMEOUT_S] [-e NAME=VAL] [-a ARG]
#                       [-- COMMAND [ARGS...]]
#
# DIR: default the one tests/kernel/build.sh prints (built when missing).
# COMMAND: default tests/e2e/run.sh.  TIMEOUT_S: default 3600.  -e and -a
# (repeatable) go to run.sh: an environment variable for COMMAND, a kernel
# argument.
# NAT64_DBG_KEEP=1 keeps the scratch copy (its path is printed).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(cd "$HERE/../.." && pwd -P)
DBGK=
TIMEOUT=3600
RUNARGS=()
while getopts "K:t:e:a:h" opt; do
	case $opt in
	K) DBGK=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	e) RUNARGS+=(-e "$OPTARG") ;;
	a) RUNARGS+=(-a "$OPTARG") ;;
	h) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
CMD=("$@")
[ ${#CMD[@]} -gt 0 ] || CMD=(tests/e2e/run.sh)

say() { echo "dbg-e2e: $*"; }
if [ -z "$DBGK" ]; then
	DBGK=$("$HERE/build.sh" | tail -n1) || { say "tests/kernel/build.sh failed"; exit 1; }
	DBGK=${DBGK#NAT64_DEBUG_KERNEL=}
fi
[ -e "$DBGK/.complete" ] || { say "no debug kernel in '$DBGK'"; exit 2; }

SCRATCH=$(mktemp -d "${NAT64_DBG_TMP:-/var/tmp}/nat64-dbg.XXXXXX")
if [ "${NAT64_DBG_KEEP:-0}" = 1 ]; then
	say "scratch copy: $SCRATCH (kept)"
else
	trap 'rm -rf "$SCRATCH"' EXIT
fi
tar -C "$TOP" --exclude=./.git --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
	--exclude='.selftest.*' --exclude=__pycache__ -cf - . | tar -C "$SCRATCH" -xf -
# run.sh finds the top of the work tree with git: give the copy one.
git -C "$SCRATCH" init -q 2>/dev/null || true

if ! make -C "$DBGK/obj" M="$SCRATCH" modules >"$SCRATCH/build-dbg.log" 2>&1; then
	tail -n 30 "$SCRATCH/build-dbg.log"
	say "FAIL: nat64.ko does not build against $DBGK/obj"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! make -s -C "$SCRATCH/usr" >>"$SCRATCH/build-dbg.log" 2>&1; then
	tail -n 30 "$SCRATCH/build-dbg.log"
	say "FAIL: nat64ctl does not build"
	echo "0 passed, 1 failed"
	exit 1
fi
say "nat64.ko built for $(cat "$DBGK/kernelrelease") in $SCRATCH"
rc=0
"$SCRATCH/tests/vm/run.sh" -K "$DBGK" -t "$TIMEOUT" ${RUNARGS[@]+"${RUNARGS[@]}"} \
	-- "${CMD[@]}" || rc=$?
exit "$rc"
