#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nat64ctl in the VM (run by run.sh after test_e2e.py): monitor, save and
-f, pool4 force, dns64 snippets, unprivileged callers.

Same topology and configuration as test_e2e.py: c6 (2001:db8:6::2) -- xlat
-- s4 (192.0.2.2), prefix 64:ff9b::/96, pool4 203.0.113.1. Every case
leaves xlat's configuration as it found it.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nsutil import CTL, Results, UdpEcho, ctl, ctl_ok, ctlj, embed, netns, run  # noqa: E402

C6 = "2001:db8:6::2"
S4 = "192.0.2.2"
XLAT4 = "192.0.2.1"
POOL = "203.0.113.1"
S4_6 = embed("64:ff9b::", 96, S4)
TMP = tempfile.mkdtemp(prefix="test_cli.")

R = Results()


def config(ns="xlat"):
    """What save/-f must keep: prefixes, pool4, static bindings, settings."""
    cfg = ctlj("config", "show", ns=ns)
    for k in ("sessions", "bibs"):
        cfg.pop(k, None)
    bibs = [dict(b, sessions=None) for b in ctlj("bib", "show", ns=ns) if b["static"]]
    key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    return {
        "prefix": sorted(ctlj("prefix", "show", ns=ns), key=key),
        "pool4": sorted(ctlj("pool4", "show", ns=ns), key=key),
        "bib": sorted(bibs, key=key),
        "config": cfg,
    }


