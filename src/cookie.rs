//! The `Cookie` request header: a validated, zero-copy view of the cookies a client
//! sent, with lookups by name.
//!
//! # Modes
//!
//! [`Mode::Lenient`] (the default) reads what browsers send (RFC 6265bis §5.4) and
//! what servers should accept. Its leniencies, each pinned by a test:
//!
//! - the header is split on `;` alone: a missing space (`a=1;b=2`) is fine;
//! - SP and HTAB around names and values are trimmed;
//! - an empty pair (`a=1;; b=2`), a pair without `=` (`flag`) and a pair with an
//!   empty name (`=v`) are skipped;
//! - a name or value may hold any byte but `;` and control bytes: spaces,
//!   commas, quotes and non-UTF-8 bytes are kept as they are;
//! - a name ends at the first `=`: in `a=b=c` the name is `a` and the value `b=c`.
//!
//! A control byte other than HTAB is an error in both modes.
//!
//! [`Mode::Strict`] is the RFC 6265 §4.2.1 grammar: `name=value` pairs joined by
//! exactly `"; "`, token names, `cookie-octet` values optionally in one pair of
//! `"`. The first violation is an [`CookieError`] with its [`CookieErrorKind`] and offset.
//! Spaces and tabs at either end of a header line are optional whitespace in both
//! modes.
//!
//! # Names
//!
//! Names match byte for byte, case-sensitively and whole: `sid` never matches
//! `evil_sid`, `SID` or `sid2`. A name may appear more than once (cookies scoped to
//! different paths or domains); [`CookieHeader::get`] returns the first, which is
//! the most specific path since browsers send longer paths first.
//!
//! # Limits
//!
//! [`Limits`] bounds the work one header can cause. Reaching a limit is an error
//! naming it; nothing is ever truncated or dropped silently.

mod error;
pub(crate) mod scan;
mod writer;

use nom::bytes::complete::take_while;
use nom::{IResult, Parser};

use crate::octets;
pub use error::{CookieError, CookieErrorKind};
pub use writer::{CookieWriteError, CookieWriter};

/// How strictly a `Cookie` header is read. See the [module docs](crate::cookie#modes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Mode {
    /// What browsers send: documented leniencies, only control bytes refused.
    #[default]
    Lenient,
    /// The RFC 6265 §4.2.1 grammar; the first violation is an error.
    Strict,
}

/// Bounds on the work one `Cookie` header may cause.
///
/// ```
/// use embedded_cookie::{Config, CookieHeader, CookieErrorKind, Limits};
///
/// let config = Config { limits: Limits { max_pairs: 2, ..Limits::DEFAULT }, ..Config::new() };
/// let err = CookieHeader::parse_with("a=1; b=2; c=3", &config).unwrap_err();
/// assert_eq!((err.kind, err.offset), (CookieErrorKind::TooManyPairs, 10));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Limits {
    /// Most bytes in the header, all lines together. Default 8192.
    pub max_header_len: usize,
    /// Most cookies in the header. Default 180 (the per-domain limit of browsers).
    pub max_pairs: usize,
    /// Most bytes in one cookie's name and value together. Default 4096.
    pub max_pair_len: usize,
}

impl Limits {
    /// 8192-byte header, 180 cookies, 4096 bytes of name and value.
    pub const DEFAULT: Self = Self { max_header_len: 8192, max_pairs: 180, max_pair_len: 4096 };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How to read a `Cookie` header: a [`Mode`] and [`Limits`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// Lenient or strict.
    pub mode: Mode,
    /// Bounds on the header.
    pub limits: Limits,
}

impl Config {
    /// Lenient mode with the default limits.
    pub const fn new() -> Self {
        Self { mode: Mode::Lenient, limits: Limits::DEFAULT }
    }

    /// Strict mode with the default limits.
    pub const fn strict() -> Self {
        Self { mode: Mode::Strict, limits: Limits::DEFAULT }
    }
}

/// One cookie of a `Cookie` header: a view borrowing the header bytes.
///
/// ```
/// use embedded_cookie::CookieHeader;
///
/// let header = CookieHeader::parse("lang=\"en\"; sid=42")?;
/// let lang = header.get("lang").unwrap();
/// assert_eq!(lang.value(), b"\"en\"");
/// assert_eq!(lang.unquoted(), b"en");
/// assert_eq!((lang.offset(), lang.value_offset()), (0, 5));
/// # Ok::<(), embedded_cookie::CookieError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Cookie<'a> {
    name: &'a [u8],
    value: &'a [u8],
    line: usize,
    offset: usize,
    value_offset: usize,
}

