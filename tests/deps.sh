#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the tests need (Debian 12), or the packages named. As root:
# apt-get; otherwise print the line.
#
#   tests/deps.sh [PKG...]
set -eu
PKGS="build-essential pkg-config kmod qemu-system-x86 linux-image-amd64 linux-headers-amd64
busybox-static libnl-3-dev libnl-genl-3-dev dkms sparse clang libclang-rt-14-dev llvm-14
python3 python3-scapy iproute2 iputils-ping tcpdump nftables nsd unbound bind9 dnsutils socat"
[ $# -gt 0 ] && PKGS="$*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages; run as root:"
	echo "  apt-get install -y$missing"
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
