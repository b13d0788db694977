//! The device's cookie policy, a `const` table in flash, and the cookies the app
//! writes. The page renders the same table, so what the visitor reads and what the
//! device enforces cannot disagree; `device.policy` beside `Cargo.toml` is the same
//! policy as a text (for the cookie audit), and a test ties the two.
//!
//! A device is reached over plain `http` at a LAN address (`http://192.168.1.20/`) as
//! often as over HTTPS, and a browser keeps a `Secure` cookie only from a secure
//! origin. So the cookies depend on the transport the server says the request came
//! over ([`Transport`], given to [`app`](crate::app)), as on OpenWrt's LuCI:
//!
//! - the session is two cookies: [`SESSION_TLS`] (`__Host-sessionid`, `Secure`) over
//!   HTTPS and [`SESSION_HTTP`] (`sessionid`, without `Secure`) over plain http, both
//!   `HttpOnly` and `SameSite=Strict`. Each is read and set only on its own transport,
//!   and its signed value is bound to its name: a session cookie anyone on the plain
//!   path could read or plant never counts over HTTPS;
//! - the CSRF token, the consent and the language are the same cookies on both, with
//!   `Secure` over HTTPS only.

use embedded_cookie::enforce::Transport;
use embedded_cookie::policy::{
    Category, Location, Pattern, Policy, RequiredAttributes, Requirement, Rule, Transports,
};
use embedded_cookie::set_cookie::{SameSite, SetCookieBuilder};

use crate::session;

/// Rules in [`POLICY`].
pub const RULES: usize = 6;

/// The cookie that keeps the visitor's consent (the seed site's name).
pub const CONSENT_NAME: &str = "cookies_preferences";

/// The session cookie over HTTPS.
pub const SESSION_TLS: &str = "__Host-sessionid";

/// The session cookie over plain http (the seed site's name).
pub const SESSION_HTTP: &str = "sessionid";

/// Revision 1 had no statistics cookie; adding it made revision 2, so a consent
/// given for revision 1 is asked again. Revision 3 split the session by transport.
pub const REVISION: u32 = 3;

const PROVIDER: &str = "This device";

/// `Secure` (over HTTPS), `SameSite=Lax`, `Path=/`: the cookies of both transports.
const LAX_SECURE_ROOT: RequiredAttributes<'static> = RequiredAttributes {
    secure: true,
    same_site: Some(SameSite::Lax),
    path: Some("/"),
    ..RequiredAttributes::NONE
};

/// The session's attributes but `Secure`.
const SESSION_ATTRIBUTES: RequiredAttributes<'static> = RequiredAttributes {
    http_only: true,
    same_site: Some(SameSite::Strict),
    max_age: Some(1_209_600),
    path: Some("/"),
    ..RequiredAttributes::NONE
};

/// A rule of the device with the texts of the page.
const fn rule(
    name: &'static str,
    category: Category,
    function: &'static str,
    location: Location,
    purpose: &'static str,
    transport: Transports,
    attributes: RequiredAttributes<'static>,
) -> Rule<'static> {
    Rule {
        provider: PROVIDER,
        function,
        location,
        purpose,
        transport: Some(transport),
        attributes,
        ..Rule::new(Pattern::Exact(name), category)
    }
}

/// Every cookie the device sets; undeclared cookies are blocked both ways. The
/// session, the CSRF token, the consent and the language are the seed site's
/// (`shared/seed/cookie-policy.txt`), with its categories and locations (all
/// necessary; the consent cookie has no location) in the device's words, the session
/// split by transport; the statistics cookie is the device's own and needs consent.
// Evaluated at compile time: a bad rule fails the build, it cannot panic at run time.
#[allow(clippy::panic)]
pub const POLICY: Policy<'static, RULES> = match Policy::from_rules(
    REVISION,
    [
        rule(
            SESSION_TLS,
            Category::Necessary,
            "Sign-in session (HTTPS)",
            Location::Both,
            "To keep the administrator signed in from one page to another",
            Transports::Tls,
            RequiredAttributes { secure: true, ..SESSION_ATTRIBUTES },
        ),
        rule(
            SESSION_HTTP,
            Category::Necessary,
            "Sign-in session (plain http)",
            Location::Both,
            "To keep the administrator signed in from one page to another",
            Transports::PlainHttp,
            SESSION_ATTRIBUTES,
        ),
        rule(
            "csrftoken",
            Category::Necessary,
            "Form protection (CSRF)",
            Location::Both,
            "To refuse forms that another site submits",
            Transports::Any,
            RequiredAttributes { max_age: Some(31_449_600), ..LAX_SECURE_ROOT },
        ),
        rule(
            CONSENT_NAME,
            Category::Necessary,
            "Cookie choices",
            Location::Unspecified,
            "To remember the visitor's cookie choices",
            Transports::Any,
            RequiredAttributes { max_age: Some(15_724_800), ..LAX_SECURE_ROOT },
        ),
        rule(
            "django_language",
            Category::Necessary,
            "Language selection",
            Location::Both,
            "To show the pages in the visitor's language",
            Transports::Any,
            RequiredAttributes { max_age: Some(31_536_000), ..LAX_SECURE_ROOT },
        ),
        rule(
            "_stats_id",
            Category::Statistics,
            "Visit statistics",
            Location::Front,
            "To count the visitors of the status page",
            Transports::Any,
            RequiredAttributes { max_age: Some(7_862_400), ..LAX_SECURE_ROOT },
        ),
    ],
) {
    Ok(policy) => policy,
    Err(_) => panic!("the device policy is invalid"),
};

