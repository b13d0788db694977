//! The page, written straight into the response: the consent banner, the sign-in
//! and language forms, the policy table the device enforces, and the cookies the
//! app received.
//!
//! Everything written into the HTML goes through [`esc`] (askama's escaper), the
//! policy's text as much as what a request brought: the only values from a request
//! that reach the page are the CSRF token (one the device made, see
//! [`session`](crate::session)) and the names of the cookies the app received.

use core::fmt::{self, Display, Formatter, Write as _};

use askama_escape::{Escaper as _, Html as HtmlEscaper};
use embedded_cookie::CookieHeader;
use embedded_cookie::consent::Consent;
use embedded_cookie::policy::{Category, Location};
use picoserve::io::Write;
use picoserve::response::Content;

use crate::Board;
use crate::policy::{POLICY, asked_categories};
use crate::request::{MAX_COOKIE_HEADER, Visit};
use crate::session::{Token, USER};

/// Languages the page speaks, with its title in each; the first is the default.
pub const LANGUAGES: [(&str, &str); 3] =
    [("en", "Device status"), ("de", "Gerätestatus"), ("fr", "État de l'appareil")];

/// What the page shows. It owns what it needs, since picoserve writes it after the
/// handler returns.
pub struct Page {
    lang: &'static str,
    title: &'static str,
    signed_in: bool,
    /// `None` until the visitor answers the banner.
    consent: Option<Consent>,
    token: Token,
    /// The cookies the app received, as a `Cookie` header: the policy's allowed copy
    /// of the request's (see [`Visit`]), shown as it is, undeclared names marked.
    received: heapless::Vec<u8, MAX_COOKIE_HEADER>,
}

impl Page {
    /// The page for `visit`, whose forms carry `token`.
    pub(crate) fn new<B: Board>(visit: &Visit<B>, token: Token) -> Self {
        let lang = visit.cookie("django_language");
        let (lang, title) = LANGUAGES
            .into_iter()
            .find(|&(code, _)| Some(code.as_bytes()) == lang)
            .unwrap_or(("en", "Device status"));
        Self {
            lang,
            title,
            signed_in: visit.signed_in(),
            consent: visit.answered.then_some(visit.consent),
            token,
            received: heapless::Vec::from_slice(visit.allowed()).unwrap_or_default(),
        }
    }

