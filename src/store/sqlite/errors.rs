//! Turns SQLite's errors into the domain's: the schema's own refusals become the same refusals
//! the rules give, lock waits become Busy, and nothing else leaks its engine-specific type.
//!
//! The guards are named here once: `check` verifies that each still exists, and a test checks
//! that each trigger still raises the text this table maps back, so renaming a guard in a
//! migration cannot silently turn a refusal into a storage error.

use rusqlite::ErrorCode;

use super::open::IO_FAILURE;
use crate::model::{Error, Refusal};

/// A trigger that refuses a change: what it raises, and the refusal that text stands for
/// (None: a refusal no rule reaches first, reported as the database's own words).
pub(super) struct Guard {
    pub raises: &'static str,
    pub refusal: Option<Refusal>,
}

/// Every guard trigger the schema must have, by name.
pub(super) const GUARDS: [(&str, Guard); 16] = [
    ("bookings_guard_insert", Guard { raises: "event full", refusal: Some(Refusal::EventFull) }),
    ("bookings_guard_update", Guard { raises: "event full", refusal: Some(Refusal::EventFull) }),
    ("bookings_count_insert", Guard { raises: "", refusal: None }),
    ("bookings_count_update", Guard { raises: "", refusal: None }),
    ("bookings_never_deleted", Guard { raises: "bookings are never deleted; cancel them", refusal: None }),
    ("events_never_deleted", Guard { raises: "events are never deleted; set deleted_at", refusal: None }),
    ("events_capacity_guard", Guard { raises: "capacity below active bookings", refusal: None }),
    ("history_no_update", Guard { raises: "history is append-only", refusal: None }),
    ("history_no_delete", Guard { raises: "history is append-only", refusal: None }),
    (
        "waitlist_not_booked",
        Guard {
            raises: "the attendee already holds a seat on this event",
            refusal: Some(Refusal::AlreadyBooked),
        },
    ),
    (
        "waitlist_append_only",
        Guard {
            raises: "waiting-list entries are append-only; an entry leaves the list once",
            refusal: None,
        },
    ),
    (
        "waitlist_never_deleted",
        Guard { raises: "waiting-list entries are never deleted; remove them from the list", refusal: None },
    ),
    (
        "checkins_active_booking",
        Guard {
            raises: "only an active booking can be checked in",
            refusal: Some(Refusal::BookingCancelled),
        },
    ),
    (
        "checkins_append_only",
        Guard { raises: "check-ins are append-only; undo one by setting undone_at once", refusal: None },
    ),
    ("checkins_never_deleted", Guard { raises: "check-ins are never deleted; undo them", refusal: None }),
    (
        "bookings_checked_in_guard",
        Guard { raises: "checked in: undo the check-in first", refusal: Some(Refusal::CheckedIn) },
    ),
];

/// Unique indexes whose violation is a rule's refusal, by the columns SQLite names (or, for an
/// index on an expression, the index's name).
const UNIQUE: [(&str, Refusal); 6] = [
    ("index 'bookings_one_active'", Refusal::AlreadyBooked),
    // Before migration 008, the same guard as a partial index on the pair.
    ("bookings.attendee_id, bookings.event_id", Refusal::AlreadyBooked),
    ("waitlist.attendee_id, waitlist.event_id", Refusal::AlreadyWaiting),
    ("operators.username", Refusal::UsernameTaken),
    ("attendees.email", Refusal::EmailTaken),
    ("attendees.email_canonical", Refusal::EmailTaken),
];

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
                ErrorCode::SystemIoFailure => Error::Storage(IO_FAILURE.into()),
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

/// A refusal raised by a guard trigger or a unique index, stated as the rule it enforces.
fn constraint(message: &str) -> Error {
    let raised = GUARDS.iter().find(|(_, g)| !g.raises.is_empty() && message == g.raises);
    if let Some((_, Guard { refusal: Some(refusal), .. })) = raised {
        return refusal.clone().into();
    }
    if let Some(columns) = message.strip_prefix("UNIQUE constraint failed: ")
        && let Some((_, refusal)) = UNIQUE.iter().find(|(c, _)| *c == columns)
    {
        return refusal.clone().into();
    }
    Error::Storage(format!("refused by the database: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::Sqlite;

    #[test]
    fn every_guard_raises_what_the_table_maps_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Sqlite::open(&dir.path().join("g.db"), &Default::default()).unwrap();
        for (name, guard) in &GUARDS {
            let sql: String = db
                .conn
                .query_row("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name], |r| {
                    r.get(0)
                })
                .unwrap_or_else(|e| panic!("trigger {name} is missing: {e}"));
            if !guard.raises.is_empty() {
                assert!(sql.contains(&format!("RAISE(ABORT, '{}')", guard.raises)), "{name}: {sql}");
            }
            if let Some(refusal) = &guard.refusal {
                assert_eq!(constraint(guard.raises), Error::Refused(refusal.clone()), "{name}");
            }
        }
    }

    #[test]
    fn unique_violations_map_to_their_refusals() {
        assert_eq!(
            constraint("UNIQUE constraint failed: bookings.attendee_id, bookings.event_id"),
            Refusal::AlreadyBooked.into()
        );
        assert_eq!(
            constraint("UNIQUE constraint failed: index 'bookings_one_active'"),
            Refusal::AlreadyBooked.into()
        );
        assert_eq!(constraint("UNIQUE constraint failed: attendees.email"), Refusal::EmailTaken.into());
        assert!(matches!(constraint("CHECK constraint failed: x"), Error::Storage(_)));
    }
}
