//! Checking a `Set-Cookie` against its rule and the consent, and writing what
//! may be sent.

use core::fmt;

use super::decision::{Decision, Reason, Verdict, decide};
use super::request::{meet_prefix, removal};
use crate::consent::Consent;
use crate::policy::{Policy, Rule, Transport};
use crate::set_cookie::{
    AttributeName, BuildError, Fields, SameSite, SetCookieBuilder, domain_without_dot,
    is_token_name,
};

/// The attributes hardening added, changed or removed.
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
#[non_exhaustive]
pub enum ResponseError {
    /// The policy blocks the cookie.
    Blocked(Reason),
    /// The builder refused it (a buffer too small, a `__Host-` rule broken).
    Build(BuildError),
}

texts! {
    /// `"blocked"` or `"not built"`; [`Display`](fmt::Display) adds the reason.
    ResponseError: error {
        Self::Blocked(_) => "blocked",
        Self::Build(_) => "not built",
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocked(reason) => write!(f, "{}: {reason}", self.as_str()),
            Self::Build(e) => write!(f, "{}: {e}", self.as_str()),
        }
    }
}

impl From<BuildError> for ResponseError {
    fn from(e: BuildError) -> Self {
        Self::Build(e)
    }
}

/// A `Set-Cookie` checked against a policy and a consent: the decision, what
/// hardening changed, and the header to send. See
/// [`Enforcer::response`](crate::enforce::Enforcer::response).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseCookie<'p, 'a, 'x> {
    /// The rule, the consent requirement and the verdict.
    pub decision: Decision<'p, 'a>,
    /// The attributes hardening set (empty unless the verdict is
    /// [`Verdict::Harden`]).
    pub hardened: Hardened,
    builder: SetCookieBuilder<'x>,
}

impl<'x> ResponseCookie<'_, '_, 'x> {
    /// The header to send, `None` when the cookie is blocked: a builder, to
    /// display straight into a response (it is [`Display`](fmt::Display)), or to
    /// change further.
    ///
    /// ```
    /// use core::fmt::Write;
    /// use embedded_cookie::{Consent, Enforcer, Policy, SetCookieBuilder};
    ///
    /// let policy = Policy::<2>::load("@revision 1\ncsrftoken | necessary | | | | | secure samesite=lax")?;
    /// let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1));
    /// let now = 1_700_000_000;
    /// let mut response: heapless::String<256> = heapless::String::new();
    /// for cookie in [SetCookieBuilder::new("csrftoken", "t0k"), SetCookieBuilder::new("_ga", "GA1.2")] {
    ///     if let Some(header) = enforcer.response(cookie, now).allowed() {
    ///         write!(response, "Set-Cookie: {header}\r\n")?;
    ///     }
    /// }
    /// // `_ga` is undeclared: blocked, nothing sent.
    /// assert_eq!(response, "Set-Cookie: csrftoken=t0k; Secure; SameSite=Lax\r\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allowed(&self) -> Option<SetCookieBuilder<'x>> {
        self.decision.verdict.is_allowed().then_some(self.builder)
    }

    /// Writes the header to send into `buf` and returns its length, in the
    /// builder's canonical form (unknown attributes dropped).
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, ResponseError> {
        match self.decision.verdict {
            Verdict::Block(reason) => Err(ResponseError::Blocked(reason)),
            _ => Ok(self.builder.write(buf)?),
        }
    }
}

/// The header to send, as [`write`](ResponseCookie::write) writes it. A blocked
/// cookie, or one the builder refuses, displays nothing and returns [`fmt::Error`]:
/// a response that displays it fails rather than carry it. Where a cookie may be
/// blocked (any category but necessary), display [`allowed`](ResponseCookie::allowed)
/// instead.
///
/// ```
/// use core::fmt::Write;
/// use embedded_cookie::{Consent, Enforcer, Policy, SetCookieBuilder};
///
/// let policy = Policy::<2>::load("@revision 1\nsid | necessary | | | | | httponly")?;
/// let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1));
/// let sid = enforcer.response(SetCookieBuilder::new("sid", "42"), 1_700_000_000);
/// let mut line: heapless::String<64> = heapless::String::new();
/// write!(line, "{sid}")?;
/// assert_eq!(line, "sid=42; HttpOnly");
///
/// let blocked = enforcer.response(SetCookieBuilder::new("_ga", "1"), 1_700_000_000);
/// let mut other: heapless::String<64> = heapless::String::new();
/// assert!(write!(other, "{blocked}").is_err() && other.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl fmt::Display for ResponseCookie<'_, '_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.allowed() {
            Some(builder) => fmt::Display::fmt(&builder, f),
            None => Err(fmt::Error),
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

