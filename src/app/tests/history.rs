//! The History tab: sentences, the filter form, and "everything about this" from other tabs.

use super::fixture::*;
use crate::app::{Action, Mode, Tab};
use crate::model::{About, HistoryAction, ObjectKind};

#[test]
fn h_on_an_event_opens_its_whole_history() {
    let (f, store) = fixture();
    let rust = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let go = event(&store, &f.olga, "Go Night", "2026-12-02 18:00", 5);
    let booking = store.book(&f.dana, rust, 1).expect("book");
    store.book(&f.dana, go, 2).expect("book");
    store.move_booking(&f.dana, booking.booking.id, go).expect("move");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Events);
    assert_eq!(app.events.list.current().map(|e| e.id), Some(rust));
    app.step(Action::HistoryAbout);
    assert_eq!((app.tab, app.history.filter.about), (Tab::History, Some(About::Event(rust))));
    let said: Vec<String> = app.history.list.rows.iter().map(|h| h.sentence()).collect();
    assert_eq!(
        said,
        [
            "dana moved Ana Ruiz from Rust Meetup to Go Night",
            "dana booked Ana Ruiz onto Rust Meetup",
            "olga created event Rust Meetup (5 seats)",
        ],
        "the moved-away booking stays in the old event's history; Ben's booking on Go Night is not in it"
    );
}

#[test]
fn h_on_a_booking_opens_its_attendee_history_and_the_filter_form_keeps_it() {
    let (f, store) = fixture();
    let rust = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let ben = store.book(&f.dana, rust, 2).expect("book");
    store.cancel(&f.dana, ben.booking.id).expect("cancel");
    store.book(&f.dana, rust, 1).expect("book");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::End);
    let attendee = app.bookings.list.current().map(|b| b.booking.attendee_id).expect("a booking");
    app.step(Action::HistoryAbout);
    assert_eq!(app.history.filter.about, Some(About::Attendee(attendee)));
    let rows = &app.history.list.rows;
    assert_eq!(app.history.list.total, 3, "added, booked, cancelled: {rows:?}");
    assert!(rows.iter().all(|h| h.sentence().contains("Ben Ito")), "{rows:?}");

    // Narrowing by action keeps "about"; an unknown kind is refused beside its field.
    app.step(Action::CycleFilter);
    app.step(Action::NextField);
    type_text(&mut app, "cancel");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.history.filter.action, Some(HistoryAction::Cancel));
    assert_eq!((app.history.filter.about, app.history.list.total), (Some(About::Attendee(attendee)), 1));
    app.step(Action::CycleFilter);
    app.step(Action::NextField);
    app.step(Action::NextField);
    type_text(&mut app, "seat");
    app.step(Action::Submit);
    let kind = form(&app).field("kind").and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(kind.contains("operator, attendee, event, booking"), "{kind}");
    app.step(Action::Cancel);
    app.step(Action::ClearFilters);
    assert_eq!(app.history.filter.about, None);
    assert_eq!(app.history.filter.kind, None::<ObjectKind>);
}

#[test]
fn h_with_nothing_selected_says_so() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::HistoryAbout);
    assert_eq!(app.tab, Tab::Bookings);
    assert!(status(&app).contains("Select a row first"), "{}", status(&app));
}
