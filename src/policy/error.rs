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

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl core::error::Error for LoadError {}
