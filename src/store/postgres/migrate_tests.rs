use std::sync::{Arc, Barrier};
use std::time::Duration;

use super::super::config::PgConfig;
use super::super::connect::connect;
use super::super::test_pg::TestDb;
use super::*;

fn client(db: &TestDb) -> Client {
    connect(&PgConfig::parse(&db.url).expect("test URL"), Duration::from_secs(10)).expect("connect")
}

fn tables(db: &TestDb) -> Vec<String> {
    let rows = db
        .client()
        .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", &[])
        .expect("tables");
    rows.iter().map(|r| r.get(0)).collect()
}

#[test]
fn a_new_database_gets_the_whole_schema_and_a_second_run_changes_nothing() {
    let Some(db) = TestDb::create("migrate") else { return };
    let mut c = client(&db);
    migrate(&mut c).expect("first migrate");
    assert_eq!(
        tables(&db),
        [
            "attendees",
            "bookings",
            "checkins",
            "eventdesk_schema",
            "events",
            "history",
            "history_ids",
            "operators",
            "waitlist"
        ]
    );
    migrate(&mut c).expect("second migrate");
    assert_eq!(identify(&mut c), Ok(SCHEMA_VERSION));
}

#[test]
fn eight_desks_running_init_at_once_all_succeed() {
    let Some(db) = TestDb::create("migrate8") else { return };
    let url = Arc::new(db.url.clone());
    let start = Arc::new(Barrier::new(8));
    let desks: Vec<_> = (0..8)
        .map(|_| {
            let (url, start) = (Arc::clone(&url), Arc::clone(&start));
            std::thread::spawn(move || {
                let config = PgConfig::parse(&url).expect("test URL");
                let mut c = connect(&config, Duration::from_secs(30)).expect("connect");
                start.wait();
                migrate(&mut c)
            })
        })
        .collect();
    for desk in desks {
        assert_eq!(desk.join().expect("desk thread"), Ok(()));
    }
    let marker: i64 =
        db.client().query_one("SELECT count(*) FROM eventdesk_schema", &[]).expect("marker").get(0);
    assert_eq!(marker, 1);
}

#[test]
fn a_database_with_foreign_tables_is_refused_untouched() {
    let Some(db) = TestDb::create("foreign") else { return };
    db.client().batch_execute("CREATE TABLE invoices (id int)").expect("foreign table");
    let err = migrate(&mut client(&db)).unwrap_err();
    assert!(err.contains("not eventdesk's"), "{err}");
    assert_eq!(tables(&db), ["invoices"]);
    let trgm: i64 = db
        .client()
        .query_one("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'", &[])
        .expect("extensions")
        .get(0);
    assert_eq!(trgm, 0, "nothing was installed");
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let Some(db) = TestDb::create("newer") else { return };
    let mut c = client(&db);
    migrate(&mut c).expect("migrate");
    c.batch_execute("UPDATE eventdesk_schema SET version = 99").expect("pretend newer");
    let err = migrate(&mut c).unwrap_err();
    assert_eq!(
        err,
        format!(
            "this database has schema version 99, newer than this eventdesk supports ({SCHEMA_VERSION}); upgrade eventdesk"
        )
    );
    let version: i64 = c.query_one("SELECT version FROM eventdesk_schema", &[]).expect("version").get(0);
    assert_eq!(version, 99);
}

#[test]
fn a_version_1_database_gains_the_door_and_keeps_its_rows() {
    let Some(db) = TestDb::create("upgrade2") else { return };
    let mut c = client(&db);
    c.batch_execute(MIGRATIONS[0].1).expect("version 1 schema");
    c.batch_execute(MARKER).expect("marker");
    c.batch_execute(
        "INSERT INTO eventdesk_schema (application, version) VALUES ('eventdesk', 1);
         INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Full', 4000000000, 4000003600, 1, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at)
              VALUES ('Ana', 'ana@example.org', 0, 0), ('Bo', 'bo@example.org', 0, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0);",
    )
    .expect("version 1 rows");
    assert_eq!(identify(&mut c), Ok(1));
    migrate(&mut c).expect("upgrade");
    assert_eq!(identify(&mut c), Ok(SCHEMA_VERSION));
    let booked: i64 = c.query_one("SELECT booked FROM events WHERE id = 1", &[]).expect("event").get(0);
    assert_eq!(booked, 1, "the rows already there are kept");
    c.batch_execute("INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 2, 0)")
        .expect("the waiting list works on the upgraded schema");
    let err = c
        .batch_execute("INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 1, 0)")
        .expect_err("a booked attendee cannot wait");
    let message = err.as_db_error().map(|db| db.message().to_string()).unwrap_or_default();
    assert!(message.contains("already holds a seat"), "{err:?}");
}
