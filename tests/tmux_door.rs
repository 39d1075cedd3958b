//! Two doors in two real terminals (tmux) on one event's Door tab: a check-in at one shows on
//! the other within a second, without a keypress; the second door then trying the same person
//! is refused in place with when and by whom. Undo at the first door (confirmed) shows on the
//! second too.
//!
//! Runs on both engines: on PostgreSQL the other door's check-ins arrive by LISTEN/NOTIFY.
//! tmux is required: without it this test fails with a message instead of passing silently.

#[path = "support/desks.rs"]
mod desks;
#[path = "support/engines.rs"]
mod engines;
#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};

use desks::{attendee, cli, created_id, start_app, venue};
use engines::Db;
use tmux::Tmux;

on_both_engines!(a_check_in_at_one_door_shows_at_the_other_within_a_second);

const DOORS: [(&str, &str); 2] = [("t1", "desk1"), ("t2", "desk2")];

/// An organizer, two desks, and "Door Night" starting in about an hour (real time: the apps
/// run on the system clock, and check-in opens two hours before the start) with three
/// bookings.
fn setup(on: &Db) -> String {
    let db = engines::arg(&on.location);
    venue(&db, &DOORS.map(|(_, desk)| desk));
    let start = chrono::Local::now() + chrono::Duration::minutes(61);
    let end = start + chrono::Duration::hours(2);
    let (start, end) = (start.format("%Y-%m-%d %H:%M").to_string(), end.format("%Y-%m-%d %H:%M").to_string());
    let args = ["--json", "event", "add", "--title", "Door Night", "--start", &start, "--end", &end];
    let event = created_id(&cli(&db, Some("olga"), &[&args[..], &["--capacity", "10"]].concat()));
    for who in ["Ana Ruiz", "Ben Ito", "Cleo Park"] {
        let email = attendee(&db, who);
        cli(&db, Some("olga"), &["book", "--event", &event, "--attendee", &email]);
    }
    db
}

/// The row of the door's list that names `who`.
fn row<'a>(screen: &'a str, who: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(who) && l.contains("@example.org"))
}

fn a_check_in_at_one_door_shows_at_the_other_within_a_second(db: &Db) {
    let tmux = Tmux::new("door");
    let db = setup(db);
    for (name, user) in DOORS {
        start_app(&tmux, name, &db, user);
    }
    for (name, user) in DOORS {
        tmux.wait(name, Duration::from_secs(10), "the events tab", |sc| {
            sc.contains(&format!("signed in as {user}")) && sc.contains("Door Night")
        });
        tmux.keys(name, &["D"]);
        tmux.wait(name, Duration::from_secs(5), "the door", |sc| sc.contains("checked in 0 / 3"));
    }

    // One search, one Enter.
    tmux.text("t1", "ben");
    tmux.wait("t1", Duration::from_secs(5), "one match", |sc| sc.contains("1 match"));
    tmux.keys("t1", &["Enter"]);
    let sent = Instant::now();
    tmux.wait("t1", Duration::from_secs(5), "the check-in", |sc| sc.contains("Checked in Ben Ito — 1 / 3"));
    let other = tmux.wait(
        "t2",
        Duration::from_secs(1).saturating_sub(sent.elapsed()),
        "the other door's check-in",
        |sc| sc.contains("checked in 1 / 3") && row(sc, "Ben Ito").is_some_and(|r| r.contains("by desk1")),
    );
    let seen = sent.elapsed();
    assert!(seen < Duration::from_secs(1), "the other door saw it after {seen:?}:\n{other}");
    eprintln!("the other door showed the check-in {} ms after the Enter", seen.as_millis());

    // The second door tries Ben too: refused in place, saying when and by whom.
    tmux.text("t2", "ben");
    tmux.wait("t2", Duration::from_secs(5), "one match", |sc| sc.contains("1 match"));
    tmux.keys("t2", &["Enter"]);
    tmux.wait("t2", Duration::from_secs(5), "the refusal in place", |sc| {
        sc.lines()
            .any(|l| l.contains("✗ Ben Ito not checked in: already checked in at") && l.contains("by desk1"))
    });

    // Undo at the first door, confirmed; the second door follows.
    tmux.text("t1", "ben");
    tmux.wait("t1", Duration::from_secs(5), "one match", |sc| sc.contains("1 match"));
    tmux.keys("t1", &["C-z"]);
    tmux.wait("t1", Duration::from_secs(5), "the question", |sc| sc.contains("Undo Ben Ito's check-in"));
    tmux.keys("t1", &["y"]);
    tmux.wait("t1", Duration::from_secs(5), "the undo", |sc| sc.contains("Undid Ben Ito's check-in — 0 / 3"));
    tmux.wait("t2", Duration::from_secs(1), "the undo at the other door", |sc| {
        sc.contains("checked in 0 / 3")
    });
}
