//! The device's cookie policy, `device.policy` beside `Cargo.toml` compiled into a
//! `const` table in flash, and the cookies the app writes. The page renders the same
//! table, so what the visitor reads and what the device enforces cannot disagree; the
//! cookie audit reads the same text.
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
use embedded_cookie::policy::{Category, Policy, Requirement};
use embedded_cookie::set_cookie::SetCookieBuilder;

use crate::session;

/// Rules in [`POLICY`].
pub const RULES: usize = 6;

/// The cookie that keeps the visitor's consent (the seed site's name).
pub const CONSENT_NAME: &str = "cookies_preferences";

/// The session cookie over HTTPS.
pub const SESSION_TLS: &str = "__Host-sessionid";

/// The session cookie over plain http (the seed site's name).
pub const SESSION_HTTP: &str = "sessionid";

/// Every cookie the device sets, `device.policy` read at compile time: a bad line
/// fails the build with its number and fault, and the firmware links no loader.
/// Undeclared cookies are blocked both ways. The session, the CSRF token, the consent
/// and the language are the seed site's (`shared/seed/cookie-policy.txt`), with its
/// categories (the language a preference the seed exempts from consent, as
/// `examples/policies/seed.policy` has it) and locations (the consent cookie has
/// none) in the device's words, the session split by transport; the statistics
/// cookie is the device's own and needs consent.
pub const POLICY: Policy<'static, RULES> =
    embedded_cookie::compile_policy!(include_str!("../device.policy"));

/// Revision 1 had no statistics cookie; adding it made revision 2, so a consent
/// given for revision 1 is asked again. Revision 3 split the session by transport.
pub const REVISION: u32 = POLICY.revision();

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

    use embedded_cookie::policy::{Rule, Transports};

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
    fn the_compiled_table_is_the_loaded_text() {
        let text = include_str!("../device.policy");
        assert_eq!(Policy::<RULES>::load(text), Ok(POLICY));
    }

    /// The language is a preference the seed exempts from consent
    /// (`examples/policies/seed.policy`): shown as one, never asked for.
    #[test]
    fn the_language_is_an_exempt_preference_as_in_the_seed() {
        let seed = Policy::<4>::load(include_str!("../../policies/seed.policy")).unwrap();
        let (device, seed) = (POLICY.classify("django_language"), seed.classify("django_language"));
        let kind = |r: Option<&Rule<'_>>| r.map(|r| (r.category, r.requirement()));
        assert_eq!(kind(device), Some((Category::Preferences, Requirement::Exempt)));
        assert_eq!(kind(device), kind(seed));
    }
}
