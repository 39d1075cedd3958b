//! The Bookings tab: filtered bookings, and the book / cancel / rebook flows.

use tui_input::Input;

use super::answers::{Answer, PickerPage};
use super::lost::{Lost, lost_attendee, lost_booking, lost_event};
use super::paged::Loaded;
use super::waitlist::FullEvent;
use super::worker::Slot;
use super::writes::Wrote;
use super::{ATTENDEE_CAP, Action, App, Confirm, Mode, Paged, Picker, PickerList};
use crate::model::{
    Attendee, BookingRow, BookingStatus, Error, Event, Freed, Promotion, Refusal, Result, WaitlistEntry,
    plural,
};
use crate::store::{AttendeeQuery, BookingQuery, EventFilter, EventQuery, Page, Store};

/// State of the Bookings tab. Event and attendee filters keep the name to show in the title.
#[derive(Debug, Clone, Default)]
pub struct BookingsTab {
    pub status: Option<BookingStatus>,
    pub event: Option<(i64, String)>,
    pub attendee: Option<(i64, String)>,
    pub search: Input,
    pub list: Paged<BookingRow>,
    /// The filter's last step: the waiting list instead of bookings (`status` is then None).
    pub waiting: bool,
    /// The waiting entries shown while `waiting`.
    pub entries: Paged<WaitlistEntry>,
}

/// "1 seat left", "2 seats left".
fn seats_left(n: u32) -> String {
    format!("{} left", plural(n, "seat", "seats"))
}

/// " — promoted Ana Ruiz from the waiting list", or nothing when nobody was.
pub(super) fn promoted_note(promoted: &[Promotion]) -> String {
    if promoted.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = promoted.iter().map(|p| p.attendee_name.as_str()).collect();
    format!(" — promoted {} from the waiting list", names.join(", "))
}

/// Who a booking attempt is for and onto what: enough to offer the waiting list if it is full.
#[derive(Debug, Clone)]
pub(super) struct Attempt {
    pub event_id: i64,
    pub title: String,
    pub attendee_id: i64,
    pub attendee: String,
}

impl Attempt {
    pub fn new(event: &Event, attendee: &Attendee) -> Attempt {
        Attempt {
            event_id: event.id,
            title: event.title.clone(),
            attendee_id: attendee.id,
            attendee: attendee.name.clone(),
        }
    }

    /// The refusal of a full event, with what the status line says.
    pub fn full(self, note: String) -> Wrote {
        Wrote::Full(FullEvent {
            event_id: self.event_id,
            title: self.title,
            attendee_id: self.attendee_id,
            attendee: self.attendee,
            note,
        })
    }
}

/// The status line after a booking attempt: what happened, or why not. A full event offers
/// its waiting list.
pub(super) fn booking_outcome(verb: &str, attempt: Attempt, result: Result<BookingRow>) -> Wrote {
    match result {
        Ok(row) => Wrote::Saved(format!(
            "{verb} {} on {} — {}",
            row.attendee_name,
            row.event_title,
            seats_left(row.seats_left)
        )),
        Err(Error::Refused(Refusal::EventFull)) => {
            let note = format!("{} is full", attempt.title);
            attempt.full(note)
        }
        Err(e) => Wrote::refused(e),
    }
}

/// Reads a page of bookings (on a store thread); see `events::read_page` for `recount`.
fn read_page(
    store: &Store,
    q: BookingQuery,
    (mut window, keep): (Paged<BookingRow>, Option<i64>),
    recount: bool,
) -> Result<(Loaded<BookingRow>, Option<Lost>)> {
    window
        .searched(&q.search)
        .count(recount, |page, cap| store.count_bookings_upto(&BookingQuery { page, ..q.clone() }, cap))?;
    // A booking that left the list (a filter on status) leaves its neighbour selected.
    let (page, kept) = window.read_keeping(
        keep,
        |b| b.booking.id,
        |page| store.list_bookings(&BookingQuery { page, ..q.clone() }),
    )?;
    Ok((page, lost_booking(store, kept)))
}

