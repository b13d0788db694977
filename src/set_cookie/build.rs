//! Writing a `Set-Cookie` header value without a heap.

use core::fmt;

use super::fields::{
    AttributeName, Fields, MAX_NAME_VALUE_LEN, Priority, SameSite, ValueError, check_domain,
    check_path, domain_without_dot, is_token_name, same_site_allowed,
};
use super::parse::SetCookie;
use super::prefix::{self, PrefixError};
use crate::date::ImfFixdate;
use crate::decimal::Digits;
use crate::octets;

/// Why a [`SetCookieBuilder`] refused to write. Nothing is written when one of
/// these is returned.
///
/// ```
/// use embedded_cookie::set_cookie::{BuildError, SetCookieBuilder};
///
/// let err = SetCookieBuilder::new("sid", "a;b").written_len().unwrap_err();
/// assert_eq!(err, BuildError::InvalidValue);
/// let mut buf = [0u8; 8];
/// let err = SetCookieBuilder::new("sid", "abc").path("/").write(&mut buf).unwrap_err();
/// assert_eq!(err, BuildError::BufferTooSmall { needed: 15 });
/// assert_eq!(err.to_string(), "buffer too small: 15 bytes needed");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum BuildError {
    /// The name is empty or not an RFC 9110 `token` (this also refuses CR, LF,
    /// NUL, `;`, `=` and spaces).
    InvalidName,
    /// The value is not an RFC 6265 `cookie-value`: `cookie-octet`s, optionally in
    /// one pair of `"`. Encode other bytes (base64, percent-encoding) first.
    InvalidValue,
    /// Name and value together are longer than
    /// [`MAX_NAME_VALUE_LEN`](super::MAX_NAME_VALUE_LEN), so browsers would ignore
    /// the cookie.
    CookieTooLong,
    /// The `Domain` holds a byte other than a letter, digit, `-` or `.`, is empty
    /// after its leading `.`, still starts with `.` after it (a browser would drop
    /// that one too and read another domain), or ends with `.` (which no browser
    /// accepts).
    InvalidDomain,
    /// The `Path` does not start with `/`, or holds a CTL, SP, `;` or a byte
    /// above `%x7E`.
    InvalidPath,
    /// A `Domain` or `Path` longer than
    /// [`MAX_ATTRIBUTE_VALUE_LEN`](super::MAX_ATTRIBUTE_VALUE_LEN), which browsers
    /// would drop.
    AttributeTooLong,
    /// A negative `Max-Age`; send `0` to expire a cookie.
    NegativeMaxAge,
    /// A `__Secure-` or `__Host-` name whose rules are not met.
    Prefix(PrefixError),
    /// `SameSite=None` without `Secure`, which browsers refuse.
    SameSiteNoneWithoutSecure,
    /// `Partitioned` without `Secure`, which browsers refuse.
    PartitionedWithoutSecure,
    /// The buffer is shorter than the header, which needs `needed` bytes.
    BufferTooSmall {
        /// The exact length of the header.
        needed: usize,
    },
}

texts! {
    /// A short, stable description, e.g. `"invalid name"`.
    BuildError: display_needed, error {
        Self::InvalidName => "invalid name",
        Self::InvalidValue => "invalid value",
        Self::CookieTooLong => "name and value over 4096 bytes",
        Self::InvalidDomain => "invalid Domain",
        Self::InvalidPath => "invalid Path",
        Self::AttributeTooLong => "attribute value over 1024 bytes",
        Self::NegativeMaxAge => "negative Max-Age",
        Self::Prefix(e) => e.as_str(),
        Self::SameSiteNoneWithoutSecure => "SameSite=None without Secure",
        Self::PartitionedWithoutSecure => "Partitioned without Secure",
        Self::BufferTooSmall { .. } => "buffer too small",
    }
}

impl From<PrefixError> for BuildError {
    fn from(e: PrefixError) -> Self {
        Self::Prefix(e)
    }
}

