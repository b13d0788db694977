//! The `Set-Cookie` response header: parse one line the way a browser does, check
//! its name prefix, and build one without a heap.
//!
//! # Reading a line (user agents, auditors, policy checks)
//!
//! [`SetCookie::parse`] runs the user-agent algorithm of RFC 6265bis §5.6 on one
//! header value and gives a zero-copy view: every byte slice borrows the input.
//! Either the line is ignored as a whole, and [`Ignored`] says why, or every
//! attribute the browser would keep is there, last one winning.
//!
//! ```
//! use embedded_cookie::set_cookie::{Expiry, SameSite, SetCookie};
//!
//! let c = SetCookie::parse("sid=abc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=lax")?;
//! assert_eq!((c.name(), c.value()), (&b"sid"[..], &b"abc"[..]));
//! assert_eq!(c.expiry(), Some(Expiry::MaxAge(3600)));
//! assert_eq!(c.path(), Some(&b"/"[..]));
//! assert!(c.secure() && c.http_only());
//! assert_eq!(c.same_site(), Some(SameSite::Lax));
//! # Ok::<(), embedded_cookie::set_cookie::Ignored>(())
//! ```
//!
//! [`Rules::Rfc6265`] selects the 2011 algorithm instead, for comparing with
//! older clients or the IETF http-state test suite. The two differ only here:
//!
//! | input | [`Rules::Rfc6265bis`] (default) | [`Rules::Rfc6265`] |
//! | --- | --- | --- |
//! | `foo` (no `=`) | nameless cookie, value `foo` | [`Ignored::MissingEquals`] |
//! | `=foo` | nameless cookie, value `foo` | [`Ignored::EmptyName`] |
//! | `=` or empty | [`Ignored::EmptyNameAndValue`] | ignored (no `=` / empty name) |
//! | a CTL other than HTAB | [`Ignored::ControlCharacter`] | kept as a byte |
//! | name + value over 4096 bytes | [`Ignored::TooLong`] | kept |
//! | an attribute value over 1024 bytes | that attribute ignored | kept |
//! | `Domain=` after `Domain=a.example` | no Domain (host-only) | `a.example` (empty ignored) |
//! | expiry more than 400 days ahead | capped by [`SetCookie::expiry_time`] | not capped |
//!
//! Both modes recognise every attribute below (the 2011 text predates
//! `SameSite`, `Partitioned` and `Priority`, but a reader of either wants them).
//!
//! # Attributes and the choices made where the specs leave room
//!
//! Attribute names match case-insensitively and the last valid occurrence wins.
//! Each row is pinned by a test in this module.
//!
//! - `Expires`: the cookie-date algorithm of [`crate::date`]. A date that does not
//!   parse (or lies before 1601) is ignored and an earlier `Expires` stays.
//!   [`SetCookie::expires`] is the raw moment, never capped.
//! - `Max-Age` (RFC 6265bis §5.6.2): an optional `-`, then one or more digits,
//!   nothing else. So `+5`, `5s`, `1.5`, ` `, `-` and `--1` are ignored (an
//!   earlier `Max-Age` stays); leading zeros are fine; surrounding whitespace was
//!   trimmed. A value beyond `i64` saturates to `i64::MAX` or `i64::MIN`. The
//!   same rule serves [`Rules::Rfc6265`], whose text left a lone `-` undefined.
//!   [`SetCookie::max_age`] is those raw seconds; zero or negative means "expire
//!   now", which [`SetCookie::expiry_time`] turns into [`date::MIN`](crate::date::MIN),
//!   the earliest moment a cookie date can name.
//! - Which expiry wins: `Max-Age` over `Expires`, whatever their order
//!   ([`SetCookie::expiry`]). The 400-day cap of RFC 6265bis
//!   ([`COOKIE_AGE_LIMIT`]) is applied when a moment is computed for storage, by
//!   [`SetCookie::expiry_time`], and only under [`Rules::Rfc6265bis`]; results are
//!   clamped to [`date::MIN`](crate::date::MIN)..=[`date::MAX`](crate::date::MAX).
//! - `Domain`: one leading `.` removed; the rest is kept as sent (compare it
//!   case-insensitively; the jar and `inspect` lower-case it). A value that is
//!   empty after that means host-only: `domain()` is `None`. The empty attribute
//!   itself is skipped under RFC 6265 (its §5.2.3 SHOULD) but, as in RFC 6265bis
//!   and current browsers, resets an earlier `Domain` under the default rules.
//! - `Path`: a value not starting with `/` (empty included) means the
//!   default-path, and as the last `Path` it cancels an earlier valid one:
//!   `path()` is `None` both when the attribute is absent and when it fell back.
//! - `Secure`, `HttpOnly`, `Partitioned`: present or not; any value is ignored.
//! - `SameSite`: `Strict`, `Lax` or `None`, case-insensitively; anything else
//!   means "unspecified" and, being the last, cancels an earlier valid one
//!   (RFC 6265bis §5.6.7 appends "Default"). `Priority` (`Low`, `Medium`, `High`)
//!   is read the same way.
//! - Unknown attributes are skipped and listed by [`SetCookie::unknown`], name and
//!   raw value, in order. Empty cookie-avs (`a=1;;` or a trailing `;`) are not
//!   attributes and are listed nowhere.
//!
//! # Name prefixes
//!
//! Prefix rules are a separate, explicit step, [`SetCookie::check_prefix`], since
//! a jar also needs the request's scheme to apply them. Prefixes match
//! case-insensitively (`__secure-` too), as browsers now do:
//!
//! - `__Secure-` needs `Secure`;
//! - `__Host-` needs `Secure`, `Path=/` and no `Domain`; a `Path` that fell back to
//!   the default-path fails, since the request path is unknown here;
//! - a nameless cookie whose value starts with a prefix is refused (RFC 6265bis
//!   §5.7), so it cannot pose as a prefixed cookie in a `Cookie` header.
//!
//! # Storing a cookie (clients)
//!
//! The view holds what RFC 6265bis §5.7 storage needs: [`SetCookie::name`] and
//! [`SetCookie::value`]; [`SetCookie::domain`] (`None`: host-only; otherwise
//! lower-case it and domain-match it against the request host);
//! [`SetCookie::path`] (`None`: use the request's default-path);
//! [`SetCookie::expiry_time`] (`None`: a session cookie), with the raw
//! [`SetCookie::expires`], [`SetCookie::max_age`] and which of them wins,
//! [`SetCookie::expiry`]; the flags; and [`SetCookie::check_prefix`]. What needs
//! the request (secure scheme, domain-match, public suffixes, the same-site
//! context) is the jar's.
//!
//! # Building a header (servers)
//!
//! [`SetCookieBuilder`] is a `const`-friendly description of one cookie that
//! checks everything before it writes a byte, so a refused cookie never leaves a
//! partial header behind. See its docs for the rules it enforces.

