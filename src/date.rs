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

use nom::bytes::complete::{tag_no_case, take_till1, take_while, take_while_m_n};
use nom::character::complete::char;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::octets;

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

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

type Res<'a, O> = IResult<&'a [u8], O, ()>;

fn digits(min: usize, max: usize) -> impl Fn(&[u8]) -> Res<'_, u32> {
    move |input| {
        let (rest, ds) = take_while_m_n(min, max, |b: u8| b.is_ascii_digit()).parse(input)?;
        Ok((rest, ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))))
    }
}

/// `date-token = 1*non-delimiter`, after any delimiters.
fn date_token(input: &[u8]) -> Res<'_, &[u8]> {
    preceded(take_while(octets::is_date_delimiter), take_till1(octets::is_date_delimiter))
        .parse(input)
}

/// A production's digits must be followed by the end of the token or a non-digit
/// (`( non-digit *OCTET )`); whatever follows is ignored.
fn then_non_digit<O>(result: Res<'_, O>) -> Option<O> {
    match result {
        Ok((rest, value)) if !rest.first().is_some_and(u8::is_ascii_digit) => Some(value),
        _ => None,
    }
}

/// `time = hms-time ( non-digit *OCTET )`, `hms-time = time-field ":" time-field ":"
/// time-field`, `time-field = 1*2DIGIT`.
fn time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let field = digits(1, 2);
    let hms = (&field, char(':'), &field, char(':'), &field);
    then_non_digit(hms.map(|(h, _, m, _, s)| (h, m, s)).parse(token))
}

/// `day-of-month = 1*2DIGIT ( non-digit *OCTET )`.
fn day_of_month(token: &[u8]) -> Option<u32> {
    then_non_digit(digits(1, 2)(token))
}

/// `month = ( "jan" / "feb" / ... / "dec" ) *OCTET`, case-insensitive; 1-based.
fn month(token: &[u8]) -> Option<u32> {
    (1..)
        .zip(MONTHS)
        .find(|(_, name)| tag_no_case::<_, _, ()>(*name).parse(token).is_ok())
        .map(|(n, _)| n)
}

/// `year = 2*4DIGIT ( non-digit *OCTET )`.
fn year(token: &[u8]) -> Option<u32> {
    then_non_digit(digits(2, 4)(token))
}

/// Parses a cookie date by the RFC 6265 §5.1.1 algorithm (unchanged in RFC 6265bis),
/// giving seconds since the Unix epoch.
///
/// Work is linear in the input: each token is looked at once.
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
    let day = found_day.ok_or(DateError::MissingDay)?;
    let month = found_month.ok_or(DateError::MissingMonth)?;
    let year = match found_year.ok_or(DateError::MissingYear)? {
        y @ 70..=99 => y + 1900,
        y @ 0..=69 => y + 2000,
        y => y,
    };
    if year < 1601 {
        return Err(DateError::YearBefore1601);
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(DateError::InvalidTime);
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(DateError::InvalidDay);
    }
    let days = days_from_civil(i64::from(year), month, day);
    Ok(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: (year, month 1-12, day 1-31).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both are small and positive by construction: day 1..=31, month 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if month <= 2 { era * 400 + yoe + 1 } else { era * 400 + yoe }, month, day)
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
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let weekday = WEEKDAYS.get(days.rem_euclid(7) as usize).copied().unwrap_or_default();
        let month = MONTH_NAMES.get(month as usize - 1).copied().unwrap_or_default();
        let mut out = *b"Thu, 00 Jan 0000 00:00:00 GMT";
        let mut put = |at: usize, text: &[u8]| {
            for (slot, &b) in out.iter_mut().skip(at).zip(text) {
                *slot = b;
            }
        };
        let two = |n: i64| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        put(0, weekday.as_bytes());
        put(5, &two(i64::from(day)));
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
        let mut days = MIN / 86_400;
        while days <= MAX / 86_400 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y as u32, m));
            days += 97;
        }
    }
}
