//! The RFC 6265bis §5.6 (and RFC 6265 §5.2) user-agent algorithm for one
//! `Set-Cookie` line.
//!
//! Written by hand, not with nom: the algorithm is steps over a line ("up to the
//! first `;`", "before the first `=`"), not a grammar, and its splits are the
//! word-wide scans of `cookie::scan`, which nom's byte-at-a-time `take_till` would
//! make several times slower on every attribute. The `Expires` date, which is a
//! grammar, is read in [`date`].

use super::build::SetCookieBuilder;
use super::fields::{
    AttributeName, COOKIE_AGE_LIMIT, Fields, MAX_ATTRIBUTE_VALUE_LEN, MAX_NAME_VALUE_LEN, Priority,
    SameSite, domain_without_dot,
};
use super::prefix::{self, Prefix, PrefixError};
use crate::cookie::scan;
use crate::date::{self, ImfFixdate};
use crate::octets;

/// Which user-agent algorithm reads a `Set-Cookie` line. See the
/// [module docs](crate::set_cookie) for the differences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Spec {
    /// RFC 6265bis, what current browsers do.
    #[default]
    Rfc6265bis,
    /// RFC 6265 (2011).
    Rfc6265,
}

/// Why a user agent ignores a whole `Set-Cookie` line.
///
/// ```
/// use embedded_cookie::set_cookie::{SetCookieError, Spec, SetCookie};
///
/// assert_eq!(SetCookie::parse("a=1\r\nX-Evil: 1").unwrap_err(), SetCookieError::ControlCharacter);
/// assert_eq!(SetCookie::parse_with("flag", Spec::Rfc6265).unwrap_err(), SetCookieError::MissingEquals);
/// assert_eq!(SetCookieError::TooLong.to_string(), "name and value over 4096 bytes");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SetCookieError {
    /// RFC 6265bis: the line holds a control byte other than HTAB (`%x00-08`,
    /// `%x0A-1F`, `%x7F`), anywhere, attributes included.
    ControlCharacter,
    /// RFC 6265: the name-value pair has no `=`.
    MissingEquals,
    /// RFC 6265: the name is empty after trimming.
    EmptyName,
    /// RFC 6265bis: name and value are both empty after trimming.
    EmptyNameAndValue,
    /// RFC 6265bis: name and value together are longer than
    /// [`MAX_NAME_VALUE_LEN`] bytes.
    TooLong,
}

texts! {
    /// A short, stable description, e.g. `"control character"`.
    SetCookieError: display, error {
        Self::ControlCharacter => "control character",
        Self::MissingEquals => "missing '='",
        Self::EmptyName => "empty name",
        Self::EmptyNameAndValue => "empty name and value",
        Self::TooLong => "name and value over 4096 bytes",
    }
}

/// Which expiry attribute decides a cookie's lifetime, with its raw value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Expiry {
    /// `Max-Age`, in seconds from the moment the header is received; zero or
    /// negative means "expire now".
    MaxAge(i64),
    /// `Expires`, in seconds since the Unix epoch.
    Expires(i64),
}

/// One attribute of a `Set-Cookie` line as written: name and value trimmed of
/// SP/HTAB, borrowing the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Attribute<'a> {
    name: &'a [u8],
    value: &'a [u8],
}

impl<'a> Attribute<'a> {
    /// The name, as written.
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// The value after the first `=`, as written; empty when there is no `=`.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The attribute this crate reads it as, or `None` for an unknown one.
    pub fn kind(&self) -> Option<AttributeName> {
        AttributeName::from_name(self.name)
    }
}

/// Iterator over the attributes of a line, from [`SetCookie::attributes`].
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Attributes<'a> {
    /// The unparsed attributes: empty, or starting with the `;` that ends the
    /// previous part.
    rest: &'a [u8],
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Attribute<'a>;

    #[cfg_attr(target_pointer_width = "64", inline(always))]
    fn next(&mut self) -> Option<Attribute<'a>> {
        loop {
            let after = self.rest.strip_prefix(b";")?;
            let (name, value, rest) = part(after);
            self.rest = rest;
            let (name, value) = (trim(name), trim(value.unwrap_or_default()));
            if !(name.is_empty() && value.is_empty()) {
                return Some(Attribute { name, value });
            }
        }
    }
}

