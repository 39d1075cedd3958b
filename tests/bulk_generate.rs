//! The bulk generator writes a database the rules accept: counters, guards and history hold.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use eventdesk::model::HistoryAction;
use eventdesk::store::{
    AttendeeQuery, BULK_PASSWORD, BookingQuery, BulkSpec, EventFilter, EventQuery, HistoryQuery, Store,
};

#[test]
fn generated_database_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("bulk.db")).unwrap();
    let spec = BulkSpec { organizers: 3, events: 200, attendees: 500, bookings: 3_000 };
    let summary = store.generate(&spec).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.events, report.active_bookings), (200, 3_000));
    assert_eq!(report.history, 3 + 200 + 500 + 3_000);
    assert_eq!(summary.bookings.end - summary.bookings.start, 3_000);

    // A second run appends after the first, still consistent.
    let again = store.generate(&BulkSpec { organizers: 1, events: 10, attendees: 10, bookings: 50 }).unwrap();
    assert_eq!(again.events.start, summary.events.end);
    assert!(store.check().unwrap().is_ok());

    let available = EventQuery { filter: EventFilter::Available, ..Default::default() };
    let page = store.list_events(&available).unwrap();
    assert!(!page.is_empty() && page.iter().all(|e| e.booked < e.capacity));
    let books = HistoryQuery { action: Some(HistoryAction::Book), ..Default::default() };
    assert_eq!(store.count_history(&books).unwrap(), 3_050);
    store.authenticate(&summary.organizer_username(), BULK_PASSWORD).unwrap();

    // Both runs' attendees are in the trigram search index (3+ characters use it).
    let search = |text: String| AttendeeQuery { search: text, ..Default::default() };
    for id in [summary.attendees.start, summary.attendees.end - 1, again.attendees.end - 1] {
        let found = store.list_attendees(&search(format!("bulk-{id}@"))).unwrap();
        assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), [id]);
    }
    assert_eq!(store.count_attendees(&search("@example.org".into())).unwrap(), 510);
    let raw = rusqlite::Connection::open(store.path().unwrap()).unwrap();
    let triggers: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'attendees_search%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 9, "the sync triggers of all three indexes are back after generating");
}

#[test]
fn fast_counts_agree_with_full_counts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("bulk.db")).unwrap();
    store.generate(&BulkSpec { organizers: 2, events: 50, attendees: 300, bookings: 1_000 }).unwrap();
    let report = store.check().unwrap();
    assert_eq!(store.count_history(&HistoryQuery::default()).unwrap(), report.history);
    assert_eq!(store.count_bookings(&BookingQuery::default()).unwrap(), report.bookings);
    // The joined count (a search) and the plain one agree on what both match.
    let search = BookingQuery { search: "@example.org".into(), ..Default::default() };
    assert_eq!(store.count_bookings(&search).unwrap(), 1_000);
    let by_org = BookingQuery { organizer_id: Some(1), ..Default::default() };
    assert_eq!(
        store.count_bookings(&by_org).unwrap(),
        store
            .list_bookings(&BookingQuery {
                organizer_id: Some(1),
                page: eventdesk::store::Page::new(0, 5_000),
                ..Default::default()
            })
            .unwrap()
            .len() as u64
    );
}

#[test]
fn full_events_refuse_raw_overbooking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let store = Store::open(&path).unwrap();
    store.generate(&BulkSpec { organizers: 1, events: 3, attendees: 10, bookings: 30 }).unwrap();
    // Event index 0 is generated exactly full; a raw insert of one more must hit the guard.
    let raw = rusqlite::Connection::open(&path).unwrap();
    let err = raw
        .execute(
            "INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('x', 'x@x.org', 0, 0)",
            [],
        )
        .and_then(|_| {
            raw.execute(
                "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, last_insert_rowid(), 0)",
                [],
            )
        })
        .unwrap_err();
    assert!(err.to_string().contains("event full"), "{err}");
}
