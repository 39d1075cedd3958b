//! The rules' row operations as PostgreSQL statements, inside one READ COMMITTED transaction.
//!
//! Race-proofing: every rule that takes, frees or counts seats first reads the event with
//! `SELECT ... FOR UPDATE` (`Lock::ForUpdate`). Under READ COMMITTED a second booker of the
//! same event waits on that row lock, and once the first commits its SELECT returns the row as
//! committed, so its seat count and its look for the pair's booking (a later statement, a
//! fresh snapshot) both see the first booking. Bookings read inside a write are locked too, so
//! two desks cancelling the same booking cannot both find it active. Unrelated events never
//! wait for each other, and the schema's guard still refuses whatever slips past a rule.

use std::cell::Cell;

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::db::Db;
use super::error::{self, Transient};
use super::reads;
use super::rows::{self, EVENT_COLUMNS, Fetched, OPERATOR_COLUMNS, WAITER_COLUMNS};
use crate::model::fold::{canonical_email, fold};
use crate::model::{
    Attendee, BookingRow, BookingStatus, Error, Event, NewEvent, Operator, Result, Role, ValidAttendee,
    ValidOperator, WaitlistEntry,
};
use crate::store::engine::{BookingChange, CheckInSlot, Lock, Record, Tx, Waiter};

pub(super) struct PgTx<'a, 't> {
    pub db: Db<'a, Transaction<'t>>,
    /// host:port for messages.
    pub at: &'a str,
    /// Set when a statement failed in a way the engine retries.
    pub transient: &'a Cell<Option<Transient>>,
}

impl PgTx<'_, '_> {
    fn fail(&self, e: &postgres::Error) -> Error {
        if let Some(t) = e.code().and_then(error::transient) {
            self.transient.set(Some(t));
        }
        error::map(e, self.at)
    }

    fn done<T>(&self, outcome: Fetched<T>) -> Result<T> {
        outcome.map_err(|e| self.fail(&e))
    }

    fn run(&mut self, sql: &str, params: super::db::Params<'_>) -> Result<()> {
        let outcome = self.db.exec(sql, params);
        self.done(outcome).map(|_| ())
    }

    /// Runs an `INSERT ... RETURNING id`.
    fn insert(&mut self, sql: &str, params: super::db::Params<'_>) -> Result<i64> {
        let outcome = self.db.one(sql, params, |r| r.try_get(0));
        self.done(outcome)
    }
}

fn is_true(r: &postgres::Row) -> Fetched<bool> {
    r.try_get(0)
}

impl Tx for PgTx<'_, '_> {
    fn role(&mut self, operator_id: i64, username: &str) -> Result<Option<Role>> {
        let sql = "SELECT role FROM operators WHERE id = $1 AND nocase(username) = nocase($2)";
        let role = self.db.opt(sql, &[&operator_id, &username], |r| r.try_get::<_, String>(0));
        Ok(self.done(role)?.as_deref().and_then(Role::parse))
    }

    fn operator(&mut self, id: i64) -> Result<Option<Operator>> {
        let found = self.db.opt(&format!("SELECT {OPERATOR_COLUMNS} WHERE id = $1"), &[&id], rows::operator);
        self.done(found)
    }

    fn username_taken(&mut self, username: &str) -> Result<bool> {
        let sql = "SELECT EXISTS (SELECT 1 FROM operators WHERE nocase(username) = nocase($1))";
        let taken = self.db.one(sql, &[&username], is_true);
        self.done(taken)
    }