def diff(a, b):
    return ["%s: %s != %s" % (k, a[k], b[k]) for k in a if a[k] != b[k]]


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def genl_joined(pid, ns="xlat"):
    """Whether a generic netlink socket of process pid is in a multicast
    group (/proc/net/netlink shows groups 0-31: nat64's is one of them)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    with netns(ns):
        with open("/proc/thread-self/net/netlink") as f:
            rows = [line.split() for line in f.readlines()[1:]]
    return any(r[1] == "16" and r[9] in inodes and int(r[3], 16) for r in rows)


def start_monitor(*args, ns="xlat", pre=()):
    """nat64ctl monitor in the background, once it listens or has exited
    (ip netns exec and setpriv take a second or two under emulation)."""
    p = subprocess.Popen(list(pre) + [CTL] + (["-n", ns] if not pre else []) +
                         ["monitor"] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.time() + 15
    while time.time() < end and p.poll() is None:
        try:
            if genl_joined(p.pid, ns):
                return p
        except OSError:
            pass
        time.sleep(0.05)
    return p


# --- (a) monitor ----------------------------------------------------------

def t_monitor():
    """monitor -j -c 4 sees the binding and session of a UDP flow come and
    go with a session flush; then the same in text form."""
    ctl_ok("session", "flush")          # nothing left to expire meanwhile
    # 192.0.2.2 is not global: the well-known prefix may not reach it
    wkp = ctlj("config", "show").get("wkp_global_only")
    if wkp:
        ctl_ok("config", "set", "wkp-global-only", "0")
    echo = UdpEcho("s4", "0.0.0.0", 5000)
    try:
        for fmt in ("json", "text"):
            port6 = 41000 if fmt == "json" else 41001
            mon = start_monitor(*(["-j"] if fmt == "json" else []), "-c", "4")
            if mon.poll() is not None:
                return "monitor exited %d: %s" % (mon.returncode, mon.stderr.read())
            with netns("c6"):
                s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            try:
                s.bind(("::", port6))
                s.settimeout(3)
                s.sendto(b"monitor", (S4_6, 5000))
                data, _ = s.recvfrom(100)
            finally:
                s.close()
            if data != b"monitor":
                return "echo %r" % data
            port4 = echo.peers[-1][1]
            ctl_ok("session", "flush")
            try:
                out, err = mon.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                mon.kill()
                out, err = mon.communicate()
                return "%s monitor did not end after 4 events: %r %r" % (fmt, out, err)
            if mon.returncode:
                return "%s monitor exited %d: %s" % (fmt, mon.returncode, err)
            lines = out.splitlines()
            if len(lines) != 4:
                return "%s: %d lines: %r" % (fmt, len(lines), out)
            if fmt == "json":
                ev = [json.loads(line) for line in lines]
                got = [(e["event"], e["reason"]) for e in ev]
                want = [("bib-add", None), ("session-add", None),
                        ("session-del", "flushed"), ("bib-del", "flushed")]
                if got != want:
                    return "events %s" % got
                for e in ev:
                    if (e["proto"], e["addr6"], e["port6"], e["addr4"], e["port4"]) != \
                            ("udp", C6, port6, POOL, port4):
                        return "event %s" % e
                    if not e["time"].endswith("Z") or abs(e["time_ms"] / 1000 - time.time()) > 60:
                        return "time %s %s" % (e["time"], e["time_ms"])
                    if time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(e["time_ms"] // 1000)) + \
                            ".%03dZ" % (e["time_ms"] % 1000) != e["time"]:
                        return "time %s vs time_ms %d" % (e["time"], e["time_ms"])
                for e in ev[1:3]:
                    if (e["remote6"], e["remote4"], e["remote_port"], e["state"]) != \
                            (S4_6, S4, 5000, None) or "expires_ms" not in e:
                        return "session event %s" % e
                if ev[0]["static"] or "sessions" not in ev[0]:
                    return "bib event %s" % ev[0]
            else:
                t6, t4 = "[%s]:%d" % (C6, port6), "%s:%d" % (POOL, port4)
                r6, r4 = "[%s]:5000" % S4_6, "%s:5000" % S4
                want = ["bib add udp %s %s" % (t6, t4),
                        "session add udp %s %s %s %s" % (t6, r6, t4, r4),
                        "session del udp %s %s %s %s reason flushed" % (t6, r6, t4, r4),
                        "bib del udp %s %s reason flushed" % (t6, t4)]
                for line, w in zip(lines, want):
                    stamp, _, rest = line.partition(" ")
                    if rest != w or len(stamp) != 24 or not stamp.endswith("Z"):
                        return "line %r, want TIME %r" % (line, w)
    finally:
        echo.close()
        if wkp:
            ctl("config", "set", "wkp-global-only", str(wkp))


# --- (b) save, then -f into a fresh namespace -----------------------------

def t_save_restore():
    """save of xlat (with a static binding and a second prefix) applied with
    -f to a fresh namespace gives the same configuration, and its save."""
    ctl_ok("bib", "add", "tcp", "[%s]:8081" % C6, "%s:8081" % POOL)
    ctl_ok("prefix", "add", "2001:db8:64::/96")
    with netns("c6"):   # and a dynamic binding, which save leaves out
        u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.sendto(b"dyn", (S4_6, 5000))
    u.close()
    ns_made = False
    try:
        r = ctl("save")
        if r.returncode:
            return "save: %s" % r.stderr
        text = r.stdout
        body = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
        bibs = ctlj("bib", "show")
        if not [x for x in bibs if not x["static"]] or \
                len([ln for ln in body if ln.startswith("bib add")]) != \
                len([x for x in bibs if x["static"]]):
            return "bindings %s, save:\n%s" % (bibs, text)
        if body[0] != "flush":
            return "first line %r" % body[0]
        for want in ("prefix add 64:ff9b::/96", "prefix add 2001:db8:64::/96",
                     "pool4 add %s/32 tcp ports 1-65535" % POOL,
                     "pool4 add %s/32 icmp ports 0-65535" % POOL,
                     "bib add tcp [%s]:8081 %s:8081" % (C6, POOL)):
            if want not in body:
                return "no %r in save output:\n%s" % (want, text)
        if not any(ln.startswith("config set udp-timeout ") for ln in body):
            return "no config set line:\n%s" % text
        path = write("saved.conf", text)
        run("ip", "netns", "add", "t1", check=True)
        ns_made = True
        r = ctl("dns64", "unbound", ns="t1")
        if r.returncode != 1 or "no prefix" not in r.stderr:
            return "dns64 without prefix: %d %r" % (r.returncode, r.stderr)
        for i in range(2):              # twice: "flush" makes it repeatable
            r = run(CTL, "-n", "t1", "-f", path)
            if r.returncode:
                return "-f of the saved file: %s" % r.stderr
        a, b = config("xlat"), config("t1")
        if a != b:
            return "t1 differs: %s" % "; ".join(diff(a, b))
        if ctl("save", ns="t1").stdout != text:
            return "save of t1 differs from the file"
        # stdin, into a namespace with other state first
        ctl_ok("prefix", "add", "2001:db8:1::/48", ns="t1")
        r = subprocess.run([CTL, "-n", "t1", "-f", "-"], input=text, text=True,
                           capture_output=True)
        if r.returncode or config("t1") != a:
            return "-f - did not reproduce: %s" % r.stderr
    finally:
        if ns_made:
            run("ip", "netns", "del", "t1")
        ctl("bib", "del", "tcp", "[%s]:8081" % C6)
        ctl("prefix", "del", "2001:db8:64::/96")


# --- (c) all or nothing ---------------------------------------------------

def t_file_rollback():
    """-f of a file whose 3rd line the kernel refuses (prefix /33) leaves
    xlat as it was, and names FILE:3 with the kernel's message; a syntax
    error changes nothing and exits 2."""
    ctl_ok("bib", "add", "udp", "[%s]:5353" % C6, "%s:5353" % POOL)
    try:
        before = config()
        path = write("bad.conf",
                     "flush\n"
                     "config set udp-timeout 7 max-sessions 5\n"
                     "prefix add 2001:db8:200::/33\n"
                     "pool4 add 198.51.100.0/30\n")
        r = run(CTL, "-n", "xlat", "-f", path)
        after = config()
        if r.returncode != 1:
            return "exit %d: %s" % (r.returncode, r.stderr)
        if "%s:3: prefix length must be" % path not in r.stderr:
            return "stderr %r" % r.stderr
        if before != after:
            return "changed: %s" % "; ".join(diff(before, after))
        path = write("syntax.conf", "prefix add 2001:db8:300::/40\n\npool4 add 10.0.0.300\n")
        r = run(CTL, "-n", "xlat", "-f", path)
        if r.returncode != 2 or not r.stderr.startswith("nat64ctl: %s:3: " % path):
            return "syntax error: exit %d %r" % (r.returncode, r.stderr)
        if config() != before:
            return "a syntax error changed the configuration"
    finally:
        ctl("bib", "del", "udp", "[%s]:5353" % C6)


# --- (d) pool4 force --------------------------------------------------------

def t_pool4_force():
    """pool4 add of xlat's own address over its ephemeral ports is refused,
    accepted with force (and saved with force), then deleted."""
    lo, hi = run("cat", "/proc/sys/net/ipv4/ip_local_port_range", ns="xlat",
                 check=True).stdout.split()
    before = ctlj("pool4", "show")
    ports = "%d-%d" % (int(lo) - 100, int(lo) + 100)
    r = ctl("pool4", "add", XLAT4, "tcp", "udp", "ports", ports)
    if r.returncode != 1 or "ip_local_port_range" not in r.stderr:
        return "without force: exit %d %r" % (r.returncode, r.stderr)
    if ctlj("pool4", "show") != before:
        return "refused entry is in pool4"
    r = ctl("pool4", "add", XLAT4, "tcp", "udp", "ports", ports, "force")
    if r.returncode:
        return "with force: %s" % r.stderr
    try:
        mine = [e for e in ctlj("pool4", "show") if e["addr4"] == XLAT4]
        if sorted(e["proto"] for e in mine) != ["tcp", "udp"] or \
                any("%d-%d" % (e["port_min"], e["port_max"]) != ports for e in mine):
            return "pool4 %s" % mine
        save = ctl("save").stdout
        for p in ("tcp", "udp"):
            if "pool4 add %s/32 %s ports %s force" % (XLAT4, p, ports) not in save:
                return "save has no forced %s line:\n%s" % (p, save)
        if "%s/32 tcp ports 1-65535 force" % POOL in save:
            return "save forces %s, which is not the box's" % POOL
    finally:
        ctl("pool4", "del", XLAT4, "tcp", "udp")
    if ctlj("pool4", "show") != before:
        return "pool4 not restored: %s" % ctlj("pool4", "show")


def t_range_errors():
    """A value out of the kernel's range: one line on stderr, exit 1, with
    the key and the range the kernel's policy gives."""
    want = [(("config", "set", "udp-timeout", "0"), "(udp-timeout: 1-86400)"),
            (("config", "set", "max-stored-syns", "5000"), "(max-stored-syns: 0-4096)"),
            (("pool4", "add", "10.0.0.0/15"), "(pool4 length: 16-32)")]
    for args, hint in want:
        r = ctl(*args)
        lines = r.stderr.splitlines()
        if r.returncode != 1 or len(lines) != 1 or not lines[0].startswith("nat64ctl: ") or \
                not lines[0].endswith(hint):
            return "%s: exit %d %r" % (" ".join(args), r.returncode, r.stderr)


