# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, guest side helpers: topologies, pktgen, counters, contenders.
# Sourced by tests/bench/guest.sh after tests/vm/topo.sh.
#
# Each contender has its own copy of the topology (tests/vm/topo.sh with
# the namespace names c6_NAME, xlat_NAME, s4_NAME; same addresses), so
# nat64.ko and Jool are loaded side by side, each configured in its own
# xlat namespace only, and the contenders take turns measurement by
# measurement without reloading anything.
#
# Cheap reads and commands: an agent process in each namespace (see
# agent_start) runs commands there without `ip netns exec` (0.3-1 s under
# TCG), and its /proc/PID/net/{dev,pktgen} are the namespace's.  pktgen's
# thread and device files act on the thread's namespace, so they are
# written through /proc/PID/net/pktgen from here; pgctrl (start) acts on
# the writer's namespace and is written by the agent.

# --- addresses of the baselines (same veths, no translation)
PLAIN6_XLAT=2001:db8:4::1	# xlat to_s4, IPv6 (plain IPv6 forwarding)
PLAIN6_S4=2001:db8:4::2		# s4 eth0, IPv6
PLAIN4_XLAT=198.51.100.1	# xlat to_c6, IPv4 (plain IPv4 forwarding)
PLAIN4_C6=198.51.100.2		# c6 eth0, IPv4
POOL4_BENCH=203.0.113.0/28	# 16 addresses: dynamic bindings never run short
STATIC_PORT=9			# [C6_ADDR6]:9 <-> 203.0.113.1:9, static binding
PG_THREAD=kpktgend_0		# pktgen kthread on CPU 0 (see mode)

declare -A NSPID		# namespace -> pid of a process parked there
declare -A MAC6 MAC4		# contender -> MAC of xlat's to_c6 / to_s4
declare -A OFFL			# contender -> on|off

