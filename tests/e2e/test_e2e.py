#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""End-to-end tests of nat64.ko in three namespaces (run by run.sh in the VM).

c6 (2001:db8:6::2, IPv6 only) -- xlat (the translator) -- s4 (192.0.2.2, IPv4 only)
Prefix 64:ff9b::/96, pool4 203.0.113.1 (routed to xlat, assigned to nothing).
"""

import hashlib
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nsutil import (Results, Tap, UdpEcho, ctl, ctl_ok, ctlj, embed, inet_csum,  # noqa: E402
                    mac_of, netns, run, stats)

from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402

C6 = "2001:db8:6::2"
S4 = "192.0.2.2"
S4B = "192.0.2.3"
POOL = "203.0.113.1"
PFX = "64:ff9b::"
S4_6 = embed(PFX, 96, S4)
S4B_6 = embed(PFX, 96, S4B)

R = Results()
XLAT_MAC6 = mac_of("xlat", "to_c6")
XLAT_MAC4 = mac_of("xlat", "to_s4")
C6_MAC = mac_of("c6", "eth0")
S4_MAC = mac_of("s4", "eth0")


def counter(name):
    return stats()[name]


def counted(name, before, n=1, timeout=3.0):
    """Whether counter name reaches before + n within timeout seconds."""
    end = time.time() + timeout
    while counter(name) < before + n and time.time() < end:
        time.sleep(0.05)
    return counter(name) == before + n


def sessions(proto=None):
    return ctlj("session", "show", *([proto] if proto else []))


# --- servers -------------------------------------------------------------

class TcpSink(threading.Thread):
    """TCP server: reads until EOF, answers the SHA-256 and the bytes read."""

    def __init__(self, ns, addr, port, family=socket.AF_INET):
        super().__init__(daemon=True)
        with netns(ns):
            self.s = socket.socket(family, socket.SOCK_STREAM)
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.s.bind((addr, port))
            self.s.listen(4)
        self.peers = []
        self.start()

    def run(self):
        while True:
            try:
                c, peer = self.s.accept()
            except OSError:
                return
            self.peers.append(peer)
            h = hashlib.sha256()
            n = 0
            while True:
                d = c.recv(1 << 16)
                if not d:
                    break
                h.update(d)
                n += len(d)
            c.sendall(h.digest() + struct.pack("!Q", n))
            c.close()

    def close(self):
        self.s.close()


def udp_query(ns, family, dst, port, payload=b"ping", src=None, timeout=3):
    with netns(ns):
        s = socket.socket(family, socket.SOCK_DGRAM)
    try:
        if src:
            s.bind(src)
        s.settimeout(timeout)
        s.sendto(payload, (dst, port))
        data, peer = s.recvfrom(65535)
        return data, peer, s.getsockname()
    finally:
        s.close()


def tcp_send(ns, family, dst, port, nbytes, timeout=60):
    with netns(ns):
        s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.connect((dst, port))
        blob = os.urandom(1 << 16)
        h = hashlib.sha256()
        sent = 0
        while sent < nbytes:
            chunk = blob[: min(len(blob), nbytes - sent)]
            s.sendall(chunk)
            h.update(chunk)
            sent += len(chunk)
        s.shutdown(socket.SHUT_WR)
        resp = b""
        while len(resp) < 40:
            d = s.recv(64)
            if not d:
                break
            resp += d
        return resp[:32] == h.digest() and struct.unpack("!Q", resp[32:40])[0] == nbytes, \
            s.getsockname()
    finally:
        s.close()


# --- functional cases ----------------------------------------------------

def t_ping():
    r = run("ping", "-6", "-c", "3", "-i", "0.3", "-W", "3", S4_6, ns="c6")
    if r.returncode:
        return "ping6 %s failed: %s" % (S4_6, r.stdout[-200:])
    ss = [s for s in sessions("icmp") if s["remote4"] == S4]
    if not ss:
        return "no ICMP session to %s" % S4
    s = ss[0]
    if s["addr4"] != POOL or s["addr6"] != C6 or s["remote6"] != S4_6:
        return "unexpected session %s" % s


def t_ping_from_v4_not_translated():
    """An IPv4 host cannot ping the IPv6 side without a binding."""
    before = counter("drop_no_binding")
    r = run("ping", "-c", "1", "-W", "1", POOL, ns="s4")
    if r.returncode == 0:
        return "ping to pool4 answered without binding"
    if counter("drop_no_binding") <= before:
        return "drop_no_binding did not count"


udp = None


def t_udp():
    data, peer, me = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"hello nat64")
    if data != b"hello nat64":
        return "reply %r" % data
    if peer[0] != S4_6 or peer[1] != 5000:
        return "reply from %s" % (peer,)
    seen = udp.peers[-1]
    if seen[0] != POOL or seen[1] < 1024:
        return "server saw %s" % (seen,)


def t_udp_port_range():
    """RFC 6146 3.5.1.1 / RFC 6056: a source port < 1024 keeps a port < 1024."""
    udp_query("c6", socket.AF_INET6, S4_6, 5000, b"x", src=("::", 700))
    seen = udp.peers[-1]
    if seen[0] != POOL or seen[1] >= 1024:
        return "server saw %s" % (seen,)


def t_eim():
    """Endpoint-independent mapping: one source port, two servers, one mapping."""
    with netns("c6"):
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 40000))
    s.settimeout(3)
    for dst in (S4_6, S4B_6):
        s.sendto(b"eim", (dst, 5000))
        s.recvfrom(100)
    s.close()
    peers = udp.peers[-2:]
    if peers[0] != peers[1]:
        return "two mappings: %s" % (peers,)
    ss = [x for x in sessions("udp") if x["port6"] == 40000]
    if len(ss) != 2 or ss[0]["port4"] != ss[1]["port4"] or ss[0]["port4"] != peers[0][1]:
        return "sessions %s" % ss
    bibs = [b for b in ctlj("bib", "show", "udp") if b["port6"] == 40000]
    if len(bibs) != 1 or bibs[0]["sessions"] != 2:
        return "bib %s" % bibs


def t_tcp():
    ok, me = tcp_send("c6", socket.AF_INET6, S4_6, 8080, 4 << 20)
    if not ok:
        return "data mismatch"
    if tcp.peers[-1][0] != POOL:
        return "server saw %s" % (tcp.peers[-1],)
    time.sleep(0.3)
    ss = [s for s in sessions("tcp") if s["port6"] == me[1]]
    if len(ss) != 1:
        return "sessions %s" % ss
    if ss[0]["state"] != "V4_FIN_V6_FIN_RCV":
        return "state after close %s" % ss[0]["state"]


def udp_gso_case(tx_ns, tx_family, dst, rx_ns, rx_family, port, size=1400):
    """Four datagrams of @size bytes sent as one UDP GSO packet (UDP_SEGMENT:
    veth passes it whole): the receiver gets the same four. None, else what
    it got."""
    with netns(rx_ns):
        rx = socket.socket(rx_family, socket.SOCK_DGRAM)
    with netns(tx_ns):
        tx = socket.socket(tx_family, socket.SOCK_DGRAM)
    data = [bytes([65 + i]) * size for i in range(4)]
    got = []
    try:
        rx.bind(("::" if rx_family == socket.AF_INET6 else "0.0.0.0", port))
        rx.settimeout(3)
        tx.setsockopt(socket.SOL_UDP, 103, size)  # UDP_SEGMENT
        tx.sendto(b"".join(data), (dst, port))
        while len(got) < 4:
            got.append(rx.recv(4096))
    except socket.timeout:
        pass
    finally:
        rx.close()
        tx.close()
    if got != data:
        return "datagrams of %s bytes" % [len(g) for g in got]


def t_udp_gso():
    """UDP GSO packets both ways keep their datagrams: 4->6 the IPv6 header
    grows each segment, but gso_size is each datagram's payload and stays."""
    port6 = 46300
    ctl_ok("bib", "add", "udp", "[%s]:%d" % (C6, port6), "%s:%d" % (POOL, port6))
    try:
        err = udp_gso_case("s4", socket.AF_INET, POOL, "c6", socket.AF_INET6, port6)
        if err:
            return "4->6: " + err
        # DF by the size of the segments (RFC 7915 5.1): 1428 bytes set, 1028 not
        for size, df in ((1400, True), (1000, False)):
            tap = Tap("s4", "eth0")
            try:
                err = udp_gso_case("c6", socket.AF_INET6, S4_6, "s4", socket.AF_INET, 5300,
                                   size)
                f = tap.recv(lambda d: d[12:14] == b"\x08\x00" and d[23] == 17 and
                             d[36:38] == (5300).to_bytes(2, "big"), 1.0)
            finally:
                tap.close()
            if err:
                return "6->4 %d bytes: %s" % (size, err)
            if f is None or bool(f[20] & 0x40) != df:
                return "6->4 %d bytes: DF %s" % (size, None if f is None else bool(f[20] & 0x40))
    finally:
        ctl("bib", "del", "udp", "[%s]:%d" % (C6, port6))


