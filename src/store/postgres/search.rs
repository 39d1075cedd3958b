//! Attendee search on PostgreSQL: the folded query (model::fold) LIKE the fold columns, exactly
//! as the SQLite engine matches it. A search of 3+ characters walks the name-ordered postings
//! of its rarest gram (migration 005, `search/grams.rs`) and stops after a page; a shorter one
//! walks the name index with LIKE. The exact count asks the trigram indexes (004).

mod grams;

use postgres::GenericClient;

use super::db::Db;
use super::reads::{self, count as count_rows, page};
use super::rows::{self, ATTENDEE_COLUMNS, Fetched};
use super::sql::{Where, contains_pattern, p};
use crate::model::Attendee;
use crate::model::fold::fold;
use crate::store::AttendeeQuery;

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
const ORDER: &str = grams::ORDER;

/// Postings hold 3-character substrings, so shorter searches cannot use them.
const GRAM: usize = 3;

/// The folded search, when it is long enough for the postings.
fn gram_searchable(q: &AttendeeQuery) -> Option<String> {
    let text = fold(q.search.trim()).trim().to_string();
    (text.chars().count() >= GRAM).then_some(text)
}

fn filter(q: &AttendeeQuery) -> Where {
    let mut w = Where::default();
    w.add("merged_into IS NULL", vec![]);
    let text = fold(q.search.trim());
    if !text.is_empty() {
        let pattern = contains_pattern(&text);
        w.add("(name_fold LIKE ? OR email_canonical LIKE ?)", vec![p(pattern.clone()), p(pattern)]);
    }
    w
}

/// Attendees by name, one page.
pub(super) fn list<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<Vec<Attendee>> {
    if let Some(text) = gram_searchable(q)
        && let Some(ids) = grams::page(db, &text, q.page)?
    {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(reads::attendee(db, id)?);
        }
        return Ok(found);
    }
    let w = filter(q);
    page(
        db,
        &format!("SELECT {ATTENDEE_COLUMNS}{}", w.sql()),
        (ORDER, "attendees"),
        w,
        q.page,
        rows::attendee,
    )
}

/// How many attendees match, exactly.
pub(super) fn count<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<u64> {
    let w = filter(q);
    count_rows(db, &format!("SELECT count(*) FROM attendees{}", w.sql()), &w)
}

/// Counts matches up to `cap + 1` and stops there: in the postings for 3+ characters, in a
/// walk of the name index otherwise.
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery, cap: u64) -> Fetched<u64> {
    if let Some(text) = gram_searchable(q)
        && let Some(n) = grams::count_upto(db, &text, cap)?
    {
        return Ok(n);
    }
    let mut w = filter(q);
    let limit = w.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM attendees{} LIMIT {limit}) matches", w.sql());
    count_rows(db, &sql, &w)
}
