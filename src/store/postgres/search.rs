//! Attendee search on PostgreSQL: the folded query (model::fold) LIKE the fold columns, exactly
//! as the SQLite engine matches it. A search walks the name-ordered postings (migrations 005 and
//! 007, `search/grams.rs`) of its own text (one to three characters) or of its rarest
//! 3-character gram, and stops after a page. The exact count asks the trigram indexes (004), or
//! counts a short search's postings.

mod grams;

use postgres::GenericClient;

use super::db::Db;
use super::reads::{count as count_rows, page};
use super::rows::{self, ATTENDEE_COLUMNS, Fetched};
use super::sql::{Where, contains_pattern, p};
use crate::model::Attendee;
use crate::model::fold::fold;
use crate::store::{AttendeeQuery, searches_emails};

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
const ORDER: &str = grams::ORDER;

/// The folded search as the postings are searched.
fn folded(q: &AttendeeQuery) -> String {
    fold(q.search.trim()).trim().to_string()
}

/// Name or email LIKE the folded search; one or two characters, the name alone
/// (`searches_emails`). Merged attendees are never listed.
fn filter(q: &AttendeeQuery) -> Where {
    let mut w = Where::default();
    w.add("merged_into IS NULL", vec![]);
    let text = fold(q.search.trim());
    if text.is_empty() {
        return w;
    }
    let pattern = contains_pattern(&text);
    if searches_emails(&text) {
        w.add("(name_fold LIKE ? OR email_canonical LIKE ?)", vec![p(pattern.clone()), p(pattern)]);
    } else {
        w.add("name_fold LIKE ?", vec![p(pattern)]);
    }
    w
}

/// Attendees by name, one page.
pub(super) fn list<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<Vec<Attendee>> {
    if let Some(found) = grams::page(db, &folded(q), q.page)? {
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
    let text = folded(q);
    if !text.is_empty() && !searches_emails(&text) {
        return grams::count_gram(db, &text);
    }
    let w = filter(q);
    count_rows(db, &format!("SELECT count(*) FROM attendees{}", w.sql()), &w)
}

/// Counts matches up to `cap + 1` and stops there, in the postings.
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery, cap: u64) -> Fetched<u64> {
    if let Some(n) = grams::count_upto(db, &folded(q), cap)? {
        return Ok(n);
    }
    let mut w = filter(q);
    let limit = w.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM attendees{} LIMIT {limit}) matches", w.sql());
    count_rows(db, &sql, &w)
}