    fn insert_operator(&mut self, v: &ValidOperator, password_hash: &str, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO operators (username, password_hash, role, name, email, organization, address, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &v.username,
                &password_hash,
                &v.role.as_str(),
                &v.name,
                &v.email,
                &v.organization,
                &v.address,
                &at.timestamp(),
            ],
        )
    }

    fn count_failed_sign_in(&mut self, id: i64, after: i64, lock_until: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "UPDATE operators SET failed_logins = failed_logins + 1,
               locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2::bigint ELSE NULL END
             WHERE id = $3 RETURNING failed_logins",
            &[&after, &lock_until.timestamp(), &id],
        )
    }

    fn clear_failed_sign_ins(&mut self, id: i64) -> Result<()> {
        self.run("UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = $1", &[&id])
    }

    fn event(&mut self, id: i64, lock: Lock) -> Result<Option<Event>> {
        let lock = if lock == Lock::ForUpdate { " FOR UPDATE OF e" } else { "" };
        let sql = format!("SELECT {EVENT_COLUMNS} WHERE e.id = $1{lock}");
        let found = self.db.opt(&sql, &[&id], rows::event);
        self.done(found)
    }

    fn insert_event(&mut self, v: &NewEvent, creator_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO events (title, description, starts_at, ends_at, capacity, creator_id, created_at, updated_at,
               title_fold)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            &[
                &v.title,
                &v.description,
                &v.starts_at.timestamp(),
                &v.ends_at.timestamp(),
                &v.capacity,
                &creator_id,
                &at.timestamp(),
                &fold(&v.title),
            ],
        )
    }

    fn update_event(&mut self, id: i64, v: &NewEvent, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE events SET title = $1, description = $2, starts_at = $3, ends_at = $4, capacity = $5,
               updated_at = $6, title_fold = $8, version = version + 1 WHERE id = $7",
            &[
                &v.title,
                &v.description,
                &v.starts_at.timestamp(),
                &v.ends_at.timestamp(),
                &v.capacity,
                &at.timestamp(),
                &id,
                &fold(&v.title),
            ],
        )
    }

    fn delete_event(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.run("UPDATE events SET deleted_at = $1, updated_at = $1 WHERE id = $2", &[&at.timestamp(), &id])
    }

    fn attendee(&mut self, id: i64) -> Result<Option<Attendee>> {
        let found = reads::attendee(&mut self.db, id);
        self.done(found)
    }

    fn email_taken(&mut self, email: &str, except: i64) -> Result<bool> {
        // A row merged into `except` is `except`'s own person: its address is theirs to use.
        let sql = "SELECT EXISTS (SELECT 1 FROM attendees WHERE email_canonical = $1 AND id <> $2
                                  AND (merged_into IS NULL OR merged_into <> $2))";
        let taken = self.db.one(sql, &[&canonical_email(email), &except], is_true);
        self.done(taken)
    }

    fn insert_attendee(&mut self, v: &ValidAttendee, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO attendees (name, email, phone, created_at, updated_at, name_fold, email_canonical)
             VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
            &[&v.name, &v.email, &v.phone, &at.timestamp(), &fold(&v.name), &canonical_email(&v.email)],
        )
    }

    fn update_attendee(&mut self, id: i64, v: &ValidAttendee, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE attendees SET name = $1, email = $2, phone = $3, updated_at = $4, name_fold = $6,
               email_canonical = $7, version = version + 1 WHERE id = $5",
            &[&v.name, &v.email, &v.phone, &at.timestamp(), &id, &fold(&v.name), &canonical_email(&v.email)],
        )
    }

    fn merged_into(&mut self, id: i64) -> Result<Option<i64>> {
        let found = self.db.opt("SELECT merged_into FROM attendees WHERE id = $1", &[&id], |r| r.try_get(0));
        self.done(found).map(Option::flatten)
    }

    fn holdings(&mut self, attendee_id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
        // One round trip: both lists as arrays.
        let found = self.db.one(
            "SELECT ARRAY(SELECT event_id FROM bookings WHERE attendee_id = $1 AND status = 'active'),
                    ARRAY(SELECT event_id FROM waitlist WHERE attendee_id = $1 AND status = 'waiting')",
            &[&attendee_id],
            |r| Ok((r.try_get(0)?, r.try_get(1)?)),
        );
        self.done(found)
    }

    fn merge_attendee(&mut self, keep: i64, other: i64, at: DateTime<Utc>) -> Result<(u64, u64)> {
        // Marked first: the waiting list's guard lets an entry change hands only to the
        // attendee its own was merged into. One statement: data-modifying CTEs run in order.
        let found = self.db.one(
            "WITH merged AS (UPDATE attendees SET merged_into = $1, updated_at = $3 WHERE id = $2 RETURNING id),
                  b AS (UPDATE bookings SET attendee_id = $1 WHERE attendee_id = $2 AND EXISTS (SELECT 1 FROM merged) RETURNING 1)
             SELECT (SELECT count(*) FROM b), 0::bigint",
            &[&keep, &other, &at.timestamp()],
            |r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, i64>(1)?)),
        );
        let (bookings, _) = self.done(found)?;
        let entries = self.db.one(
            "WITH w AS (UPDATE waitlist SET attendee_id = $1 WHERE attendee_id = $2 RETURNING 1) SELECT count(*) FROM w",
            &[&keep, &other],
            |r| r.try_get::<_, i64>(0),
        );
        let entries = self.done(entries)?;
        Ok((u64::try_from(bookings).unwrap_or(0), u64::try_from(entries).unwrap_or(0)))
    }

    fn booking(&mut self, id: i64) -> Result<Option<BookingRow>> {
        let found = reads::booking(&mut self.db, id, true);
        self.done(found)
    }

    fn pair_booking(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<(i64, BookingStatus)>> {
        let found = self.db.opt(
            "SELECT id, status = 'active' FROM bookings WHERE attendee_id = $1 AND event_id = $2
             ORDER BY status = 'active' DESC, id DESC LIMIT 1",
            &[&attendee_id, &event_id],
            |r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, bool>(1)?)),
        );
        Ok(self
            .done(found)?
            .map(|(id, active)| (id, if active { BookingStatus::Active } else { BookingStatus::Cancelled })))
    }

    fn insert_booking(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            // The search text in the same statement (migration 006), not by the fill trigger.
            "INSERT INTO bookings (event_id, attendee_id, booked_at, search_fold)
             VALUES ($1, $2, $3, booking_search_fold($2, $1)) RETURNING id",
            &[&event_id, &attendee_id, &at.timestamp()],
        )
    }

    fn set_booking(&mut self, id: i64, change: BookingChange) -> Result<()> {
        match change {
            BookingChange::Reactivate { at } => self.run(
                "UPDATE bookings SET status = 'active', booked_at = $1, cancelled_at = NULL WHERE id = $2",
                &[&at.timestamp(), &id],
            ),
            BookingChange::Cancel { at } => self.run(
                "UPDATE bookings SET status = 'cancelled', cancelled_at = $1 WHERE id = $2",
                &[&at.timestamp(), &id],
            ),
            BookingChange::Move { to_event, at } => self.run(
                "UPDATE bookings SET event_id = $1, booked_at = $2 WHERE id = $3",
                &[&to_event, &at.timestamp(), &id],
            ),
        }
    }

    fn cancel_event_bookings(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<(i64, i64)>> {
        // In id order, so the history rows that follow come in the same order on both engines.
        let cancelled = self.db.rows(
            "WITH cancelled AS (
                UPDATE bookings SET status = 'cancelled', cancelled_at = $1
                 WHERE event_id = $2 AND status = 'active' RETURNING id, attendee_id)
             SELECT id, attendee_id FROM cancelled ORDER BY id",
            &[&at.timestamp(), &event_id],
            |r| Ok((r.try_get(0)?, r.try_get(1)?)),
        );
        self.done(cancelled)
    }

    fn record(&mut self, at: DateTime<Utc>, r: &Record<'_>) -> Result<()> {
        self.run(
            "INSERT INTO history (actor, action, object_kind, object_id, details, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&r.actor, &r.action.as_str(), &r.kind.as_str(), &r.id, &r.details.to_string(), &at.timestamp()],
        )
    }

    fn waiting_entry(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<i64>> {
        let found = self.db.opt(
            "SELECT id FROM waitlist WHERE attendee_id = $1 AND event_id = $2 AND status = 'waiting'",
            &[&attendee_id, &event_id],
            |r| r.try_get(0),
        );
        self.done(found)
    }

    fn insert_waiting(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64> {
        self.insert(
            "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES ($1, $2, $3) RETURNING id",
            &[&event_id, &attendee_id, &at.timestamp()],
        )
    }

    fn waitlist_entry(&mut self, id: i64) -> Result<Option<WaitlistEntry>> {
        let found = reads::waitlist_entry(&mut self.db, id);
        self.done(found)
    }

    fn remove_waiting(&mut self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.run(
            "UPDATE waitlist SET status = 'removed', left_at = $1 WHERE id = $2 AND status = 'waiting'",
            &[&at.timestamp(), &id],
        )
    }

    fn take_waiting(&mut self, event_id: i64, n: u32, at: DateTime<Utc>) -> Result<Vec<Waiter>> {
        let sql = format!(
            "WITH t AS (
                UPDATE waitlist SET status = 'promoted', left_at = $1
                 WHERE id IN (SELECT id FROM waitlist WHERE event_id = $2 AND status = 'waiting'
                               ORDER BY joined_at, id LIMIT $3)
                RETURNING id, attendee_id, event_id, joined_at)
             SELECT {WAITER_COLUMNS} FROM t JOIN attendees a ON a.id = t.attendee_id ORDER BY t.joined_at, t.id"
        );
        let taken = self.db.rows(&sql, &[&at.timestamp(), &event_id, &i64::from(n)], rows::waiter);
        self.done(taken)
    }

    fn remove_event_waiting(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<Waiter>> {
        let sql = format!(
            "WITH t AS (
                UPDATE waitlist SET status = 'removed', left_at = $1 WHERE event_id = $2 AND status = 'waiting'
                RETURNING id, attendee_id, event_id, joined_at)
             SELECT {WAITER_COLUMNS} FROM t JOIN attendees a ON a.id = t.attendee_id ORDER BY t.joined_at, t.id"
        );
        let removed = self.db.rows(&sql, &[&at.timestamp(), &event_id], rows::waiter);
        self.done(removed)
    }

    /// The booking's row lock does not cover its check-ins as first read: a door that waited
    /// for the lock saw the check-in table as of before the other door committed (only the
    /// locked row itself is read again). The insert, a new statement, sees it.
    fn insert_check_in(&mut self, booking_id: i64, by: &str, at: DateTime<Utc>) -> Result<CheckInSlot> {
        let stood = self.db.opt(
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES ($1, $2, $3)
             ON CONFLICT (booking_id) WHERE undone_at IS NULL DO NOTHING RETURNING id",
            &[&booking_id, &at.timestamp(), &by],
            |r| r.try_get::<_, i64>(0),
        );
        if let Some(id) = self.done(stood)? {
            return Ok(CheckInSlot::Stood(id));
        }
        let taken = self.db.one(
            "SELECT checked_in_at, checked_in_by FROM checkins WHERE booking_id = $1 AND undone_at IS NULL",
            &[&booking_id],
            |r| Ok((rows::time(r.try_get(0)?), r.try_get::<_, String>(1)?)),
        );
        let (at, by) = self.done(taken)?;
        Ok(CheckInSlot::Taken { at, by })
    }

    fn undo_check_in(
        &mut self,
        booking_id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, DateTime<Utc>)>> {
        let undone = self.db.opt(
            "UPDATE checkins SET undone_at = $1, undone_by = $2 WHERE booking_id = $3 AND undone_at IS NULL
             RETURNING id, checked_in_at",
            &[&at.timestamp(), &by, &booking_id],
            |r| Ok((r.try_get::<_, i64>(0)?, rows::time(r.try_get(1)?))),
        );
        self.done(undone)
    }

    fn checked_in_count(&mut self, event_id: i64) -> Result<u32> {
        let n = reads::checked_in(&mut self.db, event_id);
        self.done(n)
    }
}
