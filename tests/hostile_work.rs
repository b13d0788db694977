//! Linear work on hostile input: doubling the input doubles the work.
//!
//! Work is counted as instructions executed, by valgrind's callgrind, never as wall
//! time: the count is the same on every run of the same binary, whatever else the
//! machine is doing. `work_grows_linearly` runs this test binary again under
//! callgrind, with `work_probe` as the only test. The probe builds each input outside
//! the measured region, then runs it inside `measured`; callgrind zeroes its counters
//! on entering `measured` and writes them out on leaving it, so each dump holds
//! exactly the instructions of one run, library and `core` included.
//!
//! Each row of [`WORKLOADS`] is one input in one mode (lenient or strict, RFC 6265bis
//! or RFC 6265), measured alone at `n` and `2n` units; the test requires
//! `work(2n) / work(n)` between [`FLOOR`] and [`LIMIT`]. The floor matters as much
//! as the limit: an input rejected after a few bytes costs the same at any size and
//! reads 1.0, which says nothing about the work per byte. Each `n` is large enough
//! that the fixed costs (setup, a table's first lookups) do not pull the ratio down.
//!
//! The rows of [`BOUNDED`] are refusals that must read below the floor: their work
//! does not grow with the input at all.
//!
//! The bounds are shown able to fail by [`CONTROLS`], measured the same way: the
//! lenient `n pairs` workload with a small quadratic term added (about a fifth of its
//! work at `n`: any quadratic term above a ninth of the work at `n` reads above 2.2),
//! which must read above the limit, and a strict parse that stops at the fourth byte,
//! which must read below the floor.
//!
//! Without valgrind the test prints `skipped: valgrind not found`, except under CI
//! (`CI` set), where it fails: `.ci/run` installs valgrind.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use embedded_cookie::consent::Consent;
use embedded_cookie::date::parse_cookie_date;
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::head::HeadFilter;
use embedded_cookie::jar::{Host, Jar, NoPublicSuffixes, Url, UrlError};
use embedded_cookie::policy::Policy;
use embedded_cookie::set_cookie::{SetCookie, Spec};
use embedded_cookie::{Config, CookieHeader, Limits, Mode};

/// One hostile input in one mode, built at a given size and run in one `measured`
/// call.
struct Workload {
    name: &'static str,
    /// The smaller size, in units (pairs, bytes, tokens or lines).
    units: usize,
    run: fn(usize),
}

/// Shorthand for a row.
const fn w(name: &'static str, units: usize, run: fn(usize)) -> Workload {
    Workload { name, units, run }
}

/// Every workload that must be linear.
const WORKLOADS: &[Workload] = &[
    w("cookie lenient: n pairs", 4096, |n| parse(&n_pairs(n), LENIENT)),
    w("cookie strict: n pairs", 4096, |n| parse(&n_pairs(n), STRICT)),
    w("cookie lenient: n bytes of ';'", 16384, |n| parse(&vec![b';'; n], LENIENT)),
    w("cookie lenient: value of n '\"'", 16384, |n| parse(&value_of(b'"', n), LENIENT)),
    // Strict mode refuses a third `"` in a value: its quotes come in n quoted values.
    w("cookie strict: n quoted values", 4096, |n| parse(&quoted_pairs(n), STRICT)),
    w("cookie lenient: value of n '='", 16384, |n| parse(&value_of(b'=', n), LENIENT)),
    w("cookie strict: value of n '='", 16384, |n| parse(&value_of(b'=', n), STRICT)),
    w("cookie lenient: one n-byte value", 16384, |n| parse(&value_of(b'v', n), LENIENT)),
    w("cookie strict: one n-byte value", 16384, |n| parse(&value_of(b'v', n), STRICT)),
    w("cookie lenient: n header lines", 4096, |n| lines(n, LENIENT)),
    w("cookie strict: n header lines", 4096, |n| lines(n, STRICT)),
    w("cookie: lookup miss in n pairs", 4096, lookup_miss),
    w("date of n tokens", 4096, date_tokens),
    w("set-cookie 6265bis: n attributes", 4096, |n| set_cookie(&attributes(n), Spec::Rfc6265bis)),
    w("set-cookie 6265: n attributes", 4096, |n| set_cookie(&attributes(n), Spec::Rfc6265)),
    w("set-cookie 6265bis: n Expires", 1024, |n| set_cookie(&expires(n), Spec::Rfc6265bis)),
    w("set-cookie 6265: n Expires", 1024, |n| set_cookie(&expires(n), Spec::Rfc6265)),
    w("policy: n lines, capacity 8", 4096, policy_lines),
    w("policy: one n-byte line", 262_144, policy_line),
    w("enforce: n cookies", 2048, enforce_request),
    w("withdrawals: n cookies", 2048, withdrawals),
    w("jar: store into a full jar of n cookies", 128, full_jar),
    w("head filter: n cookies, one byte at a time", 4096, |n| head_filter(n, 1)),
    w("head filter: n cookies, in 512-byte chunks", 4096, |n| head_filter(n, 512)),
    w("head filter: n header lines", 4096, head_lines),
];

