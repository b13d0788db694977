#!/usr/bin/env python3
"""Drives the device's page in Debian's Chromium through chromedriver (W3C WebDriver,
spoken over HTTP with the standard library: no client to install) and checks every
cookie step in the browser's own cookie store, HttpOnly cookies included.

    check.py                      # builds and starts the host build, checks it, stops it
    check.py --url http://127.0.0.1:8080/   # checks a device already serving there
    check.py --screenshot docs/device-page.png
    check.py --lan                # Chromium reaches the device as http://device.lan:PORT/
    check.py --foreign-cookies    # the browser first holds 8 KiB of another app's cookies
    check.py --har target/visit.har   # also records the visit as a HAR file, for the audit

`--lan` maps the name device.lan to 127.0.0.1 in Chromium (`--host-resolver-rules`) and
opens the device under that name, as people reach a device (http://192.168.1.20/,
http://sensor.local/): plain http at a LAN name is not a secure origin, so Chromium keeps
no `Secure` cookie there. The device sets its cookies by the transport it serves (the
crate's `Transport`): over plain http, on any host, every cookie comes without `Secure`
and the session is `sessionid`; over https, with `Secure`, and the session is
`__Host-sessionid`. The steps assert that, on 127.0.0.1 and at a LAN name alike.

`--foreign-cookies` starts a second small server (Python's http.server, on another free
port of 127.0.0.1, stopped on exit) that sets 8 KiB of cookies; the browser visits it
under the device's host name first, and, since cookies ignore ports, brings them to the
device on every request. The steps then also check that the page lists none of them.

`--har FILE` turns on Chromium's performance log (`goog:loggingPrefs`, network events
only) and, at the end of the run, also when a step failed, writes the visit of the
device as a HAR 1.2 file through har.py, for the cookie audit
(`cargo run --example audit -- --policy examples/device-app/device.policy --har FILE`).
The foreign server's visit (`--foreign-cookies`) is left out: the log is drained after
it, so the HAR shows the foreign cookies only as the browser sends them to the device.

Prints one line per step and `N passed, N failed`; exits 1 if any step failed.
Every server it starts listens on 127.0.0.1 only and is stopped on exit.
"""

import argparse
import base64
import collections
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import har

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,960",
]

# The last lines the host build printed.
HOST_LOG = collections.deque(maxlen=60)

# How long a step waits for the page (and its beacon) to settle.
PATIENCE = 30.0

# The LAN name Chromium reaches the device under with --lan.
LAN_NAME = "device.lan"

# Whether the device is reached over https (set by main from the URL), and the name of
# its session cookie on that transport.
TLS = False
SESSION = "sessionid"

# Cookies the foreign server sets (--foreign-cookies): names, count and size.
FOREIGN_PREFIX = "foreign_"
FOREIGN_COUNT = 32
FOREIGN_BYTES = 8 * 1024


class Failed(Exception):
    """A check that did not hold."""


# --- the server under test -------------------------------------------------------


