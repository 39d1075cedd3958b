//! The door's invariants are the schema's own, on both engines: raw SQL, bypassing the store,
//! cannot queue an attendee twice, check in a cancelled booking, stand two check-ins on one
//! booking, cancel or move a checked-in booking, or erase and rewrite the door's records.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::{Clock, NewAttendee, NewEvent, Role};
use eventdesk::store::{OpenOptions, Store};

on_both_engines!(
    an_attendee_waits_for_an_event_once_and_never_while_holding_a_seat,
    waiting_entries_are_append_only_and_never_deleted,
    a_check_in_needs_an_active_booking_and_stands_once,
    check_ins_are_append_only_and_never_deleted,
    a_checked_in_booking_keeps_its_seat,
    check_reports_what_only_a_switched_off_guard_lets_through,
);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// Ids the raw SQL below refers to.
struct Fixture {
    /// Full (capacity 1): `seated` holds its seat, checked in; `waiting` is on its list.
    event: i64,
    other: i64,
    seated: i64,
    waiting: i64,
    spare: i64,
    /// `seated`'s booking, checked in.
    booking: i64,
    /// A cancelled booking of `spare` on `other`.
    cancelled: i64,
}

fn fixture(db: &Db) -> Fixture {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "dave", Role::Desk);
    let event = |capacity| {
        let new = NewEvent {
            title: format!("Event {capacity}"),
            description: String::new(),
            starts_at: t0() + Duration::hours(1),
            ends_at: t0() + Duration::hours(3),
            capacity,
        };
        store.create_event(&org, &new).unwrap().id
    };
    let (full, other) = (event(1), event(5));
    let person = |n: u32| {
        let new =
            NewAttendee { name: format!("P{n}"), email: format!("p{n}@example.org"), phone: String::new() };
        store.add_attendee(&desk, &new).unwrap().id
    };
    let (seated, waiting, spare) = (person(1), person(2), person(3));
    let booking = store.book(&desk, full, seated).unwrap().booking.id;
    store.waitlist_add(&desk, full, waiting).unwrap();
    store.check_in(&desk, booking).unwrap();
    let cancelled = store.book(&desk, other, spare).unwrap().booking.id;
    store.cancel(&desk, cancelled).unwrap();
    Fixture { event: full, other, seated, waiting, spare, booking, cancelled }
}

/// Every row of the tables the door touches, as counts, so a refused statement is seen to
/// have changed nothing.
fn snapshot(db: &Db) -> Vec<i64> {
    [
        "SELECT count(*) FROM waitlist WHERE status = 'waiting'",
        "SELECT count(*) FROM waitlist",
        "SELECT count(*) FROM checkins WHERE undone_at IS NULL",
        "SELECT count(*) FROM checkins",
        "SELECT count(*) FROM bookings WHERE status = 'active'",
        "SELECT count(*) FROM bookings",
    ]
    .iter()
    .map(|sql| db.count(sql))
    .collect()
}

/// Runs `sql`, expects the schema to refuse it with a message containing `sqlite` or
/// `postgres` (by engine), and nothing to change.
fn refused(db: &Db, sql: &str, sqlite: &str, postgres: &str) {
    let before = snapshot(db);
    let err = db.execute(sql).expect_err(sql);
    let reason = if db.is_postgres() { postgres } else { sqlite };
    assert!(err.contains(reason), "{sql}: {err}");
    assert_eq!(snapshot(db), before, "{sql} changed something");
}

fn refused_alike(db: &Db, sql: &str, reason: &str) {
    refused(db, sql, reason, reason);
}

fn an_attendee_waits_for_an_event_once_and_never_while_holding_a_seat(db: &Db) {
    let f = fixture(db);
    let insert = |attendee: i64| {
        format!("INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES ({}, {attendee}, 0)", f.event)
    };
    refused(db, &insert(f.waiting), "UNIQUE constraint failed: waitlist", "waitlist_one_waiting");
    refused_alike(db, &insert(f.seated), "the attendee already holds a seat on this event");
    // Once the entry left the list, the attendee may queue again.
    db.execute(&format!(
        "UPDATE waitlist SET status = 'removed', left_at = 1 WHERE attendee_id = {}",
        f.waiting
    ))
    .unwrap();
    db.execute(&insert(f.waiting)).unwrap();
    assert_eq!(db.count("SELECT count(*) FROM waitlist"), 2);
}

fn waiting_entries_are_append_only_and_never_deleted(db: &Db) {
    let f = fixture(db);
    let append_only = "waiting-list entries are append-only; an entry leaves the list once";
    refused_alike(db, "UPDATE waitlist SET joined_at = joined_at + 1", append_only);
    refused_alike(db, &format!("UPDATE waitlist SET event_id = {}", f.other), append_only);
    refused_alike(db, "DELETE FROM waitlist", "waiting-list entries are never deleted");
    refused(
        db,
        "UPDATE waitlist SET status = 'promoted'",
        "CHECK constraint failed",
        "waitlist_left_when_not_waiting",
    );
    db.execute("UPDATE waitlist SET status = 'promoted', left_at = 1").unwrap();
    refused_alike(db, "UPDATE waitlist SET status = 'waiting', left_at = NULL", append_only);
    refused_alike(db, "UPDATE waitlist SET status = 'removed'", append_only);
    if db.is_postgres() {
        refused_alike(db, "TRUNCATE waitlist", "waiting-list entries are never deleted");
    }
}

