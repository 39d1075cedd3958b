//! What a desk sees is what it acts on, in a real terminal (tmux): desk A highlights an event
//! in the `b` picker, another process adds an event that sorts above it, and A's Enter books
//! the event A highlighted, not the one now at its row number.
//!
//! tmux is required: without it this test fails with a message instead of passing silently.

#[path = "support/engines.rs"]
mod engines;
#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;
use std::time::Duration;

use engines::Db;
use tmux::Tmux;

on_both_engines!(enter_in_the_picker_books_the_highlighted_event_after_one_is_added_above);

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");
const PASSWORD: &str = "correct horse battery";
const LEGAL: &str = "Startup Legal Q&A";

fn cli(db: &str, user: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("EVENTDESK_PASSWORD", PASSWORD).env("EVENTDESK_DB", db);
    match user {
        Some(u) => cmd.env("EVENTDESK_USER", u),
        None => cmd.env_remove("EVENTDESK_USER"),
    };
    let out = cmd.output().expect("run eventdesk");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "eventdesk {args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Adds an event `days` from now (real time: the app under test runs on the system clock).
fn event(db: &str, title: &str, days: i64) {
    let day = (chrono::Local::now() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let (start, end) = (format!("{day} 18:00"), format!("{day} 20:00"));
    cli(
        db,
        Some("olga"),
        &["event", "add", "--title", title, "--start", &start, "--end", &end, "--capacity", "5"],
    );
}

/// The picker row of `title` carries the highlight marker.
fn highlighted(screen: &str, title: &str) -> bool {
    screen.lines().any(|l| l.contains(title) && l.contains('▶'))
}

fn enter_in_the_picker_books_the_highlighted_event_after_one_is_added_above(db: &Db) {
    let tmux = Tmux::new("identity");
    let db = engines::arg(&db.location);
    let organizer = "register --role organizer --username olga --org Acme --address Main-Street-1";
    cli(&db, None, &organizer.split(' ').collect::<Vec<_>>());
    cli(&db, None, &["register", "--role", "desk", "--username", "desk1"]);
    event(&db, "Alpha Night", 30);
    event(&db, LEGAL, 31);
    cli(&db, Some("olga"), &["attendee", "add", "--name", "Ana Ruiz", "--email", "ana@example.org"]);
    let command = format!(
        "EVENTDESK_DB='{db}' EVENTDESK_USER=desk1 EVENTDESK_PASSWORD='{PASSWORD}' '{BIN}'; echo \"[exited $?]\"; sleep 120"
    );
    tmux.start("a", &command);
    tmux.wait("a", Duration::from_secs(10), "the events tab", |sc| sc.contains(LEGAL));
    tmux.keys("a", &["2", "b"]);
    tmux.wait("a", Duration::from_secs(5), "the event picker", |sc| highlighted(sc, "Alpha Night"));
    tmux.keys("a", &["Down"]);
    tmux.wait("a", Duration::from_secs(5), "the event highlighted", |sc| highlighted(sc, LEGAL));
    event(&db, "Early Bird", 29);
    let screen =
        tmux.wait("a", Duration::from_secs(5), "the new event in the picker", |sc| sc.contains("Early Bird"));
    assert!(highlighted(&screen, LEGAL), "the highlight stayed on the event:\n{screen}");
    tmux.keys("a", &["Enter"]);
    tmux.wait("a", Duration::from_secs(5), "the attendee picker", |sc| sc.contains("choose an attendee"));
    tmux.text("a", "Ana");
    tmux.wait("a", Duration::from_secs(5), "one matching attendee", |sc| sc.contains("1 of 1"));
    tmux.keys("a", &["Enter"]);
    tmux.wait("a", Duration::from_secs(5), "booked on the highlighted event", |sc| {
        sc.lines().any(|l| l.contains("Booked Ana Ruiz on") && l.contains(LEGAL))
    });
}