def t_ipsec():
    """c6 reaches s4 through an IPsec tunnel (ESP, tunnel mode) that ends on
    the translator: without an IPv6 forward policy for it the packet is
    refused (drop_xfrm_policy); with one, the translated packet passes IPv4
    forwarding (its secpath gone) and the reply goes back through the
    tunnel."""
    x6 = "2001:db8:6::1"
    alg = ("enc", "ecb(cipher_null)", "", "auth", "hmac(sha256)", "0x" + "22" * 32)

    def xf(ns, *a):
        run("ip", "-n", ns, "xfrm", *a, check=True)

    up = ("src", C6 + "/128", "dst", PFX + "/96")
    down = ("src", PFX + "/96", "dst", C6 + "/128")
    tmpl_up = ("tmpl", "src", C6, "dst", x6, "proto", "esp", "mode", "tunnel")
    tmpl_down = ("tmpl", "src", x6, "dst", C6, "proto", "esp", "mode", "tunnel")
    try:
        for ns in ("c6", "xlat"):
            for spi, src, dst in (("0x1001", C6, x6), ("0x1002", x6, C6)):
                xf(ns, "state", "add", "src", src, "dst", dst, "proto", "esp", "spi", spi,
                   "mode", "tunnel", *alg)
        xf("c6", "policy", "add", *up, "dir", "out", *tmpl_up)
        xf("c6", "policy", "add", *down, "dir", "in", *tmpl_down)
        xf("xlat", "policy", "add", *down, "dir", "out", *tmpl_down)
        before = counter("drop_xfrm_policy")
        try:
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"no fwd policy", timeout=1)
            return "answered without a forward policy"
        except socket.timeout:
            pass
        if counter("drop_xfrm_policy") != before + 1:
            return "drop_xfrm_policy +%d" % (counter("drop_xfrm_policy") - before)
        # disable_policy on the arriving device exempts it, as its routes would
        run("ip", "netns", "exec", "xlat", "sysctl", "-qw", "net.ipv6.conf.to_c6.disable_policy=1",
            check=True)
        try:
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"disable_policy")
        except socket.timeout:
            return "no answer with disable_policy on the arriving device"
        finally:
            run("ip", "netns", "exec", "xlat", "sysctl", "-qw",
                "net.ipv6.conf.to_c6.disable_policy=0")
        xf("xlat", "policy", "add", *up, "dir", "fwd", *tmpl_up)
        try:
            data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"through esp")
        except socket.timeout:
            return "no answer with the forward policy"
        if data != b"through esp":
            return "answer %r" % data
        st = run("ip", "-n", "c6", "-s", "xfrm", "state", "list", "spi", "0x1002",
                 check=True).stdout
        if not re.search(r"\b[1-9]\d*\(packets\)", st):
            return "the reply did not come through the tunnel:\n" + st
    finally:
        for ns in ("c6", "xlat"):
            run("ip", "-n", ns, "xfrm", "policy", "flush")
            run("ip", "-n", ns, "xfrm", "state", "flush")


def have_ipsec():
    """Whether this kernel does ESP: Debian's (the modules loaded here, the
    VM loads none on demand) but not the debug kernel, built without xfrm.
    Null encryption needs no IV generator, so no RNG modules (a crypto
    self-test that fails in the VM warns)."""
    run("modprobe", "-a", "crypto_null", "xfrm_user", "esp6", "authenc")
    if run("ip", "xfrm", "state", "list").returncode == 0:
        return True
    print("# the ipsec case is left out: this kernel has no xfrm", flush=True)
    return False


def t_static_bib():
    srv = TcpSink("c6", "::", 80, socket.AF_INET6)
    try:
        ctl_ok("bib", "add", "tcp", "[%s]:80" % C6, "%s:80" % POOL)
        b = [x for x in ctlj("bib", "show", "tcp") if x["port6"] == 80]
        if not b or not b[0]["static"]:
            return "bib %s" % b
        ok, _ = tcp_send("s4", socket.AF_INET, POOL, 80, 300000)
        if not ok:
            return "IPv4 client to static binding: data mismatch"
        if srv.peers[-1][0] != S4_6:
            return "IPv6 server saw %s" % (srv.peers[-1],)
        ctl_ok("session", "flush")
        if not [x for x in ctlj("bib", "show", "tcp") if x["port6"] == 80]:
            return "static binding gone after session flush"
        ctl_ok("bib", "del", "tcp", "[%s]:80" % C6)
        if [x for x in ctlj("bib", "show", "tcp") if x["port6"] == 80]:
            return "bib del left the binding"
    finally:
        srv.close()


def t_prefix_lengths():
    pfx = {32: "3fff:100::", 40: "3fff:200::", 48: "3fff:300:1::", 56: "3fff:400:0:100::",
           64: "3fff:500:0:1::", 96: "3fff:600::"}
    for plen, p in pfx.items():
        ctl_ok("prefix", "add", "%s/%d" % (p, plen))
        try:
            dst = embed(p, plen, S4)
            data, peer, _ = udp_query("c6", socket.AF_INET6, dst, 5000, b"len%d" % plen)
            if data != b"len%d" % plen or peer[0] != dst:
                return "/%d: reply %r from %s" % (plen, data, peer)
        finally:
            ctl_ok("prefix", "del", "%s/%d" % (p, plen))


def t_several_prefixes():
    ctl_ok("prefix", "add", "3fff:600::/96")
    try:
        got = []
        for p in (PFX, "3fff:600::"):
            dst = embed(p, 96, S4)
            data, peer, _ = udp_query("c6", socket.AF_INET6, dst, 5000, b"multi")
            got.append(peer[0])
        if got != [S4_6, embed("3fff:600::", 96, S4)]:
            return "replies from %s" % got
        if len(ctlj("prefix", "show")) != 2:
            return "prefix show %s" % ctlj("prefix", "show")
        # One IPv6 transport address to one server through two prefixes would
        # be one IPv4 5-tuple for two sessions: the second is refused.
        before = counter("drop_session_conflict")
        udp_query("c6", socket.AF_INET6, S4_6, 5000, b"a", src=("::", 41000))
        try:
            udp_query("c6", socket.AF_INET6, embed("3fff:600::", 96, S4), 5000, b"b",
                      src=("::", 41000), timeout=1)
            return "second session with the same IPv4 5-tuple answered"
        except socket.timeout:
            pass
        if counter("drop_session_conflict") != before + 1:
            return "drop_session_conflict did not count"
    finally:
        ctl_ok("prefix", "del", "3fff:600::/96")


def t_errors():
    checks = [
        (("prefix", "add", "64:ff9b::/33"), 1, "32, 40, 48, 56, 64 or 96"),
        (("prefix", "add", "64:ff9b:0:0:ff00::/96"), 1, "u-octet"),
        (("prefix", "add", "64:ff9b::/96"), 1, "already"),
        (("pool4", "add", POOL, "tcp", "ports", "2000-3000"), 1, "overlaps"),
        (("bib", "add", "tcp", "[2001:db8:6::9]:80", "198.51.100.1:80"), 1, "pool4"),
        (("prefix", "frobnicate"), 2, ""),
        (("config", "set", "udp-timeout", "0"), 1, ""),
    ]
    for args, rc, msg in checks:
        r = ctl(*args)
        if r.returncode != rc or msg not in r.stderr or \
                (rc == 1 and not r.stderr.startswith("nat64ctl: ")):
            return "%s -> rc %d %r" % (" ".join(args), r.returncode, r.stderr.strip())


def t_not_ours():
    a = stats()
    r1 = run("ping", "-6", "-c", "1", "-W", "2", "2001:db8:6::1", ns="c6")
    r2 = run("ping", "-c", "1", "-W", "2", "192.0.2.1", ns="s4")
    b = stats()
    if r1.returncode or r2.returncode:
        return "plain traffic broken"
    if a["xlat_6to4"] != b["xlat_6to4"] or a["xlat_4to6"] != b["xlat_4to6"]:
        return "plain traffic was translated"


def t_expiry():
    ctl_ok("config", "set", "udp-timeout", "2")
    try:
        before = counter("session_expired")
        _, _, me = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"exp", src=("::", 42000))
        if not [s for s in sessions("udp") if s["port6"] == 42000]:
            return "no session"
        deadline = time.time() + 8
        while time.time() < deadline:
            if not [s for s in sessions("udp") if s["port6"] == 42000]:
                break
            time.sleep(0.5)
        else:
            return "session still there after 8 s"
        if counter("session_expired") <= before:
            return "session_expired did not count"
        if [b for b in ctlj("bib", "show", "udp") if b["port6"] == 42000]:
            return "dynamic binding outlived its session"
    finally:
        ctl_ok("config", "set", "udp-timeout", "300")


def t_max_sessions():
    ctl_ok("session", "flush")
    ctl_ok("config", "set", "max-sessions", "3")
    try:
        before = counter("drop_max_sessions")
        answered = 0
        for i in range(6):
            try:
                udp_query("c6", socket.AF_INET6, S4_6, 5000, b"m", src=("::", 43000 + i),
                          timeout=1)
                answered += 1
            except socket.timeout:
                pass
        n = ctlj("config", "show")["sessions"]
        if n != 3 or answered != 3:
            return "sessions %d, answered %d" % (n, answered)
        if counter("drop_max_sessions") - before != 3:
            return "drop_max_sessions +%d" % (counter("drop_max_sessions") - before)
    finally:
        ctl_ok("config", "set", "max-sessions", "100000")
        ctl_ok("session", "flush")


def t_counters_named():
    st = ctlj("stats", "show")
    r = ctl("stats", "show")
    if r.returncode or "drop_no_binding" not in r.stdout:
        return "stats table"
    if st.get("drop_other", 1) != 0:
        return "drop_other %s" % st.get("drop_other")


# --- byte-level cases ----------------------------------------------------

