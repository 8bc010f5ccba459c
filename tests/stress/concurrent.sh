#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrent stress (issue 5, section 6), guest side, meant for 2 vCPUs and
# the debug kernel (lockdep, PROVE_RCU, KASAN) but runs on Debian's too:
#   tests/vm/run.sh [-K DIR] -e CONCURRENT_SECONDS=120 -- tests/stress/concurrent.sh
#
# For CONCURRENT_SECONDS (default 120), one translator namespace gets at
# once: lookups (established UDP flows, a long-lived TCP connection, ICMP
# echo), creations (new UDP flows with random source ports, new TCP
# connections, unsolicited IPv4 SYNs held and refused, inbound UDP to a
# static binding), expiries (udp/icmp timeout 1 s, tcp 2-4 s), session
# flushes (all and per protocol), pool4 changes (a second address added and
# deleted, the main one's UDP ports narrowed and widened), static bindings
# added and deleted, session and binding dumps and a monitor listening to
# every event.  Then it checks:
#   - every worker made progress and every nat64ctl command succeeded,
#   - the traffic got replies (established and new flows),
#   - counters never went backwards (sampled during the run), expiries
#     happened, session_expired <= session_created, drop_other 0,
#   - with the traffic stopped, config show's session count equals the
#     number of sessions the dump lists,
#   - everything expires: sessions and bindings back to 0 in config show
#     and in the dumps,
#   - rmmod succeeds, in under 5 s, and the slab caches are gone.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/stress/lib.sh
. tests/stress/lib.sh

SECS=${CONCURRENT_SECONDS:-120}
X=$(st_xlat 1)
W=$ST_TMP/conc
mkdir -p "$W"
PIDS=()

cleanup() {
	local p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do
		kill "$p" 2>/dev/null
	done
	st_topo_down
	rmmod nat64 2>/dev/null
}
trap cleanup EXIT

if st_topo_up 1 && ip -n "$ST_S4" route add 203.0.113.101/32 via 10.4.1.1 &&
   insmod "$NAT64_KO" && st_configure 1 &&
   $CTL -n "$X" config set udp-timeout 1 icmp-timeout 1 tcp-trans-timeout 2 tcp-est-timeout 4; then
	ok "set-up: one translator, prefix, pool4, timeouts 1-4 s"
else
	ko "set-up"
	summary
	exit 1
fi

DEADLINE=$(($(date +%s) + SECS))
running() { [ "$(date +%s)" -lt "$DEADLINE" ]; }

# worker NAME: count successes and failures of its nat64ctl commands
# (files W/NAME.ok, W/NAME.err; the first error's message is kept)
wctl() {
	local name=$1
	shift
	if $CTL -n "$X" "$@" >/dev/null 2>"$W/$name.last"; then
		echo >>"$W/$name.ok"
	else
		echo >>"$W/$name.errs"
		[ -s "$W/$name.firsterr" ] ||
			echo "nat64ctl $*: $(cat "$W/$name.last")" >"$W/$name.firsterr"
	fi
}

# wctl_race NAME REGEX ARGS...: as wctl, but a refusal whose message
# matches REGEX is a legitimate outcome of the other workers' changes
# (counted in W/NAME.refused, not as an error)
wctl_race() {
	local name=$1 re=$2
	shift 2
	if $CTL -n "$X" "$@" >/dev/null 2>"$W/$name.last"; then
		echo >>"$W/$name.ok"
	elif grep -qE "$re" "$W/$name.last"; then
		echo >>"$W/$name.refused"
	else
		echo >>"$W/$name.errs"
		[ -s "$W/$name.firsterr" ] ||
			echo "nat64ctl $*: $(cat "$W/$name.last")" >"$W/$name.firsterr"
	fi
}

# traffic: established flows (lookups) and new flows (creations)
dst=$(st_server6 1)
in_ns "$ST_C6" "$ST_PY" "$ST_HERE/traffic.py" gen --dst "$dst" --port "$ST_PORT" \
	--est 8 --new 0 --tcp-new 0 --hz 20 --duration "$SECS" --stats "$W/est.stats" \
	>"$W/est.log" 2>&1 &