def t_pool4_del_ports():
    """pool4 del with ports removes the entry of exactly that range, with
    its bindings; the other range on the same address stays, and so do its."""
    addr = "198.51.100.77"
    ctl_ok("pool4", "add", addr, "udp", "ports", "2000-2999")
    ctl_ok("pool4", "add", addr, "udp", "ports", "3000-3999")
    try:
        ctl_ok("bib", "add", "udp", "[2001:db8:6::1]:7001", addr + ":2001")
        ctl_ok("bib", "add", "udp", "[2001:db8:6::1]:7002", addr + ":3001")
        r = ctl("pool4", "del", addr, "udp", "ports", "2000-2100")
        if r.returncode != 1 or "no such pool4 entry" not in r.stderr:
            return "range not in pool4: exit %d %r" % (r.returncode, r.stderr)
        r = ctl("pool4", "del", addr, "udp", "ports", "2000-2999")
        if r.returncode or r.stderr:
            return "del: exit %d %r" % (r.returncode, r.stderr)
        left = ["%d-%d" % (e["port_min"], e["port_max"]) for e in ctlj("pool4", "show")
                if e["addr4"] == addr]
        bibs = sorted(b["port4"] for b in ctlj("bib", "show", "udp") if b["addr4"] == addr)
        if left != ["3000-3999"] or bibs != [3001]:
            return "pool4 %s, bindings on ports %s" % (left, bibs)
    finally:
        ctl("pool4", "del", addr)
    if [b for b in ctlj("bib", "show", "udp") if b["addr4"] == addr]:
        return "bindings outlived the pool4 entry"


