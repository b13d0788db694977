//! What a handler knows of a request: [`Visit`], read from the request's head by the
//! policy, and the forms the POST routes take.
//!
//! picoserve hands an extractor the request for a moment only (handler arguments
//! must own their data), so [`Visit`] filters the request's `Cookie` fields against
//! the policy right there and keeps an owned copy of what the policy allows: the
//! app never holds a cookie the policy blocks, not even in a buffer.

use embedded_cookie::consent::Consent;
use embedded_cookie::enforce::{Enforcer, Transport};
use embedded_cookie::{Config, CookieHeader};
use picoserve::extract::FromRequestParts;
use picoserve::request::RequestParts;
use picoserve::response::StatusCode;
use serde::Deserialize;

use crate::policy::{CONSENT_NAME, POLICY, RULES, session_name};
use crate::session::Token;
use crate::{App, Board, Event, Served};

/// Bytes of the cookies the policy lets through that the app keeps; more is
/// answered `431 Request Header Fields Too Large`. Only the app's own cookies pass,
/// and all five take about 230 bytes (the signed session 82 of them). (The whole request, cookies the policy blocks
/// included, is bounded by [`HTTP_BUFFER`](crate::HTTP_BUFFER).)
pub const MAX_COOKIE_HEADER: usize = 320;

/// `Cookie` fields in one request; HTTP/1.1 browsers send one.
const MAX_COOKIE_FIELDS: usize = 4;

/// Bytes of [`Visit::carried`]: every rule's name, `=` and `; ` (a test checks it).
const CARRIED: usize = 96;

/// A request as the app sees it.
pub struct Visit<B: 'static> {
    pub(crate) app: &'static App<B>,
    /// How the request came: the cookies depend on it.
    pub(crate) transport: Transport,
    /// The cookies the policy allows, as a `Cookie` header value.
    allowed: heapless::Vec<u8, MAX_COOKIE_HEADER>,
    /// The declared cookies the request brought, allowed or not, each once, by the
    /// name of their rule (every rule of the app names one cookie).
    declared: heapless::Vec<&'static str, RULES>,
    /// The consent in force: the visitor's, or necessary only until they answer.
    pub(crate) consent: Consent,
    /// Whether the visitor has answered (for this policy revision).
    pub(crate) answered: bool,
    /// `X-CSRFToken`. One longer than a token is kept empty: it matches nothing.
    pub(crate) csrf_header: Option<Token>,
}

impl<B> Visit<B> {
    /// The policy under `consent`, on this request's transport: every cookie the app
    /// reads or writes is checked by it.
    pub(crate) fn enforcer(&self, consent: &Consent) -> Enforcer<'static, 'static, RULES> {
        Enforcer::new(&POLICY, consent).over(self.transport)
    }

    /// The session cookie on this request's transport.
    pub(crate) fn session(&self) -> Option<&[u8]> {
        self.cookie(session_name(self.transport))
    }

    /// The cookies the app may read. The crate wrote them from cookies it parsed,
    /// so they parse; if they did not, the app would see none.
    pub(crate) fn cookies(&self) -> Option<CookieHeader<'_>> {
        CookieHeader::parse(self.allowed.as_slice()).ok()
    }

    /// The cookies the policy allowed, as the request sent them: what the app received.
    pub(crate) fn allowed(&self) -> &[u8] {
        &self.allowed
    }

    /// The declared cookies the request brought, allowed or not, as a `Cookie` header
    /// of empty values: the names a new consent may have to remove.
    pub(crate) fn carried(&self) -> heapless::Vec<u8, CARRIED> {
        let mut header = heapless::Vec::new();
        for (i, name) in self.declared.iter().enumerate() {
            let sep: &[u8] = if i == 0 { b"" } else { b"; " };
            // At most every rule's name once: within CARRIED (tested).
            let _ = header.extend_from_slice(sep);
            let _ = header.extend_from_slice(name.as_bytes());
            let _ = header.push(b'=');
        }
        header
    }

    /// The value of the allowed cookie `name`.
    pub(crate) fn cookie(&self, name: &str) -> Option<&[u8]> {
        self.cookies()?.get(name).map(|c| c.value())
    }
}

