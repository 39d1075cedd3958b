//! What the lists ask for: filters and pages, independent of the engine.

use chrono::{DateTime, Utc};

use crate::model::{About, BookingStatus, HistoryAction, ObjectKind};

/// A window of rows. Lists never load more than one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u32,
    /// The list's length, when the caller already counted it: a page in the back half is then
    /// read from the other end, so `End` on a million rows costs what `Home` does.
    pub total: Option<u64>,
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 50, total: None }
    }
}

impl Page {
    pub fn new(offset: u64, limit: u32) -> Self {
        Page { offset, limit, total: None }
    }

    /// The same page of a list known to hold `total` rows.
    pub fn of(self, total: u64) -> Self {
        Page { total: Some(total), ..self }
    }

    /// How to read this page: in the list's order, or reversed from its end.
    pub(super) fn plan(self) -> Plan {
        let forward = Plan { reverse: false, offset: self.offset, limit: u64::from(self.limit) };
        let Some(total) = self.total else { return forward };
        if self.offset <= total / 2 {
            return forward;
        }
        let end = self.offset.saturating_add(u64::from(self.limit)).min(total);
        Plan { reverse: true, offset: total - end, limit: end.saturating_sub(self.offset) }
    }
}

/// A page as SQL reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Plan {
    pub reverse: bool,
    pub offset: u64,
    pub limit: u64,
}

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

/// Which events a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EventFilter {
    #[default]
    All,
    Upcoming,
    Past,
    /// Events created by `EventQuery::creator_id`.
    Mine,
    /// Upcoming events with seats left.
    Available,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    pub filter: EventFilter,
    pub creator_id: Option<i64>,
    /// Matches titles containing this text (case-insensitive for ASCII).
    pub search: String,
    pub page: Page,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookingQuery {
    pub event_id: Option<i64>,
    pub attendee_id: Option<i64>,
    pub status: Option<BookingStatus>,
    /// Only bookings on events this organizer created.
    pub organizer_id: Option<i64>,
    /// Matches attendee name or email, or event title.
    pub search: String,
    pub page: Page,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendeeQuery {
    /// Matches name or email.
    pub search: String,
    pub page: Page,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryQuery {
    pub actor: Option<String>,
    pub action: Option<HistoryAction>,
    pub object_kind: Option<ObjectKind>,
    pub object_id: Option<i64>,
    /// Everything about one event or attendee, bookings included.
    pub about: Option<About>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub page: Page,
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
pub(super) fn contains_pattern(text: &str) -> String {
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
pub(super) fn fts_phrase(text: &str) -> String {
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
pub(super) struct Where {
    clauses: Vec<String>,
    pub(super) params: Vec<rusqlite::types::Value>,
}

impl Where {
    pub(super) fn add(&mut self, clause: &str, params: impl IntoIterator<Item = rusqlite::types::Value>) {
        self.clauses.push(clause.to_string());
        self.params.extend(params);
    }

    /// The parameters followed by the plan's LIMIT and OFFSET.
    pub(super) fn paged(mut self, plan: Plan) -> Vec<rusqlite::types::Value> {
        self.params.push(i64::try_from(plan.limit).unwrap_or(i64::MAX).into());
        self.params.push(i64::try_from(plan.offset).unwrap_or(i64::MAX).into());
        self.params
    }

    pub(super) fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_half_pages_read_from_the_end() {
        let page = |offset| Page::new(offset, 10).of(100);
        assert_eq!(page(0).plan(), Plan { reverse: false, offset: 0, limit: 10 });
        assert_eq!(page(50).plan(), Plan { reverse: false, offset: 50, limit: 10 });
        assert_eq!(page(90).plan(), Plan { reverse: true, offset: 0, limit: 10 });
        assert_eq!(page(85).plan(), Plan { reverse: true, offset: 5, limit: 10 });
        assert_eq!(page(95).plan(), Plan { reverse: true, offset: 0, limit: 5 }, "a short last page");
        assert_eq!(page(120).plan().limit, 0, "past the end");
        assert_eq!(
            Page::new(90, 10).plan(),
            Plan { reverse: false, offset: 90, limit: 10 },
            "no total, no guess"
        );
    }

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
