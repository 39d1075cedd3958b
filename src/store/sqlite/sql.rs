//! SQL text built from the engine-neutral queries: WHERE clauses with their parameters, LIKE
//! and FTS5 patterns, reversed orders for pages read from the end.

use crate::store::query::Plan;
pub(super) use crate::store::sql::{after_row, reversed};

/// A `LIKE` pattern for SQLite, whose LIKE already folds ASCII case.
pub(crate) fn contains_pattern(text: &str) -> String {
    crate::store::sql::contains_pattern(text, std::convert::identity)
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

/// The text a booking is searched by (`bookings.search_fold`, migration 010), for the booking
/// of the attendee and the event whose ids the SQL expressions `attendee` and `event` give:
/// the same value the migration's triggers write for a booking inserted without it.
pub(crate) fn booking_search_fold(attendee: &str, event: &str) -> String {
    format!(
        "((SELECT coalesce(a.name_fold, '') || char(31) || coalesce(a.email_canonical, '')
             FROM attendees a WHERE a.id = {attendee})
          || char(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = {event}))"
    )
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
    fn fts_phrases_quote_everything() {
        assert_eq!(fts_phrase(r#" say "hi" OR x* "#), r#""say ""hi"" OR x*""#);
        assert_eq!(fts_phrase("a\0b"), "\"a\u{1}b\"");
    }

    #[test]
    fn nul_does_not_cut_the_pattern_short() {
        assert_eq!(contains_pattern("a\0b"), "%a\u{1}b%");
    }
}
