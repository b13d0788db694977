//! The report three ways: a table for a terminal, JSON (schema 2, documented in
//! `main.rs`) for a program, and draft policy lines for the undeclared cookies.

use std::fmt::Write as _;

use embedded_cookie::policy::Party;
use serde_json::{Value, json};

use crate::ocd::{is_token, text as field};
use crate::walk::{Finding, Report, RuleInfo, Seen, SentNotSet};

/// The version of the JSON output; raised when a field changes meaning or goes.
pub const SCHEMA: u32 = 2;

/// Columns padded to their widest cell, two spaces apart, under a title; nothing
/// when there is no row, unless `empty` says what that means.
fn table(out: &mut String, title: &str, head: &[&str], rows: &[Vec<String>], empty: Option<&str>) {
    if rows.is_empty() {
        if let Some(empty) = empty {
            let _ = writeln!(out, "\n{title}: {empty}");
        }
        return;
    }
    let _ = writeln!(out, "\n{title}");
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let head: Vec<String> = head.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&head).chain(rows) {
        let mut line = String::from(" ");
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, " {cell:<width$}");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn seen(seen: &Seen) -> [String; 4] {
    [
        seen.set.to_string(),
        seen.sent.to_string(),
        seen.deleted.to_string(),
        format!("#{}", seen.first),
    ]
}

fn guess(guess: Option<&RuleInfo>) -> String {
    guess.map_or_else(String::new, |g| {
        format!("{} ({}, {})", g.category.as_str(), g.provider, g.rule)
    })
}

