#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM tests on Debian 13's kernel (6.12): tests/k612/build.sh sets up
# (once) a trixie chroot with linux-headers-amd64 and trixie's kernel image;
# this copies the work tree (uncommitted changes included, build products
# excluded) into the chroot, builds nat64.ko there (W=1, warnings fail),
# nat64ctl on the host (the guest runs the host's userland), and runs
# tests/e2e/run.sh (or COMMAND) from the copy under
# tests/vm/run.sh -K <the trixie kernel> -a slub_debug=FZPU.
#
#   tests/k612/e2e.sh [-t TIMEOUT_S] [-- COMMAND [ARGS...]]
#
# Prints one line per case and, last, "N passed, N failed": the module
# build for 6.12 is one case, the guest command's cases follow, and a run
# that fails without a failed case (kernel warning, crash, timeout) counts
# as one failure.  NAT64_K612_KEEP=1 keeps the copy.
set -u

HERE=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(cd "$HERE/../.." && pwd -P)
TIMEOUT=3000
while getopts "t:h" opt; do
	case $opt in
	t) TIMEOUT=$OPTARG ;;
	h) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
CMD=("$@")
[ ${#CMD[@]} -gt 0 ] || CMD=(tests/e2e/run.sh)

pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
ko() { echo "FAIL - $1"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

t0=$(date +%s)
if ! out=$("$HERE/build.sh" 2>&1); then
	echo "$out" | tail -n 20
	ko "trixie chroot and 6.12 kernel (tests/k612/build.sh)"
	finish
fi
ROOT=$(echo "$out" | sed -n 's/^NAT64_K612_ROOT=//p')
KDIR=$(echo "$out" | sed -n 's/^NAT64_K612_KERNEL=//p')
KVER=$(cat "$KDIR/kernelrelease")
echo "k612: chroot and kernel $KVER ready ($(($(date +%s) - t0)) s)"

mkdir -p "$ROOT/var/tmp"
SCRATCH=$(mktemp -d "$ROOT/var/tmp/nat64-k612.XXXXXX")
if [ "${NAT64_K612_KEEP:-0}" = 1 ]; then
	echo "k612: copy of the work tree: $SCRATCH (kept)"
else
	trap 'rm -rf "$SCRATCH"' EXIT
fi
tar -C "$TOP" --exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.ko' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
	--exclude=modules.order --exclude='.selftest.*' --exclude=__pycache__ -cf - . |
	tar -C "$SCRATCH" -xf -
# run.sh finds the top of the work tree with git: give the copy one.
git -C "$SCRATCH" init -q 2>/dev/null || true

t0=$(date +%s)
if out=$("$HERE/build.sh" -M "$SCRATCH" 2>&1) && [ -e "$SCRATCH/nat64.ko" ]; then
	ok "nat64.ko builds for $KVER with W=1 and no warning ($(($(date +%s) - t0)) s)"
else
	echo "$out" | grep -v '^NAT64_K612_' | tail -n 30
	ko "nat64.ko builds for $KVER with W=1 and no warning"
	finish
fi
if ! make -s -C "$SCRATCH/usr" >"$SCRATCH/usr-build.log" 2>&1; then
	tail -n 20 "$SCRATCH/usr-build.log"
	ko "nat64ctl builds"
	finish
fi

LOG=$SCRATCH/vm.out
rc=0
"$SCRATCH/tests/vm/run.sh" -K "$KDIR" -a slub_debug=FZPU -t "$TIMEOUT" -- "${CMD[@]}" 2>&1 |
	tee "$LOG"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n 1)
if [ -n "$line" ]; then
	set -- $line
	pass=$((pass + $1))
	fail=$((fail + $3))
	if [ "$rc" != 0 ] && [ "$3" = 0 ]; then
		ko "tests/vm/run.sh on $KVER exited $rc ($(grep -m1 '^run.sh: ' "$LOG"))"
	fi
elif [ "$rc" = 0 ]; then
	ok "${CMD[*]} on $KVER"
else
	ko "${CMD[*]} on $KVER (exit $rc)"
fi
finish
