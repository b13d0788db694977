//! Parsing, lookups, dates and building never touch the heap: a counting global allocator sees no
//! allocation while they run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use embedded_cookie::date::{ImfFixdate, parse_cookie_date};
use embedded_cookie::head::HeadFilter;
use embedded_cookie::policy::Policy;
use embedded_cookie::set_cookie::{SameSite, SetCookie, SetCookieBuilder, Spec};
use embedded_cookie::{Config, CookieHeader, CookieWriter};

struct Counting;

thread_local! {
    // Per thread, so tests running side by side do not count each other.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers to `System`; only counts calls.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations happened meanwhile.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn cookie_header_parsing_and_lookups_allocate_nothing() {
    let header = b"sessionid=abc123; csrftoken=Zx9; django_language=en; evil_sid=1; sid=2";
    let lines: [&[u8]; 2] = [b"a=1; b=2", b"c=3"];
    let n = allocations(|| {
        for config in [Config::new(), Config::strict()] {
            let h = CookieHeader::parse_with(header, &config).unwrap();
            assert_eq!(h.get("sid").unwrap().value(), b"2");
            assert_eq!(h.count("sid"), 1);
            assert_eq!(h.get_all("django_language").count(), 1);
            assert_eq!(h.iter().count(), 5);
            assert_eq!(h.collect::<8>().unwrap().len(), 5);
            let err = CookieHeader::parse_with(b"a=1; b\x00", &config).unwrap_err();
            assert_eq!(err.offset, 6);
            let multi = CookieHeader::parse_lines(&lines, &config).unwrap();
            assert_eq!(multi.get("c").unwrap().line(), 1);
        }
    });
    assert_eq!(n, 0, "parsing allocated {n} times");
}

#[test]
fn filtering_request_heads_allocates_nothing() {
    let policy = Policy::<2>::load("sessionid | necessary").unwrap();
    let head =
        b"POST / HTTP/1.1\r\nContent-Length: 2\r\nCookie: _ga=1;  sessionid=s \t1 \r\n\r\nokGET";
    let mut out = [0u8; 3];
    let mut got = [0u8; 128];
    let n = allocations(|| {
        let mut filter = HeadFilter::new(&policy).unwrap();
        let (mut rest, mut len) = (&head[..], 0);
        while !rest.is_empty() {
            let progress = filter.filter(&rest[..rest.len().min(5)], &mut out).unwrap();
            got[len..len + progress.written].copy_from_slice(&out[..progress.written]);
            len += progress.written;
            rest = &rest[progress.read..];
        }
        assert_eq!(
            &got[..len],
            b"POST / HTTP/1.1\r\nContent-Length: 2\r\nCookie: sessionid=s \t1\r\n\r\nokGET"
        );
    });
    assert_eq!(n, 0, "the head filter allocated {n} times");
}

#[test]
fn cookie_dates_allocate_nothing() {
    let n = allocations(|| {
        let secs = parse_cookie_date(b"Wed, 09-Jun-21 10:18:14 GMT").unwrap();
        assert_eq!(&ImfFixdate::new(secs).unwrap().to_bytes(), b"Wed, 09 Jun 2021 10:18:14 GMT");
    });
    assert_eq!(n, 0, "dates allocated {n} times");
}

#[test]
fn set_cookie_parsing_and_building_allocate_nothing() {
    let line = "csrftoken=Zx9; expires=Wed, 09 Jun 2027 10:18:14 GMT; Max-Age=31449600; \
                Path=/; SameSite=Lax; Version=1";
    let n = allocations(|| {
        for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
            let c = SetCookie::parse_with(line, rules).unwrap();
            assert_eq!(c.unknown().count(), 1);
            assert_eq!(c.attributes().count(), 5);
            assert!(c.expiry_time(1_700_000_000).is_some());
            assert_eq!(c.check_prefix(), Ok(None));
            let nul = SetCookie::parse_with(b"a=1\x00", rules);
            assert_eq!(nul.is_ok(), rules == Spec::Rfc6265);
            let hardened = c.to_builder().secure(true).http_only(true).same_site(SameSite::Strict);
            let mut buf = [0u8; 256];
            let len = hardened.write(&mut buf).unwrap();
            assert_eq!(hardened.written_len(), Ok(len));
            let text = hardened.to_heapless::<256>().unwrap();
            assert_eq!(text.as_bytes(), &buf[..len]);
            let removal = SetCookieBuilder::new("sid", "x").path("/").removal();
            assert!(removal.write(&mut buf).is_ok());
            let mut header = [0u8; 64];
            let mut w = CookieWriter::new(&mut header);
            w.push(b"sessionid", b"abc").unwrap();
            w.push(b"csrftoken", b"Zx9").unwrap();
            assert_eq!(w.len(), 28);
        }
    });
    assert_eq!(n, 0, "Set-Cookie code allocated {n} times");
}

/// The seed site's policy.
const SEED_TEXT: &str = include_str!("../examples/policies/seed.policy");

#[test]
fn policy_loading_and_enforcement_allocate_nothing() {
    use embedded_cookie::consent::Consent;
    use embedded_cookie::enforce::Enforcer;
    use embedded_cookie::policy::Policy;
    use embedded_cookie::set_cookie::SetCookieBuilder;

    let header =
        CookieHeader::parse("sessionid=s; _ga=1; django_language=fr; cookies_preferences=1.1.p")
            .unwrap();
    let n = allocations(|| {
        let policy = Policy::<8>::load(SEED_TEXT).unwrap();
        assert_eq!(policy.classify(b"csrftoken").unwrap().function, "API (CSRF)");
        let reading = Consent::from_header(&header, "cookies_preferences", policy.revision());
        assert_eq!(reading.consent.to_heapless().as_str(), "1.1.p");
        let enforcer = Enforcer::new(&policy, &reading.consent);
        let request = enforcer.request(&header);
        let mut buf = [0u8; 128];
        assert!(request.write(&mut buf).unwrap() > 0);
        assert_eq!(request.denied().count(), 1);
        let prefs = Policy::<4>::load("@revision 1\n_ga | preferences | | | | | path=/").unwrap();
        let revoked = Enforcer::new(&prefs, &Consent::necessary_only(1)).request(&header);
        let removal = revoked.withdrawals().next().unwrap();
        assert!(removal.write(&mut buf).is_ok());
        let sent = SetCookie::parse("sessionid=s; Max-Age=99999999").unwrap();
        assert!(enforcer.response(&sent, 1_700_000_000).write(&mut buf).is_ok());
        let built = SetCookieBuilder::new("sessionid", "s").max_age(99_999_999);
        assert!(enforcer.response(built, 1_700_000_000).write(&mut buf).is_ok());
    });
    assert_eq!(n, 0, "policy code allocated {n} times");
}

#[test]
fn the_counter_sees_allocations() {
    // Guards the test above against a counter that counts nothing.
    let n = allocations(|| drop(std::hint::black_box(vec![1u8; 16])));
    assert_eq!(n, 1);
}
