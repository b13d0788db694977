//! The routes: what each request does with the device's state and which cookies
//! it answers with.

use embedded_cookie::CookieHeader;
use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::policy::Category;
use embedded_hal::digital::OutputPin;
use picoserve::response::StatusCode;

use crate::page::{LANGUAGES, Page};
use crate::policy::{CONSENT, CSRF, LANGUAGE, POLICY, STATS, session};
use crate::reply::Reply;
use crate::request::{Choice, CsrfField, Language, Login, Plain, Visit};
use crate::session::{self, Sessions, Token};
use crate::{Board, Event};

impl<B: Board> Visit<B> {
    /// `GET /`: the page. A signed-in browser gets the token derived from its
    /// session; another keeps its `csrftoken` only if the device made it (and it has
    /// not expired), else gets a new one: a planted token is never written into the
    /// page, nor accepted.
    pub(crate) fn page(&self) -> Reply {
        let sent = self.cookie("csrftoken");
        let token = self.app.with(|board, sessions| {
            let now = board.now();
            match (self.session_csrf(sessions, now), sent) {
                (Some(derived), _) => derived,
                (None, Some(sent)) if sessions.is_anonymous_token(sent, now) => {
                    // The device made it: base64 of a signed value, so UTF-8 and no
                    // longer than a token.
                    let sent = core::str::from_utf8(sent).ok();
                    sent.and_then(|t| Token::try_from(t).ok()).unwrap_or_default()
                }
                (None, _) => sessions.anonymous_token(now, board.random()),
            }
        });
        let page = Page::new(self, token.clone());
        let reply = Reply::page(page);
        if sent == Some(token.as_bytes()) {
            reply
        } else {
            reply.set_cookie(self.app, self.enforcer(&self.consent), CSRF.value(&token))
        }
    }

    /// `GET /beacon`, loaded by the page: gives the browser a visit id when the
    /// visitor consented to statistics (the policy blocks it otherwise).
    pub(crate) fn beacon(&self) -> Reply {
        let reply = Reply::no_content();
        if self.cookie("_stats_id").is_some() {
            return reply;
        }
        reply.set_cookie(self.app, self.enforcer(&self.consent), STATS.value(&self.new_random()))
    }

    /// `POST /login`: a new session and a new CSRF token, so one planted before
    /// sign-in is worthless after it.
    pub(crate) fn login(&self, form: &Login) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let id = self.app.with(|board, sessions| {
            let (now, random) = (board.now(), board.random());
            let id = sessions.sign_in(self.transport, &form.username, &form.password, now, random);
            if id.is_some() {
                self.led(board, true);
            }
            id
        });
        let Some(id) = id else {
            return Reply::text(StatusCode::FORBIDDEN, "wrong user or password");
        };
        let csrf = self.app.with(|_, sessions| sessions.csrf_token(id.as_bytes()));
        let enforcer = self.enforcer(&self.consent);
        Reply::see_page()
            .set_cookie(self.app, enforcer, session(self.transport).value(&id))
            .set_cookie(self.app, enforcer, CSRF.value(&csrf))
    }

    /// `POST /logout`: ends the session, so a copy of its value (another tab, a
    /// stolen cookie) no longer signs in (see [`Sessions`](crate::session::Sessions)
    /// for what the device remembers, and what happens when its list is full), removes
    /// the session cookie from this browser and puts the LED out.
    pub(crate) fn logout(&self, form: &Plain) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let sent = self.session();
        self.app.with(|board, sessions| {
            sessions.sign_out(self.transport, sent, board.now());
            self.led(board, false);
        });
        let enforcer = self.enforcer(&self.consent);
        Reply::see_page().set_cookie(self.app, enforcer, session(self.transport).removal())
    }

    /// `POST /language`.
    pub(crate) fn language(&self, form: &Language) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let Some(&(code, _)) = LANGUAGES.iter().find(|&&(code, _)| code == form.language) else {
            return Reply::text(StatusCode::BAD_REQUEST, "unknown language");
        };
        Reply::see_page().set_cookie(self.app, self.enforcer(&self.consent), LANGUAGE.value(code))
    }

    /// `POST /consent`: the banner's answer. Whatever it is, and whatever the consent
    /// the request carried (current, from an earlier policy revision, malformed or
    /// none), every declared cookie the request brought that the new consent does not
    /// allow is removed, with the `Path` and `Domain` its rule gives.
    pub(crate) fn consent(&self, form: &Choice) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let granted = match form.choice.as_str() {
            "all" => Categories::ALL,
            "necessary" | "withdraw" => Categories::NONE,
            "chosen" => [
                (Category::Preferences, &form.preferences),
                (Category::Statistics, &form.statistics),
                (Category::Marketing, &form.marketing),
            ]
            .into_iter()
            .filter(|(_, ticked)| ticked.is_some())
            .fold(Categories::NONE, |granted, (category, _)| granted.with(category)),
            _ => return Reply::text(StatusCode::BAD_REQUEST, "unknown choice"),
        };
        let consent = Consent::new(granted, POLICY.revision());
        let value = consent.to_heapless();
        let enforcer = self.enforcer(&consent);
        let mut reply = Reply::see_page().set_cookie(self.app, enforcer, CONSENT.value(&value));
        let carried = self.carried();
        let Ok(cookies) = CookieHeader::parse(carried.as_slice()) else {
            return reply;
        };
        for withdrawal in enforcer.request(&cookies).withdrawals() {
            match withdrawal.builder() {
                Ok(removal) => reply = reply.set_cookie(self.app, enforcer, removal),
                Err(why) => self.app.board(|board| board.log(&Event::NotWritten(why.as_str()))),
            }
        }
        reply
    }

    /// Whether the session cookie is the device's session.
    pub(crate) fn signed_in(&self) -> bool {
        let sent = self.session();
        self.app.with(|board, sessions| sessions.is_signed_in(self.transport, sent, board.now()))
    }

    /// The CSRF token derived from the session, when the visitor is signed in.
    fn session_csrf(&self, sessions: &Sessions, now: i64) -> Option<Token> {
        let session = self.session()?;
        sessions
            .is_signed_in(self.transport, Some(session), now)
            .then(|| sessions.csrf_token(session))
    }

    /// `403 Forbidden` unless the POST carries the CSRF token back.
    fn refuse(&self, form: &impl CsrfField) -> Option<Reply> {
        let header = self.csrf_header.as_deref();
        let (session, cookie) = (self.session(), self.cookie("csrftoken"));
        let ok = self.app.with(|board, sessions| {
            sessions.csrf_ok(self.transport, session, cookie, header, form.csrf(), board.now())
        });
        (!ok).then(|| Reply::text(StatusCode::FORBIDDEN, "CSRF token missing or incorrect"))
    }

    fn new_random(&self) -> Token {
        session::token(self.app.board(Board::random))
    }

    /// Drives the LED and logs it. The LED shows the last sign-in or sign-out, not
    /// who is signed in (see [`Board::Led`]); a pin that fails keeps its old state,
    /// since the LED only shows, it never decides.
    fn led(&self, board: &mut B, on: bool) {
        let led = board.led();
        let _ = if on { led.set_high() } else { led.set_low() };
        board.log(&Event::Session(on));
    }
}
