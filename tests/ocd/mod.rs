//! Host-side converter from the Open Cookie Database CSV to the crate's policy
//! text, shared by `tests/open_cookie_database.rs`, `benches/classify.rs` and the
//! `audit` example (its `--ocd FILE`, which must refuse a bad file, not panic).
//!
//! # Mapping
//!
//! | Open Cookie Database | policy text |
//! | --- | --- |
//! | `Cookie / Data Key name`, `Wildcard match` = 1 | `name*` (prefix) |
//! | `Cookie / Data Key name`, `Wildcard match` = 0 | `name`; `"name"` when it ends in `*`, starts with `#` or is not a token, so the loader sees the name exactly as written |
//! | `Category` Necessary, Security | `necessary` |
//! | `Category` Functional, Personalization | `preferences` |
//! | `Category` Analytics | `statistics` (not `anonymised`: the database does not say) |
//! | `Category` Marketing | `marketing` |
//! | `Domain` containing `3rd party` | flag `third-party` (else first-party) |
//! | `Platform` | provider |
//! | `Description` | purpose |
//! | `Retention period` of the form `N unit` (seconds to years; a month is 30 days, a year 365) | `max-age=` in seconds; anything else (`0 days`, which a policy refuses, `session`, `Unknown`, ranges) sets none |
//!
//! Function and location are left empty: the database has neither. `|`, CR, LF and
//! HTAB in free texts become `/` or a space, since the format separates fields
//! with `|`.

// Each includer uses part of this module.
#![allow(dead_code)]

use std::path::Path;

/// The relative place of the database under `shared/`.
pub const DATA: &str = "data/open-cookie-database/open-cookie-database.csv";

/// Lines of the policy text before the first rule.
pub const HEADER_LINES: usize = 2;

/// One declaration of the database.
#[derive(Debug, Clone)]
pub struct Row {
    /// The line of the CSV file the record starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub prefix: bool,
    pub category: String,
    pub third_party: bool,
    pub platform: String,
    pub description: String,
    pub retention: String,
}

/// Every row of the CSV at `path`, in file order; an error names the file, and
/// the line of a bad record or of a category [`category`] does not map.
pub fn rows(path: &Path) -> Result<Vec<Row>, String> {
    let name = path.display();
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{name}: {e}"))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let row = Row {
            line: record.position().map_or(0, |p| p.line()),
            platform: field(1),
            category: field(2),
            name: field(3),
            third_party: field(4).contains("3rd party"),
            description: field(5),
            retention: field(6),
            prefix: field(9).trim() == "1",
        };
        if category(&row.category).is_none() {
            return Err(format!("{name}:{}: unknown category {:?}", row.line, row.category));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The crate category keyword of a database category, `None` for another.
pub fn category(ocd: &str) -> Option<&'static str> {
    match ocd {
        "Necessary" | "Security" => Some("necessary"),
        "Functional" | "Personalization" => Some("preferences"),
        "Analytics" => Some("statistics"),
        "Marketing" => Some("marketing"),
        _ => None,
    }
}

/// True for an RFC 6265 token, checked here independently of the crate.
pub fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The name field: `name*` for a prefix; quoted when the bare name would be read
/// otherwise (a trailing `*`, a leading `#`, surrounding blanks, any non-token byte).
pub fn name_field(row: &Row) -> String {
    if row.prefix {
        format!("{}*", row.name)
    } else if row.name.ends_with('*') || row.name.starts_with('#') || !is_token(&row.name) {
        format!("\"{}\"", row.name)
    } else {
        row.name.clone()
    }
}

/// A free text made safe for a `|`-separated field.
pub fn text(s: &str) -> String {
    s.trim().replace('|', "/").replace(['\r', '\n', '\t'], " ")
}

/// Seconds in a retention period like `13 months`, if it is one number and a unit
/// and not zero.
pub fn max_age(retention: &str) -> Option<u32> {
    let mut words = retention.split_whitespace();
    let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return None;
    };
    let n: u64 = n.parse().ok()?;
    let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 604_800,
        "month" => 2_592_000,
        "year" => 31_536_000,
        _ => return None,
    };
    u32::try_from(n.checked_mul(unit)?).ok().filter(|&secs| secs > 0)
}

/// One rule line for `row`, a row [`rows`] gave (so its category maps).
pub fn rule_line(row: &Row) -> String {
    let flags = if row.third_party { " third-party" } else { "" };
    let attributes = max_age(&row.retention).map(|s| format!("max-age={s}")).unwrap_or_default();
    format!(
        "{} | {}{} | {} | | | {} | {}",
        name_field(row),
        category(&row.category).unwrap_or_default(),
        flags,
        text(&row.platform),
        text(&row.description),
        attributes
    )
}

/// The policy text of all rows: [`HEADER_LINES`] lines, then row `i` on line
/// `HEADER_LINES + 1 + i`.
pub fn policy_text(rows: &[Row]) -> String {
    let mut text = String::from("# Open Cookie Database, converted by tests/ocd\n@revision 1\n");
    for row in rows {
        text.push_str(&rule_line(row));
        text.push('\n');
    }
    text
}

/// The row of a 1-based policy text line, if it is a rule line.
pub fn row_of_line(line: usize) -> Option<usize> {
    line.checked_sub(HEADER_LINES + 1)
}
