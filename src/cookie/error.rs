//! The error of Cookie header parsing: what went wrong, and where.

use core::fmt;

/// Why a `Cookie` header was refused.
///
/// Every variant names one rule; [`CookieErrorKind::as_str`] gives the short text that
/// `Display` and the `inspect` example print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CookieErrorKind {
    /// A control byte (`%x00-08`, `%x0A-1F`, `%x7F`) appeared in the header. Refused in
    /// both modes: such a byte is never part of a real cookie and is how header
    /// injection starts.
    ControlCharacter,
    /// Strict mode: a byte that is not a `tchar` where the cookie name, or the `=`
    /// after it, was expected. An empty name (`=v`) is reported here too.
    InvalidName,
    /// Strict mode: a cookie name ended (at `;` or the end) without `=`.
    MissingEquals,
    /// Strict mode: a byte of the value is not a `cookie-octet` (space, comma,
    /// backslash, a stray `"`, or a byte above `%x7E`).
    InvalidValue,
    /// Strict mode: a value opened with `"` has no closing `"`.
    UnbalancedQuote,
    /// Strict mode: pairs must be separated by exactly `"; "`, and the header may not
    /// end with a separator.
    InvalidSeparator,
    /// Strict mode: a header line holds no cookie at all (an empty value, or only
    /// whitespace). An empty slice of lines given to
    /// [`CookieHeader::parse_lines`](crate::CookieHeader::parse_lines) is no header,
    /// and so no cookie, in either mode: that is not this error.
    Empty,
    /// The header (all its lines together) is longer than
    /// [`Limits::max_header_len`](crate::Limits::max_header_len).
    HeaderTooLong,
    /// The header holds more cookies than [`Limits::max_pairs`](crate::Limits::max_pairs).
    TooManyPairs,
    /// One cookie's name and value together are longer than
    /// [`Limits::max_pair_len`](crate::Limits::max_pair_len).
    PairTooLong,
    /// The fixed-capacity container given to
    /// [`CookieHeader::collect`](crate::CookieHeader::collect) is full.
    CapacityExceeded,
}

texts! {
    /// A short, stable description, e.g. `"invalid name"`.
    CookieErrorKind: display {
        Self::ControlCharacter => "control character",
        Self::InvalidName => "invalid name",
        Self::MissingEquals => "missing '='",
        Self::InvalidValue => "invalid value",
        Self::UnbalancedQuote => "unbalanced quote",
        Self::InvalidSeparator => "invalid separator",
        Self::Empty => "empty header",
        Self::HeaderTooLong => "header too long",
        Self::TooManyPairs => "too many cookies",
        Self::PairTooLong => "cookie too long",
        Self::CapacityExceeded => "capacity exceeded",
    }
}

/// A refused `Cookie` header: the rule it broke and the byte where it broke it.
///
/// `offset` counts bytes from the start of header line `line` (0 for a single
/// header value, the index into the slice given to
/// [`CookieHeader::parse_lines`](crate::CookieHeader::parse_lines) otherwise).
///
/// ```
/// use embedded_cookie::{Config, CookieHeader, CookieErrorKind};
///
/// let err = CookieHeader::parse_with("a=1;b=2", &Config::strict()).unwrap_err();
/// assert_eq!((err.kind, err.offset), (CookieErrorKind::InvalidSeparator, 4));
/// assert_eq!(err.to_string(), "invalid separator at 4");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CookieError {
    /// The rule that was broken.
    pub kind: CookieErrorKind,
    /// The header line the byte is in.
    pub line: usize,
    /// The byte offset within that line.
    pub offset: usize,
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{} at {}", self.kind, self.offset)
        } else {
            write!(f, "{} at {} of line {}", self.kind, self.offset, self.line)
        }
    }
}

impl core::error::Error for CookieError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_kind_offset_and_line() {
        let cases = [
            (CookieErrorKind::InvalidName, 0, 3, "invalid name at 3"),
            (CookieErrorKind::TooManyPairs, 2, 0, "too many cookies at 0 of line 2"),
        ];
        for (kind, line, offset, want) in cases {
            let e = CookieError { kind, line, offset };
            assert_eq!(std::format!("{e}"), want);
        }
    }
}
