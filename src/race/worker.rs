//! One racer: set up, wait at the start line, make one booking, report it as a JSON line.

use std::io::Write;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::start_line;
use crate::model::{Error, Refusal, Session};
use crate::store::Store;

/// How one booking attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    Booked {
        booking_id: i64,
    },
    /// Cleanly refused: no seat left.
    Full,
    /// Anything else (busy, storage, a refusal other than full): the race's failure signal.
    Other {
        message: String,
    },
}

/// What a worker prints after the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerReport {
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Time inside `Store::book`, from after the release to the commit (or refusal).
    pub micros: u64,
}

/// Classifies a booking result.
pub fn outcome<T>(result: &Result<T, Error>, booking_id: impl Fn(&T) -> i64) -> Outcome {
    match result {
        Ok(row) => Outcome::Booked { booking_id: booking_id(row) },
        Err(Error::Refused(Refusal::EventFull)) => Outcome::Full,
        Err(e) => Outcome::Other { message: e.to_string() },
    }
}

/// The worker's whole life after sign-in: the store is open and the session checked before
/// the start line, so the timed part is the booking alone.
pub fn work(store: &Store, session: &Session, event_id: i64, attendee_id: i64) -> anyhow::Result<()> {
    start_line::wait_for_start()?;
    let started = Instant::now();
    let result = store.book(session, event_id, attendee_id);
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let report = WorkerReport { outcome: outcome(&result, |row| row.booking.id), micros };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(&report)?)?;
    out.flush()?;
    Ok(())
}
