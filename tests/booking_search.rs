//! The Bookings search on both engines reads each booking's own search text (SQLite migration
//! 010, PostgreSQL 006): it must find exactly what a search of the attendee's name and email and
//! the event's title finds, after every change that moves one of them (a renamed attendee, a
//! retitled event, a moved booking, a merge), for a booking written around the store too; and
//! `check` must report a search text that is out of step, and find it mended by the repair it
//! names.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use chrono::{Duration, Utc};
use engines::Db;
use eventdesk::model::{AttendeePatch, EventPatch, NewAttendee, NewEvent, Role, Session};
use eventdesk::store::{BookingQuery, OpenOptions, Page, Store};

on_both_engines!(
    the_search_follows_renames_moves_and_merges,
    a_search_never_spans_two_fields,
    a_booking_written_around_the_store_is_searched_and_checked,
);

/// The ids of the bookings a search lists (newest first), after checking the capped count
/// agrees with them.
fn found(store: &Store, search: &str) -> Vec<i64> {
    let q = BookingQuery { search: search.into(), page: Page::new(0, 100), ..BookingQuery::default() };
    let ids: Vec<i64> = store.list_bookings(&q).unwrap().iter().map(|b| b.booking.id).collect();
    assert_eq!(store.count_bookings_upto(&q, 50).unwrap(), ids.len() as u64, "{search:?} capped count");
    assert_eq!(store.count_bookings(&q).unwrap(), ids.len() as u64, "{search:?} count");
    ids
}

struct Desk {
    store: Store,
    org: Session,
    events: Vec<i64>,
    attendees: Vec<i64>,
}

/// Two events ("Rust Meetup", "Tango Night") and three attendees, each booked on the first.
fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions::default());
    let org = accounts::register(&store, "olga", Role::Organizer);
    let start = Utc::now() + Duration::days(7);
    let events = ["Rust Meetup", "Tango Night"]
        .iter()
        .map(|title| {
            let new = NewEvent {
                title: (*title).into(),
                description: String::new(),
                starts_at: start,
                ends_at: start + Duration::hours(2),
                capacity: 10,
            };
            store.create_event(&org, &new).unwrap().id
        })
        .collect();
    let attendees =
        [("Ana Ruiz", "zed@example.org"), ("Priya Nair", "pn@example.org"), ("Ömer Şahin", "os@x.org")]
            .iter()
            .map(|(name, email)| {
                let new = NewAttendee { name: (*name).into(), email: (*email).into(), phone: String::new() };
                store.add_attendee(&org, &new).unwrap().id
            })
            .collect();
    let desk = Desk { store, org, events, attendees };
    for a in &desk.attendees {
        desk.store.book(&desk.org, desk.events[0], *a).unwrap();
    }
    desk
}

fn the_search_follows_renames_moves_and_merges(db: &Db) {
    let Desk { store, org, events, attendees } = desk(db);
    let ids = |search| found(&store, search);
    let [ana, priya, omer] = [0, 1, 2].map(|i| {
        store
            .list_bookings(&BookingQuery { attendee_id: Some(attendees[i]), ..BookingQuery::default() })
            .unwrap()[0]
            .booking
            .id
    });
    assert_eq!(ids("PRIYA"), vec![priya], "by name, any case");
    assert_eq!(ids("pn@EXAMPLE"), vec![priya], "by email");
    assert_eq!(ids("ömer şa"), vec![omer], "by a name beyond ASCII");
    assert_eq!(ids("meetup"), vec![omer, priya, ana], "by the event's title, newest first");
    assert!(ids("tango").is_empty());

    let renamed = AttendeePatch { name: Some("Priya Menon".into()), ..AttendeePatch::default() };
    store.update_attendee(&org, attendees[1], &renamed).unwrap();
    assert!(ids("nair").is_empty(), "the old name no longer finds her booking");
    assert_eq!(ids("menon"), vec![priya]);
    let new_email = AttendeePatch { email: Some("priya@menon.org".into()), ..AttendeePatch::default() };
    store.update_attendee(&org, attendees[1], &new_email).unwrap();
    assert!(ids("pn@example").is_empty());
    assert_eq!(ids("@menon.org"), vec![priya]);

    let retitled = EventPatch { title: Some("Rustacean Evening".into()), ..EventPatch::default() };
    store.update_event(&org, events[0], &retitled).unwrap();
    assert!(ids("meetup").is_empty(), "the old title no longer finds the bookings");
    assert_eq!(ids("rustacean"), vec![omer, priya, ana]);

    store.move_booking(&org, ana, events[1]).unwrap();
    assert_eq!(ids("tango"), vec![ana], "a moved booking is found by its new event");
    assert_eq!(ids("rustacean"), vec![omer, priya]);

    let desk = accounts::register(&store, "dana", Role::Desk);
    store.merge_attendees(&desk, attendees[2], attendees[0]).unwrap();
    assert!(ids("ana ruiz").is_empty(), "the merged attendee's name finds nothing");
    assert_eq!(ids("ömer"), vec![omer, ana], "a merged booking is found by the kept attendee");
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);
}

fn a_search_never_spans_two_fields(db: &Db) {
    let Desk { store, .. } = desk(db);
    // "Ana Ruiz" + "zed@example.org" + "Rust Meetup": each search below runs across the end of
    // one field into the next, which the old three LIKEs never matched either.
    for search in ["ruizzed", "ruiz zed", "example.orgrust", ".org rust", "ruiz\u{1f}zed", "ruiz%zed"] {
        assert!(found(&store, search).is_empty(), "{search:?}");
    }
    assert_eq!(found(&store, "ruiz").len(), 1, "each field alone still matches");
    assert_eq!(found(&store, "zed@").len(), 1);
}

fn a_booking_written_around_the_store_is_searched_and_checked(db: &Db) {
    let Desk { store, events, attendees, .. } = desk(db);
    db.execute(&format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({}, {}, 0)",
        events[1], attendees[1]
    ))
    .unwrap();
    assert_eq!(found(&store, "priya nair").len(), 2, "a raw INSERT gets its search text from the schema");
    assert_eq!(found(&store, "tango").len(), 1);
    // The raw booking has no history row, which check reports too; the search text it must not.
    let search_problems = || -> Vec<String> {
        store.check().unwrap().problems.into_iter().filter(|p| p.starts_with("search text")).collect()
    };
    assert_eq!(search_problems(), Vec::<String>::new());

    db.execute(&format!("UPDATE bookings SET search_fold = 'stale' WHERE attendee_id = {}", attendees[0]))
        .unwrap();
    assert_eq!(
        search_problems(),
        ["search text: 1 booking is out of step with its attendee and event; \
          rewrite it with UPDATE bookings SET attendee_id = attendee_id"]
    );
    assert!(found(&store, "ana ruiz").is_empty(), "what check reports is what the search misses");
    db.execute("UPDATE bookings SET attendee_id = attendee_id").unwrap();
    assert_eq!(search_problems(), Vec::<String>::new());
    assert_eq!(found(&store, "ana ruiz").len(), 1, "the repair check names mends it");
}
