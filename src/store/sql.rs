//! SQL text both engines build the same way: LIKE patterns, reversed orders and the keyset
//! condition of a page that starts next to a row.

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

/// The condition keeping the rows that come after the row `?` (an id) in `order`, and the row
/// itself when `including`: its sort key compared as one row value with the same key read from
/// `table` (`"events e"`, whose alias the order's terms use), so the index that serves the
/// order seeks straight to it. Every order ends in the row's id, so the key is unique and no
/// row is skipped or repeated.
pub(super) fn after_row(order: &str, table: &str, including: bool) -> String {
    let terms: Vec<&str> = order.split(',').map(str::trim).collect();
    let descending = terms.first().is_some_and(|t| t.ends_with(" DESC"));
    let key = terms.iter().map(|t| t.strip_suffix(" DESC").unwrap_or(t)).collect::<Vec<_>>().join(", ");
    let id = match table.split_once(' ') {
        Some((_, alias)) => format!("{alias}.id"),
        None => "id".to_string(),
    };
    let op = match (descending, including) {
        (false, false) => ">",
        (false, true) => ">=",
        (true, false) => "<",
        (true, true) => "<=",
    };
    format!("({key}) {op} (SELECT {key} FROM {table} WHERE {id} = ?)")
}

/// What joins the fields of a booking's search text (`bookings.search_fold`: the attendee's
/// name and email and the event's title, folded). No searched field holds a control character.
pub(crate) const FIELD_SEPARATOR: char = '\u{1f}';

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
        // nothing. So does the field separator: a search must not match across two fields.
        p.push(if c == '\0' || c == FIELD_SEPARATOR { '\u{1}' } else { fold(c) });
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
    fn a_keyset_condition_compares_the_whole_sort_key() {
        assert_eq!(
            after_row("e.starts_at, e.id", "events e", false),
            "(e.starts_at, e.id) > (SELECT e.starts_at, e.id FROM events e WHERE e.id = ?)"
        );
        assert_eq!(after_row("id DESC", "history", true), "(id) <= (SELECT id FROM history WHERE id = ?)");
        assert_eq!(
            after_row(&reversed("e.starts_at DESC, e.id DESC"), "events e", true),
            "(e.starts_at, e.id) >= (SELECT e.starts_at, e.id FROM events e WHERE e.id = ?)"
        );
    }

    #[test]
    fn like_patterns_escape_wildcards_and_fold_as_asked() {
        assert_eq!(contains_pattern(" 50%_Off\\ ", std::convert::identity), "%50\\%\\_Off\\\\%");
        assert_eq!(contains_pattern("ÉCOLE a\0b", |c| c.to_ascii_lowercase()), "%École a\u{1}b%");
    }

    #[test]
    fn a_pattern_cannot_span_two_fields() {
        let p = contains_pattern(&format!("ana{FIELD_SEPARATOR}ana@"), std::convert::identity);
        assert_eq!(p, "%ana\u{1}ana@%");
    }
}
