#!/usr/bin/env python3
"""Turns Chromium's DevTools performance log, as chromedriver gives it, into a HAR 1.2
file for the cookie audit (`cargo run --example audit -- --policy P --har F`).
Standard library only.

The WebDriver session must be created with the performance log on:

    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:loggingPrefs": {"performance": "ALL"},
        "goog:chromeOptions": {"binary": ..., "args": [...]}}}}

then, after the visit (chromedriver hands out each log line once, so read it as often
as you like and keep every batch, in order):

    import har
    log = []
    log += browser.call("POST", "/se/log", {"type": "performance"})   # check.py's Browser
    with open("visit.har", "w") as f:
        json.dump(har.from_performance_log(log), f, indent=1)

or from the command line, with the log saved as a JSON array:

    har.py performance-log.json > visit.har

What goes in each entry: the request's URL, method and headers, and the response's
status and headers. The headers are the ones on the wire where Chromium reports them:
`Network.requestWillBeSentExtraInfo` carries the real `Cookie` header (which
`requestWillBeSent` leaves out) and `Network.responseReceivedExtraInfo` every
`Set-Cookie` line (joined by LF in one header value, as DevTools' own HAR export
writes them), which `responseReceived` may drop. A redirect is one entry per hop (the
hops share a request id: the n-th extra-info event of an id belongs to its n-th hop).
Each top-level document request opens a page whose title is its URL, as DevTools
writes it: the audit reads the page's site from it. Only http(s) and ws(s) URLs are
kept (no data: or blob:).
"""

import datetime
import json
import sys

# The DevTools methods read; every other event is skipped.
WILL_BE_SENT = "Network.requestWillBeSent"
WILL_BE_SENT_EXTRA = "Network.requestWillBeSentExtraInfo"
RECEIVED = "Network.responseReceived"
RECEIVED_EXTRA = "Network.responseReceivedExtraInfo"

KEPT_SCHEMES = ("http:", "https:", "ws:", "wss:")


def events(log):
    """The (method, params) of each DevTools event in a performance log: a list of
    chromedriver entries, each holding a JSON `message`."""
    for line in log:
        message = line.get("message") if isinstance(line, dict) else None
        if not isinstance(message, str):
            continue
        try:
            inner = json.loads(message).get("message", {})
        except (ValueError, AttributeError):
            continue
        if isinstance(inner, dict) and isinstance(inner.get("params"), dict):
            yield inner.get("method"), inner["params"]


def iso(wall_time):
    """A Unix time in seconds as HAR's ISO 8601 date and time, in UTC."""
    moment = datetime.datetime.fromtimestamp(wall_time, datetime.timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def header_list(headers):
    """DevTools' header object as HAR's list of name/value pairs."""
    return [{"name": str(name), "value": str(value)} for name, value in (headers or {}).items()]


def from_performance_log(log):
    """The HAR 1.2 dict of the requests in `log` (see the module docs)."""
    hops = []            # every request hop, in the order it was sent
    by_id = {}           # request id -> its hops
    request_extra = {}   # request id -> the headers of each requestWillBeSentExtraInfo
    response_extra = {}  # request id -> the headers of each responseReceivedExtraInfo
    pages = []
    top_frame = None
    for method, params in events(log):
        rid = params.get("requestId")
        if method == WILL_BE_SENT:
            if "redirectResponse" in params and by_id.get(rid):
                by_id[rid][-1]["response"] = params["redirectResponse"]
            request = params.get("request", {})
            hop = {"id": rid, "request": request, "response": None,
                   "wall": params.get("wallTime", 0), "page": pages[-1]["id"] if pages else None}
            is_document = params.get("type") == "Document"
            if is_document and top_frame is None:
                top_frame = params.get("frameId")
            if is_document and params.get("frameId") == top_frame \
                    and request.get("url", "").startswith(KEPT_SCHEMES):
                page = {"startedDateTime": iso(hop["wall"]), "id": f"page_{len(pages) + 1}",
                        "title": request.get("url", ""), "pageTimings": {}}
                pages.append(page)
                hop["page"] = page["id"]
            by_id.setdefault(rid, []).append(hop)
            hops.append(hop)
        elif method == WILL_BE_SENT_EXTRA:
            request_extra.setdefault(rid, []).append(params.get("headers", {}))
        elif method == RECEIVED and by_id.get(rid):
            by_id[rid][-1]["response"] = params.get("response")
        elif method == RECEIVED_EXTRA:
            response_extra.setdefault(rid, []).append(params.get("headers", {}))
    entries = []
    for hop in hops:
        url = hop["request"].get("url", "")
        if not url.startswith(KEPT_SCHEMES):
            continue
        nth = by_id[hop["id"]].index(hop)
        entries.append(entry(hop, nth, request_extra.get(hop["id"], []), response_extra.get(hop["id"], [])))
    return {"log": {"version": "1.2", "creator": {"name": "har.py (Chromium performance log)", "version": "1"},
                    "pages": pages, "entries": entries}}


def entry(hop, nth, request_extra, response_extra):
    """One HAR entry: the hop's request and response, with the wire headers of its
    extra-info events where there are some."""
    request = hop["request"]
    response = hop["response"] or {}
    request_headers = dict(request.get("headers", {}))
    if nth < len(request_extra):
        request_headers = request_extra[nth]
    response_headers = dict(response.get("headers", {}))
    if nth < len(response_extra):
        response_headers = response_extra[nth]
    protocol = response.get("protocol", "http/1.1").upper()
    location = next((v for k, v in response_headers.items() if k.lower() == "location"), "")
    entry = {
        "startedDateTime": iso(hop["wall"]),
        "time": 0,
        "request": {"method": request.get("method", "GET"), "url": request.get("url", ""),
                    "httpVersion": protocol, "cookies": [], "headers": header_list(request_headers),
                    "queryString": [], "headersSize": -1, "bodySize": -1},
        "response": {"status": response.get("status", 0), "statusText": response.get("statusText", ""),
                     "httpVersion": protocol, "cookies": [], "headers": header_list(response_headers),
                     "content": {"size": -1, "mimeType": response.get("mimeType", "")},
                     "redirectURL": location, "headersSize": -1, "bodySize": -1},
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }
    if hop["page"]:
        entry["pageref"] = hop["page"]
    return entry


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: har.py PERFORMANCE-LOG.json > visit.har")
    with open(sys.argv[1]) as f:
        log = json.load(f)
    json.dump(from_performance_log(log), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