/// One cookie to send, written as a `Set-Cookie` header value.
///
/// Made by a `const fn` and by-value setters, so a cookie's fixed attributes can
/// live in a `const`. Nothing is checked until it is written; then everything is
/// checked first, the exact length is computed, and only then is a byte written.
///
/// It refuses, with a [`BuildError`]: a name that is not a token; a value that is
/// not `cookie-octet`s (optionally quoted); name and value over 4096 bytes; a
/// `Domain` or `Path` with CR, LF, NUL, `;` or anything else outside its grammar,
/// or over 1024 bytes; a negative `Max-Age`; a `__Secure-` or `__Host-` name whose
/// rules are not met; `SameSite=None` or `Partitioned` without `Secure`; a buffer
/// too small.
///
/// Output is canonical: attributes in the order of [`AttributeName::ALL`] with
/// their canonical spelling, `"; "` between them, the `Domain` lower-cased and
/// without a leading `.`.
///
/// ```
/// use embedded_cookie::set_cookie::{SameSite, SetCookieBuilder};
///
/// const SESSION: SetCookieBuilder<'static> = SetCookieBuilder::new("__Host-sid", "")
///     .path("/")
///     .secure(true)
///     .http_only(true)
///     .same_site(SameSite::Lax);
///
/// let token = "c2Vzc2lvbg";
/// let mut buf = [0u8; 128];
/// let n = SESSION.value(token).max_age(3600).write(&mut buf)?;
/// assert_eq!(
///     &buf[..n],
///     b"__Host-sid=c2Vzc2lvbg; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax"
/// );
/// # Ok::<(), embedded_cookie::set_cookie::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SetCookieBuilder<'a> {
    fields: Fields<'a>,
    /// The `Domain` came from a parsed line, whose one leading `.` the parser
    /// dropped already: written exactly, not stripped again.
    domain_parsed: bool,
}

