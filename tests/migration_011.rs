//! Upgrade step 10 -> 11 (PostgreSQL: 6 -> 7): the name postings hold one- and two-character
//! grams too. A version-10 file (and a version-6 PostgreSQL database) whose postings hold
//! 3-character grams only upgrades: every unmerged attendee's short grams are filled from its
//! row, `check` finds the postings in step, the triggers keep short grams from then on, and a
//! search of one or two characters lists exactly the names that hold it, in list order.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/pg.rs"]
mod pg;

use eventdesk::model::{NewAttendee, NewOperator, Role, Session};
use eventdesk::store::{AttendeeQuery, Location, Page, Store};

/// The triggers of migration 007, which build 3-character grams only.
fn triggers_of_step_7() -> Vec<String> {
    let sql = include_str!("../migrations/007_attendee_name_grams.sql");
    sql.split("CREATE TRIGGER attendees_search_grams_")
        .skip(1)
        .map(|rest| {
            format!("CREATE TRIGGER attendees_search_grams_{}END;", &rest[..rest.find("END;").unwrap()])
        })
        .collect()
}

fn desk(store: &Store) -> Session {
    let org = NewOperator {
        username: "olga".into(),
        password: "password-123".into(),
        role: Some(Role::Organizer),
        organization: "Org".into(),
        address: "Street 1".into(),
        ..Default::default()
    };
    store.register(&org).unwrap();
    store.authenticate("olga", "password-123").unwrap()
}

fn add(store: &Store, s: &Session, name: &str, email: &str) -> i64 {
    store
        .add_attendee(s, &NewAttendee { name: name.into(), email: email.into(), ..Default::default() })
        .unwrap()
        .id
}

fn names(store: &Store, search: &str) -> Vec<String> {
    let q = AttendeeQuery { search: search.into(), page: Page::new(0, 50) };
    let listed: Vec<String> = store.list_attendees(&q).unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(store.count_attendees(&q).unwrap(), listed.len() as u64, "{search:?} exact count");
    assert_eq!(store.count_attendees_upto(&q, 100).unwrap(), listed.len() as u64, "{search:?} capped count");
    listed
}

/// What the searches list after the upgrade: the rows written before it (by version 10, with
/// no short postings) and after it (by the new triggers), by name only for 1-2 characters.
fn searches_after_the_upgrade(store: &Store, s: &Session) {
    add(store, s, "Zoë Quinn", "zq@x.org");
    assert_eq!(names(store, "pr"), ["Mia Priyanka", "Priya Shah"]);
    assert_eq!(names(store, "Ë"), ["Zoë Quinn"]);
    assert_eq!(names(store, "q"), ["Zoë Quinn"], "a new attendee gets short postings");
    assert_eq!(names(store, "o"), ["Bob Stone", "Zoë Quinn"], "names only: not every .org");
    assert_eq!(names(store, "pri"), ["Bob Stone", "Mia Priyanka", "Priya Shah"], "three: emails too");
    let problems = store.check().unwrap().problems;
    assert!(store.check().unwrap().is_ok(), "{problems:?}");
}

fn people(store: &Store, s: &Session) {
    add(store, s, "Priya Shah", "ps@x.org");
    add(store, s, "Mia Priyanka", "mia@x.org");
    add(store, s, "Bob Stone", "priya.stone@x.org");
}

/// Steps 12 and 11 taken back on SQLite: no index of the cancelled bookings, no short postings,
/// 007's triggers, version 10.
fn back_to_10(raw: &rusqlite::Connection) {
    raw.execute_batch(
        "DROP INDEX bookings_cancelled;
         DELETE FROM attendees_search_grams WHERE length(gram) < 3;
         DROP TRIGGER attendees_search_grams_insert;
         DROP TRIGGER attendees_search_grams_update;
         DROP TRIGGER attendees_search_grams_delete;",
    )
    .unwrap();
    for trigger in triggers_of_step_7() {
        raw.execute_batch(&trigger).unwrap();
    }
    raw.execute_batch("PRAGMA user_version = 10").unwrap();
}

#[test]
fn a_version_10_file_fills_its_short_postings_from_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v10.db");
    let store = Store::open(&path).unwrap();
    let s = desk(&store);
    people(&store, &s);
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    back_to_10(&raw);
    let short: i64 = raw
        .query_row("SELECT count(*) FROM attendees_search_grams WHERE length(gram) < 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(short, 0, "what version 10 held");
    // Written by version 10's triggers: 3-character postings only.
    raw.execute_batch(
        "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
              VALUES ('Ana Ruiz', 'ar@x.org', 0, 0, 'ana ruiz', 'ar@x.org');",
    )
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 11, "upgraded past step 11 (to {version})");
    assert_eq!(names(&store, "ru"), ["Ana Ruiz"], "a row version 10 wrote");
    searches_after_the_upgrade(&store, &s);
    raw.execute_batch("DELETE FROM attendees_search_grams WHERE gram = 'q'").unwrap();
    let problems = store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("attendees_search_grams is out of step")), "{problems:?}");
}

/// Steps 9 and 7 taken back on PostgreSQL: no index of the cancelled bookings, no short postings,
/// 005's attendee_grams, version 6 (step 8 rebuilds the start indexes whatever they hold).
const PG_BACK_TO_6: &str = "
    DROP INDEX bookings_cancelled;
    DELETE FROM attendees_search_grams WHERE length(gram) < 3;
    CREATE OR REPLACE FUNCTION attendee_grams(t text) RETURNS SETOF text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 20
        AS $$ SELECT DISTINCT substr(t, i, 3) FROM generate_series(1, length(t) - 2) AS i $$;
    UPDATE eventdesk_schema SET version = 6;";

#[test]
fn a_version_6_postgres_database_fills_its_short_postings_from_its_rows() {
    let Some(db) = pg::TestDb::create("migration_011") else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return;
    };
    let store = Store::open(Location::parse(&db.url)).unwrap();
    let s = desk(&store);
    people(&store, &s);
    drop(store);
    let mut c = pg::connect(&db.url);
    c.batch_execute(PG_BACK_TO_6).unwrap();
    c.batch_execute(
        "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
              VALUES ('Ana Ruiz', 'ar@x.org', 0, 0, 'ana ruiz', 'ar@x.org');",
    )
    .unwrap();
    let short: i64 = c
        .query_one("SELECT count(*) FROM attendees_search_grams WHERE length(gram) < 3", &[])
        .unwrap()
        .get(0);
    assert_eq!(short, 0, "what version 6 held");

    let store = Store::open(Location::parse(&db.url)).unwrap();
    let version: i64 = c.query_one("SELECT version FROM eventdesk_schema", &[]).unwrap().get(0);
    assert!(version >= 7, "upgraded past step 7 (to {version})");
    assert_eq!(names(&store, "ru"), ["Ana Ruiz"], "a row version 6 wrote");
    searches_after_the_upgrade(&store, &s);
    c.batch_execute("DELETE FROM attendees_search_grams WHERE gram = 'q'").unwrap();
    let problems = store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("attendees_search_grams is out of step")), "{problems:?}");
}
