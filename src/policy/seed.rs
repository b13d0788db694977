//! The cookie policy of the seed site (`shared/seed/cookie-policy.txt`), as a
//! ready table.

use super::rule::{Attributes, Category, Location, Pattern, Requirement, Rule};
use super::table::Policy;
use crate::set_cookie::SameSite;

/// The cookies `https://me1.opendatasoft.com` declares, with provider, function,
/// location and purpose as its policy writes them (its "front et back office" read
/// as front and back office), at revision 1.
///
/// The seed lists all four among the cookies that need no consent. Three are
/// necessary; `django_language` is a preference cookie whose exemption the seed
/// states, so its rule overrides the requirement (`consent=exempt`). The seed names
/// no attributes: the rules require Django's defaults (`SameSite=Lax`, `HttpOnly`
/// on the session, two weeks for the session, 52 weeks for the CSRF token), plus
/// `Secure` and `Path=/` for an HTTPS site, one year for the language and 26 weeks
/// for the consent choice.
///
/// ```
/// use embedded_cookie::policy::{Category, Requirement, SEED};
///
/// let lang = SEED.classify(b"django_language").unwrap();
/// assert_eq!((lang.provider, lang.function), ("Opendatasoft", "Language selection"));
/// assert_eq!(lang.category, Category::Preferences);
/// assert_eq!(lang.requirement(), Requirement::Exempt);
/// assert_eq!(SEED.revision(), 1);
/// ```
// Evaluated at compile time: a bad rule here fails the build, it cannot panic at
// run time.
#[allow(clippy::panic)]
pub const SEED: Policy<'static, 4> = match Policy::from_rules(
    1,
    [
        Rule {
            provider: "Opendatasoft",
            function: "Authentication",
            location: Location::Both,
            purpose: "To remember the user from one page to another",
            attributes: Attributes { http_only: true, max_age: Some(1_209_600), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("sessionid"), Category::Necessary)
        },
        Rule {
            provider: "Opendatasoft",
            function: "Language selection",
            location: Location::Both,
            purpose: "To remember the visitor's language",
            consent: Some(Requirement::Exempt),
            attributes: Attributes { max_age: Some(31_536_000), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("django_language"), Category::Preferences)
        },
        Rule {
            provider: "Opendatasoft",
            function: "API (CSRF)",
            location: Location::Both,
            purpose: "To retrieve data via API calls",
            attributes: Attributes { max_age: Some(31_449_600), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("csrftoken"), Category::Necessary)
        },
        Rule {
            provider: "Opendatasoft",
            function: "Choices related to your cookie preferences",
            purpose: "To remember the visitor's cookie preferences",
            attributes: Attributes { max_age: Some(15_724_800), ..LAX_SECURE_ROOT },
            ..Rule::new(Pattern::Exact("cookies_preferences"), Category::Necessary)
        },
    ],
) {
    Ok(policy) => policy,
    Err(_) => panic!("the seed policy is invalid"),
};

const LAX_SECURE_ROOT: Attributes<'static> = Attributes {
    secure: true,
    same_site: Some(SameSite::Lax),
    path: Some("/"),
    ..Attributes::NONE
};

/// [`SEED`] as a policy text, for loading at run time and as an example of the
/// format.
///
/// ```
/// use embedded_cookie::policy::{Policy, SEED, SEED_TEXT};
///
/// assert_eq!(Policy::<4>::load(SEED_TEXT)?, SEED);
/// # Ok::<(), embedded_cookie::policy::LoadError>(())
/// ```
pub const SEED_TEXT: &str = "\
# Cookies policy of https://me1.opendatasoft.com
@revision 1
@undeclared block
# name              | category                   | provider     | function                                   | location   | purpose                                         | attributes
sessionid           | necessary                  | Opendatasoft | Authentication                             | front+back | To remember the user from one page to another   | secure httponly samesite=lax max-age=2w path=/
django_language     | preferences consent=exempt | Opendatasoft | Language selection                         | front+back | To remember the visitor's language              | secure samesite=lax max-age=1y path=/
csrftoken           | necessary                  | Opendatasoft | API (CSRF)                                 | front+back | To retrieve data via API calls                  | secure samesite=lax max-age=52w path=/
cookies_preferences | necessary                  | Opendatasoft | Choices related to your cookie preferences |            | To remember the visitor's cookie preferences    | secure samesite=lax max-age=26w path=/
";
