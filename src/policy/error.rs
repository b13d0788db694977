//! Why a rule could not enter a table, and where.

use core::fmt;

/// Why a rule could not enter a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// A rule line has a name but no category field.
    MissingField,
    /// A rule line has more than seven `|`-separated fields.
    TooManyFields,
    /// The name is empty, or holds a byte outside the RFC 6265 token set.
    InvalidName,
    /// The category is not `necessary`, `preferences`, `statistics` or `marketing`.
    UnknownCategory,
    /// A flag after the category is unknown, repeated, contradicts another, or does
    /// not apply (`anonymised` outside statistics; `consent=required` on a
    /// necessary cookie).
    InvalidFlag,
    /// The location is not empty, `front`, `back` or `front+back`.
    InvalidLocation,
    /// An attribute is unknown, repeated or has a bad value (a `Path` not starting
    /// with `/`, a byte that a `Set-Cookie` attribute cannot carry, `SameSite=None`
    /// without `Secure`, a lifetime of 0 or over `u32::MAX` seconds).
    InvalidAttribute,
    /// A `transport=` that allows plain `http` for a rule whose cookies a browser
    /// takes only over HTTPS: a `__Secure-` or `__Host-` name, `samesite=none`,
    /// or `secure` with `transport=http`.
    InvalidTransport,
    /// A `Path` or `Domain` (without its leading `.`) longer than
    /// [`MAX_ATTRIBUTE_VALUE_LEN`](crate::set_cookie::MAX_ATTRIBUTE_VALUE_LEN)
    /// bytes, which browsers drop and a
    /// [`SetCookieBuilder`](crate::SetCookieBuilder) refuses to write.
    AttributeTooLong,
    /// A line starting with `@` names no known directive.
    UnknownDirective,
    /// A directive has a bad value, or was given twice.
    InvalidDirective,
    /// Another rule already has this exact pattern.
    DuplicateName,
    /// The table already holds `N` rules.
    CapacityExceeded,
}

texts! {
    /// A short, stable description, e.g. `"duplicate name"`.
    LoadErrorKind: display {
        Self::MissingField => "missing category field",
        Self::TooManyFields => "too many fields",
        Self::InvalidName => "invalid cookie name",
        Self::UnknownCategory => "unknown category",
        Self::InvalidFlag => "invalid flag",
        Self::InvalidLocation => "invalid location",
        Self::InvalidAttribute => "invalid attribute",
        Self::InvalidTransport => "transport needs tls",
        Self::AttributeTooLong => "attribute value over 1024 bytes",
        Self::UnknownDirective => "unknown directive",
        Self::InvalidDirective => "invalid directive",
        Self::DuplicateName => "duplicate name",
        Self::CapacityExceeded => "capacity exceeded",
    }
}

/// A rule that could not enter a table, and where it was.
///
/// `line` counts from 1: the line of the policy text, or the position of the
/// rule in the array given to [`Policy::from_rules`](crate::policy::Policy::from_rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LoadError {
    /// What was wrong.
    pub kind: LoadErrorKind,
    /// Where, counting from 1.
    pub line: usize,
}

impl LoadError {
    /// Stops a compile-time evaluation with this error, so that a bad policy text
    /// compiled into a `const` or `static` fails the build with a message naming
    /// its line and fault: `cookie policy line 3: unknown category`. The
    /// [`compile_policy!`](crate::compile_policy!) macro calls it, inside a `const` block.
    ///
    /// At run time it panics: match the `Result` of
    /// [`Policy::load`](crate::policy::Policy::load) there instead (a firmware that
    /// compiles its table links neither this nor the loader).
    ///
    /// ```compile_fail,E0080
    /// use embedded_cookie::policy::Policy;
    ///
    /// const POLICY: Policy<'static, 2> = match Policy::load("sid | necessary\nlang | tasty") {
    ///     Ok(policy) => policy,
    ///     Err(e) => e.panic(), // error: cookie policy line 2: unknown category
    /// };
    /// ```
    // Its one job: the message of a compile error, from a `const`.
    #[allow(clippy::panic)]
    pub const fn panic(self) -> ! {
        let message = Message::new()
            .push(b"cookie policy line ")
            .number(self.line)
            .push(b": ")
            .push(self.kind.as_str().as_bytes());
        match message.as_str() {
            Some(message) => panic!("{}", message),
            None => panic!("invalid cookie policy"),
        }
    }
}

/// The text of [`LoadError::panic`], written by `const fn`s into a buffer as long
/// as its longest message.
struct Message {
    buf: [u8; 80],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message { buf: [0; 80], len: 0 }
    }

    /// `bytes` appended, as much of them as fits.
    #[allow(clippy::indexing_slicing)] // checked on the line before
    const fn push(mut self, mut bytes: &[u8]) -> Self {
        while let [b, rest @ ..] = bytes {
            if self.len < self.buf.len() {
                self.buf[self.len] = *b;
                self.len += 1;
            }
            bytes = rest;
        }
        self
    }

    /// `n` in decimal appended.
    const fn number(mut self, n: usize) -> Self {
        // The largest power of ten not above `n` (`10 * unit <= n`: no overflow).
        let mut unit = 1;
        while n / unit >= 10 {
            unit *= 10;
        }
        while unit > 0 {
            self = self.push(&[b'0' + (n / unit % 10) as u8]);
            unit /= 10;
        }
        self
    }

    /// The text written, `None` if it is not UTF-8 (it is ASCII).
    const fn as_str(&self) -> Option<&str> {
        match self.buf.split_at_checked(self.len) {
            Some((written, _)) => match core::str::from_utf8(written) {
                Ok(text) => Some(text),
                Err(_) => None,
            },
            None => None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl core::error::Error for LoadError {}
