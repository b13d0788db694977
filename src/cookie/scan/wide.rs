//! Scans wider than a byte, for 64-bit targets.
//!
//! The lenient scans flag, a machine word at a time, the bytes that may end a name
//! or a segment, by arithmetic on the word, and look only those up in the table,
//! which decides. The checks of a whole line test sixteen bytes at a time, written
//! as comparisons instead of table lookups: over a block the compiler turns them into
//! a few SIMD instructions, which no table lookup per byte can match.
//! [`control_not_htab`] is also what the table is built from, so the two cannot
//! disagree.

use crate::octets::{control_not_htab, ends_name};

/// A machine word of input bytes.
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
pub(crate) const fn may_end_name<const CONTROLS: bool>(w: Word) -> Word {
    may_end_segment::<CONTROLS>(w) | equal(w, b'=')
}

/// Flags the bytes of `w` that may end a segment: `;` and, with `CONTROLS`,
/// every byte below 0x20 (HTAB too) and 0x7F.
#[inline(always)]
pub(crate) const fn may_end_segment<const CONTROLS: bool>(w: Word) -> Word {
    let semicolons = equal(w, b';');
    if CONTROLS { semicolons | may_be_control(w) } else { semicolons }
}

/// Flags the bytes of `w` that may be control bytes: every byte below 0x20 (HTAB
/// too) and 0x7F.
#[inline(always)]
pub(crate) const fn may_be_control(w: Word) -> Word {
    below(w, 0x20) | equal(w, 0x7F)
}

/// The offset of the first byte of `bytes` that is `wanted`, or `bytes.len()`.
///
/// A word at a time, `flag` flags the bytes that may be wanted, and only those are
/// looked up in the table (by `wanted`), which decides; a word with no flag is
/// passed over whole.
#[inline(always)]
pub(crate) fn find(bytes: &[u8], wanted: fn(u8) -> bool, flag: fn(Word) -> Word) -> usize {
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

/// The offset of the first `=`, `;` or control byte other than HTAB in `bytes`, or
/// `bytes.len()`. Without `CONTROLS`, `bytes` must hold no control byte.
#[inline(always)]
pub(crate) fn name_end<const CONTROLS: bool>(bytes: &[u8]) -> usize {
    find(bytes, ends_name, may_end_name::<CONTROLS>)
}

/// The offset of the first byte of `bytes` that is `A` or `B`, or `bytes.len()`.
///
/// A word at a time; the lowest byte [`equal`] flags is exact, so no table decides.
/// A last partial word is read again as the word that ends `bytes`: the bytes it
/// shares with the word before hold no match.
#[inline(always)]
pub(crate) fn first_of<const A: u8, const B: u8>(bytes: &[u8]) -> usize {
    let flags = |word: &[u8]| {
        // Every caller passes `WORD` bytes: the fallback never runs.
        word.try_into().map_or(0, |w| {
            let w = Word::from_le_bytes(w);
            equal(w, A) | equal(w, B)
        })
    };
    let mut words = bytes.chunks_exact(WORD);
    let mut at = 0;
    for word in words.by_ref() {
        let found = flags(word);
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += WORD;
    }
    let rest = words.remainder();
    match bytes.len().checked_sub(WORD) {
        Some(start) if !rest.is_empty() => {
            let found = flags(bytes.get(start..).unwrap_or_default());
            if found == 0 { bytes.len() } else { start + found.trailing_zeros() as usize / 8 }
        }
        _ => at + rest.iter().position(|&b| b == A || b == B).unwrap_or(rest.len()),
    }
}

/// Bytes tested together: a few SIMD instructions a block.
pub(crate) const BLOCK: usize = 16;

/// Whether `line` holds a control byte other than HTAB.
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

/// How many whole blocks `bytes` starts with that hold no `;`.
#[inline(always)]
pub(crate) fn blocks_without_semicolon(bytes: &[u8]) -> usize {
    bytes
        .chunks_exact(BLOCK)
        .take_while(|block| !block.iter().fold(false, |any, &b| any | (b == b';')))
        .count()
}

/// How many `;` `line` holds.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Per-lane counts are emptied before they overflow.
    #[test]
    fn count_semicolons_counts_past_255_blocks() {
        for len in [255 * BLOCK, 255 * BLOCK + 1, 2 * 255 * BLOCK + BLOCK + 5] {
            assert_eq!(count_semicolons(&std::vec![b';'; len]), len);
        }
    }
}
