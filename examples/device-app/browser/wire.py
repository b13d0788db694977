#!/usr/bin/env python3
"""Raw HTTP/1.1 over TCP against a device serving the app (the firmware under QEMU, or
the host build): what a browser full of other apps' cookies, and a peer that frames
requests its own way, send. The same cases as the host build's Rust tests
(`tests/host.rs`), for a device reached through a URL.

    wire.py --url http://127.0.0.1:8080/
    wire.py --url https://127.0.0.1:8443/ --plain-url http://127.0.0.1:8080/

- a 16 KiB `Cookie` header, the session among 300 foreign cookies: 200, signed in,
  and the page lists none of the foreign cookies;
- each head two parsers could frame differently: 400 and a closed connection;
- a NUL inside a cookie name: 400, never read as the session;
- keep-alive: a POST with a body that looks like a head, then a second request on the
  same connection: 303, then 200.

Over https (the TLS session unverified: the device's certificate is self-signed) the
session is `__Host-sessionid`; with `--plain-url`, the same device's plain http, one
case more: a session made over plain http, sent over https under the https session's
name (a cookie planted over http), never signs anyone in.

Prints one line per case and `N passed, N failed`; exits 1 if any failed.
"""

import argparse
import re
import socket
import ssl
import sys
import urllib.parse

TIMEOUT = 10.0
MAX_REPLY = 256 * 1024
# The session cookie of each scheme (the device app's policy).
SESSION = {"http": "sessionid", "https": "__Host-sessionid"}


def device(url):
    """The address and scheme of the device at `url`."""
    url = urllib.parse.urlsplit(url)
    return (url.hostname, url.port or (443 if url.scheme == "https" else 80)), url.scheme


def send(target, raw):
    """Sends `raw` as it is on a new connection (TLS for https, unverified); reads until
    the device closes it."""
    addr, scheme = target
    with socket.create_connection(addr, timeout=TIMEOUT) as conn:
        if scheme == "https":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn = context.wrap_socket(conn)
        conn.sendall(raw)
        chunks, size = [], 0
        while size < MAX_REPLY:
            try:
                chunk = conn.recv(65536)
            except ssl.SSLError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks).decode("utf-8", "replace")


def statuses(answer):
    return [int(code) for code in re.findall(r"HTTP/1\.1 (\d{3}) ", answer)]


def set_cookies(answer):
    """The name=value of every Set-Cookie of `answer`."""
    found = re.findall(r"(?im)^set-cookie: *([^=;\r\n]+)=([^;\r\n]*)", answer)
    return dict(found)


def sign_in(addr):
    """A session and its CSRF token, through the page and the sign-in form."""
    name = SESSION[addr[1]]
    page = send(addr, b"GET / HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
    token = set_cookies(page)["csrftoken"]
    body = f"username=admin&password=admin&csrfmiddlewaretoken={token}"
    raw = (f"POST /login HTTP/1.1\r\nHost: d\r\nCookie: csrftoken={token}\r\n"
           "Content-Type: application/x-www-form-urlencoded\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}")
    cookies = set_cookies(send(addr, raw.encode()))
    return cookies[name], cookies["csrftoken"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the device's page")
    parser.add_argument("--plain-url", help="the same device over plain http, with an https --url")
    args = parser.parse_args()
    addr = device(args.url)
    name = SESSION[addr[1]]
    results = []

    def case(name, ok, detail):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)

    session, token = sign_in(addr)

    foreign = [f"foreign_app_{i:03}={'f' * 40}" for i in range(300)]
    cookies = "; ".join(foreign[:150] + [f"{name}={session}", f"csrftoken={token}"] + foreign[150:])
    raw = f"GET / HTTP/1.1\r\nHost: d\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n"
    answer = send(addr, raw.encode())
    signed, listed = 'id="signed-in"' in answer, "foreign_app" in answer
    case("a 16 KiB Cookie header, the session among 300 foreign cookies",
         statuses(answer) == [200] and signed and not listed,
         f"{len(cookies)} B of cookies, status {statuses(answer)}, signed in {signed}, "
         f"foreign cookies listed {listed}")

    refused = [
        b"POST /consent HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
        b"POST /consent HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST /consent HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc",
        b"POST /consent HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\nCookie: a=1\r\n ; sessionid=x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: d\rX-Evil: 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: d\nX-Evil: 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nX-Name: a\x00b\r\n\r\n",
    ]
    for raw in refused:
        # No `Connection: close` asked: the device closes by itself.
        answer = send(addr, raw)
        shown = raw.split(b"\r\n\r\n")[0][:60]
        case(f"refused framing {shown!r}",
             statuses(answer) == [400] and "Connection: close" in answer,
             f"status {statuses(answer)}")

    raw = f"GET / HTTP/1.1\r\nHost: d\r\nCookie: {name[:5]}\0{name[5:]}={session}\r\n\r\n"
    answer = send(addr, raw.encode())
    case("a NUL inside a cookie name", statuses(answer) == [400] and "signed-in" not in answer,
         f"status {statuses(answer)}")

    body = f"choice=all&csrfmiddlewaretoken={token}&x=%0D%0ACookie:+sessionid=1"
    raw = (f"POST /consent HTTP/1.1\r\nHost: d\r\nCookie: {name}={session}; foreign=1\r\n"
           "Content-Type: application/x-www-form-urlencoded\r\n"
           f"Content-Length: {len(body)}\r\n\r\n{body}"
           "GET / HTTP/1.1\r\nHost: d\r\nCookie: cookies_preferences=1.3.psm; foreign=2\r\n"
           "Connection: close\r\n\r\n")
    answer = send(addr, raw.encode())
    case("keep-alive: a POST with a body, then a second request",
         statuses(answer) == [303, 200] and "Statistics cookies on." in answer,
         f"statuses {statuses(answer)}")

    if args.plain_url and addr[1] == "https":
        plain, _ = sign_in(device(args.plain_url))
        # The https session itself, the plain one under its own name and under the
        # https one's: only the first signs in.
        for cookie, want in [(f"{name}={session}", True), (f"sessionid={plain}", False),
                             (f"{name}={plain}", False)]:
            raw = f"GET / HTTP/1.1\r\nHost: d\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
            answer = send(addr, raw.encode())
            signed = 'id="signed-in"' in answer
            case(f"over https, {cookie.split('=')[0]}= a session {'made over https' if want else 'made over plain http'}",
                 statuses(answer) == [200] and signed == want,
                 f"status {statuses(answer)}, signed in {signed}")

    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