# Arithmetic without processes (each fork costs under TCG): times are
# $EPOCHREALTIME strings (seconds.microseconds, C locale).
us() { local t=${1/./}; echo $((10#$t)); }			# -> microseconds
fdiv() { [ "$2" != 0 ] && echo $((($1 * 10 + $2 * 5) / ($2 * 10))); }	# rounded a / b
fsub() { local d=$(($(us "$1") - $(us "$2"))); printf '%d.%03d\n' $((d / 1000000)) $((d / 1000 % 1000)); }
# nap SECONDS: sleep without a fork (a fork+exec of sleep costs up to
# seconds in a starved guest, and the polling loops below make hundreds)
NAP_FIFO=/tmp/bench-nap.$$
mkfifo "$NAP_FIFO" 2>/dev/null
exec {NAP_FD}<>"$NAP_FIFO"
nap() { read -r -t "$1" -u "$NAP_FD" _ ; return 0; }
log() { printf '[bench %(%T)T] %s\n' -1 "$*"; }

# Select a contender's topology: sets topo.sh's NS_* variables.
use() {
	NS_C6=c6_$1
	NS_XLAT=xlat_$1
	NS_S4=s4_$1
	C=$1
}

# Build the contender's topology: the one of tests/vm/topo.sh (same names
# of interfaces, addresses, routes, sysctls), made with a few batched
# commands since it is built three times and every process start costs
# ~0.3-1 s under TCG.  Additions for the baselines: IPv6 on the xlat-s4
# link (s4 is dual-stack here) and IPv4 on the c6-xlat link.  c6 and s4
# drop arriving UDP at tc ingress (no ICMP errors back, no socket work).
# xlat's neighbours are static: under a flood, ARP and NA replies would be
# dropped at xlat's full receive queue and the neighbours lost.
# Fixed MACs: 02:00:00:00:K:{1 xlat to_c6, 2 xlat to_s4, 3 c6, 4 s4}.
BENCH_K=0
bench_topo_up() { # contender
	local ns k sc="net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
		net.ipv6.conf.all.autoconf=0 net.ipv6.conf.default.autoconf=0
		net.ipv6.conf.default.router_solicitations=0"
	use "$1"
	topo_down
	BENCH_K=$((BENCH_K + 1))
	k=$(printf '02:00:00:00:%02x' $BENCH_K)
	MAC6[$1]=$k:01
	MAC4[$1]=$k:02
	ip -b - <<-EOF || return 1
		netns add $NS_C6
		netns add $NS_XLAT
		netns add $NS_S4
	EOF
	# sysctls first (new devices inherit "default"), then an agent
	for ns in "$NS_C6" "$NS_XLAT" "$NS_S4"; do
		local extra=
		[ "$ns" = "$NS_XLAT" ] && extra="net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
			net.ipv6.conf.default.forwarding=1 net.ipv4.conf.all.rp_filter=0
			net.ipv4.conf.default.rp_filter=0"
		# shellcheck disable=SC2086
		agent_start "$ns" "sysctl -q -w $(echo $sc $extra) >/dev/null" || return 1
	done
	ip -b - <<-EOF || return 1
		link add name $C6_IF netns $NS_C6 address $k:03 type veth peer name $XLAT_IF6 netns $NS_XLAT address $k:01
		link add name $S4_IF netns $NS_S4 address $k:04 type veth peer name $XLAT_IF4 netns $NS_XLAT address $k:02
	EOF
	ip -n "$NS_C6" -b - <<-EOF || return 1
		link set lo up
		addr add $C6_ADDR6/$NET6_PLEN dev $C6_IF nodad
		addr add $PLAIN4_C6/24 dev $C6_IF
		link set $C6_IF up
		route add default via $XLAT_ADDR6 dev $C6_IF
		route add default via $PLAIN4_XLAT dev $C6_IF
	EOF
	ip -n "$NS_XLAT" -b - <<-EOF || return 1
		link set lo up
		addr add $XLAT_ADDR6/$NET6_PLEN dev $XLAT_IF6 nodad
		addr add $PLAIN4_XLAT/24 dev $XLAT_IF6
		addr add $XLAT_ADDR4/$NET4_PLEN dev $XLAT_IF4
		addr add $PLAIN6_XLAT/64 dev $XLAT_IF4 nodad
		link set $XLAT_IF6 up
		link set $XLAT_IF4 up
		neigh replace $C6_ADDR6 lladdr $k:03 dev $XLAT_IF6 nud permanent
		neigh replace $PLAIN4_C6 lladdr $k:03 dev $XLAT_IF6 nud permanent
		neigh replace $S4_ADDR4 lladdr $k:04 dev $XLAT_IF4 nud permanent
		neigh replace $PLAIN6_S4 lladdr $k:04 dev $XLAT_IF4 nud permanent
	EOF
	ip -n "$NS_S4" -b - <<-EOF || return 1
		link set lo up
		addr add $S4_ADDR4/$NET4_PLEN dev $S4_IF
		addr add $PLAIN6_S4/64 dev $S4_IF nodad
		link set $S4_IF up
		route add $POOL4 via $XLAT_ADDR4 dev $S4_IF
		route add $NET6 via $PLAIN6_XLAT dev $S4_IF
	EOF
	for ns in "$NS_C6" "$NS_S4"; do
		tc -n "$ns" -b - <<-EOF || return 1
			qdisc add dev eth0 clsact
			filter add dev eth0 ingress protocol ip pref 1 flower ip_proto udp action drop
			filter add dev eth0 ingress protocol ipv6 pref 2 flower ip_proto udp action drop
		EOF
	done
	OFFL[$1]=on
	log "$1: topology up"
}

bench_topo_down() { # contender
	use "$1"
	local ns
	for ns in "$NS_C6" "$NS_XLAT" "$NS_S4"; do
		agent_stop "$ns"
	done
	topo_down
}

# --- agents: a bash in each namespace (started once with `ip netns exec`)
# runs the command lines it reads from a FIFO, so that commands in a
# namespace cost no `ip netns exec` (0.3-1 s under TCG) and its pid gives
# the namespace's /proc/PID/net.  One line per command.
declare -A REQ REP
AGENT_DIR=/tmp/bench-agents
agent_start() { # ns first-command
	local ns=$1 fd
	mkdir -p $AGENT_DIR
	rm -f "$AGENT_DIR/$ns.req" "$AGENT_DIR/$ns.rep"
	mkfifo "$AGENT_DIR/$ns.req" "$AGENT_DIR/$ns.rep" || return 1
	# shellcheck disable=SC2016
	ip netns exec "$ns" bash -c 'exec 3<>"$1" 4<>"$2"; eval "$3"
		while read -r line <&3; do eval "$line"; echo "rc=$?" >&4; done' \
		agent "$AGENT_DIR/$ns.req" "$AGENT_DIR/$ns.rep" "$2" </dev/null &
	NSPID[$ns]=$!
	exec {fd}<>"$AGENT_DIR/$ns.req"
	REQ[$ns]=$fd
	exec {fd}<>"$AGENT_DIR/$ns.rep"
	REP[$ns]=$fd
	nsrun "$ns" "true"
}
agent_stop() { # ns
	local ns=$1
	[ -n "${REQ[$ns]:-}" ] || return 0
	kill "${NSPID[$ns]}" 2>/dev/null
	exec {REQ[$ns]}>&- {REP[$ns]}>&-
	unset "REQ[$ns]" "REP[$ns]"
	rm -f "$AGENT_DIR/$ns.req" "$AGENT_DIR/$ns.rep"
}
nsrun() { # ns command: run it in the namespace, return its status
	local reply	# (newlines become spaces: separate commands with ; or &&)
	printf '%s\n' "${2//$'\n'/ }" >&"${REQ[$1]}"
	if ! read -r -t 1500 reply <&"${REP[$1]}"; then
		log "agent of $1 did not answer: $2"
		return 1
	fi
	return "${reply#rc=}"
}
nsout() { # ns command-line: its output (stdout and stderr)
	nsrun "$1" "{ $2 ; } >$AGENT_DIR/$1.out 2>&1"
	local rc=$?
	cat "$AGENT_DIR/$1.out"
	return $rc
}

# Interface counter of a namespace: ifstat_v VAR ns dev field
ifstat_v() {
	local -n out=$1
	local ns=$2 dev=$3 field=$4 l
	local -a f
	out=0
	while read -r l; do
		case $l in
		"$dev":*)
			read -r -a f <<<"${l#*:}"
			case $field in
			rx_packets) out=${f[1]} ;;
			rx_dropped) out=${f[3]} ;;
			tx_packets) out=${f[9]} ;;
			esac
			return 0
			;;
		esac
	done <"/proc/${NSPID[$ns]}/net/dev"
}

