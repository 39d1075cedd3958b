//! Whole screens: sign-in, the three tabs, their empty states and the too-small terminal.

use ratatui::layout::Rect;

use super::{draw, populated, text};
use crate::app::tests::fixture::{self, PASSWORD, type_text};
use crate::app::{Action, App, Tab};

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, text(&draw(app, 120, 40)));
}

#[test]
fn sign_in_screen_and_wrong_password() {
    let (f, store) = fixture::fixture();
    let mut app = App::new(store, None, Rect::new(0, 0, 120, 40));
    snap("signin_empty", &app);
    type_text(&mut app, "olga");
    app.step(Action::NextField);
    type_text(&mut app, "wrong password");
    app.step(Action::Submit);
    snap("signin_wrong_password", &app);
    drop(f);
}

#[test]
fn register_form_with_errors() {
    let (_f, store) = fixture::fixture();
    let mut app = App::new(store, None, Rect::new(0, 0, 120, 40));
    app.step(Action::ToggleRegister);
    for value in ["x", "short", "boss"] {
        type_text(&mut app, value);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    snap("register_errors", &app);
}

#[test]
fn events_tab_for_the_organizer() {
    let (_f, mut app) = populated(true);
    snap("events_organizer", &app);
    app.step(Action::Down);
    app.step(Action::Down);
    snap("events_detail_third", &app);
}

#[test]
fn events_tab_is_narrow_friendly() {
    let (_f, app) = populated(false);
    insta::assert_snapshot!("events_80x24", text(&draw(&app, 80, 24)));
}

#[test]
fn events_search_in_progress() {
    let (_f, mut app) = populated(false);
    app.step(Action::Search);
    type_text(&mut app, "tiny");
    snap("events_search", &app);
}

#[test]
fn empty_states() {
    let (f, store) = fixture::fixture();
    let mut app = fixture::app(store, &f.dana);
    snap("events_empty_desk", &app);
    app.step(Action::GoTab(Tab::Bookings));
    snap("bookings_empty", &app);
    drop(f);
}

#[test]
fn bookings_tab() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    snap("bookings", &app);
    app.step(Action::CycleFilter);
    app.step(Action::CycleFilter);
    snap("bookings_cancelled_only", &app);
}

#[test]
fn history_tab_reads_as_sentences() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::History));
    snap("history", &app);
}

/// Everything about one attendee, from the Bookings tab, on the smallest supported screen.
#[test]
fn history_about_an_attendee_at_80x24() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::HistoryAbout);
    insta::assert_snapshot!("history_about_attendee_80x24", text(&draw(&app, 80, 24)));
}

#[test]
fn history_filter_with_no_match() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::History));
    app.step(Action::CycleFilter);
    type_text(&mut app, "nobody");
    app.step(Action::Submit);
    snap("history_empty", &app);
}

#[test]
fn too_small_terminal_asks_for_a_larger_window() {
    let (_f, app) = populated(false);
    let screen = text(&draw(&app, 60, 15));
    assert!(screen.contains("make the window larger"), "{screen}");
    insta::assert_snapshot!("too_small", screen);
}

#[test]
fn sign_in_screen_signs_in_and_shows_who() {
    let (_f, store) = fixture::fixture();
    let mut app = App::new(store, None, Rect::new(0, 0, 120, 40));
    type_text(&mut app, "dana");
    app.step(Action::NextField);
    type_text(&mut app, PASSWORD);
    app.step(Action::Submit);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("signed in as dana (desk)"), "{screen}");
}

#[test]
fn a_booking_of_a_deleted_event_offers_no_rebook() {
    let (f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    let cancelled = app.bookings.list.current().cloned().expect("the cancelled booking is first");
    assert_eq!(cancelled.booking.status, crate::model::BookingStatus::Cancelled);
    let before = text(&draw(&app, 120, 40));
    assert!(before.contains("r rebooks it"), "{before}");
    let other = fixture::open(&f.dir);
    other.delete_event(&f.olga, cancelled.booking.event_id, true).expect("delete in another terminal");
    app.step(Action::Tick(fixture::now()));
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("its event was deleted") && !screen.contains("rebooks"), "{screen}");
    snap("bookings_deleted_event", &app);
}
