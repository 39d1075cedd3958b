//! Two real terminals (tmux) race for the last seat through the keyboard: exactly one books it,
//! the other is told the event is full, and both screens then show it full. A CLI booking from a
//! third process then appears on both screens without a keypress.
//!
//! Runs on both engines: on PostgreSQL the other desk's changes arrive by LISTEN/NOTIFY.
//!
//! tmux is required: without it this test fails with a message instead of passing silently.

#[path = "support/desks.rs"]
mod desks;
#[path = "support/engines.rs"]
mod engines;
#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;
use std::time::Duration;

use desks::{BIN, attendee, cli, event_in, start_app, venue};
use engines::Db;
use tmux::Tmux;

on_both_engines!(two_terminals_race_for_the_last_seat_and_see_a_cli_booking_live);

/// The list half (the detail pane cut off) of the first screen row whose list part names `title`.
fn list_row(screen: &str, title: &str) -> Option<String> {
    // The list's width in the 120×40 session, from the layout the app draws with.
    let size = ratatui::layout::Rect::new(0, 0, 120, 40);
    let width = usize::from(eventdesk::app::layout::Areas::new(size).list.width);
    screen.lines().map(|l| l.chars().take(width).collect::<String>()).find(|l| l.contains(title))
}

fn shows(screen: &str, title: &str, fill: &str) -> bool {
    list_row(screen, title).is_some_and(|row| row.contains(fill))
}

struct Setup {
    db: String,
    other_event: String,
}

fn setup(on: &Db) -> Setup {
    let help = Command::new(BIN).arg("--help").output().expect("run eventdesk --help");
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("register"),
        "{BIN} has no CLI commands: this test needs the `cli` branch merged (it drives the CLI)"
    );
    let db = engines::arg(&on.location);
    venue(&db, &["desk1", "desk2"]);
    event_in(&db, 30, "Last Seat", "1");
    let other_event = event_in(&db, 30, "Other Event", "10");
    for who in ["Ana Ruiz", "Ben Ito", "Cleo Park"] {
        attendee(&db, who);
    }
    Setup { db, other_event }
}

const TERMINALS: [(&str, &str, &str); 2] = [("t1", "desk1", "Ana"), ("t2", "desk2", "Ben")];

/// Each terminal signs in, selects "Last Seat" (it starts first), presses `b` and searches
/// its own attendee, stopping just before the Enter that books.
fn ready_to_book(tmux: &Tmux) {
    for (name, user, who) in TERMINALS {
        tmux.wait(name, Duration::from_secs(10), "the events tab", |sc| {
            sc.contains(&format!("signed in as {user}")) && shows(sc, "Last Seat", "0/1")
        });
        tmux.keys(name, &["b"]);
        tmux.wait(name, Duration::from_secs(5), "the attendee picker", |sc| {
            sc.contains("choose an attendee")
        });
        tmux.text(name, who);
        tmux.wait(name, Duration::from_secs(5), "one matching attendee", |sc| sc.contains("1 of 1"));
    }
}

/// The status line says "Booked Ana Ruiz on Last Seat — 0 seats left" to the winner.
fn won(screen: &str) -> bool {
    screen.lines().any(|l| l.trim_start().starts_with("Booked ") && l.contains("on Last Seat"))
}

fn lost(screen: &str) -> bool {
    screen.contains("Last Seat is full")
}

fn two_terminals_race_for_the_last_seat_and_see_a_cli_booking_live(db: &Db) {
    let tmux = Tmux::new("race");
    let s = setup(db);
    for (name, user, _) in TERMINALS {
        start_app(&tmux, name, &s.db, user);
    }
    ready_to_book(&tmux);
    // Both Enters in one tmux command, so they land as close together as tmux allows.
    let out = tmux.run(&["send-keys", "-t", "t1", "Enter", ";", "send-keys", "-t", "t2", "Enter"]);
    assert!(out.status.success(), "send both Enters");

    let settle = Duration::from_secs(10);
    let screens: Vec<String> = TERMINALS
        .iter()
        .map(|(n, ..)| tmux.wait(n, settle, "an outcome", |sc| won(sc) || lost(sc)))
        .collect();
    let outcome = (screens.iter().filter(|sc| won(sc)).count(), screens.iter().filter(|sc| lost(sc)).count());
    assert_eq!(outcome, (1, 1), "one books, the other is told full:\n{}\n{}", screens[0], screens[1]);
    for (name, ..) in TERMINALS {
        tmux.wait(name, Duration::from_secs(1), "Last Seat shown full", |sc| shows(sc, "Last Seat", "1/1"));
    }

    cli(&s.db, Some("olga"), &["book", "--event", &s.other_event, "--attendee", "cleo@example.org"]);
    for (name, ..) in TERMINALS {
        tmux.wait(name, Duration::from_secs(1), "the CLI booking, without a keypress", |sc| {
            shows(sc, "Other Event", "1/10")
        });
    }
}

/// PostgreSQL only: the server drops the app's sessions (as a restart would). The desk is told
/// in one line, nothing is half-written, and the next action reconnects and books.
#[test]
fn a_dropped_server_connection_is_one_line_and_the_next_action_reconnects() {
    let Some(db) = Db::postgres("tmux_reconnect") else { return };
    let tmux = Tmux::new("reconnect");
    let s = setup(&db);
    start_app(&tmux, "t1", &s.db, "desk1");
    tmux.wait("t1", Duration::from_secs(10), "the events tab", |sc| shows(sc, "Last Seat", "0/1"));
    let dropped = engines::count(
        &db.location,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    assert!(dropped >= 1, "the app had a session to drop");
    tmux.wait("t1", Duration::from_secs(3), "one line about the lost connection", |sc| {
        sc.contains("lost the connection to the database server")
    });
    tmux.keys("t1", &["b"]);
    tmux.wait("t1", Duration::from_secs(5), "the attendee picker", |sc| sc.contains("choose an attendee"));
    tmux.text("t1", "Ana");
    tmux.wait("t1", Duration::from_secs(5), "one matching attendee", |sc| sc.contains("1 of 1"));
    tmux.keys("t1", &["Enter"]);
    tmux.wait("t1", Duration::from_secs(5), "the booking, on a new session", won);
    let active = "SELECT count(*) FROM bookings b JOIN events e ON e.id = b.event_id
                  WHERE e.title = 'Last Seat' AND b.status = 'active'";
    assert_eq!(engines::count(&db.location, active), 1);
}
