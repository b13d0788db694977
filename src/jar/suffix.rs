//! Public suffixes: the domains under which anyone may register a name (`com`,
//! `co.uk`), for which a `Domain` attribute must be refused (RFC 6265 §5.3 step 5),
//! and which decide a cookie's site (its registrable domain) for eviction.

use super::url::{Host, is_ip_address};

/// Says which domains are public suffixes. The jar asks it about every `Domain`
/// attribute, and about the suffixes of each new cookie's domain to find its site
/// (see [`Jar`](super::Jar#storage)).
///
/// It is always asked in the form the jar keeps hosts in: ASCII, lower-cased,
/// each label with non-ASCII characters as its A-label (`xn--` and its RFC 3492
/// Punycode, see [`Host::new`]), without a leading dot and without one trailing
/// dot. So `Domain=.CO.UK.` is asked as `co.uk` (as browsers compute the
/// registrable domain of a fully qualified name) and `Domain=公司.HK` as
/// `xn--55qx5d.hk`. An implementation need not handle either dot itself, but
/// one over the Public Suffix List, which spells its entries in U-labels
/// (`公司.hk`, `中国`), must compare in A-labels.
///
/// A device usually knows which servers it talks to; it can pass
/// [`NoPublicSuffixes`], or a slice of the suffixes it cares about (a `&[&str]` is
/// a `PublicSuffixes` that matches its entries exactly, ignoring case, and takes
/// them in either spelling: an entry with non-ASCII characters is converted to
/// its A-labels, as [`Host::new`] converts a host, each time it is compared).
/// A general-purpose client needs the real Public Suffix List, which is too large
/// to build in; implement this trait over whatever copy of it the device holds.
///
/// ```
/// use embedded_cookie::jar::PublicSuffixes;
///
/// let mine: &[&str] = &["co.uk", "example.net", "公司.hk"];
/// assert!(mine.is_public_suffix("co.uk"));
/// assert!(!mine.is_public_suffix("example.co.uk"));
/// assert!(mine.is_public_suffix("EXAMPLE.net"));
/// assert!(mine.is_public_suffix("xn--55qx5d.hk"));
/// ```
pub trait PublicSuffixes {
    /// True when `domain` (ASCII, A-labels) is a public suffix.
    fn is_public_suffix(&self, domain: &str) -> bool;
}

impl PublicSuffixes for [&str] {
    fn is_public_suffix(&self, domain: &str) -> bool {
        self.iter().any(|suffix| {
            if suffix.is_ascii() {
                suffix.eq_ignore_ascii_case(domain)
            } else {
                // In place, in at most MAX_HOST_LEN bytes; an entry that is no
                // host matches nothing.
                Host::new(suffix)
                    .is_ok_and(|a_labels| a_labels.as_str().eq_ignore_ascii_case(domain))
            }
        })
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

/// Where the site of `domain` (a host as the jar keeps it) starts in it: the
/// address itself for an IP address, else its registrable domain, the longest
/// suffix `suffixes` lists plus one label to its left, as browsers find it in the
/// Public Suffix List. When no suffix is listed the list's default rule (`*`)
/// holds: the last label is the public suffix, and the site is the last two
/// labels (`a.b.example` is in `b.example`), as in Chromium and Firefox for a
/// name the list does not know. A domain that is itself a public suffix, or a
/// single label, is its own site. One question to `suffixes` per label.
pub(super) fn site_start(suffixes: &impl PublicSuffixes, domain: &str) -> usize {
    if is_ip_address(domain) {
        return 0;
    }
    let name = domain.strip_suffix('.').unwrap_or(domain);
    // Label starts from the left: the first suffix listed is the longest.
    let (mut label, mut before) = (0, None);
    while let Some(suffix) = name.get(label..) {
        if suffixes.is_public_suffix(suffix) {
            return before.unwrap_or(label);
        }
        let Some(dot) = suffix.bytes().position(|b| b == b'.') else { break };
        before = Some(label);
        label += dot + 1;
    }
    before.unwrap_or(0)
}

/// No domain is a public suffix: every `Domain` attribute that domain-matches the
/// request host is accepted, and a cookie's site is the last two labels of its
/// domain (the Public Suffix List's default rule). For a client that only talks
/// to servers it trusts.
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

    /// A cookie's site: one row is the domain, then its site under the test
    /// list and with no list.
    #[test]
    fn sites_are_registrable_domains() {
        for (domain, listed, unlisted) in [
            ("a.b.example.org", "example.org", "example.org"),
            ("a.b.example.co.uk", "example.co.uk", "co.uk"),
            ("example.co.uk.", "example.co.uk.", "co.uk."),
            ("co.uk", "co.uk", "co.uk"),
            ("org", "org", "org"),
            ("device", "device", "device"),
            ("a.b.example", "b.example", "b.example"),
            ("192.168.1.10", "192.168.1.10", "192.168.1.10"),
            ("[::1]", "[::1]", "[::1]"),
            ("a..org", ".org", ".org"),
        ] {
            let site = |start: usize| domain.get(start..).unwrap();
            assert_eq!(site(site_start(&TEST_SUFFIXES, domain)), listed, "{domain}");
            assert_eq!(site(site_start(&NoPublicSuffixes, domain)), unlisted, "{domain}");
        }
    }

    /// Entries spelled as the Public Suffix List spells them (U-labels) match the
    /// A-labels the jar asks about; ASCII entries still match exactly.
    #[test]
    fn entries_in_the_lists_own_spelling_match_a_labels() {
        let psl: &[&str] = &["中国", "公司.hk", "hk", "Ελ", "co.uk"];
        for (domain, want) in [
            ("xn--fiqs8s", true),
            ("xn--55qx5d.hk", true),
            ("XN--55QX5D.hk", true),
            ("xn--qxam", true),
            ("hk", true),
            ("co.uk", true),
            ("55qx5d.hk", false),
            ("xn--55qx5d", false),
            ("a.xn--55qx5d.hk", false),
            ("xn--fiqs8s.xn--fiqs8s", false),
        ] {
            assert_eq!(psl.is_public_suffix(domain), want, "{domain}");
        }
    }
}
