//! Reading rows into domain types.

use chrono::{DateTime, Utc};
use rusqlite::Row;

use crate::model::{Attendee, Booking, BookingRow, BookingStatus, Event, HistoryEntry, Operator, Role};

/// Stored times are whole seconds since the epoch, UTC.
pub(super) fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

pub(super) const EVENT_COLUMNS: &str = "e.id, e.title, e.description, e.starts_at, e.ends_at, e.capacity, \
     e.booked, e.creator_id, coalesce(o.organization, o.name), e.created_at, e.updated_at, e.deleted_at \
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
    })
}

pub(super) const BOOKING_COLUMNS: &str = "b.id, b.event_id, b.attendee_id, b.status, b.booked_at, \
     b.cancelled_at, a.name, a.email, e.title, e.starts_at, e.capacity - e.booked, e.deleted_at IS NOT NULL \
     FROM bookings b JOIN attendees a ON a.id = b.attendee_id JOIN events e ON e.id = b.event_id";

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
    })
}

pub(super) const ATTENDEE_COLUMNS: &str = "id, name, email, phone, created_at, updated_at FROM attendees";

pub(super) fn attendee(r: &Row<'_>) -> rusqlite::Result<Attendee> {
    Ok(Attendee {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        created_at: time(r.get(4)?),
        updated_at: time(r.get(5)?),
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
