//! The routes: what each request does with the device's state and which cookies
//! it answers with.

use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::policy::Category;
use embedded_hal::digital::OutputPin;
use picoserve::response::StatusCode;

use crate::page::{LANGUAGES, Page};
use crate::policy::{CONSENT, CSRF, LANGUAGE, POLICY, SESSION, STATS};
use crate::reply::Reply;
use crate::request::{Choice, CsrfField, Language, Login, Plain, Visit};
use crate::session::{self, Token};
use crate::{Board, Event};

impl<B: Board> Visit<B> {
    /// `GET /`: the page. A signed-in browser gets the token derived from its
    /// session; another without a CSRF token, or with one longer than the device's,
    /// gets a new one.
    pub(crate) fn page(&self) -> Reply {
        let sent = self.cookie("csrftoken").and_then(|v| core::str::from_utf8(v).ok());
        let token = match (self.session_csrf(), sent.and_then(|t| Token::try_from(t).ok())) {
            (Some(derived), _) => derived,
            (None, Some(token)) => token,
            (None, None) => self.new_token(),
        };
        let page = Page::new(self, token.clone());
        let reply = Reply::page(page);
        if sent == Some(token.as_str()) {
            reply
        } else {
            reply.set_cookie(self.app, &self.consent, CSRF.value(&token))
        }
    }

    /// `GET /beacon`, loaded by the page: gives the browser a visit id when the
    /// visitor consented to statistics (the policy blocks it otherwise).
    pub(crate) fn beacon(&self) -> Reply {
        let reply = Reply::no_content();
        if self.cookie("_stats_id").is_some() {
            return reply;
        }
        reply.set_cookie(self.app, &self.consent, STATS.value(&self.new_token()))
    }

    /// `POST /login`: a new session and a new CSRF token, so one planted before
    /// sign-in is worthless after it.
    pub(crate) fn login(&self, form: &Login) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let id = self.app.with(|board, sessions| {
            let id = sessions.sign_in(&form.username, &form.password, board.now());
            if id.is_some() {
                self.led(board, true);
            }
            id
        });
        let Some(id) = id else {
            return Reply::text(StatusCode::FORBIDDEN, "wrong user or password");
        };
        let csrf = self.app.with(|_, sessions| sessions.csrf_token(id.as_bytes()));
        Reply::see_page().set_cookie(self.app, &self.consent, SESSION.value(&id)).set_cookie(
            self.app,
            &self.consent,
            CSRF.value(&csrf),
        )
    }

    /// `POST /logout`: removes `sessionid` from this browser and puts the LED out.
    /// The device keeps no session table, so a copy of the signed value (another tab's
    /// request in flight, a stolen cookie) stays valid until its expiry: see "What it
    /// does not protect against" in the crate's `signed` module. To sign everyone out,
    /// change the key.
    pub(crate) fn logout(&self, form: &Plain) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        self.app.with(|board, _| self.led(board, false));
        Reply::see_page().set_cookie(self.app, &self.consent, SESSION.removal())
    }

    /// `POST /language`.
    pub(crate) fn language(&self, form: &Language) -> Reply {
        if let Some(refused) = self.refuse(form) {
            return refused;
        }
        let Some(&(code, _)) = LANGUAGES.iter().find(|&&(code, _)| code == form.language) else {
            return Reply::text(StatusCode::BAD_REQUEST, "unknown language");
        };
        Reply::see_page().set_cookie(self.app, &self.consent, LANGUAGE.value(code))
    }

    /// `POST /consent`: the banner's answer. Whatever it is, the cookies the new
    /// consent no longer allows are removed, with the `Path` and `Domain` their rules
    /// give.
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
        let value = consent.to_value();
        let mut reply = Reply::see_page().set_cookie(self.app, &consent, CONSENT.value(&value));
        let Some(cookies) = self.cookies() else {
            return reply;
        };
        for withdrawal in Enforcer::new(&POLICY, &consent).request(&cookies).withdrawals() {
            match withdrawal.builder() {
                Ok(removal) => reply = reply.set_cookie(self.app, &consent, removal),
                Err(why) => self.app.board(|board| board.log(&Event::NotWritten(why.as_str()))),
            }
        }
        reply
    }

    /// Whether the session cookie is the device's session.
    pub(crate) fn signed_in(&self) -> bool {
        let sent = self.cookie("sessionid");
        self.app.with(|board, sessions| sessions.is_signed_in(sent, board.now()))
    }

    /// The CSRF token derived from the session, when the visitor is signed in.
    fn session_csrf(&self) -> Option<Token> {
        let session = self.cookie("sessionid")?;
        self.app.with(|board, sessions| {
            let signed_in = sessions.is_signed_in(Some(session), board.now());
            signed_in.then(|| sessions.csrf_token(session))
        })
    }

    /// `403 Forbidden` unless the POST carries the CSRF token back.
    fn refuse(&self, form: &impl CsrfField) -> Option<Reply> {
        let header = self.csrf_header.as_deref();
        let (session, cookie) = (self.cookie("sessionid"), self.cookie("csrftoken"));
        let ok = self.app.with(|board, sessions| {
            sessions.csrf_ok(session, cookie, header, form.csrf(), board.now())
        });
        (!ok).then(|| Reply::text(StatusCode::FORBIDDEN, "CSRF token missing or incorrect"))
    }

    fn new_token(&self) -> Token {
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
