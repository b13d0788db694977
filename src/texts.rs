//! The texts of the crate's enums, written once per enum.

/// `as_str` from one table of patterns and texts, for an enum's variants; then,
/// as asked, `display` (`Display` writes that text), `display_needed` (the same,
/// and `: N bytes needed` after a `BufferTooSmall { needed }`) and `error`
/// (`core::error::Error`).
macro_rules! texts {
    ($(#[$doc:meta])* $ty:ident $(: $($extra:ident),+)? { $($pat:pat => $text:expr),+ $(,)? }) => {
        impl $ty {
            $(#[$doc])*
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($pat => $text,)+
                }
            }
        }
        $($(texts!(@$extra $ty);)+)?
    };
    (@display $ty:ident) => {
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@display_needed $ty:ident) => {
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self {
                    Self::BufferTooSmall { needed } => {
                        write!(f, "{}: {needed} bytes needed", self.as_str())
                    }
                    _ => f.write_str(self.as_str()),
                }
            }
        }
    };
    (@error $ty:ident) => {
        impl core::error::Error for $ty {}
    };
}
