//! The Door tab: checking people in at the door of one event. The desk types a few letters of
//! a name or email, the event's active bookings narrow with each key, and Enter checks in the
//! highlighted one. The booking's id is taken from the row on screen when the key is pressed
//! and travels with the write, so a list that moves under a live refresh never checks in the
//! wrong person. The search clears at once for the next person in the queue.

use chrono::{DateTime, Utc};
use tui_input::{Input, InputRequest};

use super::answers::Answer;
use super::browse::{is_navigation, navigate};
use super::paged::Loaded;
use super::worker::Slot;
use super::writes::Wrote;
use super::{Action, App, Confirm, Mode, Paged, Tab};
use crate::model::{Attendance, BookingRow, BookingStatus, CheckIn, Event, Result, Session};
use crate::store::{BookingQuery, Store};

/// State of the Door tab: which event, what is typed, the matches and the counter.
#[derive(Debug, Clone, Default)]
pub struct DoorTab {
    /// The event at the door; None until one is chosen (`D` in the Events tab).
    pub event: Option<Event>,
    pub search: Input,
    /// The event's active bookings matching the search.
    pub list: Paged<BookingRow>,
    pub attendance: Option<Attendance>,
    /// The last check-in or undo sent from this desk and how it went, shown in place.
    pub outcome: Option<DoorOutcome>,
    /// The booking the desk highlighted: a refresh that moves the rows keeps it highlighted.
    /// None after the search changed (the first match is highlighted then).
    pinned: Option<i64>,
}

/// What a door write was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorWrite {
    CheckIn,
    Undo,
}

/// How a door write went: on its way, done, or refused with the store's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoorResult {
    Sending,
    Done { at: DateTime<Utc>, by: String, checked_in: u32, booked: u32 },
    Refused(String),
}

/// One door write, for the line above the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorOutcome {
    pub write: DoorWrite,
    pub booking_id: i64,
    pub attendee: String,
    pub result: DoorResult,
}

impl DoorOutcome {
    /// The sentence the door view and the status line show.
    pub fn text(&self) -> String {
        let who = &self.attendee;
        match (&self.result, self.write) {
            (DoorResult::Sending, DoorWrite::CheckIn) => format!("checking in {who}…"),
            (DoorResult::Sending, DoorWrite::Undo) => format!("undoing {who}'s check-in…"),
            (DoorResult::Done { checked_in, booked, .. }, DoorWrite::CheckIn) => {
                format!("Checked in {who} — {checked_in} / {booked}")
            }
            (DoorResult::Done { checked_in, booked, .. }, DoorWrite::Undo) => {
                format!("Undid {who}'s check-in — {checked_in} / {booked}")
            }
            (DoorResult::Refused(why), DoorWrite::CheckIn) => format!("{who} not checked in: {why}"),
            (DoorResult::Refused(why), DoorWrite::Undo) => format!("{who}'s check-in not undone: {why}"),
        }
    }
}

/// The door's read: the event (its title or time may have changed), its figures and the page of
/// matching bookings.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorPage {
    pub event: Event,
    pub attendance: Attendance,
    pub page: Loaded<BookingRow>,
}

pub(super) fn door_query(event_id: i64, search: String) -> BookingQuery {
    BookingQuery {
        event_id: Some(event_id),
        status: Some(BookingStatus::Active),
        search,
        ..BookingQuery::default()
    }
}

/// Reads the door's page (on a store thread); see `events::read_page` for `recount`.
fn read_door(
    store: &Store,
    event_id: i64,
    search: String,
    mut window: Paged<BookingRow>,
    recount: bool,
) -> Result<DoorPage> {
    let event = store.event(event_id)?;
    let attendance = store.attendance(event_id)?;
    let mut q = door_query(event_id, search);
    if recount {
        window.clamp(store.count_bookings(&q)?);
    }
    q.page = window.page();
    let rows = store.list_bookings(&q)?;
    Ok(DoorPage { event, attendance, page: window.loaded(rows) })
}

