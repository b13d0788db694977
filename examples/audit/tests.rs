//! The audit against the HAR files of `tests/fixtures/har`, each written for one
//! kind of finding, and against malformed files.

#[path = "../../tests/common/mod.rs"]
mod common;

use super::*;
use embedded_cookie::enforce::Transport;
use walk::{Attribute, Finding, How, When};

const SEED: &str = include_str!("../policies/seed.policy");

/// The device app's policy: a session by transport (`sessionid` over plain
/// http, `__Host-sessionid` over https), the other cookies `secure
/// transport=any`.
const DEVICE: &str = include_str!("../device-app/device.policy");

/// The seed, and rules that need consent: a first-party statistics cookie and an
/// advertising network's.
const CONSENT_RULES: &str = "
_pk_id.* | statistics            | Matomo     | Audience measurement | front | To count visits | secure max-age=13w path=/
ad_uid   | marketing third-party | Ad network | Advertising          | front | To show ads     | secure samesite=none
";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/har/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn seed_path() -> String {
    format!("{}/examples/policies/seed.policy", env!("CARGO_MANIFEST_DIR"))
}

fn policy(text: &str) -> Box<Table> {
    load("test policy", text.to_owned()).unwrap()
}

fn audited(policy_text: &str, fixture_name: &str) -> walk::Report {
    audited_text(policy_text, &std::fs::read_to_string(fixture(fixture_name)).unwrap())
}

fn audited_text(policy_text: &str, har_text: &str) -> walk::Report {
    walk::audit(&policy(policy_text), CONSENT_COOKIE, &har::read(har_text).unwrap(), None)
}

/// Each mismatch as (entry, name, attribute, found, wanted).
fn mismatches(report: &walk::Report) -> Vec<(usize, &str, Attribute, &str, &str)> {
    report
        .mismatches
        .iter()
        .map(|m| (m.entry, m.name.as_str(), m.attribute, m.found.as_str(), m.wanted.as_str()))
        .collect()
}

