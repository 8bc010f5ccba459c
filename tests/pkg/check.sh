#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages of "make deb", installed and used (host side; root).
#
#   tests/pkg/check.sh [-k KVER]
#
# 1. make deb; the contents and control fields of both packages (and
#    lintian's verdict when lintian is installed).
# 2. In a private mount namespace, an overlay over the host's / with its
#    writes in a tmpfs (nothing reaches the host; the namespace goes with
#    this script): dpkg -i nat64-dkms nat64ctl in a chroot of that overlay,
#    after forgetting any nat64 that "make dkms-install" left there.  The
#    postinst's DKMS build runs natively (a DKMS build under TCG takes
#    more than 15 minutes).
# 3. tests/vm/run.sh, started in that chroot, boots the VM with the overlay
#    as its read-only root: tests/pkg/run.sh loads the packaged module with
#    modprobe, configures it with the packaged nat64ctl, pings through it,
#    and runs nat64.service's commands on a saved configuration.
# 4. dpkg --purge in the chroot removes module, source, binary, conffile,
#    unit link and DKMS entry.
# One line per case, last "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
KVER=
while getopts "k:h" opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	h) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ -n "$KVER" ] || KVER=$(tests/kver.sh) || exit 1

. tests/cases.sh
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
if [ "$(id -u)" != 0 ]; then
	ko "tests/pkg/check.sh needs root (dpkg -i in an overlay chroot)"
	finish
fi
# Everything below runs in a mount namespace of its own.
if [ "${NAT64_PKG_NS:-}" != "$$" ]; then
	exec unshare -m --propagation private env NAT64_PKG_NS=$$ "$0" -k "$KVER"
fi

# --- 1. build, contents
t0=$(date +%s)
if out=$(make -s deb 2>&1); then
	ok "make deb ($(($(date +%s) - t0)) s)"
else
	echo "$out" | tail -n 20
	ko "make deb"
	finish
fi
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
ARCH=$(dpkg --print-architecture)
DKMS_DEB=$TOP/build/deb/nat64-dkms_${VERSION}_all.deb
CTL_DEB=$TOP/build/deb/nat64ctl_${VERSION}_${ARCH}.deb
W=$(mktemp -d /var/tmp/nat64-pkg.XXXXXX)
mount -t tmpfs -o mode=0755 tmpfs "$W" || { ko "tmpfs for the overlay"; finish; }
R=$W/root
cleanup() {
	umount -R "$R" 2>/dev/null
	umount "$W" 2>/dev/null
	rmdir "$W" 2>/dev/null
}
trap cleanup EXIT

dpkg-deb -c "$DKMS_DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$W/dkms.list"
dpkg-deb -c "$CTL_DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$W/ctl.list"
has_all() { # list path...
	local l=$1 p r=0
	shift
	for p; do
		grep -qxF "$p" "$l" || { echo "  missing $p"; r=1; }
	done
	return $r
}
S=/usr/src/nat64-$VERSION
# shellcheck disable=SC2046 # one word per source file
check "nat64-dkms: dkms.conf, Kbuild, the uapi header, every source file of Kbuild" \
	has_all "$W/dkms.list" $S/dkms.conf $S/Kbuild $S/include/uapi/linux/nat64.h \
	$(grep -o 'kmod/[a-z0-9_]*\.o' Kbuild | sed "s|^|$S/|; s|\.o$|.c|") \
	/usr/share/doc/nat64-dkms/copyright
check "nat64-dkms: no build products" sh -c "! grep -E '\\.(o|ko|cmd|mod|mod\\.c)\$' '$W/dkms.list'"
check "nat64ctl: binary, man page, bash completion, unit, modules-load entry" \
	has_all "$W/ctl.list" /usr/sbin/nat64ctl /usr/share/man/man8/nat64ctl.8.gz \
	/usr/share/bash-completion/completions/nat64ctl /lib/systemd/system/nat64.service \
	/etc/modules-load.d/nat64.conf /usr/share/doc/nat64ctl/copyright
f() { dpkg-deb -f "$1" "$2"; }
check "nat64-dkms: Version $VERSION, Architecture all, Depends dkms" sh -c \
	"[ '$(f "$DKMS_DEB" Version) $(f "$DKMS_DEB" Architecture)' = '$VERSION all' ] &&
	 dpkg-deb -f '$DKMS_DEB' Depends | grep -qw dkms"
