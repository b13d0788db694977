//! Hostile policy texts and consent cookies: 100,000 lines against a small capacity,
//! every byte value in every position of a rule line and of a consent value. Each
//! gives a typed error or the documented result, never a panic, and no malformed
//! consent grants anything; `tests/hostile_work.rs` shows the load is linear.

mod hostile_common;

use embedded_cookie::consent::{AskAgain, Categories, Consent};
use embedded_cookie::policy::{Category, LoadError, LoadErrorKind, Policy};
use hostile_common::byte_values;

/// `n` distinct rule lines, every fifth a prefix rule.
fn rules(n: usize) -> String {
    (0..n)
        .map(|i| {
            if i % 5 == 0 {
                format!("p{i}_* | statistics\n")
            } else {
                format!("c{i} | necessary\n")
            }
        })
        .collect()
}

#[test]
fn a_hundred_thousand_lines_against_a_capacity_of_eight() {
    let text = rules(100_000);
    // `load` stops at the first rule that does not fit.
    let err = Policy::<8>::load(&text).unwrap_err();
    assert_eq!(err, LoadError { kind: LoadErrorKind::CapacityExceeded, line: 9 });
    // `load_reporting` keeps eight and reports each of the other 99,992.
    let mut full = 0;
    let mut last = 0;
    let policy = Policy::<8>::load_reporting(&text, |e| {
        assert_eq!(e.kind, LoadErrorKind::CapacityExceeded);
        assert!(e.line > last);
        last = e.line;
        full += 1;
    });
    assert_eq!((policy.len(), full, last), (8, 99_992, 100_000));
    assert_eq!(policy.classify(b"c1").map(|r| r.category), Some(Category::Necessary));
    assert_eq!(policy.classify(b"c99999"), None);
}

#[test]
fn a_hundred_thousand_bad_and_blank_lines() {
    let kinds = [
        ("x | tasty\n", LoadErrorKind::UnknownCategory),
        ("a b | necessary\n", LoadErrorKind::InvalidName),
        ("x\n", LoadErrorKind::MissingField),
        ("x|necessary|||||||\n", LoadErrorKind::TooManyFields),
        ("@revision x\n", LoadErrorKind::InvalidDirective),
    ];
    for (line, kind) in kinds {
        let text = line.repeat(100_000);
        assert_eq!(Policy::<4>::load(&text).unwrap_err(), LoadError { kind, line: 1 });
        let mut count = 0;
        let policy = Policy::<4>::load_reporting(&text, |e| {
            assert_eq!(e.kind, kind);
            count += 1;
        });
        assert_eq!((policy.len(), count), (0, 100_000), "{line:?}");
    }
    let blank = " \t\r\n#|\n".repeat(100_000);
    assert!(Policy::<4>::load(&blank).unwrap().is_empty());
    let long = format!("x | necessary | {}", "y".repeat(1 << 20));
    assert_eq!(Policy::<4>::load(&long).unwrap().rules()[0].provider.len(), 1 << 20);
}

#[test]
fn every_byte_at_every_position_of_a_rule_line() {
    let template = "ab_* | statistics anonymised | P | F | front | U | secure path=/ max-age=1d";
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let mut buf = [0u8; 4];
    for at in 0..=template.len() {
        for b in byte_values() {
            // Only text can be a policy: a byte above 0x7F stands for its character.
            let c = char::from(b).encode_utf8(&mut buf);
            let text = format!("{}{c}{}", &template[..at], &template[at..]);
            let lines = text.split('\n').count();
            match Policy::<2>::load(&text) {
                Ok(policy) => {
                    for rule in policy.rules() {
                        assert!(policy.classify(rule.pattern.name().as_bytes()).is_some());
                    }
                    // Empty only when the byte made the line a comment.
                    assert_eq!(policy.is_empty(), text.trim_start().starts_with('#'), "{text:?}");
                }
                Err(e) => assert!((1..=lines).contains(&e.line), "{text:?}: {e}"),
            }
            // A token byte inside the name, or a space where spaces are, changes
            // nothing but the name.
            if (at > 0 && at < 3 && tchar(b) && b != b'|' && b != b'*') || (at == 5 && b == b' ') {
                let policy = Policy::<2>::load(&text).unwrap();
                assert_eq!(policy.rules()[0].category, Category::Statistics, "{text:?}");
            }
        }
    }
}

#[test]
fn no_malformed_consent_grants_anything() {
    let granted = Consent::new(Categories::ALL, 7);
    let canonical = granted.to_heapless();
    assert_eq!(canonical.as_str(), "1.7.psm");
    let refused = Consent::necessary_only(7);
    for at in 0..=canonical.len() {
        for b in byte_values() {
            let mut inserted = canonical.as_bytes().to_vec();
            inserted.insert(at, b);
            let mut replaced = canonical.as_bytes().to_vec();
            if let Some(slot) = replaced.get_mut(at) {
                *slot = b;
            }
            for value in [inserted, replaced] {
                let reading = Consent::parse(&value, 7);
                match reading.ask_again {
                    None => assert_eq!(reading.consent.to_heapless().as_bytes(), value),
                    Some(_) => assert_eq!(reading.consent, refused, "{value:?} granted"),
                }
            }
        }
    }
    let huge = [&b"1.7."[..], &b"p".repeat(100_000)].concat();
    assert_eq!(Consent::parse(&huge, 7).ask_again, Some(AskAgain::Malformed));
    let digits = [&b"1."[..], &b"7".repeat(100_000), b".psm"].concat();
    assert_eq!(Consent::parse(&digits, 7).consent, refused);
}
