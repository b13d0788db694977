//! Reading a HAR 1.2 file into the little the audit needs: for each entry its
//! start, page, URL and the `Cookie` and `Set-Cookie` header lines.
//!
//! Every refusal is a [`HarError`] that names the place in the file
//! (`log.entries[3].request.url`), never a panic. A file cut short names the
//! entry it was reading: the entries are read one at a time, so the error knows
//! how many were complete.

use std::cell::Cell;
use std::fmt;

use embedded_cookie::enforce::Transport;
use embedded_cookie::jar::Url;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A page of the file (`log.pages`).
pub struct Page {
    pub id: String,
    pub title: String,
}

/// One request and its response (`log.entries[i]`).
pub struct Entry {
    /// `startedDateTime`, in seconds since the Unix epoch.
    pub started: i64,
    /// `pageref`, if any.
    pub pageref: Option<String>,
    /// `request.url`, checked to be an absolute URL.
    pub url: String,
    /// Its host, lower-cased.
    pub host: String,
    /// Its path, without query.
    pub path: String,
    /// TLS for `https` and `wss`, plain http for `http`, `ws` and any other scheme
    /// (`Url::is_secure`): a browser keeps and sends `Secure` cookies on the
    /// first two only.
    pub transport: Transport,
    /// The values of the request's `Cookie` headers, in order.
    pub cookie: Vec<String>,
    /// The response's `Set-Cookie` lines, in order; a header value holding
    /// several lines joined by LF (as DevTools exports them) gives each.
    pub set_cookie: Vec<String>,
}

/// What the audit reads of a HAR file.
pub struct Har {
    pub pages: Vec<Page>,
    pub entries: Vec<Entry>,
}

/// Why a file is not a HAR the audit can read: where, and what.
#[derive(Debug, PartialEq)]
pub struct HarError {
    /// The place, e.g. `log.entries[2].request.url`, or `the file`.
    pub at: String,
    pub what: String,
}

impl fmt::Display for HarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

fn error(at: &str, what: impl Into<String>) -> HarError {
    HarError { at: at.to_owned(), what: what.into() }
}

/// Reads the HAR `text`.
pub fn read(text: &str) -> Result<Har, HarError> {
    let raw = Raw::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Top(&raw).deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        let at = if raw.in_entries.get() {
            format!("log.entries[{}]", raw.entries.take().len())
        } else {
            "the file".to_owned()
        };
        let what =
            if e.is_eof() { format!("truncated ({e})") } else { format!("not a HAR file ({e})") };
        return Err(error(&at, what));
    }
    if !raw.entries_seen.get() {
        return Err(error("log.entries", "missing"));
    }
    let pages = match raw.pages.take() {
        Some(pages) => At::new("log.pages", &pages)
            .array()?
            .iter()
            .enumerate()
            .map(page)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let entries = raw.entries.take().iter().enumerate().map(entry).collect::<Result<_, _>>()?;
    Ok(Har { pages, entries })
}

fn page((i, value): (usize, &Value)) -> Result<Page, HarError> {
    let at = At::new(&format!("log.pages[{i}]"), value);
    Ok(Page { id: at.field("id")?.str()?.to_owned(), title: at.field("title")?.str()?.to_owned() })
}

fn entry((i, value): (usize, &Value)) -> Result<Entry, HarError> {
    let at = At::new(&format!("log.entries[{i}]"), value);
    at.object()?;
    let started = at.field("startedDateTime")?;
    let started =
        iso8601(started.str()?).ok_or_else(|| started.error("not an ISO 8601 date and time"))?;
    let pageref = match at.optional("pageref") {
        Some(pageref) => Some(pageref.str()?.to_owned()),
        None => None,
    };
    let request = at.field("request")?;
    let url_at = request.field("url")?;
    let url = url_at.str()?;
    let parsed =
        Url::parse(url).map_err(|e| url_at.error(format!("not an absolute URL ({e}): {url:?}")))?;
    Ok(Entry {
        started,
        pageref,
        url: url.to_owned(),
        host: parsed.host_str().to_owned(),
        path: parsed.path().to_owned(),
        transport: if parsed.is_secure() { Transport::Tls } else { Transport::PlainHttp },
        cookie: headers(&request, "cookie")?,
        set_cookie: headers(&at.field("response")?, "set-cookie")?
            .iter()
            .flat_map(|value| value.split('\n'))
            .map(|line| line.trim_end_matches('\r').to_owned())
            .filter(|line| !line.is_empty())
            .collect(),
    })
}

