//! One rule of a cookie policy and the dimensions it is classified by.

use core::fmt;

use super::error::LoadErrorKind;
use super::transport::Transports;
use crate::set_cookie::{
    Prefix, SameSite, ValueError, check_domain, check_path, is_token_name, same_site_allowed,
};

/// What a cookie is for. Consent is given per category; see [`Rule::requirement`]
/// for which categories need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Category {
    /// Strictly necessary for the service the visitor asked for (session, CSRF
    /// token, load balancing, the consent cookie itself). Never needs consent.
    Necessary,
    /// Functionality: remembers the visitor's choices (language, layout).
    Preferences,
    /// Audience measurement. Consent-exempt only when first-party and anonymised
    /// ([`Rule::anonymised`]).
    Statistics,
    /// First-party tracking or advertising, and advertising networks.
    Marketing,
}

texts! {
    /// The keyword of the policy text and of `inspect`, e.g. `"statistics"`.
    Category: display {
        Self::Necessary => "necessary",
        Self::Preferences => "preferences",
        Self::Statistics => "statistics",
        Self::Marketing => "marketing",
    }
}

impl Category {
    /// Every category, in the order of the consent cookie.
    pub const ALL: [Category; 4] =
        [Self::Necessary, Self::Preferences, Self::Statistics, Self::Marketing];
}

/// Who sets the cookie: the site itself or another one embedded in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Party {
    /// Stored by the site visited ("internal" cookies).
    #[default]
    First,
    /// Stored by or for another site (often an advertising network).
    Third,
}

/// Whether a cookie may be read or set without the visitor's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Requirement {
    /// Allowed whatever the visitor chose.
    Exempt,
    /// Allowed only once the visitor has granted the rule's category.
    Required,
}

texts! {
    /// `"exempt"` or `"required"`.
    Requirement: display {
        Self::Exempt => "exempt",
        Self::Required => "required",
    }
}

/// Where a cookie is used: the public site (front office), the administration
/// interface (back office), or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Location {
    /// Not stated by the policy.
    #[default]
    Unspecified,
    /// The public site.
    Front,
    /// The administration interface.
    Back,
    /// Both.
    Both,
}

texts! {
    /// The keyword of the policy text: `""`, `"front"`, `"back"` or `"front+back"`.
    Location {
        Self::Unspecified => "",
        Self::Front => "front",
        Self::Back => "back",
        Self::Both => "front+back",
    }
}

/// The attributes a cookie of a rule must carry when it is set. `None` and `false`
/// mean "no requirement".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequiredAttributes<'a> {
    /// `Secure` is required.
    pub secure: bool,
    /// `HttpOnly` is required.
    pub http_only: bool,
    /// This `SameSite` value is required.
    pub same_site: Option<SameSite>,
    /// The longest lifetime allowed, in seconds (`Max-Age`, or `Expires` from now).
    /// At least 1: a lifetime of 0 would delete every cookie of the rule as it is
    /// set, so a table refuses it.
    pub max_age: Option<u32>,
    /// The `Path` the cookie is set with; starts with `/`, holds only bytes a
    /// built `Path` may (no space, `;` or control byte), and is at most
    /// [`MAX_ATTRIBUTE_VALUE_LEN`](crate::set_cookie::MAX_ATTRIBUTE_VALUE_LEN) bytes long.
    pub path: Option<&'a str>,
    /// The `Domain` the cookie is set with (letters, digits, `-` and `.`, at most
    /// [`MAX_ATTRIBUTE_VALUE_LEN`](crate::set_cookie::MAX_ATTRIBUTE_VALUE_LEN) bytes after one leading `.`); absent means
    /// host-only.
    pub domain: Option<&'a str>,
}

impl RequiredAttributes<'_> {
    /// No requirement at all.
    pub const NONE: RequiredAttributes<'static> = RequiredAttributes {
        secure: false,
        http_only: false,
        same_site: None,
        max_age: None,
        path: None,
        domain: None,
    };

    /// The attribute checks of the `Set-Cookie` builder, so that every cookie a
    /// rule hardens can be written.
    const fn check(&self) -> Result<(), LoadErrorKind> {
        if !same_site_allowed(self.same_site, self.secure) || matches!(self.max_age, Some(0)) {
            return Err(LoadErrorKind::InvalidAttribute);
        }
        if let Some(path) = self.path {
            if let Err(e) = check_path(path.as_bytes()) {
                return Err(attribute_error(e));
            }
        }
        if let Some(domain) = self.domain {
            if let Err(e) = check_domain(domain.as_bytes()) {
                return Err(attribute_error(e));
            }
        }
        Ok(())
    }
}

