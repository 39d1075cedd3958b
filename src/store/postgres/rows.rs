//! Reading PostgreSQL rows into domain types. Columns are read with `try_get`, so a row of an
//! unexpected shape is an error, never a panic.

use chrono::{DateTime, Utc};
use postgres::Row;
use postgres::types::FromSql;

use crate::model::{
    Attendee, Booking, BookingRow, BookingStatus, Event, HistoryEntry, Operator, Role, WaitStatus,
    WaitlistEntry,
};
use crate::store::engine::Waiter;

pub(super) type Fetched<T> = Result<T, postgres::Error>;

/// Stored times are whole seconds since the epoch, UTC (as in the SQLite file).
pub(super) fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn get<'a, T: FromSql<'a>>(r: &'a Row, i: usize) -> Fetched<T> {
    r.try_get(i)
}

fn opt_time(r: &Row, i: usize) -> Fetched<Option<DateTime<Utc>>> {
    Ok(get::<Option<i64>>(r, i)?.map(time))
}

pub(super) const EVENT_COLUMNS: &str = "e.id, e.title, e.description, e.starts_at, e.ends_at, e.capacity, \
     e.booked, e.creator_id, coalesce(o.organization, o.name), e.created_at, e.updated_at, e.deleted_at, e.version \
     FROM events e JOIN operators o ON o.id = e.creator_id";

pub(super) fn event(r: &Row) -> Fetched<Event> {
    Ok(Event {
        id: get(r, 0)?,
        title: get(r, 1)?,
        description: get(r, 2)?,
        starts_at: time(get(r, 3)?),
        ends_at: time(get(r, 4)?),
        capacity: count(get(r, 5)?),
        booked: count(get(r, 6)?),
        creator_id: get(r, 7)?,
        organizer: get(r, 8)?,
        created_at: time(get(r, 9)?),
        updated_at: time(get(r, 10)?),
        deleted_at: opt_time(r, 11)?,
        version: get(r, 12)?,
    })
}

pub(super) const BOOKING_COLUMNS: &str = "b.id, b.event_id, b.attendee_id, b.status, b.booked_at, \
     b.cancelled_at, a.name, a.email, e.title, e.starts_at, e.capacity - e.booked, e.deleted_at IS NOT NULL, \
     c.checked_in_at, c.checked_in_by \
     FROM bookings b JOIN attendees a ON a.id = b.attendee_id JOIN events e ON e.id = b.event_id \
     LEFT JOIN checkins c ON c.booking_id = b.id AND c.undone_at IS NULL";

pub(super) fn booking(r: &Row) -> Fetched<BookingRow> {
    let status: String = get(r, 3)?;
    Ok(BookingRow {
        booking: Booking {
            id: get(r, 0)?,
            event_id: get(r, 1)?,
            attendee_id: get(r, 2)?,
            status: BookingStatus::parse(&status).unwrap_or(BookingStatus::Cancelled),
            booked_at: time(get(r, 4)?),
            cancelled_at: opt_time(r, 5)?,
        },
        attendee_name: get(r, 6)?,
        attendee_email: get(r, 7)?,
        event_title: get(r, 8)?,
        event_start: time(get(r, 9)?),
        seats_left: count(get(r, 10)?),
        event_deleted: get(r, 11)?,
        checked_in_at: opt_time(r, 12)?,
        checked_in_by: get(r, 13)?,
    })
}

/// A waiting entry's place in its event's queue: 1 + the entries ahead of it.
pub(super) const WAITLIST_COLUMNS: &str = "w.id, w.event_id, w.attendee_id, w.status, w.joined_at, w.left_at, \
     a.name, a.email, e.title, e.starts_at, \
     CASE WHEN w.status = 'waiting' THEN (SELECT count(*) FROM waitlist q \
       WHERE q.event_id = w.event_id AND q.status = 'waiting' \
         AND (q.joined_at < w.joined_at OR (q.joined_at = w.joined_at AND q.id <= w.id))) END \
     FROM waitlist w JOIN attendees a ON a.id = w.attendee_id JOIN events e ON e.id = w.event_id";

pub(super) fn waitlist_entry(r: &Row) -> Fetched<WaitlistEntry> {
    let status: String = get(r, 3)?;
    Ok(WaitlistEntry {
        id: get(r, 0)?,
        event_id: get(r, 1)?,
        attendee_id: get(r, 2)?,
        status: WaitStatus::parse(&status).unwrap_or(WaitStatus::Removed),
        joined_at: time(get(r, 4)?),
        left_at: opt_time(r, 5)?,
        attendee_name: get(r, 6)?,
        attendee_email: get(r, 7)?,
        event_title: get(r, 8)?,
        event_start: time(get(r, 9)?),
        position: get::<Option<i64>>(r, 10)?.map(count),
    })
}

/// What `take_waiting` and `remove_event_waiting` return about each entry, in queue order.
pub(super) const WAITER_COLUMNS: &str = "t.id, t.attendee_id, a.name, a.email, \
     (SELECT max(b.id) FROM bookings b WHERE b.attendee_id = t.attendee_id AND b.event_id = t.event_id)";

pub(super) fn waiter(r: &Row) -> Fetched<Waiter> {
    Ok(Waiter {
        entry_id: get(r, 0)?,
        attendee_id: get(r, 1)?,
        attendee_name: get(r, 2)?,
        attendee_email: get(r, 3)?,
        prior_booking: get(r, 4)?,
    })
}

pub(super) const ATTENDEE_COLUMNS: &str =
    "id, name, email, phone, created_at, updated_at, version FROM attendees";

pub(super) fn attendee(r: &Row) -> Fetched<Attendee> {
    Ok(Attendee {
        id: get(r, 0)?,
        name: get(r, 1)?,
        email: get(r, 2)?,
        phone: get(r, 3)?,
        created_at: time(get(r, 4)?),
        updated_at: time(get(r, 5)?),
        version: get(r, 6)?,
    })
}

pub(super) const OPERATOR_COLUMNS: &str =
    "id, username, role, name, email, organization, address, created_at FROM operators";

pub(super) fn operator(r: &Row) -> Fetched<Operator> {
    let role: String = get(r, 2)?;
    Ok(Operator {
        id: get(r, 0)?,
        username: get(r, 1)?,
        role: Role::parse(&role).unwrap_or(Role::Desk),
        name: get(r, 3)?,
        email: get(r, 4)?,
        organization: get(r, 5)?,
        address: get(r, 6)?,
        created_at: time(get(r, 7)?),
    })
}

pub(super) const HISTORY_COLUMNS: &str =
    "id, actor, action, object_kind, object_id, details, created_at FROM history";

pub(super) fn history(r: &Row) -> Fetched<HistoryEntry> {
    let details: String = get(r, 5)?;
    Ok(HistoryEntry {
        id: get(r, 0)?,
        actor: get(r, 1)?,
        action: get(r, 2)?,
        object_kind: get(r, 3)?,
        object_id: get(r, 4)?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
        created_at: time(get(r, 6)?),
    })
}

/// The first column as a count.
pub(super) fn count_of(r: &Row) -> Fetched<u64> {
    Ok(u64::try_from(get::<i64>(r, 0)?).unwrap_or(0))
}
