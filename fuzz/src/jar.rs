//! `Jar`: stores and requests in any order, and `Url::parse` on every URL.

use embedded_cookie::jar::{Jar, JarError, PublicSuffixes, Url};
use embedded_cookie::set_cookie::Spec;

use crate::cookie_header::is_ctl;

/// A few public suffixes for the fuzzed jar: generic top-level domains and `co.uk`. Not the
/// Public Suffix List.
const SUFFIXES: &[&str] = &["com", "net", "org", "edu", "gov", "io", "uk", "co.uk"];

const COOKIES: usize = 8;
const BYTES: usize = 512;

/// `data` is a script, one record a line: `u` and a URL makes it the request URL,
/// `t` and digits moves the clock on that many seconds, `g` asks for the `Cookie`
/// header (`g` alone after purging expired cookies, `g` and more without, so that
/// `cookie_header`'s own expiry handling is exercised), anything else is a
/// `Set-Cookie` line stored at the URL. The first byte's parity picks the rules.
/// After each step the jar holds no more than its capacity, nothing expired, no
/// control byte; a header holds exactly the cookies that match the URL; a URL of
/// another scheme than http(s) and ws(s) stores and receives nothing. Under
/// 6265bis a store over an insecure scheme never removes, changes or shadows a
/// live `Secure` cookie; and no store evicts another site's cookie while its own
/// site (registrable domain) holds more than its share. The expected header, the
/// shadowing check and the sites use the model's own matching ([`domain_match`],
/// [`path_match`], [`site`]), never the library's.
pub fn check(data: &[u8]) {
    let rules =
        if data.first().is_some_and(|b| b % 2 == 0) { Spec::Rfc6265bis } else { Spec::Rfc6265 };
    let mut jar: Jar<_, COOKIES, BYTES> = Jar::new(rules, SUFFIXES);
    let mut url_text = String::from("https://www.example.com/a/b");
    let mut now: i64 = 1_700_000_000;
    for record in data.split(|&b| b == b'\n') {
        let url = Url::parse(&url_text).expect("a URL that parsed once");
        match record.split_first() {
            Some((b'u', rest)) => {
                if let Some(next) = core::str::from_utf8(rest).ok().and_then(|t| Url::parse(t).ok())
                {
                    assert!(next.path().starts_with('/'));
                    assert!(
                        !next.host_str().bytes().any(|b| b.is_ascii_uppercase()),
                        "host not lower-cased"
                    );
                    assert!(next.host_str().is_ascii(), "a host not converted to its A-labels");
                    url_text = String::from_utf8(rest.to_vec()).unwrap();
                }
            }
            Some((b't', digits)) => {
                let secs = digits
                    .iter()
                    .take(9)
                    .filter(|b| b.is_ascii_digit())
                    .fold(0, |n, d| n * 10 + i64::from(d - b'0'));
                now = now.saturating_add(secs);
            }
            Some((b'g', rest)) => check_header(&mut jar, &url, now, rest.is_empty()),
            _ => check_store(&mut jar, &url, record, now),
        }
        assert!(jar.len() <= COOKIES && jar.bytes_used() <= BYTES);
        assert_eq!(jar.iter().count(), jar.len());
        for c in jar.iter() {
            assert!(
                !c.name().iter().chain(c.value()).copied().any(is_ctl),
                "a control byte was stored"
            );
            assert!(c.path().starts_with(b"/"));
        }
    }
}

/// A stored cookie as the invariants compare it: name, value, domain, path,
/// host-only, Secure.
type Seen = (Vec<u8>, Vec<u8>, String, Vec<u8>, bool, bool);

fn seen<P: PublicSuffixes>(jar: &Jar<P, COOKIES, BYTES>, now: i64) -> Vec<Seen> {
    jar.iter()
        .filter(|c| c.expiry().is_none_or(|at| at > now))
        .map(|c| {
            let (name, value) = (c.name().to_vec(), c.value().to_vec());
            (name, value, c.domain().to_owned(), c.path().to_vec(), c.host_only(), c.secure())
        })
        .collect()
}

fn is_web(url: &Url<'_>) -> bool {
    ["http", "https", "ws", "wss"].iter().any(|s| url.scheme().eq_ignore_ascii_case(s))
}

