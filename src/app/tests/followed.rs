//! Every list follows its row, not its number: the Bookings tab (and what it says when the row
//! leaves), the waiting view, the attendee picker and History, with a second store handle as
//! the other desk.

use super::fixture::*;
use crate::app::{Action, Mode, PickerList, Tab};
use crate::model::BookingStatus;

/// The Bookings tab filtered to active bookings, with Ana's booking on "Rust Meetup" selected.
#[test]
fn a_booking_another_desk_cancels_leaves_the_active_list_and_the_desk_is_told() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-05 18:00", 5);
    let ana = store.book(&f.dana, id, 1).expect("Ana").booking.id;
    store.book(&f.dana, id, 2).expect("Ben");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::CycleFilter);
    assert_eq!(app.bookings.status, Some(BookingStatus::Active));
    app.step(Action::Down);
    assert_eq!(app.bookings.list.current().map(|b| b.booking.id), Some(ana), "newest first: Ana second");
    open(&f.dir).cancel(&f.dana, ana).expect("the other desk cancels Ana's booking");
    app.step(Action::Tick(now()));
    assert_eq!(app.bookings.list.total, 1);
    assert_eq!(app.bookings.list.current().map(|b| b.attendee_name.as_str()), Some("Ben Ito"));
    assert_eq!(
        status(&app),
        "\u{201c}Ana Ruiz on Rust Meetup\u{201d} is no longer in this list: it was cancelled"
    );
}

#[test]
fn a_waiting_entry_that_is_promoted_leaves_the_waiting_view_and_the_desk_is_told() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Tiny", "2026-12-05 18:00", 1);
    let seat = store.book(&f.dana, id, 1).expect("Ana takes the seat").booking.id;
    let cleo = attendee(&store, &f.dana, "Cleo Park", "cleo@example.org");
    store.waitlist_add(&f.dana, id, 2).expect("Ben waits");
    store.waitlist_add(&f.dana, id, cleo).expect("Cleo waits");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    while !app.bookings.waiting {
        app.step(Action::CycleFilter);
    }
    assert_eq!(app.bookings.entries.current().map(|w| w.attendee_name.as_str()), Some("Ben Ito"));
    open(&f.dir).cancel(&f.dana, seat).expect("Ana's seat frees: Ben is promoted");
    app.step(Action::Tick(now()));
    assert_eq!(app.bookings.entries.total, 1);
    assert_eq!(app.bookings.entries.current().map(|w| w.attendee_name.as_str()), Some("Cleo Park"));
    assert_eq!(
        status(&app),
        "\u{201c}Ben Ito waiting for Tiny\u{201d} is no longer in this list: they were booked from the waiting list"
    );
}

#[test]
fn the_attendee_picker_keeps_its_highlight_when_an_attendee_is_added_above() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-05 18:00", 5);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Book);
    app.step(Action::Submit);
    app.step(Action::Down);
    let chosen = |app: &crate::app::App| {
        let Mode::Picker(p) = &app.mode else { panic!("attendee picker: {:?}", app.mode) };
        let PickerList::Attendees { list, .. } = &p.list else { panic!("attendee picker") };
        (list.total, list.current().map(|a| a.name.clone()))
    };
    assert_eq!(chosen(&app), (2, Some("Ben Ito".to_string())));
    attendee(&open(&f.dir), &f.dana, "Aaron Abel", "aaron@example.org");
    app.step(Action::Tick(now()));
    assert_eq!(chosen(&app), (3, Some("Ben Ito".to_string())), "Aaron sorts above; Ben stays");
    app.step(Action::Submit);
    let booked = open(&f.dir).list_bookings(&Default::default()).expect("bookings");
    assert_eq!(booked.len(), 1, "{}", status(&app));
    assert_eq!((booked[0].booking.event_id, booked[0].attendee_name.as_str()), (id, "Ben Ito"));
}

#[test]
fn history_keeps_the_selected_entry_as_newer_entries_land_on_top() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-05 18:00", 5);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::History);
    app.step(Action::Down);
    let chosen = app.history.list.current().map(|h| h.id).expect("an entry");
    let before = app.history.list.total;
    event(&open(&f.dir), &f.olga, "Second Meetup", "2026-12-06 18:00", 5);
    app.step(Action::Tick(now()));
    assert_eq!(app.history.list.total, before + 1);
    assert_eq!(app.history.list.current().map(|h| h.id), Some(chosen));
}
