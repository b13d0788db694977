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

use std::io::{self, BufRead, Write};

use embedded_cookie::set_cookie::{Rules, SetCookie};
use embedded_cookie::{Config, CookieHeader};

struct Options {
    json: bool,
    cookie: Config,
    set_cookie: Rules,
}

fn main() -> io::Result<()> {
    let mut options = Options { json: false, cookie: Config::new(), set_cookie: Rules::default() };
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("--json") => options.json = true,
            Some("--strict") => options.cookie = Config::strict(),
            Some("--rfc6265") => options.set_cookie = Rules::Rfc6265,
            Some("-h" | "--help") => {
                println!(
                    "usage: inspect [--json] [--strict] [--rfc6265] ['Cookie: ...' | 'Set-Cookie: ...']..."
                );
                return Ok(());
            }
            _ => lines.push(arg.as_encoded_bytes().to_vec()),
        }
    }
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
    out.flush()
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
                    String::from_utf8_lossy(line)
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
            for (i, cookie) in header.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                let (name, value) = (lossy(cookie.name()), lossy(cookie.value()));
                write!(out, r#"{{"name":{},"value":{}"#, json(&name.0), json(&value.0))?;
                if name.1 || value.1 {
                    write!(out, r#","lossy":true"#)?;
                }
                out.write_all(b"}")?;
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
                writeln!(out, "  {:<4} {:<24} {:<6} value", "#", "name", "offset")?;
                for (i, c) in header.iter().enumerate() {
                    let (name, value) = (lossy(c.name()).0, lossy(c.value()).0);
                    writeln!(out, "  {i:<4} {name:<24} {:<6} {value}", c.offset())?;
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
        writeln!(out, "}}")
    } else {
        let or_none = |s: Option<String>| s.unwrap_or_else(|| "-".to_owned());
        let expiry = |n: Option<i64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
        writeln!(out, "Set-Cookie: {} = {}", name.0, value.0)?;
        writeln!(out, "  expires     {}", expiry(c.expires()))?;
        writeln!(out, "  max-age     {}", expiry(c.max_age()))?;
        writeln!(out, "  domain      {}", or_none(domain))?;
        writeln!(out, "  path        {}", or_none(path))?;
        writeln!(out, "  secure      {}", c.secure())?;
        writeln!(out, "  http-only   {}", c.http_only())?;
        writeln!(out, "  same-site   {}", or_none(same_site))?;
        writeln!(out, "  partitioned {}", c.partitioned())?;
        writeln!(out, "  priority    {}", or_none(priority))?;
        let unknown = if unknown.is_empty() { "-".to_owned() } else { unknown.join(", ") };
        writeln!(out, "  unknown     {unknown}")?;
        match prefix {
            Ok(_) => writeln!(out, "  prefix      ok"),
            Err(e) => writeln!(out, "  prefix      {e}"),
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
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