fn check_store<P: PublicSuffixes>(
    jar: &mut Jar<P, COOKIES, BYTES>,
    url: &Url<'_>,
    line: &[u8],
    now: i64,
) {
    let before = seen(jar, now);
    let result = jar.store(url, line, now);
    let after = seen(jar, now);
    if !is_web(url) {
        assert_eq!(
            result,
            Err(JarError::UnsupportedScheme),
            "a cookie stored for {}",
            url.scheme()
        );
    }
    let Ok(stored) = result else {
        assert_eq!(before, after, "a refused store changed the jar");
        return;
    };
    let new: Vec<&Seen> = after.iter().filter(|c| !before.contains(c)).collect();
    let lost: Vec<&Seen> = before.iter().filter(|c| !after.contains(c)).collect();
    assert!(new.len() <= 1, "one store added {new:?}");
    if jar.spec() == Spec::Rfc6265bis && !url.is_secure() {
        for gone in &lost {
            assert!(!gone.5, "a store over {} removed the Secure {gone:?}", url.scheme());
        }
        for c in &new {
            let shadowed = before.iter().any(|s| {
                s.5 && s.0 == c.0
                    && (domain_match(&s.2, &c.2) || domain_match(&c.2, &s.2))
                    && path_match(&c.3, &s.3)
            });
            assert!(!shadowed, "{c:?} shadows a Secure cookie, stored over {}", url.scheme());
        }
    }
    // The site that stored: that of the cookie added, else of the one deleted.
    let Some(stored_site) = new.first().or(lost.first()).map(|c| site(&c.2)) else { return };
    // Evictions go one at a time: once its own have brought the site down to
    // its share, a large cookie may need another site's room too.
    let held = after.iter().filter(|c| site(&c.2) == stored_site).count();
    if stored.evicted_lru > 0 && held > jar.domain_share() {
        for gone in &lost {
            assert_eq!(
                site(&gone.2),
                stored_site,
                "{stored_site}, over its share, evicted {gone:?}"
            );
        }
    }
}

/// RFC 6265 §5.1.3: `host` is `domain`, or ends in `.` and `domain` and is a name.
fn domain_match(host: &str, domain: &str) -> bool {
    host == domain || (!domain.is_empty() && host.ends_with(&format!(".{domain}")) && !is_ip(host))
}

/// RFC 6265 §5.1.4: `cookie` is `request`, or a prefix of it ending in `/` or
/// followed in it by `/`.
fn path_match(request: &[u8], cookie: &[u8]) -> bool {
    request.starts_with(cookie)
        && (request.len() == cookie.len()
            || cookie.ends_with(b"/")
            || request.get(cookie.len()) == Some(&b'/'))
}

/// An IPv6 literal, or a host whose last label (one trailing dot aside) is a
/// number: decimal, or `0x` and hex digits (the WHATWG URL rule).
fn is_ip(host: &str) -> bool {
    let last = host.strip_suffix('.').unwrap_or(host).rsplit('.').next().unwrap_or("");
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    host.starts_with('[')
        || (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The site (registrable domain) of a cookie's domain: an address itself; else
/// the longest suffix in [`SUFFIXES`] plus one label, or the last two labels when
/// none is listed; a suffix or a single label is its own site.
fn site(domain: &str) -> String {
    if is_ip(domain) {
        return domain.to_owned();
    }
    let name = domain.strip_suffix('.').unwrap_or(domain);
    let starts: Vec<usize> =
        std::iter::once(0).chain(name.match_indices('.').map(|(i, _)| i + 1)).collect();
    let listed =
        starts.iter().position(|&s| SUFFIXES.iter().any(|x| x.eq_ignore_ascii_case(&name[s..])));
    let first = match listed {
        Some(k) => k.saturating_sub(1),
        None => starts.len().saturating_sub(2),
    };
    domain[starts[first]..].to_owned()
}

fn check_header<P: PublicSuffixes>(
    jar: &mut Jar<P, COOKIES, BYTES>,
    url: &Url<'_>,
    now: i64,
    purge: bool,
) {
    if purge {
        jar.remove_expired(now);
        assert!(jar.iter().all(|c| c.expiry().is_none_or(|at| at > now)), "an expired cookie kept");
    }
    let mut want: Vec<Vec<u8>> = jar
        .iter()
        .filter(|c| {
            if !is_web(url) || c.expiry().is_some_and(|at| at <= now) {
                return false;
            }
            let domain = if c.host_only() {
                c.domain() == url.host_str()
            } else {
                domain_match(url.host_str(), c.domain())
            };
            domain
                && path_match(url.path().as_bytes(), c.path())
                && (!c.secure() || url.is_secure())
        })
        .map(|c| {
            if c.name().is_empty() {
                c.value().to_vec()
            } else {
                [c.name(), b"=", c.value()].concat()
            }
        })
        .collect();
    let mut buf = [0u8; BYTES + 3 * COOKIES];
    let header = jar.cookie_header(url, now, &mut buf).expect("HEADER_CAPACITY was too small");
    let header = header.to_vec();
    assert!(jar.iter().all(|c| c.expiry().is_none_or(|at| at > now)), "an expired cookie kept");
    let mut got: Vec<Vec<u8>> = if header.is_empty() {
        Vec::new()
    } else {
        header.split(|&b| b == b';').map(|s| s.strip_prefix(b" ").unwrap_or(s).to_vec()).collect()
    };
    want.sort();
    got.sort();
    assert_eq!(got, want, "the header holds other cookies than those matching the URL");
}
