//! The screens of issue 9 at the smallest supported size (80x24) and a roomy one (120x40): the
//! door, the waiting view of the Bookings tab, the event detail with its waiting list and door
//! figures, and the confirmations and picker of the waiting-list flow.

use chrono::Duration;

use super::{draw, text};
use crate::app::tests::fixture::{self, Fixture, attendee, event_at, type_text};
use crate::app::{Action, App, Tab};
use crate::store::Store;

fn snap_both(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), text(&draw(app, 80, 24)));
    insta::assert_snapshot!(format!("{name}_120x40"), text(&draw(app, 120, 40)));
}

/// "Rust Meetup" starts in an hour with five bookings (Cleo checked in by the other door);
/// "Tiny Workshop" is full with two waiting.
fn door_day() -> (Fixture, Store, i64) {
    let (f, store) = fixture::fixture();
    let meetup = event_at(&store, &f.olga, "Rust Meetup", fixture::now() + Duration::hours(1), 120);
    let tiny = event_at(&store, &f.olga, "Tiny Workshop", fixture::now() + Duration::days(2), 1);
    let cleo = attendee(&store, &f.dana, "Cleo Park", "cleo@example.org");
    let dan = attendee(&store, &f.dana, "Dan Wu", "dan@example.org");
    let eve = attendee(&store, &f.dana, "Eve Adams", "eve@example.org");
    for a in [1, 2, cleo, dan, eve] {
        store.book(&f.dana, meetup, a).expect("book");
    }
    store.book(&f.dana, tiny, 1).expect("book tiny");
    store.waitlist_add(&f.dana, tiny, cleo).expect("Cleo waits");
    store.waitlist_add(&f.dana, tiny, 2).expect("Ben waits");
    let cleo_booking = store.list_bookings(&Default::default()).expect("bookings");
    let cleo_booking =
        cleo_booking.iter().find(|b| b.attendee_name == "Cleo Park" && b.booking.event_id == meetup);
    store.check_in(&f.olga, cleo_booking.expect("Cleo's booking").booking.id).expect("check Cleo in");
    (f, store, meetup)
}

#[test]
fn the_door_with_a_check_in_and_a_refusal_in_place() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::OpenDoor);
    snap_both("door_open", &app);
    type_text(&mut app, "ben");
    app.step(Action::Submit);
    snap_both("door_checked_in", &app);
    type_text(&mut app, "cleo");
    app.step(Action::Submit);
    let screen = text(&draw(&app, 80, 24));
    assert!(screen.contains("already checked in at hh:mm by olga"), "{screen}");
    assert!(screen.contains("checked in 2 / 5"), "{screen}");
    snap_both("door_refused", &app);
}

#[test]
fn the_door_while_typing_and_with_no_match() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::OpenDoor);
    type_text(&mut app, "e");
    snap_both("door_typing", &app);
    type_text(&mut app, "zz");
    snap_both("door_no_match", &app);
}

#[test]
fn the_door_before_an_event_is_chosen() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::GoTab(Tab::Door));
    snap_both("door_no_event", &app);
    app.step(Action::Help);
    snap_both("door_help", &app);
}

#[test]
fn undo_check_in_asks_first() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::OpenDoor);
    type_text(&mut app, "cleo");
    app.step(Action::UndoCheckIn);
    snap_both("door_confirm_undo", &app);
}

#[test]
fn the_event_detail_shows_the_waiting_list_and_door_figures() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.olga);
    snap_both("events_detail_door_figures", &app);
    app.step(Action::Down);
    snap_both("events_detail_waiting_list", &app);
}

#[test]
fn booking_a_full_event_offers_the_waiting_list() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::Down);
    app.step(Action::Book);
    type_text(&mut app, "dan");
    snap_both("picker_full_event", &app);
    app.step(Action::Submit);
    snap_both("confirm_join_waitlist", &app);
}

#[test]
fn the_bookings_tab_waiting_view_and_its_removal() {
    let (f, store, _) = door_day();
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::GoTab(Tab::Bookings));
    for _ in 0..3 {
        app.step(Action::CycleFilter);
    }
    snap_both("bookings_waiting", &app);
    app.step(Action::Down);
    app.step(Action::CancelBooking);
    snap_both("confirm_remove_waiting", &app);
}
