//! A device's web server, the way a firmware would write it: one thread, one request
//! per connection, `httparse` for HTTP/1.1, embedded-cookie for every cookie.
//!
//! ```text
//! cargo run --example device_server -- 8080    # then open http://127.0.0.1:8080/
//! cargo run --example device_server -- 0       # any free port; the port is printed
//! ```
//!
//! The page has a login form (user `admin`, password `admin`) that sets `sessionid`
//! and rotates `csrftoken`, and a language switch that sets `django_language`. Every
//! POST passes the CSRF check: the `csrftoken` cookie must equal the `X-CSRFToken`
//! header or the `csrfmiddlewaretoken` form field, compared in constant time.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use embedded_cookie::set_cookie::{BuildError, SameSite, SetCookieBuilder};
use embedded_cookie::{Config, CookieHeader};

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

/// The session: script-proof, same-site only, one hour.
pub const SESSION: SetCookieBuilder<'static> = SetCookieBuilder::new("sessionid", "")
    .max_age(3600)
    .path("/")
    .secure(true)
    .http_only(true)
    .same_site(SameSite::Strict);

/// The CSRF token: the page's script reads it to send `X-CSRFToken`, so not HttpOnly.
pub const CSRF: SetCookieBuilder<'static> = SetCookieBuilder::new("csrftoken", "")
    .max_age(31_449_600)
    .path("/")
    .secure(true)
    .same_site(SameSite::Strict);

/// The language choice, a year.
pub const LANGUAGE: SetCookieBuilder<'static> = SetCookieBuilder::new("django_language", "")
    .max_age(31_536_000)
    .path("/")
    .same_site(SameSite::Lax);

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
    let mut device = Device::default();
    for stream in listener.incoming() {
        if let Err(e) = device.connection(stream?) {
            eprintln!("connection: {e}");
        }
    }
    Ok(())
}

/// What the device remembers: the one signed-in session.
#[derive(Default)]
pub struct Device {
    session: Option<String>,
}

/// One request, borrowing the receive buffer.
struct Request<'b> {
    method: &'b str,
    path: &'b str,
    cookies: CookieHeader<'b>,
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

    /// `303 See Other` to `/`: after a form post, the browser loads the page again.
    fn see_page() -> Self {
        Self::new("303 See Other", "").header("Location", "/".into())
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn set_cookie(self, cookie: SetCookieBuilder<'_>) -> Result<Self, BuildError> {
        let mut line = String::new();
        cookie.encode_fmt(&mut line)?;
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
        let request = Request {
            method: parsed.method.unwrap_or_default(),
            path: parsed.path.unwrap_or_default(),
            cookies,
            csrf_header: field_values(parsed.headers, "x-csrftoken").next(),
            body: &raw[body_at..],
        };
        let answer = self.route(&request);
        answer.unwrap_or_else(|e| Response::new("500 Internal Server Error", format!("{e}")))
    }

    fn route(&mut self, request: &Request<'_>) -> Result<Response, BuildError> {
        match (request.method, request.path) {
            ("GET", "/") => self.page(request),
            ("POST", _) if !csrf_ok(request) => {
                Ok(Response::new("403 Forbidden", "CSRF token missing or incorrect"))
            }
            ("POST", "/login") => self.login(request),
            ("POST", "/logout") => {
                self.session = None;
                Response::see_page().set_cookie(SESSION.removal())
            }
            ("POST", "/language") => {
                let lang = form_field(request.body, "language").unwrap_or_default();
                if !LANGUAGES.iter().any(|&(code, _)| code == lang) {
                    return Ok(Response::new("400 Bad Request", "unknown language"));
                }
                Response::see_page().set_cookie(LANGUAGE.value(&lang))
            }
            (_, "/" | "/login" | "/logout" | "/language") => {
                Ok(Response::new("405 Method Not Allowed", "method not allowed"))
            }
            _ => Ok(Response::new("404 Not Found", "not found")),
        }
    }

    fn signed_in(&self, request: &Request<'_>) -> bool {
        let sent = request.cookies.get("sessionid").map(|c| c.value());
        matches!((&self.session, sent), (Some(ours), Some(sent)) if same_secret(ours.as_bytes(), sent))
    }

    fn login(&mut self, request: &Request<'_>) -> Result<Response, BuildError> {
        let user = form_field(request.body, "username").unwrap_or_default();
        let password = form_field(request.body, "password").unwrap_or_default();
        let known = same_secret(user.as_bytes(), USER.as_bytes())
            & same_secret(password.as_bytes(), PASSWORD.as_bytes());
        if !known {
            return Ok(Response::new("403 Forbidden", "wrong user or password"));
        }
        let session = random_token();
        let response = Response::see_page()
            .set_cookie(SESSION.value(&session))?
            // A new token at login, so one planted before it is worthless after.
            .set_cookie(CSRF.value(&random_token()))?;
        self.session = Some(session);
        Ok(response)
    }

    fn page(&self, request: &Request<'_>) -> Result<Response, BuildError> {
        let sent = request.cookies.get("csrftoken").and_then(|c| c.value_str());
        let token = sent.map_or_else(random_token, str::to_owned);
        let lang = request.cookies.get("django_language").and_then(|c| c.value_str());
        let (lang, title) =
            LANGUAGES.into_iter().find(|&(code, _)| Some(code) == lang).unwrap_or(LANGUAGES[0]);
        let body = page_html(lang, title, self.signed_in(request), &token);
        let response = Response::new("200 OK", body);
        if sent.is_some() { Ok(response) } else { response.set_cookie(CSRF.value(&token)) }
    }
}

fn page_html(lang: &str, title: &str, signed_in: bool, token: &str) -> String {
    let csrf = format!(r#"<input type="hidden" name="csrfmiddlewaretoken" value="{token}">"#);
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
{account}
<form method="post" action="/language">{csrf}
<select name="language">{options}</select><button>Switch language</button></form>
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
