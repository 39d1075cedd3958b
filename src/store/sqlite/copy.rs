//! Rows out of and into an SQLite file for `copy`. Export reads one snapshot (a deferred
//! transaction); import writes in one IMMEDIATE transaction with cached prepared statements and
//! the booking triggers running, so the booked counters are counted again by the schema itself;
//! the attendee search index and the secondary indexes of attendees and history are built once
//! at the end (see `drop_stored`).

use rusqlite::{Connection, Row as SqlRow, Transaction, TransactionBehavior, params};

use super::Sqlite;
use super::sql::booking_search_fold;
use crate::model::Result;
use crate::model::fold::{canonical_email, fold};
use crate::store::copy::{Row, RowCounts, Sink, not_empty};

const OPERATORS: &str = "SELECT id, username, password_hash, role, name, email, organization, address, \
     failed_logins, locked_until, created_at FROM operators ORDER BY id";
const ATTENDEES: &str =
    "SELECT id, name, email, phone, created_at, updated_at, merged_into, version FROM attendees ORDER BY id";
const EVENTS: &str = "SELECT id, title, description, starts_at, ends_at, capacity, creator_id, created_at, \
     updated_at, deleted_at, version FROM events ORDER BY id";
const BOOKINGS: &str =
    "SELECT id, event_id, attendee_id, status, booked_at, cancelled_at FROM bookings ORDER BY id";
const HISTORY: &str =
    "SELECT id, actor, action, object_kind, object_id, details, created_at FROM history ORDER BY id";
const WAITLIST: &str =
    "SELECT id, event_id, attendee_id, status, joined_at, left_at FROM waitlist ORDER BY id";
const CHECKINS: &str = "SELECT id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by \
     FROM checkins ORDER BY id";

fn operator(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::Operator {
        id: r.get(0)?,
        username: r.get(1)?,
        password_hash: r.get(2)?,
        role: r.get(3)?,
        name: r.get(4)?,
        email: r.get(5)?,
        organization: r.get(6)?,
        address: r.get(7)?,
        failed_logins: r.get(8)?,
        locked_until: r.get(9)?,
        created_at: r.get(10)?,
    })
}

fn attendee(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::Attendee {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        merged_into: r.get(6)?,
        version: r.get(7)?,
    })
}

fn event(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::Event {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        starts_at: r.get(3)?,
        ends_at: r.get(4)?,
        capacity: r.get(5)?,
        creator_id: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        deleted_at: r.get(9)?,
        version: r.get(10)?,
    })
}

fn booking(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::Booking {
        id: r.get(0)?,
        event_id: r.get(1)?,
        attendee_id: r.get(2)?,
        status: r.get(3)?,
        booked_at: r.get(4)?,
        cancelled_at: r.get(5)?,
    })
}

fn history(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::History {
        id: r.get(0)?,
        actor: r.get(1)?,
        action: r.get(2)?,
        object_kind: r.get(3)?,
        object_id: r.get(4)?,
        details: r.get(5)?,
        created_at: r.get(6)?,
    })
}

fn waiting(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::Waitlist {
        id: r.get(0)?,
        event_id: r.get(1)?,
        attendee_id: r.get(2)?,
        status: r.get(3)?,
        joined_at: r.get(4)?,
        left_at: r.get(5)?,
    })
}

fn check_in(r: &SqlRow<'_>) -> rusqlite::Result<Row> {
    Ok(Row::CheckIn {
        id: r.get(0)?,
        booking_id: r.get(1)?,
        checked_in_at: r.get(2)?,
        checked_in_by: r.get(3)?,
        undone_at: r.get(4)?,
        undone_by: r.get(5)?,
    })
}

