//! The server engine: PostgreSQL, for desks on several machines.
//!
//! Each store holds one session. Writes run in READ COMMITTED transactions made race-proof by
//! row locks (see `tx`); lock waits are bounded by `lock_timeout` (the store's busy timeout)
//! and retried like SQLite's busy wait, deadlocks and serialization failures are retried at
//! once. Other desks' changes arrive by LISTEN/NOTIFY. A session the server dropped is
//! reported once and replaced on the next call.

mod bulk;
mod check;
mod config;
mod connect;
mod copy;
mod copy_in;
mod db;
mod error;
mod glance;
mod guards;
mod migrate;
mod pgpass;
mod reads;
mod rows;
mod search;
mod sql;
mod tls;
mod tx;
mod unicode;

#[cfg(test)]
#[path = "../../tests/support/pg.rs"]
mod test_pg;

use std::cell::{Cell, RefCell, RefMut};
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use super::copy::{RowCounts, Sink, not_empty};
use super::engine::{Credentials, Engine, Tx};
use super::{
    AttendeeQuery, BookingQuery, BulkSpec, BulkSummary, CheckReport, EventQuery, HistoryQuery, Location,
    OpenOptions, SummaryQuery, WaitlistQuery,
};
use crate::model::{
    Attendee, BookingDay, BookingRow, CapacitySummary, Error, Event, HistoryEntry, Operator, Result,
    WaitlistEntry,
};
use db::{Cache, Db};
use error::Transient;
use rows::Fetched;

use config::PgConfig;

/// Further attempts after a lock wait ran out (as on SQLite), each after a short backoff.
const LOCK_RETRIES: u32 = 2;
/// Further attempts after a deadlock or serialization failure: over at once, so cheap.
const CONFLICT_RETRIES: u32 = 8;
/// How long a change-token poll waits for notifications already on their way.
const NOTIFY_WAIT: Duration = Duration::from_millis(1);
/// The channel the schema's history trigger notifies on.
const CHANNEL: &str = "eventdesk";

/// One open session and what belongs to it.
struct Session {
    client: Client,
    cache: Cache,
    /// This session's server process, whose own notifications are not "another desk's change".
    pid: i32,
}

/// An eventdesk database on a PostgreSQL server.
pub(super) struct Postgres {
    session: RefCell<Session>,
    config: PgConfig,
    location: Location,
    lock_timeout: Duration,
    /// Counts other sessions' commits seen (one notification each), plus reconnects.
    changes: Cell<i64>,
    transient: Cell<Option<Transient>>,
}

impl Postgres {
    /// Connects, refuses a database that is not eventdesk's, migrates, and starts listening.
    pub(super) fn open(url: &str, options: &OpenOptions) -> Result<Postgres> {
        let location = Location::Postgres(url.to_string());
        let config = PgConfig::parse(url)
            .map_err(|message| Error::Unusable { location: location.to_string(), message })?;
        let mut client = connect::connect(&config, options.busy_timeout)?;
        migrate::migrate(&mut client)
            .map_err(|message| Error::Unusable { location: location.to_string(), message })?;
        let session = listen(client)
            .map_err(|e| Error::Unusable { location: location.to_string(), message: e.to_string() })?;
        Ok(Postgres {
            session: RefCell::new(session),
            config,
            location,
            lock_timeout: options.busy_timeout,
            changes: Cell::new(0),
            transient: Cell::new(None),
        })
    }

    fn at(&self) -> String {
        self.config.host_label()
    }

