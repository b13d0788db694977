//! The scans of 32-bit targets, where [`super::wide`] is not compiled: four bytes
//! at a time on 32-bit Arm, a byte at a time elsewhere.
//!
//! On a Cortex-M3/M4 `u32::from_le_bytes` of four bytes is one unaligned load, so a
//! word costs a few instructions where four bytes cost four times as many. On
//! RISC-V (and on a Cortex-M0, which traps on unaligned loads) the word is built
//! from four byte loads, which costs more than the byte loop it would replace, so
//! those targets compare a byte at a time. Compiled on every target for the tests,
//! which check both ways against the byte tables.

use crate::octets::is_ctl;

#[cfg(not(target_pointer_width = "64"))]
/// Whether the scans read four bytes at a time (see the module docs).
const WORDS: bool = cfg!(target_arch = "arm");

/// `0x01010101`: one in every byte of a word.
const ONES: u32 = 0x0101_0101;

/// `0x80808080`: the high bit of every byte of a word.
const HIGHS: u32 = ONES << 7;

/// Sets the high bit of every byte of `w` below `n` (`n` ≤ 0x80), and maybe of
/// bytes just above one (the borrow runs upwards): a word with no flag holds no
/// byte below `n`.
#[inline(always)]
const fn below(w: u32, n: u8) -> u32 {
    w.wrapping_sub(ONES * n as u32) & !w & HIGHS
}

/// Flags the bytes of `w` equal to `b`, as [`below`] does.
#[inline(always)]
const fn equal(w: u32, b: u8) -> u32 {
    below(w ^ (ONES * b as u32), 1)
}

/// The offset of the first byte of `bytes` that `ends`, or `bytes.len()`.
///
/// Four bytes at a time up to the first group that may hold such a byte: one that
/// holds a byte that `may_end` (with `words`: one that `flag` flags, read as a
/// word); a byte at a time from there. A group is four compares and branches
/// without a loop's counting in between. The byte loop is also the one loop of
/// the tail, which keeps the code small; after a false flag (an HTAB, for the
/// control scan) it runs to the end.
#[inline(always)]
fn find(
    bytes: &[u8],
    words: bool,
    ends: impl Fn(u8) -> bool,
    may_end: impl Fn(u8) -> bool,
    flag: impl Fn(u32) -> u32,
) -> usize {
    let mut at = 0;
    for group in bytes.chunks_exact(4) {
        let flagged = if words {
            // `chunks_exact` gives four bytes: the fallback never runs.
            group.try_into().map_or(HIGHS, |w| flag(u32::from_le_bytes(w))) != 0
        } else if let &[a, b, c, d] = group {
            // Written out: a loop of four would count its way through them.
            may_end(a) || may_end(b) || may_end(c) || may_end(d)
        } else {
            true
        };
        if flagged {
            break;
        }
        at += 4;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| ends(b)).unwrap_or(rest.len())
}

#[cfg(not(target_pointer_width = "64"))]
/// The offset of the first control byte other than HTAB, or `bytes.len()`.
pub(crate) fn control(bytes: &[u8]) -> usize {
    control_in(bytes, WORDS)
}

/// [`control`], four bytes at a time or not.
#[inline(always)]
fn control_in(bytes: &[u8], words: bool) -> usize {
    // Two compares a byte, HTAB included: a header rarely holds one.
    let may_end = |b| b < 0x20 || b == 0x7F;
    find(bytes, words, is_ctl, may_end, |w| below(w, 0x20) | equal(w, 0x7F))
}

#[cfg(not(target_pointer_width = "64"))]
/// The offset of the first `=` or `;` of `bytes`, which holds no control byte, or
/// `bytes.len()`.
pub(crate) fn name_end(bytes: &[u8]) -> usize {
    if WORDS { bytes.iter().position(|&b| b == b'=' || b == b';').unwrap_or(bytes.len()) } else { name_end_in(bytes, WORDS) }
}

/// [`name_end`], four bytes at a time or not.
#[inline(always)]
fn name_end_in(bytes: &[u8], words: bool) -> usize {
    let ends = |b| b == b'=' || b == b';';
    find(bytes, words, ends, ends, |w| equal(w, b'=') | equal(w, b';'))
}

#[cfg(not(target_pointer_width = "64"))]
/// The offset of the first `;` of `bytes`, which holds no control byte, or
/// `bytes.len()`.
pub(crate) fn segment_end(bytes: &[u8]) -> usize {
    if WORDS { bytes.iter().position(|&b| b == b';').unwrap_or(bytes.len()) } else { segment_end_in(bytes, WORDS) }
}

/// [`segment_end`], four bytes at a time or not.
#[inline(always)]
fn segment_end_in(bytes: &[u8], words: bool) -> usize {
    find(bytes, words, |b| b == b';', |b| b == b';', |w| equal(w, b';'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octets::{ends_name, ends_segment, is_ctl};

    /// The table's answer, a byte at a time.
    fn first(bytes: &[u8], wanted: fn(u8) -> bool) -> usize {
        bytes.iter().position(|&b| wanted(b)).unwrap_or(bytes.len())
    }

    /// Both ways of each scan against the table, on `bytes` and on every tail of it
    /// (so that every byte is seen at every offset of a word).
    fn check(bytes: &[u8]) {
        for start in 0..=bytes.len().min(4) {
            let bytes = &bytes[start..];
            let control = first(bytes, is_ctl);
            for words in [false, true] {
                assert_eq!(control_in(bytes, words), control, "{bytes:x?} {words}");
                if control == bytes.len() {
                    let name = first(bytes, ends_name);
                    let segment = first(bytes, ends_segment);
                    assert_eq!(name_end_in(bytes, words), name, "{bytes:x?} {words}");
                    assert_eq!(segment_end_in(bytes, words), segment, "{bytes:x?} {words}");
                }
            }
        }
    }

    /// Every byte at every offset of three words and a tail, among fillers that make
    /// the word arithmetic flag bytes it must not stop at: HTAB is below 0x20, and a
    /// borrow flags the byte above a match (`:` after `;`, `>` after `=`, 0x80 after
    /// 0x7F).
    #[test]
    #[cfg_attr(miri, ignore = "minutes when interpreted, and there is no unsafe code to check")]
    fn scans_find_every_byte_at_every_offset() {
        let len = 3 * 4 + 3;
        for filler in [b'a', b'\t', b' ', b':', b'>', b'=', b';', 0x00, 0x7F, 0x80, 0xFF] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut bytes = std::vec![filler; len];
                    bytes[at] = b;
                    check(&bytes);
                }
            }
        }
    }
}
