//! The Bookings tab: filtered bookings, and the book / cancel / rebook flows.

use tui_input::Input;

use super::{ATTENDEE_CAP, Action, App, Confirm, Mode, Paged, Picker, PickerList};
use crate::model::{BookingRow, BookingStatus, Error, Event, Refusal, plural};
use crate::store::{AttendeeQuery, BookingQuery, EventFilter, EventQuery, Page};

/// State of the Bookings tab. Event and attendee filters keep the name to show in the title.
#[derive(Debug, Clone, Default)]
pub struct BookingsTab {
    pub status: Option<BookingStatus>,
    pub event: Option<(i64, String)>,
    pub attendee: Option<(i64, String)>,
    pub search: Input,
    pub list: Paged<BookingRow>,
}

/// "1 seat left", "2 seats left".
fn seats_left(n: u32) -> String {
    format!("{} left", plural(n, "seat", "seats"))
}

fn next_status(s: Option<BookingStatus>) -> Option<BookingStatus> {
    match s {
        None => Some(BookingStatus::Active),
        Some(BookingStatus::Active) => Some(BookingStatus::Cancelled),
        Some(BookingStatus::Cancelled) => None,
    }
}

impl App {
    fn booking_query(&self, page: Page) -> BookingQuery {
        BookingQuery {
            event_id: self.bookings.event.as_ref().map(|e| e.0),
            attendee_id: self.bookings.attendee.as_ref().map(|a| a.0),
            status: self.bookings.status,
            organizer_id: None,
            search: self.bookings.search.value().trim().to_string(),
            before_id: None,
            page,
        }
    }

    /// Loads the visible page; `recount` also refreshes the total (skipped when only scrolling,
    /// because a count over a large table costs far more than a page).
    pub(super) fn load_bookings(&mut self, recount: bool) -> Result<(), Error> {
        if recount {
            let total = self.store.count_bookings(&self.booking_query(Page::default()))?;
            self.bookings.list.clamp(total);
        }
        let page = self.bookings.list.page();
        self.bookings.list.rows = self.store.list_bookings(&self.booking_query(page))?;
        Ok(())
    }

    pub(super) fn bookings_action(&mut self, action: Action) -> Mode {
        let selected = self.bookings.list.current().cloned();
        match (action, selected) {
            (Action::Book, _) => self.open_picker(Picker::events()),
            (Action::CycleFilter, _) => {
                self.bookings.status = next_status(self.bookings.status);
                self.refilter_bookings()
            }
            (Action::ClearFilters, _) => {
                self.bookings = BookingsTab { list: self.bookings.list.clone(), ..BookingsTab::default() };
                self.refilter_bookings()
            }
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

    fn refilter_bookings(&mut self) -> Mode {
        self.bookings.list.reset();
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

    pub(super) fn cancel_booking(&mut self, id: i64) -> Result<(), Error> {
        let row = self.store.cancel(&self.session()?, id)?;
        self.info(format!(
            "Cancelled {} on {} — {}",
            row.attendee_name,
            row.event_title,
            seats_left(row.seats_left)
        ));
        Ok(())
    }

    fn rebook(&mut self, row: &BookingRow) {
        if row.booking.status == BookingStatus::Active {
            return self.warn("this booking is active: press c to cancel it");
        }
        let result = self.session().and_then(|s| self.store.rebook(&s, row.booking.id));
        self.report_booking("Rebooked", &row.event_title, result);
        self.reload();
    }

    /// The status line after a booking attempt: what happened, or why not.
    pub(super) fn report_booking(&mut self, verb: &str, title: &str, result: Result<BookingRow, Error>) {
        match result {
            Ok(row) => self.info(format!(
                "{verb} {} on {} — {}",
                row.attendee_name,
                row.event_title,
                seats_left(row.seats_left)
            )),
            Err(Error::Refused(Refusal::EventFull)) => self.warn(format!("{title} is full")),
            Err(e) => self.fail(&e),
        }
    }

    /// Opens a picker with its first page loaded.
    pub(super) fn open_picker(&mut self, mut picker: Picker) -> Mode {
        match self.load_picker(&mut picker) {
            Ok(()) => Mode::Picker(picker),
            Err(e) => {
                self.fail(&e);
                Mode::Browse
            }
        }
    }

    pub(super) fn load_picker(&self, picker: &mut Picker) -> Result<(), Error> {
        let search = picker.search.value().trim().to_string();
        match &mut picker.list {
            PickerList::Events(list) => {
                let q = |page| EventQuery {
                    filter: EventFilter::Available,
                    search: search.clone(),
                    page,
                    ..EventQuery::default()
                };
                list.clamp(self.store.count_events(&q(Page::default()))?);
                list.rows = self.store.list_events(&q(list.page()))?;
            }
            PickerList::Attendees { list, .. } => {
                // A capped count: an exact one reads every match of a common name, and the desk
                // only needs to know to type more. The capped total is no real length, so pages
                // are read forwards.
                let q = |page| AttendeeQuery { search: search.clone(), page };
                list.clamp(self.store.count_attendees_upto(&q(Page::default()), ATTENDEE_CAP)?);
                list.rows = self.store.list_attendees(&q(Page::new(list.offset, list.limit())))?;
            }
        }
        Ok(())
    }

    /// Enter in a picker: an event leads on to the attendee picker, an attendee books.
    pub(super) fn pick(&mut self, picker: Picker) -> Mode {
        match picker.list {
            PickerList::Events(list) => match list.current().cloned() {
                Some(event) => self.open_picker(Picker::attendees(event)),
                None => Mode::Picker(Picker { list: PickerList::Events(list), ..picker }),
            },
            PickerList::Attendees { event, list } => match list.current().map(|a| a.id) {
                Some(attendee) => {
                    self.book(&event, attendee);
                    Mode::Browse
                }
                None => Mode::Picker(Picker { list: PickerList::Attendees { event, list }, ..picker }),
            },
        }
    }

    /// Books and reports; a refusal (full, already booked) lands on the status line.
    pub(super) fn book(&mut self, event: &Event, attendee_id: i64) {
        let result = self.session().and_then(|s| self.store.book(&s, event.id, attendee_id));
        self.report_booking("Booked", &event.title, result);
        self.reload();
    }
}
