//! What the benchmarks measure, in one place: the inputs and the parsers run on them.
//! `benches/parse.rs` times these functions with criterion; `benches/instructions.rs`
//! runs them under callgrind. Both therefore measure the same bytes and the same work.

use std::hint::black_box;

use std::fmt::Write as _;

use embedded_cookie::date::ImfFixdate;
use embedded_cookie::set_cookie::SameSite;
use embedded_cookie::{CookieHeader, SetCookie, SetCookieBuilder};

/// One `Cookie` request header and the cookie a server would look up in it.
pub struct Input {
    /// Short name, used in benchmark ids and on the command line.
    pub name: &'static str,
    /// The header value (what follows `Cookie: `).
    pub header: String,
    /// The name a server looks up (`get`).
    pub lookup: &'static str,
}

/// What the web server of a device receives: session, CSRF token, language.
const SMALL: &[&str] = &[
    "sessionid=8a3f0c5e2b7d4916a0c3e5f7b9d1a2c4",
    "csrftoken=q7PzR2kLm9XvT4bN8cW1yH6dJ3sF5gA0",
    "django_language=en",
];

/// A browser on a Django site with analytics: Google Analytics, Facebook pixel,
/// Hotjar (its long base64 `_hjSessionUser_*`), the session, CSRF token, language
/// and consent cookies.
const TYPICAL: &[&str] = &[
    "_ga=GA1.1.1318465132.1732780812",
    "_gid=GA1.2.2053428187.1732780812",
    "_gat=1",
    "_fbp=fb.1.1732780812345.1234567890",
    "_hjSessionUser_3527418=eyJpZCI6ImY0YzJhNjE4LTdiNWQtNTVhZS05ZTNhLTBjMmQ4ZjE5YjZhNyIsImNyZWF0ZWQiOjE3MzI3ODA4MTIzNDV9",
    "_hjSession_3527418=eyJpZCI6IjkxZjBhY2QyIn0=",
    "sessionid=x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3",
    "csrftoken=Zq8WkL2mN5vB7xC1zA4sD6fG9hJ0kL3p",
    "django_language=en",
    "cookies_preferences=necessary%2Canalytics",
];

/// Forty more cookies of a shop with every tracker and A/B tool: with [`TYPICAL`]
/// first, the large header.
const MORE: &[&str] = &[
    "_gcl_au=1.1.1803524470.1732780812",
    "_uetsid=8c1f2e30ad1e11ef9c3b5d7e2f4a6b8c",
    "_uetvid=8c1f4a50ad1e11efa1b2c3d4e5f60718",
    "_clck=1x2y3z4%7C2%7Cfr4%7C0%7C1793",
    "_clsk=1abcd2e%7C1732781034567%7C3%7C1%7Cl.clarity.ms%2Fcollect",
    "ajs_anonymous_id=5f0c8a2e-3b1d-4e6f-9a7c-2d4b6e8f0a1c",
    "ajs_user_id=user_8f3a2c1e",
    "intercom-id-abc12def=3c5e7a9b-1d2f-4a6c-8e0b-2f4d6a8c0e1b",
    "intercom-session-abc12def=dGhpcyBpcyBhbiBpbnRlcmNvbSBzZXNzaW9uIHRva2Vu",
    "intercom-device-id-abc12def=7b9d1f3a-5c7e-4a2b-8d0f-1e3a5c7e9b2d",
    "optimizelyEndUserId=oeu1732780812345r0.4827361950",
    "AMCV_1A2B3C4D5E6F7A8B9C0D%40AdobeOrg=179643557%7CMCMID%7C12345678901234567890123456789012345678",
    "__hstc=123456789.0a1b2c3d4e5f60718293a4b5c6d7e8f9.1732780812345.1732780812345.1732781034567.2",
    "hubspotutk=0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "__hssrc=1",
    "__hssc=123456789.3.1732781034567",
    "_pin_unauth=dWlkPU1qQTRaR1kxWVRjdE1tUmpOUzAwWmpBMkxXRXhNR0l0TmpKaFpUYzBORGt6TlRGbQ",
    "_tt_enable_cookie=1",
    "_ttp=2Kx9Qm4Lr8Tk1Wv7Yb3Nc5Hd0Jf",
    "_scid=6a8c0e2f-4b6d-48f0-a2c4-e6f8a0b2c4d6",
    "_sctr=1%7C1732752000000",
    "li_sugr=2f4a6c8e-0b1d-43f5-9a7c-e1b3d5f7a9c0",
    "_lfa=LF1.1.2c4e6a8b0d1f3e5a.1732780812345",
    "_rdt_uuid=1732780812345.4a6c8e0b-2d4f-46a8-b0c2-d4e6f8a0b2c4",
    "_derived_epik=dj0yJnU9QWJDZEVmR2hJaktsTW5PcFFyU3RVdld4WXombj1BYkNkRWZHaEl",
    "_gac_UA_1234567_1=1.1732780812.Cj0KCQiA2eKtBhDcARIsAEGTG43xYz",
    "_dc_gtm_UA_1234567_1=1",
    "__cf_bm=Xy7zQ2w1.Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1-1732780812-1.0.1.1-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "_cfuvid=aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9d-1732780812345-0.0.1.1-604800000",
    "cf_clearance=Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-1732780812-1.2.1.1-aBcD",
    "theme=dark",
    "timezone=Europe%2FBerlin",
    "currency=EUR",
    "recently_viewed=1043%2C2291%2C377%2C5120",
    "cart_id=c7e9a1b3-d5f7-4a9c-b1d3-e5f7a9c1b3d5",
    "ab_test_checkout=variant_b",
    "feature_flags=new_nav%2Cfast_search",
    "consent_version=3",
    "OptanonConsent=isGpcEnabled=0&datestamp=Thu+Nov+28+2024+09%3A00%3A12&version=202409.1.0&groups=C0001%3A1%2CC0002%3A1",
    "OptanonAlertBoxClosed=2024-11-28T08:00:12.345Z",
];

