//! The URL splitter of the jar: scheme, host and path.

use crate::octets;
use crate::punycode::{self, PunycodeError};

/// The longest host a [`Host`] holds: 253 bytes, the longest DNS name.
pub const MAX_HOST_LEN: usize = 253;

/// Why a URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum UrlError {
    /// No `scheme://` at the start: a relative reference, or a scheme without an
    /// authority such as `mailto:`.
    MissingScheme,
    /// The scheme is not `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    InvalidScheme,
    /// The authority holds no host (`http:///path`, `http://:80/`).
    MissingHost,
    /// A host byte is not `ALPHA / DIGIT / "-" / "." / "_" / "~"`, or a bracketed
    /// host is not an RFC 3986 `IPv6address`.
    InvalidHost,
    /// The host is longer than [`MAX_HOST_LEN`].
    HostTooLong,
    /// The port is not a decimal number from 0 to 65535.
    InvalidPort,
    /// A control byte or a space appears in the URL.
    InvalidCharacter,
    /// A `\` appears in the authority, which WHATWG parsers read as `/` in `http`
    /// URLs: the host would not be the one a browser finds.
    Backslash,
}

texts! {
    /// A short, stable description, e.g. `"invalid host"`.
    UrlError: display, error {
        Self::MissingScheme => "no scheme://",
        Self::InvalidScheme => "invalid scheme",
        Self::MissingHost => "no host",
        Self::InvalidHost => "invalid host",
        Self::HostTooLong => "host too long",
        Self::InvalidPort => "invalid port",
        Self::InvalidCharacter => "control byte or space",
        Self::Backslash => "backslash in the authority",
    }
}

/// A host name or IP literal, lower-cased, at most [`MAX_HOST_LEN`] ASCII bytes,
/// held in place.
///
/// ```
/// use embedded_cookie::jar::Host;
///
/// assert_eq!(Host::new("Home.Example.ORG")?.as_str(), "home.example.org");
/// # Ok::<(), embedded_cookie::jar::UrlError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Host(heapless::String<MAX_HOST_LEN, u8>);

impl Host {
    /// Checks and lower-cases a host: a registered name of
    /// `ALPHA / DIGIT / "-" / "." / "_" / "~"` bytes and non-ASCII characters
    /// (neither control nor space), or an RFC 3986 IPv6 address in brackets. A
    /// label with non-ASCII characters becomes its A-label, the RFC 3492 Punycode
    /// of its lower case after `xn--`, as browsers and Go's cookie jar match it
    /// (without the rest of IDNA mapping); an A-label that makes the host longer
    /// than [`MAX_HOST_LEN`] is [`UrlError::HostTooLong`]. A host of more than
    /// [`MAX_HOST_LEN`] characters is that error at once, whatever it holds: the
    /// work is bounded by the longest host, not by the text given.
    ///
    /// ```
    /// use embedded_cookie::jar::{Host, UrlError};
    ///
    /// assert_eq!(Host::new("[FE80::1:2.3.4.5]")?.as_str(), "[fe80::1:2.3.4.5]");
    /// assert_eq!(Host::new("Bücher.Example")?.as_str(), "xn--bcher-kva.example");
    /// assert_eq!(Host::new("[1.2.3.4]"), Err(UrlError::InvalidHost));
    /// # Ok::<(), UrlError>(())
    /// ```
    pub fn new(host: &str) -> Result<Self, UrlError> {
        if host.is_empty() {
            return Err(UrlError::MissingHost);
        }
        // Each character becomes at least one byte of the host (an A-label has a
        // letter or digit for each character of its label): a host of more
        // characters cannot fit, and is refused before any pass over it.
        if host.chars().nth(MAX_HOST_LEN).is_some() {
            return Err(UrlError::HostTooLong);
        }
        let valid = match host.as_bytes() {
            [b'[', inner @ .., b']'] => is_ipv6_address(inner),
            _ => host.chars().all(|c| match u8::try_from(c) {
                Ok(b) if b.is_ascii() => octets::is_host(b),
                _ => !c.is_control() && !c.is_whitespace(),
            }),
        };
        if !valid {
            return Err(UrlError::InvalidHost);
        }
        let mut out = heapless::String::new();
        let mut rest = host;
        loop {
            let (label, tail) = match position(rest, b".") {
                Some(dot) => (rest.get(..dot).unwrap_or_default(), rest.get(dot + 1..)),
                None => (rest, None),
            };
            punycode::push_label(label, &mut out).map_err(|e| match e {
                PunycodeError::Overflow => UrlError::HostTooLong,
                PunycodeError::Arithmetic => UrlError::InvalidHost,
            })?;
            let Some(tail) = tail else { break };
            out.push('.').map_err(|_| UrlError::HostTooLong)?;
            rest = tail;
        }
        Ok(Self(out))
    }

