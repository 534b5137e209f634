#!/usr/bin/env python3
"""Maildir alert latency: the rename of an advisory into new/ (the moment an
MTA delivers) -> vulnd's on_new hook starts, p50/p99 over N advisories
delivered one at a time to a running vulnd.

The delivery is timed inside this process (no cp/mv processes in the figure);
the hook's first act is to take the time.  Prints figures, never fails on
time: exit 1 only when vulnd does not start or a hook never runs.

usage: alert-maildir.py VULND FIXTURE WORKDIR [N=100]
  FIXTURE: an advisory message whose id is 2099-003 (the project's
  2023-style sample); each delivery gets its own id 2098-NNN.
"""
import os
import subprocess
import sys
import time

HOOK = '#!/bin/sh\nexec date +%%s%%N >"%s/hooks/$VULND_ID"\n'


def wait_for(pred, seconds):
    """Bounded polling: True as soon as pred() holds, False after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.001)
    return False


def setup(work):
    for d in ("md/new", "md/cur", "md/tmp", "hooks"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    hook = os.path.join(work, "hook")
    with open(hook, "w") as f:
        f.write(HOOK % work)
    os.chmod(hook, 0o755)
    conf = os.path.join(work, "vulnd.conf")
    with open(conf, "w") as f:
        f.write(f"[vulnd]\ndatabase = {work}/db\n[maildir]\npath = {work}/md\n"
                f"[notify]\ndbus = none\non_new = {hook}\n")
    return conf


def nonempty(path):
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def deliver_all(work, fixture, n):
    """Deliver n advisories one at a time; latencies in ms."""
    lat = []
    for i in range(1, n + 1):
        ident = f"2098-{i:03d}"
        body = fixture.replace("2099-003", ident)
        tmp = os.path.join(work, "md", "tmp", f"alert.{i}")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(body)
        hook_out = os.path.join(work, "hooks", f"OSSA-{ident}")
        t0 = time.time_ns()
        os.rename(tmp, os.path.join(work, "md", "new", f"{t0}.{i}.alert"))
        if not wait_for(lambda: nonempty(hook_out), 10):
            sys.exit(f"alert-maildir: no hook for OSSA-{ident}")
        lat.append((int(open(hook_out).read()) - t0) / 1e6)
    return lat


def pct(v, q):
    return v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    vulnd, fixture_path, work = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    fixture = open(fixture_path, encoding="utf-8").read()
    conf = setup(work)
    log = open(os.path.join(work, "log"), "w")
    proc = subprocess.Popen([vulnd, "--foreground", "--config", conf], stdout=log, stderr=log)
    try:
        logpath = os.path.join(work, "log")
        if not wait_for(lambda: "vulnd: started" in open(logpath).read(), 10):
            sys.exit("alert-maildir: vulnd did not start:\n" + open(logpath).read())
        rss0 = rss_kib(proc.pid)
        lat = deliver_all(work, fixture, n)
        rss1 = rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
    lat.sort()
    print(f"maildir alert latency rename->hook over {n}: p50 {pct(lat, 0.5):.1f} ms, "
          f"p99 {pct(lat, 0.99):.1f} ms, min {lat[0]:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"vulnd RSS: at start {rss0} KiB, after {n} advisories {rss1} KiB")


if __name__ == "__main__":
    main()
