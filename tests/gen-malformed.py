#!/usr/bin/env python3
"""Hostile and broken mail for tests/malformed.sh, generated (never copied
from the corpus).

  gen-malformed.py cases OUTDIR [--big-mb N]   every case below
  gen-malformed.py text NUM TITLE              an advisory body (2023 style)
  gen-malformed.py head NUM TITLE NAME         its header, no Content-Type

Writes OUTDIR/NAME.eml for each case and OUTDIR/cases.tsv, one line per
case: NAME, the outcome the store must record (quarantined / ignored /
added), and what is wrong with it.  Every message has its own Message-ID
(or none, so the store keys it by sha256), so nothing is a duplicate of
another.  Advisory ids are invented: OSSA-2099-7NN, CVE-2099-NNNN.
"""
import base64
import os
import sys

DOMAIN = "malformed.example.org"


def advisory_text(num, title, product="Gizmo", cve="CVE-2099-7001"):
    """An advisory body in the 2023 style (reStructuredText sections)."""
    ident = "OSSA-2099-%03d" % num
    bar = "=" * 61
    return (
        f"{bar}\n{ident}: {title}\n{bar}\n\n"
        f":Date: March 03, 2099\n:CVE: {cve}\n\n"
        "Affects\n~~~~~~~\n"
        f"- {product}: <4.0.1, >=5.0.0 <5.2.3\n\n"
        "Description\n~~~~~~~~~~~\n"
        "Pat Inventor from Nowhere Labs reported that a crafted request\n"
        f"could make {product} reveal another tenant's widgets. Only\n"
        "deployments with the sprocket plugin enabled are affected.\n\n"
        "Patches\n~~~~~~~\n"
        f"- https://review.opendev.org/{990000 + num} (2099.1/zebra)\n\n"
        "Credits\n~~~~~~~\n"
        f"- Pat Inventor from Nowhere Labs ({cve})\n\n"
        "References\n~~~~~~~~~~\n"
        f"- https://launchpad.net/bugs/{8880000 + num}\n"
        f"- https://www.cve.org/CVERecord?id={cve}\n"
    )


def headers(num, title, name, extra=(), msgid=True, ctype=None, cte=None):
    ident = "OSSA-2099-%03d" % num
    lines = [
        "From: Invented Coordinator <vmt@example.org>",
        "To: openstack-announce@lists.example.org",
        f"Subject: [{ident}] Gizmo: {title} (CVE-2099-7001)",
        "Date: Tue, 03 Mar 2099 10:00:00 +0000",
    ]
    if msgid:
        lines.append(f"Message-ID: <{name}@{DOMAIN}>")
    lines.append("MIME-Version: 1.0")
    if ctype:
        lines.append(f"Content-Type: {ctype}")
    if cte:
        lines.append(f"Content-Transfer-Encoding: {cte}")
    lines.extend(extra)
    return "\n".join(lines) + "\n"


CASES = []


def case(outcome, what):
    def register(fn):
        CASES.append((fn.__name__.replace("_", "-"), outcome, what, fn))
        return fn
    return register


@case("quarantined", "empty file")
def empty(name):
    return b""


@case("quarantined", "binary junk, no header at all")
def binary_junk(name):
    return bytes((i * 37 + 11) % 256 for i in range(4096))


@case("quarantined", "NUL bytes inside the first header field name")
def nul_in_header_name(name):
    return b"Fr\0om: x@example.org\nSubject: nul\n\nbody\n"


