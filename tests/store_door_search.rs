//! The door's search: with one event chosen, a booking search matches the attendee's name or
//! email only, never the event's title (which every row of the event shares); so does the
//! waiting list's. Without an event the title still matches, as the Bookings tab and
//! `bookings --search` expect.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::{BookingStatus, Clock, NewAttendee, NewEvent, Role};
use eventdesk::store::{BookingQuery, OpenOptions, WaitlistQuery};

on_both_engines!(with_an_event_the_search_matches_attendees_not_the_title);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

fn with_an_event_the_search_matches_attendees_not_the_title(db: &Db) {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = register(&store, "olga", Role::Organizer);
    let new = NewEvent {
        title: "Rust Meetup".into(),
        description: String::new(),
        starts_at: t0() + Duration::days(2),
        ends_at: t0() + Duration::days(2) + Duration::hours(2),
        capacity: 10,
    };
    let event = store.create_event(&org, &new).unwrap().id;
    for (name, email) in [("Ana Ruiz", "ana@example.org"), ("Ben Ito", "ben@example.org")] {
        let a = NewAttendee { name: name.into(), email: email.into(), phone: String::new() };
        let id = store.add_attendee(&org, &a).unwrap().id;
        store.book(&org, event, id).unwrap();
    }
    let names = |event_id: Option<i64>, search: &str| {
        let q = BookingQuery {
            event_id,
            status: Some(BookingStatus::Active),
            search: search.into(),
            ..BookingQuery::default()
        };
        let mut names: Vec<String> =
            store.list_bookings(&q).unwrap().into_iter().map(|b| b.attendee_name).collect();
        names.sort();
        assert_eq!(store.count_bookings(&q).unwrap(), names.len() as u64, "count agrees with {search:?}");
        names
    };
    // "ru" is in the title and in Ana's name: at the door only Ana matches.
    assert_eq!(names(Some(event), "ru"), ["Ana Ruiz"]);
    assert_eq!(names(Some(event), "MEETUP"), Vec::<String>::new(), "the title matches nobody at the door");
    assert_eq!(names(Some(event), "ben@"), ["Ben Ito"], "email matches");
    // Without an event chosen the title still finds the event's bookings.
    assert_eq!(names(None, "meetup"), ["Ana Ruiz", "Ben Ito"]);

    // The waiting list of a full event narrows the same way.
    let full =
        store.create_event(&org, &NewEvent { title: "Ruby Night".into(), capacity: 1, ..new }).unwrap().id;
    let (ana, ben) = (1, 2);
    store.book(&org, full, ana).unwrap();
    store.waitlist_add(&org, full, ben).unwrap();
    let waiting = |event_id: Option<i64>, search: &str| {
        let q = WaitlistQuery { event_id, search: search.into(), ..WaitlistQuery::default() };
        let names: Vec<String> =
            store.list_waitlist(&q).unwrap().into_iter().map(|w| w.attendee_name).collect();
        assert_eq!(store.count_waitlist(&q).unwrap(), names.len() as u64, "count agrees with {search:?}");
        names
    };
    assert_eq!(waiting(Some(full), "ru"), Vec::<String>::new(), "\"ru\" is only in the title");
    assert_eq!(waiting(Some(full), "ito"), ["Ben Ito"]);
    assert_eq!(waiting(None, "ruby"), ["Ben Ito"]);
}
