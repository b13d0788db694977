//! Writing a `Cookie` request header (`a=1; b=2`) into a caller's buffer, for
//! devices that are HTTP clients.

use core::fmt;

use crate::octets;

/// Why [`CookieWriter::push`] refused a cookie. The header written so far is
/// left as it was.
///
/// ```
/// use embedded_cookie::cookie::{CookieWriteError, CookieWriter};
///
/// let mut buf = [0u8; 8];
/// let mut header = CookieWriter::new(&mut buf);
/// header.push(b"a", b"1")?;
/// assert_eq!(header.push(b"bb", b"22"), Err(CookieWriteError::BufferTooSmall { needed: 10 }));
/// assert_eq!(header.push(b"b\r\n", b"2"), Err(CookieWriteError::InvalidName));
/// assert_eq!(header.as_bytes(), b"a=1");
/// # Ok::<(), CookieWriteError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CookieWriteError {
    /// The name holds `;`, `=` or a control byte other than HTAB, or starts or
    /// ends with SP/HTAB; or name and value are both empty.
    InvalidName,
    /// The value holds `;` or a control byte other than HTAB, or starts or ends
    /// with SP/HTAB; or the name is empty and the value holds `=`, so a server
    /// would read the text before it as the cookie's name.
    InvalidValue,
    /// The buffer is too short; the header with this cookie needs `needed` bytes.
    BufferTooSmall {
        /// The length the header would have with this cookie.
        needed: usize,
    },
}

impl CookieWriteError {
    /// A short, stable description, e.g. `"invalid name"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidName => "invalid name",
            Self::InvalidValue => "invalid value",
            Self::BufferTooSmall { .. } => "buffer too small",
        }
    }
}

impl fmt::Display for CookieWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => {
                write!(f, "{}: {needed} bytes needed", self.as_str())
            }
            _ => f.write_str(self.as_str()),
        }
    }
}

impl core::error::Error for CookieWriteError {}

/// A `Cookie` header value being written into a caller's buffer, one cookie at a
/// time, `"; "` between them.
///
/// Names and values are written as they are, since a client sends back what the
/// server set; only what would break the header, or change how it is read, is
/// refused. A cookie with an empty name is written as its value alone, as RFC
/// 6265bis §5.8.3 says, so its value may not hold `=`: `push(b"", b"sid=evil")`
/// would write what a server reads as a cookie named `sid`
/// ([`CookieWriteError::InvalidValue`]).
///
/// ```
/// use embedded_cookie::cookie::CookieWriter;
///
/// let mut buf = [0u8; 64];
/// let mut header = CookieWriter::new(&mut buf);
/// header.push(b"sessionid", b"abc123")?;
/// header.push(b"django_language", b"en")?;
/// assert_eq!(header.as_bytes(), b"sessionid=abc123; django_language=en");
/// # Ok::<(), embedded_cookie::cookie::CookieWriteError>(())
/// ```
#[derive(Debug)]
pub struct CookieWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> CookieWriter<'b> {
    /// An empty header writing into `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Appends one cookie, or leaves the header as it was and says why not.
    pub fn push(&mut self, name: &[u8], value: &[u8]) -> Result<(), CookieWriteError> {
        if name.is_empty() && value.contains(&b'=') {
            return Err(CookieWriteError::InvalidValue);
        }
        self.push_stored(name, value)
    }

    /// [`push`](Self::push), but a nameless cookie's value may hold `=`: the jar
    /// sends back a nameless cookie exactly as RFC 6265bis stored it (see the
    /// [jar docs](crate::jar#rules)).
    pub(crate) fn push_stored(
        &mut self,
        name: &[u8],
        value: &[u8],
    ) -> Result<(), CookieWriteError> {
        let fits = |part: &[u8], extra: fn(u8) -> bool| {
            !part.first().is_some_and(|&b| octets::is_whitespace(b))
                && !part.last().is_some_and(|&b| octets::is_whitespace(b))
                && !part.iter().any(|&b| octets::ends_segment(b) || extra(b))
        };
        if !fits(name, |b| b == b'=') || (name.is_empty() && value.is_empty()) {
            return Err(CookieWriteError::InvalidName);
        }
        if !fits(value, |_| false) {
            return Err(CookieWriteError::InvalidValue);
        }
        let separator: &[u8] = if self.len == 0 { b"" } else { b"; " };
        let equals: &[u8] = if name.is_empty() { b"" } else { b"=" };
        let parts = [separator, name, equals, value];
        let needed = self.len + separator.len() + cookie_len(name, value);
        let out = self
            .buf
            .get_mut(self.len..needed)
            .ok_or(CookieWriteError::BufferTooSmall { needed })?;
        let mut at = 0;
        for part in parts {
            if let Some(slot) = out.get_mut(at..at + part.len()) {
                slot.copy_from_slice(part);
            }
            at += part.len();
        }
        self.len = needed;
        Ok(())
    }

    /// The header written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// How many bytes are written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no cookie is written yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The finished header, borrowing the buffer rather than the writer, so it can
    /// outlive the writer.
    ///
    /// ```
    /// use embedded_cookie::cookie::{CookieWriteError, CookieWriter};
    ///
    /// fn header<'b>(lang: &[u8], buf: &'b mut [u8]) -> Result<&'b [u8], CookieWriteError> {
    ///     let mut header = CookieWriter::new(buf);
    ///     header.push(b"lang", lang)?;
    ///     Ok(header.finish()) // `as_bytes` would borrow `header`, gone after this line
    /// }
    ///
    /// let mut buf = [0u8; 16];
    /// assert_eq!(header(b"en", &mut buf)?, b"lang=en");
    /// # Ok::<(), CookieWriteError>(())
    /// ```
    pub fn finish(self) -> &'b [u8] {
        let len = self.len;
        self.buf.get(..len).unwrap_or_default()
    }
}

