//! Cookie dates: the RFC 6265 §5.1.1 `cookie-date` algorithm that browsers use for
//! `Expires`, and IMF-fixdate output for building headers. No time crate, no clock:
//! moments are seconds since the Unix epoch as `i64`.
//!
//! The parser is the user agent's algorithm, not the strict HTTP-date grammar: it
//! splits the text into tokens at delimiters and takes the first time, day of month,
//! month and year it finds, in any order, ignoring everything else (weekday names,
//! time zones, comments). Two-digit years are read as 1970-2069. A date before 1601
//! or that does not exist (30 February) fails.
//!
//! ```
//! use embedded_cookie::date::{self, ImfFixdate};
//!
//! let t = date::parse_cookie_date(b"Wed, 09-Jun-21 10:18:14 GMT")?;
//! assert_eq!(t, 1_623_233_894);
//! assert_eq!(ImfFixdate::new(t)?.to_string(), "Wed, 09 Jun 2021 10:18:14 GMT");
//! # Ok::<(), embedded_cookie::date::DateError>(())
//! ```

use core::fmt;

/// Why a cookie date was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DateError {
    /// No token had the form of a time (`hh:mm:ss`, one or two digits each).
    MissingTime,
    /// No token had the form of a day of month (one or two digits).
    MissingDay,
    /// No token started with a month name.
    MissingMonth,
    /// No token had the form of a year (two to four digits).
    MissingYear,
    /// Hour above 23, minute above 59 or second above 59.
    InvalidTime,
    /// Day of month 0, or past the end of its month (31 April, 29 February 2023).
    InvalidDay,
    /// A year before 1601.
    YearBefore1601,
    /// A moment outside 1601-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z, which an
    /// IMF-fixdate cannot write.
    OutOfRange,
}

texts! {
    /// A short, stable description, e.g. `"no time"`.
    DateError: display, error {
        Self::MissingTime => "no time",
        Self::MissingDay => "no day of month",
        Self::MissingMonth => "no month",
        Self::MissingYear => "no year",
        Self::InvalidTime => "invalid time",
        Self::InvalidDay => "invalid day of month",
        Self::YearBefore1601 => "year before 1601",
        Self::OutOfRange => "date out of range",
    }
}

/// 1601-01-01T00:00:00Z, the earliest moment a cookie date can name.
pub const MIN: i64 = -11_644_473_600;
/// 9999-12-31T23:59:59Z, the latest moment a four-digit year can name.
pub const MAX: i64 = 253_402_300_799;

const MONTH_NAMES: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// Day names from Monday, the weekday of 1601-01-01.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Parses a cookie date by the RFC 6265 §5.1.1 algorithm (unchanged in RFC 6265bis),
/// giving seconds since the Unix epoch.
///
/// Work is linear in the input: each token is looked at once. An IMF-fixdate, the
/// form servers send, is read at its fixed offsets without the tokenizer; anything
/// else, or anything unexpected in one, goes through the full algorithm, which
/// reads the same fields from it.
///
/// ```
/// use embedded_cookie::date::{parse_cookie_date, DateError};
///
/// // Fields in any order, two-digit year, trailing zone text ignored.
/// assert_eq!(parse_cookie_date(b"Thu Apr 18 2007 GMT 22:50:12"), Ok(1_176_936_612));
/// assert_eq!(parse_cookie_date(b"18-Apr-07 22:50:12 GMT-0400 (EDT)"), Ok(1_176_936_612));
/// assert_eq!(parse_cookie_date(b"31 Apr 2007 00:00:00"), Err(DateError::InvalidDay));
/// ```
pub fn parse_cookie_date(input: &[u8]) -> Result<i64, DateError> {
    match imf_fixdate(input) {
        Some(fields) => fields.secs(),
        None => tokens::fields(input)?.secs(),
    }
}

/// What the algorithm found: the time, day of month, month (1-12) and year as
/// written (two-digit years not yet mapped).
#[derive(Debug, PartialEq, Eq)]
struct Fields {
    hour: u32,
    minute: u32,
    second: u32,
    day: u32,
    month: u32,
    year: u32,
}

