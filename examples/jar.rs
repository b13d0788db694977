//! Replays a conversation with servers through the cookie jar, and prints the
//! Cookie header each request would carry.
//!
//! ```text
//! printf '%s\n' 'at 2024-05-01T12:00:00Z' 'from https://api.example.com/login' \
//!     'Set-Cookie: sid=42; Secure; HttpOnly' 'to https://api.example.com/status' \
//!     | cargo run --example jar
//! ```
//!
//! Lines read from stdin (split on LF, a trailing CR dropped):
//!
//! - `at <RFC 3339 time>`: the clock from now on, e.g. `2012-01-01T00:00:00Z` or
//!   `2012-01-01 01:00:00.5+01:00` (fractions of a second are dropped, a leap
//!   second `:60` is read as `:59`). Before the
//!   first `at`, the clock is the system time.
//! - `from <url>`: the URL of the response whose `Set-Cookie: ...` lines follow.
//! - `Set-Cookie: ...`: stored as a response to the last `from` URL; what the jar
//!   did goes to stderr.
//! - `to <url>`: prints `Cookie: ...`, the header a request to that URL would
//!   carry, or an empty line when it would carry none.
//! - Empty lines and lines starting with `#` are skipped.
//!
//! `--rfc6265` follows RFC 6265 (2011) instead of RFC 6265bis. `--stats` prints the
//! jar's memory use to stderr at the end. Public suffixes come from the jar's tiny
//! built-in test list (`com`, `org`, `co.uk`, ...), not the real list.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use embedded_cookie::date::parse_cookie_date;
use embedded_cookie::jar::Url;
use embedded_cookie::jar::{ENTRY_BYTES, Jar};
use embedded_cookie::set_cookie::Spec;

/// A few public suffixes for the replay: generic top-level domains and `co.uk`. Not the
/// Public Suffix List.
const SUFFIXES: &[&str] = &["com", "net", "org", "edu", "gov", "io", "uk", "co.uk"];

const COOKIES: usize = 64;
const BYTES: usize = 16 * 1024;
type ReplayJar = Jar<&'static [&'static str], COOKIES, BYTES>;

fn main() -> ExitCode {
    let mut rules = Spec::Rfc6265bis;
    let mut stats = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--rfc6265" => rules = Spec::Rfc6265,
            "--stats" => stats = true,
            _ => {
                eprintln!("usage: jar [--rfc6265] [--stats] < replay.txt");
                return ExitCode::from(2);
            }
        }
    }
    let mut jar: Box<ReplayJar> = Box::new(Jar::new(rules, SUFFIXES));
    let result = replay(&mut jar, io::stdin().lock(), &mut io::stdout().lock());
    if stats {
        eprintln!(
            "jar: {} cookies; {} bytes each for the entry plus {} arena bytes in use; \
             {} bytes for the whole Jar<_, {COOKIES}, {BYTES}>",
            jar.len(),
            ENTRY_BYTES,
            jar.bytes_used(),
            size_of::<ReplayJar>(),
        );
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn replay(jar: &mut ReplayJar, input: impl BufRead, out: &mut impl Write) -> Result<(), String> {
    let mut now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let mut from: Option<String> = None;
    let mut buf = vec![0u8; ReplayJar::HEADER_CAPACITY];
    for (number, line) in input.split(b'\n').enumerate() {
        let fail = |what: String| format!("line {}: {what}", number + 1);
        let mut line = line.map_err(|e| fail(e.to_string()))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if let Some(time) = text.strip_prefix("at ") {
            now = rfc3339(time.trim())
                .ok_or_else(|| fail(format!("not an RFC 3339 time: {time}")))?;
        } else if let Some(url) = text.strip_prefix("from ") {
            let url = url.trim();
            Url::parse(url).map_err(|e| fail(format!("{e}: {url}")))?;
            from = Some(url.to_owned());
        } else if let Some(url) = text.strip_prefix("to ") {
            let url = Url::parse(url.trim()).map_err(|e| fail(format!("{e}: {url}")))?;
            let header = jar.cookie_header(&url, now, &mut buf).map_err(|e| fail(e.to_string()))?;
            let written = if header.is_empty() {
                writeln!(out)
            } else {
                out.write_all(b"Cookie: ")
                    .and_then(|()| out.write_all(header))
                    .and_then(|()| writeln!(out))
            };
            written.map_err(|e| fail(e.to_string()))?;
        } else if let Some(value) = set_cookie_value(&line) {
            let url =
                from.as_deref().ok_or_else(|| fail("Set-Cookie before any `from` line".into()))?;
            let url = Url::parse(url).map_err(|e| fail(e.to_string()))?;
            match jar.store(&url, value, now) {
                Ok(stored) => eprintln!("line {}: {stored}", number + 1),
                Err(e) => eprintln!("line {}: ignored: {e}", number + 1),
            }
        } else {
            return Err(fail(format!("not at/from/to/Set-Cookie: {text}")));
        }
    }
    Ok(())
}

/// The value of a `Set-Cookie:` line (header name in any case), SP/HTAB trimmed.
fn set_cookie_value(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = line.split_at(colon);
    name.trim_ascii().eq_ignore_ascii_case(b"set-cookie").then(|| {
        let value = &value[1..];
        let is_ws = |b: &u8| *b == b' ' || *b == b'\t';
        let start = value.iter().position(|b| !is_ws(b)).unwrap_or(value.len());
        let end = value.iter().rposition(|b| !is_ws(b)).map_or(start, |e| e + 1);
        &value[start..end]
    })
}

/// Seconds since the epoch of `YYYY-MM-DD(T|t| )HH:MM:SS[.frac](Z|z|(+|-)HH:MM)`;
/// a leap second `:60` is read as `:59`.
/// The calendar arithmetic is the crate's cookie-date parser, given the same
/// moment as `DD Mon YYYY HH:MM:SS`.
fn rfc3339(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    // A leap second (RFC 3339 §5.7 allows `:60`) is read as the second before it:
    // Unix time has no number of its own for it.
    let second = if second == 60 { 59 } else { second };
    let separators_ok = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    // Cookie dates read years below 1601 differently (`0070` is 1970).
    if !separators_ok || year < 1601 {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction.find(|c: char| !c.is_ascii_digit()).unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        rest = &fraction[end..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (h, m) = rest.get(1..)?.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (i64::from(h.parse::<u32>().ok()?) * 3600
                + i64::from(m.parse::<u32>().ok()?) * 60)
        }
    };
    let month = MONTHS.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    let date = format!("{day} {month} {year} {hour:02}:{minute:02}:{second:02}");
    Some(parse_cookie_date(date.as_bytes()).ok()? - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times() {
        let cases = [
            ("2012-01-01T00:00:00Z", Some(1_325_376_000)),
            ("2012-01-01 01:00:00.5+01:00", Some(1_325_376_000)),
            // The leap second at the end of 2016 is read as the second before it.
            ("2016-12-31T23:59:60Z", Some(1_483_228_799)),
            ("2016-12-31T23:59:59Z", Some(1_483_228_799)),
            ("2016-12-31T23:59:61Z", None),
            ("2012-01-01T00:00:00", None),
        ];
        for (text, want) in cases {
            assert_eq!(rfc3339(text), want, "{text}");
        }
    }
}
