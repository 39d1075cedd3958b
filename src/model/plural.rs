//! Counts in words: "1 seat", "2 seats". One helper, so no message falls back to "seat(s)".

/// `n` followed by the singular or plural form, chosen by the count.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `plural` for a `usize` count (lengths of lists).
pub fn plural_len(n: usize, one: &str, many: &str) -> String {
    plural(u64::try_from(n).unwrap_or(u64::MAX), one, many)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(plural(1u32, "seat", "seats"), "1 seat");
        assert_eq!(plural(0u32, "seat", "seats"), "0 seats");
        assert_eq!(plural(2u64, "entry", "entries"), "2 entries");
        assert_eq!(plural_len(1, "booking", "bookings"), "1 booking");
        assert_eq!(plural_len(21, "booking", "bookings"), "21 bookings");
    }
}
