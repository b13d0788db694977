//! The parser tests of the IETF http-state suite, run end to end through the cookie
//! jar: `../shared/conformance/http-state/parser/NAME-test` holds the Set-Cookie
//! lines of one response, `NAME-expected` the Cookie header the next request must
//! carry. The semantics follow that folder's README:
//!
//! - the cookies come from `http://home.example.org:8888/cookie-parser?NAME`, in
//!   file order, each line's value trimmed of SP/HTAB;
//! - the check request goes to the `Location` line resolved against that URL, or
//!   to `/cookie-parser-result?NAME`;
//! - `-expected` is read with the upstream rule: exactly one match of
//!   `Cookie:\s*(.*)` is the header value, zero or several mean no header;
//! - the clock is fixed at 2012-01-01T00:00:00Z, and `org` is a public suffix
//!   (it is in the jar's built-in test list);
//! - `disabled-*` tests are run for information only.
//!
//! Where the expectations come from:
//!
//! - RFC 6265 mode: from the suite. Every enabled test must give what its
//!   `-expected` file says (218 tests).
//! - RFC 6265bis mode, 194 tests: from the suite too; their files hold.
//! - RFC 6265bis mode, 24 tests: **our own reading** of the draft
//!   (draft-ietf-httpbis-rfc6265bis, the sections this crate's docs cite), since
//!   the files record RFC 6265. The data's README names 23 of them without their
//!   outcomes ("from our own model, not from upstream"); [`BIS_EXPECTED`] gives
//!   each outcome with the draft sections it follows. [`BIS_ALSO_DIFFERS`] is one
//!   more that the README's model does not list (§5.6.3, §5.7).

mod common;

use std::path::Path;

use embedded_cookie::jar::Jar;
use embedded_cookie::jar::Url;
use embedded_cookie::set_cookie::Spec;

/// A few public suffixes for the test cases: generic top-level domains and `co.uk`. Not the
/// Public Suffix List.
const SUFFIXES: &[&str] = &["com", "net", "org", "edu", "gov", "io", "uk", "co.uk"];

/// 2012-01-01T00:00:00Z, inside the window where every dated test holds.
const NOW: i64 = 1_325_376_000;
const ORIGIN: &str = "http://home.example.org:8888";

/// §5.6 (Set-Cookie parsing): a `name-value-pair` without `=` is a cookie with an
/// empty name whose value is the whole pair.
const NO_EQUALS: &str = "§5.6 no `=`";
/// §5.6: `=x` is a cookie with an empty name and value `x` (the name ends at the
/// first `=`).
const EMPTY_NAME: &str = "§5.6 `=x`";
/// §5.6: a line whose name and value are both empty is ignored.
const BOTH_EMPTY: &str = "§5.6 both empty";
/// §5.7 (storage): nameless cookies of one domain and path replace each other
/// (same name: ""), keeping the first one's creation time.
const REPLACED: &str = "§5.7 replaced";
/// §5.8.3 (retrieval): a nameless cookie is sent as its value alone.
const AS_VALUE: &str = "§5.8.3 value alone";

/// Our own 6265bis outcome of the 23 tests the README lists, with the draft rules
/// each follows. `None` means no Cookie header.
const BIS_EXPECTED: [(&str, Option<&str>, &[&str]); 23] = [
    ("0004", Some("foo"), &[NO_EQUALS, AS_VALUE]),
    ("0021", Some("a=b; x; c=d"), &[EMPTY_NAME, AS_VALUE]),
    ("0023", Some("foo"), &[NO_EQUALS, BOTH_EMPTY, AS_VALUE]),
    ("0024", Some("foo"), &[NO_EQUALS, BOTH_EMPTY, AS_VALUE]),
    ("0025", Some("foo"), &[NO_EQUALS, BOTH_EMPTY, AS_VALUE]),
    ("0026", Some("foo"), &[NO_EQUALS, BOTH_EMPTY, AS_VALUE]),
    ("0027", Some("bar"), &[NO_EQUALS, REPLACED, AS_VALUE]),
    ("0028", Some("foo"), &[NO_EQUALS, BOTH_EMPTY, AS_VALUE]),
    ("chromium0009", Some("BLAHHH"), &[NO_EQUALS, AS_VALUE]),
    ("chromium0010", Some("\"BLA\\\"HHH\""), &[NO_EQUALS, AS_VALUE]),
    ("chromium0012", Some("ABC"), &[EMPTY_NAME, AS_VALUE]),
    ("mozilla0012", Some("test=\"fubar! = foo; five"), &[NO_EQUALS, AS_VALUE]),
    ("mozilla0014", Some("six"), &[NO_EQUALS, AS_VALUE]),
    ("mozilla0015", Some("seven"), &[NO_EQUALS, REPLACED, AS_VALUE]),
    ("mozilla0016", Some("eight"), &[NO_EQUALS, EMPTY_NAME, REPLACED, AS_VALUE]),
    ("mozilla0017", Some("eight; test=six"), &[NO_EQUALS, EMPTY_NAME, REPLACED, AS_VALUE]),
    ("name0017", Some("a=bar"), &[EMPTY_NAME, AS_VALUE]),
    ("name0023", Some("foo"), &[NO_EQUALS, AS_VALUE]),
    ("name0025", Some("==a=bar"), &[EMPTY_NAME, AS_VALUE]),
    ("name0028", Some("a"), &[EMPTY_NAME, AS_VALUE]),
    ("name0031", Some("\"foo"), &[NO_EQUALS, AS_VALUE]),
    ("name0032", Some("\"foo\\\"bar"), &[NO_EQUALS, AS_VALUE]),
    ("name0033", Some("aaa"), &[EMPTY_NAME, NO_EQUALS, REPLACED, AS_VALUE]),
];

