//! The policy text format, one line at a time: the format is documented in the
//! [module docs](crate::policy#the-policy-text), and
//! [`Policy::load`](crate::policy::Policy::load) puts the lines into a table.
//!
//! Every function here is a `const fn`, so that one reader serves both a text read
//! at run time and one compiled into a `const` table ([`compile_policy!`](crate::compile_policy!)):
//! the crate's other parsers use nom, whose combinators cannot run in a `const`.
//! The reader cuts the text only next to an ASCII byte (`|`, SP, HTAB, LF, CR, `"`,
//! `*`, `=` or the byte after a keyword), which is always a `char` boundary, with
//! `str::split_at_checked`; it never indexes and never panics.

use super::error::LoadErrorKind;
use super::rule::{
    Category, Location, Party, Pattern, RequiredAttributes, Requirement, Rule, Undeclared,
};
use super::transport::Transports;
use crate::octets::eq_ignore_case;
use crate::set_cookie::SameSite;

/// The values of the location field.
const LOCATIONS: [Location; 4] =
    [Location::Unspecified, Location::Front, Location::Back, Location::Both];

/// The blanks around lines, fields and words.
const WSP: &[u8] = b" \t";

/// The item of the array `$all` whose `as_str()` is the text `$word`, compared ASCII
/// case-insensitively as every keyword of the text is. A macro: a `const fn` can
/// neither be generic over `as_str` nor call a function pointer.
macro_rules! keyword {
    ($all:expr, $word:expr) => {{
        let (mut all, word): (&[_], &[u8]) = (&$all, $word.as_bytes());
        let mut found = None;
        while let [item, rest @ ..] = all {
            if eq_ignore_case(item.as_str().as_bytes(), word) {
                found = Some(*item);
                break;
            }
            all = rest;
        }
        found
    }};
}

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

/// The pieces of a text between one separator byte, as `str::split` gives them
/// (an empty text is one empty piece), read by a `const fn`.
struct Split<'a> {
    /// The text after the pieces read; `None` once the last one is read.
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Split<'a> {
    const fn new(text: &'a str, separator: u8) -> Self {
        Split { rest: Some(text), separator }
    }

    /// The next piece, `None` after the last.
    const fn next_piece(&mut self) -> Option<&'a str> {
        let Some(text) = self.rest else { return None };
        match find(text.as_bytes(), &[self.separator]) {
            Some(at) => {
                self.rest = Some(cut(text, at + 1, text.len()));
                Some(cut(text, 0, at))
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }

    /// The next piece without its blanks, `""` past the last one.
    const fn next_field(&mut self) -> &'a str {
        match self.next_piece() {
            Some(piece) => trim(piece),
            None => "",
        }
    }
}

/// The lines of a text, numbered from 1, each without its LF and a trailing CR.
pub(super) struct Lines<'a> {
    split: Split<'a>,
    number: usize,
}

impl<'a> Lines<'a> {
    pub(super) const fn new(text: &'a str) -> Self {
        Lines { split: Split::new(text, b'\n'), number: 0 }
    }

    /// The next line and its number, `None` after the last.
    pub(super) const fn next_line(&mut self) -> Option<(usize, &'a str)> {
        let Some(line) = self.split.next_piece() else { return None };
        self.number += 1;
        let line = match line.as_bytes() {
            [.., b'\r'] => cut(line, 0, line.len() - 1),
            _ => line,
        };
        Some((self.number, line))
    }
}

/// `line = *WSP ( "" / "#" text / "@" directive / rule ) *WSP`.
pub(super) const fn item(line: &str) -> Result<Item<'_>, LoadErrorKind> {
    let line = trim(line);
    match line.as_bytes() {
        [] | [b'#', ..] => Ok(Item::Blank),
        [b'@', ..] => directive(cut(line, 1, line.len())),
        _ => match rule(line) {
            Ok(rule) => Ok(Item::Rule(rule)),
            Err(kind) => Err(kind),
        },
    }
}

