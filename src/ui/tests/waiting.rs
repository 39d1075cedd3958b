//! The status line while a write waits on another program's lock: what, how long, and how to
//! give up; alone, and beside a message that came after the wait began.

use chrono::TimeDelta;

use super::{draw, populated, text};
use crate::app::tests::fixture::now;
use crate::app::{Action, Tab};

fn hold_lock(f: &crate::app::tests::fixture::Fixture) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(f.dir.path().join("desk.db")).expect("raw connection");
    conn.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    conn
}

#[test]
fn the_status_line_says_what_waits_for_the_database_and_for_how_long() {
    let (f, mut app) = populated(false);
    let lock = hold_lock(&f);
    app.step(Action::Book);
    app.update(Action::Submit);
    app.update(Action::GoTab(Tab::Bookings));
    app.settle_reads();
    app.update(Action::Tick(now() + TimeDelta::seconds(3)));
    insta::assert_snapshot!("waiting_booking_bookings_tab", text(&draw(&app, 120, 40)));

    // A message that came later keeps the wait in view on the right, at the narrowest size.
    app.update(Action::GoTab(Tab::Events));
    app.update(Action::CycleFilter);
    app.settle_reads();
    let screen = text(&draw(&app, 80, 24));
    let status_line = screen.lines().nth(22).unwrap_or_default().to_string();
    insta::assert_snapshot!("waiting_beside_a_message_80", status_line);
    app.update(Action::Cancel);
    drop(lock);
    app.settle();
}

#[test]
fn a_list_whose_first_page_is_still_being_read_says_so() {
    let (f, store) = crate::app::tests::fixture::fixture();
    crate::app::tests::fixture::event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app =
        crate::app::App::new(store, Some(f.dana.clone()), ratatui::layout::Rect::new(0, 0, 120, 40));
    let before = text(&draw(&app, 120, 40));
    assert!(before.contains("Loading…") && !before.contains("No events here"), "{before}");
    app.settle();
    let after = text(&draw(&app, 120, 40));
    assert!(after.contains("Rust Meetup") && !after.contains("Loading…"), "{after}");
}
