//! Upgrade step 7 -> 8: the two indexes on a booking's pair become one, and the history index no
//! query used goes. A version-7 file with an active booking and cancelled ones of the same pair
//! upgrades; the one active booking per pair is still refused twice, by the rules and by the
//! schema, cancelled bookings still pile up, and the History actor filter still finds its rows.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use chrono::{Duration, Utc};
use eventdesk::model::{Error, Refusal, Role, Session};
use eventdesk::store::{HistoryQuery, Store};
use rusqlite::Connection;

fn index_sql(raw: &Connection, name: &str) -> Option<String> {
    raw.query_row("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name], |r| r.get(0))
        .ok()
}

/// A version-7 file: made by this build, its step 8 undone by hand, with two attendees' bookings
/// on one event (Ana: cancelled twice, then booked; Ben: cancelled once).
fn version_7_file(path: &std::path::Path) {
    drop(Store::open(path).unwrap());
    let raw = Connection::open(path).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_12).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_10).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_9).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_8).unwrap();
    let start = (Utc::now() + Duration::days(3)).timestamp();
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO operators (username, password_hash, role, name, organization, address, created_at)
              VALUES ('olga', 'x', 'organizer', 'Olga', 'Org', 'Street 1', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold)
              VALUES ('Old', {start}, {start} + 3600, 5, 2, 0, 0, 'old');
         INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
              VALUES ('Ana Ruiz', 'ana@x.org', 0, 0, 'ana ruiz', 'ana@x.org'),
                     ('Ben Ode', 'ben@x.org', 0, 0, 'ben ode', 'ben@x.org');
         INSERT INTO bookings (event_id, attendee_id, booked_at, status, cancelled_at) VALUES
              (1, 1, 0, 'cancelled', 1), (1, 1, 2, 'cancelled', 3), (1, 2, 0, 'cancelled', 1);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 4);
         INSERT INTO history (actor, action, object_kind, object_id, created_at)
              SELECT 'dora', 'book', 'booking', id, booked_at FROM bookings;"
    ))
    .unwrap();
    assert!(index_sql(&raw, "bookings_by_attendee").is_some(), "the file starts at version 7");
}

#[test]
fn version_7_file_upgrades_to_one_pair_index_that_still_guards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    version_7_file(&path);

    let store = Store::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 8, "upgraded past step 8 (to {version})");
    assert_eq!(index_sql(&raw, "bookings_by_attendee"), None, "the second pair index is gone");
    assert_eq!(index_sql(&raw, "history_by_actor"), None);
    let guard = index_sql(&raw, "bookings_one_active").unwrap();
    assert!(guard.contains("CASE status WHEN 'active' THEN 1 END"), "{guard}");
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    let dora = Session { operator_id: 1, username: "dora".into(), role: Role::Desk };
    // The rules: Ana holds the seat, Ben's cancelled booking comes back to life.
    assert!(matches!(store.book(&dora, 1, 1), Err(Error::Refused(Refusal::AlreadyBooked))));
    assert_eq!(store.book(&dora, 1, 2).unwrap().booking.id, 3, "Ben's cancelled booking is reused");
    // The schema, for a write that skips the rules: a second active row of a pair is refused
    // and named as the rule; another cancelled one is not.
    let twice = raw.execute("INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 9)", []);
    let message = twice.unwrap_err().to_string();
    assert!(message.contains("bookings_one_active"), "{message}");
    raw.execute(
        "INSERT INTO bookings (event_id, attendee_id, booked_at, status, cancelled_at) VALUES (1, 1, 9, 'cancelled', 9)",
        [],
    )
    .unwrap();
    let active: i64 = raw
        .query_row("SELECT count(*) FROM bookings WHERE attendee_id = 1 AND status = 'active'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(active, 1);
    let q = HistoryQuery { actor: Some("DORA".into()), ..Default::default() };
    assert_eq!(store.history(&q).unwrap().len(), 5, "four bookings by hand and Ben's rebooking");
}

#[test]
fn the_pair_lookups_use_the_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.db");
    drop(Store::open(&path).unwrap());
    let raw = Connection::open(&path).unwrap();
    for sql in [
        "SELECT id FROM bookings WHERE attendee_id = 1 AND event_id = 2",
        "SELECT event_id FROM bookings WHERE attendee_id = 1 AND status = 'active'",
    ] {
        let plan = old_schema::query_plan(&raw, sql);
        assert!(plan.contains("INDEX bookings_one_active"), "{sql}: {plan}");
    }
}
