#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Command line checks of nat64ctl that need no nat64 module: syntax errors
# exit with 2 and print "nat64ctl: <reason>" then a usage, help exits 0;
# in a -f FILE, "nat64ctl: FILE:LINE: <reason>" before anything is applied.
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
expect 2 config set wkp-global-only 256
expect 2 pool4 add 192.0.2.1 force extra
expect 2 pool4 del 192.0.2.1 force
expect 0 monitor help
expect 2 monitor extra
expect 2 monitor -c
expect 2 monitor -c 0
expect 2 monitor -c x
expect 2 -c 3 stats show
expect 2 save extra
expect 2 dns64
expect 2 dns64 bogus
expect 2 dns64 unbound extra
expect 2 -f
expect 2 -f ""

# expect_file STATUS WANT_STDERR_START TEXT: nat64ctl -f FILE of TEXT (and
# the same on stdin): its status and the beginning of its first stderr line
# ("" for status 0 or 1 without a module: only the status counts)
expect_file()
{
	want=$1
	start=$2
	printf '%s' "$3" >"$tmp/f.conf"
	for f in "$tmp/f.conf" -; do
		err=$("$NAT64CTL" -f "$f" 2>&1 >/dev/null <"$tmp/f.conf")
		got=$?
		first=$(printf '%s\n' "$err" | head -n 1)
		case $first in
		"nat64ctl: $f:$start"*) ok=1 ;;
		*) ok=0 ;;
		esac
		[ -z "$start" ] && ok=1
		if [ "$got" != "$want" ] || [ $ok = 0 ]; then
			echo "FAIL: nat64ctl -f $f of '$3' exited $got, want $want and \"nat64ctl: $f:$start\": $err"
			fail=1
		fi
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect_file 2 "4: " "flush
# comment

pool4 add 192.0.2.1 sctp
"
expect_file 2 "2: " "prefix add 64:ff9b::/96
prefix add 64:ff9b::/x
"
expect_file 2 "1: " "prefix show
"
expect_file 2 "1: " "monitor
"
expect_file 2 "1: " "help
"
expect_file 2 "1: " "save
"
expect_file 2 "2: " "flush
flush now
"
expect_file 2 "1: " "bib add tcp [2001:db8::1]:80
"
expect_file 2 "1: " "config set udp-timeout
"
# valid syntax (the kernel would refuse the length): not an exit 2
expect_file 1 "" "flush # start empty
prefix add 64:ff9b::/33
pool4 add 203.0.113.1 tcp udp ports 1-65535 force
bib add udp [2001:db8::1]:53 203.0.113.1:53
config set udp-timeout 300
session flush
"
expect_file 0 "" "# nothing but comments

"
expect 1 -f "$tmp/does-not-exist"
expect 2 -f "$tmp/f.conf" prefix show
expect 2 -f "$tmp/f.conf" -c 1

[ $fail = 0 ] && echo "cli_selftest: ok" || echo "cli_selftest: FAILED"
exit $fail
