//! A door write (a check-in or its undo) and how it went, as the line above the list says it.

use chrono::{DateTime, Utc};

use super::super::writes::Wrote;
use crate::model::{CheckIn, Result};

/// What a door write was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorWrite {
    CheckIn,
    Undo,
}

/// How a door write went: on its way, done, or refused with the store's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoorResult {
    Sending,
    /// `at`/`by`: when and by whom the check-in (or the undo) was made.
    Done {
        at: DateTime<Utc>,
        by: String,
        checked_in: u32,
        booked: u32,
    },
    Refused(String),
}

/// One door write, for the line above the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorOutcome {
    pub write: DoorWrite,
    pub booking_id: i64,
    pub attendee: String,
    pub result: DoorResult,
}

impl DoorOutcome {
    /// The sentence the door view and the status line show.
    pub fn text(&self) -> String {
        let who = &self.attendee;
        match (&self.result, self.write) {
            (DoorResult::Sending, DoorWrite::CheckIn) => format!("checking in {who}…"),
            (DoorResult::Sending, DoorWrite::Undo) => format!("undoing {who}'s check-in…"),
            (DoorResult::Done { checked_in, booked, .. }, DoorWrite::CheckIn) => {
                format!("Checked in {who} — {checked_in} / {booked}")
            }
            (DoorResult::Done { checked_in, booked, .. }, DoorWrite::Undo) => {
                format!("Undid {who}'s check-in — {checked_in} / {booked}")
            }
            (DoorResult::Refused(why), DoorWrite::CheckIn) => format!("{who} not checked in: {why}"),
            (DoorResult::Refused(why), DoorWrite::Undo) => format!("{who}'s check-in not undone: {why}"),
        }
    }
}

/// The store's answer to a door write, as the app takes it in.
pub(in crate::app) fn door_wrote(
    write: DoorWrite,
    booking_id: i64,
    attendee: String,
    result: Result<CheckIn>,
) -> Wrote {
    let result = match result {
        Err(e @ crate::model::Error::Vanished { .. }) => return Wrote::Failed(e),
        Ok(c) => DoorResult::Done {
            at: c.undone_at.unwrap_or(c.checked_in_at),
            by: c.undone_by.unwrap_or(c.checked_in_by),
            checked_in: c.event_checked_in,
            booked: c.event_booked,
        },
        Err(e) => DoorResult::Refused(e.to_string()),
    };
    Wrote::Door(DoorOutcome { write, booking_id, attendee, result })
}
