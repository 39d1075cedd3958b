//! The one error type the store's public API returns. Every variant carries a message a person
//! can act on; nothing from the storage engine leaks through.

use std::fmt;

use chrono::{DateTime, Utc};

use super::time::{format_clock, format_input, format_local};
use super::{Attendee, Event, WaitStatus, plural};

/// Result alias for everything the store does.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A form or command field that a validation message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Description,
    Start,
    End,
    Capacity,
    Name,
    Email,
    Phone,
    Username,
    Password,
    Organization,
    Address,
    Role,
}

impl Field {
    /// The name the user sees next to the field (and the CLI flag without dashes).
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Start => "start",
            Field::End => "end",
            Field::Capacity => "capacity",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Username => "username",
            Field::Password => "password",
            Field::Organization => "organization",
            Field::Address => "address",
            Field::Role => "role",
        }
    }
}

/// One field-level validation message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

/// A change refused by a business rule. The order of the booking variants is the order in which
/// a booking is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The event existed but was deleted (a list or picker may still show it).
    EventDeleted,
    EventEnded,
    EventOngoing,
    AlreadyBooked,
    EventFull,
    BookingNotActive,
    BookingActive,
    EventStarted,
    SameEvent,
    UsernameTaken,
    EmailTaken,
    CapacityBelowBooked {
        booked: u32,
    },
    HasActiveBookings {
        active: u32,
    },
    /// A delete confirmed for `was` active bookings found `now`: the desk must confirm again.
    BookingsChanged {
        was: u32,
        now: u32,
    },
    AccountLocked {
        seconds: i64,
    },
    /// `copy` only fills an empty database, so it never mixes two desks' data.
    TargetNotEmpty {
        rows: u64,
    },
    CopyOntoItself,
    /// Waiting list: the attendee is already waiting for this event.
    AlreadyWaiting,
    /// Waiting list: the event has free seats, so the attendee can simply be booked.
    SeatsLeft,
    /// Waiting list: the entry already left the list (promoted or removed).
    NotWaiting {
        status: WaitStatus,
    },
    /// Check-in: the booking was cancelled.
    BookingCancelled,
    /// Check-in: it already stands (two doors at once: the second one hears this).
    AlreadyCheckedIn {
        at: DateTime<Utc>,
        by: String,
    },
    /// An undo confirmed for one check-in found another standing (undone and made again).
    CheckInChanged {
        at: DateTime<Utc>,
        by: String,
    },
    /// Check-in opens `CHECK_IN_OPENS_BEFORE` the start.
    CheckInNotOpen {
        opens_at: DateTime<Utc>,
    },
    /// A checked-in booking can be neither cancelled nor moved.
    CheckedIn,
    /// Undo of a check-in that does not stand.
    NotCheckedIn,
    /// No-shows are known once the event has ended.
    EventNotEnded {
        ends_at: DateTime<Utc>,
    },
    /// Merge: an attendee cannot be merged into itself.
    MergeSelf,
    /// Merge: one of the two was already merged into another attendee.
    AlreadyMerged {
        id: i64,
        into: i64,
    },
    /// Booking, waiting, editing: the attendee was merged into another, who is the person now.
    Merged {
        id: i64,
        into: i64,
    },
    /// Merge: both attendees hold something on one event that only one may hold (a seat, a
    /// place on its waiting list, or one a seat and the other a place).
    MergeClash {
        event_id: i64,
        what: &'static str,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::EventDeleted => f.write_str("that event was deleted"),
            Refusal::EventEnded => f.write_str("the event has already ended"),
            Refusal::EventOngoing => f.write_str("the event has already started"),
            Refusal::AlreadyBooked => {
                f.write_str("the attendee already holds an active booking on this event")
            }
            Refusal::EventFull => f.write_str("event full: no seats left"),
            Refusal::BookingNotActive => f.write_str("only an active booking can be cancelled or moved"),
            Refusal::BookingActive => f.write_str("the booking is already active"),
            Refusal::EventStarted => f.write_str("the event has started; its bookings can no longer change"),
            Refusal::SameEvent => f.write_str("the booking is already on that event"),
            Refusal::UsernameTaken => f.write_str("that username is taken; choose another"),
            Refusal::EmailTaken => f.write_str("an attendee with that email already exists"),
            Refusal::CapacityBelowBooked { booked } => {
                let held = plural(*booked, "active booking", "active bookings");
                write!(f, "capacity cannot drop below the {held}")
            }
            Refusal::HasActiveBookings { active } => write!(
                f,
                "the event has {}; confirm (--force) to cancel them and delete it",
                plural(*active, "active booking", "active bookings")
            ),
            Refusal::BookingsChanged { was, now } => {
                let (n, verb) = if now > was { (now - was, "made") } else { (was - now, "cancelled") };
                let held = plural(*now, "active booking", "active bookings");
                let n = plural(n, "booking was", "bookings were");
                write!(f, "{n} {verb} since you asked (it now has {held}): confirm again")
            }
            Refusal::AccountLocked { seconds } => {
                write!(f, "too many failed sign-ins; try again in {seconds} s")
            }
            Refusal::TargetNotEmpty { rows } => write!(
                f,
                "the target database is not empty ({}); copy only into a new, empty database",
                plural(*rows, "row", "rows")
            ),
            Refusal::CopyOntoItself => f.write_str("the target is the database being copied; name another"),
            Refusal::AlreadyWaiting => f.write_str("the attendee is already on this event's waiting list"),
            Refusal::SeatsLeft => f.write_str("seats left: book instead"),
            Refusal::NotWaiting { status } => {
                write!(f, "that entry is no longer on the waiting list ({})", status.as_str())
            }
            Refusal::BookingCancelled => {
                f.write_str("the booking was cancelled; only an active booking can be checked in")
            }
            Refusal::AlreadyCheckedIn { at, by } => {
                write!(f, "already checked in at {} by {by}", format_clock(*at))
            }
            Refusal::CheckInChanged { at, by } => write!(
                f,
                "the check-in changed since you asked: it is now the one made at {} by {by}; confirm again",
                format_clock(*at)
            ),
            Refusal::CheckInNotOpen { opens_at } => write!(
                f,
                "check-in is not open yet: it opens at {} (2 hours before the start)",
                format_local(*opens_at)
            ),
            Refusal::CheckedIn => f.write_str("checked in: undo the check-in first"),
            Refusal::NotCheckedIn => f.write_str("the booking is not checked in"),
            Refusal::EventNotEnded { ends_at } => write!(
                f,
                "the event has not ended yet (it ends at {}); no-shows are known once it has",
                format_local(*ends_at)
            ),
            Refusal::MergeSelf => f.write_str("an attendee cannot be merged into itself"),
            Refusal::Merged { id, into } => {
                write!(f, "attendee {id} was merged into attendee {into}: use attendee {into}")
            }
            Refusal::AlreadyMerged { id, into } => {
                write!(f, "attendee {id} was already merged into attendee {into}")
            }
            Refusal::MergeClash { event_id, what } => {
                write!(f, "cannot merge: {what} on event {event_id}; cancel or remove one of them first")
            }
        }
    }
}