# Sum of the 'dropped' column of /proc/net/softnet_stat (backlog overflow).
softnet_drops_v() {
	local -n out=$1
	local a b rest
	out=0
	while read -r a b rest; do
		out=$((out + 16#$b))
	done </proc/net/softnet_stat
}

pg_write() { # ns file line
	local f="/proc/${NSPID[$1]}/net/pktgen/$2"
	if ! echo "$3" >"$f" 2>/dev/null; then
		log "pktgen: '$3' > $2 in $1 failed: $(grep -m1 Result "$f" 2>/dev/null)"
		return 1
	fi
}

# bench_files: RAW and NOTES (in BENCH_OUT) emptied; BIN for private copies
# of nat64.ko and nat64ctl (the work tree's may be rebuilt during a run)
bench_files() {
	RAW=$BENCH_OUT/raw.tsv
	NOTES=$BENCH_OUT/notes.txt
	: >"$RAW"
	: >"$NOTES"
	BIN=/tmp/bench-bin
	mkdir -p "$BIN"
}

# pg_setup ns dev line...: one device on PG_THREAD, configured from scratch
# (a fresh device starts its port sequences at their minimum).
pg_setup() {
	local ns=$1 dev=$2 line
	shift 2
	pg_wait_stopped
	pg_write "$ns" "$PG_THREAD" rem_device_all || return 1
	pg_write "$ns" "$PG_THREAD" "add_device $dev" || return 1
	for line in "count 0" "clone_skb 0" "delay 0" "flag UDPCSUM" "$@"; do
		pg_write "$ns" "$dev" "$line" || return 1
	done
}

pg_sent() { # ns dev
	local l
	l=$(grep -m1 -o 'pkts-sofar: [0-9]*' "/proc/${NSPID[$1]}/net/pktgen/$2" 2>/dev/null)
	echo "${l#pkts-sofar: }"
}

# pg6 DST6 SPORT_MIN SPORT_MAX DPORT_MIN DPORT_MAX [COUNT [PPS]]: c6 -> DST6,
# 80-byte frames, source ports [min,max) and destination ports [min,max)
# both stepping by one per packet (distinct pairs for the lcm of the two
# range lengths).
pg6() {
	pg_setup "$NS_C6" "$C6_IF" "pkt_size 80" "src6 $C6_ADDR6" "dst6 $1" \
		"dst_mac ${MAC6[$C]}" "udp_src_min $2" "udp_src_max $3" \
		"udp_dst_min $4" "udp_dst_max $5" ${6:+"count $6"} ${7:+"ratep $7"}
}

# pg4 DST4 SPORT_MIN SPORT_MAX DPORT: s4 -> DST4, 60-byte frames (the IPv4
# size the 6->4 packets have after translation).
pg4() {
	pg_setup "$NS_S4" "$S4_IF" "pkt_size 60" "src_min $S4_ADDR4" "src_max $S4_ADDR4" \
		"dst $1" "dst_mac ${MAC4[$C]}" "udp_src_min $2" "udp_src_max $3" \
		"udp_dst_min $4" "udp_dst_max $4"
}

PG_PID=
pg_start() { # ns: start the namespace's pktgen in the background
	nsrun "$1" "{ echo start >/proc/net/pktgen/pgctrl; } 2>/dev/null & echo \$! >$AGENT_DIR/pg.pid"
	read -r PG_PID <"$AGENT_DIR/pg.pid"
}
pg_stop() { # a signal to the writer of "start" stops the threads
	[ -n "$PG_PID" ] || return 0
	kill -TERM "$PG_PID" 2>/dev/null
	local n=200 st l
	while [ $n -gt 0 ] && read -r _ _ st _ 2>/dev/null <"/proc/$PG_PID/stat" && [ "$st" != Z ]; do
		nap 0.05
		n=$((n - 1))
	done
	PG_PID=
	# the threads stop on their own time: wait until no device runs (else
	# the next rem_device_all warns, which fails the VM run)
	pg_wait_stopped
}
pg_wait_stopped() {
	# a starved guest may take minutes to stop pktgen: wait (up to 10
	# minutes) rather than let the flood run into the next measurement
	local ns f l busy n=12000 t0=$EPOCHREALTIME
	for ns in "${!NSPID[@]}"; do
		f=/proc/${NSPID[$ns]}/net/pktgen/$PG_THREAD
		[ -r "$f" ] || continue
		while [ $n -gt 0 ]; do
			busy=0
			while read -r l; do
				case $l in "Running: "?*) busy=1 ;; esac
			done <"$f"
			[ $busy = 0 ] && break
			nap 0.05
			n=$((n - 1))
		done
	done
	[ $n -gt 11900 ] || log "pktgen took $(fsub "$EPOCHREALTIME" "$t0") s to stop"
}
pg_run_count() { # ns: run to the configured count (foreground)
	nsrun "$1" "{ echo start >/proc/net/pktgen/pgctrl; } 2>/dev/null"
}

# CPU_T[cpuN], CPU_I[cpuN]: total and idle jiffies from /proc/stat
cpustat() { # prefix: sets ${prefix}T / ${prefix}I associative arrays
	local -n tt=${1}T ii=${1}I
	local name rest t i
	local -a f
	while read -r name rest; do
		case $name in
		cpu[0-9]*)
			read -r -a f <<<"$rest"
			t=0
			for i in "${f[@]}"; do t=$((t + i)); done
			tt[$name]=$t
			ii[$name]=$((f[3] + f[4]))
			;;
		esac
	done </proc/stat
}
# busy % of each CPU between the snapshots A and B: "cpu0=97% cpu1=100%"
declare -A CA_T CA_I CB_T CB_I
cpubusy() {
	local c dt di out=
	for c in "${!CB_T[@]}"; do
		dt=$((CB_T[$c] - CA_T[$c]))
		di=$((CB_I[$c] - CA_I[$c]))
		[ "$dt" -gt 0 ] && out="$out$c=$((100 * (dt - di) / dt))% "
	done
	echo "$out"
}

