//! The Door tab: checking people in at the door of one event. The desk types a few letters of
//! a name or email, the event's active bookings narrow with each key, and Enter checks in the
//! highlighted one. The booking's id is taken from the row on screen when the key is pressed
//! and travels with the write, so a list that moves under a live refresh never checks in the
//! wrong person. The search clears at once for the next person in the queue.
//!
//! The event's bookings are read whole (the roster, on a store thread) when the door opens and
//! whenever another connection writes; each key then filters them in memory, so a key costs
//! no store call however large the database.

mod outcome;
mod roster;

use chrono::{DateTime, Utc};
use tui_input::{Input, InputRequest};

use super::answers::Answer;
use super::browse::{is_navigation, navigate};
use super::paged::Loaded;
use super::worker::Slot;
use super::writes::Wrote;
use super::{Action, App, Confirm, Mode, Paged};
use crate::model::{Attendance, BookingRow, BookingStatus, Event, Refusal, Result, Session};
use crate::store::{BookingQuery, Page, Store};
pub use outcome::{DoorOutcome, DoorResult, DoorWrite};
use roster::Roster;

/// How many bookings one read of the roster takes at a time (pages by id, never by OFFSET).
const ROSTER_PAGE: u32 = 2_000;

/// State of the Door tab: which event, what is typed, the matches and the counter.
#[derive(Debug, Clone, Default)]
pub struct DoorTab {
    /// The event at the door; None until one is chosen (`D` in the Events tab).
    pub event: Option<Event>,
    pub search: Input,
    /// The visible page of the event's active bookings matching the search.
    pub list: Paged<BookingRow>,
    pub attendance: Option<Attendance>,
    /// The last check-in or undo sent from this desk and how it went, shown in place.
    pub outcome: Option<DoorOutcome>,
    roster: Roster,
    /// The booking the desk highlighted: a refresh that moves the rows keeps it highlighted.
    /// None after the search changed (the first match is highlighted then).
    pinned: Option<i64>,
}

/// The door's read: the event (its title or time may have changed), its figures and every
/// active booking.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorPage {
    pub event: Event,
    pub attendance: Attendance,
    pub rows: Vec<BookingRow>,
}

pub(super) fn door_query(event_id: i64, search: String) -> BookingQuery {
    BookingQuery {
        event_id: Some(event_id),
        status: Some(BookingStatus::Active),
        search,
        ..BookingQuery::default()
    }
}

/// Reads the door (on a store thread): the roster in pages by id, newest first.
fn read_door(store: &Store, event_id: i64) -> Result<DoorPage> {
    let event = store.event(event_id)?;
    let attendance = store.attendance(event_id)?;
    let mut rows = Vec::with_capacity(usize::try_from(attendance.booked).unwrap_or(0));
    let mut before_id = None;
    loop {
        let q = BookingQuery {
            event_id: Some(event_id),
            status: Some(BookingStatus::Active),
            before_id,
            page: Page::new(0, ROSTER_PAGE),
            ..BookingQuery::default()
        };
        let page = store.list_bookings(&q)?;
        let full = page.len() >= usize::try_from(ROSTER_PAGE).unwrap_or(usize::MAX);
        before_id = page.last().map(|b| b.booking.id);
        rows.extend(page);
        if !full {
            return Ok(DoorPage { event, attendance, rows });
        }
    }
}

impl DoorTab {
    /// Filters the roster by the search and shows the visible page of matches, keeping the
    /// pinned booking highlighted wherever it moved.
    fn show(&mut self) {
        self.roster.filter(self.search.value());
        self.list.clamp(self.roster.len());
        if let Some(i) = self.pinned.and_then(|id| self.roster.position(id)) {
            self.list.select(i);
        }
        self.fill();
    }