type Reader = fn(&SqlRow<'_>) -> rusqlite::Result<Row>;

/// The tables in the order they are copied: every row after the rows it refers to. Check-ins
/// come after the bookings' final states, so the guard that wants an active booking for a
/// standing check-in sees the booking as it ended up.
const TABLES: [(&str, Reader); 7] = [
    (OPERATORS, operator),
    (ATTENDEES, attendee),
    (EVENTS, event),
    (BOOKINGS, booking),
    (HISTORY, history),
    (WAITLIST, waiting),
    (CHECKINS, check_in),
];

fn insert(tx: &Connection, row: &Row) -> Result<()> {
    match row {
        Row::Operator {
            id,
            username,
            password_hash,
            role,
            name,
            email,
            organization,
            address,
            failed_logins,
            locked_until,
            created_at,
        } => tx.prepare_cached(
            "INSERT INTO operators (id, username, password_hash, role, name, email, organization, address,
               failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            id,
            username,
            password_hash,
            role,
            name,
            email,
            organization,
            address,
            failed_logins,
            locked_until,
            created_at
        ])?,
        Row::Attendee { id, name, email, phone, created_at, updated_at, merged_into, version } => tx
            .prepare_cached(
                "INSERT INTO attendees (id, name, email, phone, created_at, updated_at, name_fold, email_canonical,
                   merged_into, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                id,
                name,
                email,
                phone,
                created_at,
                updated_at,
                fold(name),
                canonical_email(email),
                merged_into,
                version
            ])?,
        Row::Event {
            id,
            title,
            description,
            starts_at,
            ends_at,
            capacity,
            creator_id,
            created_at,
            updated_at,
            deleted_at,
            version,
        } => tx
            .prepare_cached(
                "INSERT INTO events (id, title, description, starts_at, ends_at, capacity, creator_id,
                   created_at, updated_at, deleted_at, title_fold, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                id,
                title,
                description,
                starts_at,
                ends_at,
                capacity,
                creator_id,
                created_at,
                updated_at,
                deleted_at,
                fold(title),
                version
            ])?,
        Row::Booking { id, event_id, attendee_id, status, booked_at, cancelled_at } => tx
            .prepare_cached(&format!(
                "INSERT INTO bookings (id, event_id, attendee_id, status, booked_at, cancelled_at, search_fold)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, {})",
                booking_search_fold("?3", "?2")
            ))?
            .execute(params![id, event_id, attendee_id, status, booked_at, cancelled_at])?,
        Row::History { id, actor, action, object_kind, object_id, details, created_at } => tx
            .prepare_cached(
                "INSERT INTO history (id, actor, action, object_kind, object_id, details, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![id, actor, action, object_kind, object_id, details, created_at])?,
        Row::Waitlist { id, event_id, attendee_id, status, joined_at, left_at } => tx
            .prepare_cached(
                "INSERT INTO waitlist (id, event_id, attendee_id, status, joined_at, left_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![id, event_id, attendee_id, status, joined_at, left_at])?,
        Row::CheckIn { id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by } => tx
            .prepare_cached(
                "INSERT INTO checkins (id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by])?,
    };
    Ok(())
}

pub(super) fn counts(conn: &Connection) -> Result<RowCounts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM operators), (SELECT count(*) FROM attendees),
                (SELECT count(*) FROM events), (SELECT count(*) FROM bookings), (SELECT count(*) FROM history),
                (SELECT count(*) FROM waitlist), (SELECT count(*) FROM checkins)",
        [],
        |r| {
            let n = |i| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
            Ok(RowCounts {
                operators: n(0)?,
                attendees: n(1)?,
                events: n(2)?,
                bookings: n(3)?,
                history: n(4)?,
                waitlist: n(5)?,
                checkins: n(6)?,
            })
        },
    )?)
}

impl Sqlite {
    pub(super) fn export_rows(&self, sink: &mut Sink<'_>) -> Result<()> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        for (sql, read) in TABLES {
            let mut stmt = tx.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                sink(read(row)?)?;
            }
        }
        Ok(())
    }

    pub(super) fn import_rows(&self, fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>) -> Result<RowCounts> {
        // Pragmas outside the transaction; the cache goes back whatever happened.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -COPY_CACHE_KIB)?;
        self.conn.pragma_update(None, "threads", super::bulk::sort_threads())?;
        let copied = self.import_in_one_transaction(fill);
        self.conn.pragma_update(None, "threads", 0)?;
        self.conn.pragma_update(None, "cache_size", cache)?;
        copied
    }

    fn import_in_one_transaction(
        &self,
        fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>,
    ) -> Result<RowCounts> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let present = counts(&tx)?;
        if present.total() > 0 {
            return Err(not_empty(present));
        }
        let dropped = drop_stored(
            &tx,
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (
                 type = 'index' AND tbl_name IN ('attendees', 'history')
              OR type = 'trigger' AND tbl_name = 'attendees' AND name LIKE 'attendees\\_search\\_%' ESCAPE '\\')",
        )?;
        let mut copied = RowCounts::default();
        fill(&mut |row| {
            insert(&tx, &row)?;
            copied.add(&row);
            Ok(())
        })?;
        super::search::index_from(&tx, i64::MIN)?;
        for sql in &dropped {
            tx.execute_batch(sql)?;
        }
        tx.commit()?;
        Ok(copied)
    }
}

/// Page cache while importing (KiB): index inserts land all over the b-trees.
const COPY_CACHE_KIB: i64 = 256 * 1024;

/// Drops the indexes and triggers `query` names (type, name, definition) and returns their
/// definitions, to be run again once the rows are in. A large import is several times faster
/// building the secondary indexes of attendees and history from sorted rows, and filling the
/// attendee search indexes in one statement each, than keeping both row by row (as the generator does,
/// `bulk.rs`). Bookings keep theirs: the waiting list's trigger looks bookings up by attendee
/// and event while the rows go in. Inside the transaction, so a failure puts everything back;
/// a unique index that meets a duplicate fails the copy when it is built again.
fn drop_stored(tx: &Connection, query: &str) -> Result<Vec<String>> {
    let stored: Vec<(String, String, String)> = tx
        .prepare(query)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut definitions = Vec::with_capacity(stored.len());
    for (kind, name, sql) in stored {
        let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
        tx.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
        definitions.push(sql);
    }
    Ok(definitions)
}