    /// The host, lower-case ASCII.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// True for an IP address rather than a name: an IPv6 literal, or a host that
    /// ends in a number, as the WHATWG URL Standard decides it for IPv4: its last
    /// label, after one trailing dot is dropped, is all digits, or `0x` and hex
    /// digits. Cookies for an IP address are host-only: RFC 6265 §5.1.3
    /// domain-matches names only.
    ///
    /// ```
    /// use embedded_cookie::jar::Host;
    ///
    /// assert!(Host::new("192.168.1.10.")?.is_ip());
    /// assert!(Host::new("[::1]")?.is_ip());
    /// assert!(!Host::new("device.local")?.is_ip());
    /// # Ok::<(), embedded_cookie::jar::UrlError>(())
    /// ```
    pub fn is_ip(&self) -> bool {
        is_ip_address(self.as_str())
    }
}

/// An IPv6 literal, or a host that ends in a number (WHATWG URL "ends in a
/// number", whose IPv4 number parser takes `0x` with any hex digits, none too).
pub(crate) fn is_ip_address(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    let last = match name.bytes().rposition(|b| b == b'.') {
        Some(dot) => name.get(dot + 1..).unwrap_or_default(),
        None => name,
    };
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    host.starts_with('[')
        || (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || hex.is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// RFC 3986 `IPv6address`: eight 16-bit pieces, or fewer with one `::` standing
/// for the rest; the last two pieces may be written as an IPv4 address.
fn is_ipv6_address(text: &[u8]) -> bool {
    match text.windows(2).position(|pair| pair == b"::") {
        None => ipv6_pieces(text, true) == Some(8),
        Some(at) => {
            let head = text.get(..at).unwrap_or_default();
            let tail = text.get(at + 2..).unwrap_or_default();
            // A second `::`, or `:::`, leaves an empty group in the tail.
            matches!(
                (ipv6_pieces(head, false), ipv6_pieces(tail, true)),
                (Some(h), Some(t)) if h + t <= 7
            )
        }
    }
}

/// How many 16-bit pieces `[ h16 *( ":" h16 ) ]` holds, where with `ipv4_last`
/// the last group may be an IPv4 address (two pieces); `None` when it is not that.
fn ipv6_pieces(text: &[u8], ipv4_last: bool) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut groups = text.split(|&b| b == b':').peekable();
    let mut pieces = 0;
    while let Some(group) = groups.next() {
        pieces += if ipv4_last && groups.peek().is_none() && group.contains(&b'.') {
            is_ipv4_address(group).then_some(2)?
        } else {
            let h16 = (1..=4).contains(&group.len()) && group.iter().all(u8::is_ascii_hexdigit);
            h16.then_some(1)?
        };
    }
    Some(pieces)
}

/// RFC 3986 `IPv4address`: four `dec-octet`s, 0 to 255 without leading zeros.
fn is_ipv4_address(text: &[u8]) -> bool {
    let mut octets = 0;
    let all_octets = text.split(|&b| b == b'.').all(|octet| {
        octets += 1;
        // At most three digits, so the value below stays small.
        let shape = matches!(octet, [_] | [b'1'..=b'9', _] | [b'1'..=b'2', _, _]);
        shape
            && octet
                .iter()
                .try_fold(0u16, |n, &b| b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0')))
                .is_some_and(|value| value <= 255)
    });
    all_octets && octets == 4
}

/// An absolute URL split into what a cookie jar needs: scheme, host and path.
///
/// [`Url::parse`] reads an absolute `http`-like URL (`scheme://authority/path?query`)
/// without allocating: the scheme and path borrow the input, the host is copied,
/// lower-cased, into a fixed 253-byte [`Host`] (the longest DNS name).
///
/// ```
/// use embedded_cookie::jar::Url;
///
/// let url = Url::parse("HTTPS://Api.Example.COM:8443/v1/login?next=/home#top")?;
/// assert_eq!(url.scheme(), "HTTPS");
/// assert!(url.is_secure());
/// assert_eq!(url.host_str(), "api.example.com");
/// assert!(!url.host().is_ip());
/// assert_eq!(url.path(), "/v1/login");
/// # Ok::<(), embedded_cookie::jar::UrlError>(())
/// ```
///
/// # What it does not handle
///
/// It is a splitter, not a WHATWG or RFC 3986 parser. Cookies only need the host
/// and the path, so:
///
/// - **Relative references** (`/path`, `//host/path`, `../x`) are refused
///   ([`UrlError::MissingScheme`]); resolve them against the request URL first.
/// - **No normalisation**: percent-escapes stay as written (`/f%6Fo` is not `/foo`),
///   dot segments stay (`/a/../b`), `//` stays. Cookie paths match byte for byte,
///   as RFC 6265 §5.1.4 asks.
/// - **Internationalised hosts** are matched by their A-labels: each label with
///   non-ASCII characters becomes `xn--` and the RFC 3492 Punycode of its lower
///   case ([`Host::new`]), as browsers and Go's cookie jar do, without the rest
///   of IDNA (UTS 46) mapping: no NFC normalisation, no full-width dots. An ASCII
///   host byte outside `ALPHA / DIGIT / "-" / "." / "_" / "~"` is
///   [`UrlError::InvalidHost`], and so is a percent-escape in the host.
/// - **IP addresses** are checked but not normalised. An IPv6 literal must be an
///   RFC 3986 `IPv6address` in brackets (eight groups, or fewer around one `::`,
///   the last two may be a dotted IPv4 address), else [`UrlError::InvalidHost`]; zone
///   identifiers (`%25eth0`) and `IPvFuture` (`[v1.x]`) are refused too. It is kept
///   as written with hex digits lower-cased, so `[0::1]` and `[::1]` are different
///   hosts. An IPv4 address is kept as written (`0x7f.1` is not read as
///   `127.0.0.1`, `1.2.3.4.` keeps its dot) and not checked: a host is an IP address
///   when it ends in a number ([`Host::is_ip`]), as the WHATWG URL Standard decides
///   it, even where that standard would refuse it (`example.1`).
/// - **A trailing dot** stays: `example.org.` and `example.org` are different hosts,
///   as they are to a browser's cookie store.
/// - **User information** (`user:pass@`) is skipped, up to the last `@` of the
///   authority; a **port** is checked (a decimal number up to 65535, or empty) and
///   dropped: ports play no part in cookie matching.
/// - **A `\` in the authority** is refused ([`UrlError::Backslash`]): WHATWG
///   parsers read it as `/` in `http` URLs, so `http://good.example\@evil.example/`
///   is `good.example` to a browser, not `evil.example`. In the path, where it
///   decides nothing about the host, it is kept as written.
/// - **The query and fragment** are cut off: they are never part of a cookie path.
///   An empty path reads as `/`, the path an HTTP client requests for it
///   (RFC 9110 §4.2.1).
/// - Bytes below `%x21` and `%x7F` are refused anywhere in the URL
///   ([`UrlError::InvalidCharacter`]); other non-ASCII bytes in the path are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Url<'a> {
    scheme: &'a str,
    host: Host,
    path: &'a str,
}

impl<'a> Url<'a> {
    /// Splits `url` into scheme, host and path.
    ///
    /// ```
    /// use embedded_cookie::jar::{Url, UrlError};
    ///
    /// let url = Url::parse("http://user:pw@[::1]:8080")?;
    /// assert_eq!((url.host_str(), url.path()), ("[::1]", "/"));
    /// assert_eq!(Url::parse("/relative").unwrap_err(), UrlError::MissingScheme);
    /// # Ok::<(), UrlError>(())
    /// ```
    pub fn parse(url: &'a str) -> Result<Self, UrlError> {
        if url.bytes().any(|b| b == b' ' || octets::is_ctl(b) || b == b'\t') {
            return Err(UrlError::InvalidCharacter);
        }
        let colon = url.as_bytes().windows(3).position(|w| w == b"://");
        let (scheme, rest) = colon
            .and_then(|at| Some((url.get(..at)?, url.get(at + 3..)?)))
            .ok_or(UrlError::MissingScheme)?;
        let mut scheme_bytes = scheme.bytes();
        let first_is_alpha = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
        if !first_is_alpha || !scheme_bytes.all(octets::is_scheme) {
            // `a/b://c` has a `/` before `://`: a relative path, not a scheme.
            return Err(if position(scheme, b"/?#").is_some() {
                UrlError::MissingScheme
            } else {
                UrlError::InvalidScheme
            });
        }
        let authority_end = position(rest, b"/?#").unwrap_or(rest.len());
        let (authority, after) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
        if authority.bytes().any(|b| b == b'\\') {
            return Err(UrlError::Backslash);
        }
        let at = authority.bytes().rposition(|b| b == b'@');
        let host_port = at.and_then(|at| authority.get(at + 1..)).unwrap_or(authority);
        let host = without_port(host_port)?;
        let path_end = position(after, b"?#").unwrap_or(after.len());
        let path = match after.get(..path_end) {
            Some(p) if p.starts_with('/') => p,
            _ => "/",
        };
        Ok(Self { scheme, host: Host::new(host)?, path })
    }

    /// The scheme as written (compare it case-insensitively).
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// True for `https` and `wss`: the schemes whose requests may carry `Secure`
    /// cookies.
    pub fn is_secure(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https") || self.scheme.eq_ignore_ascii_case("wss")
    }

    /// The host, lower-cased: a [`Host`], which also says whether it is an IP
    /// address.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The host, lower-cased, as text.
    pub fn host_str(&self) -> &str {
        self.host.as_str()
    }

    /// The path as written, without query or fragment; `/` when the URL has none.
    pub fn path(&self) -> &'a str {
        self.path
    }
}

