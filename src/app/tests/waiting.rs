//! The screen never waits on the database: a write stuck behind another connection's lock
//! leaves every key that needs no write working, says what it waits for, and Esc gives it up
//! for good. The lock is a raw connection holding `BEGIN IMMEDIATE`, as another program would.

use std::time::Duration;

use chrono::TimeDelta;

use super::fixture::*;
use crate::app::answers::Answer;
use crate::app::worker::{Reply, Slot};
use crate::app::{Action, App, Loaded, Mode, Tab};
use crate::model::BookingStatus;

/// Another program holding the write lock until the connection is rolled back or dropped.
fn hold_lock(f: &Fixture) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(f.dir.path().join("desk.db")).expect("raw connection");
    conn.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    conn
}

fn release(lock: &rusqlite::Connection) {
    lock.execute_batch("ROLLBACK").expect("release the lock");
}

fn count(f: &Fixture, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(f.dir.path().join("desk.db")).expect("raw connection");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// Opens the attendee picker on the only event and presses Enter on the first attendee,
/// without waiting for the booking.
fn book_first_attendee(app: &mut App) {
    app.step(Action::Book);
    assert!(matches!(app.mode, Mode::Picker(_)), "{:?}", app.mode);
    app.update(Action::Submit);
}

/// Lets the write thread get into its lock wait: giving up then happens inside the store call.
fn let_the_writer_wait() {
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn a_booking_stuck_on_a_held_lock_leaves_the_screen_live_and_esc_gives_it_up_for_good() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    let lock = hold_lock(&f);
    book_first_attendee(&mut app);
    assert!(matches!(app.mode, Mode::Browse));
    let waiting = app.waiting().expect("waiting for the booking");
    assert_eq!((waiting.what, waiting.can_give_up), ("booking", true));

    // Keys that need no write: tabs (their pages still load), moving, help.
    app.update(Action::GoTab(Tab::Bookings));
    app.settle_reads();
    assert_eq!((app.tab, app.bookings.list.total), (Tab::Bookings, 0));
    app.update(Action::Help);
    assert!(matches!(app.mode, Mode::Help));
    app.update(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse));
    app.update(Action::Tick(now() + TimeDelta::seconds(3)));
    let text = app.waiting().map(|w| w.text()).unwrap_or_default();
    assert_eq!(text, "booking… waiting for the database, 3 s · Esc gives up");

    let_the_writer_wait();
    app.update(Action::Cancel);
    assert_eq!(status(&app), "Gave up booking; nothing was saved");
    assert_eq!(app.waiting(), None);
    release(&lock);
    app.settle();
    assert_eq!(count(&f, "bookings"), 0, "a write given up is never saved, even once the lock is free");
    assert_eq!(status(&app), "Gave up booking; nothing was saved", "its late answer changed nothing");
    app.step(Action::Tick(now() + TimeDelta::seconds(4)));
    assert_eq!(app.bookings.list.total, 0);
}

#[test]
fn a_write_that_is_not_given_up_goes_through_once_the_lock_is_freed() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    let lock = hold_lock(&f);
    book_first_attendee(&mut app);
    let_the_writer_wait();
    assert!(app.waiting().is_some());
    release(&lock);
    app.settle();
    assert_eq!(app.waiting(), None);
    assert_eq!(status(&app), "Booked Ana Ruiz on Rust Meetup — 4 seats left");
    assert_eq!(count(&f, "bookings"), 1);
}

#[test]
fn a_form_waiting_for_its_write_keeps_what_was_typed_and_esc_gives_the_write_up() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    for v in ["Rust Meetup", "", "2026-12-01 18:00", "2026-12-01 20:00", "40"] {
        type_text(&mut app, v);
        app.step(Action::NextField);
    }
    let lock = hold_lock(&f);
    app.update(Action::Submit);
    assert!(matches!(app.mode, Mode::Form(_)), "the form stays while it saves");
    assert_eq!(app.waiting().map(|w| w.what), Some("saving"));
    app.update(Action::Edit(tui_input::InputRequest::InsertChar('x')));
    assert_eq!(form(&app).value("capacity"), "40", "no edits while the form waits");

    let_the_writer_wait();
    app.update(Action::Cancel);
    assert!(matches!(app.mode, Mode::Form(_)), "Esc gives up the write, not the form");
    assert_eq!((form(&app).value("title"), form(&app).value("capacity")), ("Rust Meetup", "40"));
    assert_eq!(status(&app), "Gave up saving; nothing was saved");
    release(&lock);
    app.settle();
    assert_eq!(count(&f, "events"), 0);
    assert!(matches!(app.mode, Mode::Form(_)), "the given-up answer does not close the form");

    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert_eq!((count(&f, "events"), app.events.list.total), (1, 1));
}

