//! Reads `Cookie:` and `Set-Cookie:` header lines and shows what the crate makes
//! of them.
//!
//! ```text
//! cargo run --example inspect -- 'Cookie: sid=1; lang=en'
//! printf 'Cookie: a=1\nCookie: b=2\n' | cargo run --example inspect -- --json
//! ```
//!
//! Each argument that is not an option is one header line; with none, lines are
//! read from stdin (split on LF, a trailing CR dropped). `--json` prints exactly one
//! JSON object per input line, in input order; `--strict` reads Cookie headers in
//! strict mode; `--rfc6265` reads Set-Cookie headers by the 2011 rules instead of
//! RFC 6265bis.
//!
//! Every cookie is also classified by a cookie policy and judged under a consent:
//! `--policy seed` (the default) is the crate's seed policy, `--policy FILE` a
//! policy text (see the `policy` module docs); `--consent VALUE` is the visitor's
//! consent cookie value (`1.1.ps`); without it only consent-exempt cookies are
//! allowed. Each Cookie pair and Set-Cookie line shows its rule, category, consent
//! requirement and verdict, and a Set-Cookie line what would be sent. A Set-Cookie
//! is judged at the system clock's time, or at `--now SECS` (seconds since the
//! epoch): an `Expires` before it deletes the cookie.
//!
//! ```text
//! cargo run --example inspect -- --consent 1.1.p 'Set-Cookie: sessionid=s1'
//! ```

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use embedded_cookie::consent::Consent;
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::enforce::{Decision, Verdict};
use embedded_cookie::policy::Policy;
use embedded_cookie::set_cookie::{SetCookie, Spec};
use embedded_cookie::{Config, CookieHeader};

/// Spec a `--policy FILE` may hold.
const CAPACITY: usize = 4096;

struct Options {
    json: bool,
    cookie: Config,
    set_cookie: Spec,
    policy: Box<Policy<'static, CAPACITY>>,
    consent: Consent,
    now: i64,
}

const USAGE: &str = "usage: inspect [--json] [--strict] [--rfc6265] [--policy seed|FILE] \
[--consent VALUE] [--now SECS] ['Cookie: ...' | 'Set-Cookie: ...']...";

