#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Netlink robustness: every command with each attribute absent, of the wrong
length, out of range, duplicated, unknown or nested junk. Pass: no crash, an
error code and an extack message (or success where the request is valid)."""

import os
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nsutil import Results, netns  # noqa: E402

NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000

# include/uapi/linux/nat64.h
CMD = dict(PREFIX_ADD=1, PREFIX_DEL=2, PREFIX_GET=3, POOL4_ADD=4, POOL4_DEL=5, POOL4_GET=6,
           POOL4_FLUSH=7, BIB_ADD=8, BIB_DEL=9, BIB_GET=10, SESSION_GET=11,
           SESSION_FLUSH=12, STATS_GET=13, CONFIG_GET=14, CONFIG_SET=15)
A = dict(PREFIX6=2, PREFIX6_LEN=3, ADDR4=4, ADDR4_LEN=5, PROTO=6, PROTOS=7, PORT_MIN=8,
         PORT_MAX=9, ADDR6=10, PORT6=11, PORT4=12, REMOTE6=13, REMOTE4=14, REMOTE_PORT=15,
         TCP_STATE=16, EXPIRES_MS=17, STATIC=18, SESSIONS=19, BIBS=20, STAT_NAME=21,
         STAT_DESC=22, STAT_VALUE=23, UDP_TMO=24, TCP_EST_TMO=25, TCP_TRANS_TMO=26,
         ICMP_TMO=27, MAX_SESSIONS=28, FORCE=29, LOWEST_MTU6=40)


def attr(t, data):
    ln = 4 + len(data)
    return struct.pack("=HH", ln, t) + data + b"\0" * ((4 - ln % 4) % 4)


def u8(t, v):
    return attr(A[t], struct.pack("=B", v))


def u16(t, v):
    return attr(A[t], struct.pack("=H", v))


def u32(t, v):
    return attr(A[t], struct.pack("=I", v))


def raw(t, b):
    return attr(A[t], b)


V6 = socket.inet_pton(socket.AF_INET6, "64:ff9b::")
H6 = socket.inet_pton(socket.AF_INET6, "2001:db8:6::99")
V4 = socket.inet_aton("203.0.113.77")


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.setsockopt(270, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.s.settimeout(5)
        self.seq = 1
        fam = self.request(0x10, 3, attr(2, b"nat64\0"), version=1)  # CTRL_CMD_GETFAMILY
        assert fam[0] == 0, "family lookup failed"
        self.family = None  # attributes follow the 4-byte genl header
        p = 4
        data = fam[2]
        while p + 4 <= len(data):
            ln, t = struct.unpack_from("=HH", data, p)
            if t == 1:  # CTRL_ATTR_FAMILY_ID
                self.family = struct.unpack_from("=H", data, p + 4)[0]
            p += (ln + 3) & ~3

    def request(self, family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        """Returns (errno, extack message, first reply payload)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, flags, self.seq, 0) + body
        self.s.send(msg)
        first = b""
        while True:
            data = self.s.recv(1 << 16)
            p = 0
            while p + 16 <= len(data):
                ln, typ, fl, seq, pid = struct.unpack_from("=IHHII", data, p)
                if typ == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", data, p + 16)[0]
                    m = ""
                    if fl & 0x200:  # NLM_F_ACK_TLVS
                        q = p + 16 + 4 + (16 if fl & 0x100 else struct.unpack_from(
                            "=I", data, p + 20)[0])
                        while q + 4 <= p + ln:
                            aln, at = struct.unpack_from("=HH", data, q)
                            if aln < 4:
                                break
                            if at == NLMSGERR_ATTR_MSG:
                                m = data[q + 4:q + aln].rstrip(b"\0").decode()
                            q += (aln + 3) & ~3
                    return err, m, first
                if typ == NLMSG_DONE:
                    return 0, "", first
                if not first:
                    first = data[p + 16:p + ln]
                if not fl & 2:  # not NLM_F_MULTI: a plain reply, an ack follows
                    pass
                p += (ln + 3) & ~3

    def cmd(self, name, payload, dump=False):
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        return self.request(self.family, CMD[name], payload, flags)


R = Results()
g = None


def expect_err(name, payload, want_msg=True, dump=False):
    """want_msg: an extack message, this one if it is a string."""
    def case():
        err, msg, _ = g.cmd(name, payload, dump)
        if err == 0:
            return "accepted"
        if want_msg and not msg:
            return "error %d without extack message" % err
        if isinstance(want_msg, str) and msg != want_msg:
            return "message %r" % msg
    return case


def expect_ok(name, payload, dump=False):
    def case():
        err, msg, _ = g.cmd(name, payload, dump)
        if err:
            return "error %d: %s" % (err, msg)
    return case


