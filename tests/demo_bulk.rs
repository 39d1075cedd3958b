//! `eventdesk demo --events N --bookings M`: the large-database path through the real binary.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");

#[test]
fn demo_generates_a_large_database_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = |args: &[&str]| {
        Command::new(BIN).arg("--db").arg(&db).args(args).env("HOME", dir.path()).output().unwrap()
    };
    let out = run(&["demo", "--no-open", "--json", "--events", "40", "--bookings", "300"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let g = &v["generated"];
    assert_eq!(g["bookings"]["end"].as_i64().unwrap() - g["bookings"]["start"].as_i64().unwrap(), 300);
    assert_eq!(g["history_rows"], 1 + 40 + 300 + 300);
    assert!(run(&["check"]).status.success());
    // Generating again onto the same demo would double it: refused until --reset.
    let again = run(&["demo", "--no-open", "--events", "40"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--reset"));
    assert!(run(&["demo", "--no-open", "--reset", "--events", "10", "--bookings", "20"]).status.success());
}
