//! Upgrade step 6 -> 7 on SQLite, 4 -> 5 on PostgreSQL: the name postings (and on SQLite the
//! email-only index) are filled from the rows already there, merged attendees left out, and
//! `check` passes; a database whose postings went stale says so.
//!
//! A version-6 (PostgreSQL: version-4) database is made by the store and then taken back by
//! hand: the later step's objects dropped and the version set back, with rows added at the old
//! version by raw SQL, which no trigger of the later step indexes.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/old_schema.rs"]
mod old_schema;
#[path = "support/pg.rs"]
mod pg;

use accounts::register;
use eventdesk::model::{NewAttendee, Role};
use eventdesk::store::{AttendeeQuery, Location, Page, Store};

/// The attendees both halves add: some by the store before going back a version, the rest raw.
fn people(store: &Store) -> (i64, i64) {
    let desk = register(store, "dave", Role::Desk);
    let add = |name: &str, email: &str| {
        let new = NewAttendee { name: name.into(), email: email.into(), ..Default::default() };
        store.add_attendee(&desk, &new).unwrap().id
    };
    let kept = add("Zora Priya", "zora@x.org");
    let merged = add("Zora Priya", "zora.p@x.org");
    add("Ana Ruiz", "ana@x.org");
    store.merge_attendees(&desk, kept, merged).unwrap();
    (kept, merged)
}

fn priyas(store: &Store) -> Vec<(String, String)> {
    let q = AttendeeQuery { search: "priya".into(), page: Page::new(0, 50) };
    store.list_attendees(&q).unwrap().into_iter().map(|a| (a.name, a.email)).collect()
}

fn expected() -> Vec<(String, String)> {
    // NOCASE compares bytes past ASCII: É sorts after Z.
    [("Bob Stone", "priya.stone@x.org"), ("Zora Priya", "zora@x.org"), ("Élodie Priyanka", "ep@x.org")]
        .map(|(n, e)| (n.to_string(), e.to_string()))
        .to_vec()
}

/// SQLite migration 007's objects, dropped; the index it widened, as 001 made it.
const BACK_TO_6: &str = "
    DROP TRIGGER attendees_search_grams_insert;
    DROP TRIGGER attendees_search_grams_update;
    DROP TRIGGER attendees_search_grams_delete;
    DROP TRIGGER attendees_search_emails_insert;
    DROP TRIGGER attendees_search_emails_update;
    DROP TRIGGER attendees_search_emails_delete;
    DROP TABLE attendees_search_grams;
    DROP TABLE attendees_search_emails;
    DROP INDEX events_by_creator;
    CREATE INDEX events_by_creator ON events (creator_id, starts_at) WHERE deleted_at IS NULL;
    PRAGMA user_version = 6;";

#[test]
fn a_version_6_file_fills_its_postings_from_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    let store = Store::open(&path).unwrap();
    people(&store);
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_12).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_10).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_9).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_8).unwrap();
    raw.execute_batch(BACK_TO_6).unwrap();
    let triggers: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'attendees_search_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 3, "006's triggers only");
    // What version 6 wrote, fold columns and its own trigram index included (its triggers).
    raw.execute_batch(
        "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical) VALUES
             ('Élodie Priyanka', 'ep@x.org', 0, 0, 'élodie priyanka', 'ep@x.org'),
             ('Bob Stone', 'priya.stone@x.org', 0, 0, 'bob stone', 'priya.stone@x.org');",
    )
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 7, "upgraded past step 7 (to {version})");
    assert_eq!(priyas(&store), expected(), "name and email-only matches, the merged one left out");
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    // A posting gone stale (a rename behind the triggers' back) is reported.
    raw.execute_batch(
        "DROP TRIGGER attendees_search_grams_update;
         UPDATE attendees SET name = 'Bob Stoner', name_fold = 'bob stoner' WHERE name = 'Bob Stone';",
    )
    .unwrap();
    let problems = store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("attendees_search_grams_update is missing")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("attendees_search_grams is out of step")), "{problems:?}");
    // Back, then a rename that keeps every gram: the same postings, one holding the old name.
    raw.execute_batch(
        "UPDATE attendees SET name = 'Bob Stone', name_fold = 'bob stone' WHERE name = 'Bob Stoner';",
    )
    .unwrap();
    let problems = store.check().unwrap().problems;
    assert!(!problems.iter().any(|p| p.contains("out of step")), "back in step: {problems:?}");
    raw.execute_batch("UPDATE attendees SET name = 'Rob Stone' WHERE name = 'Bob Stone';").unwrap();
    let problems = store.check().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("out of step") && p.contains("stale postings")),
        "{problems:?}"
    );
}

/// PostgreSQL migration 005's objects, dropped, and the version set back to 4.
const BACK_TO_4: &str = "
    DROP TRIGGER attendees_search_grams_insert ON attendees;
    DROP TRIGGER attendees_search_grams_update ON attendees;
    DROP TRIGGER attendees_search_grams_delete ON attendees;
    DROP FUNCTION attendees_search_grams_insert(), attendees_search_grams_update(), attendees_search_grams_delete();
    DROP TABLE attendees_search_grams;
    DROP FUNCTION attendee_grams(text);
    DROP INDEX events_by_creator;
    CREATE INDEX events_by_creator ON events (creator_id, starts_at) WHERE deleted_at IS NULL;
    UPDATE eventdesk_schema SET version = 4;";

#[test]
fn a_version_4_postgres_database_fills_its_postings_from_its_rows() {
    let Some(db) = pg::TestDb::create("migration_007") else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return;
    };
    let store = Store::open(Location::parse(&db.url)).unwrap();
    people(&store);
    drop(store);
    let mut c = pg::connect(&db.url);
    c.batch_execute(old_schema::PG_UNDO_STEP_9).unwrap();
    c.batch_execute(old_schema::PG_UNDO_STEP_6).unwrap();
    c.batch_execute(BACK_TO_4).unwrap();
    c.batch_execute(
        "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical) VALUES
             ('Élodie Priyanka', 'ep@x.org', 0, 0, 'élodie priyanka', 'ep@x.org'),
             ('Bob Stone', 'priya.stone@x.org', 0, 0, 'bob stone', 'priya.stone@x.org');",
    )
    .unwrap();

    let store = Store::open(Location::parse(&db.url)).unwrap();
    let version: i64 = c.query_one("SELECT version FROM eventdesk_schema", &[]).unwrap().get(0);
    assert!(version >= 5, "upgraded past step 5 (to {version})");
    assert_eq!(priyas(&store), expected(), "name and email-only matches, the merged one left out");
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    c.batch_execute(
        "ALTER TABLE attendees DISABLE TRIGGER attendees_search_grams_update;
         UPDATE attendees SET name = 'Bob Stoner', name_fold = 'bob stoner' WHERE name = 'Bob Stone';",
    )
    .unwrap();
    let problems = store.check().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("attendees_search_grams_update is missing or disabled")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("attendees_search_grams is out of step")), "{problems:?}");
    c.batch_execute(
        "UPDATE attendees SET name = 'Bob Stone', name_fold = 'bob stone' WHERE name = 'Bob Stoner';",
    )
    .unwrap();
    let problems = store.check().unwrap().problems;
    assert!(!problems.iter().any(|p| p.contains("out of step")), "back in step: {problems:?}");
    c.batch_execute("UPDATE attendees SET name = 'Rob Stone' WHERE name = 'Bob Stone';").unwrap();
    let problems = store.check().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("out of step") && p.contains("stale postings")),
        "{problems:?}"
    );
}