def six_to_four(l4, match4, hlim=37, tc=0xb8, fl=0x12345, src=C6, dst=S4_6, wait=3.0):
    """Send IPv6/l4 from c6 as a raw frame; return the IPv4 packet s4 receives."""
    tap6 = Tap("c6", "eth0")
    tap4 = Tap("s4", "eth0")
    try:
        pkt = Ether(src=C6_MAC, dst=XLAT_MAC6) / IPv6(src=src, dst=dst, hlim=hlim, tc=tc,
                                                      fl=fl) / l4
        tap6.send(pkt)
        data = tap4.recv(lambda d: d[12:14] == b"\x08\x00" and match4(IP(d[14:])), wait)
        return bytes(pkt), (IP(data[14:]) if data else None), data
    finally:
        tap6.close()
        tap4.close()


def four_to_six(l4, match6, ttl=50, tos=0x28, src=S4, dst=POOL, flags=0, wait=3.0):
    tap4 = Tap("s4", "eth0")
    tap6 = Tap("c6", "eth0")
    try:
        pkt = Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=src, dst=dst, ttl=ttl, tos=tos,
                                                    flags=flags) / l4
        tap4.send(pkt)
        data = tap6.recv(lambda d: d[12:14] == b"\x86\xdd" and match6(IPv6(d[14:])), wait)
        return bytes(pkt), (IPv6(data[14:]) if data else None), data
    finally:
        tap4.close()
        tap6.close()


def l4csum4(ip_bytes):
    ihl = (ip_bytes[0] & 15) * 4
    tot = int.from_bytes(ip_bytes[2:4], "big")
    l4 = ip_bytes[ihl:tot]
    ph = ip_bytes[12:20] + bytes([0, ip_bytes[9]]) + len(l4).to_bytes(2, "big")
    if ip_bytes[9] == 1:
        return inet_csum(bytes(l4))
    return inet_csum(ph + bytes(l4))


def l4csum6(ip6_bytes):
    plen = int.from_bytes(ip6_bytes[4:6], "big")
    l4 = ip6_bytes[40:40 + plen]
    ph = ip6_bytes[8:40] + plen.to_bytes(4, "big") + bytes([0, 0, 0, ip6_bytes[6]])
    return inet_csum(ph + bytes(l4))


def check_ip4(raw, tot, ttl, tos, proto, df):
    errs = []
    if raw[0] != 0x45:
        errs.append("version/ihl %x" % raw[0])
    if raw[1] != tos:
        errs.append("tos %x" % raw[1])
    if int.from_bytes(raw[2:4], "big") != tot:
        errs.append("total length %d" % int.from_bytes(raw[2:4], "big"))
    fo = int.from_bytes(raw[6:8], "big")
    if fo != (0x4000 if df else 0):
        errs.append("flags/offset %x" % fo)
    if df and raw[4:6] != b"\0\0":
        errs.append("ID %s with DF" % raw[4:6].hex())
    if raw[8] != ttl:
        errs.append("ttl %d" % raw[8])
    if raw[9] != proto:
        errs.append("protocol %d" % raw[9])
    if inet_csum(bytes(raw[:20])) != 0:
        errs.append("header checksum")
    if raw[12:16] != socket.inet_aton(POOL):
        errs.append("source %s" % socket.inet_ntoa(raw[12:16]))
    return errs


def t_bytes_udp_6to4():
    payload = bytes(range(100))
    sent, got, _ = six_to_four(UDP(sport=41001, dport=7777) / payload,
                               lambda p: UDP in p and p[UDP].dport == 7777)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    errs = check_ip4(raw, 20 + 8 + 100, 36, 0xb8, 17, False)
    if raw[16:20] != socket.inet_aton(S4):
        errs.append("destination")
    u = raw[20:]
    sess = [s for s in sessions("udp") if s["port6"] == 41001]
    if not sess or int.from_bytes(u[0:2], "big") != sess[0]["port4"]:
        errs.append("source port %d vs session %s" % (int.from_bytes(u[0:2], "big"), sess))
    if u[2:4] != (7777).to_bytes(2, "big") or u[4:6] != (108).to_bytes(2, "big"):
        errs.append("udp dport/len")
    if l4csum4(raw) != 0:
        errs.append("udp checksum invalid")
    if u[8:] != payload:
        errs.append("payload")
    return "; ".join(errs)


def t_bytes_udp_4to6():
    sess = [s for s in sessions("udp") if s["port6"] == 41001]
    if not sess:
        return "needs the session of bytes_udp_6to4"
    port4 = sess[0]["port4"]
    payload = b"reply" * 20
    sent, got, _ = four_to_six(UDP(sport=7777, dport=port4) / payload,
                               lambda p: UDP in p and p[UDP].sport == 7777)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    errs = []
    if raw[0] >> 4 != 6 or ((int.from_bytes(raw[0:4], "big") >> 20) & 0xff) != 0x28:
        errs.append("version/traffic class")
    if int.from_bytes(raw[0:4], "big") & 0xfffff:
        errs.append("flow label not 0")
    if int.from_bytes(raw[4:6], "big") != 8 + len(payload) or raw[6] != 17 or raw[7] != 49:
        errs.append("plen/nh/hlim %d/%d/%d" % (int.from_bytes(raw[4:6], "big"), raw[6], raw[7]))
    if raw[8:24] != socket.inet_pton(socket.AF_INET6, S4_6) or \
            raw[24:40] != socket.inet_pton(socket.AF_INET6, C6):
        errs.append("addresses")
    if raw[40:42] != (7777).to_bytes(2, "big") or raw[42:44] != (41001).to_bytes(2, "big"):
        errs.append("ports")
    if l4csum6(raw) != 0:
        errs.append("udp checksum invalid")
    if raw[48:] != payload:
        errs.append("payload")
    return "; ".join(errs)


def t_bytes_udp_zero_csum_4to6():
    sess = [s for s in sessions("udp") if s["port6"] == 41001]
    port4 = sess[0]["port4"]
    sent, got, _ = four_to_six(UDP(sport=7777, dport=port4, chksum=0) / b"zero-checksum",
                               lambda p: UDP in p and p[UDP].sport == 7777)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    if raw[46:48] == b"\0\0" or l4csum6(raw) != 0:
        return "UDP checksum not computed: %s" % raw[46:48].hex()


def t_bytes_df_large():
    sent, got, _ = six_to_four(UDP(sport=41002, dport=7778) / (b"L" * 1400),
                               lambda p: UDP in p and p[UDP].dport == 7778)
    if got is None:
        return "nothing arrived"
    return "; ".join(check_ip4(bytes(got), 20 + 8 + 1400, 36, 0xb8, 17, True))


def t_bytes_bad_csum():
    """A wrong checksum stays wrong by the same amount."""
    good = UDP(sport=41003, dport=7779) / b"badsum"
    pkt = IPv6(src=C6, dst=S4_6) / good
    ok = IPv6(bytes(pkt))[UDP].chksum
    bad = (ok + 0x101) & 0xffff or 1
    sent, got, _ = six_to_four(UDP(sport=41003, dport=7779, chksum=bad) / b"badsum",
                               lambda p: UDP in p and p[UDP].dport == 7779)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    if l4csum4(raw) == 0:
        return "wrong checksum became right"
    fixed = bytearray(raw)
    c = int.from_bytes(raw[26:28], "big")
    fixed[26:28] = ((c - 0x101) % 0xffff).to_bytes(2, "big")
    if l4csum4(bytes(fixed)) != 0 and l4csum4(raw) == 0:
        return "checksum off by another amount"


def t_bytes_tcp_syn():
    opts = [("MSS", 1400), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None),
            ("WScale", 7)]
    sent, got, _ = six_to_four(TCP(sport=41004, dport=9, flags="S", seq=1000, window=4321,
                                   options=opts),
                               lambda p: TCP in p and p[TCP].dport == 9)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    s6 = IPv6(sent[14:])
    t6 = bytes(s6[TCP])
    errs = check_ip4(raw, 20 + len(t6), 36, 0xb8, 6, False)
    t4 = raw[20:]
    if t4[2:16] != t6[2:16] or t4[18:] != t6[18:]:
        errs.append("TCP header other than port/checksum changed")
    if l4csum4(raw) != 0:
        errs.append("tcp checksum invalid")
    st = [s for s in sessions("tcp") if s["port6"] == 41004]
    if not st or st[0]["state"] != "V6_INIT":
        errs.append("session %s" % st)
    return "; ".join(errs)


def t_bytes_icmp_echo():
    sent, got, _ = six_to_four(ICMPv6EchoRequest(id=0x1234, seq=7, data=b"E" * 56),
                               lambda p: ICMP in p and p[ICMP].type == 8)
    if got is None:
        return "nothing arrived"
    raw = bytes(got)
    errs = check_ip4(raw, 20 + 8 + 56, 36, 0xb8, 1, False)
    ic = raw[20:]
    st = [s for s in sessions("icmp") if s["port6"] == 0x1234]
    if ic[0] != 8 or ic[1] != 0:
        errs.append("type/code %d/%d" % (ic[0], ic[1]))
    if not st or int.from_bytes(ic[4:6], "big") != st[0]["port4"]:
        errs.append("identifier vs session %s" % st)
    if int.from_bytes(ic[6:8], "big") != 7 or ic[8:] != b"E" * 56:
        errs.append("seq/data")
    if inet_csum(bytes(ic)) != 0:
        errs.append("icmp checksum invalid")
    return "; ".join(errs)


def outgoing_non_syn(tap):
    """TCP segments without SYN that tap's device sent to the prefix since tap opened."""
    pfx = socket.inet_pton(socket.AF_INET6, PFX)[:12]
    tap.s.setblocking(False)
    n = 0
    while True:
        try:
            d, addr = tap.s.recvfrom(65535)
        except BlockingIOError:
            return n
        if (addr[2] == socket.PACKET_OUTGOING and d[12:14] == b"\x86\xdd" and
                len(d) >= 68 and d[20] == 6 and d[38:50] == pfx and not d[67] & 0x02):
            n += 1