mod build;
mod parse;
mod prefix;

use crate::date::ImfFixdate;

pub use build::{BuildError, SetCookieBuilder};
pub use parse::{Attribute, Attributes, Expiry, Ignored, SetCookie};
pub use prefix::{Prefix, PrefixError};

/// What a cookie holds, as a jar would store it and a header writes it: the one
/// description shared by the parsed view and the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Fields<'a> {
    name: &'a [u8],
    value: &'a [u8],
    expires: Option<ImfFixdate>,
    max_age: Option<i64>,
    domain: Option<&'a [u8]>,
    path: Option<&'a [u8]>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    priority: Option<Priority>,
}

impl<'a> Fields<'a> {
    /// `name=value` and no attribute.
    const fn new(name: &'a [u8], value: &'a [u8]) -> Self {
        Self {
            name,
            value,
            expires: None,
            max_age: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            same_site: None,
            partitioned: false,
            priority: None,
        }
    }
}

/// Which user-agent algorithm reads a `Set-Cookie` line. See the
/// [module docs](crate::set_cookie) for the differences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Rules {
    /// RFC 6265bis, what current browsers do.
    #[default]
    Rfc6265bis,
    /// RFC 6265 (2011).
    Rfc6265,
}

/// Most bytes of name and value together before RFC 6265bis ignores the line.
pub const MAX_NAME_VALUE_LEN: usize = 4096;

/// Most bytes of one attribute value before RFC 6265bis ignores the attribute.
pub const MAX_ATTRIBUTE_VALUE_LEN: usize = 1024;

/// RFC 6265bis's cookie-age-limit: 400 days, in seconds. No cookie is stored for
/// longer, whatever its `Max-Age` or `Expires` says.
pub const COOKIE_AGE_LIMIT: i64 = 400 * 86_400;

