#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: two Debian packages, built with dpkg-deb from a staging folder
# (no debhelper):
#   nat64-dkms_VERSION_all.deb      the module source in /usr/src/nat64-VERSION;
#                                   its postinst runs dkms add + install for
#                                   every kernel with headers, prerm dkms remove
#   nat64ctl_VERSION_ARCH.deb       /usr/sbin/nat64ctl, nat64ctl(8), bash
#                                   completion, nat64.service (enabled; it acts
#                                   only when /etc/nat64/nat64.conf exists),
#                                   /etc/modules-load.d/nat64.conf
#
#   packaging/mkdeb.sh [OUTDIR]     (default build/deb; prints the .deb paths)
#
# nat64ctl is compiled from a copy of usr/ (the work tree's objects stay as
# they are).  VERSION is dkms.conf's PACKAGE_VERSION (= the Makefile's).
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-build/deb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)

die() {
	echo "mkdeb: $*" >&2
	exit 1
}
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
[ -n "$VERSION" ] || die "no PACKAGE_VERSION in dkms.conf"
MKVER=$(sed -n 's/^VERSION := //p' Makefile)
[ "$VERSION" = "$MKVER" ] || die "dkms.conf says $VERSION, Makefile $MKVER"
ARCH=$(dpkg --print-architecture)
MAINT="${DEBFULLNAME:-nat64 maintainers} <${DEBEMAIL:-nat64@example.org}>"
command -v dpkg-deb >/dev/null || die "no dpkg-deb"