# measure TXNS TXDEV RXNS RXDEV: run the configured pktgen flow, warm up,
# count what RXNS/RXDEV receives during WINDOW seconds.  Sets M_PPS (rate
# delivered in the window), M_SENT (taken by the sender's veth), M_DELIV
# (whole run), M_LOSS (% of M_SENT not delivered: lost inside xlat),
# M_BACKLOG (softnet drops during the run), M_RING (drops of xlat's ingress
# veth: its NAPI ring was full), M_CPU (busy % per CPU), M_INFO (all that).
measure() {
	local txns=$1 txdev=$2 rxns=$3 rxdev=$4 r0 r1 r2 r3 t1 t2 s0 d0 idev=$XLAT_IF6 dt
	[ "$txns" = "$NS_S4" ] && idev=$XLAT_IF4
	ifstat_v d0 "$NS_XLAT" "$idev" rx_dropped
	ifstat_v r0 "$rxns" "$rxdev" rx_packets
	softnet_drops_v s0
	pg_start "$txns"
	local t0=$EPOCHREALTIME
	sleep "$WARMUP"
	t1=$EPOCHREALTIME
	ifstat_v r1 "$rxns" "$rxdev" rx_packets
	cpustat CA_
	sleep "$WINDOW"
	t2=$EPOCHREALTIME
	ifstat_v r2 "$rxns" "$rxdev" rx_packets
	cpustat CB_
	pg_stop
	M_RUN_US=$(($(us "$EPOCHREALTIME") - $(us "$t0")))
	M_CPU=$(cpubusy)
	sleep 0.2
	ifstat_v r3 "$rxns" "$rxdev" rx_packets
	dt=$(($(us "$t2") - $(us "$t1")))
	M_PPS=$(((r2 - r1) * 1000000 / dt))
	M_SENT=$(pg_sent "$txns" "$txdev")
	M_DELIV=$((r3 - r0))
	M_LOSS=nan
	[ "${M_SENT:-0}" -gt 0 ] && M_LOSS=$(((M_SENT - M_DELIV) * 100 / M_SENT))
	softnet_drops_v M_BACKLOG
	M_BACKLOG=$((M_BACKLOG - s0))
	ifstat_v M_RING "$NS_XLAT" "$idev" rx_dropped
	M_RING=$((M_RING - d0))
	if [ "${M_SENT:-0}" = 0 ]; then
		note "$C round $ROUND: pktgen sent nothing (run left out)"
		M_PPS=
	fi
	M_INFO="sent=$M_SENT delivered=$M_DELIV lost_inside=$M_LOSS% overload_drops=$M_RING softnet_drops=$M_BACKLOG $M_CPU"
}