const fn attribute_error(e: ValueError) -> LoadErrorKind {
    match e {
        ValueError::Invalid => LoadErrorKind::InvalidAttribute,
        ValueError::TooLong => LoadErrorKind::AttributeTooLong,
    }
}

impl Default for RequiredAttributes<'_> {
    fn default() -> Self {
        RequiredAttributes::NONE
    }
}

/// What [`Enforcer::decide`](crate::enforce::Enforcer::decide) does with a cookie
/// that no rule declares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Undeclared {
    /// Deny it (the default): the policy lists every cookie the site may use.
    #[default]
    Block,
    /// Allow it, marked as undeclared so the application can log it.
    Report,
}

texts! {
    /// `"block"` or `"report"`, as in the policy text.
    Undeclared {
        Self::Block => "block",
        Self::Report => "report",
    }
}

/// The cookie names a rule covers.
///
/// Names match byte for byte and case-sensitively. A prefix matches every name
/// that starts with it, the prefix alone included: `_ga_*` covers `_ga_` and
/// `_ga_X1Y2`, not `_ga`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Pattern<'a> {
    /// Exactly this name.
    Exact(&'a str),
    /// Every name starting with this text; written `text*` in a policy text.
    Prefix(&'a str),
}

impl<'a> Pattern<'a> {
    /// The name, or the prefix without its `*`.
    pub const fn name(&self) -> &'a str {
        match *self {
            Self::Exact(name) | Self::Prefix(name) => name,
        }
    }

    /// True for a prefix pattern.
    pub const fn is_prefix(&self) -> bool {
        matches!(self, Self::Prefix(_))
    }

    /// Whether `name` is covered by this pattern.
    ///
    /// ```
    /// use embedded_cookie::policy::Pattern;
    ///
    /// assert!(Pattern::Prefix("_ga_").matches(b"_ga_X1Y2"));
    /// assert!(!Pattern::Prefix("_ga_").matches(b"_ga"));
    /// assert!(!Pattern::Exact("sid").matches("evil_sid"));
    /// ```
    pub fn matches<Name: AsRef<[u8]> + ?Sized>(&self, name: &Name) -> bool {
        let name = name.as_ref();
        match *self {
            Self::Exact(p) => p.as_bytes() == name,
            Self::Prefix(p) => name.starts_with(p.as_bytes()),
        }
    }
}

/// Shows the pattern as the policy text writes it: `sid`, `_ga_*`, and `"SCM*"`
/// for an exact name that ends in `*`.
impl fmt::Display for Pattern<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Exact(name) if name.ends_with('*') => write!(f, "\"{name}\""),
            Self::Exact(name) => f.write_str(name),
            Self::Prefix(name) => write!(f, "{name}*"),
        }
    }
}

/// One rule of a cookie policy: which cookies, who provides them, what for, and
/// what they may carry.
///
/// Build one in a `const` from [`Rule::new`] and struct update syntax:
///
/// ```
/// use embedded_cookie::policy::{RequiredAttributes, Category, Party, Pattern, Requirement, Rule};
///
/// const GA: Rule<'static> = Rule {
///     provider: "Google",
///     function: "Analytics",
///     party: Party::Third,
///     attributes: RequiredAttributes { max_age: Some(63_072_000), ..RequiredAttributes::NONE },
///     ..Rule::new(Pattern::Prefix("_ga_"), Category::Statistics)
/// };
/// assert_eq!(GA.requirement(), Requirement::Required);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Rule<'a> {
    /// The names covered.
    pub pattern: Pattern<'a>,
    /// The service provider's name.
    pub provider: &'a str,
    /// What the cookie does ("Authentication").
    pub function: &'a str,
    /// Front office, back office or both.
    pub location: Location,
    /// Why it is stored, as told to the visitor.
    pub purpose: &'a str,
    /// What it is for.
    pub category: Category,
    /// First- or third-party.
    pub party: Party,
    /// Statistics that cannot be traced back to a person. Only meaningful (and only
    /// accepted) for [`Category::Statistics`].
    pub anonymised: bool,
    /// Overrides the requirement that follows from category, party and
    /// anonymisation. A necessary cookie cannot be made consent-required.
    pub consent: Option<Requirement>,
    /// The attributes the cookie must carry when set.
    pub attributes: RequiredAttributes<'a>,
    /// The transports the cookie may be read and set on; `None` (the default)
    /// follows from the name and the attributes ([`Rule::transports`]).
    pub transport: Option<Transports>,
}

