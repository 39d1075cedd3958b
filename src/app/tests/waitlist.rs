//! The waiting list through `App::update`: offered when a booking finds the event full,
//! promotion named on the status line and seen by the other terminal, the event detail's list
//! and door figures, and the Bookings tab's waiting view with its removal.

use chrono::Duration;

use super::fixture::*;
use crate::app::{Action, App, Confirm, Mode, Tab};
use crate::model::{BookingStatus, Clock, WaitStatus};
use crate::store::{BookingQuery, OpenOptions, Store, WaitlistQuery};

/// "Tiny" with one seat, taken by Ana; Ben and Cleo exist.
fn full_event() -> (Fixture, Store, i64, i64) {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Tiny", "2026-12-02 18:00", 1);
    store.book(&f.dana, id, 1).expect("Ana takes the seat");
    let cleo = attendee(&store, &f.dana, "Cleo Park", "cleo@example.org");
    (f, store, id, cleo)
}

fn waiting(store: &Store, event_id: i64) -> Vec<(String, Option<u32>)> {
    let q =
        WaitlistQuery { event_id: Some(event_id), status: Some(WaitStatus::Waiting), ..Default::default() };
    store.list_waitlist(&q).expect("list").into_iter().map(|w| (w.attendee_name, w.position)).collect()
}

/// Books `who` onto the selected event through the picker, up to the answer.
fn book(app: &mut App, who: &str) {
    app.step(Action::Book);
    assert!(matches!(app.mode, Mode::Picker(_)), "{:?}", app.mode);
    type_text(app, who);
    app.step(Action::Submit);
}

#[test]
fn booking_a_full_event_offers_the_waiting_list_and_yes_adds_them() {
    let (f, store, id, _) = full_event();
    let mut app = app(store, &f.dana);
    book(&mut app, "ben");
    assert_eq!(status(&app), "Tiny is full");
    let Mode::Confirm(Confirm::JoinWaitlist(full)) = &app.mode else { panic!("offered: {:?}", app.mode) };
    assert_eq!((full.event_id, full.attendee.as_str()), (id, "Ben Ito"));
    app.step(Action::Yes);
    assert_eq!(status(&app), "Added Ben Ito to the waiting list of Tiny — position 1");
    assert_eq!(waiting(&open(&f.dir), id), [("Ben Ito".to_string(), Some(1))]);
    // No: nothing is added.
    book(&mut app, "cleo");
    assert!(matches!(app.mode, Mode::Confirm(Confirm::JoinWaitlist(_))));
    app.step(Action::Cancel);
    assert_eq!(waiting(&open(&f.dir), id).len(), 1);
    // Asked again for someone already waiting: the store's refusal, in words.
    book(&mut app, "ben");
    app.step(Action::Yes);
    assert_eq!(status(&app), "the attendee is already on this event's waiting list");
}

#[test]
fn the_bookings_tab_picker_lists_full_events_too_and_offers_the_same() {
    let (f, store, id, _) = full_event();
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Book);
    type_text(&mut app, "tiny");
    app.step(Action::Submit);
    type_text(&mut app, "ben");
    app.step(Action::Submit);
    assert!(matches!(&app.mode, Mode::Confirm(Confirm::JoinWaitlist(full)) if full.event_id == id));
    app.step(Action::Yes);
    assert_eq!(waiting(&open(&f.dir), id), [("Ben Ito".to_string(), Some(1))]);
}

#[test]
fn the_event_detail_shows_the_waiting_list_in_order_and_the_door_figures() {
    let (f, store, id, cleo) = full_event();
    store.waitlist_add(&f.dana, id, cleo).expect("Cleo waits first");
    store.waitlist_add(&f.dana, id, 2).expect("then Ben");
    let app = app(store, &f.dana);
    assert_eq!(app.events.detail_of, Some(id));
    let list: Vec<_> = app.events.waiting.iter().map(|w| (w.attendee_name.as_str(), w.position)).collect();
    assert_eq!(list, [("Cleo Park", Some(1)), ("Ben Ito", Some(2))]);
    let a = app.events.attendance.expect("figures");
    assert_eq!((a.booked, a.checked_in, a.waiting, a.no_shows), (1, 0, 2, None));
}

