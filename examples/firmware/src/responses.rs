//! The cookies the device sends: each a `const` `SetCookieBuilder` with its hardened
//! attributes, given its value at run time and written into the response buffer.

use core::hint::black_box;

use defmt::{Format, intern};
use embedded_cookie::set_cookie::{BuildError, SameSite, SetCookieBuilder};

use crate::checks::{Checks, check};
use crate::requests::SESSION_ID;

/// The session: script-proof, same-site only, one hour.
pub const SESSION: SetCookieBuilder<'static> = SetCookieBuilder::new("sessionid", "")
    .max_age(3600)
    .path("/")
    .secure(true)
    .http_only(true)
    .same_site(SameSite::Strict);

/// The CSRF token: readable by the page's script (it sends it back in `X-CSRFToken`),
/// same-site only, a year (Django's `CSRF_COOKIE_AGE`).
pub const CSRF: SetCookieBuilder<'static> = SetCookieBuilder::new("csrftoken", "")
    .max_age(31_449_600)
    .path("/")
    .secure(true)
    .same_site(SameSite::Strict);

/// The language choice, a year.
pub const LANGUAGE: SetCookieBuilder<'static> = SetCookieBuilder::new("django_language", "")
    .max_age(31_536_000)
    .path("/")
    .same_site(SameSite::Lax);

/// The statistics cookie, as it was set; its removal is what withdrawing consent sends.
pub const STATISTICS: SetCookieBuilder<'static> =
    SetCookieBuilder::new("_stats_id", "").path("/").same_site(SameSite::Lax);

/// Bytes that are text, logged as text when a check fails.
#[derive(PartialEq)]
pub struct Ascii<'a>(pub &'a [u8]);

impl Format for Ascii<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=[u8]:a}", self.0);
    }
}

/// Room for one `Set-Cookie` value.
const LINE: usize = 160;

/// Writes one `Set-Cookie` value. `black_box` hides the cookie from the compiler, as a
/// value computed at run time would be. Not inlined, so `scripts/footprint` can
/// measure its stack.
#[inline(never)]
pub fn build(cookie: &SetCookieBuilder<'_>, buf: &mut [u8]) -> Result<usize, BuildError> {
    black_box(cookie).write(buf)
}

fn line<'b>(cookie: SetCookieBuilder<'_>, buf: &'b mut [u8]) -> Result<Ascii<'b>, BuildError> {
    let n = build(&cookie, buf)?;
    Ok(Ascii(buf.get(..n).unwrap_or_default()))
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 7;

pub fn run(checks: &mut Checks) {
    let mut buf = [0u8; LINE];
    checks.case(intern!("Set-Cookie: login"));
    check!(
        checks,
        "session",
        line(SESSION.value(SESSION_ID), &mut buf),
        Ok(Ascii(
            b"sessionid=q8Zt2VwX4kLmN0pR; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Strict"
        )),
    );
    check!(
        checks,
        "CSRF token",
        line(CSRF.value("Xq3vT9kLw2"), &mut buf),
        Ok(Ascii(b"csrftoken=Xq3vT9kLw2; Max-Age=31449600; Path=/; Secure; SameSite=Strict")),
    );

    checks.case(intern!("Set-Cookie: language"));
    check!(
        checks,
        "language",
        line(LANGUAGE.value("de"), &mut buf),
        Ok(Ascii(b"django_language=de; Max-Age=31536000; Path=/; SameSite=Lax")),
    );
    check!(
        checks,
        "a value with ';' is refused, nothing written",
        line(LANGUAGE.value("de; Domain=evil.example"), &mut buf),
        Err(BuildError::InvalidValue),
    );

    checks.case(intern!("Set-Cookie: logout and withdrawal"));
    check!(
        checks,
        "session removed",
        line(SESSION.removal(), &mut buf),
        Ok(Ascii(
            b"sessionid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"
        )),
    );
    check!(
        checks,
        "statistics cookie expired",
        line(STATISTICS.removal(), &mut buf),
        Ok(Ascii(
            b"_stats_id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"
        )),
    );
    check!(
        checks,
        "a short buffer is an error naming the length",
        line(SESSION.value(SESSION_ID), &mut buf[..32]),
        Err(BuildError::BufferTooSmall { needed: 83 }),
    );
}

/// The consent cookie, with the attributes its rule requires.
#[cfg(feature = "policy")]
pub const CONSENT: SetCookieBuilder<'static> =
    SetCookieBuilder::new(crate::policy::CONSENT_NAME, "")
        .max_age(15_724_800)
        .path("/")
        .secure(true)
        .same_site(SameSite::Lax);

/// The removal header of the first cookie of `header` that `consent` no longer allows.
#[cfg(feature = "policy")]
#[inline(never)]
pub fn withdrawal(
    policy: &crate::policy::DevicePolicy,
    header: &embedded_cookie::CookieHeader<'_>,
    consent: &embedded_cookie::consent::Consent,
    buf: &mut [u8],
) -> Option<Result<usize, BuildError>> {
    let request =
        embedded_cookie::enforce::Enforcer::new(policy, consent).request(black_box(header));
    request.withdrawals().next().map(|w| w.write(buf))
}

/// The checks [`consent`] makes.
#[cfg(feature = "policy")]
pub const CONSENT_CHECKS: u32 = 3;

/// The consent banner's answers: the consent cookie, and withdrawing it.
#[cfg(feature = "policy")]
pub fn consent(checks: &mut Checks, policy: &crate::policy::DevicePolicy) {
    use embedded_cookie::consent::{Categories, Consent};
    use embedded_cookie::policy::Category;

    use crate::policy::{REVISION, consent_value, cookies};

    let mut buf = [0u8; LINE];
    checks.case(intern!("Set-Cookie: consent to statistics"));
    let stats = consent_value(Categories::NONE.with(Category::Statistics));
    check!(
        checks,
        "consent cookie",
        line(CONSENT.value(&stats), &mut buf),
        Ok(Ascii(b"cookies_preferences=1.2.s; Max-Age=15724800; Path=/; Secure; SameSite=Lax")),
    );

    checks.case(intern!("Set-Cookie: consent withdrawn"));
    let none = Consent::necessary_only(REVISION);
    check!(
        checks,
        "consent cookie",
        line(CONSENT.value(&consent_value(Categories::NONE)), &mut buf),
        Ok(Ascii(b"cookies_preferences=1.2.; Max-Age=15724800; Path=/; Secure; SameSite=Lax")),
    );
    let header = b"sessionid=q8Zt2VwX4kLmN0pR; _stats_id=v1; cookies_preferences=1.2.s";
    let got = cookies(header).and_then(|header| {
        withdrawal(policy, &header, &none, &mut buf)
            .map(|n| n.map(|n| Ascii(buf.get(..n).unwrap_or_default())))
    });
    check!(
        checks,
        "statistics cookie removed, as its rule scopes it",
        got,
        Some(Ok(Ascii(
            b"_stats_id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure"
        ))),
    );
}