impl<'a> SetCookieBuilder<'a> {
    /// What the cookie holds, for checks that read it as it is.
    pub(crate) const fn fields(&self) -> &Fields<'a> {
        &self.fields
    }

    /// A session cookie `name=value` with no attributes.
    pub const fn new(name: &'a str, value: &'a str) -> Self {
        Self { fields: Fields::new(name.as_bytes(), value.as_bytes()), domain_parsed: false }
    }

    /// The name, as given (`None` only for a builder made from a parsed line whose
    /// name is not UTF-8).
    ///
    /// ```
    /// use embedded_cookie::SetCookieBuilder;
    ///
    /// let cookie = SetCookieBuilder::new("sid", "42");
    /// assert_eq!((cookie.name_str(), cookie.value_str()), (Some("sid"), Some("42")));
    /// ```
    pub const fn name_str(&self) -> Option<&'a str> {
        match core::str::from_utf8(self.fields.name) {
            Ok(name) => Some(name),
            Err(_) => None,
        }
    }

    /// The value, as given (`None` only for a builder made from a parsed line whose
    /// value is not UTF-8).
    pub const fn value_str(&self) -> Option<&'a str> {
        match core::str::from_utf8(self.fields.value) {
            Ok(value) => Some(value),
            Err(_) => None,
        }
    }

    /// Sets the value.
    pub const fn value(mut self, value: &'a str) -> Self {
        self.fields.value = value.as_bytes();
        self
    }

    /// Sets `Expires`.
    pub const fn expires(mut self, at: ImfFixdate) -> Self {
        self.fields.expires = Some(at);
        self
    }

    /// Sets `Max-Age`, in seconds. Browsers cap it at 400 days
    /// ([`COOKIE_AGE_LIMIT`](super::COOKIE_AGE_LIMIT)); a larger value is written
    /// as given.
    pub const fn max_age(mut self, secs: i64) -> Self {
        self.fields.max_age = Some(secs);
        self
    }

    /// Sets `Domain`. A leading `.` is dropped on output, as browsers ignore it.
    pub const fn domain(mut self, domain: &'a str) -> Self {
        self.fields.domain = Some(domain.as_bytes());
        self.domain_parsed = false;
        self
    }

    /// Sets `Path`.
    pub const fn path(mut self, path: &'a str) -> Self {
        self.fields.path = Some(path.as_bytes());
        self
    }

    /// Sets or clears `Secure`.
    pub const fn secure(mut self, on: bool) -> Self {
        self.fields.secure = on;
        self
    }

    /// Sets or clears `HttpOnly`.
    pub const fn http_only(mut self, on: bool) -> Self {
        self.fields.http_only = on;
        self
    }

    /// Sets `SameSite`.
    pub const fn same_site(mut self, same_site: SameSite) -> Self {
        self.fields.same_site = Some(same_site);
        self
    }

    /// Sets or clears `Partitioned`.
    pub const fn partitioned(mut self, on: bool) -> Self {
        self.fields.partitioned = on;
        self
    }

    /// Sets `Priority`.
    pub const fn priority(mut self, priority: Priority) -> Self {
        self.fields.priority = Some(priority);
        self
    }

    /// Removes one attribute.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::{AttributeName, SetCookie};
    ///
    /// let sent = SetCookie::parse("id=1; Domain=example.com; Max-Age=60")?;
    /// let host_only = sent.to_builder().without(AttributeName::Domain);
    /// assert_eq!(host_only.to_heapless::<32>().unwrap(), "id=1; Max-Age=60");
    /// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
    /// ```
    pub const fn without(mut self, attribute: AttributeName) -> Self {
        match attribute {
            AttributeName::Expires => self.fields.expires = None,
            AttributeName::MaxAge => self.fields.max_age = None,
            AttributeName::Domain => self.fields.domain = None,
            AttributeName::Path => self.fields.path = None,
            AttributeName::Secure => self.fields.secure = false,
            AttributeName::HttpOnly => self.fields.http_only = false,
            AttributeName::SameSite => self.fields.same_site = None,
            AttributeName::Partitioned => self.fields.partitioned = false,
            AttributeName::Priority => self.fields.priority = None,
        }
        self
    }

    /// The header that deletes this cookie: same name, `Domain`, `Path` and other
    /// attributes (a `__Host-` or partitioned cookie is only deleted by one that
    /// meets the same rules), an empty value, `Max-Age=0` and
    /// `Expires=Thu, 01 Jan 1970 00:00:00 GMT` for clients that ignore `Max-Age`.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::SetCookieBuilder;
    ///
    /// let gone = SetCookieBuilder::new("lang", "en").path("/").removal();
    /// assert_eq!(
    ///     gone.to_heapless::<96>()?,
    ///     "lang=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
    /// );
    /// # Ok::<(), embedded_cookie::set_cookie::BuildError>(())
    /// ```
    pub const fn removal(mut self) -> Self {
        self.fields.value = b"";
        self.fields.max_age = Some(0);
        self.fields.expires = match ImfFixdate::new(0) {
            Ok(epoch) => Some(epoch),
            Err(_) => None,
        };
        self
    }

    /// Checks every rule; see the type docs.
    fn validate(&self) -> Result<(), BuildError> {
        if !is_token_name(self.fields.name) {
            return Err(BuildError::InvalidName);
        }
        let octets = match self.fields.value {
            [b'"', inner @ .., b'"'] => inner,
            value => value,
        };
        if !octets.iter().all(|&b| octets::is_cookie_octet(b)) {
            return Err(BuildError::InvalidValue);
        }
        if self.fields.name.len() + self.fields.value.len() > MAX_NAME_VALUE_LEN {
            return Err(BuildError::CookieTooLong);
        }
        if let Some(domain) = self.fields.domain {
            // A parsed domain lost its one leading `.` already: a second one stays.
            let kept_dot = self.domain_parsed && domain.starts_with(b".");
            let checked = if kept_dot { Err(ValueError::Invalid) } else { check_domain(domain) };
            checked.map_err(|e| match e {
                ValueError::Invalid => BuildError::InvalidDomain,
                ValueError::TooLong => BuildError::AttributeTooLong,
            })?;
        }
        if let Some(path) = self.fields.path {
            check_path(path).map_err(|e| match e {
                ValueError::Invalid => BuildError::InvalidPath,
                ValueError::TooLong => BuildError::AttributeTooLong,
            })?;
        }
        if self.fields.max_age.is_some_and(|secs| secs < 0) {
            return Err(BuildError::NegativeMaxAge);
        }
        let has_domain = self.fields.domain.is_some();
        prefix::check(
            self.fields.name,
            self.fields.value,
            self.fields.secure,
            self.fields.path,
            has_domain,
        )?;
        if !same_site_allowed(self.fields.same_site, self.fields.secure) {
            return Err(BuildError::SameSiteNoneWithoutSecure);
        }
        if self.fields.partitioned && !self.fields.secure {
            return Err(BuildError::PartitionedWithoutSecure);
        }
        Ok(())
    }

    /// The domain as written: without one leading `.`, unless parsed.
    fn domain_out(&self) -> Option<&'a [u8]> {
        match self.fields.domain {
            Some(d) if !self.domain_parsed => Some(domain_without_dot(d)),
            domain => domain,
        }
    }

    /// Writes the header, piece by piece, to `sink`. Only called once
    /// [`validate`](Self::validate) has passed.
    fn emit(&self, sink: &mut impl Sink) -> fmt::Result {
        sink.put(self.fields.name)?;
        sink.put(b"=")?;
        sink.put(self.fields.value)?;
        if let Some(at) = self.fields.expires {
            sink.attribute(AttributeName::Expires, Some(&at.to_bytes()))?;
        }
        if let Some(secs) = self.fields.max_age {
            let mut digits = Digits::default();
            sink.attribute(AttributeName::MaxAge, Some(digits.of(secs)))?;
        }
        if let Some(domain) = self.domain_out() {
            sink.attribute(AttributeName::Domain, None)?;
            sink.put(b"=")?;
            // 16 bytes, zeroed in four stores: a larger buffer is zeroed by a call to
            // `__aeabi_memclr4`, 174 B of flash on a Cortex-M.
            for chunk in domain.chunks(16) {
                let mut lower = [0u8; 16];
                let lower = lower.get_mut(..chunk.len()).unwrap_or_default();
                lower.copy_from_slice(chunk);
                lower.make_ascii_lowercase();
                sink.put(lower)?;
            }
        }
        if let Some(path) = self.fields.path {
            sink.attribute(AttributeName::Path, Some(path))?;
        }
        if self.fields.secure {
            sink.attribute(AttributeName::Secure, None)?;
        }
        if self.fields.http_only {
            sink.attribute(AttributeName::HttpOnly, None)?;
        }
        if let Some(same_site) = self.fields.same_site {
            sink.attribute(AttributeName::SameSite, Some(same_site.as_str().as_bytes()))?;
        }
        if self.fields.partitioned {
            sink.attribute(AttributeName::Partitioned, None)?;
        }
        if let Some(priority) = self.fields.priority {
            sink.attribute(AttributeName::Priority, Some(priority.as_str().as_bytes()))?;
        }
        Ok(())
    }

    /// Checks the cookie and gives the exact length of its header.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::SetCookieBuilder;
    ///
    /// assert_eq!(SetCookieBuilder::new("a", "1").secure(true).written_len()?, 11);
    /// # Ok::<(), embedded_cookie::set_cookie::BuildError>(())
    /// ```
    pub fn written_len(&self) -> Result<usize, BuildError> {
        self.validate()?;
        let mut count = Count(0);
        // Counting never fails.
        let _ = self.emit(&mut count);
        Ok(count.0)
    }

    /// Writes the header into the start of `buf` and returns its length. When the
    /// cookie is refused or `buf` is too short, `buf` is left untouched.
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, BuildError> {
        let needed = self.written_len()?;
        let too_small = BuildError::BufferTooSmall { needed };
        let out = buf.get_mut(..needed).ok_or(too_small)?;
        // `out` was sized by the same `emit`: this never fails.
        self.emit(&mut Slice { out, at: 0 }).map_err(|_| too_small)?;
        Ok(needed)
    }

    /// The header in a `heapless::String` of capacity `N`; a header longer than
    /// `N` is [`BuildError::BufferTooSmall`].
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::String<N>, BuildError> {
        let needed = self.written_len()?;
        let too_small = BuildError::BufferTooSmall { needed };
        if needed > N {
            return Err(too_small);
        }
        let mut out = heapless::String::new();
        // The string holds `needed` bytes: this never fails.
        self.emit(&mut Fmt(&mut out)).map_err(|_| too_small)?;
        Ok(out)
    }
}

