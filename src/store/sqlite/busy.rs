//! Waiting for the write lock.
//!
//! SQLite's default busy handler sleeps in growing steps (up to 100 ms), so under 8-way
//! contention one unlucky waiter can sleep through many lock hand-overs and starve for seconds.
//! `ShortSleeps` polls every few hundred microseconds with jitter instead, which keeps the
//! longest wait near the queue length times the transaction time.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;

/// How a connection waits for a lock another connection holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BusyPolicy {
    /// Short jittered sleeps (100–500 µs) until the busy timeout.
    #[default]
    ShortSleeps,
    /// SQLite's built-in `busy_timeout` handler (for comparison in benchmarks).
    SqliteDefault,
}

thread_local! {
    // The handler is a plain fn pointer, so the wait's start and its limit live per thread; a
    // connection is only ever used from one thread at a time, and each store re-arms its own
    // limit before every transaction (two stores on one thread may have different limits).
    static WAIT_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
    static WAIT_LIMIT: Cell<Duration> = const { Cell::new(crate::store::DEFAULT_BUSY_TIMEOUT) };
}

pub(super) fn install(conn: &Connection, policy: BusyPolicy, timeout: Duration) -> rusqlite::Result<()> {
    match policy {
        BusyPolicy::SqliteDefault => conn.busy_timeout(timeout),
        BusyPolicy::ShortSleeps => {
            arm(timeout);
            conn.busy_handler(Some(short_sleeps))
        }
    }
}

/// Sets how long the next lock wait on this thread may last.
pub(super) fn arm(timeout: Duration) {
    WAIT_LIMIT.with(|l| l.set(timeout));
}

/// Called by SQLite with the number of times it already called for this lock wait; returning
/// false gives up and surfaces SQLITE_BUSY.
fn short_sleeps(calls: i32) -> bool {
    let now = Instant::now();
    let started = WAIT_STARTED.with(|s| {
        if calls == 0 || s.get().is_none() {
            s.set(Some(now));
        }
        s.get().unwrap_or(now)
    });
    if now.duration_since(started) >= WAIT_LIMIT.with(Cell::get) {
        return false;
    }
    std::thread::sleep(Duration::from_micros(100 + u64::from(jitter() % 400)));
    true
}

/// Cheap per-call jitter so waiters don't wake in lock-step.
fn jitter() -> u32 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_micros()).unwrap_or(0)
}
