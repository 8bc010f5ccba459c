#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two builds of nat64.ko, A and B, alternated in one VM boot on the bench
# topology: the same established-flow measurements as make bench (est64,
# est46, both also on one CPU), AB BA AB ... for ROUNDS rounds, medians.
# For a change that moves the rate by less than the spread between boots.
#
#   [AB_ROUNDS=6] [AB_NEW=1] [AB_NEWFEW=1] [AB_SCALE=N] [AB_NATIVE=1] [AB_EST=0] \
#	tests/bench/ab.sh A_REV [B_REV]   (B: the work tree)
#
# AB_NEW=1 adds the new-session measurement (from an emptied table);
# AB_NEWFEW=1 new sessions on 511 bindings (newsess_few);
# AB_NATIVE=1 IPv6 forwarding not to the prefix (native64), also with no
# translator loaded (N); AB_EST=0 leaves the established-flow figures out;
# AB_SCALE=N the established rate over N idle sessions (made at 80 % of
# AB_PACE, 15000, per second).
#
# A_REV is built from git (git worktree in /tmp); both modules must speak
# the work tree's nat64ctl.  Prints per-metric medians and B/A.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
[ $# -ge 1 ] || { echo "usage: $0 A_REV [B_REV]" >&2; exit 2; }
KVER=$(tests/kver.sh)
OUT=${BENCH_OUT:-$TOP/tests/bench/results/ab}
mkdir -p "$OUT"
build() { # rev dest
	local d=/tmp/nat64-ab-$1
	rm -rf "$d"
	git worktree add -f --detach "$d" "$1" >/dev/null 2>&1 ||
		{ git worktree prune; git worktree add -f --detach "$d" "$1" >/dev/null; }
	make -s -C "$d" module KDIR="/lib/modules/$KVER/build" >/dev/null
	cp "$d/nat64.ko" "$2"
	git worktree remove --force "$d"
}
build "$1" "$OUT/a.ko"
if [ $# -ge 2 ]; then
	build "$2" "$OUT/b.ko"
else
	make -s module KDIR="/lib/modules/$KVER/build"
	cp nat64.ko "$OUT/b.ko"
fi
make -s nat64ctl
cp nat64.ko "$OUT/work.ko"
tests/vm/run.sh -k "$KVER" -c 2 -m 4096 -S -a slab_nomerge -t 2400 \
	-e "BENCH_OUT=$OUT" -e "AB_ROUNDS=${AB_ROUNDS:-6}" -e "AB_NEW=${AB_NEW:-0}" \
	-e "AB_NEWFEW=${AB_NEWFEW:-0}" \
	-e "AB_NATIVE=${AB_NATIVE:-0}" -e "AB_EST=${AB_EST:-1}" \
	-e "AB_SCALE=${AB_SCALE:-}" -e "AB_PACE=${AB_PACE:-15000}" \
	-- tests/bench/ab-guest.sh
python3 - "$OUT/raw.tsv" <<'PY'
import sys, statistics as st
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
v = {}
for m, c, r, x, *_ in rows:
    v.setdefault(m, []).append(float(x))
base = sorted({m.rsplit("_", 1)[0] for m in v})
for b in base:
    a, bb = v.get(b + "_A", []), v.get(b + "_B", [])
    if a and bb:
        ma, mb = st.median(a), st.median(bb)
        print("%-12s A %8.0f (n=%d)  B %8.0f (n=%d)  B/A %.3f" % (b, ma, len(a), mb, len(bb), mb / ma))
        n = v.get(b + "_N", [])
        if n:
            mn = st.median(n)
            print("%-12s N %8.0f (n=%d)  A/N %.3f  B/N %.3f" % (b, mn, len(n), ma / mn, mb / mn))
PY
