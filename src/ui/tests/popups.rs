//! Popups over the main screen: forms with errors, pickers, confirmations and help.

use super::{draw, populated, text};
use crate::app::tests::fixture::{self, retype, type_text};
use crate::app::{Action, App, Tab};

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, text(&draw(app, 120, 40)));
}

#[test]
fn new_event_form_empty_and_with_errors() {
    let (_f, mut app) = populated(true);
    app.step(Action::NewEvent);
    snap("form_new_event", &app);
    for v in ["", "", "next friday", "2026-12-01 20:00", "0"] {
        retype(&mut app, v);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    snap("form_new_event_errors", &app);
}

/// Another desk saved a new title and capacity 3 while this form was open; this desk then set
/// capacity 4 and submitted.
#[test]
fn a_stale_edit_form_shows_what_changed_under_it() {
    let (f, mut app) = populated(true);
    app.step(Action::EditEvent);
    let id = app.events.list.current().map(|e| e.id).expect("an event");
    let patch = crate::model::EventPatch {
        title: Some("Rust Meetup (room B)".into()),
        capacity: Some(3),
        ..Default::default()
    };
    fixture::open(&f.dir).update_event(&f.olga, id, &patch).expect("the other desk saves first");
    for _ in 0..4 {
        app.step(Action::NextField);
    }
    retype(&mut app, "4");
    app.step(Action::Submit);
    snap("form_edit_stale", &app);
}

#[test]
fn edit_form_shows_a_store_refusal() {
    let (_f, mut app) = populated(true);
    app.step(Action::EditEvent);
    for _ in 0..4 {
        app.step(Action::NextField);
    }
    retype(&mut app, "0");
    app.step(Action::Submit);
    snap("form_edit_capacity_error", &app);
}

#[test]
fn pickers_of_the_booking_flow() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::Book);
    snap("picker_events", &app);
    app.step(Action::Submit);
    type_text(&mut app, "an");
    snap("picker_attendees", &app);
    app.step(Action::NewAttendee);
    app.step(Action::Submit);
    snap("form_new_attendee_errors", &app);
}

#[test]
fn confirm_delete_names_the_bookings_it_cancels() {
    let (_f, mut app) = populated(true);
    app.step(Action::DeleteEvent);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("cancels 1 active booking"), "{screen}");
    insta::assert_snapshot!("confirm_delete", screen);
}

#[test]
fn confirm_cancel_booking() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::CancelBooking);
    snap("confirm_cancel", &app);
}

#[test]
fn help_overlay_lists_the_keys_of_the_screen() {
    let (_f, mut app) = populated(false);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::Help);
    let screen = text(&draw(&app, 120, 40));
    for b in crate::keymap::bindings(crate::keymap::Context::Browse(Tab::Bookings)) {
        assert!(screen.contains(b.desc), "help lacks {}", b.desc);
    }
    insta::assert_snapshot!("help_bookings", screen);
}

#[test]
fn status_line_after_booking_and_full() {
    let (f, mut app) = populated(false);
    app.step(Action::Down);
    app.step(Action::Book);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("Tiny Workshop is full: choose an attendee for its waiting list"), "{screen}");
    app.step(Action::Cancel);
    app.step(Action::Home);
    app.step(Action::Book);
    app.step(Action::Down);
    app.step(Action::Submit);
    snap("status_booked", &app);
    drop(f);
    let _ = fixture::now();
}

#[test]
fn confirm_logout() {
    let (_f, mut app) = populated(false);
    app.step(Action::Logout);
    snap("confirm_logout", &app);
}

#[test]
fn attendee_picker_caps_the_count_of_a_common_search() {
    let (f, store) = fixture::fixture();
    let spec = crate::store::BulkSpec { organizers: 0, events: 0, attendees: 1_200, bookings: 0 };
    store.generate(&spec).expect("generate attendees");
    fixture::event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 2);
    let mut app = fixture::app(store, &f.dana);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::Book);
    app.step(Action::Submit);
    type_text(&mut app, "bulk-");
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("1 of 1000+ (type more to narrow)"), "{screen}");
    type_text(&mut app, "10@");
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("1 of 1 "),
        "an exact count once the search is narrow ({}):\n{screen}",
        fixture::status(&app)
    );
}

/// An event whose description has three lines, seen in the Details pane and the edit form.
#[test]
fn multi_line_descriptions_show_their_lines() {
    let (f, store) = fixture::fixture();
    let starts_at = crate::model::parse_time("2026-12-01 18:00").expect("time");
    let new = crate::model::NewEvent {
        title: "Rust Meetup".into(),
        description: "Talks:\n- async\n- traits".into(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        capacity: 5,
    };
    store.create_event(&f.olga, &new).expect("create");
    let mut app = fixture::app(store, &f.olga);
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("│Talks:") && screen.contains("│- async") && screen.contains("│- traits"),
        "{screen}"
    );
    snap("events_multi_line_description", &app);
    app.step(Action::EditEvent);
    app.step(Action::NextField);
    snap("form_edit_multi_line_description", &app);
}

/// A message longer than the space beside its field wraps under it instead of being cut.
#[test]
fn a_long_field_message_wraps() {
    let (_f, mut app) = populated(true);
    app.step(Action::NewEvent);
    let crate::app::Mode::Form(form) = &mut app.mode else { panic!("form") };
    let message = "2027-11-07 01:30 happens twice in this time zone: \
                   type 2027-11-07T01:30:00-04:00 (first) or 2027-11-07T01:30:00-05:00 (second)";
    form.set_field_error("start", message.into());
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("(second)"), "{screen}");
    snap("form_long_message", &app);
}
