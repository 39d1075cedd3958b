//! Attendee search on PostgreSQL: `nocase(column) LIKE pattern`, which the trigram indexes on
//! nocase(name) and nocase(email) serve for searches of 3+ characters, and which matches
//! exactly what SQLite's LIKE matches. The planner chooses between the trigram indexes and a
//! walk of the name index (for common names, stopping after a page) by its statistics, which
//! is what the SQLite engine does by hand with its budgeted walk.

use postgres::GenericClient;

use super::db::Db;
use super::reads::{count as count_rows, page};
use super::rows::{self, ATTENDEE_COLUMNS, Fetched};
use super::sql::{Where, contains_pattern, p};
use crate::model::Attendee;
use crate::store::AttendeeQuery;

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
const ORDER: &str = "nocase(name) COLLATE \"C\", id";

fn filter(q: &AttendeeQuery) -> Where {
    let mut w = Where::default();
    if !q.search.trim().is_empty() {
        let pattern = contains_pattern(&q.search);
        w.add("(nocase(name) LIKE ? OR nocase(email) LIKE ?)", vec![p(pattern.clone()), p(pattern)]);
    }
    w
}

/// Attendees by name, one page.
pub(super) fn list<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<Vec<Attendee>> {
    let w = filter(q);
    page(db, &format!("SELECT {ATTENDEE_COLUMNS}{}", w.sql()), ORDER, w, q.page, rows::attendee)
}

/// How many attendees match, exactly.
pub(super) fn count<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<u64> {
    let w = filter(q);
    count_rows(db, &format!("SELECT count(*) FROM attendees{}", w.sql()), &w)
}

/// Counts matches up to `cap + 1` and stops there.
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery, cap: u64) -> Fetched<u64> {
    let mut w = filter(q);
    let limit = w.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM attendees{} LIMIT {limit}) matches", w.sql());
    count_rows(db, &sql, &w)
}