PIDS+=($!)
in_ns "$ST_C6" "$ST_PY" "$ST_HERE/traffic.py" gen --dst "$dst" --port "$ST_PORT" \
	--est 0 --new 8 --tcp-new 2 --no-icmp --hz 20 --duration "$SECS" \
	--stats "$W/new.stats" >"$W/new.log" 2>&1 &
PIDS+=($!)
# unsolicited IPv4 traffic: SYNs without binding (held, then refused by
# the GC), inbound UDP to the static binding when it exists
in_ns "$ST_S4" "$ST_PY" "$ST_HERE/traffic.py" gen4 --dst "$(st_pool4 1)" \
	--udp-port 4000 --hz 5 --duration "$SECS" >"$W/gen4.log" 2>&1 &
PIDS+=($!)
# every event to a listener
$CTL -n "$X" monitor >"$W/monitor.out" 2>"$W/monitor.err" &
MON_PID=$!
PIDS+=("$MON_PID")

# flushes
(
	i=0
	while running; do
		case $((i % 4)) in
		0) wctl flush session flush ;;
		1) wctl flush session flush udp ;;
		2) wctl flush session flush tcp ;;
		3) wctl flush session flush icmp ;;
		esac
		i=$((i + 1))
		sleep 0.7
	done
) &
PIDS+=($!)
# pool4 changes (the second address takes new bindings when the first has
# no port left; deleting it removes them; the main address's UDP ports
# narrowed to 2000-2999 and back to everything)
(
	while running; do
		wctl pool4 pool4 add 203.0.113.101
		sleep 0.5
		wctl pool4 pool4 del 203.0.113.101
		wctl pool4 pool4 del "$(st_pool4 1)" udp
		wctl pool4 pool4 add "$(st_pool4 1)" udp ports 2000-2999
		sleep 0.5
		wctl pool4 pool4 del "$(st_pool4 1)" udp
		wctl pool4 pool4 add "$(st_pool4 1)" udp
		sleep 0.5
	done
) &
PIDS+=($!)
# static bindings, dumps
(
	while running; do
		# the pool4 worker takes port 4000 out of pool4 now and then (and
		# its bindings with it): then add and del are rightly refused; while
		# the static binding is gone, one of the run's thousands of new
		# flows may get port 4000: then add is rightly refused too
		wctl_race bib "not in pool4|the IPv4 transport address is already bound" \
			bib add udp "[2001:db8:1::2]:4000" "$(st_pool4 1):4000"
		wctl dump session show
		wctl dump bib show
		wctl_race bib "no such binding" bib del udp "[2001:db8:1::2]:4000" "$(st_pool4 1):4000"
		wctl dump -j stats show
		sleep 0.3
	done
) &
PIDS+=($!)

# sample the counters: none may go backwards
prev=
samples=0
backwards=
while running; do
	cur=$($CTL -n "$X" -j stats show 2>/dev/null | grep -o '"[a-z0-9_]*": *[0-9]*' | tr -d '" ')
	if [ -n "$prev" ] && [ -n "$cur" ]; then
		# (no process substitution: the guest has no /dev/fd)
		echo "$prev" | sort >"$W/prev.sorted"
		echo "$cur" | sort >"$W/cur.sorted"
		b=$(join -t: "$W/prev.sorted" "$W/cur.sorted" |
			awk -F: '$3 < $2 { print $1 " " $2 "->" $3 }' | head -n3)
		[ -z "$b" ] || backwards="$backwards $b"
	fi
	[ -n "$cur" ] && prev=$cur && samples=$((samples + 1))
	n=$(sessions "$X")
	echo "${n:-?}" >>"$W/sessions.samples"
	sleep 2
done
# the workers end at the deadline; the generators with --duration
for p in ${PIDS[@]+"${PIDS[@]}"}; do
	[ "$p" = "$MON_PID" ] || wait "$p" 2>/dev/null
done

count() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
for wk in flush pool4 bib dump; do
	o=$(count "$W/$wk.ok")
	e=$(count "$W/$wk.errs")
	r=$(count "$W/$wk.refused")
	if [ "$o" -gt 0 ] && [ "$e" = 0 ]; then
		ok "worker $wk: $o nat64ctl commands succeeded, $r rightly refused (pool4 changed, port taken), none failed"
	else
		ko "worker $wk: $o succeeded, $e failed ($(cat "$W/$wk.firsterr" 2>/dev/null))"
	fi