W=$(mktemp -d "$OUT/.stage.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Files every package carries in /usr/share/doc/PKG.
docs() { # pkg dir
	local d=$2/usr/share/doc/$1
	install -d "$d"
	cat >"$d/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: nat64

Files: *
Copyright: 2025-2026 the nat64 authors
License: GPL-2.0-only
 On Debian systems, the full text of the GNU General Public License
 version 2 can be found in the file '/usr/share/common-licenses/GPL-2'.
COPYRIGHT
	printf '%s (%s) unstable; urgency=medium\n\n  * Built from the nat64 source tree (make deb).\n\n -- %s  %s\n' \
		"$1" "$VERSION" "$MAINT" "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" |
		gzip -9n >"$d/changelog.gz"
	chmod 0644 "$d/copyright" "$d/changelog.gz"
}

# Installed-Size (KiB) and md5sums, then the .deb.
finish() { # pkg dir
	local dir=$2 size
	(cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
		LC_ALL=C sort -z | xargs -0r md5sum) >"$dir/DEBIAN/md5sums"
	size=$(du -sk --exclude=DEBIAN "$dir" | cut -f1)
	sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$dir/DEBIAN/control"
	chmod 0644 "$dir/DEBIAN/control" "$dir/DEBIAN/md5sums"
	[ -e "$dir/DEBIAN/conffiles" ] && chmod 0644 "$dir/DEBIAN/conffiles"
	find "$dir" -type d -exec chmod 0755 {} +
	dpkg-deb --root-owner-group -Zxz --build "$dir" "$OUT/$(sed -n 's/^Package: //p' "$dir/DEBIAN/control")_${VERSION}_$(sed -n 's/^Architecture: //p' "$dir/DEBIAN/control").deb" >/dev/null
}

# --- nat64-dkms
P=$W/nat64-dkms
SRC=$P/usr/src/nat64-$VERSION
install -d "$SRC/kmod" "$SRC/include/uapi/linux" "$P/DEBIAN"
install -m 0644 Kbuild dkms.conf "$SRC/"
install -m 0644 kmod/*.c kmod/*.h "$SRC/kmod/"
install -m 0644 include/uapi/linux/*.h "$SRC/include/uapi/linux/"
docs nat64-dkms "$P"
cat >"$P/DEBIAN/control" <<CONTROL
Package: nat64-dkms
Version: $VERSION
Architecture: all
Maintainer: $MAINT
Installed-Size: 0
Depends: dkms (>= 2.8), make, gcc
Recommends: linux-headers-amd64 | linux-headers-generic, nat64ctl
Section: kernel
Priority: optional
Homepage: https://example.invalid/nat64
Description: stateful NAT64 (RFC 6146) kernel module, DKMS source
 nat64.ko translates IPv6 packets to a NAT64 prefix into IPv4 packets from
 a pool of IPv4 addresses and back (RFC 6146, RFC 7915, RFC 6052), in
 netfilter hooks. This package builds it with DKMS for every kernel that
 has its headers installed. Configure it with nat64ctl.
CONTROL
cat >"$P/DEBIAN/postinst" <<SCRIPT
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
set -e
if [ "\$1" = configure ]; then
	# "already added" (reinstall, upgrade) is fine
	dkms add -m nat64 -v $VERSION >/dev/null 2>&1 ||
		dkms status -m nat64 -v $VERSION | grep -q . ||
		{ echo "nat64-dkms: dkms add failed" >&2; exit 1; }
	built=0
	for b in /lib/modules/*/build; do
		[ -e "\$b/Makefile" ] || continue
		k=\${b%/build}
		k=\${k##*/}
		if dkms install -m nat64 -v $VERSION -k "\$k"; then
			built=1
		else
			echo "nat64-dkms: building nat64 for \$k failed" >&2
		fi
	done
	[ \$built = 1 ] || echo "nat64-dkms: no kernel headers: install linux-headers-\$(uname -r), then: dkms autoinstall" >&2
fi
exit 0
SCRIPT
cat >"$P/DEBIAN/prerm" <<SCRIPT
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
set -e
case "\$1" in
remove|upgrade|deconfigure)
	if dkms status -m nat64 -v $VERSION 2>/dev/null | grep -q .; then
		dkms remove -m nat64 -v $VERSION --all || true
	fi
	;;
esac
exit 0
SCRIPT
chmod 0755 "$P/DEBIAN/postinst" "$P/DEBIAN/prerm"
finish nat64-dkms "$P"

# --- nat64ctl
B=$W/build
mkdir -p "$B"
cp -r usr include "$B/"
make -s -C "$B/usr" clean >/dev/null
make -s -C "$B/usr" VERSION="$VERSION" >/dev/null || die "nat64ctl does not build"
P=$W/nat64ctl
make -s -C "$B/usr" install DESTDIR="$P" PREFIX=/usr VERSION="$VERSION" \
	UNITDIR=/lib/systemd/system MODLOADDIR=/etc/modules-load.d >/dev/null
strip --remove-section=.comment --remove-section=.note "$P/usr/sbin/nat64ctl"
gzip -9n "$P/usr/share/man/man8/nat64ctl.8"
docs nat64ctl "$P"
install -d "$P/DEBIAN"
# shared-library dependencies as dpkg-shlibdeps sees them
DEPS=$(cd "$B" && mkdir -p debian && printf 'Source: nat64\n\nPackage: nat64ctl\nArchitecture: any\n' >debian/control &&
	dpkg-shlibdeps -O "$P/usr/sbin/nat64ctl" 2>/dev/null | sed -n 's/^shlibs:Depends=//p') || DEPS=
[ -n "$DEPS" ] || DEPS="libc6, libnl-3-200, libnl-genl-3-200"
cat >"$P/DEBIAN/control" <<CONTROL
Package: nat64ctl
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINT
Installed-Size: 0
Depends: $DEPS
Recommends: nat64-dkms (= $VERSION), kmod
Section: net
Priority: optional
Homepage: https://example.invalid/nat64
Description: configuration tool of the nat64 stateful NAT64 kernel module
 nat64ctl sets the prefixes, the IPv4 pool, static bindings and timeouts of
 the nat64 module over generic netlink, shows its sessions and counters
 (also as JSON), prints binding and session events for logging, saves and
 restores whole configurations, and prints a DNS64 configuration for
 unbound or BIND that matches the configured prefixes.
 .
 nat64.service applies /etc/nat64/nat64.conf (nat64ctl save) at boot.
CONTROL
echo /etc/modules-load.d/nat64.conf >"$P/DEBIAN/conffiles"
cat >"$P/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
set -e
if [ "$1" = configure ] || [ "$1" = abort-upgrade ]; then
	if command -v deb-systemd-helper >/dev/null; then
		if deb-systemd-helper --quiet was-enabled nat64.service; then
			deb-systemd-helper enable nat64.service >/dev/null || true
		else
			deb-systemd-helper update-state nat64.service >/dev/null || true
		fi
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
	fi
fi
exit 0
SCRIPT
cat >"$P/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = purge ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper purge nat64.service >/dev/null || true
	deb-systemd-helper unmask nat64.service >/dev/null || true
fi
exit 0
SCRIPT
chmod 0755 "$P/DEBIAN/postinst" "$P/DEBIAN/postrm"
finish nat64ctl "$P"

echo "$OUT/nat64-dkms_${VERSION}_all.deb"
echo "$OUT/nat64ctl_${VERSION}_${ARCH}.deb"
