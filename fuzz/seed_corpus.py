#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

The seeds come from the http-state conformance data in ../shared (beside the crate
root, or /work/shared), read at fuzz time and never committed, plus a few hand-written
inputs below that reach each rule. Files are named by the SHA-1 of their content, as
libFuzzer names what it adds, so running the script twice adds nothing.

Usage: python3 fuzz/seed_corpus.py [TARGET...]   (no argument: every target)
"""

import csv
import hashlib
import json
import pathlib
import re
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
CRATE = FUZZ.parent

# Hand-written seeds: one per leniency, strict rule and limit of the Cookie header.
COOKIE_HEADERS = [
    b"sessionid=abc123; csrftoken=tok; django_language=en",
    b"evil_sid=1; sid=2;lang=en",
    b'a=1; b="q"; c=',
    b" \ta \t= \t1 \t; b=2 ",
    b";a=1;; ;b=2;",
    b"flag; =v; a=b=c",
    b'a="x; b=2',
    b"a=1, b=2",
    b"a=\xff\x80; \xc3\xa9=\xe2\x82\xac",
    b"a=1\x00; b=2",
    b"a=1; b=2\r\nX: y",
    b"a=1;  b=2",
    b"a=1; ",
    b"id=narrow; x=1; id=wide",
    b"a=1\nb=2; c=3\n\nd=\"4\"",
    b"__Host-sid=1; __Secure-x=2",
    b"a=" + b"v" * 70 + b"; b=1",
    b"; ".join(b"c%d=%d" % (i, i) for i in range(12)),
]

SET_COOKIES = [
    b"sid=abc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=lax",
    b"id=7; Domain=.Example.COM; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Max-Age=60; Priority=High; Version=1",
    b"__Host-sid=1; Secure; Path=/",
    b"__Host-x=1; Secure; Path=/; Domain=evil.example; Domain=",
    b"__Secure-id=1",
    b"=__secure-x=1; Secure",
    b"flag",
    b"=foo",
    b"=",
    b"a=1\r\nX-Evil: 1",
    b"a=1; Max-Age=-5; Max-Age=+5; Max-Age=99999999999999999999",
    b"a=1; Path=; Path=/x; SameSite=None; Partitioned;;",
    b"a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=junk",
    b"a=1; Domain=" + b"d" * 1100,
    b"n=" + b"v" * 4100,
]

# Seeds of the head filter: chunk size and output room, then a connection's bytes.
HEADS = [
    b"\x02\x03GET / HTTP/1.1\r\nHost: device.lan\r\nCookie: _ga=GA1.1.1; sessionid=s1; a=2\r\n\r\n",
    b"\x00\x00GET / HTTP/1.1\r\ncookie: a=1;b=2;; flag; =v\r\nCOOKIE: x=1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
    b"\x07\x01\r\nGET / HTTP/1.1\r\nCookie:  \t a \t= 1 \t2 \t; csrftoken=\"t\"\r\n\r\n",
    b"\x05\x05GET / HTTP/1.1\r\nCookie: _pk_id." + b"x" * 40 + b"=1; " + b"y" * 40 + b"=2\r\n\r\n",
    b"\x01\x01POST / HTTP/1.1\r\nContent-Length: 5\r\nCookie: a=1\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n",
    b"\x03\x02POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"\x03\x02GET / HTTP/1.1\r\nCookie: sessi\x00onid=1\r\n\r\n",
    b"\x03\x02GET / HTTP/1.1\r\nX: a\r\n b\r\nY: c\rd\ne\r\n\r\n",
]

POLICIES = [
    b"@revision 3\nsid | necessary | Acme | Login | front | Keeps you logged in | secure httponly\n_ga_* | statistics third-party | Google",
    b"## Device web interface\n@revision 4\nsession | necessary | Acme | Login | back | Keeps the admin logged in | secure httponly samesite=strict path=/\n"
    b"lang | preferences | Acme | Language | front | Remembers the language | max-age=1y\n"
    b"_pk_id.* | statistics anonymised | Matomo | Audience | front | Anonymous visit counts | max-age=13w\n",
    b"a | necessary\nb c | necessary\nd | tasty\ne | marketing",
    b"@undeclared report\n@undeclared block\n@revision 01\n@nope\n\"SCM*\" | marketing consent=exempt\r\n#x | necessary",
    b"_ga | statistics\n_ga_* | statistics\n_ga_X* | marketing\n_* | preferences\nx | necessary | | | front+back | | domain=example.com max-age=4294967296",
]

COOKIE_DATES = [
    b"Wed, 09-Jun-21 10:18:14 GMT",
    b"Thu Apr 18 2007 GMT 22:50:12",
    b"Sun, 06 Nov 1994 08:49:37 GMT",
    b"Mon, 01 Jan 1601 00:00:00 GMT",
    b"Fri, 31 Dec 9999 23:59:59 GMT",
    b"Tue, 29 Feb 2000 12:00:00 GMT",
    b"31 Apr 2007 00:00:00",
    b"00:00:00 29 Feb 2100",
    b"1:2:3 7th DECEMBER 99x",
    b"\x00\x00\x00\x00\x00\x00\x00\x00",
    b"\xff\xff\xff\xff\xff\xff\xff\x7f",
]


def shared():
    """The shared data folder, or None after saying it was not found."""
    for path in (CRATE.parent / "shared", pathlib.Path("/work/shared")):
        if (path / "conformance/http-state").is_dir():
            return path / "conformance/http-state"
    print("skipped: data not found: ../shared/conformance/http-state (hand-written seeds only)")
    return None


def header_lines(data, prefix):
    """The values of the `prefix` header lines of every http-state parser file."""
    if data is None:
        return []
    suffix = "-expected" if prefix == b"Cookie:" else "-test"
    out = []
    for path in sorted((data / "parser").glob("*" + suffix)):
        for line in path.read_bytes().splitlines():
            if line.startswith(prefix):
                out.append(line[len(prefix):].lstrip(b" "))
    return out


def dates(data):
    """The `test` strings of the date cases, and every `Expires=` of the parser cases."""
    if data is None:
        return []
    out = []
    for name in ("examples.json", "bsd-examples.json"):
        text = (data / "dates" / name).read_text()
        # bsd-examples.json opens with its licence as `//` lines, which JSON does not allow.
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
        out += [case["test"].encode() for case in json.loads(text)]
    for line in header_lines(data, b"Set-Cookie:"):
        out += re.findall(rb"(?i)expires=([^;]*)", line)
    return out


def open_cookie_database(data):
    """Policy texts of 20 rules each, converted from the Open Cookie Database."""
    if data is None:
        return []
    category = {"Necessary": "necessary", "Security": "necessary", "Functional": "preferences",
                "Personalization": "preferences", "Analytics": "statistics", "Marketing": "marketing"}
    path = data.parent.parent / "data/open-cookie-database/open-cookie-database.csv"
    if not path.exists():
        return []
    lines = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["Cookie / Data Key name"] + ("*" if row["Wildcard match"] == "1" else "")
            purpose = row["Description"].replace("|", "/").replace("\n", " ")
            kind = category.get(row["Category"], row["Category"].lower())
            lines.append(f"{name} | {kind} | {row['Platform']} | | | {purpose}")
    return ["\n".join(lines[i:i + 20]).encode() for i in range(0, len(lines), 20)]


def exchanges(data):
    """Inputs of the enforce target: policy, consent value, Cookie header and
    Set-Cookie line, joined by 0xFF."""
    consents = [b"1.3.ps", b"1.4.psm", b"1.1.", b"1.3.mp", b"2.3.p", b"yes"]
    headers = [b"sid=1; lang=en; _ga_1=x; _pk_id.1=y; cookies_preferences=1.4.p; ad=1"] + COOKIE_HEADERS[:4]
    lines = SET_COOKIES[:6] + [b"lang=fr; Max-Age=99999999", b"_ga_1=x; Domain=other.example", b"session=1; Max-Age=0"]
    out = []
    for i, policy in enumerate(POLICIES):
        for j, consent in enumerate(consents):
            out.append(b"\xff".join([policy, consent, headers[(i + j) % len(headers)], lines[(i + j) % len(lines)]]))
    # Every hardening a rule asks for, removals in its scope, clocks behind and
    # both transports (a fifth part: an odd first byte is plain http), each
    # reached from the start rather than left to mutation.
    policy = (b"@revision 1\n"
              b"sid | necessary | | | | | secure httponly samesite=strict max-age=1h path=/app domain=example.com\n"
              b"lang | preferences | | | | | secure samesite=lax path=/l transport=any\n"
              b"http | necessary | | | | | httponly samesite=lax transport=http\n"
              b"_* | necessary")
    hardening = [b"sid=1", b"sid=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT", b"lang=fr; SameSite=None; Secure",
                 b"sid=; Expires=Fri, 31 Dec 1999 23:59:59 GMT", b"lang=x; Max-Age=0", b"http=1; Secure",
                 b"__Host-x=1; Secure; Path=/"]
    for line in hardening:
        for transport in (b"0", b"1"):
            out.append(b"\xff".join([policy, b"1.1.p", b"sid=1; lang=fr; http=2; __Host-x=3", line, transport]))
    return out


def jar_scripts(data):
    """Scripts of the jar target: each http-state parser case stored at its URL,
    then the Cookie header asked for, as the suite's runner does."""
    out = [b"\n".join([b"uhttps://www.example.com/a/b", line, b"g", b"t3600", b"g"]) for line in SET_COOKIES]
    if data is None:
        return out
    for path in sorted((data / "parser").glob("*-test")):
        lines = [l[len(b"Set-Cookie:"):].lstrip(b" ") for l in path.read_bytes().splitlines() if l.startswith(b"Set-Cookie:")]
        out.append(b"\n".join([b"\x00", b"uhttp://home.example.org:8888/cookie-parser"] + lines + [b"g"]))
    return out