/// What carries over from a parsed line: name, value, both expiry attributes (a
/// negative `Max-Age` as `0`, which means the same), `Domain` (lower-cased on
/// output), a `Path` that starts with `/`, `Secure`, `HttpOnly`, `SameSite`,
/// `Partitioned` and `Priority`. Unknown attributes are dropped.
///
/// The `Domain` is kept exactly as parsed, the one leading `.` the parser drops
/// already gone: a line with `Domain=..example.com` (parsed as `.example.com`)
/// gives a builder that refuses to write ([`BuildError::InvalidDomain`]) rather
/// than a wider `Domain=example.com` the server never effectively set.
///
/// ```
/// use embedded_cookie::set_cookie::{SameSite, SetCookie, SetCookieBuilder};
///
/// // Harden a cookie from code we do not own.
/// let sent = SetCookie::parse("theme=dark; Path=/; Max-Age=99999999; Foo=bar")?;
/// let hardened = SetCookieBuilder::from(&sent)
///     .secure(true)
///     .http_only(true)
///     .same_site(SameSite::Strict)
///     .max_age(sent.max_age().unwrap_or(0).min(86_400));
/// assert_eq!(
///     hardened.to_heapless::<96>().unwrap(),
///     "theme=dark; Max-Age=86400; Path=/; Secure; HttpOnly; SameSite=Strict"
/// );
/// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
/// ```
impl<'a> From<&SetCookie<'a>> for SetCookieBuilder<'a> {
    fn from(c: &SetCookie<'a>) -> Self {
        let mut fields = c.fields();
        fields.max_age = fields.max_age.map(|secs| secs.max(0));
        Self { fields, domain_parsed: true }
    }
}

