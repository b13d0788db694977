//! The visitor's consent: which cookie categories they granted, for which policy
//! revision, and the consent cookie that carries it between requests.
//!
//! # The consent cookie
//!
//! The consent lives in a cookie whose name the application chooses and passes
//! to [`Consent::from_header`] (`cookies_preferences` in these examples). Its value
//! is three fields joined by `.`:
//!
//! ```text
//! value    = version "." revision "." grants
//! version  = "1"
//! revision = "0" / %x31-39 *8DIGIT        ; the policy revision, a u32 in decimal
//! grants   = ["p"] ["s"] ["m"]            ; in this order, each at most once
//! ```
//!
//! `p` grants preferences, `s` statistics and `m` marketing; necessary cookies
//! need no grant and are not written. `cookies_preferences=1.7.ps` is a consent to
//! preferences and statistics given for revision 7 of the policy;
//! `cookies_preferences=1.7.` is a refusal of everything. Every byte is a
//! `cookie-octet`, no value is longer than [`MAX_VALUE_LEN`] (16) bytes, and each
//! consent has exactly one spelling.
//!
//! # ConsentStatus never grants by mistake
//!
//! [`Consent::parse`] and [`Consent::from_header`] return a [`ConsentStatus`]: the
//! consent, and whether to ask the visitor again ([`AskAgain`]). A missing cookie,
//! a malformed value (anything but the grammar above, including a spelling that is
//! not the canonical one), an unknown version, or a consent given for another
//! revision than the policy's, all give "ask again" with a necessary-only consent.
//! No input panics; none grants anything it does not spell out.
//!
//! ```
//! use embedded_cookie::consent::{AskAgain, Consent};
//! use embedded_cookie::policy::Category;
//! use embedded_cookie::CookieHeader;
//!
//! let header = CookieHeader::parse("sessionid=s1; cookies_preferences=1.7.ps")?;
//! let reading = Consent::from_header(&header, "cookies_preferences", 7);
//! assert_eq!(reading.ask_again, None);
//! assert!(reading.consent.grants(Category::Statistics));
//! assert!(!reading.consent.grants(Category::Marketing));
//!
//! // The policy changed since: the visitor is asked again.
//! let reading = Consent::from_header(&header, "cookies_preferences", 8);
//! assert_eq!(reading.ask_again, Some(AskAgain::OtherRevision));
//! assert!(!reading.consent.grants(Category::Statistics));
//! # Ok::<(), embedded_cookie::CookieError>(())
//! ```

use crate::cookie::CookieHeader;
use crate::decimal::push_u32;
use crate::policy::{Category, Requirement, Rule};

/// The longest consent cookie value: `1.4294967295.psm`.
pub const MAX_VALUE_LEN: usize = 16;

/// The version this crate writes and reads.
const VERSION: &[u8] = b"1";

/// The grant letters, in their order in the value.
const LETTERS: [(u8, Category); 3] =
    [(b'p', Category::Preferences), (b's', Category::Statistics), (b'm', Category::Marketing)];

/// A set of cookie categories. Necessary is always in it: it needs no grant.
///
/// ```
/// use embedded_cookie::consent::Categories;
/// use embedded_cookie::policy::Category;
///
/// let set = Categories::NONE.with(Category::Marketing);
/// assert!(set.contains(Category::Marketing) && set.contains(Category::Necessary));
/// assert!(!set.contains(Category::Statistics));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Categories(u8);

impl Categories {
    /// Necessary only.
    pub const NONE: Self = Self(0);
    /// Every category.
    pub const ALL: Self = Self(
        Self::bit(Category::Preferences)
            | Self::bit(Category::Statistics)
            | Self::bit(Category::Marketing),
    );

    const fn bit(category: Category) -> u8 {
        match category {
            Category::Necessary => 0,
            Category::Preferences => 1 << 0,
            Category::Statistics => 1 << 1,
            Category::Marketing => 1 << 2,
        }
    }

    /// This set and `category`.
    pub const fn with(self, category: Category) -> Self {
        Self(self.0 | Self::bit(category))
    }