def t_drop_tcp_no_syn():
    # the tap sees each segment c6 sends before the translator does: opened
    # before the first count and read after the last, it saw all counted
    watch = Tap("c6", "eth0")
    try:
        st = stats()
        before = st["drop_tcp_no_session"]
        sent, got, _ = six_to_four(TCP(sport=41005, dport=9, flags="A"),
                                   lambda p: TCP in p and p[TCP].dport == 9 and
                                   p[TCP].flags == "A", wait=1)
        if got is not None:
            return "non-SYN without session was translated"
        counted("drop_tcp_no_session", before)
        now = stats()
        segs = outgoing_non_syn(watch)
    finally:
        watch.close()
    # each non-SYN segment c6 sent counts at most once; ours at least
    if not 1 <= now["drop_tcp_no_session"] - before <= segs:
        return "drop_tcp_no_session +%d for %d non-SYN segments c6 sent; moved: %s" % (
            now["drop_tcp_no_session"] - before, segs,
            {k: now[k] - st.get(k, 0) for k in now
             if isinstance(now[k], int) and now[k] != st.get(k, 0)})


def t_drop_src_in_prefix():
    before = counter("drop_src_in_prefix")
    sent, got, _ = six_to_four(UDP(sport=41006, dport=7780), lambda p: UDP in p,
                               src=embed(PFX, 96, "198.51.100.1"), wait=1)
    if got is not None:
        return "translated"
    if not counted("drop_src_in_prefix", before):
        return "drop_src_in_prefix did not count (%d)" % (counter("drop_src_in_prefix") - before)


def t_drop_no_binding():
    before = counter("drop_no_binding")
    sent, got, _ = four_to_six(UDP(sport=7777, dport=9999), lambda p: UDP in p, wait=1)
    if got is not None:
        return "translated without binding"
    if not counted("drop_no_binding", before):
        return "drop_no_binding did not count (%d)" % (counter("drop_no_binding") - before)


# --- ICMP errors -----------------------------------------------------------

def capture(ns, dev, match, action, wait=3.0):
    """Run action() and return the first frame on ns/dev for which match(frame)."""
    tap = Tap(ns, dev)
    try:
        action()
        return tap.recv(match, wait)
    finally:
        tap.close()


def is_icmp6(t):
    return lambda d: d[12:14] == b"\x86\xdd" and d[20] == 58 and d[54] == t


def is_icmp4(t):
    return lambda d: d[12:14] == b"\x08\x00" and d[23] == 1 and d[14 + (d[14] & 15) * 4] == t


def t_err_port_unreach_4to6():
    """s4 answers a UDP datagram to a closed port: the client's socket sees it,
    and the ICMPv6 error quotes the client's datagram byte for byte."""
    with netns("c6"):
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.connect((S4_6, 5999))
    s.send(b"closed port")
    try:
        s.recv(100)
        refused = False
    except ConnectionRefusedError:
        refused = True
    except socket.timeout:
        refused = False
    s.close()
    # a raw datagram with a complete checksum (a socket's leaves the veth
    # with CHECKSUM_PARTIAL, which s4 would quote unfinished)
    sent = []
    f = capture("c6", "eth0", is_icmp6(1), lambda: sent.append(six_to_four(
        UDP(sport=41020, dport=5999) / b"closed port", lambda p: False, wait=0.1)))
    if f is None:
        return "no ICMPv6 error arrived"
    raw = f[14:]
    errs = []
    if raw[40] != 1 or raw[41] != 4:
        errs.append("type/code %d/%d" % (raw[40], raw[41]))
    if raw[8:24] != socket.inet_pton(socket.AF_INET6, S4_6):
        errs.append("outer source %s" % socket.inet_ntop(socket.AF_INET6, raw[8:24]))
    if l4csum6(raw) != 0:
        errs.append("icmpv6 checksum")
    inner = raw[48:]
    orig = sent[0][0][14:]
    # the flow label is lost on the way (RFC 7915: 0), the hop limit is the
    # TTL as the IPv4 server received it (one router less)
    if inner[4:7] != orig[4:7] or inner[8:] != orig[8:] or inner[0] >> 4 != 6 or \
            inner[7] != orig[7] - 1:
        errs.append("quoted packet differs from the one sent: %s vs %s"
                    % (bytes(inner).hex(), bytes(orig).hex()))
    if not refused:
        errs.append("socket did not see ECONNREFUSED")
    return "; ".join(errs)


def t_err_port_unreach_6to4():
    """The IPv6 host answers a datagram to a closed port: the IPv4 server sees it."""
    _, _, me = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"open", src=("::", 44000))
    port4 = [x for x in sessions("udp") if x["port6"] == 44000][0]["port4"]
    tap4 = Tap("s4", "eth0")
    try:
        tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL) /
                  UDP(sport=5000, dport=port4) / b"to a closed port")
        f = tap4.recv(is_icmp4(3))
    finally:
        tap4.close()
    if f is None:
        return "no ICMPv4 error arrived"
    raw = f[14:]
    errs = []
    if raw[20] != 3 or raw[21] != 3:
        errs.append("type/code %d/%d" % (raw[20], raw[21]))
    if raw[12:16] != socket.inet_aton(POOL) or raw[16:20] != socket.inet_aton(S4):
        errs.append("outer addresses")
    if inet_csum(bytes(raw[20:])) != 0 or inet_csum(bytes(raw[:20])) != 0:
        errs.append("checksums")
    inner = raw[28:]
    if inner[12:16] != socket.inet_aton(S4) or inner[16:20] != socket.inet_aton(POOL):
        errs.append("inner addresses")
    if inet_csum(bytes(inner[:20])) != 0:
        errs.append("inner header checksum")
    if int.from_bytes(inner[20:22], "big") != 5000 or \
            int.from_bytes(inner[22:24], "big") != port4:
        errs.append("inner ports")
    if l4csum4(bytes(inner)) != 0:
        errs.append("inner udp checksum")
    return "; ".join(errs)


def t_err_time_exceeded():
    """Hop limit 1: the IPv4 stack's time exceeded comes back as ICMPv6."""
    f = capture("c6", "eth0", is_icmp6(3), lambda: six_to_four(
        UDP(sport=41010, dport=7790) / b"ttl", lambda p: False, hlim=1, wait=0.1))
    if f is None:
        return "no time exceeded"
    raw = f[14:]
    if raw[41] != 0 or raw[8:24] != socket.inet_pton(socket.AF_INET6, embed(PFX, 96, "192.0.2.1")):
        return "code %d from %s" % (raw[41], socket.inet_ntop(socket.AF_INET6, raw[8:24]))
    if l4csum6(raw) != 0:
        return "checksum"


def t_err_ptb():
    """IPv4 link MTU 1400: a big packet from c6 gets packet too big, MTU 1420."""
    run("ip", "-n", "xlat", "link", "set", "to_s4", "mtu", "1400", check=True)
    try:
        f = capture("c6", "eth0", is_icmp6(2), lambda: six_to_four(
            UDP(sport=41011, dport=7791) / (b"B" * 1450), lambda p: False, wait=0.1))
    finally:
        run("ip", "-n", "xlat", "link", "set", "to_s4", "mtu", "1500", check=True)
    if f is None:
        return "no packet too big"
    raw = f[14:]
    mtu = int.from_bytes(raw[44:48], "big")
    if mtu != 1420:
        return "MTU %d" % mtu
    if len(raw) > 1280 or l4csum6(raw) != 0:
        return "size %d or checksum" % len(raw)


def t_err_no_session():
    before = counter("drop_icmp_no_session")
    inner = IP(src=POOL, dst=S4) / UDP(sport=1999, dport=5000)
    tap4 = Tap("s4", "eth0")
    tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL) /
              ICMP(type=3, code=3) / bytes(inner))
    tap4.close()
    time.sleep(0.3)
    if counter("drop_icmp_no_session") != before + 1:
        return "drop_icmp_no_session did not count"


def t_err_about_error():
    before = counter("drop_icmp_inner")
    inner = IP(src=POOL, dst=S4) / ICMP(type=3, code=1) / (b"x" * 28)
    tap4 = Tap("s4", "eth0")
    tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL) /
              ICMP(type=3, code=3) / bytes(inner))
    tap4.close()
    time.sleep(0.3)
    if counter("drop_icmp_inner") != before + 1:
        return "drop_icmp_inner did not count"


# --- the rest of the stack sees translated traffic --------------------------

def nft(ruleset, ns="xlat"):
    r = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=ruleset,
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("nft: " + r.stderr.strip())


def nft_del(table, ns="xlat"):
    run("nft", "delete", "table", table, ns=ns)


def t_fw_forward_drop():
    """An IPv4 FORWARD rule dropping one destination blocks translated traffic to it only."""
    nft("table ip nat64t {\n chain forward_c {\n  type filter hook forward priority 0;\n"
        "  ip daddr %s drop\n }\n}\n" % S4B)
    try:
        data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"allowed")
        try:
            udp_query("c6", socket.AF_INET6, S4B_6, 5000, b"blocked", timeout=1)
            return "traffic to %s passed the drop rule" % S4B
        except socket.timeout:
            pass
    finally:
        nft_del("ip nat64t")