/// The three `Cookie` headers: small (3 cookies), typical (10), large (50).
pub fn cookie_headers() -> Vec<Input> {
    let large: Vec<&str> = TYPICAL.iter().chain(MORE).copied().collect();
    vec![
        Input { name: "small", header: SMALL.join("; "), lookup: "sessionid" },
        Input { name: "typical", header: TYPICAL.join("; "), lookup: "sessionid" },
        Input { name: "large", header: large.join("; "), lookup: "sessionid" },
    ]
}

/// What a contender's run returns, so that the optimiser keeps the work and the
/// contenders can be checked against each other.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every cookie was visited: how many, and the bytes of their names and values.
    All { cookies: usize, bytes: usize },
    /// The looked-up cookie's value length.
    Found(usize),
    /// The header was checked, no cookie read.
    Checked,
    /// `Set-Cookie` lines read: how many, the bytes of their names and values, and
    /// the sum of their `Expires` (seconds since the epoch).
    Lines { lines: usize, bytes: usize, expires: i64 },
    /// `Set-Cookie` lines built: how many, and their bytes.
    Built { lines: usize, bytes: usize },
    /// A request head filtered: the bytes written.
    Filtered { bytes: usize },
}

/// A parser run on one [`Input`].
pub struct Contender {
    /// Name in benchmark ids, tables and on the command line.
    pub name: &'static str,
    /// Parses the header and visits what it promises to.
    pub run: fn(&Input) -> Outcome,
}

fn tally<'a>(pairs: impl Iterator<Item = (&'a [u8], &'a [u8])>) -> Outcome {
    let (mut cookies, mut bytes) = (0, 0);
    for (name, value) in pairs {
        let (name, value) = black_box((name, value));
        cookies += 1;
        bytes += name.len() + value.len();
    }
    Outcome::All { cookies, bytes }
}

/// This crate: validate the header, then visit every cookie.
fn embedded_cookie(input: &Input) -> Outcome {
    let Ok(header) = CookieHeader::parse(&input.header) else { return Outcome::Found(0) };
    tally(header.iter().map(|c| (c.name(), c.value())))
}

/// This crate: validate the header only.
fn embedded_cookie_parse(input: &Input) -> Outcome {
    match CookieHeader::parse(&input.header) {
        Ok(header) => {
            black_box(header);
            Outcome::Checked
        }
        Err(_) => Outcome::Found(0),
    }
}

