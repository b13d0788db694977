//! Audits what a site or a device really sets against its cookie policy, from a
//! HAR 1.2 file (what a browser's DevTools export: Network, "Export HAR", with
//! sensitive data, since a sanitized export drops the cookie headers).
//!
//! ```text
//! cargo run --example audit -- --policy examples/policies/seed.policy --har visit.har
//! cargo run --example audit -- --policy P --har F --ocd ../shared/data/open-cookie-database/open-cookie-database.csv
//! cargo run --example audit -- --policy P --har F --json
//! cargo run --example audit -- --policy P --har F --draft >> P   # then review the lines
//! ```
//!
//! Options: `--policy FILE` (a policy text, see the crate's `policy` module) and
//! `--har FILE` are required; `--ocd FILE` is the Open Cookie Database CSV, to
//! guess the category of undeclared cookies; `--consent-cookie NAME` names the
//! cookie that carries the consent (default `cookies_preferences`; the policy
//! text has no directive for it, the application chooses it); `--json` prints
//! the JSON report; `--draft` prints the undeclared cookies as policy lines
//! instead of the report.
//!
//! # What it does
//!
//! The entries are read in file order. Each request's `Cookie` headers are the
//! cookies *sent*; each response's `Set-Cookie` lines (several in one header
//! value, joined by LF as DevTools writes them, are taken one by one) are the
//! cookies *set*, or *deleted* when the expiry that decides (`Max-Age` over
//! `Expires`) is not after the entry's `startedDateTime`. The `cookies` arrays
//! of HAR are not read: they are derived from the headers and lose attributes.
//!
//! - **Consent.** A request to the page's site carries the browser's consent
//!   cookie, or not: its value (read by `Consent::parse` for the policy's
//!   revision; another revision counts as no consent) is the consent in force
//!   from that request on, and its absence means no consent. A response of the
//!   page's site that sets the consent cookie changes it for every line of that
//!   response (the server answered under the new choice), and one that deletes it
//!   withdraws everything.
//! - **Sites.** The page of an entry is its `pageref`'s page, whose `title`
//!   DevTools sets to the page's URL; when there is none, or the title is not a
//!   URL, the page is the first entry's URL. The site of a host is, by a simple
//!   rule without the Public Suffix List, its last two labels, or three when they
//!   end in a country's second-level suffix (`co.uk`, `com.au`: `co`, `com`,
//!   `net`, `org`, `gov`, `edu` or `ac`, then two letters); an IP address or a
//!   name without a dot is its own site. An entry whose site is not the page's
//!   is third-party.
//! - **Transport.** Each entry is judged over its URL's transport, as the
//!   device's server judges the request (`Enforcer::over`): TLS for `https` and
//!   `wss`, plain http for `http`, `ws` and any other scheme (a browser keeps
//!   and sends `Secure` cookies on the first two only). Over plain http a
//!   `secure transport=any` rule's cookie goes without `Secure`, and one with
//!   `Secure` there is a mismatch (a browser refuses it); a cookie set over a
//!   transport its rule does not allow (`transport=tls` over http, or
//!   `transport=http` over https) is the mismatch `transport`. A cookie *sent*
//!   over such a transport is no finding: a browser sends every cookie it holds
//!   without `Secure` to both, and the enforcer ignores it.
//! - **Who set a sent cookie.** The browser sends what it holds, and not all of
//!   it is the site's doing: another app on the same host (cookies ignore
//!   ports), a copy from before the recording, one planted by hand, or one a
//!   script wrote (`document.cookie`, which a HAR does not record). A sent
//!   cookie is the site's while the last `Set-Cookie` of that name from a
//!   response of the same site stored it (not deleted it). An undeclared
//!   cookie no response of the HAR stored, and a declared one sent without its
//!   consent while not the site's, are listed as *sent, not set by the site*
//!   and are not violations. A script of the site writing an undeclared cookie
//!   shows there too: declare it (`--draft` writes it commented out).
//!
//! # What it reports
//!
//! - the declared cookies seen (by rule: category, provider, names, how often
//!   set, sent and deleted, and the first entry);
//! - the undeclared cookies a response of the HAR set (with how often they were
//!   sent too), with the Open Cookie Database's rule for the name under `--ocd`
//!   (a removal of an undeclared cookie is not listed);
//! - the declared rules never seen;
//! - the attribute mismatches of each stored `Set-Cookie` against its rule:
//!   what the crate's `Enforcer` would harden (a missing `Secure` or `HttpOnly`,
//!   a `SameSite` weaker than the rule's, a lifetime over its `max-age`) or block
//!   (a `Path` or `Domain` other than the rule's; a cookie without `Path` is
//!   checked with the default-path its request gives it, and one without
//!   `Domain` as host-only), a first-party rule's cookie set by another site
//!   (`party`), and one set over a transport its rule does not allow
//!   (`transport`). A session cookie under a `max-age` rule is no mismatch;
//! - the declared cookies set, or sent while the site's, while the consent in
//!   force does not allow them: *before consent* when their category was never
//!   granted earlier in the file, *after withdrawal* when it was;
//! - the third-party cookies: set by a response from, or sent to, another site
//!   than the page's;
//! - the cookies sent, not set by the site: undeclared ones no response stored,
//!   and declared ones sent without their consent after the site deleted them
//!   or before it set them, with what each would have been (`undeclared`,
//!   `before consent`, `after withdrawal`);
//! - the `Cookie` and `Set-Cookie` lines the crate cannot read (a browser
//!   ignores such a `Set-Cookie` too). A `Cookie` header is read at any size:
//!   past the 8,192 bytes a device reads, when a browser brings other apps'
//!   cookies for the device's host, its cookies still count.
//!
//! Findings are listed once per cookie name and kind, with the first entry (its
//! index in `log.entries`, `#3` in the table) and how many times it occurred.
//!
//! # Exit status
//!
//! 0 without violation, 1 with one, 2 for bad input (an option, the policy, the
//! HAR or the database: the message names the file and the place, as
//! `log.entries[3].request.url: missing`). A violation is an attribute
//! mismatch (the transport included), a cookie set, or sent while the site's,
//! without the consent it needs, or, when the policy blocks undeclared cookies
//! (`@undeclared block`, the default), an undeclared cookie a response of the
//! HAR set. Rules never seen, third-party cookies under a third-party rule,
//! cookies sent but not set by the site and unreadable lines are shown but are
//! not violations. `--draft` exits the same way.
//!
//! # JSON, schema 2
//!
//! One object; `entry` fields are indices in `log.entries`; a later schema number
//! means a field changed meaning or went (a new field does not change it):
//!
//! ```text
//! { "schema": 2, "policy": path, "har": path, "consent_cookie": name,
//!   "entries": n, "violations": n, "undeclared_blocked": bool,
//!   "declared":   [ {rule…, "names": [name], "seen": seen} ],
//!   "undeclared": [ {"name", "seen": seen, "guess": null | {rule…, "purpose"}} ],
//!   "never_seen": [ {rule…} ],
//!   "mismatches": [ {"entry", "url", "name", "rule", "attribute", "found", "wanted", "count"} ],
//!   "consent":    [ {"entry", "url", "name", "rule", "category", "how", "when", "consent_cookie", "count"} ],
//!   "third_party":[ {"entry", "name", "how", "site", "page_site", "rule", "count"} ],
//!   "sent_not_set": [ {"entry", "name", "rule", "finding", "guess", "count"} ],
//!   "unreadable": [ {"entry", "header", "value", "error"} ] }
//! rule…  = "rule": pattern as the policy writes it, "category", "provider",
//!          "party": "first" | "third", "consent": "required" | "exempt"
//! seen   = {"first_entry", "set", "sent", "deleted"}
//! "attribute": "Secure" | "HttpOnly" | "SameSite" | "lifetime" | "Path" | "Domain" | "party"
//!              | "transport"
//! "how": "set" | "sent"      "when": "before consent" | "after withdrawal"
//! "consent_cookie" (of a finding): the consent cookie's value then, or null
//! "rule" (of a third-party or sent-not-set cookie): null when undeclared
//! "finding" (of a sent-not-set cookie): "undeclared" | "before consent" | "after withdrawal"
//! "guess" (of a sent-not-set cookie): null, or as an undeclared cookie's
//! ```
//!
//! Schema 2 (from 1): `undeclared` holds only the cookies a response set, those
//! only sent moved to `sent_not_set`, as did a declared cookie sent without its
//! consent but not set by the site (no longer in `consent`); `"attribute"` may
//! be `"transport"`, and `Secure` is judged by the entry's transport.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[path = "../../tests/ocd/mod.rs"]
mod ocd;

