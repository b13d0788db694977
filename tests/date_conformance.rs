//! The 70 cookie-date cases of the IETF http-state suite, read from
//! `../shared/conformance/http-state/dates/` at run time.

mod common;

use embedded_cookie::date::{ImfFixdate, parse_cookie_date};

/// The two files of the suite, with their number of cases.
const FILES: [(&str, usize); 2] = [("examples.json", 15), ("bsd-examples.json", 55)];

/// The cases of one file: (input, expected IMF-fixdate or `None` for a failure).
fn cases(file: &str) -> Option<Vec<(String, Option<String>)>> {
    let path = common::shared_data(&format!("conformance/http-state/dates/{file}"))?;
    let text = std::fs::read_to_string(path).unwrap();
    // bsd-examples.json opens with its licence as `//` lines, which JSON does not allow.
    let json: String =
        text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cases = value.as_array().unwrap().iter().map(|case| {
        let test = case["test"].as_str().unwrap().to_owned();
        (test, case["expected"].as_str().map(str::to_owned))
    });
    Some(cases.collect())
}

#[test]
fn http_state_date_cases() {
    // Every file is read before any case runs: a missing second file must not
    // end the test after the first file's failures were collected.
    let Some(files) =
        FILES.iter().map(|&(file, n)| Some((file, n, cases(file)?))).collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let mut passed = 0;
    let mut failed = Vec::new();
    for (file, n, cases) in files {
        assert_eq!(cases.len(), n, "{file} has {n} cases");
        for (input, expected) in cases {
            let got = parse_cookie_date(input.as_bytes())
                .ok()
                .map(|secs| ImfFixdate::new(secs).unwrap().to_string());
            if got == expected {
                passed += 1;
            } else {
                failed.push(format!("{file}: {input:?}: got {got:?}, want {expected:?}"));
            }
        }
    }
    println!("http-state dates: {passed} passed, {} failed", failed.len());
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 70);
}