/// `bytes` without leading and trailing SP/HTAB. Most parts of a line have none
/// but the space after a `;`: those take a comparison or two, not the loops of
/// [`octets::trim`].
#[cfg_attr(target_pointer_width = "64", inline(always))]
fn trim(bytes: &[u8]) -> &[u8] {
    // Above SP is neither SP nor HTAB.
    let bytes = match bytes {
        [b' ', rest @ ..] => rest,
        _ => bytes,
    };
    match bytes {
        [first, .., last] if *first > b' ' && *last > b' ' => bytes,
        _ => octets::trim(bytes).1,
    }
}

/// The first part of `bytes` (up to the first `;`) as its bytes before the first
/// `=` (all of them without one) and after it (`None` without one), and the rest
/// from that `;` on: one pass over the part.
// Inlined on 64-bit targets, as is `Attributes::next`: the two calls an attribute
// cost more than the splits; a microcontroller keeps the flash.
#[cfg_attr(target_pointer_width = "64", inline(always))]
fn part(bytes: &[u8]) -> (&[u8], Option<&[u8]>, &[u8]) {
    match scan::split_at_equals_or_semicolon(bytes) {
        (name, [b'=', after @ ..]) => {
            let (value, rest) = scan::split_at_semicolon(after);
            (name, Some(value), rest)
        }
        (name, rest) => (name, None, rest),
    }
}

/// `Max-Age` by RFC 6265bis §5.6.2: `[ "-" ] 1*DIGIT` and nothing else, saturating
/// at the ends of `i64`.
fn max_age(value: &[u8]) -> Option<i64> {
    let (minus, digits) = match value {
        [b'-', digits @ ..] => (true, digits),
        digits => (false, digits),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Nineteen digits always fit a `u64`: no check for overflow per digit, which
    // would cost more than the digits themselves.
    let significant = digits
        .iter()
        .position(|&d| d != b'0')
        .map_or(&[][..], |at| digits.get(at..).unwrap_or_default());
    let magnitude = match significant.len() {
        0..=19 => significant.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')),
        _ => u64::MAX,
    };
    Some(if minus {
        0i64.saturating_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).unwrap_or(i64::MAX)
    })
}

/// One `Set-Cookie` line as a user agent reads it: a view borrowing the line.
///
/// Accessors give what the user agent keeps, after the algorithm has resolved
/// repeated and invalid attributes (see the [module docs](crate::set_cookie)).
///
/// ```
/// use embedded_cookie::set_cookie::{Expiry, Priority, SetCookie};
///
/// let line = "id=7; Domain=.Example.COM; Expires=Wed, 09 Jun 2021 10:18:14 GMT; \
///             Max-Age=60; Priority=High; Version=1";
/// let c = SetCookie::parse(line)?;
/// assert_eq!(c.domain(), Some(&b"Example.COM"[..])); // leading dot gone
/// assert_eq!(c.expires(), Some(1_623_233_894));
/// assert_eq!(c.expiry(), Some(Expiry::MaxAge(60))); // Max-Age wins
/// assert_eq!(c.expiry_time(1_000), Some(1_060));
/// assert_eq!(c.priority(), Some(Priority::High));
/// let unknown: Vec<_> = c.unknown().map(|a| (a.name(), a.value())).collect();
/// assert_eq!(unknown, [(&b"Version"[..], &b"1"[..])]);
/// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SetCookie<'a> {
    fields: Fields<'a>,
    attributes: &'a [u8],
    rules: Spec,
}

impl<'a> SetCookie<'a> {
    /// Reads one header value (no `Set-Cookie:` in front) by RFC 6265bis.
    pub fn parse<H: AsRef<[u8]> + ?Sized>(line: &'a H) -> Result<Self, SetCookieError> {
        Self::parse_with(line, Spec::Rfc6265bis)
    }