fn a_check_in_needs_an_active_booking_and_stands_once(db: &Db) {
    let f = fixture(db);
    let insert = |booking: i64| {
        format!(
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES ({booking}, 0, 'raw')"
        )
    };
    refused_alike(db, &insert(f.cancelled), "only an active booking can be checked in");
    refused(db, &insert(f.booking), "UNIQUE constraint failed: checkins.booking_id", "checkins_one_standing");
    refused(
        db,
        &format!(
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by, undone_at) VALUES ({}, 0, 'raw', 1)",
            f.booking
        ),
        "CHECK constraint failed",
        "checkins_undone_by_someone",
    );
    // An undone check-in stays, and another may stand beside it.
    db.execute(&format!(
        "UPDATE checkins SET undone_at = 1, undone_by = 'raw' WHERE booking_id = {}",
        f.booking
    ))
    .unwrap();
    db.execute(&insert(f.booking)).unwrap();
    assert_eq!(db.count("SELECT count(*) FROM checkins"), 2);
    // Nor can a cancelled booking's attendee be checked in through a fresh row of theirs.
    refused_alike(db, &insert(f.cancelled), "only an active booking can be checked in");
    assert_eq!(db.count(&format!("SELECT count(*) FROM bookings WHERE attendee_id = {}", f.spare)), 1);
}

fn check_ins_are_append_only_and_never_deleted(db: &Db) {
    let f = fixture(db);
    let append_only = "check-ins are append-only; undo one by setting undone_at once";
    refused_alike(db, "UPDATE checkins SET checked_in_by = 'someone else'", append_only);
    refused_alike(db, "UPDATE checkins SET checked_in_at = 0", append_only);
    refused_alike(db, &format!("UPDATE checkins SET booking_id = {}", f.cancelled), append_only);
    refused_alike(db, "DELETE FROM checkins", "check-ins are never deleted; undo them");
    db.execute("UPDATE checkins SET undone_at = 1, undone_by = 'raw'").unwrap();
    refused_alike(db, "UPDATE checkins SET undone_at = NULL, undone_by = NULL", append_only);
    refused_alike(db, "UPDATE checkins SET undone_at = 2", append_only);
    if db.is_postgres() {
        refused_alike(db, "TRUNCATE checkins", "check-ins are never deleted");
    }
}

fn a_checked_in_booking_keeps_its_seat(db: &Db) {
    let f = fixture(db);
    let guard = "checked in: undo the check-in first";
    refused_alike(
        db,
        &format!("UPDATE bookings SET status = 'cancelled', cancelled_at = 1 WHERE id = {}", f.booking),
        guard,
    );
    refused_alike(db, &format!("UPDATE bookings SET event_id = {} WHERE id = {}", f.other, f.booking), guard);
    db.execute(&format!(
        "UPDATE checkins SET undone_at = 1, undone_by = 'raw' WHERE booking_id = {}",
        f.booking
    ))
    .unwrap();
    db.execute(&format!(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = 1 WHERE id = {}",
        f.booking
    ))
    .unwrap();
}

fn problems(db: &Db) -> Vec<String> {
    let store: Store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    store.check().unwrap().problems
}

fn check_reports_what_only_a_switched_off_guard_lets_through(db: &Db) {
    let f = fixture(db);
    assert!(problems(db).is_empty(), "{:?}", problems(db));
    // A raised capacity that promoted nobody: a seat free and someone waiting, before the start.
    db.execute(&format!("UPDATE events SET capacity = 2 WHERE id = {}", f.event)).unwrap();
    let found = problems(db);
    assert!(
        found.iter().any(|p| p.starts_with(&format!("event {}: 1 seat left and 1 waiting before the start", f.event))),
        "{found:?}"
    );
    // A check-in left standing on a cancelled booking, past a switched-off guard.
    let off = if db.is_postgres() {
        "ALTER TABLE bookings DISABLE TRIGGER bookings_checked_in_guard"
    } else {
        "DROP TRIGGER bookings_checked_in_guard"
    };
    db.execute(off).unwrap();
    db.execute(&format!(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = 1 WHERE id = {}",
        f.booking
    ))
    .unwrap();
    let found = problems(db);
    assert!(
        found.iter().any(|p| p == "check-ins: 1 check-in stands on a booking that is not active"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("bookings_checked_in_guard")),
        "the guard is reported too: {found:?}"
    );
    // Past a dropped guard: someone waiting who holds a seat.
    let off = if db.is_postgres() {
        "ALTER TABLE waitlist DISABLE TRIGGER waitlist_not_booked"
    } else {
        "DROP TRIGGER waitlist_not_booked"
    };
    db.execute(off).unwrap();
    db.execute(&format!(
        "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES ({}, {}, 0)",
        f.other, f.spare
    ))
    .unwrap();
    db.execute(&format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({}, {}, 0)",
        f.other, f.spare
    ))
    .unwrap();
    let found = problems(db);
    assert!(
        found.iter().any(|p| p.contains("1 waiting entry belongs to an attendee who already holds a seat")),
        "{found:?}"
    );
}
