//! Parsing (and building `Set-Cookie` lines) side by side with the crates users
//! would pick instead, on identical inputs in one run: `cargo bench --bench parse`.
//!
//! Criterion measures each contender in turn. On a shared machine load comes and
//! goes between those measurements and skews their ratios, so the summary table
//! printed at the end comes from a second, short pass in which the contenders of an
//! input take turns, a fraction of a millisecond each (see BENCHMARKS.md).

// The request-head suite is `benches/head.rs`'s and `scripts/instructions`'s: not timed here.
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use common::{Contender, Input, Suite};
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

/// Whether criterion measured `group` in this run (not filtered out, not listing).
fn measured(output: &Path, group: &str, contenders: &[Contender], since: SystemTime) -> bool {
    contenders.iter().any(|contender| {
        let path =
            output.join(group.replace('/', "_")).join(contender.name).join("new/estimates.json");
        std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|t| t >= since)
    })
}

/// Rounds of turns: with each turn a fifth of a millisecond, a pass over all the
/// contenders of an input takes a fraction of a second.
const ROUNDS: usize = 201;
const TURN: Duration = Duration::from_micros(200);

fn time(contender: &Contender, input: &Input, runs: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..runs {
        black_box((contender.run)(black_box(input)));
    }
    start.elapsed()
}

/// Nanoseconds per run of each contender when they take turns on `input`: the
/// median of its turns. Load that comes and goes then weighs on all alike.
fn take_turns(input: &Input, contenders: &[Contender]) -> Vec<f64> {
    let runs: Vec<u32> = contenders
        .iter()
        .map(|contender| {
            let mut runs = 1;
            while time(contender, input, runs) < TURN && runs < 1 << 20 {
                runs *= 2;
            }
            runs
        })
        .collect();
    let mut turns = vec![Vec::with_capacity(ROUNDS); contenders.len()];
    for _ in 0..ROUNDS {
        for ((contender, &runs), turns) in contenders.iter().zip(&runs).zip(&mut turns) {
            turns.push(time(contender, input, runs).as_nanos() as f64 / f64::from(runs));
        }
    }
    turns
        .into_iter()
        .map(|mut turns| {
            turns.sort_by(f64::total_cmp);
            turns[ROUNDS / 2]
        })
        .collect()
}

/// The side-by-side table in Markdown: MB/s of each contender, then this crate's
/// speed-up over `cookie` (target ≥ 4) and, where there is a floor, its time over
/// the floor's (target ≤ 2).
fn summary(output: &Path, suite: &Suite, since: SystemTime) {
    let (kind, inputs, contenders) = (suite.name, &suite.inputs, suite.contenders);
    let names: Vec<&str> = contenders.iter().map(|c| c.name).collect();
    let has_floor = names.contains(&"floor");
    let mut rows = Vec::new();
    for input in inputs {
        if !measured(output, &group_name(kind, input), contenders, since) {
            continue;
        }
        let nanos = take_turns(input, contenders);
        let time = |id: &str| names.iter().position(|n| *n == id).map(|i| nanos[i]);
        let ratio = |num: Option<f64>, den: Option<f64>| {
            num.zip(den).map_or("–".into(), |(n, d)| format!("{:.2}×", n / d))
        };
        let bytes = input.header.len();
        let speeds: Vec<String> =
            nanos.iter().map(|t| format!("{:.0}", bytes as f64 / t * 1e3)).collect();
        let ours = time("embedded-cookie");
        let floor =
            if has_floor { format!(" {} |", ratio(ours, time("floor"))) } else { String::new() };
        rows.push(format!(
            "| {} | {bytes} | {} | {} |{floor}",
            input.name,
            speeds.join(" | "),
            ratio(time("cookie"), ours),
        ));
    }
    if rows.is_empty() {
        return;
    }
    println!("\n{kind}: MB/s, median of {ROUNDS} turns of each contender\n");
    let (floor, floor_rule) = if has_floor { (" vs floor |", "---:|") } else { ("", "") };
    println!("| input | bytes | {} | vs `cookie` |{floor}", names.join(" | "));
    println!("|---|---:|{}---:|{floor_rule}", "---:|".repeat(names.len()));
    for row in rows {
        println!("{row}");
    }
}

fn main() {
    let since = SystemTime::now();
    let output = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into());
        PathBuf::from(target).join("criterion")
    });
    let suites = common::suites();
    common::check_contenders_agree(&suites);

    let mut c = criterion(&output);
    for suite in &suites {
        bench(&mut c, suite.name, &suite.inputs, suite.contenders);
    }
    c.final_summary();
    for suite in &suites {
        summary(&output, suite, since);
    }
}