# --- results: lines "metric contender round value note" in $RAW
result() { # metric contender value [note]
	[ -n "$3" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$ROUND" "$3" "${4:-}" >>"$RAW"
	printf 'BENCH %(%T)T %-14s %-5s r%s: %s %s\n' -1 "$1" "$2" "$ROUND" "$3" "${4:-}"
}
note() { # free text for the report
	printf '%s\n' "$*" >>"$NOTES"
	log "note: $*"
}

# --- interface modes of the current contender's four veth ends
#   pktgen  a pipeline over the two CPUs: pktgen on CPU 0; xlat's veths
#           steer what they receive to CPU 1 (RPS), so the translator or
#           forwarder works in CPU 1's receive softirq, and the far end
#           (the sink: c6's or s4's eth0, GRO on = veth NAPI mode, tc drop)
#           is polled there too from its own ring.  Overload is dropped on
#           entry to CPU 1's backlog, before any work is done on it.  TSO,
#           GSO, GRO off on xlat's veths, TSO/GSO off on the others.
#   inline  the same without RPS: xlat's work runs in the softirq of the
#           CPU pktgen sends from (CPU 0), pktgen and xlat share it
#   off     TSO, GSO, GRO off everywhere (what Jool asks for), no RPS
#   on      veth defaults: TSO, GSO, checksums on, GRO off, no RPS
mode() { # pktgen|inline|off|on
	[ "${OFFL[$C]}" = "$1" ] && return 0
	local tso=off sinkgro=off rps=0 i
	case $1 in
	pktgen) sinkgro=on rps=2 ;;
	inline) sinkgro=on ;;
	on) tso=on ;;
	esac
	local k="tso $tso gso $tso"
	nsrun "$NS_C6" "ethtool -K $C6_IF $k gro $sinkgro 2>/dev/null"
	nsrun "$NS_S4" "ethtool -K $S4_IF $k gro $sinkgro 2>/dev/null"
	for i in "$XLAT_IF6" "$XLAT_IF4"; do
		nsrun "$NS_XLAT" "ethtool -K $i $k gro off 2>/dev/null; echo $rps >/sys/class/net/$i/queues/rx-0/rps_cpus"
	done
	OFFL[$C]=$1
}

# --- slab caches: bytes of the objects in use (active_objs * objsize) and
# objects in use.  slab_objbytes NAME...
slab_objbytes() {
	awk -v names=" $* " 'index(names, " " $1 " ") { b += $2 * $4 } END { print b + 0 }' /proc/slabinfo
}
slab_objs() {
	awk -v names=" $* " 'index(names, " " $1 " ") { n += $2 } END { print n + 0 }' /proc/slabinfo
}
memfree_kb() {
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}

# --- contenders: NAME_load (module, once), NAME_up (configure the current
# topology's xlat), NAME_flush (no sessions left), NAME_sessions,
# NAME_stats (non-zero counters, one line), NAME_caches (slab caches).

CTL() { "$BIN/nat64ctl" -n "$NS_XLAT" "$@"; }

ours_load() {
	local deps
	deps=$(modinfo -F depends "$BIN/nat64.ko" 2>/dev/null | tr ',' ' ')
	# shellcheck disable=SC2086
	[ -z "$deps" ] || modprobe -a $deps || return 1
	insmod "$BIN/nat64.ko"
}
ours_up() {
	CTL prefix add "$POOL6" &&
	CTL pool4 add "$POOL4_BENCH" ports 1-65535 &&
	CTL bib add udp "[$C6_ADDR6]:$STATIC_PORT" "203.0.113.1:$STATIC_PORT" &&
	CTL config set max-sessions 4000000 udp-timeout 3600 >/dev/null &&
	# the lab's server is a documentation address, which the well-known
	# prefix does not carry by default (RFC 6052 3.1)
	{ CTL config set wkp-global-only 0 >/dev/null 2>&1 || true; }
}
ours_flush() { CTL session flush >/dev/null; }
ours_sessions() { CTL -j config show | grep -o '"sessions": *[0-9]*' | grep -o '[0-9]*$'; }
ours_caches="nat64_session nat64_bib"
ours_stats() {
	CTL -j stats show | tr '{},' '\n\n\n' | tr -d '" ' | grep ':' | grep -v ':0$' | tr '\n' ' '
}

