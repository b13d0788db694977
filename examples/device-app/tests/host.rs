//! The app's host build, driven over real TCP on 127.0.0.1: each test starts it on an
//! ephemeral port in a thread, sends raw HTTP/1.1 requests, and reads the answers
//! with `httparse` and the crate's `Set-Cookie` parser. Every read and write has a
//! timeout and every answer a size bound; each test stops the server it started.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use std::rc::Rc;

use device_app::host::Running;
use embedded_cookie::set_cookie::{SameSite, SetCookie};
use embedded_cookie::signed;

const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_REPLY: u64 = 64 * 1024;

struct Reply {
    status: u16,
    set_cookies: Vec<String>,
    body: String,
}

impl Reply {
    /// The one `Set-Cookie` for `name`, parsed as a browser would.
    fn cookie(&self, name: &str) -> SetCookie<'_> {
        let mut found = self.set_cookies.iter().filter_map(|line| {
            let c = SetCookie::parse(line.as_str()).unwrap();
            (c.name() == name.as_bytes()).then_some(c)
        });
        let cookie = found.next().unwrap_or_else(|| panic!("no {name} in {:?}", self.set_cookies));
        assert!(found.next().is_none(), "two {name} cookies: {:?}", self.set_cookies);
        cookie
    }

    /// Asserts the page has `element` (a piece of its markup).
    fn has(&self, element: &str) -> &Self {
        assert!(self.body.contains(element), "no {element} in:\n{}", self.body);
        self
    }

    /// Asserts the page does not have `element`.
    fn lacks(&self, element: &str) -> &Self {
        assert!(!self.body.contains(element), "{element} in:\n{}", self.body);
        self
    }
}

/// A browser with a cookie jar of name=value pairs (the app sets no Domain and only
/// `Path=/`, so that is all a jar needs to hold here).
struct Browser {
    server: Rc<Running>,
    jar: Vec<(String, String)>,
}

impl Browser {
    fn new() -> Self {
        Self { server: Rc::new(Running::start().unwrap()), jar: Vec::new() }
    }

    /// Another browser on the same device.
    fn next_to(other: &Browser) -> Self {
        Self { server: Rc::clone(&other.server), jar: Vec::new() }
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.jar.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn set(&mut self, name: &str, value: &str) {
        self.jar.retain(|(n, _)| n != name);
        self.jar.push((name.into(), value.into()));
    }

    fn led(&self) -> bool {
        self.server.state.board(|host| host.led_lit())
    }

    fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, &[], "")
    }

    /// A form POST carrying the CSRF token from the jar in the form.
    fn post_form(&mut self, path: &str, form: &str) -> Reply {
        let token = self.value("csrftoken").unwrap_or_default().to_owned();
        self.request("POST", path, &[], &format!("{form}&csrfmiddlewaretoken={token}"))
    }

    fn request(&mut self, method: &str, path: &str, extra: &[(&str, &str)], body: &str) -> Reply {
        let mut raw = format!("{method} {path} HTTP/1.1\r\nHost: device.local\r\n");
        if !self.jar.is_empty() {
            let pairs: Vec<String> = self.jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
            raw += &format!("Cookie: {}\r\n", pairs.join("; "));
        }
        for (name, value) in extra {
            raw += &format!("{name}: {value}\r\n");
        }
        if method == "POST" {
            raw += "Content-Type: application/x-www-form-urlencoded\r\n";
            raw += &format!("Content-Length: {}\r\n", body.len());
        }
        raw += "\r\n";
        raw += body;
        let reply = exchange(self.server.addr, raw.as_bytes());
        for line in &reply.set_cookies {
            let c = SetCookie::parse(line.as_str()).unwrap();
            let name = c.name_str().unwrap().to_owned();
            self.jar.retain(|(n, _)| *n != name);
            if c.max_age().is_none_or(|secs| secs > 0) {
                self.jar.push((name, c.value_str().unwrap().to_owned()));
            }
        }
        reply
    }
}

/// Sends `raw` on a new connection that asks to be closed after the answer, and
/// reads the answer.
fn exchange(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(&close_after(raw)).unwrap();
    let mut bytes = Vec::new();
    stream.take(MAX_REPLY).read_to_end(&mut bytes).unwrap();
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let body_at = match response.parse(&bytes).unwrap() {
        httparse::Status::Complete(at) => at,
        httparse::Status::Partial => panic!("partial answer: {}", String::from_utf8_lossy(&bytes)),
    };
    let set_cookies = response
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
        .map(|h| String::from_utf8(h.value.to_vec()).unwrap())
        .collect();
    Reply {
        status: response.code.unwrap(),
        set_cookies,
        body: String::from_utf8(bytes[body_at..].to_vec()).unwrap(),
    }
}

