#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command as root inside a throw-away qemu VM booting a Debian kernel
# (or, with -K, the debug kernel of tests/kernel/build.sh), with the host's /
# shared read-only and this work tree read-write (at the same path).  The
# guest's console is streamed to stdout and saved to a log.
#
#   tests/vm/run.sh [options] -- COMMAND [ARGS...]
#   tests/vm/run.sh --scan LOGFILE
#
# Exit status: the command's, or non-zero with a one-line reason when the
# guest crashed, timed out or printed a kernel warning (see scan_log).
set -eu

usage() {
	cat <<'EOF'
usage: tests/vm/run.sh [options] -- COMMAND [ARGS...]
       tests/vm/run.sh --scan LOGFILE

Boots the Debian kernel KVER under qemu (TCG), runs COMMAND as root in the
work tree (cwd = the work tree's top), exits with its status.

  -k KVER     kernel version (default: newest /boot/vmlinuz-* with /lib/modules/KVER)
  -K DIR      boot the debug kernel in DIR (tests/kernel/build.sh prints it:
              NAT64_DEBUG_KERNEL=DIR) instead of Debian's; its modules tree
              DIR/lib/modules/KVER is the guest's /lib/modules/KVER
  -m MEM_MB   guest memory (default 2048)
  -t SECONDS  timeout for the whole run (default 1200)
  -c CPUS     guest CPUs (default 2)
  -S          no slub_debug=FZPU (the default with -K: KASAN is on)
  -L LEVEL    guest console loglevel (default 5: warnings and worse; 8: all)
  -a ARG      append ARG to the kernel command line (repeatable)
  -e NAME=VAL set an environment variable for COMMAND (repeatable)
  -o LOGFILE  console log (default: $CACHE/logs/console-<date>-<pid>.log)
  -h          this help
  --scan FILE check a console log for kernel warnings/crashes (exit 1 if any)

CACHE (kernel, initramfs, logs) is ${NAT64_VM_CACHE:-${XDG_CACHE_HOME:-/var/tmp}/nat64-vm}.
Environment: NAT64_VM_CACHE, QEMU (qemu binary), NAT64_VM_QEMU_ARGS (extra
qemu options), NAT64_VM_BIOS (firmware; default qboot.rom if present),
NAT64_VM_PVH=0 (boot the bzImage instead of the cached vmlinux),
NAT64_VM_BUSYBOX (a static busybox; default /bin/busybox).

In the guest: cwd is the work tree (same path as on the host, read-write),
HOME=/tmp, NAT64_VM=1, NAT64_VM_KVER; / is the host's, read-only, with
tmpfs on /tmp /run /var/{tmp,log,cache,spool,mail} /root /dev/shm and an
overlay on /var/lib; debugfs, tracefs, cgroup2, bpffs mounted.
Kernel command line: console=ttyS0 panic=-1 panic_on_warn=1 oops=panic quiet
printk.time=1 slab_nomerge softlockup_panic=1 sysctl.kernel.panic_on_rcu_stall=1
sysctl.kernel.hung_task_panic=1 slub_debug=FZPU [-a ...]; kernel.panic_on_oops=1;
messages of level < -L reach the console.  The command's output and the kernel's are
streamed on stdout; the run fails on any kernel WARNING/BUG/Oops/... line.
When the kernel has kmemleak (-K), it is scanned after the command (twice,
NAT64_VM_KMEMLEAK_PAUSE seconds apart, default 5; each scan at most
NAT64_VM_KMEMLEAK_TIMEOUT seconds, default 300, else the run fails) with its
reports on the console, so a leak fails the run; NAT64_VM_KMEMLEAK=0 skips
the scan.
EOF
}

die() {
	echo "run.sh: $*" >&2
	exit 2
}

# Kernel messages that fail a run.  Matched only on kernel lines (they carry
# the "[   12.345678]" printk time stamp), never on the echoed command line.
BAD_PATTERNS='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|kernel BUG|Call Trace|panic|unreferenced object|suspected memory leak|RCU stall|detected stalls?|soft lockup|hard LOCKUP|hung task|blocked for more than|refcount_t|list_add corruption|list_del corruption|BUG [^ ]+ \((Not tainted|Tainted)|Bad page|waiting for .* to become free'

# scan_log FILE: print the first offending kernel line, return 1 if any.
scan_log() {
	local hit
	hit=$(grep -a -E '\[ *[0-9]+\.[0-9]+\]' -- "$1" |
		grep -a -v -E '[Cc]ommand line:' |
		grep -a -m1 -E -- "$BAD_PATTERNS") || return 0
	printf '%s\n' "$hit" | tr -d '\r'
	return 1
}

# Single-quote a word for sh.
shquote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Guest side, with -K (sh, in the chroot, before the command): the host's
# /lib/modules has nothing for the debug kernel, so a tmpfs goes over it with
# the kernel's modules tree (9p share "nat64mods") at KVER, and modprobe finds
# built-ins (modules.builtin) and modules.  guest-init.sh could not load
# Debian's overlay.ko and mounted a plain tmpfs on /var/lib: overlayfs is
# built in here, so the host's /var/lib comes back, with writes in memory.
GUEST_DBGK_SETUP=$(cat <<'EOF'
if [ ! -e "$_nat64_mods/modules.dep" ]; then
	mount -t tmpfs -o mode=0755 tmpfs /lib/modules &&
	mkdir -p "$_nat64_mods" &&
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose \
		nat64mods "$_nat64_mods" || {
		echo "nat64-vm: cannot mount the debug kernel's modules at $_nat64_mods"
		exit 125
	}
fi
if [ "$(awk '$2 == "/var/lib" { t = $3 } END { print t }' /proc/mounts)" = tmpfs ] &&
   grep -qw overlay /proc/filesystems && umount /var/lib; then
	mkdir -p /run/.nat64-varlib/upper /run/.nat64-varlib/work
	mount -t overlay -o lowerdir=/var/lib,upperdir=/run/.nat64-varlib/upper,workdir=/run/.nat64-varlib/work \
		overlay /var/lib || mount -t tmpfs -o mode=0755 tmpfs /var/lib
fi
EOF
)

# Guest side, after the command, on kernels with kmemleak: two scans (a
# pause between them), the kernel printing each new leak on the console
# (verbose=1: "kmemleak: unreferenced object ..." fails the run), then the
# full report on the console.
GUEST_KMEMLEAK_SCAN=$(cat <<'EOF'
_nat64_kml=/sys/kernel/debug/kmemleak
if [ -e "$_nat64_kml" ]; then
	_nat64_t0=$(date +%s)
	echo 1 >/sys/module/kmemleak/parameters/verbose 2>/dev/null
	# A scan stops when its writer gets a signal: timeout bounds it.
	if timeout "$_nat64_kml_timeout" sh -c 'echo scan >"$1"' sh "$_nat64_kml" &&
	   sleep "$_nat64_pause" &&
	   timeout "$_nat64_kml_timeout" sh -c 'echo scan >"$1"' sh "$_nat64_kml"; then
		_nat64_n=$(grep -c '^unreferenced object' "$_nat64_kml")
		echo "nat64-vm: kmemleak: $_nat64_n suspected leaks (scans: $(($(date +%s) - _nat64_t0)) s)"
		cat "$_nat64_kml"
	else
		echo "nat64-vm: kmemleak scan failed or took more than $_nat64_kml_timeout s (NAT64_VM_KMEMLEAK_TIMEOUT)"
		[ "$_nat64_status" != 0 ] || _nat64_status=125
	fi
fi
EOF
)

if [ "${1:-}" = "--scan" ]; then
	[ $# -eq 2 ] || { usage >&2; exit 2; }
	[ -r "$2" ] || die "cannot read $2"
	if hit=$(scan_log "$2"); then
		exit 0
	fi
	echo "run.sh: kernel problem in $2: $hit"
	exit 1
fi

KVER=
DBGK=
MEM=2048
TIMEOUT=1200
CPUS=2
SLUB=
LOGLEVEL=5
LOG=
APPEND=()
ENVS=()
while getopts "k:K:m:t:c:SL:a:e:o:h" opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	K) DBGK=$OPTARG ;;
	m) MEM=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	c) CPUS=$OPTARG ;;
	S) SLUB=0 ;;
	L) LOGLEVEL=$OPTARG ;;
	a) APPEND+=("$OPTARG") ;;
	e) ENVS+=("$OPTARG") ;;
	o) LOG=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || { usage >&2; exit 2; }
