//! Removal `Set-Cookie` headers for the cookies a request still carries but the
//! consent no longer allows.

use super::{Reason, RequestCookies, Verdict};
use crate::cookie::Cookie;
use crate::policy::Rule;
use crate::set_cookie::{BuildError, SetCookieBuilder};

/// A cookie to delete: the request's cookie and the rule that declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Withdrawal<'h, 'p, 'a> {
    /// The cookie as the request sent it.
    pub cookie: Cookie<'h>,
    /// Its rule, whose `Path` and `Domain` the removal repeats.
    pub rule: &'p Rule<'a>,
}

impl<'h, 'a> Withdrawal<'h, '_, 'a> {
    /// The removal header: the cookie's name, an empty value, `Max-Age=0`, an
    /// `Expires` in 1970, and the rule's `Path`, `Domain` and `Secure` (a
    /// browser deletes only the cookie with the same name, path and domain; a
    /// `__Secure-` or `__Host-` one only with `Secure`). A name that is not UTF-8
    /// cannot be written: [`BuildError::InvalidName`].
    pub fn builder<'x>(&self) -> Result<SetCookieBuilder<'x>, BuildError>
    where
        'h: 'x,
        'a: 'x,
    {
        let name = self.cookie.name_str().ok_or(BuildError::InvalidName)?;
        let want = &self.rule.attributes;
        let mut builder = SetCookieBuilder::new(name, "").secure(want.secure).removal();
        if let Some(path) = want.path {
            builder = builder.path(path);
        }
        if let Some(domain) = want.domain {
            builder = builder.domain(domain);
        }
        Ok(builder)
    }

    /// Writes the removal header into `buf` and returns its length.
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, BuildError> {
        self.builder()?.encode(buf)
    }
}

impl<'h, 'p, 'a, const N: usize> RequestCookies<'h, 'p, 'a, N> {
    /// The declared cookies of the request that the consent does not allow, each
    /// name once: send one removal header for each. Undeclared cookies are not
    /// listed, since no rule says which `Path` and `Domain` would delete them.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let policy = Policy::<4>::load("@revision 2\nlang | preferences | | | | | path=/ secure")?;
    /// let header = CookieHeader::parse("lang=fr; lang=en; other=1")?;
    /// // The visitor withdrew consent: revision 2, nothing granted.
    /// let request = policy.filter_request(&header, &Consent::necessary_only(2));
    /// let mut buf = [0u8; 96];
    /// let removals: Vec<_> = request
    ///     .withdrawals()
    ///     .map(|w| w.write(&mut buf).map(|n| buf[..n].to_vec()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(removals, [&b"lang=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure"[..]]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn withdrawals(&self) -> impl Iterator<Item = Withdrawal<'h, 'p, 'a>> + use<'h, 'p, 'a, N> {
        let header = self.header;
        self.iter().enumerate().filter_map(move |(i, checked)| {
            let rule = checked.decision.rule?;
            let name = checked.cookie.name();
            let first = !header.iter().take(i).any(|earlier| earlier.name() == name);
            let denied = checked.decision.verdict == Verdict::Block(Reason::NoConsent);
            (denied && first).then_some(Withdrawal { cookie: checked.cookie, rule })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CookieHeader;
    use crate::consent::{Categories, Consent};
    use crate::policy::{Category, Policy};
    use std::string::String;
    use std::vec::Vec;

    fn removals(header: &str, consent: Consent) -> Vec<Result<String, BuildError>> {
        let policy = Policy::<8>::load(
            "@revision 1
sid       | necessary
_ga_*     | statistics | | | | | path=/ domain=example.com
__Host-ab | marketing  | | | | | secure path=/
pref      | preferences",
        )
        .unwrap();
        let header = CookieHeader::parse(header).unwrap();
        let request = policy.filter_request(&header, &consent);
        let mut buf = [0u8; 128];
        request
            .withdrawals()
            .map(|w| w.write(&mut buf).map(|n| String::from_utf8(buf[..n].to_vec()).unwrap()))
            .collect()
    }

    const GONE: &str = "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";

    #[test]
    fn removals_repeat_the_rule_scope() {
        let got = removals("sid=1; _ga_X=2; __Host-ab=3; pref=4; x=5", Consent::necessary_only(1));
        let want = [
            std::format!("_ga_X{GONE}; Domain=example.com; Path=/"),
            std::format!("__Host-ab{GONE}; Path=/; Secure"),
            std::format!("pref{GONE}"),
        ];
        assert_eq!(got, want.map(Ok));
    }

    #[test]
    fn granted_or_exempt_cookies_are_kept() {
        let stats = Consent::new(Categories::NONE.with(Category::Statistics), 1);
        let got = removals("sid=1; _ga_X=2", stats);
        assert!(got.is_empty(), "{got:?}");
        assert!(removals("sid=1; _ga_X=2", Consent::new(Categories::ALL, 1)).is_empty());
    }

    #[test]
    fn a_stale_consent_withdraws_everything_consented() {
        let got = removals("pref=1", Consent::new(Categories::ALL, 0));
        assert_eq!(got, [Ok(std::format!("pref{GONE}"))]);
    }

    #[test]
    fn each_name_is_removed_once_and_bad_names_are_reported() {
        let got = removals("pref=1; pref=2; _ga_\u{e9}=3", Consent::necessary_only(1));
        assert_eq!(got, [Ok(std::format!("pref{GONE}")), Err(BuildError::InvalidName)]);
    }
}
