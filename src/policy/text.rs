//! The policy text format: reading it into a table, line by line. The format is
//! documented in the [module docs](crate::policy#the-policy-text).

use super::rule::{Category, Location, Party, Pattern, RequiredAttributes, Requirement, Rule};
use super::table::{LoadError, LoadErrorKind, Policy, Undeclared};
use crate::set_cookie::SameSite;

/// Fields of a rule line, separated by `|`.
const FIELDS: usize = 7;

/// The values of the location field.
const LOCATIONS: [Location; 4] =
    [Location::Unspecified, Location::Front, Location::Back, Location::Both];

impl<'a, const N: usize> Policy<'a, N> {
    /// Reads a policy text, borrowing it. The first bad line fails the load.
    ///
    /// ```
    /// use embedded_cookie::policy::{Category, LoadError, LoadErrorKind, Policy};
    ///
    /// let text = "@revision 3\n\
    ///             sid | necessary | Acme | Login | front | Keeps you logged in | secure httponly\n\
    ///             _ga_* | statistics third-party | Google";
    /// let policy = Policy::<8>::load(text)?;
    /// assert_eq!(policy.revision(), 3);
    /// assert_eq!(policy.classify(b"_ga_1").unwrap().category, Category::Statistics);
    ///
    /// let err = Policy::<8>::load("sid | necessary\nsid | marketing").unwrap_err();
    /// assert_eq!(err, LoadError { kind: LoadErrorKind::DuplicateName, line: 2 });
    /// # Ok::<(), LoadError>(())
    /// ```
    pub fn load(text: &'a str) -> Result<Self, LoadError> {
        let mut policy = Self::new(0);
        policy.load_into(text)?;
        Ok(policy)
    }

    /// Reads a policy text into this table, in place, replacing what it held;
    /// the text must outlive the table. The one to use on a device: the table
    /// stays where it is (a `static`, a task's state), while [`load`](Self::load)
    /// returns it by value, through the stack (`size_of::<Policy<'_, 64>>()` is
    /// 5,904 bytes on `thumbv7em`, 10,264 on a 64-bit host).
    ///
    /// The first bad line fails the load and leaves the table empty (no rule,
    /// revision 0, undeclared cookies blocked): a half-read policy is never
    /// enforced.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use embedded_cookie::policy::{LoadErrorKind, Policy, Undeclared};
    ///
    /// // Built at compile time in a `static`: the table never passes through the
    /// // stack. On a device, `critical_section::Mutex<RefCell<…>>` takes the
    /// // place of `Mutex`, and the text lives in flash or in a `static` buffer.
    /// static POLICY: Mutex<Policy<'static, 64>> = Mutex::new(Policy::new(0));
    ///
    /// let mut policy = POLICY.lock().unwrap();
    /// policy.load_into("@revision 2\nsid | necessary\nlang | preferences")?;
    /// assert_eq!((policy.revision(), policy.len()), (2, 2));
    ///
    /// let err = policy.load_into("@revision 3\nsid | tasty").unwrap_err();
    /// assert_eq!(err.kind, LoadErrorKind::UnknownCategory);
    /// assert!(policy.is_empty() && policy.undeclared() == Undeclared::Block);
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub fn load_into(&mut self, text: &'a str) -> Result<(), LoadError> {
        self.clear();
        let mut loader = Loader::default();
        for (line, content) in lines(text) {
            if let Err(kind) = loader.line(self, content) {
                self.clear();
                return Err(LoadError { kind, line });
            }
        }
        Ok(())
    }

    /// Reads a policy text, keeping every good line and handing each bad one to
    /// `on_error`, in order. Nothing is dropped without a report.
    ///
    /// ```
    /// use embedded_cookie::policy::{LoadError, LoadErrorKind, Policy};
    ///
    /// let text = "a | necessary\nb c | necessary\nd | tasty\ne | marketing";
    /// let mut errors = Vec::new();
    /// let policy = Policy::<8>::load_reporting(text, |e| errors.push(e));
    /// assert_eq!(policy.len(), 2);
    /// assert_eq!(errors, [
    ///     LoadError { kind: LoadErrorKind::InvalidName, line: 2 },
    ///     LoadError { kind: LoadErrorKind::UnknownCategory, line: 3 },
    /// ]);
    /// ```
    pub fn load_reporting(text: &'a str, on_error: impl FnMut(LoadError)) -> Self {
        let mut policy = Self::new(0);
        policy.load_reporting_into(text, on_error);
        policy
    }

    /// [`load_reporting`](Self::load_reporting) in place, replacing what the table
    /// held, as [`load_into`](Self::load_into) does.
    pub fn load_reporting_into(&mut self, text: &'a str, mut on_error: impl FnMut(LoadError)) {
        self.clear();
        let mut loader = Loader::default();
        for (line, content) in lines(text) {
            if let Err(kind) = loader.line(self, content) {
                on_error(LoadError { kind, line });
            }
        }
    }
}

/// The lines of `text`, numbered from 1, without a trailing CR.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).enumerate().map(|(i, l)| (i + 1, l))
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', '\t']).filter(|w| !w.is_empty())
}

/// What the directives seen so far have set, so that a second one is an error.
#[derive(Default)]
struct Loader {
    revision: bool,
    undeclared: bool,
}

