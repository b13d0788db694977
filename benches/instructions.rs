//! Runs one contender on one input a given number of times, for
//! `scripts/instructions`, which counts the instructions under callgrind. Not a
//! timed benchmark: under `cargo bench` it only says how to use it.
//!
//! ```text
//! instructions list                                  # suites, inputs and contenders
//! instructions <suite> <contender> <input> <runs>    # e.g. cookie-header floor typical 100
//! ```

mod common;

use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut suites = common::suites();
    suites.push(common::head_suite());
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["list"] => {
            // Here, not in the counted runs: the check runs `biscotti`, whose hash
            // map is seeded at random, and would make counts vary.
            common::check_contenders_agree(&suites);
            for suite in &suites {
                for input in &suite.inputs {
                    println!("input {} {} {}", suite.name, input.name, input.header.len());
                }
                for contender in suite.contenders {
                    println!("contender {} {}", suite.name, contender.name);
                }
            }
            ExitCode::SUCCESS
        }
        [suite, contender, input, runs] => {
            let suite = suites.iter().find(|s| s.name == suite);
            let contender = suite.and_then(|s| s.contenders.iter().find(|c| c.name == contender));
            let input = suite.and_then(|s| s.inputs.iter().find(|i| i.name == input));
            let (Some(contender), Some(input), Ok(runs)) = (contender, input, runs.parse::<u32>())
            else {
                eprintln!(
                    "unknown suite, contender or input, or bad count: see `instructions list`"
                );
                return ExitCode::FAILURE;
            };
            for _ in 0..runs {
                black_box((contender.run)(black_box(input)));
            }
            ExitCode::SUCCESS
        }
        _ => {
            println!("instructions: not timed; run `scripts/instructions` (see BENCHMARKS.md)");
            ExitCode::SUCCESS
        }
    }
}