impl<'a> Rule<'a> {
    /// A first-party rule with empty texts, no override and no attribute requirement.
    pub const fn new(pattern: Pattern<'a>, category: Category) -> Self {
        Rule {
            pattern,
            provider: "",
            function: "",
            location: Location::Unspecified,
            purpose: "",
            category,
            party: Party::First,
            anonymised: false,
            consent: None,
            attributes: RequiredAttributes::NONE,
            transport: None,
        }
    }

    /// The transports cookies of this rule may be read and set on:
    /// [`Rule::transport`] if set, else HTTPS only for a rule that requires
    /// `Secure` or whose name starts with `__Secure-` or `__Host-` (a browser
    /// keeps such a cookie only from a secure origin), else any.
    ///
    /// Deciding it here, from the rule as it is, rather than in [`Rule::new`]
    /// keeps a `const` rule right when it sets `attributes` after `..Rule::new(..)`:
    ///
    /// ```
    /// use embedded_cookie::policy::{Category, Pattern, RequiredAttributes, Rule, Transports};
    ///
    /// const SESSION: Rule<'static> = Rule {
    ///     attributes: RequiredAttributes { secure: true, ..RequiredAttributes::NONE },
    ///     ..Rule::new(Pattern::Exact("sessionid_https"), Category::Necessary)
    /// };
    /// assert_eq!(SESSION.transports(), Transports::Tls);
    /// let lang = Rule::new(Pattern::Exact("lang"), Category::Preferences);
    /// assert_eq!(lang.transports(), Transports::Any);
    /// ```
    pub const fn transports(&self) -> Transports {
        match self.transport {
            Some(given) => given,
            None if self.attributes.secure || self.prefixed() => Transports::Tls,
            None => Transports::Any,
        }
    }

    /// Whether the rule's name starts with `__Secure-` or `__Host-`.
    const fn prefixed(&self) -> bool {
        Prefix::of(self.pattern.name().as_bytes()).is_some()
    }

    /// Whether cookies of this rule need consent:
    ///
    /// | category | first-party | third-party |
    /// | --- | --- | --- |
    /// | necessary | exempt | exempt |
    /// | statistics, anonymised | exempt | required |
    /// | statistics | required | required |
    /// | preferences | required | required |
    /// | marketing | required | required |
    ///
    /// [`Rule::consent`], when set, replaces the table's answer.
    pub const fn requirement(&self) -> Requirement {
        if let Some(given) = self.consent {
            return given;
        }
        match (self.category, self.party, self.anonymised) {
            (Category::Necessary, _, _) => Requirement::Exempt,
            (Category::Statistics, Party::First, true) => Requirement::Exempt,
            _ => Requirement::Required,
        }
    }

    /// The checks every rule passes before it enters a table, from text or `const`.
    pub(crate) const fn check(&self) -> Result<(), LoadErrorKind> {
        if !is_token_name(self.pattern.name().as_bytes()) {
            return Err(LoadErrorKind::InvalidName);
        }
        if self.anonymised && !matches!(self.category, Category::Statistics) {
            return Err(LoadErrorKind::InvalidFlag);
        }
        if matches!(self.category, Category::Necessary)
            && matches!(self.consent, Some(Requirement::Required))
        {
            return Err(LoadErrorKind::InvalidFlag);
        }
        if let Err(kind) = self.attributes.check() {
            return Err(kind);
        }
        self.check_transport()
    }

