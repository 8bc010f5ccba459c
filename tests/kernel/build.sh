#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once, then cached) a debug kernel for the VM tests: Debian's
# linux-source-6.1, "make allnoconfig" with base.config (what the VM test
# bed needs: virtio + 9p, namespaces, veth/tap, netfilter, kprobes) and
# debug.config (KASAN, UBSAN, kmemleak, lockdep, PROVE_RCU, debug
# objects, ...) forced on.  Nothing else is built.
#
#   tests/kernel/build.sh [-j JOBS] [-t TIMEOUT_S] [-f]
#
# Progress goes to stderr; the last (only) line on stdout is
#   NAT64_DEBUG_KERNEL=<dir>
# with, in <dir>:
#   bzImage, vmlinux (stripped ELF with the PVH note), kernelrelease
#   lib/modules/<kernelrelease>/   modules_install tree (modules.dep,
#                                  modules.builtin, ...)
#   src/   the kernel source     obj/   the object tree (O=), pruned of
#   object files but enough for out-of-tree modules:
#       make -C <dir>/obj M=/path/to/module modules
#   build.log                      the make output
#
# Cache: ${NAT64_KERNEL_CACHE:-/var/tmp/nat64-kernel}/<key>/, the key a hash
# of the linux-source version, the compiler, the config fragments and this
# script.  Built only when missing (or with -f).  Runs apt-get (as root)
# for linux-source-6.1 and the build tools when they are missing.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd -P)
JOBS=$(nproc 2>/dev/null || echo 2)
TIMEOUT=${NAT64_KERNEL_BUILD_TIMEOUT:-3600}
FORCE=0
while getopts "j:t:fh" opt; do
	case $opt in
	j) JOBS=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	f) FORCE=1 ;;
	h) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done

say() { echo "kernel: $*" >&2; }
die() {
	echo "kernel: error: $*" >&2
	exit 1
}

SRCPKG=linux-source-6.1
TARBALL=/usr/src/$SRCPKG.tar.xz
FRAGMENTS=("$HERE/base.config" "$HERE/debug.config")
for f in "${FRAGMENTS[@]}"; do
	[ -r "$f" ] || die "missing $f"
done

# --- tools and source (apt-get when root)
need=()
[ -r "$TARBALL" ] || need+=("$SRCPKG")
for t in gcc:gcc make:make bc:bc flex:flex bison:bison xz:xz-utils \
	perl:perl depmod:kmod objcopy:binutils cpio:cpio; do
	command -v "${t%%:*}" >/dev/null 2>&1 || need+=("${t#*:}")
done
[ -r /usr/include/libelf.h ] || need+=(libelf-dev)
[ -r /usr/include/openssl/opensslv.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		die "missing ${need[*]} (as root: apt-get install ${need[*]})"
	fi
	say "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2 ||
		die "apt-get install ${need[*]} failed"
fi
[ -r "$TARBALL" ] || die "no $TARBALL"
SRCVER=$(dpkg-query -W -f='${Version}' "$SRCPKG" 2>/dev/null) ||
	SRCVER=$(stat -c '%s %Y' "$TARBALL")

CACHE_ROOT=${NAT64_KERNEL_CACHE:-/var/tmp/nat64-kernel}
KEY=$( {
	echo "$SRCPKG $SRCVER"
	gcc --version | head -n1
	ld --version | head -n1
	sha256sum "$0" "${FRAGMENTS[@]}" | cut -d' ' -f1
} | sha256sum | cut -c1-16)
DIR=$CACHE_ROOT/$KEY
mkdir -p "$CACHE_ROOT"

# One build per key at a time (parallel CI jobs wait for the first).
exec 9>"$CACHE_ROOT/$KEY.lock"
if command -v flock >/dev/null; then
	flock -n 9 || { say "waiting for another build of $DIR"; flock 9; }
fi

if [ "$FORCE" = 0 ] && [ -e "$DIR/.complete" ]; then
	touch "$DIR/.complete"
	echo "NAT64_DEBUG_KERNEL=$DIR"
	exit 0
fi

T0=$(date +%s)
elapsed() { local s=$(($(date +%s) - T0)); printf '%d:%02d' $((s / 60)) $((s % 60)); }

# Absolute paths end up in the object tree: build in place, mark complete last.
rm -rf "$DIR"
mkdir -p "$DIR/src" "$DIR/obj"
LOG=$DIR/build.log
: >"$LOG"
fail() {
	say "FAILED after $(elapsed): $* (log: $LOG)"
	tail -n 40 "$LOG" | sed 's/^/kernel:   /' >&2
	exit 1
}

say "$SRCPKG $SRCVER, gcc $(gcc -dumpversion), -j$JOBS -> $DIR"
say "[$(elapsed)] unpacking $TARBALL"
tar -xf "$TARBALL" -C "$DIR/src" --strip-components=1 || fail "unpacking"

MK=(make -C "$DIR/src" O="$DIR/obj")
say "[$(elapsed)] config: allnoconfig + ${FRAGMENTS[*]##*/}"
cat "${FRAGMENTS[@]}" >"$DIR/obj/fragments.config"
{
	"${MK[@]}" KCONFIG_ALLCONFIG="$DIR/obj/fragments.config" allnoconfig
} >>"$LOG" 2>&1 || fail "configuration"

# Every value of the fragments must have survived allnoconfig (a symbol
# with unmet dependencies is silently dropped); unknown symbols only warn.
bad=0
while read -r line; do
	case $line in
	"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want= ;;
	CONFIG_*=*) sym=${line%%=*}; want=$line ;;
	*) continue ;;
	esac
	got=$(grep -E "^$sym=" "$DIR/obj/.config" || true)
	[ "$got" = "$want" ] && continue
	if ! grep -rqsE "^(menu)?config ${sym#CONFIG_}\$" --include='Kconfig*' "$DIR/src"; then
		say "note: $sym is not in this kernel (ignored)"
		continue
	fi
	say "config: wanted '${want:-# $sym is not set}', got '${got:-# $sym is not set}'"
	bad=1
