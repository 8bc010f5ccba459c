#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Full tables and exhausted pools (issue 5, section 5), guest side:
#   tests/vm/run.sh -- tests/stress/limits.sh
#
# One translator (st_x1), UDP flows from the IPv6 client to the IPv4 echo
# server.  LIMITS_N (default 100) is the table size.
#   max-sessions N: a steady flow set up first; 10 x N new flows offered
#     while the session count is sampled: it never exceeds N, ends at N
#     (config show and dump), every refused flow is counted once in
#     drop_max_sessions, exactly the flows that got a session were
#     answered, and the steady flow kept getting replies during and after.
#   pool4 of 8 UDP ports: 25 x 8 new flows: 8 bindings, 8 answered, every
#     other flow counted in drop_pool4_exhausted, and the burst of refused
#     flows takes bounded time: at most LIMITS_SLOW (default 5) times as long
#     as the same burst refused at once for lack of any UDP pool4
#     (drop_no_pool4), plus 2 s of scheduling noise; both times printed.
#   max-sessions-per-subscriber 5 (subscriber-prefix-len 64): client A
#     (2001:db8:1::2) offers 20 flows: 5 answered, 15 counted in
#     drop_subscriber_limit; client B in another /64 (2001:db8:77::2) still
#     gets its 5; with prefix length 32 (one subscriber for both) B gets none.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/stress/lib.sh
. tests/stress/lib.sh

N=${LIMITS_N:-100}
SLOW=${LIMITS_SLOW:-5}
X=$(st_xlat 1)
DST=$(st_server6 1)
A6=2001:db8:1::2
B6=2001:db8:77::2
W=$ST_TMP/limits
mkdir -p "$W"

