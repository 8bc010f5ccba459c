#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module (W=1, then sparse) and nat64ctl; warnings fail.
set -u
KDIR=$1
cd "$(dirname "$0")/.."
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
ko() { echo "FAIL - $1"; fail=$((fail + 1)); }

out=$(make -C "$KDIR" M="$PWD" W=1 modules 2>&1)
if [ $? = 0 ] && ! echo "$out" | grep -qiE 'warning|error'; then
	ok "module builds with W=1 and no warning"
else
	echo "$out" | grep -iE -A3 'warning|error'
	ko "module builds with W=1 and no warning"
fi
if command -v sparse >/dev/null; then
	out=$(make -C "$KDIR" M="$PWD" C=2 modules 2>&1)
	if echo "$out" | grep -E '^/.*: (warning|error):' | grep -v "^$KDIR\|/usr/src/"; then
		ko "sparse (C=2) clean"
	else
		ok "sparse (C=2) clean"
	fi
fi
if make -s -C usr >/dev/null 2>&1; then
	ok "nat64ctl builds with -Wall -Wextra -Werror"
else
	ko "nat64ctl builds with -Wall -Wextra -Werror"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
