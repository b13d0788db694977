//! Linear work on hostile input: doubling the input at most about doubles the work.
//!
//! Work is counted as instructions executed, by valgrind's callgrind, never as wall
//! time: the count is the same on every run of the same binary, whatever else the
//! machine is doing. `work_grows_linearly` runs this test binary again under
//! callgrind, with `work_probe` as the only test. The probe builds each input outside
//! the measured region, then parses it inside `measured`; callgrind zeroes its
//! counters on entering `measured` and writes them out on leaving it, so each dump
//! holds exactly the instructions of one parse, library and `core` included. Each
//! workload runs at `n` and `2n` units; the test asserts `work(2n) / work(n) < 2.2`.
//!
//! The measurement is shown able to fail by a control workload, a quadratic helper
//! (looking each cookie up by name in turn, as a naive duplicate check would), which
//! must come out above 3.5.
//!
//! Without valgrind the test prints `skipped: valgrind not found`, except under CI
//! (`CI` set), where it fails: `.ci/run` installs valgrind.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use embedded_cookie::consent::Consent;
use embedded_cookie::date::parse_cookie_date;
use embedded_cookie::enforce::Enforcer;
use embedded_cookie::policy::Policy;
use embedded_cookie::set_cookie::{SetCookie, Spec};
use embedded_cookie::{Config, CookieHeader, Limits, Mode};

/// One hostile input, built at a given size and parsed in one `measured` call.
struct Workload {
    name: &'static str,
    /// The smaller size, in units (pairs, bytes, tokens or lines).
    units: usize,
    run: fn(usize),
    /// The control: must be found superlinear.
    quadratic: bool,
}

const WORKLOADS: &[Workload] = &[
    Workload { name: "lenient: n pairs", units: 4096, run: pairs_lenient, quadratic: false },
    Workload { name: "strict: n pairs", units: 4096, run: pairs_strict, quadratic: false },
    Workload { name: "lenient: n bytes of ';'", units: 16384, run: semicolons, quadratic: false },
    Workload { name: "both: value of n '\"'", units: 16384, run: quotes, quadratic: false },
    Workload { name: "both: value of n '='", units: 16384, run: equals, quadratic: false },
    Workload { name: "both: one n-byte value", units: 16384, run: long_value, quadratic: false },
    Workload { name: "both: n header lines", units: 4096, run: lines, quadratic: false },
    Workload { name: "lookup miss in n pairs", units: 4096, run: lookup_miss, quadratic: false },
    Workload { name: "date of n tokens", units: 4096, run: date_tokens, quadratic: false },
    Workload { name: "set-cookie: n attributes", units: 4096, run: attributes, quadratic: false },
    Workload { name: "set-cookie: n Expires", units: 1024, run: expires, quadratic: false },
    Workload {
        name: "policy: n lines, capacity 8",
        units: 4096,
        run: policy_lines,
        quadratic: false,
    },
    Workload { name: "policy: one n-byte line", units: 16384, run: policy_line, quadratic: false },
    Workload { name: "enforce: n cookies", units: 2048, run: enforce_request, quadratic: false },
    Workload { name: "withdrawals: n cookies", units: 2048, run: withdrawals, quadratic: false },
    Workload { name: "control: n lookups", units: 128, run: naive_duplicates, quadratic: true },
];

const LIMIT: f64 = 2.2;
const CONTROL_FLOOR: f64 = 3.5;

const UNLIMITED: Limits =
    Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX };
const LENIENT: Config = Config { mode: Mode::Lenient, limits: UNLIMITED };
const STRICT: Config = Config { mode: Mode::Strict, limits: UNLIMITED };

/// The region callgrind measures; never inlined, so its symbol exists to match.
#[inline(never)]
fn measured(work: &mut dyn FnMut()) {
    work();
}

/// One measured region: `header` parsed with each of `configs`.
fn parse(header: &[u8], configs: &[Config]) {
    measured(&mut || {
        for config in configs {
            black_box(CookieHeader::parse_with(black_box(header), config).map(|h| h.len())).ok();
        }
    });
}