    /// This set without `category` (necessary stays in).
    pub const fn without(self, category: Category) -> Self {
        Self(self.0 & !Self::bit(category))
    }

    /// Whether `category` is in the set; always true for necessary.
    pub const fn contains(self, category: Category) -> bool {
        matches!(category, Category::Necessary) || self.0 & Self::bit(category) != 0
    }
}

/// Why a consent reading asks the visitor again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum AskAgain {
    /// The request carries no consent cookie.
    Missing,
    /// The value does not follow the format, or is not its canonical spelling.
    Malformed,
    /// The value starts with a version this crate does not know.
    UnknownVersion,
    /// The consent was given for another policy revision (older, or newer after a
    /// rollback).
    OtherRevision,
}

texts! {
    /// A short, stable description, e.g. `"other revision"`.
    AskAgain: display {
        Self::Missing => "no consent cookie",
        Self::Malformed => "malformed consent",
        Self::UnknownVersion => "unknown consent version",
        Self::OtherRevision => "consent for another policy revision",
    }
}

/// What a consent cookie says: the consent to apply, and why to ask again if the
/// visitor must be asked (then `consent` allows necessary cookies only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ConsentStatus {
    /// The consent to enforce.
    pub consent: Consent,
    /// Why the visitor should be asked again; `None` when the consent stands.
    pub ask_again: Option<AskAgain>,
}

/// The categories a visitor granted, for one policy revision.
///
/// ```
/// use embedded_cookie::consent::{Categories, Consent};
/// use embedded_cookie::policy::Category;
///
/// let consent = Consent::new(Categories::NONE.with(Category::Preferences), 3);
/// assert_eq!(consent.to_heapless().as_str(), "1.3.p");
/// assert_eq!(Consent::parse(b"1.3.p", 3).consent, consent);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Consent {
    granted: Categories,
    revision: u32,
}

impl Consent {
    /// `granted`, given for policy `revision`.
    pub const fn new(granted: Categories, revision: u32) -> Self {
        Self { granted, revision }
    }

    /// Necessary cookies only: no answer yet, or a refusal.
    pub const fn necessary_only(revision: u32) -> Self {
        Self::new(Categories::NONE, revision)
    }

    /// The granted categories.
    pub const fn granted(&self) -> Categories {
        self.granted
    }

    /// The policy revision the consent was given for.
    pub const fn revision(&self) -> u32 {
        self.revision
    }

    /// Whether `category` was granted; always true for necessary.
    pub const fn grants(&self, category: Category) -> bool {
        self.granted.contains(category)
    }

    /// Whether cookies of `rule` are allowed: consent-exempt, or of a granted
    /// category. The revision is not checked here; [`Policy`](crate::policy::Policy)
    /// enforcement applies a consent only to its own revision.
    ///
    /// ```
    /// use embedded_cookie::consent::{Categories, Consent};
    /// use embedded_cookie::policy::{Category, Pattern, Rule};
    ///
    /// let ads = Rule::new(Pattern::Exact("uid"), Category::Marketing);
    /// let session = Rule::new(Pattern::Exact("sid"), Category::Necessary);
    /// let refused = Consent::necessary_only(1);
    /// assert!(!refused.allows(&ads) && refused.allows(&session));
    /// assert!(Consent::new(Categories::NONE.with(Category::Marketing), 1).allows(&ads));
    /// ```
    pub const fn allows(&self, rule: &Rule<'_>) -> bool {
        matches!(rule.requirement(), Requirement::Exempt) || self.grants(rule.category)
    }

