//! Each schema guard named once: the name a refusal arrives under (a constraint, a unique
//! index, or the CONSTRAINT field of a trigger's RAISE) and what it means to the rules.
//!
//! Mapping by name rather than by message text means a reworded message changes nothing, and
//! a renamed guard fails the tests below instead of silently turning a refusal into a storage
//! error.

use postgres::error::DbError;

use crate::model::Refusal;

/// Where in the schema a guard's name lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A CHECK constraint.
    Check,
    /// A unique index (its name is the constraint name of a unique violation).
    UniqueIndex,
    /// A trigger function's `RAISE ... USING CONSTRAINT = name`.
    Raise,
}

/// One named guard.
pub struct Guard {
    pub name: &'static str,
    pub kind: Kind,
    /// The refusal the rules would have given, or `None` for a guard only raw SQL can reach
    /// (the store never tries to delete, rewrite history or set a counter).
    pub refusal: Option<fn(&DbError) -> Refusal>,
}

pub const GUARDS: &[Guard] = &[
    Guard { name: "bookings_capacity_guard", kind: Kind::Raise, refusal: Some(|_| Refusal::EventFull) },
    Guard { name: "events_full", kind: Kind::Check, refusal: Some(|_| Refusal::EventFull) },
    Guard { name: "bookings_one_active", kind: Kind::UniqueIndex, refusal: Some(|_| Refusal::AlreadyBooked) },
    Guard {
        name: "operators_username_unique",
        kind: Kind::UniqueIndex,
        refusal: Some(|_| Refusal::UsernameTaken),
    },
    Guard { name: "attendees_email_unique", kind: Kind::UniqueIndex, refusal: Some(|_| Refusal::EmailTaken) },
    Guard { name: "events_capacity_guard", kind: Kind::Raise, refusal: Some(capacity_below_booked) },
    Guard { name: "events_booked_guard", kind: Kind::Raise, refusal: None },
    Guard { name: "bookings_never_deleted", kind: Kind::Raise, refusal: None },
    Guard { name: "events_never_deleted", kind: Kind::Raise, refusal: None },
    Guard { name: "history_append_only", kind: Kind::Raise, refusal: None },
    Guard {
        name: "waitlist_one_waiting",
        kind: Kind::UniqueIndex,
        refusal: Some(|_| Refusal::AlreadyWaiting),
    },
    Guard { name: "waitlist_not_booked", kind: Kind::Raise, refusal: Some(|_| Refusal::AlreadyBooked) },
    Guard { name: "waitlist_append_only", kind: Kind::Raise, refusal: None },
    Guard { name: "waitlist_never_deleted", kind: Kind::Raise, refusal: None },
    // Reached only past the rules (which say when and by whom): raw SQL, or a bug.
    Guard { name: "checkins_one_standing", kind: Kind::UniqueIndex, refusal: None },
    Guard {
        name: "checkins_active_booking",
        kind: Kind::Raise,
        refusal: Some(|_| Refusal::BookingCancelled),
    },
    Guard { name: "checkins_append_only", kind: Kind::Raise, refusal: None },
    Guard { name: "checkins_never_deleted", kind: Kind::Raise, refusal: None },
    Guard { name: "bookings_checked_in_guard", kind: Kind::Raise, refusal: Some(|_| Refusal::CheckedIn) },
];

/// The trigger raises with the active bookings as its DETAIL.
fn capacity_below_booked(db: &DbError) -> Refusal {
    let booked = db.detail().and_then(|d| d.trim().parse().ok()).unwrap_or(0);
    Refusal::CapacityBelowBooked { booked }
}

/// The guard an error names, if any.
pub fn guard(db: &DbError) -> Option<&'static Guard> {
    let name = db.constraint()?;
    GUARDS.iter().find(|g| g.name == name)
}

/// The refusal a server error stands for, when one of the guards raised it.
pub fn refusal(db: &DbError) -> Option<Refusal> {
    guard(db).and_then(|g| g.refusal).map(|make| make(db))
}

#[cfg(test)]
#[path = "guards_tests.rs"]
mod tests;