def t_fw_stateful():
    """ct state rules: flows opened from the IPv6 side come back, the IPv4 side
    cannot open new ones, in both families' FORWARD chains."""
    nft("table inet nat64t {\n chain forward_c {\n"
        "  type filter hook forward priority 0; policy drop;\n"
        "  ct state established,related accept\n"
        "  iifname \"to_c6\" ct state new accept\n }\n}\n")
    srv = TcpSink("c6", "::", 81, socket.AF_INET6)
    try:
        data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"stateful")
        ok, _ = tcp_send("c6", socket.AF_INET6, S4_6, 8080, 200000)
        if not ok:
            return "tcp through the stateful firewall failed"
        ctl_ok("bib", "add", "tcp", "[%s]:81" % C6, "%s:81" % POOL)
        try:
            tcp_send("s4", socket.AF_INET, POOL, 81, 10, timeout=2)
            return "IPv4-initiated connection passed ct state new from to_s4"
        except (socket.timeout, OSError):
            pass
        finally:
            ctl_ok("bib", "del", "tcp", "[%s]:81" % C6)
    finally:
        srv.close()
        nft_del("inet nat64t")


def t_nat44():
    """Masquerade on the IPv4 side: translation still works through NAT44."""
    nft("table ip nat64n {\n chain post {\n  type nat hook postrouting priority 100;\n"
        "  oifname \"to_s4\" masquerade\n }\n}\n")
    try:
        data, peer, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"nat44")
        if udp.peers[-1][0] != "192.0.2.1":
            return "server saw %s, not the masquerading router" % (udp.peers[-1],)
        ok, _ = tcp_send("c6", socket.AF_INET6, S4_6, 8080, 200000)
        if not ok:
            return "tcp through NAT44 failed"
    finally:
        nft_del("ip nat64n")
        run("conntrack", "-F", ns="xlat")


def t_own_traffic():
    """The translator's own processes reach IPv4 servers through the prefix."""
    r = run("ping", "-6", "-c", "2", "-i", "0.3", "-W", "3", S4_6, ns="xlat")
    if r.returncode:
        return "ping6 from the translator failed: %s" % r.stdout[-200:]
    data, peer, me = udp_query("xlat", socket.AF_INET6, S4_6, 5000, b"own")
    if data != b"own" or udp.peers[-1][0] != POOL:
        return "udp from the translator: %r, server saw %s" % (data, udp.peers[-1])


def t_fragments():
    """3000-byte datagrams both ways: the IPv6 client and the IPv4 server
    fragment, the translator reassembles, translates, and fragments again."""
    before = counter("drop_fragment")
    payload = os.urandom(3000)
    data, peer, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, payload, timeout=5)
    if data != payload:
        return "echo of 3000 bytes differs (%d bytes back)" % len(data)
    if counter("drop_fragment") != before:
        return "drop_fragment counted"


def t_fragments_conntrack():
    """The same with conntrack in the translator's namespace (a ct rule in
    both families): its nf_defrag reassembles before the module's hooks,
    which then see whole packets; nothing is counted as a drop."""
    nft("table inet nat64f {\n chain pre {\n  type filter hook prerouting priority 0;\n"
        "  ct state established counter\n }\n}\n")
    try:
        before = {k: counter(k) for k in ("drop_fragment", "drop_reassembly", "drop_other")}
        for size in (3000, 9000):
            payload = os.urandom(size)
            data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, payload, timeout=5)
            if data != payload:
                return "echo of %d bytes differs (%d bytes back)" % (size, len(data))
        moved = {k: counter(k) - v for k, v in before.items() if counter(k) != v}
        if moved:
            return "counted: %s" % moved
        r = run("nft", "list", "table", "inet", "nat64f", ns="xlat")
        m = re.search(r"packets (\d+)", r.stdout)
        if not m or int(m.group(1)) < 2:     # the two replies, whole, as IPv6
            return "conntrack saw no established packets: %r" % r.stdout[-300:]
    finally:
        nft_del("inet nat64f")
        run("conntrack", "-F", ns="xlat")


def t_err_ptb_4to6():
    """IPv6 link MTU 1400: a 1450-byte IPv4 packet with DF gets fragmentation
    needed with MTU 1380 from the translator's IPv6 stack, translated."""
    _, _, me = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"open", src=("::", 44100))
    port4 = [x for x in sessions("udp") if x["port6"] == 44100][0]["port4"]
    run("ip", "-n", "xlat", "link", "set", "to_c6", "mtu", "1400", check=True)
    tap4 = Tap("s4", "eth0")
    try:
        tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL, flags="DF") /
                  UDP(sport=5000, dport=port4) / (b"D" * 1422))
        f = tap4.recv(is_icmp4(3))
    finally:
        tap4.close()
        run("ip", "-n", "xlat", "link", "set", "to_c6", "mtu", "1500", check=True)
    if f is None:
        return "no fragmentation needed arrived"
    raw = f[14:]
    if raw[21] != 4 or int.from_bytes(raw[26:28], "big") != 1380:
        return "code %d mtu %d" % (raw[21], int.from_bytes(raw[26:28], "big"))
    if inet_csum(bytes(raw[20:])) != 0:
        return "checksum"


def t_pool_exhausted():
    """Four UDP ports in pool4: the fifth and sixth flows are refused, quickly,
    and a refused host gets ICMPv6 address unreachable."""
    ctl_ok("pool4", "del", POOL, "udp")
    ctl_ok("pool4", "add", POOL, "udp", "ports", "2000-2003")
    try:
        before = counter("drop_pool4_exhausted")
        answered = 0
        t0 = time.time()
        for i in range(6):
            try:
                udp_query("c6", socket.AF_INET6, S4_6, 5000, b"p", src=("::", 45000 + i),
                          timeout=1)
                answered += 1
            except socket.timeout:
                pass
        ports = sorted(b["port4"] for b in ctlj("bib", "show", "udp"))
        if answered != 4 or ports != [2000, 2001, 2002, 2003]:
            return "answered %d, bindings on ports %s" % (answered, ports)
        if counter("drop_pool4_exhausted") - before != 2:
            return "drop_pool4_exhausted +%d" % (counter("drop_pool4_exhausted") - before)
        # RFC 6146 3.5.1.1: the refused host hears of it
        with netns("c6"):
            u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        try:
            u.bind(("::", 45009))
            f = capture("c6", "eth0", lambda d: is_icmp6(1)(d) and d[55] == 3 and
                        d[62 + 40:62 + 42] == (45009).to_bytes(2, "big"),
                        lambda: u.sendto(b"p", (S4_6, 5000)))
        finally:
            u.close()
        if f is None:
            return "no ICMPv6 address unreachable for a flow refused"
    finally:
        ctl_ok("pool4", "del", POOL, "udp")
        ctl_ok("pool4", "add", POOL, "udp")


def t_paired_pooling():
    """pool4 of 8 addresses: every flow of a subscriber (udp from any port,
    tcp, ping) leaves from one address; with subscriber-prefix-len 128, 8
    hosts of one /64 spread over the pool, each on its own address for all
    its flows (RFC 4787 REQ-2, RFC 6888 REQ-2)."""
    pool = "203.0.113.8/29"
    hosts = ["2001:db8:6::%x" % i for i in range(0x10, 0x18)]
    ctl_ok("session", "flush")
    ctl_ok("pool4", "del", POOL)
    ctl_ok("pool4", "add", pool)
    for h in hosts:
        run("ip", "-n", "c6", "addr", "add", h + "/64", "dev", "eth0", "nodad", check=True)
    try:
        before = counter("bib_unpaired")
        seen = set()
        for i in range(12):
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"pair", src=("::", 46000 + i))
            seen.add(udp.peers[-1][0])
        ok, _ = tcp_send("c6", socket.AF_INET6, S4_6, 8080, 100000)
        seen.add(tcp.peers[-1][0] if ok else "tcp failed")
        r = run("ping", "-6", "-c", "1", "-W", "3", S4_6, ns="c6")
        seen.update(x["addr4"] for x in sessions("icmp") if x["addr6"] == C6)
        if r.returncode or len(seen) != 1 or not next(iter(seen)).startswith("203.0.113."):
            return "one host, 14 flows: pool4 addresses %s (ping rc %d)" % (seen, r.returncode)
        # the other hosts of c6's /64 are the same subscriber
        for i, h in enumerate(hosts[:3]):
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"pair", src=(h, 46100 + i))
            if udp.peers[-1][0] not in seen:
                return "%s, same /64: %s, not %s" % (h, udp.peers[-1][0], seen)
        ctl_ok("session", "flush")
        ctl_ok("config", "set", "subscriber-prefix-len", "128")
        per_host = {}
        for i, h in enumerate(hosts):
            for j in range(3):
                udp_query("c6", socket.AF_INET6, S4_6, 5000, b"pair", src=(h, 47000 + 10 * i + j))
                per_host.setdefault(h, set()).add(udp.peers[-1][0])
        if any(len(v) != 1 for v in per_host.values()):
            return "subscriber-prefix-len 128: a host on several addresses: %s" % per_host
        used = set().union(*per_host.values())
        if len(used) < 2:
            return "8 subscribers all on %s" % used
        if counter("bib_unpaired") != before:
            return "bib_unpaired +%d" % (counter("bib_unpaired") - before)
        # two addresses of four ports: once the subscriber's four are taken,
        # its further bindings go to the other address, counted
        ctl_ok("session", "flush")
        ctl_ok("pool4", "flush")
        ctl_ok("pool4", "add", "203.0.113.8/31", "udp", "ports", "2000-2003")
        got = []
        for i in range(6):
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"full", src=("::", 46200 + i))
            got.append(udp.peers[-1][0])
        if len(set(got[:4])) != 1 or got[4] != got[5] or got[4] == got[0]:
            return "pool4 2 x 4 ports, 6 flows: %s" % got
        if counter("bib_unpaired") - before != 2:
            return "bib_unpaired +%d, not +2" % (counter("bib_unpaired") - before)
        # bib show tells which: the two on the other address
        marks = sorted((b["addr4"], b["unpaired"]) for b in ctlj("bib", "show", "udp")
                       if 46200 <= b["port6"] < 46206)
        want = sorted([(got[0], False)] * 4 + [(got[4], True)] * 2)
        if marks != want:
            return "bib show unpaired marks %s, not %s" % (marks, want)
        text = ctl("bib", "show", "udp").stdout
        if sum(" unpaired " in line for line in text.splitlines()) != 2:
            return "bib show table: %d rows of type unpaired, not 2" % sum(
                " unpaired " in line for line in text.splitlines())
    finally:
        ctl_ok("session", "flush")
        ctl_ok("config", "set", "subscriber-prefix-len", "64")
        ctl_ok("pool4", "flush")
        ctl_ok("pool4", "add", POOL)
        for h in hosts:
            run("ip", "-n", "c6", "addr", "del", h + "/64", "dev", "eth0")


