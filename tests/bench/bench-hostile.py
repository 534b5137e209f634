#!/usr/bin/env python3
"""bench-hostile.py - how long one hostile advisory-shaped message costs.

Prints figures; never passes or fails on time.  Each message is an invented
OSSA in the reST style of tests/fixtures/mail/03-ossa-2023-style.eml whose
Affects line or Description is inflated to SIZE KiB with a shape that makes
the extractor's regular expressions scan many matches: one long version
list, dense URLs, dense CVE ids, many short lines, runs of blanks.  Each is
parsed by `vulnctl-helper --json parse` (the daemon's parse+extract) twice:
as is (PCRE2 JIT allowed) and under the kernel's
MemoryDenyWriteExecute (prctl PR_SET_MDWE, what vulnd.service sets), where
the JIT cannot run.  Extraction reads at most VULND_EXTRACT_TEXT_MAX
(64 KiB) of text, so the time stops growing past that size.

usage: tests/bench/bench-hostile.py [BUILDDIR] [SIZES_KIB...]
"""
import ctypes
import os
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
build = sys.argv[1] if len(sys.argv) > 1 else top
sizes = [int(s) for s in sys.argv[2:]] or [16, 64, 256, 1024]
helper = os.path.join(build, "client", "vulnctl-helper")
fixture = os.path.join(top, "tests", "fixtures", "mail", "03-ossa-2023-style.eml")

AFFECTS = "- Cinder: <20.2.1, >=21.0.0 <21.2.1, ==22.0.0"
DESCRIPTION = "Description\n~~~~~~~~~~~\n"


def filler(unit, size):
    return (unit * (size // len(unit) + 1))[:size]


def shapes(size):
    versions = ", ".join(">=%d.0.0 <%d.1.%d" % (i % 50, i % 50, i) for i in range(size // 18 + 1))
    yield "version list", ("affects", versions[:size])
    yield "dense URLs", ("description", filler("https://x ", size))
    yield "dense CVE ids", ("description", filler("CVE-2099-1234,", size))
    yield "short lines", ("description", filler("a line\n", size))
    yield "blank runs", ("description", filler("a \t ", size))


def message(base, where, text):
    head, body = base.split("\n\n", 1)
    if where == "affects":
        body = body.replace(AFFECTS, "- Cinder: " + text, 1)
    else:
        body = body.replace(DESCRIPTION, DESCRIPTION + text + "\n", 1)
    return head + "\n\n" + body


def no_jit():
    """Run in the child: refuse writable+executable memory, as
    MemoryDenyWriteExecute=yes does (PR_SET_MDWE, Linux 6.3+)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(65, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_MDWE)")


def run(path, mdwe):
    t = time.perf_counter()
    subprocess.run([helper, "--json", "parse", path], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, preexec_fn=no_jit if mdwe else None, check=False)
    return (time.perf_counter() - t) * 1e3


def main():
    if not os.access(helper, os.X_OK):
        sys.exit("bench-hostile: no %s (build first)" % helper)
    base = open(fixture, encoding="utf-8").read()
    try:
        run(fixture, True)
        mdwe = True
    except (OSError, subprocess.SubprocessError):
        mdwe = False
    print("vulnctl-helper --json parse, one run each, milliseconds")
    print("%-15s %8s %12s %12s" % ("shape", "KiB", "JIT", "no JIT" if mdwe else "(no MDWE)"))
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for name, (where, text) in shapes(size * 1024):
                path = os.path.join(tmp, "m.eml")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(message(base, where, text))
                jit = run(path, False)
                plain = "%12.1f" % run(path, True) if mdwe else "%12s" % "-"
                print("%-15s %8d %12.1f %s" % (name, size, jit, plain))


if __name__ == "__main__":
    main()