/// Our own 6265bis outcome of a test beyond the README's list. The README's model
/// keeps RFC 6265's SHOULD of skipping an empty `Domain=`; RFC 6265bis (§5.6.3
/// records the last `Domain`, §5.7 makes an empty one host-only) and browsers do
/// not (see the `set_cookie` module docs). So `foo=bar; domain=foo.example.org;
/// domain=` set from `home.example.org` is a host-only cookie there, and is sent
/// back to it.
const BIS_ALSO_DIFFERS: [(&str, Option<&str>, &[&str]); 1] =
    [("optional-domain0042", Some("foo=bar"), &["§5.6.3 last Domain", "§5.7 empty: host-only"])];

struct Case {
    name: String,
    set_cookies: Vec<Vec<u8>>,
    location: Option<String>,
    expected: Option<Vec<u8>>,
}

/// `bytes` without SP/HTAB at either end.
fn trim(bytes: &[u8]) -> &[u8] {
    let is_ws = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes.iter().position(|b| !is_ws(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !is_ws(b)).map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// The expected header per the upstream rule: every non-overlapping match of
/// `Cookie:\s*(.*)`; exactly one match is the value, otherwise no header.
fn expected_header(text: &[u8]) -> Option<Vec<u8>> {
    let needle = b"Cookie:";
    let mut matches = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].windows(needle.len()).position(|w| w == needle) {
        let mut pos = at + found + needle.len();
        // Python's `\s`: space, \t, \n, \v, \f, \r.
        while pos < text.len() && b" \t\n\x0b\x0c\r".contains(&text[pos]) {
            pos += 1;
        }
        let end = text[pos..].iter().position(|&b| b == b'\n').map_or(text.len(), |e| pos + e);
        matches.push(text[pos..end].to_vec());
        at = end;
    }
    if matches.len() == 1 { matches.pop() } else { None }
}

fn read_case(dir: &Path, name: &str) -> Case {
    let test = std::fs::read(dir.join(format!("{name}-test"))).unwrap();
    let mut set_cookies = Vec::new();
    let mut location = None;
    for line in test.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let colon = line.iter().position(|&b| b == b':').unwrap();
        let (header, value) = (&line[..colon], trim(&line[colon + 1..]));
        match header {
            b"Set-Cookie" => set_cookies.push(value.to_vec()),
            b"Location" => location = Some(String::from_utf8(value.to_vec()).unwrap()),
            other => panic!("{name}: unexpected header {:?}", String::from_utf8_lossy(other)),
        }
    }
    let expected = expected_header(&std::fs::read(dir.join(format!("{name}-expected"))).unwrap());
    Case { name: name.to_owned(), set_cookies, location, expected }
}

fn cases() -> Option<Vec<Case>> {
    let dir = common::shared_data("conformance/http-state/parser")?;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str()?.strip_suffix("-test").map(str::to_owned))
        .collect();
    names.sort();
    Some(names.iter().map(|name| read_case(&dir, name)).collect())
}

/// Runs one test in a fresh jar and returns the Cookie header sent, `None` for none.
fn run(case: &Case, rules: Spec) -> Option<Vec<u8>> {
    let mut jar: Jar<_, 8, 8192> = Jar::new(rules, SUFFIXES);
    let from = format!("{ORIGIN}/cookie-parser?{}", case.name);
    let from = Url::parse(&from).unwrap();
    for set_cookie in &case.set_cookies {
        // Ignored cookies are part of the test, which checks the header sent; an
        // ignored cookie must leave the jar as it was.
        let before = contents(&jar);
        if jar.store(&from, set_cookie, NOW).is_err() {
            assert_eq!(contents(&jar), before, "{}: a refused cookie changed the jar", case.name);
        }
    }
    let to = match &case.location {
        Some(loc) if loc.starts_with('/') => format!("{ORIGIN}{loc}"),
        Some(loc) => loc.clone(),
        None => format!("{ORIGIN}/cookie-parser-result?{}", case.name),
    };
    let mut buf = vec![0u8; Jar::<&[&str], 8, 8192>::HEADER_CAPACITY];
    let header = jar.cookie_header(&Url::parse(&to).unwrap(), NOW, &mut buf).unwrap();
    (!header.is_empty()).then(|| header.to_vec())
}