    /// A rule that needs HTTPS is only allowed on it: a browser takes a
    /// `__Secure-` or `__Host-` name, `Secure` or `SameSite=None` only from a
    /// secure origin, so over plain `http` it would drop the cookie.
    const fn check_transport(&self) -> Result<(), LoadErrorKind> {
        let transports = self.transports();
        let needs_tls = self.prefixed()
            || matches!(self.attributes.same_site, Some(SameSite::None))
            || (self.attributes.secure && matches!(transports, Transports::PlainHttp));
        if needs_tls && !matches!(transports, Transports::Tls) {
            return Err(LoadErrorKind::InvalidTransport);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_follows_category_party_and_anonymisation() {
        use Category::*;
        use Requirement::*;
        let cases = [
            (Necessary, Party::First, false, None, Exempt),
            (Necessary, Party::Third, false, None, Exempt),
            (Preferences, Party::First, false, None, Required),
            (Statistics, Party::First, true, None, Exempt),
            (Statistics, Party::Third, true, None, Required),
            (Statistics, Party::First, false, None, Required),
            (Marketing, Party::First, false, None, Required),
            (Preferences, Party::First, false, Some(Exempt), Exempt),
            (Statistics, Party::First, true, Some(Required), Required),
        ];
        for (category, party, anonymised, consent, want) in cases {
            let rule =
                Rule { party, anonymised, consent, ..Rule::new(Pattern::Exact("a"), category) };
            assert_eq!(rule.requirement(), want, "{rule:?}");
        }
    }

    #[test]
    fn check_refuses_what_cannot_be_enforced() {
        use LoadErrorKind::*;
        let base = Rule::new(Pattern::Exact("a"), Category::Statistics);
        let attrs = |a: RequiredAttributes<'static>| Rule { attributes: a, ..base };
        let cases = [
            (base, Ok(())),
            (Rule { pattern: Pattern::Exact(""), ..base }, Err(InvalidName)),
            (Rule { pattern: Pattern::Prefix("a b"), ..base }, Err(InvalidName)),
            (Rule { pattern: Pattern::Exact("a;b"), ..base }, Err(InvalidName)),
            (Rule { pattern: Pattern::Exact("caf\u{e9}"), ..base }, Err(InvalidName)),
            (Rule { anonymised: true, ..base }, Ok(())),
            (Rule { anonymised: true, category: Category::Marketing, ..base }, Err(InvalidFlag)),
            (
                Rule {
                    category: Category::Necessary,
                    consent: Some(Requirement::Required),
                    ..base
                },
                Err(InvalidFlag),
            ),
            (attrs(RequiredAttributes { path: Some("/app"), ..RequiredAttributes::NONE }), Ok(())),
            (attrs(RequiredAttributes { max_age: Some(1), ..RequiredAttributes::NONE }), Ok(())),
            (
                attrs(RequiredAttributes { max_age: Some(0), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes { path: Some("app"), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes { path: Some("/a;b"), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes { domain: Some(""), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes {
                    domain: Some("a.example."),
                    ..RequiredAttributes::NONE
                }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes {
                    domain: Some(".a.example"),
                    ..RequiredAttributes::NONE
                }),
                Ok(()),
            ),
            (
                attrs(RequiredAttributes { path: Some("/a b"), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes { domain: Some("a\r\nb"), ..RequiredAttributes::NONE }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes {
                    same_site: Some(SameSite::None),
                    ..RequiredAttributes::NONE
                }),
                Err(InvalidAttribute),
            ),
            (
                attrs(RequiredAttributes {
                    same_site: Some(SameSite::None),
                    secure: true,
                    ..RequiredAttributes::NONE
                }),
                Ok(()),
            ),
        ];
        for (rule, want) in cases {
            assert_eq!(rule.check(), want, "{rule:?}");
        }
    }

    /// Without `transport`, a rule needing `Secure` (its attributes or its name)
    /// is HTTPS-only, others any; a `transport` allowing plain `http` where a
    /// browser would drop the cookie is refused.
    #[test]
    fn transports_default_from_the_rule_and_are_checked() {
        use LoadErrorKind::InvalidTransport;
        use Transports::*;
        let secure = RequiredAttributes { secure: true, ..RequiredAttributes::NONE };
        let none = RequiredAttributes { same_site: Some(SameSite::None), ..secure };
        let rule = |name, attributes, transport| Rule {
            attributes,
            transport,
            ..Rule::new(Pattern::Exact(name), Category::Necessary)
        };
        let plain = RequiredAttributes::NONE;
        let cases = [
            (rule("a", plain, None), Any, Ok(())),
            (rule("a", secure, None), Tls, Ok(())),
            (rule("__Host-a", plain, None), Tls, Ok(())),
            (rule("__SECURE-a", plain, None), Tls, Ok(())),
            (rule("a", none, None), Tls, Ok(())),
            (rule("a", plain, Some(Tls)), Tls, Ok(())),
            (rule("a", plain, Some(PlainHttp)), PlainHttp, Ok(())),
            (rule("a", secure, Some(Any)), Any, Ok(())),
            (rule("a", secure, Some(PlainHttp)), PlainHttp, Err(InvalidTransport)),
            (rule("__Host-a", plain, Some(Any)), Any, Err(InvalidTransport)),
            (rule("__secure-a", plain, Some(PlainHttp)), PlainHttp, Err(InvalidTransport)),
            (rule("a", none, Some(Any)), Any, Err(InvalidTransport)),
        ];
        for (rule, transports, checked) in cases {
            assert_eq!((rule.transports(), rule.check()), (transports, checked), "{rule:?}");
        }
    }

    /// A `const` table written with `..Rule::new(..)` keeps the default its
    /// attributes give, and refuses a bad transport at compile time.
    #[test]
    fn const_tables_keep_the_transport_default() {
        use crate::policy::{LoadError, Policy};
        const SECURE: RequiredAttributes<'static> =
            RequiredAttributes { secure: true, ..RequiredAttributes::NONE };
        const HTTPS: Rule<'static> = Rule {
            attributes: SECURE,
            ..Rule::new(Pattern::Exact("sid_https"), Category::Necessary)
        };
        const HTTP: Rule<'static> = Rule {
            transport: Some(Transports::PlainHttp),
            ..Rule::new(Pattern::Exact("sid_http"), Category::Necessary)
        };
        const TABLE: Result<Policy<'static, 2>, LoadError> = Policy::from_rules(1, [HTTPS, HTTP]);
        let Ok(table) = TABLE else { panic!("{TABLE:?}") };
        let got = ["sid_https", "sid_http"].map(|n| table.classify(n).map(Rule::transports));
        assert_eq!(got, [Some(Transports::Tls), Some(Transports::PlainHttp)]);
        const BAD: Rule<'static> = Rule { attributes: SECURE, ..HTTP };
        let refused = Policy::<2>::from_rules(1, [HTTPS, BAD]).map(|_| ());
        assert_eq!(refused, Err(LoadError { kind: LoadErrorKind::InvalidTransport, line: 2 }));
    }

    #[test]
    fn attribute_values_a_builder_would_refuse_as_too_long_are_refused() {
        use crate::set_cookie::MAX_ATTRIBUTE_VALUE_LEN as MAX;
        let text = |head: &str, fill: usize| std::format!("{head}{}", "a".repeat(fill));
        let (path_ok, path_long) = (text("/", MAX - 1), text("/", MAX));
        let (domain_ok, domain_dot, domain_long, domain_dots) =
            (text("", MAX), text(".", MAX), text("", MAX + 1), text("..", MAX));
        fn path(p: &str) -> RequiredAttributes<'_> {
            RequiredAttributes { path: Some(p), ..RequiredAttributes::NONE }
        }
        fn domain(d: &str) -> RequiredAttributes<'_> {
            RequiredAttributes { domain: Some(d), ..RequiredAttributes::NONE }
        }
        let cases = [
            (path(&path_ok), Ok(())),
            (path(&path_long), Err(LoadErrorKind::AttributeTooLong)),
            (domain(&domain_ok), Ok(())),
            // The builder drops one leading `.` before it counts.
            (domain(&domain_dot), Ok(())),
            (domain(&domain_long), Err(LoadErrorKind::AttributeTooLong)),
            // A second leading `.` is refused before the length counts, as the
            // builder does.
            (domain(&domain_dots), Err(LoadErrorKind::InvalidAttribute)),
        ];
        for (attributes, want) in cases {
            let rule = Rule { attributes, ..Rule::new(Pattern::Exact("a"), Category::Necessary) };
            assert_eq!(rule.check(), want);
        }
    }

    #[test]
    fn patterns_display_as_written_in_a_policy() {
        let cases = [
            (Pattern::Exact("sid"), "sid"),
            (Pattern::Prefix("_ga_"), "_ga_*"),
            (Pattern::Exact("SCM*"), "\"SCM*\""),
        ];
        for (pattern, want) in cases {
            assert_eq!(std::format!("{pattern}"), want);
        }
    }
}
