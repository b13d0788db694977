//! The fixed-capacity rule table and its lookup.
//!
//! Rules are kept sorted by name bytes (a prefix rule before an exact rule of the
//! same text) so that a lookup is one binary search. Beside each rule the table
//! keeps:
//!
//! - `keys[i]`: the first eight name bytes as a big-endian `u64`, zero-padded. The
//!   search compares these integers and reads the names only on a tie, so most
//!   steps of a search touch one small array;
//! - `up[i]`: the longest prefix rule other than `i` whose text starts the name of
//!   `i` (`NONE` if there is none).
//!
//! The longest prefix rule matching a name `n` is found from the last entry `p`
//! not after `n`: every prefix rule `q` matching `n` sorts between `q` and `n`, so
//! it also starts the name of `p` and is no longer than their common prefix. The
//! `up` chain from `p` lists exactly the prefix rules starting `p`'s name, longest
//! first, so the answer is its first link no longer than that common prefix. The
//! chain is as long as prefix rules nest (in the Open Cookie Database, at most 2),
//! never as long as the table.

use core::cmp::Ordering;
use core::fmt;

use super::rule::{Category, Pattern, Rule};

/// No link in `up`.
const NONE: usize = usize::MAX;

/// What [`Policy::decide`](crate::policy::Policy::decide) does with a cookie
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

impl Undeclared {
    /// `"block"` or `"report"`, as in the policy text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Report => "report",
        }
    }
}

/// Why a rule could not enter a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// A rule line has a name but no category field.
    MissingField,
    /// A rule line has more than seven `|`-separated fields.
    TooManyFields,
    /// The name is empty, or holds a byte outside the RFC 6265 token set.
    InvalidName,
    /// The category is not `necessary`, `preferences`, `statistics` or `marketing`.
    UnknownCategory,
    /// A flag after the category is unknown, repeated, contradicts another, or does
    /// not apply (`anonymised` outside statistics; `consent=required` on a
    /// necessary cookie).
    InvalidFlag,
    /// The location is not empty, `front`, `back` or `front+back`.
    InvalidLocation,
    /// An attribute is unknown, repeated or has a bad value (a `Path` not starting
    /// with `/`, a byte that a `Set-Cookie` attribute cannot carry, `SameSite=None`
    /// without `Secure`, a lifetime over `u32::MAX` seconds).
    InvalidAttribute,
    /// A line starting with `@` names no known directive.
    UnknownDirective,
    /// A directive has a bad value, or was given twice.
    InvalidDirective,
    /// Another rule already has this exact pattern.
    DuplicateName,
    /// The table is full.
    CapacityFull,
}

impl LoadErrorKind {
    /// A short, stable description, e.g. `"duplicate name"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MissingField => "missing category field",
            Self::TooManyFields => "too many fields",
            Self::InvalidName => "invalid cookie name",
            Self::UnknownCategory => "unknown category",
            Self::InvalidFlag => "invalid flag",
            Self::InvalidLocation => "invalid location",
            Self::InvalidAttribute => "invalid attribute",
            Self::UnknownDirective => "unknown directive",
            Self::InvalidDirective => "invalid directive",
            Self::DuplicateName => "duplicate name",
            Self::CapacityFull => "capacity full",
        }
    }
}

impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule that could not enter a table, and where it was.
///
/// `line` counts from 1: the line of the policy text, or the position of the
/// rule in the array given to [`Policy::from_rules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LoadError {
    /// What was wrong.
    pub kind: LoadErrorKind,
    /// Where, counting from 1.
    pub line: usize,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl core::error::Error for LoadError {}

