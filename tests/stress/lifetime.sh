#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetime cycles (issue 5, section 6), guest side:
#   tests/vm/run.sh -- tests/stress/lifetime.sh
#
# LIFETIME_CYCLES (default 100) cycles of: insmod; three translator
# namespaces configured (prefix + pool4 each); traffic from the IPv6 client
# to the IPv4 server through all three (established and new UDP flows, a
# long-lived and new TCP connections, ICMP echo; unsolicited IPv4 SYNs,
# held by the translators) while the configuration
# changes (pool4 add/del, prefix del/add, timeouts, session flush, bib
# add/del); one translator's state flushed back to zero; one translator
# namespace deleted mid-flow; rmmod during traffic.  A cycle passes when:
#   - the module's slab caches (nat64_session, nat64_bib) are gone before
#     its insmod (the previous rmmod destroyed them: no object left),
#   - every translator carried UDP, TCP and ICMP sessions before the churn
#     and the churn's every nat64ctl command succeeded,
#   - the flushed translator shows 0 sessions and 0 bindings (config show
#     and the session dump agree),
#   - rmmod succeeds in under LIFETIME_RMMOD_MS (default 5000) ms, with
#     sessions live, and drop_other stayed 0 until then.
# A kernel splat (WARNING, KASAN, lockdep, ...) fails the whole VM run.
# Ends with "N passed, N failed" (one case per cycle, plus set-up).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/stress/lib.sh
. tests/stress/lib.sh

CYCLES=${LIFETIME_CYCLES:-100}
RMMOD_MS=${LIFETIME_RMMOD_MS:-5000}
# LIFETIME_VERBOSE=1: a line per phase as it ends
NX=3

cleanup() {
	[ -n "${GEN_PID:-}" ] && kill "$GEN_PID" 2>/dev/null
	[ -n "${GEN4_PID:-}" ] && kill "$GEN4_PID" 2>/dev/null
	st_topo_down
	rmmod nat64 2>/dev/null
}
trap cleanup EXIT

if [ -n "$(st_caches)" ]; then
	rmmod nat64 2>/dev/null
fi
t0=$(now_ms)
if st_topo_up "$NX"; then
	ok "topology: client, server, $NX translators ($(($(now_ms) - t0)) ms)"
else
	ko "topology"
	summary
	exit 1
fi
# the pool4 addresses the churn swaps in are routed back too
for i in $(seq "$NX"); do
	ip -n "$ST_S4" route add "203.0.113.$((100 + i))/32" via "10.4.$i.1"
done

dsts=
for i in $(seq "$NX"); do
	dsts=$dsts${dsts:+,}$(st_server6 "$i")
done
bg_ns "$ST_C6" "$ST_PY" "$ST_HERE/traffic.py" gen --dst "$dsts" --port "$ST_PORT" \
	--est 2 --new 1 --tcp-new 5 --hz 10 --stats "$ST_TMP/gen.stats" \
	>"$ST_TMP/gen.log" 2>&1
GEN_PID=$BG_PID
# unsolicited IPv4 SYNs (held by the translators when the namespace goes)
pools=
for i in $(seq "$NX"); do
	pools=$pools${pools:+,}$(st_pool4 "$i")
done
bg_ns "$ST_S4" "$ST_PY" "$ST_HERE/traffic.py" gen4 --dst "$pools" --hz 2 \
	>"$ST_TMP/gen4.log" 2>&1
GEN4_PID=$BG_PID

max_rmmod=0
sum_cycle=0

# ph NAME: the time since the last phase mark, in PH
ph() {
	local t
	t=$(now_ms)
	PH+=("$1=$((t - PT))")
	[ "${LIFETIME_VERBOSE:-0}" = 0 ] || echo "# cycle $c: $1 $((t - PT)) ms"
	PT=$t
}