    /// The session, replaced first if the server dropped it; a failed reconnect is the same
    /// one line as the drop itself.
    fn session(&self) -> Result<RefMut<'_, Session>> {
        let mut session = self
            .session
            .try_borrow_mut()
            .map_err(|_| Error::Storage("internal: the database session is already in use".into()))?;
        if session.client.is_closed() {
            let client = connect::connect(&self.config, self.lock_timeout).map_err(|e| match e {
                Error::Unusable { message, .. } => error::lost(&self.at(), &message),
                other => other,
            })?;
            *session = listen(client).map_err(|e| error::map(&e, &self.at()))?;
            // Changes made while away were never notified: have every view refresh.
            self.changes.set(self.changes.get() + 1);
        }
        Ok(session)
    }

    /// Runs a read outside any transaction.
    fn read<T>(&self, run: impl FnOnce(&mut Db<'_, Client>) -> Fetched<T>) -> Result<T> {
        let mut session = self.session()?;
        let Session { client, cache, .. } = &mut *session;
        run(&mut Db { client, cache }).map_err(|e| error::map(&e, &self.at()))
    }

    fn write_once(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let at = self.at();
        let mut session = self.session()?;
        let Session { client, cache, .. } = &mut *session;
        let fail = |e: postgres::Error| {
            if let Some(t) = e.code().and_then(error::transient) {
                self.transient.set(Some(t));
            }
            error::map(&e, &at)
        };
        let mut transaction = client.transaction().map_err(|e| {
            if error::dropped(&e) {
                self.transient.set(Some(Transient::Dropped));
            }
            fail(e)
        })?;
        work(&mut tx::PgTx {
            db: Db { client: &mut transaction, cache },
            at: &at,
            transient: &self.transient,
        })?;
        transaction.commit().map_err(fail)
    }
}

/// Subscribes a fresh session to the change notifications and learns its server process,
/// in one round trip.
fn listen(mut client: Client) -> Result<Session, postgres::Error> {
    let replies = client.simple_query(&format!("LISTEN {CHANNEL}; SELECT pg_backend_pid()"))?;
    let pid = replies
        .iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => row.get(0).and_then(|pid| pid.parse().ok()),
            _ => None,
        })
        .unwrap_or(0);
    Ok(Session { client, cache: Cache::default(), pid })
}

/// Sleeps a little longer each attempt, with jitter so retrying desks don't collide again.
fn back_off(attempt: u32) {
    let jitter = u64::from(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_micros())
            % 5_000,
    );
    std::thread::sleep(Duration::from_micros((5_000 << attempt.min(6)) + jitter));
}

