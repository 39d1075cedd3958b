//! The rules' row operations as SQLite statements, inside one `BEGIN IMMEDIATE` transaction.
//! The write lock is already held, so `Lock::ForUpdate` needs nothing more.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::reads;
use super::rows::{OPERATOR_COLUMNS, WAITER_RETURNING, operator, time, waiter};
use super::sql::booking_search_fold;
use crate::model::fold::{canonical_email, fold};
use crate::model::{
    Attendee, BookingRow, BookingStatus, Event, NewEvent, Operator, Result, Role, ValidAttendee,
    ValidOperator, WaitlistEntry,
};
use crate::store::engine::{BookingChange, CheckInSlot, Lock, Record, Tx, Waiter};

/// A booking with its search text (migration 010) written in the same statement, from the
/// rows the rules have just read, rather than by the trigger's second write of the row.
static INSERT_BOOKING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at, search_fold) VALUES (?1, ?2, ?3, {})",
        booking_search_fold("?2", "?1")
    )
});

/// A write transaction begun and ended by prepared statements: rusqlite's `Transaction` parses
/// its BEGIN and its COMMIT anew every time, a few µs of every contended booking. Rolled back
/// when dropped uncommitted (a refusal, an error, a panic).
pub(super) struct Immediate<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Immediate<'c> {
    pub fn begin(conn: &'c Connection) -> rusqlite::Result<Immediate<'c>> {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        Ok(Immediate { conn, open: true })
    }

    pub fn commit(mut self) -> rusqlite::Result<()> {
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Immediate<'_> {
    fn drop(&mut self) {
        // A failed COMMIT may have ended the transaction already (SQLite rolls back on some
        // errors); then there is nothing left to undo.
        if self.open && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

pub(super) struct SqliteTx<'a> {
    pub conn: &'a Connection,
}

impl SqliteTx<'_> {
    fn run(&self, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(())
    }

    fn insert(&self, sql: &str, params: impl rusqlite::Params) -> Result<i64> {
        self.run(sql, params)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// An `UPDATE waitlist ... RETURNING` of waiters, put in queue order (RETURNING has none).
    fn waiters(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Waiter>> {
        let sql = format!("{sql} {WAITER_RETURNING}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query_map(params, waiter)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.sort_by_key(|(joined_at, w)| (*joined_at, w.entry_id));
        Ok(rows.into_iter().map(|(_, w)| w).collect())
    }
}

impl Tx for SqliteTx<'_> {
    fn role(&mut self, operator_id: i64, username: &str) -> Result<Option<Role>> {
        let role: Option<String> = self
            .conn
            .prepare_cached("SELECT role FROM operators WHERE id = ? AND username = ?")?
            .query_row(params![operator_id, username], |r| r.get(0))
            .optional()?;
        Ok(role.as_deref().and_then(Role::parse))
    }

    fn operator(&mut self, id: i64) -> Result<Option<Operator>> {
        let sql = format!("SELECT {OPERATOR_COLUMNS} WHERE id = ?");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id], operator).optional()?)
    }

    fn username_taken(&mut self, username: &str) -> Result<bool> {
        let sql = "SELECT 1 FROM operators WHERE username = ?";
        Ok(self.conn.prepare_cached(sql)?.query_row([username], |_| Ok(())).optional()?.is_some())
    }

    fn insert_operator(&mut self, v: &ValidOperator, password_hash: &str, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO operators (username, password_hash, role, name, email, organization, address, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                v.username,
                password_hash,
                v.role.as_str(),
                v.name,
                v.email,
                v.organization,
                v.address,
                at.timestamp()
            ],
        )
    }

    fn count_failed_sign_in(&mut self, id: i64, after: i64, lock_until: DateTime<Utc>) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE operators SET failed_logins = failed_logins + 1,
               locked_until = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 ELSE NULL END
             WHERE id = ?3 RETURNING failed_logins",
            )?
            .query_row(params![after, lock_until.timestamp(), id], |r| r.get(0))?)
    }

    fn clear_failed_sign_ins(&mut self, id: i64) -> Result<()> {
        self.run("UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?", [id])
    }

    fn event(&mut self, id: i64, _lock: Lock) -> Result<Option<Event>> {
        reads::event(self.conn, id)
    }

    fn insert_event(&mut self, v: &NewEvent, creator_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO events (title, description, starts_at, ends_at, capacity, creator_id, created_at, updated_at,
               title_fold)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                v.title,
                v.description,
                v.starts_at.timestamp(),
                v.ends_at.timestamp(),
                v.capacity,
                creator_id,
                at.timestamp(),
                at.timestamp(),
                fold(&v.title)
            ],
        )
    }

    fn update_event(&mut self, id: i64, v: &NewEvent, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE events SET title = ?, description = ?, starts_at = ?, ends_at = ?, capacity = ?, updated_at = ?,
               title_fold = ?, version = version + 1 WHERE id = ?",
            params![
                v.title,
                v.description,
                v.starts_at.timestamp(),
                v.ends_at.timestamp(),
                v.capacity,
                at.timestamp(),
                fold(&v.title),
                id
            ],
        )
    }

    fn delete_event(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE events SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2",
            params![at.timestamp(), id],
        )
    }

    fn attendee(&mut self, id: i64) -> Result<Option<Attendee>> {
        reads::attendee(self.conn, id)
    }

    fn email_taken(&mut self, email: &str, except: i64) -> Result<bool> {
        // A row merged into `except` is `except`'s own person: its address is theirs to use.
        let sql = "SELECT 1 FROM attendees WHERE email_canonical = ?1 AND id <> ?2
                     AND (merged_into IS NULL OR merged_into <> ?2)";
        let canonical = canonical_email(email);
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params![canonical, except], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn insert_attendee(&mut self, v: &ValidAttendee, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO attendees (name, email, phone, created_at, updated_at, name_fold, email_canonical)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                v.name,
                v.email,
                v.phone,
                at.timestamp(),
                at.timestamp(),
                fold(&v.name),
                canonical_email(&v.email)
            ],
        )
    }

    fn update_attendee(&mut self, id: i64, v: &ValidAttendee, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE attendees SET name = ?, email = ?, phone = ?, updated_at = ?, name_fold = ?, email_canonical = ?,
               version = version + 1 WHERE id = ?",
            params![v.name, v.email, v.phone, at.timestamp(), fold(&v.name), canonical_email(&v.email), id],
        )
    }

    fn merged_into(&mut self, id: i64) -> Result<Option<i64>> {
        let sql = "SELECT merged_into FROM attendees WHERE id = ?";
        Ok(self.conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?.flatten())
    }

    fn holdings(&mut self, attendee_id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
        let events = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let ids = stmt.query_map([attendee_id], |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        };
        Ok((
            events("SELECT event_id FROM bookings WHERE attendee_id = ? AND status = 'active'")?,
            events("SELECT event_id FROM waitlist WHERE attendee_id = ? AND status = 'waiting'")?,
        ))
    }

    fn merge_attendee(&mut self, keep: i64, other: i64, at: DateTime<Utc>) -> Result<(u64, u64)> {
        // Marked first: the waiting list's guard lets an entry change hands only to the
        // attendee its own was merged into.
        self.run(
            "UPDATE attendees SET merged_into = ?1, updated_at = ?2 WHERE id = ?3",
            params![keep, at.timestamp(), other],
        )?;
        let moved = |sql: &str| -> Result<u64> {
            let n = self.conn.prepare_cached(sql)?.execute([keep, other])?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok((
            moved("UPDATE bookings SET attendee_id = ?1 WHERE attendee_id = ?2")?,
            moved("UPDATE waitlist SET attendee_id = ?1 WHERE attendee_id = ?2")?,
        ))
    }

    fn booking(&mut self, id: i64) -> Result<Option<BookingRow>> {
        reads::booking(self.conn, id)
    }

    fn pair_booking(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<(i64, BookingStatus)>> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, status = 'active' FROM bookings WHERE attendee_id = ? AND event_id = ?
                 ORDER BY CASE status WHEN 'active' THEN 1 END DESC, id DESC LIMIT 1",
            )?
            .query_row([attendee_id, event_id], |r| Ok((r.get(0)?, r.get::<_, bool>(1)?)))
            .optional()?;
        Ok(found
            .map(|(id, active)| (id, if active { BookingStatus::Active } else { BookingStatus::Cancelled })))
    }

    fn insert_booking(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(&INSERT_BOOKING, params![event_id, attendee_id, at.timestamp()])
    }

    fn set_booking(&mut self, id: i64, change: BookingChange) -> Result<()> {
        match change {
            BookingChange::Reactivate { at } => self.run(
                "UPDATE bookings SET status = 'active', booked_at = ?, cancelled_at = NULL WHERE id = ?",
                params![at.timestamp(), id],
            ),
            BookingChange::Cancel { at } => self.run(
                "UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ?",
                params![at.timestamp(), id],
            ),
            BookingChange::Move { to_event, at } => self.run(
                "UPDATE bookings SET event_id = ?, booked_at = ? WHERE id = ?",
                params![to_event, at.timestamp(), id],
            ),
        }
    }

    fn cancel_event_bookings(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE event_id = ? AND status = 'active'
             RETURNING id, attendee_id",
        )?;
        let rows = stmt.query_map(params![at.timestamp(), event_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn record(&mut self, at: DateTime<Utc>, r: &Record<'_>) -> Result<()> {
        self.run(
            "INSERT INTO history (actor, action, object_kind, object_id, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            params![r.actor, r.action.as_str(), r.kind.as_str(), r.id, r.details.to_string(), at.timestamp()],
        )
    }

    fn waiting_entry(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<i64>> {
        let sql = "SELECT id FROM waitlist WHERE attendee_id = ? AND event_id = ? AND status = 'waiting'";
        Ok(self.conn.prepare_cached(sql)?.query_row([attendee_id, event_id], |r| r.get(0)).optional()?)
    }

    fn insert_waiting(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (?, ?, ?)",
            params![event_id, attendee_id, at.timestamp()],
        )
    }

    fn waitlist_entry(&mut self, id: i64) -> Result<Option<WaitlistEntry>> {
        reads::waitlist_entry(self.conn, id)
    }

    fn remove_waiting(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE waitlist SET status = 'removed', left_at = ? WHERE id = ? AND status = 'waiting'",
            params![at.timestamp(), id],
        )
    }

    fn take_waiting(&mut self, event_id: i64, n: u32, at: DateTime<Utc>) -> Result<Vec<Waiter>> {
        self.waiters(
            "UPDATE waitlist SET status = 'promoted', left_at = ?1
              WHERE id IN (SELECT id FROM waitlist WHERE event_id = ?2 AND status = 'waiting'
                            ORDER BY joined_at, id LIMIT ?3)",
            params![at.timestamp(), event_id, n],
        )
    }

    fn remove_event_waiting(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<Waiter>> {
        self.waiters(
            "UPDATE waitlist SET status = 'removed', left_at = ?1 WHERE event_id = ?2 AND status = 'waiting'",
            params![at.timestamp(), event_id],
        )
    }

    fn insert_check_in(&mut self, booking_id: i64, by: &str, at: DateTime<Utc>) -> Result<CheckInSlot> {
        let stood: Option<i64> = self
            .conn
            .prepare_cached(
                "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES (?, ?, ?)
                 ON CONFLICT (booking_id) WHERE undone_at IS NULL DO NOTHING RETURNING id",
            )?
            .query_row(params![booking_id, at.timestamp(), by], |r| r.get(0))
            .optional()?;
        if let Some(id) = stood {
            return Ok(CheckInSlot::Stood(id));
        }
        let sql =
            "SELECT checked_in_at, checked_in_by FROM checkins WHERE booking_id = ? AND undone_at IS NULL";
        let (at, by) =
            self.conn.prepare_cached(sql)?.query_row([booking_id], |r| Ok((time(r.get(0)?), r.get(1)?)))?;
        Ok(CheckInSlot::Taken { at, by })
    }

    fn undo_check_in(
        &mut self,
        booking_id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, DateTime<Utc>)>> {
        let undone = self
            .conn
            .prepare_cached(
                "UPDATE checkins SET undone_at = ?, undone_by = ? WHERE booking_id = ? AND undone_at IS NULL
                 RETURNING id, checked_in_at",
            )?
            .query_row(params![at.timestamp(), by, booking_id], |r| Ok((r.get(0)?, time(r.get(1)?))))
            .optional()?;
        Ok(undone)
    }

    fn checked_in_count(&mut self, event_id: i64) -> Result<u32> {
        reads::checked_in(self.conn, event_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_transaction_dropped_uncommitted_leaves_nothing_behind() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        {
            let _tx = Immediate::begin(&conn).unwrap();
            conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
            assert!(!conn.is_autocommit());
        }
        assert!(conn.is_autocommit(), "rolled back, not left open");
        assert_eq!(rows(&conn), 0);

        let tx = Immediate::begin(&conn).unwrap();
        conn.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
        assert!(conn.is_autocommit());
        assert_eq!(rows(&conn), 1, "a committed transaction stays");
    }

    #[test]
    fn a_second_writer_cannot_begin_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let first = Connection::open(&path).unwrap();
        first.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)").unwrap();
        let second = Connection::open(&path).unwrap();
        second.busy_timeout(std::time::Duration::ZERO).unwrap();
        let held = Immediate::begin(&first).unwrap();
        let refused = Immediate::begin(&second).map(|_| ()).unwrap_err();
        assert_eq!(refused.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy));
        drop(held);
        Immediate::begin(&second).unwrap().commit().unwrap();
    }
}
