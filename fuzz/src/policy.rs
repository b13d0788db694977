//! `Policy::load` and `Policy::load_reporting` on any text, and `classify` on the
//! table they build.

use embedded_cookie::policy::{LoadErrorKind, Policy, Rule};

use crate::offset_in;

/// A small capacity, so that texts reach it.
pub const CAPACITY: usize = 16;

/// Any text gives a table or the first bad line; reporting loads keep every good
/// line and report every bad one in order, so that rules and errors on rule lines
/// add up to the rule lines; every string of the table borrows the
/// text; the table is sorted; classification finds what a scan of the rules finds.
pub fn check(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    let mut errors = Vec::new();
    let reported = Policy::<CAPACITY>::load_reporting(text, |e| errors.push(e));
    for pair in errors.windows(2) {
        assert!(pair[0].line < pair[1].line, "errors out of order: {errors:?}");
    }
    for e in &errors {
        assert!((1..=lines).contains(&e.line), "{e:?} outside {lines} lines");
        if e.kind == LoadErrorKind::CapacityExceeded {
            assert_eq!(reported.len(), CAPACITY, "capacity reported full too early");
        }
    }
    // Every rule line is loaded or reported, once: nothing is dropped silently. A
    // rule line is what the module docs say: not blank, not `#` and not `@` once
    // CR, SP and HTAB are trimmed.
    let rule_lines: Vec<usize> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).trim_matches([' ', '\t']))
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#') && !l.starts_with('@'))
        .map(|(i, _)| i + 1)
        .collect();
    let rule_errors = errors.iter().filter(|e| rule_lines.contains(&e.line)).count();
    assert_eq!(reported.len() + rule_errors, rule_lines.len(), "rules + errors != rule lines");
    match Policy::<CAPACITY>::load(text) {
        Ok(policy) => {
            assert!(errors.is_empty(), "load passed what load_reporting refused: {errors:?}");
            assert_eq!(policy.rules(), reported.rules());
            assert_eq!(
                (policy.revision(), policy.undeclared()),
                (reported.revision(), reported.undeclared())
            );
        }
        Err(e) => assert_eq!(Some(&e), errors.first(), "load and load_reporting disagree"),
    }
    check_table(text.as_bytes(), &reported, data);
}

/// The table's invariants, and `classify` against a scan for every rule name and
/// for names made from the input.
pub fn check_table<const N: usize>(text: &[u8], policy: &Policy<'_, N>, probes: &[u8]) {
    let rules = policy.rules();
    assert_eq!(rules.len(), policy.len());
    assert!(policy.len() <= N);
    let prefixes = rules.iter().take_while(|r| r.pattern.is_prefix()).count();
    assert!(rules[prefixes..].iter().all(|r| !r.pattern.is_prefix()), "prefix rules not first");
    for part in [&rules[..prefixes], &rules[prefixes..]] {
        for pair in part.windows(2) {
            assert!(pair[0].pattern.name() < pair[1].pattern.name(), "rules unsorted or duplicate");
        }
    }
    for r in rules {
        for s in [r.pattern.name(), r.provider, r.function, r.purpose] {
            assert!(
                s.is_empty() || offset_in(text, s.as_bytes()).is_some(),
                "{s:?} not in the text"
            );
        }
    }
    let mut names: Vec<Vec<u8>> =
        rules.iter().map(|r| r.pattern.name().as_bytes().to_vec()).collect();
    for r in rules {
        names.push([r.pattern.name().as_bytes(), b"x"].concat());
        names.push(r.pattern.name().as_bytes()[..r.pattern.name().len() / 2].to_vec());
    }
    names.extend(probes.split(|&b| b == b'\n' || b == b'|' || b == b' ').map(<[u8]>::to_vec));
    for name in &names {
        assert_eq!(
            policy.classify(name),
            scan(rules, name),
            "classify({:?})",
            String::from_utf8_lossy(name)
        );
    }
}

/// The rule of `name` by the definition: the exact rule, else the longest prefix.
fn scan<'r, 'a>(rules: &'r [Rule<'a>], name: &[u8]) -> Option<&'r Rule<'a>> {
    let exact =
        rules.iter().find(|r| !r.pattern.is_prefix() && r.pattern.name().as_bytes() == name);
    let prefix = || {
        let covering = rules.iter().filter(|r| r.pattern.is_prefix() && r.pattern.matches(name));
        covering.max_by_key(|r| r.pattern.name().len())
    };
    exact.or_else(prefix)
}
