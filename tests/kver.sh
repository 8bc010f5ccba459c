#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the newest Debian kernel that has an image in /boot and headers.
set -eu
for v in $(ls /boot/vmlinuz-* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V -r); do
	if [ -d "/lib/modules/$v/build" ]; then
		echo "$v"
		exit 0
	fi
done
echo "no kernel with headers in /boot and /lib/modules" >&2
exit 1