# --- (e) dns64 --------------------------------------------------------------

def t_dns64():
    """dns64 unbound/bind print the configured prefix; with two, unbound
    takes the first and says so, BIND gets both."""
    u = ctl("dns64", "unbound")
    b = ctl("dns64", "bind")
    if u.returncode or b.returncode:
        return "exit %d/%d: %s%s" % (u.returncode, b.returncode, u.stderr, b.stderr)
    for want in ("server:", 'module-config: "dns64 validator iterator"',
                 "dns64-prefix: 64:ff9b::/96", "RFC 6052 section 3.1"):
        if want not in u.stdout:
            return "unbound: no %r in\n%s" % (want, u.stdout)
    for want in ("options {", "dns64 64:ff9b::/96 {", "clients { any; };",
                 "!10.0.0.0/8;", "!172.16.0.0/12;", "!192.168.0.0/16;", "any; };",
                 "exclude { ::ffff:0:0/96; };"):
        if want not in b.stdout:
            return "bind: no %r in\n%s" % (want, b.stdout)
    if b.stdout.count("{") != b.stdout.count("}"):
        return "bind: unbalanced braces"
    if os.path.exists("/usr/sbin/unbound-checkconf"):
        path = write("unbound.conf", u.stdout)
        r = run("/usr/sbin/unbound-checkconf", path)
        if r.returncode:
            return "unbound-checkconf: %s%s" % (r.stdout, r.stderr)
    ctl_ok("prefix", "add", "2001:db8:64::/96")
    try:
        u = ctl("dns64", "unbound").stdout
        b = ctl("dns64", "bind").stdout
    finally:
        ctl("prefix", "del", "2001:db8:64::/96")
    if u.count("dns64-prefix:") != 1 or "unbound takes one" not in u or \
            "2001:db8:64::/96" not in u:
        return "unbound with two prefixes:\n%s" % u
    if "dns64 2001:db8:64::/96 {" not in b or "dns64 64:ff9b::/96 {" not in b or \
            b.count("mapped {") != 1:
        return "bind with two prefixes:\n%s" % b


