//! Property tests of the request-head filter: whatever the chunks and the output
//! room, the same output; and the cookies kept are exactly those a model keeps,
//! written here from `CookieHeader::parse` and `Policy::classify`, not from the
//! filter.

use embedded_cookie::head::{HeadError, HeadFilter};
use embedded_cookie::policy::Policy;
use embedded_cookie::{Config, CookieHeader, Limits};
use proptest::prelude::*;

const POLICY: &str = "sessionid | necessary\ncsrftoken | necessary\n_pk_id.* | statistics";

/// Lenient, without limits: the filter has none on a `Cookie` field.
const LENIENT: Config = Config {
    limits: Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX },
    ..Config::new()
};

/// Feeds `input` in chunks of the sizes `chunks` cycles through, into an output
/// of `room` bytes, as the documented contract says a caller loops.
fn filter(
    policy: &Policy<'_, 4>,
    input: &[u8],
    chunks: &[usize],
    room: usize,
) -> Result<Vec<u8>, HeadError> {
    let mut filter = HeadFilter::new(policy).unwrap();
    let mut out = vec![0; room];
    let (mut got, mut rest, mut sizes) = (Vec::new(), input, chunks.iter().cycle());
    while !rest.is_empty() {
        let size = (*sizes.next().unwrap()).min(rest.len());
        let mut chunk = &rest[..size];
        rest = &rest[size..];
        loop {
            let progress = filter.filter(chunk, &mut out)?;
            got.extend_from_slice(&out[..progress.written]);
            chunk = &chunk[progress.read..];
            if chunk.is_empty() && progress.written < room {
                break;
            }
        }
    }
    Ok(got)
}

/// One field of a generated head.
#[derive(Clone, Debug)]
enum Field {
    /// A `Cookie` field: its name as sent (any case) and its value.
    Cookie(&'static str, Vec<u8>),
    /// Any other field, passed as it is.
    Other(&'static str, Vec<u8>),
}

/// A `Cookie` value: declared, foreign and look-alike names, values with the
/// bytes lenient parsing trims, keeps or refuses, joined by every separator.
fn cookie_value() -> impl Strategy<Value = Vec<u8>> {
    let name = prop::sample::select(vec![
        "sessionid",
        "csrftoken",
        "_pk_id.",
        "_pk_id.1.a",
        "_ga",
        "sessionid2",
        "SESSIONID",
        " sessionid ",
        "sessi\0onid",
        "session id",
        "",
        "\tcsrftoken",
    ]);
    let value = proptest::string::bytes_regex(r#"(?s-u:[a-z"= ,\t\x00\x0d\x80]{0,6})"#).unwrap();
    let equals = prop::sample::select(vec!["=", " = ", "", "=="]);
    let sep = prop::sample::select(vec!["; ", ";", " ;", ";;", ""]);
    proptest::collection::vec((name, equals, value, sep), 0..8).prop_map(|pairs| {
        let mut out = Vec::new();
        for (name, equals, value, sep) in pairs {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(equals.as_bytes());
            out.extend_from_slice(&value);
            out.extend_from_slice(sep.as_bytes());
        }
        out
    })
}

fn field() -> impl Strategy<Value = Field> {
    let cookie = prop::sample::select(vec!["Cookie", "cookie", "COOKIE"]);
    let other = prop::sample::select(vec!["Host", "Accept", "Cookie2", "Cook", "X-Cookie"]);
    let value = proptest::string::bytes_regex(r"(?s-u:[a-z;=: \t\x00]{0,12})").unwrap();
    prop_oneof![
        3 => (cookie, cookie_value()).prop_map(|(n, v)| Field::Cookie(n, v)),
        1 => (other, value).prop_map(|(n, v)| Field::Other(n, v)),
    ]
}

/// The head of `fields` with a body of `body` bytes, as the client sends it.
fn head(fields: &[Field], body: &[u8]) -> Vec<u8> {
    let mut out = b"POST /a;b HTTP/1.1\r\n".to_vec();
    for field in fields {
        let (Field::Cookie(name, value) | Field::Other(name, value)) = field;
        out.extend_from_slice(format!("{name}: ").as_bytes());
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

/// What the server should see, from `CookieHeader::parse` and the policy alone;
/// `None` where the head must be refused (a control byte in a field).
fn model(policy: &Policy<'_, 4>, fields: &[Field], body: &[u8]) -> Option<Vec<u8>> {
    let mut out = b"POST /a;b HTTP/1.1\r\n".to_vec();
    for field in fields {
        match field {
            Field::Cookie(_, value) => {
                let header = CookieHeader::parse_with(value, &LENIENT).ok()?;
                let kept: Vec<Vec<u8>> = header
                    .iter()
                    .filter(|c| policy.classify(c.name()).is_some())
                    .map(|c| [c.name(), b"=", c.value()].concat())
                    .collect();
                if !kept.is_empty() {
                    out.extend_from_slice(b"Cookie: ");
                    out.extend_from_slice(&kept.join(&b"; "[..]));
                    out.extend_from_slice(b"\r\n");
                }
            }
            Field::Other(name, value) => {
                if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
                    return None;
                }
                out.extend_from_slice(format!("{name}: ").as_bytes());
                out.extend_from_slice(value);
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Two requests on one connection: each head reads as the model says, the
    /// body passes whole, and so in every chunking through every output room.
    #[test]
    fn filtered_heads_match_the_model(
        first in proptest::collection::vec(field(), 0..5),
        second in proptest::collection::vec(field(), 0..5),
        body in proptest::collection::vec(any::<u8>(), 0..20),
        chunks in proptest::collection::vec(1usize..40, 1..6),
        room in 1usize..40,
    ) {
        let policy = Policy::load(POLICY).unwrap();
        let input = [head(&first, &body), head(&second, b"")].concat();
        let whole = filter(&policy, &input, &[input.len()], input.len() + 64);
        prop_assert_eq!(&filter(&policy, &input, &chunks, room), &whole);
        let want = model(&policy, &first, &body)
            .and_then(|a| Some([a, model(&policy, &second, b"")?].concat()));
        match (whole, want) {
            (Ok(got), Some(want)) => prop_assert_eq!(
                &got, &want, "{:?} != {:?}", String::from_utf8_lossy(&got), String::from_utf8_lossy(&want)
            ),
            (Err(_), None) => {}
            (got, want) => prop_assert!(false, "got {:?}, model {:?}", got, want),
        }
    }

    /// Any bytes, in any chunks through any room: the same output or the same
    /// refusal as all at once, and never a panic.
    #[test]
    fn any_bytes_chunk_alike(
        input in proptest::collection::vec(prop::sample::select(b"GET / HTTP/1.1\r\n:CcOoKkIiEe=;, \t\0sessionid1".to_vec()), 0..200),
        chunks in proptest::collection::vec(1usize..16, 1..6),
        room in 1usize..16,
    ) {
        let policy = Policy::load(POLICY).unwrap();
        let whole = filter(&policy, &input, &[input.len().max(1)], input.len() * 2 + 64);
        prop_assert_eq!(filter(&policy, &input, &chunks, room), whole);
    }
}
