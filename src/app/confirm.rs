//! Typed confirmations: each says exactly what will happen before anything is changed.

use chrono::{DateTime, Utc};

use super::waitlist::FullEvent;
use crate::model::format_clock;

/// A question waiting for `y` (or Enter) / `n` (or Esc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    DeleteEvent {
        id: i64,
        title: String,
        active: u32,
    },
    CancelBooking {
        id: i64,
        attendee: String,
        event: String,
    },
    /// A booking found the event full: offer its waiting list instead.
    JoinWaitlist(FullEvent),
    RemoveWaiting {
        entry_id: i64,
        attendee: String,
        event: String,
        position: Option<u32>,
    },
    UndoCheckIn {
        booking_id: i64,
        attendee: String,
        at: DateTime<Utc>,
        by: String,
    },
    Logout,
}

impl Confirm {
    pub fn title(&self) -> &'static str {
        match self {
            Confirm::DeleteEvent { .. } => "Delete event",
            Confirm::CancelBooking { .. } => "Cancel booking",
            Confirm::JoinWaitlist(_) => "Full — waiting list",
            Confirm::RemoveWaiting { .. } => "Remove from the waiting list",
            Confirm::UndoCheckIn { .. } => "Undo check-in",
            Confirm::Logout => "Log out",
        }
    }

    /// The question, naming the consequences (stored text is sanitized when drawn).
    pub fn message(&self) -> String {
        match self {
            Confirm::DeleteEvent { title, active: 0, .. } => {
                format!("Delete \u{201c}{title}\u{201d}? It has no active bookings.")
            }
            Confirm::DeleteEvent { title, active, .. } => format!(
                "Delete \u{201c}{title}\u{201d}? This cancels {active} active booking{}.",
                if *active == 1 { "" } else { "s" }
            ),
            Confirm::CancelBooking { attendee, event, .. } => {
                format!("Cancel {attendee}'s booking on {event}? The seat is freed.")
            }
            Confirm::JoinWaitlist(full) => format!(
                "{} is full — add {} to the waiting list? They get the next freed seat in turn.",
                full.title, full.attendee
            ),
            Confirm::RemoveWaiting { attendee, event, position, .. } => {
                let at = position.map(|p| format!(" (position {p})")).unwrap_or_default();
                format!("Take {attendee}{at} off the waiting list of {event}? They lose their place.")
            }
            Confirm::UndoCheckIn { attendee, at, by, .. } => format!(
                "Undo {attendee}'s check-in (at {} by {by})? They count as not checked in again.",
                format_clock(*at)
            ),
            Confirm::Logout => "Sign out of eventdesk?".to_string(),
        }
    }
}
