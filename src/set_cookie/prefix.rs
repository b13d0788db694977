//! The `__Secure-` and `__Host-` cookie name prefixes (RFC 6265bis §4.1.3).

/// A cookie name prefix that binds the cookie to rules a browser enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Prefix {
    /// `__Secure-`: the cookie must be `Secure`.
    Secure,
    /// `__Host-`: the cookie must be `Secure`, have `Path=/` and no `Domain`.
    Host,
}

texts! {
    /// The canonical spelling, e.g. `"__Host-"`.
    Prefix {
        Self::Secure => "__Secure-",
        Self::Host => "__Host-",
    }
}

impl Prefix {
    /// The prefix `name` starts with, compared case-insensitively as browsers do.
    ///
    /// ```
    /// use embedded_cookie::set_cookie::Prefix;
    ///
    /// assert_eq!(Prefix::of(b"__HOST-sid"), Some(Prefix::Host));
    /// assert_eq!(Prefix::of(b"__Secure-"), Some(Prefix::Secure));
    /// assert_eq!(Prefix::of(b"_Host-sid"), None);
    /// ```
    pub const fn of(name: &[u8]) -> Option<Self> {
        if starts_with_ignore_case(name, Self::Secure.as_str().as_bytes()) {
            Some(Self::Secure)
        } else if starts_with_ignore_case(name, Self::Host.as_str().as_bytes()) {
            Some(Self::Host)
        } else {
            None
        }
    }
}

/// Whether `name` starts with `prefix`, ASCII case-insensitively: a `const fn`,
/// so that a policy table built at compile time asks it too.
const fn starts_with_ignore_case(mut name: &[u8], mut prefix: &[u8]) -> bool {
    // `[u8]::eq_ignore_ascii_case` is not `const` on the MSRV (1.86).
    while let [want, more @ ..] = prefix {
        let [got, rest @ ..] = name else { return false };
        if !got.eq_ignore_ascii_case(want) {
            return false;
        }
        (name, prefix) = (rest, more);
    }
    true
}

/// The prefix rule a cookie breaks.
///
/// ```
/// use embedded_cookie::set_cookie::{PrefixError, SetCookie};
///
/// let c = SetCookie::parse("__Secure-id=1")?;
/// assert_eq!(c.check_prefix(), Err(PrefixError::MissingSecure));
/// assert_eq!(PrefixError::MissingSecure.to_string(), "prefixed name without Secure");
/// # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PrefixError {
    /// A `__Secure-` or `__Host-` name without `Secure`.
    MissingSecure,
    /// A `__Host-` name without `Path=/`.
    PathNotRoot,
    /// A `__Host-` name with a `Domain`.
    DomainSet,
    /// A nameless cookie whose value starts with `__Secure-` or `__Host-`, which a
    /// `Cookie` header would show as a prefixed name (RFC 6265bis §5.7).
    PrefixedNamelessValue,
}

texts! {
    /// A short, stable description, e.g. `"__Host- name with Domain"`.
    PrefixError: display, error {
        Self::MissingSecure => "prefixed name without Secure",
        Self::PathNotRoot => "__Host- name without Path=/",
        Self::DomainSet => "__Host- name with Domain",
        Self::PrefixedNamelessValue => "nameless cookie with a prefixed value",
    }
}

/// The prefix rules, shared by the parsed view and the builder; `Ok` names the
/// prefix the name has.
pub(crate) fn check(
    name: &[u8],
    value: &[u8],
    secure: bool,
    path: Option<&[u8]>,
    has_domain: bool,
) -> Result<Option<Prefix>, PrefixError> {
    if name.is_empty() && Prefix::of(value).is_some() {
        return Err(PrefixError::PrefixedNamelessValue);
    }
    let prefix = Prefix::of(name);
    match prefix {
        None => {}
        Some(_) if !secure => return Err(PrefixError::MissingSecure),
        Some(Prefix::Secure) => {}
        Some(Prefix::Host) if path != Some(b"/") => return Err(PrefixError::PathNotRoot),
        Some(Prefix::Host) if has_domain => return Err(PrefixError::DomainSet),
        Some(Prefix::Host) => {}
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use crate::set_cookie::{Prefix, PrefixError, SetCookie, Spec};

    #[test]
    fn prefix_rules_on_parsed_lines() {
        use PrefixError::*;
        let cases: [(&str, Result<Option<Prefix>, PrefixError>); 16] = [
            ("sid=1", Ok(None)),
            ("sid=1; Domain=x.example", Ok(None)),
            ("__Secure-sid=1; Secure", Ok(Some(Prefix::Secure))),
            ("__secure-sid=1; SECURE", Ok(Some(Prefix::Secure))),
            ("__Secure-sid=1; Domain=x.example; Secure", Ok(Some(Prefix::Secure))),
            ("__Secure-sid=1", Err(MissingSecure)),
            ("__Host-sid=1; Secure; Path=/", Ok(Some(Prefix::Host))),
            ("__HOST-sid=1; Secure; Path=/", Ok(Some(Prefix::Host))),
            ("__Host-sid=1; Path=/", Err(MissingSecure)),
            ("__Host-sid=1; Secure", Err(PathNotRoot)),
            ("__Host-sid=1; Secure; Path=/a", Err(PathNotRoot)),
            ("__Host-sid=1; Secure; Path=/; Path=a", Err(PathNotRoot)),
            ("__Host-x=1; Secure; Path=/; Domain=evil.example", Err(DomainSet)),
            // An empty Domain leaves the cookie host-only under RFC 6265bis.
            ("__Host-x=1; Secure; Path=/; Domain=evil.example; Domain=", Ok(Some(Prefix::Host))),
            ("__Host-x; Secure; Path=/", Err(PrefixedNamelessValue)),
            ("=__secure-x=1; Secure", Err(PrefixedNamelessValue)),
        ];
        for (line, want) in cases {
            let c = SetCookie::parse(line).unwrap();
            assert_eq!(c.check_prefix(), want, "{line}");
        }
        let old = SetCookie::parse_with(
            "__Host-x=1; Secure; Path=/; Domain=a.example; Domain=",
            Spec::Rfc6265,
        );
        assert_eq!(old.unwrap().check_prefix(), Err(DomainSet));
    }

    #[test]
    fn prefix_error_texts() {
        let cases = [
            (PrefixError::MissingSecure, "prefixed name without Secure"),
            (PrefixError::PathNotRoot, "__Host- name without Path=/"),
            (PrefixError::DomainSet, "__Host- name with Domain"),
            (PrefixError::PrefixedNamelessValue, "nameless cookie with a prefixed value"),
        ];
        for (e, text) in cases {
            assert_eq!(std::format!("{e}"), text);
        }
        assert_eq!(Prefix::Host.as_str(), "__Host-");
    }
}