/// `directive = ( "revision" 1*WSP number ) / ( "undeclared" 1*WSP ( "block" / "report" ) )`,
/// keywords in any case.
const fn directive(text: &str) -> Result<Item<'_>, LoadErrorKind> {
    let Some((name, value)) = word(text) else { return Err(LoadErrorKind::UnknownDirective) };
    // The line is trimmed: `value` is empty or starts with the `1*WSP`.
    let value = trim_start(value);
    let item = if is(name, "revision") {
        match number(value) {
            Some(n) => Some(Item::Revision(n)),
            None => None,
        }
    } else if is(name, "undeclared") {
        match keyword!([Undeclared::Block, Undeclared::Report], value) {
            Some(action) => Some(Item::Undeclared(action)),
            None => None,
        }
    } else {
        return Err(LoadErrorKind::UnknownDirective);
    };
    match item {
        Some(item) => Ok(item),
        None => Err(LoadErrorKind::InvalidDirective),
    }
}

/// `rule = name "|" category [ "|" provider [ "|" function [ "|" location
/// [ "|" purpose [ "|" attributes ]]]]]`.
const fn rule(line: &str) -> Result<Rule<'_>, LoadErrorKind> {
    let mut fields = Split::new(line, b'|');
    let name = fields.next_field();
    let category = fields.next_field();
    let provider = fields.next_field();
    let function = fields.next_field();
    let location = fields.next_field();
    let purpose = fields.next_field();
    let attributes = fields.next_field();
    if fields.next_piece().is_some() {
        return Err(LoadErrorKind::TooManyFields);
    }
    let pattern = pattern(name);
    // The name is checked first: it is what a reader of the error looks for.
    if let Err(kind) = Rule::new(pattern, Category::Necessary).check() {
        return Err(kind);
    }
    if category.is_empty() {
        return Err(LoadErrorKind::MissingField);
    }
    let Some(location) = keyword!(LOCATIONS, location) else {
        return Err(LoadErrorKind::InvalidLocation);
    };
    let (attributes, transport) = match self::attributes(attributes) {
        Ok(read) => read,
        Err(kind) => return Err(kind),
    };
    let mut rule = Rule {
        provider,
        function,
        purpose,
        location,
        attributes,
        transport,
        ..Rule::new(pattern, Category::Necessary)
    };
    match flags(&mut rule, category) {
        Ok(()) => Ok(rule),
        Err(kind) => Err(kind),
    }
}

