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

/// The request-head suite of `scripts/instructions` filters the head the timed
/// benchmark filters, and keeps the site's cookies.
#[test]
fn head_filter_keeps_the_declared_cookies() {
    let suite = common::head_suite();
    let [input] = &suite.inputs[..] else { panic!("one head") };
    let written = match (suite.contenders[0].run)(input) {
        common::Outcome::Filtered { bytes } => bytes,
        other => panic!("{other:?}"),
    };
    let declared = ["sessionid", "csrftoken", "django_language", "cookies_preferences"];
    let kept: usize =
        input.header.split("; ").filter(|c| declared.iter().any(|d| c.contains(d))).count();
    assert_eq!(kept, declared.len());
    assert!(written < input.header.len(), "{written}");
    assert!(
        input
            .header
            .contains(common::DJANGO_POLICY.lines().next().unwrap().split(' ').next().unwrap())
    );
    assert!(common::request_head("a=1").ends_with("Cookie: a=1\r\n\r\n"));
}
