//! The seam between the rules and the databases that hold their data.
//!
//! The rules (refusal order, roles, history rows; `store/{bookings,events,...}.rs`) are written
//! once against `Tx`, the row operations of one write transaction. Each engine supplies only
//! what differs: its SQL, its migrations, its lock and retry policy, how it notices other
//! writers, and how its guard violations map back to refusals.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::copy::{RowCounts, Sink};

use super::{
    AttendeeQuery, BookingQuery, BulkSpec, BulkSummary, CheckReport, EventQuery, HistoryQuery, Location,
    SummaryQuery, WaitlistQuery,
};
use crate::model::{
    Attendee, BookingDay, BookingRow, BookingStatus, CapacitySummary, Event, HistoryAction, HistoryEntry,
    NewEvent, ObjectKind, Operator, Result, Role, ValidAttendee, ValidOperator, WaitlistEntry,
};

/// The write transaction a rule runs in: everything it reads sees everything it wrote, and it
/// commits whole or not at all.
pub(super) trait Tx {
    /// The role the database has for this operator now (None: the account is gone).
    fn role(&mut self, operator_id: i64, username: &str) -> Result<Option<Role>>;
    fn operator(&mut self, id: i64) -> Result<Option<Operator>>;
    fn username_taken(&mut self, username: &str) -> Result<bool>;
    fn insert_operator(&mut self, v: &ValidOperator, password_hash: &str, at: DateTime<Utc>) -> Result<i64>;
    /// Counts one more failed sign-in, locking the account until `lock_until` once `after`
    /// failures in a row are reached; returns the new count.
    fn count_failed_sign_in(&mut self, id: i64, after: i64, lock_until: DateTime<Utc>) -> Result<i64>;
    fn clear_failed_sign_ins(&mut self, id: i64) -> Result<()>;

    /// The event by id, deleted or not (`deleted_at` says which, so the rules can say "that
    /// event was deleted" rather than "no event"). `Lock::ForUpdate` keeps other writers off its row until the
    /// transaction ends, where the engine does not already serialize every write.
    fn event(&mut self, id: i64, lock: Lock) -> Result<Option<Event>>;
    fn insert_event(&mut self, v: &NewEvent, creator_id: i64, at: DateTime<Utc>) -> Result<i64>;
    fn update_event(&mut self, id: i64, v: &NewEvent, at: DateTime<Utc>) -> Result<()>;
    fn delete_event(&mut self, id: i64, at: DateTime<Utc>) -> Result<()>;

    fn attendee(&mut self, id: i64) -> Result<Option<Attendee>>;
    /// Whether another attendee than `except` (or one merged into it) has this email, compared
    /// by canonical form (model::fold).
    fn email_taken(&mut self, email: &str, except: i64) -> Result<bool>;
    fn insert_attendee(&mut self, v: &ValidAttendee, at: DateTime<Utc>) -> Result<i64>;
    fn update_attendee(&mut self, id: i64, v: &ValidAttendee, at: DateTime<Utc>) -> Result<()>;
    /// The attendee this one was merged into, if it was.
    fn merged_into(&mut self, id: i64) -> Result<Option<i64>>;
    /// The events the attendee holds an active seat on, and those whose list they wait on.
    fn holdings(&mut self, attendee_id: i64) -> Result<(Vec<i64>, Vec<i64>)>;
    /// Marks `other` merged into `keep` and hands `keep` all of `other`'s bookings and
    /// waiting-list entries; returns how many of each moved.
    fn merge_attendee(&mut self, keep: i64, other: i64, at: DateTime<Utc>) -> Result<(u64, u64)>;

    fn booking(&mut self, id: i64) -> Result<Option<BookingRow>>;
    /// The pair's booking that matters: the active one if any, else the latest cancelled.
    fn pair_booking(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<(i64, BookingStatus)>>;
    fn insert_booking(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64>;
    fn set_booking(&mut self, id: i64, change: BookingChange) -> Result<()>;
    /// Cancels every active booking of the event; returns (booking id, attendee id) of each.
    fn cancel_event_bookings(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<(i64, i64)>>;

    fn record(&mut self, at: DateTime<Utc>, r: &Record<'_>) -> Result<()>;

    /// The pair's entry while the attendee is waiting for the event.
    fn waiting_entry(&mut self, attendee_id: i64, event_id: i64) -> Result<Option<i64>>;
    fn insert_waiting(&mut self, event_id: i64, attendee_id: i64, at: DateTime<Utc>) -> Result<i64>;
    /// One entry with its position, as committed now (not locked: every change to an event's
    /// list first locks the event, which keeps one lock order for all of them).
    fn waitlist_entry(&mut self, id: i64) -> Result<Option<WaitlistEntry>>;
    /// Takes a waiting entry off the list (`status` removed, `left_at` set).
    fn remove_waiting(&mut self, id: i64, at: DateTime<Utc>) -> Result<()>;
    /// Marks the first `n` waiting entries of the event promoted, in list order, and returns
    /// them with what their bookings need: one statement, however many.
    fn take_waiting(&mut self, event_id: i64, n: u32, at: DateTime<Utc>) -> Result<Vec<Waiter>>;
    /// Takes every waiting entry of the event off the list (the event was deleted).
    fn remove_event_waiting(&mut self, event_id: i64, at: DateTime<Utc>) -> Result<Vec<Waiter>>;

    /// Stands a check-in for the booking, or says who got there first: a second door that
    /// read the booking before the first door's check-in committed meets it here.
    fn insert_check_in(&mut self, booking_id: i64, by: &str, at: DateTime<Utc>) -> Result<CheckInSlot>;
    /// Undoes the booking's standing check-in (a timestamp, never a DELETE); returns its id
    /// and when it was made, or None when none stands.
    fn undo_check_in(
        &mut self,
        booking_id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<(i64, DateTime<Utc>)>>;
    /// The event's standing check-ins on active bookings.
    fn checked_in_count(&mut self, event_id: i64) -> Result<u32>;
}

/// What standing a check-in found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CheckInSlot {
    Stood(i64),
    Taken { at: DateTime<Utc>, by: String },
}

/// A waiting entry as a promotion (or a removal) needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Waiter {
    pub entry_id: i64,
    pub attendee_id: i64,
    pub attendee_name: String,
    pub attendee_email: String,
    /// The pair's latest booking (cancelled, since a waiting attendee holds no seat): a
    /// promotion reactivates it rather than adding a second row for the pair.
    pub prior_booking: Option<i64>,
}

/// How an event is read inside a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lock {
    /// Read as of now; the rule will not change the event's seats.
    Plain,
    /// The rule is about to take, free or count seats of this event.
    ForUpdate,
}

/// What a write does to one booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BookingChange {
    Reactivate { at: DateTime<Utc> },
    Cancel { at: DateTime<Utc> },
    Move { to_event: i64, at: DateTime<Utc> },
}

/// One history row, written inside the transaction of the change it records.
pub(super) struct Record<'a> {
    pub actor: &'a str,
    pub action: HistoryAction,
    pub kind: ObjectKind,
    pub id: Option<i64>,
    pub details: Value,
}

