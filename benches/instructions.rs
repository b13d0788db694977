//! Runs one contender on one input a given number of times, for
//! `scripts/instructions`, which counts the instructions under callgrind. Not a
//! timed benchmark: under `cargo bench` it only says how to use it.
//!
//! ```text
//! instructions list                          # input names and sizes, contenders
//! instructions <contender> <input> <runs>    # e.g. floor typical 100
//! ```

mod common;

use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inputs = common::cookie_headers();
    let contenders = common::COOKIE_CONTENDERS;
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["list"] => {
            // Here, not in the counted runs: the check runs `biscotti`, whose hash
            // map is seeded at random, and would make counts vary.
            common::check_contenders_agree(&inputs);
            for input in &inputs {
                println!("input {} {}", input.name, input.header.len());
            }
            for contender in contenders {
                println!("contender {}", contender.name);
            }
            ExitCode::SUCCESS
        }
        [contender, input, runs] => {
            let contender = contenders.iter().find(|c| c.name == contender);
            let input = inputs.iter().find(|i| i.name == input);
            let (Some(contender), Some(input), Ok(runs)) = (contender, input, runs.parse::<u32>())
            else {
                eprintln!("unknown contender or input, or bad count: see `instructions list`");
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