/// `raw` with `Connection: close` after its request line, so the server ends the
/// connection after its answer.
fn close_after(raw: &[u8]) -> Vec<u8> {
    let line_end = raw.windows(2).position(|w| w == b"\r\n").map_or(raw.len(), |at| at + 2);
    let mut out = raw[..line_end].to_vec();
    out.extend_from_slice(b"Connection: close\r\n");
    out.extend_from_slice(&raw[line_end..]);
    out
}

fn is_token(value: &[u8]) -> bool {
    value.len() == 32 && value.iter().all(|b| b.is_ascii_hexdigit())
}

/// A value of `len` characters of unpadded URL-safe base64: a signed session (user and
/// expiry) or the CSRF token derived from one.
fn is_base64(value: &[u8], len: usize) -> bool {
    value.len() == len && value.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn signed_in(browser: &Browser) -> Browser {
    let mut b = Browser::next_to(browser);
    assert_eq!(b.get("/").status, 200);
    let reply = b.post_form("/login", "username=admin&password=admin");
    assert_eq!(reply.status, 303, "{}", reply.body);
    b
}

#[test]
fn first_visit_shows_the_banner_and_the_policy_and_sets_only_the_csrf_cookie() {
    let mut browser = Browser::new();
    let reply = browser.get("/");
    assert_eq!(reply.status, 200);
    reply
        .has(r#"<section id="consent" class="banner">"#)
        .has(r#"<input type="checkbox" name="statistics" value="on"> Statistics (<code>_stats_id</code>: To count the visitors of the status page)</label>"#)
        .has(r#"<button name="choice" value="all" id="accept-all">"#)
        .has(r#"<button name="choice" value="necessary" id="necessary-only">"#)
        .has(r#"<table id="policy-table">"#)
        .has("<td><code>_stats_id</code></td><td>To count the visitors of the status page</td><td>Statistics, with consent</td><td>13 weeks</td>")
        .has("<td><code>sessionid</code></td>")
        .has(r#"<form method="post" action="/login" id="login">"#)
        .has(r#"<ul id="received-cookies"><li>none</li></ul>"#)
        .lacks(r#"<input type="checkbox" name="preferences""#);
    assert_eq!(reply.set_cookies.len(), 1, "{:?}", reply.set_cookies);
    let csrf = reply.cookie("csrftoken");
    assert!(is_device_token(csrf.value()));
    assert!(!csrf.http_only(), "the page's script sends it back in X-CSRFToken");
    // Hardened by the policy: the application set only Max-Age and Path. The host
    // build serves plain http, where a browser refuses `Secure`: none is sent.
    assert!(!csrf.secure());
    assert_eq!(csrf.same_site(), Some(SameSite::Lax));
    assert_eq!(csrf.path(), Some(&b"/"[..]));
    let token = csrf.value_str().unwrap();
    reply.has(&format!(r#"name="csrfmiddlewaretoken" value="{token}""#));

    // A browser that has the token keeps it: no new cookie on the next visit.
    let again = browser.get("/");
    assert!(again.set_cookies.is_empty());
    again.has(r#"<ul id="received-cookies"><li><code>csrftoken</code></li></ul>"#);
}

#[test]
fn login_sets_a_hardened_session_rotates_the_csrf_token_and_lights_the_led() {
    let mut browser = Browser::new();
    browser.get("/");
    let before = browser.value("csrftoken").unwrap().to_owned();
    assert!(!browser.led());
    let reply = browser.post_form("/login", "username=admin&password=admin");
    assert_eq!(reply.status, 303);
    let session = reply.cookie("sessionid");
    assert!(is_base64(session.value(), device_app::session::TOKEN_LEN), "admin and random bytes");
    assert!(session.http_only() && !session.secure(), "the plain-http session");
    assert_eq!(session.same_site(), Some(SameSite::Strict), "added by the policy");
    assert_eq!(session.max_age(), Some(3600));
    let after = reply.cookie("csrftoken");
    assert!(is_base64(after.value(), signed::CSRF_TOKEN_LEN), "derived from the session");
    assert_ne!(after.value_str().unwrap(), before);
    assert!(browser.led());

    browser
        .get("/")
        .has(r#"<p id="signed-in">Signed in as admin."#)
        .has(r#"<form method="post" action="/logout">"#)
        .lacks(r#"id="login""#);
}

#[test]
fn the_session_cookie_must_be_the_one_the_device_issued() {
    let browser = Browser::new();
    let mut session = signed_in(&browser);
    session.get("/").has(r#"id="signed-in""#);
    let real = session.value("sessionid").unwrap().to_owned();
    // One character changed, as a forger would: the signature no longer matches.
    let c = if &real[31..32] == "A" { "B" } else { "A" };
    session.set("sessionid", &format!("{}{c}{}", &real[..31], &real[32..]));
    session.get("/").lacks(r#"id="signed-in""#).has(r#"id="login""#);
}

#[test]
fn sessions_live_in_the_cookies_not_on_the_device() {
    let browser = Browser::new();
    let mut first = signed_in(&browser);
    let mut second = signed_in(&browser);
    // Both stay signed in: there is no table that the second sign-in replaced.
    first.get("/").has(r#"id="signed-in""#);
    second.get("/").has(r#"id="signed-in""#);
    // Another device with the same key (this one after a restart) knows the session,
    // and the CSRF token derived from it.
    let restarted = Browser::new();
    first.server = Rc::clone(&restarted.server);
    first.get("/").has(r#"id="signed-in""#);
    assert_eq!(first.post_form("/language", "language=fr").status, 303);
    // Signed in, the cookie echoed back is not enough: the token must be the session's.
    let mut stranger = Browser::next_to(&restarted);
    stranger.get("/");
    first.set("csrftoken", stranger.value("csrftoken").unwrap());
    assert_eq!(first.post_form("/language", "language=de").status, 403);
}

#[test]
fn a_post_without_the_matching_token_is_refused() {
    let mut browser = Browser::new();
    browser.get("/");
    let token = browser.value("csrftoken").unwrap().to_owned();
    let form = "username=admin&password=admin";
    let mut other = token.clone().into_bytes();
    other[0] = if other[0] == b'a' { b'b' } else { b'a' };
    let other = String::from_utf8(other).unwrap();
    let cases: [(&[(&str, &str)], String); 4] = [
        // No token sent back at all.
        (&[], form.to_owned()),
        // A wrong token in the header, and in the form.
        (&[("X-CSRFToken", other.as_str())], form.to_owned()),
        (&[], format!("{form}&csrfmiddlewaretoken={other}")),
        // A prefix of the right token.
        (&[("X-CSRFToken", &token[..16])], form.to_owned()),
    ];
    for (extra, body) in cases {
        let reply = browser.request("POST", "/login", extra, &body);
        assert_eq!(reply.status, 403, "{extra:?} {body}");
        assert!(reply.set_cookies.is_empty());
    }
    assert!(!browser.led());

    // Without the cookie, a token in the form proves nothing.
    let mut stranger = Browser::next_to(&browser);
    let reply =
        stranger.request("POST", "/login", &[], &format!("{form}&csrfmiddlewaretoken={token}"));
    assert_eq!(reply.status, 403);

    // The right token in the header passes.
    let reply = browser.request("POST", "/login", &[("X-CSRFToken", &token)], form);
    assert_eq!(reply.status, 303);
}

#[test]
fn wrong_password_and_logout() {
    let mut browser = Browser::new();
    browser.get("/");
    let reply = browser.post_form("/login", "username=admin&password=guess");
    assert_eq!((reply.status, reply.set_cookies.len()), (403, 0));
    assert!(!browser.led());

    let mut session = signed_in(&browser);
    assert!(browser.led());
    let reply = session.post_form("/logout", "");
    assert_eq!(reply.status, 303);
    let gone = reply.cookie("sessionid");
    assert_eq!((gone.value(), gone.max_age()), (&b""[..], Some(0)));
    assert_eq!(gone.path(), Some(&b"/"[..]), "a removal names the cookie's path");
    assert!(!browser.led());
    session.get("/").has(r#"id="login""#);
}

#[test]
fn sign_out_ends_a_copied_session() {
    let browser = Browser::new();
    let mut session = signed_in(&browser);
    let mut copy = Browser::next_to(&browser);
    copy.jar = session.jar.clone();
    copy.get("/").has(r#"id="signed-in""#);
    let other = signed_in(&browser);
    assert_eq!(session.post_form("/logout", "").status, 303);
    // The copy (a stolen cookie, another tab) no longer signs in, nor passes CSRF.
    copy.get("/").lacks(r#"id="signed-in""#).has(r#"id="login""#);
    let stolen = copy.value("sessionid").unwrap_or_default().to_owned();
    let mut replay = Browser::next_to(&browser);
    replay.set("sessionid", &stolen);
    replay.get("/").has(r#"id="login""#);
    // Another session of the same user stays signed in.
    let mut other = other;
    other.get("/").has(r#"id="signed-in""#);
}

#[test]
fn sign_out_with_the_list_full_ends_every_earlier_session() {
    let browser = Browser::new();
    let mut kept = signed_in(&browser);
    let mut copies = Vec::new();
    for _ in 0..=device_app::session::SIGNED_OUT {
        let mut session = signed_in(&browser);
        let mut copy = Browser::next_to(&browser);
        copy.jar = session.jar.clone();
        assert_eq!(session.post_form("/logout", "").status, 303);
        copies.push(copy);
    }
    // One sign-out more than the list holds: every session issued until then ended,
    // the one still in use too (it signs in again); none of the copies came back.
    for copy in &mut copies {
        copy.get("/").has(r#"id="login""#);
    }
    kept.get("/").has(r#"id="login""#);
    let mut again = signed_in(&browser);
    again.get("/").has(r#"id="signed-in""#);
}

#[test]
fn two_sign_ins_in_the_same_second_get_different_sessions() {
    let browser = Browser::new();
    let values: Vec<String> =
        (0..4).map(|_| signed_in(&browser).value("sessionid").unwrap().to_owned()).collect();
    for (i, a) in values.iter().enumerate() {
        assert!(!values[i + 1..].contains(a), "{values:?}");
    }
}

#[test]
fn language_switch_sets_django_language() {
    let mut browser = Browser::new();
    browser.get("/");
    let reply = browser.post_form("/language", "language=de");
    assert_eq!(reply.status, 303);
    let lang = reply.cookie("django_language");
    assert_eq!(lang.value(), b"de");
    assert_eq!(lang.same_site(), Some(SameSite::Lax));
    assert!(!lang.secure());
    browser
        .get("/")
        .has(r#"<html lang="de">"#)
        .has("<h1>Gerätestatus</h1>")
        .has(r#"<option value="de" selected>"#);

    // Too long for a language code: refused before any cookie is written.
    let reply = browser.post_form("/language", "language=de%3B+Domain%3Devil.example");
    assert_eq!((reply.status, reply.set_cookies.len()), (400, 0));
    let reply = browser.post_form("/language", "language=xx");
    assert_eq!((reply.status, reply.set_cookies.len()), (400, 0));
}

#[test]
fn statistics_cookie_only_with_consent_and_removed_on_withdrawal() {
    let mut browser = Browser::new();
    browser.get("/").has(r#"id="accept-all""#);
    let beacon = browser.get("/beacon");
    assert_eq!((beacon.status, beacon.set_cookies.len()), (204, 0), "no consent, no cookie");

    let reply = browser.post_form("/consent", "choice=all");
    assert_eq!(reply.status, 303);
    let consent = reply.cookie("cookies_preferences");
    assert_eq!(consent.value(), b"1.3.psm");
    assert!(!consent.secure() && consent.same_site() == Some(SameSite::Lax));
    assert_eq!(consent.max_age(), Some(15_724_800));
    browser
        .get("/")
        .lacks(r#"id="accept-all""#)
        .has("Your cookie choices: Statistics cookies on.")
        .has(r#"<button id="withdraw">"#);

    let stats = browser.get("/beacon").cookie("_stats_id").max_age();
    assert_eq!(stats, Some(7_862_400));
    let id = browser.value("_stats_id").unwrap().to_owned();
    assert!(is_token(id.as_bytes()));
    assert!(browser.get("/beacon").set_cookies.is_empty(), "one id per browser");

    let reply = browser.post_form("/consent", "choice=withdraw");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.cookie("cookies_preferences").value(), b"1.3.");
    let gone = reply.cookie("_stats_id");
    assert_eq!((gone.value(), gone.max_age()), (&b""[..], Some(0)));
    assert_eq!(gone.path(), Some(&b"/"[..]));
    assert_eq!(browser.value("_stats_id"), None);
    assert!(browser.get("/beacon").set_cookies.is_empty());
    browser.get("/").has("Your cookie choices: Statistics cookies off.");
}

#[test]
fn the_banner_grants_each_ticked_category() {
    let cases = [
        ("choice=chosen&statistics=on", &b"1.3.s"[..], 1),
        ("choice=chosen", b"1.3.", 0),
        ("choice=necessary&statistics=on", b"1.3.", 0),
    ];
    for (form, value, stats_cookies) in cases {
        let mut browser = Browser::new();
        browser.get("/");
        let reply = browser.post_form("/consent", form);
        assert_eq!(reply.cookie("cookies_preferences").value(), value, "{form}");
        assert_eq!(browser.get("/beacon").set_cookies.len(), stats_cookies, "{form}");
    }
    let mut browser = Browser::new();
    browser.get("/");
    assert_eq!(browser.post_form("/consent", "choice=maybe").status, 400);
}

#[test]
fn a_consent_for_an_older_policy_is_asked_again() {
    let mut browser = Browser::new();
    browser.get("/");
    // Given for revision 1, before the statistics cookie existed.
    browser.set("cookies_preferences", "1.1.psm");
    browser.get("/").has(r#"id="accept-all""#);
    assert!(browser.get("/beacon").set_cookies.is_empty());
}

#[test]
fn a_cookie_the_policy_does_not_declare_never_reaches_the_app() {
    let mut browser = Browser::new();
    browser.get("/");
    browser.set("tracker", "1");
    browser.set("_ga", "GA1.2.3");
    // Declared, but not consented to: held back too.
    browser.set("_stats_id", "0123456789abcdef0123456789abcdef");
    browser
        .get("/")
        .has(r#"<ul id="received-cookies"><li><code>csrftoken</code></li></ul>"#)
        .lacks("tracker")
        .lacks("_ga<");
}

/// The value of the `csrftoken` cookie the device gives a browser before sign-in: a
/// signed value of random bytes, so the device can tell its own tokens from planted ones.
fn is_device_token(value: &[u8]) -> bool {
    is_base64(value, signed::signed_len(device_app::session::NONCE_BYTES))
}

#[test]
fn a_planted_csrf_token_is_replaced_and_never_written_into_the_page() {
    let server = Browser::new();
    // Planted by another port of the same host, a sibling subdomain, or anyone on the
    // plain-http path: markup, and a well-formed token the device never issued.
    let hex = "ab".repeat(16);
    let planted = [r#""><svg/onload=alert(1)>"#, "<script>alert(1)</script>", hex.as_str()];
    for planted in planted {
        let mut browser = Browser::next_to(&server);
        browser.set("csrftoken", planted);
        let reply = browser.get("/");
        assert_eq!(reply.status, 200, "{planted}");
        reply.lacks("<svg").lacks("<script>").lacks(planted);
        let token = reply.cookie("csrftoken").value_str().unwrap().to_owned();
        assert!(is_device_token(token.as_bytes()), "{planted}: replaced by {token}");
        reply.has(&format!(r#"name="csrfmiddlewaretoken" value="{token}""#));
        assert_eq!(browser.post_form("/language", "language=fr").status, 303, "{planted}");
        // The planted token echoed back with its cookie proves nothing.
        browser.set("csrftoken", planted);
        let body = format!("language=de&csrfmiddlewaretoken={}", planted.replace('<', "%3C"));
        let refused = browser.request("POST", "/language", &[("X-CSRFToken", planted)], &body);
        assert_eq!(refused.status, 403, "{planted}");
    }
}

#[test]
fn a_csrf_token_longer_than_the_devices_is_replaced() {
    let mut browser = Browser::new();
    browser.set("csrftoken", &"a".repeat(device_app::session::TOKEN_LEN + 1));
    let reply = browser.get("/");
    let token = reply.cookie("csrftoken").value_str().unwrap().to_owned();
    assert!(is_device_token(token.as_bytes()));
    reply.has(&format!(r#"name="csrfmiddlewaretoken" value="{token}""#));
    assert_eq!(browser.post_form("/language", "language=fr").status, 303);
}

#[test]
fn every_declared_cookie_the_new_consent_does_not_allow_is_removed() {
    let stats = "0123456789abcdef0123456789abcdef";
    // The consent the request carries, whatever it was: none, one given for revision 1
    // (before the statistics cookie existed), a malformed one, one given for revision 2,
    // the current one.
    let old =
        [None, Some("1.1.psm"), Some("1.1."), Some("garbage"), Some("1.2.psm"), Some("1.3.psm")];
    let server = Browser::new();
    for old in old {
        for choice in ["necessary", "withdraw", "chosen"] {
            let mut browser = Browser::next_to(&server);
            browser.get("/");
            if let Some(old) = old {
                browser.set("cookies_preferences", old);
            }
            browser.set("_stats_id", stats);
            let reply = browser.post_form("/consent", &format!("choice={choice}"));
            assert_eq!(reply.status, 303, "{old:?} {choice}");
            let gone = reply.cookie("_stats_id");
            assert_eq!((gone.value(), gone.max_age()), (&b""[..], Some(0)), "{old:?} {choice}");
            assert_eq!(gone.path(), Some(&b"/"[..]));
            assert_eq!(browser.value("_stats_id"), None);
        }
        // A consent that allows it keeps it.
        let mut browser = Browser::next_to(&server);
        browser.get("/");
        browser.set("_stats_id", stats);
        let reply = browser.post_form("/consent", "choice=all");
        assert_eq!(reply.set_cookies.len(), 1, "{old:?}: {:?}", reply.set_cookies);
        assert_eq!(browser.value("_stats_id"), Some(stats));
    }
}

#[test]
fn the_apps_five_cookies_fit_with_room_to_spare() {
    let mut browser = Browser::new();
    browser.get("/");
    browser.post_form("/consent", "choice=all");
    browser.post_form("/login", "username=admin&password=admin");
    browser.post_form("/language", "language=fr");
    browser.get("/beacon");
    let names: Vec<String> = browser.jar.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let sent: usize = browser.jar.iter().map(|(n, v)| n.len() + 1 + v.len() + 2).sum();
    assert!(sent < device_app::MAX_COOKIE_HEADER * 3 / 4, "{sent} bytes");
    let page = browser.get("/");
    assert_eq!(page.status, 200);
    for name in names {
        page.has(&format!("<li><code>{name}</code></li>"));
    }
}

#[test]
fn bad_requests_get_errors_not_a_hang() {
    let server = Running::start().unwrap();
    // A declared cookie too long for the app's copy of the allowed cookies.
    let long_cookie = format!("GET / HTTP/1.1\r\nCookie: csrftoken={}\r\n\r\n", "b".repeat(1100));
    // A form longer than picoserve's buffer.
    let long_form =
        format!("POST /login HTTP/1.1\r\nContent-Length: 3000\r\n\r\n{}", "a".repeat(3000));
    let cases: [(&[u8], u16); 6] = [
        (b"GET /nowhere HTTP/1.1\r\nHost: d\r\n\r\n", 404),
        (b"PUT / HTTP/1.1\r\nHost: d\r\n\r\n", 405),
        (b"GET / HTTP/1.1\r\nHost d\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nCookie: a=\x01\r\n\r\n", 400),
        (long_cookie.as_bytes(), 431),
        (long_form.as_bytes(), 400),
    ];
    for (raw, status) in cases {
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(80)]);
        assert_eq!(exchange(server.addr, raw).status, status, "{shown}");
    }
}

#[test]
fn a_stopped_server_closes_its_port() {
    let server = Running::start().unwrap();
    let addr = server.addr;
    assert_eq!(exchange(addr, b"GET / HTTP/1.1\r\n\r\n").status, 200);
    drop(server);
    assert!(TcpStream::connect_timeout(&addr, TIMEOUT).is_err());
}

/// Sends `raw` as it is on a new connection and reads until the server closes it.
fn send_raw(addr: SocketAddr, raw: &[u8]) -> String {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    stream.take(MAX_REPLY).read_to_end(&mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// The status codes of the answers in `answers`, in order.
fn statuses(answers: &str) -> Vec<u16> {
    answers
        .match_indices("HTTP/1.1 ")
        .map(|(at, _)| answers[at + 9..at + 12].parse().unwrap())
        .collect()
}

#[test]
fn a_session_among_300_foreign_cookies_in_16_kib_is_read() {
    let browser = Browser::new();
    let mut signed = signed_in(&browser);
    // Other apps' cookies for the same address (cookies ignore ports): 300 of them,
    // 16 KiB in all, eight times the app's head buffer, the app's own in the middle.
    let foreign: Vec<(String, String)> =
        (0..300).map(|i| (format!("foreign_app_{i:03}"), "f".repeat(40))).collect();
    let own = std::mem::replace(&mut signed.jar, foreign[..150].to_vec());
    signed.jar.extend(own);
    signed.jar.extend_from_slice(&foreign[150..]);
    let header: usize = signed.jar.iter().map(|(n, v)| n.len() + v.len() + 3).sum();
    assert!(header > 8 * device_app::HTTP_BUFFER, "{header} bytes");
    let page = signed.get("/");
    assert_eq!(page.status, 200);
    page.has(r#"<p id="signed-in">Signed in as admin."#)
        .has("<li><code>sessionid</code></li>")
        .has("<li><code>csrftoken</code></li>")
        .lacks("foreign_app");
}

#[test]
fn heads_two_parsers_could_frame_differently_get_400_and_a_close() {
    let server = Running::start().unwrap();
    let cases: [&[u8]; 9] = [
        b"POST /consent HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
        b"POST /consent HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST /consent HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc",
        b"POST /consent HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc",
        b"POST /consent HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\nCookie: a=1\r\n ; sessionid=x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: d\rX-Evil: 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: d\nX-Evil: 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nX-Name: a\x00b\r\n\r\n",
    ];
    for raw in cases {
        let shown = String::from_utf8_lossy(raw).escape_debug().to_string();
        // No `Connection: close` asked: the server closes by itself.
        let answer = send_raw(server.addr, raw);
        assert_eq!(statuses(&answer), [400], "{shown}: {answer}");
        assert!(answer.contains("Connection: close\r\n"), "{shown}: {answer}");
    }
}

#[test]
fn a_nul_inside_a_cookie_name_never_matches_a_declared_name() {
    let browser = Browser::new();
    let signed = signed_in(&browser);
    let session = signed.value("sessionid").unwrap();
    let raw = format!("GET / HTTP/1.1\r\nHost: d\r\nCookie: sessi\0onid={session}\r\n\r\n");
    let answer = send_raw(browser.server.addr, raw.as_bytes());
    assert_eq!(statuses(&answer), [400], "{answer}");
    assert!(!answer.contains("signed-in"));
}

#[test]
fn keep_alive_passes_a_post_body_then_serves_the_next_request() {
    let mut browser = Browser::new();
    browser.get("/");
    let token = browser.value("csrftoken").unwrap().to_owned();
    // The body looks like a head with a cookie: it must pass as a body, unfiltered.
    let body = format!("choice=all&csrfmiddlewaretoken={token}&x=%0D%0ACookie:+sessionid=1");
    let raw = format!(
        "POST /consent HTTP/1.1\r\nHost: d\r\nCookie: csrftoken={token}; foreign=1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}\
         GET / HTTP/1.1\r\nHost: d\r\nCookie: cookies_preferences=1.3.psm; foreign=2\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let answer = send_raw(browser.server.addr, raw.as_bytes());
    assert_eq!(statuses(&answer), [303, 200], "{answer}");
    assert!(answer.contains("Set-Cookie: cookies_preferences=1.3.psm;"), "{answer}");
    assert!(answer.contains("Your cookie choices: Statistics cookies on."), "{answer}");
}

#[test]
fn a_session_made_for_the_https_cookie_never_signs_in_over_plain_http() {
    use device_app::policy::{SESSION_HTTP, SESSION_TLS, session};
    use device_app::session::{Keys, Sessions};
    use embedded_cookie::enforce::Transport;
    let now = i64::try_from(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
    )
    .unwrap();
    let sessions = Sessions::new(Keys::new(device_app::host::DEVELOPMENT_KEY, &[]));
    let sign = |cookie| sessions.sign_in(cookie, "admin", "admin", now, [7; 16]).unwrap();
    let (tls, http) = (sign(session(Transport::Tls)), sign(session(Transport::PlainHttp)));
    let mut browser = Browser::new();
    let cases = [
        (SESSION_HTTP, http.as_str(), true),
        // Read over plain http only under its own name: blocked by the policy.
        (SESSION_TLS, tls.as_str(), false),
        // Bound to its name: the https session sent as the plain-http cookie.
        (SESSION_HTTP, tls.as_str(), false),
    ];
    for (name, value, signed_in) in cases {
        browser.jar.clear();
        browser.set(name, value);
        let page = browser.get("/");
        assert_eq!(page.body.contains(r#"id="signed-in""#), signed_in, "{name}");
    }
}
