//! Turns SQLite's errors into the domain's: the schema's own refusals become the same refusals
//! the rules give, lock waits become Busy, and nothing else leaks its engine-specific type.

use rusqlite::ErrorCode;

use crate::model::{Error, Refusal};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, message) = &e {
            let message = message.as_deref().unwrap_or_default();
            return match code.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::Busy,
                ErrorCode::ConstraintViolation => constraint(message),
                ErrorCode::DiskFull => {
                    Error::Storage("the disk is full; free some space and try again".into())
                }
                ErrorCode::SystemIoFailure => Error::Storage(super::open::IO_FAILURE.into()),
                ErrorCode::ReadOnly => {
                    Error::Storage("the database is read-only; check the file's permissions".into())
                }
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    Error::Storage("the database file is corrupt; restore it from a backup".into())
                }
                _ => Error::Storage(e.to_string()),
            };
        }
        Error::Storage(e.to_string())
    }
}

/// A refusal raised by a trigger or a unique index, stated as the rule it enforces.
fn constraint(message: &str) -> Error {
    if message.contains("event full") {
        Refusal::EventFull.into()
    } else if message.contains("bookings.attendee_id") {
        Refusal::AlreadyBooked.into()
    } else if message.contains("operators.username") {
        Refusal::UsernameTaken.into()
    } else if message.contains("attendees.email") {
        Refusal::EmailTaken.into()
    } else {
        Error::Storage(format!("refused by the database: {message}"))
    }
}
