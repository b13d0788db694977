//! A device's web server, the way a firmware would write it: one thread, one request
//! per connection, `httparse` for HTTP/1.1, embedded-cookie for every cookie.
//!
//! ```text
//! cargo run --example device_server -- 8080    # then open http://127.0.0.1:8080/
//! cargo run --example device_server -- 0       # any free port; the port is printed
//! ```
//!
//! The page has a consent banner (accept all, necessary only, withdraw), a login form
//! (user `admin`, password `admin`) that sets `sessionid` and rotates `csrftoken`, a
//! language switch that sets `django_language`, and a statistics beacon whose cookie,
//! `_stats_id`, is set only with consent. Every POST passes the CSRF check: the
//! `csrftoken` cookie must equal the `X-CSRFToken` header or the `csrfmiddlewaretoken`
//! form field, compared in constant time.
//!
//! The cookie policy is the seed policy, loaded from its text, plus `_stats_id` as a
//! statistics cookie that needs consent (revision 2). Every `Set-Cookie` goes through
//! [`Enforcer::response`](embedded_cookie::enforce::Enforcer::response): the policy adds the
//! attributes its rule requires (`Secure`, `HttpOnly`, `SameSite`, `Path`), caps the
//! lifetime, and blocks what the visitor's consent does not allow.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::policy::{Category, Location, Pattern, Policy, RequiredAttributes, Rule};
use embedded_cookie::set_cookie::{SameSite, SetCookieBuilder};

/// The seed policy, as a device would keep it.
const SEED_TEXT: &str = include_str!("policies/seed.policy");

/// The consent cookie, as the seed policy names it.
const CONSENT_NAME: &str = "cookies_preferences";
use embedded_cookie::{Config, CookieHeader};

type Error = Box<dyn std::error::Error>;

/// Largest request read, head and body; a device has a fixed receive buffer.
pub const MAX_REQUEST: usize = 8192;
/// Most header fields in a request.
const MAX_HEADERS: usize = 32;
/// How long a client may take to send its request, or to read the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// After answering: how long, and how many bytes, to read of what the client still sends.
const LINGER: Duration = Duration::from_secs(1);
const MAX_LINGER: u64 = 64 * 1024;

/// The demo account.
const USER: &str = "admin";
const PASSWORD: &str = "admin";

/// Languages the page speaks, with its title in each.
const LANGUAGES: [(&str, &str); 3] =
    [("en", "Device status"), ("de", "Gerätestatus"), ("fr", "État de l'appareil")];

/// The device's policy: the seed's rules and [`STATISTICS`].
pub type DevicePolicy = Policy<'static, 8>;

/// The seed is revision 1; adding the statistics cookie made revision 2, so a consent
/// given for the seed alone is asked again.
pub const REVISION: u32 = 2;

/// First-party, not anonymised statistics: consent required.
pub const STATISTICS: Rule<'static> = Rule {
    provider: "Device",
    function: "Visit statistics",
    location: Location::Front,
    purpose: "To count visits to the status page",
    attributes: RequiredAttributes {
        secure: true,
        same_site: Some(SameSite::Lax),
        max_age: Some(7_862_400),
        path: Some("/"),
        ..RequiredAttributes::NONE
    },
    ..Rule::new(Pattern::Exact("_stats_id"), Category::Statistics)
};

/// The seed policy, from its text as a device would keep it, and the statistics rule.
pub fn device_policy() -> Result<DevicePolicy, Error> {
    let mut policy = Policy::load(SEED_TEXT)?;
    policy.insert(STATISTICS).map_err(|kind| kind.to_string())?;
    policy.set_revision(REVISION);
    Ok(policy)
}

/// Seconds since the Unix epoch, which `Enforcer::response` compares an `Expires` with.
/// A device reads its RTC, set by SNTP.
fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

// The cookies as the application writes them: name, lifetime and `Path` (which a
// removal must repeat). The policy adds the rest.
const SESSION: SetCookieBuilder<'static> =
    SetCookieBuilder::new("sessionid", "").max_age(3600).path("/");