/// `name = DQUOTE text DQUOTE / text "*" / text`: quoted is exact whatever it
/// ends with; a trailing `*` makes a prefix; else exact.
const fn pattern(name: &str) -> Pattern<'_> {
    match name.as_bytes() {
        [b'"', .., b'"'] => Pattern::Exact(cut(name, 1, name.len() - 1)),
        [.., b'*'] => Pattern::Prefix(cut(name, 0, name.len() - 1)),
        _ => Pattern::Exact(name),
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
const fn flag(word: &str) -> Option<Flag> {
    if is(word, "anonymised") || is(word, "anonymized") {
        Some(Flag::Anonymised)
    } else if is(word, "first-party") {
        Some(Flag::Party(Party::First))
    } else if is(word, "third-party") {
        Some(Flag::Party(Party::Third))
    } else if let Some(value) = after(word, "consent=") {
        match keyword!([Requirement::Exempt, Requirement::Required], value) {
            Some(consent) => Some(Flag::Consent(consent)),
            None => None,
        }
    } else {
        None
    }
}

/// `category *( 1*WSP flag )`, each kind of flag at most once.
const fn flags(rule: &mut Rule<'_>, field: &str) -> Result<(), LoadErrorKind> {
    let Some((first, mut rest)) = word(field) else { return Err(LoadErrorKind::MissingField) };
    rule.category = match keyword!(Category::ALL, first) {
        Some(category) => category,
        None => return Err(LoadErrorKind::UnknownCategory),
    };
    let mut seen = Seen::NONE;
    while let Some((word, more)) = self::word(rest) {
        rest = more;
        let kind = match flag(word) {
            Some(Flag::Anonymised) => {
                rule.anonymised = true;
                0
            }
            Some(Flag::Party(party)) => {
                rule.party = party;
                1
            }
            Some(Flag::Consent(consent)) => {
                rule.consent = Some(consent);
                2
            }
            None => return Err(LoadErrorKind::InvalidFlag),
        };
        if !seen.first(kind) {
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
const fn attribute(word: &str) -> Option<Attribute<'_>> {
    if is(word, "secure") {
        Some(Attribute::Secure)
    } else if is(word, "httponly") {
        Some(Attribute::HttpOnly)
    } else if let Some(value) = after(word, "samesite=") {
        match SameSite::from_value(value.as_bytes()) {
            Some(same_site) => Some(Attribute::SameSite(same_site)),
            None => None,
        }
    } else if let Some(value) = after(word, "max-age=") {
        match lifetime(value) {
            Some(secs) => Some(Attribute::MaxAge(secs)),
            None => None,
        }
    } else if let Some(value) = after(word, "path=") {
        if value.is_empty() { None } else { Some(Attribute::Path(value)) }
    } else if let Some(value) = after(word, "domain=") {
        if value.is_empty() { None } else { Some(Attribute::Domain(value)) }
    } else if let Some(value) = after(word, "transport=") {
        match keyword!(Transports::ALL, value) {
            Some(transports) => Some(Attribute::Transport(transports)),
            None => None,
        }
    } else {
        None
    }
}

/// `attributes = *( 1*WSP attribute )`, each at most once: the attributes a
/// cookie is set with, and the transports it may use.
const fn attributes(
    field: &str,
) -> Result<(RequiredAttributes<'_>, Option<Transports>), LoadErrorKind> {
    let mut attrs = RequiredAttributes::NONE;
    let mut transport = None;
    let (mut seen, mut rest) = (Seen::NONE, field);
    while let Some((word, more)) = self::word(rest) {
        rest = more;
        let kind = match attribute(word) {
            Some(Attribute::Secure) => {
                attrs.secure = true;
                0
            }
            Some(Attribute::HttpOnly) => {
                attrs.http_only = true;
                1
            }
            Some(Attribute::SameSite(same_site)) => {
                attrs.same_site = Some(same_site);
                2
            }
            Some(Attribute::MaxAge(secs)) => {
                attrs.max_age = Some(secs);
                3
            }
            Some(Attribute::Path(path)) => {
                attrs.path = Some(path);
                4
            }
            Some(Attribute::Domain(domain)) => {
                attrs.domain = Some(domain);
                5
            }
            Some(Attribute::Transport(transports)) => {
                transport = Some(transports);
                6
            }
            None => return Err(LoadErrorKind::InvalidAttribute),
        };
        if !seen.first(kind) {
            return Err(LoadErrorKind::InvalidAttribute);
        }
    }
    Ok((attrs, transport))
}

/// The kinds of flag or attribute a field has given, one bit each.
struct Seen(u8);

impl Seen {
    const NONE: Seen = Seen(0);

    /// Records `kind` (below 8); false when it was given before.
    const fn first(&mut self, kind: u32) -> bool {
        let bit = 1u8 << (kind % 8);
        let first = self.0 & bit == 0;
        self.0 |= bit;
        first
    }
}

/// `lifetime = number [ "s" / "h" / "d" / "w" / "y" ]`, in seconds (a year is 365
/// days), units in any case.
const fn lifetime(text: &str) -> Option<u32> {
    let (digits, unit) = match text.as_bytes() {
        [.., unit] if !unit.is_ascii_digit() => (cut(text, 0, text.len() - 1), *unit),
        _ => (text, b's'),
    };
    let secs = match unit.to_ascii_lowercase() {
        b's' => 1,
        b'h' => 3600,
        b'd' => 86_400,
        b'w' => 604_800,
        b'y' => 31_536_000,
        _ => return None,
    };
    match number(digits) {
        Some(n) => n.checked_mul(secs),
        None => None,
    }
}

/// `number = 1*DIGIT`, a decimal `u32`.
const fn number(text: &str) -> Option<u32> {
    let mut digits = text.as_bytes();
    if digits.is_empty() {
        return None;
    }
    let mut n: u32 = 0;
    while let [digit, rest @ ..] = digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        n = match n.checked_mul(10) {
            Some(tens) => match tens.checked_add((*digit - b'0') as u32) {
                Some(n) => n,
                None => return None,
            },
            None => return None,
        };
        digits = rest;
    }
    Some(n)
}

/// Whether `word` is the keyword `keyword`, in any case.
const fn is(word: &str, keyword: &str) -> bool {
    eq_ignore_case(word.as_bytes(), keyword.as_bytes())
}

/// What follows `key` (such as `"max-age="`, in any case) in `word`, if `word`
/// starts with it.
const fn after<'a>(word: &'a str, key: &str) -> Option<&'a str> {
    match word.split_at_checked(key.len()) {
        Some((head, value)) if is(head, key) => Some(value),
        _ => None,
    }
}

