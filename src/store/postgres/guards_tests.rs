use std::time::Duration;

use postgres::Client;

use super::super::config::PgConfig;
use super::super::connect::connect;
use super::super::error::map;
use super::super::migrate::migrate;
use super::super::test_pg::TestDb;
use super::*;
use crate::model::Error;

/// A migrated database: event 1 (capacity 2) holds attendees 1 and 2, attendee 3 is spare,
/// event 2 (capacity 3) is empty, and one history row exists.
fn fixture(db: &TestDb) -> Client {
    let config = PgConfig::parse(&db.url).expect("test URL");
    let mut c = connect(&config, Duration::from_secs(10)).expect("connect");
    migrate(&mut c).expect("migrate");
    c.batch_execute(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Full', 10, 20, 2, 1, 0, 0), ('Empty', 10, 20, 3, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at)
              VALUES ('Ana', 'ana@example.org', 0, 0), ('Bo', 'bo@example.org', 0, 0), ('Cy', 'cy@example.org', 0, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 1, 0), (1, 2, 0);
         INSERT INTO history (actor, action, object_kind, created_at) VALUES ('dora', 'book', 'booking', 0);",
    )
    .expect("fixture rows");
    c
}

/// The SQL that makes each guard fire on the fixture.
fn provoke(name: &str) -> &'static str {
    match name {
        "bookings_capacity_guard" => {
            "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 3, 0)"
        }
        // Past the trigger, the CHECK on the counter is what still refuses.
        "events_full" => {
            "ALTER TABLE bookings DISABLE TRIGGER bookings_guard_insert;
             INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 3, 0)"
        }
        "bookings_one_active" => {
            "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (2, 1, 0), (2, 1, 0)"
        }
        "operators_username_unique" => {
            "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('DORA', 'x', 'desk', 'D', 0)"
        }
        "attendees_email_unique" => {
            "INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('A', 'ANA@example.org', 0, 0)"
        }
        "events_capacity_guard" => "UPDATE events SET capacity = 1 WHERE id = 1",
        "events_booked_guard" => "UPDATE events SET booked = 0 WHERE id = 1",
        "bookings_never_deleted" => "DELETE FROM bookings",
        "events_never_deleted" => "DELETE FROM events",
        "history_append_only" => "UPDATE history SET actor = 'someone else'",
        "waitlist_one_waiting" => {
            "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 3, 0), (1, 3, 0)"
        }
        "waitlist_not_booked" => "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 1, 0)",
        "waitlist_append_only" => {
            "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 3, 0);
             UPDATE waitlist SET joined_at = 5"
        }
        "waitlist_never_deleted" => {
            "INSERT INTO waitlist (event_id, attendee_id, joined_at) VALUES (1, 3, 0); DELETE FROM waitlist"
        }
        "checkins_one_standing" => {
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES (1, 0, 'd'), (1, 0, 'd')"
        }
        "checkins_active_booking" => {
            "INSERT INTO bookings (event_id, attendee_id, status, booked_at, cancelled_at)
                  VALUES (2, 3, 'cancelled', 0, 0);
             INSERT INTO checkins (booking_id, checked_in_at, checked_in_by)
                  SELECT id, 0, 'd' FROM bookings WHERE status = 'cancelled'"
        }
        "checkins_append_only" => {
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES (1, 0, 'd');
             UPDATE checkins SET checked_in_by = 'someone else'"
        }
        "checkins_never_deleted" => {
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES (1, 0, 'd');
             DELETE FROM checkins"
        }
        "bookings_checked_in_guard" => {
            "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by) VALUES (1, 0, 'd');
             UPDATE bookings SET status = 'cancelled', cancelled_at = 0 WHERE id = 1"
        }
        other => panic!("no SQL provokes the guard {other}: add it here"),
    }
}

#[test]
fn every_guard_exists_and_raising_it_maps_back() {
    let Some(db) = TestDb::create("guards") else { return };
    for g in GUARDS {
        let mut c = fixture(&db);
        let mut tx = c.transaction().expect("begin");
        let err = tx.batch_execute(provoke(g.name)).expect_err(g.name);
        let server = err.as_db_error().unwrap_or_else(|| panic!("{}: not a server error: {err}", g.name));
        assert_eq!(guard(server).map(|found| found.name), Some(g.name), "{}: {server}", g.name);
        let mapped = map(&err, "test");
        match g.refusal {
            Some(make) => assert_eq!(mapped, Error::Refused(make(server)), "{}", g.name),
            None => assert!(
                matches!(&mapped, Error::Storage(m) if m.starts_with("refused by the database: ")),
                "{}: {mapped:?}",
                g.name
            ),
        }
        drop(tx);
        db.client().batch_execute(RESET).expect("reset");
    }
}

/// Back to an empty schema for the next guard (the guards refuse DELETE, so drop and redo).
const RESET: &str = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;";

#[test]
fn the_refusals_are_the_ones_the_rules_give() {
    let Some(db) = TestDb::create("refusals") else { return };
    let mut c = fixture(&db);
    let mut refusal = |sql: &str| {
        let err = c.batch_execute(sql).expect_err(sql);
        map(&err, "test").refusal().cloned()
    };
    assert_eq!(refusal(provoke("bookings_capacity_guard")), Some(Refusal::EventFull));
    assert_eq!(refusal(provoke("events_capacity_guard")), Some(Refusal::CapacityBelowBooked { booked: 2 }));
    assert_eq!(refusal(provoke("bookings_one_active")), Some(Refusal::AlreadyBooked));
    assert_eq!(refusal(provoke("operators_username_unique")), Some(Refusal::UsernameTaken));
    assert_eq!(refusal(provoke("attendees_email_unique")), Some(Refusal::EmailTaken));
    assert_eq!(refusal(provoke("waitlist_one_waiting")), Some(Refusal::AlreadyWaiting));
    assert_eq!(refusal(provoke("waitlist_not_booked")), Some(Refusal::AlreadyBooked));
    assert_eq!(refusal(provoke("checkins_active_booking")), Some(Refusal::BookingCancelled));
    assert_eq!(refusal(provoke("bookings_checked_in_guard")), Some(Refusal::CheckedIn));
}

/// Every name the schema raises under, or a unique index, is in the table: a new guard cannot
/// be added to the SQL and forgotten here.
#[test]
fn the_table_names_every_guard_in_the_schema() {
    let sql: String = super::super::migrate::MIGRATIONS.iter().map(|(_, sql)| *sql).collect();
    let mut named: Vec<&str> = Vec::new();
    for marker in ["CONSTRAINT = '", "refuse_delete('", "CREATE UNIQUE INDEX ", "CONSTRAINT events_full"] {
        for (at, _) in sql.match_indices(marker) {
            let rest = &sql[at + marker.len()..];
            let name = if marker.starts_with("CONSTRAINT events") {
                "events_full"
            } else {
                rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default()
            };
            named.push(name);
        }
    }
    for name in &named {
        assert!(GUARDS.iter().any(|g| g.name == *name), "the schema raises {name}, the guard table lacks it");
    }
    for g in GUARDS {
        assert!(named.contains(&g.name), "the guard table names {}, the schema no longer has it", g.name);
    }
}