done
# shellcheck disable=SC2034 # names of the stats fields
read -r _ est_tx est_rx _ _ tcp_rx tcp_conn icmp_tx icmp_rx <"$W/est.stats"
# shellcheck disable=SC2034
read -r _ _ _ new_tx new_rx ntcp_rx ntcp_conn _ _ <"$W/new.stats"
if [ "${est_rx:-0}" -gt 0 ] && [ "${new_rx:-0}" -gt 0 ] && [ "${icmp_rx:-0}" -gt 0 ] &&
   [ "$((${tcp_conn:-0} + ${ntcp_conn:-0}))" -gt 0 ]; then
	ok "traffic: established UDP $est_rx/$est_tx, new UDP $new_rx/$new_tx, ICMP $icmp_rx/$icmp_tx answered, $((tcp_conn + ntcp_conn)) TCP connections"
else
	ko "traffic: established UDP ${est_rx:-?}/${est_tx:-?}, new UDP ${new_rx:-?}/${new_tx:-?}, ICMP ${icmp_rx:-?}, TCP ${tcp_conn:-?}+${ntcp_conn:-?}"
fi
mon=$(count "$W/monitor.out")
ok_mon=0
kill -0 "$MON_PID" 2>/dev/null && [ "$mon" -gt 0 ] && ok_mon=1
kill "$MON_PID" 2>/dev/null
wait "$MON_PID" 2>/dev/null
if [ "$ok_mon" = 1 ]; then
	ok "monitor: $mon events, still listening at the end"
else
	ko "monitor: $mon events, $(head -c 200 "$W/monitor.err")"
fi

st() { counter "$X" "$1"; }
created=$(st session_created)
expired=$(st session_expired)
other=$(st drop_other)
x64=$(st xlat_6to4)
x46=$(st xlat_4to6)
maxs=$(sort -n "$W/sessions.samples" | tail -n1)
if [ -z "$backwards" ] && [ "$samples" -ge 2 ] && [ "${other:-1}" = 0 ] &&
   [ "${expired:-0}" -gt 0 ] && [ "${expired:-0}" -le "${created:-0}" ] &&
   [ "${x64:-0}" -gt 0 ] && [ "${x46:-0}" -gt 0 ]; then
	ok "counters: $samples samples, none went backwards; created $created, expired $expired, xlat 6to4 $x64 4to6 $x46, drop_other 0, at most $maxs sessions"
else
	ko "counters: samples $samples, backwards:${backwards:- none}; created ${created:-?}, expired ${expired:-?}, xlat ${x64:-?}/${x46:-?}, drop_other ${other:-?}"
fi

# traffic stopped: the count and the dump agree (retry while expiries
# change the count between the two reads)
agree=
for _ in $(seq 10); do
	n1=$(sessions "$X")
	d=$(dumped "$X")
	n2=$(sessions "$X")
	if [ "$n1" = "$d" ] && [ "$d" = "$n2" ]; then
		agree=$d
		break
	fi
done
if [ -n "$agree" ]; then
	ok "config show and session show agree: $agree sessions"
else
	ko "config show and session show disagree: $n1, dump $d, then $n2"
fi

# everything expires
deadline_start
while until_s 30; do
	n=$(sessions "$X")
	b=$(bindings "$X")
	[ "$n" = 0 ] && [ "$b" = 1 ] && break # the static binding may remain
	[ "$n" = 0 ] && [ "$b" = 0 ] && break
	sleep 0.5
done
$CTL -n "$X" bib del udp "[2001:db8:1::2]:4000" "$(st_pool4 1):4000" 2>/dev/null
n=$(sessions "$X")
b=$(bindings "$X")
d=$(dumped "$X")
db=$($CTL -n "$X" -j bib show | grep -o '"proto"' | wc -l)
if [ "$n" = 0 ] && [ "$b" = 0 ] && [ "$d" = 0 ] && [ "$db" = 0 ]; then
	ok "all expired: 0 sessions, 0 bindings (counts and dumps)"
else
	ko "left after expiry: sessions $n (dump $d), bindings $b (dump $db)"
fi

st_rmmod_check
echo "concurrent: $SECS s"
summary