/// The first word of `text` and what follows it (from the blank after it), or
/// `None` when `text` holds only blanks.
const fn word(text: &str) -> Option<(&str, &str)> {
    let text = trim_start(text);
    if text.is_empty() {
        return None;
    }
    let end = match find(text.as_bytes(), WSP) {
        Some(end) => end,
        None => text.len(),
    };
    Some((cut(text, 0, end), cut(text, end, text.len())))
}

/// `text` without leading and trailing SP and HTAB.
const fn trim(text: &str) -> &str {
    let text = trim_start(text);
    let mut end = text.as_bytes();
    while let [rest @ .., last] = end {
        if !is_in(*last, WSP) {
            break;
        }
        end = rest;
    }
    cut(text, 0, end.len())
}

/// `text` without leading SP and HTAB.
const fn trim_start(text: &str) -> &str {
    let mut start = text.as_bytes();
    while let [first, rest @ ..] = start {
        if !is_in(*first, WSP) {
            break;
        }
        start = rest;
    }
    cut(text, text.len() - start.len(), text.len())
}

/// The position of the first byte of `bytes` that is one of `set`.
const fn find(bytes: &[u8], set: &[u8]) -> Option<usize> {
    let (mut rest, mut at) = (bytes, 0);
    while let [b, more @ ..] = rest {
        if is_in(*b, set) {
            return Some(at);
        }
        (rest, at) = (more, at + 1);
    }
    None
}

const fn is_in(b: u8, set: &[u8]) -> bool {
    let mut set = set;
    while let [first, rest @ ..] = set {
        if *first == b {
            return true;
        }
        set = rest;
    }
    false
}

/// `&text[start..end]` as a `const fn` writes it, `""` for a range outside `text`
/// or off a `char` boundary (which no caller asks for: each cuts next to an ASCII
/// byte).
const fn cut(text: &str, start: usize, end: usize) -> &str {
    match text.split_at_checked(end) {
        Some((head, _)) => match head.split_at_checked(start) {
            Some((_, part)) => part,
            None => "",
        },
        None => "",
    }
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

    /// The message a bad line stops a compile-time evaluation with names its line
    /// and fault (the build error of `compile_policy!`).
    #[test]
    fn a_compile_error_names_the_line_and_the_fault() {
        let cases = [
            ("a | necessary\n\n# c\nb | tasty", "cookie policy line 4: unknown category"),
            ("@revision x", "cookie policy line 1: invalid directive"),
        ];
        for (text, want) in cases {
            let err = Policy::<2>::load(text).unwrap_err();
            let panic = std::panic::catch_unwind(|| err.panic()).unwrap_err();
            assert_eq!(panic.downcast_ref::<std::string::String>().map(|s| s.as_str()), Some(want));
        }
        // The longest message: the longest fault on the last line there can be.
        let err = LoadError { kind: AttributeTooLong, line: usize::MAX };
        let panic = std::panic::catch_unwind(|| err.panic()).unwrap_err();
        let message = panic.downcast_ref::<std::string::String>().unwrap();
        assert_eq!(
            message,
            &std::format!("cookie policy line {}: attribute value over 1024 bytes", usize::MAX)
        );
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