/// The store's answer to a door write, as the app takes it in.
fn door_wrote(write: DoorWrite, booking_id: i64, attendee: String, result: Result<CheckIn>) -> Wrote {
    let result = match result {
        Ok(c) => DoorResult::Done {
            at: c.undone_at.unwrap_or(c.checked_in_at),
            by: c.undone_by.unwrap_or(c.checked_in_by),
            checked_in: c.event_checked_in,
            booked: c.event_booked,
        },
        Err(e) => DoorResult::Refused(e.to_string()),
    };
    Wrote::Door(DoorOutcome { write, booking_id, attendee, result })
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
        self.tab = Tab::Door;
        self.reload();
        Mode::Browse
    }

    /// Asks for the door's figures and page of matches.
    pub(super) fn load_door(&mut self, recount: bool) {
        let Some(event_id) = self.door.event.as_ref().map(|e| e.id) else { return };
        let search = self.door.search.value().trim().to_string();
        let window = self.door.list.window();
        self.read(Slot::Door, &[], move |s| {
            Answer::Door(read_door(s, event_id, search, window, recount).map(Box::new))
        });
    }

    /// Takes the door's page in, unless it is for an event no longer at the door.
    pub(super) fn show_door(&mut self, page: DoorPage) {
        if self.door.event.as_ref().map(|e| e.id) != Some(page.event.id) {
            return;
        }
        self.door.attendance = Some(page.attendance);
        self.door.event = Some(page.event);
        if !self.door.list.fill(page.page) {
            return self.load_door(false);
        }
        // The highlight stays on the same person when other doors' changes move the rows.
        let list = &mut self.door.list;
        let moved_to = self.door.pinned.and_then(|id| list.rows.iter().position(|b| b.booking.id == id));
        if let Some(i) = moved_to
            && list.select(list.offset + i as u64)
        {
            return self.load_door(false);
        }
        self.pin();
    }

    /// Remembers the highlighted booking, so a refresh keeps it highlighted.
    fn pin(&mut self) {
        self.door.pinned = self.door.list.current().map(|b| b.booking.id);
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
                    self.load_door(false);
                }
                self.pin();
                Mode::Browse
            }
            _ => Mode::Browse,
        }
    }

    /// A change of the search: back to the first match, and the list follows.
    fn door_search(&mut self, edit: impl FnOnce(&mut Input)) -> Mode {
        if self.door.event.is_none() {
            self.warn("no event at the door: select one in the Events tab and press D");
            return Mode::Browse;
        }
        edit(&mut self.door.search);
        self.door.list.reset();
        self.door.pinned = None;
        self.load_door(true);
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
        if self.send_door(DoorWrite::CheckIn, row.booking.id, row.attendee_name, session) {
            // The list is read again when the check-in answers (`on_wrote` reloads): a read
            // sent now would only show it without this check-in. Typing meanwhile reads at once.
            self.door.search.reset();
            self.door.list.reset();
            self.door.pinned = None;
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

    /// After the confirmation: undoes the check-in of `booking_id`.
    pub(super) fn undo_check_in(&mut self, booking_id: i64, attendee: &str) -> Result<()> {
        let session = self.session()?;
        self.send_door(DoorWrite::Undo, booking_id, attendee.to_string(), session);
        Ok(())
    }

    /// Sends a door write for `booking_id`; the outcome line says it is on its way.
    fn send_door(&mut self, write: DoorWrite, booking_id: i64, attendee: String, session: Session) -> bool {
        let name = attendee.clone();
        let what = match write {
            DoorWrite::CheckIn => "checking in",
            DoorWrite::Undo => "undoing the check-in",
        };
        let sent = self.save(what, false, move |s| {
            let result = match write {
                DoorWrite::CheckIn => s.check_in(&session, booking_id),
                DoorWrite::Undo => s.undo_check_in(&session, booking_id),
            };
            door_wrote(write, booking_id, name, result)
        });
        if sent {
            self.door.outcome =
                Some(DoorOutcome { write, booking_id, attendee, result: DoorResult::Sending });
        }
        sent
    }

    /// A door write answered: the outcome shows in place and on the status line, and the
    /// counter moves at once (the reload that follows brings the list).
    pub(super) fn on_door_wrote(&mut self, outcome: DoorOutcome) {
        if let DoorResult::Done { checked_in, booked, .. } = outcome.result
            && let Some(a) = &mut self.door.attendance
        {
            a.checked_in = checked_in;
            a.booked = booked;
        }
        match outcome.result {
            DoorResult::Refused(_) => self.warn(outcome.text()),
            _ => self.info(outcome.text()),
        }
        self.door.outcome = Some(outcome);
    }
}