// The cookies as the application writes them: name, lifetime and `Path` (which a
// removal must repeat). The policy adds the rest.

/// The session cookie's name on `transport`.
pub const fn session_name(transport: Transport) -> &'static str {
    match transport {
        Transport::Tls => SESSION_TLS,
        Transport::PlainHttp => SESSION_HTTP,
    }
}

/// The sign-in session on `transport`: an hour, shorter than the policy's cap; over
/// HTTPS with the `Secure` its `__Host-` name requires.
pub const fn session(transport: Transport) -> SetCookieBuilder<'static> {
    let cookie =
        SetCookieBuilder::new(session_name(transport), "").max_age(session::SESSION_SECS).path("/");
    cookie.secure(matches!(transport, Transport::Tls))
}
/// The CSRF token, readable by the page's script.
pub const CSRF: SetCookieBuilder<'static> =
    SetCookieBuilder::new("csrftoken", "").max_age(31_449_600).path("/");
/// The language choice.
pub const LANGUAGE: SetCookieBuilder<'static> =
    SetCookieBuilder::new("django_language", "").max_age(31_536_000).path("/");
/// The consent choice.
pub const CONSENT: SetCookieBuilder<'static> =
    SetCookieBuilder::new(CONSENT_NAME, "").max_age(15_724_800).path("/");
/// The visit id of the statistics beacon.
pub const STATS: SetCookieBuilder<'static> =
    SetCookieBuilder::new("_stats_id", "").max_age(7_862_400).path("/");

/// The categories the banner asks about: those of rules that need consent, each
/// once, in [`Category::ALL`] order.
pub fn asked_categories() -> impl Iterator<Item = Category> {
    Category::ALL.into_iter().filter(|&category| {
        POLICY
            .rules()
            .iter()
            .any(|rule| rule.category == category && rule.requirement() == Requirement::Required)
    })
}

#[cfg(test)]
mod tests {
    use std::string::String;

    use super::*;

    #[test]
    fn the_banner_asks_for_statistics_only() {
        assert!(asked_categories().eq([Category::Statistics]));
    }

    #[test]
    fn every_cookie_the_app_writes_is_declared_on_its_transport() {
        let sessions = [(session(Transport::Tls), Transport::Tls)];
        let sessions =
            sessions.into_iter().chain([(session(Transport::PlainHttp), Transport::PlainHttp)]);
        let both = [CSRF, LANGUAGE, CONSENT, STATS].into_iter();
        let written =
            sessions.chain(both.flat_map(|c| [(c, Transport::Tls), (c, Transport::PlainHttp)]));
        for (cookie, transport) in written {
            let mut buf = [0u8; 128];
            let n = cookie.value("v").write(&mut buf).unwrap();
            let name = buf[..n].split(|&b| b == b'=').next().unwrap();
            let rule = POLICY.classify(name);
            let shown = String::from_utf8_lossy(name);
            assert!(rule.is_some_and(|r| r.transports().allows(transport)), "{shown} {transport}");
        }
    }

    #[test]
    fn the_session_cookies_of_the_two_transports_differ() {
        let (tls, http) = (POLICY.classify(SESSION_TLS), POLICY.classify(SESSION_HTTP));
        assert_eq!(tls.map(|r| r.transports()), Some(Transports::Tls));
        assert_eq!(http.map(|r| r.transports()), Some(Transports::PlainHttp));
        assert_ne!(session_name(Transport::Tls), session_name(Transport::PlainHttp));
    }

    #[test]
    fn the_policy_text_is_the_table() {
        let text = include_str!("../device.policy");
        assert_eq!(Policy::<RULES>::load(text), Ok(POLICY));
    }
}
