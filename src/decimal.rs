//! Decimal output without `core::fmt`, whose indirect calls would pull formatting
//! code into a firmware and leave its stack use unbounded.

/// The decimal digits of a number's magnitude, written without `core::fmt`.
#[derive(Default)]
pub(crate) struct Digits([u8; 20]);

impl Digits {
    pub(crate) fn of(&mut self, n: i64) -> &[u8] {
        let mut n = n.unsigned_abs();
        let mut start = self.0.len();
        for slot in self.0.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
            start -= 1;
            if n == 0 {
                break;
            }
        }
        self.0.get(start..).unwrap_or_default()
    }
}