impl Engine for Postgres {
    fn location(&self) -> &Location {
        &self.location
    }

    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let (mut lock_waits, mut conflicts, mut reconnected) = (0, 0, false);
        loop {
            self.transient.set(None);
            let outcome = self.write_once(work);
            match (&outcome, self.transient.get()) {
                (Err(Error::Busy), Some(Transient::LockWait)) if lock_waits < LOCK_RETRIES => {
                    lock_waits += 1;
                    back_off(lock_waits);
                }
                (Err(Error::Busy), Some(Transient::Conflict)) if conflicts < CONFLICT_RETRIES => {
                    conflicts += 1;
                    back_off(conflicts.min(3));
                }
                // Once: the next attempt connects again (`session`) and begins afresh.
                (Err(_), Some(Transient::Dropped)) if !reconnected => reconnected = true,
                _ => return outcome,
            }
        }
    }

    /// Counts the notifications other sessions' commits sent since the last call. Waits at
    /// most a millisecond: the client reads the socket only while it waits (its non-blocking
    /// iterator never lets the I/O driver run, so it would never see a notification arrive).
    fn change_token(&self) -> Result<i64> {
        let mut session = self.session()?;
        let own = session.pid;
        let others = session
            .client
            .notifications()
            .timeout_iter(NOTIFY_WAIT)
            .filter(|n| Ok(n.process_id() != own))
            .count()
            .map_err(|e| error::map(&e, &self.at()))?;
        self.changes.set(self.changes.get() + i64::try_from(others).unwrap_or(i64::MAX));
        Ok(self.changes.get())
    }

    fn check(&self, now: DateTime<Utc>) -> Result<CheckReport> {
        self.read(|db| check::check(db, now))
    }

    fn event(&self, id: i64) -> Result<Option<Event>> {
        self.read(|db| reads::event(db, id))
    }

    fn list_events(&self, q: &EventQuery, now: DateTime<Utc>) -> Result<Vec<Event>> {
        self.read(|db| reads::list_events(db, q, now))
    }

    fn count_events(&self, q: &EventQuery, now: DateTime<Utc>, cap: Option<u64>) -> Result<u64> {
        self.read(|db| reads::count_events(db, q, now, cap))
    }

    fn capacity_summary(&self, q: &SummaryQuery, now: DateTime<Utc>) -> Result<CapacitySummary> {
        self.read(|db| glance::capacity_summary(db, q, now))
    }

    fn booking_days(&self, event_id: i64) -> Result<Vec<BookingDay>> {
        self.read(|db| glance::booking_days(db, event_id))
    }

    fn booking(&self, id: i64) -> Result<Option<BookingRow>> {
        self.read(|db| reads::booking(db, id, false))
    }

    fn list_bookings(&self, q: &BookingQuery) -> Result<Vec<BookingRow>> {
        self.read(|db| reads::list_bookings(db, q))
    }

    fn count_bookings(&self, q: &BookingQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|db| reads::count_bookings(db, q, cap))
    }

    fn attendee(&self, id: i64) -> Result<Option<Attendee>> {
        self.read(|db| reads::attendee(db, id))
    }

    fn attendee_by_email(&self, email: &str) -> Result<Option<Attendee>> {
        self.read(|db| reads::attendee_by_email(db, email))
    }

    fn list_attendees(&self, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
        self.read(|db| search::list(db, q))
    }

    fn count_attendees(&self, q: &AttendeeQuery) -> Result<u64> {
        self.read(|db| search::count(db, q))
    }

    fn count_attendees_upto(&self, q: &AttendeeQuery, cap: u64) -> Result<u64> {
        self.read(|db| search::count_upto(db, q, cap))
    }

    fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>> {
        self.read(|db| reads::history(db, q))
    }

    fn count_history(&self, q: &HistoryQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|db| reads::count_history(db, q, cap))
    }

    fn operator(&self, id: i64) -> Result<Option<Operator>> {
        self.read(|db| reads::operator(db, id))
    }

    fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        self.read(|db| reads::credentials(db, username))
    }

    fn generate(&self, spec: &BulkSpec, now: DateTime<Utc>) -> Result<BulkSummary> {
        let mut session = self.session()?;
        bulk::generate(&mut session.client, spec, now).map_err(|e| e.into_error(&self.at()))
    }

    fn export(&self, sink: &mut Sink<'_>) -> Result<()> {
        let mut session = self.session()?;
        copy::export(&mut session.client, sink).map_err(|stop| match stop {
            copy::Stop::Db(e) => error::map(&e, &self.at()),
            copy::Stop::Other(e) => e,
        })
    }

    fn import(&self, fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>) -> Result<RowCounts> {
        let at = self.at();
        let map = |e: postgres::Error| error::map(&e, &at);
        let mut session = self.session()?;
        let Session { client, cache, .. } = &mut *session;
        let mut tx = client.transaction().map_err(map)?;
        // Other desks wait until the copy commits: the target must stay empty until then.
        tx.batch_execute(
            "LOCK TABLE operators, attendees, events, bookings, history, waitlist, checkins IN EXCLUSIVE MODE",
        )
            .map_err(map)?;
        let present = copy::counts(&mut Db { client: &mut tx, cache }).map_err(map)?;
        if present.total() > 0 {
            return Err(not_empty(present));
        }
        let copied = copy_in::import(&mut tx, fill, &map)?;
        copy::advance_sequences(&mut tx).map_err(map)?;
        tx.commit().map_err(map)?;
        Ok(copied)
    }

    fn row_counts(&self) -> Result<RowCounts> {
        self.read(copy::counts)
    }

    fn waitlist_entry(&self, id: i64) -> Result<Option<WaitlistEntry>> {
        self.read(|db| reads::waitlist_entry(db, id))
    }

    fn list_waitlist(&self, q: &WaitlistQuery) -> Result<Vec<WaitlistEntry>> {
        self.read(|db| reads::list_waitlist(db, q))
    }

    fn count_waitlist(&self, q: &WaitlistQuery, cap: Option<u64>) -> Result<u64> {
        self.read(|db| reads::count_waitlist(db, q, cap))
    }

    fn door_counts(&self, event_id: i64) -> Result<(u32, u32)> {
        self.read(|db| reads::door_counts(db, event_id))
    }

    fn no_show_counts(&self, attendee_ids: &[i64], now: DateTime<Utc>) -> Result<Vec<(i64, u32)>> {
        self.read(|db| reads::no_show_counts(db, attendee_ids, now))
    }
}
