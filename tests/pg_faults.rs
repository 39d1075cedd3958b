//! PostgreSQL faults under load: the server drops every session again and again while a desk
//! books in a loop. Each booking either succeeds or fails with the one "lost the connection"
//! line; every booking reported as made is in the database with its history row, the counters
//! match, and `check` passes. Skips without EVENTDESK_TEST_PG (fails under CI=true).

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use engines::Db;
use eventdesk::model::{Error, NewAttendee, NewEvent, Role};
use eventdesk::store::{Location, Store};

const ATTENDEES: usize = 120;

#[test]
fn sessions_dropped_under_a_booking_loop_lose_nothing() {
    let Some(db) = Db::postgres("dropped_loop") else { return };
    let store = Store::open(&db.location).unwrap();
    let organizer = accounts::register(&store, "olga", Role::Organizer);
    let start = Utc::now() + chrono::Duration::days(1);
    let new = NewEvent {
        title: "Dropped".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + chrono::Duration::hours(2),
        capacity: 1_000,
    };
    let event = store.create_event(&organizer, &new).unwrap().id;
    let attendees: Vec<i64> = (0..ATTENDEES)
        .map(|n| {
            let new = NewAttendee {
                name: format!("P {n}"),
                email: format!("p{n}@example.org"),
                ..Default::default()
            };
            store.add_attendee(&organizer, &new).unwrap().id
        })
        .collect();
    let done = AtomicBool::new(false);
    let (mut booked, mut lost) = (Vec::new(), 0);
    std::thread::scope(|s| {
        s.spawn(|| {
            let Location::Postgres(url) = &db.location else { unreachable!("a server database") };
            let mut admin = engines::pg::connect(url);
            while !done.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(40));
                // A session that is just closing can fail the call; the next round drops it.
                let _ = admin.batch_execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                );
            }
        });
        for &a in &attendees {
            match store.book(&organizer, event, a) {
                Ok(row) => booked.push(row.booking.id),
                Err(Error::Storage(line))
                    if line.starts_with("lost the connection to the database server") =>
                {
                    lost += 1;
                }
                Err(other) => panic!("booking {a}: unexpected error {other:?}"),
            }
        }
        done.store(true, Ordering::SeqCst);
    });
    // Reconnects on the next call, whatever the last one met.
    let report = store.check().or_else(|_| store.check()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(!booked.is_empty(), "some bookings went through between the drops");
    for id in &booked {
        let n = engines::count(
            &db.location,
            &format!(
                "SELECT count(*) FROM history WHERE object_kind = 'booking' AND object_id = {id} AND action = 'book'"
            ),
        );
        assert_eq!(n, 1, "booking {id} was reported made: it and its history row are there");
    }
    let active = engines::count(&db.location, "SELECT count(*) FROM bookings WHERE status = 'active'");
    // A booking whose COMMIT went out just before the drop may be in the database although
    // its desk heard "lost the connection": never fewer than reported, never more than tried.
    assert!(
        active >= booked.len() as i64 && active <= ATTENDEES as i64,
        "{active} active, {} reported",
        booked.len()
    );
    let counter = engines::count(&db.location, &format!("SELECT booked FROM events WHERE id = {event}"));
    assert_eq!(counter, active, "the counter matches the bookings");
    println!("{} booked, {lost} lost-connection refusals", booked.len());
}
