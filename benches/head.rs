//! The request-head filter against parsing the `Cookie` header alone:
//! `cargo bench --bench head`.
//!
//! The input is the `typical` `Cookie` header of the parse benchmarks (ten cookies
//! of a browser on a Django site with analytics) in the head a browser sends with
//! it. The filter keeps the four the site declares. Its contenders:
//!
//! - `head-filter`: `HeadFilter::filter` of the whole head, in one call, into a
//!   buffer the size of the head: every byte of the head read, framing checked,
//!   every cookie name classified, the kept ones written;
//! - `cookie-parse`: `CookieHeader::parse` of the `Cookie` header alone (the goal
//!   is the filter within 1.5 times its time);
//! - `cookie-parse-iter`: the same, then every cookie's name and value;
//! - `head-filter-chunks`: the filter fed 64-byte chunks into a 64-byte output.

// Only the inputs: the contenders of the other suites are not run here.
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use embedded_cookie::CookieHeader;
use embedded_cookie::head::HeadFilter;
use embedded_cookie::policy::Policy;

fn filter(policy: &Policy<'_, 4>, head: &[u8], out: &mut [u8], chunk: usize) -> usize {
    let mut filter = HeadFilter::new(policy).unwrap();
    let mut written = 0;
    for mut chunk in head.chunks(chunk) {
        while !chunk.is_empty() {
            let progress = filter.filter(chunk, out).unwrap();
            written += black_box(&out[..progress.written]).len();
            chunk = &chunk[progress.read..];
        }
    }
    written
}

fn main() {
    let inputs = common::cookie_headers();
    let typical = inputs.iter().find(|i| i.name == "typical").unwrap();
    let cookie = typical.header.as_str();
    let head = common::request_head(cookie).into_bytes();
    let policy = Policy::<4>::load(common::DJANGO_POLICY).unwrap();
    let mut out = vec![0; head.len()];
    let kept = filter(&policy, &head, &mut out, head.len());
    let cut = String::from_utf8_lossy(&out[..kept]);
    assert!(
        cut.contains("Cookie: sessionid=x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3; csrftoken="),
        "{cut}"
    );
    let mut small = [0; 64];
    assert_eq!(filter(&policy, &head, &mut small, 64), kept);

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .configure_from_args();
    let mut group = c.benchmark_group(format!(
        "head/typical ({} B head, {} B Cookie)",
        head.len(),
        cookie.len()
    ));
    group.throughput(Throughput::BytesDecimal(head.len() as u64));
    group.bench_function("head-filter", |b| {
        b.iter(|| filter(&policy, black_box(&head), &mut out, head.len()))
    });
    group.bench_function("head-filter-chunks", |b| {
        b.iter(|| filter(&policy, black_box(&head), &mut small, 64))
    });
    group.bench_function("cookie-parse", |b| {
        b.iter(|| CookieHeader::parse(black_box(cookie)).is_ok())
    });
    group.bench_function("cookie-parse-iter", |b| {
        b.iter(|| {
            let header = CookieHeader::parse(black_box(cookie)).unwrap();
            header
                .iter()
                .map(|c| black_box(c.name()).len() + black_box(c.value()).len())
                .sum::<usize>()
        })
    });
    group.finish();
    c.final_summary();
}
