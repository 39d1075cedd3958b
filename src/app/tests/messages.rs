//! Issue 13: the messages and small behaviours a desk relies on, pinned one by one.

use super::fixture::*;
use crate::app::{Action, App, Confirm, Mode, PickerList, Tab};
use crate::model::BookingStatus;

fn warned(app: &App) -> bool {
    app.status.as_ref().is_some_and(|s| s.error)
}

fn add_inline(app: &mut App, name: &str, email: &str) {
    app.step(Action::Book);
    app.step(Action::NewAttendee);
    assert!(matches!(app.mode, Mode::Form(_)), "{:?}", app.mode);
    type_text(app, name);
    app.step(Action::NextField);
    type_text(app, email);
    app.step(Action::Submit);
}

fn picked_attendee(app: &App) -> Option<String> {
    match &app.mode {
        Mode::Picker(p) => match &p.list {
            PickerList::Attendees { list, .. } => list.current().map(|a| a.email.clone()),
            PickerList::Events(_) => None,
        },
        _ => None,
    }
}

#[test]
fn ctrl_n_on_an_event_that_filled_meanwhile_says_both_and_the_retry_books_that_attendee() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Race A", "2026-12-01 18:00", 1);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    app.step(Action::NewAttendee);
    type_text(&mut app, "Sam Roe");
    app.step(Action::NextField);
    type_text(&mut app, "sam@example.org");
    let taken = open(&f.dir).book(&f.olga, id, 1).expect("another terminal takes the last seat");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Added Sam Roe; Race A is full — not booked");
    assert!(warned(&app), "a warning");
    assert!(
        matches!(&app.mode, Mode::Confirm(Confirm::JoinWaitlist(full)) if full.attendee == "Sam Roe"),
        "the waiting list is offered: {:?}",
        app.mode
    );
    app.step(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse));
    let sam = open(&f.dir).attendee_by_email("sam@example.org").expect("Sam was added");
    open(&f.dir).cancel(&f.olga, taken.booking.id).expect("the seat frees again");
    app.step(Action::Tick(now()));
    add_inline(&mut app, "Sam Roe", "sam@example.org");
    assert_eq!(picked_attendee(&app).as_deref(), Some("sam@example.org"), "{:?}", app.mode);
    assert!(status(&app).contains("Sam Roe (sam@example.org) is already on file"), "{}", status(&app));
    app.step(Action::Submit);
    assert_eq!(status(&app), "Booked Sam Roe on Race A — 0 seats left");
    let booked = open(&f.dir).list_bookings(&Default::default()).expect("bookings");
    assert!(
        booked.iter().any(|b| b.booking.attendee_id == sam.id && b.booking.status == BookingStatus::Active)
    );
}

#[test]
fn ctrl_n_on_an_event_deleted_meanwhile_says_the_attendee_was_added() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Race A", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    open(&f.dir).delete_event(&f.olga, id, true).expect("deleted in another terminal");
    app.step(Action::NewAttendee);
    type_text(&mut app, "Sam Roe");
    app.step(Action::NextField);
    type_text(&mut app, "sam@example.org");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Added Sam Roe; not booked: that event was deleted");
}

#[test]
fn moving_a_start_into_the_past_states_the_edit_rule_beside_the_start() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    app.step(Action::NextField);
    app.step(Action::NextField);
    retype(&mut app, "2026-05-01 18:00");
    app.step(Action::Submit);
    let start = form(&app).field("start").and_then(|x| x.error.clone()).unwrap_or_default();
    assert_eq!(start, "a moved start must be in the future (or keep the current start)");
}

#[test]
fn a_picker_whose_event_was_deleted_meanwhile_says_it_was_deleted() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    open(&f.dir).delete_event(&f.olga, id, true).expect("deleted in another terminal");
    app.step(Action::Submit);
    assert_eq!(status(&app), "that event was deleted");
}