@case("quarantined", "advisory cut off inside its base64 text part")
def truncated_multipart(name):
    text = advisory_text(701, "Truncated multipart")
    head = headers(701, "Truncated multipart", name,
                   ctype='multipart/mixed; boundary="cut-here"')
    body = ("\nThis is a multi-part message.\n--cut-here\n"
            "Content-Type: application/octet-stream\n\n" + "A" * 300 + "\n"
            "--cut-here\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n\n")
    enc = base64.encodebytes(text.encode()).decode()
    return (head + body + enc[: len(enc) // 3]).encode()


@case("ignored", "multipart/mixed without a boundary parameter")
def missing_boundary(name):
    head = headers(702, "Missing boundary", name, ctype="multipart/mixed")
    return (head + "\n--\nContent-Type: application/x-gizmo\n\nnot the advisory\n--\n").encode()


@case("ignored", "boundary declared but never used, no text part")
def unused_boundary(name):
    head = headers(703, "Unused boundary", name,
                   ctype='multipart/alternative; boundary="never-seen"')
    return (head + "\n" + "\x01\x02 garbage preamble\n" * 50).encode()


@case("ignored", "base64 body that is mostly invalid characters")
def bad_base64(name):
    head = headers(704, "Bad base64", name, ctype="text/plain; charset=utf-8",
                   cte="base64")
    junk = "".join("!@#$%^&*()_~`{}|" [i % 16] for i in range(76))
    body = "\n".join([junk] * 40 + ["QUJD===", "=====", "Z"]) + "\n"
    return (head + "\n" + body).encode()


@case("ignored", "quoted-printable with invalid escapes, soft breaks mid-escape")
def bad_qp(name):
    head = headers(705, "Bad quoted-printable", name,
                   ctype="text/plain; charset=utf-8", cte="quoted-printable")
    body = "".join("=ZZ=G1=\n=4=\n=" + "=%02X" % (i % 256) for i in range(500)) + "=\n="
    return (head + "\n" + body + "\n").encode()


@case("added", "a 1 MB header line before a readable advisory")
def huge_header_line(name):
    head = headers(706, "Huge header line", name, ctype="text/plain; charset=utf-8",
                   extra=["X-Junk: " + "j" * (1 << 20)])
    return (head + "\n" + advisory_text(706, "Huge header line")).encode()


@case("added", "10,000 header fields before a readable advisory")
def many_headers(name):
    extra = ["X-Filler-%d: value %d" % (i, i) for i in range(10000)]
    head = headers(707, "Ten thousand headers", name, ctype="text/plain; charset=utf-8",
                   extra=extra)
    return (head + "\n" + advisory_text(707, "Ten thousand headers")).encode()


@case("ignored", "NUL bytes scattered through a non-advisory body")
def nul_in_body(name):
    head = headers(708, "NUL bytes", name, ctype="text/plain; charset=utf-8")
    head = head.replace("Subject: [OSSA-2099-708] Gizmo:", "Subject: Re: question about")
    body = "Hello\0 world\0\0\nthis\0is not an advisory\n" * 100
    return (head + "\n" + body).encode()


@case("ignored", "invalid UTF-8 sequences in a body declared UTF-8, Subject too")
def invalid_utf8(name):
    head = headers(709, "Invalid UTF-8", name, ctype="text/plain; charset=utf-8",
                   cte="8bit").encode()
    head = head.replace(b"Subject: [OSSA-2099-709] Gizmo: Invalid UTF-8",
                        b"Subject: Release notes \xff\xfe\xc3(")
    body = b"Release of gizmo 5.2.3 \xc3\x28 \xa0\xa1 \xe2\x82 \xf0\x28\x8c\xbc\n" * 50
    return head + b"\n" + body


@case("added", "advisory declared us-ascii but sent as Latin-1 8-bit")
def lying_charset(name):
    head = headers(710, "Lying charset", name, ctype="text/plain; charset=us-ascii",
                   cte="8bit").encode()
    text = advisory_text(710, "Lying charset").replace("Pat Inventor", "P\u00e2t Inv\u00e9ntor")
    return head + b"\n" + text.encode("latin-1")


@case("ignored", "charset that does not exist, non-advisory body")
def unknown_charset(name):
    head = headers(711, "x", name, ctype="text/plain; charset=x-no-such-charset-42",
                   cte="8bit").encode()
    head = head.replace(b"Subject: [OSSA-2099-711] Gizmo: x", b"Subject: meeting notes")
    return head + b"\nAgenda \xe9\xe8 \x80\x81\x82 and more\n"


@case("ignored", "1,000-deep multipart nesting")
def deep_nesting(name):
    depth = 1000
    head = headers(712, "Deep nesting", name, ctype='multipart/mixed; boundary="b0"')
    out = [head, "\n"]
    for i in range(depth):
        out.append(f"--b{i}\nContent-Type: multipart/mixed; boundary=\"b{i + 1}\"\n\n")
    out.append(f"--b{depth}\nContent-Type: text/plain\n\n"
               + advisory_text(712, "Deep nesting") + "\n")
    for i in range(depth, -1, -1):
        out.append(f"--b{i}--\n")
    return "".join(out).encode()


@case("added", "a 2,000-byte Message-ID, past LMDB's key size limit")
def long_message_id(name):
    head = headers(715, "Long Message-ID", name, ctype="text/plain; charset=utf-8")
    head = head.replace(f"<{name}@", "<" + "m" * 2000 + "@")
    return (head + "\n" + advisory_text(715, "Long Message-ID")).encode()


@case("added", "a 1,500-byte product name and a 600-digit CVE id (index keys)")
def long_index_keys(name):
    cve = "CVE-2099-" + "7" * 600
    head = headers(716, "Long index keys", name, ctype="text/plain; charset=utf-8")
    text = advisory_text(716, "Long index keys", product="Gizmo" + "z" * 1500, cve=cve)
    return (head + "\n" + text).encode()


def big_message(name, megabytes):
    """A mailing-list question with a huge attachment: not an advisory."""
    head = headers(713, "x", name, ctype='multipart/mixed; boundary="big"')
    head = head.replace("Subject: [OSSA-2099-713] Gizmo: x", "Subject: core dump attached")
    chunk = base64.encodebytes(bytes(range(256)) * 3).decode()
    n = (megabytes << 20) // len(chunk) + 1
    return b"".join([
        (head + "\n--big\nContent-Type: text/plain\n\nSee the attached dump.\n"
         "--big\nContent-Type: application/octet-stream\n"
         "Content-Transfer-Encoding: base64\n\n").encode(),
        chunk.encode() * n,
        b"--big--\n",
    ])


@case("added", "a readable advisory without Message-ID (keyed by sha256)")
def no_message_id(name):
    head = headers(714, "No message id", name, msgid=False,
                   ctype="text/plain; charset=utf-8")
    return (head + "\n" + advisory_text(714, "No message id")).encode()


def write_cases(out, big_mb):
    os.makedirs(out, exist_ok=True)
    rows = []
    for name, outcome, what, fn in CASES:
        with open(os.path.join(out, name + ".eml"), "wb") as f:
            f.write(fn(name))
        rows.append((name, outcome, what))
    with open(os.path.join(out, "huge-message.eml"), "wb") as f:
        f.write(big_message("huge-message", big_mb))
    rows.append(("huge-message", "ignored", f"a {big_mb} MB message (huge attachment)"))
    # kept whole in quarantine: the store's map has to grow under vulnd
    with open(os.path.join(out, "huge-junk.eml"), "wb") as f:
        f.write(b"\x01" + os.urandom((big_mb << 20) - 1))
    rows.append(("huge-junk", "quarantined", f"{big_mb} MB of binary junk"))
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")


def main():
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "cases":
        big_mb = int(args[3]) if len(args) > 3 and args[2] == "--big-mb" else 50
        write_cases(args[1], big_mb)
    elif len(args) == 3 and args[0] == "text":
        sys.stdout.write(advisory_text(int(args[1]), args[2]))
    elif len(args) == 4 and args[0] == "head":
        sys.stdout.write(headers(int(args[1]), args[2], args[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
