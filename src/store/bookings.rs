//! Booking, cancelling, rebooking and moving: the race-critical writes.

use chrono::{DateTime, Utc};

use super::engine::{BookingChange, Lock, Record, Tx};
use super::events::live;
use super::query::BookingQuery;
use super::waitlist::promote;
use super::{Store, authorize, found, live_attendee};
use crate::model::history_details::{self as details, Named, freed_by};
use crate::model::{
    Booking, BookingRow, BookingStatus, Event, Freed, HistoryAction, ObjectKind, Phase, Refusal, Result,
    Session,
};

/// A live event, read for a change to its seats.
fn seats_of(tx: &mut dyn Tx, event_id: i64) -> Result<Event> {
    live(tx.event(event_id, Lock::ForUpdate)?, event_id)
}

fn load(tx: &mut dyn Tx, id: i64) -> Result<BookingRow> {
    found(tx.booking(id)?, "booking", id)
}

/// The checks a new seat on `event` goes through, in the order the refusals are reported:
/// ended, ongoing, already booked (`held`), full.
fn check_seat(event: &Event, held: bool, now: DateTime<Utc>) -> Result<()> {
    match event.phase(now) {
        Phase::Past => Err(Refusal::EventEnded.into()),
        Phase::Ongoing => Err(Refusal::EventOngoing.into()),
        Phase::Upcoming if held => Err(Refusal::AlreadyBooked.into()),
        Phase::Upcoming if event.is_full() => Err(Refusal::EventFull.into()),
        Phase::Upcoming => Ok(()),
    }
}

fn holds_seat(tx: &mut dyn Tx, attendee_id: i64, event_id: i64) -> Result<bool> {
    Ok(tx.pair_booking(attendee_id, event_id)?.is_some_and(|(_, status)| status == BookingStatus::Active))
}

/// The booking, if it is active; cancelling and moving start here.
fn active(tx: &mut dyn Tx, id: i64) -> Result<BookingRow> {
    let row = load(tx, id)?;
    if row.booking.status != BookingStatus::Active {
        return Err(Refusal::BookingNotActive.into());
    }
    Ok(row)
}

/// A booking leaving its seat: its event must not have started, and its check-in must not
/// stand (the attendee is in the room).
fn may_leave(row: &BookingRow, event: &Event, now: DateTime<Utc>) -> Result<()> {
    if event.phase(now) != Phase::Upcoming {
        return Err(Refusal::EventStarted.into());
    }
    if row.checked_in_at.is_some() {
        return Err(Refusal::CheckedIn.into());
    }
    Ok(())
}

