//! The policy text format, one line at a time, as nom parsers over `&str`: the
//! format is documented in the [module docs](crate::policy#the-policy-text), and
//! [`Policy::load`](crate::policy::Policy::load) puts the lines into a table.
//!
//! Every parser is a `complete` one with `()` as its error; a failure becomes the
//! [`LoadErrorKind`] of the field it was reading.

use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_till, take_while1};
use nom::character::complete::{digit1, one_of, space0, space1};
use nom::combinator::{all_consuming, map, map_opt, opt, rest, value};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::error::LoadErrorKind;
use super::rule::{
    Category, Location, Party, Pattern, RequiredAttributes, Requirement, Rule, Undeclared,
};
use super::transport::Transports;
use crate::set_cookie::SameSite;

type Res<'a, O> = IResult<&'a str, O, ()>;

/// Fields of a rule line, separated by `|`.
const FIELDS: usize = 7;

/// The values of the location field.
const LOCATIONS: [Location; 4] =
    [Location::Unspecified, Location::Front, Location::Back, Location::Both];

/// What one line of a policy text says.
#[derive(Debug, PartialEq)]
pub(super) enum Item<'a> {
    /// An empty line or a comment.
    Blank,
    /// `@revision N`.
    Revision(u32),
    /// `@undeclared block|report`.
    Undeclared(Undeclared),
    /// A rule line.
    Rule(Rule<'a>),
}

/// The lines of `text`, numbered from 1, without a trailing CR.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).enumerate().map(|(i, l)| (i + 1, l))
}

/// `line = *WSP ( "" / "#" text / "@" directive / rule ) *WSP`.
pub(super) fn item(line: &str) -> Result<Item<'_>, LoadErrorKind> {
    let line = trim(line);
    if line.is_empty() || line.starts_with('#') {
        Ok(Item::Blank)
    } else if let Some(directive) = line.strip_prefix('@') {
        self::directive(directive)
    } else {
        rule(line).map(Item::Rule)
    }
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', '\t']).filter(|w| !w.is_empty())
}

/// `directive = ( "revision" 1*WSP number ) / ( "undeclared" 1*WSP ( "block" / "report" ) )`,
/// keywords in any case.
fn directive(text: &str) -> Result<Item<'_>, LoadErrorKind> {
    let name: Res<'_, &str> = preceded(space0, take_till(is_wsp)).parse(text);
    let Ok((value_text, name)) = name else {
        return Err(LoadErrorKind::UnknownDirective);
    };
    let parsed: Res<'_, Item<'_>> = if name.eq_ignore_ascii_case("revision") {
        all_consuming(preceded(space1, map(number, Item::Revision))).parse(value_text)
    } else if name.eq_ignore_ascii_case("undeclared") {
        let action = alt((
            value(Undeclared::Block, tag_no_case("block")),
            value(Undeclared::Report, tag_no_case("report")),
        ));
        all_consuming(preceded(space1, map(action, Item::Undeclared))).parse(value_text)
    } else {
        return Err(LoadErrorKind::UnknownDirective);
    };
    parsed.map(|(_, item)| item).map_err(|_| LoadErrorKind::InvalidDirective)
}

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// `rule = name "|" category [ "|" provider [ "|" function [ "|" location
/// [ "|" purpose [ "|" attributes ]]]]]`.
fn rule(line: &str) -> Result<Rule<'_>, LoadErrorKind> {
    let mut fields = [""; FIELDS];
    for (i, field) in line.split('|').enumerate() {
        *fields.get_mut(i).ok_or(LoadErrorKind::TooManyFields)? = trim(field);
    }
    let [name, category, provider, function, location, purpose, attributes] = fields;
    let pattern = pattern(name);
    // The name is checked first: it is what a reader of the error looks for.
    Rule::new(pattern, Category::Necessary).check()?;
    if category.is_empty() {
        return Err(LoadErrorKind::MissingField);
    }
    let mut rule = Rule {
        provider,
        function,
        purpose,
        location: keyword(&LOCATIONS, Location::as_str, location)
            .ok_or(LoadErrorKind::InvalidLocation)?,
        ..Rule::new(pattern, Category::Necessary)
    };
    (rule.attributes, rule.transport) = self::attributes(attributes)?;
    flags(&mut rule, category)?;
    Ok(rule)
}