case $MEM$TIMEOUT$CPUS$LOGLEVEL in
*[!0-9]*) die "-m, -t, -c and -L take numbers" ;;
esac
for e in ${ENVS[@]+"${ENVS[@]}"}; do
	case $e in
	[A-Za-z_]*=*) ;;
	*) die "-e wants NAME=VALUE, got '$e'" ;;
	esac
done

HERE=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null) || TOP=$(cd "$HERE/../.." && pwd -P)
TOP=$(cd "$TOP" && pwd -P)
CACHE=${NAT64_VM_CACHE:-${XDG_CACHE_HOME:-/var/tmp}/nat64-vm}
QEMU=${QEMU:-qemu-system-x86_64}

command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"

# MODROOT: where modprobe -d finds lib/modules/KVER on the host.
MODROOT=/
if [ -n "$DBGK" ]; then
	# The debug kernel of tests/kernel/build.sh: DIR/{bzImage,vmlinux,
	# kernelrelease,lib/modules/KVER}.
	[ -z "$KVER" ] || die "-k and -K exclude each other"
	DBGK=$(cd "$DBGK" 2>/dev/null && pwd -P) || die "no folder $DBGK (-K)"
	KVER=$(cat "$DBGK/kernelrelease" 2>/dev/null) || die "no $DBGK/kernelrelease: not a tests/kernel/build.sh folder"
	KERNEL=$DBGK/bzImage
	MODROOT=$DBGK
	[ -n "$SLUB" ] || SLUB=0
