//! The scans of a lenient `Cookie` header (where a name or a segment ends), and the
//! splits of a `Set-Cookie` line at `;` and `=`, which `set_cookie` borrows.
//!
//! On 64-bit targets they flag, a machine word at a time, the few bytes that may
//! end a name or a segment, and ask the byte tables only about those; the checks of
//! a whole header test sixteen bytes at a time (both in [`wide`]). On 32-bit
//! targets the lenient scans and the check for control bytes go a word or four
//! bytes at a time (`narrow`); the scans with control bytes (the head filter's)
//! stay byte loops over the tables.

#[cfg(not(target_pointer_width = "64"))]
use crate::octets::{ends_name, ends_segment, is_ctl};
#[cfg(target_pointer_width = "64")]
use crate::octets::{ends_segment, is_ctl};

/// Scans wider than a byte: a machine word, or sixteen bytes, at a time. On 64-bit
/// targets only: there the throughput of a server counts, while on a
/// microcontroller their code would cost more flash than the byte loops cost time.
#[cfg(target_pointer_width = "64")]
pub(crate) mod wide;

/// The scans of the other targets for a `Cookie` header's control bytes and the
/// ends of its names and values, a word or four bytes at a time; compiled for the
/// tests on every target.
#[cfg(any(test, not(target_pointer_width = "64")))]
mod narrow;

/// The offset of the first byte of `bytes` that is `wanted`, or `bytes.len()`: the
/// byte loop of the targets without [`wide`] scans.
#[cfg(not(target_pointer_width = "64"))]
fn first(bytes: &[u8], wanted: fn(u8) -> bool) -> usize {
    bytes.iter().position(|&b| wanted(b)).unwrap_or(bytes.len())
}

/// The byte loop of [`split_at_name_end`] with `CONTROLS`: one copy, which the
/// head filter calls from each of its scans.
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
fn name_end_or_control(bytes: &[u8]) -> usize {
    first(bytes, ends_name)
}

/// The byte loop of [`split_at_segment_end`] with `CONTROLS`, as
/// [`name_end_or_control`].
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
fn segment_end_or_control(bytes: &[u8]) -> usize {
    first(bytes, ends_segment)
}

/// `bytes` split before its first `=`, `;` or control byte other than HTAB (the
/// second part is empty when there is none). Without `CONTROLS`, `bytes` must hold
/// no control byte.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn split_at_name_end<const CONTROLS: bool>(bytes: &[u8]) -> (&[u8], &[u8]) {
    #[cfg(target_pointer_width = "64")]
    let end = wide::name_end::<CONTROLS>(bytes);
    #[cfg(not(target_pointer_width = "64"))]
    let end = if CONTROLS { name_end_or_control(bytes) } else { narrow::name_end(bytes) };
    bytes.split_at_checked(end).unwrap_or((bytes, &[]))
}

/// `bytes` split before its first `;` or control byte other than HTAB, as
/// [`split_at_name_end`] does.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn split_at_segment_end<const CONTROLS: bool>(bytes: &[u8]) -> (&[u8], &[u8]) {
    #[cfg(target_pointer_width = "64")]
    let end = {
        // Without controls to look for, whole blocks without `;` are passed over first.
        let skip = if CONTROLS { 0 } else { wide::blocks_without_semicolon(bytes) * wide::BLOCK };
        let rest = bytes.get(skip..).unwrap_or_default();
        skip + wide::find(rest, ends_segment, wide::may_end_segment::<CONTROLS>)
    };
    #[cfg(not(target_pointer_width = "64"))]
    let end = if CONTROLS { segment_end_or_control(bytes) } else { narrow::segment_end(bytes) };
    bytes.split_at_checked(end).unwrap_or((bytes, &[]))
}

/// `bytes` split before its first control byte other than HTAB (the second part is
/// empty when there is none): a line of a request head to its CR.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn split_at_control(bytes: &[u8]) -> (&[u8], &[u8]) {
    #[cfg(target_pointer_width = "64")]
    let end = control_at(bytes);
    #[cfg(not(target_pointer_width = "64"))]
    let end = first(bytes, is_ctl);
    bytes.split_at_checked(end).unwrap_or((bytes, &[]))
}

