//! Hostile `Set-Cookie` lines: every byte value in every position of the name, the
//! value and the attributes, and lines of 10,000 attributes. Each gives the
//! documented result or a typed [`SetCookieError`], never a panic; `tests/hostile_work.rs`
//! shows the work is linear.

mod hostile_common;

use embedded_cookie::set_cookie::{SameSite, SetCookie, SetCookieError, Spec};
use hostile_common::{byte_values, is_ctl, trim};

/// `bytes` cut at the first `=`, both sides trimmed; no `=` is all name.
fn split_eq(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    match bytes.iter().position(|&b| b == b'=') {
        Some(eq) => (trim(&bytes[..eq]), Some(trim(&bytes[eq + 1..]))),
        None => (trim(bytes), None),
    }
}

/// What the `set_cookie` module docs say a line reads as, written as plainly as
/// possible: the pair and the attributes as split, and the attributes the checks
/// below look at (the last valid one winning).
#[derive(Debug, PartialEq)]
struct Model<'a> {
    name: &'a [u8],
    value: &'a [u8],
    attributes: Vec<(&'a [u8], &'a [u8])>,
    max_age: Option<i64>,
    path: Option<&'a [u8]>,
    secure: bool,
    same_site: Option<SameSite>,
}

fn model(line: &[u8], rules: Spec) -> Result<Model<'_>, SetCookieError> {
    let bis = rules == Spec::Rfc6265bis;
    if bis && line.iter().any(|&b| is_ctl(b)) {
        return Err(SetCookieError::ControlCharacter);
    }
    let mut parts = line.split(|&b| b == b';');
    let (name, value) = match split_eq(parts.next().unwrap()) {
        (name, Some(value)) => (name, value),
        (value, None) if bis => (&b""[..], value),
        (_, None) => return Err(SetCookieError::MissingEquals),
    };
    match (name, value) {
        ([], []) if bis => return Err(SetCookieError::EmptyNameAndValue),
        ([], _) if !bis => return Err(SetCookieError::EmptyName),
        _ => {}
    }
    let attributes: Vec<_> = parts
        .map(|av| split_eq(av))
        .map(|(n, v)| (n, v.unwrap_or_default()))
        .filter(|(n, v)| !(n.is_empty() && v.is_empty()))
        .collect();
    let mut m = Model {
        name,
        value,
        attributes,
        max_age: None,
        path: None,
        secure: false,
        same_site: None,
    };
    for &(n, v) in &m.attributes {
        match n.to_ascii_lowercase().as_slice() {
            b"max-age" => {
                let digits = v.strip_prefix(b"-").unwrap_or(v);
                if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
                    m.max_age = std::str::from_utf8(v).unwrap().parse().ok();
                }
            }
            b"path" => m.path = v.starts_with(b"/").then_some(v),
            b"secure" => m.secure = true,
            // The last SameSite wins, an unknown value leaving it unspecified.
            b"samesite" => {
                m.same_site = match v.to_ascii_lowercase().as_slice() {
                    b"strict" => Some(SameSite::Strict),
                    b"lax" => Some(SameSite::Lax),
                    b"none" => Some(SameSite::None),
                    _ => None,
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

fn read(line: &[u8], rules: Spec) -> Result<Model<'_>, SetCookieError> {
    SetCookie::parse_with(line, rules).map(|c| Model {
        name: c.name(),
        value: c.value(),
        attributes: c.attributes().map(|a| (a.name(), a.value())).collect(),
        max_age: c.max_age(),
        path: c.path(),
        secure: c.secure(),
        same_site: c.same_site(),
    })
}

const TEMPLATE: &[u8] = b"ab=cd; Path=/x; Max-Age=60; SameSite=Lax; Secure";

#[test]
fn every_byte_at_every_position_of_a_set_cookie_line() {
    for at in 0..=TEMPLATE.len() {
        for b in byte_values() {
            let mut inserted = TEMPLATE.to_vec();
            inserted.insert(at, b);
            let mut replaced = TEMPLATE.to_vec();
            if let Some(slot) = replaced.get_mut(at) {
                *slot = b;
            }
            for line in [&inserted, &replaced] {
                for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
                    assert_eq!(read(line, rules), model(line, rules), "{line:?} {rules:?}");
                }
            }
        }
    }
}

#[test]
fn ten_thousand_attributes() {
    let line = |attribute: &dyn Fn(usize) -> String| {
        let attributes: String = (0..10_000).map(|i| format!("; {}", attribute(i))).collect();
        format!("a=1{attributes}").into_bytes()
    };
    let paths = line(&|i| format!("Path=/p{i}"));
    let unknown = line(&|i| format!("X{i}={i}"));
    let max_ages = line(&|i| if i == 9_999 { "Max-Age=+1".into() } else { format!("Max-Age={i}") });
    let expires = line(&|i| format!("Expires=Wed, 09 Jun 2021 10:18:{:02} GMT", i % 60));
    let empty = [&b"a=1"[..], &b";".repeat(10_000)].concat();
    for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
        let parse = |line| SetCookie::parse_with(line, rules).unwrap();
        assert_eq!(parse(&paths).path(), Some(&b"/p9999"[..]), "the last Path wins");
        assert_eq!(parse(&paths).attributes().count(), 10_000);
        assert_eq!(parse(&unknown).unknown().count(), 10_000);
        assert_eq!(parse(&max_ages).max_age(), Some(9_998), "an invalid Max-Age is skipped");
        assert_eq!(parse(&expires).expires(), Some(1_623_233_880 + 9_999 % 60));
        assert_eq!(parse(&empty).attributes().count(), 0, "empty cookie-avs are no attributes");
    }
}