jool_load() { modprobe jool; }
jool_up() {
	nsrun "$NS_XLAT" "jool instance add --netfilter --pool6 $POOL6 >/dev/null &&
		jool pool4 add $POOL4_BENCH 1-65535 --udp &&
		jool pool4 add $POOL4_BENCH 1-65535 --tcp &&
		jool pool4 add $POOL4_BENCH 1-65535 --icmp &&
		jool bib add $C6_ADDR6#$STATIC_PORT 203.0.113.1#$STATIC_PORT --udp &&
		jool global update udp-timeout 1:00:00"
}
# Jool 4.1 has no session flush: a new instance
jool_flush() {
	nsrun "$NS_XLAT" "jool instance remove" && jool_up
}
jool_sessions() {
	nsout "$NS_XLAT" "jool stats display --csv --all" | awk -F, '$1 == "JSTAT_SESSIONS" { print $2 }'
}
jool_caches="session_nodes bib_nodes"
jool_stats() {
	nsout "$NS_XLAT" "jool stats display --csv --no-headers" | grep -v '^JSTAT_\(RECEIVED[46]\|SUCCESS\),' |
		tr '\n' ' '
}

plain_load() { :; }
plain_up() { :; }
plain_flush() { :; }
plain_sessions() { echo 0; }
plain_stats() { :; }
plain_caches=

# --- measurements (each for the contender selected with `use`) ------------
# Globals from guest.sh: WARMUP WINDOW IPERF_T IPERF_O SPORTS ROUND RAW NOTES BENCH_OUT
est64() { # metric
	local dst=$S4_ADDR6
	[ "$C" = plain ] && dst=$PLAIN6_S4
	pg6 "$dst" 1000 1004 9 9 || return 1
	measure "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF"
	result "$1" "$C" "$M_PPS" "$M_INFO"
}

est46() { # [metric]
	local dst=203.0.113.1
	[ "$C" = plain ] && dst=$PLAIN4_C6
	pg4 "$dst" 1000 1004 "$STATIC_PORT" || return 1
	measure "$NS_S4" "$S4_IF" "$NS_C6" "$C6_IF"
	result "${1:-est46}" "$C" "$M_PPS" "$M_INFO"
}

# Native IPv6 forwarding c6 -> s4 ([2001:db8:4::2], not to the prefix)
# through every contender's xlat, the translator configured: what its hooks
# cost the traffic that is not its own (plain: the same path, no hooks).
native64() {
	pg6 "$PLAIN6_S4" 1000 1004 9 9 || return 1
	measure "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF"
	result native64 "$C" "$M_PPS" "$M_INFO"
}

# The IPv6 limit of the 4->6 direction: plain IPv6 forwarding s4 -> c6
# (80-byte frames, the size the 4->6 packets have after translation), for
# the ratio of est46 to IPv6 forwarding (est46's own baseline is IPv4
# forwarding, which does less work than any path that ends in IPv6).
est46_fwd6() {
	[ "$C" = plain ] || return 0
	pg_setup "$NS_S4" "$S4_IF" "pkt_size 80" "src6 $PLAIN6_S4" "dst6 $C6_ADDR6" \
		"dst_mac ${MAC4[$C]}" "udp_src_min 1000" "udp_src_max 1004" \
		"udp_dst_min $STATIC_PORT" "udp_dst_max $STATIC_PORT" || return 1
	measure "$NS_S4" "$S4_IF" "$NS_C6" "$C6_IF"
	result est46_fwd6 "$C" "$M_PPS" "$M_INFO"
}