cleanup() {
	[ -n "${GEN_PID:-}" ] && kill "$GEN_PID" 2>/dev/null
	[ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null
	st_topo_down
	rmmod nat64 2>/dev/null
}
trap cleanup EXIT

# burst COUNT [SRC]: new UDP flows from the client; sets SENT ANSWERED SEND_MS
burst() {
	local out
	out=$(in_ns "$ST_C6" "$ST_PY" "$ST_HERE/traffic.py" burst --dst "$DST" \
		--port "$ST_PORT" --count "$1" ${2:+--src "$2"} --wait 3)
	SENT=$(echo "$out" | awk '{ print $2 }')
	ANSWERED=$(echo "$out" | awk '{ print $4 }')
	SEND_MS=$(echo "$out" | awk '{ print $6 }')
	: "${SENT:=0}" "${ANSWERED:=0}" "${SEND_MS:=0}"
}

# est_rx: replies the steady flow got so far
est_rx() { awk '{ print $3 }' "$W/steady.stats" 2>/dev/null || echo 0; }

# wait_counter NAME VALUE: until the counter reaches VALUE (10 s at most)
wait_counter() {
	local v
	deadline_start
	while :; do
		v=$(counter "$X" "$1")
		[ "${v:-0}" -ge "$2" ] && return 0
		until_s 10 || break
		sleep 0.2
	done
	return 1
}

if st_topo_up 1 && insmod "$NAT64_KO" && st_configure 1 &&
   ip -n "$ST_C6" addr add "$B6/64" dev x1 nodad &&
   ip -n "$X" route add 2001:db8:77::/64 via "$A6" dev c6; then
	ok "set-up: one translator, clients $A6 and $B6"
else
	ko "set-up"
	summary
	exit 1
fi

# --- max-sessions N
$CTL -n "$X" config set max-sessions "$N"
bg_ns "$ST_C6" "$ST_PY" "$ST_HERE/traffic.py" gen --dst "$DST" --port "$ST_PORT" \
	--src "$A6" --est 1 --new 0 --tcp-new 0 --no-tcp --no-icmp --hz 10 \
	--stats "$W/steady.stats" >"$W/steady.log" 2>&1
GEN_PID=$BG_PID
deadline_start
while :; do
	[ "$(est_rx)" -gt 0 ] && break
	until_s 120 || break
	sleep 0.2
done
before=$(sessions "$X")
drops0=$(counter "$X" drop_max_sessions)
rx0=$(est_rx)
(
	while :; do
		sessions "$X"
		sleep 0.1
	done
) >"$W/samples" &
SAMPLER_PID=$!
burst $((10 * N))
rx1=$(est_rx)
sleep 2
rx2=$(est_rx)
kill "$SAMPLER_PID"
wait "$SAMPLER_PID" 2>/dev/null
SAMPLER_PID=
after=$(sessions "$X")
dump=$(dumped "$X")
drops=$(($(counter "$X" drop_max_sessions) - drops0))
peak=$(sort -n "$W/samples" | tail -n1)
nsamples=$(wc -l <"$W/samples")
created=$((after - before))
why=
[ "$before" -ge 1 ] || why="$why no steady session before;"
[ "${peak:-0}" -le "$N" ] || why="$why sampled peak $peak > $N;"
[ "$after" = "$N" ] && [ "$dump" = "$N" ] || why="$why $after sessions ($dump dumped), not $N;"
[ "$drops" = "$((SENT - created))" ] || why="$why drop_max_sessions +$drops for $((SENT - created)) refused;"
[ "$ANSWERED" = "$created" ] || why="$why $ANSWERED answered, $created admitted;"
[ "$rx1" -gt "$rx0" ] && [ "$rx2" -gt "$rx1" ] || why="$why steady flow replies $rx0 -> $rx1 -> $rx2;"
if [ -z "$why" ]; then
	ok "max-sessions $N: $SENT new flows offered, $created admitted, $drops refused and counted, peak $peak over $nsamples samples, steady flow answered throughout ($rx0 -> $rx1 -> $rx2)"
else
	ko "max-sessions $N:$why"
fi
kill "$GEN_PID" 2>/dev/null
wait "$GEN_PID" 2>/dev/null
GEN_PID=

# --- nearly exhausted pool4: 8 UDP ports
$CTL -n "$X" config set max-sessions 100000
$CTL -n "$X" session flush
$CTL -n "$X" pool4 del "$(st_pool4 1)" udp
# baseline: no UDP pool4 at all, refused before any port search
d0=$(counter "$X" drop_no_pool4)
burst 200
base_ms=$SEND_MS
t0=$(now_ms)
wait_counter drop_no_pool4 $((d0 + SENT))
base_total=$(($(now_ms) - t0 + base_ms))
base_drops=$(($(counter "$X" drop_no_pool4) - d0))
base_sent=$SENT
$CTL -n "$X" pool4 add "$(st_pool4 1)" udp ports 2000-2007
d0=$(counter "$X" drop_pool4_exhausted)
burst 200
t0=$(now_ms)
wait_counter drop_pool4_exhausted $((d0 + SENT - 8))
ex_total=$(($(now_ms) - t0 + SEND_MS))
ex_drops=$(($(counter "$X" drop_pool4_exhausted) - d0))
nb=$(bindings "$X")
ports=$($CTL -n "$X" -j bib show udp | grep -o '"port4": *[0-9]*' | grep -o '[0-9]*$' | sort -n | tr '\n' ' ')
why=
[ "$base_drops" = "$base_sent" ] || why="$why baseline: drop_no_pool4 +$base_drops for $base_sent;"
[ "$nb" = 8 ] || why="$why $nb bindings;"
[ "$ports" = "2000 2001 2002 2003 2004 2005 2006 2007 " ] || why="$why ports $ports;"
[ "$ANSWERED" = 8 ] || why="$why $ANSWERED answered;"
[ "$ex_drops" = "$((SENT - 8))" ] || why="$why drop_pool4_exhausted +$ex_drops for $((SENT - 8)) refused;"
[ "$ex_total" -le $((SLOW * base_total + 2000)) ] ||
	why="$why refused burst took $ex_total ms, baseline $base_total ms;"
if [ -z "$why" ]; then
	ok "pool4 of 8 ports: $SENT new flows, 8 bound, $ex_drops refused and counted in $ex_total ms (burst sent in $SEND_MS ms); no pool4 at all: $base_sent refused in $base_total ms"
else
	ko "pool4 of 8 ports:$why"
fi

# --- per-subscriber limit
$CTL -n "$X" session flush
$CTL -n "$X" pool4 del "$(st_pool4 1)" udp
$CTL -n "$X" pool4 add "$(st_pool4 1)" udp
if $CTL -n "$X" config set max-sessions-per-subscriber 5 subscriber-prefix-len 64 \
	2>"$W/sub.err"; then
	d0=$(counter "$X" drop_subscriber_limit)
	burst 20 "$A6"
	a_sent=$SENT a_ans=$ANSWERED
	wait_counter drop_subscriber_limit $((d0 + 15))
	a_drops=$(($(counter "$X" drop_subscriber_limit) - d0))
	burst 5 "$B6"
	b_sent=$SENT b_ans=$ANSWERED
	$CTL -n "$X" -j session show udp >"$W/sub.json"
	a_sess=$(grep -o "\"$A6\"" "$W/sub.json" | wc -l)
	b_sess=$(grep -o "\"$B6\"" "$W/sub.json" | wc -l)
	b_drops=$(($(counter "$X" drop_subscriber_limit) - d0 - a_drops))
	why=
	[ "$a_ans" = 5 ] && [ "$a_sess" = 5 ] || why="$why A: $a_ans of $a_sent answered, $a_sess sessions;"
	[ "$a_drops" = 15 ] || why="$why A: drop_subscriber_limit +$a_drops;"
	[ "$b_ans" = 5 ] && [ "$b_sess" = 5 ] && [ "$b_drops" = 0 ] ||
		why="$why B: $b_ans of $b_sent answered, $b_sess sessions, +$b_drops refused;"
	if [ -z "$why" ]; then
		ok "max-sessions-per-subscriber 5, /64: A offered $a_sent, 5 admitted, 15 refused and counted; B in another /64 got its 5"
	else
		ko "max-sessions-per-subscriber 5, /64:$why"
	fi
	# one /32 subscriber for both clients: B is refused too
	$CTL -n "$X" session flush
	if $CTL -n "$X" config set subscriber-prefix-len 32 2>"$W/sub.err"; then
		d0=$(counter "$X" drop_subscriber_limit)
		burst 5 "$A6"
		a_ans=$ANSWERED
		burst 5 "$B6"
		b_ans=$ANSWERED b_sent=$SENT
		wait_counter drop_subscriber_limit $((d0 + b_sent))
		d=$(($(counter "$X" drop_subscriber_limit) - d0))
		if [ "$a_ans" = 5 ] && [ "$b_ans" = 0 ] && [ "$d" = "$b_sent" ]; then
			ok "max-sessions-per-subscriber 5, /32: A and B are one subscriber: A got 5, B's $b_sent refused and counted"
		else
			ko "max-sessions-per-subscriber 5, /32: A answered $a_ans, B answered $b_ans, drop_subscriber_limit +$d"
		fi
	else
		ko "config set subscriber-prefix-len 32: $(cat "$W/sub.err")"
	fi
else
	ko "per-subscriber limit: config set max-sessions-per-subscriber: $(cat "$W/sub.err")"
fi

d=$(counter "$X" drop_other)
if [ "$d" = 0 ]; then ok "drop_other 0"; else ko "drop_other ${d:-?}"; fi
st_rmmod_check
summary