/// This crate: validate the header, then look one cookie up.
fn embedded_cookie_get(input: &Input) -> Outcome {
    let Ok(header) = CookieHeader::parse(&input.header) else { return Outcome::Found(0) };
    Outcome::Found(header.get(input.lookup).map_or(0, |c| c.value().len()))
}

/// `cookie` 0.18: `Cookie::split_parse`, every pair that parses.
fn cookie_crate(input: &Input) -> Outcome {
    let (mut cookies, mut bytes) = (0, 0);
    for cookie in cookie::Cookie::split_parse(input.header.as_str()).filter_map(Result::ok) {
        let (name, value) = black_box((cookie.name(), cookie.value()));
        cookies += 1;
        bytes += name.len() + value.len();
    }
    Outcome::All { cookies, bytes }
}

/// `biscotti` 0.4: `RequestCookies::parse_header` builds its map of every cookie;
/// the lookup reads it back.
fn biscotti(input: &Input) -> Outcome {
    thread_local! {
        // Percent-decoding off: the other contenders hand out the raw bytes too.
        static PROCESSOR: biscotti::Processor = {
            let mut config = biscotti::ProcessorConfig::default();
            config.percent_encode = false;
            config.into()
        };
    }
    PROCESSOR.with(|processor| {
        match biscotti::RequestCookies::parse_header(&input.header, processor) {
            Ok(cookies) => Outcome::Found(cookies.get(input.lookup).map_or(0, |c| c.value().len())),
            Err(_) => Outcome::Found(0),
        }
    })
}

/// The floor: split on `;`, find `=`, trim SP/HTAB. No validation at all.
fn floor(input: &Input) -> Outcome {
    let pairs = input.header.as_bytes().split(|&b| b == b';').filter_map(|pair| {
        let eq = pair.iter().position(|&b| b == b'=')?;
        let (name, value) = pair.split_at(eq);
        Some((name.trim_ascii(), value.get(1..)?.trim_ascii()))
    });
    tally(pairs)
}

/// Every contender on `Cookie` headers, this crate first.
pub const COOKIE_CONTENDERS: &[Contender] = &[
    Contender { name: "embedded-cookie", run: embedded_cookie },
    Contender { name: "embedded-cookie-get", run: embedded_cookie_get },
    Contender { name: "embedded-cookie-parse", run: embedded_cookie_parse },
    Contender { name: "cookie", run: cookie_crate },
    Contender { name: "biscotti", run: biscotti },
    Contender { name: "floor", run: floor },
];

/// The four `Set-Cookie` lines a Django back end sends at login: the session, the
/// CSRF token, the language and the cookie consent, each with `Expires` (as
/// Django writes it, with `Max-Age` too).
const SET_COOKIES: &[(&str, &str, i64, i64, bool, bool)] = &[
    ("sessionid", "x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3", 1_797_152_412, 1_209_600, true, true),
    ("csrftoken", "Zq8WkL2mN5vB7xC1zA4sD6fG9hJ0kL3p", 1_827_392_412, 31_449_600, false, true),
    ("django_language", "en", 1_827_478_812, 31_536_000, false, false),
    ("cookies_preferences", "necessary%2Canalytics", 1_827_478_812, 31_536_000, false, false),
];

/// The lines of [`SET_COOKIES`] as Django writes them, one input: a response.
pub fn set_cookie_lines() -> Vec<Input> {
    let lines: Vec<String> = SET_COOKIES
        .iter()
        .map(|&(name, value, expires, max_age, http_only, secure)| {
            let mut line = format!("{name}={value}; expires={}", fixdate(expires));
            if http_only {
                line += "; HttpOnly";
            }
            line += &format!("; Max-Age={max_age}; Path=/; SameSite=Lax");
            if secure {
                line += "; Secure";
            }
            line
        })
        .collect();
    vec![Input { name: "django", header: lines.join("\n"), lookup: "sessionid" }]
}

