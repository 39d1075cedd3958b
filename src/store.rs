//! The data module: one function per use case, over whichever engine holds the data.
//!
//! Everything public speaks in `model` types and `model::Error`; no engine type leaves this
//! module. The rules (`bookings`, `events`, `attendees`, `accounts`) are written once against
//! `engine::Tx`; `sqlite` (an embedded file) supplies the SQL. Every write that reads first
//! runs in one write transaction together with the history row it records.

mod accounts;
mod attendees;
mod bookings;
mod bulk;
mod check;
mod checkins;
mod copy;
mod engine;
mod events;
mod history;
mod location;
mod merge;
mod postgres;
mod query;
mod sql;
mod sqlite;
mod ticket;
mod waitlist;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::model::{Clock, Error, Result, Role, Session};
use engine::{Engine, Tx};

pub use bulk::{BULK_PASSWORD, BulkSpec, BulkSummary};
pub use check::CheckReport;
pub use copy::{CopyReport, RowCounts};
pub use location::Location;
pub use merge::Merged;
pub use query::{
    AttendeeQuery, BookingQuery, EventFilter, EventQuery, HistoryQuery, Page, Seek, SummaryQuery,
    WaitlistQuery, searches_emails,
};
pub use sqlite::BusyPolicy;
pub use ticket::WriteTicket;

/// How long one attempt waits for the write lock before it gives up.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How to open a store. `Default` is what the desk uses.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    pub busy: BusyPolicy,
    pub busy_timeout: Duration,
    pub clock: Clock,
    /// Whether a missing SQLite file is created (`init`, `demo`, library callers). The desk's
    /// other commands and the terminal app pass false, so a mistyped path is refused, not made.
    pub create: bool,
    /// The connection's SQLite page cache in KiB; None keeps SQLite's 2 MiB. It is filled only
    /// as pages are read, so a bigger one costs memory only where reads need it. PostgreSQL
    /// caches on the server and ignores it.
    pub page_cache_kib: Option<u32>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            busy: BusyPolicy::default(),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            clock: Clock::System,
            create: true,
            page_cache_kib: None,
        }
    }
}

/// An open eventdesk database. One per thread; keep it open rather than reopening per change.
pub struct Store {
    engine: Box<dyn Engine>,
    clock: Clock,
    /// While set, every write claims it before committing (see `set_ticket`).
    ticket: Option<WriteTicket>,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `location` with default options.
    pub fn open(location: impl Into<Location>) -> Result<Store> {
        Store::open_with(location, OpenOptions::default())
    }

    /// Opens a database that must already exist: a missing SQLite file is refused with
    /// `Error::NoDatabase` and nothing is created.
    pub fn open_existing(location: impl Into<Location>) -> Result<Store> {
        Store::open_with(location, OpenOptions { create: false, ..OpenOptions::default() })
    }

    /// Opens with explicit busy handling and clock (benchmarks and tests).
    pub fn open_with(location: impl Into<Location>, options: OpenOptions) -> Result<Store> {
        let engine: Box<dyn Engine> = match location.into() {
            Location::Sqlite(path) => Box::new(sqlite::Sqlite::open(&path, &options)?),
            Location::Postgres(url) => Box::new(postgres::Postgres::open(&url, &options)?),
        };
        Ok(Store { engine, clock: options.clock, ticket: None })
    }

    /// Where the data lives (an SQLite file or a server; shown without any password).
    pub fn location(&self) -> &Location {
        self.engine.location()
    }

    /// The database file, for a store on SQLite.
    pub fn path(&self) -> Option<&Path> {
        self.engine.location().path()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Fixes "now" for the rules (demo seeding, tests); `Clock::System` restores the real time.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Until cleared, every write commits only if it can claim `ticket` first, so a caller on
    /// another thread can give the write up while it waits (for the lock, or for anything).
    pub fn set_ticket(&mut self, ticket: Option<WriteTicket>) {
        self.ticket = ticket;
    }

    /// A number that changes whenever another connection commits: poll it to refresh a view.
    pub fn change_token(&self) -> Result<i64> {
        self.engine.change_token()
    }

    /// Runs `work` in one write transaction: committed if it returns Ok, rolled back otherwise.
    /// The engine may run `work` more than once (after a lock wait ran out, or a serialization
    /// failure), so it must not have effects outside the transaction.
    fn write<T>(&self, mut work: impl FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut value = None;
        let ticket = self.ticket.as_ref();
        self.engine.write(&mut |tx| {
            value = Some(work(tx)?);
            // After the work, right before the engine commits: a write given up by now is
            // rolled back, whatever it waited for (see `WriteTicket`).
            ticket.map_or(Ok(()), WriteTicket::claim)
        })?;
        value.ok_or_else(|| Error::Storage("internal: a write committed without a result".into()))
    }
}

/// The signed-in operator's role as the database has it now: a `Session` value alone is not
/// trusted, so roles are enforced here and not only in the UI.
fn authorize(tx: &mut dyn Tx, s: &Session) -> Result<Role> {
    tx.role(s.operator_id, &s.username)?
        .ok_or_else(|| Error::Unauthenticated("not signed in: the account no longer exists".into()))
}

/// Whether this operator may work the door (waiting list, check-in, no-shows) of `event`:
/// desk staff on every event, organizers on their own.
fn door_access(role: Role, s: &Session, event: &crate::model::Event, verb: &str) -> Result<()> {
    if role == Role::Organizer && event.creator_id != s.operator_id {
        return Err(Error::Forbidden(format!(
            "you can {verb} only on your own events; this one is {}'s",
            event.organizer
        )));
    }
    Ok(())
}

/// The attendee `id` names, refused when it was merged into another: bookings, waiting-list
/// entries and edits go to the person it became, not to the row kept for the history.
fn live_attendee(tx: &mut dyn Tx, id: i64) -> Result<crate::model::Attendee> {
    let attendee = found(tx.attendee(id)?, "attendee", id)?;
    match tx.merged_into(id)? {
        Some(into) => Err(crate::model::Refusal::Merged { id, into }.into()),
        None => Ok(attendee),
    }
}

/// `NotFound` for an id that names nothing.
fn found<T>(value: Option<T>, kind: &'static str, id: impl ToString) -> Result<T> {
    value.ok_or_else(|| Error::NotFound { kind, id: id.to_string() })
}