#[test]
fn rebooking_onto_a_deleted_event_says_it_was_deleted() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    store.book(&f.dana, id, 1).expect("book");
    store.delete_event(&f.olga, id, true).expect("delete cancels the booking");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    assert!(app.bookings.list.current().is_some_and(|b| b.event_deleted));
    app.step(Action::Rebook);
    assert_eq!(status(&app), "that event was deleted");
}

#[test]
fn a_desk_account_is_told_only_organizers_edit_or_delete_events() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.dana);
    app.step(Action::EditEvent);
    assert_eq!(status(&app), "read-only: only organizers edit events");
    app.step(Action::DeleteEvent);
    assert_eq!(status(&app), "read-only: only organizers delete events");
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn enter_on_an_empty_events_list_does_nothing() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    assert_eq!(app.events.list.total, 0);
    app.step(Action::ShowBookings);
    assert_eq!(app.tab, Tab::Events);
    assert!(matches!(app.mode, Mode::Browse) && app.status.is_none());
    assert_eq!(app.bookings.event, None);
}

#[test]
fn one_seat_is_singular() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    for v in ["Tiny", "", "2026-12-01 18:00", "2026-12-01 20:00", "1"] {
        retype(&mut app, v);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    assert_eq!(status(&app), "Created Tiny with 1 seat");
}

#[test]
fn a_paste_keeps_its_line_breaks_in_the_description_only_and_never_submits() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    app.step(Action::Paste("Rust\nMeetup".into()));
    app.step(Action::NextField);
    app.step(Action::Paste("Talks:\r\n- async\r- traits\n".into()));
    assert!(matches!(app.mode, Mode::Form(_)), "a paste never submits");
    assert_eq!(form(&app).value("title"), "Rust Meetup");
    assert_eq!(form(&app).value("description"), "Talks:\n- async\n- traits\n");
    for v in ["2026-12-01 18:00", "2026-12-01 20:00", "5"] {
        app.step(Action::NextField);
        retype(&mut app, v);
    }
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    let stored = app.events.list.current().map(|e| e.description.clone());
    assert_eq!(stored.as_deref(), Some("Talks:\n- async\n- traits"));
    app.step(Action::EditEvent);
    assert_eq!(form(&app).value("description"), "Talks:\n- async\n- traits", "the edit form keeps the lines");
}

#[test]
fn an_edit_form_whose_event_was_deleted_meanwhile_says_it_was_deleted() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    retype(&mut app, "Rust Meetup II");
    open(&f.dir).delete_event(&f.olga, id, true).expect("deleted in another terminal");
    app.step(Action::Submit);
    assert_eq!(form(&app).error.as_deref(), Some("that event was deleted"));
}

#[test]
fn an_event_that_starts_leaves_the_upcoming_list_within_a_tick() {
    let (f, store) = fixture();
    let soon = now() + chrono::Duration::seconds(30);
    event_at(&store, &f.olga, "Starts Soon", soon, 5);
    event(&store, &f.olga, "Later", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    while app.events.filter != crate::store::EventFilter::Upcoming {
        app.step(Action::CycleFilter);
    }
    app.step(Action::Tick(now()));
    assert_eq!(app.events.list.total, 2, "the first tick took the change token");
    let later = now() + chrono::Duration::seconds(31);
    app.set_clock(crate::model::Clock::Fixed(later));
    app.step(Action::Tick(later));
    assert_eq!(app.events.list.total, 1, "no write happened, yet the started event left");
    assert_eq!(app.events.list.rows[0].title, "Later");
}

#[test]
fn a_status_message_fades_after_ten_seconds_or_at_the_next_key() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::CycleFilter);
    assert_eq!(status(&app), "Showing upcoming events");
    app.step(Action::Tick(now() + chrono::Duration::seconds(9)));
    assert_eq!(status(&app), "Showing upcoming events", "still fresh");
    app.step(Action::Tick(now() + chrono::Duration::seconds(10)));
    assert_eq!(status(&app), "", "faded");
    app.step(Action::CycleFilter);
    assert_eq!(status(&app), "Showing past events");
    app.step(Action::Down);
    assert_eq!(status(&app), "", "the next key moves on from it");
}
