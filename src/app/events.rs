//! The Events tab: a filtered, searchable page of events and the selected event's attendees.

use chrono::{DateTime, Duration, Utc};
use tui_input::Input;

use super::answers::Answer;
use super::lost::{Lost, lost_event};
use super::paged::Loaded;
use super::worker::Slot;
use super::writes::Wrote;
use super::{Action, App, Confirm, Mode, Paged, Picker, Tab, forms};
use crate::model::Refusal;
use crate::model::{
    Attendance, BookingDay, BookingRow, BookingStatus, CapacitySummary, Event, Phase, Result, Session,
    WaitStatus, WaitlistEntry, day_ends, plural,
};
use crate::store::{BookingQuery, EventFilter, EventQuery, Page, Store, SummaryQuery, WaitlistQuery};

/// How often a desk's summary line (over every event) is read again at most.
const SUMMARY_EVERY: Duration = Duration::seconds(5);

/// How many attendees the detail pane loads for the selected event.
const DETAIL_ROWS: u32 = 30;

/// How many of the waiting list's first entries the detail pane loads.
const DETAIL_WAITING: u32 = 10;

/// State of the Events tab.
#[derive(Debug, Clone, Default)]
pub struct EventsTab {
    pub filter: EventFilter,
    pub search: Input,
    pub list: Paged<Event>,
    /// Active bookings of the selected event, for the detail pane.
    pub attendees: Vec<BookingRow>,
    pub attendee_total: u64,
    /// The event `attendees` belong to; another id means the selected one's are being read.
    pub detail_of: Option<i64>,
    /// The selected event's seats taken per day, from its history, for the sparkline.
    pub days: Vec<BookingDay>,
    /// The summary line (today, this week, seats left, nearly full, full).
    pub summary: Option<CapacitySummary>,
    /// When the summary was last asked for, and whether the list was recounted since.
    pub(super) summary_asked: Option<DateTime<Utc>>,
    pub(super) summary_stale: bool,
    /// The change token and the query the last summary was asked with: while both hold, no
    /// commit came in and the day did not turn, so a tab switch keeps the line it shows.
    pub(super) summary_read: Option<(Option<i64>, SummaryQuery)>,
    /// Booked / checked in / waiting / no-shows of the selected event.
    pub attendance: Option<Attendance>,
    /// The head of its waiting list, in order (positions from 1).
    pub waiting: Vec<WaitlistEntry>,
    /// Each listed attendee's no-shows over ended events; read for organizers only.
    pub no_shows: Vec<(i64, u32)>,
}

impl EventsTab {
    /// The no-shows of an attendee in the detail pane (0 when none or not read).
    pub fn no_shows_of(&self, attendee_id: i64) -> u32 {
        self.no_shows.iter().find(|(id, _)| *id == attendee_id).map_or(0, |(_, n)| *n)
    }
}

/// A page of events and the detail of the one selected in it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsPage {
    pub page: Loaded<Event>,
    pub detail: Option<Detail>,
    /// The event that was selected and left the list, and why.
    pub lost: Option<Lost>,
}

/// The active bookings of one event, for the detail pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub event_id: i64,
    pub total: u64,
    pub rows: Vec<BookingRow>,
    pub days: Vec<BookingDay>,
    pub attendance: Attendance,
    pub waiting: Vec<WaitlistEntry>,
    /// Empty unless read for an organizer.
    pub no_shows: Vec<(i64, u32)>,
}

/// Reads the visible page (on a store thread); `recount` also refreshes the total, which is
/// skipped when only scrolling because a count over a large table costs far more than a page.
fn read_page(
    store: &Store,
    q: EventQuery,
    (mut window, keep): (Paged<Event>, Option<i64>),
    recount: bool,
    organizer: bool,
) -> Result<EventsPage> {
    window
        .searched(&q.search)
        .count(recount, |page, cap| store.count_events_upto(&EventQuery { page, ..q.clone() }, cap))?;
    let selected = window.selected;
    let (page, kept) =
        window.read_keeping(keep, |e| e.id, |page| store.list_events(&EventQuery { page, ..q.clone() }))?;
    let selected = page.follow.map_or(selected, |f| f.selected);
    // The detail of the row the list will show selected; a page read from the end (End on a
    // list counted only to its cap) holds its rows in list order, the selection at its last.
    let detail = match page.row(selected) {
        Some(e) => Some(read_detail(store, e.id, organizer)?),
        None => None,
    };
    Ok(EventsPage { page, detail, lost: lost_event(store, kept) })
}

