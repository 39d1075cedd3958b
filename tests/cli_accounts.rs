//! Signing in, permissions, validation messages, usage errors and the exit codes scripts
//! rely on, through the real binary.

mod common;

use chrono::{TimeDelta, Utc};
use common::{DESK, Desk, ORGANIZER, rfc3339};

fn add_event(desk: &Desk, title: &str, start: &str, end: &str, capacity: &str) -> common::Run {
    desk.organizer(&[
        "event",
        "add",
        "--title",
        title,
        "--start",
        start,
        "--end",
        end,
        "--capacity",
        capacity,
    ])
}

#[test]
fn a_wrong_password_is_refused_and_recorded() {
    let desk = Desk::new();
    desk.run_with(Some((ORGANIZER.0, "not-the-password")), &["event", "list", "--mine"])
        .fails(4, "wrong username or password");
    desk.run_with(Some(("nobody", "whatever-pw")), &["bookings"]).fails(4, "wrong username or password");
    assert_eq!(desk.count("SELECT count(*) FROM history WHERE action = 'login_failed'"), 2);
}

#[test]
fn five_failures_lock_the_account() {
    let desk = Desk::new();
    for _ in 0..5 {
        assert_eq!(desk.run_with(Some((DESK.0, "wrong-password")), &["bookings"]).code, 4);
    }
    let locked = desk.desk(&["bookings"]);
    assert_eq!(locked.code, 4, "{locked:?}");
    assert!(locked.stderr.starts_with("eventdesk: too many failed sign-ins; try again in "), "{locked:?}");
}

#[test]
fn without_a_password_or_terminal_nobody_is_signed_in() {
    let desk = Desk::new();
    desk.run_with(Some((DESK.0, "")), &["bookings"]).fails(4, "wrong username or password");
    let mut cmd = desk.command(None, &["bookings"]);
    cmd.env("EVENTDESK_USER", DESK.0);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "eventdesk: not signed in: set EVENTDESK_PASSWORD or run in a terminal\n"
    );
    desk.run(&["attendee", "list"]).fails(4, "not signed in: pass --user NAME or set EVENTDESK_USER");
}

#[test]
fn a_duplicate_username_is_refused() {
    let desk = Desk::new();
    let run =
        desk.run_with(Some(("", "another-password")), &["register", "--role", "desk", "--username", "OLGA"]);
    run.fails(3, "that username is taken; choose another");
    assert_eq!(desk.count("SELECT count(*) FROM operators"), 2);
}

#[test]
fn registration_reports_every_bad_field() {
    let desk = Desk::empty();
    assert_eq!(desk.run(&["init"]).code, 0);
    let run = desk.run_with(Some(("", "short")), &["register", "--role", "organizer", "--username", "x"]);
    assert_eq!(run.code, 3, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "eventdesk: username: 3–32 letters, digits, '.', '_' or '-'",
            "eventdesk: organization: required for organizers",
            "eventdesk: address: required for organizers",
            "eventdesk: password: at least 8 characters",
        ]
    );
    desk.run(&["register", "--role", "desk", "--username", "dana"])
        .fails(3, "password: set EVENTDESK_PASSWORD or run in a terminal");
}

#[test]
fn bad_event_fields_are_reported_one_line_each() {
    let desk = Desk::new();
    let long = "x".repeat(10_000);
    let run = add_event(&desk, &long, "2026-13-01 18:00", "2026-12-01 20:00", "0");
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "eventdesk: title: too long: 10000 characters, at most 200",
            "eventdesk: start: expected YYYY-MM-DD HH:MM (local time) or RFC 3339, e.g. 2026-12-01 18:00",
            "eventdesk: capacity: at least 1 seat",
        ]
    );
    let start = rfc3339(Utc::now() + TimeDelta::days(1));
    add_event(&desk, "Meetup", &start, &start, "0")
        .stderr
        .contains("eventdesk: end: the end must be after the start")
        .then_some(())
        .expect("end before start is reported");
    add_event(&desk, "Meetup", "2001-01-01 10:00", "2001-01-01 12:00", "5")
        .fails(3, "start: a new event must start in the future");
    assert_eq!(desk.count("SELECT count(*) FROM events"), 0);
}

#[test]
fn unknown_ids_are_refused() {
    let desk = Desk::new();
    desk.run(&["event", "show", "404"]).fails(3, "no event with id 404");
    desk.organizer(&["event", "edit", "404", "--title", "x"]).fails(3, "no event with id 404");
    desk.organizer(&["event", "delete", "404"]).fails(3, "no event with id 404");
    desk.desk(&["move", "404", "--to-event", "1"]).fails(3, "no booking with id 404");
    desk.desk(&["attendee", "edit", "404", "--name", "x"]).fails(3, "no attendee with id 404");
}

#[test]
fn usage_errors_exit_2() {
    let desk = Desk::new();
    for args in [
        &["event", "lisst"][..],
        &["bookings", "--status", "pending"],
        &["cancel", "seven"],
        &["event", "list", "--past", "--upcoming"],
        &["event", "edit", "1"],
        &["register", "--role", "admin", "--username", "abc"],
    ] {
        let run = desk.desk(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {run:?}");
    }
}

#[test]
fn check_passes_on_a_sound_file_and_fails_on_a_broken_count() {
    let desk = Desk::new();
    let event = desk.event(3);
    desk.book(event, desk.attendee(1));
    let ok = desk.run(&["check", "--json"]).json();
    assert_eq!(
        (ok["ok"].as_bool(), ok["events"].as_u64(), ok["bookings"].as_u64()),
        (Some(true), Some(1), Some(1))
    );
    // No trigger guards a direct write of the count, so a raw session can break it; check sees it.
    desk.sql().execute("UPDATE events SET booked = 2", []).unwrap();
    let broken = desk.run(&["check"]);
    assert_eq!(broken.code, 1, "{broken:?}");
    assert!(broken.stdout.contains("PROBLEMS"), "{broken:?}");
    assert_eq!(broken.stderr, "eventdesk: check failed: 1 problem\n");
}
