//! Upgrade step 2 -> 3: the trigram search index is built from the attendees already there and
//! kept in step afterwards.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use eventdesk::store::{AttendeeQuery, Store};

#[test]
fn version_2_file_upgrades_and_search_still_matches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(include_str!("../migrations/001_initial.sql")).unwrap();
    raw.execute_batch(include_str!("../migrations/002_attendee_search_index.sql")).unwrap();
    raw.execute_batch(
        "PRAGMA application_id = 0x4576446b; PRAGMA user_version = 2;
         INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Ana Ruiz', 'ana@x.org', 0, 0),
           ('Ben Okafor', 'ben@zoe.org', 0, 0), ('Zoë Ñúñez', 'zn@x.org', 0, 0);",
    )
    .unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 3, "upgraded past step 3 (to {version})");
    let indexed: i64 = raw
        .query_row("SELECT count(*) FROM attendees_search WHERE attendees_search MATCH 'uiz'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(indexed, 1, "the rows already there are indexed");

    let search = |text: &str| AttendeeQuery { search: text.into(), ..Default::default() };
    let names = |text: &str| -> Vec<String> {
        store.list_attendees(&search(text)).unwrap().into_iter().map(|a| a.name).collect()
    };
    assert_eq!(store.count_attendees(&search("zoe")).unwrap(), 1, "email matches");
    assert_eq!(names("RUIZ"), ["Ana Ruiz"], "case-insensitive name");
    assert_eq!(names("Ñúñ"), ["Zoë Ñúñez"]);
    assert_eq!(names("ñúñ"), ["Zoë Ñúñez"], "the search folds all of Unicode since migration 006");
    // Zoë's "r" is in her .org address: one or two characters search names alone since version 11.
    assert_eq!(names("r"), ["Ana Ruiz", "Ben Okafor"], "short searches still match");
    assert_eq!(names(".or"), ["Ana Ruiz", "Ben Okafor", "Zoë Ñúñez"], "three characters search emails too");

    // A raw insert after the upgrade is indexed by the trigger.
    raw.execute(
        // Since version 6 the search reads the fold columns, which the store fills in Rust.
        "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
         VALUES ('Cleo Ruiz', 'c@x.org', 0, 0, 'cleo ruiz', 'c@x.org')",
        [],
    )
    .unwrap();
    assert_eq!(names("ruiz"), ["Ana Ruiz", "Cleo Ruiz"]);
    assert!(store.check().unwrap().is_ok());
}

/// `check()` notices an index out of step, e.g. after a raw session dropped a trigger.
#[test]
fn check_reports_a_search_index_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Ana Ruiz', 'ana@x.org', 0, 0);
         DROP TRIGGER attendees_search_update;
         DROP TRIGGER attendees_search_insert;
         INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Ben Roe', 'ben@x.org', 0, 0);",
    )
    .unwrap();
    let problems = store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("attendees_search_update is missing")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("attendees_search_insert is missing")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("1 attendee missing from attendees_search")), "{problems:?}");
}
