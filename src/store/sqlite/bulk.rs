//! The SQLite generator: one connection, one big IMMEDIATE transaction, prepared statements,
//! secondary indexes rebuilt at the end. New rows are appended after whatever the file holds.

use std::ops::Range;
use std::time::Instant;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use serde_json::json;

use super::Sqlite;
use super::rows::time;
use super::sql::booking_search_fold;
use super::tx::SqliteTx;
use crate::model::fold::{canonical_email, fold};
use crate::model::history_details::{self as details, Named};
use crate::model::{Error, HistoryAction, NewEvent, ObjectKind, Result};
use crate::store::bulk::{
    BULK_PASSWORD, BulkSpec, BulkSummary, DAY, TOPIC, attendee_name, event_title, organizer_name,
};
use crate::store::engine::{Record, Tx};

/// Worker threads SQLite may sort with while the postings and indexes are built in one go
/// (`PRAGMA threads`; 0, SQLite's default, everywhere else). The sorted postings insert of a
/// million attendees (25.8 M rows) took 114 s on one thread and 82 s with two helpers on 2 cores.
pub(super) fn sort_threads() -> i64 {
    std::thread::available_parallelism().map_or(0, |n| i64::try_from(n.get()).unwrap_or(0).min(8))
}

/// Rows per prepared-statement slice.
const CHUNK: u64 = 100_000;
/// Page cache while generating (KiB). Index inserts land all over the b-trees; with SQLite's
/// 2 MB default most of them would go back to the OS page cache.
const BULK_CACHE_KIB: i64 = 256 * 1024;

/// The first free id of each table, and the clock the rows are stamped with.
struct Base {
    operator: i64,
    event: i64,
    attendee: i64,
    booking: i64,
    now: i64,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Sqlite {
    pub(super) fn generate_rows(&self, spec: &BulkSpec, now: DateTime<Utc>) -> Result<BulkSummary> {
        let started = Instant::now();
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.bulk_mode(-BULK_CACHE_KIB, "OFF", 0, sort_threads())?;
        let filled = self.fill(spec, now);
        // Back to normal whatever happened, then fold the WAL into the file (synced) so the
        // first reader after a bulk load doesn't walk a large log.
        self.bulk_mode(cache, "FULL", 1000, 0)?;
        let base = filled?;
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(spec.summary([base.operator, base.event, base.attendee, base.booking], started))
    }

    /// While generating, nothing is confirmed to anyone, so commits need not wait for the
    /// disk and the WAL is checkpointed once at the end instead of every 1000 pages.
    fn bulk_mode(&self, cache_size: i64, synchronous: &str, autocheckpoint: i64, threads: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", cache_size)?;
        self.conn.pragma_update(None, "threads", threads)?;
        self.conn.pragma_update(None, "synchronous", synchronous)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", autocheckpoint)?;
        Ok(())
    }

    fn fill(&self, spec: &BulkSpec, now: DateTime<Utc>) -> Result<Base> {
        // One transaction: a failed run leaves the file as it was, indexes included, and the
        // first free ids cannot change under us.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let next = |table: &str| -> Result<i64> {
            Ok(tx.query_row(&format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"), [], |r| r.get(0))?)
        };
        let base = Base {
            operator: next("operators")?,
            event: next("events")?,
            attendee: next("attendees")?,
            booking: next("bookings")?,
            now: now.timestamp(),
        };
        without_indexes(&tx, || {
            insert_organizers(&tx, &base, spec.organizers)?;
            insert_events(&tx, &base, spec)?;
            without_search_sync(&tx, base.attendee, || insert_attendees(&tx, &base, spec))?;
            insert_bookings(&tx, &base, spec)
        })?;
        tx.commit()?;
        Ok(base)
    }
}

/// Runs `fill` over `0..total` in slices, so each slice prepares its statements once.
fn in_chunks(
    conn: &Connection,
    total: u64,
    mut fill: impl FnMut(&Connection, Range<u64>) -> Result<()>,
) -> Result<()> {
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        fill(conn, start..end)?;
        start = end;
    }
    Ok(())
}

/// Drops the secondary indexes of the tables about to grow, runs `fill`, then rebuilds them
/// from their stored definitions: SQLite builds an index from sorted rows several times
/// faster than it inserts a million keys one by one at random places. The unique ones are
/// rebuilt too, so a duplicate would still fail the whole (single) transaction.
fn without_indexes<T>(tx: &Connection, fill: impl FnOnce() -> Result<T>) -> Result<T> {
    let defs: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ('attendees', 'bookings', 'history')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &defs {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    let value = fill()?;
    for (_, sql) in &defs {
        tx.execute_batch(sql)?;
    }
    Ok(value)
}

/// Drops the triggers that keep the attendee search indexes in step (index inserts per
/// attendee), runs `fill`, then indexes the attendees from `first_new` on, one statement per index, and
/// puts the triggers back from their stored definitions, all inside the caller's transaction.
/// SQLite cannot switch a trigger off; dropping it in the transaction is the way, and a failed
/// run rolls the drop back too.
fn without_search_sync<T>(tx: &Connection, first_new: i64, fill: impl FnOnce() -> Result<T>) -> Result<T> {
    let triggers: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attendees'
               AND name LIKE 'attendees\\_search\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
    }
    let value = fill()?;
    super::search::index_from(tx, first_new)?;
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    Ok(value)
}

/// A history row through the rules' own writer (`Tx::record`), with the details shapes of
/// `model::history_details`, so generated rows read exactly like the desk's.
fn history(
    conn: &Connection,
    at: i64,
    actor: &str,
    (action, kind): (HistoryAction, ObjectKind),
    id: i64,
    details: serde_json::Value,
) -> Result<()> {
    SqliteTx { conn }.record(time(at), &Record { actor, action, kind, id: Some(id), details })
}

fn insert_organizers(conn: &Connection, base: &Base, n: u64) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    // One hash for all: Argon2 is deliberately slow, and these accounts share a password.
    let hash = Argon2::default()
        .hash_password(BULK_PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| Error::Storage(format!("cannot hash the password: {e}")))?
        .to_string();
    in_chunks(conn, n, |tx, range| {
        let mut op = tx.prepare_cached(
            "INSERT INTO operators (id, username, password_hash, role, name, organization, address, created_at)
             VALUES (?, ?, ?, 'organizer', ?, ?, 'Calle Mayor 1', ?)",
        )?;
        for k in range {
            let id = base.operator + int(k);
            let (user, org) = (organizer_name(id), format!("{} Society {id}", TOPIC[k as usize % 8]));
            let created = base.now - 400 * DAY;
            op.execute(params![id, user, hash, user, org, created])?;
            let details = json!({ "role": "organizer", "name": user, "organization": org });
            history(tx, created, &user, (HistoryAction::Register, ObjectKind::Operator), id, details)?;
        }
        Ok(())
    })
}