/// `name = DQUOTE text DQUOTE / text "*" / text`: quoted is exact whatever it
/// ends with; a trailing `*` makes a prefix; else exact.
fn pattern(name: &str) -> Pattern<'_> {
    if let Some(quoted) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Pattern::Exact(quoted)
    } else if let Some(prefix) = name.strip_suffix('*') {
        Pattern::Prefix(prefix)
    } else {
        Pattern::Exact(name)
    }
}

/// One word after the category.
#[derive(Clone, Copy)]
enum Flag {
    Anonymised,
    Party(Party),
    Consent(Requirement),
}

/// `flag = "anonymised" / "anonymized" / "first-party" / "third-party" /
/// "consent=" ( "exempt" / "required" )`.
fn flag(word: &str) -> Res<'_, Flag> {
    all_consuming(alt((
        value(Flag::Anonymised, alt((tag_no_case("anonymised"), tag_no_case("anonymized")))),
        value(Flag::Party(Party::First), tag_no_case("first-party")),
        value(Flag::Party(Party::Third), tag_no_case("third-party")),
        preceded(
            tag_no_case("consent="),
            alt((
                value(Flag::Consent(Requirement::Exempt), tag_no_case("exempt")),
                value(Flag::Consent(Requirement::Required), tag_no_case("required")),
            )),
        ),
    )))
    .parse(word)
}

/// `category *( 1*WSP flag )`, each kind of flag at most once.
fn flags(rule: &mut Rule<'_>, field: &str) -> Result<(), LoadErrorKind> {
    let mut words = words(field);
    let first = words.next().ok_or(LoadErrorKind::MissingField)?;
    rule.category =
        keyword(&Category::ALL, Category::as_str, first).ok_or(LoadErrorKind::UnknownCategory)?;
    let mut seen = [false; 3];
    for word in words {
        let (_, flag) = flag(word).map_err(|_| LoadErrorKind::InvalidFlag)?;
        let slot = match flag {
            Flag::Anonymised => {
                rule.anonymised = true;
                0
            }
            Flag::Party(party) => {
                rule.party = party;
                1
            }
            Flag::Consent(consent) => {
                rule.consent = Some(consent);
                2
            }
        };
        if seen.get_mut(slot).is_some_and(|s| core::mem::replace(s, true)) {
            return Err(LoadErrorKind::InvalidFlag);
        }
    }
    Ok(())
}