/// What signing in compares against; never leaves the store.
pub(super) struct Credentials {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub hash: String,
    pub failed: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// One open database of some engine. Reads run outside any long transaction, so an idle desk
/// never holds one open.
pub(super) trait Engine: Send {
    fn location(&self) -> &Location;
    /// Runs `work` in one write transaction, commits if it returns Ok and rolls back otherwise.
    /// Waits for other writers within the engine's lock timeout, and retries what the engine
    /// knows to be transient (lock waits, serialization failures) by running `work` again.
    fn write(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>;
    /// A number that changes when another connection has committed since it was last read.
    fn change_token(&self) -> Result<i64>;
    /// `now` decides which events have started (the waiting-list invariant holds before).
    fn check(&self, now: DateTime<Utc>) -> Result<CheckReport>;

    fn event(&self, id: i64) -> Result<Option<Event>>;
    fn list_events(&self, q: &EventQuery, now: DateTime<Utc>) -> Result<Vec<Event>>;
    /// How many match, from the page's seek row when it seeks; stops at `cap + 1` when capped.
    fn count_events(&self, q: &EventQuery, now: DateTime<Utc>, cap: Option<u64>) -> Result<u64>;
    /// The summary line's numbers, in one statement.
    fn capacity_summary(&self, q: &SummaryQuery, now: DateTime<Utc>) -> Result<CapacitySummary>;
    /// Seats taken and freed on the event per UTC day, from its history, oldest day first.
    fn booking_days(&self, event_id: i64) -> Result<Vec<BookingDay>>;
    fn booking(&self, id: i64) -> Result<Option<BookingRow>>;
    fn list_bookings(&self, q: &BookingQuery) -> Result<Vec<BookingRow>>;
    fn count_bookings(&self, q: &BookingQuery, cap: Option<u64>) -> Result<u64>;
    fn attendee(&self, id: i64) -> Result<Option<Attendee>>;
    fn attendee_by_email(&self, email: &str) -> Result<Option<Attendee>>;
    fn list_attendees(&self, q: &AttendeeQuery) -> Result<Vec<Attendee>>;
    fn count_attendees(&self, q: &AttendeeQuery) -> Result<u64>;
    /// Counts up to `cap + 1` matches and stops there.
    fn count_attendees_upto(&self, q: &AttendeeQuery, cap: u64) -> Result<u64>;
    fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>>;
    fn count_history(&self, q: &HistoryQuery, cap: Option<u64>) -> Result<u64>;
    fn operator(&self, id: i64) -> Result<Option<Operator>>;
    fn credentials(&self, username: &str) -> Result<Option<Credentials>>;
    /// Appends generated rows in bulk (benchmarks and large demos).
    fn generate(&self, spec: &BulkSpec, now: DateTime<Utc>) -> Result<BulkSummary>;

    /// Hands every row to `sink`, table by table in id order, from one consistent snapshot.
    fn export(&self, sink: &mut Sink<'_>) -> Result<()>;
    /// Inserts the rows `fill` hands over into this database, which must hold no rows at all,
    /// in one transaction; returns how many of each it inserted.
    fn import(&self, fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>) -> Result<RowCounts>;
    fn row_counts(&self) -> Result<RowCounts>;

    fn waitlist_entry(&self, id: i64) -> Result<Option<WaitlistEntry>>;
    /// One page of entries: by event, then position.
    fn list_waitlist(&self, q: &WaitlistQuery) -> Result<Vec<WaitlistEntry>>;
    fn count_waitlist(&self, q: &WaitlistQuery, cap: Option<u64>) -> Result<u64>;
    /// The event's standing check-ins on active bookings, and its waiting entries.
    fn door_counts(&self, event_id: i64) -> Result<(u32, u32)>;
    /// For each attendee given, the active bookings never checked in on events that ended
    /// before `now` (attendees with none are left out).
    fn no_show_counts(&self, attendee_ids: &[i64], now: DateTime<Utc>) -> Result<Vec<(i64, u32)>>;
}
