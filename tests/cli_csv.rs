//! `--csv` on every list, through the real binary: parsed back with the csv crate, its header
//! is the `--json` field names in order, and each cell holds the JSON value.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

mod common;

use common::Desk;
use eventdesk::store::{BulkSpec, Store};
use serde_json::Value;

/// The keys of the first object in a JSON array, in the order the text has them.
fn json_keys_in_order(text: &str, first: &Value) -> Vec<String> {
    let mut keys: Vec<(usize, String)> = first
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (text.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

/// What a JSON value looks like as a CSV cell.
fn as_cell(v: &Value) -> String {
    let text = match v {
        Value::Null => return String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let guarded = matches!(v, Value::String(_) | Value::Object(_))
        && text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if guarded { format!("'{text}") } else { text }
}

/// Runs a list with `--json` and with `--csv` and checks one against the other.
fn same_list(desk: &Desk, args: &[&str]) -> usize {
    let json_run = desk.desk(&[args, &["--json"]].concat());
    let json = json_run.json();
    let rows = json.as_array().unwrap();
    let csv_run = desk.desk(&[args, &["--csv"]].concat());
    assert_eq!(csv_run.code, 0, "{csv_run:?}");
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert!(!rows.is_empty(), "{args:?} needs rows to compare");
    assert_eq!(header, json_keys_in_order(&json_run.stdout, &rows[0]), "{args:?}: header = JSON keys");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len(), "{args:?}");
    for (record, row) in records.iter().zip(rows) {
        for (name, cell) in header.iter().zip(record) {
            assert_eq!(cell, as_cell(&row[name.as_str()]), "{args:?} {name}");
        }
    }
    rows.len()
}

#[test]
fn every_list_exports_as_the_json_says() {
    let desk = Desk::new();
    let event = desk.event(5);
    let tricky = "=SUM(A1), \"quoted\"\nsecond line\tand a tab — 日本";
    let run = desk.organizer(&["event", "edit", &event.to_string(), "--description", tricky]);
    assert_eq!(run.code, 0, "{run:?}");
    let marta = desk
        .desk(&[
            "attendee",
            "add",
            "--name",
            "Marta Kowalczyk",
            "--email",
            "m@example.org",
            "--phone",
            "+48 600 100 200",
            "--json",
        ])
        .json();
    let marta = marta["id"].as_i64().unwrap();
    desk.book(event, marta);
    let other = desk.book(event, desk.attendee(2));
    desk.desk(&["cancel", &other.to_string()]);
    assert_eq!(same_list(&desk, &["event", "list"]), 1);
    assert_eq!(same_list(&desk, &["attendee", "list"]), 2);
    assert_eq!(same_list(&desk, &["bookings"]), 2);
    assert!(same_list(&desk, &["history"]) >= 7);

    let csv = desk.desk(&["event", "list", "--csv"]).stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[2], format!("'{tricky}"), "the description survives whole, guarded");
    assert!(csv.contains(",5,1,4,1,"), "capacity, booked, seats left and creator are bare numbers: {csv}");
}

#[test]
fn csv_and_json_together_is_a_usage_error() {
    let desk = Desk::new();
    for args in [
        &["event", "list", "--csv", "--json"][..],
        &["--json", "history", "--csv"],
        &["bookings", "--json", "--csv"],
    ] {
        let run = desk.desk(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("cannot be used with"), "{run:?}");
        assert!(run.stdout.is_empty());
    }
    let run = desk.desk(&["book", "--event", "1", "--attendee", "1", "--csv"]);
    assert_eq!(run.code, 2, "--csv is only for lists: {run:?}");
}

#[test]
fn an_empty_list_has_just_the_header_and_history_kinds_are_checked() {
    let desk = Desk::new();
    let run = desk.desk(&["bookings", "--csv"]);
    assert_eq!(
        run.stdout,
        "id,event_id,attendee_id,status,booked_at,cancelled_at,attendee_name,attendee_email,event_title,event_start,seats_left,checked_in_at,checked_in_by\n"
    );
    let bad = desk.desk(&["history", "--kind", "seat", "--csv"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("[possible values: operator, attendee, event, booking, waitlist]"),
        "{bad:?}"
    );
}

#[test]
fn a_long_list_streams_every_page() {
    let desk = Desk::new();
    let store = Store::open(desk.path()).unwrap();
    store.generate(&BulkSpec { organizers: 1, events: 2, attendees: 6_001, bookings: 6_001 }).unwrap();
    drop(store);
    let run = desk.desk(&["attendee", "list", "--csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let ids: std::collections::HashSet<i64> =
        reader.records().map(|r| r.unwrap()[0].parse().unwrap()).collect();
    assert_eq!(ids.len(), 6_001, "more than one 5 000-row page, each row once");
    let bookings = desk.desk(&["bookings", "--csv"]);
    let mut reader = csv::Reader::from_reader(bookings.stdout.as_bytes());
    let ids: Vec<i64> = reader.records().map(|r| r.unwrap()[0].parse().unwrap()).collect();
    assert_eq!(ids.len(), 6_001, "bookings page by id across pages: {}", bookings.stderr);
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, each once");
    let history = desk.desk(&["history", "--csv", "--limit", "5002", "--action", "book"]);
    assert_eq!(history.stdout.lines().count(), 5_003, "header + limit across two pages");
}