/// The command's exit status, standard output and standard error.
fn command(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = run(&args, &mut out, &mut err);
    (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn a_visit_that_keeps_the_seed_policy_has_no_finding() {
    let report = audited(SEED, "seed-compliant.har");
    assert_eq!(report.violations(), 0, "{report:#?}");
    let seen: Vec<(&str, usize, usize, usize)> = report
        .declared
        .iter()
        .map(|d| (d.info.rule.as_str(), d.seen.set, d.seen.sent, d.seen.deleted))
        .collect();
    assert_eq!(
        seen,
        [
            ("csrftoken", 2, 5, 0),
            ("cookies_preferences", 1, 3, 0),
            ("sessionid", 1, 2, 1),
            ("django_language", 1, 1, 0)
        ]
    );
    assert!(
        report.never_seen.is_empty()
            && report.undeclared.is_empty()
            && report.third_party.is_empty()
    );
    assert!(report.unreadable.is_empty());
}

#[test]
fn each_broken_attribute_is_a_mismatch() {
    let report = audited(SEED, "attribute-mismatches.har");
    use Attribute::*;
    assert_eq!(
        mismatches(&report),
        [
            (0, "csrftoken", Secure, "no Secure", "secure"),
            (0, "csrftoken", SameSite, "SameSite=None", "samesite=lax"),
            (1, "sessionid", Lifetime, "Max-Age=31536000", "max-age=1209600"),
            (1, "sessionid", HttpOnly, "no HttpOnly", "httponly"),
            (2, "django_language", Path, "/fr/i18n/setlang (default-path)", "path=/"),
            (2, "cookies_preferences", Domain, "Domain=opendatasoft.com", "host-only"),
            (2, "cookies_preferences", Lifetime, "Expires in 63071998 s", "max-age=15724800"),
            (3, "sessionid", Party, "set by identity-provider.example", "first-party"),
        ]
    );
    assert_eq!(report.violations(), 8);
    let third: Vec<(&str, &str, How)> =
        report.third_party.iter().map(|t| (t.name.as_str(), t.site.as_str(), t.how)).collect();
    assert_eq!(third, [("sessionid", "identity-provider.example", How::Set)]);
}

#[test]
fn cookies_before_consent_and_after_withdrawal_are_violations() {
    let report = audited(&format!("{SEED}{CONSENT_RULES}"), "consent.har");
    let got: Vec<(usize, &str, How, When, Option<&str>)> = report
        .consent
        .iter()
        .map(|c| (c.entry, c.name.as_str(), c.how, c.when, c.consent.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (0, "_pk_id.1.a3f2", How::Set, When::BeforeConsent, None),
            (1, "_pk_id.1.a3f2", How::Sent, When::BeforeConsent, None),
            (3, "ad_uid", How::Set, When::BeforeConsent, Some("1.1.s")),
            (5, "_pk_id.1.a3f2", How::Sent, When::AfterWithdrawal, Some("1.1.")),
        ]
    );
    // Sent at 5 and 6, the latter with the response that deletes it.
    assert_eq!(report.consent[3].count, 2);
    // Sent with the grant in force (entries 2 to 4): no violation, but counted.
    let pk = report.declared.iter().find(|d| d.info.rule == "_pk_id.*").unwrap();
    assert_eq!((pk.seen.set, pk.seen.sent, pk.seen.deleted), (1, 6, 1));
    // Sent again at 7, after the site deleted it: a copy the site did not set.
    let sent: Vec<(usize, &str, Option<&str>, Finding)> = report
        .sent_not_set
        .iter()
        .map(|s| (s.entry, s.name.as_str(), s.rule.as_deref(), s.finding))
        .collect();
    assert_eq!(
        sent,
        [(7, "_pk_id.1.a3f2", Some("_pk_id.*"), Finding::WithoutConsent(When::AfterWithdrawal))]
    );
    assert_eq!(report.violations(), 5);
    // The advertising network is another site; its rule says third-party, so
    // that alone is no mismatch. The Matomo cookie lacks its `Secure`.
    assert_eq!(report.third_party.len(), 1);
    let mismatches: Vec<(&str, Attribute)> =
        report.mismatches.iter().map(|m| (m.name.as_str(), m.attribute)).collect();
    assert_eq!(mismatches, [("_pk_id.1.a3f2", Attribute::Secure)]);
    assert_eq!(
        report.never_seen.iter().map(|r| r.rule.as_str()).collect::<Vec<_>>(),
        ["django_language", "sessionid"]
    );
}

#[test]
fn a_consent_for_another_revision_grants_nothing() {
    // The same visit under revision 2: the `1.1.s` grant is void, so the
    // statistics cookie sent with it is still before consent.
    let text = format!("{}{CONSENT_RULES}", SEED.replace("@revision 1", "@revision 2"));
    let report = audited(&text, "consent.har");
    let sent: Vec<usize> =
        report.consent.iter().filter(|c| c.name.starts_with("_pk_id")).map(|c| c.entry).collect();
    assert_eq!(sent, [0, 1]);
    assert!(report.consent.iter().all(|c| c.when == When::BeforeConsent), "{:?}", report.consent);
}

#[test]
fn undeclared_cookies_are_listed_once_with_how_they_showed() {
    let report = audited(SEED, "undeclared.har");
    let got: Vec<(&str, usize, usize, usize)> = report
        .undeclared
        .iter()
        .map(|u| (u.name.as_str(), u.seen.set, u.seen.sent, u.seen.first))
        .collect();
    assert_eq!(got, [("__cf_bm", 1, 1, 0), ("_fbp", 1, 0, 2)]);
    // Only sent, never set by a response: not the site's doing, no violation.
    let sent: Vec<(usize, &str, Option<&str>, Finding, usize)> = report
        .sent_not_set
        .iter()
        .map(|s| (s.entry, s.name.as_str(), s.rule.as_deref(), s.finding, s.count))
        .collect();
    assert_eq!(
        sent,
        [(1, "_ga", None, Finding::Undeclared, 1), (1, "_gid", None, Finding::Undeclared, 1)]
    );
    assert_eq!(report.violations(), 2);
    let never: Vec<&str> = report.never_seen.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(never, ["cookies_preferences", "django_language", "sessionid"]);
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!((report.unreadable[0].entry, report.unreadable[0].header), (2, "Set-Cookie"));
    // Reported rather than blocked: shown, not violations.
    let report = audited(
        &format!("@undeclared report\n{}", SEED.replace("@undeclared block", "")),
        "undeclared.har",
    );
    assert_eq!((report.undeclared.len(), report.violations()), (2, 0));
}

/// The cookies of another app on the device's host (cookies ignore ports) and
/// one planted by hand, only sent: listed, no violation. The same cookie set by
/// the device is one.
#[test]
fn cookies_only_sent_are_not_the_sites_doing() {
    let text = std::fs::read_to_string(fixture("transport.har")).unwrap();
    let sent =
        text.replace("csrftoken=t0k; sessionid=s1\"", "csrftoken=t0k; sessionid=s1; other_app=1\"");
    let report = audited_text(DEVICE, &sent);
    assert!(report.undeclared.is_empty(), "{:?}", report.undeclared);
    let got: Vec<(usize, &str, usize)> =
        report.sent_not_set.iter().map(|s| (s.entry, s.name.as_str(), s.count)).collect();
    assert_eq!(got, [(2, "other_app", 3)]);
    let set = sent.replace(
        "Max-Age=3600; Path=/; HttpOnly; SameSite=Strict\"",
        "Max-Age=3600; Path=/; HttpOnly; SameSite=Strict\\nother_app=1; Path=/\"",
    );
    let report = audited_text(DEVICE, &set);
    assert!(report.sent_not_set.is_empty(), "{:?}", report.sent_not_set);
    let got: Vec<(&str, usize, usize)> =
        report.undeclared.iter().map(|u| (u.name.as_str(), u.seen.set, u.seen.sent)).collect();
    assert_eq!(got, [("other_app", 1, 3)]);
    assert_eq!(report.violations() - mismatches(&report).len(), 1);
}

/// A browser that holds another app's cookies for the device's host sends them
/// all, past the 8,192 bytes a device reads (`Limits::DEFAULT`): the audit reads
/// a `Cookie` header of any size, so the consent and the session in it still
/// count, and the foreign cookies are listed as sent, not set.
#[test]
fn a_cookie_header_of_any_size_is_read() {
    let text = std::fs::read_to_string(fixture("transport.har")).unwrap();
    let foreign: Vec<String> =
        (0..32).map(|i| format!("foreign_{i:02}={}", "f".repeat(250))).collect();
    let sent = text.replace(
        "csrftoken=t0k; sessionid=s1\"",
        &format!("{}; csrftoken=t0k; sessionid=s1\"", foreign.join("; ")),
    );
    assert!(sent.len() > text.len() + 3 * 8192, "the Cookie headers did not grow");
    let report = audited_text(DEVICE, &sent);
    assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    assert_eq!(report.violations(), audited_text(DEVICE, &text).violations());
    let got: Vec<(&str, usize)> =
        report.sent_not_set.iter().map(|s| (s.name.as_str(), s.count)).collect();
    assert_eq!(got.len(), 32, "{got:?}");
    assert_eq!(got[0], ("foreign_00", 3));
}

/// The transport is the entry's URL's: over plain http a `secure
/// transport=any` cookie goes without `Secure` and the session is `sessionid`;
/// over https each is the other way round.
#[test]
fn each_transport_is_judged_by_its_rules() {
    use Attribute::{Secure, Transport as Over};
    let http = std::fs::read_to_string(fixture("transport.har")).unwrap();
    let report = audited_text(DEVICE, &http);
    assert_eq!(
        mismatches(&report),
        [
            (3, "__Host-sessionid", Over, "over http", "transport=tls"),
            (4, "csrftoken", Secure, "Secure over http", "no Secure over http"),
        ]
    );
    assert_eq!(report.violations(), 2);
    let https = audited_text(DEVICE, &http.replace("http://", "https://"));
    assert_eq!(
        mismatches(&https),
        [
            (0, "csrftoken", Secure, "no Secure", "secure"),
            (1, "sessionid", Over, "over tls", "transport=http"),
        ]
    );
    // `sessionid` sent over https (entries 2 to 4: a browser sends a cookie
    // without `Secure` there too) is ignored by the enforcer: no violation.
    let session = https.declared.iter().find(|d| d.info.rule == "sessionid").unwrap();
    assert_eq!((session.seen.set, session.seen.sent), (1, 3));
    assert_eq!(https.violations(), 2);
}

#[test]
fn the_scheme_gives_the_transport() {
    let cases = [
        ("https://a.example/", Transport::Tls),
        ("wss://a.example/", Transport::Tls),
        ("HTTPS://a.example/", Transport::Tls),
        ("http://a.example/", Transport::PlainHttp),
        ("ws://a.example/", Transport::PlainHttp),
        ("ftp://a.example/", Transport::PlainHttp),
    ];
    for (url, want) in cases {
        let text = format!(
            r#"{{"log": {{"entries": [{{"startedDateTime": "2024-05-01T10:00:00Z", "request": {{"url": "{url}", "headers": []}}, "response": {{"headers": []}}}}]}}}}"#
        );
        assert_eq!(har::read(&text).unwrap().entries[0].transport, want, "{url}");
    }
}

#[test]
fn the_open_cookie_database_guesses_undeclared_categories() {
    let Some(path) = common::shared_data(ocd::DATA) else { return };
    let (policy, har) = (seed_path(), fixture("undeclared.har"));
    let with_ocd = |output| {
        command(&["--policy", &policy, "--har", &har, "--ocd", path.to_str().unwrap(), output])
    };
    let (status, out, _) = with_ocd("--json");
    assert_eq!(status, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let guesses: Vec<(&str, &str, &str)> = json["undeclared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap(),
                u["guess"]["category"].as_str().unwrap(),
                u["guess"]["party"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(guesses, [("__cf_bm", "preferences", "first"), ("_fbp", "marketing", "third")]);
    let sent: Vec<(&str, &str)> = json["sent_not_set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["guess"]["category"].as_str().unwrap()))
        .collect();
    assert_eq!(sent, [("_ga", "statistics"), ("_gid", "statistics")]);
    // The draft, added to the policy, declares those set; those only sent are
    // commented out, to uncomment when a script of the site writes them.
    let (_, draft, _) = with_ocd("--draft");
    assert!(draft.contains("\n# _ga | statistics | Google Analytics | | | ID used to identify users | max-age=63072000\n"), "{draft}");
    let report = audited(&format!("{SEED}{draft}"), "undeclared.har");
    assert!(report.undeclared.is_empty(), "{draft}");
    let uncommented = draft.replace("\n# _ga", "\n_ga").replace("\n# _gid", "\n_gid");
    let report = audited(&format!("{SEED}{uncommented}"), "undeclared.har");
    // Declared now; sent without the consent a statistics cookie needs, they are
    // reported as such, no longer as undeclared.
    let undeclared = report.sent_not_set.iter().filter(|s| s.finding == Finding::Undeclared);
    assert_eq!(undeclared.count(), 0, "{uncommented}");
}

#[test]
fn a_draft_without_a_guess_is_marketing_and_loads() {
    let (status, draft, _) =
        command(&["--policy", &seed_path(), "--har", &fixture("undeclared.har"), "--draft"]);
    assert_eq!(status, 1);
    assert_eq!(
        draft.lines().skip(1).collect::<Vec<_>>(),
        [
            "__cf_bm | marketing | | | | | secure httponly samesite=none max-age=1800 path=/ domain=opendatasoft.com",
            "_fbp | marketing third-party | | | | | secure samesite=none max-age=7776000 path=/ domain=facebook.com",
            "# Sent by the browser, never set by a response of the HAR (another app on the host, planted, or written by a script): uncomment only the site's own.",
            "# _ga | marketing",
            "# _gid | marketing",
        ]
    );
    let report = audited(&format!("{SEED}{draft}"), "undeclared.har");
    assert!(report.undeclared.is_empty() && report.mismatches.is_empty(), "{report:#?}");
}

#[test]
fn exit_status_says_violation_or_bad_input() {
    let seed = seed_path();
    let cases: [(&[&str], u8, &str); 9] = [
        (&["--har", "seed-compliant.har"], 0, ""),
        (&["--har", "attribute-mismatches.har"], 1, ""),
        (&["--har", "missing-url.har"], 2, "missing-url.har: log.entries[1].request.url: missing"),
        (
            &["--har", "wrong-type.har"],
            2,
            "log.entries[1].response.headers[0].value: expected a string, found a number",
        ),
        (
            &["--har", "truncated.har"],
            2,
            "truncated.har: log.entries[1]: truncated (EOF while parsing",
        ),
        (&["--har", "no-such.har"], 2, "HAR file"),
        (
            &["--har", "seed-compliant.har", "--json", "--draft"],
            2,
            "--json and --draft exclude each other",
        ),
        (&["--har", "seed-compliant.har", "--ocd"], 2, "--ocd needs a value"),
        (&["--har", "seed-compliant.har", "--what"], 2, "unknown argument \"--what\""),
    ];
    for (args, want, message) in cases {
        let mut full: Vec<String> = vec!["--policy".to_owned(), seed.clone()];
        full.extend(
            args.iter().map(|a| if a.ends_with(".har") { fixture(a) } else { (*a).to_owned() }),
        );
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        let (status, out, err) = command(&full);
        assert_eq!(status, want, "{args:?}: {out}{err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(out.is_empty(), want == 2, "{args:?}: {out}");
    }
    let (status, _, err) = command(&["--har", &fixture("seed-compliant.har")]);
    assert_eq!((status, err.lines().next()), (2, Some("audit: --policy and --har are required")));
    let (status, _, err) =
        command(&["--policy", &fixture("truncated.har"), "--har", &fixture("seed-compliant.har")]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("truncated.har: line 1"), "{err}");
}

#[test]
fn the_json_report_follows_schema_2() {
    let (status, out, _) = command(&[
        "--policy",
        &seed_path(),
        "--har",
        &fixture("attribute-mismatches.har"),
        "--json",
    ]);
    assert_eq!(status, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["schema"], 2);
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "consent",
            "consent_cookie",
            "declared",
            "entries",
            "har",
            "mismatches",
            "never_seen",
            "policy",
            "schema",
            "sent_not_set",
            "third_party",
            "undeclared",
            "undeclared_blocked",
            "unreadable",
            "violations"
        ]
    );
    assert_eq!((json["entries"].as_u64(), json["violations"].as_u64()), (Some(4), Some(8)));
    assert_eq!(
        json["mismatches"][0],
        serde_json::json!({
            "entry": 0, "url": "https://me1.opendatasoft.com/", "name": "csrftoken", "rule": "csrftoken",
            "attribute": "Secure", "found": "no Secure", "wanted": "secure", "count": 1
        })
    );
    assert_eq!(
        json["declared"][1],
        serde_json::json!({
            "rule": "sessionid", "category": "necessary", "provider": "Opendatasoft", "party": "first",
            "consent": "exempt", "names": ["sessionid"], "seen": {"first_entry": 1, "set": 2, "sent": 1, "deleted": 0}
        })
    );
    assert_eq!(json["third_party"][0]["site"], "identity-provider.example");
}

#[test]
fn the_table_shows_every_section() {
    let (status, out, _) =
        command(&["--policy", &seed_path(), "--har", &fixture("undeclared.har")]);
    assert_eq!(status, 1);
    for line in [
        "2 violations",
        "Undeclared cookies set (violations: the policy blocks them)",
        "  _fbp    1   0    #2",
        "Declared cookies never seen",
        "Attribute mismatches (violations): none",
        "  #2    _fbp set facebook.com opendatasoft.com (undeclared) 1",
        "  #2    Set-Cookie =\\u{1}bad control character",
        "Cookies sent, not set by the site (not violations",
        "  #1    _ga  (undeclared) undeclared 1",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
}

/// Malformed HAR text: the place named and what is wrong, never a panic.
#[test]
fn malformed_files_name_the_place() {
    const ENTRY: &str = r#"{"startedDateTime": "2024-05-01T10:00:00Z", "request": {"url": "https://a.example/", "headers": []}, "response": {"headers": []}}"#;
    let with = |entry: &str| format!(r#"{{"log": {{"entries": [{ENTRY}, {entry}]}}}}"#);
    let cases: Vec<(String, &str, &str)> = vec![
        (String::new(), "the file", "truncated"),
        ("[]".into(), "the file", "expected a HAR object"),
        ("{}".into(), "the file", "missing field `log`"),
        (r#"{"log": 5}"#.into(), "the file", "expected the HAR log object"),
        (r#"{"log": {}}"#.into(), "log.entries", "missing"),
        (r#"{"log": {"entries": {}}}"#.into(), "the file", "expected an array of entries"),
        (r#"{"log": {"entries": [{"#.into(), "log.entries[0]", "truncated"),
        (r#"{"log": {"entries": [1, }"#.into(), "log.entries[1]", "not a HAR file"),
        (r#"{"log": {"entries": []}} x"#.into(), "the file", "trailing characters"),
        (
            r#"{"log": {"entries": [], "pages": 3}}"#.into(),
            "log.pages",
            "expected an array, found a number",
        ),
        (
            r#"{"log": {"entries": [], "pages": [{"id": "p"}]}}"#.into(),
            "log.pages[0].title",
            "missing",
        ),
        (with("7"), "log.entries[1]", "expected an object, found a number"),
        (with("{}"), "log.entries[1].startedDateTime", "missing"),
        (
            with(&ENTRY.replace("10:00:00Z", "10:00:00")),
            "log.entries[1].startedDateTime",
            "not an ISO 8601",
        ),
        (
            with(&ENTRY.replace("\"https://a.example/\"", "\"/relative\"")),
            "log.entries[1].request.url",
            "not an absolute URL",
        ),
        (
            with(&ENTRY.replace("\"https://a.example/\"", "null")),
            "log.entries[1].request.url",
            "expected a string, found null",
        ),
        (
            with(
                &ENTRY
                    .replace(r#""request": {"#, r#""request": {"headers": 1, "#)
                    .replace(r#", "headers": []}, "response""#, r#"}, "response""#),
            ),
            "log.entries[1].request.headers",
            "expected an array",
        ),
        (
            with(&ENTRY.replace(
                r#""response": {"headers": []}"#,
                r#""response": {"headers": [{"name": "Set-Cookie"}]}"#,
            )),
            "log.entries[1].response.headers[0].value",
            "missing",
        ),
        (
            with(&ENTRY.replace(r#", "response": {"headers": []}"#, "")),
            "log.entries[1].response",
            "missing",
        ),
        (
            with(&ENTRY.replace(r#""request": {"#, r#""pageref": 1, "request": {"#)),
            "log.entries[1].pageref",
            "expected a string",
        ),
    ];
    for (text, at, what) in cases {
        let error = har::read(&text).err().unwrap_or_else(|| panic!("{text} read"));
        assert_eq!(error.at, at, "{text}: {error}");
        assert!(error.what.contains(what), "{text}: {error}");
    }
    assert_eq!(har::read(&with(ENTRY)).map(|h| h.entries.len()), Ok(2));
}

#[test]
fn set_cookie_values_joined_by_newlines_are_separate_lines() {
    let text = r#"{"log": {"entries": [{"startedDateTime": "2024-05-01T10:00:00Z", "request": {"url": "https://a.example/", "headers": [{"name": "cookie", "value": "a=1"}]}, "response": {"headers": [{"name": "set-cookie", "value": "a=1\nb=2\r\n"}, {"name": "Set-Cookie", "value": "c=3"}]}}]}}"#;
    let har = har::read(text).unwrap();
    assert_eq!(har.entries[0].set_cookie, ["a=1", "b=2", "c=3"]);
    assert_eq!(har.entries[0].cookie, ["a=1"]);
}

#[test]
fn dates_read_as_har_writes_them() {
    let cases = [
        ("1970-01-01T00:00:00Z", Some(0)),
        ("2024-05-01T10:00:00.000Z", Some(1_714_557_600)),
        ("2024-05-01T12:00:00.123456+02:00", Some(1_714_557_600)),
        ("2024-05-01T05:30:00-04:30", Some(1_714_557_600)),
        ("2000-02-29T00:00:00Z", Some(951_782_400)),
        ("2024-05-01 10:00:00Z", None),
        ("2024-13-01T10:00:00Z", None),
        ("2024-05-01T10:00:00", None),
        ("2024-05-01T10:00:00+0200", None),
        ("2024-05-01T10:00:00.Zx", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(har::iso8601(text), want, "{text}");
    }
}

#[test]
fn sites_by_the_simple_rule() {
    let cases = [
        ("me1.opendatasoft.com", "opendatasoft.com"),
        ("opendatasoft.com", "opendatasoft.com"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("www.abc.com.au", "abc.com.au"),
        ("shop.example.de", "example.de"),
        ("co.uk", "co.uk"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "[::1]"),
        ("localhost", "localhost"),
        ("example.org.", "example.org"),
    ];
    for (host, want) in cases {
        assert_eq!(walk::site(host), want, "{host}");
    }
}

#[test]
fn default_paths_as_rfc_6265_gives_them() {
    for (path, want) in
        [("/", "/"), ("/login", "/"), ("/fr/i18n/setlang/", "/fr/i18n/setlang"), ("/a/b", "/a")]
    {
        assert_eq!(walk::default_path(path), want, "{path}");
    }
}
