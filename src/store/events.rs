//! Events: created, edited and deleted by their organizer; listed for everyone.

use serde_json::{Map, Value, json};

use super::engine::{Lock, Record, Tx};
use super::query::{EventQuery, SummaryQuery};
use super::waitlist::{close_list, promote};
use super::{Store, authorize, found};
use crate::model::history_details::{self as details, Named, freed_by};
use crate::model::{
    BookingDay, CapacitySummary, Conflict, Current, Error, Event, EventPatch, Freed, HistoryAction, NewEvent,
    ObjectKind, Refusal, Result, Role, Session,
};

/// A live event: NotFound when it never existed, EventDeleted when it was deleted.
pub(super) fn live(event: Option<Event>, id: i64) -> Result<Event> {
    let e = found(event, "event", id)?;
    if e.deleted_at.is_some() {
        return Err(Refusal::EventDeleted.into());
    }
    Ok(e)
}

/// The event, if this organizer may change it; its row stays locked for the change.
fn owned(tx: &mut dyn Tx, s: &Session, id: i64, verb: &str) -> Result<Event> {
    if authorize(tx, s)? != Role::Organizer {
        return Err(Error::Forbidden(format!("only organizers can {verb} events")));
    }
    let e = live(tx.event(id, Lock::ForUpdate)?, id)?;
    if e.creator_id != s.operator_id {
        return Err(Error::Forbidden(format!(
            "you can {verb} only your own events; this one is {}'s",
            e.organizer
        )));
    }
    Ok(e)
}

/// Old and new values of each changed field.
fn changes(old: &NewEvent, new: &NewEvent) -> Map<String, Value> {
    let (old, new) = (details::event(old), details::event(new));
    let mut changes = Map::new();
    for (field, old_value) in old.as_object().into_iter().flatten() {
        let new_value = &new[field.as_str()];
        if old_value != new_value {
            changes.insert(field.clone(), json!({ "old": old_value, "new": new_value }));
        }
    }
    changes
}

/// The changed fields a conflict names, in the form's order.
fn conflicting(changes: &Map<String, Value>) -> Vec<&'static str> {
    ["title", "description", "start", "end", "capacity"]
        .into_iter()
        .filter(|f| changes.contains_key(*f))
        .collect()
}

/// What a delete expects of the event's active bookings.
#[derive(Clone, Copy)]
enum Expect {
    /// None at all (a delete without `force`).
    None,
    /// Any number: they are cancelled (`force`).
    Any,
    /// The count a confirm stated.
    Exactly(u32),
}

impl Store {
    /// Creates an event; only organizers may, and it must start in the future.
    pub fn create_event(&self, s: &Session, new: &NewEvent) -> Result<Event> {
        let v = new.validate(Some(self.now()))?;
        self.write(|tx| {
            if authorize(tx, s)? != Role::Organizer {
                return Err(Error::Forbidden("only organizers can create events".into()));
            }
            let now = self.now();
            let id = tx.insert_event(&v, s.operator_id, now)?;
            tx.record(now, &Record::by(s, HistoryAction::Create, ObjectKind::Event, id, details::event(&v)))?;
            live(tx.event(id, Lock::Plain)?, id)
        })
    }

    /// Edits an event as a whole: the result is validated again, capacity may not drop below
    /// the active bookings, and a moved start must lie in the future. Seats a capacity raise
    /// opens go to the waiting list's heads, in order, in the same transaction.
    pub fn update_event(&self, s: &Session, id: i64, patch: &EventPatch) -> Result<Freed<Event>> {
        self.write(|tx| {
            let old = owned(tx, s, id, "edit")?;
            let current = EventPatch::default().apply(&old);
            if let Some(opened) = patch.if_version.filter(|&v| v != old.version) {
                let fields = conflicting(&changes(&current, &patch.apply(&old)));
                return Err(Error::Conflict(Box::new(Conflict {
                    opened,
                    current: Current::Event(old),
                    fields,
                })));
            }
            let v = patch.apply(&old).validate_edit(old.starts_at, self.now())?;
            if v.capacity < i64::from(old.booked) {
                return Err(Refusal::CapacityBelowBooked { booked: old.booked }.into());
            }
            let changes = changes(&current, &v);
            if changes.is_empty() {
                return Ok(Freed { changed: old, promoted: Vec::new() });
            }
            let now = self.now();
            tx.update_event(id, &v, now)?;
            let details = details::changed(details::key::TITLE, &v.title, changes);
            tx.record(now, &Record::by(s, HistoryAction::Update, ObjectKind::Event, id, details))?;
            let edited = live(tx.event(id, Lock::Plain)?, id)?;
            // Free seats and a waiting list can meet only here (a raised capacity, or a start
            // moved back into the future after the list stopped moving): the seats go now.
            let reason =
                if v.capacity > i64::from(old.capacity) { freed_by::CAPACITY } else { freed_by::EDIT };
            let promoted = promote(tx, s, &edited, edited.seats_left(), reason, now)?;
            if promoted.is_empty() {
                return Ok(Freed { changed: edited, promoted });
            }
            Ok(Freed { changed: live(tx.event(id, Lock::Plain)?, id)?, promoted })
        })
    }