    fn csrf(&self) -> impl Display + '_ {
        Html(move |f: &mut Formatter<'_>| {
            write!(
                f,
                r#"<input type="hidden" name="csrfmiddlewaretoken" value="{}">"#,
                esc(&self.token)
            )
        })
    }

    fn banner(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let csrf = self.csrf();
        match self.consent {
            None => {
                f.write_str(
                    r#"<section id="consent" class="banner"><h2>Cookies on this device</h2>
<p>The necessary cookies in the table below keep you signed in and protect the forms. The device asks before it sets any other.</p>
"#,
                )?;
                write!(f, r#"<form method="post" action="/consent">{csrf}"#)?;
                for category in asked_categories() {
                    write!(
                        f,
                        r#"<label class="choice"><input type="checkbox" name="{}" value="on"> {}"#,
                        esc(category.as_str()),
                        esc(CategoryLabel(category))
                    )?;
                    for rule in POLICY.rules().iter().filter(|rule| rule.category == category) {
                        write!(f, " (<code>{}</code>: {})", esc(rule.pattern), esc(rule.purpose))?;
                    }
                    f.write_str("</label>")?;
                }
                f.write_str(
                    r#"<div class="buttons"><button name="choice" value="all" id="accept-all">Accept all</button>
<button name="choice" value="necessary" id="necessary-only">Necessary only</button>
<button name="choice" value="chosen" id="save-choices">Save my choices</button></div></form></section>
"#,
                )
            }
            Some(given) => {
                f.write_str(r#"<section id="consent-given"><p>Your cookie choices: "#)?;
                for (i, category) in asked_categories().enumerate() {
                    let state = if given.grants(category) { "on" } else { "off" };
                    let sep = if i > 0 { ", " } else { "" };
                    write!(f, "{sep}{} cookies {state}", esc(CategoryLabel(category)))?;
                }
                writeln!(
                    f,
                    r#".</p><form method="post" action="/consent">{csrf}<input type="hidden" name="choice" value="withdraw"><button id="withdraw">Withdraw consent</button></form></section>"#
                )
            }
        }
    }

    fn account(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let csrf = self.csrf();
        if self.signed_in {
            write!(
                f,
                r#"<section id="account"><h2>Administration</h2><p id="signed-in">Signed in as {}.</p>
<form method="post" action="/logout">{csrf}<button id="sign-out">Sign out</button></form></section>
"#,
                esc(USER)
            )
        } else {
            write!(
                f,
                r#"<section id="account"><h2>Administration</h2><form method="post" action="/login" id="login">{csrf}
<label>User <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button id="sign-in">Sign in</button></form></section>
"#
            )
        }
    }

    fn language(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            r#"<section id="language"><form method="post" action="/language">{}<select name="language">"#,
            self.csrf()
        )?;
        for (code, _) in LANGUAGES {
            let selected = if code == self.lang { " selected" } else { "" };
            write!(f, r#"<option value="{0}"{selected}>{0}</option>"#, esc(code))?;
        }
        f.write_str("</select> <button>Switch language</button></form></section>\n")
    }

    fn policy(f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(
            r#"<section id="policy"><h2>Cookie policy</h2><table id="policy-table">
<thead><tr><th>Provider</th><th>Function and location</th><th>Cookie</th><th>Purpose</th><th>Category</th><th>Lifetime</th></tr></thead><tbody>
"#,
        )?;
        for rule in POLICY.rules() {
            let location = match rule.location {
                Location::Front => " (public pages)",
                Location::Back => " (administration)",
                Location::Both => " (public pages and administration)",
                Location::Unspecified => "",
            };
            writeln!(
                f,
                "<tr><td>{}</td><td>{}{location}</td><td><code>{}</code></td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
                esc(rule.provider),
                esc(rule.function),
                esc(rule.pattern),
                esc(rule.purpose),
                esc(CategoryLabel(rule.category)),
                if rule.requirement() == embedded_cookie::policy::Requirement::Required {
                    ", with consent"
                } else {
                    ""
                },
                esc(Lifetime(rule.attributes.max_age)),
            )?;
        }
        f.write_str("</tbody></table></section>\n")
    }

    fn received(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(
            r#"<section id="received"><h2>Cookies this request brought</h2><p>What the policy let through to the app, as the app received it (names only: the session's value is not for scripts).</p><ul id="received-cookies">"#,
        )?;
        let mut none = true;
        let received = CookieHeader::parse(self.received.as_slice()).ok();
        for cookie in received.iter().flat_map(CookieHeader::iter) {
            match cookie.name_str() {
                Some(name) => write!(f, "<li><code>{}</code>", esc(name))?,
                None => write!(f, "<li><code>{}</code>", esc(cookie.name().escape_ascii()))?,
            }
            if POLICY.classify(cookie.name()).is_none() {
                f.write_str(" (undeclared)")?;
            }
            f.write_str("</li>")?;
            none = false;
        }
        if none {
            f.write_str("<li>none</li>")?;
        }
        f.write_str("</ul></section>\n")
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1d2330}\
h1{margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:.2rem 0 .5rem}section{margin:0 0 1.2rem}\
.banner{border:2px solid #2f6fdf;border-radius:.5rem;padding:.8rem 1rem;background:#eef4ff}\
.choice{display:block;margin:.4rem 0}.buttons button{margin-right:.4rem}\
button{font:inherit;padding:.3rem .8rem;border-radius:.3rem;border:1px solid #2f6fdf;background:#fff;cursor:pointer}\
#accept-all{background:#2f6fdf;color:#fff}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #c8cdd8;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f1f3f7}label{margin-right:.6rem}code{font-size:.9em}";

impl Display for Page {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            r#"<!doctype html>
<html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{STYLE}</style></head>
<body><h1>{}</h1>
"#,
            esc(self.lang),
            esc(self.title),
            esc(self.title)
        )?;
        self.banner(f)?;
        self.account(f)?;
        self.language(f)?;
        Self::policy(f)?;
        self.received(f)?;
        f.write_str(
            r#"<img src="/beacon" alt="" width="1" height="1">
</body></html>
"#,
        )
    }
}

impl Content for Page {
    fn content_type(&self) -> &'static str {
        "text/html; charset=utf-8"
    }

    fn content_length(&self) -> usize {
        let mut counter = Counter(0);
        // Formatting the page cannot fail: every write goes to the counter.
        let _ = write!(counter, "{self}");
        counter.0
    }

    async fn write_content<W: Write>(self, mut writer: W) -> Result<(), W::Error> {
        writer.write_fmt(format_args!("{self}")).await
    }
}

/// `value` as HTML text or an attribute value (quoted): `&`, `<`, `>`, `"` and `'`
/// escaped, through any `Display`, so nothing written into the page can open markup.
fn esc<T: Display>(value: T) -> impl Display {
    Html(move |f: &mut Formatter<'_>| write!(Escaping(f), "{value}"))
}

/// Escapes everything written through it into the formatter it wraps.
struct Escaping<'f, 'g>(&'f mut Formatter<'g>);

impl fmt::Write for Escaping<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        HtmlEscaper.write_escaped(&mut *self.0, s)
    }
}