/// A cookie policy: up to `N` rules, a revision and what to do with undeclared
/// cookies. Borrows its texts (`'a`); holds no pointer of its own, so a `const`
/// or `static` one lives in flash.
///
/// ```
/// use embedded_cookie::policy::{Category, Pattern, Policy, Rule};
///
/// const POLICY: Policy<'static, 3> = match Policy::from_rules(7, [
///     Rule::new(Pattern::Exact("sid"), Category::Necessary),
///     Rule::new(Pattern::Prefix("_ga"), Category::Statistics),
///     Rule::new(Pattern::Prefix("_ga_"), Category::Marketing),
/// ]) {
///     Ok(policy) => policy,
///     Err(_) => panic!("invalid cookie policy"),
/// };
///
/// let rule = POLICY.classify(b"_ga_X1").unwrap();
/// assert_eq!(rule.category, Category::Marketing); // the longest prefix wins
/// assert_eq!(POLICY.classify(b"_gid"), None);
/// assert_eq!(POLICY.classify(b"evil_sid"), None);
/// ```
#[derive(Clone, Copy)]
pub struct Policy<'a, const N: usize> {
    revision: u32,
    undeclared: Undeclared,
    len: usize,
    rules: [Rule<'a>; N],
    keys: [u64; N],
    up: [usize; N],
}

/// Fills the slots past `len`; never read.
const UNUSED: Rule<'static> = Rule::new(Pattern::Exact(""), Category::Necessary);

/// Indexing here is bounded by `len <= N` in every loop condition; `const fn`s
/// cannot call `get`, and the property tests check the table against a linear
/// scan.
#[allow(clippy::indexing_slicing)]
impl<'a, const N: usize> Policy<'a, N> {
    /// An empty table for `revision`, blocking undeclared cookies.
    pub const fn new(revision: u32) -> Self {
        Policy {
            revision,
            undeclared: Undeclared::Block,
            len: 0,
            rules: [UNUSED; N],
            keys: [0; N],
            up: [NONE; N],
        }
    }

