//! What a cookie holds, shared by the parsed view and the builder: its fields,
//! the attributes' names and values, the length limits, and the rules that every
//! reader and writer of a cookie applies the same way (token names, `SameSite=None`
//! with `Secure`, `Domain` and `Path` values), each written once here.

use crate::date::ImfFixdate;
use crate::octets;

/// What a cookie holds, as a jar would store it and a header writes it: the one
/// description shared by the parsed view and the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Fields<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) value: &'a [u8],
    pub(crate) expires: Option<ImfFixdate>,
    pub(crate) max_age: Option<i64>,
    pub(crate) domain: Option<&'a [u8]>,
    pub(crate) path: Option<&'a [u8]>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: Option<SameSite>,
    pub(crate) partitioned: bool,
    pub(crate) priority: Option<Priority>,
}

impl<'a> Fields<'a> {
    /// `name=value` and no attribute.
    pub(crate) const fn new(name: &'a [u8], value: &'a [u8]) -> Self {
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

texts! {
    /// The canonical spelling, e.g. `"HttpOnly"`.
    AttributeName {
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

texts! {
    /// The canonical spelling, e.g. `"Lax"`.
    SameSite {
        Self::Strict => "Strict",
        Self::Lax => "Lax",
        Self::None => "None",
    }
}

impl SameSite {
    /// The enforcement an attribute value names, compared case-insensitively;
    /// `None` for anything else ("unspecified").
    ///
    /// ```
    /// use embedded_cookie::set_cookie::SameSite;
    ///
    /// assert_eq!(SameSite::from_value(b"STRICT"), Some(SameSite::Strict));
    /// assert_eq!(SameSite::from_value(b"no"), None);
    /// ```
    pub const fn from_value(value: &[u8]) -> Option<Self> {
        // A `const fn`: the policy text's `samesite=` is read at compile time too.
        let mut all: &[Self] = &[Self::Strict, Self::Lax, Self::None];
        while let [same_site, rest @ ..] = all {
            if octets::eq_ignore_case(same_site.as_str().as_bytes(), value) {
                return Some(*same_site);
            }
            all = rest;
        }
        None
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

texts! {
    /// The canonical spelling, e.g. `"High"`.
    Priority {
        Self::Low => "Low",
        Self::Medium => "Medium",
        Self::High => "High",
    }
}

impl Priority {
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

/// Why a `Domain` or `Path` value cannot be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueError {
    /// A byte outside its grammar, or a shape a browser would not keep.
    Invalid,
    /// Over [`MAX_ATTRIBUTE_VALUE_LEN`] bytes.
    TooLong,
}

/// A name a header can carry and a policy rule can declare: a non-empty RFC 6265
/// `token`.
pub(crate) const fn is_token_name(name: &[u8]) -> bool {
    !name.is_empty() && octets::all_token(name)
}

/// `SameSite=None` only with `Secure` (RFC 6265bis §5.6.7 and §5.7): browsers drop
/// the cookie otherwise.
pub(crate) const fn same_site_allowed(same_site: Option<SameSite>, secure: bool) -> bool {
    secure || !matches!(same_site, Some(SameSite::None))
}

/// A `Domain` value as a cookie keeps it: one leading `.` removed (RFC 6265
/// §5.2.3), which is also how a built header writes it.
pub(crate) const fn domain_without_dot(value: &[u8]) -> &[u8] {
    match value {
        [b'.', rest @ ..] => rest,
        all => all,
    }
}

/// A `Domain` value a built header can carry: after [`domain_without_dot`], the
/// letters, digits, `-` and `.` of a host name, not starting or ending with `.`,
/// at most [`MAX_ATTRIBUTE_VALUE_LEN`] bytes. So `..example.com` is refused: a
/// browser would keep `.example.com`, which no host name matches.
pub(crate) const fn check_domain(value: &[u8]) -> Result<(), ValueError> {
    let domain = domain_without_dot(value);
    match domain {
        [] | [b'.', ..] | [.., b'.'] => Err(ValueError::Invalid),
        _ if !octets::all_domain_octets(domain) => Err(ValueError::Invalid),
        _ if domain.len() > MAX_ATTRIBUTE_VALUE_LEN => Err(ValueError::TooLong),
        _ => Ok(()),
    }
}

/// A `Path` value a built header can carry: a `/`, then bytes other than CTLs,
/// SP and `;`, at most [`MAX_ATTRIBUTE_VALUE_LEN`] bytes.
pub(crate) const fn check_path(path: &[u8]) -> Result<(), ValueError> {
    match path {
        [b'/', ..] if octets::all_path_octets(path) => {
            if path.len() > MAX_ATTRIBUTE_VALUE_LEN {
                Err(ValueError::TooLong)
            } else {
                Ok(())
            }
        }
        _ => Err(ValueError::Invalid),
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
