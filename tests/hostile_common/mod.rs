//! What the hostile-input suites share: the byte values they try and the plain
//! byte classes their models use.

// Each suite uses part of this module.
#![allow(dead_code)]

/// The byte values tried at each position: all 256 natively; under Miri, which
/// interprets every instruction, one of each class the parsers tell apart
/// (CTL, HTAB, LF, SP, `"`, `(`, `,`, `;`, `=`, `\`, `/`, digit, letter, DEL,
/// bytes above `%x7F`).
pub fn byte_values() -> Vec<u8> {
    if cfg!(miri) { b"\x00\t\n \"(,;=\\/1a\x7f\x80\xff".to_vec() } else { (0..=255).collect() }
}

/// A control byte other than HTAB.
pub fn is_ctl(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// `bytes` without leading and trailing SP and HTAB.
pub fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(start, |e| e + 1);
    &bytes[start..end]
}
