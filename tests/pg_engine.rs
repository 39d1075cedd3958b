//! What only the PostgreSQL engine does: replacing a session the server dropped, bounding a
//! lock wait by lock_timeout, telling desks about each other's changes by NOTIFY, and refusing
//! a bad connection in one line without the password. Skips without EVENTDESK_TEST_PG.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/pg.rs"]
mod pg;

use std::time::{Duration, Instant};

use chrono::Utc;
use eventdesk::model::{Error, NewAttendee, NewEvent, Role, Session};
use eventdesk::store::{EventQuery, Location, OpenOptions, Store};
use pg::TestDb;

fn open(db: &TestDb, busy_timeout: Duration) -> Store {
    let options = OpenOptions { busy_timeout, ..OpenOptions::default() };
    Store::open_with(Location::parse(&db.url), options).unwrap()
}

/// An organizer's event with `capacity` seats tomorrow, and one attendee.
fn seed(store: &Store) -> (Session, i64, i64) {
    let organizer = accounts::register(store, "olga", Role::Organizer);
    let start = Utc::now() + chrono::Duration::days(1);
    let event = NewEvent {
        title: "Loopback".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + chrono::Duration::hours(2),
        capacity: 3,
    };
    let event = store.create_event(&organizer, &event).unwrap().id;
    let attendee = NewAttendee { name: "Ana".into(), email: "ana@example.org".into(), ..Default::default() };
    let attendee = store.add_attendee(&organizer, &attendee).unwrap().id;
    (organizer, event, attendee)
}

fn backend_pids(db: &TestDb) -> Vec<i32> {
    let sql =
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    db.client().query(sql, &[]).unwrap().iter().map(|r| r.get(0)).collect()
}

#[test]
fn a_dropped_session_is_one_line_then_replaced() {
    let Some(db) = TestDb::create("reconnect") else { return };
    let store = open(&db, Duration::from_secs(5));
    let (organizer, event, attendee) = seed(&store);
    for pid in backend_pids(&db) {
        db.client().execute("SELECT pg_terminate_backend($1)", &[&pid]).unwrap();
    }
    let Err(Error::Storage(line)) = store.list_events(&EventQuery::default()) else {
        panic!("the session is gone")
    };
    assert!(line.starts_with("lost the connection to the database server at 127.0.0.1:"), "{line}");
    assert!(line.ends_with("; try again") && !line.contains("eventdesk:"), "{line}");
    // The next call connects again, and nothing was half-written.
    assert_eq!(store.list_events(&EventQuery::default()).unwrap().len(), 1);
    store.book(&organizer, event, attendee).unwrap();
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_lock_held_past_lock_timeout_is_busy_and_writes_nothing() {
    let Some(db) = TestDb::create("locked") else { return };
    let store = open(&db, Duration::from_millis(200));
    let (organizer, event, attendee) = seed(&store);
    let mut holder = db.client();
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute("LOCK events").unwrap();
    let started = Instant::now();
    assert_eq!(store.book(&organizer, event, attendee), Err(Error::Busy));
    // Three attempts of 200 ms each, with short pauses between: bounded, not forever.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(600) && waited < Duration::from_secs(5), "{waited:?}");
    hold.rollback().unwrap();
    assert_eq!(db.client().query_one("SELECT count(*) FROM bookings", &[]).unwrap().get::<_, i64>(0), 0);
    store.book(&organizer, event, attendee).unwrap();
}

#[test]
fn another_desks_commit_moves_the_change_token_and_our_own_does_not() {
    let Some(db) = TestDb::create("notify") else { return };
    let (mine, theirs) = (open(&db, Duration::from_secs(5)), open(&db, Duration::from_secs(5)));
    let (organizer, event, attendee) = seed(&mine);
    let before = theirs.change_token().unwrap();
    let own = mine.change_token().unwrap();
    mine.book(&organizer, event, attendee).unwrap();
    let deadline = Instant::now() + Duration::from_millis(500);
    while theirs.change_token().unwrap() == before {
        assert!(Instant::now() < deadline, "the other desk did not hear of the booking within 0.5 s");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(mine.change_token().unwrap(), own, "a desk's own commit is not another desk's change");
}

#[test]
fn a_wrong_password_fails_to_open_in_one_line_without_it() {
    let Some(db) = TestDb::create("badpw") else { return };
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let (userinfo, host) = rest.split_once('@').unwrap();
    let user = userinfo.split(':').next().unwrap();
    let bad = format!("{scheme}://{user}:not-this-one@{host}");
    let Err(e) = Store::open(Location::parse(&bad)) else { panic!("opened with a wrong password") };
    let line = e.to_string();
    assert!(matches!(e, Error::Unusable { .. }), "{e:?}");
    assert!(line.contains("wrong password for user") && !line.contains("not-this-one"), "{line}");
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn generated_rows_pass_check_and_the_desk_writes_after_them() {
    let Some(db) = TestDb::create("generate") else { return };
    let store = open(&db, Duration::from_secs(5));
    let (organizer, _, _) = seed(&store);
    let spec = eventdesk::store::BulkSpec { organizers: 3, events: 20, attendees: 60, bookings: 150 };
    let summary = store.generate(&spec).unwrap();
    assert_eq!((summary.events.start, summary.attendees.start), (2, 2), "appended after the seeded rows");
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.events, report.active_bookings), (21, 150));
    assert_eq!(report.history, 3 + 3 + 20 + 60 + 150, "every generated row has its history row");
    // The identity sequences moved past the generated ids: the next rows get fresh ones.
    let attendee =
        NewAttendee { name: "After".into(), email: "after@example.org".into(), ..Default::default() };
    assert_eq!(store.add_attendee(&organizer, &attendee).unwrap().id, 62);
    // The generator numbered its history rows itself: dense, and the counter moved past them,
    // with the numbering trigger back on for the desk's next row.
    let mut client = db.client();
    let ids: Vec<i64> =
        client.query("SELECT id FROM history ORDER BY id", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, (1..=report.history as i64 + 1).collect::<Vec<_>>());
    let off: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE tgname IN ('history_number', 'bookings_guard_insert',
                 'bookings_count_insert', 'events_booked_guard') AND tgenabled <> 'O'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(off, 0, "every trigger the generator switched off is on again");
    // The counters it set at the end agree with the bookings, and the guards work again.
    let wrong: i64 = client
        .query_one(
            "SELECT count(*) FROM events e WHERE booked <>
                 (SELECT count(*) FROM bookings b WHERE b.event_id = e.id AND b.status = 'active')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(wrong, 0);
    let full: i64 =
        client.query_one("SELECT id FROM events WHERE booked = capacity LIMIT 1", &[]).unwrap().get(0);
    let refused = client.batch_execute(&format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({full}, 62, 0)"
    ));
    assert!(refused.is_err(), "a full generated event takes no raw booking");
}
