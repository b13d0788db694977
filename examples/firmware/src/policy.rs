//! The device's cookie policy and the visitor's consent: `device.policy` (the seed
//! policy's rules and the statistics cookie of the status page), compiled into a table
//! when the firmware builds and kept in flash; each request's cookies classified and
//! decided under the consent its `cookies_preferences` cookie carries.

use core::hint::black_box;

use defmt::{Format, intern};
use embedded_cookie::consent::{self, AskAgain, Categories, Consent, ConsentStatus};
use embedded_cookie::enforce::{Enforcer, Reason, Verdict};
use embedded_cookie::policy::{Category, Policy};
use embedded_cookie::{CookieHeader, CookieWriteError};

use crate::checks::{Checks, check};

/// The seed's four rules and the statistics cookie.
pub type DevicePolicy = Policy<'static, 5>;

/// The consent cookie's name.
pub const CONSENT_NAME: &str = "cookies_preferences";

/// `device.policy`, read at compile time: a bad line fails the build with its number
/// and fault, and the firmware links no loader (`scripts/footprint` checks it).
const COMPILED: DevicePolicy = embedded_cookie::compile_policy!(include_str!("../device.policy"));

/// The table, in flash once: a `static`, where a `const` would be copied into each
/// expression that names it.
pub static POLICY: DevicePolicy = COMPILED;

/// The policy's revision, 2: the seed is revision 1, and adding the statistics cookie
/// made revision 2, so a consent given for the seed alone is asked again.
pub const REVISION: u32 = COMPILED.revision();

// The functions below are the firmware's only calls into the policy side of the crate,
// each not inlined, so `scripts/footprint` can count the code they reach and measure
// their stack.

/// A request's `Cookie` header, read with the default limits.
#[inline(never)]
pub fn cookies(header: &[u8]) -> Option<CookieHeader<'_>> {
    CookieHeader::parse(black_box(header)).ok()
}

/// The category of a cookie name; `None` when the policy does not declare it.
#[inline(never)]
pub fn classify(policy: &DevicePolicy, name: &[u8]) -> Option<Category> {
    policy.classify(black_box(name)).map(|rule| rule.category)
}

/// The visitor's consent, read from the request's consent cookie.
#[inline(never)]
pub fn consent(policy: &DevicePolicy, header: &CookieHeader<'_>) -> ConsentStatus {
    Consent::from_header(black_box(header), CONSENT_NAME, policy.revision())
}

/// The request's cookies that the application may see, as a `Cookie` header value.
#[inline(never)]
pub fn allowed(
    policy: &DevicePolicy,
    header: &CookieHeader<'_>,
    consent: &Consent,
    buf: &mut [u8],
) -> Result<usize, CookieWriteError> {
    Enforcer::new(policy, consent).request(black_box(header)).write(buf)
}

/// The verdict on one cookie name under `consent`.
#[inline(never)]
pub fn decide(policy: &DevicePolicy, name: &[u8], consent: &Consent) -> Verdict {
    Enforcer::new(policy, consent).decide(black_box(name)).verdict
}

/// The consent cookie's value for `granted`.
#[inline(never)]
pub fn consent_value(granted: Categories) -> heapless::String<{ consent::MAX_VALUE_LEN }> {
    Consent::new(black_box(granted), REVISION).to_heapless()
}

/// A [`ConsentStatus`] as the checks compare it.
#[derive(PartialEq, Format)]
struct Read {
    statistics: bool,
    ask_again: Option<AskAgain>,
}

fn read(policy: &DevicePolicy, header: &[u8]) -> Option<Read> {
    let reading = consent(policy, &cookies(header)?);
    let statistics = reading.consent.grants(Category::Statistics);
    Some(Read { statistics, ask_again: reading.ask_again })
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 17;

/// Checks classification, the consent cookie, its value, and request filtering under
/// [`POLICY`].
pub fn run(checks: &mut Checks) {
    let policy = &POLICY;
    checks.case(intern!("classify"));
    check!(checks, "sessionid", classify(policy, b"sessionid"), Some(Category::Necessary));
    check!(checks, "csrftoken", classify(policy, b"csrftoken"), Some(Category::Necessary));
    check!(
        checks,
        "django_language",
        classify(policy, b"django_language"),
        Some(Category::Preferences),
    );
    check!(checks, "_stats_id", classify(policy, b"_stats_id"), Some(Category::Statistics));
    check!(checks, "_ga is undeclared", classify(policy, b"_ga"), None);
    check!(checks, "names match whole", classify(policy, b"sessionid2"), None);

    checks.case(intern!("consent cookie"));
    let granted = |statistics, ask_again| Some(Read { statistics, ask_again });
    check!(
        checks,
        "statistics granted",
        read(policy, b"cookies_preferences=1.2.s"),
        granted(true, None)
    );
    check!(checks, "refused", read(policy, b"cookies_preferences=1.2."), granted(false, None));
    check!(
        checks,
        "given for the seed: ask again",
        read(policy, b"cookies_preferences=1.1.ps"),
        granted(false, Some(AskAgain::OtherRevision)),
    );
    check!(
        checks,
        "not canonical: ask again",
        read(policy, b"cookies_preferences=1.2.sp"),
        granted(false, Some(AskAgain::Malformed)),
    );
    check!(
        checks,
        "no cookie: ask",
        read(policy, b"sessionid=1"),
        granted(false, Some(AskAgain::Missing))
    );

    checks.case(intern!("consent cookie value"));
    check!(
        checks,
        "statistics",
        consent_value(Categories::NONE.with(Category::Statistics)).as_str(),
        "1.2.s"
    );
    check!(checks, "refusal", consent_value(Categories::NONE).as_str(), "1.2.");

    checks.case(intern!("decide and filter a request"));
    let stats = Consent::new(Categories::NONE.with(Category::Statistics), REVISION);
    let none = Consent::necessary_only(REVISION);
    check!(checks, "_stats_id with consent", decide(policy, b"_stats_id", &stats), Verdict::Allow);
    check!(
        checks,
        "_stats_id without",
        decide(policy, b"_stats_id", &none),
        Verdict::Block(Reason::NoConsent),
    );
    check!(checks, "_ga", decide(policy, b"_ga", &stats), Verdict::Block(Reason::Undeclared));
    let header = b"sessionid=q8Zt2VwX4kLmN0pR; _stats_id=v1; _ga=GA1.2; cookies_preferences=1.2.";
    let mut buf = [0u8; 96];
    let got = CookieHeader::parse(header)
        .ok()
        .map(|h| allowed(policy, &h, &none, &mut buf).map(|n| buf.get(..n).unwrap_or_default()));
    let want: &[u8] = b"sessionid=q8Zt2VwX4kLmN0pR; cookies_preferences=1.2.";
    check!(checks, "what the application sees", got, Some(Ok(want)));
}
