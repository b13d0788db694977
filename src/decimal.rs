//! Decimal output without `core::fmt`, whose indirect calls would pull formatting
//! code into a firmware and leave its stack use unbounded.

use core::num::NonZeroU32;

/// The decimal digits of a number's magnitude, written without `core::fmt`. A
/// `heapless::Vec`, not an array, so that nothing is zeroed first (an array's
/// zeroing calls `__aeabi_memclr4`, 174 B on a Cortex-M).
#[derive(Default)]
pub(crate) struct Digits(heapless::Vec<u8, 19>);

impl Digits {
    pub(crate) fn of(&mut self, n: i64) -> &[u8] {
        let mut n = n.unsigned_abs();
        self.0.clear();
        // Least significant first, then reversed. An `i64`'s magnitude has at most
        // 19 digits, so no push fails.
        loop {
            let digit;
            (n, digit) = div_rem_10(n);
            let _ = self.0.push(b'0' + digit);
            if n == 0 {
                break;
            }
        }
        self.0.reverse();
        &self.0
    }
}

/// Pushes the decimal digits of `n` to `out`, most significant first. Unlike
/// [`Digits`], no buffer to zero and no 64-bit division: each digit is `n` divided
/// by a power of ten, a 32-bit division. The `% 10` bounds the digit, so the
/// compiler sees an ASCII `char` and leaves out `push`'s UTF-8 encoder.
pub(crate) fn push_u32<const N: usize>(
    out: &mut heapless::String<N>,
    n: u32,
) -> Result<(), heapless::CapacityError> {
    let mut power = NonZeroU32::MIN;
    while power.get() <= n / 10 {
        power = power.saturating_mul(TEN);
    }
    loop {
        out.push(char::from(b'0' + (n / power % 10) as u8))?;
        match NonZeroU32::new(power.get() / 10) {
            Some(next) => power = next,
            None => return Ok(()),
        }
    }
}

const TEN: NonZeroU32 = NonZeroU32::new(10).unwrap();

/// `n / 10` and `n % 10`. On a 32-bit target a 64-bit `/` calls a division routine
/// of 866 B, so there it is long division: the high 32 bits, then the low 32 in two
/// 16-bit steps, three 32-bit divisions by a constant, which compile to multiplications. A 64-bit target multiplies.
fn div_rem_10(n: u64) -> (u64, u8) {
    if cfg!(target_pointer_width = "64") {
        (n / 10, (n % 10) as u8)
    } else {
        div_rem_10_in_limbs(n)
    }
}

/// Each dividend, the remainder so far (under 10) above the next limb, fits a `u32`.
fn div_rem_10_in_limbs(n: u64) -> (u64, u8) {
    let (high, low) = ((n >> 32) as u32, n as u32);
    let upper = ((high % 10) << 16) | (low >> 16);
    let lower = ((upper % 10) << 16) | (low & 0xFFFF);
    let quotient = (u64::from(high / 10) << 32) | u64::from(((upper / 10) << 16) | (lower / 10));
    (quotient, (lower % 10) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_the_extremes() {
        let cases: [(i64, &[u8]); 5] = [
            (0, b"0"),
            (-7, b"7"),
            (1_000_000_000_000, b"1000000000000"),
            (i64::MAX, b"9223372036854775807"),
            (i64::MIN, b"9223372036854775808"),
        ];
        let mut digits = Digits::default();
        for (n, expected) in cases {
            assert_eq!(digits.of(n), expected, "{n}");
        }
    }

    #[test]
    fn push_u32_writes_every_length() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967, 999_999_999, 1_000_000_000, u32::MAX] {
            let mut out = heapless::String::<10>::new();
            push_u32(&mut out, n).unwrap();
            assert_eq!(out.as_bytes(), Digits::default().of(i64::from(n)), "{n}");
        }
        assert!(push_u32(&mut heapless::String::<2>::new(), 123).is_err());
    }

    /// The limbs, which a 64-bit target does not use, checked on it too.
    #[test]
    fn div_rem_10_in_limbs_matches_the_operators() {
        for n in [0, 1, 9, 10, 65_535, 65_536, 655_359, u64::from(u32::MAX), 1 << 63, u64::MAX] {
            assert_eq!(div_rem_10_in_limbs(n), (n / 10, (n % 10) as u8), "{n}");
        }
    }
}