impl<'a> Cookie<'a> {
    /// The name, trimmed.
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// The name, if it is UTF-8 (always, in strict mode).
    pub fn name_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.name).ok()
    }

    /// The raw value, trimmed, quotes included.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The raw value, if it is UTF-8.
    pub fn value_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.value).ok()
    }

    /// The value without one pair of surrounding `"`, if it has them.
    pub fn unquoted(&self) -> &'a [u8] {
        match self.value {
            [b'"', inner @ .., b'"'] => inner,
            other => other,
        }
    }

    /// The header line this cookie is in (0 for a single header value).
    pub fn line(&self) -> usize {
        self.line
    }

    /// Byte offset of the name within its line.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Byte offset of the value within its line.
    pub fn value_offset(&self) -> usize {
        self.value_offset
    }
}

/// The header bytes: one value, or the lines of a header split across fields.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Source<'a> {
    One(&'a [u8]),
    Lines(&'a [&'a [u8]]),
}

impl<'a> Source<'a> {
    fn line(&self, index: usize) -> Option<&'a [u8]> {
        match *self {
            Self::One(line) => (index == 0).then_some(line),
            Self::Lines(lines) => lines.get(index).copied(),
        }
    }
}

/// A validated `Cookie` header. Parsing checks every byte once; after that,
/// iteration and lookups cannot fail.
///
/// ```
/// use embedded_cookie::CookieHeader;
///
/// let header = CookieHeader::parse("evil_sid=1; sid=2;lang=en")?;
/// assert_eq!(header.get("sid").map(|c| c.value()), Some(&b"2"[..]));
/// assert_eq!(header.get("lang").map(|c| c.value()), Some(&b"en"[..]));
/// assert_eq!(header.len(), 3);
/// # Ok::<(), embedded_cookie::CookieError>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CookieHeader<'a> {
    source: Source<'a>,
}

impl<'a> CookieHeader<'a> {
    /// Parses one header value in lenient mode with the default limits.
    pub fn parse<H: AsRef<[u8]> + ?Sized>(header: &'a H) -> Result<Self, CookieError> {
        Self::parse_with(header, &Config::new())
    }

    /// Parses one header value with `config`.
    pub fn parse_with<H: AsRef<[u8]> + ?Sized>(
        header: &'a H,
        config: &Config,
    ) -> Result<Self, CookieError> {
        Self::validate(Source::One(header.as_ref()), config)
    }

    /// Parses a header sent as several field lines (HTTP/2 sends one `cookie` field
    /// per cookie) as one sequence, in order. Limits apply to all lines together.
    ///
    /// ```
    /// use embedded_cookie::{Config, CookieHeader};
    ///
    /// let lines: [&[u8]; 2] = [b"a=1", b"b=2; c=3"];
    /// let header = CookieHeader::parse_lines(&lines, &Config::new())?;
    /// let c = header.get("c").unwrap();
    /// assert_eq!((c.line(), c.offset()), (1, 5));
    /// # Ok::<(), embedded_cookie::CookieError>(())
    /// ```
    pub fn parse_lines(lines: &'a [&'a [u8]], config: &Config) -> Result<Self, CookieError> {
        Self::validate(Source::Lines(lines), config)
    }

    fn validate(source: Source<'a>, config: &Config) -> Result<Self, CookieError> {
        #[cfg(target_pointer_width = "64")]
        let surely_valid = surely_valid;
        #[cfg(not(target_pointer_width = "64"))]
        let surely_valid = surely_valid_line;
        if config.mode == Mode::Lenient && surely_valid(source, &config.limits) {
            return Ok(Self { source });
        }
        validate_exactly(source, config).map(|()| Self { source })
    }

    /// The cookies, in header order.
    pub fn iter(&self) -> Cookies<'a> {
        Cookies { source: self.source, scan: None, next_line: 0 }
    }

    /// How many cookies the header holds. Parsing does not store the count, which
    /// would cost it a walk over every cookie: this counts them.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// True when the header holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The first cookie named exactly `name`.
    pub fn get<N: AsRef<[u8]> + ?Sized>(&self, name: &N) -> Option<Cookie<'a>> {
        let name = name.as_ref();
        self.iter().find(|c| c.name == name)
    }

    /// Every cookie named exactly `name`, in header order.
    ///
    /// ```
    /// use embedded_cookie::CookieHeader;
    ///
    /// let header = CookieHeader::parse("id=narrow; x=1; id=wide")?;
    /// let ids: Vec<&[u8]> = header.get_all("id").map(|c| c.value()).collect();
    /// assert_eq!(ids, [&b"narrow"[..], b"wide"]);
    /// assert_eq!(header.count("id"), 2);
    /// # Ok::<(), embedded_cookie::CookieError>(())
    /// ```
    pub fn get_all<'n, N: AsRef<[u8]> + ?Sized>(
        &self,
        name: &'n N,
    ) -> impl Iterator<Item = Cookie<'a>> + use<'a, 'n, N> {
        let name = name.as_ref();
        self.iter().filter(move |c| c.name == name)
    }

    /// How many cookies are named exactly `name`.
    pub fn count<N: AsRef<[u8]> + ?Sized>(&self, name: &N) -> usize {
        self.get_all(name).count()
    }

    /// The cookies in a fixed-capacity vector, for random access. More than `N`
    /// cookies is [`CookieErrorKind::CapacityExceeded`] at the first one that did not fit.
    ///
    /// ```
    /// use embedded_cookie::{CookieHeader, CookieErrorKind};
    ///
    /// let header = CookieHeader::parse("a=1; b=2; c=3")?;
    /// let all = header.collect::<4>()?;
    /// assert_eq!(all[2].name(), b"c");
    /// let err = header.collect::<2>().unwrap_err();
    /// assert_eq!((err.kind, err.offset), (CookieErrorKind::CapacityExceeded, 10));
    /// # Ok::<(), embedded_cookie::CookieError>(())
    /// ```
    pub fn collect<const N: usize>(&self) -> Result<heapless::Vec<Cookie<'a>, N>, CookieError> {
        let mut out = heapless::Vec::new();
        for cookie in self.iter() {
            out.push(cookie).map_err(|c| CookieError {
                kind: CookieErrorKind::CapacityExceeded,
                line: c.line,
                offset: c.offset,
            })?;
        }
        Ok(out)
    }
}

