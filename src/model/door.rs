//! At the door: the waiting list of a full event, check-ins and no-shows.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::Event;

/// How long before an event's start its check-in opens.
pub const CHECK_IN_OPENS_BEFORE: TimeDelta = TimeDelta::hours(2);

/// When check-in opens for `event`.
pub fn check_in_opens(event: &Event) -> DateTime<Utc> {
    event.starts_at - CHECK_IN_OPENS_BEFORE
}

/// Where a waiting-list entry stands. An entry leaves the list by promotion (it became a
/// booking) or removal; either way the row stays, for the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaitStatus {
    Waiting,
    Promoted,
    Removed,
}

impl WaitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WaitStatus::Waiting => "waiting",
            WaitStatus::Promoted => "promoted",
            WaitStatus::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<WaitStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "waiting" => Some(WaitStatus::Waiting),
            "promoted" => Some(WaitStatus::Promoted),
            "removed" => Some(WaitStatus::Removed),
            _ => None,
        }
    }
}

/// One attendee on one event's waiting list, with the names a list shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitlistEntry {
    pub id: i64,
    pub event_id: i64,
    pub attendee_id: i64,
    pub status: WaitStatus,
    /// 1 for the head of the list; None once the entry left it.
    pub position: Option<u32>,
    pub joined_at: DateTime<Utc>,
    /// When it was promoted or removed.
    pub left_at: Option<DateTime<Utc>>,
    pub attendee_name: String,
    pub attendee_email: String,
    pub event_title: String,
    pub event_start: DateTime<Utc>,
}

/// A waiting attendee booked into a freed seat, in the transaction that freed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promotion {
    /// The waiting-list entry that was promoted.
    pub entry_id: i64,
    /// The booking it became (a new one, or the pair's cancelled booking reactivated).
    pub booking_id: i64,
    pub event_id: i64,
    pub attendee_id: i64,
    pub attendee_name: String,
    pub attendee_email: String,
}

/// What a change that may free seats (cancel, move, event edit) returns: the changed row and
/// the waiting attendees promoted into the freed seats, in list order (empty when nobody).
/// Serialized flat: the row's own fields, then `"promoted": [...]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Freed<T> {
    #[serde(flatten)]
    pub changed: T,
    pub promoted: Vec<Promotion>,
}

/// A check-in of one booking, standing or undone (an undo is a timestamp, never an erasure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckIn {
    pub id: i64,
    pub booking_id: i64,
    pub event_id: i64,
    pub attendee_id: i64,
    pub attendee_name: String,
    pub attendee_email: String,
    pub event_title: String,
    pub checked_in_at: DateTime<Utc>,
    /// The operator (username) who checked the attendee in.
    pub checked_in_by: String,
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_by: Option<String>,
    /// The event's standing check-ins after this change (the door's counter).
    pub event_checked_in: u32,
    /// The event's active bookings (the other half of "checked in 37 / 120").
    pub event_booked: u32,
}

/// Which booking a door action is about: by id, or the attendee's booking on an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingRef {
    Id(i64),
    Pair { event_id: i64, attendee_id: i64 },
}

impl From<i64> for BookingRef {
    fn from(id: i64) -> Self {
        BookingRef::Id(id)
    }
}

/// One event's door figures: booked / checked in / no-shows, and who is waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Attendance {
    pub event_id: i64,
    pub capacity: u32,
    pub booked: u32,
    pub checked_in: u32,
    pub waiting: u32,
    /// Active bookings never checked in; known only once the event has ended.
    pub no_shows: Option<u32>,
}