/// The header to send, to any [`fmt::Write`]: what [`write`](Self::write) writes, for
/// `write!`, `format_args!` and servers that take a header value as
/// `impl Display` (picoserve).
///
/// A builder that `write` would refuse displays nothing and returns
/// [`fmt::Error`], so a response never carries a cookie that breaks a rule; learn
/// why with [`written_len`](Self::written_len). (Under `std`, `to_string()` on such a
/// builder panics, as it does on any `Display` that fails.)
///
/// ```
/// use core::fmt::Write;
/// use embedded_cookie::SetCookieBuilder;
///
/// let mut response: heapless::String<64> = heapless::String::new();
/// let lang = SetCookieBuilder::new("lang", "en").path("/");
/// write!(response, "Set-Cookie: {lang}\r\n")?;
/// assert_eq!(response, "Set-Cookie: lang=en; Path=/\r\n");
///
/// let refused = SetCookieBuilder::new("lang", "a;b");
/// let mut other: heapless::String<64> = heapless::String::new();
/// assert!(write!(other, "{refused}").is_err() && other.is_empty());
/// # Ok::<(), core::fmt::Error>(())
/// ```
impl fmt::Display for SetCookieBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.validate().map_err(|_| fmt::Error)?;
        self.emit(&mut Fmt(f))
    }
}

/// Where [`SetCookieBuilder::emit`] puts its pieces. Only a [`fmt::Write`] can fail.
trait Sink {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result;