def start_host():
    """Builds and starts the host build on a free port of 127.0.0.1; gives the
    process and its URL."""
    server = subprocess.Popen(
        ["cargo", "run", "--quiet", "--bin", "host", "--", "0"],
        cwd=PACKAGE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    line = server.stdout.readline()
    prefix = "listening on "
    if not line.startswith(prefix):
        stop(server)
        raise SystemExit(f"the host build did not start: {line!r}")
    # Keep the end of its log (the app's cookie decisions) to show on failure; reading
    # it also keeps a full pipe from blocking the server.
    threading.Thread(target=HOST_LOG.extend, args=(server.stdout,), daemon=True).start()
    return server, line[len(prefix):].strip()


def stop(process):
    """Stops a process this script started, and what it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class ForeignApp(http.server.BaseHTTPRequestHandler):
    """Another app on another port of the device's host: its page sets FOREIGN_COUNT
    cookies, FOREIGN_BYTES in all as a Cookie header sends them."""

    def do_GET(self):
        self.send_response(200)
        for name, value in foreign_cookies():
            self.send_header("Set-Cookie", f"{name}={value}; Path=/; Max-Age=3600")
        body = b"<!doctype html><title>another app</title><p>another app on this host</p>"
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def foreign_cookies():
    """The foreign server's cookies: `name=value` pairs joined by `; ` make
    FOREIGN_BYTES."""
    pair = FOREIGN_BYTES // FOREIGN_COUNT - 2
    names = [f"{FOREIGN_PREFIX}{i:02}" for i in range(FOREIGN_COUNT)]
    values = ["f" * (pair - len(name) - 1) for name in names]
    # The last pair has no "; " after it: two bytes more make the total exact.
    values[-1] += "ff"
    return list(zip(names, values))


def start_foreign():
    """Serves ForeignApp on a free port of 127.0.0.1 in a thread; gives the server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ForeignApp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- WebDriver -------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One Chromium session through chromedriver, with a fresh profile."""

    ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

    def __init__(self, chromium, chromedriver, flags, performance_log=False):
        self.profile = tempfile.mkdtemp(prefix="device-app-chromium-")
        port = free_port()
        self.driver = subprocess.Popen(
            [chromedriver, f"--port={port}", "--allowed-ips=127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.session = None
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                if self._call("GET", "/status")["ready"]:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                self.quit()
                raise SystemExit("chromedriver did not start")
            time.sleep(0.1)
        options = {
            "binary": chromium,
            "args": CHROMIUM_FLAGS + flags + [f"--user-data-dir={self.profile}"],
        }
        always = {"browserName": "chrome", "goog:chromeOptions": options}
        if performance_log:
            # The network events only: har.py reads nothing else.
            always["goog:loggingPrefs"] = {"performance": "ALL"}
            options["perfLoggingPrefs"] = {"enableNetwork": True, "enablePage": False}
        caps = {"capabilities": {"alwaysMatch": always}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as e:
            raise Failed(f"WebDriver {method} {path}: {e.read().decode()[:300]}") from None

    def call(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.call("POST", "/url", {"url": url})

    def find(self, css):
        """The element for `css`, or None."""
        found = self.call("POST", "/elements", {"using": "css selector", "value": css})
        return found[0][self.ELEMENT] if found else None

    def click(self, css):
        element = self.find(css)
        if element is None:
            raise Failed(f"no {css} to click")
        self.call("POST", f"/element/{element}/click", {})

    def type(self, css, text):
        element = self.find(css)
        if element is None:
            raise Failed(f"no {css} to type into")
        self.call("POST", f"/element/{element}/value", {"text": text})

    def texts(self, css):
        found = self.call("POST", "/elements", {"using": "css selector", "value": css})
        return [self.call("GET", f"/element/{e[self.ELEMENT]}/text") for e in found]

    def all_cookies(self):
        """The browser's cookies for the page, HttpOnly ones included, by name."""
        return {c["name"]: c for c in self.call("GET", "/cookie")}

    def cookies(self):
        """The device's cookies for the page: all_cookies without the foreign server's."""
        return {n: c for n, c in self.all_cookies().items() if not n.startswith(FOREIGN_PREFIX)}

    def add_cookie(self, name, value):
        """Adds a host-only cookie for the page's host, path /, as a script or another
        port of the host could, replacing one of that name."""
        self.call("DELETE", f"/cookie/{name}")
        self.call("POST", "/cookie", {"cookie": {"name": name, "value": value, "path": "/"}})

    def script(self, source, *args):
        return self.call("POST", "/execute/async", {"script": source, "args": list(args)})

    def performance_log(self):
        """The performance log's entries since the last read (chromedriver hands out
        each once)."""
        return self.call("POST", "/se/log", {"type": "performance"})

    def screenshot(self, path):
        png = base64.b64decode(self.call("GET", "/screenshot"))
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(png)

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", "")
            except Failed:
                pass
        stop(self.driver)
        shutil.rmtree(self.profile, ignore_errors=True)


# --- the checks ------------------------------------------------------------------


# WebDriver errors that only mean the page was replaced while a condition read it
# (a form's answer arriving): the condition is read again on the new page.
NAVIGATING = ("stale element reference", "no such element")


def wait_for(what, condition):
    """Polls `condition` until it gives a true value, or fails with `what`."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            value = condition()
        except Failed as e:
            if not any(n in str(e) for n in NAVIGATING) or time.monotonic() > deadline:
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failed(f"timed out waiting for {what}")
        time.sleep(0.1)


def expect(condition, message):
    if not condition:
        raise Failed(message)


def settle(browser):
    """Waits until the page, and its beacon image, finished loading."""
    wait_for("the page to load", lambda: browser.script(
        "const done = arguments[0];"
        "const img = document.querySelector('img[src=\"/beacon\"]');"
        "done(document.readyState === 'complete' && (!img || img.complete));"))


def names(cookies):
    return sorted(cookies)


def expect_attributes(cookie, http_only, max_age, same_site="Lax"):
    """The attributes each cookie has on the transport the device serves: Secure over
    https only, whatever the host; the SameSite of its rule (Strict for the session,
    Lax for the others), Path=/, and the lifetime (Max-Age) the app wrote, within a
    minute."""
    name = cookie["name"]
    expect(cookie.get("secure") is TLS, f"{name} Secure is not {TLS}: {cookie}")
    expect(cookie.get("httpOnly") is http_only, f"{name} HttpOnly is not {http_only}: {cookie}")
    expect(cookie.get("sameSite") == same_site, f"{name} not SameSite={same_site}: {cookie}")
    expect(cookie.get("path") == "/", f"{name} path not /: {cookie}")
    left = cookie.get("expiry", 0) - time.time()
    expect(max_age - 60 < left <= max_age + 60, f"{name} expires in {left:.0f} s, not {max_age}")


def received(browser):
    """The page's list of the cookies the app received: (names, whole lines)."""
    return browser.texts("#received-cookies li code"), browser.texts("#received-cookies li")


def check(base, screenshot, flags, foreign, har_path=None):
    """Runs every step against the app at `base` in Chromium started with `flags`;
    with `foreign`, the URL of the foreign server, the browser first takes its
    cookies; with `har_path`, the visit of `base` is written there as a HAR file.
    Gives (passed, failed)."""
    results = []

    def step(title):
        def run(body):
            try:
                detail = body()
                results.append(True)
                print(f"ok    {len(results):2} {title}: {detail}", flush=True)
            except Failed as e:
                results.append(False)
                print(f"FAIL  {len(results):2} {title}: {e}", flush=True)
            except (KeyError, TypeError, ValueError) as e:
                # A cookie or element missing where a later check reads it.
                results.append(False)
                print(f"FAIL  {len(results):2} {title}: {type(e).__name__} {e}", flush=True)
        return run

    browser = Browser(ARGS.chromium, ARGS.chromedriver, flags, performance_log=bool(har_path))
    try:
        if foreign:
            browser.go(foreign)
            held = {n: c for n, c in browser.all_cookies().items() if n.startswith(FOREIGN_PREFIX)}
            size = sum(len(n) + 1 + len(c["value"]) for n, c in held.items()) + 2 * (len(held) - 1)
            print(f"the browser holds {len(held)} foreign cookies, {size} B as a Cookie header, "
                  f"for {urllib.parse.urlsplit(foreign).hostname}", flush=True)
            if len(held) != FOREIGN_COUNT:
                raise SystemExit(f"the browser kept {len(held)} foreign cookies, not {FOREIGN_COUNT}")
            if har_path:
                # Not the device's doing: the HAR starts with the device's first page.
                browser.performance_log()
        browser.go(base)
        settle(browser)

        @step("first visit shows the banner and stores only necessary cookies")
        def _():
            expect(browser.find("#consent.banner"), "no consent banner")
            expect(browser.find("#accept-all") and browser.find("#necessary-only"),
                   "banner without its choices")
            expect(browser.find("input[type=checkbox][name=statistics]"),
                   "no statistics choice in the banner")
            rows = browser.texts("#policy-table tbody tr")
            expect(len(rows) == 6, f"policy table has {len(rows)} rows, not 6")
            cookies = browser.cookies()
            expect(names(cookies) == ["csrftoken"], f"cookies: {names(cookies)}")
            expect_attributes(cookies["csrftoken"], http_only=False, max_age=31_449_600)
            browser.screenshot(screenshot)
            return f"cookies {names(cookies)}, banner and 6-row policy table, screenshot {screenshot}"

        def necessary_only():
            """Answers the banner with 'necessary only'; gives the cookies after it."""
            browser.click("#necessary-only")
            wait_for("the banner to go", lambda: browser.find("#consent-given"))
            settle(browser)
            cookies = browser.cookies()
            consent = cookies.get("cookies_preferences", {}).get("value")
            expect(consent == "1.3.", f"consent cookie {consent!r}, not '1.3.'")
            return cookies, consent

        @step("'necessary only' stores the consent cookie without grants")
        def _():
            cookies, consent = necessary_only()
            expect_attributes(cookies["cookies_preferences"], http_only=False, max_age=15_724_800)
            expect("_stats_id" not in cookies, "statistics cookie without consent")
            return f"cookies_preferences={consent}, cookies {names(cookies)}"

        @step("a cookie the policy does not declare never reaches the app")
        def _():
            browser.add_cookie("tracker", "1")
            browser.go(base)
            settle(browser)
            stored = browser.cookies()
            expect("tracker" in stored, "the browser did not keep the added cookie")
            names_, lines = received(browser)
            expect("tracker" not in names_, f"the app received it: {lines}")
            undeclared = [line for line in lines if "(undeclared)" in line]
            expect(not undeclared, f"the app received undeclared cookies: {undeclared}")
            foreign_ = [n for n in names_ if n.startswith(FOREIGN_PREFIX)]
            expect(not foreign_, f"the app received the foreign cookies: {foreign_}")
            expect("csrftoken" in names_ and "cookies_preferences" in names_,
                   f"the app lacks its own cookies: {lines}")
            browser.call("DELETE", "/cookie/tracker")
            return f"browser sent tracker, app received {names_}"

        @step("'accept all' stores the consent cookie with every grant, then the statistics cookie")
        def _():
            browser.call("DELETE", "/cookie/cookies_preferences")
            browser.go(base)
            settle(browser)
            expect(browser.find("#consent.banner"), "no banner once the consent cookie is gone")
            expect("_stats_id" not in browser.cookies(), "statistics cookie before consent")
            browser.click("#accept-all")
            wait_for("the banner to go", lambda: browser.find("#consent-given"))
            settle(browser)
            cookies = wait_for("the statistics cookie",
                               lambda: (c := browser.cookies()) and "_stats_id" in c and c)
            consent = cookies["cookies_preferences"]["value"]
            expect(consent == "1.3.psm", f"consent cookie {consent!r}, not '1.3.psm'")
            expect_attributes(cookies["_stats_id"], http_only=False, max_age=7_862_400)
            return f"cookies_preferences={consent}, _stats_id stored"

        @step("sign-in stores the session and csrftoken with the policy's attributes")
        def _():
            before = browser.cookies()["csrftoken"]["value"]
            browser.type("#login input[name=username]", "admin")
            browser.type("#login input[name=password]", "admin")
            browser.click("#sign-in")
            wait_for("the signed-in page", lambda: browser.find("#signed-in"))
            cookies = browser.cookies()
            expect(SESSION in cookies, f"no {SESSION}: {names(cookies)}")
            expect_attributes(cookies[SESSION], http_only=True, max_age=3600, same_site="Strict")
            expect_attributes(cookies["csrftoken"], http_only=False, max_age=31_449_600)
            expect(cookies["csrftoken"]["value"] != before, "CSRF token not rotated")
            secure = " Secure" if TLS else ""
            return f"{SESSION} HttpOnly{secure} SameSite=Strict 1 h, csrftoken rotated"

        @step("a POST without the CSRF token is refused")
        def _():
            status = browser.script(
                "const done = arguments[0];"
                "fetch('/logout', {method: 'POST', body: new URLSearchParams(),"
                " credentials: 'same-origin', redirect: 'manual'})"
                ".then(r => done(r.status), e => done(String(e)));")
            expect(status == 403, f"status {status}, not 403")
            browser.go(base)
            settle(browser)
            expect(browser.find("#signed-in"), "the refused POST signed the session out")
            expect(SESSION in browser.cookies(), "the refused POST removed the session")
            return "403, still signed in"

        @step("withdrawing consent removes the statistics cookie")
        def _():
            browser.click("#withdraw")
            wait_for("the withdrawal", lambda: "_stats_id" not in browser.cookies())
            settle(browser)
            cookies = browser.cookies()
            consent = cookies.get("cookies_preferences", {}).get("value")
            expect(consent == "1.3.", f"consent cookie {consent!r}, not '1.3.'")
            expect("_stats_id" not in cookies, "statistics cookie back after the beacon")
            return f"cookies_preferences={consent}, cookies {names(cookies)}"

        @step("the language switch stores django_language")
        def _():
            browser.script(
                "const done = arguments[0];"
                "document.querySelector('select[name=language]').value = 'de'; done(true);")
            browser.click("#language button")
            wait_for("the German page", lambda: browser.texts("h1") == ["Gerätestatus"])
            cookies = browser.cookies()
            lang = cookies.get("django_language", {}).get("value")
            expect(lang == "de", f"django_language {lang!r}")
            expect_attributes(cookies["django_language"], http_only=False, max_age=31_536_000)
            return "django_language=de, title Gerätestatus"

        @step("sign-out removes the session")
        def _():
            browser.click("#sign-out")
            wait_for("the sign-in form", lambda: browser.find("#login"))
            cookies = browser.cookies()
            expect(SESSION not in cookies, f"session still stored: {names(cookies)}")
            return f"cookies {names(cookies)}"

        @step("a planted csrftoken runs no script and is replaced by one the device made")
        def _():
            planted = "\"><svg/onload=document.title='injected'>"
            browser.add_cookie("csrftoken", planted)
            expect(browser.cookies().get("csrftoken", {}).get("value") == planted,
                   "the browser did not keep the planted cookie")
            browser.go(base)
            settle(browser)
            title = browser.script("arguments[0](document.title);")
            expect(not browser.find("svg") and title != "injected",
                   f"the planted markup is in the page (title {title!r})")
            token = browser.cookies().get("csrftoken", {}).get("value")
            expect(token and token != planted, f"csrftoken not replaced: {token!r}")
            field = browser.script("arguments[0](document.querySelector("
                                   "'input[name=csrfmiddlewaretoken]').value);")
            expect(field == token, f"the form carries {field!r}, the cookie {token!r}")
            return f"no script ran, csrftoken replaced ({len(token)} characters)"

        @step("a consent of an earlier revision: 'necessary only' removes the statistics cookie")
        def _():
            browser.add_cookie("cookies_preferences", "1.1.psm")
            browser.add_cookie("_stats_id", "0123456789abcdef0123456789abcdef")
            browser.go(base)
            settle(browser)
            expect(browser.find("#consent.banner"), "no banner for a consent of revision 1")
            cookies, consent = necessary_only()
            expect("_stats_id" not in cookies, f"statistics cookie left: {names(cookies)}")
            return f"cookies_preferences={consent}, cookies {names(cookies)}"
    finally:
        try:
            if har_path:
                write_har(browser, har_path)
        finally:
            browser.quit()
    return results.count(True), results.count(False)


def write_har(browser, path):
    """Writes the browser's performance log, as a HAR 1.2 file, to `path`."""
    visit = har.from_performance_log(browser.performance_log())
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(visit, f, indent=1)
        f.write("\n")
    print(f"HAR of the visit: {len(visit['log']['entries'])} entries in {path}", flush=True)


def main():
    global ARGS, TLS, SESSION
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="the device's page; without it the host build is started")
    parser.add_argument("--screenshot", default=os.path.join(PACKAGE, "target", "device-page.png"),
                        help="where to save the page with its banner")
    parser.add_argument("--lan", action="store_true",
                        help=f"reach the device as http://{LAN_NAME}:PORT/ (mapped to 127.0.0.1)")
    parser.add_argument("--foreign-cookies", action="store_true",
                        help=f"first take {FOREIGN_BYTES} B of cookies from another port of the host")
    parser.add_argument("--har", metavar="FILE",
                        help="write the visit as a HAR 1.2 file (Chromium's performance log)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ARGS = parser.parse_args()

    server = foreign = None
    base = ARGS.url
    if base is None:
        server, base = start_host()
    try:
        flags = []
        if ARGS.lan:
            flags.append(f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
            base = with_host(base, LAN_NAME)
        TLS = urllib.parse.urlsplit(base).scheme == "https"
        SESSION = "__Host-sessionid" if TLS else "sessionid"
        if TLS:
            # The device's certificate is its own, self-signed (made at its first HTTPS
            # connection): the transport, not the certificate, is what is checked here.
            flags.append("--ignore-certificate-errors")
        foreign_url = None
        if ARGS.foreign_cookies:
            foreign = start_foreign()
            foreign_url = with_port(base, foreign.server_address[1])
        print(f"checking {base} in {ARGS.chromium}"
              f"{'' if TLS else ' over plain http (cookies without Secure)'}"
              f"{f', after {foreign_url}' if foreign_url else ''}", flush=True)
        passed, failed = check(base, ARGS.screenshot, flags, foreign_url, ARGS.har)
    finally:
        if foreign is not None:
            foreign.shutdown()
            foreign.server_close()
        if server is not None:
            stop(server)
    if failed and HOST_LOG:
        print("the host build's last log lines:\n" + "".join(HOST_LOG), end="")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def with_host(url, host):
    """`url` with its host name replaced, its port kept."""
    parts = urllib.parse.urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{host}{port}"))


def with_port(url, port):
    """The root of `url`'s host on `port`."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, f"{parts.hostname}:{port}", "/", "", ""))


if __name__ == "__main__":
    main()
