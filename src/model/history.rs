//! The audit history: who did what, to which object, when.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What happened. Named apart from the app's `Action` (a key press or tick): this one is a
/// fact in the audit log, stored as `as_str()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HistoryAction {
    Register,
    Login,
    LoginFailed,
    Logout,
    Create,
    Update,
    Delete,
    Book,
    Cancel,
    Reactivate,
    Move,
    /// An attendee joined a full event's waiting list.
    WaitlistAdd,
    /// A waiting entry was taken off the list (by the desk, or because its event was deleted).
    WaitlistRemove,
    /// The head of the list was booked into a freed seat.
    Promote,
    CheckIn,
    CheckInUndo,
    /// Two attendees found to be one person were merged into one.
    Merge,
}

impl HistoryAction {
    pub const ALL: [HistoryAction; 17] = [
        HistoryAction::Register,
        HistoryAction::Login,
        HistoryAction::LoginFailed,
        HistoryAction::Logout,
        HistoryAction::Create,
        HistoryAction::Update,
        HistoryAction::Delete,
        HistoryAction::Book,
        HistoryAction::Cancel,
        HistoryAction::Reactivate,
        HistoryAction::Move,
        HistoryAction::WaitlistAdd,
        HistoryAction::WaitlistRemove,
        HistoryAction::Promote,
        HistoryAction::CheckIn,
        HistoryAction::CheckInUndo,
        HistoryAction::Merge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Register => "register",
            HistoryAction::Login => "login",
            HistoryAction::LoginFailed => "login_failed",
            HistoryAction::Logout => "logout",
            HistoryAction::Create => "create",
            HistoryAction::Update => "update",
            HistoryAction::Delete => "delete",
            HistoryAction::Book => "book",
            HistoryAction::Cancel => "cancel",
            HistoryAction::Reactivate => "reactivate",
            HistoryAction::Move => "move",
            HistoryAction::WaitlistAdd => "waitlist_add",
            HistoryAction::WaitlistRemove => "waitlist_remove",
            HistoryAction::Promote => "promote",
            HistoryAction::CheckIn => "checkin",
            HistoryAction::CheckInUndo => "checkin_undo",
            HistoryAction::Merge => "merge",
        }
    }

    pub fn parse(s: &str) -> Option<HistoryAction> {
        HistoryAction::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// Parses, or says what the choices are (for forms and the command line).
    pub fn parse_or_explain(s: &str) -> Result<HistoryAction, String> {
        Self::parse(s).ok_or_else(|| choices("action", s, &Self::ALL.map(Self::as_str)))
    }
}

/// The kind of object a history row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Operator,
    Attendee,
    Event,
    Booking,
    /// A waiting-list entry.
    Waitlist,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 5] = [
        ObjectKind::Operator,
        ObjectKind::Attendee,
        ObjectKind::Event,
        ObjectKind::Booking,
        ObjectKind::Waitlist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Operator => "operator",
            ObjectKind::Attendee => "attendee",
            ObjectKind::Event => "event",
            ObjectKind::Booking => "booking",
            ObjectKind::Waitlist => "waitlist",
        }
    }

    pub fn parse(s: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Parses, or says what the choices are (for forms and the command line).
    pub fn parse_or_explain(s: &str) -> Result<ObjectKind, String> {
        Self::parse(s).ok_or_else(|| choices("kind", s, &Self::ALL.map(Self::as_str)))
    }
}

fn choices(what: &str, given: &str, all: &[&str]) -> String {
    format!("no {what} \"{}\": choose one of {}", given.trim(), all.join(", "))
}

/// "Everything about" one object: the rows about it and about the bookings that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum About {
    /// The event's own rows and its bookings' rows, including bookings moved away from it.
    Event(i64),
    /// The attendee's own rows and their bookings' rows.
    Attendee(i64),
}

/// One stored history row. `action` and `object_kind` are kept as text so rows written by a
/// newer version still read; `kind()` and `history_action()` give the typed values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<i64>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl HistoryEntry {
    /// The action, when this version knows it.
    pub fn history_action(&self) -> Option<HistoryAction> {
        HistoryAction::parse(&self.action)
    }

    /// The object kind, when this version knows it.
    pub fn kind(&self) -> Option<ObjectKind> {
        ObjectKind::parse(&self.object_kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_ones_list_the_choices() {
        for a in HistoryAction::ALL {
            assert_eq!(HistoryAction::parse(a.as_str()), Some(a));
        }
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse_or_explain(k.as_str()), Ok(k));
        }
        let err = ObjectKind::parse_or_explain("seat").unwrap_err();
        assert_eq!(err, "no kind \"seat\": choose one of operator, attendee, event, booking, waitlist");
        assert!(HistoryAction::parse_or_explain("boook").unwrap_err().contains("book, cancel"));
    }
}
