#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian 13 (trixie) kernel for the VM tests: a trixie chroot with
# build-essential and linux-headers-amd64 (6.12; bookworm's compiler and
# glibc cannot run the headers' scripts), and trixie's linux-image unpacked
# into a folder that tests/vm/run.sh -K boots.  Both are cached; with -M
# TREE, nat64.ko is also built in TREE (a folder inside the chroot, see
# below) with W=1, warnings failing.
#
#   tests/k612/build.sh [-f] [-M TREE]
#
# Progress goes to stderr; the last lines on stdout are
#   NAT64_K612_ROOT=<chroot>
#   NAT64_K612_KERNEL=<dir>      bzImage, kernelrelease, lib/modules/KVER
# TREE must be under <chroot> (the build runs in it: make -C
# /usr/src/linux-headers-KVER M=TREE-minus-chroot).  Cache:
# ${NAT64_K612_CACHE:-/var/tmp/nat64-trixie}/root (chroot, rebuilt when
# its stamp differs from STAMP below, or with -f) and kernel-KVER/.
# Needs root (debootstrap, chroot) and the Debian archive.
set -eu

STAMP="nat64-k612 v1: trixie minbase + build-essential linux-headers-amd64 kmod xz-utils"
MIRROR=${NAT64_K612_MIRROR:-http://deb.debian.org/debian}
CACHE=${NAT64_K612_CACHE:-/var/tmp/nat64-trixie}
ROOT=$CACHE/root
FORCE=0
TREE=
while getopts "fM:h" opt; do
	case $opt in
	f) FORCE=1 ;;
	M) TREE=$OPTARG ;;
	h) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

say() { echo "k612: $*" >&2; }
die() {
	echo "k612: error: $*" >&2
	exit 1
}
T0=$(date +%s)
elapsed() { echo "$(($(date +%s) - T0))s"; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2 ||
		die "apt-get install debootstrap failed"
fi
mkdir -p "$CACHE"
# One setup at a time (parallel CI jobs wait for the first).
exec 9>"$CACHE/lock"
flock -n 9 || { say "waiting for another setup of $CACHE"; flock 9; }

in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }

# --- the chroot
if [ "$FORCE" = 1 ] || [ "$(cat "$ROOT/.nat64-stamp" 2>/dev/null)" != "$STAMP" ]; then
	say "debootstrap trixie into $ROOT (a few minutes)"
	rm -rf "$ROOT" "$ROOT.tmp"
	debootstrap --variant=minbase --include=build-essential,linux-headers-amd64,kmod,xz-utils \
		trixie "$ROOT.tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
		tail -n 20 "$CACHE/debootstrap.log" >&2
		die "debootstrap failed (log: $CACHE/debootstrap.log)"
	}
	echo "deb $MIRROR trixie main" >"$ROOT.tmp/etc/apt/sources.list"
	echo "$STAMP" >"$ROOT.tmp/.nat64-stamp"
	mv "$ROOT.tmp" "$ROOT"
	say "[$(elapsed)] chroot ready"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

# The headers' kernel release: linux-headers-KVER (KVER ends in -amd64).
KVER=
for d in "$ROOT"/usr/src/linux-headers-*-amd64; do
	[ -e "$d/Module.symvers" ] && KVER=${d##*/linux-headers-}
done
[ -n "$KVER" ] || die "no /usr/src/linux-headers-*-amd64 in $ROOT"

# --- the kernel image of the same release, unpacked
KDIR=$CACHE/kernel-$KVER
if [ "$FORCE" = 1 ] || [ ! -e "$KDIR/.complete" ]; then
	say "fetching linux-image-$KVER"
	rm -rf "$KDIR" "$ROOT/var/tmp/nat64-image"
	mkdir -p "$KDIR" "$ROOT/var/tmp/nat64-image"
	{
		in_root apt-get update -q &&
		in_root sh -c "cd /var/tmp/nat64-image && apt-get download -q linux-image-$KVER"
	} >"$CACHE/image.log" 2>&1 || {
		tail -n 20 "$CACHE/image.log" >&2
		die "apt-get download linux-image-$KVER failed (log: $CACHE/image.log)"
	}
	dpkg-deb -x "$ROOT"/var/tmp/nat64-image/linux-image-*.deb "$KDIR" ||
		die "cannot unpack linux-image-$KVER"
	rm -rf "$ROOT/var/tmp/nat64-image"
	cp "$KDIR/boot/vmlinuz-$KVER" "$KDIR/bzImage" || die "no vmlinuz-$KVER in the package"
	[ -d "$KDIR/lib/modules/$KVER" ] || { # usrmerge layouts ship /usr/lib/modules
		mkdir -p "$KDIR/lib/modules"
		mv "$KDIR/usr/lib/modules/$KVER" "$KDIR/lib/modules/$KVER" ||
			die "no modules tree in linux-image-$KVER"
	}
	depmod -b "$KDIR" "$KVER" || die "depmod -b $KDIR $KVER"
	echo "$KVER" >"$KDIR/kernelrelease"
	touch "$KDIR/.complete"
	say "[$(elapsed)] kernel $KVER in $KDIR"
fi

# --- the module, built in the chroot
if [ -n "$TREE" ]; then
	TREE=$(cd "$TREE" && pwd -P) || die "no folder $TREE"
	RROOT=$(cd "$ROOT" && pwd -P)
	case $TREE in
	"$RROOT"/*) ;;
	*) die "-M $TREE is not under the chroot $RROOT" ;;
	esac
	IN=${TREE#"$RROOT"}
	out=$(in_root make -C "/usr/src/linux-headers-$KVER" M="$IN" W=1 modules 2>&1) || {
		echo "$out" >&2
		die "nat64.ko does not build for $KVER"
	}
	if echo "$out" | grep -iE 'warning|error' >&2; then
		die "nat64.ko builds for $KVER with warnings (W=1)"
	fi
	say "[$(elapsed)] nat64.ko built for $KVER in $TREE"
fi
echo "NAT64_K612_ROOT=$ROOT"
echo "NAT64_K612_KERNEL=$KDIR"
