//! Upgrade step 4 -> 5: events and attendees gain a version, and the rows already there start
//! at 1, so an edit based on version 1 goes through and the next one based on it is refused.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use chrono::{Duration, Utc};
use eventdesk::model::{AttendeePatch, Error, EventPatch, Role, Session};
use eventdesk::store::Store;

#[test]
fn version_4_file_upgrades_and_its_rows_start_at_version_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let raw = old_schema::file_at_version(&path, 4);
    let start = (Utc::now() + Duration::days(3)).timestamp();
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('olga', 'x', 'organizer', 'Olga', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Old', {start}, {start} + 3600, 4, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Ana Ruiz', 'ana@x.org', 0, 0);"
    ))
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 5, "upgraded past step 5 (to {version})");
    assert_eq!((store.event(1).unwrap().version, store.attendee(1).unwrap().version), (1, 1));
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    let olga = Session { operator_id: 1, username: "olga".into(), role: Role::Organizer };
    let patch = EventPatch { title: Some("New".into()), if_version: Some(1), ..Default::default() };
    assert_eq!(store.update_event(&olga, 1, &patch).unwrap().changed.version, 2);
    assert!(matches!(store.update_event(&olga, 1, &patch), Err(Error::Conflict(_))));
    let patch = AttendeePatch { name: Some("Ana R.".into()), if_version: Some(1), ..Default::default() };
    assert_eq!(store.update_attendee(&olga, 1, &patch).unwrap().version, 2);
}
