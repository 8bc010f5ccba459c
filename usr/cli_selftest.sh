#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Command line checks of nat64ctl that need no nat64 module: syntax errors
# exit with 2 and print "nat64ctl: <reason>" then a usage, help exits 0.
#
#	cli_selftest.sh [PATH-TO-NAT64CTL]

NAT64CTL=${1:-./nat64ctl}
fail=0

# expect STATUS ARGS...: run nat64ctl ARGS, check the exit status
expect()
{
	want=$1
	shift
	err=$("$NAT64CTL" "$@" 2>&1 >/dev/null)
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: nat64ctl $* exited $got, want $want: $err"
		fail=1
	elif [ "$want" = 2 ] && ! printf '%s\n' "$err" | head -n 1 | grep -q '^nat64ctl: '; then
		echo "FAIL: nat64ctl $*: no reason line: $err"
		fail=1
	fi
}

expect 0 help
expect 0 -h
expect 0 --help
expect 0 -V
expect 0 bib help
expect 2
expect 2 -x stats
expect 2 --bogus stats
expect 2 -n
expect 2 -n "" stats
expect 2 bogus
expect 2 p			# ambiguous: prefix, pool4
expect 2 s			# ambiguous: session, stats
expect 2 bib bogus
expect 2 config s		# ambiguous: show, set
expect 2 prefix add
expect 2 prefix add 64:ff9b::
expect 2 prefix add 64:ff9b::/
expect 2 prefix add 64:ff9b::/x
expect 2 prefix add 64:ff9b::/256
expect 2 prefix add 192.0.2.0/24
expect 2 prefix add 64:ff9b::/96 extra
expect 2 prefix show extra
expect 2 pool4 add
expect 2 pool4 add 192.0.2
expect 2 pool4 add 2001:db8::1
expect 2 pool4 add 192.0.2.0/
expect 2 pool4 add 192.0.2.0/33x
expect 2 pool4 add 192.0.2.1 sctp
expect 2 pool4 add 192.0.2.1 ports
expect 2 pool4 add 192.0.2.1 ports 1-
expect 2 pool4 add 192.0.2.1 ports a-b
expect 2 pool4 add 192.0.2.1 ports 1-65536
expect 2 pool4 add 192.0.2.1 ports 1-2-3
expect 2 pool4 flush extra
expect 2 pool4 show extra
expect 2 bib add
expect 2 bib add sctp "[2001:db8::1]:80" 192.0.2.1:80
expect 2 bib add tcp
expect 2 bib add tcp "[2001:db8::1]:80"
expect 2 bib add tcp 2001:db8::1:80 192.0.2.1:80
expect 2 bib add tcp "[2001:db8::1]" 192.0.2.1:80
expect 2 bib add tcp "[2001:db8::1]:" 192.0.2.1:80
expect 2 bib add tcp "[2001:db8::1]:65536" 192.0.2.1:80
expect 2 bib add tcp "[192.0.2.1]:80" 192.0.2.1:80
expect 2 bib add tcp "[2001:db8::1]:80" 192.0.2.1
expect 2 bib add tcp "[2001:db8::1]:80" "[192.0.2.1]:80"
expect 2 bib add tcp "[2001:db8::1]:80" 192.0.2.1:80 extra
expect 2 bib del tcp
expect 2 bib del tcp "[2001:db8::1]:80" bogus
expect 2 bib show sctp
expect 2 bib show tcp extra
expect 2 session show sctp
expect 2 session flush tcp extra
expect 2 stats show extra
expect 2 config show extra
expect 2 config set
expect 2 config set bogus 1
expect 2 config set sessions 1
expect 2 config set udp-timeout
expect 2 config set udp-timeout x
expect 2 config set udp-timeout 4294967296
expect 2 config set udp-timeout 300 tcp-est-timeout

[ $fail = 0 ] && echo "cli_selftest: ok" || echo "cli_selftest: FAILED"
exit $fail