    /// Reads one header value by `rules`.
    ///
    /// Work is linear in the line: each byte is looked at a bounded number of
    /// times, and nothing is copied.
    pub fn parse_with<H: AsRef<[u8]> + ?Sized>(
        line: &'a H,
        rules: Spec,
    ) -> Result<Self, SetCookieError> {
        let line = line.as_ref();
        let bis = rules == Spec::Rfc6265bis;
        if bis && scan::has_control(line) {
            return Err(SetCookieError::ControlCharacter);
        }
        let (name, value, attributes) = part(line);
        let (name, value) = match value {
            Some(value) => (name, value),
            None if bis => (&[][..], name),
            None => return Err(SetCookieError::MissingEquals),
        };
        let (name, value) = (trim(name), trim(value));
        if bis {
            if name.is_empty() && value.is_empty() {
                return Err(SetCookieError::EmptyNameAndValue);
            }
            if name.len() + value.len() > MAX_NAME_VALUE_LEN {
                return Err(SetCookieError::TooLong);
            }
        } else if name.is_empty() {
            return Err(SetCookieError::EmptyName);
        }
        let mut cookie = Self { fields: Fields::new(name, value), attributes, rules };
        for attribute in cookie.attributes() {
            if !(bis && attribute.value.len() > MAX_ATTRIBUTE_VALUE_LEN) {
                cookie.apply(attribute);
            }
        }
        Ok(cookie)
    }

    /// Applies one attribute as §5.6.1-§5.6.7 say; an ignored attribute leaves
    /// every field as it was.
    fn apply(&mut self, attribute: Attribute<'a>) {
        let value = attribute.value;
        match attribute.kind() {
            Some(AttributeName::Expires) => {
                // Every date the algorithm gives lies in the range an IMF-fixdate
                // can write.
                if let Some(at) =
                    date::parse_cookie_date(value).ok().and_then(|secs| ImfFixdate::new(secs).ok())
                {
                    self.fields.expires = Some(at);
                }
            }
            Some(AttributeName::MaxAge) => {
                if let Some(secs) = max_age(value) {
                    self.fields.max_age = Some(secs);
                }
            }
            // RFC 6265 §5.2.3 skips an empty value; RFC 6265bis keeps it as "no
            // domain", which cancels an earlier one.
            Some(AttributeName::Domain) if value.is_empty() && self.rules == Spec::Rfc6265 => {}
            Some(AttributeName::Domain) => {
                let domain = domain_without_dot(value);
                self.fields.domain = (!domain.is_empty()).then_some(domain);
            }
            Some(AttributeName::Path) => {
                self.fields.path = value.starts_with(b"/").then_some(value);
            }
            Some(AttributeName::Secure) => self.fields.secure = true,
            Some(AttributeName::HttpOnly) => self.fields.http_only = true,
            Some(AttributeName::SameSite) => self.fields.same_site = SameSite::from_value(value),
            Some(AttributeName::Partitioned) => self.fields.partitioned = true,
            Some(AttributeName::Priority) => self.fields.priority = Priority::from_value(value),
            None => {}
        }
    }