/// The attributes this crate reads and writes, with their canonical spelling.
///
/// ```
/// use embedded_cookie::set_cookie::AttributeName;
///
/// assert_eq!(AttributeName::from_name(b"max-AGE"), Some(AttributeName::MaxAge));
/// assert_eq!(AttributeName::MaxAge.as_str(), "Max-Age");
/// assert_eq!(AttributeName::from_name(b"Version"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AttributeName {
    /// `Expires`: a cookie date.
    Expires,
    /// `Max-Age`: seconds from now.
    MaxAge,
    /// `Domain`: the hosts the cookie is sent to.
    Domain,
    /// `Path`: the request paths the cookie is sent with.
    Path,
    /// `Secure`: sent over secure channels only.
    Secure,
    /// `HttpOnly`: hidden from scripts.
    HttpOnly,
    /// `SameSite`: cross-site sending.
    SameSite,
    /// `Partitioned`: stored per top-level site (CHIPS).
    Partitioned,
    /// `Priority`: eviction order (Chromium).
    Priority,
}

impl AttributeName {
    /// Every attribute, in the order a built header writes them.
    pub const ALL: [Self; 9] = [
        Self::Expires,
        Self::MaxAge,
        Self::Domain,
        Self::Path,
        Self::Secure,
        Self::HttpOnly,
        Self::SameSite,
        Self::Partitioned,
        Self::Priority,
    ];

    /// The canonical spelling, e.g. `"HttpOnly"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Expires => "Expires",
            Self::MaxAge => "Max-Age",
            Self::Domain => "Domain",
            Self::Path => "Path",
            Self::Secure => "Secure",
            Self::HttpOnly => "HttpOnly",
            Self::SameSite => "SameSite",
            Self::Partitioned => "Partitioned",
            Self::Priority => "Priority",
        }
    }

    /// The attribute `name` spells, compared case-insensitively.
    pub fn from_name(name: &[u8]) -> Option<Self> {
        // Length and first letter leave at most one candidate, compared as two
        // words: every `Set-Cookie` attribute comes here.
        let candidate = match (name.len(), name.first().map(|b| b | 0x20)) {
            (7, Some(b'e')) => Self::Expires,
            (7, Some(b'm')) => Self::MaxAge,
            (6, Some(b'd')) => Self::Domain,
            (4, _) => Self::Path,
            (6, _) => Self::Secure,
            (8, Some(b'h')) => Self::HttpOnly,
            (8, Some(b's')) => Self::SameSite,
            (11, _) => Self::Partitioned,
            (8, _) => Self::Priority,
            _ => return None,
        };
        let (lower, case) = SPELLINGS.get(candidate as usize)?;
        let (first, last) = words(name);
        (first | case.0 == lower.0 && last | case.1 == lower.1).then_some(candidate)
    }
}

/// Each attribute's name as [`words`] of its lower-case spelling, and the case bits
/// of its letters: a name spells it in any case when its words with those bits
/// set are the lower-case ones. Only letters have a case bit set; `-` compares
/// exactly.
#[allow(clippy::indexing_slicing)] // at compile time: an index out of bounds fails the build
const SPELLINGS: [((u64, u64), (u64, u64)); 9] = {
    let mut table = [((0, 0), (0, 0)); 9];
    let mut i = 0;
    while i < AttributeName::ALL.len() {
        let name = AttributeName::ALL[i].as_str().as_bytes();
        let (mut lower, mut case) = ([0u8; 16], [0u8; 16]);
        let mut j = 0;
        while j < name.len() {
            if name[j].is_ascii_alphabetic() {
                lower[j] = name[j] | 0x20;
                case[j] = 0x20;
            } else {
                lower[j] = name[j];
            }
            j += 1;
        }
        let len = name.len();
        table[AttributeName::ALL[i] as usize] = (words_const(&lower, len), words_const(&case, len));
        i += 1;
    }
    table
};

/// A name of 4 to 16 bytes as two words: its first and last eight bytes, or for a
/// name under eight bytes its first and last four in one word.
#[inline(always)]
fn words(name: &[u8]) -> (u64, u64) {
    let word = |at: usize| {
        name.get(at..at + 8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_le_bytes)
    };
    let half = |at: usize| {
        name.get(at..at + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_le_bytes)
    };
    let n = name.len();
    match n {
        8..=16 => (word(0), word(n - 8)),
        4..=7 => (u64::from(half(0)) | u64::from(half(n - 4)) << 32, 0),
        _ => (0, 0),
    }
}

