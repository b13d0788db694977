//! A response of the app: status, the `Set-Cookie` headers the policy let through,
//! and a body. Every `Set-Cookie` goes through [`Reply::set_cookie`].

use embedded_cookie::consent::Consent;
use embedded_cookie::set_cookie::{BuildError, SetCookie, SetCookieBuilder};
use picoserve::ResponseSent;
use picoserve::io::Read;
use picoserve::response::{Connection, IntoResponse, Response, ResponseWriter, StatusCode};

use crate::page::Page;
use crate::policy::POLICY;
use crate::{App, Board, Event};

/// Longest `Set-Cookie` value: the longest the app writes, hardened, is about 100
/// bytes; a longer one is not sent (and logged as blocked).
pub const MAX_LINE: usize = 160;

/// Most `Set-Cookie` headers in one response: the consent cookie and one removal per
/// other cookie.
pub const MAX_SET_COOKIES: usize = 6;

type Line = heapless::String<MAX_LINE>;

/// What a route answers.
pub struct Reply {
    status: StatusCode,
    location: Option<&'static str>,
    set_cookies: heapless::Vec<Line, MAX_SET_COOKIES>,
    body: Body,
}

// The page is the one large body, and a reply is built once and written once:
// without a heap, keeping it in place is the cheap way.
#[allow(clippy::large_enum_variant)]
enum Body {
    Empty,
    Text(&'static str),
    Page(Page),
}

impl Reply {
    /// `status` with a short text.
    pub(crate) fn text(status: StatusCode, text: &'static str) -> Self {
        Self { status, location: None, set_cookies: heapless::Vec::new(), body: Body::Text(text) }
    }

    /// `204 No Content`.
    pub(crate) fn no_content() -> Self {
        Self { body: Body::Empty, ..Self::text(StatusCode::NO_CONTENT, "") }
    }

    /// `303 See Other` to the page: after a form post, the browser loads it again.
    pub(crate) fn see_page() -> Self {
        Self { location: Some("/"), ..Self::text(StatusCode::SEE_OTHER, "") }
    }

    /// `200 OK` with the page.
    pub(crate) fn page(page: Page) -> Self {
        Self { body: Body::Page(page), ..Self::text(StatusCode::OK, "") }
    }

    /// Adds `cookie` as the policy allows it under `consent`: hardened to its rule,
    /// or left out when blocked. Either way the decision is logged.
    pub(crate) fn set_cookie<B: Board>(
        mut self,
        app: &App<B>,
        consent: &Consent,
        cookie: SetCookieBuilder<'_>,
    ) -> Self {
        let line = app.board(|board| {
            check(board, cookie, consent).unwrap_or_else(|why| {
                board.log(&Event::NotWritten(why));
                None
            })
        });
        if let Some(line) = line {
            // A response never has more cookies than the routes write.
            let _ = self.set_cookies.push(line);
        }
        self
    }
}

/// The line to send for `cookie`, `None` when the policy blocks it, with the
/// crate's verdict logged; `Err` when it cannot be written within [`MAX_LINE`].
fn check<B: Board>(
    board: &mut B,
    cookie: SetCookieBuilder<'_>,
    consent: &Consent,
) -> Result<Option<Line>, &'static str> {
    let built = cookie.to_heapless::<MAX_LINE>().map_err(BuildError::as_str)?;
    let parsed = SetCookie::parse(built.as_str()).map_err(|_| "not parsed back")?;
    let checked = POLICY.check_set_cookie(&parsed, consent, board.now());
    let name = parsed.name_str().unwrap_or_default();
    board.log(&Event::Sent { name, verdict: checked.decision.verdict });
    match checked.builder() {
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
        let mut cookies: [Option<(&str, Line)>; MAX_SET_COOKIES] = Default::default();
        for (slot, line) in cookies.iter_mut().zip(set_cookies) {
            *slot = Some(("Set-Cookie", line));
        }
        let headers =
            ([("Cache-Control", "no-store")], [location.map(|to| ("Location", to))], cookies);
        match body {
            Body::Empty => {
                let response = Response::empty(status).with_headers(headers.0);
                let response = response.with_headers(headers.1).with_headers(headers.2);
                response_writer.write_response(connection, response).await
            }
            Body::Text(text) => {
                let response = Response::new(status, text).with_headers(headers.0);
                let response = response.with_headers(headers.1).with_headers(headers.2);
                response_writer.write_response(connection, response).await
            }
            Body::Page(page) => {
                let response = Response::new(status, page).with_headers(headers.0);
                let response = response.with_headers(headers.1).with_headers(headers.2);
                response_writer.write_response(connection, response).await
            }
        }
    }
}