/// Counts the bytes written to it.
struct Counter(usize);

impl fmt::Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// A piece of HTML written by a closure.
struct Html<F>(F);

impl<F: Fn(&mut Formatter<'_>) -> fmt::Result> Display for Html<F> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// A category as the visitor reads it.
struct CategoryLabel(Category);

impl Display for CategoryLabel {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Category::Necessary => "Necessary",
            Category::Preferences => "Preferences",
            Category::Statistics => "Statistics",
            Category::Marketing => "Marketing",
        })
    }
}

/// A rule's longest lifetime in the largest whole unit: "1 year", "26 weeks".
struct Lifetime(Option<u32>);

impl Display for Lifetime {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        const UNITS: [(u32, &str); 5] = [
            (31_536_000, "year"),
            (604_800, "week"),
            (86_400, "day"),
            (3600, "hour"),
            (1, "second"),
        ];
        let Some(secs) = self.0 else {
            return f.write_str("until the browser closes");
        };
        let (size, unit) =
            UNITS.into_iter().find(|&(size, _)| secs % size == 0).unwrap_or((1, "second"));
        let count = secs / size;
        let plural = if count == 1 { "" } else { "s" };
        write!(f, "{count} {unit}{plural}")
    }
}

#[cfg(test)]
mod tests {
    use std::format;
    use std::string::ToString;

    use super::*;

    fn page(token: &str, received: &[u8]) -> Page {
        Page {
            lang: "en",
            title: "Device status",
            signed_in: false,
            consent: None,
            token: Token::try_from(token).unwrap(),
            received: heapless::Vec::from_slice(received).unwrap(),
        }
    }

    #[test]
    fn what_the_page_writes_is_escaped() {
        let cases = [
            (
                r#""><svg/onload=alert(1)>"#,
                &b"csrftoken=x"[..],
                "&#34;&#62;&#60;svg/onload=alert(1)&#62;",
                r#"<svg"#,
            ),
            ("t0k", b"x'&y=1", "<li><code>x&#39;&#38;y</code> (undeclared)</li>", "x'&y"),
        ];
        for (token, received, has, lacks) in cases {
            let html = page(token, received).to_string();
            assert!(html.contains(has), "no {has} in {html}");
            assert!(!html.contains(lacks), "{lacks} in {html}");
        }
    }

    #[test]
    fn the_received_list_is_what_the_app_received() {
        let cases: [(&[u8], &str); 3] = [
            (b"", "<li>none</li>"),
            (
                b"csrftoken=a; tracker=1",
                "<li><code>csrftoken</code></li><li><code>tracker</code> (undeclared)</li>",
            ),
            (
                b"sessionid=s; sessionid=t",
                "<li><code>sessionid</code></li><li><code>sessionid</code></li>",
            ),
        ];
        for (received, want) in cases {
            let html = page("t0k", received).to_string();
            let list = format!(r#"<ul id="received-cookies">{want}</ul>"#);
            assert!(html.contains(&list), "no {list} in {html}");
        }
    }

    #[test]
    fn lifetimes_in_the_largest_whole_unit() {
        let cases = [
            (Some(31_536_000), "1 year"),
            (Some(15_724_800), "26 weeks"),
            (Some(1_209_600), "2 weeks"),
            (Some(7_862_400), "13 weeks"),
            (Some(172_800), "2 days"),
            (Some(3600), "1 hour"),
            (Some(61), "61 seconds"),
            (None, "until the browser closes"),
        ];
        for (secs, want) in cases {
            assert_eq!(Lifetime(secs).to_string(), want, "{secs:?}");
        }
    }
}