/// The terminal table. `title` names the inputs.
pub fn text(report: &Report, title: &str) -> String {
    let mut out = format!(
        "audit of {title}: {} entries, {} violations\n",
        report.entries,
        report.violations()
    );
    let rows: Vec<Vec<String>> = report
        .declared
        .iter()
        .map(|d| {
            let [set, sent, deleted, first] = seen(&d.seen);
            vec![
                d.info.rule.clone(),
                d.info.category.as_str().to_owned(),
                d.info.provider.clone(),
                d.names.join(" "),
                set,
                sent,
                deleted,
                first,
            ]
        })
        .collect();
    table(
        &mut out,
        "Declared cookies seen",
        &["rule", "category", "provider", "names", "set", "sent", "deleted", "first"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .undeclared
        .iter()
        .map(|u| {
            let [set, sent, _, first] = seen(&u.seen);
            vec![u.name.clone(), set, sent, first, guess(u.guess.as_ref())]
        })
        .collect();
    let title = if report.undeclared_blocked {
        "Undeclared cookies set (violations: the policy blocks them)"
    } else {
        "Undeclared cookies set (the policy reports them)"
    };
    table(
        &mut out,
        title,
        &["name", "set", "sent", "first", "Open Cookie Database guess"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .never_seen
        .iter()
        .map(|r| vec![r.rule.clone(), r.category.as_str().to_owned(), r.provider.clone()])
        .collect();
    table(
        &mut out,
        "Declared cookies never seen",
        &["rule", "category", "provider"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .mismatches
        .iter()
        .map(|m| {
            vec![
                format!("#{}", m.entry),
                m.name.clone(),
                m.attribute.as_str().to_owned(),
                m.found.clone(),
                m.wanted.clone(),
                m.count.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        "Attribute mismatches (violations)",
        &["entry", "name", "attribute", "found", "rule", "times"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .consent
        .iter()
        .map(|c| {
            vec![
                format!("#{}", c.entry),
                c.name.clone(),
                c.category.as_str().to_owned(),
                c.how.as_str().to_owned(),
                c.when.as_str().to_owned(),
                c.consent.clone().unwrap_or_else(|| "(none)".to_owned()),
                c.count.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        "Cookies without the consent they need (violations)",
        &["entry", "name", "category", "how", "when", "consent cookie", "times"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .third_party
        .iter()
        .map(|t| {
            vec![
                format!("#{}", t.entry),
                t.name.clone(),
                t.how.as_str().to_owned(),
                t.site.clone(),
                t.page_site.clone(),
                t.rule.clone().unwrap_or_else(|| "(undeclared)".to_owned()),
                t.count.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        "Third-party cookies",
        &["entry", "name", "how", "site", "page site", "rule", "times"],
        &rows,
        Some("none"),
    );
    let rows: Vec<Vec<String>> = report
        .sent_not_set
        .iter()
        .map(|s| {
            vec![
                format!("#{}", s.entry),
                s.name.clone(),
                s.rule.clone().unwrap_or_else(|| "(undeclared)".to_owned()),
                s.finding.as_str().to_owned(),
                s.count.to_string(),
                guess(s.guess.as_ref()),
            ]
        })
        .collect();
    table(
        &mut out,
        "Cookies sent, not set by the site (not violations)",
        &["entry", "name", "rule", "would be", "times", "Open Cookie Database guess"],
        &rows,
        None,
    );
    let rows: Vec<Vec<String>> = report
        .unreadable
        .iter()
        .map(|u| {
            vec![
                format!("#{}", u.entry),
                u.header.to_owned(),
                u.value.escape_debug().to_string(),
                u.error.clone(),
            ]
        })
        .collect();
    table(
        &mut out,
        "Unreadable header lines (ignored)",
        &["entry", "header", "value", "error"],
        &rows,
        None,
    );
    out
}

fn rule_json(info: &RuleInfo) -> Value {
    json!({
        "rule": info.rule,
        "category": info.category.as_str(),
        "provider": info.provider,
        "party": party(info.party),
        "consent": if info.required { "required" } else { "exempt" },
    })
}

fn party(party: Party) -> &'static str {
    match party {
        Party::First => "first",
        Party::Third => "third",
    }
}

fn seen_json(seen: &Seen) -> Value {
    json!({ "first_entry": seen.first, "set": seen.set, "sent": seen.sent, "deleted": seen.deleted })
}

/// The JSON report, schema [`SCHEMA`].
pub fn json(report: &Report, policy: &str, har: &str, consent_cookie: &str) -> Value {
    let with = |mut base: Value, extra: Value| {
        if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
            base.extend(extra);
        }
        base
    };
    json!({
        "schema": SCHEMA,
        "policy": policy,
        "har": har,
        "consent_cookie": consent_cookie,
        "entries": report.entries,
        "violations": report.violations(),
        "undeclared_blocked": report.undeclared_blocked,
        "declared": report.declared.iter().map(|d| with(rule_json(&d.info), json!({ "names": d.names, "seen": seen_json(&d.seen) }))).collect::<Vec<_>>(),
        "undeclared": report.undeclared.iter().map(|u| json!({
            "name": u.name,
            "seen": seen_json(&u.seen),
            "guess": u.guess.as_ref().map(|g| with(rule_json(g), json!({ "purpose": g.purpose }))),
        })).collect::<Vec<_>>(),
        "never_seen": report.never_seen.iter().map(rule_json).collect::<Vec<_>>(),
        "mismatches": report.mismatches.iter().map(|m| json!({
            "entry": m.entry, "url": m.url, "name": m.name, "rule": m.rule,
            "attribute": m.attribute.as_str(), "found": m.found, "wanted": m.wanted, "count": m.count,
        })).collect::<Vec<_>>(),
        "consent": report.consent.iter().map(|c| json!({
            "entry": c.entry, "url": c.url, "name": c.name, "rule": c.rule,
            "category": c.category.as_str(), "how": c.how.as_str(), "when": c.when.as_str(),
            "consent_cookie": c.consent, "count": c.count,
        })).collect::<Vec<_>>(),
        "third_party": report.third_party.iter().map(|t| json!({
            "entry": t.entry, "name": t.name, "how": t.how.as_str(), "site": t.site,
            "page_site": t.page_site, "rule": t.rule, "count": t.count,
        })).collect::<Vec<_>>(),
        "sent_not_set": report.sent_not_set.iter().map(|s| json!({
            "entry": s.entry, "name": s.name, "rule": s.rule, "finding": s.finding.as_str(),
            "guess": s.guess.as_ref().map(|g| with(rule_json(g), json!({ "purpose": g.purpose }))),
            "count": s.count,
        })).collect::<Vec<_>>(),
        "unreadable": report.unreadable.iter().map(|u| json!({
            "entry": u.entry, "header": u.header, "value": u.value, "error": u.error,
        })).collect::<Vec<_>>(),
    })
}

/// The undeclared cookies as policy lines to review. The category is the Open
/// Cookie Database's guess, or `marketing` without one: the category that needs
/// consent, so a line added unreviewed blocks rather than allows. The attributes
/// are those of the last `Set-Cookie` seen (`max-age` from its `Max-Age`). The
/// cookies only sent, never set by a response of the HAR, follow as commented
/// lines with the guess's lifetime: another app's cookies must not be declared,
/// but one a script of the site writes should be.
pub fn draft(report: &Report, har: &str) -> String {
    let mut out = format!(
        "# Drafted by `audit` from {har}: the cookies no rule declares. Review every line.\n"
    );
    for cookie in &report.undeclared {
        let line = draft_line(
            &cookie.name,
            cookie.guess.as_ref(),
            cookie.line.as_deref(),
            cookie.third_party,
        );
        let _ = writeln!(out, "{line}");
    }
    let sent: Vec<&SentNotSet> =
        report.sent_not_set.iter().filter(|s| s.finding == Finding::Undeclared).collect();
    if !sent.is_empty() {
        out.push_str(
            "# Sent by the browser, never set by a response of the HAR (another app on the \
             host, planted, or written by a script): uncomment only the site's own.\n",
        );
    }
    for cookie in sent {
        let line = draft_line(&cookie.name, cookie.guess.as_ref(), None, false);
        let _ = writeln!(out, "{}{line}", if line.starts_with('#') { "" } else { "# " });
    }
    out
}

/// The policy line for the undeclared `name`: from its guess, the `Set-Cookie`
/// that stored it, and whether another site's response did; a comment when the
/// name is not a token.
fn draft_line(
    name: &str,
    guess: Option<&RuleInfo>,
    set_cookie: Option<&str>,
    third_party: bool,
) -> String {
    use embedded_cookie::set_cookie::{Expiry, SetCookie};
    if !is_token(name) {
        return format!("# {name:?} is not a token: no rule can declare it");
    }
    let mut line = if name.ends_with('*') || name.starts_with('#') {
        format!("\"{name}\"")
    } else {
        name.to_owned()
    };
    let category = guess.map_or("marketing", |g| g.category.as_str());
    let third = third_party || guess.is_some_and(|g| g.party == Party::Third);
    let flags = if third { " third-party" } else { "" };
    let (provider, purpose) =
        guess.map_or((String::new(), String::new()), |g| (field(&g.provider), field(&g.purpose)));
    let mut attributes = Vec::new();
    if let Some(parsed) = set_cookie.and_then(|line| SetCookie::parse(line).ok()) {
        if parsed.secure() {
            attributes.push("secure".to_owned());
        }
        if parsed.http_only() {
            attributes.push("httponly".to_owned());
        }
        // `samesite=none` needs `secure` in a policy, as in a browser.
        if let Some(same_site) =
            parsed.same_site().filter(|s| parsed.secure() || s.as_str() != "None")
        {
            attributes.push(format!("samesite={}", same_site.as_str().to_ascii_lowercase()));
        }
        if let Some(Expiry::MaxAge(secs)) = parsed
            .expiry()
            .filter(|e| matches!(e, Expiry::MaxAge(s) if *s > 0 && *s <= i64::from(u32::MAX)))
        {
            attributes.push(format!("max-age={secs}"));
        }
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        attributes.extend(
            parsed.path().map(|p| format!("path={}", text(p))).filter(|a| !a.contains(' ')),
        );
        attributes.extend(
            parsed.domain().map(|d| format!("domain={}", text(d))).filter(|a| !a.contains(' ')),
        );
    } else if let Some(secs) = guess.and_then(|g| g.max_age) {
        attributes.push(format!("max-age={secs}"));
    }
    let fields = [
        format!("{category}{flags}"),
        provider,
        String::new(),
        String::new(),
        purpose,
        attributes.join(" "),
    ];
    // Fields left out at the end, and empty ones as a bare `|`.
    let used = fields.iter().rposition(|f| !f.is_empty()).map_or(0, |last| last + 1);
    for field in &fields[..used] {
        line.push_str(if field.is_empty() { " |" } else { " | " });
        line.push_str(field);
    }
    line
}