/// One word of the attributes field.
#[derive(Clone, Copy)]
enum Attribute<'a> {
    Secure,
    HttpOnly,
    SameSite(SameSite),
    MaxAge(u32),
    Path(&'a str),
    Domain(&'a str),
    Transport(Transports),
}

/// `attribute = "secure" / "httponly" / "samesite=" ( "strict" / "lax" / "none" )
/// / "max-age=" lifetime / "path=" 1*VCHAR / "domain=" 1*VCHAR
/// / "transport=" ( "tls" / "http" / "any" )`.
fn attribute(word: &str) -> Res<'_, Attribute<'_>> {
    let text = || take_while1(|_| true);
    all_consuming(alt((
        value(Attribute::Secure, tag_no_case("secure")),
        value(Attribute::HttpOnly, tag_no_case("httponly")),
        preceded(
            tag_no_case("samesite="),
            map_opt(rest, |v: &str| SameSite::from_value(v.as_bytes()).map(Attribute::SameSite)),
        ),
        preceded(tag_no_case("max-age="), map(lifetime, Attribute::MaxAge)),
        preceded(tag_no_case("path="), map(text(), Attribute::Path)),
        preceded(tag_no_case("domain="), map(text(), Attribute::Domain)),
        preceded(
            tag_no_case("transport="),
            map_opt(rest, |v| keyword(&Transports::ALL, Transports::as_str, v)),
        )
        .map(Attribute::Transport),
    )))
    .parse(word)
}

/// `attributes = *( 1*WSP attribute )`, each at most once: the attributes a
/// cookie is set with, and the transports it may use.
fn attributes(field: &str) -> Result<(RequiredAttributes<'_>, Option<Transports>), LoadErrorKind> {
    let mut attrs = RequiredAttributes::NONE;
    let mut transport = None;
    let mut seen = [false; 7];
    for word in words(field) {
        let (_, attribute) = attribute(word).map_err(|_| LoadErrorKind::InvalidAttribute)?;
        let slot = match attribute {
            Attribute::Secure => {
                attrs.secure = true;
                0
            }
            Attribute::HttpOnly => {
                attrs.http_only = true;
                1
            }
            Attribute::SameSite(same_site) => {
                attrs.same_site = Some(same_site);
                2
            }
            Attribute::MaxAge(secs) => {
                attrs.max_age = Some(secs);
                3
            }
            Attribute::Path(path) => {
                attrs.path = Some(path);
                4
            }
            Attribute::Domain(domain) => {
                attrs.domain = Some(domain);
                5
            }
            Attribute::Transport(transports) => {
                transport = Some(transports);
                6
            }
        };
        if seen.get_mut(slot).is_some_and(|s| core::mem::replace(s, true)) {
            return Err(LoadErrorKind::InvalidAttribute);
        }
    }
    Ok((attrs, transport))
}

/// `lifetime = number [ "s" / "h" / "d" / "w" / "y" ]`, in seconds (a year is 365
/// days), units in any case.
fn lifetime(input: &str) -> Res<'_, u32> {
    map_opt((number, opt(one_of("sSHhDdWwYy"))), |(n, unit)| {
        let secs = match unit.map(|u: char| u.to_ascii_lowercase()) {
            None | Some('s') => 1,
            Some('h') => 3600,
            Some('d') => 86_400,
            Some('w') => 604_800,
            _ => 31_536_000,
        };
        n.checked_mul(secs)
    })
    .parse(input)
}

/// `number = 1*DIGIT`, a decimal `u32`.
fn number(input: &str) -> Res<'_, u32> {
    map_opt(digit1, |digits: &str| digits.parse().ok()).parse(input)
}

