//! Bookings: an attendee holding a seat on an event.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A booking is active (holds a seat) or cancelled (kept for the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BookingStatus {
    Active,
    Cancelled,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Active => "active",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<BookingStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "active" => Some(BookingStatus::Active),
            "cancelled" | "canceled" => Some(BookingStatus::Cancelled),
            _ => None,
        }
    }
}

/// A stored booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: i64,
    pub event_id: i64,
    pub attendee_id: i64,
    pub status: BookingStatus,
    pub booked_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A booking with the names a list shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingRow {
    #[serde(flatten)]
    pub booking: Booking,
    pub attendee_name: String,
    pub attendee_email: String,
    pub event_title: String,
    pub event_start: DateTime<Utc>,
    /// Seats left on the event after this change (for status lines).
    pub seats_left: u32,
    /// When the standing check-in of this booking was made (None: not checked in).
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Who made it (the operator's username).
    pub checked_in_by: Option<String>,
    /// The event was deleted: the booking stays for the record but can no longer change.
    #[serde(skip)]
    pub event_deleted: bool,
}
