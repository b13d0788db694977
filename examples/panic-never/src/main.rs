//! Proof that no public entry point of `embedded-cookie` can panic on the target.
//!
//! This program calls every entry point a firmware uses on input the optimiser
//! cannot see (`black_box`), and its panic handler calls a function that exists
//! nowhere. Built for `thumbv7m-none-eabi` with the release settings a firmware
//! ships with (opt-level `s`, fat LTO, one codegen unit), the link succeeds only
//! when the optimiser has removed every panic: one that input could reach would
//! keep the handler, and with it the undefined symbol `embedded_cookie_can_panic`,
//! alive. The program never runs.
//!
//! Every argument is unknown, not only the request bytes. What a firmware writes as
//! a constant (its keys, a `Spec`, a `Config`, a suffix list) is one firmware's
//! choice, and a proof fed one constant covers only the branches that constant
//! takes: with `Keys::new(key, &[])` the optimiser drops every line that reads a
//! previous key, and with `NoPublicSuffixes` the jar's whole public-suffix branch.
//! So these pass through `black_box`: the key ids and secrets, the list of previous
//! keys and its length, the suffix list (a real `[&str]`, entries and length), the
//! jar's `Spec` and domain share, the policy, the `Cookie` header's `Config` (mode
//! and limits), the consent categories and revision, the builder's flags, the clock
//! and every output buffer's length. What stays fixed is what a type fixes at
//! compile time in a firmware too: the const-generic capacities (a jar of 4 cookies
//! in 256 bytes, a policy of 2 rules, `collect::<8>`, `to_heapless::<128>`). One jar
//! type only: with a second (`Jar<_, 1, 64>` as well) core's `rotate_left` is no
//! longer inlined into the jar's storage, and its own assertion, which the storage's
//! length check makes unreachable, links.
//!
//! Covered, each in a function of its own below: `Cookie` header parsing (one
//! line, several lines) and lookups; classifying and deciding against a policy
//! compiled from its text (`compile_policy!`, as a firmware does); loading a policy text at
//! run time (`Policy::load`, `load_into`, `load_reporting_into`);
//! consent (reading and writing its value); enforcement (request filtering, the
//! allowed header, withdrawals, `Enforcer::response`); `Set-Cookie` parsing and
//! building (every attribute); cookie dates (parsing, IMF-fixdates); URLs, domain
//! and path matching, and the jar (storing under a suffix list, sending, purging);
//! the `Cookie` header writer; signed cookie values (signing, verifying with the
//! current key or a previous one, CSRF tokens, `Key::mac`). Not covered: private
//! values (`Keys::seal`, `Keys::open`), whose cipher crate (`chacha20`) unwraps a
//! keystream-overflow error that only a message over 256 GiB could reach.
//!
//! Run by `.ci/run`: `cd examples/panic-never && cargo build --release`. When the
//! link fails, find the panic with the symbol defined:
//! `RUSTFLAGS="-C link-arg=--defsym=embedded_cookie_can_panic=0" cargo build --release`,
//! then `llvm-objdump -d --demangle` on the program shows which function calls
//! `core::panicking::*` or `core::slice::index::*_fail`.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::date::{ImfFixdate, parse_cookie_date};
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::jar::{Jar, default_path, domain_match, path_match};
use embedded_cookie::policy::Policy;
use embedded_cookie::set_cookie::{Priority, SameSite};
use embedded_cookie::signed::{Key, Keys};
use embedded_cookie::{Config, CookieHeader, CookieWriter, SetCookie, SetCookieBuilder, Spec, Url};

/// Input the optimiser knows nothing about.
static INPUT: [u8; 64] = [0; 64];

fn bytes() -> &'static [u8] {
    black_box(INPUT.as_slice())
}

fn text() -> &'static str {
    core::str::from_utf8(bytes()).unwrap_or_default()
}

fn number() -> i64 {
    black_box(0)
}

