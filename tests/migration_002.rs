//! Upgrade step 1 -> 2: the attendee name index gains the email, nothing else changes.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use eventdesk::store::{AttendeeQuery, Store};

#[test]
fn version_1_file_upgrades_and_search_still_matches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(include_str!("../migrations/001_initial.sql")).unwrap();
    raw.execute_batch(
        "PRAGMA application_id = 0x4576446b; PRAGMA user_version = 1;
         INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Ana Ruiz', 'ana@x.org', 0, 0),
           ('Ben Okafor', 'ben@zoe.org', 0, 0);",
    )
    .unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 2, "upgraded past step 2 (to {version})");
    let columns: Vec<String> = raw
        .prepare("SELECT name FROM pragma_index_info('attendees_by_name') ORDER BY seqno")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Version 6 carries the fold columns the search reads in place of the email.
    assert_eq!(columns, ["name", "id", "name_fold", "email_canonical", "merged_into"]);
    let search = |text: &str| AttendeeQuery { search: text.into(), ..Default::default() };
    assert_eq!(store.count_attendees(&search("zoe")).unwrap(), 1, "email matches");
    assert_eq!(store.list_attendees(&search("RUIZ")).unwrap()[0].name, "Ana Ruiz", "case-insensitive name");
    assert!(store.check().unwrap().is_ok());
}