impl<'a> IntoIterator for &CookieHeader<'a> {
    type Item = Cookie<'a>;
    type IntoIter = Cookies<'a>;

    fn into_iter(self) -> Cookies<'a> {
        self.iter()
    }
}

/// Whether a lenient header is surely valid, from checks that cost a fraction of
/// [`validate_exactly`]: within the limit on the header, no control byte, no line
/// longer than the limit on one cookie, and fewer cookies than their limit by a
/// bound (from the length, else from counting `;`). When this is not sure, the
/// exact walk decides, and finds the first error if there is one.
///
/// On 64-bit targets, with the bulk tests of `scan::wide`; the others run
/// [`surely_valid_line`].
#[cfg(target_pointer_width = "64")]
fn surely_valid(source: Source<'_>, limits: &Limits) -> bool {
    let (mut total, mut most_cookies, mut index) = (0usize, 0usize, 0);
    while let Some(line) = source.line(index) {
        if line.len() > limits.max_pair_len || scan::wide::has_control(line) {
            return false;
        }
        total = total.saturating_add(line.len());
        // A cookie takes two bytes (`a=`) and a `;` before the next one.
        most_cookies = most_cookies.saturating_add(line.len().div_ceil(3));
        index += 1;
    }
    if most_cookies > limits.max_pairs {
        // Too long a header for that bound: count the segments instead.
        most_cookies = 0;
        let mut index = 0;
        while let Some(line) = source.line(index) {
            most_cookies = most_cookies.saturating_add(scan::wide::count_semicolons(line) + 1);
            index += 1;
        }
    }
    total <= limits.max_header_len && most_cookies <= limits.max_pairs
}

/// [`surely_valid`] for targets without [`scan::wide`]: a header of one line only
/// (HTTP/1.1 sends one `Cookie` line; lines sent apart take the exact walk), with
/// the same checks, which keeps a firmware's flash small. Compiled for the tests
/// on every target. Not inlined: the firmware's flash is smaller with the call.
#[cfg(any(test, not(target_pointer_width = "64")))]
#[inline(never)]
fn surely_valid_line(source: Source<'_>, limits: &Limits) -> bool {
    let Source::One(line) = source else { return false };
    line.len() <= limits.max_pair_len
        && line.len() <= limits.max_header_len
        // At most a cookie in three bytes, as there: no division.
        && line.len() <= limits.max_pairs.saturating_mul(3)
        && !scan::has_control(line)
}