/// Everything that can go wrong in the store, as the user should hear it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{}", describe_fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Refused(Refusal),
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: String },
    /// Looked up by something other than its id: "no attendee with email x@y".
    #[error("no {kind} with {key} {value}")]
    NotFoundBy { kind: &'static str, key: &'static str, value: String },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("the database is busy, try again")]
    Busy,
    /// The caller gave the write up before it committed; nothing was changed.
    #[error("given up before it was saved; nothing changed")]
    GivenUp,
    /// The database cannot be used at all (not ours, newer, unreachable): `location` is the
    /// file or the server, shown without any password.
    #[error("{location}: {message}")]
    Unusable { location: String, message: String },
    /// The path names no database, and this command does not create one.
    #[error("no eventdesk database at {location}: run `eventdesk init` to create one")]
    NoDatabase { location: String },
    /// The file at the path is no longer the one opened (removed, or another moved over it):
    /// writing on would save into a file nobody will open again, or corrupt the new one.
    #[error(
        "the database file {location} was removed or replaced while eventdesk had it open: \
         nothing was saved; restart on the right file"
    )]
    Vanished { location: String },
    #[error("storage error: {0}")]
    Storage(String),
    /// An edit based on a version another desk has since replaced; nothing was written.
    #[error("{0}")]
    Conflict(Box<Conflict>),
}

/// The row as it stands now, returned with a refused edit so the form can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Current {
    Event(Event),
    Attendee(Attendee),
}

impl Current {
    pub fn version(&self) -> i64 {
        match self {
            Current::Event(e) => e.version,
            Current::Attendee(a) => a.version,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Current::Event(_) => "event",
            Current::Attendee(_) => "attendee",
        }
    }

    /// A field's stored value as a form or a command line writes it ("2026-12-01 18:00").
    pub fn field(&self, name: &str) -> Option<String> {
        let text = match (self, name) {
            (Current::Event(e), "title") => e.title.clone(),
            (Current::Event(e), "description") => e.description.clone(),
            (Current::Event(e), "start") => format_input(e.starts_at),
            (Current::Event(e), "end") => format_input(e.ends_at),
            (Current::Event(e), "capacity") => e.capacity.to_string(),
            (Current::Attendee(a), "name") => a.name.clone(),
            (Current::Attendee(a), "email") => a.email.clone(),
            (Current::Attendee(a), "phone") => a.phone.clone().unwrap_or_default(),
            _ => return None,
        };
        Some(text)
    }
}

/// A stored value quoted in a one-line message: long text (a description) is cut short.
pub fn quoted(value: &str) -> String {
    const SHOWN: usize = 40;
    let line = value.lines().next().unwrap_or_default();
    let cut: String = line.chars().take(SHOWN).collect();
    let more = if cut.len() < value.len() { "…" } else { "" };
    format!("\u{201c}{cut}{more}\u{201d}")
}

/// An edit refused because the row moved on from the version it was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The version the edit was based on.
    pub opened: i64,
    pub current: Current,
    /// The edited fields whose stored value is no longer the one the edit was based on.
    pub fields: Vec<&'static str>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, now) = (self.current.kind(), self.current.version());
        write!(f, "another desk changed this {kind} since you opened it (version {} → {now})", self.opened)?;
        let now: Vec<String> = self
            .fields
            .iter()
            .map(|name| match self.current.field(name) {
                Some(value) => format!("{name} is now {}", quoted(&value)),
                None => (*name).to_string(),
            })
            .collect();
        if !now.is_empty() {
            write!(f, ": {}", now.join(", "))?;
        }
        f.write_str("; review and save again")
    }
}

impl Error {
    /// A single-field validation error.
    pub fn invalid(field: Field, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// The per-field messages, when this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// The refusal, when a rule refused the change.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused(r) => Some(r),
            _ => None,
        }
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

fn describe_fields(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field.label(), e.message)).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn a_quoted_value_is_one_short_line() {
        assert_eq!(quoted("Rust Meetup"), "\u{201c}Rust Meetup\u{201d}");
        assert_eq!(quoted("first line\nsecond"), "\u{201c}first line…\u{201d}");
        let long = "é".repeat(50);
        assert_eq!(quoted(&long), format!("\u{201c}{}…\u{201d}", "é".repeat(40)));
        assert_eq!(quoted(""), "\u{201c}\u{201d}");
    }
}
