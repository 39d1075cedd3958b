//! Check-in at the door, its undo, and the no-shows an ended event leaves.
//!
//! Two doors checking in the same attendee at once both lock the booking's row (or queue on
//! SQLite's write lock): the second one finds the first one's check-in standing and is told
//! when and by whom. The schema's one-standing-check-in index refuses whatever slips past.

use chrono::{DateTime, Utc};

use super::engine::{CheckInSlot, Lock, Record, Tx};
use super::events::live;
use super::query::{BookingQuery, Page};
use super::{Store, authorize, door_access, found};
use crate::model::history_details::{self as details, Named};
use crate::model::{
    Attendance, BookingRef, BookingRow, BookingStatus, CheckIn, Error, Event, HistoryAction, ObjectKind,
    Phase, Refusal, Result, Role, Session, check_in_opens,
};

/// The booking a door action names, read for the change (locked where the engine locks rows).
fn resolve(tx: &mut dyn Tx, r: BookingRef) -> Result<BookingRow> {
    let id = match r {
        BookingRef::Id(id) => id,
        BookingRef::Pair { event_id, attendee_id } => match tx.pair_booking(attendee_id, event_id)? {
            Some((id, _)) => id,
            None => {
                return Err(Error::NotFoundBy {
                    kind: "booking",
                    key: "attendee",
                    value: format!("{attendee_id} on event {event_id}"),
                });
            }
        },
    };
    found(tx.booking(id)?, "booking", id)
}

/// The booking and its event, once this operator may work that event's door.
fn at_door(tx: &mut dyn Tx, s: &Session, r: BookingRef) -> Result<(BookingRow, Event)> {
    let role = authorize(tx, s)?;
    let row = resolve(tx, r)?;
    let event_id = row.booking.event_id;
    let event = found(tx.event(event_id, Lock::Plain)?, "event", event_id)?;
    door_access(role, s, &event, "check attendees in")?;
    Ok((row, event))
}

fn named(row: &BookingRow) -> serde_json::Value {
    details::booking(
        Named::new(row.booking.event_id, &row.event_title),
        Named::new(row.booking.attendee_id, &row.attendee_name),
    )
}

impl Store {
    /// Checks an active booking in. Refusals come in this order: booking missing, cancelled,
    /// already checked in (when and by whom), check-in not open yet (it opens 2 hours before
    /// the start), event ended. Desk staff may on any event, organizers on their own.
    pub fn check_in(&self, s: &Session, booking: impl Into<BookingRef>) -> Result<CheckIn> {
        let booking = booking.into();
        self.write(|tx| {
            let now = self.now();
            let (row, event) = at_door(tx, s, booking)?;
            if row.booking.status != BookingStatus::Active {
                return Err(Refusal::BookingCancelled.into());
            }
            if let (Some(at), Some(by)) = (row.checked_in_at, &row.checked_in_by) {
                return Err(Refusal::AlreadyCheckedIn { at, by: by.clone() }.into());
            }
            if now < check_in_opens(&event) {
                return Err(Refusal::CheckInNotOpen { opens_at: check_in_opens(&event) }.into());
            }
            if event.phase(now) == Phase::Past {
                return Err(Refusal::EventEnded.into());
            }
            let id = match tx.insert_check_in(row.booking.id, &s.username, now)? {
                CheckInSlot::Stood(id) => id,
                CheckInSlot::Taken { at, by } => return Err(Refusal::AlreadyCheckedIn { at, by }.into()),
            };
            let booking_id = row.booking.id;
            tx.record(
                now,
                &Record::by(s, HistoryAction::CheckIn, ObjectKind::Booking, booking_id, named(&row)),
            )?;
            let checked_in = tx.checked_in_count(event.id)?;
            Ok(check_in_of(id, row, &event, (whole_seconds(now), s.username.clone()), None, checked_in))
        })
    }

    /// Undoes a standing check-in (the desk scanned the wrong person). Recorded, not erased:
    /// the check-in keeps its row with the undo's time and operator. Refusals in order:
    /// booking missing, not checked in, event ended.
    pub fn undo_check_in(&self, s: &Session, booking: impl Into<BookingRef>) -> Result<CheckIn> {
        self.undo(s, booking.into(), None)
    }

    /// Undoes the check-in a confirmation named (made at `made_at`): if another door undid it
    /// and the attendee was checked in again since, the newer one stands and the refusal says
    /// which one it is, so the desk confirms what is true now.
    pub fn undo_check_in_confirmed(
        &self,
        s: &Session,
        booking: impl Into<BookingRef>,
        made_at: DateTime<Utc>,
    ) -> Result<CheckIn> {
        self.undo(s, booking.into(), Some(made_at))
    }