/// The values of the headers of `message` named `name` (case-insensitively).
/// Every header is checked, not only those named `name`: a bad file says so.
fn headers(message: &At<'_>, name: &str) -> Result<Vec<String>, HarError> {
    let list = message.field("headers")?;
    let mut values = Vec::new();
    for (i, header) in list.array()?.iter().enumerate() {
        let header = At::new(&format!("{}[{i}]", list.path), header);
        let (key, value) = (header.field("name")?.str()?, header.field("value")?.str()?);
        if key.eq_ignore_ascii_case(name) {
            values.push(value.to_owned());
        }
    }
    Ok(values)
}

/// A JSON value and its place in the file.
struct At<'v> {
    path: String,
    value: &'v Value,
}

impl<'v> At<'v> {
    fn new(path: &str, value: &'v Value) -> Self {
        Self { path: path.to_owned(), value }
    }

    fn error(&self, what: impl Into<String>) -> HarError {
        error(&self.path, what)
    }

    fn expected(&self, what: &str) -> HarError {
        let found = match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        self.error(format!("expected {what}, found {found}"))
    }

    fn object(&self) -> Result<&'v serde_json::Map<String, Value>, HarError> {
        self.value.as_object().ok_or_else(|| self.expected("an object"))
    }

    fn optional(&self, name: &str) -> Option<At<'v>> {
        let value = self.value.as_object()?.get(name)?;
        Some(At { path: format!("{}.{name}", self.path), value })
    }

    fn field(&self, name: &str) -> Result<At<'v>, HarError> {
        self.object()?;
        self.optional(name).ok_or_else(|| error(&format!("{}.{name}", self.path), "missing"))
    }

    fn str(&self) -> Result<&'v str, HarError> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    fn array(&self) -> Result<&'v [Value], HarError> {
        self.value.as_array().map(Vec::as_slice).ok_or_else(|| self.expected("an array"))
    }
}

/// An ISO 8601 date and time as HAR writes it (`2024-05-01T10:00:00.123Z`, or
/// with an offset `+02:00`), in seconds since the Unix epoch; fractions dropped.
pub fn iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-')
        && sep(7, b'-')
        && (sep(10, b'T') || sep(10, b't'))
        && sep(13, b':')
        && sep(16, b':'))
    {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = b.get(19..)?;
    if rest.first() == Some(&b'.') {
        let digits = rest.iter().skip(1).take_while(|d| d.is_ascii_digit()).count();
        rest = rest.get(1 + digits..)?;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hm = [*h1, *h2, *m1, *m2];
            if !hm.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let [h1, h2, m1, m2] = hm.map(|d| i64::from(d - b'0'));
            let secs = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What the streaming read keeps: the entries read whole so far, so that an
/// error inside the list names the entry.
#[derive(Default)]
struct Raw {
    pages: Cell<Option<Value>>,
    entries: Cell<Vec<Value>>,
    entries_seen: Cell<bool>,
    in_entries: Cell<bool>,
}

/// Which object a [`Fields`] reads.
#[derive(Clone, Copy)]
enum Level {
    /// The file: `{"log": …}`.
    Top,
    /// `log`: `{"pages": […], "entries": […]}`.
    Log,
}

/// The top object or `log`, read field by field; other fields are skipped.
struct Top<'r>(&'r Raw);
struct Fields<'r>(&'r Raw, Level);
struct Entries<'r>(&'r Raw);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_map(Fields(self.0, Level::Top))
    }
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.1 {
            Level::Top => "a HAR object ({\"log\": …})",
            Level::Log => "the HAR log object",
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut log = false;
        while let Some(key) = map.next_key::<String>()? {
            match (self.1, key.as_str()) {
                (Level::Top, "log") => {
                    map.next_value_seed(Fields(self.0, Level::Log))?;
                    log = true;
                }
                (Level::Log, "entries") => map.next_value_seed(Entries(self.0))?,
                (Level::Log, "pages") => self.0.pages.set(Some(map.next_value()?)),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if matches!(self.1, Level::Top) && !log {
            return Err(serde::de::Error::missing_field("log"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.in_entries.set(true);
        let mut entries = Vec::new();
        loop {
            match seq.next_element::<Value>() {
                Ok(Some(entry)) => entries.push(entry),
                Ok(None) => break,
                Err(e) => {
                    self.0.entries.set(entries);
                    return Err(e);
                }
            }
        }
        self.0.entries.set(entries);
        self.0.in_entries.set(false);
        self.0.entries_seen.set(true);
        Ok(())
    }
}
