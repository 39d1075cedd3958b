//! History rows keep the names they were written with, read as sentences, and can be asked
//! for everything about one event or attendee; the bulk generator writes the same shape.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
mod common;

use accounts::register;
use chrono::{Duration, Utc};
use eventdesk::model::{
    About, EventPatch, HistoryAction, HistoryEntry, NewAttendee, NewEvent, ObjectKind, Role,
};
use eventdesk::store::{BulkSpec, HistoryQuery, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("h.db")).unwrap();
    (dir, store)
}

fn new_event(title: &str) -> NewEvent {
    let start = Utc::now() + Duration::days(3);
    NewEvent {
        title: title.into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        capacity: 5,
    }
}

fn attendee(name: &str, email: &str) -> NewAttendee {
    NewAttendee { name: name.into(), email: email.into(), phone: String::new() }
}

fn sentences(store: &Store, q: HistoryQuery) -> Vec<String> {
    store.history(&q).unwrap().iter().map(HistoryEntry::sentence).collect()
}

#[test]
fn a_renamed_event_does_not_change_what_old_rows_say() {
    let (_dir, store) = store();
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "desk", Role::Desk);
    let e = store.create_event(&org, &new_event("Climate Tech Breakfast")).unwrap().id;
    let marta = store.add_attendee(&desk, &attendee("Marta Kowalczyk", "marta@example.org")).unwrap().id;
    store.book(&desk, e, marta).unwrap();
    let patch = EventPatch { title: Some("Climate Lunch".into()), ..Default::default() };
    store.update_event(&org, e, &patch).unwrap();
    let said = sentences(&store, HistoryQuery { about: Some(About::Event(e)), ..Default::default() });
    assert_eq!(
        said,
        [
            "olga changed event Climate Lunch: title Climate Tech Breakfast → Climate Lunch",
            "desk booked Marta Kowalczyk onto Climate Tech Breakfast",
            "olga created event Climate Tech Breakfast (5 seats)",
        ]
    );
}

#[test]
fn everything_about_an_attendee_covers_their_bookings_and_no_one_elses() {
    let (_dir, store) = store();
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "desk", Role::Desk);
    let (a, b) = (
        store.create_event(&org, &new_event("A")).unwrap().id,
        store.create_event(&org, &new_event("B")).unwrap().id,
    );
    let ana = store.add_attendee(&desk, &attendee("Ana Ruiz", "ana@example.org")).unwrap().id;
    let ben = store.add_attendee(&desk, &attendee("Ben Ito", "ben@example.org")).unwrap().id;
    let booking = store.book(&desk, a, ana).unwrap().booking.id;
    store.book(&desk, a, ben).unwrap();
    store.move_booking(&desk, booking, b).unwrap();
    store.cancel(&desk, booking).unwrap();
    let about_ana = HistoryQuery { about: Some(About::Attendee(ana)), ..Default::default() };
    assert_eq!(
        sentences(&store, about_ana.clone()),
        [
            "desk cancelled Ana Ruiz's booking on B",
            "desk moved Ana Ruiz from A to B",
            "desk booked Ana Ruiz onto A",
            "desk added attendee Ana Ruiz",
        ]
    );
    assert_eq!(store.count_history(&about_ana).unwrap(), 4);
    let only_bookings = HistoryQuery { object_kind: Some(ObjectKind::Booking), ..about_ana };
    assert_eq!(store.count_history(&only_bookings).unwrap(), 3, "filters combine");
    // Deleting an event cancels its bookings; each cancellation names whom it cancelled.
    store.delete_event(&org, a, true).unwrap();
    let q = HistoryQuery {
        about: Some(About::Attendee(ben)),
        action: Some(HistoryAction::Cancel),
        ..Default::default()
    };
    assert_eq!(sentences(&store, q), ["olga cancelled Ben Ito's booking on A (event deleted)"]);
}

/// The keys of the first row of one action and kind.
fn keys(store: &Store, action: HistoryAction, kind: ObjectKind) -> Vec<String> {
    let q = HistoryQuery { action: Some(action), object_kind: Some(kind), ..Default::default() };
    let rows = store.history(&q).unwrap();
    let first = rows.last().unwrap();
    first.details.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn bulk_rows_have_the_shape_the_rules_write() {
    let (_rules_dir, rules) = store();
    let org = register(&rules, "olga", Role::Organizer);
    let desk = register(&rules, "desk", Role::Desk);
    let e = rules.create_event(&org, &new_event("A")).unwrap().id;
    let ana = rules.add_attendee(&desk, &attendee("Ana Ruiz", "ana@example.org")).unwrap().id;
    rules.book(&desk, e, ana).unwrap();
    let (_bulk_dir, bulk) = store();
    bulk.generate(&BulkSpec { organizers: 1, events: 3, attendees: 4, bookings: 5 }).unwrap();
    for (action, kind) in [
        (HistoryAction::Register, ObjectKind::Operator),
        (HistoryAction::Create, ObjectKind::Event),
        (HistoryAction::Create, ObjectKind::Attendee),
        (HistoryAction::Book, ObjectKind::Booking),
    ] {
        assert_eq!(keys(&bulk, action, kind), keys(&rules, action, kind), "{action:?} {kind:?}");
    }
    let said = sentences(&bulk, HistoryQuery { action: Some(HistoryAction::Book), ..Default::default() });
    assert_eq!(said.len(), 5);
    for s in &said {
        assert!(s.starts_with("bulk-org-1 booked "), "{s}");
        assert!(!s.contains("attendee #") && !s.contains("onto event #"), "bulk rows carry names: {s}");
    }
}

#[test]
fn the_cli_prints_sentences_and_filters_by_event_or_attendee() {
    let desk = common::Desk::new();
    let (rust, go) = (desk.event(5), desk.event(5));
    let (ana, ben) = (desk.attendee(1), desk.attendee(2));
    desk.book(rust, ana);
    desk.book(go, ben);
    let about_ana = desk.desk(&["history", "--attendee", &ana.to_string()]);
    assert_eq!(about_ana.code, 0, "{about_ana:?}");
    let lines: Vec<&str> = about_ana.stdout.lines().collect();
    assert!(lines[0].contains("WHAT HAPPENED"), "{about_ana:?}");
    assert!(lines[1].ends_with("dora booked Person 1 onto Rust Meetup"), "{about_ana:?}");
    assert!(lines[2].ends_with("dora added attendee Person 1"), "{about_ana:?}");
    assert_eq!(lines.len(), 3, "nothing about Ben: {about_ana:?}");
    let about_go = desk.desk(&["history", "--event", &go.to_string(), "--json"]).json();
    let summaries: Vec<&str> =
        about_go.as_array().unwrap().iter().map(|r| r["summary"].as_str().unwrap()).collect();
    assert_eq!(summaries.len(), 2, "{about_go}");
    assert!(summaries[0].starts_with("dora booked Person 2 onto "), "{summaries:?}");
    assert!(summaries[1].starts_with("olga created event "), "{summaries:?}");
    assert_eq!(about_go[0]["details"]["attendee_name"], "Person 2", "raw fields stay: {about_go}");
    let both = desk.desk(&["history", "--event", "1", "--attendee", "1"]);
    assert_eq!(both.code, 2, "one object at a time: {both:?}");
}