#[test]
fn a_cancel_names_who_was_promoted_and_the_other_terminal_sees_the_booking() {
    let (f, store, id, cleo) = full_event();
    store.waitlist_add(&f.dana, id, cleo).expect("Cleo waits");
    let mut other = app(open(&f.dir), &f.olga);
    goto(&mut other, Tab::Bookings);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::CancelBooking);
    assert!(matches!(app.mode, Mode::Confirm(Confirm::CancelBooking { .. })), "{:?}", app.mode);
    app.step(Action::Yes);
    assert_eq!(
        status(&app),
        "Cancelled Ana Ruiz on Tiny — 0 seats left — promoted Cleo Park from the waiting list"
    );
    other.step(Action::Tick(now()));
    let cleo_row = other.bookings.list.rows.iter().find(|b| b.attendee_name == "Cleo Park");
    assert_eq!(cleo_row.map(|b| b.booking.status), Some(BookingStatus::Active), "the other terminal sees it");
    assert!(waiting(&open(&f.dir), id).is_empty());
}

#[test]
fn a_capacity_raise_promotes_in_order_and_says_so() {
    let (f, store, id, cleo) = full_event();
    store.waitlist_add(&f.dana, id, 2).expect("Ben waits first");
    store.waitlist_add(&f.dana, id, cleo).expect("then Cleo");
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    for _ in 0..4 {
        app.step(Action::NextField);
    }
    retype(&mut app, "3");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Saved Tiny — promoted Ben Ito, Cleo Park from the waiting list");
    let q = BookingQuery { event_id: Some(id), status: Some(BookingStatus::Active), ..Default::default() };
    assert_eq!(open(&f.dir).count_bookings(&q).expect("count"), 3);
}

#[test]
fn the_bookings_tab_shows_waiting_entries_and_removes_one_after_asking() {
    let (f, store, id, cleo) = full_event();
    store.waitlist_add(&f.dana, id, cleo).expect("Cleo waits");
    store.waitlist_add(&f.dana, id, 2).expect("Ben waits");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    for _ in 0..3 {
        app.step(Action::CycleFilter);
    }
    assert!(app.bookings.waiting);
    let names: Vec<_> = app.bookings.entries.rows.iter().map(|w| w.attendee_name.clone()).collect();
    assert_eq!(names, ["Cleo Park", "Ben Ito"]);
    app.step(Action::Search);
    type_text(&mut app, "ben");
    app.step(Action::Submit);
    assert_eq!(app.bookings.entries.total, 1, "the search narrows the waiting view");
    app.step(Action::CancelBooking);
    let Mode::Confirm(Confirm::RemoveWaiting { attendee, position, .. }) = &app.mode else {
        panic!("asks first: {:?}", app.mode)
    };
    assert_eq!((attendee.as_str(), *position), ("Ben Ito", Some(2)));
    app.step(Action::Cancel);
    assert_eq!(waiting(&open(&f.dir), id).len(), 2, "n keeps the entry");
    app.step(Action::CancelBooking);
    app.step(Action::Yes);
    assert_eq!(status(&app), "Removed Ben Ito from the waiting list of Tiny");
    assert_eq!(app.bookings.entries.total, 0);
    assert_eq!(waiting(&open(&f.dir), id), [("Cleo Park".to_string(), Some(1))]);
    app.step(Action::CycleFilter);
    assert!(!app.bookings.waiting && app.bookings.status.is_none(), "back to any status");
}

#[test]
fn organizers_see_each_attendees_no_shows_and_the_desk_does_not() {
    let (f, store) = fixture();
    let id = event_at(&store, &f.olga, "Past Meetup", now() + Duration::hours(1), 5);
    let ben = store.book(&f.dana, id, 2).expect("Ben");
    store.book(&f.dana, id, 1).expect("Ana");
    store.check_in(&f.dana, ben.booking.id).expect("Ben came");
    drop(store);
    // Two hours after the event ended.
    let later = || {
        let options =
            OpenOptions { clock: Clock::Fixed(now() + Duration::hours(5)), ..OpenOptions::default() };
        Store::open_with(f.dir.path().join("desk.db"), options).expect("open")
    };
    let mut organizer = app(later(), &f.olga);
    // Organizers open on their events not over yet: two `f` reach all events, the ended one too.
    organizer.step(Action::CycleFilter);
    organizer.step(Action::CycleFilter);
    assert_eq!(organizer.events.detail_of, Some(id));
    assert_eq!((organizer.events.no_shows_of(1), organizer.events.no_shows_of(2)), (1, 0));
    let a = organizer.events.attendance.expect("figures");
    assert_eq!((a.booked, a.checked_in, a.no_shows), (2, 1, Some(1)));
    let desk = app(later(), &f.dana);
    assert_eq!(desk.events.detail_of, Some(id));
    assert!(desk.events.no_shows.is_empty(), "read for organizers only");
}
