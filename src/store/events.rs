//! Events: created, edited and deleted by their organizer; listed for everyone.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value, json};

use super::history::{Record, record};
use super::query::{EventFilter, EventQuery, Where, contains_pattern};
use super::rows::{EVENT_COLUMNS, event};
use super::{Store, authorize};
use crate::model::history_details::{self as details, Named};
use crate::model::{
    Error, Event, EventPatch, HistoryAction, NewEvent, ObjectKind, Refusal, Result, Role, Session,
};

/// A live (not deleted) event, or NotFound.
pub(super) fn load_live(conn: &Connection, id: i64) -> Result<Event> {
    conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} WHERE e.id = ? AND e.deleted_at IS NULL"))?
        .query_row([id], event)
        .optional()?
        .ok_or(Error::NotFound { kind: "event", id: id.to_string() })
}

/// The event, if this organizer may change it.
fn owned(tx: &Connection, s: &Session, id: i64, verb: &str) -> Result<Event> {
    if authorize(tx, s)? != Role::Organizer {
        return Err(Error::Forbidden(format!("only organizers can {verb} events")));
    }
    let e = load_live(tx, id)?;
    if e.creator_id != s.operator_id {
        return Err(Error::Forbidden(format!(
            "you can {verb} only your own events; this one is {}'s",
            e.organizer
        )));
    }
    Ok(e)
}

pub(super) fn event_json(e: &NewEvent) -> Value {
    json!({
        "title": e.title, "description": e.description, "start": e.starts_at, "end": e.ends_at, "capacity": e.capacity,
    })
}

/// Old and new values of each changed field.
fn changes(old: &NewEvent, new: &NewEvent) -> Map<String, Value> {
    let (old, new) = (event_json(old), event_json(new));
    let mut changes = Map::new();
    for (field, old_value) in old.as_object().into_iter().flatten() {
        let new_value = &new[field.as_str()];
        if old_value != new_value {
            changes.insert(field.clone(), json!({ "old": old_value, "new": new_value }));
        }
    }
    changes
}

fn filter(q: &EventQuery, now: i64) -> (Where, &'static str) {
    use rusqlite::types::Value as V;
    let mut w = Where::default();
    w.add("e.deleted_at IS NULL", []);
    let order = match q.filter {
        EventFilter::All => "e.starts_at, e.id",
        EventFilter::Upcoming => {
            w.add("e.starts_at > ?", [V::Integer(now)]);
            "e.starts_at, e.id"
        }
        EventFilter::Past => {
            w.add("e.ends_at <= ?", [V::Integer(now)]);
            "e.starts_at DESC, e.id DESC"
        }
        EventFilter::Mine => {
            w.add("e.creator_id = ?", [V::Integer(q.creator_id.unwrap_or(-1))]);
            "e.starts_at, e.id"
        }
        EventFilter::Available => {
            w.add("e.starts_at > ? AND e.booked < e.capacity", [V::Integer(now)]);
            "e.starts_at, e.id"
        }
    };
    if !q.search.trim().is_empty() {
        w.add("e.title LIKE ? ESCAPE '\\'", [V::Text(contains_pattern(&q.search))]);
    }
    (w, order)
}

impl Store {
    /// Creates an event; only organizers may, and it must start in the future.
    pub fn create_event(&self, s: &Session, new: &NewEvent) -> Result<Event> {
        let v = new.validate(Some(self.now()))?;
        self.write(|tx| {
            if authorize(tx, s)? != Role::Organizer {
                return Err(Error::Forbidden("only organizers can create events".into()));
            }
            let now = self.now().timestamp();
            tx.execute(
                "INSERT INTO events (title, description, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                params![v.title, v.description, v.starts_at.timestamp(), v.ends_at.timestamp(), v.capacity, s.operator_id, now, now],
            )?;
            let id = tx.last_insert_rowid();
            let r = Record::by(s, HistoryAction::Create, ObjectKind::Event, id, event_json(&v));
            record(tx, self.now(), r)?;
            load_live(tx, id)
        })
    }

    /// Edits an event as a whole: the result is validated again, capacity may not drop below
    /// the active bookings, and a moved start must lie in the future.
    pub fn update_event(&self, s: &Session, id: i64, patch: &EventPatch) -> Result<Event> {
        self.write(|tx| {
            let old = owned(tx, s, id, "edit")?;
            let current = EventPatch::default().apply(&old);
            let start_moved = patch.starts_at.is_some_and(|t| t != old.starts_at);
            let v = patch.apply(&old).validate(start_moved.then(|| self.now()))?;
            if v.capacity < i64::from(old.booked) {
                return Err(Refusal::CapacityBelowBooked { booked: old.booked }.into());
            }
            let changes = changes(&current, &v);
            if changes.is_empty() {
                return Ok(old);
            }
            tx.execute(
                "UPDATE events SET title = ?, description = ?, starts_at = ?, ends_at = ?, capacity = ?, updated_at = ?
                 WHERE id = ?",
                params![v.title, v.description, v.starts_at.timestamp(), v.ends_at.timestamp(), v.capacity, self.now().timestamp(), id],
            )?;
            let details = details::changed(details::key::TITLE, &v.title, changes);
            record(tx, self.now(), Record::by(s, HistoryAction::Update, ObjectKind::Event, id, details))?;
            load_live(tx, id)
        })
    }

    /// Deletes an event (it leaves every list; its row, bookings and history stay). With active
    /// bookings it needs `force`, and then cancels them in the same transaction. Returns how
    /// many bookings were cancelled.
    pub fn delete_event(&self, s: &Session, id: i64, force: bool) -> Result<u32> {
        self.write(|tx| {
            let e = owned(tx, s, id, "delete")?;
            if e.booked > 0 && !force {
                return Err(Refusal::HasActiveBookings { active: e.booked }.into());
            }
            let now = self.now();
            // The attendee's name is read here so the history row can say whom it cancelled.
            let cancelled: Vec<(i64, i64, String)> = tx
                .prepare("UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE event_id = ? AND status = 'active'
                          RETURNING id, attendee_id, (SELECT name FROM attendees a WHERE a.id = attendee_id)")?
                .query_map(params![now.timestamp(), id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (booking_id, attendee_id, name) in &cancelled {
                let details =
                    details::booking_cancelled(Named::new(id, &e.title), Named::new(*attendee_id, name), "event deleted");
                record(tx, now, Record::by(s, HistoryAction::Cancel, ObjectKind::Booking, *booking_id, details))?;
            }
            tx.execute("UPDATE events SET deleted_at = ?, updated_at = ? WHERE id = ?", params![now.timestamp(), now.timestamp(), id])?;
            let details = json!({ "title": e.title, "cancelled_bookings": cancelled.len() });
            record(tx, now, Record::by(s, HistoryAction::Delete, ObjectKind::Event, id, details))?;
            Ok(u32::try_from(cancelled.len()).unwrap_or(u32::MAX))
        })
    }

    /// A live event by id.
    pub fn event(&self, id: i64) -> Result<Event> {
        load_live(&self.conn, id).map_err(|e| self.locate(e))
    }

    /// One page of events, ordered by start (newest first for past events).
    pub fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>> {
        let (w, order) = filter(q, self.now().timestamp());
        self.page(&format!("SELECT {EVENT_COLUMNS}{}", w.sql()), order, w, q.page, event)
    }

    pub fn count_events(&self, q: &EventQuery) -> Result<u64> {
        let (w, _) = filter(q, self.now().timestamp());
        let sql = format!("SELECT count(*) FROM events e{}", w.sql());
        self.count(&sql, w.params)
    }
}