impl Loader {
    fn line<'a, const N: usize>(
        &mut self,
        policy: &mut Policy<'a, N>,
        line: &'a str,
    ) -> Result<(), LoadErrorKind> {
        let line = trim(line);
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        if let Some(directive) = line.strip_prefix('@') {
            return self.directive(policy, directive);
        }
        policy.insert(rule(line)?)
    }

    fn directive<const N: usize>(
        &mut self,
        policy: &mut Policy<'_, N>,
        text: &str,
    ) -> Result<(), LoadErrorKind> {
        let mut words = words(text);
        let name = words.next().unwrap_or_default();
        let revision = name.eq_ignore_ascii_case("revision");
        if !revision && !name.eq_ignore_ascii_case("undeclared") {
            return Err(LoadErrorKind::UnknownDirective);
        }
        let (Some(value), None) = (words.next(), words.next()) else {
            return Err(LoadErrorKind::InvalidDirective);
        };
        let bad = LoadErrorKind::InvalidDirective;
        if revision && !self.revision {
            policy.set_revision(number(value).ok_or(bad)?);
            self.revision = true;
        } else if !revision && !self.undeclared {
            let all = [Undeclared::Block, Undeclared::Report];
            policy.set_undeclared(keyword(&all, Undeclared::as_str, value).ok_or(bad)?);
            self.undeclared = true;
        } else {
            return Err(bad);
        }
        Ok(())
    }
}

/// A rule line: `name | category flags | provider | function | location | purpose | attributes`.
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
        attributes: self::attributes(attributes)?,
        ..Rule::new(pattern, Category::Necessary)
    };
    flags(&mut rule, category)?;
    Ok(rule)
}

/// `"name"` is exact whatever it ends with; `name*` is a prefix; else exact.
fn pattern(name: &str) -> Pattern<'_> {
    if let Some(quoted) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Pattern::Exact(quoted)
    } else if let Some(prefix) = name.strip_suffix('*') {
        Pattern::Prefix(prefix)
    } else {
        Pattern::Exact(name)
    }
}

/// `category [anonymised] [first-party|third-party] [consent=exempt|required]`.
fn flags(rule: &mut Rule<'_>, field: &str) -> Result<(), LoadErrorKind> {
    let mut words = words(field);
    let first = words.next().ok_or(LoadErrorKind::MissingField)?;
    rule.category =
        keyword(&Category::ALL, Category::as_str, first).ok_or(LoadErrorKind::UnknownCategory)?;
    let (mut anonymised, mut party, mut consent) = (false, false, false);
    for word in words {
        let word_is = |w: &str| word.eq_ignore_ascii_case(w);
        let seen = if word_is("anonymised") || word_is("anonymized") {
            rule.anonymised = true;
            &mut anonymised
        } else if word_is("first-party") || word_is("third-party") {
            rule.party = if word_is("first-party") { Party::First } else { Party::Third };
            &mut party
        } else if word_is("consent=exempt") || word_is("consent=required") {
            let exempt = word_is("consent=exempt");
            rule.consent = Some(if exempt { Requirement::Exempt } else { Requirement::Required });
            &mut consent
        } else {
            return Err(LoadErrorKind::InvalidFlag);
        };
        if core::mem::replace(seen, true) {
            return Err(LoadErrorKind::InvalidFlag);
        }
    }
    Ok(())
}

/// `secure httponly samesite=… max-age=… path=… domain=…`, each at most once.
fn attributes(field: &str) -> Result<RequiredAttributes<'_>, LoadErrorKind> {
    let mut attrs = RequiredAttributes::NONE;
    let mut seen = [false; 6];
    for word in words(field) {
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        let lower = |w: &str| name.eq_ignore_ascii_case(w);
        let slot = if lower("secure") && !word.contains('=') {
            attrs.secure = true;
            0
        } else if lower("httponly") && !word.contains('=') {
            attrs.http_only = true;
            1
        } else if lower("samesite") {
            let same_site = SameSite::from_value(value.as_bytes());
            attrs.same_site = Some(same_site.ok_or(LoadErrorKind::InvalidAttribute)?);
            2
        } else if lower("max-age") {
            attrs.max_age = Some(lifetime(value).ok_or(LoadErrorKind::InvalidAttribute)?);
            3
        } else if lower("path") && !value.is_empty() {
            attrs.path = Some(value);
            4
        } else if lower("domain") && !value.is_empty() {
            attrs.domain = Some(value);
            5
        } else {
            return Err(LoadErrorKind::InvalidAttribute);
        };
        if seen.get_mut(slot).is_some_and(|s| core::mem::replace(s, true)) {
            return Err(LoadErrorKind::InvalidAttribute);
        }
    }
    Ok(attrs)
}

/// Seconds, as digits with an optional unit: `s`, `h`, `d`, `w` or `y` (365 days).
fn lifetime(value: &str) -> Option<u32> {
    let digits = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let (_, unit) = keyword(&UNITS, |(name, _)| name, value.get(digits.len()..)?)?;
    number(digits)?.checked_mul(unit)
}

/// The units of a lifetime, in seconds.
const UNITS: [(&str, u32); 6] =
    [("", 1), ("s", 1), ("h", 3600), ("d", 86_400), ("w", 604_800), ("y", 31_536_000)];

/// The item of `all` whose keyword is `word`, compared ASCII case-insensitively
/// as every keyword of the text is.
fn keyword<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, word: &str) -> Option<T> {
    all.iter().copied().find(|&item| name(item).eq_ignore_ascii_case(word))
}

/// A decimal `u32`: digits only, no sign.
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
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