fn n_pairs(n: usize) -> Vec<u8> {
    (0..n).map(|i| format!("c{i}=v")).collect::<Vec<_>>().join("; ").into_bytes()
}

fn pairs_lenient(n: usize) {
    parse(&n_pairs(n), &[LENIENT]);
}

fn pairs_strict(n: usize) {
    parse(&n_pairs(n), &[STRICT]);
}

fn semicolons(n: usize) {
    parse(&vec![b';'; n], &[LENIENT]);
}

fn quotes(n: usize) {
    parse(&[&b"a="[..], &vec![b'"'; n]].concat(), &[LENIENT, STRICT]);
}

fn equals(n: usize) {
    parse(&[&b"a="[..], &vec![b'='; n]].concat(), &[LENIENT, STRICT]);
}

fn long_value(n: usize) {
    parse(&[&b"a="[..], &vec![b'v'; n]].concat(), &[LENIENT, STRICT]);
}

fn lines(n: usize) {
    let text: Vec<Vec<u8>> = (0..n).map(|i| format!("c{i}=v").into_bytes()).collect();
    let lines: Vec<&[u8]> = text.iter().map(Vec::as_slice).collect();
    measured(&mut || {
        for config in [LENIENT, STRICT] {
            black_box(CookieHeader::parse_lines(black_box(&lines), &config).map(|h| h.len())).ok();
        }
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

/// One measured region: `line` read under both rule sets, every accessor asked.
fn set_cookie(line: &[u8]) {
    measured(&mut || {
        for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
            let c = SetCookie::parse_with(black_box(line), rules).unwrap();
            black_box((c.path(), c.expiry_time(0), c.unknown().count(), c.check_prefix().ok()));
        }
    });
}

fn attributes(n: usize) {
    let line: String = (0..n).map(|i| format!("; Path=/p{i}; X{i}")).collect();
    set_cookie(format!("a=1{line}").as_bytes());
}

fn expires(n: usize) {
    set_cookie(format!("a=1{}", "; Expires=Wed, 09 Jun 2021 10:18:14 GMT".repeat(n)).as_bytes());
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

/// A request of `n` cookies, one in five declared, filtered and written back.
fn enforce_request(n: usize) {
    let policy = Policy::<8>::load("@revision 1\nc0 | necessary\nc1* | marketing").unwrap();
    let text = n_pairs(n);
    let header = CookieHeader::parse_with(&text, &LENIENT).unwrap();
    let mut buf = vec![0u8; text.len()];
    measured(&mut || {
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        black_box(request.denied().count());
        black_box(request.write_allowed(black_box(&mut buf))).unwrap();
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

fn naive_duplicates(n: usize) {
    let header = n_pairs(n);
    let h = CookieHeader::parse_with(&header, &LENIENT).unwrap();
    measured(&mut || {
        black_box(h.iter().filter(|c| h.count(c.name()) > 1).count());
    });
}

/// Child side: every workload at `n` then `2n`, in order. Run by
/// `work_grows_linearly` under callgrind; by hand it is a quick smoke run.
#[test]
#[ignore = "run by work_grows_linearly under callgrind"]
fn work_probe() {
    for w in WORKLOADS {
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
    // One `measured` call per workload and size, in the order `work_probe` makes them.
    assert_eq!(counts.len(), 2 * WORKLOADS.len(), "dumps: {counts:?}");
    let mut failures = Vec::new();
    println!("{:<28} {:>12} {:>12} {:>6}", "workload", "work(n)", "work(2n)", "ratio");
    for (w, pair) in WORKLOADS.iter().zip(counts.chunks(2)) {
        let (small, large) = (pair[0], pair[1]);
        let ratio = large as f64 / small as f64;
        println!("{:<28} {small:>12} {large:>12} {ratio:>6.2}", w.name);
        let ok = if w.quadratic { ratio > CONTROL_FLOOR } else { ratio < LIMIT };
        if !ok {
            failures.push(format!("{}: ratio {ratio:.2}", w.name));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
