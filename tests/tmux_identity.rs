//! The selection follows the row, not its number, in real terminals (tmux): desk 1 highlights
//! "Startup Legal Q&A" in the booking picker; at desk 2 the organizer adds an event that sorts
//! above it; desk 1's highlight stays on "Startup Legal Q&A" and Enter books onto it, never
//! onto the event that slid into its place.
//!
//! Runs on both engines. tmux is required: without it this test fails with a message instead
//! of passing silently.

#[path = "support/desks.rs"]
mod desks;
#[path = "support/engines.rs"]
mod engines;
#[path = "support/tmux.rs"]
mod tmux;

use std::time::Duration;

use desks::{attendee, cli, event_in, start_app, venue};
use engines::Db;
use tmux::Tmux;

on_both_engines!(enter_in_the_picker_books_the_highlighted_event_after_another_desk_adds_one_above);

const LEGAL: &str = "Startup Legal Q&A";
const WAIT: Duration = Duration::from_secs(10);

fn setup(on: &Db) -> (String, String) {
    let db = engines::arg(&on.location);
    venue(&db, &["desk1"]);
    event_in(&db, 20, "Alpha Night", "5");
    let legal = event_in(&db, 25, LEGAL, "5");
    event_in(&db, 28, "Zeta Brunch", "5");
    attendee(&db, "Ben Ito");
    (db, legal)
}

/// The picker row that is highlighted (the `▶` marker), if any.
fn highlighted(screen: &str) -> Option<&str> {
    screen.lines().find_map(|l| l.split_once('▶').map(|(_, rest)| rest.trim()))
}

fn enter_in_the_picker_books_the_highlighted_event_after_another_desk_adds_one_above(db: &Db) {
    let tmux = Tmux::new("identity");
    let (db, legal) = setup(db);
    start_app(&tmux, "desk", &db, "desk1");
    start_app(&tmux, "organizer", &db, "olga");
    tmux.wait("desk", WAIT, "the events tab", |sc| {
        sc.contains("signed in as desk1") && sc.contains("Zeta Brunch")
    });
    tmux.wait("organizer", WAIT, "the events tab", |sc| sc.contains("signed in as olga"));

    tmux.keys("desk", &["2", "b"]);
    tmux.wait("desk", WAIT, "the event picker", |sc| sc.contains("choose an event") && sc.contains("1 of 3"));
    tmux.keys("desk", &["Down"]);
    tmux.wait("desk", WAIT, "the highlight on Legal", |sc| {
        highlighted(sc).is_some_and(|row| row.starts_with(LEGAL)) && sc.contains("2 of 3")
    });

    // The other desk adds "Early Bird", starting before every other event, through its form.
    let day = (chrono::Local::now() + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
    tmux.keys("organizer", &["n"]);
    tmux.wait("organizer", WAIT, "the new event form", |sc| sc.contains("New event"));
    for (i, value) in
        ["Early Bird", "", &format!("{day} 09:00"), &format!("{day} 11:00"), "5"].iter().enumerate()
    {
        if i > 0 {
            tmux.keys("organizer", &["Tab"]);
        }
        if !value.is_empty() {
            tmux.text("organizer", value);
        }
    }
    tmux.keys("organizer", &["Enter"]);
    tmux.wait("organizer", WAIT, "the new event saved", |sc| {
        !sc.contains("New event") && sc.contains("Early Bird")
    });

    // Desk 1 sees it arrive on top without a keypress; the highlight stays on Legal.
    let screen = tmux.wait("desk", WAIT, "Early Bird in the picker", |sc| sc.contains("Early Bird"));
    let first = screen.lines().position(|l| l.contains("Early Bird"));
    let chosen = screen.lines().position(|l| l.contains(LEGAL));
    assert!(first < chosen, "Early Bird sorts above Legal:\n{screen}");
    assert!(
        highlighted(&screen).is_some_and(|row| row.starts_with(LEGAL)),
        "the row, not the number:\n{screen}"
    );
    assert!(screen.contains("3 of 4"), "the highlight moved down with its row:\n{screen}");

    tmux.keys("desk", &["Enter"]);
    tmux.wait("desk", WAIT, "the attendee picker", |sc| sc.contains("choose an attendee"));
    tmux.text("desk", "ben");
    tmux.wait("desk", WAIT, "Ben found", |sc| sc.contains("1 of 1"));
    tmux.keys("desk", &["Enter"]);
    let screen = tmux.wait("desk", WAIT, "the booking's outcome", |sc| sc.contains("Booked Ben Ito"));
    assert!(
        screen.contains(&format!("Booked Ben Ito on {LEGAL}")),
        "booked onto the highlighted event:\n{screen}"
    );

    let bookings = cli(&db, Some("olga"), &["--json", "bookings", "--event", &legal]);
    let rows: serde_json::Value = serde_json::from_str(&bookings).expect("--json bookings");
    let names: Vec<&str> =
        rows.as_array().expect("a list").iter().filter_map(|b| b["attendee_name"].as_str()).collect();
    assert_eq!(names, ["Ben Ito"], "{bookings}");
}