/// Reads the picker's page (on a store thread).
fn read_picker(store: &Store, search: &str, list: PickerList, keep: Option<i64>) -> Result<PickerPage> {
    match list {
        PickerList::Events(mut window) => {
            // Full events too: booking one offers its waiting list.
            let q = |page| EventQuery {
                filter: EventFilter::Upcoming,
                search: search.to_string(),
                page,
                ..EventQuery::default()
            };
            window.searched(search).count(true, |page, cap| store.count_events_upto(&q(page), cap))?;
            let (page, kept) = window.read_keeping(keep, |e| e.id, |page| store.list_events(&q(page)))?;
            Ok(PickerPage::Events(page, lost_event(store, kept)))
        }
        PickerList::Attendees { event, list: mut window } => {
            // A capped count: an exact one reads every match of a common name, and the desk
            // only needs to know to type more. The capped total is no real length, so pages
            // are read forwards.
            let q = |page| AttendeeQuery { search: search.to_string(), page };
            window.clamp(store.count_attendees_upto(&q(Page::default()), ATTENDEE_CAP)?);
            let (page, kept) = window.read_keeping(
                keep,
                |a| a.id,
                |page| store.list_attendees(&q(Page::new(page.offset, page.limit))),
            )?;
            Ok(PickerPage::Attendees { event_id: event.id, page, lost: lost_attendee(store, kept) })
        }
    }
}

/// The status filter's steps: any, active, cancelled, the waiting list, and round again.
fn next_status(tab: &mut BookingsTab) {
    (tab.status, tab.waiting) = match (tab.status, tab.waiting) {
        (None, false) => (Some(BookingStatus::Active), false),
        (Some(BookingStatus::Active), _) => (Some(BookingStatus::Cancelled), false),
        (Some(BookingStatus::Cancelled), _) => (None, true),
        (None, true) => (None, false),
    };
}

impl App {
    pub(super) fn booking_query(&self, page: Page) -> BookingQuery {
        BookingQuery {
            event_id: self.bookings.event.as_ref().map(|e| e.0),
            attendee_id: self.bookings.attendee.as_ref().map(|a| a.0),
            status: self.bookings.status,
            organizer_id: None,
            search: self.bookings.search.value().trim().to_string(),
            before_id: None,
            checked_in: None,
            page,
        }
    }

    /// Asks for the visible page of bookings.
    pub(super) fn load_bookings(&mut self, recount: bool) {
        if self.bookings.waiting {
            return self.load_waitlist(recount);
        }
        let q = self.booking_query(Page::default());
        let window = (self.bookings.list.window(), self.bookings.list.kept(|b| b.booking.id));
        self.read(Slot::Bookings, &[], move |s| Answer::Bookings(read_page(s, q, window, recount)));
    }

    pub(super) fn bookings_action(&mut self, action: Action) -> Mode {
        match action {
            Action::Book => return self.open_picker(Picker::events()),
            Action::CycleFilter => {
                next_status(&mut self.bookings);
                return self.refilter_bookings();
            }
            Action::ClearFilters => {
                self.bookings = BookingsTab {
                    list: self.bookings.list.clone(),
                    entries: self.bookings.entries.clone(),
                    ..BookingsTab::default()
                };
                return self.refilter_bookings();
            }
            _ if self.bookings.waiting => return self.waitlist_action(action),
            _ => {}
        }
        let selected = self.bookings.list.current().cloned();
        match (action, selected) {
            (Action::FilterEvent, Some(row)) => {
                let same = self.bookings.event.as_ref().is_some_and(|e| e.0 == row.booking.event_id);
                self.bookings.event = (!same).then(|| (row.booking.event_id, row.event_title.clone()));
                self.refilter_bookings()
            }
            (Action::FilterAttendee, Some(row)) => {
                let same = self.bookings.attendee.as_ref().is_some_and(|a| a.0 == row.booking.attendee_id);
                self.bookings.attendee =
                    (!same).then(|| (row.booking.attendee_id, row.attendee_name.clone()));
                self.refilter_bookings()
            }
            (Action::CancelBooking, Some(row)) => self.ask_cancel(&row),
            (Action::Rebook, Some(row)) => {
                self.rebook(&row);
                Mode::Browse
            }
            (_, None) => {
                self.warn("no booking selected");
                Mode::Browse
            }
            _ => Mode::Browse,
        }
    }

