# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Case counting for the shell suites (source it): ok/ko print one line per
# case, check runs a command as one case; the caller ends with
#   echo "$pass passed, $fail failed"
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
ko() { echo "FAIL - $1"; fail=$((fail + 1)); }
check() { # description command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else ko "$d"; fi
}