/// The selected event's attendees, figures and waiting list; for an organizer also each
/// listed attendee's no-shows.
fn read_detail(store: &Store, event_id: i64, organizer: bool) -> Result<Detail> {
    let q = BookingQuery {
        event_id: Some(event_id),
        status: Some(BookingStatus::Active),
        page: Page::new(0, DETAIL_ROWS),
        ..BookingQuery::default()
    };
    let rows = store.list_bookings(&q)?;
    let attendance = store.attendance(event_id)?;
    let waiting = if attendance.waiting == 0 {
        Vec::new()
    } else {
        store.list_waitlist(&WaitlistQuery {
            event_id: Some(event_id),
            status: Some(WaitStatus::Waiting),
            page: Page::new(0, DETAIL_WAITING),
            ..WaitlistQuery::default()
        })?
    };
    let no_shows = if organizer {
        let ids: Vec<i64> = rows.iter().map(|b| b.booking.attendee_id).collect();
        store.no_show_counts(&ids)?
    } else {
        Vec::new()
    };
    let days = store.booking_days(event_id)?;
    Ok(Detail { event_id, total: store.count_bookings(&q)?, rows, days, attendance, waiting, no_shows })
}

/// What the filter is called on screen.
pub fn filter_label(filter: EventFilter) -> &'static str {
    match filter {
        EventFilter::All => "all",
        EventFilter::Upcoming => "upcoming",
        EventFilter::Past => "past",
        EventFilter::Mine => "mine",
        EventFilter::MineUpcoming => "my upcoming",
        EventFilter::Available => "with seats left",
    }
}

/// What the Events tab opens on: an organizer's own events not over yet, soonest first;
/// everything for a desk.
pub(super) fn default_filter(session: Option<&Session>) -> EventFilter {
    if session.is_some_and(Session::is_organizer) { EventFilter::MineUpcoming } else { EventFilter::All }
}

fn next_filter(filter: EventFilter) -> EventFilter {
    match filter {
        EventFilter::All => EventFilter::Upcoming,
        EventFilter::Upcoming => EventFilter::Past,
        EventFilter::Past => EventFilter::Mine,
        EventFilter::Mine => EventFilter::MineUpcoming,
        EventFilter::MineUpcoming => EventFilter::Available,
        EventFilter::Available => EventFilter::All,
    }
}

/// The title of a listed event, while its old page is still on screen.
pub(super) fn title_of(list: &Paged<Event>, id: i64) -> Option<String> {
    list.rows.iter().find(|e| e.id == id).map(|e| e.title.clone())
}

impl App {
    pub(super) fn event_query(&self, page: Page) -> EventQuery {
        EventQuery {
            filter: self.events.filter,
            creator_id: self.session.as_ref().map(|s| s.operator_id),
            search: self.events.search.value().trim().to_string(),
            page,
        }
    }

    /// Asks for the visible page and the selected event's detail.
    pub(super) fn load_events(&mut self, recount: bool) {
        let q = self.event_query(Page::default());
        if recount {
            self.events.summary_stale = true;
        }
        let window = (self.events.list.window(), self.events.list.kept(|e| e.id));
        let organizer = self.is_organizer();
        let work =
            move |s: &mut Store| Answer::Events(read_page(s, q, window, recount, organizer).map(Box::new));
        self.read(Slot::Events, &[Slot::Detail], work);
        // After the page, on the same thread: the page never waits for the summary.
        self.load_summary();
    }

