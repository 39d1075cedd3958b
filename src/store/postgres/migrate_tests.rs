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
            "attendees_search_grams",
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

#[test]
fn a_version_3_database_with_one_person_twice_upgrades_and_merges() {
    use crate::model::{Role, Session};
    use crate::store::{AttendeeQuery, Location, Store};
    let Some(db) = TestDb::create("upgrade4") else { return };
    let mut c = client(&db);
    for (_, sql) in &MIGRATIONS[..3] {
        c.batch_execute(sql).expect("version 3 schema");
    }
    c.batch_execute(MARKER).expect("marker");
    // nocase() folds ASCII only, so version 3 took these as different addresses.
    c.batch_execute(
        "INSERT INTO eventdesk_schema (application, version) VALUES ('eventdesk', 3);
         INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Soirée', 4000000000, 4000003600, 5, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at)
              VALUES ('Élodie', 'élodie@x.org', 0, 0), ('ÉLODIE', 'ÉLODIE@x.org', 0, 0),
                     ('Hans', 'straße@x.org', 0, 0), ('HANS', 'STRASSE@x.org', 0, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 2, 0);
         INSERT INTO history (actor, action, object_kind, object_id, created_at) VALUES ('dora', 'book', 'booking', 1, 0);",
    )
    .expect("version 3 rows");
    migrate(&mut c).expect("upgrade");
    assert_eq!(identify(&mut c), Ok(SCHEMA_VERSION));
    let canonical: Vec<String> = c
        .query("SELECT email_canonical FROM attendees ORDER BY id", &[])
        .expect("canonical")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(canonical, ["élodie@x.org", "élodie@x.org", "strasse@x.org", "strasse@x.org"]);
    let search: String = c.query_one("SELECT search_fold FROM bookings", &[]).expect("booking").get(0);
    assert_eq!(
        search, "élodie\u{1f}élodie@x.org\u{1f}soirée",
        "the search text follows the back-filled folds"
    );
    let unique: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'attendees_email_canonical_unique'",
            &[],
        )
        .expect("index")
        .get(0);
    assert_eq!(unique, 0, "not while duplicates exist");
    drop(c);

    let store = Store::open(Location::parse(&db.url)).expect("open");
    let problems = store.check().expect("check").problems;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("attendees 1, 2 share the email élodie@x.org"), "{problems:?}");
    assert!(problems[1].starts_with("attendees 3, 4 share the email strasse@x.org"), "{problems:?}");
    let found = store.list_attendees(&AttendeeQuery { search: "élodie".into(), ..Default::default() });
    assert_eq!(found.expect("search").len(), 2, "the trigram-served search reads the back-filled folds");
    let dora = Session { operator_id: 1, username: "dora".into(), role: Role::Desk };
    assert_eq!(store.merge_attendees(&dora, 1, 2).expect("merge").bookings_moved, 1);
    store.merge_attendees(&dora, 3, 4).expect("merge");
    let report = store.check().expect("check");
    assert!(report.is_ok(), "{:?}", report.problems);
}
