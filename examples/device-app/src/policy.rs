//! The device's cookie policy, a `const` table in flash, and the cookies the app
//! writes. The page renders the same table, so what the visitor reads and what the
//! device enforces cannot disagree.
//!
//! Every cookie must carry `Secure`, and a browser keeps a `Secure` cookie only from
//! a secure origin: `https`, or plain `http` on 127.0.0.1 and `localhost`, where the
//! host build and the QEMU firmware (through its port forward) are reached. A device
//! served over plain `http` at a LAN address gets none of its cookies kept (no
//! consent, no CSRF token, so every POST is refused, and no sign-in): it must serve
//! HTTPS, or, for development only, its policy must drop `secure` from the required
//! attributes.

use embedded_cookie::policy::{
    Category, Location, Pattern, Policy, RequiredAttributes, Requirement, Rule,
};
use embedded_cookie::set_cookie::{SameSite, SetCookieBuilder};

use crate::session;

/// Rules in [`POLICY`].
pub const RULES: usize = 5;

/// The cookie that keeps the visitor's consent (the seed site's name).
pub const CONSENT_NAME: &str = "cookies_preferences";

/// Revision 1 had no statistics cookie; adding it made revision 2, so a consent
/// given for revision 1 is asked again.
pub const REVISION: u32 = 2;

const PROVIDER: &str = "This device";

/// `Secure`, `SameSite=Lax`, `Path=/`: every cookie of the device. See the module docs: over plain `http`, only 127.0.0.1
/// and `localhost` keep them.
const LAX_SECURE_ROOT: RequiredAttributes<'static> = RequiredAttributes {
    secure: true,
    same_site: Some(SameSite::Lax),
    path: Some("/"),
    ..RequiredAttributes::NONE
};

/// Every cookie the device sets; undeclared cookies are blocked both ways. The first
/// four are the seed site's (`shared/seed/cookie-policy.txt`), with its categories
/// and locations (all four necessary; the consent cookie has no location) in the
/// device's words; the statistics cookie is the device's own and needs consent.
// Evaluated at compile time: a bad rule fails the build, it cannot panic at run time.
#[allow(clippy::panic)]
pub const POLICY: Policy<'static, RULES> = match Policy::from_rules(
    REVISION,
    [
        Rule {
            provider: PROVIDER,
            function: "Sign-in session",
            location: Location::Both,
            purpose: "To keep the administrator signed in from one page to another",
            attributes: RequiredAttributes {
                http_only: true,
                max_age: Some(1_209_600),
                ..LAX_SECURE_ROOT
            },
            ..Rule::new(Pattern::Exact("sessionid"), Category::Necessary)
        },
        Rule {
            provider: PROVIDER,
            function: "Form protection (CSRF)",
            location: Location::Both,
            purpose: "To refuse forms that another site submits",
            attributes: RequiredAttributes {
                max_age: Some(session::CSRF_SECS.unsigned_abs() as u32),
                ..LAX_SECURE_ROOT
            },
            ..Rule::new(Pattern::Exact("csrftoken"), Category::Necessary)
        },
        Rule {
            provider: PROVIDER,
            function: "Cookie choices",
            purpose: "To remember the visitor's cookie choices",
            attributes: RequiredAttributes { max_age: Some(15_724_800), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact(CONSENT_NAME), Category::Necessary)
        },
        Rule {
            provider: PROVIDER,
            function: "Language selection",
            location: Location::Both,
            purpose: "To show the pages in the visitor's language",
            attributes: RequiredAttributes { max_age: Some(31_536_000), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("django_language"), Category::Necessary)
        },
        Rule {
            provider: PROVIDER,
            function: "Visit statistics",
            location: Location::Front,
            purpose: "To count the visitors of the status page",
            attributes: RequiredAttributes { max_age: Some(7_862_400), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("_stats_id"), Category::Statistics)
        },
    ],
) {
    Ok(policy) => policy,
    Err(_) => panic!("the device policy is invalid"),
};

// The cookies as the application writes them: name, lifetime and `Path` (which a
// removal must repeat). The policy adds the rest.

/// The sign-in session: an hour, shorter than the policy's cap.
pub const SESSION: SetCookieBuilder<'static> =
    SetCookieBuilder::new("sessionid", "").max_age(session::SESSION_SECS).path("/");
/// The CSRF token, readable by the page's script.
pub const CSRF: SetCookieBuilder<'static> =
    SetCookieBuilder::new("csrftoken", "").max_age(session::CSRF_SECS).path("/");
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
    fn every_cookie_the_app_writes_is_declared() {
        for cookie in [SESSION, CSRF, LANGUAGE, CONSENT, STATS] {
            let mut buf = [0u8; 128];
            let n = cookie.value("v").encode(&mut buf).unwrap();
            let name = buf[..n].split(|&b| b == b'=').next().unwrap();
            assert!(POLICY.classify(name).is_some(), "{}", String::from_utf8_lossy(name));
        }
    }
}