mod har;
mod report;
mod walk;

use walk::{CAPACITY, Table};

const USAGE: &str =
    "usage: audit --policy FILE --har FILE [--ocd FILE] [--consent-cookie NAME] [--json | --draft]";

/// The consent cookie's name when `--consent-cookie` is not given: the seed
/// site's, which the device app keeps.
const CONSENT_COOKIE: &str = "cookies_preferences";

/// What the command prints.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Output {
    Table,
    Json,
    Draft,
}

#[derive(Debug, Default)]
struct Options {
    policy: Option<String>,
    har: Option<String>,
    ocd: Option<String>,
    consent_cookie: Option<String>,
    output: Option<Output>,
}

/// The options of `args`; `--policy` and `--har` are required.
fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let output = match arg.as_str() {
            "--json" => Some(Output::Json),
            "--draft" => Some(Output::Draft),
            _ => None,
        };
        if let Some(output) = output {
            if options.output.replace(output).is_some() {
                return Err("--json and --draft exclude each other".to_owned());
            }
            continue;
        }
        let slot = match arg.as_str() {
            "--policy" => &mut options.policy,
            "--har" => &mut options.har,
            "--ocd" => &mut options.ocd,
            "--consent-cookie" => &mut options.consent_cookie,
            other => return Err(format!("unknown argument {other:?}")),
        };
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        *slot = Some(value.clone());
    }
    if options.policy.is_none() || options.har.is_none() {
        return Err("--policy and --har are required".to_owned());
    }
    Ok(options)
}