    /// The visible page, from the matches in memory.
    fn fill(&mut self) {
        // A page the list turns down (it scrolled: a shrunk roster, keys typed before the
        // first read) is cut again at the list's new place; the second cut always fits.
        for _ in 0..3 {
            let (total, offset) = (self.roster.len(), self.list.offset);
            let rows = self.roster.window(offset, self.list.limit());
            if self.list.fill(Loaded { total, offset, rows, follow: None, more: false, from_end: false }) {
                break;
            }
        }
        self.pinned = self.list.current().map(|b| b.booking.id);
    }
}

impl App {
    /// Opens the Door tab on the selected event (from the Events tab).
    pub(super) fn open_door(&mut self) -> Mode {
        let Some(event) = self.events.list.current().cloned() else {
            self.warn("no event selected: choose the event at the door first");
            return Mode::Browse;
        };
        if self.door.event.as_ref().map(|e| e.id) != Some(event.id) {
            self.door = DoorTab { list: Paged::with_view(self.door.list.view), ..DoorTab::default() };
        }
        self.info(format!("At the door of {}: type a name or email, Enter checks in", event.title));
        self.door.event = Some(event);
        self.switch(super::Tab::Door)
    }

    /// Asks for the door's figures and roster.
    pub(super) fn load_door(&mut self) {
        let Some(event_id) = self.door.event.as_ref().map(|e| e.id) else { return };
        self.read(Slot::Door, &[], move |s| Answer::Door(read_door(s, event_id).map(Box::new)));
    }

    /// Takes the door's read in, unless it is for an event no longer at the door.
    pub(super) fn show_door(&mut self, page: DoorPage) {
        if self.door.event.as_ref().map(|e| e.id) != Some(page.event.id) {
            return;
        }
        self.door.attendance = Some(page.attendance);
        self.door.event = Some(page.event);
        self.door.roster = Roster::new(page.rows);
        self.door.show();
    }

    /// Keys while the Door tab is on top: typing goes into the search, Enter checks in.
    pub(super) fn on_door(&mut self, action: Action) -> Mode {
        match action {
            Action::Quit => self.quit(),
            Action::NextTab => self.switch(self.tab.next()),
            Action::PrevTab => self.switch(self.tab.prev()),
            Action::GoTab(tab) => self.switch(tab),
            Action::Help => Mode::Help,
            Action::Submit => self.check_in_selected(),
            Action::UndoCheckIn => self.ask_undo(),
            Action::Cancel => self.door_escape(),
            Action::Edit(req) => self.door_search(|input| {
                input.handle(req);
            }),
            Action::Paste(text) => self.door_search(|input| super::editing::paste_into(input, &text)),
            a if is_navigation(&a) => {
                if navigate(&mut self.door.list, &a) {
                    self.door.fill();
                }
                self.door.pinned = self.door.list.current().map(|b| b.booking.id);
                Mode::Browse
            }
            _ => Mode::Browse,
        }
    }

    /// A change of the search: back to the first match; the list follows from memory.
    fn door_search(&mut self, edit: impl FnOnce(&mut Input)) -> Mode {
        if self.door.event.is_none() {
            self.warn("no event at the door: select one in the Events tab and press D");
            return Mode::Browse;
        }
        edit(&mut self.door.search);
        self.door.list.reset();
        self.door.pinned = None;
        self.door.show();
        Mode::Browse
    }

    /// Esc: gives up a waiting write, else clears the search.
    fn door_escape(&mut self) -> Mode {
        if self.db.pending_write().is_some() {
            self.give_up();
            return Mode::Browse;
        }
        if !self.door.search.value().is_empty() {
            return self.door_search(|input| {
                input.handle(InputRequest::DeleteLine);
            });
        }
        Mode::Browse
    }

    /// The highlighted booking, or why there is none (said on the status line).
    fn door_row(&mut self) -> Option<BookingRow> {
        if self.door.event.is_none() {
            self.warn("no event at the door: select one in the Events tab and press D");
            return None;
        }
        let row = self.door.list.current().cloned();
        if row.is_none() {
            self.warn("nobody matches: type less, or check the spelling");
        }
        row
    }

