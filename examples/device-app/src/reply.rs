//! A response of the app: status, the `Set-Cookie` headers the policy let through,
//! and a body. Every `Set-Cookie` goes through [`Reply::set_cookie`].

use embedded_cookie::enforce::Enforcer;
use embedded_cookie::set_cookie::{BuildError, SetCookieBuilder};
use picoserve::ResponseSent;
use picoserve::io::{Read, Write};
use picoserve::response::{
    Connection, Content, IntoResponse, Response, ResponseWriter, StatusCode,
};

use crate::page::Page;
use crate::policy::RULES;
use crate::{App, Board, Event};

/// Longest `Set-Cookie` value: the longest the app writes, the session with its
/// attributes, is 136 bytes; a longer one is not sent (and logged).
pub const MAX_LINE: usize = 160;

/// Most `Set-Cookie` headers in one response: sign-in's session and CSRF token, or
/// the consent cookie and the removal of the one cookie that needs consent. One
/// more is not sent (and logged).
pub const MAX_SET_COOKIES: usize = 2;

type Line = heapless::String<MAX_LINE>;

/// What a route answers.
pub struct Reply {
    status: StatusCode,
    location: Option<&'static str>,
    /// `("Set-Cookie", value)` pairs, the shape picoserve writes as headers.
    set_cookies: heapless::Vec<(&'static str, Line), MAX_SET_COOKIES>,
    /// `None`: no body, not even a `Content-Length` (a 204).
    body: Option<Body>,
}

// The page is the one large body, and a reply is built once and written once:
// without a heap, keeping it in place is the cheap way.
#[allow(clippy::large_enum_variant)]
enum Body {
    Text(&'static str),
    Page(Page),
}

impl Reply {
    /// `status` with a short text.
    pub(crate) fn text(status: StatusCode, text: &'static str) -> Self {
        Self {
            status,
            location: None,
            set_cookies: heapless::Vec::new(),
            body: Some(Body::Text(text)),
        }
    }

    /// `204 No Content`.
    pub(crate) fn no_content() -> Self {
        Self { body: None, ..Self::text(StatusCode::NO_CONTENT, "") }
    }

    /// `303 See Other` to the page: after a form post, the browser loads it again.
    pub(crate) fn see_page() -> Self {
        Self { location: Some("/"), ..Self::text(StatusCode::SEE_OTHER, "") }
    }

    /// `200 OK` with the page.
    pub(crate) fn page(page: Page) -> Self {
        Self { body: Some(Body::Page(page)), ..Self::text(StatusCode::OK, "") }
    }

    /// Adds `cookie` as `enforcer` (the policy under a consent, on the request's
    /// transport) allows it: hardened to its rule, or left out when blocked. Either
    /// way the decision is logged.
    pub(crate) fn set_cookie<B: Board>(
        mut self,
        app: &App<B>,
        enforcer: Enforcer<'_, '_, RULES>,
        cookie: SetCookieBuilder<'_>,
    ) -> Self {
        let set_cookies = &mut self.set_cookies;
        app.board(|board| {
            let added = check(board, enforcer, cookie).and_then(|line| match line {
                Some(line) => set_cookies
                    .push(("Set-Cookie", line))
                    .map_err(|_| "more Set-Cookie headers than a reply holds"),
                None => Ok(()),
            });
            if let Err(why) = added {
                board.log(&Event::NotWritten(why));
            }
        });
        self
    }
}

/// The line to send for `cookie`, `None` when the policy blocks it, with the
/// crate's verdict logged; `Err` when it cannot be written within [`MAX_LINE`].
fn check<B: Board>(
    board: &mut B,
    enforcer: Enforcer<'_, '_, RULES>,
    cookie: SetCookieBuilder<'_>,
) -> Result<Option<Line>, &'static str> {
    let checked = enforcer.response(cookie, board.now());
    // Every cookie the app writes is declared; one that is not is blocked, and
    // logged without its name.
    let name = checked.decision.rule.map_or("(undeclared)", |rule| rule.pattern.name());
    board.log(&Event::Sent { name, verdict: checked.decision.verdict });
    match checked.allowed() {
        Some(allowed) => allowed.to_heapless::<MAX_LINE>().map(Some).map_err(BuildError::as_str),
        None => Ok(None),
    }
}

impl IntoResponse for Reply {
    async fn write_to<R: Read, W: ResponseWriter<Error = R::Error>>(
        self,
        connection: Connection<'_, R>,
        response_writer: W,
    ) -> Result<ResponseSent, W::Error> {
        let Self { status, location, set_cookies, body } = self;
        let cookies = set_cookies.as_slice();
        let headers = [Some(("Cache-Control", "no-store")), location.map(|to| ("Location", to))];
        match body {
            None => {
                let response = Response::empty(status).with_headers(headers).with_headers(cookies);
                response_writer.write_response(connection, response).await
            }
            Some(body) => {
                let response = Response::new(status, body).with_headers(headers);
                response_writer.write_response(connection, response.with_headers(cookies)).await
            }
        }
    }
}

impl Content for Body {
    fn content_type(&self) -> &'static str {
        match self {
            Self::Page(page) => page.content_type(),
            Self::Text(text) => text.content_type(),
        }
    }

    fn content_length(&self) -> usize {
        match self {
            Self::Page(page) => page.content_length(),
            Self::Text(text) => text.len(),
        }
    }

    async fn write_content<W: Write>(self, writer: W) -> Result<(), W::Error> {
        match self {
            Self::Page(page) => page.write_content(writer).await,
            Self::Text(text) => text.write_content(writer).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use embedded_cookie::consent::{Categories, Consent};
    use embedded_cookie::enforce::Transport;
    use embedded_cookie::policy::Requirement;

    use super::*;
    use crate::policy::{CONSENT, CSRF, LANGUAGE, POLICY, STATS, session};

    #[test]
    fn a_reply_holds_every_cookie_a_route_writes() {
        let needing_consent =
            POLICY.rules().iter().filter(|r| r.requirement() == Requirement::Required).count();
        // The consent cookie and the removals of what needs consent; sign-in's two.
        assert!(MAX_SET_COOKIES >= (1 + needing_consent).max(2));
    }

    #[test]
    fn every_cookie_the_app_writes_fits_a_line_once_hardened() {
        let token = "t".repeat(crate::session::TOKEN_LEN);
        let token = token.as_str();
        let consent = Consent::new(Categories::ALL, POLICY.revision());
        for transport in [Transport::Tls, Transport::PlainHttp] {
            let enforcer = Enforcer::new(&POLICY, &consent).over(transport);
            for cookie in [session(transport), CSRF, LANGUAGE, CONSENT, STATS] {
                for written in [cookie.value(token), cookie.removal()] {
                    let checked = enforcer.response(written, 1_700_000_000);
                    let line = checked.allowed().unwrap().to_heapless::<MAX_LINE>();
                    assert!(line.is_ok(), "{written:?} {transport}");
                }
            }
        }
    }
}