# cycle N: prints one ok/FAIL line
cycle() {
	local c=$1 why=() i x n u t m p left live ms tc rc cmd sess=() d
	tc=$(now_ms)
	PH=()
	PT=$tc
	left=$(st_caches)
	[ -z "$left" ] || why+=("caches left before insmod: $(echo "$left" | tr '\n' ' ')")
	if ! insmod "$NAT64_KO"; then
		ko "cycle $c: insmod failed"
		return
	fi
	[ -e "/run/netns/$(st_xlat 3)" ] || st_xlat_up 3 || why+=("re-creating st_x3")
	for i in $(seq "$NX"); do
		st_configure "$i" || why+=("configure st_x$i")
	done

	kill -0 "$GEN_PID" 2>/dev/null || why+=("traffic generator died: $(tail -n1 "$ST_TMP/gen.log")")
	ph setup
	# every translator carries UDP, TCP and ICMP sessions
	for i in $(seq "$NX"); do
		x=$(st_xlat "$i")
		deadline_start
		while :; do
			# (no process substitution: the guest has no /dev/fd)
			read -r u t m <<<"$(per_proto "$x")"
			[ "$u" -gt 0 ] && [ "$t" -gt 0 ] && [ "$m" -gt 0 ] && break
			until_s 20 || break
			sleep 0.2
		done
		sess+=("$u/$t/$m")
		[ "$u" -gt 0 ] && [ "$t" -gt 0 ] && [ "$m" -gt 0 ] ||
			why+=("st_x$i: udp/tcp/icmp sessions $u/$t/$m after 20 s (counters: $($CTL -n "$x" stats show 2>&1 | awk '$2 != 0 { printf "%s=%s ", $1, $2 }'))")
	done

	ph traffic
	# configuration changes under traffic (the static binding takes IPv4
	# port 999: dynamic bindings of the clients' ephemeral ports are made in
	# 1024-65535, so none can hold it first)
	for i in $(seq "$NX"); do
		x=$(st_xlat "$i")
		p=$(st_prefix "$i")
		while read -r cmd; do
			# shellcheck disable=SC2086 # words of the command
			$CTL -n "$x" $cmd >/dev/null 2>"$ST_TMP/ctl.err" ||
				why+=("st_x$i: nat64ctl $cmd: $(cat "$ST_TMP/ctl.err")")
		done <<-EOF
			config set udp-timeout 2 icmp-timeout 2 tcp-trans-timeout 3 tcp-est-timeout 4
			pool4 add 203.0.113.$((100 + i))
			pool4 del $(st_pool4 "$i")
			bib add udp [2001:db8:$i::2]:4000 203.0.113.$((100 + i)):999
			session flush udp
			prefix del $p
			prefix add $p
			pool4 add $(st_pool4 "$i") udp ports 2000-2100
			bib del udp [2001:db8:$i::2]:4000 203.0.113.$((100 + i)):999
			pool4 del 203.0.113.$((100 + i))
			session flush
			pool4 add $(st_pool4 "$i") tcp icmp
			config set udp-timeout 300 icmp-timeout 60 tcp-trans-timeout 240 tcp-est-timeout 7440
		EOF
	done
	ph churn
	# traffic goes on after the churn: st_x1 carries sessions again
	deadline_start
	while :; do
		n=$(sessions "$(st_xlat 1)")
		[ "${n:-0}" -gt 0 ] && break
		until_s 10 || break
		sleep 0.2
	done
	[ "${n:-0}" -gt 0 ] || why+=("st_x1: no session after the churn")

	ph after-churn
	# st_x2 back to zero: no prefix, no pool4 -> no state
	x=$(st_xlat 2)
	$CTL -n "$x" prefix del "$(st_prefix 2)" && $CTL -n "$x" pool4 flush ||
		why+=("st_x2: prefix del / pool4 flush failed")
	n=$(sessions "$x")
	d=$(dumped "$x")
	m=$(bindings "$x")
	[ "$n" = 0 ] && [ "$d" = 0 ] && [ "$m" = 0 ] ||
		why+=("st_x2 not back to zero: sessions $n, dumped $d, bindings $m")

	# delete st_x3 mid-flow
	ip netns del "$(st_xlat 3)" || why+=("ip netns del st_x3")

	for i in 1 2; do
		x=$(st_xlat "$i")
		d=$(counter "$x" drop_other)
		[ "$d" = 0 ] || why+=("st_x$i: drop_other $d")
	done
	st_configure 2 || why+=("st_x2: reconfigure")

	ph zero+del
	# unload during traffic
	live=$(sessions "$(st_xlat 1)")
	ms=$(now_ms)
	rmmod nat64
	rc=$?
	ms=$(($(now_ms) - ms))
	[ "$ms" -gt "$max_rmmod" ] && max_rmmod=$ms
	[ "$rc" = 0 ] || why+=("rmmod exited $rc")
	[ "$ms" -lt "$RMMOD_MS" ] || why+=("rmmod took $ms ms")
	[ "${live:-0}" -gt 0 ] || why+=("no live session in st_x1 at rmmod")
	! grep -q '^nat64 ' /proc/modules || why+=("still loaded after rmmod")
	left=$(st_caches)
	[ -z "$left" ] || why+=("caches left after rmmod: $(echo "$left" | tr '\n' ' ')")

	ph rmmod
	tc=$(($(now_ms) - tc))
	sum_cycle=$((sum_cycle + tc))
	if [ ${#why[@]} = 0 ]; then
		ok "cycle $c: udp/tcp/icmp sessions ${sess[*]}, st_x2 flushed to 0, st_x3 deleted, rmmod with ${live:-?} sessions in st_x1: $ms ms (cycle $tc ms: ${PH[*]})"
	else
		ko "cycle $c: $(printf '%s; ' "${why[@]}")(cycle $tc ms: ${PH[*]})"
	fi
}

for c in $(seq "$CYCLES"); do
	cycle "$c"
done
kill "$GEN_PID" "$GEN4_PID" 2>/dev/null
wait "$GEN_PID" "$GEN4_PID" 2>/dev/null
GEN_PID=
GEN4_PID=
echo "lifetime: $CYCLES cycles, mean cycle $((sum_cycle / (CYCLES > 0 ? CYCLES : 1))) ms, slowest rmmod $max_rmmod ms"
echo "traffic (dst est_tx est_rx new_tx new_rx tcp_bytes tcp_conn icmp_tx icmp_rx):"
sed 's/^/  /' "$ST_TMP/gen.stats" 2>/dev/null
summary
