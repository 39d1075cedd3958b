//! The schema keeps the invariants on its own: raw SQL on a migrated file, bypassing the store,
//! still cannot overbook, double-book, rewrite history or delete anything.

mod common;

use common::Desk;
use rusqlite::Connection;

/// A migrated file with one event of capacity 2 holding two bookings, and a third attendee.
struct Fixture {
    desk: Desk,
    event: i64,
    spare: i64,
}

fn fixture() -> Fixture {
    let desk = Desk::new();
    let event = desk.event(2);
    for n in 1..=2 {
        desk.book(event, desk.attendee(n));
    }
    let spare = desk.attendee(3);
    Fixture { desk, event, spare }
}

/// Runs `sql`, expects the schema to refuse it with `reason`, and the counts to be unchanged.
fn refused(conn: &Connection, sql: &str, reason: &str) {
    let snapshot = |c: &Connection| -> (i64, i64, i64, i64) {
        c.query_row(
            "SELECT (SELECT count(*) FROM bookings WHERE status = 'active'), (SELECT count(*) FROM bookings),
                    (SELECT sum(booked) FROM events), (SELECT count(*) FROM history)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("snapshot counts")
    };
    let before = snapshot(conn);
    let err = conn.execute_batch(sql).expect_err(sql).to_string();
    assert!(err.contains(reason), "{sql}: {err}");
    assert_eq!(snapshot(conn), before, "{sql} changed something");
}

#[test]
fn an_overbooking_insert_is_refused() {
    let f = fixture();
    let sql = format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({}, {}, 0)",
        f.event, f.spare
    );
    refused(&f.desk.sql(), &sql, "event full");
}

#[test]
fn reactivating_or_moving_past_capacity_is_refused() {
    let f = fixture();
    let conn = f.desk.sql();
    let other = f.desk.event(5);
    let id = f.desk.book(other, f.spare);
    refused(&conn, &format!("UPDATE bookings SET event_id = {} WHERE id = {id}", f.event), "event full");
    f.desk.desk(&["cancel", &id.to_string()]);
    conn.execute_batch(&format!("UPDATE bookings SET event_id = {} WHERE id = {id}", f.event)).unwrap();
    refused(&conn, &format!("UPDATE bookings SET status = 'active' WHERE id = {id}"), "event full");
}

#[test]
fn a_second_active_booking_for_the_same_pair_is_refused() {
    let f = fixture();
    let conn = f.desk.sql();
    conn.execute_batch(&format!("UPDATE events SET capacity = 5 WHERE id = {}", f.event)).unwrap();
    let attendee: i64 = conn.query_row("SELECT attendee_id FROM bookings LIMIT 1", [], |r| r.get(0)).unwrap();
    let sql = format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({}, {attendee}, 0)",
        f.event
    );
    refused(&conn, &sql, "UNIQUE constraint failed");
}

#[test]
fn history_is_append_only() {
    let f = fixture();
    let conn = f.desk.sql();
    refused(&conn, "UPDATE history SET actor = 'someone else'", "history is append-only");
    refused(&conn, "DELETE FROM history", "history is append-only");
}

#[test]
fn capacity_cannot_drop_below_the_active_bookings() {
    let f = fixture();
    let conn = f.desk.sql();
    refused(
        &conn,
        &format!("UPDATE events SET capacity = 1 WHERE id = {}", f.event),
        "capacity below active bookings",
    );
    let empty = f.desk.event(3);
    refused(&conn, &format!("UPDATE events SET capacity = 0 WHERE id = {empty}"), "CHECK constraint failed");
    let capacity: i64 =
        conn.query_row("SELECT capacity FROM events WHERE id = ?", [f.event], |r| r.get(0)).unwrap();
    assert_eq!(capacity, 2);
}

#[test]
fn nothing_is_ever_deleted() {
    let f = fixture();
    let conn = f.desk.sql();
    refused(&conn, "DELETE FROM bookings", "bookings are never deleted");
    refused(&conn, "DELETE FROM events", "events are never deleted");
}

#[test]
fn rows_must_make_sense() {
    let f = fixture();
    let conn = f.desk.sql();
    refused(&conn, "UPDATE events SET ends_at = starts_at", "CHECK constraint failed");
    refused(&conn, "UPDATE bookings SET status = 'maybe'", "CHECK constraint failed");
}
