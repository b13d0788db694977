//! Policy lookups: the 4-rule seed table against the Open Cookie Database
//! (2,264 declarations; 2,237 rules once the loader has reported the 12 names
//! outside the token set and the 15 duplicates), one `classify` per iteration:
//!
//! - `seed-4/seed-names` and `ocd-2264/seed-names`: the seed's four names in
//!   either table, the same work but for the table's size;
//! - `ocd-2264/ocd-names`: every rule of the large table in turn (a prefix with a
//!   suffix added), which also pays for cache misses a 4-rule table never has.
//!
//! ```text
//! cargo bench --bench classify
//! ```
//!
//! Ends by printing the per-lookup ratios of the large table to the seed table,
//! read from criterion's estimates. Needs `../shared/data/open-cookie-database/`.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/ocd/mod.rs"]
mod ocd;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::Criterion;
use embedded_cookie::policy::Policy;

/// The seed site's policy, 4 rules.
const SEED_TEXT: &str = include_str!("../examples/policies/seed.policy");

const CAPACITY: usize = 2_264;

/// Classifies `names` in turn, one per iteration.
fn bench<const N: usize>(c: &mut Criterion, id: &str, policy: &Policy<'_, N>, names: &[&[u8]]) {
    c.bench_function(&format!("classify/{id}"), |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            if i == names.len() {
                i = 0;
            }
            policy.classify(black_box(names[i])).is_some()
        })
    });
}

/// The mean time per iteration criterion measured for `id`, in ns.
fn mean(dir: &Path, id: &str) -> Option<f64> {
    let path = dir.join(format!("classify_{id}")).join("new/estimates.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../criterion");
    let mut c = Criterion::default().output_directory(&dir).configure_from_args();
    let Some(path) = common::shared_data(ocd::DATA) else { return };
    let rows = ocd::rows(&path).expect("the Open Cookie Database reads");
    let text = ocd::policy_text(&rows);
    let ocd = Box::new(Policy::<CAPACITY>::load_reporting(&text, |_| {}));

    let seed = Policy::<4>::load(SEED_TEXT).expect("the seed policy loads");
    let seed_names: Vec<&[u8]> = seed.rules().iter().map(|r| r.pattern.name().as_bytes()).collect();
    // Every rule of the large table: exact names, and prefixes with a suffix, side
    // by side in one buffer as a request's names would be.
    let mut buffer = String::new();
    let mut ends = Vec::new();
    for rule in ocd.rules() {
        buffer.push_str(rule.pattern.name());
        if rule.pattern.is_prefix() {
            buffer.push_str("X9");
        }
        ends.push(buffer.len());
    }
    let starts = std::iter::once(0).chain(ends.iter().copied());
    let ocd_names: Vec<&[u8]> =
        starts.zip(&ends).map(|(start, &end)| &buffer.as_bytes()[start..end]).collect();

    bench(&mut c, "seed-4/seed-names", &seed, &seed_names);
    bench(&mut c, "ocd-2264/seed-names", &*ocd, &seed_names);
    bench(&mut c, "ocd-2264/ocd-names", &*ocd, &ocd_names);
    c.final_summary();

    let base = mean(&dir, "seed-4_seed-names");
    for id in ["ocd-2264_seed-names", "ocd-2264_ocd-names"] {
        if let (Some(base), Some(large)) = (base, mean(&dir, id)) {
            println!(
                "ratio {id} / seed-4_seed-names: {:.2} ({large:.1} ns / {base:.1} ns per lookup, {} rules / {})",
                large / base,
                ocd.len(),
                seed.len()
            );
        }
    }
}