    /// A table holding `rules`, sorted at compile time when called in a `const`.
    /// The first rule that fails its checks is the error, with its 1-based
    /// position as `line`.
    pub const fn from_rules(revision: u32, rules: [Rule<'a>; N]) -> Result<Self, LoadError> {
        let mut policy = Self::new(revision);
        let mut i = 0;
        while i < N {
            if let Err(kind) = policy.insert(rules[i]) {
                return Err(LoadError { kind, line: i + 1 });
            }
            i += 1;
        }
        Ok(policy)
    }

    /// The same table with `action` for undeclared cookies.
    pub const fn with_undeclared(mut self, action: Undeclared) -> Self {
        self.undeclared = action;
        self
    }

    /// Sets what to do with undeclared cookies.
    pub const fn set_undeclared(&mut self, action: Undeclared) {
        self.undeclared = action;
    }

    /// Sets the revision a consent must have been given for.
    pub const fn set_revision(&mut self, revision: u32) {
        self.revision = revision;
    }

    /// The policy revision; a consent given for another one is void.
    pub const fn revision(&self) -> u32 {
        self.revision
    }

    /// What happens to undeclared cookies.
    pub const fn undeclared(&self) -> Undeclared {
        self.undeclared
    }

    /// How many rules the table holds.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when the table holds no rule.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many rules the table can hold.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// The rules, sorted by name (a prefix rule before an exact one of the same text).
    pub fn rules(&self) -> &[Rule<'a>] {
        self.rules.get(..self.len).unwrap_or_default()
    }

    /// Adds `rule` in its sorted place after checking it ([`LoadErrorKind`] says
    /// why not). Costs one binary search and a shift of the rules after it.
    ///
    /// ```
    /// use embedded_cookie::policy::{Category, LoadErrorKind, Pattern, Policy, Rule};
    ///
    /// let mut policy = Policy::<1>::new(1);
    /// policy.insert(Rule::new(Pattern::Exact("sid"), Category::Necessary))?;
    /// let again = policy.insert(Rule::new(Pattern::Exact("sid"), Category::Marketing));
    /// assert_eq!(again, Err(LoadErrorKind::DuplicateName));
    /// let full = policy.insert(Rule::new(Pattern::Exact("lang"), Category::Preferences));
    /// assert_eq!(full, Err(LoadErrorKind::CapacityFull));
    /// # Ok::<(), LoadErrorKind>(())
    /// ```
    pub const fn insert(&mut self, rule: Rule<'a>) -> Result<(), LoadErrorKind> {
        if let Err(kind) = rule.check() {
            return Err(kind);
        }
        let name = rule.pattern.name().as_bytes();
        let prefix = rule.pattern.is_prefix();
        // First index whose entry sorts after the new rule.
        let at = self.partition(name, prefix);
        if at > 0 {
            let before = &self.rules[at - 1].pattern;
            if before.is_prefix() == prefix && eq(before.name().as_bytes(), name) {
                return Err(LoadErrorKind::DuplicateName);
            }
        }
        if self.len == N {
            return Err(LoadErrorKind::CapacityFull);
        }
        let up = self.longest_prefix_before(at, name);
        let mut i = self.len;
        while i > at {
            self.rules[i] = self.rules[i - 1];
            self.keys[i] = self.keys[i - 1];
            self.up[i] = self.up[i - 1];
            i -= 1;
        }
        self.rules[at] = rule;
        self.keys[at] = key(name);
        self.up[at] = up;
        self.len += 1;
        let mut i = 0;
        while i < self.len {
            if self.up[i] != NONE && self.up[i] >= at && i != at {
                self.up[i] += 1;
            }
            i += 1;
        }
        if prefix {
            // The rules this prefix starts follow it; those whose longest prefix was
            // shorter now have this one.
            let mut i = at + 1;
            while i < self.len && starts_with(self.rules[i].pattern.name().as_bytes(), name) {
                let up = self.up[i];
                if up == NONE || self.rules[up].pattern.name().len() < name.len() {
                    self.up[i] = at;
                }
                i += 1;
            }
        }
        Ok(())
    }

    /// The rule that covers `name`: an exact rule if there is one, else the
    /// longest prefix rule; `None` for an undeclared name. One binary search.
    ///
    /// ```
    /// use embedded_cookie::policy::SEED;
    ///
    /// let rule = SEED.classify(b"csrftoken").unwrap();
    /// assert_eq!(rule.function, "API (CSRF)");
    /// assert_eq!(SEED.classify(b"_ga"), None);
    /// ```
    pub fn classify(&self, name: &[u8]) -> Option<&Rule<'a>> {
        let at = self.search(name);
        let last = at.checked_sub(1)?;
        let rule = self.rules.get(last)?;
        let text = rule.pattern.name().as_bytes();
        if text == name {
            // An exact rule sorts after a prefix rule of the same text.
            return Some(rule);
        }
        let common = text.iter().zip(name).take_while(|(a, b)| a == b).count();
        let mut link = if rule.pattern.is_prefix() { last } else { *self.up.get(last)? };
        loop {
            let candidate = self.rules.get(link)?;
            if candidate.pattern.name().len() <= common {
                return Some(candidate);
            }
            link = *self.up.get(link)?;
        }
    }

    /// How many entries sort at or before `name` as an exact rule: the binary
    /// search of [`classify`](Self::classify). It runs on the keys without
    /// branching on the data (its steps depend only on the length), then orders
    /// the entries that share the key of `name`, if any, by their full names.
    fn search(&self, name: &[u8]) -> usize {
        let k = key(name);
        let keys = self.keys.get(..self.len).unwrap_or_default();
        let (mut base, mut size) = (0, keys.len());
        while size > 1 {
            let half = size / 2;
            let mid = base + half;
            if keys.get(mid).is_some_and(|&probe| probe <= k) {
                base = mid;
            }
            size -= half;
        }
        let upper = base + usize::from(keys.get(base).is_some_and(|&probe| probe <= k));
        let tied = upper.checked_sub(1).and_then(|last| keys.get(last)) == Some(&k);
        if !tied {
            return upper;
        }
        let lower = keys.get(..upper).unwrap_or_default().partition_point(|&probe| probe < k);
        let ties = self.rules.get(lower..upper).unwrap_or_default();
        lower + ties.partition_point(|r| r.pattern.name().as_bytes() <= name)
    }

