//! Policy lookups: the 4-rule seed table against the Open Cookie Database
//! (2,237 rules after the rows the loader reports), one `classify` per iteration.
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
use embedded_cookie::policy::{Policy, SEED};

const CAPACITY: usize = 2_264;

/// Classifies `names` in turn, one per iteration.
fn bench<const N: usize>(c: &mut Criterion, id: &str, policy: &Policy<'_, N>, names: &[Vec<u8>]) {
    c.bench_function(&format!("classify/{id}"), |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            if i == names.len() {
                i = 0;
            }
            policy.classify(black_box(&names[i])).is_some()
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
    let rows = ocd::rows(&path);
    let text = ocd::policy_text(&rows);
    let ocd = Box::new(Policy::<CAPACITY>::load_reporting(&text, |_| {}));

    let seed_names: Vec<Vec<u8>> = SEED.rules().iter().map(|r| r.pattern.name().into()).collect();
    // Every rule of the large table: exact names, and prefixes with a suffix.
    let ocd_names: Vec<Vec<u8>> = ocd
        .rules()
        .iter()
        .map(|r| {
            let name = r.pattern.name();
            if r.pattern.is_prefix() { format!("{name}X9") } else { name.to_owned() }.into_bytes()
        })
        .collect();

    bench(&mut c, "seed-4/seed-names", &SEED, &seed_names);
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
                SEED.len()
            );
        }
    }
}
