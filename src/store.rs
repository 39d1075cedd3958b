//! The data module: one SQLite file, opened and migrated here, and one function per use case.
//!
//! Everything public speaks in `model` types and `model::Error`; SQLite stays inside, so another
//! engine can sit behind the same API. Every write that reads first runs in one
//! `BEGIN IMMEDIATE` transaction together with the history row it records.

mod accounts;
mod attendees;
mod bookings;
mod bulk;
mod busy;
mod check;
mod events;
mod history;
mod open;
mod query;
mod rows;
mod sqlite_error;
mod ticket;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::model::{Clock, Error, Result, Role, Session};

pub use bulk::{BULK_PASSWORD, BulkSpec, BulkSummary};
pub use busy::BusyPolicy;
pub use check::CheckReport;
pub use query::{AttendeeQuery, BookingQuery, EventFilter, EventQuery, HistoryQuery, Page};
pub use ticket::WriteTicket;

/// How long one attempt waits for the write lock before it gives up.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Further attempts after a lock wait ran out, each after a short backoff.
const BUSY_RETRIES: u32 = 2;

/// How to open a store. `Default` is what the desk uses.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    pub busy: BusyPolicy,
    pub busy_timeout: Duration,
    pub clock: Clock,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self { busy: BusyPolicy::default(), busy_timeout: DEFAULT_BUSY_TIMEOUT, clock: Clock::System }
    }
}

/// An open eventdesk database. One per thread; keep it open rather than reopening per change.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    busy_timeout: Duration,
    /// While set, every write claims it before committing (see `set_ticket`).
    ticket: Option<WriteTicket>,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path` with default options.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, OpenOptions::default())
    }

    /// Opens with explicit busy handling and clock (benchmarks and tests).
    pub fn open_with(path: &Path, options: OpenOptions) -> Result<Store> {
        let conn = open::open_connection(path, &options)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            clock: options.clock,
            busy_timeout: options.busy_timeout,
            ticket: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `work` in one IMMEDIATE transaction: committed if it returns Ok, rolled back
    /// otherwise. A lock wait that outlasts the busy timeout is retried, then reported as Busy.
    fn write<T>(&self, mut work: impl FnMut(&Connection) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            match self.write_once(&mut work) {
                // A write given up while it waited for the lock is not worth another wait.
                Err(Error::Busy)
                    if attempt < BUSY_RETRIES
                        && !self.ticket.as_ref().is_some_and(WriteTicket::is_given_up) =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(25 << attempt));
                }
                outcome => return outcome.map_err(|e| self.locate(e)),
            }
        }
    }

    /// Runs `select` (ending in its WHERE clause) for one page in `order`, reading a back-half
    /// page from the other end when the total is known. The statement is dropped before
    /// returning, so no read transaction stays open while the caller is idle.
    fn page<T>(
        &self,
        select: &str,
        order: &str,
        filter: query::Where,
        page: Page,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let plan = page.plan();
        let order = if plan.reverse { query::reversed(order) } else { order.to_string() };
        let sql = format!("{select} ORDER BY {order} LIMIT ? OFFSET ?");
        let run = || -> Result<Vec<T>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(filter.paged(plan)), map)?;
            let mut rows = rows.collect::<rusqlite::Result<Vec<T>>>()?;
            if plan.reverse {
                rows.reverse();
            }
            Ok(rows)
        };
        run().map_err(|e| self.locate(e))
    }

    fn count(&self, sql: &str, params: Vec<rusqlite::types::Value>) -> Result<u64> {
        let n: Result<i64> = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| s.query_row(rusqlite::params_from_iter(params), |r| r.get(0)))
            .map_err(Error::from);
        Ok(u64::try_from(n.map_err(|e| self.locate(e))?).unwrap_or(0))
    }

    /// A storage failure found after opening (a corrupt page, a full disk) names the file, so
    /// the one line a person reads says which file to restore or make room for.
    fn locate(&self, e: Error) -> Error {
        match e {
            Error::Storage(message) => Error::Storage(format!("{}: {message}", self.path.display())),
            other => other,
        }
    }

    fn write_once<T>(&self, work: &mut impl FnMut(&Connection) -> Result<T>) -> Result<T> {
        busy::arm(self.busy_timeout);
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        if let Some(ticket) = &self.ticket {
            ticket.claim()?;
        }
        tx.commit()?;
        Ok(value)
    }
}

/// The signed-in operator's role as the database has it now: a `Session` value alone is not
/// trusted, so roles are enforced here and not only in the UI.
fn authorize(conn: &Connection, s: &Session) -> Result<Role> {
    let role: Option<String> = rusqlite::OptionalExtension::optional(
        conn.prepare_cached("SELECT role FROM operators WHERE id = ? AND username = ?")?
            .query_row(rusqlite::params![s.operator_id, s.username], |r| r.get(0)),
    )?;
    role.as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| Error::Unauthenticated("not signed in: the account no longer exists".into()))
}