/// Checks every cookie of a header against `config`, and returns the first error.
fn validate_exactly(source: Source<'_>, config: &Config) -> Result<(), CookieError> {
    let limits = &config.limits;
    let mut total = 0usize;
    let mut len = 0usize;
    let mut index = 0;
    while let Some(line) = source.line(index) {
        if total.saturating_add(line.len()) > limits.max_header_len {
            let offset = limits.max_header_len.saturating_sub(total);
            return Err(CookieError { kind: CookieErrorKind::HeaderTooLong, line: index, offset });
        }
        total += line.len();
        let mut count = |c: Cookie<'_>| {
            len += 1;
            let at = |kind| CookieError { kind, line: index, offset: c.offset };
            if len > limits.max_pairs {
                Err(at(CookieErrorKind::TooManyPairs))
            } else if c.name.len().saturating_add(c.value.len()) > limits.max_pair_len {
                Err(at(CookieErrorKind::PairTooLong))
            } else {
                Ok(())
            }
        };
        match config.mode {
            Mode::Lenient => {
                // Up to its first control byte the line scans as if it ended there,
                // but for the segment the control byte is in: its cookie never ends,
                // and the error comes first.
                let control = scan::control_at(line);
                let before = line.get(..control).unwrap_or_default();
                let cut = control < line.len() && before.last() != Some(&b';');
                let mut scan = Lenient::new(before, index);
                while let Some(cookie) = scan.next_cookie() {
                    if cut && scan.rest.is_empty() {
                        break;
                    }
                    count(cookie)?;
                }
                if control < line.len() {
                    let kind = CookieErrorKind::ControlCharacter;
                    return Err(CookieError { kind, line: index, offset: control });
                }
            }
            Mode::Strict => strict_line(line, index, &mut count)?,
        }
        index += 1;
    }
    Ok(())
}

/// Iterator over the cookies of a [`CookieHeader`], from [`CookieHeader::iter`].
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Cookies<'a> {
    source: Source<'a>,
    scan: Option<Lenient<'a>>,
    next_line: usize,
}

impl<'a> Iterator for Cookies<'a> {
    type Item = Cookie<'a>;

    #[inline]
    fn next(&mut self) -> Option<Cookie<'a>> {
        loop {
            if let Some(cookie) = self.scan.as_mut().and_then(Lenient::next_cookie) {
                return Some(cookie);
            }
            let line = self.source.line(self.next_line)?;
            self.scan = Some(Lenient::new(line, self.next_line));
            self.next_line += 1;
        }
    }
}

/// The lenient scan of a line without control bytes (other than HTAB), which it
/// does not look for: a validated line, or the part of one before its first control
/// byte. A strict-valid line scans to the same cookies, which is why iteration
/// always uses this scan.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Lenient<'a> {
    /// The line's bytes not scanned yet: the next segment on.
    rest: &'a [u8],
    line_len: usize,
    index: usize,
}

impl<'a> Lenient<'a> {
    fn new(line: &'a [u8], index: usize) -> Self {
        Self { rest: line, line_len: line.len(), index }
    }

    /// The offset in the line of `tail`, a tail of the line.
    fn offset(&self, tail: &[u8]) -> usize {
        self.line_len - tail.len()
    }

    /// The next cookie: a segment holding a `=` after a name that is not empty;
    /// other segments are skipped.
    /// One copy on the targets that do not inline it, which validation and
    /// iteration share.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    fn next_cookie(&mut self) -> Option<Cookie<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // Leading whitespace is passed before the name is scanned for its end.
            let from_name = octets::trim_start(self.rest);
            let (name, from_equals) = scan::split_at_name_end::<false>(from_name);
            // `from_equals` is empty or starts with `=` or with the `;` that ended a
            // segment without `=`, which is skipped.
            let [b'=', from_value @ ..] = from_equals else {
                self.rest = from_equals.get(1..).unwrap_or_default();
                continue;
            };
            let (value, after) = scan::split_at_segment_end::<false>(from_value);
            // `after` is empty or starts with the `;` that ended the segment.
            self.rest = after.get(1..).unwrap_or_default();
            // Skipped: a segment with an empty name.
            let name = octets::trim_end(name);
            if name.is_empty() {
                continue;
            }
            // Most values have no whitespace about them: only the others call the trim.
            let ends_white = |b: Option<&u8>| b.is_some_and(|&b| octets::is_whitespace(b));
            let (lead, value) = if ends_white(value.first()) || ends_white(value.last()) {
                octets::trim(value)
            } else {
                (0, value)
            };
            return Some(Cookie {
                name,
                value,
                line: self.index,
                offset: self.offset(from_name),
                value_offset: self.offset(from_value) + lead,
            });
        }
    }
}