/// An output buffer whose length the optimiser does not know either.
fn buffer<const N: usize>(buf: &mut [u8; N]) -> &mut [u8] {
    black_box(buf.as_mut_slice())
}

/// A public-suffix list as a client ships one; its entries and length unknown.
fn suffixes() -> &'static [&'static str] {
    black_box(&["com", "co.uk", "github.io"])
}

/// A policy the optimiser knows nothing about: one exact and one prefix rule,
/// compiled from its text as a firmware compiles its own (`compile_policy!`).
fn policy_of_two() -> Policy<'static, 2> {
    const COMPILED: Policy<'static, 2> =
        embedded_cookie::compile_policy!("sid | necessary\n_ga* | statistics");
    black_box(COMPILED)
}

#[inline(never)]
fn cookie_header() {
    if let Ok(header) = CookieHeader::parse_with(bytes(), &black_box(Config::new())) {
        for c in header.iter() {
            black_box((c.name_str(), c.value_str(), c.unquoted(), c.line(), c.value_offset()));
        }
        black_box((header.get(bytes()), header.count(bytes()), header.get_all(bytes()).count()));
        black_box(header.collect::<8>().ok());
    }
    let lines = [bytes(), bytes()];
    black_box(CookieHeader::parse_lines(&lines, &black_box(Config::strict())).ok());
}

#[inline(never)]
fn policy() {
    let consent = Consent::parse(bytes(), black_box(1)).consent;
    let policy = policy_of_two();
    let enforcer = Enforcer::new(&policy, &consent);
    black_box((policy.classify(bytes()), enforcer.decide(bytes()), enforcer.consent()));
}

/// Loading a policy text at run time, which a firmware that compiles its table
/// (`compile_policy!`) never links: every way in, on a text the optimiser cannot see.
#[inline(never)]
fn policy_text() {
    black_box(Policy::<2>::load(text()).is_ok());
    let mut loaded = Policy::<2>::new(0);
    black_box(loaded.load_into(text()).is_ok());
    loaded.load_reporting_into(text(), |e| {
        black_box(e);
    });
    black_box(&loaded);
}

#[inline(never)]
fn consent() {
    let consent = Consent::new(black_box(Categories::ALL), black_box(7));
    black_box(consent.to_heapless());
    if let Ok(header) = CookieHeader::parse(bytes()) {
        black_box(Consent::from_header(&header, bytes(), black_box(3)));
    }
}

#[inline(never)]
fn enforce() {
    let consent = Consent::parse(bytes(), black_box(1)).consent;
    let policy = policy_of_two();
    let enforcer = Enforcer::new(&policy, &consent);
    if let Ok(header) = CookieHeader::parse(bytes()) {
        let request = enforcer.request(&header);
        black_box((request.allowed().count(), request.denied().count()));
        let mut buf = [0u8; 128];
        black_box(request.write(buffer(&mut buf)).ok());
        for w in request.withdrawals() {
            black_box(w.write(buffer(&mut buf)).ok());
        }
    }
    if let Ok(cookie) = SetCookie::parse(bytes()) {
        let checked = enforcer.response(&cookie, number());
        let mut buf = [0u8; 128];
        black_box((checked.write(buffer(&mut buf)).ok(), checked.allowed().is_some()));
    }
    let built = enforcer.response(SetCookieBuilder::new(text(), text()), number());
    let mut buf = [0u8; 128];
    black_box(built.write(buffer(&mut buf)).ok());
}