const CSRF: SetCookieBuilder<'static> =
    SetCookieBuilder::new("csrftoken", "").max_age(31_449_600).path("/");
const LANGUAGE: SetCookieBuilder<'static> =
    SetCookieBuilder::new("django_language", "").max_age(31_536_000).path("/");
const CONSENT: SetCookieBuilder<'static> =
    SetCookieBuilder::new(CONSENT_NAME, "").max_age(15_724_800).path("/");
const STATS: SetCookieBuilder<'static> =
    SetCookieBuilder::new("_stats_id", "").max_age(7_862_400).path("/");

fn main() -> io::Result<()> {
    let port = match std::env::args().nth(1) {
        None => 8080,
        Some(arg) => arg.parse::<u16>().map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("port {arg:?}: {e}"))
        })?,
    };
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("listening on http://127.0.0.1:{}/", listener.local_addr()?.port());
    io::stdout().flush()?;
    serve(listener)
}

/// Answers connections on `listener`, one at a time, until accepting fails.
pub fn serve(listener: TcpListener) -> io::Result<()> {
    let policy = device_policy().map_err(|e| io::Error::other(e.to_string()))?;
    let mut device = Device { policy, session: None };
    for stream in listener.incoming() {
        if let Err(e) = device.connection(stream?) {
            eprintln!("connection: {e}");
        }
    }
    Ok(())
}

/// What the device knows: its cookie policy and the one signed-in session.
pub struct Device {
    policy: DevicePolicy,
    session: Option<String>,
}

/// One request, borrowing the receive buffer.
struct Request<'b> {
    method: &'b str,
    path: &'b str,
    cookies: CookieHeader<'b>,
    /// The visitor's consent, `None` when they should be asked (again).
    consent: Option<Consent>,
    csrf_header: Option<&'b [u8]>,
    body: &'b [u8],
}