impl Default for Options {
    fn default() -> Self {
        let policy = seed();
        Options {
            json: false,
            cookie: Config::new(),
            set_cookie: Spec::default(),
            consent: Consent::necessary_only(policy.revision()),
            policy,
            now: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

fn main() -> io::Result<ExitCode> {
    let mut options = Options::default();
    let mut consent: Option<String> = None;
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--json") => options.json = true,
            Some("--strict") => options.cookie = Config::strict(),
            Some("--rfc6265") => options.set_cookie = Spec::Rfc6265,
            Some(flag @ ("--policy" | "--consent" | "--now")) => {
                let Some(value) = args.next().and_then(|v| v.into_string().ok()) else {
                    eprintln!("{flag} needs a value\n{USAGE}");
                    return Ok(ExitCode::from(2));
                };
                if flag == "--now" {
                    let Ok(now) = value.parse() else {
                        eprintln!("--now needs seconds since the epoch\n{USAGE}");
                        return Ok(ExitCode::from(2));
                    };
                    options.now = now;
                } else if flag == "--consent" {
                    consent = Some(value);
                } else if value != "seed" {
                    match load(&value) {
                        Some(policy) => options.policy = policy,
                        None => return Ok(ExitCode::from(2)),
                    }
                }
            }
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            _ => lines.push(arg.as_encoded_bytes().to_vec()),
        }
    }
    let revision = options.policy.revision();
    options.consent = match consent {
        Some(value) => {
            let reading = Consent::parse(value.as_bytes(), revision);
            if let Some(why) = reading.ask_again {
                eprintln!("consent {value:?}: {why}; only consent-exempt cookies are allowed");
            }
            reading.consent
        }
        None => Consent::necessary_only(revision),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if lines.is_empty() {
        for line in io::stdin().lock().split(b'\n') {
            let mut line = line?;
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            inspect(&line, &options, &mut out)?;
        }
    } else {
        for line in &lines {
            inspect(line, &options, &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The seed site's policy, the one used without `--policy`.
const SEED_TEXT: &str = include_str!("policies/seed.policy");

/// The seed policy in a table as large as a file's.
fn seed() -> Box<Policy<'static, CAPACITY>> {
    let mut policy = Box::new(Policy::new(0));
    policy.load_into(SEED_TEXT).expect("the seed policy loads");
    policy
}

/// A policy text read from `path`, or `None` after printing every bad line.
fn load(path: &str) -> Option<Box<Policy<'static, CAPACITY>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("policy {path}: {e}");
            return None;
        }
    };
    // The table borrows its text for as long as the program runs.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let mut failed = false;
    let policy = Box::new(Policy::load_reporting(text, |e| {
        eprintln!("policy {path}: {e}");
        failed = true;
    }));
    (!failed).then_some(policy)
}

/// The policy fields of a cookie object: `,"category":…,"rule":…,"verdict":…`.
fn decision_json(d: &Decision<'_, '_>) -> String {
    let category = d.rule.map_or_else(|| "null".to_owned(), |r| json(r.category.as_str()));
    let rule = d.rule.map_or_else(|| "null".to_owned(), |r| json(&r.pattern.to_string()));
    let mut fields = format!(
        r#","category":{category},"consent":"{}","rule":{rule},"verdict":"{}""#,
        d.requirement,
        d.verdict.as_str()
    );
    if let Verdict::Block(reason) = d.verdict {
        fields.push_str(&format!(r#","reason":{}"#, json(&reason.to_string())));
    }
    fields
}

/// The policy columns of a cookie row: rule, category, consent, verdict.
fn decision_text(d: &Decision<'_, '_>) -> String {
    let rule = d.rule.map_or_else(|| "(undeclared)".to_owned(), |r| r.pattern.to_string());
    let category = d.rule.map_or("-", |r| r.category.as_str());
    let verdict = d.verdict.to_string();
    format!("{rule:<22} {category:<12} {:<9} {verdict:<30}", d.requirement.as_str())
}

/// The header name before the first `:`, and the value after it with SP/HTAB trimmed.
fn split_header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    let is_ws = |b: &u8| *b == b' ' || *b == b'\t';
    let start = value.iter().position(|b| !is_ws(b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !is_ws(b)).map_or(start, |e| e + 1);
    Some((name.trim_ascii(), &value[start..end]))
}

fn inspect(line: &[u8], options: &Options, out: &mut impl Write) -> io::Result<()> {
    match split_header(line) {
        Some((name, value)) if name.eq_ignore_ascii_case(b"cookie") => {
            cookie_line(value, options, out)
        }
        Some((name, value)) if name.eq_ignore_ascii_case(b"set-cookie") => {
            set_cookie_line(value, options, out)
        }
        _ => {
            if options.json {
                writeln!(out, r#"{{"kind":"unknown","error":"not a Cookie or Set-Cookie line"}}"#)
            } else {
                writeln!(
                    out,
                    "? not a Cookie or Set-Cookie line: {}",
                    escaped(&String::from_utf8_lossy(line))
                )
            }
        }
    }
}

fn cookie_line(value: &[u8], options: &Options, out: &mut impl Write) -> io::Result<()> {
    let parsed = CookieHeader::parse_with(value, &options.cookie);
    if options.json {
        write!(out, r#"{{"kind":"cookie","cookies":["#)?;
        if let Ok(header) = &parsed {
            let request = Enforcer::new(&options.policy, &options.consent).request(header);
            for (i, checked) in request.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                let cookie = checked.cookie;
                let (name, value) = (lossy(cookie.name()), lossy(cookie.value()));
                write!(out, r#"{{"name":{},"value":{}"#, json(&name.0), json(&value.0))?;
                if name.1 || value.1 {
                    write!(out, r#","lossy":true"#)?;
                }
                write!(out, "{}}}", decision_json(&checked.decision))?;
            }
        }
        match parsed {
            Ok(_) => writeln!(out, r#"],"error":null}}"#),
            Err(e) => writeln!(out, r#"],"error":{}}}"#, json(&e.to_string())),
        }
    } else {
        match parsed {
            Ok(header) => {
                writeln!(out, "Cookie: {} cookie(s)", header.len())?;
                writeln!(
                    out,
                    "  {:<4} {:<24} {:<6} {:<22} {:<12} {:<9} {:<30} value",
                    "#", "name", "offset", "rule", "category", "consent", "verdict"
                )?;
                let request = Enforcer::new(&options.policy, &options.consent).request(&header);
                for (i, checked) in request.iter().enumerate() {
                    let c = checked.cookie;
                    let (name, value) = (escaped(&lossy(c.name()).0), escaped(&lossy(c.value()).0));
                    let decision = decision_text(&checked.decision);
                    writeln!(out, "  {i:<4} {name:<24} {:<6} {decision} {value}", c.offset())?;
                }
                Ok(())
            }
            Err(e) => writeln!(out, "Cookie: refused: {e}"),
        }
    }
}

fn set_cookie_line(value: &[u8], options: &Options, out: &mut impl Write) -> io::Result<()> {
    let c = match SetCookie::parse_with(value, options.set_cookie) {
        Ok(c) => c,
        Err(e) if options.json => {
            let error = json(e.as_str());
            return writeln!(out, r#"{{"kind":"set-cookie","valid":false,"error":{error}}}"#);
        }
        Err(e) => return writeln!(out, "Set-Cookie: ignored: {e}"),
    };
    let (name, value) = (lossy(c.name()), lossy(c.value()));
    let domain = c.domain().map(|d| lossy(&d.to_ascii_lowercase()).0);
    let path = c.path().map(|p| lossy(p).0);
    let same_site = c.same_site().map(|s| s.as_str().to_ascii_lowercase());
    let priority = c.priority().map(|p| p.as_str().to_ascii_lowercase());
    let unknown: Vec<String> = c.unknown().map(|a| lossy(a.name()).0).collect();
    let prefix = c.check_prefix();
    let checked = Enforcer::new(&options.policy, &options.consent).response(&c, options.now);
    let mut buf = [0u8; 8192];
    let send = checked.write(&mut buf).map(|n| lossy(&buf[..n]).0);
    let hardened: Vec<&str> = checked.hardened.iter().map(|a| a.as_str()).collect();
    if options.json {
        let opt = |s: Option<String>| s.map_or_else(|| "null".to_owned(), |s| json(&s));
        let num = |n: Option<i64>| n.map_or_else(|| "null".to_owned(), |n| n.to_string());
        let unknown: Vec<String> = unknown.iter().map(|n| json(n)).collect();
        write!(
            out,
            r#"{{"kind":"set-cookie","valid":true,"name":{},"value":{}"#,
            json(&name.0),
            json(&value.0)
        )?;
        write!(out, r#","expires":{},"max_age":{}"#, num(c.expires()), num(c.max_age()))?;
        write!(out, r#","domain":{},"path":{}"#, opt(domain), opt(path))?;
        write!(out, r#","secure":{},"http_only":{}"#, c.secure(), c.http_only())?;
        write!(out, r#","same_site":{},"partitioned":{}"#, opt(same_site), c.partitioned())?;
        write!(out, r#","priority":{},"unknown":[{}]"#, opt(priority), unknown.join(","))?;
        write!(out, r#","prefix_ok":{}"#, prefix.is_ok())?;
        if name.1 || value.1 {
            write!(out, r#","lossy":true"#)?;
        }
        write!(out, "{}", decision_json(&checked.decision))?;
        let hardened: Vec<String> = hardened.iter().map(|a| json(a)).collect();
        write!(out, r#","hardened":[{}]"#, hardened.join(","))?;
        match &send {
            Ok(line) => writeln!(out, r#","send":{}}}"#, json(line)),
            Err(e) => writeln!(out, r#","send":null,"send_error":{}}}"#, json(&e.to_string())),
        }
    } else {
        let or_none = |s: Option<String>| s.map_or_else(|| "-".to_owned(), |s| escaped(&s));
        let expiry = |n: Option<i64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
        writeln!(out, "Set-Cookie: {} = {}", escaped(&name.0), escaped(&value.0))?;
        writeln!(out, "  expires     {}", expiry(c.expires()))?;
        writeln!(out, "  max-age     {}", expiry(c.max_age()))?;
        writeln!(out, "  domain      {}", or_none(domain))?;
        writeln!(out, "  path        {}", or_none(path))?;
        writeln!(out, "  secure      {}", c.secure())?;
        writeln!(out, "  http-only   {}", c.http_only())?;
        writeln!(out, "  same-site   {}", or_none(same_site))?;
        writeln!(out, "  partitioned {}", c.partitioned())?;
        writeln!(out, "  priority    {}", or_none(priority))?;
        let unknown =
            if unknown.is_empty() { "-".to_owned() } else { escaped(&unknown.join(", ")) };
        writeln!(out, "  unknown     {unknown}")?;
        match prefix {
            Ok(_) => writeln!(out, "  prefix      ok")?,
            Err(e) => writeln!(out, "  prefix      {e}")?,
        }
        let d = &checked.decision;
        let rule = d.rule.map_or_else(|| "(undeclared)".to_owned(), |r| r.pattern.to_string());
        writeln!(out, "  rule        {rule}")?;
        writeln!(out, "  category    {}", d.rule.map_or("-", |r| r.category.as_str()))?;
        writeln!(out, "  consent     {}", d.requirement)?;
        writeln!(out, "  verdict     {}", d.verdict)?;
        if !hardened.is_empty() {
            writeln!(out, "  hardened    {}", hardened.join(", "))?;
        }
        match send {
            Ok(line) => writeln!(out, "  send        Set-Cookie: {}", escaped(&line)),
            Err(e) => writeln!(out, "  send        nothing ({e})"),
        }
    }
}

/// The bytes as text, and whether any had to be replaced.
fn lossy(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

/// The text with control characters, bidirectional controls and `\\` escaped
/// as Rust writes them (`\u{1b}`, `\t`, `\u{202e}`, `\\`), so that no input
/// byte reaches the terminal as a control or reorders what it shows: what `json`
/// does for `--json`.
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_bidi_control(c) {
            out.extend(c.escape_unicode());
        } else if c.is_control() || c == '\\' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The Unicode bidirectional formatting characters (UAX #9 §2: embeddings,
/// overrides, isolates, marks), which make a terminal show text in another order
/// than it holds (CVE-2021-42574, "Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A JSON string literal.
fn json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_mode_escapes_control_characters() {
        let cases = [
            ("plain", "plain"),
            ("a\x1b[31mb", "a\\u{1b}[31mb"),
            ("bell\x07", "bell\\u{7}"),
            ("tab\t", "tab\\t"),
            ("del\x7f", "del\\u{7f}"),
            ("c1\u{85}", "c1\\u{85}"),
            ("back\\slash", "back\\\\slash"),
            ("caf\u{e9}", "caf\u{e9}"),
            // Bidirectional controls: an override, an isolate, a mark.
            ("evil\u{202e}gpj.exe", "evil\\u{202e}gpj.exe"),
            ("a\u{2066}b\u{2069}", "a\\u{2066}b\\u{2069}"),
            ("\u{200f}\u{61c}", "\\u{200f}\\u{61c}"),
        ];
        for (input, want) in cases {
            assert_eq!(escaped(input), want, "{input:?}");
        }
    }

    /// Whatever a line holds, text mode writes no control byte but the line ends.
    #[test]
    fn text_mode_output_holds_no_control_byte() {
        let lines: [&[u8]; 5] = [
            b"Set-Cookie: a\x1b]0;pwned\x07=1; Path=/\x1b[2J; X\x1b=\x1b",
            b"Set-Cookie: \x1b[31mnameless",
            b"Set-Cookie: sessionid=\x07; Domain=\x1b.example",
            b"Cookie: a\x1b=1; b=\x07",
            b"Nonsense\x1b[2J",
        ];
        for rules in [Spec::Rfc6265, Spec::Rfc6265bis] {
            let options = Options { set_cookie: rules, now: 1_700_000_000, ..Options::default() };
            for line in lines {
                let mut out = Vec::new();
                inspect(line, &options, &mut out).unwrap();
                let bad = out.iter().find(|&&b| (b < 0x20 && b != b'\n') || b == 0x7f);
                assert_eq!(bad, None, "{}", String::from_utf8_lossy(&out));
            }
        }
    }
}
