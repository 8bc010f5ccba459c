#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side self-test of the VM test bed: checks that tests/vm/run.sh passes
# the command's status and arguments through, and fails on timeouts, guest
# crashes and kernel warnings (a real WARN from a test module, and the log
# scanner on sample kernel lines).  Takes 1-3 minutes.
#
#   tests/vm/selftest.sh [-k KVER]
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
RUN=$HERE/run.sh
RUNOPTS=()
if [ "${1:-}" = -k ] && [ -n "${2:-}" ]; then
	RUNOPTS=(-k "$2")
fi

PASS=0
FAIL=0
ok() {
	echo "ok - $1"
	PASS=$((PASS + 1))
}
notok() {
	echo "FAIL - $1"
	FAIL=$((FAIL + 1))
	if [ -n "${2:-}" ] && [ -r "$2" ]; then
		tail -n 15 "$2" | sed 's/^/#   /'
	fi
}

WORK=$(mktemp -d "$HERE/.selftest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/out

# vm EXPECTED_STATUS NAME [run.sh options] -- COMMAND...: run.sh's output in $OUT
vm() {
	local want=$1 name=$2 rc=0
	shift 2
	"$RUN" ${RUNOPTS[@]+"${RUNOPTS[@]}"} -o "$WORK/console.log" "$@" >"$OUT" 2>&1 || rc=$?
	if [ "$rc" = "$want" ]; then
		return 0
	fi
	notok "$name (exit $rc, wanted $want)" "$OUT"
	return 1
}

# --- the log scanner, on sample lines
scan_lines() { # expected-status line...
	local want=$1 rc=0
	shift
	printf '%s\n' "$@" >"$WORK/fake.log"
	"$RUN" --scan "$WORK/fake.log" >/dev/null || rc=$?
	[ "$rc" = "$want" ]
}
CLEAN=(
	"[    0.000000] Command line: console=ttyS0 panic=-1 panic_on_warn=1 oops=panic quiet"
	"[    0.081234] Kernel command line: console=ttyS0 panic=-1 panic_on_warn=1 oops=panic quiet"
	"ok - no panic, no WARNING: in test output without a kernel time stamp"
	"[    3.000000] nat64: loading out-of-tree module taints kernel."
	"NAT64-VM-EXIT=0"
)
if scan_lines 0 "${CLEAN[@]}"; then
	ok "scanner: clean log passes (command line, test output ignored)"
else
	notok "scanner: clean log passes (command line, test output ignored)"
fi
BAD=(
	"[   12.345678] WARNING: CPU: 1 PID: 42 at net/nat64/core.c:12 f+0x1/0x2 [nat64]"
	"[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000"
	"[    1.000000] Oops: 0000 [#1] PREEMPT SMP NOPTI"
	"[    1.000000] general protection fault, probably for non-canonical address 0xdead"
	"[    1.000000] BUG: KASAN: slab-out-of-bounds in nat64_xlat+0x10/0x20"
	"[    1.000000] UBSAN: shift-out-of-bounds in net/nat64/core.c:1:2"
	"[    1.000000] kernel BUG at net/nat64/core.c:12!"
	"[    1.000000] Call Trace:"
	"[    1.000000] Kernel panic - not syncing: panic_on_warn set ..."
	"[    1.000000] unreferenced object 0xffff888003a4b000 (size 64):"
	"[    1.000000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
	"[    1.000000] rcu: INFO: rcu_preempt self-detected stall on CPU"
	"[    1.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:99]"
	"[    1.000000] INFO: task insmod:99 blocked for more than 120 seconds."
	"[    1.000000] refcount_t: underflow; use-after-free."
	"[    1.000000] list_add corruption. prev->next should be next (ffff8880)"
	"[    1.000000] list_del corruption, ffff8880->next is LIST_POISON1 (dead)"
	"[    1.000000] BUG kmalloc-64 (Tainted: G           OE     ): Right Redzone overwritten"
	"[    1.000000] unregister_netdevice: waiting for veth0 to become free. Usage count = 2"
	"[    1.000000] BUG: Bad page state in process swapper  pfn:0a2b3"
	"ok - abc[    1.000000] WARNING: CPU: 0 PID: 1 at x.c:1 (message in the middle of a line)"
)
missed=
for line in "${BAD[@]}"; do
	if scan_lines 1 "${CLEAN[@]}" "$line"; then :; else
		missed="$missed
#   $line"
	fi
done
if [ -z "$missed" ]; then
	ok "scanner: ${#BAD[@]} kinds of kernel problems detected"
else
	notok "scanner: missed kernel lines:$missed"
fi

# --- in the VM
KVER=${RUNOPTS[1]:-}
if vm 0 "boot and run uname -r" -- uname -r; then
	ok "boot and run uname -r ($(sed -n 's/.*exited with status 0 (\([0-9]*s\).*/\1/p' "$OUT"))"
	[ -n "$KVER" ] || KVER=$(grep -a -x -E '[0-9]+\.[0-9]+[^ ]*' "$OUT" | head -n1) || true
fi

if vm 7 "status passed through" -- sh -c 'exit 7'; then
	ok "status passed through (7)"
fi

if vm 127 "missing command" -- nat64-no-such-command; then
	ok "missing command gives 127"
fi

# shellcheck disable=SC2016 # $HOME and $c must reach the guest unexpanded
if vm 0 "arguments and -e" -e "NAT64_T=a 'b' \$c" -- \
	sh -c 'printf "ARG[%s]\n" "$@" "$NAT64_T"' sh "two words" "it's" '$HOME' '*' 'x"y'; then
	want='ARG[two words]
ARG[it'"'"'s]
ARG[$HOME]
ARG[*]
ARG[x"y]
ARG[a '"'"'b'"'"' $c]'
	if [ "$(grep -a '^ARG\[' "$OUT")" = "$want" ]; then
		ok "arguments and -e values reach the guest verbatim"
	else
		notok "arguments and -e values reach the guest verbatim" "$OUT"
	fi
fi

if vm 0 "work tree shared read-write at the same path" -- \
	sh -c "[ \"\$PWD\" = \"$(cd "$HERE/../.." && pwd -P)\" ] && echo guest-wrote >\"$WORK/from-guest\""; then
	if [ "$(cat "$WORK/from-guest" 2>/dev/null)" = guest-wrote ]; then
		ok "work tree shared read-write at the same path (cwd = top)"
	else
		notok "work tree shared read-write at the same path (file not on host)" "$OUT"
	fi
fi

if vm 1 "a failing command fails the run" -- false; then
	ok "a failing command fails the run"
fi

if vm 1 "timeout" -t 15 -- sleep 600; then
	if grep -q 'FAIL: timeout' "$OUT"; then
		ok "timeout fails the run"
	else
		notok "timeout fails the run (no reason line)" "$OUT"
	fi
fi

if vm 1 "guest crash" -- sh -c 'echo c >/proc/sysrq-trigger; sleep 5'; then
	if grep -q 'FAIL: kernel problem' "$OUT"; then
		ok "guest kernel crash fails the run"
	else
		notok "guest kernel crash fails the run (no reason line)" "$OUT"
	fi
fi

# A real WARN, from a module built for the guest kernel.
mkdir -p "$WORK/mod"
cp "$HERE/selftest/warn.c" "$WORK/mod/vm_selftest_warn.c"
echo 'obj-m := vm_selftest_warn.o' >"$WORK/mod/Kbuild"
if [ -n "$KVER" ] &&
   make -s -C "/lib/modules/$KVER/build" M="$WORK/mod" modules >"$WORK/build.log" 2>&1; then
	if vm 1 "WARN with panic_on_warn=1" -- insmod "$WORK/mod/vm_selftest_warn.ko" &&
	   grep -q 'FAIL: kernel problem' "$OUT"; then
		ok "a WARN fails the run (panic_on_warn=1)"
	fi
	# The guest survives the WARN here and the command succeeds: only the
	# console scan can catch it.
	if vm 1 "WARN with panic_on_warn=0" -a panic_on_warn=0 -- \
		sh -c "insmod '$WORK/mod/vm_selftest_warn.ko' && rmmod vm_selftest_warn"; then
		if grep -q 'FAIL: kernel problem:.*WARNING:' "$OUT" &&
		   grep -a -q '^NAT64-VM-EXIT=0' "$WORK/console.log"; then
			ok "a WARN the guest survives still fails the run (console scan)"
		else
			notok "a WARN the guest survives still fails the run (console scan)" "$OUT"
		fi
	fi
else
	notok "build the WARN test module for '$KVER'" "$WORK/build.log"
fi

# A clone of the work tree elsewhere (CI: under /tmp, any name).
CLONE=$(mktemp -d /tmp/nat64-vm-selftest.XXXXXX)
trap 'rm -rf "$WORK" "$CLONE"' EXIT
mkdir -p "$CLONE/a clone/tests/vm"
cp "$HERE/run.sh" "$HERE/guest-init.sh" "$CLONE/a clone/tests/vm/"
git -C "$CLONE/a clone" init -q
rc=0
"$CLONE/a clone/tests/vm/run.sh" ${RUNOPTS[@]+"${RUNOPTS[@]}"} -o "$WORK/clone.log" -- \
	sh -c 'pwd; test -x tests/vm/run.sh && touch guest-was-here' >"$OUT" 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -a -q -x "$CLONE/a clone" "$OUT" &&
   [ -e "$CLONE/a clone/guest-was-here" ]; then
	ok "work tree under /tmp, path with a space"
else
	notok "work tree under /tmp, path with a space (exit $rc)" "$OUT"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
