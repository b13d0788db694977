//! Writing a `Cookie` request header (`a=1; b=2`) into a caller's buffer, for
//! devices that are HTTP clients.

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

texts! {
    /// A short, stable description, e.g. `"invalid name"`.
    CookieWriteError: display_needed, error {
        Self::InvalidName => "invalid name",
        Self::InvalidValue => "invalid value",
        Self::BufferTooSmall { .. } => "buffer too small",
    }
}

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

/// The header written so far and the buffer's size, not the unwritten rest.
#[cfg(feature = "defmt")]
impl defmt::Format for CookieWriter<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        let (written, capacity) = (self.as_bytes(), self.buf.len());
        defmt::write!(
            f,
            "CookieWriter {{ written: {=[u8]:a}, capacity: {=usize} }}",
            written,
            capacity
        );
    }
}

impl<'b> CookieWriter<'b> {
    /// An empty header writing into `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Appends one cookie, or leaves the header as it was and says why not.
    pub fn push(&mut self, name: &[u8], value: &[u8]) -> Result<(), CookieWriteError> {
        self.push_all([(name, value)])
    }

    /// Appends every cookie of `cookies`, or none: the first cookie refused, or a
    /// buffer too small for all of them ([`CookieWriteError::BufferTooSmall`] with
    /// the length of the whole header), leaves the header as it was. `cookies` is
    /// walked twice, to check and measure, then to write.
    ///
    /// ```
    /// use embedded_cookie::cookie::{CookieWriteError, CookieWriter};
    ///
    /// let cookies = [(&b"sid"[..], &b"abc"[..]), (b"lang", b"en")];
    /// let mut small = [0u8; 8];
    /// let mut header = CookieWriter::new(&mut small);
    /// assert_eq!(header.push_all(cookies), Err(CookieWriteError::BufferTooSmall { needed: 16 }));
    /// assert!(header.is_empty());
    /// let mut buf = [0u8; 16];
    /// let mut header = CookieWriter::new(&mut buf);
    /// header.push_all(cookies)?;
    /// assert_eq!(header.as_bytes(), b"sid=abc; lang=en");
    /// # Ok::<(), CookieWriteError>(())
    /// ```
    pub fn push_all<'c, I>(&mut self, cookies: I) -> Result<(), CookieWriteError>
    where
        I: IntoIterator<Item = (&'c [u8], &'c [u8])>,
        I::IntoIter: Clone,
    {
        self.write_all(cookies.into_iter(), false)
    }

    /// [`push_all`](Self::push_all), but a nameless cookie's value may hold `=`:
    /// the jar sends back a nameless cookie exactly as RFC 6265bis stored it (see
    /// the [jar docs](crate::jar#rules)).
    pub(crate) fn push_all_stored<'c>(
        &mut self,
        cookies: impl Iterator<Item = (&'c [u8], &'c [u8])> + Clone,
    ) -> Result<(), CookieWriteError> {
        self.write_all(cookies, true)
    }

    fn write_all<'c>(
        &mut self,
        cookies: impl Iterator<Item = (&'c [u8], &'c [u8])> + Clone,
        stored: bool,
    ) -> Result<(), CookieWriteError> {
        let mut needed = self.len;
        for (name, value) in cookies.clone() {
            check(name, value, stored)?;
            let separator = if needed == 0 { 0 } else { 2 };
            needed += separator + name.len() + usize::from(!name.is_empty()) + value.len();
        }
        if needed > self.buf.len() {
            return Err(CookieWriteError::BufferTooSmall { needed });
        }
        for (name, value) in cookies {
            let separator: &[u8] = if self.len == 0 { b"" } else { b"; " };
            let equals: &[u8] = if name.is_empty() { b"" } else { b"=" };
            for part in [separator, name, equals, value] {
                if let Some(slot) = self.buf.get_mut(self.len..self.len + part.len()) {
                    slot.copy_from_slice(part);
                }
                self.len += part.len();
            }
        }
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

/// Whether one cookie can be written so that a server reads it back as it is:
/// neither name nor value holds `;` or a control byte, or starts or ends with
/// whitespace; a name holds no `=`; a nameless cookie has a value, and (unless
/// `stored`) one without `=`.
fn check(name: &[u8], value: &[u8], stored: bool) -> Result<(), CookieWriteError> {
    let fits = |part: &[u8], extra: fn(u8) -> bool| {
        !part.first().is_some_and(|&b| octets::is_whitespace(b))
            && !part.last().is_some_and(|&b| octets::is_whitespace(b))
            && !part.iter().any(|&b| octets::ends_segment(b) || extra(b))
    };
    if !fits(name, |b| b == b'=') || (name.is_empty() && value.is_empty()) {
        return Err(CookieWriteError::InvalidName);
    }
    if !fits(value, |_| false) || (!stored && name.is_empty() && value.contains(&b'=')) {
        return Err(CookieWriteError::InvalidValue);
    }
    Ok(())
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