/// [`Enforcer::response`](crate::enforce::Enforcer::response): `cookie` checked
/// under `policy` and `consent`, a consent already checked against the policy's
/// revision.
pub(super) fn check<'p, 'a, 'x, const N: usize>(
    policy: &'p Policy<'a, N>,
    consent: &Consent,
    transport: Transport,
    cookie: SetCookieBuilder<'x>,
    now: i64,
) -> ResponseCookie<'p, 'a, 'x>
where
    'a: 'x,
{
    let fields = cookie.fields();
    let decision = decide(policy, fields.name, consent, transport);
    let mut checked = ResponseCookie { decision, hardened: Hardened::default(), builder: cookie };
    let name = fields.name;
    if !is_token_name(name) {
        checked.decision.verdict = Verdict::Block(Reason::InvalidName);
        return checked;
    }
    if deletes(fields, now) {
        checked.decision.verdict = Verdict::Allow;
        checked.builder = match (core::str::from_utf8(name).ok(), decision.rule) {
            (Some(name), Some(rule)) => removal(name, rule, transport),
            _ => meet_prefix(cookie.removal(), name),
        };
        return checked;
    }
    let rule = match (decision.verdict, decision.rule) {
        (Verdict::Allow, Some(rule)) => rule,
        _ => return checked,
    };
    if let Err(attribute) = scope(fields, rule) {
        checked.decision.verdict = Verdict::Block(Reason::Attribute(attribute));
        return checked;
    }
    let (builder, hardened) = harden(fields, rule, transport, cookie, now);
    checked.builder = builder;
    checked.hardened = hardened;
    if !hardened.is_empty() {
        checked.decision.verdict = Verdict::Harden;
    }
    checked
}

/// An `Expires` before this date deletes, whatever the device's clock says:
/// 2023-01-01T00:00:00Z, before this crate was written, so every browser's clock
/// has passed it. A device clock that is behind (seconds since boot, an RTC
/// reset to 1970 or 2000) would otherwise read the usual deletions (an `Expires`
/// in 1970 or 1999, or `now - 1` on that same clock) as live cookies.
///
/// ```
/// use embedded_cookie::consent::Consent;
/// use embedded_cookie::enforce::{EXPIRED_BEFORE, Enforcer};
/// use embedded_cookie::policy::Policy;
/// use embedded_cookie::set_cookie::SetCookie;
///
/// let policy = Policy::<1>::load("@revision 1\nsid | necessary | | | | | max-age=1h")?;
/// let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1));
/// let gone = SetCookie::parse("sid=; Expires=Fri, 31 Dec 1999 23:59:59 GMT")?;
/// let uptime = 3_600; // a clock counting from boot
/// assert!(uptime < EXPIRED_BEFORE);
/// let mut buf = [0u8; 96];
/// let n = enforcer.response(&gone, uptime).write(&mut buf)?;
/// assert_eq!(&buf[..n], b"sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const EXPIRED_BEFORE: i64 = 1_672_531_200;

/// Whether the browser deletes the cookie on receipt: the expiry that decides
/// (`Max-Age` over `Expires`) is a `Max-Age` of zero or less, or an `Expires`
/// at or before `now` or before [`EXPIRED_BEFORE`].
fn deletes(cookie: &Fields<'_>, now: i64) -> bool {
    match (cookie.max_age, cookie.expires) {
        (Some(secs), _) => secs <= 0,
        (None, Some(at)) => at.secs() <= now || at.secs() < EXPIRED_BEFORE,
        (None, None) => false,
    }
}

