//! Byte classes of the cookie grammars, as 256-entry tables built at compile time.
//!
//! Every scanner in the crate asks these tables instead of chaining comparisons, so
//! a class costs one load and one mask per byte. The scans of a lenient header go
//! further: they flag, a machine word at a time, the few bytes that may end a name
//! or a segment, and ask the table only about those; and the checks of a whole
//! header test sixteen bytes at a time (see [`has_control`]).

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
/// [`has_control`] applies it to sixteen bytes at once.
#[inline(always)]
const fn control_not_htab(b: u8) -> bool {
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

static CLASSES: [u16; 256] = build();

#[inline(always)]
fn has(b: u8, class: u16) -> bool {
    // A `u8` always indexes a 256-entry table; `get` keeps the no-panic rule visible.
    CLASSES.get(usize::from(b)).is_some_and(|c| c & class != 0)
}

/// A machine word of input bytes: the lenient scans test a word at a time.
type Word = usize;

const WORD: usize = core::mem::size_of::<Word>();

/// `0x0101…01`: one in every byte of a word.
const ONES: Word = Word::MAX / 0xFF;

/// `0x8080…80`: the high bit of every byte of a word.
const HIGHS: Word = ONES << 7;

/// Sets the high bit of every byte of `w` below `n` (`n` ≤ 0x80). A byte just
/// above a flagged one may be flagged too (the borrow runs upwards), but the
/// lowest flag is always exact, and no byte below `n` goes unflagged.
#[inline(always)]
const fn below(w: Word, n: u8) -> Word {
    w.wrapping_sub(ONES * n as Word) & !w & HIGHS
}

/// Flags the bytes of `w` equal to `b`, as [`below`] does.
#[inline(always)]
const fn equal(w: Word, b: u8) -> Word {
    below(w ^ (ONES * b as Word), 1)
}

/// Flags the bytes of `w` that may end a name: `=`, `;` and, with `CONTROLS`,
/// every byte below 0x20 (HTAB too) and 0x7F.
#[inline(always)]
const fn may_end_name<const CONTROLS: bool>(w: Word) -> Word {
    may_end_segment::<CONTROLS>(w) | equal(w, b'=')
}

/// Flags the bytes of `w` that may end a segment: `;` and, with `CONTROLS`,
/// every byte below 0x20 (HTAB too) and 0x7F.
#[inline(always)]
const fn may_end_segment<const CONTROLS: bool>(w: Word) -> Word {
    let semicolons = equal(w, b';');
    if CONTROLS { semicolons | below(w, 0x20) | equal(w, 0x7F) } else { semicolons }
}

/// The offset of the first byte of `bytes` that is `wanted`, or `bytes.len()`.
///
/// A word at a time, `flag` flags the bytes that may be wanted, and only those
/// are looked up in the table (by `wanted`), which decides; a word with no flag is
/// passed over whole.
#[inline(always)]
fn find(bytes: &[u8], wanted: fn(u8) -> bool, flag: fn(Word) -> Word) -> usize {
    let mut words = bytes.chunks_exact(WORD);
    let mut at = 0;
    for word in words.by_ref() {
        // `chunks_exact` gives `WORD` bytes: the fallback never runs.
        let mut flags = word.try_into().map_or(HIGHS, |w| flag(Word::from_le_bytes(w)));
        while flags != 0 {
            let i = flags.trailing_zeros() as usize / 8;
            if word.get(i).is_some_and(|&b| wanted(b)) {
                return at + i;
            }
            flags &= flags - 1;
        }
        at += WORD;
    }
    let rest = words.remainder();
    at + rest.iter().position(|&b| wanted(b)).unwrap_or(rest.len())
}

/// `bytes` split before its first `=`, `;` or control byte other than HTAB (the
/// second part is empty when there is none). Without `CONTROLS`, `bytes` must hold
/// no control byte.
#[inline(always)]
pub(crate) fn split_at_name_end<const CONTROLS: bool>(bytes: &[u8]) -> (&[u8], &[u8]) {
    bytes.split_at_checked(find(bytes, ends_name, may_end_name::<CONTROLS>)).unwrap_or((bytes, &[]))
}

/// `bytes` split before its first `;` or control byte other than HTAB, as
/// [`split_at_name_end`] does.
#[inline(always)]
pub(crate) fn split_at_segment_end<const CONTROLS: bool>(bytes: &[u8]) -> (&[u8], &[u8]) {
    // Without controls to look for, whole blocks without `;` are passed over first.
    let skip = if CONTROLS { 0 } else { blocks_without_semicolon(bytes) * BLOCK };
    let rest = bytes.get(skip..).unwrap_or_default();
    let end = skip + find(rest, ends_segment, may_end_segment::<CONTROLS>);
    bytes.split_at_checked(end).unwrap_or((bytes, &[]))
}

/// Bytes tested together by [`has_control`] and [`count_semicolons`]: a few SIMD
/// instructions a block.
const BLOCK: usize = 16;

/// Whether `line` holds a control byte other than HTAB.
///
/// One of the bulk tests written as comparisons instead of table lookups: over a
/// block of sixteen bytes the compiler turns them into a few SIMD instructions,
/// which no table lookup per byte can match. [`control_not_htab`] is also what the
/// table is built from, so the two cannot disagree.
pub(crate) fn has_control(line: &[u8]) -> bool {
    let any = |bytes: &[u8]| bytes.iter().fold(false, |any, &b| any | control_not_htab(b));
    let mut blocks = line.chunks_exact(BLOCK);
    if blocks.by_ref().any(any) {
        return true;
    }
    // The last block again, ending at the end of the line: a SIMD test still.
    match line.len().checked_sub(BLOCK) {
        Some(start) => any(line.get(start..).unwrap_or_default()),
        None => any(blocks.remainder()),
    }
}

/// How many whole blocks `bytes` starts with that hold no `;`: a bulk test
/// written as comparisons, like [`has_control`].
#[inline(always)]
fn blocks_without_semicolon(bytes: &[u8]) -> usize {
    bytes
        .chunks_exact(BLOCK)
        .take_while(|block| !block.iter().fold(false, |any, &b| any | (b == b';')))
        .count()
}

/// How many `;` `line` holds; the other bulk test written as comparisons.
pub(crate) fn count_semicolons(line: &[u8]) -> usize {
    let mut blocks = line.chunks_exact(BLOCK);
    let mut total = blocks.remainder().iter().filter(|&&b| b == b';').count();
    // Per-lane counts stay in a SIMD register for up to 255 blocks.
    let mut counts = [0u8; BLOCK];
    let mut in_counts = 0;
    for block in blocks.by_ref() {
        for (n, &b) in counts.iter_mut().zip(block) {
            *n += u8::from(b == b';');
        }
        in_counts += 1;
        if in_counts == 255 {
            total += counts.iter().map(|&n| usize::from(n)).sum::<usize>();
            (counts, in_counts) = ([0; BLOCK], 0);
        }
    }
    total + counts.iter().map(|&n| usize::from(n)).sum::<usize>()
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
#[inline(always)]
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
#[inline(always)]
pub(crate) fn trim_end(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b] = bytes {
        if !is_whitespace(*b) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// A byte a built `Path` may hold.
#[inline(always)]
pub(crate) fn is_path_octet(b: u8) -> bool {
    has(b, PATH_OCTET)
}

/// A byte a built `Domain` may hold.
#[inline(always)]
pub(crate) fn is_domain_octet(b: u8) -> bool {
    has(b, DOMAIN_OCTET)
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

/// `tchar`, for `const` rule checks: computed from the class definition, since a
/// `const fn` cannot go through [`has`]. Policy tables are checked at compile time.
pub(crate) const fn is_token_in_const(b: u8) -> bool {
    class_of(b) & TOKEN != 0
}

/// A byte a built `Path` may hold, for `const` rule checks (see [`is_token_in_const`]).
pub(crate) const fn is_path_octet_in_const(b: u8) -> bool {
    class_of(b) & PATH_OCTET != 0
}

/// A byte a built `Domain` may hold, for `const` rule checks (see [`is_token_in_const`]).
pub(crate) const fn is_domain_octet_in_const(b: u8) -> bool {
    class_of(b) & DOMAIN_OCTET != 0
}

/// `bytes` without leading and trailing SP/HTAB, with the offset where it starts.
#[inline(always)]
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
            assert_eq!(is_path_octet(b), path, "path {b:#04x}");
            let domain = b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
            assert_eq!(is_domain_octet(b), domain, "domain {b:#04x}");
            let alnum = b.is_ascii_alphanumeric();
            assert_eq!(is_host(b), alnum || b"-._~".contains(&b), "host {b:#04x}");
            assert_eq!(is_scheme(b), alnum || b"+-.".contains(&b), "scheme {b:#04x}");
            assert_eq!(is_token_in_const(b), is_token(b), "const token {b:#04x}");
            assert_eq!(is_path_octet_in_const(b), path, "const path {b:#04x}");
            assert_eq!(is_domain_octet_in_const(b), domain, "const domain {b:#04x}");
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

    /// Byte-by-byte answers, to check the word and block scans against.
    fn first(bytes: &[u8], wanted: fn(u8) -> bool) -> usize {
        bytes.iter().position(|&b| wanted(b)).unwrap_or(bytes.len())
    }

    /// Checks every scan on `bytes` against its byte-by-byte answer.
    fn check_scans(bytes: &[u8]) {
        let name = first(bytes, ends_name);
        let segment = first(bytes, ends_segment);
        assert_eq!(split_at_name_end::<true>(bytes).0.len(), name, "{bytes:x?}");
        assert_eq!(split_at_segment_end::<true>(bytes).0.len(), segment, "{bytes:x?}");
        let control = bytes.iter().any(|&b| is_ctl(b));
        if !control {
            assert_eq!(split_at_name_end::<false>(bytes).0.len(), name, "{bytes:x?}");
            assert_eq!(split_at_segment_end::<false>(bytes).0.len(), segment, "{bytes:x?}");
        }
        assert_eq!(has_control(bytes), control, "{bytes:x?}");
        let semicolons = bytes.iter().filter(|&&b| b == b';').count();
        assert_eq!(count_semicolons(bytes), semicolons, "{bytes:x?}");
    }

    /// Every byte at every offset of three words (and of two blocks and a tail),
    /// among fillers that make the word arithmetic flag bytes it must not stop at:
    /// HTAB is below 0x20, and a borrow flags the byte above a match (`:` after
    /// `;`, `<` after `=`).
    #[test]
    fn scans_find_every_byte_at_every_offset() {
        let len = (2 * BLOCK).max(3 * WORD) + 3;
        for filler in [b'a', b'\t', b' ', b':', b'<', b'=', b';', 0x00, 0x80, 0xFF] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut bytes = std::vec![filler; len];
                    bytes[at] = b;
                    check_scans(&bytes);
                    check_scans(&bytes[at..]);
                }
            }
        }
    }

    /// Random strings over the bytes that matter, of every length up to three words.
    #[test]
    fn scans_match_on_random_strings() {
        let alphabet =
            [b'a', b'\t', b' ', b';', b'=', b':', b'<', b'>', 0x00, 0x1F, 0x7F, 0x80, 0xFF];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % (3 * WORD as u64 + 1)) as usize;
            let bytes: std::vec::Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (i % 60)) as usize + i) % alphabet.len()])
                .collect();
            check_scans(&bytes);
        }
    }

    /// Per-lane counts are emptied before they overflow.
    #[test]
    fn count_semicolons_counts_past_255_blocks() {
        for len in [255 * BLOCK, 255 * BLOCK + 1, 2 * 255 * BLOCK + BLOCK + 5] {
            assert_eq!(count_semicolons(&std::vec![b';'; len]), len);
        }
    }
}
