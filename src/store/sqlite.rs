//! The embedded engine: one SQLite file in WAL mode, shared by every process on its host.
//!
//! Writes take the file's write lock up front (`BEGIN IMMEDIATE`), so a rule's reads and
//! writes can never interleave with another desk's. Desks line up for it on a side lock first
//! (`write_lock`), so a waiter sleeps until its turn; waits for SQLite's lock go through `busy`.

mod bulk;
mod busy;
mod check;
mod copy;
mod errors;
mod glance;
mod open;
mod reads;
mod rows;
mod search;
mod sql;
mod tx;
mod unicode;
mod write_lock;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::copy::{RowCounts, Sink};
use super::engine::{Credentials, Engine, Tx};
use super::{
    AttendeeQuery, BookingQuery, BulkSpec, BulkSummary, CheckReport, EventQuery, HistoryQuery, Location,
    OpenOptions, SummaryQuery, WaitlistQuery,
};
use crate::model::{
    Attendee, BookingDay, BookingRow, CapacitySummary, Error, Event, HistoryEntry, Operator, Result,
    WaitlistEntry,
};

pub use busy::BusyPolicy;

/// Further attempts after a lock wait ran out, each after a short backoff.
const BUSY_RETRIES: u32 = 2;

/// An open SQLite database file.
pub(super) struct Sqlite {
    conn: Connection,
    location: Location,
    busy_timeout: Duration,
    path: PathBuf,
    /// The file's (device, inode) when it was opened: the path must still name that file.
    identity: (u64, u64),
    /// None when the side lock's file could not be made: SQLite's lock alone then.
    side_lock: Option<write_lock::WriteLock>,
}

impl Sqlite {
    pub(super) fn open(path: &Path, options: &OpenOptions) -> Result<Sqlite> {
        let conn = open::open_connection(path, options)?;
        let identity = file_identity(path).ok_or_else(|| vanished(path))?;
        Ok(Sqlite {
            conn,
            location: Location::Sqlite(path.to_path_buf()),
            busy_timeout: options.busy_timeout,
            path: path.to_path_buf(),
            identity,
            side_lock: write_lock::WriteLock::open(path),
        })
    }

    /// Refuses to go on when the path was removed, or another file was moved over it: a
    /// commit would land in an unlinked file nobody opens again, or corrupt the new one. One
    /// `stat()`, so it is cheap enough for every write and every refresh tick.
    fn same_file(&self) -> Result<()> {
        match file_identity(&self.path) {
            Some(now) if now == self.identity => Ok(()),
            _ => Err(vanished(&self.path)),
        }
    }

    /// A storage failure found after opening (a corrupt page, a full disk) names the file, so
    /// the one line a person reads says which file to restore or make room for.
    fn locate(&self, e: Error) -> Error {
        match e {
            Error::Storage(message) => Error::Storage(format!("{}: {message}", self.location)),
            other => other,
        }
    }

    /// Runs a read, naming the file in a storage error.
    fn read<T>(&self, run: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        run(&self.conn).map_err(|e| self.locate(e))
    }

    fn write_once(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        // Dropped after the transaction, so the next desk's turn starts only once this write
        // committed or rolled back.
        let turn = self.side_lock.as_ref().map(|l| l.take(write_lock::PATIENCE.min(self.busy_timeout)));
        let waited = turn.as_ref().map_or(Duration::ZERO, |t| t.waited);
        busy::arm(self.busy_timeout.saturating_sub(waited));
        match self.transact(work) {
            // A write that failed on a file removed or replaced says so, not what SQLite made
            // of it. Asked only on failure: a booking's commit is the hot path.
            Err(_) if self.same_file().is_err() => Err(vanished(&self.path)),
            outcome => outcome,
        }
    }

    fn transact(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let tx = tx::Immediate::begin(&self.conn)?;
        work(&mut tx::SqliteTx { conn: &self.conn })?;
        // Under the write lock: the file may have gone while the rule ran or waited.
        self.same_file()?;
        tx.commit()?;
        Ok(())
    }
}

/// The (device, inode) of the file at `path`, or None when nothing is there.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn vanished(path: &Path) -> Error {
    Error::Vanished { location: path.display().to_string() }
}

impl Engine for Sqlite {
    fn location(&self) -> &Location {
        &self.location
    }

