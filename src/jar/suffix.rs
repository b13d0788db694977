//! Public suffixes: the domains under which anyone may register a name (`com`,
//! `co.uk`), for which a `Domain` attribute must be refused (RFC 6265 §5.3 step 5).

/// Says which domains are public suffixes. The jar asks it about every `Domain`
/// attribute, lower-cased, without a leading dot and without one trailing dot:
/// `Domain=.CO.UK.` is asked as `co.uk`, as browsers compute the registrable
/// domain of a fully qualified name. An implementation need not handle either
/// dot itself.
///
/// A device usually knows which servers it talks to; it can pass
/// [`NoPublicSuffixes`], or a slice of the suffixes it cares about (a
/// `&[&str]` is a `PublicSuffixes` that matches its entries exactly, ignoring case).
/// A general-purpose client needs the real Public Suffix List, which is too large
/// to build in; implement this trait over whatever copy of it the device holds.
///
/// ```
/// use embedded_cookie::jar::PublicSuffixes;
///
/// let mine: &[&str] = &["co.uk", "example.net"];
/// assert!(mine.is_public_suffix("co.uk"));
/// assert!(!mine.is_public_suffix("example.co.uk"));
/// assert!(mine.is_public_suffix("EXAMPLE.net"));
/// ```
pub trait PublicSuffixes {
    /// True when `domain` is a public suffix.
    fn is_public_suffix(&self, domain: &str) -> bool;
}

impl PublicSuffixes for [&str] {
    fn is_public_suffix(&self, domain: &str) -> bool {
        self.iter().any(|suffix| suffix.eq_ignore_ascii_case(domain))
    }
}

impl<T: PublicSuffixes + ?Sized> PublicSuffixes for &T {
    fn is_public_suffix(&self, domain: &str) -> bool {
        (**self).is_public_suffix(domain)
    }
}

/// Whether `suffixes` lists `domain`, asked without one trailing dot (see
/// [`PublicSuffixes`]).
pub(super) fn is_public_suffix(suffixes: &impl PublicSuffixes, domain: &str) -> bool {
    suffixes.is_public_suffix(domain.strip_suffix('.').unwrap_or(domain))
}

/// No domain is a public suffix: every `Domain` attribute that domain-matches the
/// request host is accepted. For a client that only talks to servers it trusts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoPublicSuffixes;

impl PublicSuffixes for NoPublicSuffixes {
    fn is_public_suffix(&self, _domain: &str) -> bool {
        false
    }
}

/// A few generic top-level domains and `co.uk`, for the jar's tests.
#[cfg(test)]
pub(crate) const TEST_SUFFIXES: &[&str] = &["com", "net", "org", "edu", "gov", "io", "uk", "co.uk"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_match_whole_entries_only() {
        for (domain, want) in
            [("org", true), ("ORG", true), ("example.org", false), ("rg", false), ("", false)]
        {
            assert_eq!(TEST_SUFFIXES.is_public_suffix(domain), want, "{domain}");
            assert!(!NoPublicSuffixes.is_public_suffix(domain));
        }
    }
}