    /// The name, trimmed; empty for a nameless cookie (RFC 6265bis only).
    pub fn name(&self) -> &'a [u8] {
        self.fields.name
    }

    /// The name, if it is UTF-8.
    pub fn name_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.fields.name).ok()
    }

    /// The value, trimmed, quotes included.
    pub fn value(&self) -> &'a [u8] {
        self.fields.value
    }

    /// The value, if it is UTF-8.
    pub fn value_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.fields.value).ok()
    }

    /// The specification the line was read by.
    pub fn spec(&self) -> Spec {
        self.rules
    }

    /// The last valid `Expires`, in seconds since the Unix epoch, as sent (not
    /// capped).
    pub fn expires(&self) -> Option<i64> {
        self.fields.expires.map(ImfFixdate::secs)
    }

    /// The last valid `Max-Age`, in seconds, as sent (not capped; saturated at
    /// the ends of `i64`).
    pub fn max_age(&self) -> Option<i64> {
        self.fields.max_age
    }

    /// The expiry attribute that decides the lifetime: `Max-Age` if there is one,
    /// else `Expires`; `None` for a session cookie.
    pub fn expiry(&self) -> Option<Expiry> {
        match (self.fields.max_age, self.expires()) {
            (Some(secs), _) => Some(Expiry::MaxAge(secs)),
            (None, Some(at)) => Some(Expiry::Expires(at)),
            (None, None) => None,
        }
    }

    /// The moment a jar stores as the expiry, for a line received at `now`
    /// (seconds since the Unix epoch); `None` for a session cookie.
    ///
    /// `Max-Age` of zero or less gives [`date::MIN`](crate::date::MIN). Under
    /// [`Spec::Rfc6265bis`] no expiry lies more than [`COOKIE_AGE_LIMIT`] after
    /// `now`. Every result lies in [`date::MIN`](crate::date::MIN)..=
    /// [`date::MAX`](crate::date::MAX).
    ///
    /// So the result can be compared with `now` only for a `now` in
    /// [`jar::CLOCK_RANGE`](crate::jar::CLOCK_RANGE): for a clock before 1601,
    /// `Max-Age=0` gives a moment after `now`; for one at the end of 9999 or later,
    /// `Max-Age=60` gives one before it. Read a deletion from
    /// [`max_age`](Self::max_age) `<= 0` itself, and refuse such a clock, as
    /// [`Jar::store`](crate::jar::Jar::store) does.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::{COOKIE_AGE_LIMIT, SetCookie};
    /// use embedded_cookie::date;
    ///
    /// let now = 1_700_000_000;
    /// let gone = SetCookie::parse("a=; Max-Age=0")?;
    /// assert_eq!(gone.expiry_time(now), Some(date::MIN));
    /// let long = SetCookie::parse("a=1; Max-Age=999999999")?;
    /// assert_eq!(long.expiry_time(now), Some(now + COOKIE_AGE_LIMIT));
    /// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
    /// ```
    pub fn expiry_time(&self, now: i64) -> Option<i64> {
        let limit = match self.rules {
            Spec::Rfc6265bis => COOKIE_AGE_LIMIT,
            Spec::Rfc6265 => i64::MAX,
        };
        let at = match self.expiry()? {
            Expiry::MaxAge(secs) if secs <= 0 => date::MIN,
            Expiry::MaxAge(secs) => now.saturating_add(secs.min(limit)),
            Expiry::Expires(at) => at.min(now.saturating_add(limit)),
        };
        Some(at.clamp(date::MIN, date::MAX))
    }

    /// The last `Domain`, without its leading `.` and as sent otherwise (compare
    /// case-insensitively); `None` for a host-only cookie.
    pub fn domain(&self) -> Option<&'a [u8]> {
        self.fields.domain
    }

    /// The last `Path`, if it starts with `/`; `None` when the attribute is absent
    /// or the last one fell back to the default-path.
    pub fn path(&self) -> Option<&'a [u8]> {
        self.fields.path
    }

    /// True when a `Secure` attribute is present.
    pub fn secure(&self) -> bool {
        self.fields.secure
    }

    /// True when an `HttpOnly` attribute is present.
    pub fn http_only(&self) -> bool {
        self.fields.http_only
    }

    /// The last `SameSite`, or `None` when absent or unrecognised.
    pub fn same_site(&self) -> Option<SameSite> {
        self.fields.same_site
    }

    /// True when a `Partitioned` attribute is present.
    pub fn partitioned(&self) -> bool {
        self.fields.partitioned
    }

    /// The last `Priority`, or `None` when absent or unrecognised.
    pub fn priority(&self) -> Option<Priority> {
        self.fields.priority
    }

    /// Every attribute as written, in order, known or not, used or ignored
    /// (empty cookie-avs left out).
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes { rest: self.attributes }
    }

    /// The attributes whose name this crate does not know, in order.
    pub fn unknown(&self) -> impl Iterator<Item = Attribute<'a>> + Clone + use<'a> {
        self.attributes().filter(|a| a.kind().is_none())
    }

    /// Checks the `__Secure-` and `__Host-` name prefix rules; `Ok` names the
    /// prefix the cookie has, if any. See the [module docs](crate::set_cookie#name-prefixes).
    ///
    /// ```
    /// use embedded_cookie::set_cookie::{Prefix, PrefixError, SetCookie};
    ///
    /// let ok = SetCookie::parse("__Host-sid=1; Secure; Path=/")?;
    /// assert_eq!(ok.check_prefix(), Ok(Some(Prefix::Host)));
    /// let evil = SetCookie::parse("__Host-sid=1; Secure; Path=/; Domain=evil.example")?;
    /// assert_eq!(evil.check_prefix(), Err(PrefixError::DomainSet));
    /// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
    /// ```
    pub fn check_prefix(&self) -> Result<Option<Prefix>, PrefixError> {
        let f = &self.fields;
        prefix::check(f.name, f.value, f.secure, f.path, f.domain.is_some())
    }

    /// A builder holding this cookie, to change attributes and write it again.
    /// See [`SetCookieBuilder`]'s `From` impl for what carries over.
    pub fn to_builder(&self) -> SetCookieBuilder<'a> {
        SetCookieBuilder::from(self)
    }

    /// What the cookie holds, for the builder.
    pub(super) fn fields(&self) -> Fields<'a> {
        self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// The expiry `secs` after the epoch, as a row expects it.
    fn at(secs: i64) -> Option<ImfFixdate> {
        ImfFixdate::new(secs).ok()
    }

    /// One `#[test]` per row: `name: rules, input => Ok(Fields {..}) | Err(SetCookieError)`.
    macro_rules! cases {
        ($($name:ident: $rules:ident, $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let want: Result<Fields<'_>, SetCookieError> = $want;
                match (SetCookie::parse_with($input, Spec::$rules), want) {
                    (Ok(got), Ok(want)) => assert_eq!(got.fields(), want),
                    (Err(got), Err(want)) => assert_eq!(got, want),
                    (got, want) => panic!("got {got:?}, want {want:?}"),
                }
            }
        )*};
    }

    fn nv(name: &'static [u8], value: &'static [u8]) -> Fields<'static> {
        Fields::new(name, value)
    }

    use SetCookieError::*;
    cases! {
        // Name and value.
        plain: Rfc6265bis, "a=1" => Ok(nv(b"a", b"1"));
        trimmed: Rfc6265bis, " \ta \t= \t1 \t;" => Ok(nv(b"a", b"1"));
        value_keeps_inner_space_and_equals: Rfc6265bis, "a= x =y ; Secure" => Ok(Fields { secure: true, ..nv(b"a", b"x =y") });
        quotes_not_special: Rfc6265bis, "foo=\"bar;baz\"" => Ok(nv(b"foo", b"\"bar"));
        comma_not_separator: Rfc6265bis, "foo=bar, baz=qux" => Ok(nv(b"foo", b"bar, baz=qux"));
        empty_value: Rfc6265bis, "a=" => Ok(nv(b"a", b""));
        non_utf8_kept: Rfc6265bis, b"a=\xff" => Ok(nv(b"a", b"\xff"));
        htab_allowed: Rfc6265bis, "a=x\ty" => Ok(nv(b"a", b"x\ty"));
        // Nameless cookies: RFC 6265bis keeps them, RFC 6265 ignores the line.
        bis_no_equals: Rfc6265bis, "foo; Secure" => Ok(Fields { secure: true, ..nv(b"", b"foo") });
        bis_empty_name: Rfc6265bis, " =foo" => Ok(nv(b"", b"foo"));
        bis_empty_both: Rfc6265bis, " = " => Err(EmptyNameAndValue);
        bis_empty_line: Rfc6265bis, "" => Err(EmptyNameAndValue);
        bis_only_attributes: Rfc6265bis, "; Secure" => Err(EmptyNameAndValue);
        old_no_equals: Rfc6265, "foo" => Err(MissingEquals);
        old_empty_line: Rfc6265, "" => Err(MissingEquals);
        old_empty_name: Rfc6265, " =foo" => Err(EmptyName);
        old_empty_value_kept: Rfc6265, "a=" => Ok(nv(b"a", b""));
        // Control bytes.
        bis_nul: Rfc6265bis, b"a=1\x00" => Err(ControlCharacter);
        bis_crlf_in_attribute: Rfc6265bis, "a=1; Path=/\r\nX: y" => Err(ControlCharacter);
        bis_del: Rfc6265bis, "a\x7f=1" => Err(ControlCharacter);
        old_ctl_kept: Rfc6265, "a=1\x00; Path=/x\x01" => Ok(Fields { path: Some(b"/x\x01"), ..nv(b"a", b"1\x00") });
        // Attribute names are case-insensitive; values are trimmed.
        flags: Rfc6265bis, "a=1; secure; HTTPONLY; Partitioned=whatever" => Ok(Fields { secure: true, http_only: true, partitioned: true, ..nv(b"a", b"1") });
        spaced_attribute: Rfc6265bis, "a=1;  PATH \t=  /p  " => Ok(Fields { path: Some(b"/p"), ..nv(b"a", b"1") });
        empty_avs_skipped: Rfc6265bis, "a=1;;; Secure;" => Ok(Fields { secure: true, ..nv(b"a", b"1") });
        // Expires.
        expires: Rfc6265bis, "a=1; expires=Wed, 09 Jun 2021 10:18:14 GMT" => Ok(Fields { expires: at(1_623_233_894), ..nv(b"a", b"1") });
        expires_bad_keeps_earlier: Rfc6265bis, "a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Expires=soon" => Ok(Fields { expires: at(1_623_233_894), ..nv(b"a", b"1") });
        expires_last_wins: Rfc6265bis, "a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Expires=Thu, 01 Jan 1970 00:00:00 GMT" => Ok(Fields { expires: at(0), ..nv(b"a", b"1") });
        // Domain.
        domain_leading_dot: Rfc6265bis, "a=1; Domain=.Example.org" => Ok(Fields { domain: Some(b"Example.org"), ..nv(b"a", b"1") });
        domain_only_one_dot_removed: Rfc6265bis, "a=1; Domain=..x" => Ok(Fields { domain: Some(b".x"), ..nv(b"a", b"1") });
        domain_dot_alone_is_host_only: Rfc6265bis, "a=1; Domain=x.org; Domain=." => Ok(nv(b"a", b"1"));
        bis_empty_domain_resets: Rfc6265bis, "a=1; domain=example.org; domain=" => Ok(nv(b"a", b"1"));
        old_empty_domain_ignored: Rfc6265, "a=1; domain=example.org; domain=" => Ok(Fields { domain: Some(b"example.org"), ..nv(b"a", b"1") });
        // Path.
        path: Rfc6265bis, "a=1; Path=/a/b" => Ok(Fields { path: Some(b"/a/b"), ..nv(b"a", b"1") });
        path_not_slash_is_default: Rfc6265bis, "a=1; Path=a/b" => Ok(nv(b"a", b"1"));
        path_invalid_last_resets: Rfc6265bis, "a=1; Path=/a; Path=" => Ok(nv(b"a", b"1"));
        // SameSite and Priority: unknown values mean unspecified, last one wins.
        same_site: Rfc6265bis, "a=1; SameSite=strict" => Ok(Fields { same_site: Some(SameSite::Strict), ..nv(b"a", b"1") });
        same_site_none: Rfc6265bis, "a=1; samesite=NONE; Secure" => Ok(Fields { same_site: Some(SameSite::None), secure: true, ..nv(b"a", b"1") });
        same_site_unknown_resets: Rfc6265bis, "a=1; SameSite=Lax; SameSite=Lenient" => Ok(nv(b"a", b"1"));
        same_site_empty: Rfc6265bis, "a=1; SameSite" => Ok(nv(b"a", b"1"));
        priority: Rfc6265bis, "a=1; priority=low" => Ok(Fields { priority: Some(Priority::Low), ..nv(b"a", b"1") });
        priority_unknown_resets: Rfc6265bis, "a=1; Priority=High; Priority=urgent" => Ok(nv(b"a", b"1"));
        // The 2011 rules still read the newer attributes.
        old_reads_new_attributes: Rfc6265, "a=1; SameSite=Lax; Partitioned; Priority=Medium" => Ok(Fields { same_site: Some(SameSite::Lax), partitioned: true, priority: Some(Priority::Medium), ..nv(b"a", b"1") });
    }

    /// 4096 bytes of name and value are fine, one more
    /// is not; a 1025-byte attribute value drops that attribute. RFC 6265 has
    /// neither limit.
    #[test]
    fn length_limits_by_rules() {
        let a4095 = "a".repeat(4095);
        let ok = std::format!("a={a4095}");
        let over = std::format!("ab={a4095}");
        assert_eq!(SetCookie::parse(&ok).map(|c| c.value().len()), Ok(4095));
        assert_eq!(SetCookie::parse(&over).err(), Some(TooLong));
        assert_eq!(SetCookie::parse_with(&over, Spec::Rfc6265).map(|c| c.name()), Ok(&b"ab"[..]));
        let path = std::format!("/{}", "p".repeat(1023));
        for (extra, kept) in [("", true), ("x", false)] {
            let line = std::format!("a=1; Secure; Path={path}{extra}; HttpOnly");
            let bis = SetCookie::parse(&line).unwrap();
            assert_eq!(bis.path().is_some(), kept, "{} bytes", path.len() + extra.len());
            assert!(bis.secure() && bis.http_only());
            let old = SetCookie::parse_with(&line, Spec::Rfc6265).unwrap();
            assert!(old.path().is_some());
        }
        // The limit is on the value; a long unknown attribute is still listed.
        let line = std::format!("a=1; X={}", "v".repeat(2000));
        assert_eq!(SetCookie::parse(&line).unwrap().unknown().count(), 1);
    }

    /// RFC 6265bis §5.6.2 Max-Age, as the module docs describe it.
    #[test]
    fn max_age_table() {
        let cases: [(&str, Option<i64>); 18] = [
            ("0", Some(0)),
            ("60", Some(60)),
            ("007", Some(7)),
            ("-1", Some(-1)),
            ("-0", Some(0)),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", Some(i64::MAX)),
            ("99999999999999999999999", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("-99999999999999999999999", Some(i64::MIN)),
            ("+5", None),
            ("-", None),
            ("--1", None),
            ("5s", None),
            ("1.5", None),
            ("50,399", None),
            ("", None),
            ("- 1", None),
        ];
        for (value, want) in cases {
            let line = std::format!("a=1; Max-Age={value}");
            let got = SetCookie::parse(&line).unwrap().max_age();
            assert_eq!(got, want, "Max-Age={value}");
        }
        // An ignored Max-Age leaves an earlier valid one.
        let c = SetCookie::parse("a=1; Max-Age=5; Max-Age=+6").unwrap();
        assert_eq!(c.max_age(), Some(5));
    }

    #[test]
    fn max_age_wins_over_expires_in_either_order() {
        for line in [
            "a=1; Max-Age=10; Expires=Wed, 09 Jun 2021 10:18:14 GMT",
            "a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Max-Age=10",
        ] {
            let c = SetCookie::parse(line).unwrap();
            assert_eq!(c.expiry(), Some(Expiry::MaxAge(10)), "{line}");
            assert_eq!(c.expires(), Some(1_623_233_894));
        }
        let c = SetCookie::parse("a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT").unwrap();
        assert_eq!(c.expiry(), Some(Expiry::Expires(1_623_233_894)));
        assert_eq!(SetCookie::parse("a=1").unwrap().expiry(), None);
    }

    #[test]
    fn expiry_time_caps_by_rules() {
        let now = 1_700_000_000;
        let in_a_year = now + 365 * 86_400;
        let far = "Fri, 31 Dec 9999 23:59:59 GMT";
        let cases: [(&str, Spec, Option<i64>); 10] = [
            ("a=1", Spec::Rfc6265bis, None),
            ("a=1; Max-Age=0", Spec::Rfc6265bis, Some(date::MIN)),
            ("a=1; Max-Age=-5", Spec::Rfc6265, Some(date::MIN)),
            ("a=1; Max-Age=31536000", Spec::Rfc6265bis, Some(in_a_year)),
            ("a=1; Max-Age=99999999999", Spec::Rfc6265bis, Some(now + COOKIE_AGE_LIMIT)),
            ("a=1; Max-Age=99999999999", Spec::Rfc6265, Some(now + 99_999_999_999)),
            ("a=1; Max-Age=99999999999999999999", Spec::Rfc6265, Some(date::MAX)),
            (
                "a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
                Spec::Rfc6265bis,
                Some(now + COOKIE_AGE_LIMIT),
            ),
            ("a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", Spec::Rfc6265, Some(date::MAX)),
            ("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", Spec::Rfc6265bis, Some(0)),
        ];
        for (line, rules, want) in cases {
            let c = SetCookie::parse_with(line, rules).unwrap();
            assert_eq!(c.expiry_time(now), want, "{line} {rules:?}");
        }
        let line = std::format!("a=1; Expires={far}");
        let c = SetCookie::parse(&line).unwrap();
        assert_eq!(c.expiry_time(i64::MAX), Some(date::MAX));
    }

    /// Outside the clock range the clamped result lands on the wrong side of
    /// `now`, as `expiry_time`'s docs warn; the jar refuses such a clock.
    #[test]
    fn expiry_time_is_clamped_whatever_the_clock() {
        let cases: [(i64, &str, i64); 8] = [
            (i64::MIN, "a=; Max-Age=0", date::MIN),
            (date::MIN - 1, "a=; Max-Age=0", date::MIN),
            (i64::MIN, "a=1; Max-Age=60", date::MIN),
            (date::MIN - 1, "a=1; Max-Age=60", date::MIN + 59),
            (date::MAX, "a=1; Max-Age=60", date::MAX),
            (date::MAX + 1, "a=1; Max-Age=60", date::MAX),
            (i64::MAX, "a=1; Max-Age=60", date::MAX),
            (i64::MAX, "a=; Max-Age=-1", date::MIN),
        ];
        for (now, line, want) in cases {
            let c = SetCookie::parse(line).unwrap();
            assert_eq!(c.expiry_time(now), Some(want), "{line} at {now}");
        }
    }

    #[test]
    fn attributes_and_unknown_are_listed_raw_in_order() {
        let c = SetCookie::parse("a=1; Version=1; Secure; ;  Comment = hi there ; x; Max-Age=+1")
            .unwrap();
        let all: Vec<_> = c.attributes().map(|a| (a.name(), a.value())).collect();
        let want: [(&[u8], &[u8]); 5] = [
            (b"Version", b"1"),
            (b"Secure", b""),
            (b"Comment", b"hi there"),
            (b"x", b""),
            (b"Max-Age", b"+1"),
        ];
        assert_eq!(all, want);
        let unknown: Vec<_> = c.unknown().map(|a| a.name()).collect();
        assert_eq!(unknown, [&b"Version"[..], b"Comment", b"x"]);
        assert_eq!(c.max_age(), None);
        assert_eq!(SetCookie::parse("a=1").unwrap().attributes().count(), 0);
    }

    #[test]
    fn str_helpers_refuse_non_utf8() {
        let c = SetCookie::parse(b"n=\xff").unwrap();
        assert_eq!((c.name_str(), c.value_str()), (Some("n"), None));
        assert_eq!(c.spec(), Spec::Rfc6265bis);
    }

    #[test]
    fn ignored_texts() {
        let cases = [
            (ControlCharacter, "control character"),
            (MissingEquals, "missing '='"),
            (EmptyName, "empty name"),
            (EmptyNameAndValue, "empty name and value"),
            (TooLong, "name and value over 4096 bytes"),
        ];
        for (e, text) in cases {
            assert_eq!(std::format!("{e}"), text);
        }
    }
}
