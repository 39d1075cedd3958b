//! SQL text both engines build the same way: LIKE patterns and reversed orders.

/// `ORDER BY` terms read backwards: each ascending term descends and the other way round.
pub(super) fn reversed(order: &str) -> String {
    order
        .split(',')
        .map(|term| {
            let term = term.trim();
            term.strip_suffix(" DESC").map_or_else(|| format!("{term} DESC"), str::to_string)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally (backslash
/// is the escape on both engines) and every other character passed through `fold`.
pub(super) fn contains_pattern(text: &str, fold: fn(char) -> char) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        // SQLite's LIKE reads its pattern up to the first NUL (so "a\0b" would match every "a")
        // and PostgreSQL text cannot hold one. Searched fields never hold control characters,
        // so a stand-in control character keeps the pattern whole and, like the NUL, matches
        // nothing.
        p.push(if c == '\0' { '\u{1}' } else { fold(c) });
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_reverse_term_by_term() {
        assert_eq!(reversed("e.starts_at, e.id"), "e.starts_at DESC, e.id DESC");
        assert_eq!(reversed("e.starts_at DESC, e.id DESC"), "e.starts_at, e.id");
        assert_eq!(reversed("name COLLATE NOCASE, id"), "name COLLATE NOCASE DESC, id DESC");
        assert_eq!(reversed("nocase(name) COLLATE \"C\", id"), "nocase(name) COLLATE \"C\" DESC, id DESC");
    }

    #[test]
    fn like_patterns_escape_wildcards_and_fold_as_asked() {
        assert_eq!(contains_pattern(" 50%_Off\\ ", std::convert::identity), "%50\\%\\_Off\\\\%");
        assert_eq!(contains_pattern("ÉCOLE a\0b", |c| c.to_ascii_lowercase()), "%École a\u{1}b%");
    }
}