/// What the jar holds, in its order.
fn contents<const N: usize, const B: usize>(jar: &Jar<&[&str], N, B>) -> Vec<Vec<u8>> {
    jar.iter()
        .map(|c| [c.name(), b"=", c.value(), b"; ", c.domain().as_bytes(), c.path()].concat())
        .collect()
}

/// A header for a message.
fn show(header: &Option<Vec<u8>>) -> String {
    header
        .as_deref()
        .map_or("no header".to_owned(), |h| format!("{:?}", String::from_utf8_lossy(h)))
}

/// Runs `cases` under `rules`, prints `label: N passed, M failed` and the
/// failures, and returns the failures.
fn report<'a>(
    label: &str,
    rules: Spec,
    cases: impl Iterator<Item = (&'a Case, Option<Vec<u8>>)>,
) -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failed = Vec::new();
    for (case, want) in cases {
        let got = run(case, rules);
        if got == want {
            passed += 1;
        } else {
            failed.push(format!("{}: got {}, want {}", case.name, show(&got), show(&want)));
        }
    }
    println!("{label}: {passed} passed, {} failed", failed.len());
    for failure in &failed {
        println!("  FAILED {failure}");
    }
    (passed, failed)
}

/// The expectation `table` gives test `name`, if it names it.
fn listed(table: &[(&str, Option<&str>, &[&str])], name: &str) -> Option<Option<Vec<u8>>> {
    table.iter().find(|(n, ..)| *n == name).map(|(_, h, _)| h.map(|h| h.as_bytes().to_vec()))
}

#[test]
fn rfc6265_every_enabled_test_passes() {
    let Some(cases) = cases() else { return };
    assert_eq!(cases.len(), 222, "the suite has 222 parser tests");
    let enabled = cases.iter().filter(|c| !c.name.starts_with("disabled-"));
    let (passed, failed) =
        report("http-state", Spec::Rfc6265, enabled.map(|c| (c, c.expected.clone())));
    for case in cases.iter().filter(|c| c.name.starts_with("disabled-")) {
        let got = run(case, Spec::Rfc6265);
        let verdict = if got == case.expected { "as its file expects" } else { "differs" };
        println!("  disabled, information only: {} {verdict}: {}", case.name, show(&got));
    }
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 218);
}

#[test]
fn rfc6265bis_listed_tests_pass() {
    let Some(cases) = cases() else { return };
    let bis = cases.iter().filter_map(|c| Some((c, listed(&BIS_EXPECTED, &c.name)?)));
    let (passed, failed) = report("http-state 6265bis, our reading", Spec::Rfc6265bis, bis);
    for (name, _, rules) in BIS_EXPECTED.iter().chain(&BIS_ALSO_DIFFERS) {
        println!("  our reading of {name}: {}", rules.join(", "));
    }
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, BIS_EXPECTED.len());
}

#[test]
fn rfc6265bis_other_enabled_tests_keep_their_expectations() {
    let Some(cases) = cases() else { return };
    let others = cases
        .iter()
        .filter(|c| !c.name.starts_with("disabled-") && listed(&BIS_EXPECTED, &c.name).is_none())
        .map(|c| (c, listed(&BIS_ALSO_DIFFERS, &c.name).unwrap_or_else(|| c.expected.clone())));
    let (passed, failed) =
        report("http-state 6265bis, other enabled tests", Spec::Rfc6265bis, others);
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 218 - BIS_EXPECTED.len());
}

#[test]
fn expected_files_are_read_as_upstream_did() {
    let cases: [(&[u8], Option<&[u8]>); 7] = [
        (b"", None),
        (b"\n", None),
        (b"Cookie: a=b\n", Some(b"a=b")),
        (b"Cookie: z=y, a=b\n\n", Some(b"z=y, a=b")),
        (b"Received Cookie: x\n", Some(b"x")),
        (b"Cookie:\n  x=y\n", Some(b"x=y")),
        (b"Set-Cookie: foo\nSet-Cookie:    \n", None),
    ];
    for (text, want) in cases {
        assert_eq!(expected_header(text).as_deref(), want, "{:?}", String::from_utf8_lossy(text));
    }
}