/// Events run from 90 days ago to 270 days ahead, evenly spaced, two hours each; about a
/// third are exactly full, the rest have a few seats left.
fn insert_events(conn: &Connection, base: &Base, spec: &BulkSpec) -> Result<()> {
    let counts = spec.per_event();
    let spacing = (360 * DAY / int(spec.events.max(1))).max(1);
    in_chunks(conn, spec.events, |tx, range| {
        let mut ev = tx.prepare_cached(
            "INSERT INTO events (id, title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        for i in range {
            let id = base.event + int(i);
            let title = event_title(i, id);
            let start = base.now - 90 * DAY + int(i) * spacing;
            let booked = i64::from(counts.get(i as usize).copied().unwrap_or(0));
            let capacity = (booked + if i % 3 == 0 { 0 } else { 1 + int(i % 17) }).max(1);
            let creator = base.operator + int(i % spec.organizers);
            let created = (start - 30 * DAY).min(base.now);
            ev.execute(params![
                id,
                &title,
                start,
                start + 2 * 3600,
                capacity,
                creator,
                created,
                created,
                fold(&title)
            ])?;
            let new = NewEvent {
                title,
                description: String::new(),
                starts_at: time(start),
                ends_at: time(start + 2 * 3600),
                capacity,
            };
            let what = (HistoryAction::Create, ObjectKind::Event);
            history(tx, created, &organizer_name(creator), what, id, details::event(&new))?;
        }
        Ok(())
    })
}

fn insert_attendees(conn: &Connection, base: &Base, spec: &BulkSpec) -> Result<()> {
    let actor = organizer_name(base.operator);
    let created = base.now - 200 * DAY;
    in_chunks(conn, spec.attendees, |tx, range| {
        let mut at = tx.prepare_cached(
            "INSERT INTO attendees (id, name, email, created_at, updated_at, name_fold, email_canonical)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?;
        for k in range {
            let id = base.attendee + int(k);
            let name = attendee_name(k);
            let email = format!("bulk-{id}@example.org");
            at.execute(params![id, name, email, created, created, fold(&name), canonical_email(&email)])?;
            let details = details::attendee_created(&name, &email, None);
            history(tx, created, &actor, (HistoryAction::Create, ObjectKind::Attendee), id, details)?;
        }
        Ok(())
    })
}

/// Bookings go in attendee order, so the attendee indexes grow at their right edge; the
/// guard and counter triggers run for every row.
fn insert_bookings(conn: &Connection, base: &Base, spec: &BulkSpec) -> Result<()> {
    let actor = organizer_name(base.operator);
    let spacing = (360 * DAY / int(spec.events.max(1))).max(1);
    in_chunks(conn, spec.bookings, |tx, range| {
        let mut bk = tx.prepare_cached(&format!(
            "INSERT INTO bookings (id, event_id, attendee_id, booked_at, search_fold) VALUES (?1, ?2, ?3, ?4, {})",
            booking_search_fold("?3", "?2")
        ))?;
        for j in range {
            let (e, a) = spec.pair(j);
            let (id, event_id, attendee_id) =
                (base.booking + int(j), base.event + int(e), base.attendee + int(a));
            // Booked some time after the event was published and before it starts.
            let start = base.now - 90 * DAY + int(e) * spacing;
            let at = ((start - 30 * DAY).min(base.now) + int(j % 1000) * 60).min(base.now).min(start - 60);
            bk.execute(params![id, event_id, attendee_id, at])?;
            let details = details::booking(
                Named::new(event_id, &event_title(e, event_id)),
                Named::new(attendee_id, &attendee_name(a)),
            );
            history(tx, at, &actor, (HistoryAction::Book, ObjectKind::Booking), id, details)?;
        }
        Ok(())
    })
}