/// Checks one line against the RFC 6265 §4.2.1 grammar, handing each cookie to
/// `each` as it is read.
fn strict_line<'a>(
    line: &'a [u8],
    index: usize,
    each: &mut impl FnMut(Cookie<'a>) -> Result<(), CookieError>,
) -> Result<(), CookieError> {
    let fail = |kind, offset| Err(CookieError { kind, line: index, offset });
    let (lead, body) = octets::trim(line);
    if body.is_empty() {
        return fail(CookieErrorKind::Empty, lead);
    }
    let at = |rest: &[u8]| lead + body.len() - rest.len();
    let mut rest = body;
    loop {
        let offset = at(rest);
        let Ok((after, name)) = token(rest) else {
            return fail(CookieErrorKind::InvalidName, offset);
        };
        match after.first() {
            Some(b'=') if !name.is_empty() => {}
            Some(&b) if octets::is_ctl(b) => {
                return fail(CookieErrorKind::ControlCharacter, at(after));
            }
            None | Some(b';') if !name.is_empty() => {
                return fail(CookieErrorKind::MissingEquals, at(after));
            }
            _ => return fail(CookieErrorKind::InvalidName, at(after)),
        }
        let value_start = after.get(1..).unwrap_or_default();
        let value_offset = at(value_start);
        let (after, value) = match value_start.first() {
            Some(b'"') => {
                let inner = value_start.get(1..).unwrap_or_default();
                let Ok((after, octets)) = cookie_octets(inner) else {
                    return fail(CookieErrorKind::InvalidValue, at(inner));
                };
                match after.first() {
                    Some(b'"') => {
                        let value = value_start.get(..octets.len() + 2).unwrap_or_default();
                        (after.get(1..).unwrap_or_default(), value)
                    }
                    Some(&b) if octets::is_ctl(b) => {
                        return fail(CookieErrorKind::ControlCharacter, at(after));
                    }
                    None | Some(b';') => {
                        return fail(CookieErrorKind::UnbalancedQuote, value_offset);
                    }
                    Some(_) => return fail(CookieErrorKind::InvalidValue, at(after)),
                }
            }
            _ => {
                let Ok((after, value)) = cookie_octets(value_start) else {
                    return fail(CookieErrorKind::InvalidValue, value_offset);
                };
                (after, value)
            }
        };
        each(Cookie { name, value, line: index, offset, value_offset })?;
        match after {
            [] => return Ok(()),
            [b';', b' ', next, ..] if !octets::is_whitespace(*next) => {
                rest = after.get(2..).unwrap_or_default();
            }
            [b';', b' ', ..] => return fail(CookieErrorKind::InvalidSeparator, at(after) + 2),
            [b';', b, ..] if octets::is_ctl(*b) => {
                return fail(CookieErrorKind::ControlCharacter, at(after) + 1);
            }
            [b';', ..] => return fail(CookieErrorKind::InvalidSeparator, at(after) + 1),
            [b, ..] if octets::is_ctl(*b) => {
                return fail(CookieErrorKind::ControlCharacter, at(after));
            }
            _ => return fail(CookieErrorKind::InvalidValue, at(after)),
        }
    }
}

/// Strict scan: `cookie-name = token`, possibly empty (the caller reports that).
/// nom `complete` parsers over `&[u8]` with `()` as their error, so a failed
/// branch costs nothing to build.
fn token(input: &[u8]) -> IResult<&[u8], &[u8], ()> {
    take_while(octets::is_token).parse(input)
}

