#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the debug kernel in the VM test bed: boots it with
# tests/vm/run.sh -K and checks that
#   - a clean module load/unload passes, with modprobe finding built-ins and
#     the one loadable module (pktgen), and kmemleak scanning with no leak;
#   - a leak (kmemleak), a use-after-free and an out-of-bounds write (KASAN),
#     a bad shift (UBSAN) and an ABBA lock order (lockdep) each fail the run.
# One VM boot per case: ~1 min each under TCG.
#
#   tests/kernel/selftest.sh [-K DIR] [CASE...]   (default DIR: build.sh's)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
RUN=$HERE/../vm/run.sh
DBGK=
if [ "${1:-}" = -K ] && [ -n "${2:-}" ]; then
	DBGK=$2
	shift 2
fi
if [ -z "$DBGK" ]; then
	DBGK=$("$HERE/build.sh" | tail -n1)
	DBGK=${DBGK#NAT64_DEBUG_KERNEL=}
fi
[ -e "$DBGK/.complete" ] || { echo "no debug kernel in '$DBGK'"; exit 2; }
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(none leak uaf oob ubsan lockdep)

PASS=0
FAIL=0
ok() {
	echo "ok - $1"
	PASS=$((PASS + 1))
}
notok() {
	echo "FAIL - $1"
	FAIL=$((FAIL + 1))
	[ -r "${2:-}" ] && tail -n 25 "$2" | sed 's/^/#   /'
	return 0
}

# In the work tree: the guest sees it (the host's /tmp it does not).
WORK=$(mktemp -d "$HERE/.selftest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/selftest/dbg_bugs.c" "$WORK/"
echo 'obj-m := dbg_bugs.o' >"$WORK/Kbuild"
if ! make -s -C "$DBGK/obj" M="$WORK" modules >"$WORK/build.log" 2>&1; then
	notok "build dbg_bugs.ko against $DBGK/obj" "$WORK/build.log"
	echo "$PASS passed, $FAIL failed"
	exit 1
fi
ok "dbg_bugs.ko builds against $DBGK/obj"
KO=$WORK/dbg_bugs.ko

# vm CASE COMMAND...: run.sh output in $WORK/out.CASE, its status in $rc
vm() {
	local c=$1
	shift
	rc=0
	"$RUN" -K "$DBGK" -t 600 -o "$WORK/console.$c.log" -- "$@" >"$WORK/out.$c" 2>&1 || rc=$?
	OUT=$WORK/out.$c
}

for c in "${CASES[@]}"; do
	case $c in
	none)
		# shellcheck disable=SC2016
		vm none sh -c '
			set -e
			for m in nf_conntrack nf_tables nft_ct nft_chain_nat nft_masq nf_nat \
				dummy veth 9p 9pnet_virtio virtio_pci overlay; do
				modprobe "$m"
			done
			modprobe pktgen
			grep -q "^pktgen " /proc/modules
			rmmod pktgen
			insmod "$1" bug=none
			rmmod dbg_bugs
			echo DBG-CLEAN-DONE' sh "$KO"
		if [ "$rc" = 0 ] && grep -q '^DBG-CLEAN-DONE' "$OUT" &&
		   grep -q '^nat64-vm: kmemleak: 0 suspected leaks' "$OUT"; then
			ok "clean run passes: modprobe of built-ins and pktgen.ko, no leak ($(grep -o 'scan: [0-9]* s' "$OUT"))"
		else
			notok "clean run passes (exit $rc)" "$OUT"
		fi
		;;
	leak | uaf | oob | ubsan | lockdep)
		want=$(case $c in
			leak) echo 'unreferenced object' ;;
			uaf) echo 'KASAN: (slab-)?use-after-free' ;;
			oob) echo 'KASAN: slab-out-of-bounds' ;;
			ubsan) echo 'UBSAN: shift-out-of-bounds' ;;
			lockdep) echo 'WARNING: possible circular locking dependency' ;;
			esac)
		vm "$c" sh -c 'insmod "$1" bug="$2" && rmmod dbg_bugs' sh "$KO" "$c"
		if [ "$rc" = 1 ] && grep -E -q "FAIL: kernel problem:.*($want)" "$OUT"; then
			ok "$c fails the run: $(sed -n 's/^run.sh: FAIL: kernel problem: \(.*\) ([0-9]*s, log: .*/\1/p' "$OUT")"
		else
			notok "$c fails the run (exit $rc, wanted 1 and /$want/)" "$OUT"
		fi
		;;
	*)
		notok "unknown case $c"
		;;
	esac
done

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
