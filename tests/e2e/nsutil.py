# SPDX-License-Identifier: GPL-2.0
"""Helpers for the VM tests: namespaces, nat64ctl, raw frames, results."""

import ctypes
import json
import os
import socket
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CTL = os.path.join(TOP, "usr", "nat64ctl")
_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003


class netns:
    """Run the calling thread in a named network namespace (ip netns)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.back = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET):
                raise OSError(ctypes.get_errno(), "setns " + self.name)
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        _libc.setns(self.back, CLONE_NEWNET)
        os.close(self.back)


def run(*args, ns=None, check=False, timeout=60):
    cmd = list(args)
    if ns:
        cmd = ["ip", "netns", "exec", ns] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, check=check,
                          timeout=timeout)


def ctl(*args, ns="xlat"):
    """nat64ctl in namespace @ns: CompletedProcess."""
    return run(CTL, "-n", ns, *[str(a) for a in args])


def ctlj(*args, ns="xlat"):
    r = ctl("-j", *args, ns=ns)
    if r.returncode:
        raise RuntimeError("nat64ctl %s: %s" % (" ".join(map(str, args)), r.stderr.strip()))
    return json.loads(r.stdout)


def ctl_ok(*args, ns="xlat"):
    r = ctl(*args, ns=ns)
    if r.returncode:
        raise RuntimeError("nat64ctl %s: %s" % (" ".join(map(str, args)), r.stderr.strip()))


def stats(ns="xlat"):
    return ctlj("stats", "show", ns=ns)


def mac_of(ns, dev):
    out = run("ip", "-n", ns, "-j", "link", "show", dev, check=True).stdout
    return json.loads(out)[0]["address"]


class Tap:
    """A packet socket on @dev in @ns: send frames, receive matching ones."""

    def __init__(self, ns, dev):
        with netns(ns):
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                   socket.htons(ETH_P_ALL))
            self.s.bind((dev, 0))
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)

    def send(self, frame):
        self.s.send(bytes(frame))

    def recv(self, match, timeout=3.0):
        """First incoming frame for which match(bytes) is true, or None."""
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                data, addr = self.s.recvfrom(65535)
            except socket.timeout:
                return None
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if match(data):
                return data

    def close(self):
        self.s.close()


class UdpEcho(threading.Thread):
    """UDP echo in a namespace; remembers the peers it saw."""

    def __init__(self, ns, addr, port, family=socket.AF_INET):
        super().__init__(daemon=True)
        with netns(ns):
            self.s = socket.socket(family, socket.SOCK_DGRAM)
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.s.bind((addr, port))
        self.peers = []
        self.start()

    def run(self):
        while True:
            try:
                data, peer = self.s.recvfrom(65535)
            except OSError:
                return
            self.peers.append(peer)
            try:
                self.s.sendto(data, peer)
            except OSError:     # closed while it waited (the fd is gone)
                return

    def close(self):
        self.s.close()


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def case(self, name, fn):
        t = time.time()
        try:
            err = fn()
        except Exception as e:  # a test that raises has failed
            err = "%s: %s" % (type(e).__name__, e)
        dt = time.time() - t
        if err:
            self.failed += 1
            print("FAIL - %s: %s" % (name, err), flush=True)
        else:
            self.passed += 1
            print("ok - %s (%.1fs)" % (name, dt), flush=True)

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


def embed(prefix, plen, v4):
    """RFC 6052 section 2.2, written independently of the module."""
    p = bytearray(socket.inet_pton(socket.AF_INET6, prefix))
    b = socket.inet_aton(v4)
    pos = [i for i in range(plen // 8, 16) if i != 8 or plen == 96][:4]
    for i, byte in zip(pos, b):
        p[i] = byte
    return socket.inet_ntop(socket.AF_INET6, bytes(p))


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
