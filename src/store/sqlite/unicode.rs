//! Migration 006's Rust half: back-fills the fold columns (SQL cannot fold all of Unicode) and
//! builds the indexes over them, inside the migrating transaction.

use rusqlite::{Connection, params};

use crate::model::fold::{canonical_email, fold};

/// The schema version whose SQL this hook completes.
pub(super) const VERSION: usize = 6;

/// The searches compare the folded query with the fold columns, so the name walk's index
/// carries them beside the name (as 002 carried the email) and the trigram index holds them.
const INDEXES: &str = "
CREATE INDEX attendees_by_name ON attendees (name COLLATE NOCASE, id, name_fold, email_canonical, merged_into);
CREATE INDEX attendees_by_email_canonical ON attendees (email_canonical);

CREATE VIRTUAL TABLE attendees_search USING fts5 (
    name_fold, email_canonical,
    content = 'attendees', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0'
);

INSERT INTO attendees_search (attendees_search) VALUES ('rebuild');

CREATE TRIGGER attendees_search_insert AFTER INSERT ON attendees
BEGIN
    INSERT INTO attendees_search (rowid, name_fold, email_canonical)
        VALUES (NEW.id, NEW.name_fold, NEW.email_canonical);
END;

CREATE TRIGGER attendees_search_update AFTER UPDATE OF id, name_fold, email_canonical ON attendees
BEGIN
    INSERT INTO attendees_search (attendees_search, rowid, name_fold, email_canonical)
        VALUES ('delete', OLD.id, OLD.name_fold, OLD.email_canonical);
    INSERT INTO attendees_search (rowid, name_fold, email_canonical)
        VALUES (NEW.id, NEW.name_fold, NEW.email_canonical);
END;

CREATE TRIGGER attendees_search_delete AFTER DELETE ON attendees
BEGIN
    INSERT INTO attendees_search (attendees_search, rowid, name_fold, email_canonical)
        VALUES ('delete', OLD.id, OLD.name_fold, OLD.email_canonical);
END;
";

/// One unique canonical email per live (unmerged) attendee. Created only when the back-filled
/// rows already hold no two such attendees with one canonical email: a database from before
/// version 6 may (`Élodie@` and `élodie@` were two attendees), and refusing to open it would
/// leave the desk no way to merge them. Without the index the store's rule still refuses every
/// new duplicate, and `eventdesk check` reports the old ones until they are merged.
const UNIQUE: &str = "CREATE UNIQUE INDEX attendees_email_canonical_unique
    ON attendees (email_canonical) WHERE merged_into IS NULL";

pub(super) fn after_sql(conn: &Connection) -> rusqlite::Result<()> {
    backfill(conn)?;
    conn.execute_batch(INDEXES)?;
    let duplicates: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM attendees WHERE merged_into IS NULL
           GROUP BY email_canonical HAVING count(*) > 1)",
        [],
        |r| r.get(0),
    )?;
    if duplicates == 0 {
        conn.execute_batch(UNIQUE)?;
    }
    Ok(())
}

fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    let attendees: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, name, email FROM attendees")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut set = conn.prepare("UPDATE attendees SET name_fold = ?, email_canonical = ? WHERE id = ?")?;
    for (id, name, email) in attendees {
        set.execute(params![fold(&name), canonical_email(&email), id])?;
    }
    let events: Vec<(i64, String)> = conn
        .prepare("SELECT id, title FROM events")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut set = conn.prepare("UPDATE events SET title_fold = ? WHERE id = ?")?;
    for (id, title) in events {
        set.execute(params![fold(&title), id])?;
    }
    Ok(())
}
