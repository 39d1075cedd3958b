//! Sign-in, event and booking flows through `App::update`.

use super::fixture::*;
use crate::app::{Action, App, Confirm, Mode, PickerList, Tab};
use crate::model::{BookingStatus, Role};
use ratatui::layout::Rect;

fn signin_app() -> App {
    let (_f, store) = fixture();
    // The temp dir may go: the stub keeps data in memory and the real store holds the file open.
    std::mem::forget(_f.dir);
    App::new(store, None, Rect::new(0, 0, 120, 40))
}

fn sign_in(app: &mut App, user: &str, password: &str) {
    type_text(app, user);
    app.step(Action::NextField);
    type_text(app, password);
    app.step(Action::Submit);
}

#[test]
fn sign_in_with_the_right_password_opens_the_events_tab() {
    let mut app = signin_app();
    assert!(matches!(app.mode, Mode::SignIn(_)));
    sign_in(&mut app, "olga", PASSWORD);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert_eq!(app.session.as_ref().map(|s| s.role), Some(Role::Organizer));
    assert!(status(&app).contains("Signed in as olga"));
}

#[test]
fn wrong_password_keeps_the_form_and_says_so() {
    let mut app = signin_app();
    sign_in(&mut app, "olga", "not the password");
    assert!(app.session.is_none());
    let f = form(&app);
    assert_eq!(f.value("username"), "olga", "typed username kept");
    let message = f.error.clone().unwrap_or_default().to_lowercase();
    assert!(message.contains("password") || message.contains("sign"), "{message}");
}

#[test]
fn q_and_newline_paste_never_leave_the_sign_in_form() {
    let mut app = signin_app();
    type_text(&mut app, "q");
    app.step(Action::Paste("olga\nx".into()));
    assert!(app.running);
    assert_eq!(form(&app).value("username"), "qolga x");
    assert!(app.session.is_none());
}

#[test]
fn register_a_desk_account_signs_in() {
    let mut app = signin_app();
    app.step(Action::ToggleRegister);
    for value in ["desk.ana", "long password", "desk", "Ana Desk"] {
        fill(&mut app, value);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    let session = app.session.clone().expect("signed in after registering");
    assert_eq!((session.username.as_str(), session.role), ("desk.ana", Role::Desk));
}

#[test]
fn register_an_organizer_needs_organization_and_address() {
    let mut app = signin_app();
    app.step(Action::ToggleRegister);
    for value in ["org.ana", "long password", "organizer"] {
        fill(&mut app, value);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    let f = form(&app);
    assert!(f.field("organization").and_then(|x| x.error.clone()).is_some());
    assert!(f.field("address").and_then(|x| x.error.clone()).is_some());
    assert_eq!(f.value("username"), "org.ana");
    assert!(app.session.is_none());
}

#[test]
fn duplicate_username_is_a_message_not_a_crash() {
    let mut app = signin_app();
    app.step(Action::ToggleRegister);
    for value in ["olga", "long password", "desk"] {
        fill(&mut app, value);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
    assert!(form(&app).error.clone().unwrap_or_default().contains("taken"), "{:?}", form(&app));
}

#[test]
fn organizer_creates_an_event() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    assert!(matches!(app.mode, Mode::Form(_)));
    fill_event(&mut app, ["Rust Meetup", "Talks", "2026-12-01 18:00", "2026-12-01 20:00", "40"]);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert_eq!(app.events.list.total, 1);
    assert_eq!(app.events.list.current().map(|e| e.capacity), Some(40));
    assert!(status(&app).contains("Created Rust Meetup"));
}

#[test]
fn a_bad_date_is_reported_beside_the_field_and_nothing_is_lost() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    fill_event(&mut app, ["Rust Meetup", "", "tomorrow", "2026-12-01 20:00", "forty"]);
    let form = form(&app);
    let start = form.field("start").and_then(|x| x.error.clone()).unwrap_or_default();
    assert!(start.contains("YYYY-MM-DD HH:MM"), "{start}");
    assert!(form.field("capacity").and_then(|x| x.error.clone()).is_some());
    assert_eq!((form.value("title"), form.value("start")), ("Rust Meetup", "tomorrow"));
    assert_eq!(form.focus, 2, "focus jumps to the first bad field");
    assert_eq!(app.events.list.total, 0);
}

#[test]
fn esc_cancels_a_form_without_saving() {
    let (f, store) = fixture();
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    type_text(&mut app, "q Half typed");
    assert!(app.running, "q typed into a field never quits");
    app.step(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.events.list.total, 0);
}

#[test]
fn organizer_edits_own_event_and_capacity_guard_keeps_the_form() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    store.book(&f.dana, id, 1).expect("book");
    store.book(&f.dana, id, 2).expect("book");
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    assert_eq!(form(&app).value("title"), "Rust Meetup");
    fill_event(&mut app, ["Rust Meetup II", "About", "2026-12-01 18:00", "2026-12-01 20:00", "1"]);
    assert!(matches!(app.mode, Mode::Form(_)), "capacity below bookings is refused");
    let message = form(&app).error.clone().unwrap_or_default();
    assert!(message.contains("2 active bookings"), "{message}");
    app.step(Action::PrevField);
    retype(&mut app, "3");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    let e = app.events.list.current().cloned().expect("event");
    assert_eq!((e.title.as_str(), e.capacity), ("Rust Meetup II", 3));
}

