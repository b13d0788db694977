//! Checking a `Set-Cookie` against its rule and the consent, and writing what
//! may be sent.

use core::fmt;

use super::{Decision, Reason, Verdict};
use crate::consent::Consent;
use crate::policy::{Policy, Rule};
use crate::set_cookie::{AttributeName, BuildError, Expiry, SameSite, SetCookie, SetCookieBuilder};

/// The attributes hardening added or changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Hardened(u16);

impl Hardened {
    const fn bit(attribute: AttributeName) -> u16 {
        1 << attribute as u16
    }

    const fn with(self, attribute: AttributeName) -> Self {
        Self(self.0 | Self::bit(attribute))
    }

    /// Whether hardening set `attribute`.
    pub const fn contains(self, attribute: AttributeName) -> bool {
        self.0 & Self::bit(attribute) != 0
    }

    /// True when nothing was changed.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The attributes set, in header order.
    pub fn iter(self) -> impl Iterator<Item = AttributeName> {
        AttributeName::ALL.into_iter().filter(move |&a| self.contains(a))
    }
}

/// Why a checked `Set-Cookie` was not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ResponseError {
    /// The policy blocks the cookie.
    Blocked(Reason),
    /// The builder refused it (a buffer too small, a `__Host-` rule broken).
    Build(BuildError),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocked(reason) => write!(f, "blocked: {reason}"),
            Self::Build(e) => write!(f, "not built: {e}"),
        }
    }
}

impl core::error::Error for ResponseError {}

impl From<BuildError> for ResponseError {
    fn from(e: BuildError) -> Self {
        Self::Build(e)
    }
}

/// A `Set-Cookie` checked against a policy and a consent: the decision, what
/// hardening changed, and the header to send. See
/// [`Policy::check_set_cookie`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CheckedSetCookie<'p, 'a, 'x> {
    /// The rule, the consent requirement and the verdict.
    pub decision: Decision<'p, 'a>,
    /// The attributes hardening set (empty unless the verdict is
    /// [`Verdict::Harden`]).
    pub hardened: Hardened,
    builder: SetCookieBuilder<'x>,
}

impl<'x> CheckedSetCookie<'_, '_, 'x> {
    /// The header to send, `None` when the cookie is blocked.
    pub fn builder(&self) -> Option<SetCookieBuilder<'x>> {
        self.decision.verdict.is_allowed().then_some(self.builder)
    }

    /// Writes the header to send into `buf` and returns its length, in the
    /// builder's canonical form (unknown attributes dropped).
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, ResponseError> {
        match self.decision.verdict {
            Verdict::Block(reason) => Err(ResponseError::Blocked(reason)),
            _ => Ok(self.builder.encode(buf)?),
        }
    }
}

/// How much a `SameSite` value restricts: `Strict` most.
const fn strictness(same_site: Option<SameSite>) -> u8 {
    match same_site {
        None | Some(SameSite::None) => 0,
        Some(SameSite::Lax) => 1,
        Some(SameSite::Strict) => 2,
    }
}