# New sessions: source ports 1024..65534 x destination ports 10..16, both
# stepping, so every packet is a new 5-tuple (the first 64511 a new
# binding too).  Memory: slab object bytes per session with its binding.
newsess() {
	local cache s0 s1 b0 b1 created
	eval "cache=\$${C}_caches"
	s0=$("${C}_sessions")
	b0=$(slab_objbytes $cache)
	pg6 "$S4_ADDR6" 1024 65535 10 17 || return 1
	measure "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF"
	sleep 0.5
	s1=$("${C}_sessions")
	b1=$(slab_objbytes $cache)
	created=$((s1 - s0))
	# sessions made per second over the whole run (also paces the bursts
	# of the scale series)
	NEW_PPS[$C]=$((created * 1000000 / M_RUN_US))
	result new "$C" "${NEW_PPS[$C]}" \
		"sessions/s by the translator's count: $created in $((M_RUN_US / 1000)) ms; $M_INFO"
	result new_deliv "$C" "$M_PPS" "pps delivered in the window"
	if [ "$created" -gt 0 ]; then
		result new_ok "$C" "$(awk -v a="$created" -v b="$M_DELIV" 'BEGIN { printf "%.3f", b ? a / b : 0 }')" \
			"sessions created / packets delivered"
		result mem_new "$C" "$(fdiv $((b1 - b0)) "$created")" \
			"slab object bytes per session with its binding ($created sessions)"
	else
		note "$C round $ROUND: the new-session burst created no session"
	fi
}

# New sessions on few bindings: source ports 1024..1534 x destination ports
# 10..1006, both stepping (511 x 997, coprime): every packet a new session,
# all but the first 511 on a binding that exists. Against `new`, the price
# of making bindings (choosing their pool4 port) apart from sessions.
newsess_few() {
	local s0 s1
	s0=$("${C}_sessions")
	newfew_pg || return 1
	measure "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF"
	sleep 0.5
	s1=$("${C}_sessions")
	result new_few "$C" "$(((s1 - s0) * 1000000 / M_RUN_US))" \
		"sessions/s on 511 bindings: $((s1 - s0)) in $((M_RUN_US / 1000)) ms; $M_INFO"
}

newfew_pg() { pg6 "$S4_ADDR6" 1024 1535 10 1007; }

# Many established flows: FLOWS flows (source ports, one destination port)
# made one by one, paced so that none is lost, then the same flows round and
# round at full speed, every packet a hit: the new-session traffic without
# the creating (the note tells the sessions made during the run: 0).
manyflows() {
	local s0 s1
	"${C}_flush"
	sleep 1
	flows_fill "$FLOWS" || return 1
	flows_pg "$FLOWS" || return 1
	s0=$("${C}_sessions")
	measure "$NS_C6" "$C6_IF" "$NS_S4" "$S4_IF"
	s1=$("${C}_sessions")
	result est64_flows "$C" "$M_PPS" "$FLOWS flows, $((s1 - s0)) sessions made during the run; $M_INFO"
	"${C}_flush"
}
flows_pg() { # N: pktgen c6 -> s4 over N flows (source ports from 1024, port 10)
	pg6 "$S4_ADDR6" 1024 $((1024 + $1)) 10 11 ${2:+"$1" "$2"}
}
flows_fill() { # N: N flows made at 8000 per second (none lost)
	flows_pg "$1" 8000 || return 1
	pg_run_count "$NS_C6"
}

# Scale series: background sessions from source ports [1024, 1024+SPORTS)
# to destination ports [DBASE, DBASE+d), both stepping: `need` packets make
# `need` distinct sessions on at most SPORTS bindings.  Per contender:
# SC_HAVE (background sessions made), SC_DBASE, SC_S0 (sessions before),
# SC_B0 (slab bytes before), SC_MEM (MemFree drop over the top-ups, kB).
declare -A SC_HAVE SC_DBASE SC_S0 SC_B0 SC_MEM
scale_start() {
	local cache
	eval "cache=\$${C}_caches"
	"${C}_flush"
	sleep 1
	SC_HAVE[$C]=0
	SC_DBASE[$C]=20
	SC_S0[$C]=$("${C}_sessions")
	SC_B0[$C]=$(slab_objbytes $cache)
	SC_MEM[$C]=0
}
# The bursts are paced at 80% of the rate at which the contender made
# sessions in this round's new-session run (NEW_PPS), so that few packets are lost on the way; passes
# are repeated once (same sequence, existing sessions are hits) below 97%.
# UDP sessions live 1 hour here (both translators), so that none expires
# while the series grows (the 1M step takes minutes).
declare -A NEW_PPS
scale_to() { # target
	local want=$1 need d pass s m0 m1 t0 t1 rate
	need=$((want - SC_HAVE[$C]))
	[ "$need" -gt 0 ] || return 0
	d=$(((need + SPORTS - 1) / SPORTS))
	rate=$((${NEW_PPS[$C]:-5000} * 8 / 10))
	[ "$rate" -ge 500 ] || rate=500
	m0=$(memfree_kb)
	for pass in 1 2; do
		pg6 "$S4_ADDR6" 1024 $((1024 + SPORTS)) "${SC_DBASE[$C]}" $((SC_DBASE[$C] + d)) \
			"$need" "$rate" || return 1
		t0=$EPOCHREALTIME
		pg_run_count "$NS_C6"
		t1=$EPOCHREALTIME
		s=$("${C}_sessions")
		log "$C: $need new background sessions at $rate/s, pass $pass: $(fsub "$t1" "$t0") s, $s sessions now"
		[ "$((s - SC_S0[$C]))" -ge $((want * 97 / 100)) ] && break
	done
	sleep 1		# table resizes and RCU frees settle
	m1=$(memfree_kb)
	SC_MEM[$C]=$((SC_MEM[$C] + m0 - m1))
	SC_DBASE[$C]=$((SC_DBASE[$C] + d))
	SC_HAVE[$C]=$want
	[ "$((s - SC_S0[$C]))" -ge $((want * 97 / 100)) ] ||
		note "$C round $ROUND: only $((s - SC_S0[$C])) of $want background sessions"
}
scale_mem() { # N
	local cache s b1
	eval "cache=\$${C}_caches"
	s=$(("$("${C}_sessions")" - SC_S0[$C]))
	[ "$s" -gt 0 ] || return 0
	b1=$(slab_objbytes $cache)
	result "mem_slab@$1" "$C" "$(fdiv $((b1 - SC_B0[$C])) "$s")" \
		"slab object bytes per session ($s sessions on <= $SPORTS bindings)"
	[ "$1" -ge "$MEMTOTAL_MIN" ] &&
		result "mem_total@$1" "$C" "$(fdiv $((SC_MEM[$C] * 1024)) "$s")" \
			"MemFree drop per session ($s sessions)"
	return 0
}

