# SPDX-License-Identifier: GPL-2.0
"""Conformance harness: ports (AF_PACKET in c6/s4, or tap devices in xlat
fed through tun's napi_frags path), byte comparison with named allowed
differences, checksum verification, counters."""

import fcntl
import json
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from nsutil import CTL, embed, inet_csum, mac_of, netns  # noqa: E402,F401

ETH_P_ALL = 0x0003
TUNSETIFF = 0x400454ca
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
IFF_NAPI = 0x0010
IFF_NAPI_FRAGS = 0x0020


class Fail(Exception):
    pass


def sh(cmd, check=True):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and r.returncode:
        raise Fail("%s: %s" % (cmd, r.stderr.strip()))
    return r.stdout


def is_noise(frame):
    """ND, MLD, ARP, router solicitations: not what a case looks for."""
    et = frame[12:14]
    if et == b"\x86\xdd":
        nh = frame[14 + 6]
        if nh == 0 and len(frame) > 62:   # hop-by-hop: MLD
            nh = frame[14 + 40]
            off = 14 + 40 + (frame[14 + 41] + 1) * 8
        else:
            off = 14 + 40
        if nh == 58 and len(frame) > off and frame[off] in (130, 131, 132, 133, 134, 135, 136, 143):
            return True
        return False
    return et != b"\x08\x00"


class PacketPort:
    """AF_PACKET socket on a veth end in c6 or s4."""

    def __init__(self, ns, dev, peer_mac):
        with netns(ns):
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            self.s.bind((dev, 0))
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.s.setblocking(False)
        self.mac = mac_of(ns, dev)
        self.peer = peer_mac

    def send(self, l3, ethertype):
        self.s.send(mac_b(self.peer) + mac_b(self.mac) + struct.pack("!H", ethertype) + l3)

    def _read(self):
        data, addr = self.s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            return None
        return data

    def fileno(self):
        return self.s.fileno()


class TapPort:
    """A tap in xlat; frames written go through napi_gro_frags (paged skb)."""

    def __init__(self, ns, name, frags):
        with netns(ns):
            self.fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
            flags = IFF_TAP | IFF_NO_PI | ((IFF_NAPI | IFF_NAPI_FRAGS) if frags else 0)
            fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
        self.name = name
        self.mac = "02:00:00:00:%02x:01" % (0x46 if "6" in name else 0x44)
        self.peer = None   # set once the device is up

    def send(self, l3, ethertype):
        # tun puts the first iovec in the linear area, the others in page
        # fragments: only the Ethernet header is linear.
        eth = mac_b(self.peer) + mac_b(self.mac) + struct.pack("!H", ethertype)
        h = min(len(l3), 16)
        os.writev(self.fd, [eth, l3[:h], l3[h:]] if len(l3) > h else [eth, l3])

    def _read(self):
        return os.read(self.fd, 65535)

    def fileno(self):
        return self.fd


def mac_b(m):
    return bytes(int(x, 16) for x in m.split(":"))


def drain(port):
    while True:
        try:
            if port._read() is None:
                continue
        except (BlockingIOError, OSError):
            return


def recv(port, n=1, timeout=1.0, want=None):
    """Up to n L3 packets (bytes, Ethernet stripped) within timeout."""
    out = []
    end = time.time() + timeout
    while len(out) < n:
        left = end - time.time()
        if left <= 0:
            break
        r, _, _ = select.select([port], [], [], left)
        if not r:
            break
        while len(out) < n:
            try:
                f = port._read()
            except (BlockingIOError, OSError):
                break
            if f is None or is_noise(f):
                continue
            if want and not want(f[14:]):
                continue
            out.append(f[14:])
    return out


# --- checksums --------------------------------------------------------------

def _sum(data):
    if len(data) % 2:
        data += b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def l4_ok(proto, src, dst, seg, v6):
    if proto == 1:
        return fold(_sum(seg)) == 0xffff
    if proto == 17 and not v6 and seg[6:8] == b"\0\0":
        return True
    ph = src + dst + struct.pack("!IxxxB" if v6 else "!xBH", *((len(seg), proto) if v6 else (proto, len(seg))))
    return fold(_sum(ph) + _sum(seg)) == 0xffff