#[test]
fn others_events_are_read_only_and_say_so() {
    let (f, store) = fixture();
    event(&store, &f.omar, "Omar's Talk", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    assert_eq!(app.events.list.total, 0, "olga opens on her own events");
    app.step(Action::ClearFilters);
    for action in [Action::EditEvent, Action::DeleteEvent] {
        app.step(action);
        assert!(matches!(app.mode, Mode::Browse));
        assert!(status(&app).contains("read-only: not your event"), "{}", status(&app));
    }
    let (f, store) = fixture();
    let mut desk = super::fixture::app(store, &f.dana);
    desk.step(Action::NewEvent);
    assert!(status(&desk).contains("only organizers"));
}

#[test]
fn delete_warns_how_many_bookings_it_cancels() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.olga);
    app.step(Action::DeleteEvent);
    let Mode::Confirm(confirm) = &app.mode else { panic!("expected confirm, got {:?}", app.mode) };
    assert_eq!(confirm, &Confirm::DeleteEvent { id, title: "Rust Meetup".into(), active: 1 });
    assert!(confirm.message().contains("cancels 1 active booking"));
    app.step(Action::Yes);
    assert_eq!(app.events.list.total, 0);
    assert!(status(&app).contains("1 booking cancelled"));
}

#[test]
fn declining_a_confirm_changes_nothing() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::DeleteEvent);
    app.step(Action::Cancel);
    assert_eq!(app.events.list.total, 1);
}

#[test]
fn book_through_both_pickers() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 2);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Book);
    assert!(matches!(&app.mode, Mode::Picker(p) if matches!(p.list, PickerList::Events(_))));
    app.step(Action::Submit);
    type_text(&mut app, "ben");
    let Mode::Picker(p) = &app.mode else { panic!("attendee picker") };
    let PickerList::Attendees { list, .. } = &p.list else { panic!("attendees") };
    assert_eq!(list.total, 1, "search narrows the attendees");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Booked Ben Ito on Rust Meetup — 1 seat left");
    assert_eq!(app.bookings.list.total, 1);
}

#[test]
fn booking_the_seat_another_terminal_just_took_says_full() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 1);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    assert!(matches!(app.mode, Mode::Picker(_)));
    open(&f.dir).book(&f.olga, id, 2).expect("the other terminal books first");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Rust Meetup is full");
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    app.step(Action::Book);
    assert!(!matches!(app.mode, Mode::Picker(_)), "a full event does not open the picker: {:?}", app.mode);
    assert_eq!(status(&app), "", "the message faded with the next key");
}

#[test]
fn new_attendee_inline_is_booked_at_once() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    app.step(Action::NewAttendee);
    assert!(matches!(app.mode, Mode::Form(_)));
    type_text(&mut app, "Cleo Park");
    app.step(Action::NextField);
    type_text(&mut app, "not-an-email");
    app.step(Action::Submit);
    assert!(form(&app).field("email").and_then(|x| x.error.clone()).is_some());
    retype(&mut app, "cleo@example.org");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Booked Cleo Park on Rust Meetup — 4 seats left");
}

#[test]
fn cancel_then_rebook() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Rebook);
    assert!(status(&app).contains("is active"));
    app.step(Action::CancelBooking);
    assert!(matches!(app.mode, Mode::Confirm(Confirm::CancelBooking { .. })));
    app.step(Action::Yes);
    assert_eq!(status(&app), "Cancelled Ana Ruiz on Rust Meetup — 5 seats left");
    let row = app.bookings.list.current().cloned().expect("row");
    assert_eq!(row.booking.status, BookingStatus::Cancelled);
    app.step(Action::CancelBooking);
    assert!(status(&app).contains("already cancelled"));
    app.step(Action::Rebook);
    assert_eq!(status(&app), "Rebooked Ana Ruiz on Rust Meetup — 4 seats left");
}

#[test]
fn logout_returns_to_sign_in() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    app.step(Action::Logout);
    app.step(Action::Yes);
    assert!(app.session.is_none());
    assert!(matches!(app.mode, Mode::SignIn(_)));
}

#[test]
fn q_quits_from_browse_and_help_closes() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    app.step(Action::Help);
    assert!(matches!(app.mode, Mode::Help));
    app.step(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse) && app.running);
    app.step(Action::Quit);
    assert!(!app.running);
}