impl<'a, const N: usize> Policy<'a, N> {
    /// Checks a `Set-Cookie` the server is about to send against its rule and
    /// `consent`, and gives the header that may be sent:
    ///
    /// - a cookie that deletes (`Max-Age` zero or negative) is always allowed;
    /// - an undeclared cookie, or one whose category is not consented to, is
    ///   blocked ([`Reason::Undeclared`], [`Reason::NoConsent`]);
    /// - a `Path` or `Domain` other than the rule's is blocked
    ///   ([`Reason::Attribute`]): changing it would make it another cookie. A
    ///   missing one is set to the rule's; a rule without `Domain` blocks any;
    /// - a missing `Secure` or `HttpOnly` the rule requires is added, a `SameSite`
    ///   weaker than the rule's (`Strict` > `Lax` > `None` or absent) is raised,
    ///   a `Max-Age` over the rule's lifetime is capped, and an `Expires` without
    ///   `Max-Age` gets `Max-Age` set to the lifetime, which browsers apply
    ///   instead (there is no clock to compare the date with): [`Verdict::Harden`].
    ///
    /// A cookie built in code is checked by parsing what its builder writes:
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::Verdict;
    /// use embedded_cookie::policy::SEED;
    /// use embedded_cookie::set_cookie::{SetCookie, SetCookieBuilder};
    ///
    /// let built = SetCookieBuilder::new("csrftoken", "t0k").path("/").to_heapless::<64>()?;
    /// let checked = SEED.check_set_cookie(&SetCookie::parse(&built)?, &Consent::necessary_only(1));
    /// assert_eq!(checked.decision.verdict, Verdict::Harden); // Secure and SameSite added
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::Verdict;
    /// use embedded_cookie::policy::SEED;
    /// use embedded_cookie::set_cookie::{AttributeName, SetCookie};
    ///
    /// let sent = SetCookie::parse("sessionid=s1; Max-Age=99999999")?;
    /// let checked = SEED.check_set_cookie(&sent, &Consent::necessary_only(1));
    /// assert_eq!(checked.decision.verdict, Verdict::Harden);
    /// assert!(checked.hardened.contains(AttributeName::HttpOnly));
    /// let mut buf = [0u8; 128];
    /// let n = checked.write(&mut buf)?;
    /// assert_eq!(
    ///     &buf[..n],
    ///     b"sessionid=s1; Max-Age=1209600; Path=/; Secure; HttpOnly; SameSite=Lax"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_set_cookie<'p, 'x>(
        &'p self,
        cookie: &SetCookie<'x>,
        consent: &Consent,
    ) -> CheckedSetCookie<'p, 'a, 'x>
    where
        'a: 'x,
    {
        let decision = self.decide(cookie.name(), consent);
        let mut checked = CheckedSetCookie {
            decision,
            hardened: Hardened::default(),
            builder: cookie.to_builder(),
        };
        if cookie.max_age().is_some_and(|secs| secs <= 0) {
            checked.decision.verdict = Verdict::Allow;
            return checked;
        }
        let rule = match (decision.verdict, decision.rule) {
            (Verdict::Allow, Some(rule)) => rule,
            _ => return checked,
        };
        if let Err(attribute) = scope(cookie, rule) {
            checked.decision.verdict = Verdict::Block(Reason::Attribute(attribute));
            return checked;
        }
        let (builder, hardened) = harden(cookie, rule, checked.builder);
        checked.builder = builder;
        checked.hardened = hardened;
        if !hardened.is_empty() {
            checked.decision.verdict = Verdict::Harden;
        }
        checked
    }
}

/// `Err` names the attribute whose value differs from the rule's.
fn scope(cookie: &SetCookie<'_>, rule: &Rule<'_>) -> Result<(), AttributeName> {
    let want = &rule.attributes;
    if let (Some(path), Some(required)) = (cookie.path(), want.path) {
        if path != required.as_bytes() {
            return Err(AttributeName::Path);
        }
    }
    match (cookie.domain(), want.domain) {
        (Some(_), None) => Err(AttributeName::Domain),
        (Some(domain), Some(required)) => {
            let required = required.strip_prefix('.').unwrap_or(required);
            if domain.eq_ignore_ascii_case(required.as_bytes()) {
                Ok(())
            } else {
                Err(AttributeName::Domain)
            }
        }
        _ => Ok(()),
    }
}