/// The item of `all` whose keyword is `word`, compared ASCII case-insensitively
/// as every keyword of the text is.
fn keyword<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, word: &str) -> Option<T> {
    all.iter().copied().find(|&item| name(item).eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{LoadError, Policy};
    use LoadErrorKind::*;

    /// One `#[test]` per row: `name: line => Ok(check) | Err(kind)`.
    macro_rules! lines {
        ($($name:ident: $text:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let got = Policy::<4>::load($text).map_err(|e| e.kind);
                let want: Result<fn(&Policy<'_, 4>) -> bool, LoadErrorKind> = $want;
                match (got, want) {
                    (Ok(p), Ok(check)) => assert!(check(&p), "{p:?}"),
                    (Err(kind), Err(want)) => assert_eq!(kind, want),
                    (got, _) => panic!("got {got:?}"),
                }
            }
        )*};
    }

    lines! {
        blank_and_comments_skipped: "\n  \n# a comment\n  # indented | comment\r\n" => Ok(|p| p.is_empty());
        minimal_rule: "sid|necessary" => Ok(|p| p.rules()[0] == Rule::new(Pattern::Exact("sid"), Category::Necessary));
        all_fields: "sid | Necessary | Acme | Login | front+back | Keeps you in | Secure HttpOnly SameSite=Lax max-age=2w path=/ domain=example.com"
            => Ok(|p| p.rules()[0] == Rule {
                provider: "Acme",
                function: "Login",
                location: Location::Both,
                purpose: "Keeps you in",
                attributes: RequiredAttributes {
                    secure: true,
                    http_only: true,
                    same_site: Some(SameSite::Lax),
                    max_age: Some(1_209_600),
                    path: Some("/"),
                    domain: Some("example.com"),
                },
                ..Rule::new(Pattern::Exact("sid"), Category::Necessary)
            });
        crlf_lines: "a | necessary\r\nb | marketing\r\n" => Ok(|p| p.len() == 2 && p.rules()[1].pattern == Pattern::Exact("b"));
        prefix_name: "_ga_* | statistics" => Ok(|p| p.rules()[0].pattern == Pattern::Prefix("_ga_"));
        quoted_name_is_exact: "\"SCM*\" | marketing" => Ok(|p| p.rules()[0].pattern == Pattern::Exact("SCM*"));
        quoted_hash_name_is_a_rule: "\"#h\" | necessary" => Ok(|p| p.rules()[0].pattern == Pattern::Exact("#h"));
        empty_trailing_fields: "a | preferences | | | | |" => Ok(|p| p.rules()[0] == Rule::new(Pattern::Exact("a"), Category::Preferences));
        hash_inside_a_field: "a | marketing | Acme #1" => Ok(|p| p.rules()[0].provider == "Acme #1");
        flags_read: "a | statistics anonymised third-party consent=exempt" => Ok(|p| {
            let r = p.rules()[0];
            r.anonymised && r.party == Party::Third && r.consent == Some(Requirement::Exempt)
        });
        american_spelling: "a | statistics anonymized" => Ok(|p| p.rules()[0].anonymised);
        directives: "@revision 42\n@undeclared report" => Ok(|p| p.revision() == 42 && p.undeclared() == Undeclared::Report);
        lifetimes: "a|necessary||||| max-age=90\nb|necessary||||| max-age=1h\nc|necessary||||| max-age=1y"
            => Ok(|p| p.rules().iter().map(|r| r.attributes.max_age).eq([Some(90), Some(3600), Some(31_536_000)]));
        // Keywords are ASCII case-insensitive, every one of them.
        keywords_in_upper_case: "@REVISION 2\n@UNDECLARED REPORT\nA | NECESSARY | | | FRONT+BACK | | SECURE HTTPONLY SAMESITE=STRICT MAX-AGE=1H PATH=/\nb | STATISTICS ANONYMISED FIRST-PARTY CONSENT=REQUIRED"
            => Ok(|p| {
                let [a, b] = p.rules() else { return false };
                p.revision() == 2 && p.undeclared() == Undeclared::Report
                    && a.location == Location::Both && a.attributes.max_age == Some(3600)
                    && a.attributes.secure && a.attributes.http_only
                    && a.attributes.same_site == Some(SameSite::Strict) && a.attributes.path == Some("/")
                    && b.anonymised && b.consent == Some(Requirement::Required)
            });
        keywords_in_mixed_case: "@Undeclared Block\na | Preferences | | | Back | | Max-Age=2W" => Ok(|p| {
            let a = p.rules()[0];
            p.undeclared() == Undeclared::Block && a.location == Location::Back && a.attributes.max_age == Some(1_209_600)
        });
        lifetime_units_in_upper_case: "s|necessary||||| max-age=9S\nd|necessary||||| max-age=1D\ny|necessary||||| max-age=1Y"
            => Ok(|p| p.rules().iter().map(|r| r.attributes.max_age).eq([Some(86_400), Some(9), Some(31_536_000)]));
        names_keep_their_case: "SID | necessary" => Ok(|p| p.classify(b"SID").is_some() && p.classify(b"sid").is_none());
        no_category: "sid" => Err(MissingField);
        empty_category: "sid | " => Err(MissingField);
        eight_fields: "a|necessary|p|f|front|x|secure|extra" => Err(TooManyFields);
        empty_name: " | necessary" => Err(InvalidName);
        space_in_name: "a b | necessary" => Err(InvalidName);
        colon_in_name: "a0_users:sess | necessary" => Err(InvalidName);
        bare_star: "* | necessary" => Err(InvalidName);
        empty_quotes: "\"\" | necessary" => Err(InvalidName);
        soft_hyphen_in_name: "a\u{ad}b | necessary" => Err(InvalidName);
        unknown_category: "a | tasty" => Err(UnknownCategory);
        unknown_flag: "a | marketing sticky" => Err(InvalidFlag);
        repeated_flag: "a | marketing third-party first-party" => Err(InvalidFlag);
        anonymised_marketing: "a | marketing anonymised" => Err(InvalidFlag);
        required_necessary: "a | necessary consent=required" => Err(InvalidFlag);
        bad_location: "a | necessary | | | sideways" => Err(InvalidLocation);
        unknown_attribute: "a|necessary||||| partitioned" => Err(InvalidAttribute);
        repeated_attribute: "a|necessary||||| secure secure" => Err(InvalidAttribute);
        secure_with_value: "a|necessary||||| secure=1" => Err(InvalidAttribute);
        bad_samesite: "a|necessary||||| samesite=loose" => Err(InvalidAttribute);
        samesite_none_needs_secure: "a|necessary||||| samesite=none" => Err(InvalidAttribute);
        bad_lifetime_unit: "a|necessary||||| max-age=3m" => Err(InvalidAttribute);
        lifetime_overflow: "a|necessary||||| max-age=200y" => Err(InvalidAttribute);
        negative_lifetime: "a|necessary||||| max-age=-1" => Err(InvalidAttribute);
        zero_lifetime: "a|necessary||||| max-age=0" => Err(InvalidAttribute);
        zero_lifetime_with_unit: "a|necessary||||| max-age=0d" => Err(InvalidAttribute);
        relative_path: "a|necessary||||| path=app" => Err(InvalidAttribute);
        empty_domain: "a|necessary||||| domain=" => Err(InvalidAttribute);
        duplicate_name: "a | necessary\na | marketing" => Err(DuplicateName);
        capacity_exceeded: "a|necessary\nb|necessary\nc|necessary\nd|necessary\ne|necessary" => Err(CapacityExceeded);
        unknown_directive: "@version 1" => Err(UnknownDirective);
        revision_twice: "@revision 1\n@revision 2" => Err(InvalidDirective);
        revision_not_a_number: "@revision one" => Err(InvalidDirective);
        revision_missing: "@revision" => Err(InvalidDirective);
        revision_extra_word: "@revision 1 2" => Err(InvalidDirective);
        undeclared_unknown: "@undeclared ignore" => Err(InvalidDirective);
        // Transports: the keyword, its default, and what needs TLS.
        transport_keywords: "t|necessary||||| transport=tls\nh|necessary||||| HttpOnly Transport=HTTP\na|necessary||||| secure transport=Any\nd|necessary"
            => Ok(|p| p.rules().iter().map(|r| r.transport).eq([Some(Transports::Any), None, Some(Transports::PlainHttp), Some(Transports::Tls)]));
        transport_default_follows_secure: "s|necessary||||| secure\np|necessary||||| httponly\n__Host-h|necessary"
            => Ok(|p| p.rules().iter().map(|r| r.transports()).eq([Transports::Tls, Transports::Any, Transports::Tls]));
        transport_unknown: "a|necessary||||| transport=https" => Err(InvalidAttribute);
        transport_empty: "a|necessary||||| transport=" => Err(InvalidAttribute);
        transport_repeated: "a|necessary||||| transport=tls transport=tls" => Err(InvalidAttribute);
        secure_over_http: "a|necessary||||| secure transport=http" => Err(InvalidTransport);
        host_prefix_over_any: "__Host-a|necessary||||| secure path=/ transport=any" => Err(InvalidTransport);
        secure_prefix_over_http: "__secure-a*|necessary||||| transport=http" => Err(InvalidTransport);
        samesite_none_over_any: "a|necessary||||| secure samesite=none transport=any" => Err(InvalidTransport);
    }

    /// A transport error is a line's error like any other.
    #[test]
    fn transport_errors_name_their_line() {
        let text =
            "@revision 1\nsessionid_http | necessary | | | | | httponly secure transport=http";
        assert_eq!(Policy::<2>::load(text), Err(LoadError { kind: InvalidTransport, line: 2 }));
    }

    /// A rule whose `Path` or `Domain` no builder would write is refused at load
    /// time, not found out by every response.
    #[test]
    fn over_long_attribute_values_are_refused_at_load() {
        let long = "p".repeat(crate::set_cookie::MAX_ATTRIBUTE_VALUE_LEN);
        for attribute in [std::format!("path=/{long}"), std::format!("domain=x{long}")] {
            let text = std::format!("a|necessary||||| {attribute}");
            let err = Policy::<2>::load(&text).unwrap_err();
            assert_eq!(err, LoadError { kind: AttributeTooLong, line: 1 }, "{attribute:.12}");
        }
    }

    /// The loader refuses a `Domain` the `Set-Cookie` builder refuses, at its line,
    /// and accepts one the builder writes: both ask the one domain rule.
    #[test]
    fn domains_follow_the_builder() {
        use crate::set_cookie::{BuildError, SetCookieBuilder};
        let cases = [
            ("example.com", true),
            (".example.com", true),
            ("..example.com", false),
            (".", false),
            ("example.com.", false),
            ("ex_ample.com", false),
            ("EXAMPLE.com", true),
        ];
        for (domain, ok) in cases {
            let text =
                std::format!("@revision 1\nsid | necessary\na | necessary||||| domain={domain}");
            let loaded = Policy::<2>::load(&text).map(|_| ());
            let want = if ok { Ok(()) } else { Err(LoadError { kind: InvalidAttribute, line: 3 }) };
            assert_eq!(loaded, want, "{domain}");
            let built = SetCookieBuilder::new("a", "1").domain(domain).written_len().map(|_| ());
            assert_eq!(built, if ok { Ok(()) } else { Err(BuildError::InvalidDomain) }, "{domain}");
        }
    }

    /// Loading in place gives the table `load` would, whatever it held before;
    /// a failed load leaves it empty, never half-loaded.
    #[test]
    fn loading_in_place_replaces_the_table() {
        let (first, second) = ("@revision 1\n@undeclared report\na | necessary", "b* | marketing");
        let mut policy = Policy::<4>::new(9);
        for text in [first, second, first] {
            policy.load_into(text).unwrap();
            assert_eq!(policy, Policy::<4>::load(text).unwrap());
            assert_eq!(policy.classify("a").is_some(), text == first);
        }
        let err = policy.load_into("@revision 3\nc | necessary\nd | tasty").unwrap_err();
        assert_eq!(err, LoadError { kind: UnknownCategory, line: 3 });
        assert_eq!(policy, Policy::<1>::new(0));
        assert_eq!(policy.undeclared(), Undeclared::Block);
        let mut errors = std::vec::Vec::new();
        policy.load_into(first).unwrap();
        policy.load_reporting_into("c | necessary\nd | tasty", |e| errors.push(e));
        assert_eq!(errors, [LoadError { kind: UnknownCategory, line: 2 }]);
        assert_eq!(policy, Policy::<4>::load("c | necessary").unwrap());
    }

    #[test]
    fn exact_and_prefix_of_the_same_text_coexist() {
        let p = Policy::<4>::load("a* | marketing\na | necessary").unwrap();
        let kinds: std::vec::Vec<_> = p.rules().iter().map(|r| r.pattern.is_prefix()).collect();
        assert_eq!(kinds, [true, false]);
    }

    #[test]
    fn reporting_load_reports_every_bad_line_with_its_number() {
        let text = "# policy\n@revision 2\nok | necessary\nbad name | necessary\n\nok | marketing\n@nope\nz | x";
        let mut errors = std::vec::Vec::new();
        let policy = Policy::<4>::load_reporting(text, |e| errors.push(e));
        assert_eq!(policy.len(), 1);
        assert_eq!(policy.revision(), 2);
        let got: std::vec::Vec<_> = errors.iter().map(|e| (e.line, e.kind)).collect();
        assert_eq!(
            got,
            [(4, InvalidName), (6, DuplicateName), (7, UnknownDirective), (8, UnknownCategory)]
        );
        assert_eq!(Policy::<4>::load(text).unwrap_err(), LoadError { kind: InvalidName, line: 4 });
    }
}
