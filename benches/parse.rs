//! Parsing side by side with the crates users would pick instead, on identical
//! inputs in one run: `cargo bench --bench parse`. After criterion's own report, a
//! table of throughputs and of the target ratios is printed (see BENCHMARKS.md).

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{COOKIE_CONTENDERS, Contender, Input};
use criterion::{Criterion, Throughput};

/// Short enough that a whole `cargo bench` stays within a few minutes on 2 cores.
fn criterion(output: &Path) -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .output_directory(output)
        .configure_from_args()
}

fn group_name(kind: &str, input: &Input) -> String {
    format!("{kind}/{}", input.name)
}

fn bench(c: &mut Criterion, kind: &str, inputs: &[Input], contenders: &[Contender]) {
    for input in inputs {
        let mut group = c.benchmark_group(group_name(kind, input));
        group.throughput(Throughput::BytesDecimal(input.header.len() as u64));
        for contender in contenders {
            group.bench_function(contender.name, |b| b.iter(|| (contender.run)(black_box(input))));
        }
        group.finish();
    }
}

/// Nanoseconds per run that this run measured, from criterion's `estimates.json`;
/// `None` when filtered out (or older than `since`, from an earlier run).
fn nanos(output: &Path, group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let path = output.join(group.replace('/', "_")).join(id).join("new/estimates.json");
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    let typical = json.get("slope").filter(|s| !s.is_null()).or_else(|| json.get("mean"))?;
    typical.get("point_estimate")?.as_f64()
}

/// The side-by-side table in Markdown: MB/s of each contender, then this crate's
/// speed-up over `cookie` (target ≥ 4) and its time over the floor's (target ≤ 2).
fn table(output: &Path, kind: &str, inputs: &[Input], contenders: &[Contender], since: SystemTime) {
    let names: Vec<&str> = contenders.iter().map(|c| c.name).collect();
    println!("\n| input | bytes | {} MB/s | vs `cookie` | vs floor |", names.join(" MB/s | "));
    println!("|---|---:|{}---:|---:|", "---:|".repeat(names.len()));
    for input in inputs {
        let group = group_name(kind, input);
        let times: Vec<Option<f64>> =
            names.iter().map(|id| nanos(output, &group, id, since)).collect();
        if times.iter().all(Option::is_none) {
            continue;
        }
        let bytes = input.header.len() as f64;
        let cell = |t: &Option<f64>| t.map_or("–".into(), |t| format!("{:.0}", bytes / t * 1e3));
        let cells: Vec<String> = times.iter().map(cell).collect();
        let time = |id: &str| names.iter().position(|n| *n == id).and_then(|i| times[i]);
        let ratio = |num: Option<f64>, den: Option<f64>| {
            num.zip(den).map_or("–".into(), |(n, d)| format!("{:.2}×", n / d))
        };
        let ours = time("embedded-cookie");
        println!(
            "| {} | {} | {} | {} | {} |",
            input.name,
            input.header.len(),
            cells.join(" | "),
            ratio(time("cookie"), ours),
            ratio(ours, time("floor")),
        );
    }
}

fn main() {
    let since = SystemTime::now();
    let output = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into());
        PathBuf::from(target).join("criterion")
    });
    let cookie_headers = common::cookie_headers();
    common::check_contenders_agree(&cookie_headers);

    let mut c = criterion(&output);
    bench(&mut c, "cookie-header", &cookie_headers, COOKIE_CONTENDERS);
    c.final_summary();
    table(&output, "cookie-header", &cookie_headers, COOKIE_CONTENDERS, since);
}
