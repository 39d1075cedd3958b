//! The Events tab: a filtered, searchable page of events and the selected event's attendees.

use tui_input::Input;

use super::{Action, App, Confirm, Mode, Paged, Picker, forms};
use crate::model::{BookingRow, BookingStatus, Error, Event, Session, plural};
use crate::store::{BookingQuery, EventFilter, EventQuery, Page};

/// How many attendees the detail pane loads for the selected event.
const DETAIL_ROWS: u32 = 30;

/// State of the Events tab.
#[derive(Debug, Clone, Default)]
pub struct EventsTab {
    pub filter: EventFilter,
    pub search: Input,
    pub list: Paged<Event>,
    /// Active bookings of the selected event, for the detail pane.
    pub attendees: Vec<BookingRow>,
    pub attendee_total: u64,
}

/// What the filter is called on screen.
pub fn filter_label(filter: EventFilter) -> &'static str {
    match filter {
        EventFilter::All => "all",
        EventFilter::Upcoming => "upcoming",
        EventFilter::Past => "past",
        EventFilter::Mine => "mine",
        EventFilter::Available => "with seats left",
    }
}

fn next_filter(filter: EventFilter) -> EventFilter {
    match filter {
        EventFilter::All => EventFilter::Upcoming,
        EventFilter::Upcoming => EventFilter::Past,
        EventFilter::Past => EventFilter::Mine,
        EventFilter::Mine => EventFilter::Available,
        EventFilter::Available => EventFilter::All,
    }
}

impl App {
    fn event_query(&self, page: Page) -> EventQuery {
        EventQuery {
            filter: self.events.filter,
            creator_id: self.session.as_ref().map(|s| s.operator_id),
            search: self.events.search.value().trim().to_string(),
            page,
        }
    }

    /// Loads the visible page; `recount` also refreshes the total (skipped when only scrolling,
    /// because a count over a large table costs far more than a page).
    pub(super) fn load_events(&mut self, recount: bool) -> Result<(), Error> {
        if recount {
            let total = self.store.count_events(&self.event_query(Page::default()))?;
            self.events.list.clamp(total);
        }
        let page = self.events.list.page();
        self.events.list.rows = self.store.list_events(&self.event_query(page))?;
        self.load_event_detail()
    }

    /// Loads only the selected event's attendees: moving inside the page needs no recount.
    pub(super) fn load_event_detail(&mut self) -> Result<(), Error> {
        let Some(id) = self.events.list.current().map(|e| e.id) else {
            self.events.attendees.clear();
            self.events.attendee_total = 0;
            return Ok(());
        };
        let q = BookingQuery {
            event_id: Some(id),
            status: Some(BookingStatus::Active),
            page: Page::new(0, DETAIL_ROWS),
            ..BookingQuery::default()
        };
        self.events.attendee_total = self.store.count_bookings(&q)?;
        self.events.attendees = self.store.list_bookings(&q)?;
        Ok(())
    }

    pub(super) fn events_action(&mut self, action: Action) -> Mode {
        match action {
            Action::CycleFilter => {
                self.events.filter = next_filter(self.events.filter);
                self.events.list.reset();
                self.reload();
                self.info(format!("Showing {} events", filter_label(self.events.filter)));
                Mode::Browse
            }
            Action::ClearFilters => {
                self.events.filter = EventFilter::All;
                self.events.search.reset();
                self.events.list.reset();
                self.reload();
                Mode::Browse
            }
            Action::NewEvent => self.new_event(),
            Action::EditEvent => self.with_own_event("edit", |_, e| Mode::Form(forms::edit_event(e))),
            Action::DeleteEvent => self.with_own_event("delete", |_, e| {
                Mode::Confirm(Confirm::DeleteEvent { id: e.id, title: e.title.clone(), active: e.booked })
            }),
            Action::Book => self.book_selected_event(),
            Action::ShowBookings => self.show_bookings_of_selected(),
            _ => Mode::Browse,
        }
    }

    fn new_event(&mut self) -> Mode {
        if self.session.as_ref().is_some_and(|s| s.is_organizer()) {
            Mode::Form(forms::new_event())
        } else {
            self.warn("read-only: only organizers create events");
            Mode::Browse
        }
    }

    /// Runs `open` on the selected event when the operator owns it; otherwise says why not.
    fn with_own_event(&mut self, verb: &str, open: impl FnOnce(&mut App, &Event) -> Mode) -> Mode {
        let Some(event) = self.events.list.current().cloned() else {
            self.warn(format!("no event selected to {verb}"));
            return Mode::Browse;
        };
        if !self.session.as_ref().is_some_and(Session::is_organizer) {
            // A desk account edits no event at all; "not your event" would suggest someone's it is.
            self.warn(format!("read-only: only organizers {verb} events"));
            return Mode::Browse;
        }
        if !self.owns(event.creator_id) {
            self.warn(format!("read-only: not your event ({verb} is for its organizer)"));
            return Mode::Browse;
        }
        open(self, &event)
    }

    fn book_selected_event(&mut self) -> Mode {
        let Some(event) = self.events.list.current().cloned() else {
            self.warn("no event selected to book");
            return Mode::Browse;
        };
        if !event.is_bookable(self.now) {
            let why = if event.is_full() { "is full" } else { "can no longer be booked" };
            self.warn(format!("{} {why}", event.title));
            return Mode::Browse;
        }
        self.open_picker(Picker::attendees(event))
    }

    /// Enter on an event lists its bookings; Enter on an empty list does nothing.
    fn show_bookings_of_selected(&mut self) -> Mode {
        let Some(e) = self.events.list.current() else {
            return Mode::Browse;
        };
        self.bookings.event = Some((e.id, e.title.clone()));
        self.bookings.list.reset();
        self.tab = super::Tab::Bookings;
        self.reload();
        Mode::Browse
    }

    /// Deletes an event after confirmation, cancelling its active bookings.
    pub(super) fn delete_event(&mut self, id: i64, title: &str) -> Result<(), Error> {
        let session = self.session()?;
        let cancelled = self.store.delete_event(&session, id, true)?;
        self.info(format!("Deleted {title}; {} cancelled", plural(cancelled, "booking", "bookings")));
        Ok(())
    }
}
