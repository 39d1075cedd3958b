//! Reading rows into domain types.

use chrono::{DateTime, Utc};
use rusqlite::Row;

use crate::model::{
    Attendee, Booking, BookingRow, BookingStatus, Event, HistoryEntry, Operator, Role, WaitStatus,
    WaitlistEntry,
};
use crate::store::engine::Waiter;

/// Stored times are whole seconds since the epoch, UTC.
pub(super) fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

pub(super) const EVENT_COLUMNS: &str = "e.id, e.title, e.description, e.starts_at, e.ends_at, e.capacity, \
     e.booked, e.creator_id, coalesce(o.organization, o.name), e.created_at, e.updated_at, e.deleted_at, e.version \
     FROM events e JOIN operators o ON o.id = e.creator_id";

pub(super) fn event(r: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        starts_at: time(r.get(3)?),
        ends_at: time(r.get(4)?),
        capacity: count(r.get(5)?),
        booked: count(r.get(6)?),
        creator_id: r.get(7)?,
        organizer: r.get(8)?,
        created_at: time(r.get(9)?),
        updated_at: time(r.get(10)?),
        deleted_at: r.get::<_, Option<i64>>(11)?.map(time),
        version: r.get(12)?,
    })
}

pub(super) const BOOKING_COLUMNS: &str = "b.id, b.event_id, b.attendee_id, b.status, b.booked_at, \
     b.cancelled_at, a.name, a.email, e.title, e.starts_at, e.capacity - e.booked, e.deleted_at IS NOT NULL, \
     c.checked_in_at, c.checked_in_by \
     FROM bookings b JOIN attendees a ON a.id = b.attendee_id JOIN events e ON e.id = b.event_id \
     LEFT JOIN checkins c ON c.booking_id = b.id AND c.undone_at IS NULL";

pub(super) fn booking(r: &Row<'_>) -> rusqlite::Result<BookingRow> {
    let status: String = r.get(3)?;
    Ok(BookingRow {
        booking: Booking {
            id: r.get(0)?,
            event_id: r.get(1)?,
            attendee_id: r.get(2)?,
            status: BookingStatus::parse(&status).unwrap_or(BookingStatus::Cancelled),
            booked_at: time(r.get(4)?),
            cancelled_at: r.get::<_, Option<i64>>(5)?.map(time),
        },
        attendee_name: r.get(6)?,
        attendee_email: r.get(7)?,
        event_title: r.get(8)?,
        event_start: time(r.get(9)?),
        seats_left: count(r.get(10)?),
        event_deleted: r.get(11)?,
        checked_in_at: r.get::<_, Option<i64>>(12)?.map(time),
        checked_in_by: r.get(13)?,
    })
}

/// A waiting entry's place in its event's queue: 1 + the entries ahead of it.
pub(super) const WAITLIST_COLUMNS: &str = "w.id, w.event_id, w.attendee_id, w.status, w.joined_at, w.left_at, \
     a.name, a.email, e.title, e.starts_at, \
     CASE WHEN w.status = 'waiting' THEN (SELECT count(*) FROM waitlist q \
       WHERE q.event_id = w.event_id AND q.status = 'waiting' \
         AND (q.joined_at < w.joined_at OR (q.joined_at = w.joined_at AND q.id <= w.id))) END \
     FROM waitlist w JOIN attendees a ON a.id = w.attendee_id JOIN events e ON e.id = w.event_id";

pub(super) fn waitlist_entry(r: &Row<'_>) -> rusqlite::Result<WaitlistEntry> {
    let status: String = r.get(3)?;
    Ok(WaitlistEntry {
        id: r.get(0)?,
        event_id: r.get(1)?,
        attendee_id: r.get(2)?,
        status: WaitStatus::parse(&status).unwrap_or(WaitStatus::Removed),
        joined_at: time(r.get(4)?),
        left_at: r.get::<_, Option<i64>>(5)?.map(time),
        attendee_name: r.get(6)?,
        attendee_email: r.get(7)?,
        event_title: r.get(8)?,
        event_start: time(r.get(9)?),
        position: r.get::<_, Option<i64>>(10)?.map(count),
    })
}

/// What `take_waiting` and `remove_event_waiting` return about each entry, in this order
/// (the join time last, to put the rows in queue order).
pub(super) const WAITER_RETURNING: &str = "RETURNING id, attendee_id, \
     (SELECT name FROM attendees a WHERE a.id = waitlist.attendee_id), \
     (SELECT email FROM attendees a WHERE a.id = waitlist.attendee_id), \
     (SELECT max(id) FROM bookings b WHERE b.attendee_id = waitlist.attendee_id AND b.event_id = waitlist.event_id), \
     joined_at";

pub(super) fn waiter(r: &Row<'_>) -> rusqlite::Result<(i64, Waiter)> {
    Ok((
        r.get(5)?,
        Waiter {
            entry_id: r.get(0)?,
            attendee_id: r.get(1)?,
            attendee_name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            attendee_email: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            prior_booking: r.get(4)?,
        },
    ))
}

pub(super) const ATTENDEE_COLUMNS: &str =
    "id, name, email, phone, created_at, updated_at, version FROM attendees";

pub(super) fn attendee(r: &Row<'_>) -> rusqlite::Result<Attendee> {
    Ok(Attendee {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        created_at: time(r.get(4)?),
        updated_at: time(r.get(5)?),
        version: r.get(6)?,
    })
}

pub(super) const OPERATOR_COLUMNS: &str =
    "id, username, role, name, email, organization, address, created_at FROM operators";

pub(super) fn operator(r: &Row<'_>) -> rusqlite::Result<Operator> {
    let role: String = r.get(2)?;
    Ok(Operator {
        id: r.get(0)?,
        username: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Desk),
        name: r.get(3)?,
        email: r.get(4)?,
        organization: r.get(5)?,
        address: r.get(6)?,
        created_at: time(r.get(7)?),
    })
}

pub(super) const HISTORY_COLUMNS: &str =
    "id, actor, action, object_kind, object_id, details, created_at FROM history";

pub(super) fn history(r: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let details: String = r.get(5)?;
    Ok(HistoryEntry {
        id: r.get(0)?,
        actor: r.get(1)?,
        action: r.get(2)?,
        object_kind: r.get(3)?,
        object_id: r.get(4)?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
        created_at: time(r.get(6)?),
    })
}
