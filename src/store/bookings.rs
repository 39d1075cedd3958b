//! Booking, cancelling, rebooking and moving: the race-critical writes.

use rusqlite::{Connection, OptionalExtension, params};

use super::events::load_live;
use super::history::{Record, record};
use super::query::{BookingQuery, Where, contains_pattern};
use super::rows::{BOOKING_COLUMNS, booking, time};
use super::{Store, authorize};
use crate::model::history_details::{self as details, Named};
use crate::model::{
    Booking, BookingRow, BookingStatus, Error, Event, HistoryAction, ObjectKind, Phase, Refusal, Result,
    Session,
};
use chrono::{DateTime, Utc};

fn load(conn: &Connection, id: i64) -> Result<BookingRow> {
    conn.prepare_cached(&format!("SELECT {BOOKING_COLUMNS} WHERE b.id = ?"))?
        .query_row([id], booking)
        .optional()?
        .ok_or(Error::NotFound { kind: "booking", id: id.to_string() })
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

/// The pair's earlier booking that matters: the active one if any, else the latest cancelled.
fn prior(conn: &Connection, attendee_id: i64, event_id: i64) -> Result<Option<(i64, BookingStatus)>> {
    let found = conn
        .prepare_cached(
            "SELECT id, status = 'active' FROM bookings WHERE attendee_id = ? AND event_id = ?
             ORDER BY status = 'active' DESC, id DESC LIMIT 1",
        )?
        .query_row([attendee_id, event_id], |r| Ok((r.get(0)?, r.get::<_, bool>(1)?)))
        .optional()?;
    Ok(found.map(|(id, active)| (id, if active { BookingStatus::Active } else { BookingStatus::Cancelled })))
}

fn holds_seat(conn: &Connection, attendee_id: i64, event_id: i64) -> Result<bool> {
    Ok(prior(conn, attendee_id, event_id)?.is_some_and(|(_, status)| status == BookingStatus::Active))
}

/// The booking, if it is active; cancelling and moving start here.
fn active(conn: &Connection, id: i64) -> Result<Booking> {
    let b = load(conn, id)?.booking;
    if b.status != BookingStatus::Active {
        return Err(Refusal::BookingNotActive.into());
    }
    Ok(b)
}

/// The attendee's name and email, or NotFound.
fn contact(conn: &Connection, id: i64) -> Result<(String, String)> {
    conn.prepare_cached("SELECT name, email FROM attendees WHERE id = ?")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::NotFound { kind: "attendee", id: id.to_string() })
}

fn filter(q: &BookingQuery) -> Where {
    use rusqlite::types::Value as V;
    let mut w = Where::default();
    if let Some(id) = q.event_id {
        w.add("b.event_id = ?", [V::Integer(id)]);
    }
    if let Some(id) = q.attendee_id {
        w.add("b.attendee_id = ?", [V::Integer(id)]);
    }
    if let Some(status) = q.status {
        w.add("b.status = ?", [V::Text(status.as_str().into())]);
    }
    if let Some(id) = q.organizer_id {
        w.add("e.creator_id = ?", [V::Integer(id)]);
    }
    if !q.search.trim().is_empty() {
        let p = contains_pattern(&q.search);
        w.add(
            "(a.name LIKE ? ESCAPE '\\' OR a.email LIKE ? ESCAPE '\\' OR e.title LIKE ? ESCAPE '\\')",
            [V::Text(p.clone()), V::Text(p.clone()), V::Text(p)],
        );
    }
    w
}