check "nat64ctl: Architecture $ARCH, Depends libnl-genl-3-200, conffile /etc/modules-load.d/nat64.conf" sh -c \
	"[ '$(f "$CTL_DEB" Architecture)' = '$ARCH' ] &&
	 dpkg-deb -f '$CTL_DEB' Depends | grep -q libnl-genl-3-200 &&
	 dpkg-deb -I '$CTL_DEB' conffiles | grep -qx /etc/modules-load.d/nat64.conf"
if command -v lintian >/dev/null; then
	check "lintian: no error" sh -c "! lintian '$DKMS_DEB' '$CTL_DEB' | grep '^E:'"
fi

# --- 2. dpkg -i in an overlay chroot
mkdir -p "$W/upper" "$W/work" "$R"
if ! mount -t overlay -o "lowerdir=/,upperdir=$W/upper,workdir=$W/work" overlay "$R"; then
	ko "overlay over /"
	finish
fi
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --rbind /sys "$R/sys" ||
	{ ko "/proc, /dev, /sys in the chroot"; finish; }
in_r() { chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# what "make dkms-install" or "make install" may have left: gone in the overlay
in_r sh -c "dkms remove -m nat64 -v $VERSION --all; rm -rf /var/lib/dkms/nat64 /usr/src/nat64-*
	rm -f /lib/modules/*/updates/dkms/nat64.ko* /lib/modules/*/extra/nat64.ko* /usr/local/sbin/nat64ctl
	depmod -a $KVER" >/dev/null 2>&1
check "before: no nat64 module, no nat64ctl" in_r sh -c \
	"! modinfo -k $KVER nat64 >/dev/null 2>&1 && ! command -v nat64ctl >/dev/null"
t0=$(date +%s)
if in_r dpkg -i "$DKMS_DEB" "$CTL_DEB" >"$W/dpkg.log" 2>&1; then
	ok "dpkg -i nat64-dkms nat64ctl ($(($(date +%s) - t0)) s with the DKMS build)"
else
	tail -n 30 "$W/dpkg.log"
	ko "dpkg -i nat64-dkms nat64ctl"
fi
check "both packages: install ok installed" sh -c \
	"[ \"\$(chroot '$R' dpkg-query -W -f='\${Status}\n' nat64-dkms nat64ctl | sort -u)\" = 'install ok installed' ]"
check "dkms status: nat64/$VERSION installed for $KVER" sh -c \
	"chroot '$R' dkms status -m nat64 -v $VERSION -k $KVER | grep -q ': installed'"
check "modinfo -k $KVER nat64: updates/dkms/nat64.ko, vermagic $KVER" sh -c \
	"chroot '$R' modinfo -k $KVER -n nat64 | grep -q '^/lib/modules/$KVER/updates/dkms/nat64.ko' &&
	 chroot '$R' modinfo -k $KVER -F vermagic nat64 | grep -q '^$KVER '"

# --- 3. the VM on that root (an empty /etc/nat64 for the unit's test)
mkdir -p "$R/etc/nat64"
t0=$(date +%s)
in_r sh -c "cd '$TOP' && tests/vm/run.sh -k '$KVER' -t 1200 -- tests/pkg/run.sh" 2>&1 |
	tee "$W/vm.out"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$W/vm.out" | tail -n 1)
if [ -n "$line" ]; then
	# shellcheck disable=SC2086 # "P passed, F failed"
	set -- $line
	pass=$((pass + $1))
	fail=$((fail + $3))
	[ "$rc" = 0 ] || [ "$3" != 0 ] || ko "VM run ($(grep -m1 '^run.sh: ' "$W/vm.out"))"
else
	ko "VM run: tests/pkg/run.sh (exit $rc)"
fi
echo "pkg: VM $(($(date +%s) - t0)) s"

# --- 4. removal
rmdir "$R/etc/nat64"
if in_r dpkg --purge nat64ctl nat64-dkms >"$W/purge.log" 2>&1; then
	ok "dpkg --purge nat64ctl nat64-dkms"
else
	tail -n 20 "$W/purge.log"
	ko "dpkg --purge nat64ctl nat64-dkms"
fi
check "after purge: no module, source, nat64ctl, modules-load entry, unit link, DKMS entry" in_r sh -c \
	"! modinfo -k $KVER nat64 >/dev/null 2>&1 && [ ! -e /usr/src/nat64-$VERSION ] &&
	 [ ! -e /usr/sbin/nat64ctl ] && [ ! -e /etc/modules-load.d/nat64.conf ] &&
	 [ ! -e /etc/systemd/system/multi-user.target.wants/nat64.service ] &&
	 [ ! -e /lib/systemd/system/nat64.service ] && ! dkms status -m nat64 | grep -q ."
finish
