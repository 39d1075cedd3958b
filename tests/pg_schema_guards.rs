//! What only the PostgreSQL schema guards (the guards both engines share run from
//! tests/schema_guards.rs): the booked counter against raw writes, raw inserts racing under READ
//! COMMITTED, JSON-typed details, and the notification every history insert sends. Skips
//! without EVENTDESK_TEST_PG.

#[path = "support/pg.rs"]
mod pg;

use std::sync::{Arc, Barrier};

use eventdesk::store::{Location, Store};
use pg::TestDb;
use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

/// A migrated database with event 1 (capacity 2) holding two bookings, spare attendee 3,
/// event 2 (capacity 5) empty, and one history row.
fn fixture(label: &str) -> Option<(TestDb, Client)> {
    let db = TestDb::create(label)?;
    // Opening a store migrates the new database, as `eventdesk init` does.
    drop(Store::open(Location::parse(&db.url)).expect("open and migrate"));
    let mut c = db.client();
    c.batch_execute(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Full', 10, 20, 2, 1, 0, 0), ('Roomy', 10, 20, 5, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at)
              SELECT 'A' || n, 'a' || n || '@example.org', 0, 0 FROM generate_series(1, 12) n;
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0), (1, 2, 0);
         INSERT INTO history (actor, action, object_kind, created_at) VALUES ('dora', 'book', 'booking', 0);",
    )
    .expect("fixture rows");
    Some((db, c))
}

type Counts = (i64, i64, i64, i64);

fn counts(c: &mut Client) -> Counts {
    let r = c
        .query_one(
            "SELECT (SELECT count(*) FROM bookings WHERE status = 'active'), (SELECT count(*) FROM bookings),
                    (SELECT sum(booked)::bigint FROM events), (SELECT count(*) FROM history)",
            &[],
        )
        .expect("counts");
    (r.get(0), r.get(1), r.get(2), r.get(3))
}

/// Runs `sql`, expects the schema to refuse it with `reason`, and nothing to change.
fn refused(c: &mut Client, sql: &str, reason: &str) {
    let before = counts(c);
    let err = c.batch_execute(sql).expect_err(sql);
    let text = err.as_db_error().map_or_else(|| err.to_string(), |db| db.message().to_string());
    assert!(text.contains(reason), "{sql}: {text}");
    assert_eq!(counts(c), before, "{sql} changed something");
}

#[test]
fn postgres_tests_run_or_say_they_skipped() {
    pg::say_if_skipped();
}

#[test]
fn the_booked_counter_is_not_raw_sql_s_to_write() {
    let Some((_db, mut c)) = fixture("counter") else { return };
    refused(&mut c, "UPDATE events SET booked = 0 WHERE id = 1", "only the booking triggers change it");
    refused(
        &mut c,
        "INSERT INTO events (title, starts_at, ends_at, capacity, booked, creator_id, created_at, updated_at)
              VALUES ('Pre-booked', 10, 20, 5, 3, 1, 0, 0)",
        "only the booking triggers change it",
    );
}

#[test]
fn history_details_must_be_json() {
    let Some((_db, mut c)) = fixture("rows") else { return };
    refused(
        &mut c,
        "INSERT INTO history (actor, action, object_kind, details, created_at) VALUES ('a', 'b', 'c', '{', 0)",
        "invalid input syntax for type json",
    );
}

/// Twelve sessions insert at once for the last three seats of event 2 under READ COMMITTED:
/// exactly three win, and the counter agrees.
#[test]
fn racing_raw_inserts_cannot_overbook() {
    let Some((db, mut c)) = fixture("race") else { return };
    c.batch_execute("UPDATE events SET capacity = 3 WHERE id = 2").expect("three seats");
    let url = Arc::new(db.url.clone());
    let start = Arc::new(Barrier::new(12));
    let racers: Vec<_> = (1..=12i64)
        .map(|attendee| {
            let (url, start) = (Arc::clone(&url), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut c = pg::connect(&url);
                start.wait();
                c.execute(
                    "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (2, $1, 0)",
                    &[&attendee],
                )
                .is_ok()
            })
        })
        .collect();
    let won = racers.into_iter().map(|r| r.join().expect("racer")).filter(|ok| *ok).count();
    assert_eq!(won, 3);
    let row = c
        .query_one(
            "SELECT booked, (SELECT count(*) FROM bookings WHERE event_id = 2 AND status = 'active') FROM events WHERE id = 2",
            &[],
        )
        .expect("count");
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (3, 3));
}

/// Each history insert notifies listeners, once per transaction, at commit.
#[test]
fn every_history_insert_notifies_at_commit() {
    let Some((db, mut c)) = fixture("notify") else { return };
    let mut listener = db.client();
    listener.batch_execute("LISTEN eventdesk").expect("listen");
    let mut tx = c.transaction().expect("begin");
    tx.batch_execute(
        "INSERT INTO history (actor, action, object_kind, created_at) VALUES ('a', 'b', 'c', 0);
         INSERT INTO history (actor, action, object_kind, created_at) VALUES ('a', 'b', 'c', 0);",
    )
    .expect("history");
    assert_eq!(listener.notifications().iter().count().expect("poll"), 0, "nothing before commit");
    tx.commit().expect("commit");
    let mut n = listener.notifications();
    let got =
        n.timeout_iter(std::time::Duration::from_secs(5)).next().expect("poll").expect("a notification");
    assert_eq!(got.channel(), "eventdesk");
    let ids: Vec<i64> =
        c.query("SELECT id FROM history ORDER BY id", &[]).expect("ids").iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [1, 2, 3], "history ids are dense");
}
