#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: nat64.ko against plain forwarding and Jool in one VM boot.
# See tests/bench/README.md.  tests/bench.sh [--smoke] [--profile]
exec "$(dirname "$0")/bench/run.sh" "$@"