/// [`words`] of the first `len` bytes of `bytes`, at compile time.
#[allow(clippy::indexing_slicing)] // every index is under `len` ≤ 16
const fn words_const(bytes: &[u8; 16], len: usize) -> (u64, u64) {
    const fn le(bytes: &[u8; 16], at: usize, n: usize) -> u64 {
        let mut v = 0;
        let mut i = 0;
        while i < n {
            v |= (bytes[at + i] as u64) << (8 * i);
            i += 1;
        }
        v
    }
    match len {
        8..=16 => (le(bytes, 0, 8), le(bytes, len - 8, 8)),
        4..=7 => (le(bytes, 0, 4) | le(bytes, len - 4, 4) << 32, 0),
        _ => (0, 0),
    }
}

/// The `SameSite` attribute's enforcement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SameSite {
    /// Sent with same-site requests only.
    Strict,
    /// Also sent with top-level cross-site navigations by safe methods.
    Lax,
    /// Sent with cross-site requests too; needs `Secure`.
    None,
}

impl SameSite {
    /// The canonical spelling, e.g. `"Lax"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Strict => "Strict",
            Self::Lax => "Lax",
            Self::None => "None",
        }
    }

    /// The enforcement an attribute value names, compared case-insensitively;
    /// `None` for anything else ("unspecified").
    ///
    /// ```
    /// use embedded_cookie::set_cookie::SameSite;
    ///
    /// assert_eq!(SameSite::from_value(b"STRICT"), Some(SameSite::Strict));
    /// assert_eq!(SameSite::from_value(b"no"), None);
    /// ```
    pub fn from_value(value: &[u8]) -> Option<Self> {
        [Self::Strict, Self::Lax, Self::None]
            .into_iter()
            .find(|s| s.as_str().as_bytes().eq_ignore_ascii_case(value))
    }
}

/// The `Priority` attribute (Chromium): which cookies are evicted first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Priority {
    /// Evicted first.
    Low,
    /// The default.
    Medium,
    /// Evicted last.
    High,
}

impl Priority {
    /// The canonical spelling, e.g. `"High"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }

    /// The priority an attribute value names, compared case-insensitively;
    /// `None` for anything else.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::Priority;
    ///
    /// assert_eq!(Priority::from_value(b"high"), Some(Priority::High));
    /// assert_eq!(Priority::from_value(b"urgent"), None);
    /// ```
    pub fn from_value(value: &[u8]) -> Option<Self> {
        [Self::Low, Self::Medium, Self::High]
            .into_iter()
            .find(|p| p.as_str().as_bytes().eq_ignore_ascii_case(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte at every position of every name: only the two cases of a letter
    /// keep the match (the word compare sets case bits, which `-` has none of).
    #[test]
    fn attribute_names_match_exactly_but_for_case() {
        for a in AttributeName::ALL {
            let spelling = a.as_str().as_bytes();
            for at in 0..spelling.len() {
                for b in 0..=255u8 {
                    let mut name = spelling.to_vec();
                    name[at] = b;
                    let same = b.eq_ignore_ascii_case(&spelling[at]);
                    let want = same.then_some(a);
                    assert_eq!(AttributeName::from_name(&name), want, "{a:?} {at} {b:#04x}");
                }
            }
            for len in [0, 1, 3, spelling.len() - 1, spelling.len() + 1] {
                let name: std::vec::Vec<u8> = spelling.iter().copied().cycle().take(len).collect();
                assert_eq!(AttributeName::from_name(&name), None, "{name:?}");
            }
        }
    }

    #[test]
    fn names_and_values_round_trip_their_spelling() {
        for a in AttributeName::ALL {
            assert_eq!(AttributeName::from_name(a.as_str().as_bytes()), Some(a));
            let upper = a.as_str().to_ascii_uppercase();
            assert_eq!(AttributeName::from_name(upper.as_bytes()), Some(a));
        }
        for s in [SameSite::Strict, SameSite::Lax, SameSite::None] {
            assert_eq!(SameSite::from_value(s.as_str().to_ascii_lowercase().as_bytes()), Some(s));
        }
        for p in [Priority::Low, Priority::Medium, Priority::High] {
            assert_eq!(Priority::from_value(p.as_str().to_ascii_uppercase().as_bytes()), Some(p));
        }
        let cases: [&[u8]; 4] = [b"", b"Max Age", b"Secure ", b"HttpOnlyX"];
        for name in cases {
            assert_eq!(AttributeName::from_name(name), None, "{name:?}");
        }
    }
}