/// The bytes one cookie takes in a header, without the `"; "` before it: the
/// name, `=` unless the name is empty, and the value.
pub(crate) const fn cookie_len(name: &[u8], value: &[u8]) -> usize {
    name.len() + if name.is_empty() { 0 } else { 1 } + value.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CookieHeader;

    #[test]
    fn pairs_joined_and_read_back() {
        let mut buf = [0u8; 64];
        let mut w = CookieWriter::new(&mut buf);
        assert!(w.is_empty());
        let pairs: [(&[u8], &[u8]); 4] =
            [(b"a", b"1"), (b"b", b""), (b"c", b"x y,\"z\""), (b"d", b"\xff")];
        for (name, value) in pairs {
            w.push(name, value).unwrap();
        }
        assert_eq!(w.len(), 23);
        let header = w.finish();
        assert_eq!(header, b"a=1; b=; c=x y,\"z\"; d=\xff");
        let read = CookieHeader::parse(header).unwrap();
        let got: std::vec::Vec<_> = read.iter().map(|c| (c.name(), c.value())).collect();
        assert_eq!(got, pairs);
    }

    #[test]
    fn nameless_cookie_is_its_value() {
        let mut buf = [0u8; 16];
        let mut w = CookieWriter::new(&mut buf);
        w.push(b"", b"foo").unwrap();
        w.push(b"a", b"1=2").unwrap();
        assert_eq!(w.as_bytes(), b"foo; a=1=2");
    }

    #[test]
    fn refusals_leave_the_header_alone() {
        use CookieWriteError::*;
        let cases: [(&[u8], &[u8], CookieWriteError); 14] = [
            (b"", b"", InvalidName),
            (b"", b"sid=evil", InvalidValue),
            (b"", b"=", InvalidValue),
            (b"a;b", b"1", InvalidName),
            (b"a=b", b"1", InvalidName),
            (b"a\r\nX", b"1", InvalidName),
            (b"a\x00", b"1", InvalidName),
            (b" a", b"1", InvalidName),
            (b"a\t", b"1", InvalidName),
            (b"a", b"1;b=2", InvalidValue),
            (b"a", b"1\r\nX: y", InvalidValue),
            (b"a", b"\x7f", InvalidValue),
            (b"a", b"1 ", InvalidValue),
            (b"a", b"0123456789", BufferTooSmall { needed: 17 }),
        ];
        for (name, value, want) in cases {
            let mut buf = [0u8; 16];
            let mut w = CookieWriter::new(&mut buf);
            w.push(b"x", b"1").unwrap();
            assert_eq!(w.push(name, value), Err(want), "{name:?} {value:?}");
            assert_eq!(w.as_bytes(), b"x=1");
            assert!(buf[3..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn exact_fit() {
        let mut buf = [0u8; 8];
        let mut w = CookieWriter::new(&mut buf);
        w.push(b"a", b"1").unwrap();
        w.push(b"b", b"2").unwrap();
        assert_eq!(w.push(b"c", b""), Err(CookieWriteError::BufferTooSmall { needed: 12 }));
        assert_eq!(w.finish(), b"a=1; b=2");
    }

    #[test]
    fn error_texts() {
        let cases = [
            (CookieWriteError::InvalidName, "invalid name"),
            (CookieWriteError::InvalidValue, "invalid value"),
            (CookieWriteError::BufferTooSmall { needed: 9 }, "buffer too small: 9 bytes needed"),
        ];
        for (e, text) in cases {
            assert_eq!(std::format!("{e}"), text);
        }
    }
}