/// The offset of the first control byte other than HTAB in `bytes`, or
/// `bytes.len()`.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn control_at(bytes: &[u8]) -> usize {
    #[cfg(target_pointer_width = "64")]
    return wide::find(bytes, is_ctl, wide::may_be_control);
    #[cfg(not(target_pointer_width = "64"))]
    return narrow::control(bytes);
}

/// `bytes` split before its first `A` or `B` (the second part is empty when
/// there is none), whatever else it holds.
#[cfg_attr(target_pointer_width = "64", inline(always))]
fn split_before<const A: u8, const B: u8>(bytes: &[u8]) -> (&[u8], &[u8]) {
    #[cfg(target_pointer_width = "64")]
    let end = wide::first_of::<A, B>(bytes);
    #[cfg(not(target_pointer_width = "64"))]
    let end = first(bytes, |b| b == A || b == B);
    bytes.split_at_checked(end).unwrap_or((bytes, &[]))
}

/// `bytes` split before its first `;`, whatever else it holds: a `Set-Cookie`
/// line into its parts.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn split_at_semicolon(bytes: &[u8]) -> (&[u8], &[u8]) {
    split_before::<b';', b';'>(bytes)
}

/// `bytes` split before its first `=` or `;`, whatever else it holds: the name of
/// a part of a `Set-Cookie` line, and what follows.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(crate) fn split_at_equals_or_semicolon(bytes: &[u8]) -> (&[u8], &[u8]) {
    split_before::<b'=', b';'>(bytes)
}

/// Whether `line` holds a control byte other than HTAB: sixteen bytes at a time on
/// 64-bit targets, four at a time on the others.
pub(crate) fn has_control(line: &[u8]) -> bool {
    #[cfg(target_pointer_width = "64")]
    return wide::has_control(line);
    #[cfg(not(target_pointer_width = "64"))]
    return control_at(line) < line.len();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octets::{ends_name, ends_segment, is_ctl};

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
        assert_eq!(split_at_control(bytes).0.len(), first(bytes, is_ctl), "{bytes:x?}");
        let control = bytes.iter().any(|&b| is_ctl(b));
        assert_eq!(has_control(bytes), control, "{bytes:x?}");
        assert_eq!(split_at_semicolon(bytes).0.len(), first(bytes, |b| b == b';'), "{bytes:x?}");
        let either = first(bytes, |b| b == b'=' || b == b';');
        assert_eq!(split_at_equals_or_semicolon(bytes).0.len(), either, "{bytes:x?}");
        if !control {
            assert_eq!(split_at_name_end::<false>(bytes).0.len(), name, "{bytes:x?}");
            assert_eq!(split_at_segment_end::<false>(bytes).0.len(), segment, "{bytes:x?}");
        }
        #[cfg(target_pointer_width = "64")]
        {
            let semicolons = bytes.iter().filter(|&&b| b == b';').count();
            assert_eq!(wide::count_semicolons(bytes), semicolons, "{bytes:x?}");
        }
    }

    /// Every byte at every offset of three words (and of two blocks and a tail),
    /// among fillers that make the word arithmetic flag bytes it must not stop at:
    /// HTAB is below 0x20, and a borrow flags the byte above a match (`:` after
    /// `;`, `<` after `=`).
    #[test]
    #[cfg_attr(miri, ignore = "hours when interpreted, and there is no unsafe code to check")]
    fn scans_find_every_byte_at_every_offset() {
        let len = 4 * 8 + 3;
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
    #[cfg_attr(miri, ignore = "hours when interpreted, and there is no unsafe code to check")]
    fn scans_match_on_random_strings() {
        let alphabet =
            [b'a', b'\t', b' ', b';', b'=', b':', b'<', b'>', 0x00, 0x1F, 0x7F, 0x80, 0xFF];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 25) as usize;
            let bytes: std::vec::Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (i % 60)) as usize + i) % alphabet.len()])
                .collect();
            check_scans(&bytes);
        }
    }
}