    fn undo(&self, s: &Session, booking: BookingRef, made_at: Option<DateTime<Utc>>) -> Result<CheckIn> {
        self.write(|tx| {
            let now = self.now();
            let (row, event) = at_door(tx, s, booking)?;
            let Some(standing) = row.checked_in_at else {
                return Err(Refusal::NotCheckedIn.into());
            };
            if made_at.is_some_and(|asked| asked != standing) {
                let by = row.checked_in_by.clone().unwrap_or_default();
                return Err(Refusal::CheckInChanged { at: standing, by }.into());
            }
            if event.phase(now) == Phase::Past {
                return Err(Refusal::EventEnded.into());
            }
            let booking_id = row.booking.id;
            let Some((id, at)) = tx.undo_check_in(booking_id, &s.username, now)? else {
                return Err(Refusal::NotCheckedIn.into());
            };
            tx.record(
                now,
                &Record::by(s, HistoryAction::CheckInUndo, ObjectKind::Booking, booking_id, named(&row)),
            )?;
            let checked_in = tx.checked_in_count(event.id)?;
            let by = row.checked_in_by.clone().unwrap_or_default();
            let undone = Some((whole_seconds(now), s.username.clone()));
            Ok(check_in_of(id, row, &event, (at, by), undone, checked_in))
        })
    }

    /// The event's active bookings never checked in, newest first, one page. Refused until
    /// the event has ended; desk staff may see any event's, organizers their own.
    pub fn no_shows(&self, s: &Session, event_id: i64, page: Page) -> Result<Vec<BookingRow>> {
        self.ended_door(s, event_id)?;
        self.engine.list_bookings(&no_show_query(event_id, page))
    }

    /// How many no-shows `no_shows` lists (same refusals).
    pub fn count_no_shows(&self, s: &Session, event_id: i64) -> Result<u64> {
        self.ended_door(s, event_id)?;
        self.engine.count_bookings(&no_show_query(event_id, Page::default()), None)
    }

    /// The no-show refusals: event missing or deleted, not this organizer's, not ended.
    fn ended_door(&self, s: &Session, event_id: i64) -> Result<()> {
        let role = self.authorize_read(s)?;
        let event = live(self.engine.event(event_id)?, event_id)?;
        door_access(role, s, &event, "see no-shows")?;
        if event.phase(self.now()) != Phase::Past {
            return Err(Refusal::EventNotEnded { ends_at: event.ends_at }.into());
        }
        Ok(())
    }

    /// The event's door figures: booked, checked in, waiting, and (once ended) no-shows.
    pub fn attendance(&self, event_id: i64) -> Result<Attendance> {
        let event = found(self.engine.event(event_id)?, "event", event_id)?;
        let (checked_in, waiting) = self.engine.door_counts(event_id)?;
        let ended = event.phase(self.now()) == Phase::Past;
        Ok(Attendance {
            event_id,
            capacity: event.capacity,
            booked: event.booked,
            checked_in,
            waiting,
            no_shows: ended.then(|| event.booked.saturating_sub(checked_in)),
        })
    }

    /// Each given attendee's no-shows over every event that has ended (attendees with none
    /// are left out), for the attendee list an organizer reads.
    pub fn no_show_counts(&self, attendee_ids: &[i64]) -> Result<Vec<(i64, u32)>> {
        if attendee_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.engine.no_show_counts(attendee_ids, self.now())
    }

    /// The signed-in operator's role, for a read that is not for everyone.
    fn authorize_read(&self, s: &Session) -> Result<Role> {
        match self.engine.operator(s.operator_id)? {
            Some(op) if op.username.eq_ignore_ascii_case(&s.username) => Ok(op.role),
            _ => Err(Error::Unauthenticated("not signed in: the account no longer exists".into())),
        }
    }
}

fn no_show_query(event_id: i64, page: Page) -> BookingQuery {
    BookingQuery {
        event_id: Some(event_id),
        status: Some(BookingStatus::Active),
        checked_in: Some(false),
        page,
        ..BookingQuery::default()
    }
}

/// Built from what the transaction already read rather than read back.
fn check_in_of(
    id: i64,
    row: BookingRow,
    event: &Event,
    (checked_in_at, checked_in_by): (chrono::DateTime<chrono::Utc>, String),
    undone: Option<(chrono::DateTime<chrono::Utc>, String)>,
    event_checked_in: u32,
) -> CheckIn {
    let (undone_at, undone_by) = undone.unzip();
    CheckIn {
        id,
        booking_id: row.booking.id,
        event_id: row.booking.event_id,
        attendee_id: row.booking.attendee_id,
        attendee_name: row.attendee_name,
        attendee_email: row.attendee_email,
        event_title: row.event_title,
        checked_in_at,
        checked_in_by,
        undone_at,
        undone_by,
        event_checked_in,
        event_booked: event.booked,
    }
}

/// Stored times are whole seconds.
fn whole_seconds(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}