def main():
    global g
    subprocess.run(["ip", "netns", "add", "nlt"], check=True)
    with netns("nlt"):
        g = Genl()
    prefix = raw("PREFIX6", V6) + u8("PREFIX6_LEN", 96)
    pool = raw("ADDR4", V4)
    bib = u8("PROTO", 6) + raw("ADDR6", H6) + u16("PORT6", 80) + raw("ADDR4", V4) + \
        u16("PORT4", 80)
    cases = [
        ("prefix add valid", expect_ok("PREFIX_ADD", prefix)),
        ("prefix add duplicate", expect_err("PREFIX_ADD", prefix)),
        ("prefix add without address", expect_err("PREFIX_ADD", u8("PREFIX6_LEN", 96))),
        ("prefix add without length", expect_err("PREFIX_ADD", raw("PREFIX6", V6))),
        ("prefix add address of 15 bytes", expect_err("PREFIX_ADD",
                                                      raw("PREFIX6", V6[:15]) + u8("PREFIX6_LEN", 96))),
        ("prefix add address of 17 bytes", expect_err("PREFIX_ADD",
                                                      raw("PREFIX6", V6 + b"\0") + u8("PREFIX6_LEN", 96))),
        ("prefix add length as u32", expect_err("PREFIX_ADD",
                                                raw("PREFIX6", V6) + u32("PREFIX6_LEN", 96))),
        ("prefix add length 129", expect_err("PREFIX_ADD",
                                             raw("PREFIX6", V6) + u8("PREFIX6_LEN", 129))),
        ("prefix add length 33", expect_err("PREFIX_ADD",
                                            raw("PREFIX6", V6) + u8("PREFIX6_LEN", 33))),
        ("prefix add unknown attribute 200", expect_err("PREFIX_ADD", prefix + attr(200, b"x"))),
        ("prefix add nested junk", expect_err("PREFIX_ADD", raw("PREFIX6", V6) + attr(
            A["PREFIX6_LEN"] | NLA_F_NESTED, attr(1, b"\1")))),
        ("prefix add output-only attribute", expect_err("PREFIX_ADD", prefix + u32("SESSIONS", 1))),
        ("prefix add duplicated attributes (last wins, valid)", expect_ok(
            "PREFIX_ADD", raw("PREFIX6", V6) + u8("PREFIX6_LEN", 32) + u8("PREFIX6_LEN", 64)
            + raw("PREFIX6", socket.inet_pton(socket.AF_INET6, "3fff:1::")))),
        ("prefix add truncated attribute header", expect_err("PREFIX_ADD", prefix + b"\x08\0"
                                                             , want_msg=False)),
        ("prefix del unknown", expect_err("PREFIX_DEL", raw("PREFIX6", V6) + u8("PREFIX6_LEN", 64))),
        ("prefix del without attributes", expect_err("PREFIX_DEL", b"")),
        ("pool4 add without address", expect_err("POOL4_ADD", b"")),
        ("pool4 add address of 3 bytes", expect_err("POOL4_ADD", raw("ADDR4", V4[:3]))),
        ("pool4 add /15", expect_err("POOL4_ADD", pool + u8("ADDR4_LEN", 15))),
        ("pool4 add /33", expect_err("POOL4_ADD", pool + u8("ADDR4_LEN", 33))),
        ("pool4 add host bits after /24", expect_err("POOL4_ADD", pool + u8("ADDR4_LEN", 24))),
        ("pool4 add protocols 0x8", expect_err("POOL4_ADD", pool + u8("PROTOS", 8))),
        ("pool4 add protocols 0", expect_err("POOL4_ADD", pool + u8("PROTOS", 0))),
        ("pool4 add only lowest port", expect_err("POOL4_ADD", pool + u16("PORT_MIN", 5))),
        ("pool4 add ports reversed", expect_err("POOL4_ADD", pool + u16("PORT_MIN", 9)
                                                + u16("PORT_MAX", 5))),
        ("pool4 add tcp port 0 only", expect_err("POOL4_ADD", pool + u8("PROTOS", 1)
                                                 + u16("PORT_MIN", 0) + u16("PORT_MAX", 0))),
        ("pool4 add valid", expect_ok("POOL4_ADD", pool)),
        ("pool4 add overlapping", expect_err("POOL4_ADD", pool + u8("PROTOS", 2))),
        ("pool4 del unknown", expect_err("POOL4_DEL", raw("ADDR4", socket.inet_aton("198.51.100.9")))),
        ("pool4 del ports other than the entry's", expect_err(
            "POOL4_DEL", pool + u8("PROTOS", 2) + u16("PORT_MIN", 1) + u16("PORT_MAX", 2))),
        ("bib add without protocol", expect_err("BIB_ADD", bib[8:])),
        ("bib add protocol 2", expect_err("BIB_ADD", u8("PROTO", 2) + bib[8:])),
        ("bib add protocol 18", expect_err("BIB_ADD", u8("PROTO", 18) + bib[8:])),
        # a length error reports the attribute's policy (its range) in the ack
        ("bib add protocol as u16", expect_err("BIB_ADD", u16("PROTO", 6) + bib[8:])),
        ("bib add without IPv4 port", expect_err("BIB_ADD", bib[:-8])),
        ("bib add IPv4 outside pool4", expect_err("BIB_ADD", u8("PROTO", 6) + raw("ADDR6", H6)
                                                  + u16("PORT6", 80) + raw("ADDR4", socket.inet_aton("198.51.100.9"))
                                                  + u16("PORT4", 80))),
        ("bib add IPv6 inside a prefix", expect_err("BIB_ADD", u8("PROTO", 6) + raw("ADDR6", V6)
                                                    + u16("PORT6", 80) + raw("ADDR4", V4) + u16("PORT4", 80))),
        ("bib add port as u32", expect_err("BIB_ADD", u8("PROTO", 6) + raw("ADDR6", H6)
                                           + u32("PORT6", 80) + raw("ADDR4", V4) + u16("PORT4", 80))),
        ("bib add valid", expect_ok("BIB_ADD", bib)),
        ("bib add same IPv6 side", expect_err("BIB_ADD", bib)),
        ("bib dump of static bindings only", lambda: (lambda r: None if r[0] == 0 and r[2]
                                                      else "error %d, first reply %r" % (r[0], r[2][:8]))(
            g.cmd("BIB_GET", attr(A["STATIC"], b""), dump=True))),
        ("bib del without port", expect_err("BIB_DEL", u8("PROTO", 6) + raw("ADDR6", H6))),
        ("bib del unknown", expect_err("BIB_DEL", u8("PROTO", 17) + raw("ADDR6", H6) + u16("PORT6", 80))),
        ("bib del valid", expect_ok("BIB_DEL", u8("PROTO", 6) + raw("ADDR6", H6) + u16("PORT6", 80))),
        ("config set udp-timeout 0", expect_err("CONFIG_SET", u32("UDP_TMO", 0))),
        ("config set udp-timeout 86401", expect_err("CONFIG_SET", u32("UDP_TMO", 86401))),
        ("config set tcp-est-timeout 2000001", expect_err("CONFIG_SET", u32("TCP_EST_TMO", 2000001))),
        ("config set max-sessions 0", expect_err("CONFIG_SET", u32("MAX_SESSIONS", 0))),
        ("config set max-sessions 2^31+1", expect_err("CONFIG_SET", u32("MAX_SESSIONS", (1 << 31) + 1))),
        ("config set timeout as u8", expect_err("CONFIG_SET", u8("ICMP_TMO", 5))),
        ("config set lowest-ipv6-mtu 1279", expect_err("CONFIG_SET", u32("LOWEST_MTU6", 1279))),
        ("config set lowest-ipv6-mtu 65536", expect_err("CONFIG_SET", u32("LOWEST_MTU6", 65536))),
        ("config set lowest-ipv6-mtu 1500", expect_ok("CONFIG_SET", u32("LOWEST_MTU6", 1500))),
        ("config set all or nothing: valid + invalid changes nothing",
         lambda: (lambda r: "udp-timeout changed" if r else None)(
             g.cmd("CONFIG_SET", u32("UDP_TMO", 77) + u32("ICMP_TMO", 0))[0] == 0 or
             b"\x4d\0\0\0" in g.cmd("CONFIG_GET", b"")[2])),
        ("config get", expect_ok("CONFIG_GET", b"")),
        ("session flush with protocol", expect_ok("SESSION_FLUSH", u8("PROTO", 17))),
        ("session flush protocol 2", expect_err("SESSION_FLUSH", u8("PROTO", 2),
                                                want_msg="protocol must be TCP, UDP or ICMP")),
        # refused in the dump's start, which has no extack on 6.1
        ("session dump protocol 2", expect_err("SESSION_GET", u8("PROTO", 2), dump=True,
                                               want_msg=False)),
        ("pool4 flush", expect_ok("POOL4_FLUSH", b"")),
        ("dumps with junk attributes", lambda: next((n for n in ("PREFIX_GET", "POOL4_GET", "BIB_GET",
                                                                "SESSION_GET", "STATS_GET")
                                                     if g.cmd(n, attr(200, b"zz"), dump=True)[0] == 0), None)),
        ("every command with an empty message", lambda: None if all(
            isinstance(g.cmd(n, b"", dump=n.endswith("_GET") and n != "CONFIG_GET")[0], int)
            for n in CMD) else "no answer"),
        ("unknown command 99", lambda: None if g.request(g.family, 99, b"")[0] else "accepted"),
        # what `genl ctrl policy` asks: every attribute's type and range
        ("policy dump of the family (CTRL_CMD_GETPOLICY)", lambda: (lambda r: None if r[0] == 0 and r[2]
                                                                    else "error %d" % r[0])(
            g.request(0x10, 10, attr(2, b"nat64\0"), NLM_F_REQUEST | NLM_F_DUMP))),
    ]
    for name, fn in cases:
        R.case("netlink: " + name, fn)
    subprocess.run(["ip", "netns", "del", "nlt"])
    return R.summary()


if __name__ == "__main__":
    sys.exit(main())
