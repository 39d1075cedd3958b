//! Upgrade step 9 -> 10 (PostgreSQL: 5 -> 6): each booking carries the text it is searched by,
//! and SQLite's event indexes the title. A version-9 file with bookings upgrades; every booking
//! gets its attendee's and event's text; the Bookings search then reads the bookings table
//! alone, and an Events search only the index. A version-5 PostgreSQL database fills the text
//! of the bookings it holds the same way.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;
#[path = "support/pg.rs"]
mod pg;

use chrono::{Duration, Utc};
use eventdesk::store::{BookingQuery, Location, Page, Store};
use rusqlite::Connection;

/// The Bookings search's capped count and an organizer's Events search count, as the store
/// writes them.
const SEARCH_COUNT: &str =
    "SELECT count(*) FROM (SELECT 1 FROM bookings b WHERE b.search_fold LIKE '%ana%' ESCAPE '\\' LIMIT 101)";
const EVENTS_SEARCH_COUNT: &str = "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL
     AND e.creator_id = 1 AND e.ends_at > 0 AND e.title_fold LIKE '%ru%' ESCAPE '\\' LIMIT 101)";

#[test]
fn version_9_file_upgrades_and_searches_bookings_by_their_own_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.db");
    drop(Store::open(&path).unwrap());
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_12).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_10).unwrap();
    let start = (Utc::now() + Duration::days(3)).timestamp();
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, organization, address, created_at)
              VALUES ('olga', 'x', 'organizer', 'Olga', 'Org', 'Street 1', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold)
              VALUES ('Rust Meetup', {start}, {start} + 3600, 5, 1, 0, 0, 'rust meetup'),
                     ('Tango', {start}, {start} + 3600, 5, 1, 0, 0, 'tango');
         INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
              VALUES ('Ana Ruiz', 'ana@x.org', 0, 0, 'ana ruiz', 'ana@x.org'),
                     ('Bo Li', 'bo@x.org', 0, 0, 'bo li', 'bo@x.org');
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0), (2, 2, 0), (2, 1, 0);"
    ))
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 10, "upgraded past step 10 (to {version})");
    let texts: Vec<String> = raw
        .prepare("SELECT search_fold FROM bookings ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        texts,
        [
            "ana ruiz\u{1f}ana@x.org\u{1f}rust meetup",
            "bo li\u{1f}bo@x.org\u{1f}tango",
            "ana ruiz\u{1f}ana@x.org\u{1f}tango"
        ]
    );
    let plan = old_schema::query_plan(&raw, SEARCH_COUNT);
    assert!(!plan.contains("attendees") && !plan.contains("events"), "one table: {plan}");
    let plan = old_schema::query_plan(&raw, EVENTS_SEARCH_COUNT);
    assert!(plan.contains("USING COVERING INDEX events_by_creator"), "{plan}");

    let q = |search: &str| BookingQuery {
        search: search.into(),
        page: Page::new(0, 10),
        ..BookingQuery::default()
    };
    let ids =
        |search| store.list_bookings(&q(search)).unwrap().iter().map(|b| b.booking.id).collect::<Vec<_>>();
    assert_eq!(ids("ana"), [3, 1]);
    assert_eq!(ids("TANGO"), [3, 2]);
    assert_eq!(store.count_bookings_upto(&q("li"), 100).unwrap(), 1);
    let problems = store.check().unwrap().problems;
    assert!(!problems.iter().any(|p| p.starts_with("search text")), "{problems:?}");
}

#[test]
fn version_5_postgres_database_fills_the_search_text_of_its_bookings() {
    let Some(db) = pg::TestDb::create("migration_010") else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return;
    };
    drop(Store::open(Location::parse(&db.url)).unwrap());
    let mut c = pg::connect(&db.url);
    c.batch_execute(old_schema::PG_UNDO_STEP_9).unwrap();
    c.batch_execute(old_schema::PG_UNDO_STEP_6).unwrap();
    c.batch_execute(
        "UPDATE eventdesk_schema SET version = 5;
         INSERT INTO operators (username, password_hash, role, name, organization, address, created_at)
              VALUES ('olga', 'x', 'organizer', 'Olga', 'Org', 'Street 1', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold)
              VALUES ('Rust Meetup', 4000000000, 4000003600, 5, 1, 0, 0, 'rust meetup');
         INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
              VALUES ('Ana Ruiz', 'ana@x.org', 0, 0, 'ana ruiz', 'ana@x.org');
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0);",
    )
    .unwrap();

    let store = Store::open(Location::parse(&db.url)).unwrap();
    let version: i64 = c.query_one("SELECT version FROM eventdesk_schema", &[]).unwrap().get(0);
    assert!(version >= 6, "upgraded past step 6 (to {version})");
    let text: String = c.query_one("SELECT search_fold FROM bookings", &[]).unwrap().get(0);
    assert_eq!(text, "ana ruiz\u{1f}ana@x.org\u{1f}rust meetup");
    let q = BookingQuery { search: "MEETUP".into(), page: Page::new(0, 10), ..BookingQuery::default() };
    assert_eq!(store.list_bookings(&q).unwrap().len(), 1);
    let problems = store.check().unwrap().problems;
    assert!(!problems.iter().any(|p| p.starts_with("search text")), "{problems:?}");
}