def csum_errors(raw):
    """Checksums of a received packet that are wrong (outer IP, outer L4 when whole)."""
    errs = []
    if raw[0] >> 4 == 4:
        ihl = (raw[0] & 15) * 4
        if fold(_sum(raw[:ihl])) != 0xffff:
            errs.append("ipv4 header checksum")
        if struct.unpack("!H", raw[6:8])[0] & 0x3fff:
            return errs
        tot = struct.unpack("!H", raw[2:4])[0]
        if raw[9] in (1, 6, 17) and not l4_ok(raw[9], raw[12:16], raw[16:20], raw[ihl:tot], False):
            errs.append("l4 checksum (proto %d)" % raw[9])
    else:
        nh, off = raw[6], 40
        while nh in (0, 43, 60):
            nh, off = raw[off], off + (raw[off + 1] + 1) * 8
        if nh == 44:
            return errs
        if nh in (6, 17, 58) and not l4_ok(nh, raw[8:24], raw[24:40], raw[off:], True):
            errs.append("l4 checksum (nh %d)" % nh)
    return errs


# --- allowed differences ----------------------------------------------------
# Each name maps to byte ranges of the IP packet that may differ; checksums
# covering them are verified by csum_errors() instead of by comparison.

def ranges(raw, names):
    rs = []
    for n in names:
        if n == "id4":          # outer IPv4 ID (and header checksum)
            rs += [(4, 6), (10, 12)]
        elif n == "csum4":
            rs += [(10, 12)]
        elif n == "iid4":        # ID of the IPv4 packet quoted in an ICMPv4 error
            rs += [(32, 34), (38, 40), (22, 24)]
        elif n == "sport":       # mapped source port/ICMP id (+ checksum)
            rs += l4_ranges(raw, "sport")
        elif n == "l4csum":
            rs += l4_ranges(raw, "csum")
        elif n == "fragid6":
            rs += [(44, 48)]
        elif n == "fl6":         # flow label of an error the kernel generated
            rs += [(1, 4)]
        elif n == "src":
            rs += [(12, 16)] if raw[0] >> 4 == 4 else [(8, 24)]
        elif isinstance(n, tuple):
            rs.append(n)
        else:
            raise Fail("unknown diff %r" % n)
    return rs


def l4_ranges(raw, what):
    if raw[0] >> 4 == 4:
        off, proto = (raw[0] & 15) * 4, raw[9]
    else:
        off, proto = 40, raw[6]
        while proto in (0, 43, 60, 44):
            proto, off = raw[off], off + (8 if proto == 44 else (raw[off + 1] + 1) * 8)
    cs = {6: 16, 17: 6, 1: 2, 58: 2}[proto]
    if what == "csum":
        return [(off + cs, off + cs + 2)]
    p = off + 4 if proto in (1, 58) else off
    return [(p, p + 2), (off + cs, off + cs + 2)] + ([(10, 12)] if raw[0] >> 4 == 4 else [])


def compare(got, exp, diff=()):
    """None if got equals exp outside the allowed ranges, else a description."""
    if len(got) != len(exp):
        return "length %d, expected %d; got %s" % (len(got), len(exp), got[:64].hex())
    mask = bytearray(len(exp))
    for a, b in ranges(exp, diff):
        for i in range(a, min(b, len(exp))):
            mask[i] = 1
    bad = [i for i in range(len(exp)) if got[i] != exp[i] and not mask[i]]
    if bad:
        i = bad[0]
        return "%d byte(s) differ, first at %d: got %s expected %s (got %s)" % (
            len(bad), i, got[i:i + 8].hex(), exp[i:i + 8].hex(), got[:min(len(got), 96)].hex())
    return None


# --- the translator ---------------------------------------------------------

def ctl(*args, j=False):
    cmd = [CTL, "-n", "xlat"] + (["-j"] if j else []) + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise Fail("nat64ctl %s: %s" % (" ".join(cmd[3:]), r.stderr.strip()))
    return json.loads(r.stdout) if j else r.stdout


def filt(rx):
    return re.compile(rx) if rx else None


