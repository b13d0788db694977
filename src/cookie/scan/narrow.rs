//! The scans of 32-bit targets, where [`super::wide`] is not compiled, each in the
//! [`Way`] that its target runs fastest for the flash it may take.
//!
//! On a Cortex-M3/M4 `u32::from_le_bytes` of four bytes is one unaligned load, so
//! the control bytes of a whole header are looked for a word at a time. On RISC-V
//! (and on a Cortex-M0, which traps on unaligned loads) a word is built from four
//! byte loads, which costs more than comparing the bytes, so they are compared in
//! written-out groups of four. The scans for the end of a name or a value run over
//! a few bytes each: a name's, on every target, and a value's on Arm, a plain byte
//! loop, which keeps the firmware's flash within its budget; a value's elsewhere
//! groups of four (values are the longer part of a cookie, and RISC-V's byte loops
//! cost more instructions than Thumb-2's). Compiled on every target for the tests,
//! which check every way against the byte tables.

use crate::octets::is_ctl;

/// How a scan passes over the bytes that cannot end it.
#[derive(Clone, Copy, Debug)]
enum Way {
    /// Four bytes read as one word, flagged by arithmetic on it.
    Words,
    /// Four bytes compared one by one, without a loop's counting in between.
    Groups,
    /// A byte at a time.
    Bytes,
}

/// The way of the scan for control bytes (see the module docs).
#[cfg(not(target_pointer_width = "64"))]
const CONTROL_WAY: Way = if cfg!(target_arch = "arm") { Way::Words } else { Way::Groups };

/// The way of the scan for the end of a value (see the module docs).
#[cfg(not(target_pointer_width = "64"))]
const VALUE_WAY: Way = if cfg!(target_arch = "arm") { Way::Bytes } else { Way::Groups };

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
/// But with [`Way::Bytes`], four bytes at a time up to the first group that may
/// hold such a byte: one that holds a byte that `may_end` (with [`Way::Words`]: one
/// that `flag` flags, read as a word); a byte at a time from there. The byte loop
/// is also the one loop of the tail, which keeps the code small; after a false flag
/// (an HTAB, for the control scan) it runs to the end.
#[inline(always)]
fn find(
    bytes: &[u8],
    way: Way,
    ends: impl Fn(u8) -> bool,
    may_end: impl Fn(u8) -> bool,
    flag: impl Fn(u32) -> u32,
) -> usize {
    let mut at = 0;
    for group in bytes.chunks_exact(4) {
        let flagged = match (way, group) {
            (Way::Bytes, _) => true,
            // `chunks_exact` gives four bytes: the fallback never runs.
            (Way::Words, _) => group.try_into().map_or(HIGHS, |w| flag(u32::from_le_bytes(w))) != 0,
            (Way::Groups, &[a, b, c, d]) => may_end(a) || may_end(b) || may_end(c) || may_end(d),
            (Way::Groups, _) => true,
        };
        if flagged {
            break;
        }
        at += 4;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| ends(b)).unwrap_or(rest.len())
}

/// The offset of the first control byte other than HTAB, or `bytes.len()`.
#[cfg(not(target_pointer_width = "64"))]
pub(crate) fn control(bytes: &[u8]) -> usize {
    control_in(bytes, CONTROL_WAY)
}

/// [`control`], the given way.
#[inline(always)]
fn control_in(bytes: &[u8], way: Way) -> usize {
    // Two compares a byte, HTAB included: a header rarely holds one.
    let may_end = |b| b < 0x20 || b == 0x7F;
    find(bytes, way, is_ctl, may_end, |w| below(w, 0x20) | equal(w, 0x7F))
}

/// The offset of the first `=` or `;` of `bytes`, which holds no control byte, or
/// `bytes.len()`.
#[cfg(not(target_pointer_width = "64"))]
pub(crate) fn name_end(bytes: &[u8]) -> usize {
    name_end_in(bytes, Way::Bytes)
}

/// [`name_end`], the given way.
#[inline(always)]
fn name_end_in(bytes: &[u8], way: Way) -> usize {
    // `;` is 0x3B and `=` 0x3D: a byte loop subtracts once and tests once for
    // both, where groups branch on each compare.
    let ends = |b: u8| b.wrapping_sub(b';') & !2 == 0;
    find(bytes, way, ends, |b| b == b'=' || b == b';', |w| equal(w, b'=') | equal(w, b';'))
}

/// The offset of the first `;` of `bytes`, which holds no control byte, or
/// `bytes.len()`.
#[cfg(not(target_pointer_width = "64"))]
pub(crate) fn segment_end(bytes: &[u8]) -> usize {
    segment_end_in(bytes, VALUE_WAY)
}

/// [`segment_end`], the given way.
#[inline(always)]
fn segment_end_in(bytes: &[u8], way: Way) -> usize {
    find(bytes, way, |b| b == b';', |b| b == b';', |w| equal(w, b';'))
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
            for way in [Way::Words, Way::Groups, Way::Bytes] {
                assert_eq!(control_in(bytes, way), control, "{bytes:x?} {way:?}");
                if control == bytes.len() {
                    let name = first(bytes, ends_name);
                    let segment = first(bytes, ends_segment);
                    assert_eq!(name_end_in(bytes, way), name, "{bytes:x?} {way:?}");
                    assert_eq!(segment_end_in(bytes, way), segment, "{bytes:x?} {way:?}");
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
