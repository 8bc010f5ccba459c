#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the stress suites (guest side, one process per role).

  traffic.py echo [--addr A4] [--port P]
      UDP and TCP echo server on A4:P (run in the IPv4 namespace).

  traffic.py gen --dst A6[,A6...] [--port P] [--src A6] [--est N] [--new N]
                 [--tcp-new N] [--no-tcp] [--no-icmp] [--hz HZ]
                 [--duration S] [--stats FILE] [--random-src-ports]
      Runs until killed (or S seconds): per destination and tick, one
      datagram on each of N established UDP sockets (fixed source ports),
      N datagrams from fresh sockets (new flows, random source ports), one
      segment on a long-lived TCP connection (reconnected when it breaks),
      a new TCP connection every 1/N ticks and an ICMPv6 echo request.
      Every half second FILE is rewritten with one line per destination:
        DST est_tx est_rx new_tx new_rx tcp_rx tcp_conn icmp_tx icmp_rx
      (replies counted so far).

  traffic.py gen4 --dst A4[,A4...] [--udp-port P] [--hz HZ] [--duration S]
      From the IPv4 side (unsolicited): per destination and tick, a TCP
      connection attempt to a random port (a SYN without binding: held by
      the translator, then refused) and a UDP datagram from a fresh socket
      to port P (a new inbound session where a static binding exists).

  traffic.py burst --dst A6 --count N [--port P] [--src A6] [--wait S]
      N new UDP flows (one datagram each from N fresh sockets), then waits
      up to S seconds for replies; prints
        sent N answered M send_ms T
      (T: time to send them all).