/// Where the first of `bytes` occurs in `text`. The crate searches bytes, never
/// `str` patterns: core's string searchers link panic paths into the firmware
/// (`examples/panic-never`).
fn position(text: &str, bytes: &[u8]) -> Option<usize> {
    text.bytes().position(|b| bytes.contains(&b))
}

/// The host of `host [ ":" port ]` (the host may be an IPv6 literal holding `:`),
/// once the port is checked.
fn without_port(host_port: &str) -> Result<&str, UrlError> {
    let colon = match host_port.bytes().rposition(|b| b == b':') {
        Some(i) if !host_port.bytes().skip(i).any(|b| b == b']') => i,
        _ => return Ok(host_port),
    };
    let (host, port) = (host_port.get(..colon).unwrap_or(""), host_port.get(colon + 1..));
    match port {
        // An empty port is allowed by RFC 3986 and means the default.
        Some("") | None => Ok(host),
        Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse::<u16>().map(|_| host).map_err(|_| UrlError::InvalidPort)
        }
        Some(_) => Err(UrlError::InvalidPort),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::ToOwned;

    type Split = (&'static str, &'static str);

    #[test]
    fn splits_what_cookies_need() {
        let cases: [(&str, Result<Split, UrlError>); 26] = [
            (
                "http://home.example.org:8888/cookie-parser?0001",
                Ok(("home.example.org", "/cookie-parser")),
            ),
            ("http://hoMe.eXaMplE.org:8888/x", Ok(("home.example.org", "/x"))),
            ("https://a.b", Ok(("a.b", "/"))),
            ("https://a.b?q=/x", Ok(("a.b", "/"))),
            ("https://a.b#/x", Ok(("a.b", "/"))),
            ("https://a.b:/p", Ok(("a.b", "/p"))),
            ("http://a.b/f%6Fo//bar/../x", Ok(("a.b", "/f%6Fo//bar/../x"))),
            ("http://a.b/p#f?q", Ok(("a.b", "/p"))),
            ("http://u:p@a.b/", Ok(("a.b", "/"))),
            ("http://u@x:p@a.b:1/", Ok(("a.b", "/"))),
            ("http://[::1]/", Ok(("[::1]", "/"))),
            ("http://[FE80::1]:65535", Ok(("[fe80::1]", "/"))),
            ("http://example.org./", Ok(("example.org.", "/"))),
            ("http://a_b-c~d.e/", Ok(("a_b-c~d.e", "/"))),
            ("wss://h/é", Ok(("h", "/é"))),
            ("http://h/a\\b?c\\d", Ok(("h", "/a\\b"))),
            ("http://[::ffff:1.2.3.4]:1/", Ok(("[::ffff:1.2.3.4]", "/"))),
            ("/cookie-parser", Err(UrlError::MissingScheme)),
            ("a/b://c", Err(UrlError::MissingScheme)),
            ("mailto:a@b", Err(UrlError::MissingScheme)),
            ("1http://a", Err(UrlError::InvalidScheme)),
            ("http:///p", Err(UrlError::MissingHost)),
            ("http://:80/", Err(UrlError::MissingHost)),
            ("http://a%2eb/", Err(UrlError::InvalidHost)),
            ("http://a.b:65536/", Err(UrlError::InvalidPort)),
            ("http://a b/", Err(UrlError::InvalidCharacter)),
        ];
        for (input, want) in cases {
            let got = Url::parse(input).map(|u| (u.host_str().to_owned(), u.path()));
            let want = want.map(|(h, path)| (h.to_owned(), path));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn refuses_what_it_does_not_handle() {
        let cases: [(&str, UrlError); 15] = [
            ("http://b\u{85}cher.example/", UrlError::InvalidHost),
            ("http://b\u{a0}cher.example/", UrlError::InvalidHost),
            ("http://[fe80::1%25eth0]/", UrlError::InvalidHost),
            ("http://[]/", UrlError::InvalidHost),
            ("http://[1.2.3.4]/", UrlError::InvalidHost),
            ("http://[:::::]/", UrlError::InvalidHost),
            ("http://good.example\\@evil.example/", UrlError::Backslash),
            ("http://good.example\\/", UrlError::Backslash),
            ("http://u\\p@h/", UrlError::Backslash),
            ("http://h:80\\/", UrlError::Backslash),
            ("http://[::1]\\/", UrlError::Backslash),
            ("http://a.b:8x/", UrlError::InvalidPort),
            ("http://a.b:123456/", UrlError::InvalidPort),
            ("http://a.b/\r\nX: y", UrlError::InvalidCharacter),
            ("http://a.b/\x7f", UrlError::InvalidCharacter),
        ];
        for (input, want) in cases {
            assert_eq!(Url::parse(input), Err(want), "{input}");
        }
        let long = std::format!("http://{}/", "a".repeat(MAX_HOST_LEN + 1));
        assert_eq!(Url::parse(&long), Err(UrlError::HostTooLong));
        let longest = std::format!("http://{}/", "a".repeat(MAX_HOST_LEN));
        assert_eq!(Url::parse(&longest).map(|u| u.host_str().len()), Ok(MAX_HOST_LEN));
    }

    #[test]
    fn secure_schemes_and_ip_hosts() {
        for (url, secure, ip) in [
            ("HTTPS://x", true, false),
            ("wss://x", true, false),
            ("http://x", false, false),
            ("ftp://x", false, false),
            ("http://127.0.0.1", false, true),
            ("http://[::1]", false, true),
            ("http://1.example", false, false),
            ("http://example.1", false, true),
            ("http://1.2.3.4./", false, true),
            ("http://1./", false, true),
            ("http://example.0x1F/", false, true),
            ("http://example.0x/", false, true),
            ("http://example.0xg/", false, false),
            ("http://example.1x/", false, false),
            ("http://1.2.3.4../", false, false),
            ("http://./", false, false),
        ] {
            let u = Url::parse(url).unwrap();
            assert_eq!((u.is_secure(), u.host().is_ip()), (secure, ip), "{url}");
        }
    }

    /// RFC 3986 `IPv6address` in brackets, and nothing else.
    #[test]
    fn ipv6_literals_follow_rfc_3986() {
        #[rustfmt::skip]
        let valid = [
            "[::]", "[::1]", "[1::]", "[1::8]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7::]",
            "[::2:3:4:5:6:7:8]", "[1:2:3:4:5:6::8]", "[ABCD:ef01::]", "[::ffff:1.2.3.4]",
            "[1:2:3:4:5:6:1.2.3.4]", "[::0.0.0.0]", "[::255.255.255.255]", "[fe80::1:10.0.0.1]",
        ];
        for host in valid {
            assert_eq!(Host::new(host).map(|h| h.is_ip()), Ok(true), "{host}");
        }
        #[rustfmt::skip]
        let invalid = [
            "[]", "[1.2.3.4]", "[:::::]", "[:::]", "[:]", "[1:]", "[:1]", "[:1::]", "[1::2::3]",
            "[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7:8::]", "[::1:2:3:4:5:6:7:8]",
            "[12345::]", "[g::]", "[::1.2.3]", "[::1.2.3.4.5]", "[::1.2.3.256]", "[::01.2.3.4]",
            "[::1.2.3.4:5]", "[1.2.3.4::]", "[1:2:3:4:5:6:7:1.2.3.4]", "[::1.2.3.]", "[v1.x]",
            "[fe80::1%eth0]", "[::99999999999999999999.1.1.1]",
        ];
        for host in invalid {
            assert_eq!(Host::new(host), Err(UrlError::InvalidHost), "{host}");
        }
    }

    proptest::proptest! {
        /// Any text gives a URL or an error, never a panic; a URL's host is
        /// lower-case and its path starts with `/`.
        #[test]
        fn any_text_splits_or_fails(text in "([a-zA-Z]{1,5}://)?[a-zA-Z0-9.:@\\[\\]%_~-]{0,20}([/?#][ -~]{0,20})?") {
            if let Ok(url) = Url::parse(&text) {
                proptest::prop_assert!(!url.host_str().bytes().any(|b| b.is_ascii_uppercase()));
                proptest::prop_assert!(url.path().starts_with('/'));
                proptest::prop_assert!(!url.path().contains(['?', '#']));
            }
        }
    }
}
