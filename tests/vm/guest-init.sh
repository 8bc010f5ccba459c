#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the NAT64 test VM.  tests/vm/run.sh copies this file to /init of
# a small initramfs (next to a static busybox and the 9p/virtio modules) and
# boots it.  It mounts the host's / (read-only 9p share "hostroot"), the
# per-run folder (9p share "nat64run": env + cmd.sh written by run.sh) and
# the project work tree (9p share "worktree", read-write, same absolute path
# as on the host), chroots into the host root, runs cmd.sh there and prints
# the marker line "NAT64-VM-EXIT=<status>" on the console, then powers off.
#
# Runs under busybox sh (no bash in the initramfs): keep it POSIX.
# shellcheck shell=sh

/bin/busybox mkdir -p /bin /proc /sys /dev /newroot /vmrun
/bin/busybox --install -s /bin
PATH=/bin
export PATH

# No /dev/console in the archive (it is built without root rights), so the
# kernel started us without stdio: get it from devtmpfs first.
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1

mount -t proc proc /proc
mount -t sysfs sysfs /sys

# The marker is printed only once the command really ran: any failure
# here leaves it out and run.sh reports this line.
die() {
	echo "nat64-vm: init failed: $*"
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 60
}

# Kernel messages of level < 5 (warning and worse: WARN, BUG, Oops, ...)
# reach the console despite "quiet"; run.sh raises this with -L.
echo 1 >/proc/sys/kernel/sysrq
echo 5 >/proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/panic_on_oops

while read -r ko; do
	insmod "/lib/modules/$ko" || die "insmod $ko"
done </modules.list

NINEP=trans=virtio,version=9p2000.L,msize=262144
R=/newroot
# The host does not change under a test: let the guest cache its root.
mount -t 9p -o "$NINEP,ro,cache=loose" hostroot "$R" || die "mount hostroot"
mount -t 9p -o "$NINEP,cache=mmap" nat64run /vmrun || die "mount nat64run"

# WORKTREE, LOGLEVEL (written by run.sh, values single-quoted)
# shellcheck source=/dev/null
. /vmrun/env || die "read /vmrun/env"
[ -n "${LOGLEVEL:-}" ] && echo "$LOGLEVEL" >/proc/sys/kernel/printk

mount -t proc proc "$R/proc" || die "mount proc"
mount -t sysfs sysfs "$R/sys" || die "mount sysfs"
mount -t devtmpfs devtmpfs "$R/dev" || die "mount devtmpfs"
mkdir -p "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$R/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
mount -t debugfs debugfs "$R/sys/kernel/debug" || die "mount debugfs"
mount -t tracefs tracefs "$R/sys/kernel/tracing" 2>/dev/null
mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup" 2>/dev/null
mount -t bpf bpf "$R/sys/fs/bpf" 2>/dev/null

# Writable places (the host root itself is read-only, /etc stays so).
for d in tmp var/tmp; do
	mount -t tmpfs -o mode=1777 tmpfs "$R/$d" || die "mount $d"
done
for d in run var/run var/log var/cache var/spool var/mail root; do
	# On Debian /var/run -> /run: mounting on it would hide /run again.
	[ -L "$R/$d" ] || [ ! -d "$R/$d" ] && continue
	mount -t tmpfs -o mode=0755 tmpfs "$R/$d" || die "mount $d"
done
mkdir -p "$R/run/lock" "$R/run/netns" "$R/run/nat64-vm"
chmod 1777 "$R/run/lock"
# /var/lib: the host's content (e.g. unbound's root key, nsd's folder) with
# writes going to memory when overlayfs loads, else an empty tmpfs.
mkdir -p /ovl
mount -t tmpfs -o mode=0755 tmpfs /ovl
mkdir -p /ovl/upper /ovl/work
if insmod "$R/lib/modules/$(uname -r)/kernel/fs/overlayfs/overlay.ko" 2>/dev/null &&
   mount -t overlay -o "lowerdir=$R/var/lib,upperdir=/ovl/upper,workdir=/ovl/work" \
	overlay "$R/var/lib" 2>/dev/null; then
	:
else
	mount -t tmpfs -o mode=0755 tmpfs "$R/var/lib" || die "mount var/lib"
fi

mount -o bind /vmrun "$R/run/nat64-vm" || die "bind nat64run"

# The work tree, at the same path as on the host (its folder may not exist
# in the guest, e.g. when it lives under the tmpfs /tmp).
mkdir -p "$R$WORKTREE"
mount -t 9p -o "$NINEP,cache=mmap" worktree "$R$WORKTREE" || die "mount worktree $WORKTREE"

hostname nat64-vm
ip link set lo up

# Start the command's output on a line of its own (firmware may leave one open).
echo
chroot "$R" /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/tmp TERM=dumb LANG=C.UTF-8 NAT64_VM=1 \
	/bin/sh /run/nat64-vm/cmd.sh </dev/null
status=$?

sync
echo
echo "NAT64-VM-EXIT=$status"
poweroff -f
echo o >/proc/sysrq-trigger
sleep 60