else
	if [ -z "$KVER" ]; then
		for k in $(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V -r); do
			if [ -e "/lib/modules/$k/modules.dep" ]; then
				KVER=$k
				break
			fi
		done
		[ -n "$KVER" ] || die "no /boot/vmlinuz-KVER with /lib/modules/KVER (apt-get install linux-image-amd64)"
	fi
	KERNEL=/boot/vmlinuz-$KVER
fi
[ -n "$SLUB" ] || SLUB=1
MODDIR=${MODROOT%/}/lib/modules/$KVER
[ -r "$KERNEL" ] || die "cannot read $KERNEL"
[ -e "$MODDIR/modules.dep" ] || die "no $MODDIR/modules.dep"

mkdir -p "$CACHE/logs"

# --- uncompressed kernel (cached): qemu boots an ELF vmlinux through its
# PVH entry point, which saves the ~5 s the bzImage spends decompressing
# itself under TCG.  Falls back to the bzImage.
extract_vmlinux() { # bzImage out
	local magic off dec
	for magic in '\xFD7zXZ\x00:xz -dc' '\x28\xB5\x2F\xFD:zstd -qdc' \
		'\x1F\x8B\x08:gzip -dc' '\x02\x21\x4C\x18:lz4 -dc' '\x89LZO:lzop -dc'; do
		dec=${magic#*:}
		command -v "${dec%% *}" >/dev/null 2>&1 || continue
		while read -r off; do
			tail -c +$((off + 1)) -- "$1" | $dec >"$2" 2>/dev/null || true
			if [ "$(head -c4 "$2" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ] &&
			   { ! command -v readelf >/dev/null ||
			     readelf -n "$2" 2>/dev/null | grep -q 'note type: (0x00000012)'; }; then
				return 0
			fi
		done < <(LC_ALL=C grep -obUaP -- "${magic%%:*}" "$1" 2>/dev/null | cut -d: -f1)
	done
	return 1
}
BOOTKERNEL=$KERNEL
# Not the debug kernel: its PVH entry code (xen_prepare_pvh) is
# KASAN-instrumented and faults before KASAN is set up.
if [ "${NAT64_VM_PVH:-1}" = 1 ] && [ -z "$DBGK" ]; then
	kkey=$(sha256sum "$KERNEL" | cut -c1-16)
	vmlinux=$CACHE/vmlinux-$KVER-$kkey
	if [ -s "$vmlinux" ]; then
		BOOTKERNEL=$vmlinux
	elif [ ! -e "$vmlinux.none" ]; then
		if extract_vmlinux "$KERNEL" "$vmlinux.tmp.$$"; then
			mv -f "$vmlinux.tmp.$$" "$vmlinux"
			BOOTKERNEL=$vmlinux
		else
			rm -f "$vmlinux.tmp.$$"
			: >"$vmlinux.none"
		fi
	fi
fi

# --- initramfs (cached; rebuilt when init, busybox, KVER or modules change)
BUSYBOX=${NAT64_VM_BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (apt-get install busybox-static)"
if command -v ldd >/dev/null && ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is dynamically linked (apt-get install busybox-static)"
fi
INIT=$HERE/guest-init.sh
[ -r "$INIT" ] || die "missing $INIT"

MODS=()
for m in 9p 9pnet_virtio virtio_pci; do
	# One module per call: further words would be taken as its parameters.
	deps=$(modprobe -d "$MODROOT" -S "$KVER" --show-depends "$m") ||
		die "modprobe -d $MODROOT -S $KVER --show-depends $m failed"
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue # "builtin X" needs nothing
		case " ${MODS[*]-} " in *" $path "*) continue ;; esac
		MODS+=("$path")
	done <<<"$deps"
done

KEY=$( {
	echo "$KVER"
	sha256sum "$INIT" "$BUSYBOX" ${MODS[@]+"${MODS[@]}"}
	echo 'layout 1'
} | sha256sum | cut -c1-16)
INITRD=$CACHE/initramfs-$KVER-$KEY.cpio

if [ ! -s "$INITRD" ]; then
	stage=$(mktemp -d "$CACHE/stage.XXXXXX")
	mkdir -p "$stage/bin" "$stage/lib/modules" "$stage/dev" "$stage/proc" \
		"$stage/sys" "$stage/newroot" "$stage/vmrun"
	cp "$BUSYBOX" "$stage/bin/busybox"
	cp "$INIT" "$stage/init"
	chmod 0755 "$stage/init" "$stage/bin/busybox"
	: >"$stage/modules.list"
	for p in ${MODS[@]+"${MODS[@]}"}; do
		b=$(basename "$p")
		case $b in
		*.ko) cp "$p" "$stage/lib/modules/$b" ;;
		*.ko.xz) b=${b%.xz}; xz -dc "$p" >"$stage/lib/modules/$b" ;;
		*.ko.zst) b=${b%.zst}; zstd -qdc "$p" >"$stage/lib/modules/$b" ;;
		*.ko.gz) b=${b%.gz}; gzip -dc "$p" >"$stage/lib/modules/$b" ;;
		*) die "unknown module file $p" ;;
		esac
		echo "$b" >>"$stage/modules.list"
	done
	# Uncompressed: decompressing under TCG costs more than reading it.
	if command -v cpio >/dev/null; then
		(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$INITRD.tmp.$$"
	else
		(cd "$stage" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc) >"$INITRD.tmp.$$"
	fi
	mv -f "$INITRD.tmp.$$" "$INITRD"
	rm -rf "$stage"
fi

# Cache upkeep.  Other checkouts (CI branches) may use other archives at
# the same time, so only what no run touched for a day goes: old kernels
# and archives, and leftovers of runs killed without cleanup (SIGKILL).
touch "$INITRD"
[ "$BOOTKERNEL" = "$KERNEL" ] || touch "$BOOTKERNEL"
find "$CACHE" -mindepth 1 -maxdepth 1 \( -name 'run.*' -o -name 'host.*' -o -name 'stage.*' \
	-o -name 'initramfs-*' -o -name 'vmlinux-*' \) -mmin +1440 -exec rm -rf {} + 2>/dev/null || true

# --- per-run folder, shared with the guest at /run/nat64-vm
RUNDIR=$(mktemp -d "$CACHE/run.XXXXXX")
HOSTTMP=$(mktemp -d "$CACHE/host.XXXXXX")
QPID=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; fi
	rm -rf "$RUNDIR" "$HOSTTMP"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM HUP

{
	echo "WORKTREE=$(shquote "$TOP")"
	echo "LOGLEVEL=$(shquote "$LOGLEVEL")"
} >"$RUNDIR/env"
{
	echo "# generated by tests/vm/run.sh"
	for e in ${ENVS[@]+"${ENVS[@]}"}; do
		echo "export ${e%%=*}=$(shquote "${e#*=}")"
	done
	echo "export NAT64_VM_KVER=$(shquote "$KVER")"
	if [ -n "$DBGK" ]; then
		echo "_nat64_mods=$(shquote "/lib/modules/$KVER")"
		printf '%s\n' "$GUEST_DBGK_SETUP"
	fi
	echo "cd $(shquote "$TOP") || exit 125"
	# Not exec: the kmemleak scan (when the kernel has kmemleak) follows.
	for a in "$@"; do
		printf '%s ' "$(shquote "$a")"
	done
	echo
	echo '_nat64_status=$?'
	if [ "${NAT64_VM_KMEMLEAK:-1}" = 1 ]; then
		echo "_nat64_pause=$(shquote "${NAT64_VM_KMEMLEAK_PAUSE:-5}")"
		echo "_nat64_kml_timeout=$(shquote "${NAT64_VM_KMEMLEAK_TIMEOUT:-300}")"
		printf '%s\n' "$GUEST_KMEMLEAK_SCAN"
	fi
	echo 'exit $_nat64_status'
} >"$RUNDIR/cmd.sh"

[ -n "$LOG" ] || LOG=$CACHE/logs/console-$(date +%Y%m%d-%H%M%S)-$$.log
case $LOG in /*) ;; *) LOG=$PWD/$LOG ;; esac
: >"$LOG" || die "cannot write $LOG"
ln -sfn "$LOG" "$CACHE/logs/latest.log" 2>/dev/null || true
# keep the 30 newest logs
find "$CACHE/logs" -maxdepth 1 -name 'console-*.log' -printf '%T@ %p\n' 2>/dev/null |
	sort -rn | tail -n +31 | cut -d' ' -f2- | while read -r f; do rm -f -- "$f"; done

CMDLINE="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic quiet printk.time=1 slab_nomerge"
# a hang is a failure too: end the run at once instead of at the timeout
CMDLINE="$CMDLINE softlockup_panic=1 sysctl.kernel.panic_on_rcu_stall=1 sysctl.kernel.hung_task_panic=1"
[ "$SLUB" = 1 ] && CMDLINE="$CMDLINE slub_debug=FZPU"
for a in ${APPEND[@]+"${APPEND[@]}"}; do
	CMDLINE="$CMDLINE $a"
done

share() { # tag path extra-options (a comma in the path is doubled for qemu)
	echo "local,path=${2//,/,,},mount_tag=$1,security_model=none,multidevs=remap$3"
}

# qboot (shipped with Debian's qemu) starts the kernel as fast as SeaBIOS
# and prints nothing; extra qemu options may come from NAT64_VM_QEMU_ARGS.
BIOS=()
if [ -r "${NAT64_VM_BIOS:-/usr/share/qemu/qboot.rom}" ]; then
	BIOS=(-bios "${NAT64_VM_BIOS:-/usr/share/qemu/qboot.rom}")
fi
read -r -a QEXTRA <<<"${NAT64_VM_QEMU_ARGS:-}"
MODSHARE=()
if [ -n "$DBGK" ]; then
	MODSHARE=(-virtfs "$(share nat64mods "$MODDIR" ,readonly=on)")
fi

FIFO=$HOSTTMP/console
mkfifo "$FIFO"
# drop CRs and the firmware's terminal escapes
sed -u -e 's/\r$//' -e 's/\x1bc//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' <"$FIFO" | tee -a "$LOG" &
TEEPID=$!

START=$(date +%s)
timeout -k 10 "$TIMEOUT" "$QEMU" \
	-M q35 -accel tcg,thread=multi -smp "$CPUS" -m "$MEM" \
	-nographic -no-reboot -nic none ${BIOS[@]+"${BIOS[@]}"} \
	-kernel "$BOOTKERNEL" -initrd "$INITRD" -append "$CMDLINE" \
	-virtfs "$(share hostroot / ,readonly=on)" \
	-virtfs "$(share worktree "$TOP" "")" \
	-virtfs "$(share nat64run "$RUNDIR" "")" \
	${MODSHARE[@]+"${MODSHARE[@]}"} \
	${QEXTRA[@]+"${QEXTRA[@]}"} \
	</dev/null >"$FIFO" 2>&1 &
QPID=$!
qrc=0
wait "$QPID" || qrc=$?
QPID=
wait "$TEEPID" || true
ELAPSED=$(($(date +%s) - START))

fail() {
	echo "run.sh: FAIL: $* (${ELAPSED}s, log: $LOG)"
	exit 1
}

# The last one counts (kernel messages may follow it on the same line).
marker=$(grep -a -o -E '^NAT64-VM-EXIT=[0-9]+' "$LOG" | tail -n1) || true
if hit=$(scan_log "$LOG"); then :; else
	fail "kernel problem: $hit"
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	fail "timeout after ${TIMEOUT}s${marker:+ (after $marker)}${marker:-, no exit marker}"
fi
if [ -z "$marker" ]; then
	why=$(grep -a -m1 '^nat64-vm: init failed' "$LOG") || why="guest died (qemu status $qrc)"
	fail "no exit marker: $why"
fi
status=${marker#NAT64-VM-EXIT=}
echo "run.sh: guest command exited with status $status (${ELAPSED}s, log: $LOG)"
exit "$status"
