//! Capacity at a glance and whole-list exports, on both engines: the summary line's one read,
//! an organizer's upcoming events, an event's bookings per day from its history, and lists
//! read to their end in keyset pages.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use engines::Db;
use eventdesk::export::{self, CsvWriter, List};
use eventdesk::model::{BookingDay, CapacitySummary, Clock, NewAttendee, NewEvent, Role, Session};
use eventdesk::store::{
    BookingQuery, BulkSpec, EventFilter, EventQuery, HistoryQuery, OpenOptions, Page, Store, SummaryQuery,
};

on_both_engines!(
    the_summary_counts_today_this_week_seats_nearly_full_and_full,
    my_upcoming_events_are_mine_not_over_and_soonest_first,
    bookings_per_day_count_seats_taken_and_freed_on_the_event,
    history_pages_below_an_id_read_every_row_once,
    a_list_written_whole_has_every_row_in_order,
);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

struct Desk {
    store: Store,
    olga: Session,
    omar: Session,
    desk: Session,
    people: usize,
}

fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let olga = register(&store, "olga", Role::Organizer);
    let omar = register(&store, "omar", Role::Organizer);
    let desk = register(&store, "dave", Role::Desk);
    Desk { store, olga, omar, desk, people: 0 }
}

impl Desk {
    fn event(&self, who: &Session, title: &str, starts_in_hours: i64, capacity: i64) -> i64 {
        let start = t0() + Duration::hours(starts_in_hours);
        let new = NewEvent {
            title: title.into(),
            description: String::new(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            capacity,
        };
        self.store.create_event(who, &new).unwrap().id
    }

    /// Books `n` new attendees onto the event.
    fn fill(&mut self, event: i64, n: usize) {
        for _ in 0..n {
            let id = self.attendee();
            self.store.book(&self.desk, event, id).unwrap();
        }
    }

    fn attendee(&mut self) -> i64 {
        self.people += 1;
        let n = self.people;
        let new = NewAttendee {
            name: format!("Person {n}"),
            email: format!("p{n}@example.org"),
            phone: String::new(),
        };
        self.store.add_attendee(&self.desk, &new).unwrap().id
    }

    fn at(&mut self, t: DateTime<Utc>) {
        self.store.set_clock(Clock::Fixed(t));
    }
}

fn the_summary_counts_today_this_week_seats_nearly_full_and_full(db: &Db) {
    let mut d = desk(db);
    let over = d.event(&d.olga, "Over by then", 1, 3);
    d.fill(over, 3);
    let ongoing = d.event(&d.olga, "Ongoing", 4, 5);
    d.fill(ongoing, 4);
    let tonight = d.event(&d.olga, "Tonight", 8, 2);
    d.fill(tonight, 2);
    let later = d.event(&d.olga, "In two days", 48, 10);
    d.fill(later, 1);
    d.event(&d.olga, "Next month", 24 * 30, 20);
    d.event(&d.omar, "Omar tonight", 8, 4);
    let deleted = d.event(&d.olga, "Deleted", 8, 3);
    d.store.delete_event(&d.olga, deleted, false).unwrap();
    let now = t0() + Duration::hours(5);
    d.at(now);
    let q = |creator_id| SummaryQuery {
        creator_id,
        day_end: now + Duration::hours(6),
        week_end: now + Duration::days(6),
    };
    assert_eq!(
        d.store.capacity_summary(&q(Some(d.olga.operator_id))).unwrap(),
        CapacitySummary { today: 2, this_week: 3, seats_left: 1 + 9 + 20, nearly_full: 1, full: 1 },
        "olga's: the ongoing one (4 of 5) and tonight's (full) are today; over and deleted ones count nowhere"
    );
    assert_eq!(
        d.store.capacity_summary(&q(None)).unwrap(),
        CapacitySummary { today: 3, this_week: 4, seats_left: 30 + 4, nearly_full: 1, full: 1 },
        "everyone's"
    );
    assert_eq!(d.store.capacity_summary(&q(Some(d.desk.operator_id))).unwrap(), CapacitySummary::default());
}

fn my_upcoming_events_are_mine_not_over_and_soonest_first(db: &Db) {
    let mut d = desk(db);
    let far = d.event(&d.olga, "Far", 24 * 30, 5);
    d.event(&d.olga, "Over", 1, 5);
    let ongoing = d.event(&d.olga, "Ongoing", 4, 5);
    d.event(&d.omar, "Not mine", 6, 5);
    let soon = d.event(&d.olga, "Soon", 8, 5);
    d.at(t0() + Duration::hours(5));
    let q = EventQuery {
        filter: EventFilter::MineUpcoming,
        creator_id: Some(d.olga.operator_id),
        page: Page::new(0, 10),
        ..Default::default()
    };
    let ids: Vec<i64> = d.store.list_events(&q).unwrap().iter().map(|e| e.id).collect();
    assert_eq!(ids, [ongoing, soon, far], "the running one first, then by start");
    assert_eq!(d.store.count_events(&q).unwrap(), 3);
    let search = EventQuery { search: "soo".into(), ..q.clone() };
    assert_eq!(d.store.list_events(&search).unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [soon]);
    let omar = EventQuery { creator_id: Some(d.omar.operator_id), ..q };
    assert_eq!(d.store.count_events(&omar).unwrap(), 1);
}

fn bookings_per_day_count_seats_taken_and_freed_on_the_event(db: &Db) {
    let mut d = desk(db);
    let (e, f) = (d.event(&d.olga, "E", 24 * 30, 10), d.event(&d.olga, "F", 24 * 31, 10));
    let (a1, a2, a3) = (d.attendee(), d.attendee(), d.attendee());
    let day = |n: i64| t0() + Duration::days(n);
    let b1 = d.store.book(&d.desk, e, a1).unwrap().booking.id;
    let b2 = d.store.book(&d.desk, e, a2).unwrap().booking.id;
    let b3 = d.store.book(&d.desk, f, a3).unwrap().booking.id;
    d.at(day(1));
    d.store.cancel(&d.desk, b2).unwrap();
    d.at(day(2));
    d.store.rebook(&d.desk, b2).unwrap();
    d.store.move_booking(&d.desk, b3, e).unwrap();
    d.at(day(3));
    d.store.move_booking(&d.desk, b1, f).unwrap();
    let date = |n: i64| day(n).date_naive();
    let on = |day: NaiveDate, booked, cancelled| BookingDay { day, booked, cancelled };
    assert_eq!(
        d.store.booking_days(e).unwrap(),
        [on(date(0), 2, 0), on(date(1), 0, 1), on(date(2), 2, 0), on(date(3), 0, 1)],
        "E: two booked, one cancelled, rebooked and one moved in, one moved out"
    );
    assert_eq!(
        d.store.booking_days(f).unwrap(),
        [on(date(0), 1, 0), on(date(2), 0, 1), on(date(3), 1, 0)],
        "F: its booking moved away and another moved in, each on its own day"
    );
    assert_eq!(d.store.booking_days(e + f + 100).unwrap(), [], "no event, no days");
}

fn history_pages_below_an_id_read_every_row_once(db: &Db) {
    let mut d = desk(db);
    let e = d.event(&d.olga, "E", 24, 50);
    d.fill(e, 20);
    let all = d.store.history(&HistoryQuery { page: Page::new(0, 1_000), ..Default::default() }).unwrap();
    let below = all[4].id;
    let q = HistoryQuery { before_id: Some(below), page: Page::new(0, 3), ..Default::default() };
    let ids: Vec<i64> = d.store.history(&q).unwrap().iter().map(|h| h.id).collect();
    assert_eq!(ids, all[5..8].iter().map(|h| h.id).collect::<Vec<_>>(), "the next three, newest first");
    assert_eq!(d.store.count_history(&q).unwrap(), (all.len() - 5) as u64);
    let mut pages = export::history(&d.store, HistoryQuery::default());
    let mut read = Vec::new();
    loop {
        let page = pages(Page::new(0, 7)).unwrap();
        if page.is_empty() {
            break;
        }
        read.extend(page.into_iter().map(|h| h.id));
    }
    assert_eq!(read, all.iter().map(|h| h.id).collect::<Vec<_>>());
}

/// Writes `list` whole into memory and parses it back.
fn written(store: &Store, list: &List) -> (Vec<String>, Vec<csv::StringRecord>, export::Written) {
    let mut buf = Vec::new();
    let mut out = CsvWriter::new(list.columns(), &mut buf, false).unwrap();
    let mut pages = 0;
    let done = list
        .write(store, &mut out, &mut |_| {
            pages += 1;
            true
        })
        .unwrap();
    out.finish().unwrap();
    assert!(pages >= 1);
    let mut reader = csv::Reader::from_reader(buf.as_slice());
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    (header, reader.records().map(Result::unwrap).collect(), done)
}

fn a_list_written_whole_has_every_row_in_order(db: &Db) {
    let d = desk(db);
    let n = u64::from(export::PAGE) + 321;
    d.store.generate(&BulkSpec { organizers: 1, events: 20, attendees: n, bookings: n }).unwrap();
    let bookings = List::Bookings(BookingQuery::default());
    let (header, rows, done) = written(&d.store, &bookings);
    assert_eq!(header, export::BOOKING_COLUMNS);
    assert_eq!((rows.len() as u64, done), (n, export::Written { rows: n, complete: true }));
    let ids: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, none twice, across pages");
    assert_eq!(bookings.count(&d.store).unwrap(), n);
    let history = List::History(HistoryQuery::default());
    let (header, rows, _) = written(&d.store, &history);
    assert_eq!(header, export::HISTORY_COLUMNS);
    assert_eq!(rows.len() as u64, history.count(&d.store).unwrap());
    let events = List::Events(EventQuery { filter: EventFilter::All, ..Default::default() });
    let (_, rows, _) = written(&d.store, &events);
    assert_eq!(rows.len(), 20);
    // Stopped after the first page: incomplete, and no more than that page written.
    let mut buf = Vec::new();
    let mut out = CsvWriter::new(bookings.columns(), &mut buf, false).unwrap();
    let stopped = bookings.write(&d.store, &mut out, &mut |_| false).unwrap();
    assert_eq!(stopped, export::Written { rows: u64::from(export::PAGE), complete: false });
}
