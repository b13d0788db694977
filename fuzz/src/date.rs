//! `parse_cookie_date` and `ImfFixdate`.

use embedded_cookie::date::{self, DateError, ImfFixdate, parse_cookie_date};

/// Any bytes give a moment in range or an error; a moment written as an IMF-fixdate
/// reads back; the tokenizer treats every delimiter alike; any `i64` is written or
/// refused as out of range.
pub fn check(data: &[u8]) {
    let parsed = parse_cookie_date(data);
    if let Ok(secs) = parsed {
        assert!((date::MIN..=date::MAX).contains(&secs), "{secs} out of range");
        let text = ImfFixdate::new(secs).expect("a parsed date cannot be written").to_bytes();
        assert_eq!(parse_cookie_date(&text), Ok(secs), "{:?}", String::from_utf8_lossy(&text));
    }
    // RFC 6265 §5.1.1 splits at delimiters and never looks at which one it was.
    let spaced: Vec<u8> = data.iter().map(|&b| if is_delimiter(b) { b' ' } else { b }).collect();
    assert_eq!(parse_cookie_date(&spaced), parsed, "delimiters changed the result");

    let mut raw = [0u8; 8];
    raw.iter_mut().zip(data).for_each(|(r, &b)| *r = b);
    let secs = i64::from_le_bytes(raw);
    match ImfFixdate::new(secs) {
        Ok(d) => {
            let text = d.to_string();
            assert!(text.len() == date::IMF_FIXDATE_LEN && text.is_ascii());
            assert_eq!(parse_cookie_date(text.as_bytes()), Ok(secs), "{text}");
        }
        Err(e) => {
            assert_eq!(e, DateError::OutOfRange);
            assert!(!(date::MIN..=date::MAX).contains(&secs));
        }
    }
}

/// `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}