/// The builder with the rule's requirements added, and what was added.
fn harden<'x>(
    cookie: &SetCookie<'x>,
    rule: &Rule<'x>,
    mut builder: SetCookieBuilder<'x>,
) -> (SetCookieBuilder<'x>, Hardened) {
    let want = &rule.attributes;
    let mut hardened = Hardened::default();
    if let (None, Some(path)) = (cookie.path(), want.path) {
        builder = builder.path(path);
        hardened = hardened.with(AttributeName::Path);
    }
    if let (None, Some(domain)) = (cookie.domain(), want.domain) {
        builder = builder.domain(domain);
        hardened = hardened.with(AttributeName::Domain);
    }
    if want.secure && !cookie.secure() {
        builder = builder.secure(true);
        hardened = hardened.with(AttributeName::Secure);
    }
    if want.http_only && !cookie.http_only() {
        builder = builder.http_only(true);
        hardened = hardened.with(AttributeName::HttpOnly);
    }
    if let Some(same_site) = want.same_site {
        if strictness(cookie.same_site()) < strictness(Some(same_site)) {
            builder = builder.same_site(same_site);
            hardened = hardened.with(AttributeName::SameSite);
        }
    }
    if let Some(cap) = want.max_age {
        let cap = i64::from(cap);
        let over = match cookie.expiry() {
            Some(Expiry::MaxAge(secs)) => secs > cap,
            Some(Expiry::Expires(_)) => true,
            None => false,
        };
        if over {
            builder = builder.max_age(cap);
            hardened = hardened.with(AttributeName::MaxAge);
        }
    }
    (builder, hardened)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Categories;
    use crate::policy::Category;

    const POLICY_TEXT: &str = "@revision 1
sid  | necessary | | | | | secure httponly samesite=strict max-age=1h path=/app
lang | preferences | | | | | samesite=lax
wide | necessary | | | | | domain=Example.com path=/
ad   | marketing
";

    /// One `#[test]` per row: `name: consent, line => verdict, hardened header`.
    macro_rules! responses {
        ($($name:ident: $consent:expr, $line:expr => $verdict:expr, $out:expr;)*) => {$(
            #[test]
            fn $name() {
                let policy = Policy::<8>::load(POLICY_TEXT).unwrap();
                let cookie = SetCookie::parse($line).unwrap();
                let checked = policy.check_set_cookie(&cookie, &$consent);
                assert_eq!(checked.decision.verdict, $verdict);
                let mut buf = [0u8; 160];
                let got = checked.write(&mut buf).map(|n| std::string::String::from_utf8(buf[..n].to_vec()).unwrap());
                let want: Result<&str, ResponseError> = $out;
                assert_eq!(got.as_deref().map_err(|e| *e), want);
            }
        )*};
    }

    const NONE: Consent = Consent::necessary_only(1);
    const ALL: Consent = Consent::new(Categories::ALL, 1);
    use AttributeName::*;
    use Verdict::*;

    responses! {
        compliant_allowed: NONE, "sid=1; Max-Age=60; Path=/app; Secure; HttpOnly; SameSite=Strict"
            => Allow, Ok("sid=1; Max-Age=60; Path=/app; Secure; HttpOnly; SameSite=Strict");
        bare_hardened: NONE, "sid=1"
            => Harden, Ok("sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict");
        lifetime_capped: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Max-Age=86400"
            => Harden, Ok("sid=1; Max-Age=3600; Path=/app; Secure; HttpOnly; SameSite=Strict");
        expires_gets_max_age: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Expires=Wed, 09 Jun 2021 10:18:14 GMT"
            => Harden, Ok("sid=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Max-Age=3600; Path=/app; Secure; HttpOnly; SameSite=Strict");
        preference_without_consent_blocked: NONE, "lang=fr; SameSite=None; Secure"
            => Block(Reason::NoConsent), Err(ResponseError::Blocked(Reason::NoConsent));
        lax_raised_to_strict: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Lax"
            => Harden, Ok("sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict");
        stricter_same_site_kept: ALL, "lang=fr; SameSite=Strict" => Allow, Ok("lang=fr; SameSite=Strict");
        unspecified_same_site_set: ALL, "lang=fr; SameSite=sometimes" => Harden, Ok("lang=fr; SameSite=Lax");
        other_path_blocked: NONE, "sid=1; Path=/"
            => Block(Reason::Attribute(Path)), Err(ResponseError::Blocked(Reason::Attribute(Path)));
        undeclared_domain_blocked: NONE, "sid=1; Domain=example.com"
            => Block(Reason::Attribute(Domain)), Err(ResponseError::Blocked(Reason::Attribute(Domain)));
        domain_matches_case_insensitively: NONE, "wide=1; Domain=.EXAMPLE.com; Path=/" => Allow, Ok("wide=1; Domain=example.com; Path=/");
        missing_domain_added: NONE, "wide=1; Path=/" => Harden, Ok("wide=1; Domain=example.com; Path=/");
        other_domain_blocked: NONE, "wide=1; Domain=evil.com"
            => Block(Reason::Attribute(Domain)), Err(ResponseError::Blocked(Reason::Attribute(Domain)));
        no_consent_blocked: NONE, "ad=1" => Block(Reason::NoConsent), Err(ResponseError::Blocked(Reason::NoConsent));
        consent_allows: ALL, "ad=1" => Allow, Ok("ad=1");
        undeclared_blocked: ALL, "x=1" => Block(Reason::Undeclared), Err(ResponseError::Blocked(Reason::Undeclared));
        removal_always_allowed: NONE, "ad=; Max-Age=0" => Allow, Ok("ad=; Max-Age=0");
        undeclared_removal_allowed: NONE, "x=; Max-Age=-1; Path=/" => Allow, Ok("x=; Max-Age=0; Path=/");
        build_error_reported: NONE, "sid=a b" => Harden, Err(ResponseError::Build(BuildError::InvalidValue));
    }

    #[test]
    fn hardened_lists_what_changed_and_blocked_has_no_builder() {
        let policy = Policy::<8>::load(POLICY_TEXT).unwrap();
        let cookie = SetCookie::parse("sid=1; Secure").unwrap();
        let checked = policy.check_set_cookie(&cookie, &NONE);
        let changed: std::vec::Vec<_> = checked.hardened.iter().collect();
        assert_eq!(changed, [Path, HttpOnly, SameSite]);
        assert!(checked.builder().is_some());
        let ad = SetCookie::parse("ad=1").unwrap();
        assert_eq!(policy.check_set_cookie(&ad, &NONE).builder(), None);
        let granted = Consent::new(Categories::NONE.with(Category::Marketing), 1);
        assert!(policy.check_set_cookie(&ad, &granted).builder().is_some());
    }
}