    /// Enter: checks in the highlighted booking. The search clears for the next person.
    fn check_in_selected(&mut self) -> Mode {
        let Some(row) = self.door_row() else { return Mode::Browse };
        let session = match self.session() {
            Ok(s) => s,
            Err(e) => {
                self.fail(&e);
                return Mode::Browse;
            }
        };
        if self.send_door(DoorWrite::CheckIn, row.booking.id, row.attendee_name, (session, None)) {
            self.door.search.reset();
            self.door.list.reset();
            self.door.pinned = None;
            self.door.show();
        }
        Mode::Browse
    }

    /// Ctrl-Z: asks before undoing the highlighted attendee's check-in.
    fn ask_undo(&mut self) -> Mode {
        let Some(row) = self.door_row() else { return Mode::Browse };
        let (Some(at), Some(by)) = (row.checked_in_at, row.checked_in_by.clone()) else {
            self.warn(format!("{} is not checked in: nothing to undo", row.attendee_name));
            return Mode::Browse;
        };
        Mode::Confirm(Confirm::UndoCheckIn {
            booking_id: row.booking.id,
            attendee: row.attendee_name.clone(),
            at,
            by,
        })
    }

    /// After the confirmation: undoes the check-in of `booking_id` the confirmation named (made
    /// at `at`); if another door replaced it meanwhile, the confirmation is asked again.
    pub(super) fn undo_check_in(&mut self, booking_id: i64, attendee: &str, at: DateTime<Utc>) -> Result<()> {
        let session = self.session()?;
        self.send_door(DoorWrite::Undo, booking_id, attendee.to_string(), (session, Some(at)));
        Ok(())
    }

    /// Sends a door write for `booking_id`; the outcome line says it is on its way.
    /// `made_at`: for an undo, the check-in its confirmation named.
    fn send_door(
        &mut self,
        write: DoorWrite,
        booking_id: i64,
        attendee: String,
        (session, made_at): (Session, Option<DateTime<Utc>>),
    ) -> bool {
        let name = attendee.clone();
        let what = match write {
            DoorWrite::CheckIn => "checking in",
            DoorWrite::Undo => "undoing the check-in",
        };
        let sent = self.save(what, false, move |s| {
            let result = match write {
                DoorWrite::CheckIn => s.check_in(&session, booking_id),
                DoorWrite::Undo => match made_at {
                    Some(at) => s.undo_check_in_confirmed(&session, booking_id, at),
                    None => s.undo_check_in(&session, booking_id),
                },
            };
            if let Err(e) = &result
                && let Some(Refusal::CheckInChanged { at, by }) = e.refusal()
            {
                let again = Confirm::UndoCheckIn { booking_id, attendee: name, at: *at, by: by.clone() };
                return Wrote::AskAgain(Box::new(again), e.to_string());
            }
            outcome::door_wrote(write, booking_id, name, result)
        });
        if sent {
            self.door.outcome =
                Some(DoorOutcome { write, booking_id, attendee, result: DoorResult::Sending });
        }
        sent
    }

    /// A door write answered: the outcome shows in place and on the status line, and the row
    /// and the counter change at once from what the store answered. Other doors' changes come
    /// with the next read of the roster, which the change token asks for; a refusal (someone
    /// was quicker) asks for it now.
    pub(super) fn on_door_wrote(&mut self, outcome: DoorOutcome) {
        match &outcome.result {
            DoorResult::Done { at, by, checked_in, booked } => {
                let mark = (outcome.write == DoorWrite::CheckIn).then(|| (*at, by.clone()));
                self.door.roster.mark(outcome.booking_id, mark);
                if let Some(a) = &mut self.door.attendance {
                    (a.checked_in, a.booked) = (*checked_in, *booked);
                }
                self.door.show();
                self.info(outcome.text());
            }
            DoorResult::Refused(_) => {
                self.warn(outcome.text());
                self.load_door();
            }
            DoorResult::Sending => {}
        }
        self.door.outcome = Some(outcome);
    }
}