def sysctl(key, val, ns="xlat"):
    run("sysctl", "-qw", "%s=%s" % (key, val), ns=ns, check=True)


def refused(ns, what, count=lambda: counter("drop_route4")):
    """A UDP query from @ns to S4 through the prefix goes unanswered and
    moves @count: None, else what went wrong."""
    before = count()
    try:
        udp_query(ns, socket.AF_INET6, S4_6, 5000, what.encode(), timeout=1)
        return "%s: answered" % what
    except socket.timeout:
        pass
    if count() - before < 1:
        return "%s: not counted (+%d)" % (what, count() - before)
    return None


def t_rp_filter():
    """Translated 6->4 packets arrive, for IPv4, on the IPv6-side interface
    with the pool4 source: loose rp_filter on an interface without IPv4
    address refuses them (drop_route4 and the kernel's IPReversePathFilter)."""
    sysctl("net.ipv4.conf.to_c6.rp_filter", 2)
    try:
        err = refused("c6", "rp_filter 2 without address")
        if err:
            return err
        nst = run("nstat", "-az", "TcpExtIPReversePathFilter", ns="xlat").stdout.split()
        if "TcpExtIPReversePathFilter" not in nst or \
                int(nst[nst.index("TcpExtIPReversePathFilter") + 1]) < 1:
            return "IPReversePathFilter not counted: %s" % nst
        # with an IPv4 address on the interface, loose passes, strict not
        run("ip", "addr", "add", "10.99.0.1/32", "dev", "to_c6", ns="xlat", check=True)
        data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"rpf2")
        if data != b"rpf2":
            return "rp_filter 2 with an address: reply %r" % data
        sysctl("net.ipv4.conf.to_c6.rp_filter", 1)
        err = refused("c6", "rp_filter 1")
        if err:
            return err
    finally:
        sysctl("net.ipv4.conf.to_c6.rp_filter", 0)
        run("ip", "addr", "del", "10.99.0.1/32", "dev", "to_c6", ns="xlat")
    data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"rpf0")
    if data != b"rpf0":
        return "rp_filter 0: reply %r" % data


def t_ipv6_disabled_ipv4_side():
    """IPv6 disabled on the IPv4 uplink (disable_ipv6=1, usual on an edge
    router): what is translated 4->6 arrives, for IPv6, on that interface and
    is still forwarded: replies, an IPv4-initiated flow to a static binding,
    an ICMPv4 error, and the time exceeded IPv6 forwarding sends about TTL 1."""
    sysctl("net.ipv6.conf.to_s4.disable_ipv6", 1)
    srv = TcpSink("c6", "::", 83, socket.AF_INET6)
    try:
        addrs = run("ip", "-n", "xlat", "-6", "addr", "show", "dev", "to_s4").stdout
        if "inet6" in addrs:
            return "to_s4 kept IPv6 addresses: %s" % addrs
        a = counter("xlat_4to6")
        try:
            data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"v6off",
                                   src=("::", 44300))
        except socket.timeout:
            return "udp reply lost, xlat_4to6 +%d" % (counter("xlat_4to6") - a)
        if data != b"v6off" or counter("xlat_4to6") - a < 1:
            return "udp reply %r, xlat_4to6 +%d" % (data, counter("xlat_4to6") - a)
        ctl_ok("bib", "add", "tcp", "[%s]:83" % C6, "%s:83" % POOL)
        try:
            ok, _ = tcp_send("s4", socket.AF_INET, POOL, 83, 200000)
        finally:
            ctl_ok("bib", "del", "tcp", "[%s]:83" % C6)
        if not ok or srv.peers[-1][0] != S4_6:
            return "ipv4-initiated tcp: ok %s, server saw %s" % (ok, srv.peers[-1:])
        with netns("c6"):
            u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        try:
            u.settimeout(3)
            u.connect((S4_6, 5999))
            u.send(b"closed")
            u.recv(100)
            return "udp to a closed port: answered"
        except ConnectionRefusedError:
            pass
        except socket.timeout:
            return "udp to a closed port: no port unreachable"
        finally:
            u.close()
        port4 = [x for x in sessions("udp") if x["port6"] == 44300][0]["port4"]
        f = capture("s4", "eth0", is_icmp4(11), lambda: four_to_six(
            UDP(sport=5000, dport=port4) / b"ttl1", lambda p: False, ttl=1, wait=0.1))
        if f is None:
            return "TTL 1: no time exceeded"
    finally:
        srv.close()
        sysctl("net.ipv6.conf.to_s4.disable_ipv6", 0)


def martian_src():
    """The kernel's in_martian_src count (/proc/net/stat/rt_cache, all CPUs)."""
    with open("/proc/net/stat/rt_cache") as f:
        rows = [ln.split() for ln in f]
    i = rows[0].index("in_martian_src")
    return sum(int(r[i], 16) for r in rows[1:])


def own_pings(own, ident):
    """Echoes with an identifier in pool4's ICMP range and no binding, to the
    box's own pool4 address: s4's ping of the box is answered, the box's own
    ping of s4 gets its reply (on a raw socket); neither is translated nor
    counted as a drop. None, else what went wrong."""
    a = stats()
    tap = Tap("s4", "eth0")
    try:
        f = capture("s4", "eth0", lambda d: d[12:14] == b"\x08\x00" and d[23] == 1 and
                    d[34] == 0 and d[38:40] == ident.to_bytes(2, "big"),
                    lambda: tap.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=own) /
                                     ICMP(type=8, id=ident, seq=1) / b"ping of the box"))
    finally:
        tap.close()
    if f is None:
        return "ping of the box with id %d: no echo reply" % ident
    with netns("xlat"):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    try:
        r.settimeout(3)
        echo = struct.pack("!BBHHH", 8, 0, 0, ident, 2) + b"the box's own ping"
        echo = echo[:2] + struct.pack("!H", inet_csum(echo)) + echo[4:]
        r.sendto(echo, (S4, 0))
        end = time.time() + 3
        while True:
            if time.time() > end:
                return "the box's own ping with id %d: no reply" % ident
            d = r.recv(2000)
            ihl = (d[0] & 15) * 4
            if d[ihl] == 0 and d[ihl + 4:ihl + 6] == ident.to_bytes(2, "big"):
                break
    except socket.timeout:
        return "the box's own ping with id %d: no reply" % ident
    finally:
        r.close()
    b = stats()
    moved = [k for k in b if k.startswith(("xlat_", "drop_")) and b[k] != a.get(k)]
    if moved:
        return "pings of and by the box moved %s" % moved


def own_errors(own, ident):
    """ICMPv4 errors to the box's own pool4 address about packets no binding
    sent (its own echo with an identifier in pool4's ICMP range, a GRE
    packet): they reach the box's stack (its raw socket sees them), neither
    translated nor counted as a drop. None, else what went wrong."""
    a = stats()
    quotes = [IP(src=own, dst=S4, ttl=1) / ICMP(type=8, id=ident, seq=7) / (b"q" * 8),
              IP(src=own, dst=S4, ttl=1, proto=47) / (b"\0" * 16)]
    with netns("xlat"):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    tap = Tap("s4", "eth0")
    try:
        r.settimeout(3)
        for q in quotes:
            tap.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=own) /
                     ICMP(type=11, code=0) / bytes(q))
            end = time.time() + 3
            while True:
                if time.time() > end:
                    raise socket.timeout
                d = r.recv(2000)
                ihl = (d[0] & 15) * 4
                if len(d) > ihl + 17 and d[ihl] == 11 and d[ihl + 8 + 9] == q.proto:
                    break
    except socket.timeout:
        return "time exceeded quoting protocol %d did not reach the box" % q.proto
    finally:
        tap.close()
        r.close()
    b = stats()
    moved = [k for k in b if k.startswith(("xlat_", "drop_")) and b[k] != a.get(k)]
    if moved:
        return "errors to the box moved %s" % moved