    pub(super) fn refilter_bookings(&mut self) -> Mode {
        self.bookings.list.reset();
        self.bookings.entries.reset();
        self.reload();
        Mode::Browse
    }

    fn ask_cancel(&mut self, row: &BookingRow) -> Mode {
        if row.booking.status != BookingStatus::Active {
            self.warn("already cancelled: press r to rebook it");
            return Mode::Browse;
        }
        Mode::Confirm(Confirm::CancelBooking {
            id: row.booking.id,
            attendee: row.attendee_name.clone(),
            event: row.event_title.clone(),
        })
    }

    pub(super) fn cancel_booking(&mut self, id: i64) -> Result<()> {
        let session = self.session()?;
        self.save("cancelling the booking", false, move |s| match s.cancel(&session, id) {
            Ok(Freed { changed: row, promoted }) => Wrote::Saved(format!(
                "Cancelled {} on {} — {}{}",
                row.attendee_name,
                row.event_title,
                seats_left(row.seats_left),
                promoted_note(&promoted)
            )),
            Err(e) => Wrote::refused(e),
        });
        Ok(())
    }

    fn rebook(&mut self, row: &BookingRow) {
        if row.booking.status == BookingStatus::Active {
            return self.warn("this booking is active: press c to cancel it");
        }
        let session = match self.session() {
            Ok(s) => s,
            Err(e) => return self.fail(&e),
        };
        let id = row.booking.id;
        let attempt = Attempt {
            event_id: row.booking.event_id,
            title: row.event_title.clone(),
            attendee_id: row.booking.attendee_id,
            attendee: row.attendee_name.clone(),
        };
        self.save("rebooking", false, move |s| booking_outcome("Rebooked", attempt, s.rebook(&session, id)));
    }

    /// Opens a picker at once; its first page follows from the store.
    pub(super) fn open_picker(&mut self, picker: Picker) -> Mode {
        self.load_picker(&picker);
        Mode::Picker(picker)
    }

    /// Asks for the picker's current page.
    pub(super) fn load_picker(&mut self, picker: &Picker) {
        let search = picker.search.value().trim().to_string();
        let keep = match &picker.list {
            PickerList::Events(list) => list.kept(|e| e.id),
            PickerList::Attendees { list, .. } => list.kept(|a| a.id),
        };
        let list = match &picker.list {
            PickerList::Events(list) => PickerList::Events(list.window()),
            PickerList::Attendees { event, list } => {
                PickerList::Attendees { event: event.clone(), list: list.window() }
            }
        };
        self.read(Slot::Picker, &[], move |s| Answer::Picker(read_picker(s, &search, list, keep)));
    }

    /// Asks again for the open picker's page (after a store change or a scroll meanwhile).
    pub(super) fn reload_picker(&mut self) {
        if let Mode::Picker(picker) = &self.mode {
            let picker = picker.clone();
            self.load_picker(&picker);
        }
    }

    /// Enter in a picker: an event leads on to the attendee picker, an attendee books.
    pub(super) fn pick(&mut self, picker: Picker) -> Mode {
        match picker.list {
            PickerList::Events(list) => match list.current().cloned() {
                Some(event) => self.open_picker(Picker::attendees(event)),
                None => Mode::Picker(Picker { list: PickerList::Events(list), ..picker }),
            },
            PickerList::Attendees { event, list } => match list.current().cloned() {
                Some(attendee) if self.book(&event, &attendee) => Mode::Browse,
                _ => Mode::Picker(Picker { list: PickerList::Attendees { event, list }, ..picker }),
            },
        }
    }

    /// Books; the answer (booked, or refused: full, already booked) lands on the status line,
    /// and a full event offers its waiting list. False when the booking could not be sent
    /// (another write still waits).
    pub(super) fn book(&mut self, event: &Event, attendee: &Attendee) -> bool {
        let session = match self.session() {
            Ok(s) => s,
            Err(e) => {
                self.fail(&e);
                return false;
            }
        };
        let attempt = Attempt::new(event, attendee);
        self.save("booking", false, move |s| {
            let (event_id, attendee_id) = (attempt.event_id, attempt.attendee_id);
            booking_outcome("Booked", attempt, s.book(&session, event_id, attendee_id))
        })
    }
}