/// One response.
struct Response {
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Response {
    fn new(status: &'static str, body: impl Into<String>) -> Self {
        Self { status, headers: Vec::new(), body: body.into() }
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Adds `cookie` as the policy allows it under `consent`: hardened to its rule, or
    /// left out (and logged) when blocked.
    fn set_cookie(
        self,
        policy: &DevicePolicy,
        consent: &Consent,
        cookie: SetCookieBuilder<'_>,
    ) -> Result<Self, Error> {
        let checked = Enforcer::new(policy, consent).response(cookie, now());
        let Some(allowed) = checked.builder() else {
            let name = checked.decision.rule.map_or("an undeclared cookie", |r| r.pattern.name());
            eprintln!("blocked: {name} ({})", checked.decision.verdict);
            return Ok(self);
        };
        let mut line = String::new();
        allowed.encode_fmt(&mut line)?;
        Ok(self.header("Set-Cookie", line))
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {}\r\n", self.status);
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "Content-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        out.write_all(head.as_bytes())?;
        out.write_all(self.body.as_bytes())?;
        out.flush()
    }
}

impl Device {
    /// Reads one request from `stream`, answers it, and closes the connection.
    pub fn connection(&mut self, mut stream: TcpStream) -> io::Result<()> {
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        let mut buf = vec![0u8; MAX_REQUEST];
        let response = match receive(&mut stream, &mut buf)? {
            Received::Complete { len, body_at } => self.answer(&buf[..len], body_at),
            Received::TooLarge => Response::new("413 Content Too Large", "request too large"),
            Received::Malformed => Response::new("400 Bad Request", "malformed request"),
        };
        response.write_to(&mut stream)?;
        // Closing with unread input would reset the connection, and the client could
        // lose the answer: say we are done, then read what is left, within bounds.
        stream.shutdown(Shutdown::Write)?;
        stream.set_read_timeout(Some(LINGER))?;
        let _ = io::copy(&mut (&mut stream).take(MAX_LINGER), &mut io::sink());
        Ok(())
    }

    fn answer(&mut self, raw: &[u8], body_at: usize) -> Response {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        if parsed.parse(raw).is_err() {
            return Response::new("400 Bad Request", "malformed request");
        }
        let lines: Vec<&[u8]> = field_values(parsed.headers, "cookie").collect();
        let cookies = match CookieHeader::parse_lines(&lines, &Config::new()) {
            Ok(cookies) => cookies,
            Err(e) => return Response::new("400 Bad Request", format!("Cookie header: {e}")),
        };
        let reading = Consent::from_header(&cookies, CONSENT_NAME, self.policy.revision());
        let request = Request {
            method: parsed.method.unwrap_or_default(),
            path: parsed.path.unwrap_or_default(),
            cookies,
            consent: reading.ask_again.is_none().then_some(reading.consent),
            csrf_header: field_values(parsed.headers, "x-csrftoken").next(),
            body: &raw[body_at..],
        };
        let answer = self.route(&request);
        answer.unwrap_or_else(|e| Response::new("500 Internal Server Error", format!("{e}")))
    }

    fn route(&mut self, request: &Request<'_>) -> Result<Response, Error> {
        match (request.method, request.path) {
            ("GET", "/") => self.page(request),
            ("GET", "/beacon") => self.beacon(request),
            ("POST", _) if !csrf_ok(request) => {
                Ok(Response::new("403 Forbidden", "CSRF token missing or incorrect"))
            }
            ("POST", "/login") => self.login(request),
            ("POST", "/logout") => {
                self.session = None;
                self.see_page(request, &[SESSION.removal()])
            }
            ("POST", "/language") => {
                let lang = form_field(request.body, "language").unwrap_or_default();
                if !LANGUAGES.iter().any(|&(code, _)| code == lang) {
                    return Ok(Response::new("400 Bad Request", "unknown language"));
                }
                self.see_page(request, &[LANGUAGE.value(&lang)])
            }
            ("POST", "/consent") => self.consent(request),
            (_, "/" | "/beacon" | "/login" | "/logout" | "/language" | "/consent") => {
                Ok(Response::new("405 Method Not Allowed", "method not allowed"))
            }
            _ => Ok(Response::new("404 Not Found", "not found")),
        }
    }

    /// The consent that applies to `request`: necessary only until the visitor answers.
    fn consent_of(&self, request: &Request<'_>) -> Consent {
        request.consent.unwrap_or(Consent::necessary_only(self.policy.revision()))
    }

    /// `303 See Other` to the page (after a form post, the browser loads it again),
    /// with `cookies` as the policy allows them under `consent`.
    fn redirect(
        &self,
        consent: &Consent,
        cookies: &[SetCookieBuilder<'_>],
    ) -> Result<Response, Error> {
        let mut response = Response::new("303 See Other", "").header("Location", "/".into());
        for &cookie in cookies {
            response = response.set_cookie(&self.policy, consent, cookie)?;
        }
        Ok(response)
    }

    fn see_page(
        &self,
        request: &Request<'_>,
        cookies: &[SetCookieBuilder<'_>],
    ) -> Result<Response, Error> {
        self.redirect(&self.consent_of(request), cookies)
    }

    fn signed_in(&self, request: &Request<'_>) -> bool {
        let sent = request.cookies.get("sessionid").map(|c| c.value());
        matches!((&self.session, sent), (Some(ours), Some(sent)) if same_secret(ours.as_bytes(), sent))
    }

    fn login(&mut self, request: &Request<'_>) -> Result<Response, Error> {
        let user = form_field(request.body, "username").unwrap_or_default();
        let password = form_field(request.body, "password").unwrap_or_default();
        let known = same_secret(user.as_bytes(), USER.as_bytes())
            & same_secret(password.as_bytes(), PASSWORD.as_bytes());
        if !known {
            return Ok(Response::new("403 Forbidden", "wrong user or password"));
        }
        let session = random_token();
        // A new CSRF token at login, so one planted before it is worthless after.
        let response =
            self.see_page(request, &[SESSION.value(&session), CSRF.value(&random_token())])?;
        self.session = Some(session);
        Ok(response)
    }

    /// The banner's answers. Whatever the answer, the cookies the new consent no longer
    /// allows are removed, with the `Path` and `Domain` their rules give.
    fn consent(&self, request: &Request<'_>) -> Result<Response, Error> {
        let granted = match form_field(request.body, "choice").as_deref() {
            Some("all") => Categories::ALL,
            Some("necessary" | "withdraw") => Categories::NONE,
            _ => return Ok(Response::new("400 Bad Request", "unknown choice")),
        };
        let consent = Consent::new(granted, self.policy.revision());
        let value = consent.to_value();
        let mut cookies = vec![CONSENT.value(&value)];
        let request_cookies = Enforcer::new(&self.policy, &consent).request(&request.cookies);
        for withdrawal in request_cookies.withdrawals() {
            cookies.push(withdrawal.builder()?);
        }
        self.redirect(&consent, &cookies)
    }

    /// The statistics beacon the page loads: gives the browser a visit id when the
    /// visitor consented to statistics (the policy blocks it otherwise).
    fn beacon(&self, request: &Request<'_>) -> Result<Response, Error> {
        let response = Response::new("204 No Content", "");
        if request.cookies.get("_stats_id").is_some() {
            return Ok(response);
        }
        response.set_cookie(&self.policy, &self.consent_of(request), STATS.value(&random_token()))
    }

    fn page(&self, request: &Request<'_>) -> Result<Response, Error> {
        let sent = request.cookies.get("csrftoken").and_then(|c| c.value_str());
        let token = sent.map_or_else(random_token, str::to_owned);
        let lang = request.cookies.get("django_language").and_then(|c| c.value_str());
        let (lang, title) =
            LANGUAGES.into_iter().find(|&(code, _)| Some(code) == lang).unwrap_or(LANGUAGES[0]);
        let page = Page {
            lang,
            title,
            signed_in: self.signed_in(request),
            consent: request.consent,
            policy: &self.policy,
            token: &token,
        };
        let response = Response::new("200 OK", page.html());
        if sent.is_some() {
            Ok(response)
        } else {
            response.set_cookie(&self.policy, &self.consent_of(request), CSRF.value(&token))
        }
    }
}

/// What the page shows.
struct Page<'a> {
    lang: &'a str,
    title: &'a str,
    signed_in: bool,
    consent: Option<Consent>,
    policy: &'a DevicePolicy,
    token: &'a str,
}

impl Page<'_> {
    fn html(&self) -> String {
        let csrf =
            format!(r#"<input type="hidden" name="csrfmiddlewaretoken" value="{}">"#, self.token);
        let choice = |value: &str, label: &str| {
            format!(
                r#"<form method="post" action="/consent">{csrf}<input type="hidden" name="choice" value="{value}"><button>{label}</button></form>"#
            )
        };
        let banner = match self.consent {
            None => {
                let rules: String = self
                    .policy
                    .rules()
                    .iter()
                    .map(|r| {
                        let name = r.pattern.name();
                        let (category, purpose) = (r.category.as_str(), r.purpose);
                        format!("<li><code>{name}</code> ({category}): {purpose}</li>")
                    })
                    .collect();
                format!(
                    r#"<section id="consent"><p>This device uses these cookies:</p><ul>{rules}</ul>{}{}</section>"#,
                    choice("all", "Accept all"),
                    choice("necessary", "Necessary only")
                )
            }
            Some(given) => {
                let stats = if given.grants(Category::Statistics) { "on" } else { "off" };
                format!(
                    "<p>Statistics cookies: {stats}.</p>{}",
                    choice("withdraw", "Withdraw consent")
                )
            }
        };
        page_html(self.lang, self.title, self.signed_in, &csrf, &banner)
    }
}

fn page_html(lang: &str, title: &str, signed_in: bool, csrf: &str, banner: &str) -> String {
    let account = if signed_in {
        format!(
            r#"<p>Signed in as {USER}.</p><form method="post" action="/logout">{csrf}<button>Sign out</button></form>"#
        )
    } else {
        format!(
            r#"<form method="post" action="/login">{csrf}
<label>User <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button>Sign in</button></form>"#
        )
    };
    let options: String = LANGUAGES
        .iter()
        .map(|&(code, _)| {
            let selected = if code == lang { " selected" } else { "" };
            format!(r#"<option value="{code}"{selected}>{code}</option>"#)
        })
        .collect();
    format!(
        r#"<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>
{banner}
{account}
<form method="post" action="/language">{csrf}
<select name="language">{options}</select><button>Switch language</button></form>
<img src="/beacon" alt="" width="1" height="1">
</body></html>
"#
    )
}

/// What reading a request gave.
enum Received {
    /// `buf[..len]` is the request; its body starts at `body_at`.
    Complete { len: usize, body_at: usize },
    /// The request does not fit in the buffer.
    TooLarge,
    /// Not HTTP/1.1, or the connection closed mid-request.
    Malformed,
}

/// Reads until the head is complete and the body has its `Content-Length`.
fn receive(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<Received> {
    let mut len = 0;
    loop {
        if len == buf.len() {
            return Ok(Received::TooLarge);
        }
        let n = stream.read(&mut buf[len..])?;
        if n == 0 {
            return Ok(Received::Malformed);
        }
        len += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let body_at = match request.parse(&buf[..len]) {
            Ok(httparse::Status::Complete(at)) => at,
            Ok(httparse::Status::Partial) => continue,
            Err(_) => return Ok(Received::Malformed),
        };
        let content_length = field_values(request.headers, "content-length")
            .next()
            .map(|v| std::str::from_utf8(v).ok().and_then(|v| v.trim().parse::<usize>().ok()));
        let body_len = match content_length {
            None => 0,
            Some(Some(n)) => n,
            Some(None) => return Ok(Received::Malformed),
        };
        let total = body_at.saturating_add(body_len);
        if total > buf.len() {
            return Ok(Received::TooLarge);
        }
        if len >= total {
            return Ok(Received::Complete { len: total, body_at });
        }
    }
}

/// The values of every header field named `name`, case-insensitively, in order.
fn field_values<'h, 'b>(
    headers: &'h [httparse::Header<'b>],
    name: &'h str,
) -> impl Iterator<Item = &'b [u8]> + 'h {
    headers.iter().filter(move |h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value)
}

/// The POST is the page's own: the `csrftoken` cookie was sent back in the
/// `X-CSRFToken` header or the form, which another site cannot read.
fn csrf_ok(request: &Request<'_>) -> bool {
    let Some(cookie) = request.cookies.get("csrftoken").map(|c| c.value()) else {
        return false;
    };
    let field = form_field(request.body, "csrfmiddlewaretoken");
    let sent = request.csrf_header.or(field.as_deref().map(str::as_bytes));
    !cookie.is_empty() && sent.is_some_and(|sent| same_secret(cookie, sent))
}

/// Compares two secrets in time that depends on their lengths only: every byte is
/// looked at, with no early exit, so timing does not tell how much of a guess was right.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

/// 128 random bits, as 32 hex digits (cookie-octets, so any cookie can hold them).
fn random_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source");
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The first value of `name` in an `application/x-www-form-urlencoded` body, decoded.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    body.split(|&b| b == b'&').find_map(|pair| {
        let (key, value) = pair.split_at(pair.iter().position(|&b| b == b'=')?);
        (percent_decode(key)? == name).then(|| percent_decode(&value[1..])).flatten()
    })
}

fn percent_decode(text: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&b) = bytes.next() {
        out.push(match b {
            b'+' => b' ',
            b'%' => {
                let hex = [*bytes.next()?, *bytes.next()?];
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            b => b,
        });
    }
    String::from_utf8(out).ok()
}
