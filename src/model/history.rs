//! The audit history: who did what, to which object, when.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
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
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Register,
        Action::Login,
        Action::LoginFailed,
        Action::Logout,
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::Book,
        Action::Cancel,
        Action::Reactivate,
        Action::Move,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Login => "login",
            Action::LoginFailed => "login_failed",
            Action::Logout => "logout",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Book => "book",
            Action::Cancel => "cancel",
            Action::Reactivate => "reactivate",
            Action::Move => "move",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

/// The kind of object a history row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Operator,
    Attendee,
    Event,
    Booking,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 4] =
        [ObjectKind::Operator, ObjectKind::Attendee, ObjectKind::Event, ObjectKind::Booking];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Operator => "operator",
            ObjectKind::Attendee => "attendee",
            ObjectKind::Event => "event",
            ObjectKind::Booking => "booking",
        }
    }

    pub fn parse(s: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// One stored history row. `action` and `object_kind` are kept as text so rows written by a
/// newer version still read.
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