    /// Asks for the summary line once the list was recounted: at once for an organizer's own
    /// events after a change (an indexed read), at most every `SUMMARY_EVERY` for a desk's,
    /// which reads every event not over yet (~0.5 s at 100 000 events) and would otherwise
    /// follow every change another desk makes. A tick asks again for a change that came in
    /// meanwhile.
    ///
    /// A recount with no change behind it (a tab switch: same change token, no write of this
    /// desk, same day) keeps the line for up to `SUMMARY_EVERY` too: nothing but the clock can
    /// have moved it, by an event ending, and the next tick past that reads it again. At 100 000
    /// events an organizer's summary reads her ~1 500 upcoming ones, which made switching back
    /// to the Events tab grow with the data (issue 11).
    pub(super) fn load_summary(&mut self) {
        if !self.events.summary_stale || self.tab != Tab::Events || self.session.is_none() {
            return;
        }
        let q = self.summary_query();
        let unchanged =
            self.events.summary_asked.is_some() && self.events.summary_read == Some((self.token, q));
        let every = if q.creator_id.is_some() && !unchanged { Duration::zero() } else { SUMMARY_EVERY };
        let recent = self.events.summary_asked.is_some_and(|at| self.now - at < every);
        if recent || self.db.reading(Slot::Summary) {
            return;
        }
        self.events.summary_stale = false;
        self.events.summary_asked = Some(self.now);
        self.events.summary_read = Some((self.token, q));
        self.read(Slot::Summary, &[], move |s| Answer::Summary(s.capacity_summary(&q)));
    }

    /// The summary line's scope: an organizer's own events, everyone's for a desk.
    fn summary_query(&self) -> SummaryQuery {
        let (day_end, week_end) = day_ends(self.now);
        let creator_id = self.session.as_ref().filter(|s| s.is_organizer()).map(|s| s.operator_id);
        SummaryQuery { creator_id, day_end, week_end }
    }

    /// Takes a page in; the detail that came with it counts unless a newer one was asked.
    pub(super) fn show_events(&mut self, id: u64, page: EventsPage) {
        let title = page.lost.and_then(|l| title_of(&self.events.list, l.id));
        if !self.events.list.fill(page.page) {
            return self.load_events(false);
        }
        self.say_lost(title, page.lost);
        match page.detail {
            Some(detail) if self.is_latest(Slot::Detail, id) => self.show_detail(detail),
            Some(_) => {}
            None => self.load_event_detail(),
        }
    }

    /// Asks for the selected event's attendees only: moving inside the page needs no recount.
    pub(super) fn load_event_detail(&mut self) {
        let Some(id) = self.events.list.current().map(|e| e.id) else {
            self.events.attendees.clear();
            self.events.waiting.clear();
            self.events.no_shows.clear();
            self.events.attendance = None;
            self.events.attendee_total = 0;
            self.events.detail_of = None;
            self.events.days.clear();
            return;
        };
        if self.events.detail_of != Some(id) {
            let organizer = self.is_organizer();
            self.read(Slot::Detail, &[], move |s| Answer::Detail(read_detail(s, id, organizer)));
        }
    }

    /// Shows a detail when it is the selected event's; otherwise asks for the right one.
    pub(super) fn show_detail(&mut self, detail: Detail) {
        if self.events.list.current().map(|e| e.id) != Some(detail.event_id) {
            return self.load_event_detail();
        }
        self.events.attendee_total = detail.total;
        self.events.attendees = detail.rows;
        self.events.days = detail.days;
        self.events.attendance = Some(detail.attendance);
        self.events.waiting = detail.waiting;
        self.events.no_shows = detail.no_shows;
        self.events.detail_of = Some(detail.event_id);
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
            Action::OpenDoor => self.open_door(),
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
        // A full event still opens the picker: the booking then offers its waiting list.
        if event.phase(self.now) != Phase::Upcoming {
            self.warn(format!("{} can no longer be booked", event.title));
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

    /// Deletes an event after confirmation, cancelling its active bookings, if it still holds
    /// the `active` bookings the confirm stated; otherwise the confirm is asked again.
    pub(super) fn delete_event(&mut self, id: i64, title: &str, active: u32) -> Result<()> {
        let session = self.session()?;
        let title = title.to_string();
        self.save("deleting the event", false, move |s| {
            match s.delete_event_confirmed(&session, id, active) {
                Ok(cancelled) => Wrote::Saved(format!(
                    "Deleted {title}; {} cancelled",
                    plural(cancelled, "booking", "bookings")
                )),
                Err(e) => match e.refusal() {
                    Some(&Refusal::BookingsChanged { now, .. }) => {
                        let again = Confirm::DeleteEvent { id, title, active: now };
                        Wrote::AskAgain(Box::new(again), e.to_string())
                    }
                    _ => Wrote::refused(e),
                },
            }
        });
        Ok(())
    }
}