    /// `"; Name"`, then `"=value"` if there is a value.
    fn attribute(&mut self, name: AttributeName, value: Option<&[u8]>) -> fmt::Result {
        self.put(b"; ")?;
        self.put(name.as_str().as_bytes())?;
        match value {
            Some(value) => {
                self.put(b"=")?;
                self.put(value)
            }
            None => Ok(()),
        }
    }
}

/// Counts the bytes instead of writing them.
struct Count(usize);

impl Sink for Count {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        self.0 += bytes.len();
        Ok(())
    }
}

/// A slice exactly as long as the header.
struct Slice<'b> {
    out: &'b mut [u8],
    at: usize,
}

impl Sink for Slice<'_> {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        let end = self.at + bytes.len();
        // The slice was sized by the same `emit`, so this never fails.
        let slot = self.out.get_mut(self.at..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(bytes);
        self.at = end;
        Ok(())
    }
}

/// A [`fmt::Write`]; every piece is ASCII once validated.
struct Fmt<'w, W: fmt::Write + ?Sized>(&'w mut W);

impl<W: fmt::Write + ?Sized> Sink for Fmt<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> fmt::Result {
        let text = core::str::from_utf8(bytes).map_err(|_| fmt::Error)?;
        self.0.write_str(text)
    }
}