impl Fields {
    /// The last steps of §5.1.1: map a two-digit year, refuse what does not exist,
    /// and count the seconds.
    fn secs(&self) -> Result<i64, DateError> {
        let year = match self.year {
            y @ 70..=99 => y + 1900,
            y @ 0..=69 => y + 2000,
            y => y,
        };
        if year < 1601 {
            return Err(DateError::YearBefore1601);
        }
        if self.hour > 23 || self.minute > 59 || self.second > 59 {
            return Err(DateError::InvalidTime);
        }
        if self.day == 0 || self.day > days_in_month(year, self.month) {
            return Err(DateError::InvalidDay);
        }
        let days = i64::from(days_from_civil(year, self.month, self.day)) - EPOCH_DAYS;
        Ok(days * 86_400 + i64::from(self.hour * 3600 + self.minute * 60 + self.second))
    }
}

/// The fields of an IMF-fixdate (RFC 9110 §5.6.7), read at their offsets:
///
/// ```text
/// IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
/// date1       = day SP month SP year   ; e.g., 02 Jun 1982
/// time-of-day = hour ":" minute ":" second
/// ```
///
/// `None` for anything else, the tokenizer's work. Whatever this accepts, the
/// tokenizer reads the same way: a day name is no time, day, month or year, and
/// each other field is its own token.
fn imf_fixdate(input: &[u8]) -> Option<Fields> {
    let &[
        w0,
        w1,
        w2,
        b',',
        b' ',
        d0,
        d1,
        b' ',
        m0,
        m1,
        m2,
        b' ',
        y0,
        y1,
        y2,
        y3,
        b' ',
        h0,
        h1,
        b':',
        n0,
        n1,
        b':',
        s0,
        s1,
        b' ',
        b'G',
        b'M',
        b'T',
    ] = input
    else {
        return None;
    };
    let day_name = key([w0, w1, w2]);
    if !WEEKDAY_KEYS.contains(&day_name) {
        return None;
    }
    Some(Fields {
        hour: two_digits(h0, h1)?,
        minute: two_digits(n0, n1)?,
        second: two_digits(s0, s1)?,
        day: two_digits(d0, d1)?,
        month: month_number([m0, m1, m2])?,
        year: two_digits(y0, y1)? * 100 + two_digits(y2, y3)?,
    })
}

/// The value of two ASCII digits.
#[inline(always)]
fn two_digits(tens: u8, ones: u8) -> Option<u32> {
    let (tens, ones) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then(|| u32::from(tens) * 10 + u32::from(ones))
}

/// Three bytes, lower-cased if letters, as one word: a name compared in one step.
/// Only the case bit of a byte changes, so only the two spellings of a letter
/// give the same word.
const fn key(name: [u8; 3]) -> u32 {
    let [a, b, c] = name;
    u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0])
}

/// The [`key`]s of three-letter names, at compile time.
#[allow(clippy::indexing_slicing)] // `i < N`, for both
const fn keys<const N: usize>(names: [&str; N]) -> [u32; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        if let [a, b, c] = *names[i].as_bytes() {
            out[i] = key([a, b, c]);
        }
        i += 1;
    }
    out
}

const MONTH_KEYS: [u32; 12] = keys(MONTH_NAMES);
const WEEKDAY_KEYS: [u32; 7] = keys(WEEKDAYS);

/// The month (1-12) whose name, in any case, the three bytes spell.
fn month_number(name: [u8; 3]) -> Option<u32> {
    let name = key(name);
    (1..).zip(MONTH_KEYS).find(|&(_, k)| k == name).map(|(n, _)| n)
}

/// The §5.1.1 tokenizer and the productions it tries on each token, as nom
/// parsers that read like the ABNF. Only dates that are not an IMF-fixdate come
/// here, so these are written for clarity, not speed.
mod tokens {
    use nom::bytes::complete::{take_till1, take_while};
    use nom::character::complete::{char, digit1};
    use nom::combinator::verify;
    use nom::sequence::preceded;
    use nom::{IResult, Parser};

    use super::{DateError, Fields, month_number};
    use crate::octets;

    type Res<'a, O> = IResult<&'a [u8], O, ()>;

