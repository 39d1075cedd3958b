//! The database file removed or replaced under a running desk: the app stops with one line
//! and reports nothing as saved.

use super::fixture::*;
use crate::app::{Action, App, Mode, PickerList, Tab};
use crate::model::Error;
use crate::store::{BookingQuery, Store};

/// Starts booking Ben Ito on the only event, up to the attendee picker's Submit.
fn book_ben(app: &mut App) {
    goto(app, Tab::Bookings);
    app.step(Action::Book);
    assert!(matches!(&app.mode, Mode::Picker(p) if matches!(p.list, PickerList::Events(_))));
    app.step(Action::Submit);
    type_text(app, "ben");
    app.step(Action::Submit);
}

fn assert_stopped(app: &App) {
    assert!(!app.running, "the app must stop: {:?} {:?}", app.status, app.mode);
    assert!(matches!(app.stopped, Some(Error::Vanished { .. })), "{:?}", app.stopped);
    let line = status(app);
    assert!(line.contains("was removed or replaced while eventdesk had it open"), "{line}");
    assert!(line.contains("nothing was saved"), "{line}");
    assert!(!line.contains("Booked"), "{line}");
}

#[test]
fn a_booking_on_a_removed_file_stops_the_app_and_recreates_nothing() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 52);
    let path = f.dir.path().join("desk.db");
    let mut app = app(store, &f.dana);
    std::fs::remove_file(&path).expect("rm");
    book_ben(&mut app);
    assert_stopped(&app);
    assert!(!path.exists(), "the file must not be created again");
}

#[test]
fn a_booking_on_a_replaced_file_stops_the_app_and_leaves_the_new_file_alone() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 52);
    let path = f.dir.path().join("desk.db");
    let mut app = app(store, &f.dana);
    // Another eventdesk database, moved over the open one (`mv other.db desk.db`).
    let (other, other_store) = fixture();
    event(&other_store, &other.olga, "Rust Meetup", "2026-12-01 18:00", 52);
    drop(other_store);
    std::fs::rename(other.dir.path().join("desk.db"), &path).expect("mv");
    book_ben(&mut app);
    assert_stopped(&app);
    let after = Store::open_existing(&path).expect("the moved file is still a good database");
    assert!(after.check().expect("check").problems.is_empty());
    let bookings = after.list_bookings(&BookingQuery::default()).expect("bookings");
    assert!(bookings.is_empty(), "nothing written into the new file: {bookings:?}");
}

#[test]
fn the_refresh_tick_notices_a_removed_file() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    app.step(Action::Tick(now()));
    assert!(app.running, "an untouched file keeps the app running");
    std::fs::remove_file(f.dir.path().join("desk.db")).expect("rm");
    app.step(Action::Tick(now()));
    assert_stopped(&app);
}

#[test]
fn signing_in_on_a_removed_file_stops_the_app_instead_of_saying_wrong_password() {
    let (f, store) = fixture();
    let mut app = App::new(store, None, ratatui::layout::Rect::new(0, 0, 120, 40));
    app.settle();
    std::fs::remove_file(f.dir.path().join("desk.db")).expect("rm");
    type_text(&mut app, "olga");
    app.step(Action::NextField);
    type_text(&mut app, "not the password");
    app.step(Action::Submit);
    assert!(app.session.is_none());
    assert_stopped(&app);
    assert!(!status(&app).contains("password"), "{}", status(&app));
}