def t_pool4_own_address():
    """pool4 on the translator's own IPv4 address, ports above its local
    port range: translation needs accept_local on the IPv6-side interface
    (and on lo for its own traffic); its own sockets keep working."""
    own = "192.0.2.1"
    ctl_ok("session", "flush")
    ctl_ok("pool4", "del", POOL)
    ctl_ok("pool4", "add", own, "tcp", "udp", "icmp", "ports", "61001-65535")
    try:
        err = refused("c6", "without accept_local")
        if err:
            return err
        sysctl("net.ipv4.conf.to_c6.accept_local", 1)
        data, _, _ = udp_query("c6", socket.AF_INET6, S4_6, 5000, b"own")
        if data != b"own" or udp.peers[-1][0] != own or \
                not 61001 <= udp.peers[-1][1] <= 65535:
            return "udp: reply %r, server saw %s" % (data, udp.peers[-1])
        ok, _ = tcp_send("c6", socket.AF_INET6, S4_6, 8080, 1 << 20)
        if not ok or tcp.peers[-1][0] != own or not 61001 <= tcp.peers[-1][1] <= 65535:
            return "tcp: ok %s, server saw %s" % (ok, tcp.peers[-1])
        r = run("ping", "-6", "-c", "2", "-i", "0.3", "-W", "3", S4_6, ns="c6")
        if r.returncode:
            return "ping6: %s" % r.stdout[-200:]
        # the translator's own IPv4 sockets, ports from its local range
        a = stats()
        data, _, me = udp_query("xlat", socket.AF_INET, S4, 5000, b"mine")
        if data != b"mine" or udp.peers[-1] != (own, me[1]):
            return "own udp socket: reply %r from %s, server saw %s" % (data, me, udp.peers[-1])
        srv = TcpSink("xlat", own, 7000)
        try:
            ok, _ = tcp_send("s4", socket.AF_INET, own, 7000, 100000)
        finally:
            srv.close()
        if not ok:
            return "tcp to the translator's own port 7000 failed"
        err = own_pings(own, 62000) or own_errors(own, 62002)
        if err:
            return err
        # the same with wkp-global-only: s4's 192.0.2.2 is not global, but
        # pings between it and the box are the box's business
        ctl_ok("config", "set", "wkp-global-only", "1")
        try:
            err = own_pings(own, 62001)
        finally:
            ctl_ok("config", "set", "wkp-global-only", "0")
        if err:
            return "wkp-global-only 1: " + err
        b = stats()
        if b["xlat_6to4"] != a["xlat_6to4"] or b["xlat_4to6"] != a["xlat_4to6"]:
            return "the translator's own IPv4 traffic was translated"
        # its own traffic to the prefix arrives on lo, through the whole
        # receive path: refused there, it is a martian source of the kernel's
        err = refused("xlat", "own traffic without accept_local on lo", martian_src)
        if err:
            return err
        sysctl("net.ipv4.conf.lo.accept_local", 1)
        data, _, _ = udp_query("xlat", socket.AF_INET6, S4_6, 5000, b"lo")
        if data != b"lo" or udp.peers[-1][0] != own:
            return "own traffic with accept_local on lo: %r, server saw %s" % (
                data, udp.peers[-1])
        ss = ctlj("session", "show")
        if not ss or any(x["addr4"] != own for x in ss):
            return "sessions %s" % ss
    finally:
        sysctl("net.ipv4.conf.to_c6.accept_local", 0)
        sysctl("net.ipv4.conf.lo.accept_local", 0)
        ctl_ok("session", "flush")
        ctl_ok("pool4", "del", own)
        ctl_ok("pool4", "add", POOL)


def slab_active(cache):
    """Objects in use in slab cache @cache (needs slab_nomerge), or None."""
    with open("/proc/slabinfo") as f:
        for line in f:
            w = line.split()
            if w and w[0] == cache:
                return int(w[1])
    return None


def kasan():
    """KASAN holds freed objects in quarantine: slab counts do not drop."""
    with open("/proc/kallsyms") as f:
        return any(line.endswith(" kasan_save_free_info\n") or
                   line.endswith(" __asan_load8\n") for line in f)


def t_big_dump():
    """3000 sessions: the dump spans many netlink messages and lists each once;
    once flushed, GC frees them after a grace period (slab objects in use;
    not under KASAN, whose quarantine keeps freed objects counted)."""
    ctl_ok("session", "flush")
    if slab_active("nat64_session") is None:
        return "no nat64_session in /proc/slabinfo (boot with slab_nomerge)"
    tap = Tap("c6", "eth0")
    base = Ether(src=C6_MAC, dst=XLAT_MAC6) / IPv6(src=C6, dst=S4_6)
    for i in range(3000):
        tap.send(base / UDP(sport=20000 + i, dport=9))
    tap.close()
    time.sleep(1)
    n = ctlj("config", "show")["sessions"]
    ss = sessions("udp")
    keys = {(x["port6"], x["remote_port"]) for x in ss}
    if n != 3000 or len(ss) != 3000 or len(keys) != 3000:
        return "config %d sessions, dump %d rows, %d distinct" % (n, len(ss), len(keys))
    table = ctl("session", "show", "udp").stdout.count("\n")
    if table != 3001:
        return "table has %d lines" % table
    used = slab_active("nat64_session")
    if used < 3000:     # objects free in per-CPU slabs count as in use too
        return "slab: %d objects in use with 3000 sessions" % used
    ctl_ok("session", "flush")
    if ctlj("config", "show")["sessions"] != 0:
        return "flush left sessions"
    if kasan():
        return None
    for _ in range(50):
        time.sleep(0.1)
        freed = used - slab_active("nat64_session")
        if freed >= 2500:
            break
    else:
        return "5 s after the flush %d of 3000 session objects are freed" % freed


def t_wkp_non_global():
    """RFC 6052 3.1: with wkp-global-only, 64:ff9b:: does not carry 192.0.2.2
    (documentation, not global); a network-specific prefix does."""
    ctl_ok("config", "set", "wkp-global-only", "1")
    ctl_ok("prefix", "add", "3fff:600::/96")
    try:
        before = counter("drop_wkp_non_global")
        try:
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"wkp", src=("::", 46000), timeout=1)
            return "translated through the WKP"
        except socket.timeout:
            pass
        if counter("drop_wkp_non_global") != before + 1:
            return "drop_wkp_non_global did not count"
        data, _, _ = udp_query("c6", socket.AF_INET6, embed("3fff:600::", 96, S4), 5000,
                               b"nsp", src=("::", 46001))
        if data != b"nsp":
            return "network-specific prefix failed"
    finally:
        ctl_ok("prefix", "del", "3fff:600::/96")
        ctl_ok("config", "set", "wkp-global-only", "0")


def t_drop_external_tcp():
    srv = TcpSink("c6", "::", 82, socket.AF_INET6)
    ctl_ok("bib", "add", "tcp", "[%s]:82" % C6, "%s:82" % POOL)
    ctl_ok("config", "set", "drop-external-tcp", "1")
    try:
        before = counter("drop_external_tcp")
        try:
            tcp_send("s4", socket.AF_INET, POOL, 82, 10, timeout=2)
            return "IPv4-initiated TCP passed"
        except (socket.timeout, OSError):
            pass
        if counter("drop_external_tcp") <= before:
            return "drop_external_tcp did not count"
        ctl_ok("config", "set", "drop-external-tcp", "0")
        ok, _ = tcp_send("s4", socket.AF_INET, POOL, 82, 1000)
        if not ok:
            return "IPv4-initiated TCP refused with drop-external-tcp 0"
    finally:
        ctl_ok("config", "set", "drop-external-tcp", "0")
        ctl_ok("bib", "del", "tcp", "[%s]:82" % C6)
        srv.close()


def t_adf():
    """address-dependent-filtering: a binding answers only hosts it talks to."""
    udp_query("c6", socket.AF_INET6, S4_6, 5000, b"adf", src=("::", 44100))
    port4 = [x for x in sessions("udp") if x["port6"] == 44100][0]["port4"]
    match = lambda p: UDP in p and p[UDP].dport == 44100  # noqa: E731
    ctl_ok("config", "set", "address-dependent-filtering", "on")
    try:
        before = counter("drop_filtered")
        _, got, _ = four_to_six(UDP(sport=5000, dport=port4) / b"x", match, src=S4B, wait=1)
        if got is not None:
            return "packet from another host passed with filtering on"
        if counter("drop_filtered") != before + 1:
            return "drop_filtered did not count"
        _, got, _ = four_to_six(UDP(sport=5001, dport=port4) / b"x", match, src=S4, wait=2)
        if got is None:
            return "the host the binding talks to (another port) was filtered"
        ctl_ok("config", "set", "address-dependent-filtering", "off")
        _, got, _ = four_to_six(UDP(sport=5000, dport=port4) / b"x", match, src=S4B, wait=2)
        if got is None:
            return "filtering off: another host's packet did not pass"
    finally:
        ctl_ok("config", "set", "address-dependent-filtering", "off")


def t_syn_held():
    """An IPv4 SYN without binding is held 6 s, then port unreachable."""
    before = stats()
    tap4 = Tap("s4", "eth0")
    try:
        syn = Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL) / \
            TCP(sport=7001, dport=9100, flags="S", seq=1000)
        tap4.send(syn)
        time.sleep(1)
        mid = stats()
        if mid["syn_stored"] != before["syn_stored"] + 1:
            return "syn_stored did not count"
        f = tap4.recv(is_icmp4(3), 9)
    finally:
        tap4.close()
    after = stats()
    if f is None:
        return "no ICMP arrived within 10 s"
    raw = f[14:]
    ihl = (raw[0] & 15) * 4
    if raw[ihl + 1] != 3:
        return "ICMP code %d, not port unreachable" % raw[ihl + 1]
    inner = raw[ihl + 8:]
    if inner[16:20] != socket.inet_aton(POOL) or inner[(inner[0] & 15) * 4 + 2:][:2] != \
            (9100).to_bytes(2, "big"):
        return "the error does not quote the SYN"
    if after["drop_syn_unanswered"] != before["drop_syn_unanswered"] + 1:
        return "drop_syn_unanswered did not count"


