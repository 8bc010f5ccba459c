#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's debug-kernel stage: builds (or reuses the cached) debug
# kernel of tests/kernel/build.sh, builds nat64.ko for it in a scratch copy
# of the work tree (tests/kernel/e2e.sh), boots it once and runs there the
# end-to-end suite and the stress suites (tests/kernel/check-guest.sh), then
# tests/vm/run.sh's kmemleak scan.  Prints its cases, the durations, and
# ends with "N passed, N failed": the suites' cases, plus one case for the
# kernel (no splat, no leak, no timeout: run.sh's verdict).
#
#   tests/kernel/check-stage.sh [-K DIR] [-t TIMEOUT_S]
#
# Bounds (environment): CHECK_LIFETIME_CYCLES (default 10),
# CHECK_CONCURRENT_SECONDS (120), CHECK_LIMITS_N (100), CHECK_SKIP_E2E=1
# (stress suites only).  TIMEOUT_S for the VM run: default 3600.
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
DBGK=
TIMEOUT=3600
while getopts "K:t:h" opt; do
	case $opt in
	K) DBGK=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	h) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

say() { echo "check-stage: $*"; }
T0=$(date +%s)
if [ -z "$DBGK" ]; then
	if ! line=$("$HERE/build.sh" | tail -n1); then
		say "FAIL - debug kernel build (tests/kernel/build.sh)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	DBGK=${line#NAT64_DEBUG_KERNEL=}
fi
T1=$(date +%s)
say "debug kernel $(cat "$DBGK/kernelrelease" 2>/dev/null) in $DBGK ($((T1 - T0)) s to build or find; load $(cut -d' ' -f1-3 /proc/loadavg))"

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
# no_timer_check: a loaded host makes the guest's IO-APIC timer check fail
# under TCG ("IO-APIC + timer doesn't work!" panic at boot)
"$HERE/e2e.sh" -K "$DBGK" -t "$TIMEOUT" -a no_timer_check \
	-e "LIFETIME_CYCLES=${CHECK_LIFETIME_CYCLES:-10}" \
	-e "CONCURRENT_SECONDS=${CHECK_CONCURRENT_SECONDS:-120}" \
	-e "LIMITS_N=${CHECK_LIMITS_N:-100}" \
	-e "CHECK_SKIP_E2E=${CHECK_SKIP_E2E:-0}" \
	-- tests/kernel/check-guest.sh 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
T2=$(date +%s)

line=$(grep -a -E '^[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n1)
p=0
f=0
if [ -n "$line" ]; then
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
fi
leaks=$(grep -a -oE 'nat64-vm: kmemleak: [0-9]+ suspected leaks' "$LOG" | tail -n1 |
	sed -E 's/.*kmemleak: ([0-9]+) .*/\1/')
verdict=$(grep -a -E '^run.sh: ' "$LOG" | tail -n1)
if [ "$rc" = 0 ] || { [ "$f" -gt 0 ] && ! echo "$verdict" | grep -q 'FAIL:'; }; then
	# the suites' own failures are counted above; the kernel said nothing
	if [ "${leaks:-x}" = 0 ]; then
		echo "ok - debug kernel: no splat, kmemleak: 0 suspected leaks"
		p=$((p + 1))
	else
		echo "FAIL - debug kernel: kmemleak scan missing or not clean (${leaks:-no scan})"
		f=$((f + 1))
	fi
else
	echo "FAIL - debug kernel: ${verdict:-run.sh exited $rc} (kmemleak: ${leaks:-no scan})"
	f=$((f + 1))
fi
say "kernel $((T1 - T0)) s, module build + VM run $((T2 - T1)) s, total $((T2 - T0)) s"
echo "$p passed, $f failed"
[ "$f" = 0 ]