/// Strict scan: `*cookie-octet`.
fn cookie_octets(input: &[u8]) -> IResult<&[u8], &[u8], ()> {
    take_while(octets::is_cookie_octet).parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    type Pairs = &'static [(&'static [u8], &'static [u8])];

    fn pairs(header: &CookieHeader<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
        header.iter().map(|c| (c.name().to_vec(), c.value().to_vec())).collect()
    }

    /// One `#[test]` per row: `name: mode, input => Ok(pairs) | Err(kind, offset)`.
    macro_rules! cases {
        ($($name:ident: $mode:ident, $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let config = Config { mode: Mode::$mode, ..Config::new() };
                let got = CookieHeader::parse_with($input, &config);
                let want: Result<Pairs, (CookieErrorKind, usize)> = $want;
                match (got, want) {
                    (Ok(h), Ok(w)) => {
                        let w: Vec<_> = w.iter().map(|(n, v)| (n.to_vec(), v.to_vec())).collect();
                        assert_eq!(pairs(&h), w);
                        assert_eq!(h.len(), w.len());
                    }
                    (Err(e), Err((kind, offset))) => assert_eq!((e.kind, e.offset), (kind, offset)),
                    (got, want) => panic!("got {got:?}, want {want:?}"),
                }
            }
        )*};
    }

    use CookieErrorKind::*;
    cases! {
        // The three lookups two C device servers get wrong.
        suffix_name_is_not_the_name: Lenient, "evil_sid=1; sid=2" => Ok(&[(b"evil_sid", b"1"), (b"sid", b"2")]);
        missing_space_is_fine: Lenient, "a=1;b=2" => Ok(&[(b"a", b"1"), (b"b", b"2")]);
        space_in_value_is_kept: Lenient, "a=x y; b=2" => Ok(&[(b"a", b"x y"), (b"b", b"2")]);
        // Lenient reading, one leniency a row.
        empty_header: Lenient, "" => Ok(&[]);
        only_whitespace: Lenient, " \t " => Ok(&[]);
        empty_pairs_skipped: Lenient, ";a=1;; ;b=2;" => Ok(&[(b"a", b"1"), (b"b", b"2")]);
        pair_without_equals_skipped: Lenient, "flag; a=1" => Ok(&[(b"a", b"1")]);
        empty_name_skipped: Lenient, "=v; a=1" => Ok(&[(b"a", b"1")]);
        whitespace_trimmed: Lenient, " \ta \t= \t1 \t; b=2 " => Ok(&[(b"a", b"1"), (b"b", b"2")]);
        empty_value_kept: Lenient, "a=; b=" => Ok(&[(b"a", b""), (b"b", b"")]);
        name_ends_at_first_equals: Lenient, "a=b=c" => Ok(&[(b"a", b"b=c")]);
        quotes_kept_raw: Lenient, "a=\"x\"" => Ok(&[(b"a", b"\"x\"")]);
        unbalanced_quote_kept: Lenient, "a=\"x; b=2" => Ok(&[(b"a", b"\"x"), (b"b", b"2")]);
        comma_is_not_a_separator: Lenient, "a=1, b=2" => Ok(&[(b"a", b"1, b=2")]);
        space_in_name_kept: Lenient, "a b=1" => Ok(&[(b"a b", b"1")]);
        non_utf8_kept: Lenient, b"a=\xff\x80" => Ok(&[(b"a", b"\xff\x80")]);
        htab_inside_value_kept: Lenient, "a=x\ty" => Ok(&[(b"a", b"x\ty")]);
        duplicates_kept_in_order: Lenient, "id=1; id=2" => Ok(&[(b"id", b"1"), (b"id", b"2")]);
        lenient_nul_refused: Lenient, b"a=1\x00; b=2" => Err((ControlCharacter, 3));
        lenient_cr_refused: Lenient, "a=1; b=2\r\nX: y" => Err((ControlCharacter, 8));
        lenient_del_in_name_refused: Lenient, "a\x7f=1" => Err((ControlCharacter, 1));
        // Strict: RFC 6265 §4.2.1.
        strict_ok: Strict, "a=1; b=\"q\"; c=" => Ok(&[(b"a", b"1"), (b"b", b"\"q\""), (b"c", b"")]);
        strict_ows_at_ends: Strict, " \ta=1\t " => Ok(&[(b"a", b"1")]);
        strict_empty: Strict, "  " => Err((Empty, 2));
        strict_missing_space: Strict, "a=1;b=2" => Err((InvalidSeparator, 4));
        strict_two_spaces: Strict, "a=1;  b=2" => Err((InvalidSeparator, 5));
        strict_trailing_separator: Strict, "a=1; " => Err((InvalidSeparator, 4));
        strict_ctl_after_semicolon: Strict, "a=1;\r\nX: y" => Err((ControlCharacter, 4));
        strict_space_before_separator: Strict, "a=1 ; b=2" => Err((InvalidValue, 3));
        strict_space_in_value: Strict, "a=x y" => Err((InvalidValue, 3));
        strict_comma_in_value: Strict, "a=1,2" => Err((InvalidValue, 3));
        strict_backslash_in_value: Strict, "a=\\" => Err((InvalidValue, 2));
        strict_non_ascii_value: Strict, b"a=\xc3\xa9" => Err((InvalidValue, 2));
        strict_quote_inside_value: Strict, "a=x\"y" => Err((InvalidValue, 3));
        strict_unbalanced_quote: Strict, "a=\"xy; b=1" => Err((UnbalancedQuote, 2));
        strict_quoted_with_space: Strict, "a=\"x y\"" => Err((InvalidValue, 4));
        strict_text_after_quote: Strict, "a=\"x\"y" => Err((InvalidValue, 5));
        strict_missing_equals: Strict, "a=1; flag" => Err((MissingEquals, 9));
        strict_missing_equals_mid: Strict, "flag; a=1" => Err((MissingEquals, 4));
        strict_empty_name: Strict, "=1" => Err((InvalidName, 0));
        strict_separator_in_name: Strict, "a(b=1" => Err((InvalidName, 1));
        strict_space_in_name: Strict, "a b=1" => Err((InvalidName, 1));
        strict_empty_pair: Strict, "a=1; ; b=2" => Err((InvalidName, 5));
        strict_ctl_in_name: Strict, "a\x01=1" => Err((ControlCharacter, 1));
        strict_ctl_in_value: Strict, "a=1\x0b" => Err((ControlCharacter, 3));
        strict_ctl_in_quoted: Strict, "a=\"1\x0b\"" => Err((ControlCharacter, 4));
    }

    #[test]
    fn names_match_whole_and_case_sensitively() {
        let h = CookieHeader::parse("evil_sid=1; SID=2; sid2=3; sid=4; sid=5").unwrap();
        assert_eq!(h.get("sid").map(|c| c.value()), Some(&b"4"[..]));
        assert_eq!(h.count("sid"), 2);
        assert_eq!(h.count("SID"), 1);
        assert_eq!(h.get("si"), None);
        assert_eq!(h.get("id"), None);
        assert_eq!(h.get(b"sid2").map(|c| c.value()), Some(&b"3"[..]));
    }

    #[test]
    fn offsets_point_into_the_input() {
        let input = " a = 1 ;b=\"x\"";
        let h = CookieHeader::parse(input).unwrap();
        let got: Vec<_> = h.iter().map(|c| (c.offset(), c.value_offset())).collect();
        assert_eq!(got, [(1, 5), (8, 10)]);
        for c in &h {
            assert_eq!(&input.as_bytes()[c.offset()..][..c.name().len()], c.name());
            assert_eq!(&input.as_bytes()[c.value_offset()..][..c.value().len()], c.value());
        }
    }

    #[test]
    fn unquoted_strips_one_pair_only() {
        let cases: [(&str, &[u8]); 5] = [
            ("a=\"x\"", b"x"),
            ("a=\"\"x\"\"", b"\"x\""),
            ("a=\"", b"\""),
            ("a=\"x", b"\"x"),
            ("a=\"\"", b""),
        ];
        for (input, want) in cases {
            let h = CookieHeader::parse(input).unwrap();
            assert_eq!(h.get("a").unwrap().unquoted(), want, "{input}");
        }
    }

    #[test]
    fn str_helpers_refuse_non_utf8() {
        let h = CookieHeader::parse(b"a=\xff; b=ok").unwrap();
        assert_eq!(h.get("a").unwrap().value_str(), None);
        assert_eq!(h.get("b").unwrap().value_str(), Some("ok"));
        assert_eq!(h.get("b").unwrap().name_str(), Some("b"));
    }

    #[test]
    fn lines_parse_as_one_sequence() {
        let lines: [&[u8]; 3] = [b"a=1", b"", b" b=2;c=3"];
        let h = CookieHeader::parse_lines(&lines, &Config::new()).unwrap();
        let got: Vec<_> = h.iter().map(|c| (c.name(), c.line(), c.offset())).collect();
        assert_eq!(got, [(&b"a"[..], 0, 0), (b"b", 2, 1), (b"c", 2, 5)]);
        let err = CookieHeader::parse_lines(&lines, &Config::strict()).unwrap_err();
        assert_eq!(err, CookieError { kind: CookieErrorKind::Empty, line: 1, offset: 0 });
        // No line at all is no header: no cookie, and no `Empty` error, in both modes.
        for config in [Config::new(), Config::strict()] {
            assert!(CookieHeader::parse_lines(&[], &config).unwrap().is_empty());
        }
    }

    #[test]
    fn limits_are_errors_naming_the_limit() {
        let limits = Limits { max_header_len: 10, max_pairs: 2, max_pair_len: 4 };
        let config = Config { limits, ..Config::new() };
        type Case<'a> = (&'a [&'a [u8]], Result<usize, CookieError>);
        let cases: [Case<'_>; 6] = [
            (&[b"a=1; b=2"], Ok(2)),
            (&[b"a=1; b=2; c"], Err(CookieError { kind: HeaderTooLong, line: 0, offset: 10 })),
            (
                &[b"a=1", b"b=2", b"c=3"],
                Err(CookieError { kind: TooManyPairs, line: 2, offset: 0 }),
            ),
            (&[b"a=1", b"bb=222"], Err(CookieError { kind: PairTooLong, line: 1, offset: 0 })),
            (&[b"aaaaa", b"bb=22"], Ok(1)),
            (&[b"abcdef", b"abcdef"], Err(CookieError { kind: HeaderTooLong, line: 1, offset: 4 })),
        ];
        for (lines, want) in cases {
            let got = CookieHeader::parse_lines(lines, &config).map(|h| h.len());
            assert_eq!(got, want, "{lines:?}");
        }
        let strict = Config { mode: Mode::Strict, limits: Limits { max_header_len: 20, ..limits } };
        let err = CookieHeader::parse_with("a=1; b=2; c=3", &strict).unwrap_err();
        assert_eq!((err.kind, err.offset), (TooManyPairs, 10));
    }

    /// The cookie of the segment a control byte is in never ends: the control byte is
    /// the error, before any limit that cookie would reach; a cookie whose `;` comes
    /// before the control byte counts.
    #[test]
    fn control_byte_comes_before_the_limits_of_its_cookie() {
        let limits = Limits { max_pairs: 1, max_pair_len: 4, ..Limits::DEFAULT };
        let config = Config { limits, ..Config::new() };
        let cases: [(&[u8], CookieErrorKind, usize); 5] = [
            (b"a=1; b=2\x00", ControlCharacter, 8),
            (b"a=1; bbbbbb\x00", ControlCharacter, 11),
            (b"a=1;\x00", ControlCharacter, 4),
            (b"a=1; b=2;\x00", TooManyPairs, 5),
            (b"a=1; b=2; \x7f", TooManyPairs, 5),
        ];
        for (input, kind, offset) in cases {
            let err = CookieHeader::parse_with(input, &config).unwrap_err();
            assert_eq!((err.kind, err.offset), (kind, offset), "{input:?}");
        }
    }

    #[test]
    fn collect_reports_capacity() {
        let h = CookieHeader::parse("a=1; b=2").unwrap();
        assert_eq!(h.collect::<2>().unwrap().len(), 2);
        assert_eq!(
            h.collect::<1>().unwrap_err(),
            CookieError { kind: CapacityExceeded, line: 0, offset: 5 }
        );
        assert!(CookieHeader::parse("").unwrap().is_empty());
    }

    #[test]
    fn strict_valid_headers_read_the_same_in_both_modes() {
        for input in ["a=1", "a=1; b=\"2\"; c=", "x=a=b; y=!#$%&'()*+-./:<=>?@[]^_`{|}~"] {
            let strict = CookieHeader::parse_with(input, &Config::strict()).unwrap();
            let lenient = CookieHeader::parse(input).unwrap();
            assert_eq!(pairs(&strict), pairs(&lenient), "{input}");
        }
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn quick_check_decides_on_bounds() {
        let limits =
            |max_pairs, max_pair_len| Limits { max_pairs, max_pair_len, ..Limits::DEFAULT };
        let cases: [(&[&[u8]], Limits, bool); 10] = [
            (&[b"a=1; b=2"], Limits::DEFAULT, true),
            (&[b"a=1; b=2\x00"], Limits::DEFAULT, false),
            (&[b"a=1", b"\tb=2\t"], Limits::DEFAULT, true),
            (&[b"a=1", b"b\x7f"], Limits::DEFAULT, false),
            // Three `;`-separated segments: the length bound (4) is too loose,
            // counting `;` is not.
            (&[b"a=1;b=2;c=3"], limits(3, 16), true),
            (&[b"a=1;b=2;c=3"], limits(2, 16), false),
            // A line longer than one cookie may be.
            (&[b"a=1;b=2;c=3"], limits(3, 10), false),
            (&[b"a=1", b"b=2;c=3"], limits(3, 8), true),
            // As many cookies as the length allows: the bound is tight.
            (&[b"a=;b=;c="], limits(3, 16), true),
            (&[b"a=;b=;c="], limits(2, 16), false),
        ];
        for (lines, limits, want) in cases {
            assert_eq!(surely_valid(Source::Lines(lines), &limits), want, "{lines:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The quick check passes only what the exact walk passes, whatever the
        /// limits: parsing gives the same answer with or without it.
        #[test]
        fn quick_check_passes_only_what_the_exact_walk_passes(
            header in proptest::collection::vec(
                proptest::sample::select(&b"aab===  ;;;\t\x00\x7f"[..]),
                0..40,
            ),
            max_pairs in 0usize..12,
            max_pair_len in 0usize..40,
            max_header_len in 0usize..40,
        ) {
            let limits = Limits { max_header_len, max_pairs, max_pair_len };
            let config = Config { limits, ..Config::new() };
            #[cfg(target_pointer_width = "64")]
            if surely_valid(Source::One(&header), &limits) {
                proptest::prop_assert_eq!(validate_exactly(Source::One(&header), &config), Ok(()));
            }
            if surely_valid_line(Source::One(&header), &limits) {
                proptest::prop_assert_eq!(validate_exactly(Source::One(&header), &config), Ok(()));
            }
        }
    }
}