impl Store {
    /// Books an attendee onto an event. A cancelled booking of the same pair is reactivated
    /// rather than duplicated. Refusals come in this order: event missing, ended, ongoing,
    /// already booked, full.
    pub fn book(&self, s: &Session, event_id: i64, attendee_id: i64) -> Result<BookingRow> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let event = load_live(tx, event_id)?;
            let (attendee_name, attendee_email) = contact(tx, attendee_id)?;
            let prior = prior(tx, attendee_id, event_id)?;
            check_seat(&event, prior.is_some_and(|(_, status)| status == BookingStatus::Active), now)?;
            let (id, action) = match prior {
                Some((id, _)) => {
                    reactivate(tx, id, now)?;
                    (id, HistoryAction::Reactivate)
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (?, ?, ?)",
                    )?
                    .execute(params![event_id, attendee_id, now.timestamp()])?;
                    (tx.last_insert_rowid(), HistoryAction::Book)
                }
            };
            let details =
                details::booking(Named::new(event_id, &event.title), Named::new(attendee_id, &attendee_name));
            record(tx, now, Record::by(s, action, ObjectKind::Booking, id, details))?;
            // Built from what the transaction already read rather than read back: this is the
            // hot path of every contended booking.
            let booking = Booking {
                id,
                event_id,
                attendee_id,
                status: BookingStatus::Active,
                booked_at: time(now.timestamp()),
                cancelled_at: None,
            };
            let seats_left = event.seats_left().saturating_sub(1);
            Ok(BookingRow {
                booking,
                attendee_name,
                attendee_email,
                event_title: event.title,
                event_start: event.starts_at,
                seats_left,
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
            let event = load_live(tx, b.event_id)?;
            check_seat(&event, holds_seat(tx, b.attendee_id, b.event_id)?, now)?;
            reactivate(tx, booking_id, now)?;
            let details = details::booking(
                Named::new(b.event_id, &event.title),
                Named::new(b.attendee_id, &row.attendee_name),
            );
            record(
                tx,
                now,
                Record::by(s, HistoryAction::Reactivate, ObjectKind::Booking, booking_id, details),
            )?;
            load(tx, booking_id)
        })
    }

    /// Cancels an active booking whose event has not started.
    pub fn cancel(&self, s: &Session, booking_id: i64) -> Result<BookingRow> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let b = active(tx, booking_id)?;
            let event = load_live(tx, b.event_id)?;
            if event.phase(now) != Phase::Upcoming {
                return Err(Refusal::EventStarted.into());
            }
            tx.prepare_cached("UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ?")?
                .execute(params![now.timestamp(), booking_id])?;
            let row = load(tx, booking_id)?;
            let details = details::booking(
                Named::new(b.event_id, &event.title),
                Named::new(b.attendee_id, &row.attendee_name),
            );
            record(tx, now, Record::by(s, HistoryAction::Cancel, ObjectKind::Booking, booking_id, details))?;
            Ok(row)
        })
    }

    /// Moves an active booking to another event, through the same checks as a new booking.
    pub fn move_booking(&self, s: &Session, booking_id: i64, to_event: i64) -> Result<BookingRow> {
        self.write(|tx| {
            authorize(tx, s)?;
            let now = self.now();
            let b = active(tx, booking_id)?;
            if b.event_id == to_event {
                return Err(Refusal::SameEvent.into());
            }
            let target = load_live(tx, to_event)?;
            let from = load_live(tx, b.event_id)?;
            if from.phase(now) != Phase::Upcoming {
                return Err(Refusal::EventStarted.into());
            }
            check_seat(&target, holds_seat(tx, b.attendee_id, to_event)?, now)?;
            tx.execute(
                "UPDATE bookings SET event_id = ?, booked_at = ? WHERE id = ?",
                params![to_event, now.timestamp(), booking_id],
            )?;
            let row = load(tx, booking_id)?;
            let details = details::booking_moved(
                Named::new(b.attendee_id, &row.attendee_name),
                Named::new(b.event_id, &from.title),
                Named::new(to_event, &target.title),
            );
            record(tx, now, Record::by(s, HistoryAction::Move, ObjectKind::Booking, booking_id, details))?;
            Ok(row)
        })
    }

    pub fn booking(&self, id: i64) -> Result<BookingRow> {
        load(&self.conn, id).map_err(|e| self.locate(e))
    }

    /// One page of bookings, newest first.
    pub fn list_bookings(&self, q: &BookingQuery) -> Result<Vec<BookingRow>> {
        let w = filter(q);
        self.page(&format!("SELECT {BOOKING_COLUMNS}{}", w.sql()), "b.id DESC", w, q.page, booking)
    }

    pub fn count_bookings(&self, q: &BookingQuery) -> Result<u64> {
        let w = filter(q);
        // Join only what the filter reads: counting a million bookings through two joins costs
        // ~300 ms, the bare table ~20 ms.
        let from = match (q.search.trim().is_empty(), q.organizer_id.is_some()) {
            (true, false) => "bookings b",
            (true, true) => "bookings b JOIN events e ON e.id = b.event_id",
            (false, _) => {
                "bookings b JOIN attendees a ON a.id = b.attendee_id JOIN events e ON e.id = b.event_id"
            }
        };
        self.count(&format!("SELECT count(*) FROM {from}{}", w.sql()), w.params)
    }
}

fn reactivate(tx: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE bookings SET status = 'active', booked_at = ?, cancelled_at = NULL WHERE id = ?",
    )?
    .execute(params![now.timestamp(), id])?;
    Ok(())
}