/// What a browser receives on a news site with ads and analytics: twenty lines
/// with `Domain`, `Path`, `Expires`, `SameSite` and the flags, as the sites' servers
/// write them (Cloudflare, Google, consent tools, the site's own session).
const BROWSER: &[&str] = &[
    "__cf_bm=Xy7zQ2w1.Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1-1732780812-1.0.1.1-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789; path=/; expires=Thu, 28-Nov-24 09:30:12 GMT; domain=.news.example; HttpOnly; Secure; SameSite=None",
    "_cfuvid=aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9d-1732780812345-0.0.1.1-604800000; path=/; domain=.news.example; HttpOnly; Secure; SameSite=None",
    "sessionid=x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3; Domain=news.example; expires=Thu, 12 Dec 2024 09:00:12 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax; Secure",
    "csrftoken=Zq8WkL2mN5vB7xC1zA4sD6fG9hJ0kL3p; Domain=news.example; expires=Thu, 27 Nov 2025 09:00:12 GMT; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
    "NID=519=abcDEF123ghiJKL456mnoPQR789stuVWX012yzaBCD345efgHIJ678klmNOP901qrsTUV; expires=Fri, 30-May-2025 09:00:12 GMT; path=/; domain=.google.com; Secure; HttpOnly; SameSite=none",
    "AEC=AVYB7cpQ1xZ2yW3vU4tS5rQ6pO7nM8lK9jI0hG1fE2dC3bA4; expires=Tue, 27-May-2025 09:00:12 GMT; path=/; domain=.google.com; Secure; HttpOnly; SameSite=lax",
    "_ga=GA1.1.1318465132.1732780812; Domain=.news.example; Path=/; Expires=Sat, 28 Nov 2026 09:00:12 GMT; SameSite=Lax",
    "_ga_XYZ123ABC=GS1.1.1732780812.1.0.1732780812.0.0.0; Domain=.news.example; Path=/; Expires=Sat, 28 Nov 2026 09:00:12 GMT; SameSite=Lax",
    "_gcl_au=1.1.1803524470.1732780812; Domain=.news.example; Path=/; Expires=Wed, 26 Feb 2025 09:00:12 GMT; SameSite=Lax",
    "IDE=AHWqTUm8q2Xr4Yt6Uv8Wx0Yz2Ab4Cd6Ef8Gh0Ij2Kl4Mn6Op8Qr0St2Uv4Wx6; expires=Sun, 28-Dec-2025 09:00:12 GMT; path=/; domain=.doubleclick.net; Secure; HttpOnly; SameSite=none",
    "test_cookie=CheckForPermission; expires=Thu, 28-Nov-2024 09:15:12 GMT; path=/; domain=.doubleclick.net; Secure; SameSite=none",
    "OptanonConsent=isGpcEnabled=0&datestamp=Thu+Nov+28+2024+09%3A00%3A12&version=202409.1.0&groups=C0001%3A1%2CC0002%3A1; Domain=.news.example; Path=/; Expires=Fri, 28 Nov 2025 09:00:12 GMT; SameSite=Lax",
    "OptanonAlertBoxClosed=2024-11-28T08:00:12.345Z; Domain=.news.example; Path=/; Expires=Fri, 28 Nov 2025 09:00:12 GMT; SameSite=Lax",
    "_fbp=fb.1.1732780812345.1234567890; Domain=.news.example; Path=/; Expires=Wed, 26 Feb 2025 09:00:12 GMT; SameSite=Lax",
    "__hstc=123456789.0a1b2c3d4e5f60718293a4b5c6d7e8f9.1732780812345.1732780812345.1732781034567.2; Domain=.news.example; Path=/; Expires=Tue, 27 May 2025 09:00:12 GMT; SameSite=Lax",
    "hubspotutk=0a1b2c3d4e5f60718293a4b5c6d7e8f9; Domain=.news.example; Path=/; Expires=Tue, 27 May 2025 09:00:12 GMT; SameSite=Lax",
    "paywall_meter=3; Path=/articles; Expires=Sun, 01 Dec 2024 00:00:00 GMT; SameSite=Lax; Secure",
    "theme=dark; Path=/; Expires=Fri, 28 Nov 2025 09:00:12 GMT; SameSite=Lax",
    "edition=eu; Domain=news.example; Path=/; Expires=Fri, 28 Nov 2025 09:00:12 GMT; SameSite=Lax; Secure",
    "__Host-subscriber=eyJ1aWQiOjQyLCJwbGFuIjoicHJlbWl1bSJ9.c2lnbmF0dXJl; Path=/; Expires=Sat, 28 Dec 2024 09:00:12 GMT; HttpOnly; Secure; SameSite=Strict",
];

