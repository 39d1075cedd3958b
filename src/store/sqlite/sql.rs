//! SQL text built from the engine-neutral queries: WHERE clauses with their parameters, LIKE
//! and FTS5 patterns, reversed orders for pages read from the end.

use crate::store::query::Plan;

/// `ORDER BY` terms read backwards: each ascending term descends and the other way round.
pub(crate) fn reversed(order: &str) -> String {
    order
        .split(',')
        .map(|term| {
            let term = term.trim();
            term.strip_suffix(" DESC").map_or_else(|| format!("{term} DESC"), str::to_string)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        // LIKE reads its pattern up to the first NUL, so "a\0b" would match every "a". Searched
        // fields never hold control characters, so a stand-in control character keeps the
        // pattern whole and, like the NUL, matches nothing.
        p.push(if c == '\0' { '\u{1}' } else { c });
    }
    p.push('%');
    p
}

/// An FTS5 query matching `text` as one phrase: quoted, so no character is query syntax.
pub(crate) fn fts_phrase(text: &str) -> String {
    let mut q = String::with_capacity(text.len() + 2);
    q.push('"');
    for c in text.trim().chars() {
        match c {
            '"' => q.push_str("\"\""),
            // FTS5 reads its query up to the first NUL; the stand-in matches nothing, as in
            // `contains_pattern`.
            '\0' => q.push('\u{1}'),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// A WHERE clause built from optional conditions, with its parameters in order.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub(crate) params: Vec<rusqlite::types::Value>,
}

impl Where {
    pub(crate) fn add(&mut self, clause: &str, params: impl IntoIterator<Item = rusqlite::types::Value>) {
        self.clauses.push(clause.to_string());
        self.params.extend(params);
    }

    /// The parameters followed by the plan's LIMIT and OFFSET.
    pub(crate) fn paged(mut self, plan: Plan) -> Vec<rusqlite::types::Value> {
        self.params.push(i64::try_from(plan.limit).unwrap_or(i64::MAX).into());
        self.params.push(i64::try_from(plan.offset).unwrap_or(i64::MAX).into());
        self.params
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_reverse_term_by_term() {
        assert_eq!(reversed("e.starts_at, e.id"), "e.starts_at DESC, e.id DESC");
        assert_eq!(reversed("e.starts_at DESC, e.id DESC"), "e.starts_at, e.id");
        assert_eq!(reversed("name COLLATE NOCASE, id"), "name COLLATE NOCASE DESC, id DESC");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern(" 50%_off\\ "), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn fts_phrases_quote_everything() {
        assert_eq!(fts_phrase(r#" say "hi" OR x* "#), r#""say ""hi"" OR x*""#);
        assert_eq!(fts_phrase("a\0b"), "\"a\u{1}b\"");
    }

    #[test]
    fn nul_does_not_cut_the_pattern_short() {
        assert_eq!(contains_pattern("a\0b"), "%a\u{1}b%");
    }
}
