//! The Open Cookie Database (2,264 declarations, 260 of them prefixes) loaded into
//! one policy table through the text format, then every declared name classified
//! back to its own row. Read from `../shared/data/open-cookie-database/` at run
//! time; see `tests/ocd/mod.rs` for the category mapping.

mod common;
mod ocd;

use embedded_cookie::policy::{LoadErrorKind, Party, Pattern, Policy, Rule};

/// Room for every row.
const CAPACITY: usize = 2_264;

/// The rule a row would be, compared by everything the conversion carries over.
fn is_row(rule: &Rule<'_>, row: &ocd::Row) -> bool {
    let pattern = if row.prefix { Pattern::Prefix(&row.name) } else { Pattern::Exact(&row.name) };
    let party = if row.third_party { Party::Third } else { Party::First };
    rule.pattern == pattern
        && rule.provider == ocd::text(&row.platform)
        && rule.purpose == ocd::text(&row.description)
        && Some(rule.category.as_str()) == ocd::category(&row.category)
        && rule.party == party
        && rule.attributes.max_age == ocd::max_age(&row.retention)
}

/// The specification of `classify`, as a linear scan.
fn reference<'r, 'a>(rules: &'r [Rule<'a>], name: &[u8]) -> Option<&'r Rule<'a>> {
    rules.iter().find(|r| !r.pattern.is_prefix() && r.pattern.matches(name)).or_else(|| {
        rules
            .iter()
            .filter(|r| r.pattern.is_prefix() && r.pattern.matches(name))
            .max_by_key(|r| r.pattern.name().len())
    })
}

#[test]
fn every_row_loads_or_is_reported_and_classifies_back_to_itself() {
    // A 2,264-rule table is about 350 KiB: more than a test thread's default stack.
    std::thread::Builder::new().stack_size(64 << 20).spawn(check).unwrap().join().unwrap();
}

fn check() {
    let Some(path) = common::shared_data(ocd::DATA) else { return };
    let rows = ocd::rows(&path).expect("the Open Cookie Database reads");
    assert_eq!(rows.len(), 2_264);
    assert_eq!(rows.iter().filter(|r| r.prefix).count(), 260);

    let text = ocd::policy_text(&rows);
    let mut errors = Vec::new();
    let policy = Policy::<CAPACITY>::load_reporting(&text, |e| errors.push(e));

    // Every refused line is a row, reported once, for a reason the data explains.
    let mut invalid = Vec::new();
    let mut duplicates = Vec::new();
    for error in &errors {
        let index = ocd::row_of_line(error.line).expect("an error on a rule line");
        let row = &rows[index];
        print!("CSV line {}: {:?}: {}", row.line, row.name, error.kind);
        match error.kind {
            LoadErrorKind::InvalidName => {
                println!();
                assert!(!ocd::is_token(&row.name), "{row:?}");
                invalid.push(index);
            }
            LoadErrorKind::DuplicateName => {
                let first = rows[..index]
                    .iter()
                    .position(|r| r.name == row.name && r.prefix == row.prefix)
                    .expect("a duplicate has an earlier row");
                println!(" (first declared on CSV line {})", rows[first].line);
                duplicates.push((first, index));
            }
            other => panic!("unexpected {other} for {row:?}"),
        }
    }
    let non_tokens = rows.iter().filter(|r| !ocd::is_token(&r.name)).count();
    assert_eq!(invalid.len(), non_tokens, "every non-token name is reported, no other");
    assert_eq!(policy.len() + errors.len(), rows.len(), "no row is silently dropped");

    // Every row classifies back to itself, or to the rule that the table's
    // precedence explains.
    let mut own = 0;
    let mut to_first_duplicate = 0;
    let mut prefix_behind_exact = 0;
    let mut longer_prefix = 0;
    for (index, row) in rows.iter().enumerate() {
        if invalid.contains(&index) {
            continue;
        }
        let declared = match duplicates.iter().find(|(_, dup)| *dup == index) {
            Some(&(first, _)) => {
                to_first_duplicate += 1;
                &rows[first]
            }
            None => row,
        };
        let probes: Vec<Vec<u8>> = if row.prefix {
            vec![row.name.clone().into_bytes(), format!("{}X9", row.name).into_bytes()]
        } else {
            vec![row.name.clone().into_bytes()]
        };
        for probe in probes {
            let got = policy.classify(&probe).expect("a declared name is declared");
            assert_eq!(Some(got), reference(policy.rules(), &probe), "{row:?}");
            if is_row(got, declared) {
                own += 1;
            } else if row.prefix && !got.pattern.is_prefix() && got.pattern.name() == row.name {
                prefix_behind_exact += 1;
            } else if row.prefix
                && got.pattern.is_prefix()
                && got.pattern.name().len() > row.name.len()
            {
                longer_prefix += 1;
            } else {
                panic!("{probe:?} of {row:?} classified as {got:?}");
            }
        }
    }
    let third_party = policy.rules().iter().filter(|r| r.party == Party::Third).count();
    let max_age = policy.rules().iter().filter(|r| r.attributes.max_age.is_some()).count();
    println!(
        "{} rows: {} loaded ({third_party} third-party, {max_age} with a max-age), {} \
         non-token names reported, {} duplicates reported; {} lookups ({} prefix rows \
         probed twice): {} to their own row ({} to the first row of a duplicate), {} \
         prefixes behind an exact rule of the same text, {} behind a longer prefix",
        rows.len(),
        policy.len(),
        invalid.len(),
        duplicates.len(),
        own + prefix_behind_exact + longer_prefix,
        rows.iter().filter(|r| r.prefix).count(),
        own,
        to_first_duplicate,
        prefix_behind_exact,
        longer_prefix,
    );
    // Every figure printed, pinned: a change in the data or the loader shows here.
    assert_eq!((policy.len(), third_party, max_age), (2_237, 145, 1_616));
    assert_eq!((invalid.len(), duplicates.len()), (12, 15));
    assert_eq!((own, to_first_duplicate, prefix_behind_exact, longer_prefix), (2_505, 15, 4, 0));
}