/// Refusals whose work must not grow with the input: an input past a limit is
/// refused before it is read through.
const BOUNDED: &[Workload] = &[w("host: one n-character label, refused", 2_000, long_label)];

/// The controls, each with what the test must find: a workload that is not linear.
const CONTROLS: &[(Workload, Found)] = &[
    (w("control: n pairs + a small quadratic term", 4096, pairs_and_quadratic), Found::TooSteep),
    (
        w("control: strict, stops at byte 4", 16384, |n| parse(&value_of(b'"', n), STRICT)),
        Found::TooFlat,
    ),
];

/// What a ratio says about a workload.
#[derive(Debug, PartialEq)]
enum Found {
    Linear,
    /// Below [`FLOOR`]: the work does not grow with the input (an early exit).
    TooFlat,
    /// Above [`LIMIT`]: the work grows faster than the input.
    TooSteep,
}

fn found(ratio: f64) -> Found {
    if ratio < FLOOR {
        Found::TooFlat
    } else if ratio > LIMIT {
        Found::TooSteep
    } else {
        Found::Linear
    }
}

const FLOOR: f64 = 1.8;
const LIMIT: f64 = 2.2;

const UNLIMITED: Limits =
    Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX };
const LENIENT: Config = Config { mode: Mode::Lenient, limits: UNLIMITED };
const STRICT: Config = Config { mode: Mode::Strict, limits: UNLIMITED };

/// The region callgrind measures; never inlined, so its symbol exists to match.
#[inline(never)]
fn measured(work: &mut dyn FnMut()) {
    work();
}

/// One measured region: `header` parsed with `config`.
fn parse(header: &[u8], config: Config) {
    measured(&mut || {
        black_box(CookieHeader::parse_with(black_box(header), &config).map(|h| h.len())).ok();
    });
}

fn n_pairs(n: usize) -> Vec<u8> {
    (0..n).map(|i| format!("c{i}=v")).collect::<Vec<_>>().join("; ").into_bytes()
}

/// `c0="v"; c1="v"; ...`.
fn quoted_pairs(n: usize) -> Vec<u8> {
    (0..n).map(|i| format!("c{i}=\"v\"")).collect::<Vec<_>>().join("; ").into_bytes()
}

/// `a=` and a value of `n` times `byte`.
fn value_of(byte: u8, n: usize) -> Vec<u8> {
    [&b"a="[..], &vec![byte; n]].concat()
}

fn lines(n: usize, config: Config) {
    let text: Vec<Vec<u8>> = (0..n).map(|i| format!("c{i}=v").into_bytes()).collect();
    let lines: Vec<&[u8]> = text.iter().map(Vec::as_slice).collect();
    measured(&mut || {
        black_box(CookieHeader::parse_lines(black_box(&lines), &config).map(|h| h.len())).ok();
    });
}

fn lookup_miss(n: usize) {
    let header = n_pairs(n);
    let h = CookieHeader::parse_with(&header, &LENIENT).unwrap();
    measured(&mut || {
        black_box(h.get(black_box("absent")));
    });
}

fn date_tokens(n: usize) {
    let input = "1 ".repeat(n).into_bytes();
    measured(&mut || {
        black_box(parse_cookie_date(black_box(&input))).ok();
    });
}

/// One measured region: `line` read under `spec`, every accessor asked.
fn set_cookie(line: &[u8], spec: Spec) {
    measured(&mut || {
        let c = SetCookie::parse_with(black_box(line), spec).unwrap();
        black_box((c.path(), c.expiry_time(0), c.unknown().count(), c.check_prefix().ok()));
    });
}