# --- (f) unprivileged -------------------------------------------------------

NOBODY = ["ip", "netns", "exec", "xlat", "setpriv", "--reuid=65534", "--regid=65534",
          "--clear-groups"]


def t_unprivileged():
    """Without CAP_NET_ADMIN: prefix add, bib show, session show and monitor
    get "Operation not permitted" (exit 1); stats show and config show work."""
    errs = []
    for args in (["prefix", "add", "2001:db8:65::/96"], ["bib", "show"],
                 ["session", "show"]):
        r = subprocess.run(NOBODY + [CTL] + args, capture_output=True, text=True,
                           timeout=30)
        if r.returncode != 1 or "Operation not permitted" not in r.stderr:
            errs.append("%s: exit %d %r" % (" ".join(args), r.returncode, r.stderr.strip()))
    for args in (["-j", "stats", "show"], ["-j", "config", "show"]):
        r = subprocess.run(NOBODY + [CTL] + args, capture_output=True, text=True,
                           timeout=30)
        if r.returncode or not isinstance(json.loads(r.stdout or "null"), dict):
            errs.append("%s: exit %d %r" % (" ".join(args), r.returncode, r.stderr.strip()))
    mon = start_monitor("-c", "1", pre=NOBODY)
    if mon.poll() is None:
        # it joined: show what it gets (a static binding added and removed)
        ctl("bib", "add", "tcp", "[%s]:8082" % C6, "%s:8082" % POOL)
        ctl("bib", "del", "tcp", "[%s]:8082" % C6)
        try:
            out, err = mon.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            mon.kill()
            out, err = mon.communicate()
        errs.append("monitor: joined the events group unprivileged, received %r" %
                    out.strip())
    else:
        out, err = mon.communicate()
        if mon.returncode != 1 or "Operation not permitted" not in err:
            errs.append("monitor: exit %d %r" % (mon.returncode, err.strip()))
    if "2001:db8:65::" in ctl("prefix", "show").stdout:
        ctl("prefix", "del", "2001:db8:65::/96")
        errs.append("the unprivileged prefix add went through")
    return "; ".join(errs)


def main():
    start = config()
    cases = [
        ("nat64ctl monitor -j -c 4 and text: bib/session add, flush, del with reasons", t_monitor),
        ("nat64ctl save, then -f into a fresh namespace reproduces it", t_save_restore),
        ("nat64ctl -f all or nothing: kernel refusal at FILE:3 restores, syntax error changes nothing",
         t_file_rollback),
        ("nat64ctl pool4 add over the box's ephemeral ports: refused, force, saved, deleted",
         t_pool4_force),
        ("nat64ctl pool4 del ports: only that range and its bindings go", t_pool4_del_ports),
        ("nat64ctl values out of range name the key and the kernel's range", t_range_errors),
        ("nat64ctl dns64 unbound and bind with one and two prefixes", t_dns64),
        ("nat64ctl unprivileged: EPERM for admin commands and monitor, stats/config work",
         t_unprivileged),
    ]
    for name, fn in cases:
        R.case(name, fn)
    R.case("nat64ctl tests leave xlat configured as they found it",
           lambda: "; ".join(diff(start, config())))
    return R.summary()


if __name__ == "__main__":
    sys.exit(main())
