//! Attendee search on PostgreSQL: the folded query (model::fold) LIKE the fold columns, exactly
//! as the SQLite engine matches it, in two steps as the SQLite engine does it:
//! 1. a walk of the first `WALK` (2 000) entries of the name index, in order, stopping after a page of
//!    matches: a common name that sorts early fills its page there in a few milliseconds;
//! 2. if the walk did not fill the page, the trigram indexes on name_fold and email_canonical
//!    find every candidate (a rare name: a handful; one that sorts late: tens of thousands),
//!    and those are sorted. The candidates are a MATERIALIZED CTE so the planner cannot turn
//!    step 2 back into a walk of the whole name index: left to itself it did exactly that for
//!    a name whose matches sort last, and one key took 24 s at a million attendees.

use postgres::GenericClient;

use super::db::Db;
use super::reads::{count as count_rows, page};
use super::rows::{self, ATTENDEE_COLUMNS, Fetched};
use super::sql::{Where, contains_pattern, p};
use crate::model::Attendee;
use crate::model::fold::fold;
use crate::store::AttendeeQuery;

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
const ORDER: &str = "nocase(name) COLLATE \"C\", id";

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

/// Name-index entries a search reads in order before it asks the trigram indexes instead.
/// Fewer than SQLite's budget: each entry costs a heap fetch (the rows are not stored in name
/// order) and a `nocase()` call per column, ~5 µs here, so 2 000 entries are ~10 ms — enough
/// for a page of a name one attendee in 16 has.
const WALK: i64 = 2_000;

/// The attendees the walk reads, in name order.
fn walked() -> String {
    format!("(SELECT * FROM attendees ORDER BY {ORDER} LIMIT {WALK}) attendees")
}

/// Attendees by name, one page.
pub(super) fn list<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<Vec<Attendee>> {
    let w = filter(q);
    if q.search.trim().is_empty() {
        return page(
            db,
            &format!("SELECT {ATTENDEE_COLUMNS}{}", w.sql()),
            (ORDER, "attendees"),
            w,
            q.page,
            rows::attendee,
        );
    }
    let plan = q.page.plan();
    if !plan.reverse {
        let columns = ATTENDEE_COLUMNS.trim_end_matches(" FROM attendees");
        let select = format!("SELECT {columns} FROM {}{}", walked(), w.sql());
        let rows = page(db, &select, (ORDER, "attendees"), filter(q), q.page, rows::attendee)?;
        if u64::try_from(rows.len()).unwrap_or(0) >= plan.limit {
            return Ok(rows);
        }
    }
    let select = format!(
        "WITH candidates AS MATERIALIZED (SELECT {ATTENDEE_COLUMNS}{}) SELECT * FROM candidates",
        w.sql()
    );
    page(db, &select, (ORDER, "attendees"), w, q.page, rows::attendee)
}

/// How many attendees match, exactly.
pub(super) fn count<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery) -> Fetched<u64> {
    let w = filter(q);
    count_rows(db, &format!("SELECT count(*) FROM attendees{}", w.sql()), &w)
}

/// Counts matches up to `cap + 1` and stops there: in the walk first, then among the
/// trigram candidates (see the module comment).
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, q: &AttendeeQuery, cap: u64) -> Fetched<u64> {
    let enough = cap.saturating_add(1);
    let capped = |w: &mut Where, from: &str| {
        let limit = w.push(p(i64::try_from(enough).unwrap_or(i64::MAX)));
        format!("SELECT count(*) FROM (SELECT 1 FROM {from}{} LIMIT {limit}) matches", w.sql())
    };
    let mut w = filter(q);
    if q.search.trim().is_empty() {
        let sql = capped(&mut w, "attendees");
        return count_rows(db, &sql, &w);
    }
    let sql = capped(&mut w, &walked());
    let walked = count_rows(db, &sql, &w)?;
    if walked >= enough {
        return Ok(walked);
    }
    let mut w = filter(q);
    let limit = w.push(p(i64::try_from(enough).unwrap_or(i64::MAX)));
    let sql = format!(
        "WITH candidates AS MATERIALIZED (SELECT 1 FROM attendees{}) SELECT count(*) FROM (SELECT 1 FROM candidates LIMIT {limit}) matches",
        w.sql()
    );
    count_rows(db, &sql, &w)
}