    /// Deletes an event (it leaves every list; its row, bookings and history stay). With active
    /// bookings it needs `force`, and then cancels them in the same transaction. Returns how
    /// many bookings were cancelled.
    pub fn delete_event(&self, s: &Session, id: i64, force: bool) -> Result<u32> {
        self.delete_checked(s, id, if force { Expect::Any } else { Expect::None })
    }

    /// Deletes an event only if it still holds the `expected` active bookings a confirm stated
    /// (cancelling them); a different count is refused with the new one, so the desk asks again.
    pub fn delete_event_confirmed(&self, s: &Session, id: i64, expected: u32) -> Result<u32> {
        self.delete_checked(s, id, Expect::Exactly(expected))
    }

    fn delete_checked(&self, s: &Session, id: i64, expect: Expect) -> Result<u32> {
        self.write(|tx| {
            let e = owned(tx, s, id, "delete")?;
            match expect {
                Expect::None if e.booked > 0 => {
                    return Err(Refusal::HasActiveBookings { active: e.booked }.into());
                }
                Expect::Exactly(was) if was != e.booked => {
                    return Err(Refusal::BookingsChanged { was, now: e.booked }.into());
                }
                _ => {}
            }
            let now = self.now();
            let cancelled = tx.cancel_event_bookings(id, now)?;
            for &(booking_id, attendee_id) in &cancelled {
                // Read by name so the row can say whom it cancelled; deleting is rare.
                let name = tx.attendee(attendee_id)?.map(|a| a.name).unwrap_or_default();
                let (event, attendee) = (Named::new(id, &e.title), Named::new(attendee_id, &name));
                let details = details::booking_cancelled(event, attendee, "event deleted");
                tx.record(
                    now,
                    &Record::by(s, HistoryAction::Cancel, ObjectKind::Booking, booking_id, details),
                )?;
            }
            close_list(tx, s, &e, now)?;
            tx.delete_event(id, now)?;
            let details = json!({ "title": e.title, "cancelled_bookings": cancelled.len() });
            tx.record(now, &Record::by(s, HistoryAction::Delete, ObjectKind::Event, id, details))?;
            Ok(u32::try_from(cancelled.len()).unwrap_or(u32::MAX))
        })
    }

    /// A live event by id; a deleted one is refused as deleted.
    pub fn event(&self, id: i64) -> Result<Event> {
        live(self.engine.event(id)?, id)
    }

    /// One page of events, ordered by start (newest first for past events).
    pub fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>> {
        self.engine.list_events(q, self.now())
    }

    /// How many events match, exactly (from the row `q.page` seeks, when it seeks).
    pub fn count_events(&self, q: &EventQuery) -> Result<u64> {
        self.engine.count_events(q, self.now(), None)
    }

    /// Counts matches up to `cap + 1` and stops there (from the row `q.page` seeks, when it
    /// seeks): what a list shows as "1000+", at the cost of `cap` index entries however many
    /// events there are.
    pub fn count_events_upto(&self, q: &EventQuery, cap: u64) -> Result<u64> {
        self.engine.count_events(q, self.now(), Some(cap))
    }

    /// Capacity at a glance over the events not over yet (an organizer's, or all): how many
    /// are on today and this week, the seats left, how many are nearly full and full. One read.
    pub fn capacity_summary(&self, q: &SummaryQuery) -> Result<CapacitySummary> {
        self.engine.capacity_summary(q, self.now())
    }

    /// The event's bookings over time: seats taken and freed per day, from its history (so a
    /// booking later cancelled still shows on the day it was made), oldest day first.
    pub fn booking_days(&self, event_id: i64) -> Result<Vec<BookingDay>> {
        self.engine.booking_days(event_id)
    }
}