/// [`BROWSER`]'s lines, one input: what a browser parses on loading a page.
pub fn browser_lines() -> Input {
    Input { name: "browser", header: BROWSER.join("\n"), lookup: "sessionid" }
}

fn fixdate(secs: i64) -> ImfFixdate {
    ImfFixdate::new(secs).unwrap_or_else(|e| panic!("{secs}: {e:?}"))
}

/// This crate: `SetCookie::parse` of each line, which reads the `Expires` date.
fn embedded_cookie_set_cookie(input: &Input) -> Outcome {
    let (mut lines, mut bytes, mut expires) = (0, 0, 0);
    for line in input.header.split('\n') {
        let Ok(cookie) = SetCookie::parse(line) else { continue };
        let (name, value, at) = black_box((cookie.name(), cookie.value(), cookie.expires()));
        lines += 1;
        bytes += name.len() + value.len();
        expires += at.unwrap_or(0);
    }
    Outcome::Lines { lines, bytes, expires }
}

/// `cookie` 0.18: `Cookie::parse` of each line, which reads the `Expires` date.
fn cookie_set_cookie(input: &Input) -> Outcome {
    let (mut lines, mut bytes, mut expires) = (0, 0, 0);
    for line in input.header.split('\n') {
        let Ok(cookie) = cookie::Cookie::parse(line) else { continue };
        let at = cookie.expires_datetime().map(|t| t.unix_timestamp());
        let (name, value, at) = black_box((cookie.name(), cookie.value(), at));
        lines += 1;
        bytes += name.len() + value.len();
        expires += at.unwrap_or(0);
    }
    Outcome::Lines { lines, bytes, expires }
}

/// This crate: `SetCookieBuilder` writes each line into a buffer on the stack.
fn embedded_cookie_build(_: &Input) -> Outcome {
    let mut buf = [0u8; 256];
    let (mut lines, mut bytes) = (0, 0);
    for &(name, value, expires, max_age, http_only, secure) in black_box(SET_COOKIES) {
        let built = SetCookieBuilder::new(name, value)
            .expires(fixdate(expires))
            .max_age(max_age)
            .path("/")
            .same_site(SameSite::Lax)
            .http_only(http_only)
            .secure(secure)
            .write(&mut buf);
        if let Ok(len) = built {
            black_box(&buf);
            lines += 1;
            bytes += len;
        }
    }
    Outcome::Built { lines, bytes }
}

/// `cookie` 0.18: `Cookie::build`, written with `Display` into a `String` that is
/// reused (no allocation per line, as the kindest use of it).
fn cookie_build(_: &Input) -> Outcome {
    thread_local! {
        static BUF: std::cell::RefCell<String> = std::cell::RefCell::new(String::with_capacity(256));
    }
    BUF.with_borrow_mut(|buf| {
        let (mut lines, mut bytes) = (0, 0);
        for &(name, value, expires, max_age, http_only, secure) in black_box(SET_COOKIES) {
            let Ok(at) = time::OffsetDateTime::from_unix_timestamp(expires) else { continue };
            let cookie = cookie::Cookie::build((name, value))
                .expires(at)
                .max_age(time::Duration::seconds(max_age))
                .path("/")
                .same_site(cookie::SameSite::Lax)
                .http_only(http_only)
                .secure(secure)
                .build();
            buf.clear();
            if write!(buf, "{cookie}").is_ok() {
                black_box(&buf);
                lines += 1;
                bytes += buf.len();
            }
        }
        Outcome::Built { lines, bytes }
    })
}

/// Every contender on `Set-Cookie` lines, this crate first.
pub const SET_COOKIE_CONTENDERS: &[Contender] = &[
    Contender { name: "embedded-cookie", run: embedded_cookie_set_cookie },
    Contender { name: "cookie", run: cookie_set_cookie },
];

/// Every contender building `Set-Cookie` lines, this crate first.
pub const BUILD_CONTENDERS: &[Contender] = &[
    Contender { name: "embedded-cookie", run: embedded_cookie_build },
    Contender { name: "cookie", run: cookie_build },
];

/// The policy of the Django site whose cookies `typical` holds: the four it declares.
pub const DJANGO_POLICY: &str = "sessionid | necessary\ncsrftoken | necessary\n\
                                 django_language | preferences\ncookies_preferences | necessary";

