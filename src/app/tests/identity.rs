//! What a desk sees is what it acts on: selections follow the row, not its number, when
//! another desk's writes move the list.

use super::fixture::*;
use crate::app::{Action, Mode, PickerList, Tab};
use crate::model::Session;
use crate::store::{BookingQuery, EventFilter, Store};

const LEGAL: &str = "Startup Legal Q&A";

/// Three events of Olga's, the middle one highlighted on the Events tab of a desk's app.
fn three_events(store: &Store, olga: &Session) -> i64 {
    event(store, olga, "Alpha Night", "2026-12-01 18:00", 5);
    let legal = event(store, olga, LEGAL, "2026-12-05 18:00", 5);
    event(store, olga, "Zeta Brunch", "2026-12-09 10:00", 5);
    legal
}

fn highlighted(list: &crate::app::Paged<crate::model::Event>) -> Option<String> {
    list.current().map(|e| e.title.clone())
}

#[test]
fn an_event_added_above_leaves_the_same_event_highlighted() {
    let (f, store) = fixture();
    let legal = three_events(&store, &f.olga);
    let mut app = app(store, &f.dana);
    app.step(Action::Down);
    assert_eq!(highlighted(&app.events.list).as_deref(), Some(LEGAL));
    event(&open(&f.dir), &f.olga, "Early Bird", "2026-11-01 09:00", 5);
    app.step(Action::Tick(now()));
    assert_eq!(app.events.list.total, 4, "the other desk's event is listed");
    assert_eq!(app.events.list.rows[0].title, "Early Bird", "it sorts above");
    assert_eq!(highlighted(&app.events.list).as_deref(), Some(LEGAL), "the row, not the number");
    assert_eq!(app.events.detail_of, Some(legal), "the detail pane shows it too");
}

#[test]
fn enter_in_the_picker_books_the_highlighted_event_after_one_is_added_above() {
    let (f, store) = fixture();
    let legal = three_events(&store, &f.olga);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Book);
    app.step(Action::Down);
    let Mode::Picker(p) = &app.mode else { panic!("event picker") };
    let PickerList::Events(list) = &p.list else { panic!("event picker") };
    assert_eq!(highlighted(list).as_deref(), Some(LEGAL));
    event(&open(&f.dir), &f.olga, "Early Bird", "2026-11-01 09:00", 5);
    app.step(Action::Tick(now()));
    let Mode::Picker(p) = &app.mode else { panic!("event picker") };
    let PickerList::Events(list) = &p.list else { panic!("event picker") };
    assert_eq!((list.total, highlighted(list).as_deref()), (4, Some(LEGAL)));
    app.step(Action::Submit);
    let Mode::Picker(p) = &app.mode else { panic!("attendee picker") };
    let PickerList::Attendees { event, .. } = &p.list else { panic!("attendee picker") };
    assert_eq!(event.id, legal, "the attendee picker books onto the event the desk chose");
    app.step(Action::Submit);
    let q = BookingQuery { event_id: Some(legal), ..BookingQuery::default() };
    assert_eq!(open(&f.dir).count_bookings(&q).expect("count"), 1, "{}", status(&app));
}

#[test]
fn a_deleted_event_leaves_its_neighbour_selected_and_says_why() {
    let (f, store) = fixture();
    let legal = three_events(&store, &f.olga);
    let mut app = app(store, &f.dana);
    app.step(Action::Down);
    open(&f.dir).delete_event(&f.olga, legal, true).expect("the other desk deletes it");
    app.step(Action::Tick(now()));
    assert_eq!(app.events.list.total, 2);
    assert_eq!(highlighted(&app.events.list).as_deref(), Some("Zeta Brunch"), "its neighbour");
    assert_eq!(status(&app), format!("\u{201c}{LEGAL}\u{201d} is no longer in this list: it was deleted"));
}

#[test]
fn an_event_that_fills_up_leaves_the_seats_left_filter_and_says_so() {
    let (f, store) = fixture();
    let legal = three_events(&store, &f.olga);
    let mut app = app(store, &f.dana);
    while app.events.filter != EventFilter::Available {
        app.step(Action::CycleFilter);
    }
    app.step(Action::Down);
    assert_eq!(highlighted(&app.events.list).as_deref(), Some(LEGAL));
    let other = open(&f.dir);
    for n in 0..5 {
        let who = attendee(&other, &f.dana, &format!("Guest {n}"), &format!("g{n}@example.org"));
        other.book(&f.dana, legal, who).expect("book");
    }
    app.step(Action::Tick(now()));
    assert_eq!(app.events.list.total, 2);
    assert_eq!(highlighted(&app.events.list).as_deref(), Some("Zeta Brunch"));
    assert_eq!(
        status(&app),
        format!("\u{201c}{LEGAL}\u{201d} is no longer in this list: it was filtered out")
    );
}

#[test]
fn a_new_booking_on_the_newest_first_bookings_tab_keeps_the_selection() {
    let (f, store) = fixture();
    let legal = three_events(&store, &f.olga);
    let ana = attendee(&store, &f.dana, "Cleo Park", "cleo@example.org");
    for a in [1, 2, ana] {
        store.book(&f.dana, legal, a).expect("book");
    }
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    app.step(Action::Down);
    let chosen = app.bookings.list.current().map(|b| b.booking.id).expect("a booking");
    let other = open(&f.dir);
    let dan = attendee(&other, &f.dana, "Dan Roe", "dan@example.org");
    let new = other.book(&f.dana, legal, dan).expect("book").booking.id;
    app.step(Action::Tick(now()));
    assert_eq!(app.bookings.list.total, 4);
    assert_eq!(app.bookings.list.rows[0].booking.id, new, "newest first: the new one is on top");
    assert_eq!(app.bookings.list.current().map(|b| b.booking.id), Some(chosen));
}

#[test]
fn a_move_typed_while_the_picker_opens_counts_once_its_page_is_in() {
    let (f, store) = fixture();
    three_events(&store, &f.olga);
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    // No answer is taken in between: the ↓ reaches the picker before its first page does.
    app.update(Action::Book);
    app.update(Action::Down);
    app.settle();
    let Mode::Picker(p) = &app.mode else { panic!("event picker") };
    let PickerList::Events(list) = &p.list else { panic!("event picker") };
    assert_eq!(highlighted(list).as_deref(), Some(LEGAL));
}

#[test]
fn enter_typed_before_the_search_answers_books_what_the_search_finds() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    let Mode::Picker(p) = &app.mode else { panic!("attendee picker") };
    let PickerList::Attendees { list, .. } = &p.list else { panic!("attendees") };
    assert_eq!(list.current().map(|a| a.name.as_str()), Some("Ana Ruiz"), "the first of all attendees");
    // "ben" and Enter reach the app before the search's page does (a paste, a fast desk).
    for c in "ben".chars() {
        app.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
    }
    app.update(Action::Submit);
    assert!(matches!(app.mode, Mode::Picker(_)), "nothing chosen from the rows of the search before");
    app.settle();
    assert_eq!(status(&app), "Booked Ben Ito on Rust Meetup — 4 seats left");
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn a_key_after_an_early_enter_takes_it_back() {
    let (f, store) = fixture();
    event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.dana);
    app.step(Action::Book);
    app.update(Action::Edit(tui_input::InputRequest::InsertChar('a')));
    app.update(Action::Submit);
    app.update(Action::Edit(tui_input::InputRequest::InsertChar('n')));
    app.settle();
    assert!(matches!(app.mode, Mode::Picker(_)), "still choosing: {:?}", app.mode);
    assert_eq!(status(&app), "");
}