def cookie_headers(data):
    return COOKIE_HEADERS + header_lines(data, b"Cookie:")


TARGETS = {
    "cookie_header": cookie_headers,
    "cookie_lines": cookie_headers,
    "cookie_differential": cookie_headers,
    "cookie_date": lambda data: COOKIE_DATES + dates(data),
    "set_cookie": lambda data: SET_COOKIES + header_lines(data, b"Set-Cookie:"),
    "policy_load": lambda data: POLICIES + open_cookie_database(data),
    "enforce": exchanges,
    "head_filter": lambda data: HEADS,
    "jar": jar_scripts,
}

# Structured targets (their input is decoded by `arbitrary`) start from an empty
# corpus: text seeds would decode to arbitrary values anyway.
STRUCTURED = ["set_cookie_build", "cookie_writer"]


def main(names):
    data = shared()
    for name in names or list(TARGETS) + STRUCTURED:
        folder = FUZZ / "corpus" / name
        folder.mkdir(parents=True, exist_ok=True)
        seeds = set(TARGETS[name](data)) if name in TARGETS else set()
        for seed in seeds:
            (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        print(f"{name}: {len(seeds)} seeds in {folder.relative_to(CRATE)}")


if __name__ == "__main__":
    known = list(TARGETS) + STRUCTURED
    unknown = [n for n in sys.argv[1:] if n not in known]
    if unknown:
        sys.exit(f"unknown target(s): {' '.join(unknown)}; known: {' '.join(known)}")
    main(sys.argv[1:])
