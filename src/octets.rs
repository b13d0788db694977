//! Byte classes of the cookie grammars, as 256-entry tables built at compile time.
//!
//! Every scanner in the crate asks these tables instead of chaining comparisons, so
//! a class costs one load and one mask per byte. The lenient `Cookie` header scan
//! goes further on 64-bit targets (`cookie::scan`).

/// `tchar` of RFC 9110 §5.6.2, the bytes of an RFC 6265 `cookie-name` (`token`):
///
/// ```text
/// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
/// ```
const TOKEN: u16 = 1 << 0;

/// `cookie-octet` of RFC 6265 §4.1.1: US-ASCII except CTLs, whitespace, DQUOTE,
/// comma, semicolon and backslash.
///
/// ```text
/// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
/// ```
const COOKIE_OCTET: u16 = 1 << 1;

/// `CTL` of RFC 5234 B.1, less HTAB: the control bytes no header value may carry.
///
/// ```text
/// CTL = %x00-1F / %x7F
/// ```
const CTL_NOT_HTAB: u16 = 1 << 2;

/// `delimiter` of the cookie-date tokenizer, RFC 6265 §5.1.1.
///
/// ```text
/// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
/// ```
const DATE_DELIMITER: u16 = 1 << 5;

/// Optional whitespace (`OWS`, RFC 9110 §5.6.3): SP / HTAB.
const WHITESPACE: u16 = 1 << 3;

/// Ends a segment of a lenient Cookie header scan: `;` or a CTL other than HTAB.
const SEGMENT_END: u16 = 1 << 4;

/// A byte a built `Path` may hold: RFC 6265 `av-octet` (any CHAR except CTLs or
/// `;`) less SP, so that a parser's trimming can never change the path.
///
/// ```text
/// path-octet = %x21-3A / %x3C-7E
/// ```
const PATH_OCTET: u16 = 1 << 6;

/// A byte a built `Domain` may hold: the letters, digits, hyphens and dots of an
/// RFC 1034 §3.5 `<subdomain>` (as enhanced by RFC 1123 §2.1).
///
/// ```text
/// domain-octet = ALPHA / DIGIT / "-" / "."
/// ```
const DOMAIN_OCTET: u16 = 1 << 7;

/// A byte of a host name as the cookie jar's URL splitter accepts it: the
/// `unreserved` bytes of RFC 3986 §2.3 (percent-escapes and sub-delims refused).
///
/// ```text
/// host-byte = ALPHA / DIGIT / "-" / "." / "_" / "~"
/// ```
const HOST: u16 = 1 << 8;

/// A byte of a URI scheme after its first letter, RFC 3986 §3.1.
///
/// ```text
/// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
/// ```
const SCHEME: u16 = 1 << 9;

/// Ends the name of a lenient Cookie header scan: `=`, or what ends a segment.
const NAME_END: u16 = 1 << 10;

/// The one definition of [`CTL_NOT_HTAB`]: the table is built from it, and
/// `cookie::scan::wide::has_control` applies it to sixteen bytes at once.
#[inline(always)]
pub(crate) const fn control_not_htab(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7F
}

const fn class_of(b: u8) -> u16 {
    let mut c = 0;
    let tchar = matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    ) || b.is_ascii_alphanumeric();
    if tchar {
        c |= TOKEN;
    }
    if matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E) {
        c |= COOKIE_OCTET;
    }
    if control_not_htab(b) {
        c |= CTL_NOT_HTAB | SEGMENT_END;
    }
    if matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E) {
        c |= DATE_DELIMITER;
    }
    if b == b' ' || b == b'\t' {
        c |= WHITESPACE;
    }
    if b == b';' {
        c |= SEGMENT_END;
    }
    if matches!(b, 0x21..=0x3A | 0x3C..=0x7E) {
        c |= PATH_OCTET;
    }
    if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
        c |= DOMAIN_OCTET;
    }
    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
        c |= HOST;
    }
    if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') {
        c |= SCHEME;
    }
    if c & SEGMENT_END != 0 || b == b'=' {
        c |= NAME_END;
    }
    c
}

const fn build() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        // `i < 256` makes both the index and the cast exact.
        #[allow(clippy::indexing_slicing)]
        {
            table[i] = class_of(i as u8);
        }
        i += 1;
    }
    table
}

/// A `const`, not a `static`, so that the `const fn` rules read it too; every use
/// is the one table in flash.
const CLASSES: [u16; 256] = build();

#[inline(always)]
const fn has(b: u8, class: u16) -> bool {
    // A `u8` always indexes a 256-entry table, so the index is in bounds.
    #[allow(clippy::indexing_slicing)]
    {
        CLASSES[b as usize] & class != 0
    }
}

/// `tchar`: a byte of an RFC 6265 cookie name.
#[inline(always)]
pub(crate) fn is_token(b: u8) -> bool {
    has(b, TOKEN)
}

/// `cookie-octet`: a byte of an RFC 6265 cookie value.
#[inline(always)]
pub(crate) fn is_cookie_octet(b: u8) -> bool {
    has(b, COOKIE_OCTET)
}

/// A control byte other than HTAB.
#[inline(always)]
pub(crate) fn is_ctl(b: u8) -> bool {
    has(b, CTL_NOT_HTAB)
}

/// A cookie-date `delimiter`.
#[inline(always)]
pub(crate) fn is_date_delimiter(b: u8) -> bool {
    has(b, DATE_DELIMITER)
}