    /// First index whose entry sorts after `(name, prefix)`; a prefix rule sorts
    /// before an exact rule of the same text.
    const fn partition(&self, name: &[u8], prefix: bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let probe = &self.rules[mid].pattern;
            let after = match cmp(probe.name().as_bytes(), name) {
                Ordering::Less => false,
                Ordering::Greater => true,
                // Same text: an exact probe sorts after a prefix rule.
                Ordering::Equal => prefix && !probe.is_prefix(),
            };
            if after {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// The longest prefix rule among entries before `at` whose text starts
    /// `name`, by the `up` walk of the module docs.
    const fn longest_prefix_before(&self, at: usize, name: &[u8]) -> usize {
        if at == 0 {
            return NONE;
        }
        let last = at - 1;
        let text = self.rules[last].pattern.name().as_bytes();
        let common = common_prefix(text, name);
        let mut link = if self.rules[last].pattern.is_prefix() { last } else { self.up[last] };
        while link != NONE && self.rules[link].pattern.name().len() > common {
            link = self.up[link];
        }
        link
    }
}

impl<'a, const N: usize> Default for Policy<'a, N> {
    fn default() -> Self {
        Self::new(0)
    }
}

/// Tables are equal when revision, undeclared action and rules are.
impl<const N: usize, const M: usize> PartialEq<Policy<'_, M>> for Policy<'_, N> {
    fn eq(&self, other: &Policy<'_, M>) -> bool {
        self.revision == other.revision
            && self.undeclared == other.undeclared
            && self.rules() == other.rules()
    }
}

impl<const N: usize> fmt::Debug for Policy<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("revision", &self.revision)
            .field("undeclared", &self.undeclared)
            .field("rules", &self.rules())
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl<const N: usize> defmt::Format for Policy<'_, N> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Policy {{ revision: {}, undeclared: {}, rules: {} }}",
            self.revision,
            self.undeclared,
            self.rules()
        );
    }
}

/// The first eight bytes of `name`, big-endian, zero-padded: `key(a) < key(b)`
/// implies `a < b`, so keys order names wherever they differ.
const fn key(name: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let mut i = 0;
    let mut rest = name;
    while let ([b, tail @ ..], true) = (rest, i < 8) {
        #[allow(clippy::indexing_slicing)] // `i < 8`
        {
            bytes[i] = *b;
        }
        rest = tail;
        i += 1;
    }
    u64::from_be_bytes(bytes)
}

const fn cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a, b) {
            ([], []) => return Ordering::Equal,
            ([], _) => return Ordering::Less,
            (_, []) => return Ordering::Greater,
            ([x, ra @ ..], [y, rb @ ..]) => {
                if *x != *y {
                    return if *x < *y { Ordering::Less } else { Ordering::Greater };
                }
                a = ra;
                b = rb;
            }
        }
    }
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    matches!(cmp(a, b), Ordering::Equal)
}

const fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let (mut a, mut b, mut n) = (a, b, 0);
    while let ([x, ra @ ..], [y, rb @ ..]) = (a, b) {
        if *x != *y {
            break;
        }
        a = ra;
        b = rb;
        n += 1;
    }
    n
}

