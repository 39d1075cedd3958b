//! What the desk cannot see it cannot act on, and a new operator starts clean.

use super::fixture::*;
use crate::app::{Action, Mode, Tab};
use crate::store::BookingQuery;

#[test]
fn keys_on_the_too_small_screen_do_nothing_but_quit() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::Resize(60, 15));
    assert!(crate::app::layout::too_small(app.size));
    app.step(Action::Book);
    for _ in 0..8 {
        app.step(Action::Down);
    }
    app.step(Action::Submit);
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "no picker opened unseen: {:?}", app.mode);
    assert_eq!(open(&f.dir).count_bookings(&BookingQuery::default()).expect("count"), 0, "nothing booked");
    app.step(Action::Resize(120, 40));
    app.step(Action::Book);
    assert!(matches!(app.mode, Mode::Picker(_)), "keys work again once it fits");
    app.step(Action::Cancel);
    app.step(Action::Resize(60, 15));
    app.step(Action::Quit);
    assert!(!app.running, "quit still quits");
}

#[test]
fn the_next_operator_starts_without_the_last_ones_filters_searches_and_selection() {
    let (f, store) = fixture();
    for title in ["Rust Meetup", "Go Night"] {
        let id = event(&store, &f.olga, title, "2026-12-01 18:00", 5);
        store.book(&f.dana, id, 1).expect("book");
    }
    let mut app = app(store, &f.dana);
    app.step(Action::Search);
    type_text(&mut app, "night");
    app.step(Action::Submit);
    app.step(Action::CycleFilter);
    goto(&mut app, Tab::Bookings);
    app.step(Action::CycleFilter);
    app.step(Action::Search);
    type_text(&mut app, "ana");
    app.step(Action::Submit);
    app.step(Action::Down);
    app.step(Action::Logout);
    app.step(Action::Yes);
    assert!(matches!(app.mode, Mode::SignIn(_)));
    type_text(&mut app, "omar");
    app.step(Action::NextField);
    type_text(&mut app, PASSWORD);
    app.step(Action::Submit);
    assert_eq!(app.session.as_ref().map(|s| s.username.as_str()), Some("omar"));
    assert_eq!((app.tab, app.events.search.value()), (Tab::Events, ""));
    goto(&mut app, Tab::Bookings);
    let b = &app.bookings;
    assert_eq!((b.status, b.search.value(), b.event.clone(), b.waiting), (None, "", None, false));
    assert_eq!((b.list.selected, b.list.total), (0, 2), "omar sees every booking from the top");
}