    /// Reads a consent cookie value for a policy at `revision`. See the
    /// [module docs](self) for the format and what asks again.
    ///
    /// ```
    /// use embedded_cookie::consent::{AskAgain, Consent};
    ///
    /// let ask = |value: &[u8]| Consent::parse(value, 7).ask_again;
    /// assert_eq!(ask(b"1.7.psm"), None);
    /// assert_eq!(ask(b"1.6.psm"), Some(AskAgain::OtherRevision));
    /// assert_eq!(ask(b"2.7.psm"), Some(AskAgain::UnknownVersion));
    /// assert_eq!(ask(b"1.7.mp"), Some(AskAgain::Malformed));
    /// assert_eq!(ask(b"yes"), Some(AskAgain::Malformed));
    /// ```
    pub fn parse(value: &[u8], revision: u32) -> ConsentStatus {
        match Self::read(value) {
            Ok(consent) if consent.revision == revision => {
                ConsentStatus { consent, ask_again: None }
            }
            Ok(_) => Self::ask_again(AskAgain::OtherRevision, revision),
            Err(why) => Self::ask_again(why, revision),
        }
    }

    /// Reads the first cookie named `name` in `header` (the most specific path, as
    /// browsers send longer paths first), as [`parse`](Self::parse) does.
    pub fn from_header<Name: AsRef<[u8]> + ?Sized>(
        header: &CookieHeader<'_>,
        name: &Name,
        revision: u32,
    ) -> ConsentStatus {
        match header.get(name) {
            Some(cookie) => Self::parse(cookie.value(), revision),
            None => Self::ask_again(AskAgain::Missing, revision),
        }
    }

    fn ask_again(why: AskAgain, revision: u32) -> ConsentStatus {
        ConsentStatus { consent: Self::necessary_only(revision), ask_again: Some(why) }
    }

    fn read(value: &[u8]) -> Result<Self, AskAgain> {
        let mut fields = value.splitn(3, |&b| b == b'.');
        let version = fields.next().unwrap_or_default();
        if version != VERSION {
            let digits = !version.is_empty() && version.iter().all(u8::is_ascii_digit);
            return Err(if digits { AskAgain::UnknownVersion } else { AskAgain::Malformed });
        }
        let (Some(revision), Some(grants)) = (fields.next(), fields.next()) else {
            return Err(AskAgain::Malformed);
        };
        let revision = canonical_u32(revision).ok_or(AskAgain::Malformed)?;
        let mut granted = Categories::NONE;
        let mut letters = LETTERS.iter();
        for &b in grants {
            // Each letter is looked for after the previous one: order and
            // uniqueness in one pass.
            let &(_, category) =
                letters.find(|(letter, _)| *letter == b).ok_or(AskAgain::Malformed)?;
            granted = granted.with(category);
        }
        Ok(Self::new(granted, revision))
    }

    /// The consent cookie value, e.g. `1.7.ps`.
    pub fn to_heapless(&self) -> heapless::String<MAX_VALUE_LEN> {
        let mut value = heapless::String::new();
        // At most 2 + 10 + 1 + 3 = MAX_VALUE_LEN bytes: the pushes cannot fail, as
        // the longest-value test shows.
        let _ = value.push_str("1.");
        let _ = push_u32(&mut value, self.revision);
        let _ = value.push('.');
        for (letter, category) in LETTERS {
            if self.grants(category) {
                let _ = value.push(char::from(letter));
            }
        }
        value
    }
}