/// A `Set-Cookie` line of `2n` attributes, `n` of them unknown.
fn attributes(n: usize) -> Vec<u8> {
    let line: String = (0..n).map(|i| format!("; Path=/p{i}; X{i}")).collect();
    format!("a=1{line}").into_bytes()
}

/// A `Set-Cookie` line of `n` `Expires` attributes.
fn expires(n: usize) -> Vec<u8> {
    format!("a=1{}", "; Expires=Wed, 09 Jun 2021 10:18:14 GMT".repeat(n)).into_bytes()
}

fn policy_lines(n: usize) {
    let text: String = (0..n).map(|i| format!("c{i} | necessary\n")).collect();
    measured(&mut || {
        black_box(
            Policy::<8>::load_reporting(black_box(&text), |e| {
                black_box(e);
            })
            .len(),
        );
    });
}

fn policy_line(n: usize) {
    let text = format!("x | necessary | {}", "y".repeat(n));
    measured(&mut || {
        black_box(Policy::<8>::load(black_box(&text)).map(|p| p.len())).ok();
    });
}

/// One measured region: `head` through a head filter keeping `k0` and `k*`, fed
/// `chunk` bytes at a time into a 64-byte output.
fn filter_head(head: &[u8], chunk: usize) {
    let policy = Policy::<8>::load("k0 | necessary\nk* | marketing").unwrap();
    let mut out = [0u8; 64];
    measured(&mut || {
        let mut filter = HeadFilter::new(&policy).unwrap();
        for mut chunk in black_box(head).chunks(chunk) {
            while !chunk.is_empty() {
                let progress = filter.filter(chunk, &mut out).unwrap();
                black_box(&out[..progress.written]);
                chunk = &chunk[progress.read..];
            }
        }
    });
}

/// A head whose `Cookie` field holds `n` cookies, one in five kept (at every `n`:
/// with [`n_pairs`], the share of names a prefix covers shrinks as `n` grows).
fn head_filter(n: usize, chunk: usize) {
    let name = |i: usize| if i % 5 == 0 { 'k' } else { 'c' };
    let cookies: Vec<String> = (0..n).map(|i| format!("{}{i}=v", name(i))).collect();
    let cookies = cookies.join("; ");
    filter_head(format!("GET / HTTP/1.1\r\nCookie: {cookies}\r\n\r\n").as_bytes(), chunk);
}

/// A head of `n` field lines, every other one a `Cookie` field.
fn head_lines(n: usize) {
    let fields: String = (0..n)
        .map(|i| if i % 2 == 0 { format!("Cookie: k{i}=v\r\n") } else { format!("X-{i}: v\r\n") })
        .collect();
    filter_head(format!("GET / HTTP/1.1\r\n{fields}\r\n").as_bytes(), 512);
}

/// A request of `n` cookies, one in five declared, filtered and written back.
fn enforce_request(n: usize) {
    let policy = Policy::<8>::load("@revision 1\nc0 | necessary\nc1* | marketing").unwrap();
    let text = n_pairs(n);
    let header = CookieHeader::parse_with(&text, &LENIENT).unwrap();
    let mut buf = vec![0u8; text.len()];
    measured(&mut || {
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        black_box(request.denied().count());
        black_box(request.write(black_box(&mut buf))).unwrap();
    });
}

/// A request of `n` distinct cookies, each declared and denied: one removal each.
fn withdrawals(n: usize) {
    let policy = Policy::<8>::load("@revision 1\nc* | marketing").unwrap();
    let text = n_pairs(n);
    let header = CookieHeader::parse_with(&text, &LENIENT).unwrap();
    measured(&mut || {
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        black_box(request.withdrawals().count());
    });
}

/// One store into a jar holding `n` (its capacity) cookies, each of its own site,
/// evicting one: the eviction counts cookies per site, so one site per cookie is
/// its worst case. The capacity is a const generic, so `n` is one of a few sizes.
fn full_jar(n: usize) {
    match n {
        128 => store_into_full::<128, { 128 * 32 }>(),
        256 => store_into_full::<256, { 256 * 32 }>(),
        _ => panic!("no jar of {n} cookies"),
    }
}