"""

import argparse
import errno
import os
import random
import select
import socket
import struct
import sys
import time


def echo(args):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # bound to the server's address: replies leave from it (an unbound
    # socket would answer from the outgoing interface's address, which
    # connected clients ignore and the translator sees as a new remote)
    u.bind((args.addr, args.port))
    u.setblocking(False)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((args.addr, args.port))
    t.listen(512)
    t.setblocking(False)
    conns = set()
    while True:
        r, _, _ = select.select([u, t] + list(conns), [], [], 1.0)
        for s in r:
            if s is u:
                for _ in range(64):
                    try:
                        data, peer = u.recvfrom(2048)
                    except BlockingIOError:
                        break
                    try:
                        u.sendto(data, peer)
                    except OSError:
                        pass
            elif s is t:
                for _ in range(64):
                    try:
                        c, _ = t.accept()
                    except (BlockingIOError, OSError):
                        break
                    c.setblocking(False)
                    conns.add(c)
            else:
                try:
                    data = s.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    conns.discard(s)
                    s.close()
                    continue
                try:
                    s.send(data)
                except OSError:
                    conns.discard(s)
                    s.close()


def udp_sock(src, port=0):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setblocking(False)
    if src or port:
        s.bind((src or "::", port))
    return s


def icmp_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Target:
    def __init__(self, dst, args, idx):
        self.dst = dst
        self.args = args
        self.idx = idx
        self.est = []
        self.est_tx = self.est_rx = self.new_tx = self.new_rx = 0
        self.tcp_rx = self.tcp_conn = self.icmp_tx = self.icmp_rx = 0
        self.new = []  # (deadline, sock)
        self.tcp = None
        self.tcp_ok = False
        self.tcp_t = 0.0
        self.tcp_new = []  # (deadline, sock, state)
        self.seq = 0
        for _ in range(args.est):
            self.est.append(self.open_est())

    def open_est(self):
        """A connected UDP socket, or None while there is no route."""
        s = udp_sock(self.args.src)
        try:
            s.connect((self.dst, self.args.port))
        except OSError:
            s.close()
            return None
        return s

    def socks(self):
        out = [s for s in self.est if s is not None] + [s for _, s in self.new]
        if self.tcp is not None:
            out.append(self.tcp)
        out += [s for _, s, _ in self.tcp_new]
        return out

    def tick(self, now):
        a = self.args
        for i, s in enumerate(self.est):
            if s is None:
                self.est[i] = self.open_est()
                continue
            try:
                s.send(b"e")
                self.est_tx += 1
            except OSError:
                # an ICMP error (unreachable while unloaded) sticks to a
                # connected socket: open a new one (a new flow then)
                s.close()
                self.est[i] = self.open_est()
        for _ in range(a.new):
            try:
                s = udp_sock(a.src)
            except OSError:
                break
            try:
                s.sendto(b"n", (self.dst, a.port))
                self.new_tx += 1
                self.new.append((now + 1.0, s))
            except OSError:
                s.close()
        keep = []
        for dl, s in self.new:
            if dl < now:
                s.close()
            else:
                keep.append((dl, s))
        self.new = keep
        if a.tcp:
            self.tcp_tick(now)
        if a.icmp:
            self.seq = (self.seq + 1) & 0xFFFF
            hdr = struct.pack("!BBHHH", 128, 0, 0, 0x4e00 + self.idx, self.seq)
            try:
                ICMP6.sendto(hdr + b"stress", (self.dst, 0))
                self.icmp_tx += 1
            except OSError:
                pass

    def tcp_tick(self, now):
        if self.tcp is not None and not self.tcp_ok and now - self.tcp_t > 2.0:
            self.tcp.close()
            self.tcp = None
        if self.tcp is None:
            self.tcp = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            self.tcp.setblocking(False)
            if self.args.src:
                self.tcp.bind((self.args.src, 0))
            self.tcp_ok = False
            self.tcp_t = now
            try:
                self.tcp.connect((self.dst, self.args.port))
            except BlockingIOError:
                pass
            except OSError:
                self.tcp.close()
                self.tcp = None
        elif self.tcp_ok:
            try:
                self.tcp.send(b"t")
            except OSError:
                self.tcp.close()
                self.tcp = None
        # new connections: connect, one byte, close when echoed
        if self.args.tcp_new and (self.seq % self.args.tcp_new == 0):
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setblocking(False)
            if self.args.src:
                s.bind((self.args.src, 0))
            try:
                s.connect((self.dst, self.args.port))
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                s = None
            if s is not None:
                self.tcp_new.append((now + 2.0, s, 0))
        keep = []
        for dl, s, st in self.tcp_new:
            if dl < now:
                s.close()
            else:
                keep.append((dl, s, st))
        self.tcp_new = keep

    def readable(self, s, now):
        if s is self.tcp:
            try:
                d = s.recv(4096)
            except BlockingIOError:
                return
            except OSError:
                d = b""
            if not d:
                s.close()
                self.tcp = None
                return
            self.tcp_rx += len(d)
            return
        for i, (dl, t, st) in enumerate(self.tcp_new):
            if t is s:
                try:
                    d = s.recv(64)
                except BlockingIOError:
                    return
                except OSError:
                    d = b""
                if d:
                    self.tcp_rx += len(d)
                s.close()
                del self.tcp_new[i]
                return
        try:
            while True:
                s.recv(2048)
                if s in self.est:
                    self.est_rx += 1
                else:
                    self.new_rx += 1
        except BlockingIOError:
            pass
        except OSError:
            pass

    def writable(self, s, now):
        if s is self.tcp and not self.tcp_ok:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                s.close()
                self.tcp = None
            else:
                self.tcp_ok = True
                self.tcp_conn += 1
            return
        for i, (dl, t, st) in enumerate(self.tcp_new):
            if t is s and st == 0:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    s.close()
                    del self.tcp_new[i]
                    return
                try:
                    s.send(b"c")
                except OSError:
                    s.close()
                    del self.tcp_new[i]
                    return
                self.tcp_conn += 1
                self.tcp_new[i] = (dl, s, 1)
                return

    def want_write(self):
        out = []
        if self.tcp is not None and not self.tcp_ok:
            out.append(self.tcp)
        out += [s for _, s, st in self.tcp_new if st == 0]
        return out

    def line(self):
        return "%s %d %d %d %d %d %d %d %d" % (
            self.dst, self.est_tx, self.est_rx, self.new_tx, self.new_rx,
            self.tcp_rx, self.tcp_conn, self.icmp_tx, self.icmp_rx)


ICMP6 = None


def gen(args):
    global ICMP6
    if args.icmp:
        ICMP6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        ICMP6.setblocking(False)
        if args.src:
            ICMP6.bind((args.src, 0))
    targets = [Target(d, args, i) for i, d in enumerate(args.dst.split(","))]
    by_ip = {socket.inet_pton(socket.AF_INET6, t.dst): t for t in targets}
    period = 1.0 / args.hz
    start = time.monotonic()
    nxt = start
    last_stats = 0.0
    while True:
        now = time.monotonic()
        if args.duration and now - start >= args.duration:
            break
        if now >= nxt:
            for t in targets:
                t.tick(now)
            nxt += period
            if nxt < now:
                nxt = now + period
        if args.stats and now - last_stats >= 0.5:
            last_stats = now
            tmp = args.stats + ".tmp"
            with open(tmp, "w") as f:
                for t in targets:
                    f.write(t.line() + "\n")
            os.replace(tmp, args.stats)
        rd = [ICMP6] if ICMP6 else []
        owner = {}
        wr = []
        for t in targets:
            for s in t.socks():
                owner[s] = t
                rd.append(s)
            for s in t.want_write():
                owner[s] = t
                wr.append(s)
        try:
            r, w, _ = select.select(rd, wr, [], max(0.0, nxt - time.monotonic()))
        except (ValueError, OSError):
            continue
        now = time.monotonic()
        for s in w:
            owner[s].writable(s, now)
        for s in r:
            if s is ICMP6:
                for _ in range(64):
                    try:
                        d, peer = ICMP6.recvfrom(2048)
                    except (BlockingIOError, OSError):
                        break
                    t = by_ip.get(socket.inet_pton(socket.AF_INET6, peer[0].split("%")[0]))
                    if t and len(d) >= 8 and d[0] == 129:
                        t.icmp_rx += 1
            elif s in owner and s.fileno() >= 0:
                owner[s].readable(s, now)
    if args.stats:
        with open(args.stats, "w") as f:
            for t in targets:
                f.write(t.line() + "\n")


def gen4(args):
    dsts = args.dst.split(",")
    period = 1.0 / args.hz
    start = time.monotonic()
    pending = []  # (deadline, sock)
    while not args.duration or time.monotonic() - start < args.duration:
        now = time.monotonic()
        for d in dsts:
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.setblocking(False)
            try:
                t.connect((d, random.randint(1024, 65535)))
            except (BlockingIOError, OSError):
                pass
            pending.append((now + 1.0, t))
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.setblocking(False)
            try:
                u.sendto(b"4", (d, args.udp_port))
            except OSError:
                pass
            pending.append((now + 1.0, u))
        keep = []
        for dl, x in pending:
            if dl < now:
                x.close()
            else:
                keep.append((dl, x))
        pending = keep
        time.sleep(period)


def burst(args):
    socks = []
    t0 = time.monotonic()
    sent = 0
    for _ in range(args.count):
        try:
            s = udp_sock(args.src)
            s.sendto(b"b", (args.dst, args.port))
            socks.append(s)
            sent += 1
        except OSError as e:
            if e.errno == errno.EMFILE:
                break
    send_ms = (time.monotonic() - t0) * 1000
    answered = 0
    end = time.monotonic() + args.wait
    pending = {s.fileno(): s for s in socks}
    poll = select.poll()
    for fd in pending:
        poll.register(fd, select.POLLIN)
    while pending and time.monotonic() < end:
        for fd, _ in poll.poll(max(0, int((end - time.monotonic()) * 1000))):
            s = pending.pop(fd, None)
            if s is None:
                continue
            poll.unregister(fd)
            try:
                s.recv(64)
                answered += 1
            except OSError:
                pass
    for s in socks:
        s.close()
    print("sent %d answered %d send_ms %d" % (sent, answered, send_ms))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo")
    e.add_argument("--port", type=int, default=7000)
    e.add_argument("--addr", default="0.0.0.0")
    g = sub.add_parser("gen")
    g.add_argument("--dst", required=True)
    g.add_argument("--port", type=int, default=7000)
    g.add_argument("--src", default="")
    g.add_argument("--est", type=int, default=2)
    g.add_argument("--new", type=int, default=1)
    g.add_argument("--tcp-new", type=int, default=5)
    g.add_argument("--no-tcp", dest="tcp", action="store_false")
    g.add_argument("--no-icmp", dest="icmp", action="store_false")
    g.add_argument("--hz", type=float, default=10.0)
    g.add_argument("--duration", type=float, default=0.0)
    g.add_argument("--stats", default="")
    g4 = sub.add_parser("gen4")
    g4.add_argument("--dst", required=True)
    g4.add_argument("--udp-port", type=int, default=4000)
    g4.add_argument("--hz", type=float, default=5.0)
    g4.add_argument("--duration", type=float, default=0.0)
    b = sub.add_parser("burst")
    b.add_argument("--dst", required=True)
    b.add_argument("--port", type=int, default=7000)
    b.add_argument("--src", default="")
    b.add_argument("--count", type=int, required=True)
    b.add_argument("--wait", type=float, default=2.0)
    args = p.parse_args()
    random.seed()
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass
    {"echo": echo, "gen": gen, "gen4": gen4, "burst": burst}[args.cmd](args)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
