#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build, then play the DNS64 + NAT64 user story in a VM.
set -eu
cd "$(dirname "$0")/.."
tests/deps.sh
KVER=$(tests/kver.sh)
make -s module KDIR="/lib/modules/$KVER/build"
make -s nat64ctl
exec tests/vm/run.sh -k "$KVER" -- tests/demo-guest.sh
