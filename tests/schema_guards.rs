//! The schema keeps the invariants on its own: raw SQL on a migrated database, bypassing the
//! store, still cannot overbook, double-book, rewrite history or delete anything. Written once
//! and run on both engines; what only PostgreSQL has (its raw-SQL race, its counter guard,
//! LISTEN/NOTIFY) is in pg_schema_guards.rs.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/engines.rs"]
mod engines;

use engines::Db;
use eventdesk::store::{OpenOptions, Store};

on_both_engines!(
    an_overbooking_insert_is_refused,
    reactivating_or_moving_past_capacity_is_refused,
    a_second_active_booking_for_the_same_pair_is_refused,
    history_is_append_only,
    capacity_cannot_drop_below_the_active_bookings,
    nothing_is_ever_deleted,
    rows_must_make_sense,
);

/// A migrated database with event 1 (capacity 2) holding two bookings, spare attendees 3..=12,
/// event 2 (capacity 5) empty, and one history row: the same raw rows on either engine.
fn fixture(db: &Db) -> &Db {
    // Opening a store migrates the new database, as `eventdesk init` does.
    drop::<Store>(db.open(OpenOptions::default()));
    let mut attendees = String::new();
    for n in 1..=12 {
        attendees.push_str(&format!(
            "INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('A{n}', 'a{n}@example.org', 0, 0);\n"
        ));
    }
    db.execute(&format!(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Full', 10, 20, 2, 1, 0, 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Roomy', 10, 20, 5, 1, 0, 0);
         {attendees}
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 2, 0);
         INSERT INTO history (actor, action, object_kind, created_at) VALUES ('dora', 'book', 'booking', 0);"
    ))
    .unwrap();
    db
}

/// The words each engine uses for a CHECK constraint that failed.
fn check_failed(db: &Db) -> &'static str {
    if db.is_postgres() { "violates check constraint" } else { "CHECK constraint failed" }
}

/// Runs `sql`, expects the schema to refuse it with `reason`, and nothing to change.
fn refused(db: &Db, sql: &str, reason: &str) {
    let snapshot = || {
        (
            db.count("SELECT count(*) FROM bookings WHERE status = 'active'"),
            db.count("SELECT count(*) FROM bookings"),
            db.count("SELECT CAST(sum(booked) AS BIGINT) FROM events"),
            db.count("SELECT count(*) FROM history"),
        )
    };
    let before = snapshot();
    let err = db.execute(sql).expect_err(sql);
    assert!(err.contains(reason), "{sql}: {err}");
    assert_eq!(snapshot(), before, "{sql} changed something");
}

fn an_overbooking_insert_is_refused(db: &Db) {
    let db = fixture(db);
    refused(db, "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 3, 0)", "event full");
    // Six rows for five seats in one statement: all or nothing. (PostgreSQL runs its AFTER row
    // triggers at the end of the statement, so there it is the CHECK on the counter that
    // refuses; SQLite's row trigger refuses the sixth row.)
    let reason = if db.is_postgres() { "\"events_full\"" } else { "event full" };
    refused(
        db,
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (2, 3, 0), (2, 4, 0), (2, 5, 0), (2, 6, 0), (2, 7, 0), (2, 8, 0)",
        reason,
    );
}

fn reactivating_or_moving_past_capacity_is_refused(db: &Db) {
    let db = fixture(db);
    db.execute("INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (2, 3, 0)").unwrap();
    refused(db, "UPDATE bookings SET event_id = 1 WHERE attendee_id = 3", "event full");
    db.execute("UPDATE bookings SET status = 'cancelled', cancelled_at = 1 WHERE attendee_id = 3").unwrap();
    db.execute("UPDATE bookings SET event_id = 1 WHERE attendee_id = 3")
        .expect("a cancelled booking may move");
    refused(db, "UPDATE bookings SET status = 'active' WHERE attendee_id = 3", "event full");
}

fn a_second_active_booking_for_the_same_pair_is_refused(db: &Db) {
    let db = fixture(db);
    db.execute("UPDATE events SET capacity = 5 WHERE id = 1").unwrap();
    let reason = if db.is_postgres() { "\"bookings_one_active\"" } else { "UNIQUE constraint failed" };
    refused(db, "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0)", reason);
}

fn history_is_append_only(db: &Db) {
    let db = fixture(db);
    refused(db, "UPDATE history SET actor = 'someone else'", "history is append-only");
    refused(db, "DELETE FROM history", "history is append-only");
    if db.is_postgres() {
        // SQLite has no TRUNCATE; its DELETE without WHERE is the same statement and refused above.
        refused(db, "TRUNCATE history", "history is append-only");
    }
}

fn capacity_cannot_drop_below_the_active_bookings(db: &Db) {
    let db = fixture(db);
    refused(db, "UPDATE events SET capacity = 1 WHERE id = 1", "capacity below active bookings");
    refused(db, "UPDATE events SET capacity = 0 WHERE id = 2", check_failed(db));
    assert_eq!(db.count("SELECT capacity FROM events WHERE id = 1"), 2);
}

fn nothing_is_ever_deleted(db: &Db) {
    let db = fixture(db);
    refused(db, "DELETE FROM bookings", "bookings are never deleted");
    refused(db, "DELETE FROM events", "events are never deleted");
    if db.is_postgres() {
        // CASCADE: the check-ins refer to the bookings, and would refuse a plain TRUNCATE first.
        refused(db, "TRUNCATE bookings CASCADE", "bookings are never deleted");
        refused(db, "TRUNCATE events CASCADE", "events are never deleted");
    }
}

fn rows_must_make_sense(db: &Db) {
    let db = fixture(db);
    refused(db, "UPDATE events SET ends_at = starts_at", check_failed(db));
    refused(db, "UPDATE bookings SET status = 'maybe'", check_failed(db));
    refused(db, "UPDATE operators SET role = 'admin'", check_failed(db));
}