done < <(cat "${FRAGMENTS[@]}")
[ "$bad" = 0 ] || fail "config values did not stick (see above)"

say "[$(elapsed)] make -j$JOBS bzImage modules (output in $LOG)"
timeout -k 30 "$TIMEOUT" "${MK[@]}" -j"$JOBS" bzImage modules >>"$LOG" 2>&1 &
mpid=$!
# timeout runs make in a process group of its own: stop it with us.
trap 'kill "$mpid" 2>/dev/null' EXIT
trap 'say "interrupted"; exit 130' INT TERM HUP
# progress: a line a minute with the last file compiled
while kill -0 "$mpid" 2>/dev/null; do
	for _ in $(seq 60); do
		sleep 1
		kill -0 "$mpid" 2>/dev/null || break
	done
	kill -0 "$mpid" 2>/dev/null || break
	last=$(grep -a -E '^ +(CC|LD|AR|AS)' "$LOG" | tail -n1 | sed 's/^ *//') || true
	say "[$(elapsed)] ${last:-...}"
done
rc=0
wait "$mpid" || rc=$?
trap - EXIT
[ "$rc" = 124 ] && fail "timeout after ${TIMEOUT}s (-t, NAT64_KERNEL_BUILD_TIMEOUT)"
[ "$rc" = 0 ] || fail "make bzImage modules (status $rc)"
KVER=$(cat "$DIR/obj/include/config/kernel.release") || fail "no kernel.release"
echo "$KVER" >"$DIR/kernelrelease"

say "[$(elapsed)] modules_install"
"${MK[@]}" INSTALL_MOD_PATH="$DIR" modules_install >>"$LOG" 2>&1 || fail "modules_install"
[ -e "$DIR/lib/modules/$KVER/modules.dep" ] && [ -e "$DIR/lib/modules/$KVER/modules.builtin" ] ||
	fail "no modules.dep/modules.builtin in $DIR/lib/modules/$KVER"
# The links point at the cache, which the guest cannot see: make them relative.
ln -sfn ../../../obj "$DIR/lib/modules/$KVER/build"
ln -sfn ../../../src "$DIR/lib/modules/$KVER/source"

cp "$DIR/obj/arch/x86/boot/bzImage" "$DIR/bzImage"
objcopy -R .comment -S "$DIR/obj/vmlinux" "$DIR/vmlinux" 2>>"$LOG" || fail "objcopy vmlinux"
cp "$DIR/obj/System.map" "$DIR/System.map"

# Keep what out-of-tree modules need (.config, generated headers, scripts,
# objtool, Module.symvers, module.lds), drop the objects and archives.
say "[$(elapsed)] pruning the object tree"
find "$DIR/obj" -type f \( -name '*.o' -o -name '*.a' -o -name '*.ko' -o -name '*.mod.c' \
	-o -name 'vmlinux' -o -name '*.gz' -o -name 'bzImage' -o -name '*.bin' \
	-o -name '.tmp_vmlinux*' \) -delete
find "$DIR/obj" -type f -name '.*.cmd' ! -path "$DIR/obj/scripts/*" ! -path "$DIR/obj/tools/*" -delete

# Prove the object tree builds a module.
say "[$(elapsed)] checking an out-of-tree module build"
probe=$DIR/.probe
rm -rf "$probe"
mkdir -p "$probe"
cat >"$probe/probe.c" <<'EOF'
#include <linux/module.h>
static int __init probe_init(void) { return 0; }
static void __exit probe_exit(void) { }
module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m := probe.o' >"$probe/Kbuild"
make -C "$DIR/obj" M="$probe" modules >>"$LOG" 2>&1 || fail "out-of-tree module build against $DIR/obj"
modinfo -F vermagic "$probe/probe.ko" | grep -q "^$KVER " || fail "probe.ko vermagic is not $KVER"
rm -rf "$probe"

date -u +%Y-%m-%dT%H:%M:%SZ >"$DIR/.complete"
say "[$(elapsed)] done: $KVER, $(du -sh "$DIR" | cut -f1) in $DIR"

# Old kernels (other keys) nobody used for two weeks go.
find "$CACHE_ROOT" -mindepth 2 -maxdepth 2 -name .complete -mtime +14 -printf '%h\n' 2>/dev/null |
	while read -r old; do
		[ "$old" = "$DIR" ] || rm -rf "$old" "$old.lock"
	done
echo "NAT64_DEBUG_KERNEL=$DIR"