/// `Err` names the attribute whose value differs from the rule's.
fn scope(cookie: &Fields<'_>, rule: &Rule<'_>) -> Result<(), AttributeName> {
    let want = &rule.attributes;
    if let (Some(path), Some(required)) = (cookie.path, want.path) {
        if path != required.as_bytes() {
            return Err(AttributeName::Path);
        }
    }
    match (cookie.domain, want.domain) {
        (Some(_), None) => Err(AttributeName::Domain),
        (Some(domain), Some(required)) => {
            let (domain, required) = (domain_without_dot(domain), required.as_bytes());
            if domain.eq_ignore_ascii_case(domain_without_dot(required)) {
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
    cookie: &Fields<'x>,
    rule: &Rule<'x>,
    transport: Transport,
    mut builder: SetCookieBuilder<'x>,
    now: i64,
) -> (SetCookieBuilder<'x>, Hardened) {
    let want = &rule.attributes;
    let mut hardened = Hardened::default();
    if let (None, Some(path)) = (cookie.path, want.path) {
        builder = builder.path(path);
        hardened = hardened.with(AttributeName::Path);
    }
    if let (None, Some(domain)) = (cookie.domain, want.domain) {
        builder = builder.domain(domain);
        hardened = hardened.with(AttributeName::Domain);
    }
    // Over plain `http` a browser drops a cookie with `Secure`: the rule allows
    // the cookie there (the decision said so), without it.
    let secure = want.secure && matches!(transport, Transport::Tls);
    if secure && !cookie.secure || matches!(transport, Transport::PlainHttp) && cookie.secure {
        builder = builder.secure(secure);
        hardened = hardened.with(AttributeName::Secure);
    }
    if want.http_only && !cookie.http_only {
        builder = builder.http_only(true);
        hardened = hardened.with(AttributeName::HttpOnly);
    }
    if let Some(same_site) = want.same_site {
        if strictness(cookie.same_site) < strictness(Some(same_site)) {
            builder = builder.same_site(same_site);
            hardened = hardened.with(AttributeName::SameSite);
        }
    }
    if let Some(cap) = want.max_age {
        let cap = i64::from(cap);
        let late = cookie.expires.is_some_and(|at| at.secs() > now.saturating_add(cap));
        if late {
            builder = builder.without(AttributeName::Expires);
            hardened = hardened.with(AttributeName::Expires);
        }
        let max_age = cookie.max_age;
        if max_age.is_some_and(|secs| secs > cap) || (late && max_age.is_none()) {
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
    use crate::enforce::Enforcer;
    use crate::policy::Category;
    use crate::set_cookie::SetCookie;

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
                let checked = Enforcer::new(&policy, &$consent).response(&cookie, NOW);
                assert_eq!(checked.decision.verdict, $verdict);
                let mut buf = [0u8; 160];
                let got = checked.write(&mut buf).map(|n| std::string::String::from_utf8(buf[..n].to_vec()).unwrap());
                let want: Result<&str, ResponseError> = $out;
                assert_eq!(got.as_deref().map_err(|e| *e), want);
            }
        )*};
    }

    /// The clock of every row: Tue, 14 Nov 2023 22:13:20 GMT.
    const NOW: i64 = 1_700_000_000;
    const NONE: Consent = Consent::necessary_only(1);
    const ALL: Consent = Consent::new(Categories::ALL, 1);
    use AttributeName::*;
    use Verdict::*;

    responses! {
        compliant_allowed: NONE, "sid=1; Max-Age=60; Path=/app; Secure; HttpOnly; SameSite=Strict"
            => Allow, Ok("sid=1; Max-Age=60; Path=/app; Secure; HttpOnly; SameSite=Strict");
        bare_hardened: NONE, "sid=1"
            => Harden, Ok("sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict");
        // A lifetime never turns a session cookie into a persistent one.
        session_cookie_is_not_given_the_lifetime: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict"
            => Allow, Ok("sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict");
        lifetime_capped: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Max-Age=86400"
            => Harden, Ok("sid=1; Max-Age=3600; Path=/app; Secure; HttpOnly; SameSite=Strict");
        // An `Expires` past `NOW + 1h` becomes `Max-Age=3600`, counted on the
        // browser's clock; one within the lifetime stays.
        expires_beyond_lifetime_becomes_max_age: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Expires=Tue, 14 Nov 2023 23:13:21 GMT"
            => Harden, Ok("sid=1; Max-Age=3600; Path=/app; Secure; HttpOnly; SameSite=Strict");
        expires_at_the_lifetime_kept: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Expires=Tue, 14 Nov 2023 23:13:20 GMT"
            => Allow, Ok("sid=1; Expires=Tue, 14 Nov 2023 23:13:20 GMT; Path=/app; Secure; HttpOnly; SameSite=Strict");
        expires_within_lifetime_kept: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Expires=Tue, 14 Nov 2023 22:43:20 GMT"
            => Allow, Ok("sid=1; Expires=Tue, 14 Nov 2023 22:43:20 GMT; Path=/app; Secure; HttpOnly; SameSite=Strict");
        max_age_kept_and_later_expires_dropped: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Max-Age=60; Expires=Wed, 15 Nov 2023 00:13:20 GMT"
            => Harden, Ok("sid=1; Max-Age=60; Path=/app; Secure; HttpOnly; SameSite=Strict");
        both_over_lifetime_capped: NONE, "sid=1; Path=/app; Secure; HttpOnly; SameSite=Strict; Max-Age=7200; Expires=Wed, 15 Nov 2023 00:13:20 GMT"
            => Harden, Ok("sid=1; Max-Age=3600; Path=/app; Secure; HttpOnly; SameSite=Strict");
        // A past `Expires` deletes, like `Max-Age=0`: allowed, never given a
        // lifetime, and sent as the crate's removal in the rule's scope.
        expires_deletion_is_a_removal: NONE, "sid=; Path=/app; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            => Allow, Ok("sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app; Secure");
        expires_now_is_a_deletion: NONE, "sid=; Expires=Tue, 14 Nov 2023 22:13:20 GMT"
            => Allow, Ok("sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app; Secure");
        undeclared_expires_deletion_allowed: NONE, "_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            => Allow, Ok("_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
        unconsented_expires_deletion_allowed: NONE, "ad=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            => Allow, Ok("ad=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
        // The review's case: a value and a `Domain` the rule forbids, expiring
        // now by the device's clock, leave as neither.
        deletion_drops_value_and_domain: NONE, "ad=tracker-id-42; Expires=Tue, 14 Nov 2023 22:13:20 GMT; Domain=example.com"
            => Allow, Ok("ad=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
        undeclared_host_deletion_meets_its_prefix: NONE, "__Host-x=1; Max-Age=0; Path=/a; Domain=example.com"
            => Allow, Ok("__Host-x=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure");
        undeclared_deletion_drops_its_value: NONE, "_ga=GA1.2; Max-Age=0; Domain=example.com; Path=/x"
            => Allow, Ok("_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Domain=example.com; Path=/x");
        max_age_outranks_a_past_expires: NONE, "ad=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            => Block(Reason::NoConsent), Err(ResponseError::Blocked(Reason::NoConsent));
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
        removal_always_allowed: NONE, "ad=x; Max-Age=0"
            => Allow, Ok("ad=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
        undeclared_removal_allowed: NONE, "x=; Max-Age=-1; Path=/"
            => Allow, Ok("x=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
        build_error_reported: NONE, "sid=a b" => Harden, Err(ResponseError::Build(BuildError::InvalidValue));
    }

    /// A clock ahead of the browser's does not let an unconsented value out: the
    /// review's `_ga` with an `Expires` in 2038 at a `now` in 2039.
    #[test]
    fn a_clock_ahead_never_sends_an_unconsented_value() {
        let policy = Policy::<8>::load("@revision 1\n_ga | statistics").unwrap();
        let cookie =
            SetCookie::parse("_ga=GA1.2.3456; Expires=Fri, 01 Jan 2038 00:00:00 GMT").unwrap();
        for now in [NOW, 2_145_916_800, 2_200_000_000] {
            let checked = Enforcer::new(&policy, &NONE).response(&cookie, now);
            let mut buf = [0u8; 128];
            let sent = checked.write(&mut buf).map(|n| buf[..n].to_vec());
            let leaks = sent.as_ref().is_ok_and(|line| line.starts_with(b"_ga=GA"));
            assert!(!leaks, "at {now}: {:?}", sent.map(std::string::String::from_utf8));
        }
    }

    /// A response on each transport: what a rule allows there, and with which
    /// `Secure`.
    #[test]
    fn responses_by_transport() {
        use crate::policy::Transport::{PlainHttp, Tls};
        use crate::set_cookie::BuildError::SameSiteNoneWithoutSecure;
        let policy = Policy::<8>::load(
            "@revision 1
@undeclared report
tls   | necessary | | | | | secure httponly path=/
http  | necessary | | | | | httponly samesite=strict transport=http
any   | necessary | | | | | secure samesite=lax transport=any
plain | necessary
ad    | marketing | | | | | secure",
        )
        .unwrap();
        let blocked = |reason| (Block(reason), Err(ResponseError::Blocked(reason)));
        let gone = "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
        let removal = |name: &str, rest: &str| (Allow, Ok(std::format!("{name}{gone}{rest}")));
        let cases = [
            (Tls, "tls=1", (Harden, Ok("tls=1; Path=/; Secure; HttpOnly".into()))),
            (PlainHttp, "tls=1; Secure", blocked(Reason::Transport)),
            (Tls, "http=1; HttpOnly; SameSite=Strict", blocked(Reason::Transport)),
            (PlainHttp, "http=1", (Harden, Ok("http=1; HttpOnly; SameSite=Strict".into()))),
            // `Secure` the application set over plain `http` is removed ...
            (
                PlainHttp,
                "http=1; Secure; HttpOnly; SameSite=Strict",
                (Harden, Ok("http=1; HttpOnly; SameSite=Strict".into())),
            ),
            // ... and the rule's `Secure` is added only over TLS.
            (Tls, "any=1", (Harden, Ok("any=1; Secure; SameSite=Lax".into()))),
            (PlainHttp, "any=1", (Harden, Ok("any=1; SameSite=Lax".into()))),
            (PlainHttp, "any=1; Secure; SameSite=Lax", (Harden, Ok("any=1; SameSite=Lax".into()))),
            (PlainHttp, "plain=1", (Allow, Ok("plain=1".into()))),
            (Tls, "plain=1; Secure", (Allow, Ok("plain=1; Secure".into()))),
            // `SameSite=None` needs the `Secure` plain `http` cannot carry.
            (
                PlainHttp,
                "plain=1; Secure; SameSite=None",
                (Harden, Err(ResponseError::Build(SameSiteNoneWithoutSecure))),
            ),
            // The transport is asked before the consent.
            (PlainHttp, "ad=1", blocked(Reason::Transport)),
            (Tls, "ad=1", blocked(Reason::NoConsent)),
            // A prefixed name is HTTPS-only even where undeclared ones are reported;
            // another undeclared one passes as it is.
            (PlainHttp, "__Host-x=1; Secure; Path=/", blocked(Reason::Transport)),
            (Tls, "__Host-x=1; Secure; Path=/", (Allow, Ok("__Host-x=1; Path=/; Secure".into()))),
            (PlainHttp, "other=1; Secure", (Allow, Ok("other=1; Secure".into()))),
            // Deletions pass on any transport; over plain `http` without the
            // `Secure` a browser refuses from there, but a prefix's own.
            (PlainHttp, "tls=; Max-Age=0", removal("tls", "; Path=/")),
            (Tls, "tls=; Max-Age=0", removal("tls", "; Path=/; Secure")),
            (Tls, "http=; Max-Age=0", removal("http", "; Path=/")),
            (PlainHttp, "ad=1; Max-Age=0", removal("ad", "; Path=/")),
            (PlainHttp, "__Secure-y=; Max-Age=0", removal("__Secure-y", "; Secure")),
        ];
        for (transport, line, (verdict, want)) in cases {
            let cookie = SetCookie::parse(line).unwrap();
            let checked = Enforcer::new(&policy, &NONE).over(transport).response(&cookie, NOW);
            let mut buf = [0u8; 128];
            let got = checked
                .write(&mut buf)
                .map(|n| std::string::String::from_utf8(buf[..n].to_vec()).unwrap());
            assert_eq!((checked.decision.verdict, got), (verdict, want), "{line} over {transport}");
        }
    }

    /// A clock behind real time (seconds since boot) never turns a deletion
    /// around: an `Expires` in 1999 deletes at any `now`, for an allowed cookie
    /// (never given a lifetime) and an unconsented one (never blocked).
    #[test]
    fn a_clock_behind_keeps_deletions() {
        let policy = Policy::<8>::load(POLICY_TEXT).unwrap();
        let removal = |name: &str, scope: &str| {
            std::format!("{name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0{scope}")
        };
        let cases = [
            (
                "sid=; Path=/app; Expires=Fri, 31 Dec 1999 23:59:59 GMT",
                removal("sid", "; Path=/app; Secure"),
            ),
            ("ad=1; Expires=Fri, 31 Dec 1999 23:59:59 GMT", removal("ad", "; Path=/")),
            ("_ga=1; Expires=Thu, 01 Jan 1970 01:00:00 GMT", removal("_ga", "")),
            ("sid=1; Expires=Sat, 31 Dec 2022 23:59:59 GMT", removal("sid", "; Path=/app; Secure")),
        ];
        for now in [i64::MIN, -1, 0, 3_600, 946_684_800, 1_672_531_199, NOW, i64::MAX] {
            for (line, want) in &cases {
                let cookie = SetCookie::parse(line).unwrap();
                let checked = Enforcer::new(&policy, &NONE).response(&cookie, now);
                let mut buf = [0u8; 128];
                let sent = checked
                    .write(&mut buf)
                    .map(|n| std::string::String::from_utf8(buf[..n].to_vec()).unwrap());
                assert_eq!(sent.as_deref(), Ok(want.as_str()), "{line} at {now}");
            }
        }
        // From 2023 on, an `Expires` deletes only at or before `now`.
        let live = SetCookie::parse("ad=1; Expires=Sun, 01 Jan 2023 00:00:00 GMT").unwrap();
        let checked = Enforcer::new(&policy, &ALL).response(&live, 1_672_531_199);
        assert_eq!(checked.write(&mut [0u8; 64]).map(|_| ()), Ok(()));
        assert!(checked.allowed().is_some_and(|b| b.fields().value == b"1"));
    }

    /// A name no rule can declare and no builder writes is blocked up front, even
    /// where undeclared cookies are reported, and even when it deletes.
    #[test]
    fn names_no_rule_can_declare_are_blocked() {
        use crate::set_cookie::Spec;
        let report = Policy::<2>::load("@revision 1\n@undeclared report\na* | necessary").unwrap();
        let blocked = Block(Reason::InvalidName);
        let cases = [
            (Spec::Rfc6265bis, "justvalue", blocked),
            (Spec::Rfc6265bis, "=value; Max-Age=60", blocked),
            (Spec::Rfc6265bis, "=x; Max-Age=0; Path=/", blocked),
            (Spec::Rfc6265bis, "=v; Expires=Thu, 01 Jan 1970 00:00:00 GMT", blocked),
            // RFC 6265 keeps control bytes: declared by `a*`, still unwritable.
            (Spec::Rfc6265, "a\x1bb=1", blocked),
            (Spec::Rfc6265, "x\x07=1", blocked),
            (Spec::Rfc6265bis, "undeclared=1", Allow),
            (Spec::Rfc6265bis, "a1=1", Allow),
        ];
        for (rules, line, want) in cases {
            let cookie = SetCookie::parse_with(line, rules).unwrap();
            let checked = Enforcer::new(&report, &NONE).response(&cookie, NOW);
            assert_eq!(checked.decision.verdict, want, "{line:?}");
            let mut buf = [0u8; 64];
            assert_eq!(checked.write(&mut buf).is_ok(), want == Allow, "{line:?}");
        }
    }

    #[test]
    fn response_error_texts() {
        let cases = [
            (ResponseError::Blocked(Reason::NoConsent), "blocked", "blocked: no consent"),
            (
                ResponseError::Blocked(Reason::Attribute(Path)),
                "blocked",
                "blocked: attribute violation: Path",
            ),
            (
                ResponseError::Build(BuildError::InvalidValue),
                "not built",
                "not built: invalid value",
            ),
        ];
        for (e, short, text) in cases {
            assert_eq!((e.as_str(), std::format!("{e}").as_str()), (short, text));
            let _: &dyn core::error::Error = &e;
        }
    }

    #[test]
    fn hardened_lists_what_changed_and_blocked_has_no_builder() {
        let policy = Policy::<8>::load(POLICY_TEXT).unwrap();
        let cookie = SetCookie::parse("sid=1; Secure").unwrap();
        let checked = Enforcer::new(&policy, &NONE).response(&cookie, NOW);
        let changed: std::vec::Vec<_> = checked.hardened.iter().collect();
        assert_eq!(changed, [Path, HttpOnly, SameSite]);
        assert!(checked.allowed().is_some());
        let ad = SetCookie::parse("ad=1").unwrap();
        assert_eq!(Enforcer::new(&policy, &NONE).response(&ad, NOW).allowed(), None);
        let granted = Consent::new(Categories::NONE.with(Category::Marketing), 1);
        assert!(Enforcer::new(&policy, &granted).response(&ad, NOW).allowed().is_some());
    }
}
