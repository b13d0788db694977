//! The benchmarks' own check, run with `cargo test`: every contender of every suite
//! in `benches/` does the same work on every input (a benchmark of a parser that
//! reads something else measures nothing), and the crate finds what each input
//! holds. The benchmarks run it too, but they are never run in CI.

#[path = "../benches/common/mod.rs"]
mod common;

#[test]
fn contenders_agree() {
    let suites = common::suites();
    common::check_contenders_agree(&suites);
    for suite in &suites {
        let (contenders, inputs) = (suite.contenders.len(), suite.inputs.len());
        println!("{}: {contenders} contenders agree on {inputs} inputs", suite.name);
        assert!(contenders >= 2 && inputs >= 1, "{}: nothing to compare", suite.name);
    }
}
