#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: table of medians from the guest's raw results.

    report.py DIR [--smoke]

DIR holds raw.tsv (metric, contender, round, value, note), notes.txt and
meta.txt written by tests/bench/guest.sh.  Prints one row per metric with
the median of the rounds and the spread (min-max) for each contender, the
ratios ours/plain and ours/Jool of the medians, the notes, and a last
summary line.  --smoke ends with "N passed, N failed" instead: a case
passes when it produced a number (rates and throughputs: above zero).
"""
import os
import re
import statistics
import sys
from collections import defaultdict

CONTENDERS = ["plain", "ours", "jool"]

# metric -> (label, unit, higher is better)
METRICS = {
    "est64": ("established UDP 6->4, 4 flows", "pps", True),
    "est46": ("established UDP 4->6, 4 flows", "pps", True),
    "est46_fwd6": ("  plain IPv6 forwarding s4->c6", "pps", True),
    "native64": ("native IPv6 fwd c6->s4, not translated", "pps", True),
    "est64_1cpu": ("established 6->4, one CPU (no RPS)", "pps", True),
    "est46_1cpu": ("established 4->6, one CPU (no RPS)", "pps", True),
    "new": ("new sessions 6->4 (1 per packet)", "sess/s", True),
    "new_deliv": ("  the same, packets delivered", "pps", True),
    "new_ok": ("  sessions created / delivered", "ratio", True),
    "est64_flows": ("established 6->4, 50,000 flows round robin", "pps", True),
    "est64@": ("established 6->4 with N sessions", "pps", True),
    "mem_new": ("memory/session, own binding (slab)", "B", False),
    "mem_slab@": ("memory/session (slab caches)", "B", False),
    "mem_total@": ("memory/session (MemFree drop)", "B", False),
    "tcp_on": ("TCP iperf3, offloads on", "Mbit/s", True),
    "tcp_off": ("TCP iperf3, offloads off", "Mbit/s", True),
}


def base(metric):
    return metric.split("@")[0] + "@" if "@" in metric else metric


def label(metric):
    lab, unit, _ = METRICS.get(base(metric), (metric, "", True))
    if "@" in metric:
        n = int(metric.split("@")[1])
        lab = lab.replace("N", f"{n:,}") if "N" in lab else f"{lab}, N={n:,}"
    return lab, unit


def order(metric):
    keys = list(METRICS)
    b = base(metric)
    n = int(metric.split("@")[1]) if "@" in metric else 0
    return (keys.index(b) if b in keys else len(keys), n, 0)


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ratio":
        return f"{v:.3f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}"


def cell(vals, unit):
    if not vals:
        return "-"
    med = statistics.median(vals)
    s = fmt(med, unit)
    if len(vals) > 1:
        lo, hi = min(vals), max(vals)
        spread = (hi - lo) / med * 100 if med else 0
        s += f" ±{spread / 2:.0f}%"
    return s + f" (n={len(vals)})"


def ratio(a, b):
    if not a or not b:
        return None
    mb = statistics.median(b)
    return statistics.median(a) / mb if mb else None


def load(d):
    data = defaultdict(lambda: defaultdict(list))
    notes = defaultdict(list)
    path = os.path.join(d, "raw.tsv")
    if os.path.exists(path):
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            if len(f) < 4:
                continue
            metric, cont, rnd, val = f[:4]
            try:
                data[metric][cont].append(float(val))
            except ValueError:
                continue
            if len(f) > 4 and f[4]:
                notes[(metric, cont)].append(f"r{rnd}: {f[4]}")
    return data, notes


SMOKE_CASES = [(m, c) for m in ("est64", "est46", "est64_1cpu", "est46_1cpu")
               for c in CONTENDERS] + \
    [(m, c) for m in ("new", "mem_new", "est64@10", "est64@1000", "mem_slab@1000",
                      "mem_total@1000") for c in ("ours", "jool")] + \
    [("est46_fwd6", "plain")] + \
    [("native64", c) for c in CONTENDERS] + \
    [("tcp_off", c) for c in CONTENDERS] + [("tcp_on", c) for c in ("plain", "ours")]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    smoke = "--smoke" in sys.argv
    d = args[0] if args else os.path.join(os.path.dirname(__file__), "results", "last")
    data, notes = load(d)

    meta = os.path.join(d, "meta.txt")
    if os.path.exists(meta):
        for line in open(meta):
            if not line.startswith("cmdline="):
                print(line.rstrip())
    print()
    hdr = f"{'measurement':<38} {'unit':>6}  {'plain':>20} {'nat64.ko (ours)':>20} {'Jool 4.1.9':>20} {'ours/plain':>10} {'ours/Jool':>9}"
    print(hdr)
    print("-" * len(hdr))
    summary = []
    for metric in sorted(data, key=order):
        lab, unit = label(metric)
        row = data[metric]
        rp = ratio(row.get("ours"), row.get("plain"))
        rj = ratio(row.get("ours"), row.get("jool"))
        print(f"{lab:<38} {unit:>6}  {cell(row.get('plain'), unit):>20} "
              f"{cell(row.get('ours'), unit):>20} {cell(row.get('jool'), unit):>20} "
              f"{fmt(rp, 'ratio') if rp else '-':>10} {fmt(rj, 'ratio') if rj else '-':>9}")
        if unit == "ratio":
            continue
        short = metric.replace("@", "@")
        if rp:
            summary.append(f"{short} ours/plain={rp:.2f}")
        if rj:
            summary.append(f"{short} ours/jool={rj:.2f}")
    e46, f6 = data.get("est46", {}).get("ours"), data.get("est46_fwd6", {}).get("plain")
    r6 = ratio(e46, f6)
    if r6:
        print(f"{'est46 ours / plain IPv6 forwarding':<38} {'':>6}  {'':>20} {'':>20} {'':>20} "
              f"{fmt(r6, 'ratio'):>10} {'-':>9}")
        summary.append(f"est46 ours/plain-IPv6={r6:.2f}")
    print()
    print("median of the rounds, ±half the min-max spread in % of the median; "
          "ratios are of medians.")
    print("memory: lower is better; everything else: higher is better.")

    nfile = os.path.join(d, "notes.txt")
    if os.path.exists(nfile):
        lines = [l.rstrip() for l in open(nfile) if l.strip()]
        if lines:
            print("\nnotes (counters are non-zero values after each phase):")
            for l in lines:
                print("  " + l)
    detail = [f"  {m} {c} {n}" for (m, c), ns in sorted(notes.items()) for n in ns]
    if detail and os.environ.get("BENCH_DETAIL", "1") == "1":
        print("\nper run:")
        print("\n".join(detail))

    if smoke:
        passed = failed = 0
        for m, c in SMOKE_CASES:
            vals = data.get(m, {}).get(c)
            rate = METRICS.get(base(m), ("", "", True))[1] in ("pps", "Mbit/s", "sess/s")
            ok = bool(vals) and (not rate or vals[0] > 0)
            print(f"{'ok' if ok else 'FAIL'} - {m} {c}: {vals[0] if vals else 'no number'}")
            passed += ok
            failed += not ok
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0
    print("\nsummary: " + ", ".join(summary) if summary else "\nsummary: no results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