iperf_mbps() { # iperf3 -f m output on stdin: the receiver's Mbit/s
	awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }'
}
tcp() { # on|off
	local dst=$S4_ADDR6 out mbps
	[ "$C" = plain ] && dst=$PLAIN6_S4
	mode "$1"
	out=$(nsout "$NS_C6" "timeout $((IPERF_T + 30)) iperf3 -c $dst -t $IPERF_T -O $IPERF_O -f m")
	mbps=$(iperf_mbps <<<"$out")
	[ -n "$mbps" ] || note "$C round $ROUND: iperf3 failed: $(tail -n2 <<<"$out" | tr '\n' ' ')"
	result "tcp_$1" "$C" "$mbps" "Mbit/s, iperf3 ${IPERF_T}s"
}

counters() { # phase
	local st
	st=$("${C}_stats" 2>/dev/null)
	[ -n "$st" ] && printf 'counters %s round %s after %s: %s\n' "$C" "$ROUND" "$1" "$st" >>"$NOTES"
	return 0
}

# perf profile (CPU 1: where xlat works in the pipeline mode, pktgen has
# CPU 0) of a pktgen run: profile_run NAME SPORT_MIN SPORT_MAX DPORT_MIN DPORT_MAX
profile_run() {
	local name=$1 r1 r2 t1 t2 s1 s2
	shift
	pg6 "$S4_ADDR6" "$@" || return 1
	pg_start "$NS_C6"
	sleep 1
	ifstat_v r1 "$NS_S4" "$S4_IF" rx_packets
	s1=$("${C}_sessions")
	t1=$EPOCHREALTIME
	perf record -C 1 -g -o "/tmp/perf-$name-$C.data" -- sleep 4 >/dev/null 2>&1
	t2=$EPOCHREALTIME
	ifstat_v r2 "$NS_S4" "$S4_IF" rx_packets
	s2=$("${C}_sessions")
	pg_stop
	# the rate while perf sampled: a profile of a slower phase than the
	# measurement's would mislead
	note "$C profile $name: $(((r2 - r1) * 1000000 / ($(us "$t2") - $(us "$t1")))) pps delivered, $((s2 - s1)) sessions made while perf ran"
	perf report -i "/tmp/perf-$name-$C.data" --stdio --no-children --sort sym 2>/dev/null |
		grep -v '^#' | grep '%' | grep -v "^ *|" | grep -v -- "---" | head -60 \
		>"$BENCH_OUT/profile-$name-$C.txt"
	# inclusive time: which caller the self time above belongs to
	perf report -i "/tmp/perf-$name-$C.data" --stdio --children --sort sym -g none 2>/dev/null |
		grep -v '^#' | grep '%' | head -60 >"$BENCH_OUT/profile-$name-$C-children.txt"
	log "profile of $C ($name) in $BENCH_OUT/profile-$name-$C{,-children}.txt"
}
profile() { # established 6->4 (4 flows), then new sessions 6->4
	command -v perf >/dev/null || { note "no perf"; return 0; }
	profile_run est64 1000 1004 9 9 || return 1
	"${C}_flush"
	sleep 1
	profile_run new 1024 65535 10 17
}

