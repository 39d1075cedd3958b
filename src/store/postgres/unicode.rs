//! Migration 004's Rust half: back-fills the fold columns (SQL cannot fold all of Unicode) and
//! builds the indexes over them, inside the migrating transaction.

use postgres::Transaction;

use crate::model::fold::{canonical_email, fold};

/// The schema version whose SQL this hook completes.
pub(super) const VERSION: usize = 4;

/// The searches compare the folded query with the fold columns; the trigram indexes serve them.
const INDEXES: &str = "
CREATE INDEX attendees_search_name ON attendees USING gin (name_fold gin_trgm_ops);
CREATE INDEX attendees_search_email ON attendees USING gin (email_canonical gin_trgm_ops);
CREATE INDEX attendees_by_email_canonical ON attendees (email_canonical);
";

/// One unique canonical email per live (unmerged) attendee, created only when the back-filled
/// rows hold no duplicate: see store/sqlite/unicode.rs for why a database with duplicates
/// still opens (the store's rule refuses new ones; `eventdesk check` reports the old ones).
const UNIQUE: &str = "CREATE UNIQUE INDEX attendees_email_canonical_unique
    ON attendees (email_canonical) WHERE merged_into IS NULL";

/// Rows per UPDATE of the back-fill: one round trip each, not one per row.
const SLICE: usize = 5_000;

pub(super) fn after_sql(tx: &mut Transaction<'_>) -> Result<(), postgres::Error> {
    let attendees = tx.query("SELECT id, name, email FROM attendees", &[])?;
    for slice in attendees.chunks(SLICE) {
        let ids: Vec<i64> = slice.iter().map(|r| r.get(0)).collect();
        let names: Vec<String> = slice.iter().map(|r| fold(r.get(1))).collect();
        let emails: Vec<String> = slice.iter().map(|r| canonical_email(r.get(2))).collect();
        tx.execute(
            "UPDATE attendees a SET name_fold = f.n, email_canonical = f.e
               FROM unnest($1::bigint[], $2::text[], $3::text[]) AS f(id, n, e) WHERE a.id = f.id",
            &[&ids, &names, &emails],
        )?;
    }
    let events = tx.query("SELECT id, title FROM events", &[])?;
    for slice in events.chunks(SLICE) {
        let ids: Vec<i64> = slice.iter().map(|r| r.get(0)).collect();
        let titles: Vec<String> = slice.iter().map(|r| fold(r.get(1))).collect();
        tx.execute(
            "UPDATE events e SET title_fold = f.t FROM unnest($1::bigint[], $2::text[]) AS f(id, t)
              WHERE e.id = f.id",
            &[&ids, &titles],
        )?;
    }
    tx.batch_execute(INDEXES)?;
    let duplicates: i64 = tx
        .query_one(
            "SELECT count(*) FROM (SELECT 1 FROM attendees WHERE merged_into IS NULL
               GROUP BY email_canonical HAVING count(*) > 1) d",
            &[],
        )?
        .get(0);
    if duplicates == 0 {
        tx.batch_execute(UNIQUE)?;
    }
    Ok(())
}
