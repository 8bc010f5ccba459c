#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Jool 4.1 (Debian's jool-dkms, jool-tools), the tests' differential oracle
# and the benchmarks' peer, built with DKMS for kernel KVER (the one the VM
# boots; its headers installed).  As root: apt-get; otherwise print the line.
#
#   tests/jool.sh KVER
set -eu
KVER=${1:?usage: tests/jool.sh KVER}
cd "$(dirname "$0")/.."
tests/deps.sh jool-dkms jool-tools
modinfo -k "$KVER" jool >/dev/null 2>&1 && exit 0
jv=$(dkms status jool 2>/dev/null | head -n1 | sed -E 's|^jool[/,] *([^,: ]+).*|\1|')
[ -n "$jv" ] || jv=$(dpkg-query -W -f='${Version}' jool-dkms | sed 's/-[^-]*$//')
echo "jool: building jool/$jv for $KVER with DKMS"
dkms build "jool/$jv" -k "$KVER" >/dev/null 2>&1 || true
dkms install "jool/$jv" -k "$KVER" >/dev/null 2>&1 || true
modinfo -k "$KVER" jool >/dev/null 2>&1 || {
	echo "jool: no jool.ko for $KVER (dkms build jool/$jv -k $KVER)"
	exit 1
}