impl Store {
    /// Books an attendee onto an event. A cancelled booking of the same pair is reactivated
    /// rather than duplicated. Refusals come in this order: event missing, ended, ongoing,
    /// already booked, full.
    pub fn book(&self, s: &Session, event_id: i64, attendee_id: i64) -> Result<BookingRow> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let event = seats_of(tx, event_id)?;
            let attendee = live_attendee(tx, attendee_id)?;
            let prior = tx.pair_booking(attendee_id, event_id)?;
            check_seat(&event, prior.is_some_and(|(_, status)| status == BookingStatus::Active), now)?;
            let (id, action) = match prior {
                Some((id, _)) => {
                    tx.set_booking(id, BookingChange::Reactivate { at: now })?;
                    (id, HistoryAction::Reactivate)
                }
                None => (tx.insert_booking(event_id, attendee_id, now)?, HistoryAction::Book),
            };
            let details =
                details::booking(Named::new(event_id, &event.title), Named::new(attendee_id, &attendee.name));
            tx.record(now, &Record::by(s, action, ObjectKind::Booking, id, details))?;
            // Built from what the transaction already read rather than read back: this is the
            // hot path of every contended booking.
            let booking = Booking {
                id,
                event_id,
                attendee_id,
                status: BookingStatus::Active,
                booked_at: whole_seconds(now),
                cancelled_at: None,
            };
            Ok(BookingRow {
                booking,
                attendee_name: attendee.name,
                attendee_email: attendee.email,
                seats_left: event.seats_left().saturating_sub(1),
                event_title: event.title,
                event_start: event.starts_at,
                checked_in_at: None,
                checked_in_by: None,
                event_deleted: false,
            })
        })
    }

    /// Reactivates this cancelled booking, with the same checks as a new one.
    pub fn rebook(&self, s: &Session, booking_id: i64) -> Result<BookingRow> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let row = load(tx, booking_id)?;
            let b = &row.booking;
            if b.status == BookingStatus::Active {
                return Err(Refusal::BookingActive.into());
            }
            let event = seats_of(tx, b.event_id)?;
            let held = holds_seat(tx, b.attendee_id, b.event_id)?;
            check_seat(&event, held, now)?;
            tx.set_booking(booking_id, BookingChange::Reactivate { at: now })?;
            let details = details::booking(
                Named::new(b.event_id, &event.title),
                Named::new(b.attendee_id, &row.attendee_name),
            );
            tx.record(
                now,
                &Record::by(s, HistoryAction::Reactivate, ObjectKind::Booking, booking_id, details),
            )?;
            load(tx, booking_id)
        })
    }

    /// Cancels an active booking whose event has not started and whose check-in does not
    /// stand. The freed seat goes to the head of the event's waiting list, in the same
    /// transaction.
    pub fn cancel(&self, s: &Session, booking_id: i64) -> Result<Freed<BookingRow>> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let before = active(tx, booking_id)?;
            let b = &before.booking;
            let event = seats_of(tx, b.event_id)?;
            may_leave(&before, &event, now)?;
            tx.set_booking(booking_id, BookingChange::Cancel { at: now })?;
            let details = details::booking(
                Named::new(b.event_id, &event.title),
                Named::new(b.attendee_id, &before.attendee_name),
            );
            tx.record(now, &Record::by(s, HistoryAction::Cancel, ObjectKind::Booking, booking_id, details))?;
            let promoted = promote(tx, s, &event, 1, freed_by::CANCEL, now)?;
            // Built from what the transaction read rather than read back: the event's row stays
            // locked until commit, so every statement here is one every other cancel waits for.
            let taken = u32::try_from(promoted.len()).unwrap_or(u32::MAX);
            let changed = BookingRow {
                booking: Booking {
                    status: BookingStatus::Cancelled,
                    cancelled_at: Some(whole_seconds(now)),
                    ..before.booking
                },
                seats_left: (event.seats_left() + 1).saturating_sub(taken),
                ..before
            };
            Ok(Freed { changed, promoted })
        })
    }

    /// Moves an active booking to another event, through the same checks as a new booking.
    /// The seat it frees goes to the head of the old event's waiting list.
    pub fn move_booking(&self, s: &Session, booking_id: i64, to_event: i64) -> Result<Freed<BookingRow>> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let before = active(tx, booking_id)?;
            let b = &before.booking;
            if b.event_id == to_event {
                return Err(Refusal::SameEvent.into());
            }
            // Both rows are locked in id order, so two moves in opposite directions cannot
            // each hold the lock the other waits for.
            let (from, target) = if b.event_id < to_event {
                let from = seats_of(tx, b.event_id);
                (from, seats_of(tx, to_event)?)
            } else {
                let target = seats_of(tx, to_event)?;
                (seats_of(tx, b.event_id), target)
            };
            let from = from?;
            may_leave(&before, &from, now)?;
            let held = holds_seat(tx, b.attendee_id, to_event)?;
            check_seat(&target, held, now)?;
            tx.set_booking(booking_id, BookingChange::Move { to_event, at: now })?;
            let row = load(tx, booking_id)?;
            let details = details::booking_moved(
                Named::new(b.attendee_id, &row.attendee_name),
                Named::new(b.event_id, &from.title),
                Named::new(to_event, &target.title),
            );
            tx.record(now, &Record::by(s, HistoryAction::Move, ObjectKind::Booking, booking_id, details))?;
            let promoted = promote(tx, s, &from, 1, freed_by::MOVE, now)?;
            Ok(Freed { changed: row, promoted })
        })
    }

    pub fn booking(&self, id: i64) -> Result<BookingRow> {
        found(self.engine.booking(id)?, "booking", id)
    }

    /// One page of bookings, newest first.
    pub fn list_bookings(&self, q: &BookingQuery) -> Result<Vec<BookingRow>> {
        self.engine.list_bookings(q)
    }

    /// How many bookings match, exactly (from the row `q.page` seeks, when it seeks).
    pub fn count_bookings(&self, q: &BookingQuery) -> Result<u64> {
        self.engine.count_bookings(q, None)
    }

    /// Counts matches up to `cap + 1` and stops there, as `count_events_upto`.
    pub fn count_bookings_upto(&self, q: &BookingQuery, cap: u64) -> Result<u64> {
        self.engine.count_bookings(q, Some(cap))
    }
}

/// Stored times are whole seconds.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}