#[inline(never)]
fn set_cookie() {
    if let Ok(c) = SetCookie::parse_with(bytes(), black_box(Spec::Rfc6265bis)) {
        black_box((c.name_str(), c.value_str(), c.expiry(), c.expiry_time(number())));
        black_box((c.domain(), c.path(), c.same_site(), c.priority(), c.check_prefix().ok()));
        for a in c.attributes() {
            black_box((a.name(), a.value(), a.kind()));
        }
        black_box(c.unknown().count());
        let mut buf = [0u8; 128];
        black_box(c.to_builder().write(buffer(&mut buf)).ok());
    }
    let mut builder = SetCookieBuilder::new(text(), text())
        .domain(text())
        .path(text())
        .max_age(number())
        .same_site(black_box(SameSite::Lax))
        .secure(black_box(true))
        .http_only(black_box(true))
        .partitioned(black_box(true))
        .priority(black_box(Priority::High));
    if let Ok(at) = ImfFixdate::new(number()) {
        builder = builder.expires(at);
    }
    let mut buf = [0u8; 128];
    black_box((builder.written_len().ok(), builder.write(buffer(&mut buf)).ok()));
    black_box(builder.removal().to_heapless::<128>().ok());
}

#[inline(never)]
fn dates() {
    black_box(parse_cookie_date(bytes()).ok());
    black_box(ImfFixdate::new(number()).map(ImfFixdate::to_bytes).ok());
}

/// A jar of `COOKIES` cookies in `BYTES` bytes, with a real suffix list: a
/// `NoPublicSuffixes` jar runs a subset of this code (its suffix check is `false`).
#[inline(never)]
fn jar<const COOKIES: usize, const BYTES: usize>() {
    let spec = black_box(Spec::Rfc6265bis);
    let mut jar: Jar<_, COOKIES, BYTES> =
        Jar::new(spec, suffixes()).with_domain_share(black_box(2));
    let Ok(url) = Url::parse(text()) else { return };
    black_box(jar.store(&url, bytes(), number()).ok());
    black_box(jar.store(&url, bytes(), number()).ok());
    let mut buf = [0u8; 128];
    black_box(jar.cookie_header(&url, number(), buffer(&mut buf)).ok());
    black_box(jar.remove_expired(number()));
    for c in jar.iter() {
        black_box((c.name_str(), c.domain(), c.path(), c.expiry(), c.same_site()));
    }
    black_box((jar.len(), jar.bytes_used()));
}

#[inline(never)]
fn matching() {
    black_box((domain_match(text(), text()), path_match(bytes(), bytes()), default_path(bytes())));
}

#[inline(never)]
fn cookie_writer() {
    let mut buf = [0u8; 64];
    let mut writer = CookieWriter::new(buffer(&mut buf));
    black_box(writer.push(bytes(), bytes()).ok());
    black_box(writer.finish());
}

/// The current key and a list of previous ones, every id, secret and the list's
/// length unknown: verify's lookup of the current key, a previous one and none all
/// stay in.
#[inline(never)]
fn signed() {
    let id = || black_box(1);
    let previous = [Key::new(id(), bytes()), Key::new(id(), bytes())];
    let keys = black_box(Keys::new(Key::new(id(), bytes()), black_box(previous.as_slice())));
    let (mut out, mut buf) = ([0u8; 160], [0u8; 160]);
    let expires = black_box(1_700_000_000);
    black_box(keys.sign(text(), bytes(), expires, buffer(&mut out)).ok());
    black_box(keys.verify(text(), bytes(), expires, buffer(&mut buf)).ok());
    let cookie = SetCookieBuilder::new(text(), text()).max_age(number());
    black_box(keys.sign_cookie(cookie, bytes(), number(), buffer(&mut out)).ok());
    black_box(keys.csrf_token(bytes(), buffer(&mut out)).ok());
    black_box(keys.check_csrf_token(bytes(), bytes()));
    black_box(keys.current().mac(bytes()));
}

#[unsafe(no_mangle)]
extern "C" fn _start() -> ! {
    loop {
        cookie_header();
        policy();
        policy_text();
        consent();
        enforce();
        set_cookie();
        dates();
        jar::<4, 256>();
        matching();
        cookie_writer();
        signed();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    unsafe extern "C" {
        /// Defined nowhere: linking fails when a panic is reachable.
        fn embedded_cookie_can_panic() -> !;
    }
    // SAFETY: never called in a program that links.
    unsafe { embedded_cookie_can_panic() }
}
