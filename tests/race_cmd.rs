//! `eventdesk race` through the real binary: N processes released at once, exactly K winners.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use std::process::Command;

use chrono::{Duration, Utc};
use eventdesk::model::{NewAttendee, NewEvent, NewOperator, Role};
use eventdesk::store::Store;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");

fn race(args: &[&str], envs: &[(&str, &str)]) -> Value {
    let out =
        Command::new(BIN).arg("race").args(args).arg("--json").envs(envs.iter().copied()).output().unwrap();
    assert!(out.status.success(), "race failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_round(round: &Value, winners: usize, full: u64) {
    assert_eq!(round["winners"].as_array().unwrap().len(), winners, "{round}");
    assert_eq!(round["full"], full, "{round}");
    assert_eq!(round["other"].as_array().unwrap().len(), 0, "{round}");
    assert_eq!(round["check_problems"].as_array().unwrap().len(), 0, "{round}");
    assert!(round["booked_after"].as_u64().unwrap() <= round["capacity"].as_u64().unwrap());
    assert_eq!(round["ok"], true);
}

#[test]
fn scratch_race_has_exactly_k_winners_every_round() {
    let report = race(&["--procs", "8", "--seats", "3", "--rounds", "3"], &[]);
    let rounds = report["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3);
    for round in rounds {
        assert_round(round, 3, 5);
    }
    assert_eq!(
        (report["booked"].clone(), report["full"].clone(), report["other"].clone()),
        (9.into(), 15.into(), 0.into())
    );
    assert_eq!(report["latency"]["samples"], 24);
    assert!(report["latency"]["max_ms"].as_f64().unwrap() >= report["latency"]["p50_ms"].as_f64().unwrap());
}

/// A database with a desk account "dora" and a 4-seat event already holding 2 bookings.
fn half_full_event(db: &std::path::Path) -> (Store, i64) {
    let store = Store::open(db).unwrap();
    let new = |username: &str, role| NewOperator {
        username: username.into(),
        password: "password-123".into(),
        role: Some(role),
        organization: "Org".into(),
        address: "Street 1".into(),
        ..Default::default()
    };
    store.register(&new("olga", Role::Organizer)).unwrap();
    store.register(&new("dora", Role::Desk)).unwrap();
    let org = store.authenticate("olga", "password-123").unwrap();
    let start = Utc::now() + Duration::days(3);
    let event = NewEvent {
        title: "Last seats".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + Duration::hours(1),
        capacity: 4,
    };
    let id = store.create_event(&org, &event).unwrap().id;
    for i in 0..2 {
        let early = NewAttendee {
            name: format!("Early {i}"),
            email: format!("early{i}@x.org"),
            phone: String::new(),
        };
        let a = store.add_attendee(&org, &early).unwrap();
        store.book(&org, id, a.id).unwrap();
    }
    (store, id)
}

#[test]
fn race_on_a_given_event_takes_only_the_seats_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.db");
    let (store, event) = half_full_event(&db);
    let id = event.to_string();
    let report = race(
        &["--procs", "6", "--event", &id, "--db", db.to_str().unwrap(), "--user", "dora"],
        &[("EVENTDESK_PASSWORD", "password-123")],
    );
    assert_round(&report["rounds"][0], 2, 4);
    assert_eq!(store.event(event).unwrap().booked, 4);
    assert!(store.check().unwrap().is_ok());
}