KSNMP = re.compile(r"(Err|Fail|Discard|Trunc|Unknown|TimeExcds|NoRoutes)")


def ksnmp():
    """The xlat namespace's IP-level MIB counters (snmp, snmp6)."""
    c = {}
    with netns("xlat"):
        for f in ("snmp", "netstat", "snmp6"):
            lines = open("/proc/thread-self/net/" + f).read().splitlines()
            if f != "snmp6":
                for a, b in zip(lines[::2], lines[1::2]):
                    ka, kb = a.split(), b.split()
                    if ka[0] in ("Ip:", "Icmp:", "Udp:", "Tcp:", "IpExt:"):
                        for k, v in zip(ka[1:], kb[1:]):
                            c[ka[0][:-1] + k] = int(v)
            else:
                for ln in lines:
                    k, v = ln.split()
                    c[k] = int(v)
    return {k: v for k, v in c.items() if KSNMP.search(k)}


def ksnmp_delta(before):
    now = ksnmp()
    return {k: now[k] - before.get(k, 0) for k in now if now[k] != before.get(k, 0)}


# --- counters over generic netlink, without a nat64ctl process per read ----

def _enum(text, name):
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return {n.strip(): i for i, n in enumerate(x for x in body.split(",") if x.strip())}


class GenlStats:
    """NAT64_CMD_STATS_GET dump from the xlat namespace (enums read from the uapi header)."""

    def __init__(self):
        hdr = open(os.path.join(HERE, "..", "..", "include", "uapi", "linux", "nat64.h")).read()
        self.cmd = _enum(hdr, "nat64_cmd")["NAT64_CMD_STATS_GET"]
        a = _enum(hdr, "nat64_attr")
        self.a_name, self.a_val = a["NAT64_A_STAT_NAME"], a["NAT64_A_STAT_VALUE"]
        with netns("xlat"):
            self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.bind((0, 0))
        self.seq = 1
        name = b"nat64\0"
        attr = struct.pack("=HH", 4 + len(name), 2) + name + b"\0" * (-len(name) % 4)
        msgs = self._req(0x10, 3, attr, 0x1)
        self.fam = None
        for m in msgs:
            for t, v in self._attrs(m):
                if t == 1:
                    self.fam = struct.unpack("=H", v[:2])[0]
        if self.fam is None:
            raise OSError("no nat64 family")

    @staticmethod
    def _attrs(payload):
        off = 4
        while off + 4 <= len(payload):
            ln, t = struct.unpack("=HH", payload[off:off + 4])
            if ln < 4:
                break
            yield t & 0x3fff, payload[off + 4:off + ln]
            off += (ln + 3) & ~3

    def _req(self, typ, cmd, attrs, flags, ver=1):
        self.seq += 1
        body = struct.pack("=BBH", cmd, ver, 0) + attrs
        self.s.send(struct.pack("=IHHII", 16 + len(body), typ, flags | 0x1, self.seq, 0) + body)
        out = []
        while True:
            data = self.s.recv(1 << 20)
            off = 0
            while off < len(data):
                ln, t, fl, seq, pid = struct.unpack("=IHHII", data[off:off + 16])
                if t == 3:      # NLMSG_DONE
                    return out
                if t == 2:      # NLMSG_ERROR
                    err = struct.unpack("=i", data[off + 16:off + 20])[0]
                    if err:
                        raise OSError(-err, "netlink")
                    return out
                out.append(data[off + 16:off + ln])
                off += (ln + 3) & ~3
            if not flags & 0x300:
                return out

    def read(self):
        st = {}
        for m in self._req(self.fam, self.cmd, b"", 0x300):
            name = val = None
            for t, v in self._attrs(m):
                if t == self.a_name:
                    name = v.rstrip(b"\0").decode()
                elif t == self.a_val:
                    val = struct.unpack("=Q", v[:8])[0]
            if name is not None:
                st[name] = val
        return st


_genl = []


def stats():
    """The module's counters; a netlink dump, nat64ctl if that fails."""
    try:
        if not _genl:
            _genl.append(GenlStats())
        st = _genl[0].read()
        if st:
            return st
    except OSError:
        _genl.clear()
    return ctl("stats", "show", j=True)