def t_syn_simultaneous():
    """A held IPv4 SYN goes when an IPv6 SYN opens the same flow."""
    before = stats()
    tap4 = Tap("s4", "eth0")
    try:
        tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) / IP(src=S4, dst=POOL) /
                  TCP(sport=7002, dport=9101, flags="S", seq=2000))
        time.sleep(0.5)
        ctl_ok("bib", "add", "tcp", "[%s]:9101" % C6, "%s:9101" % POOL)
        _, got, _ = six_to_four(TCP(sport=9101, dport=7002, flags="S", seq=3000),
                                lambda p: TCP in p and p[TCP].dport == 7002, wait=2)
        if got is None:
            return "IPv6 SYN not translated"
        after = stats()
        if after["drop_syn_matched"] != before["drop_syn_matched"] + 1:
            return "drop_syn_matched did not count"
        if tap4.recv(is_icmp4(3), 7) is not None:
            return "port unreachable sent although the flow opened"
    finally:
        tap4.close()
        ctl("bib", "del", "tcp", "[%s]:9101" % C6)


def t_segments_left():
    """RFC 7915 5.1: routing header with segments left -> parameter problem."""
    from scapy.layers.inet6 import IPv6ExtHdrRouting
    before = counter("drop_segments_left")
    sent = []
    f = capture("c6", "eth0", is_icmp6(4), lambda: sent.append(six_to_four(
        IPv6ExtHdrRouting(addresses=["2001:db8::1"], segleft=1) / UDP(sport=41101, dport=5000),
        lambda p: UDP in p, wait=0.5)))
    if sent[0][1] is not None:
        return "translated"
    if f is None:
        return "no parameter problem"
    raw = f[14:]
    if raw[41] != 0 or int.from_bytes(raw[44:48], "big") != 43:
        return "code %d pointer %d, want 0 and 43" % (raw[41], int.from_bytes(raw[44:48], "big"))
    if counter("drop_segments_left") != before + 1:
        return "drop_segments_left did not count"


def t_source_route():
    """RFC 7915 4.1: unexpired source route -> source route failed."""
    from scapy.layers.inet import IPOption_LSRR
    before = counter("drop_source_route")
    udp_query("c6", socket.AF_INET6, S4_6, 5000, b"srr", src=("::", 44102))
    port4 = [x for x in sessions("udp") if x["port6"] == 44102][0]["port4"]
    tap4 = Tap("s4", "eth0")
    try:
        tap4.send(Ether(src=S4_MAC, dst=XLAT_MAC4) /
                  IP(src=S4, dst=POOL, options=[IPOption_LSRR(routers=["198.51.100.9"])]) /
                  UDP(sport=5000, dport=port4))
        f = tap4.recv(is_icmp4(3), 3)
    finally:
        tap4.close()
    if f is None:
        return "no ICMP"
    raw = f[14:]
    if raw[(raw[0] & 15) * 4 + 1] != 5:
        return "code %d, want 5" % raw[(raw[0] & 15) * 4 + 1]
    if counter("drop_source_route") != before + 1:
        return "drop_source_route did not count"


def t_subscriber_limit():
    """RFC 6888: max-sessions-per-subscriber refuses a subscriber's next flows."""
    ctl_ok("session", "flush")
    ctl_ok("config", "set", "max-sessions-per-subscriber", "2")
    try:
        before = counter("drop_subscriber_limit")
        for p in (44201, 44202):
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"sub", src=("::", p))
        try:
            udp_query("c6", socket.AF_INET6, S4_6, 5000, b"sub", src=("::", 44203), timeout=1)
            return "third flow passed"
        except socket.timeout:
            pass
        if counter("drop_subscriber_limit") != before + 1:
            return "drop_subscriber_limit did not count"
        r = ctl("config", "set", "subscriber-prefix-len", "128")
        if r.returncode == 0 or "flush" not in r.stderr:
            return "prefix length changed with sessions: %r" % r.stderr
        ctl_ok("session", "flush")
        ctl_ok("config", "set", "subscriber-prefix-len", "128")
        ctl_ok("config", "set", "subscriber-prefix-len", "64")
    finally:
        ctl_ok("config", "set", "max-sessions-per-subscriber", "0")


def main():
    global udp, tcp
    udp = UdpEcho("s4", "0.0.0.0", 5000)
    tcp = TcpSink("s4", "0.0.0.0", 8080)
    cases = [
        ("icmp echo 6->4->6 (ping6 64:ff9b::192.0.2.2) and its session", t_ping),
        ("udp round trip, server sees the pool4 address", t_udp),
        ("udp source port < 1024 mapped below 1024", t_udp_port_range),
        ("endpoint-independent mapping: one port, two servers, one binding", t_eim),
        ("tcp 4 MiB with offloads on, state after close V4_FIN_V6_FIN_RCV", t_tcp),
        ("udp gso both ways: four datagrams in one packet stay four; 6->4 DF by segment size", t_udp_gso),
    ] + ([("ipsec tunnel ending on the translator: forward policy checked, secpath dropped",
           t_ipsec)] if have_ipsec() else []) + [
        ("static binding: IPv4 client reaches IPv6 server", t_static_bib),
        ("prefix lengths 32 40 48 56 64 96", t_prefix_lengths),
        ("two prefixes at once, replies from the prefix used", t_several_prefixes),
        ("ipv4 ping to pool4 without binding dropped and counted", t_ping_from_v4_not_translated),
        ("traffic not for prefix or pool4 passes untouched", t_not_ours),
        ("bytes: udp 6->4 header fields, ports, checksum, payload", t_bytes_udp_6to4),
        ("bytes: udp 4->6 header fields, ports, checksum, payload", t_bytes_udp_4to6),
        ("bytes: ipv4 udp zero checksum computed for ipv6", t_bytes_udp_zero_csum_4to6),
        ("bytes: 6->4 over 1260 bytes gets DF and ID 0", t_bytes_df_large),
        ("bytes: a wrong udp checksum stays wrong", t_bytes_bad_csum),
        ("bytes: tcp syn with options, header kept, state V6_INIT", t_bytes_tcp_syn),
        ("bytes: icmpv6 echo request to icmp echo", t_bytes_icmp_echo),
        ("drop: tcp non-syn without session", t_drop_tcp_no_syn),
        ("drop: ipv6 source inside the prefix", t_drop_src_in_prefix),
        ("drop: ipv4 to pool4 without binding", t_drop_no_binding),
        ("icmp error 4->6: port unreachable, inner packet, ECONNREFUSED", t_err_port_unreach_4to6),
        ("icmp error 6->4: port unreachable from the IPv6 host", t_err_port_unreach_6to4),
        ("icmp error: hop limit 1 answered with time exceeded", t_err_time_exceeded),
        ("icmp error: fragmentation needed 1400 -> packet too big 1420", t_err_ptb),
        ("icmp error: ipv6 mtu 1400 -> fragmentation needed 1380", t_err_ptb_4to6),
        ("fragmented 3000-byte udp both ways, reassembled and refragmented", t_fragments),
        ("fragmented udp both ways with conntrack in the translator's namespace",
         t_fragments_conntrack),
        ("icmp error without session dropped and counted", t_err_no_session),
        ("icmp error about an icmp error dropped and counted", t_err_about_error),
        ("firewall: ipv4 forward rule blocks translated traffic to one host only", t_fw_forward_drop),
        ("firewall: ct state established works both ways, new only from ipv6", t_fw_stateful),
        ("nat44 masquerade on the ipv4 side keeps translation working", t_nat44),
        ("the translator's own traffic to the prefix is translated", t_own_traffic),
        ("nat64ctl errors carry the kernel's message", t_errors),
        ("session expiry with udp-timeout 2", t_expiry),
        ("max-sessions 3 refuses new flows and counts them", t_max_sessions),
        ("rfc 6052 3.1: well-known prefix refuses non-global ipv4", t_wkp_non_global),
        ("drop-external-tcp refuses ipv4-initiated tcp, off lets it pass", t_drop_external_tcp),
        ("pool4 of four ports: further flows refused, counted, told address unreachable", t_pool_exhausted),
        ("paired pooling: one pool4 address per subscriber, subscribers spread", t_paired_pooling),
        ("rp_filter on the ipv6 side: 2 without ipv4 address and 1 refuse, counted", t_rp_filter),
        ("pool4 on the translator's own address: accept_local, own sockets", t_pool4_own_address),
        ("ipv6 disabled on the ipv4 side: 4->6 still forwarded", t_ipv6_disabled_ipv4_side),
        ("session dump of 3000 entries across messages, then flush", t_big_dump),
        ("address-dependent-filtering on/off", t_adf),
        ("ipv4 syn without binding held 6 s, then port unreachable", t_syn_held),
        ("held ipv4 syn discarded when an ipv6 syn opens the flow", t_syn_simultaneous),
        ("routing header with segments left: parameter problem, pointer", t_segments_left),
        ("ipv4 source route: source route failed", t_source_route),
        ("max-sessions-per-subscriber and subscriber-prefix-len", t_subscriber_limit),
        ("counters: stats show lists named drops, drop_other 0", t_counters_named),
    ]
    only = os.environ.get("E2E_ONLY")
    for name, fn in cases:
        if only and not re.search(only, name):
            continue
        R.case(name, fn)
    udp.close()
    tcp.close()
    return R.summary()


if __name__ == "__main__":
    sys.exit(main())