/// Why a request's head was refused.
type Rejection = (StatusCode, &'static str);

impl<'r, B: Board> FromRequestParts<'r, Served<B>> for Visit<B> {
    type Rejection = Rejection;

    async fn from_request_parts(
        served: &'r Served<B>,
        parts: &RequestParts<'r>,
    ) -> Result<Self, Rejection> {
        let Served { app, transport } = *served;
        let too_large = (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "Cookie header too large");
        let mut fields = heapless::Vec::<&[u8], MAX_COOKIE_FIELDS>::new();
        for (name, value) in parts.headers() {
            if name == "cookie" {
                fields.push(value.as_raw()).map_err(|_| too_large)?;
            }
        }
        let header = CookieHeader::parse_lines(&fields, &Config::new())
            .map_err(|_| (StatusCode::BAD_REQUEST, "malformed Cookie header"))?;
        let reading = Consent::from_header(&header, CONSENT_NAME, POLICY.revision());
        let request = Enforcer::new(&POLICY, &reading.consent).over(transport).request(&header);
        let mut declared = heapless::Vec::<&'static str, RULES>::new();
        app.board(|board| {
            for checked in request.iter() {
                let (name, verdict) = (checked.cookie.name(), checked.decision.verdict);
                board.log(&Event::Received { name, verdict });
                let rule = checked.decision.rule.map(|rule| rule.pattern.name());
                if let Some(rule) = rule.filter(|rule| !declared.contains(rule)) {
                    // One name a rule, at most RULES: the push cannot fail.
                    let _ = declared.push(rule);
                }
            }
        });
        let mut allowed = heapless::Vec::new();
        // Exactly the capacity, so this cannot fail; write says when it is short.
        allowed.resize_default(MAX_COOKIE_HEADER).map_err(|_| too_large)?;
        let len = request.write(&mut allowed).map_err(|_| too_large)?;
        allowed.truncate(len);
        let csrf_header = parts.headers().get("x-csrftoken").map(|value| {
            value.as_str().ok().and_then(|token| Token::try_from(token).ok()).unwrap_or_default()
        });
        Ok(Self {
            app,
            transport,
            allowed,
            declared,
            consent: reading.consent,
            answered: reading.ask_again.is_none(),
            csrf_header,
        })
    }
}

/// The CSRF field every form carries.
pub trait CsrfField {
    /// `csrfmiddlewaretoken`, if sent.
    fn csrf(&self) -> Option<&str>;
}

macro_rules! forms {
    ($($(#[$doc:meta])* $name:ident { $($(#[$field_doc:meta])* $field:ident: $ty:ty,)* })*) => {$(
        $(#[$doc])*
        #[derive(Deserialize)]
        pub struct $name {
            $($(#[$field_doc])* pub $field: $ty,)*
            /// The CSRF token, as the page wrote it into the form.
            pub csrfmiddlewaretoken: Option<Token>,
        }

        impl CsrfField for $name {
            fn csrf(&self) -> Option<&str> {
                self.csrfmiddlewaretoken.as_deref()
            }
        }
    )*};
}

forms! {
    /// The sign-in form.
    Login {
        /// The user name.
        username: heapless::String<64>,
        /// The password.
        password: heapless::String<64>,
    }
    /// A form with nothing but the CSRF token (sign out).
    Plain {}
    /// The language switch.
    Language {
        /// A language code of the page.
        language: heapless::String<8>,
    }
    /// The banner's answer.
    Choice {
        /// `all`, `necessary`, `chosen` (the ticked categories) or `withdraw`.
        choice: heapless::String<16>,
        /// Ticked: consent to preference cookies.
        preferences: Option<heapless::String<4>>,
        /// Ticked: consent to statistics cookies.
        statistics: Option<heapless::String<4>>,
        /// Ticked: consent to marketing cookies.
        marketing: Option<heapless::String<4>>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rules_name_fits_the_carried_header() {
        // `carried` names a cookie by its rule: each rule must name one.
        let exact = |rule: &&embedded_cookie::policy::Rule<'_>| {
            matches!(rule.pattern, embedded_cookie::policy::Pattern::Exact(_))
        };
        assert!(POLICY.rules().iter().all(|rule| exact(&rule)));
        let len: usize = POLICY.rules().iter().map(|rule| rule.pattern.name().len() + 3).sum();
        assert!(len <= CARRIED, "{len}");
    }
}