/// A policy table filled from `text`, which it borrows for the rest of the run;
/// every bad line is an error.
fn load(path: &str, text: String) -> Result<Box<Table>, String> {
    let text: &'static str = Box::leak(text.into_boxed_str());
    let mut policy = Box::new(Table::new(0));
    let mut errors = Vec::new();
    policy.load_reporting_into(text, |e| errors.push(format!("{path}: {e}")));
    if errors.is_empty() { Ok(policy) } else { Err(errors.join("\n")) }
}

/// The Open Cookie Database as a policy table. Its names that are not tokens
/// cannot be rules (nor appear in a header the crate reads): they are left out.
fn load_ocd(path: &str) -> Result<Box<Table>, String> {
    let rows = ocd::rows(Path::new(path))?;
    if rows.len() > CAPACITY {
        return Err(format!(
            "{path}: {} rows, more than the {CAPACITY} the audit holds",
            rows.len()
        ));
    }
    let text: &'static str = Box::leak(ocd::policy_text(&rows).into_boxed_str());
    let mut table = Box::new(Table::new(0));
    table.load_reporting_into(text, |_| {});
    Ok(table)
}

fn read(what: &str, path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{what} {path}: {e}"))
}

/// Runs the command on `args` (without the program name), writing the report to
/// `out` and errors to `err`; gives the exit status.
fn run(args: &[String], out: &mut impl Write, err: &mut impl Write) -> u8 {
    let options = match options(args) {
        Ok(options) => options,
        Err(message) => {
            let _ = writeln!(err, "audit: {message}\n{USAGE}");
            return 2;
        }
    };
    match audit(&options) {
        Ok((text, violations)) => {
            let _ = out.write_all(text.as_bytes());
            u8::from(violations > 0)
        }
        Err(message) => {
            let _ = writeln!(err, "audit: {message}");
            2
        }
    }
}

/// The output and the violation count, or why the input is bad.
fn audit(options: &Options) -> Result<(String, usize), String> {
    let (Some(policy_path), Some(har_path)) = (&options.policy, &options.har) else {
        return Err("--policy and --har are required".to_owned());
    };
    let policy = load(policy_path, read("policy", policy_path)?)?;
    let har = har::read(&read("HAR file", har_path)?).map_err(|e| format!("{har_path}: {e}"))?;
    let ocd = options.ocd.as_deref().map(load_ocd).transpose()?;
    let consent_cookie = options.consent_cookie.as_deref().unwrap_or(CONSENT_COOKIE);
    let report = walk::audit(&policy, consent_cookie, &har, ocd.as_deref());
    let text = match options.output.unwrap_or(Output::Table) {
        Output::Table => report::text(
            &report,
            &format!(
                "{har_path} against {policy_path} (revision {}, consent cookie {consent_cookie})",
                policy.revision()
            ),
        ),
        Output::Json => {
            format!("{:#}\n", report::json(&report, policy_path, har_path, consent_cookie))
        }
        Output::Draft => report::draft(&report, har_path),
    };
    Ok((text, report.violations()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    ExitCode::from(run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock()))
}

#[cfg(test)]
mod tests;