/// A decimal `u32` without sign or leading zero.
fn canonical_u32(digits: &[u8]) -> Option<u32> {
    match digits {
        [] | [b'0', _, ..] => None,
        _ if digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) => None,
        _ => {
            let n = digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            u32::try_from(n).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Category::*;
    use AskAgain::*;

    const NO: Categories = Categories::NONE;

    /// One `#[test]` per row: `name: value => Ok(granted) | Err(reason)`, read for
    /// revision 7.
    macro_rules! values {
        ($($name:ident: $value:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let got = Consent::parse($value, 7);
                let want: Result<Categories, AskAgain> = $want;
                match want {
                    Ok(granted) => assert_eq!(got, ConsentStatus { consent: Consent::new(granted, 7), ask_again: None }),
                    Err(why) => assert_eq!(got, ConsentStatus { consent: Consent::necessary_only(7), ask_again: Some(why) }),
                }
            }
        )*};
    }

    values! {
        none_granted: b"1.7." => Ok(NO);
        all_granted: b"1.7.psm" => Ok(Categories::ALL);
        two_granted: b"1.7.pm" => Ok(NO.with(Preferences).with(Marketing));
        older_revision: b"1.6.psm" => Err(OtherRevision);
        newer_revision: b"1.8.psm" => Err(OtherRevision);
        version_two: b"2.7.psm" => Err(UnknownVersion);
        version_ten: b"10" => Err(UnknownVersion);
        version_zero_padded: b"01.7.p" => Err(UnknownVersion);
        empty: b"" => Err(Malformed);
        only_version: b"1" => Err(Malformed);
        no_grants_field: b"1.7" => Err(Malformed);
        empty_revision: b"1..p" => Err(Malformed);
        leading_zero_revision: b"1.07.p" => Err(Malformed);
        revision_overflow: b"1.4294967296.p" => Err(Malformed);
        revision_too_long: b"1.00000000007.p" => Err(Malformed);
        signed_revision: b"1.+7.p" => Err(Malformed);
        out_of_order: b"1.7.sp" => Err(Malformed);
        repeated: b"1.7.pp" => Err(Malformed);
        unknown_letter: b"1.7.x" => Err(Malformed);
        uppercase: b"1.7.P" => Err(Malformed);
        necessary_letter: b"1.7.n" => Err(Malformed);
        fourth_field: b"1.7.p.x" => Err(Malformed);
        quoted: b"\"1.7.p\"" => Err(Malformed);
        other_text: b"true" => Err(Malformed);
        non_utf8: b"1.7.\xff" => Err(Malformed);
    }

    #[test]
    fn values_round_trip_for_every_set_and_the_longest_fits() {
        for bits in 0..8u8 {
            let mut granted = NO;
            for (i, category) in [Preferences, Statistics, Marketing].into_iter().enumerate() {
                if bits & (1 << i) != 0 {
                    granted = granted.with(category);
                }
            }
            for revision in [0, 7, u32::MAX] {
                let consent = Consent::new(granted, revision);
                let value = consent.to_heapless();
                assert!(value.bytes().all(crate::octets::is_cookie_octet), "{value}");
                assert_eq!(Consent::parse(value.as_bytes(), revision).consent, consent);
            }
        }
        let longest = Consent::new(Categories::ALL, u32::MAX).to_heapless();
        assert_eq!((longest.as_str(), longest.len()), ("1.4294967295.psm", MAX_VALUE_LEN));
    }

    #[test]
    fn header_reading_takes_the_first_cookie_of_the_name() {
        let header = CookieHeader::parse("c=1.7.m; c=1.7.psm; consent=1.7.p").unwrap();
        let got = Consent::from_header(&header, "c", 7);
        assert_eq!(got.consent.granted(), NO.with(Marketing));
        assert_eq!(
            Consent::from_header(&header, "consent", 7).consent.granted(),
            NO.with(Preferences)
        );
        assert_eq!(
            Consent::from_header(&header, "cookies_preferences", 7).ask_again,
            Some(Missing)
        );
        assert_eq!(Consent::from_header(&header, b"c", 7), got);
    }

    use std::borrow::ToOwned;
    use std::format;
    use std::vec::Vec;

    /// What the grammar in the module docs makes of `value` read for revision 7,
    /// written from the docs: the canonical grants spellings listed, the revision
    /// read by `str::parse`.
    fn model(value: &[u8]) -> Result<Categories, AskAgain> {
        const SPELLINGS: [(&[u8], Categories); 8] = [
            (b"", NO),
            (b"p", NO.with(Preferences)),
            (b"s", NO.with(Statistics)),
            (b"m", NO.with(Marketing)),
            (b"ps", NO.with(Preferences).with(Statistics)),
            (b"pm", NO.with(Preferences).with(Marketing)),
            (b"sm", NO.with(Statistics).with(Marketing)),
            (b"psm", Categories::ALL),
        ];
        let mut fields = value.splitn(3, |&b| b == b'.');
        let version = fields.next().unwrap_or_default();
        if version != b"1" {
            let number = !version.is_empty() && version.iter().all(u8::is_ascii_digit);
            return Err(if number { UnknownVersion } else { Malformed });
        }
        let (Some(revision), Some(grants)) = (fields.next(), fields.next()) else {
            return Err(Malformed);
        };
        let revision = core::str::from_utf8(revision)
            .ok()
            .filter(|r| r.bytes().all(|b| b.is_ascii_digit()))
            .filter(|r| *r == "0" || !r.starts_with('0'))
            .and_then(|r| r.parse::<u32>().ok())
            .ok_or(Malformed)?;
        let granted = SPELLINGS.iter().find(|(s, _)| *s == grants).ok_or(Malformed)?.1;
        if revision == 7 { Ok(granted) } else { Err(OtherRevision) }
    }

    /// Values near the grammar, mostly valid for revision 7, so that most reach a
    /// grant: each field usually right, sometimes one of its near misses.
    fn near_valid() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let version = prop_oneof![20 => Just("1"), 1 => Just("2"), 1 => Just("01"), 1 => Just("")];
        let revision = prop_oneof![
            20 => Just("7".to_owned()),
            1 => Just("07".to_owned()),
            1 => Just("4294967303".to_owned()),
            1 => Just("+7".to_owned()),
            2 => "[0-9]{0,3}",
        ];
        let grants = prop_oneof![20 => "p?s?m?", 4 => "[psm]{0,4}", 1 => "[psmxP.]{0,4}"];
        let dots = prop_oneof![20 => Just(".."), 1 => Just("."), 1 => Just("...")];
        (version, revision, grants, dots).prop_map(|(v, r, g, dots)| {
            let value = match dots {
                "." => format!("{v}.{r}{g}"),
                "..." => format!("{v}.{r}.{g}.x"),
                _ => format!("{v}.{r}.{g}"),
            };
            value.into_bytes()
        })
    }

    /// A reading as the model says it must be.
    fn expected(value: &[u8]) -> ConsentStatus {
        match model(value) {
            Ok(granted) => ConsentStatus { consent: Consent::new(granted, 7), ask_again: None },
            Err(why) => ConsentStatus { consent: Consent::necessary_only(7), ask_again: Some(why) },
        }
    }

    proptest::proptest! {
        /// Whatever the bytes, a reading is what the grammar says: a grant only for
        /// a canonical value, and otherwise necessary only with the right reason.
        #[test]
        fn no_value_grants_by_accident(value in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..24)) {
            proptest::prop_assert_eq!(Consent::parse(&value, 7), expected(&value));
        }

        /// Near-valid values, most of which grant: each reading is the model's, and a
        /// grant writes back to the value it was read from.
        #[test]
        fn near_valid_values_grant_only_what_they_spell(value in near_valid()) {
            let reading = Consent::parse(&value, 7);
            proptest::prop_assert_eq!(reading, expected(&value));
            if reading.ask_again.is_none() {
                let written = reading.consent.to_heapless();
                proptest::prop_assert_eq!(written.as_bytes(), &value[..]);
            }
        }
    }

    /// The generator reaches both sides: most values grant, and each refusal reason
    /// occurs.
    #[test]
    fn near_valid_values_mostly_grant() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut seen = std::collections::HashMap::new();
        for _ in 0..1000 {
            let value = near_valid().new_tree(&mut runner).unwrap().current();
            *seen.entry(model(&value).err()).or_insert(0) += 1;
        }
        assert!(seen[&None] > 500, "{seen:?}");
        for why in [Malformed, UnknownVersion, OtherRevision] {
            assert!(seen.get(&Some(why)).is_some_and(|&n| n > 10), "{seen:?}");
        }
    }

    #[test]
    fn categories_keep_necessary_in() {
        assert!(NO.contains(Necessary));
        assert!(Categories::ALL.without(Necessary).contains(Necessary));
        assert_eq!(NO.with(Necessary), NO);
        assert!(!Categories::ALL.without(Statistics).contains(Statistics));
    }
}