/// The head a browser sends to a device at a LAN address, around `cookie`.
pub fn request_head(cookie: &str) -> String {
    format!(
        "GET /status HTTP/1.1\r\nHost: 192.168.1.20\r\n\
         User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n\
         Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
         Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n\
         Connection: keep-alive\r\nCookie: {cookie}\r\n\r\n"
    )
}

/// The request-head filter on the head around the `typical` header, under
/// [`DJANGO_POLICY`], in one call into a buffer the size of the head.
fn head_filter(input: &Input) -> Outcome {
    use embedded_cookie::head::HeadFilter;
    use embedded_cookie::policy::Policy;
    use std::cell::RefCell;
    use std::sync::LazyLock;

    static POLICY: LazyLock<Policy<'static, 4>> =
        LazyLock::new(|| Policy::load(DJANGO_POLICY).unwrap());
    thread_local! {
        // Kept between runs: an allocation would be counted with the filter.
        static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let head = input.header.as_bytes();
    OUT.with_borrow_mut(|out| {
        out.resize(head.len(), 0);
        let mut filter = HeadFilter::new(&*POLICY).unwrap();
        let progress = filter.filter(head, out).unwrap();
        assert_eq!(progress.read, head.len());
        black_box(&out[..progress.written]);
        Outcome::Filtered { bytes: progress.written }
    })
}

/// The request-head filter, for `scripts/instructions` (timed by `benches/head.rs`,
/// beside `CookieHeader::parse` of the `Cookie` header alone).
pub fn head_suite() -> Suite {
    let typical = cookie_headers().into_iter().find(|i| i.name == "typical").unwrap();
    let head = request_head(&typical.header);
    Suite {
        name: "request-head",
        inputs: vec![Input { name: "typical", header: head, lookup: typical.lookup }],
        contenders: &[Contender { name: "head-filter", run: head_filter }],
    }
}

/// One kind of work: its inputs and the contenders that do it.
pub struct Suite {
    /// Name in benchmark ids, tables and on the command line.
    pub name: &'static str,
    pub inputs: Vec<Input>,
    pub contenders: &'static [Contender],
}

/// Every suite the benchmarks run.
pub fn suites() -> Vec<Suite> {
    vec![
        Suite { name: "cookie-header", inputs: cookie_headers(), contenders: COOKIE_CONTENDERS },
        Suite {
            name: "set-cookie-parse",
            inputs: set_cookie_lines().into_iter().chain([browser_lines()]).collect(),
            contenders: SET_COOKIE_CONTENDERS,
        },
        Suite {
            name: "set-cookie-build",
            inputs: set_cookie_lines(),
            contenders: BUILD_CONTENDERS,
        },
    ]
}

/// Panics unless every contender of every suite does the same work on every
/// input: a benchmark of a parser that reads something else measures nothing.
pub fn check_contenders_agree(suites: &[Suite]) {
    for suite in suites {
        for input in &suite.inputs {
            let mut seen: Vec<Outcome> = Vec::new();
            for contender in suite.contenders {
                let got = (contender.run)(input);
                let same_kind = seen
                    .iter()
                    .find(|o| std::mem::discriminant(*o) == std::mem::discriminant(&got));
                match same_kind {
                    Some(want) => assert_eq!(&got, want, "{} on {}", contender.name, input.name),
                    None => seen.push(got),
                }
            }
        }
    }
    // The checks above compare contenders; these pin what they must all find.
    for input in cookie_headers() {
        assert!(matches!(embedded_cookie(&input), Outcome::All { cookies, .. } if cookies > 0));
        assert!(matches!(embedded_cookie_get(&input), Outcome::Found(n) if n > 0));
    }
    let read = embedded_cookie_set_cookie(&browser_lines());
    assert!(matches!(read, Outcome::Lines { lines, .. } if lines == BROWSER.len()), "{read:?}");
    for input in set_cookie_lines() {
        let lines = SET_COOKIES.len();
        assert!(
            matches!(embedded_cookie_set_cookie(&input), Outcome::Lines { lines: l, .. } if l == lines)
        );
        assert!(
            matches!(embedded_cookie_build(&input), Outcome::Built { lines: l, .. } if l == lines)
        );
    }
}