#[test]
fn quitting_while_a_write_waits_gives_it_up() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    let lock = hold_lock(&f);
    book_first_attendee(&mut app);
    let_the_writer_wait();
    app.update(Action::Quit);
    assert!(!app.running, "quit does not wait for the database");
    release(&lock);
    app.settle();
    assert_eq!(count(&f, "bookings"), 0);
}

#[test]
fn one_write_at_a_time_and_the_second_is_refused_with_the_reason() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, id, 2).expect("book");
    let mut app = app(store, &f.dana);
    let lock = hold_lock(&f);
    book_first_attendee(&mut app);
    app.update(Action::GoTab(Tab::Bookings));
    app.settle_reads();
    app.update(Action::CancelBooking);
    app.update(Action::Yes);
    assert_eq!(status(&app), "still booking: wait for it; Esc gives it up");
    release(&lock);
    app.settle();
    assert_eq!(count(&f, "bookings"), 2, "the booking went through");
    let active = app.bookings.list.rows.iter().filter(|r| r.booking.status == BookingStatus::Active).count();
    assert_eq!(active, 2, "the cancel was refused, not queued");
}

#[test]
fn signing_in_runs_off_the_screen_and_cannot_be_given_up() {
    let (f, store) = fixture();
    let mut app = App::new(store, None, ratatui::layout::Rect::new(0, 0, 120, 40));
    type_text(&mut app, "olga");
    app.step(Action::NextField);
    type_text(&mut app, PASSWORD);
    let lock = hold_lock(&f);
    app.update(Action::Submit);
    assert!(matches!(app.mode, Mode::SignIn(_)));
    assert_eq!(app.waiting().map(|w| (w.what, w.can_give_up)), Some(("signing in", false)));
    app.update(Action::Cancel);
    assert!(app.running, "Esc while signing in neither quits nor gives up");
    assert!(status(&app).contains("cannot be given up"), "{}", status(&app));
    let_the_writer_wait();
    release(&lock);
    app.settle();
    assert_eq!(app.session.as_ref().map(|s| s.username.as_str()), Some("olga"));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn an_answer_for_an_older_call_never_overwrites_a_newer_one() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.dana);
    app.update(Action::GoTab(Tab::Bookings));
    let older = app.db.latest(Slot::Bookings);
    app.update(Action::CycleFilter);
    assert!(app.db.latest(Slot::Bookings) > older);
    // The older call's answer turns up after the newer call was made: it must not count.
    let stale = Loaded { total: 99, offset: 0, rows: Vec::new(), follow: None, more: false, from_end: false };
    let answer = Some(Answer::Bookings(Ok((stale, None))));
    app.update(Action::Answer(Reply { id: older, slot: Slot::Bookings, answer }));
    assert_ne!(app.bookings.list.total, 99);
    app.settle_reads();
    assert_eq!(app.bookings.list.total, 1, "the newer call's answer (active bookings) is shown");
    assert_eq!(app.bookings.status, Some(BookingStatus::Active));
}

#[test]
fn a_read_made_stale_by_a_newer_one_leaves_nothing_waiting() {
    let (f, store) = fixture();
    for i in 0..60 {
        event(&store, &f.olga, &format!("Event {i:02}"), "2026-12-01 18:00", 5);
    }
    let mut app = app(store, &f.dana);
    // A detail read, then at once a page read that also answers for the detail.
    app.update(Action::Down);
    app.update(Action::PageDown);
    app.update(Action::PageDown);
    app.settle_reads();
    app.update(Action::Tick(now() + TimeDelta::seconds(5)));
    app.settle();
    assert_eq!(app.waiting(), None);
    let selected = app.events.list.current().map(|e| e.id);
    assert!(selected.is_some() && app.events.detail_of == selected, "the detail is the selected event's");
}