// An IMF-fixdate is what `emit` writes for `Expires`.

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set_cookie::Prefix;

    const BASE: SetCookieBuilder<'static> = SetCookieBuilder::new("a", "1");

    /// A parsed `Domain` is rebuilt exactly or not at all: never wider. One row: the
    /// line, then what its builder writes.
    #[test]
    fn a_parsed_domain_is_never_widened() {
        use crate::set_cookie::SetCookie;
        let rows: [(&str, Result<&str, BuildError>); 4] = [
            ("a=1; Domain=..example.com", Err(BuildError::InvalidDomain)),
            ("a=1; Domain=.Example.com", Ok("a=1; Domain=example.com")),
            ("a=1; Domain=example.com", Ok("a=1; Domain=example.com")),
            ("a=1; Domain=x.org; Domain=..x.org", Err(BuildError::InvalidDomain)),
        ];
        for (line, want) in rows {
            let built = SetCookie::parse(line).unwrap().to_builder().to_heapless::<64>();
            assert_eq!(built.as_deref().map_err(|e| *e), want, "{line}");
        }
        // Set again in code, a domain takes one leading dot as always.
        let parsed = SetCookie::parse("a=1; Domain=..example.com").unwrap().to_builder();
        assert_eq!(
            parsed.domain(".example.com").to_heapless::<64>().unwrap(),
            "a=1; Domain=example.com"
        );
    }

    #[test]
    fn every_attribute_in_canonical_order() {
        let all = SetCookieBuilder::new("sid", "\"x\"")
            .priority(Priority::High)
            .partitioned(true)
            .same_site(SameSite::None)
            .http_only(true)
            .secure(true)
            .path("/app")
            .domain(".Example.COM")
            .max_age(0)
            .expires(ImfFixdate::new(784_111_777).unwrap());
        let want = "sid=\"x\"; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=0; \
                    Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=None; \
                    Partitioned; Priority=High";
        assert_eq!(all.to_heapless::<256>().unwrap(), want);
        assert_eq!(all.written_len(), Ok(want.len()));
    }

    /// The domain is lowercased in 16-byte pieces; this one spans three.
    #[test]
    fn a_domain_longer_than_a_piece_is_lowercased_whole() {
        let b = SetCookieBuilder::new("n", "v").domain(".Shop.Example-Domain.CO.UK.Example.COM");
        let want = "n=v; Domain=shop.example-domain.co.uk.example.com";
        assert_eq!(b.to_heapless::<64>().unwrap(), want);
    }

    #[test]
    fn each_refusal() {
        use BuildError::*;
        let long_domain = "d".repeat(1025);
        let long_path = std::format!("/{}", "p".repeat(1024));
        let long_value = "v".repeat(4096);
        let cases: [(SetCookieBuilder<'_>, BuildError); 25] = [
            (SetCookieBuilder::new("", "1"), InvalidName),
            (SetCookieBuilder::new("a b", "1"), InvalidName),
            (SetCookieBuilder::new("a=", "1"), InvalidName),
            (SetCookieBuilder::new("é", "1"), InvalidName),
            (BASE.value("x y"), InvalidValue),
            (BASE.value("a,b"), InvalidValue),
            (BASE.value("\"a"), InvalidValue),
            (BASE.value("\"a\"b\""), InvalidValue),
            (BASE.value("\\"), InvalidValue),
            (SetCookieBuilder::new("a", &long_value), CookieTooLong),
            (BASE.domain(""), InvalidDomain),
            (BASE.domain("."), InvalidDomain),
            // Written as `Domain=.example.com`, it would read back as `example.com`.
            (BASE.domain("..example.com"), InvalidDomain),
            (BASE.domain("example.com."), InvalidDomain),
            (BASE.domain("a_b.example"), InvalidDomain),
            (BASE.domain("example.com:8080"), InvalidDomain),
            (BASE.domain(&long_domain), AttributeTooLong),
            (BASE.path("app"), InvalidPath),
            (BASE.path("/a b"), InvalidPath),
            (BASE.path(&long_path), AttributeTooLong),
            (BASE.max_age(-1), NegativeMaxAge),
            (SetCookieBuilder::new("__Host-a", "1").secure(true), Prefix(PrefixError::PathNotRoot)),
            (BASE.same_site(SameSite::None), SameSiteNoneWithoutSecure),
            (BASE.partitioned(true), PartitionedWithoutSecure),
            (SetCookieBuilder::new("__secure-a", "1"), Prefix(PrefixError::MissingSecure)),
        ];
        for (builder, want) in cases {
            assert_eq!(builder.written_len(), Err(want), "{builder:?}");
            let mut buf = [0u8; 4096];
            assert_eq!(builder.write(&mut buf), Err(want));
            assert!(buf.iter().all(|&b| b == 0), "wrote before refusing: {builder:?}");
            let mut s = heapless::String::<4096>::new();
            assert_eq!(fmt::write(&mut s, format_args!("{builder}")), Err(fmt::Error));
            assert!(s.is_empty(), "displayed before refusing: {builder:?}");
        }
    }

    #[test]
    fn limits_are_inclusive() {
        let value = "v".repeat(4095);
        let domain = "d".repeat(1024);
        let path = std::format!("/{}", "p".repeat(1023));
        let b = SetCookieBuilder::new("a", &value).domain(&domain).path(&path);
        assert_eq!(b.written_len(), Ok(2 + 4095 + 9 + 1024 + 7 + 1024));
    }

    #[test]
    fn prefix_rules() {
        let host = SetCookieBuilder::new("__Host-id", "1").secure(true);
        let cases: [(SetCookieBuilder<'_>, Result<(), BuildError>); 6] = [
            (host.path("/"), Ok(())),
            (host.path("/").domain("x.example"), Err(PrefixError::DomainSet.into())),
            (host.path("/x"), Err(PrefixError::PathNotRoot.into())),
            (host.path("/").secure(false), Err(PrefixError::MissingSecure.into())),
            (SetCookieBuilder::new("__Secure-id", "1").secure(true).domain("x.example"), Ok(())),
            (SetCookieBuilder::new("__SECURE-id", "1"), Err(PrefixError::MissingSecure.into())),
        ];
        for (builder, want) in cases {
            assert_eq!(builder.written_len().map(|_| ()), want, "{builder:?}");
        }
        let out = host.path("/").to_heapless::<64>().unwrap();
        let parsed = SetCookie::parse(&out).unwrap();
        assert_eq!(parsed.check_prefix(), Ok(Some(Prefix::Host)));
    }

    #[test]
    fn buffer_too_small_names_the_exact_size() {
        let b = BASE.path("/");
        let needed = b.written_len().unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(b.write(&mut buf[..needed - 1]), Err(BuildError::BufferTooSmall { needed }));
        assert!(buf.iter().all(|&x| x == 0));
        assert_eq!(b.write(&mut buf[..needed]), Ok(needed));
        assert_eq!(&buf[..needed], b"a=1; Path=/");
        assert_eq!(b.to_heapless::<10>(), Err(BuildError::BufferTooSmall { needed: 11 }));
        assert_eq!(b.to_heapless::<11>().unwrap(), "a=1; Path=/");
    }

    #[test]
    fn failing_sink_is_reported() {
        struct Full;
        impl fmt::Write for Full {
            fn write_str(&mut self, _: &str) -> fmt::Result {
                Err(fmt::Error)
            }
        }
        assert_eq!(fmt::write(&mut Full, format_args!("{BASE}")), Err(fmt::Error));
    }

    #[test]
    fn max_age_digits() {
        for (secs, want) in [(0, "0"), (7, "7"), (3600, "3600"), (i64::MAX, "9223372036854775807")]
        {
            let out = BASE.max_age(secs).to_heapless::<64>().unwrap();
            assert_eq!(out.as_str(), std::format!("a=1; Max-Age={want}"));
        }
    }

    #[test]
    fn without_clears_each_attribute() {
        let full = BASE
            .expires(ImfFixdate::new(0).unwrap())
            .max_age(1)
            .domain("x.example")
            .path("/")
            .secure(true)
            .http_only(true)
            .same_site(SameSite::Lax)
            .partitioned(true)
            .priority(Priority::Low);
        let mut cleared = full;
        // Last first, so `Secure` goes after `Partitioned`, which needs it.
        for attribute in AttributeName::ALL.into_iter().rev() {
            cleared = cleared.without(attribute);
            let out = cleared.to_heapless::<256>().unwrap();
            assert!(!out.contains(attribute.as_str()), "{out}");
        }
        assert_eq!(cleared, BASE);
    }

    #[test]
    fn removal_keeps_scope_and_expires_now() {
        let sent =
            SetCookie::parse("__Host-sid=abc; Secure; Path=/; HttpOnly; Max-Age=3600").unwrap();
        let out = sent.to_builder().removal().to_heapless::<128>().unwrap();
        assert_eq!(
            out,
            "__Host-sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure; HttpOnly"
        );
        let back = SetCookie::parse(&out).unwrap();
        assert_eq!(back.expiry_time(1_700_000_000), Some(crate::date::MIN));
        assert_eq!(back.check_prefix(), Ok(Some(Prefix::Host)));
    }

    #[test]
    fn from_parsed_view() {
        let sent = SetCookie::parse(
            "n=v; Max-Age=-5; Domain=.EXAMPLE.org; Path=relative; Expires=Thu, 01 Jan 1970 00:00:10 GMT; X=1",
        )
        .unwrap();
        let out = sent.to_builder().to_heapless::<128>().unwrap();
        assert_eq!(
            out,
            "n=v; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Max-Age=0; Domain=example.org"
        );
    }

    #[test]
    fn build_error_texts() {
        use BuildError::*;
        let cases = [
            (InvalidName, "invalid name"),
            (InvalidValue, "invalid value"),
            (CookieTooLong, "name and value over 4096 bytes"),
            (InvalidDomain, "invalid Domain"),
            (InvalidPath, "invalid Path"),
            (AttributeTooLong, "attribute value over 1024 bytes"),
            (NegativeMaxAge, "negative Max-Age"),
            (Prefix(PrefixError::DomainSet), "__Host- name with Domain"),
            (SameSiteNoneWithoutSecure, "SameSite=None without Secure"),
            (PartitionedWithoutSecure, "Partitioned without Secure"),
            (BufferTooSmall { needed: 3 }, "buffer too small: 3 bytes needed"),
        ];
        for (e, text) in cases {
            assert_eq!(std::format!("{e}"), text);
        }
    }
}
