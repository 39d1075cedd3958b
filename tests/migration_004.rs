//! Upgrade step 3 -> 4: the waiting list and check-ins arrive beside the bookings already
//! there, which keep their seats and read as not checked in.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use chrono::{Duration, Utc};
use eventdesk::model::{BookingStatus, Refusal, Session};
use eventdesk::store::{BookingQuery, Store, WaitlistQuery};

#[test]
fn version_3_file_upgrades_and_the_door_works_on_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let raw = old_schema::file_at_version(&path, 3);
    let start = (Utc::now() + Duration::days(3)).timestamp();
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Full', {start}, {start} + 3600, 1, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at)
              VALUES ('Ana Ruiz', 'ana@x.org', 0, 0), ('Ben Okafor', 'ben@x.org', 0, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0);
         INSERT INTO history (actor, action, object_kind, object_id, created_at) VALUES ('dora', 'book', 'booking', 1, 0);"
    ))
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 4, "upgraded past step 4 (to {version})");
    let rows = store.list_bookings(&BookingQuery::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].booking.status, rows[0].checked_in_at.as_ref()), (BookingStatus::Active, None));
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    // The old full event takes a waiting list, and a cancel promotes its head.
    let dora = Session { operator_id: 1, username: "dora".into(), role: eventdesk::model::Role::Desk };
    let entry = store.waitlist_add(&dora, 1, 2).unwrap();
    assert_eq!(entry.position, Some(1));
    assert_eq!(store.waitlist_add(&dora, 1, 2).unwrap_err().refusal(), Some(&Refusal::AlreadyWaiting));
    let freed = store.cancel(&dora, 1).unwrap();
    assert_eq!(freed.promoted.iter().map(|p| p.attendee_id).collect::<Vec<_>>(), [2]);
    let waiting = WaitlistQuery { status: Some(eventdesk::model::WaitStatus::Waiting), ..Default::default() };
    assert_eq!(store.count_waitlist(&waiting).unwrap(), 0);
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);
}
