//! Capacity at a glance from the keyboard and the mouse: picker rows and confirm buttons
//! clicked, the register form's role as a choice.

use tui_input::InputRequest;

use super::fixture::*;
use crate::app::{Action, Confirm, Mode, PickerList, Tab};
use crate::model::{BookingStatus, Role};
use crate::store::BookingQuery;

fn picker_rows(app: &crate::app::App) -> Vec<String> {
    match &app.mode {
        Mode::Picker(p) => match &p.list {
            PickerList::Events(l) => l.rows.iter().map(|e| e.title.clone()).collect(),
            PickerList::Attendees { list, .. } => list.rows.iter().map(|a| a.name.clone()).collect(),
        },
        other => panic!("expected a picker, got {other:?}"),
    }
}

#[test]
fn a_click_selects_a_picker_row_and_a_second_click_chooses_it() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    event(&store, &f.olga, "Go Night", "2026-12-02 18:00", 5);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Book);
    assert_eq!(picker_rows(&app), ["Rust Meetup", "Go Night"]);
    app.step(Action::ClickRow(5));
    assert_eq!(picker_rows(&app).len(), 2, "a click below the rows does nothing");
    app.step(Action::ClickRow(1));
    let Mode::Picker(p) = &app.mode else { panic!("still the picker") };
    let PickerList::Events(list) = &p.list else { panic!("still the event step") };
    assert_eq!(list.current().map(|e| e.title.as_str()), Some("Go Night"), "the first click selects");
    app.step(Action::ClickRow(1));
    assert_eq!(picker_rows(&app), ["Ana Ruiz", "Ben Ito"], "the second click chose the event");
    app.step(Action::ClickRow(1));
    app.step(Action::ClickRow(1));
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert!(status(&app).starts_with("Booked Ben Ito on Go Night"), "{}", status(&app));
}

#[test]
fn confirm_buttons_answer_as_their_keys() {
    let (f, store) = fixture();
    let e = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, e, 1).expect("book");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::CancelBooking);
    assert!(matches!(app.mode, Mode::Confirm(Confirm::CancelBooking { .. })));
    app.step(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(status(&app), "Nothing changed");
    app.step(Action::CancelBooking);
    app.step(Action::Yes);
    let store = open(&f.dir);
    let rows = store.list_bookings(&BookingQuery::default()).expect("bookings");
    assert_eq!(rows[0].booking.status, BookingStatus::Cancelled);
}

#[test]
fn the_register_role_is_a_choice_not_text() {
    let (_f, store) = fixture();
    let mut app = crate::app::App::new(store, None, ratatui::layout::Rect::new(0, 0, 120, 40));
    app.step(Action::ToggleRegister);
    for value in ["desk.ben", "long password"] {
        type_text(&mut app, value);
        app.step(Action::NextField);
    }
    assert_eq!(form(&app).fields[form(&app).focus].name, "role");
    assert_eq!(form(&app).value("role"), "organizer", "the first choice to begin with");
    type_text(&mut app, "dx");
    app.step(Action::Paste("desk".into()));
    app.step(Action::Edit(InputRequest::DeleteLine));
    assert_eq!(form(&app).value("role"), "organizer", "nothing types into a choice");
    app.step(Action::Edit(InputRequest::GoToNextChar));
    assert_eq!(form(&app).value("role"), "desk", "→ moves on");
    app.step(Action::Edit(InputRequest::GoToNextChar));
    assert_eq!(form(&app).value("role"), "organizer", "and wraps round");
    app.step(Action::Edit(InputRequest::GoToPrevChar));
    assert_eq!(form(&app).value("role"), "desk", "← moves back");
    app.step(Action::NextField);
    type_text(&mut app, "Ben Desk");
    app.step(Action::Submit);
    let session = app.session.clone().expect("registered and signed in");
    assert_eq!((session.username.as_str(), session.role), ("desk.ben", Role::Desk));
}