    /// A lock wait that outlasts the busy timeout is retried, then reported as Busy.
    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut attempt = 0;
        loop {
            match self.write_once(work) {
                Err(Error::Busy) if attempt < BUSY_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(25 << attempt));
                }
                outcome => return outcome.map_err(|e| self.locate(e)),
            }
        }
    }

    /// `PRAGMA data_version` moves only when another connection commits.
    /// It also notices a file removed or replaced under the desk, on the refresh tick.
    fn change_token(&self) -> Result<i64> {
        self.same_file()?;
        self.read(|c| Ok(c.query_row("PRAGMA data_version", [], |r| r.get(0))?))
    }

    fn check(&self, now: DateTime<Utc>) -> Result<CheckReport> {
        self.check_all(now).map_err(|e| self.locate(e))
    }

    fn event(&self, id: i64) -> Result<Option<Event>> {
        self.read(|c| reads::event(c, id))
    }

    fn list_events(&self, q: &EventQuery, now: DateTime<Utc>) -> Result<Vec<Event>> {
        self.read(|c| reads::list_events(c, q, now))
    }

    fn count_events(&self, q: &EventQuery, now: DateTime<Utc>, cap: Option<u64>) -> Result<u64> {
        self.read(|c| reads::count_events(c, q, now, cap))
    }

    fn capacity_summary(&self, q: &SummaryQuery, now: DateTime<Utc>) -> Result<CapacitySummary> {
        self.read(|c| glance::capacity_summary(c, q, now))
    }

    fn booking_days(&self, event_id: i64) -> Result<Vec<BookingDay>> {
        self.read(|c| glance::booking_days(c, event_id))
    }

    fn booking(&self, id: i64) -> Result<Option<BookingRow>> {
        self.read(|c| reads::booking(c, id))
    }

    fn list_bookings(&self, q: &BookingQuery) -> Result<Vec<BookingRow>> {
        self.read(|c| reads::list_bookings(c, q))
    }

    fn count_bookings(&self, q: &BookingQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|c| reads::count_bookings(c, q, cap))
    }

    fn attendee(&self, id: i64) -> Result<Option<Attendee>> {
        self.read(|c| reads::attendee(c, id))
    }

    fn attendee_by_email(&self, email: &str) -> Result<Option<Attendee>> {
        self.read(|c| reads::attendee_by_email(c, email))
    }

    fn list_attendees(&self, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
        self.read(|c| search::list(c, q))
    }

    fn count_attendees(&self, q: &AttendeeQuery) -> Result<u64> {
        self.read(|c| search::count(c, q))
    }

    fn count_attendees_upto(&self, q: &AttendeeQuery, cap: u64) -> Result<u64> {
        self.read(|c| search::count_upto(c, q, cap))
    }

    fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>> {
        self.read(|c| reads::history(c, q))
    }

    fn count_history(&self, q: &HistoryQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|c| reads::count_history(c, q, cap))
    }

    fn operator(&self, id: i64) -> Result<Option<Operator>> {
        self.read(|c| reads::operator(c, id))
    }

    fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        self.read(|c| reads::credentials(c, username))
    }

    fn generate(&self, spec: &BulkSpec, now: DateTime<Utc>) -> Result<BulkSummary> {
        self.same_file()?;
        self.generate_rows(spec, now).map_err(|e| self.locate(e))
    }

    fn export(&self, sink: &mut Sink<'_>) -> Result<()> {
        self.export_rows(sink).map_err(|e| self.locate(e))
    }

    fn import(&self, fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>) -> Result<RowCounts> {
        self.same_file()?;
        self.import_rows(fill).map_err(|e| self.locate(e))
    }

    fn row_counts(&self) -> Result<RowCounts> {
        self.read(copy::counts)
    }

    fn waitlist_entry(&self, id: i64) -> Result<Option<WaitlistEntry>> {
        self.read(|c| reads::waitlist_entry(c, id))
    }

    fn list_waitlist(&self, q: &WaitlistQuery) -> Result<Vec<WaitlistEntry>> {
        self.read(|c| reads::list_waitlist(c, q))
    }

    fn count_waitlist(&self, q: &WaitlistQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|c| reads::count_waitlist(c, q, cap))
    }

    fn door_counts(&self, event_id: i64) -> Result<(u32, u32)> {
        self.read(|c| reads::door_counts(c, event_id))
    }

    fn no_show_counts(&self, attendee_ids: &[i64], now: DateTime<Utc>) -> Result<Vec<(i64, u32)>> {
        self.read(|c| reads::no_show_counts(c, attendee_ids, now))
    }
}
