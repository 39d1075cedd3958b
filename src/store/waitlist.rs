//! The waiting list of a full event, and the promotion that gives each freed seat to its head.
//!
//! Promotion runs inside the write that frees the seat (cancel, move away, capacity raise), so
//! no other desk can take the seat between the freeing and the booking: the event's row is
//! already held for the change (`Lock::ForUpdate`, or SQLite's one write lock).

use chrono::{DateTime, Utc};

use super::engine::{BookingChange, Lock, Record, Tx, Waiter};
use super::events::live;
use super::query::WaitlistQuery;
use super::{Store, authorize, door_access, found, live_attendee};
use crate::model::history_details::{self as details, Named};
use crate::model::{
    BookingStatus, Event, HistoryAction, ObjectKind, Phase, Promotion, Refusal, Result, Session, WaitStatus,
    WaitlistEntry,
};

/// Books the first `seats` waiting attendees of `event` into seats just freed, in list order,
/// each with a `promote` history row. Nothing once the event has started. Costs one statement
/// to take the heads, then per promotion the booking and its history row.
pub(super) fn promote(
    tx: &mut dyn Tx,
    s: &Session,
    event: &Event,
    seats: u32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Promotion>> {
    if seats == 0 || event.phase(now) != Phase::Upcoming {
        return Ok(Vec::new());
    }
    let heads = tx.take_waiting(event.id, seats, now)?;
    let mut promoted = Vec::with_capacity(heads.len());
    for w in heads {
        let booking_id = match w.prior_booking {
            Some(id) => {
                tx.set_booking(id, BookingChange::Reactivate { at: now })?;
                id
            }
            None => tx.insert_booking(event.id, w.attendee_id, now)?,
        };
        let details = details::promoted(
            Named::new(event.id, &event.title),
            Named::new(w.attendee_id, &w.attendee_name),
            w.entry_id,
            reason,
        );
        tx.record(now, &Record::by(s, HistoryAction::Promote, ObjectKind::Booking, booking_id, details))?;
        promoted.push(promotion(event.id, booking_id, w));
    }
    Ok(promoted)
}

fn promotion(event_id: i64, booking_id: i64, w: Waiter) -> Promotion {
    Promotion {
        entry_id: w.entry_id,
        booking_id,
        event_id,
        attendee_id: w.attendee_id,
        attendee_name: w.attendee_name,
        attendee_email: w.attendee_email,
    }
}

/// Takes every waiting entry of a deleted event off its list, each with a history row.
pub(super) fn close_list(tx: &mut dyn Tx, s: &Session, event: &Event, now: DateTime<Utc>) -> Result<()> {
    for w in tx.remove_event_waiting(event.id, now)? {
        let mut details =
            details::booking(Named::new(event.id, &event.title), Named::new(w.attendee_id, &w.attendee_name));
        details[details::key::REASON] = "event deleted".into();
        tx.record(
            now,
            &Record::by(s, HistoryAction::WaitlistRemove, ObjectKind::Waitlist, w.entry_id, details),
        )?;
    }
    Ok(())
}

impl Store {
    /// Puts an attendee on a full event's waiting list. Refusals come in this order: event
    /// missing or deleted, ended, ongoing, attendee already holds a seat, already on this list,
    /// seats left ("book instead"). Desk staff may on any event, organizers on their own.
    pub fn waitlist_add(&self, s: &Session, event_id: i64, attendee_id: i64) -> Result<WaitlistEntry> {
        self.write(|tx| {
            let role = authorize(tx, s)?;
            let now = self.now();
            let event = live(tx.event(event_id, Lock::ForUpdate)?, event_id)?;
            door_access(role, s, &event, "manage waiting lists")?;
            let attendee = live_attendee(tx, attendee_id)?;
            match event.phase(now) {
                Phase::Past => return Err(Refusal::EventEnded.into()),
                Phase::Ongoing => return Err(Refusal::EventOngoing.into()),
                Phase::Upcoming => {}
            }
            if tx.pair_booking(attendee_id, event_id)?.is_some_and(|(_, st)| st == BookingStatus::Active) {
                return Err(Refusal::AlreadyBooked.into());
            }
            if tx.waiting_entry(attendee_id, event_id)?.is_some() {
                return Err(Refusal::AlreadyWaiting.into());
            }
            if !event.is_full() {
                return Err(Refusal::SeatsLeft.into());
            }
            let id = tx.insert_waiting(event_id, attendee_id, now)?;
            let entry = found(tx.waitlist_entry(id)?, "waiting-list entry", id)?;
            let details = details::waiting(
                Named::new(event_id, &event.title),
                Named::new(attendee_id, &attendee.name),
                entry.position.unwrap_or(0),
            );
            tx.record(now, &Record::by(s, HistoryAction::WaitlistAdd, ObjectKind::Waitlist, id, details))?;
            Ok(entry)
        })
    }

    /// Takes a waiting entry off its list. The row and its history stay; the entry's status
    /// becomes `removed`. Refused once it left the list.
    pub fn waitlist_remove(&self, s: &Session, entry_id: i64) -> Result<WaitlistEntry> {
        self.write(|tx| {
            let role = authorize(tx, s)?;
            let now = self.now();
            let entry = found(tx.waitlist_entry(entry_id)?, "waiting-list entry", entry_id)?;
            let event = found(tx.event(entry.event_id, Lock::ForUpdate)?, "event", entry.event_id)?;
            door_access(role, s, &event, "manage waiting lists")?;
            // Read again under the event's lock: a promotion may have taken it meanwhile.
            let entry = found(tx.waitlist_entry(entry_id)?, "waiting-list entry", entry_id)?;
            if entry.status != WaitStatus::Waiting {
                return Err(Refusal::NotWaiting { status: entry.status }.into());
            }
            tx.remove_waiting(entry_id, now)?;
            let details = details::booking(
                Named::new(entry.event_id, &event.title),
                Named::new(entry.attendee_id, &entry.attendee_name),
            );
            tx.record(
                now,
                &Record::by(s, HistoryAction::WaitlistRemove, ObjectKind::Waitlist, entry_id, details),
            )?;
            found(tx.waitlist_entry(entry_id)?, "waiting-list entry", entry_id)
        })
    }

    /// One waiting-list entry, whether still waiting or not.
    pub fn waitlist_entry(&self, id: i64) -> Result<WaitlistEntry> {
        found(self.engine.waitlist_entry(id)?, "waiting-list entry", id)
    }

    /// One page of waiting-list entries, by event and then position.
    pub fn list_waitlist(&self, q: &WaitlistQuery) -> Result<Vec<WaitlistEntry>> {
        self.engine.list_waitlist(q)
    }

    /// How many entries match, exactly (from the row `q.page` seeks, when it seeks).
    pub fn count_waitlist(&self, q: &WaitlistQuery) -> Result<u64> {
        self.engine.count_waitlist(q, None)
    }

    /// Counts matches up to `cap + 1` and stops there, as `count_events_upto`.
    pub fn count_waitlist_upto(&self, q: &WaitlistQuery, cap: u64) -> Result<u64> {
        self.engine.count_waitlist(q, Some(cap))
    }
}
