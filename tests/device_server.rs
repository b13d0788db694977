//! The device server example, driven over real TCP on 127.0.0.1: each test starts it
//! on an ephemeral port in a thread, sends raw HTTP/1.1 requests, and reads the
//! answers with `httparse` and the crate's `Set-Cookie` parser. Every read and write
//! has a timeout and every answer a size bound; the server thread ends with the test
//! process.

#[path = "../examples/device_server.rs"]
#[allow(dead_code)]
mod device_server;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use embedded_cookie::set_cookie::{SameSite, SetCookie};

const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_REPLY: u64 = 64 * 1024;

fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || device_server::serve(listener));
    addr
}

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
}

/// A browser with a cookie jar of name=value pairs (this server sets no Domain and
/// only `Path=/`, so that is all a jar needs to hold here).
struct Browser {
    addr: SocketAddr,
    jar: Vec<(String, String)>,
}

impl Browser {
    fn new() -> Self {
        Self { addr: start(), jar: Vec::new() }
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.jar.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
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
        let reply = exchange(self.addr, raw.as_bytes());
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

fn exchange(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    // The server closes the connection after its answer.
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

fn is_token(value: &[u8]) -> bool {
    value.len() == 32 && value.iter().all(|b| b.is_ascii_hexdigit())
}

fn signed_in(browser: &mut Browser) -> Browser {
    let mut b = Browser { addr: browser.addr, jar: Vec::new() };
    assert_eq!(b.get("/").status, 200);
    let reply = b.post_form("/login", "username=admin&password=admin");
    assert_eq!(reply.status, 303, "{}", reply.body);
    b
}

#[test]
fn first_visit_gets_a_csrf_cookie_that_scripts_can_read() {
    let mut browser = Browser::new();
    let reply = browser.get("/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.set_cookies.len(), 1, "{:?}", reply.set_cookies);
    let csrf = reply.cookie("csrftoken");
    assert!(is_token(csrf.value()));
    assert!(!csrf.http_only(), "the page's script sends it back in X-CSRFToken");
    // Hardened by the policy: the application set only Max-Age and Path.
    assert!(csrf.secure());
    assert_eq!(csrf.same_site(), Some(SameSite::Lax));
    assert_eq!(csrf.path(), Some(&b"/"[..]));
    let token = csrf.value_str().unwrap();
    assert!(reply.body.contains(&format!(r#"name="csrfmiddlewaretoken" value="{token}""#)));

    // A browser that has the token keeps it: no new cookie on the next visit.
    assert!(browser.get("/").set_cookies.is_empty());
}

#[test]
fn login_sets_a_hardened_session_and_rotates_the_csrf_token() {
    let mut browser = Browser::new();
    browser.get("/");
    let before = browser.value("csrftoken").unwrap().to_owned();
    let reply = browser.post_form("/login", "username=admin&password=admin");
    assert_eq!(reply.status, 303);
    let session = reply.cookie("sessionid");
    assert!(is_token(session.value()));
    assert!(session.http_only() && session.secure(), "added by the policy");
    assert_eq!(session.same_site(), Some(SameSite::Lax));
    assert_eq!(session.max_age(), Some(3600));
    let after = reply.cookie("csrftoken");
    assert!(is_token(after.value()));
    assert_ne!(after.value_str().unwrap(), before);

    assert!(browser.get("/").body.contains("Signed in as admin"));
}

#[test]
fn the_session_cookie_must_be_the_one_the_device_issued() {
    let mut browser = Browser::new();
    let mut session = signed_in(&mut browser);
    assert!(session.get("/").body.contains("Signed in"));
    let real = session.value("sessionid").unwrap().to_owned();
    let forged = format!("{}0", &real[..31]);
    let forged = if forged == real { format!("{}1", &real[..31]) } else { forged };
    session.jar.retain(|(n, _)| n != "sessionid");
    session.jar.push(("sessionid".into(), forged));
    assert!(!session.get("/").body.contains("Signed in"));
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

    // Without the cookie, a token in the form proves nothing.
    let mut stranger = Browser { addr: browser.addr, jar: Vec::new() };
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

    let mut session = signed_in(&mut browser);
    let reply = session.post_form("/logout", "");
    assert_eq!(reply.status, 303);
    let gone = reply.cookie("sessionid");
    assert_eq!((gone.value(), gone.max_age()), (&b""[..], Some(0)));
    assert_eq!(gone.path(), Some(&b"/"[..]), "a removal names the cookie's path");
    assert!(!session.get("/").body.contains("Signed in"));
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
    assert!(lang.secure());
    let page = browser.get("/").body;
    assert!(page.contains(r#"<html lang="de">"#) && page.contains("Gerätestatus"));

    let reply = browser.post_form("/language", "language=de%3B+Domain%3Devil.example");
    assert_eq!((reply.status, reply.set_cookies.len()), (400, 0));
}

#[test]
fn statistics_cookie_only_with_consent_and_removed_on_withdrawal() {
    let mut browser = Browser::new();
    let page = browser.get("/").body;
    assert!(page.contains("Accept all") && page.contains("<code>_stats_id</code> (statistics)"));
    let beacon = browser.get("/beacon");
    assert_eq!((beacon.status, beacon.set_cookies.len()), (204, 0), "no consent, no cookie");

    let reply = browser.post_form("/consent", "choice=all");
    assert_eq!(reply.status, 303);
    let consent = reply.cookie("cookies_preferences");
    assert_eq!(consent.value(), b"1.2.psm");
    assert!(consent.secure() && consent.same_site() == Some(SameSite::Lax));
    assert_eq!(consent.max_age(), Some(15_724_800));
    assert!(!browser.get("/").body.contains("Accept all"), "answered: no banner");

    let stats = browser.get("/beacon").cookie("_stats_id").max_age();
    assert_eq!(stats, Some(7_862_400));
    let id = browser.value("_stats_id").unwrap().to_owned();
    assert!(is_token(id.as_bytes()));
    assert!(browser.get("/beacon").set_cookies.is_empty(), "one id per browser");

    let reply = browser.post_form("/consent", "choice=withdraw");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.cookie("cookies_preferences").value(), b"1.2.");
    let gone = reply.cookie("_stats_id");
    assert_eq!((gone.value(), gone.max_age()), (&b""[..], Some(0)));
    assert_eq!(gone.path(), Some(&b"/"[..]));
    assert_eq!(browser.value("_stats_id"), None);
    assert!(browser.get("/beacon").set_cookies.is_empty());
    assert!(browser.get("/").body.contains("Statistics cookies: off"));
}

#[test]
fn a_consent_for_an_older_policy_is_asked_again() {
    let mut browser = Browser::new();
    browser.get("/");
    // Given for the seed policy (revision 1), before the statistics cookie existed.
    browser.jar.push(("cookies_preferences".into(), "1.1.psm".into()));
    assert!(browser.get("/").body.contains("Accept all"));
    assert!(browser.get("/beacon").set_cookies.is_empty());
}

#[test]
fn bad_requests_get_errors_not_a_hang() {
    let addr = start();
    let cases: [(&[u8], u16); 4] = [
        (b"GET /nowhere HTTP/1.1\r\nHost: d\r\n\r\n", 404),
        (b"PUT / HTTP/1.1\r\nHost: d\r\n\r\n", 405),
        (b"GET / HTTP/1.1\r\nHost d\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nCookie: a=\x01\r\n\r\n", 400),
    ];
    for (raw, status) in cases {
        assert_eq!(exchange(addr, raw).status, status, "{}", String::from_utf8_lossy(raw));
    }
    let huge =
        format!("GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n", "a".repeat(device_server::MAX_REQUEST));
    assert_eq!(exchange(addr, huge.as_bytes()).status, 413);
}

#[test]
fn same_secret_compares_whole_secrets() {
    let cases: [(&[u8], &[u8], bool); 5] = [
        (b"abc", b"abc", true),
        (b"abc", b"abd", false),
        (b"abc", b"ab", false),
        (b"", b"", true),
        (b"", b"a", false),
    ];
    for (a, b, want) in cases {
        assert_eq!(device_server::same_secret(a, b), want, "{a:?} {b:?}");
    }
}