const fn starts_with(name: &[u8], prefix: &[u8]) -> bool {
    common_prefix(name, prefix) == prefix.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Category::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    /// The specification of `classify`, as a linear scan.
    fn reference<'r, 'a>(rules: &'r [Rule<'a>], name: &[u8]) -> Option<&'r Rule<'a>> {
        let exact = rules.iter().find(|r| !r.pattern.is_prefix() && r.pattern.matches(name));
        exact.or_else(|| {
            rules
                .iter()
                .filter(|r| r.pattern.is_prefix() && r.pattern.matches(name))
                .max_by_key(|r| r.pattern.name().len())
        })
    }

    #[test]
    fn exact_beats_prefix_and_longest_prefix_wins() {
        let policy = Policy::from_rules(
            1,
            [
                Rule::new(Pattern::Prefix("_ga"), Statistics),
                Rule::new(Pattern::Prefix("_ga_"), Marketing),
                Rule::new(Pattern::Exact("_ga_x"), Necessary),
                Rule::new(Pattern::Exact("_gab"), Preferences),
                Rule::new(Pattern::Prefix("_gac_gb_"), Necessary),
                Rule::new(Pattern::Exact("_ga"), Preferences),
            ],
        )
        .unwrap();
        let cases: [(&[u8], Option<&str>); 10] = [
            (b"_ga", Some("_ga")),
            (b"_ga_", Some("_ga_*")),
            (b"_ga_x", Some("_ga_x")),
            (b"_ga_xy", Some("_ga_*")),
            (b"_gab", Some("_gab")),
            (b"_gabc", Some("_ga*")),
            (b"_gac_gb", Some("_ga*")),
            (b"_gac_gb_1", Some("_gac_gb_*")),
            (b"_g", None),
            (b"ga", None),
        ];
        for (name, want) in cases {
            let got = policy.classify(name).map(|r| std::format!("{}", r.pattern));
            assert_eq!(got.as_deref(), want, "{}", std::string::String::from_utf8_lossy(name));
        }
    }

    #[test]
    fn const_tables_are_sorted_at_compile_time() {
        const P: Policy<'static, 3> = match Policy::from_rules(
            2,
            [
                Rule::new(Pattern::Exact("b"), Necessary),
                Rule::new(Pattern::Exact("a"), Necessary),
                Rule::new(Pattern::Prefix("a"), Necessary),
            ],
        ) {
            Ok(p) => p,
            Err(_) => panic!(),
        };
        let names: Vec<_> = P.rules().iter().map(|r| std::format!("{}", r.pattern)).collect();
        assert_eq!(names, ["a*", "a", "b"]);
        assert_eq!(P.revision(), 2);
    }

    #[test]
    fn from_rules_reports_the_position_of_the_bad_rule() {
        let err = Policy::from_rules(
            1,
            [
                Rule::new(Pattern::Exact("a"), Necessary),
                Rule::new(Pattern::Prefix("a"), Necessary),
                Rule::new(Pattern::Exact("a"), Marketing),
            ],
        )
        .unwrap_err();
        assert_eq!(err, LoadError { kind: LoadErrorKind::DuplicateName, line: 3 });
        assert_eq!(std::format!("{err}"), "line 3: duplicate name");
    }

    fn rules_strategy() -> impl Strategy<Value = Vec<(Vec<u8>, bool)>> {
        // A small alphabet makes nested prefixes and ties of the 8-byte keys common.
        let name =
            proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'_')], 1..11);
        proptest::collection::vec((name, any::<bool>()), 0..40)
    }

    proptest! {
        #[test]
        fn classify_agrees_with_a_linear_scan(
            rules in rules_strategy(),
            names in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'_')], 0..12),
                1..30,
            ),
        ) {
            let texts: Vec<std::string::String> =
                rules.iter().map(|(n, _)| std::string::String::from_utf8(n.clone()).unwrap()).collect();
            let mut policy = Policy::<'_, 64>::new(1);
            let mut kept = Vec::new();
            for (text, (_, prefix)) in texts.iter().zip(&rules) {
                let pattern = if *prefix { Pattern::Prefix(text) } else { Pattern::Exact(text) };
                let rule = Rule::new(pattern, Necessary);
                let duplicate = kept.contains(&rule);
                let got = policy.insert(rule);
                prop_assert_eq!(got.is_err(), duplicate);
                if !duplicate {
                    kept.push(rule);
                }
            }
            fn order<'r>(r: &Rule<'r>) -> (&'r [u8], bool) {
                (r.pattern.name().as_bytes(), !r.pattern.is_prefix())
            }
            let sorted = policy.rules().windows(2).all(|w| order(&w[0]) < order(&w[1]));
            prop_assert!(sorted);
            for name in names.iter().chain(rules.iter().map(|(n, _)| n)) {
                prop_assert_eq!(policy.classify(name), reference(&kept, name), "{:?}", name);
            }
        }
    }
}