/// SP or HTAB.
#[inline(always)]
pub(crate) fn is_whitespace(b: u8) -> bool {
    has(b, WHITESPACE)
}

/// `;` or a control byte other than HTAB.
#[inline(always)]
pub(crate) fn ends_segment(b: u8) -> bool {
    has(b, SEGMENT_END)
}

/// `=`, `;` or a control byte other than HTAB.
#[inline(always)]
pub(crate) fn ends_name(b: u8) -> bool {
    has(b, NAME_END)
}

/// `bytes` without leading SP/HTAB.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn trim_start(mut bytes: &[u8]) -> &[u8] {
    while let [b, rest @ ..] = bytes {
        if !is_whitespace(*b) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// `bytes` without trailing SP/HTAB.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn trim_end(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b] = bytes {
        if !is_whitespace(*b) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// A byte of a host name: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
#[inline(always)]
pub(crate) fn is_host(b: u8) -> bool {
    has(b, HOST)
}

/// A byte of a URI scheme after the first: `ALPHA / DIGIT / "+" / "-" / "."`.
#[inline(always)]
pub(crate) fn is_scheme(b: u8) -> bool {
    has(b, SCHEME)
}

/// Whether every byte of `bytes` is in `class`: a `const fn` for the rules that
/// must hold in `const` items too (policy tables are checked at compile time), and
/// the same table lookup as [`has`] at run time.
const fn all_in(mut bytes: &[u8], class: u16) -> bool {
    while let [b, rest @ ..] = bytes {
        if !has(*b, class) {
            return false;
        }
        bytes = rest;
    }
    true
}

/// Every byte is a `tchar` (true for no bytes).
pub(crate) const fn all_token(bytes: &[u8]) -> bool {
    all_in(bytes, TOKEN)
}

/// Every byte is one a built `Path` may hold.
pub(crate) const fn all_path_octets(bytes: &[u8]) -> bool {
    all_in(bytes, PATH_OCTET)
}

/// Every byte is one a built `Domain` may hold.
pub(crate) const fn all_domain_octets(bytes: &[u8]) -> bool {
    all_in(bytes, DOMAIN_OCTET)
}

/// Whether `a` and `b` are the same bytes but for ASCII case: a `const fn`, since
/// `[u8]::eq_ignore_ascii_case` is not `const` on the MSRV (1.86), for the policy
/// text's keywords, read at compile time too.
pub(crate) const fn eq_ignore_case(mut a: &[u8], mut b: &[u8]) -> bool {
    while let ([x, more_a @ ..], [y, more_b @ ..]) = (a, b) {
        if !x.eq_ignore_ascii_case(y) {
            return false;
        }
        (a, b) = (more_a, more_b);
    }
    a.is_empty() && b.is_empty()
}

/// `bytes` without leading and trailing SP/HTAB, with the offset where it starts.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn trim(bytes: &[u8]) -> (usize, &[u8]) {
    let rest = trim_start(bytes);
    (bytes.len() - rest.len(), trim_end(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each class checked against its ABNF written out as plain comparisons.
    #[test]
    fn tables_match_the_abnf() {
        for b in 0..=255u8 {
            let tchar = b"!#$%&'*+-.^_`|~".contains(&b) || b.is_ascii_alphanumeric();
            assert_eq!(is_token(b), tchar, "token {b:#04x}");
            let octet = b == 0x21
                || (0x23..=0x2B).contains(&b)
                || (0x2D..=0x3A).contains(&b)
                || (0x3C..=0x5B).contains(&b)
                || (0x5D..=0x7E).contains(&b);
            assert_eq!(is_cookie_octet(b), octet, "cookie-octet {b:#04x}");
            assert_eq!(is_ctl(b), (b < 0x20 && b != 9) || b == 0x7F, "ctl {b:#04x}");
            let delim = b == 9
                || (0x20..=0x2F).contains(&b)
                || (0x3B..=0x40).contains(&b)
                || (0x5B..=0x60).contains(&b)
                || (0x7B..=0x7E).contains(&b);
            assert_eq!(is_date_delimiter(b), delim, "delimiter {b:#04x}");
            assert_eq!(is_whitespace(b), b == b' ' || b == b'\t', "ws {b:#04x}");
            assert_eq!(ends_segment(b), b == b';' || is_ctl(b), "segment {b:#04x}");
            let path = (0x21..=0x7E).contains(&b) && b != b';';
            let domain = b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
            let alnum = b.is_ascii_alphanumeric();
            assert_eq!(is_host(b), alnum || b"-._~".contains(&b), "host {b:#04x}");
            assert_eq!(is_scheme(b), alnum || b"+-.".contains(&b), "scheme {b:#04x}");
            assert_eq!(all_token(&[b]), is_token(b), "const token {b:#04x}");
            assert_eq!(all_path_octets(&[b]), path, "const path {b:#04x}");
            assert_eq!(all_domain_octets(&[b]), domain, "const domain {b:#04x}");
        }
    }

    #[test]
    fn trim_strips_sp_and_htab_only() {
        let cases: [(&[u8], usize, &[u8]); 6] = [
            (b"", 0, b""),
            (b" \t ", 3, b""),
            (b" a b\t", 1, b"a b"),
            (b"a", 0, b"a"),
            (b"\x0ba\x0b", 0, b"\x0ba\x0b"),
            (b"\ta=1 ", 1, b"a=1"),
        ];
        for (input, start, want) in cases {
            assert_eq!(trim(input), (start, want));
        }
    }
}