    /// Reads the first time, day of month, month and year among the tokens.
    pub(super) fn fields(input: &[u8]) -> Result<Fields, DateError> {
        let mut found_time = None;
        let mut found_day = None;
        let mut found_month = None;
        let mut found_year = None;
        let mut rest = input;
        while let Ok((after, token)) = date_token(rest) {
            rest = after;
            if found_time.is_none() {
                if let Some(t) = time(token) {
                    found_time = Some(t);
                    continue;
                }
            }
            if found_day.is_none() {
                if let Some(d) = day_of_month(token) {
                    found_day = Some(d);
                    continue;
                }
            }
            if found_month.is_none() {
                if let Some(m) = month(token) {
                    found_month = Some(m);
                    continue;
                }
            }
            if found_year.is_none() {
                found_year = year(token);
            }
        }
        let (hour, minute, second) = found_time.ok_or(DateError::MissingTime)?;
        Ok(Fields {
            hour,
            minute,
            second,
            day: found_day.ok_or(DateError::MissingDay)?,
            month: found_month.ok_or(DateError::MissingMonth)?,
            year: found_year.ok_or(DateError::MissingYear)?,
        })
    }

    /// `date-token = 1*non-delimiter`, after any delimiters.
    fn date_token(input: &[u8]) -> Res<'_, &[u8]> {
        preceded(take_while(octets::is_date_delimiter), take_till1(octets::is_date_delimiter))
            .parse(input)
    }

    /// `min*maxDIGIT ( non-digit *OCTET )` up to the `*OCTET`: the whole run of
    /// digits, which must be `min` to `max` long. (Not nom's `take_while_m_n`,
    /// which would then need a check for a further digit, and links a panic path.)
    fn digits(min: usize, max: usize) -> impl Fn(&[u8]) -> Res<'_, u32> {
        move |input| {
            verify(digit1, |ds: &[u8]| (min..=max).contains(&ds.len()))
                .map(|ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
                .parse(input)
        }
    }

    /// `time = hms-time ( non-digit *OCTET )`, `hms-time = time-field ":"
    /// time-field ":" time-field`, `time-field = 1*2DIGIT`.
    pub(super) fn time(token: &[u8]) -> Option<(u32, u32, u32)> {
        let field = digits(1, 2);
        let hms = (&field, char(':'), &field, char(':'), &field);
        hms.map(|(h, _, m, _, s)| (h, m, s)).parse(token).ok().map(|(_, t)| t)
    }

    /// `day-of-month = 1*2DIGIT ( non-digit *OCTET )`.
    pub(super) fn day_of_month(token: &[u8]) -> Option<u32> {
        digits(1, 2)(token).ok().map(|(_, d)| d)
    }

    /// `month = ( "jan" / "feb" / ... / "dec" ) *OCTET`, case-insensitive; 1-based.
    pub(super) fn month(token: &[u8]) -> Option<u32> {
        match *token {
            [a, b, c, ..] => month_number([a, b, c]),
            _ => None,
        }
    }

    /// `year = 2*4DIGIT ( non-digit *OCTET )`.
    pub(super) fn year(token: &[u8]) -> Option<u32> {
        digits(2, 4)(token).ok().map(|(_, y)| y)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Day counts and calendar dates by H. Hinnant's algorithms, counted from
// 0000-03-01 so that every date from 1601 on is a positive `u32` and every
// division is by a constant: a 32-bit target then needs no division routine.

/// Days from 0000-03-01 to 1970-01-01.
const EPOCH_DAYS: i64 = 719_468;

/// Days from 0000-03-01 to [`MIN`], 1601-01-01.
const DAYS_TO_MIN: u32 = 584_694;

/// Days from 0000-03-01 to a date from 1601 on (month 1-12, day 1-31).
fn days_from_civil(year: u32, month: u32, day: u32) -> u32 {
    let y = if month <= 2 { year - 1 } else { year };
    let (era, yoe) = (y / 400, y % 400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// The date (year, month 1-12, day 1-31) of a day count from 0000-03-01.
fn civil_from_days(days: u32) -> (u32, u32, u32) {
    let (era, doe) = (days / 146_097, days % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era * 400 + yoe + u32::from(month <= 2);
    (year, month, day)
}

/// Length of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub const IMF_FIXDATE_LEN: usize = 29;

/// A moment written as an IMF-fixdate (RFC 9110 §5.6.7), the form `Expires` takes
/// in headers this crate builds: `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// ```
/// use embedded_cookie::date::{DateError, ImfFixdate, MAX};
///
/// assert_eq!(ImfFixdate::new(784_111_777)?.to_string(), "Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(&ImfFixdate::new(0)?.to_bytes(), b"Thu, 01 Jan 1970 00:00:00 GMT");
/// assert_eq!(ImfFixdate::new(MAX + 1), Err(DateError::OutOfRange));
/// # Ok::<(), DateError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ImfFixdate(i64);

impl ImfFixdate {
    /// The moment `secs` seconds after the Unix epoch, if it lies in [`MIN`]..=[`MAX`].
    pub const fn new(secs: i64) -> Result<Self, DateError> {
        if secs < MIN || secs > MAX { Err(DateError::OutOfRange) } else { Ok(Self(secs)) }
    }

    /// Seconds since the Unix epoch.
    pub const fn secs(self) -> i64 {
        self.0
    }

    /// The 29 ASCII bytes of the date.
    pub fn to_bytes(self) -> [u8; IMF_FIXDATE_LEN] {
        // From 1601 on, `secs` is under 2^38 and halves to a `u32` after seven
        // shifts; 86,400 = 2^7 × 675 then makes the day a 32-bit division by a
        // constant. `new` has checked the range.
        let since = self.0.abs_diff(MIN);
        let days = ((since >> 7) as u32) / 675;
        let secs = (since - u64::from(days) * 86_400) as u32;
        let (year, month, day) = civil_from_days(days + DAYS_TO_MIN);
        let weekday = WEEKDAYS.get(days as usize % 7).copied().unwrap_or_default();
        let month = MONTH_NAMES.get((month as usize).wrapping_sub(1)).copied().unwrap_or_default();
        let mut out = *b"Thu, 00 Jan 0000 00:00:00 GMT";
        let mut put = |at: usize, text: &[u8]| {
            for (slot, &b) in out.iter_mut().skip(at).zip(text) {
                *slot = b;
            }
        };
        let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        put(0, weekday.as_bytes());
        put(5, &two(day));
        put(8, month.as_bytes());
        put(12, &two(year / 100));
        put(14, &two(year));
        put(17, &two(secs / 3600));
        put(20, &two(secs / 60 % 60));
        put(23, &two(secs % 60));
        out
    }
}

impl fmt::Display for ImfFixdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.to_bytes();
        // Every byte written above is ASCII.
        f.write_str(core::str::from_utf8(&bytes).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn productions_read_what_the_abnf_says() {
        use tokens::{day_of_month, month, time, year};
        assert_eq!(time(b"1:2:3"), Some((1, 2, 3)));
        assert_eq!(time(b"12:34:56GMT"), Some((12, 34, 56)));
        assert_eq!(time(b"12:34:567"), None);
        assert_eq!(time(b"12:34"), None);
        assert_eq!(day_of_month(b"7th"), Some(7));
        assert_eq!(day_of_month(b"123"), None);
        assert_eq!(month(b"DECEMBER"), Some(12));
        assert_eq!(month(b"de"), None);
        assert_eq!(year(b"99"), Some(99));
        assert_eq!(year(b"2024x"), Some(2024));
        assert_eq!(year(b"20245"), None);
        assert_eq!(year(b"2"), None);
    }

    #[test]
    fn errors_name_the_missing_or_bad_field() {
        let cases: [(&[u8], DateError); 9] = [
            (b"", DateError::MissingTime),
            (b"10:00:00", DateError::MissingDay),
            (b"10:00:00 1", DateError::MissingMonth),
            (b"10:00:00 1 Jan", DateError::MissingYear),
            (b"24:00:00 1 Jan 2020", DateError::InvalidTime),
            (b"00:00:00 0 Jan 2020", DateError::InvalidDay),
            (b"00:00:00 29 Feb 2100", DateError::InvalidDay),
            (b"00:00:00 1 Jan 1600", DateError::YearBefore1601),
            (b"IAintNoDateFool", DateError::MissingTime),
        ];
        for (input, want) in cases {
            assert_eq!(parse_cookie_date(input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn range_ends_and_leap_days() {
        let cases: [(&[u8], i64); 5] = [
            (b"Mon, 01 Jan 1601 00:00:00 GMT", MIN),
            (b"Fri, 31 Dec 9999 23:59:59 GMT", MAX),
            (b"Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600),
            (b"Thu, 01 Jan 1970 00:00:00 GMT", 0),
            (b"Wed, 31 Dec 1969 23:59:59 GMT", -1),
        ];
        for (input, secs) in cases {
            assert_eq!(parse_cookie_date(input), Ok(secs));
            let text = ImfFixdate::new(secs).unwrap().to_string();
            assert_eq!(text.as_bytes(), input);
        }
        assert_eq!(ImfFixdate::new(MIN - 1), Err(DateError::OutOfRange));
    }

    #[test]
    fn civil_round_trip_over_the_whole_range() {
        // Every 97th day from 1601 to 9999: days -> date -> days is the identity.
        let mut days = DAYS_TO_MIN;
        while i64::from(days) <= MAX / 86_400 + EPOCH_DAYS {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y, m));
            days += 97;
        }
        assert_eq!(civil_from_days(DAYS_TO_MIN), (1601, 1, 1));
        assert_eq!(i64::from(days_from_civil(1970, 1, 1)), EPOCH_DAYS);
    }

    /// The fast path reads an IMF-fixdate as the tokenizer does, and leaves
    /// everything else to it: a day name the tokenizer would read as a month, a
    /// non-digit, another zone, a byte more or less.
    #[test]
    fn imf_fixdate_fast_path_agrees_with_the_tokenizer() {
        let read: [&[u8]; 6] = [
            b"Sun, 13 Dec 2026 09:00:12 GMT",
            b"sUN, 13 dEC 2026 09:00:12 GMT",
            b"Mon, 00 Feb 0069 99:99:99 GMT",
            b"Tue, 31 Apr 2007 00:00:00 GMT",
            b"Wed, 29 Feb 2000 23:59:59 GMT",
            b"Sat, 01 Jan 1600 00:00:00 GMT",
        ];
        for input in read {
            let fast = imf_fixdate(input).expect("an IMF-fixdate");
            assert_eq!(Ok(&fast), tokens::fields(input).as_ref(), "{input:?}");
        }
        let left: [&[u8]; 8] = [
            b"Dec, 13 Nov 2026 09:00:12 GMT",
            b"Xyz, 13 Dec 2026 09:00:12 GMT",
            b"Sun, 1x Dec 2026 09:00:12 GMT",
            b"Sun, 13 Dec 2026 09:00:12 UTC",
            b"Sun, 13 Dec 2026 09:00:12 GMTx",
            b"Sun, 13 Dec 2026 09:00:1 GMT",
            b"Sun 13 Dec 2026 09:00:12 GMT!",
            b"Sun, 13 Dez 2026 09:00:12 GMT",
        ];
        for input in left {
            assert_eq!(imf_fixdate(input), None, "{input:?}");
        }
        assert_eq!(parse_cookie_date(left[0]), Ok(1_797_152_412));
    }

    proptest::proptest! {
        /// Any bytes in the fields of an IMF-fixdate: where the fast path reads
        /// one, the tokenizer reads the same fields.
        #[test]
        fn fast_path_never_disagrees(
            changes in proptest::collection::vec(proptest::option::weighted(0.1,
                proptest::sample::select(b"0123456789:, -aAbcDdeEFfGgJjMmNnOoRrSsTtuUVvWy".to_vec())), 29),
        ) {
            let mut input = *b"Sun, 13 Dec 2026 09:00:12 GMT";
            // A few bytes changed, so that many inputs stay dates.
            for (slot, change) in input.iter_mut().zip(changes) {
                if let Some(b) = change {
                    *slot = b;
                }
            }
            if let Some(fast) = imf_fixdate(&input) {
                proptest::prop_assert_eq!(Ok(fast), tokens::fields(&input));
            }
        }
    }
}
