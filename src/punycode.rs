//! Punycode (RFC 3492): the A-label (`xn--…`) of a host label with non-ASCII
//! letters, written into a fixed string, without allocating.
//!
//! Only encoding, which is what matching a host needs. The label is lower-cased
//! first (Unicode lower case, one character to its full lower case), as browsers
//! and Go's `net/http/cookiejar` do before converting; there is no other IDNA
//! mapping (UTS 46): no normalisation to NFC, no full-width dots.

/// RFC 3492 §5 parameters.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// Why a label has no A-label here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PunycodeError {
    /// `out` is full.
    Overflow,
    /// A counter of the algorithm would pass `u32::MAX` (RFC 3492 §6.4).
    Arithmetic,
}

/// The characters of `label`, lower-cased.
fn lower(label: &str) -> impl Iterator<Item = char> + Clone + '_ {
    label.chars().flat_map(char::to_lowercase)
}

/// Appends to `out` the A-label of `label` if it holds a non-ASCII character
/// (`xn--` and the Punycode of its lower case), else `label` lower-cased.
pub(crate) fn push_label<const N: usize>(
    label: &str,
    out: &mut heapless::String<N, u8>,
) -> Result<(), PunycodeError> {
    if label.is_ascii() {
        for c in label.chars() {
            out.push(c.to_ascii_lowercase()).map_err(|_| PunycodeError::Overflow)?;
        }
        return Ok(());
    }
    out.push_str("xn--").map_err(|_| PunycodeError::Overflow)?;
    let chars = lower(label);
    // §6.3: the basic code points first, then a delimiter if there were any.
    let mut basic: u32 = 0;
    let mut total: u32 = 0;
    for c in chars.clone() {
        total = total.checked_add(1).ok_or(PunycodeError::Arithmetic)?;
        if c.is_ascii() {
            out.push(c).map_err(|_| PunycodeError::Overflow)?;
            basic += 1;
        }
    }
    if basic > 0 {
        out.push('-').map_err(|_| PunycodeError::Overflow)?;
    }
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    while handled < total {
        // Every round writes at least one digit, so a full `out` ends the loop
        // after at most N rounds, each one pass over the label.
        let Some(m) = chars.clone().map(u32::from).filter(|&c| c >= n).min() else { break };
        let step = (m - n).checked_mul(handled + 1).ok_or(PunycodeError::Arithmetic)?;
        delta = delta.checked_add(step).ok_or(PunycodeError::Arithmetic)?;
        n = m;
        for c in chars.clone().map(u32::from) {
            if c < n {
                delta = delta.checked_add(1).ok_or(PunycodeError::Arithmetic)?;
            }
            if c == n {
                push_number(delta, bias, out)?;
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1).ok_or(PunycodeError::Arithmetic)?;
        n = n.checked_add(1).ok_or(PunycodeError::Arithmetic)?;
    }
    Ok(())
}

/// §6.3: `q` as a generalized variable-length integer under `bias`.
fn push_number<const N: usize>(
    mut q: u32,
    bias: u32,
    out: &mut heapless::String<N, u8>,
) -> Result<(), PunycodeError> {
    let mut k = BASE;
    loop {
        let t = k.saturating_sub(bias).clamp(T_MIN, T_MAX);
        if q < t {
            break;
        }
        // `BASE - t` is at least 10.
        let room = BASE - t;
        out.push(digit(t + (q - t) % room)).map_err(|_| PunycodeError::Overflow)?;
        q = (q - t) / room;
        k += BASE;
    }
    out.push(digit(q)).map_err(|_| PunycodeError::Overflow)
}

/// §6.1: the bias after a delta.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points.max(1);
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

/// §5: 0-25 are `a`-`z`, 26-35 are `0`-`9`.
fn digit(d: u32) -> char {
    let byte = if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 };
    char::from(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_label(label: &str) -> Result<heapless::String<253, u8>, PunycodeError> {
        let mut out = heapless::String::new();
        push_label(label, &mut out).map(|()| out)
    }

    /// RFC 3492 §7.1 samples (lower case, as a host is), and hosts browsers show.
    #[test]
    fn encodes_the_rfc_samples() {
        let rows = [
            // (A) Arabic (Egyptian).
            (
                "\u{644}\u{64a}\u{647}\u{645}\u{627}\u{628}\u{62a}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64a}\u{61f}",
                "xn--egbpdaj6bu4bxfgehfvwxn",
            ),
            // (B) Chinese (simplified).
            (
                "\u{4ed6}\u{4eec}\u{4e3a}\u{4ec0}\u{4e48}\u{4e0d}\u{8bf4}\u{4e2d}\u{6587}",
                "xn--ihqwcrb4cv8a8dqg056pqjye",
            ),
            // (L) 3<nen>B<gumi><kinpachi><sensei>, lower-cased.
            ("3\u{5e74}B\u{7d44}\u{91d1}\u{516b}\u{5148}\u{751f}", "xn--3b-ww4c5e180e575a65lsy2b"),
            ("bücher", "xn--bcher-kva"),
            ("BÜCHER", "xn--bcher-kva"),
            ("münchen", "xn--mnchen-3ya"),
            ("ü", "xn--tda"),
            ("Example", "example"),
        ];
        for (label, want) in rows {
            assert_eq!(a_label(label).as_deref(), Ok(want), "{label}");
        }
    }

    #[test]
    fn a_full_string_is_an_overflow() {
        let mut out = heapless::String::<8, u8>::new();
        assert_eq!(push_label("bücher", &mut out), Err(PunycodeError::Overflow));
        let long = "ü".repeat(300);
        assert_eq!(a_label(&long), Err(PunycodeError::Overflow));
    }
}
