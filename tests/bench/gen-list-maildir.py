#!/usr/bin/env python3
"""Generate a mailing-list maildir for benchmarks: N messages, one in EVERY an
advisory (built from the project's own sample advisories with fresh ids), the
rest ordinary list traffic in the shapes lists carry (plain text, quoted-
printable, multipart/alternative with HTML, base64 attachments, replies).

usage: gen-list-maildir.py DIR [N=20000] [EVERY=50] [SEED=1]
"""
import email.utils
import glob
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sorted(glob.glob(os.path.join(HERE, "..", "fixtures", "mail", "0[1-5]-*.eml")))
WORDS = ("compute volume image network identity object scheduler quota policy "
         "release stable branch patch review gate job meeting agenda proposal "
         "driver migration upgrade service endpoint token project domain role "
         "metadata placement cell conductor backport deprecation cycle").split()


def sentence(rnd, n=12):
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(rnd):
    return "\n".join(sentence(rnd) for _ in range(rnd.randint(2, 6)))


def headers(rnd, i, subject, extra=""):
    date = email.utils.formatdate(1500000000 + i * 600, usegmt=True)
    return (f"From: Person {i % 97} <person{i % 97}@example.org>\n"
            f"To: openstack-discuss@lists.example.org\n"
            f"Subject: {subject}\nDate: {date}\n"
            f"Message-ID: <bench-{i}@example.org>\n"
            f"List-Id: <openstack-discuss.lists.example.org>\nMIME-Version: 1.0\n{extra}")


def plain(rnd, i):
    body = "\n\n".join(paragraph(rnd) for _ in range(rnd.randint(1, 5)))
    return headers(rnd, i, f"[{rnd.choice(WORDS)}] {sentence(rnd, 6)}",
                   "Content-Type: text/plain; charset=utf-8\n") + "\n" + body + "\n"


def reply(rnd, i):
    quoted = "\n".join("> " + l for l in paragraph(rnd).splitlines())
    return headers(rnd, i, f"Re: [{rnd.choice(WORDS)}] {sentence(rnd, 5)}",
                   f"In-Reply-To: <bench-{max(i - 3, 0)}@example.org>\n"
                   "Content-Type: text/plain; charset=utf-8\n") + \
        f"\nOn Monday someone wrote:\n{quoted}\n\n{paragraph(rnd)}\n"


def alternative(rnd, i):
    text = paragraph(rnd)
    html = "<html><body><p>" + text.replace("\n", "<br>") + "</p></body></html>"
    b = f"b{i}"
    return headers(rnd, i, sentence(rnd, 7),
                   f'Content-Type: multipart/alternative; boundary="{b}"\n') + (
        f"\n--{b}\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{text}\n"
        f"--{b}\nContent-Type: text/html; charset=utf-8\n\n{html}\n--{b}--\n")


def attachment(rnd, i):
    import base64
    blob = base64.encodebytes(bytes(rnd.getrandbits(8) for _ in range(3000))).decode()
    b = f"m{i}"
    return headers(rnd, i, sentence(rnd, 5),
                   f'Content-Type: multipart/mixed; boundary="{b}"\n') + (
        f"\n--{b}\nContent-Type: text/plain; charset=utf-8\n\n{paragraph(rnd)}\n"
        f"--{b}\nContent-Type: application/octet-stream; name=log.gz\n"
        f"Content-Transfer-Encoding: base64\n\n{blob}--{b}--\n")


def advisory(rnd, i, samples):
    import re
    k = i // 50
    text = samples[k % len(samples)]
    # a distinct advisory id per generated advisory, in the sample's spelling
    text = re.sub(r"2099-00\d", f"{2030 + k // 900}-{k % 900 + 1:03d}", text)
    # and its own CVE ids, as real advisories have
    text = re.sub(r"CVE-2099-1(\d{3})", lambda m: f"CVE-2098-{k * 10 + int(m.group(1)) % 10 + 10000}", text)
    text = text.replace("OSSN-9901", f"OSSN-{5000 + k}")
    return text.replace("Message-ID: <sample-", f"Message-ID: <bench{i}-sample-", 1)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    samples = [open(p, encoding="utf-8").read() for p in SAMPLES]
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    kinds = (plain, plain, reply, reply, alternative, attachment)
    for i in range(n):
        msg = advisory(rnd, i, samples) if i % every == every - 1 else rnd.choice(kinds)(rnd, i)
        with open(os.path.join(out, "cur", f"{1500000000 + i}.{i}.bench:2,S"), "w",
                  encoding="utf-8") as f:
            f.write(msg)


if __name__ == "__main__":
    main()
