//! `Jar`: stores and requests in any order, and `Url::parse` on every URL.

use embedded_cookie::jar::Url;
use embedded_cookie::jar::{Jar, domain_match, path_match};
use embedded_cookie::set_cookie::Spec;

use crate::cookie_header::is_ctl;

/// A few public suffixes for the fuzzed jar: generic top-level domains and `co.uk`. Not the
/// Public Suffix List.
const SUFFIXES: &[&str] = &["com", "net", "org", "edu", "gov", "io", "uk", "co.uk"];

const COOKIES: usize = 8;
const BYTES: usize = 512;

/// `data` is a script, one record a line: `u` and a URL makes it the request URL,
/// `t` and digits moves the clock on that many seconds, `g` asks for the `Cookie`
/// header, anything else is a `Set-Cookie` line stored at the URL. The first byte's
/// parity picks the rules. After each step the jar holds no more than its capacity,
/// nothing expired, no control byte; a header holds exactly the cookies that match
/// the URL.
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
            Some((b'g', _)) => check_header(&mut jar, &url, now),
            _ => drop(jar.store(&url, record, now)),
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

fn check_header<P: embedded_cookie::jar::PublicSuffixes>(
    jar: &mut Jar<P, COOKIES, BYTES>,
    url: &Url<'_>,
    now: i64,
) {
    jar.remove_expired(now);
    assert!(jar.iter().all(|c| c.expiry().is_none_or(|at| at > now)), "an expired cookie kept");
    let mut want: Vec<Vec<u8>> = jar
        .iter()
        .filter(|c| {
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
    let mut got: Vec<Vec<u8>> = if header.is_empty() {
        Vec::new()
    } else {
        header.split(|&b| b == b';').map(|s| s.strip_prefix(b" ").unwrap_or(s).to_vec()).collect()
    };
    want.sort();
    got.sort();
    assert_eq!(got, want, "the header holds other cookies than those matching the URL");
}