fn store_into_full<const COOKIES: usize, const BYTES: usize>() {
    let hosts: Vec<String> = (0..COOKIES).map(|d| format!("http://site{d}.example/")).collect();
    let urls: Vec<Url<'_>> = hosts.iter().map(|h| Url::parse(h).unwrap()).collect();
    let mut jar: Jar<_, COOKIES, BYTES> = Jar::new(Spec::Rfc6265bis, NoPublicSuffixes);
    let now = 1_700_000_000;
    for (i, url) in urls.iter().enumerate() {
        jar.store(url, &format!("c{i}=v"), now + i as i64).unwrap();
    }
    let url = &urls[0];
    measured(&mut || {
        let stored = jar.store(black_box(url), black_box("new=v"), now + COOKIES as i64).unwrap();
        assert_eq!(stored.evicted_lru, 1);
    });
}

/// `Host::new` of one label of `n` distinct non-ASCII characters: far longer than
/// any host, refused as [`UrlError::HostTooLong`] before any pass over the label.
fn long_label(n: usize) {
    let label: String = (0x4e00..).filter_map(char::from_u32).take(n).collect();
    measured(&mut || {
        assert_eq!(Host::new(black_box(&label)), Err(UrlError::HostTooLong));
    });
}

/// The lenient `n pairs` workload, and a quadratic term of about a fifth of its
/// work at `n`: every cookie name compared with one name in every [`SPARSE`]
/// (as a naive duplicate check over a sample would).
fn pairs_and_quadratic(n: usize) {
    const SPARSE: usize = 512;
    let header = n_pairs(n);
    measured(&mut || {
        let h = CookieHeader::parse_with(black_box(&header), &LENIENT).unwrap();
        let names: Vec<&[u8]> = h.iter().map(|c| c.name()).collect();
        let sample = names.iter().step_by(SPARSE);
        black_box(sample.map(|a| names.iter().filter(|b| a == *b).count()).sum::<usize>());
    });
}

/// Every row, the controls last, with what the test must find.
fn rows() -> impl Iterator<Item = (&'static Workload, &'static Found)> {
    let linear = WORKLOADS.iter().map(|w| (w, &Found::Linear));
    let bounded = BOUNDED.iter().map(|w| (w, &Found::TooFlat));
    linear.chain(bounded).chain(CONTROLS.iter().map(|(w, f)| (w, f)))
}

/// Child side: every row at `n` then `2n`, in order. Run by `work_grows_linearly`
/// under callgrind; by hand it is a quick smoke run.
#[test]
#[ignore = "run by work_grows_linearly under callgrind"]
fn work_probe() {
    for (w, _) in rows() {
        (w.run)(w.units);
        (w.run)(2 * w.units);
    }
}

/// The instructions of every `measured` call of `work_probe`, in call order, or
/// `None` when valgrind is not installed.
fn instruction_counts(dir: &Path) -> Option<Vec<u64>> {
    let out = dir.join("callgrind.out");
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--zero-before=*::measured", "--dump-after=*::measured"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "work_probe", "--test-threads=1"])
        .output();
    let output = match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        other => other.unwrap(),
    };
    assert!(output.status.success(), "callgrind: {}", String::from_utf8_lossy(&output.stderr));
    let mut counts = Vec::new();
    for dump in 1.. {
        let Ok(text) = std::fs::read_to_string(format!("{}.{dump}", out.display())) else { break };
        let totals = text.lines().find_map(|l| l.strip_prefix("totals: ")).unwrap();
        counts.push(totals.trim().parse().unwrap());
    }
    Some(counts)
}

#[test]
#[cfg_attr(miri, ignore = "runs valgrind")]
fn work_grows_linearly() {
    let dir = std::env::temp_dir().join(format!("embedded-cookie-work-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let counts = instruction_counts(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let Some(counts) = counts else {
        assert!(std::env::var_os("CI").is_none(), "valgrind not found under CI");
        println!("skipped: valgrind not found");
        return;
    };
    // One `measured` call per row and size, in the order `work_probe` makes them.
    assert_eq!(counts.len(), 2 * rows().count(), "dumps: {counts:?}");
    let mut failures = Vec::new();
    println!("{:<44} {:>11} {:>11} {:>6}  found", "workload", "work(n)", "work(2n)", "ratio");
    for ((w, want), pair) in rows().zip(counts.chunks(2)) {
        let (small, large) = (pair[0], pair[1]);
        let ratio = large as f64 / small as f64;
        let got = found(ratio);
        println!("{:<44} {small:>11} {large:>11} {ratio:>6.2}  {got:?}", w.name);
        if got != *want {
            failures.push(format!("{}: ratio {ratio:.2}, found {got:?}, want {want:?}", w.name));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
