//! Filters, search, paging and live reload.

use super::fixture::*;
use crate::app::{Action, Mode, Tab};
use crate::model::{BookingStatus, Clock};
use crate::store::EventFilter;

#[test]
fn event_filters_cycle_and_narrow_the_list() {
    let (f, store) = fixture();
    // A day after "now" in any time zone, and long past three days later.
    event(&store, &f.olga, "Mine soon", "2026-06-02 12:00", 1);
    let later = event(&store, &f.omar, "Theirs later", "2026-12-01 18:00", 1);
    store.book(&f.dana, later, 1).expect("book");
    let mut app = app(store, &f.olga);
    let later = now() + chrono::Duration::days(3);
    app.set_clock(Clock::Fixed(later));
    app.step(Action::Tick(later));
    assert_eq!((app.events.filter, app.events.list.total), (EventFilter::MineUpcoming, 0), "hers are over");
    app.step(Action::ClearFilters);
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push((app.events.filter, app.events.list.total));
        app.step(Action::CycleFilter);
    }
    assert_eq!(
        seen,
        [
            (EventFilter::All, 2),
            (EventFilter::Upcoming, 1),
            (EventFilter::Past, 1),
            (EventFilter::Mine, 1),
            (EventFilter::MineUpcoming, 0),
            (EventFilter::Available, 0),
        ]
    );
    assert_eq!(app.events.filter, EventFilter::All);
}

#[test]
fn incremental_search_follows_each_key_and_esc_clears() {
    let (f, store) = fixture();
    for title in ["Rust Meetup", "Go Night", "Rustacean Brunch"] {
        event(&store, &f.olga, title, "2026-12-01 18:00", 5);
    }
    let mut app = app(store, &f.dana);
    app.step(Action::Search);
    assert!(matches!(app.mode, Mode::Search));
    type_text(&mut app, "ru");
    assert_eq!(app.events.list.total, 2);
    type_text(&mut app, "sta");
    assert_eq!(app.events.list.total, 1);
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.events.list.total, 1, "Enter keeps the search");
    app.step(Action::Search);
    app.step(Action::Cancel);
    assert_eq!(app.events.list.total, 3, "Esc clears it");
}

#[test]
fn booking_filters_by_status_event_and_attendee() {
    let (f, store) = fixture();
    let a = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let b = event(&store, &f.olga, "Go Night", "2026-12-02 18:00", 5);
    store.book(&f.dana, a, 1).expect("book");
    store.book(&f.dana, b, 1).expect("book");
    let cancelled = store.book(&f.dana, b, 2).expect("book");
    store.cancel(&f.dana, cancelled.booking.id).expect("cancel");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::Bookings);
    assert_eq!(app.bookings.list.total, 3);
    app.step(Action::CycleFilter);
    assert_eq!((app.bookings.status, app.bookings.list.total), (Some(BookingStatus::Active), 2));
    app.step(Action::CycleFilter);
    assert_eq!((app.bookings.status, app.bookings.list.total), (Some(BookingStatus::Cancelled), 1));
    app.step(Action::ClearFilters);
    app.step(Action::FilterAttendee);
    let who = app.bookings.attendee.clone().map(|a| a.1).unwrap_or_default();
    let expected = if who == "Ana Ruiz" { 2 } else { 1 };
    assert_eq!(app.bookings.list.total, expected);
    app.step(Action::ClearFilters);
    app.step(Action::FilterEvent);
    assert!(
        app.bookings
            .list
            .rows
            .iter()
            .all(|r| Some(r.booking.event_id) == app.bookings.event.as_ref().map(|e| e.0))
    );
    app.step(Action::Search);
    type_text(&mut app, "zzz");
    assert_eq!(app.bookings.list.total, 0);
}

#[test]
fn enter_on_an_event_lists_its_bookings() {
    let (f, store) = fixture();
    let a = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    let b = event(&store, &f.olga, "Go Night", "2026-12-02 18:00", 5);
    store.book(&f.dana, a, 1).expect("book");
    store.book(&f.dana, b, 2).expect("book");
    let mut app = app(store, &f.dana);
    app.step(Action::ShowBookings);
    assert_eq!(app.tab, Tab::Bookings);
    assert_eq!(app.bookings.list.total, 1);
    assert_eq!(app.events.attendee_total, 1, "the detail pane listed the attendee too");
}

#[test]
fn history_filter_form_validates_and_filters() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.dana);
    goto(&mut app, Tab::History);
    let all = app.history.list.total;
    assert!(all >= 5, "register, login, create, book rows: {all}");
    assert_eq!(app.history.list.current().map(|h| h.action.as_str()), Some("book"), "newest first");
    app.step(Action::CycleFilter);
    app.step(Action::NextField);
    type_text(&mut app, "booked");
    app.step(Action::Submit);
    assert!(form(&app).field("action").and_then(|x| x.error.clone()).is_some());
    retype(&mut app, "book");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.history.list.total, 1);
    app.step(Action::ClearFilters);
    assert_eq!(app.history.list.total, all);
}

#[test]
fn only_the_visible_page_is_loaded_and_moves_scroll_it() {
    let (f, store) = fixture();
    for i in 0..60 {
        event(&store, &f.olga, &format!("Event {i:02}"), &format!("2026-12-{:02} 18:00", 1 + i % 28), 5);
    }
    let mut app = app(store, &f.dana);
    let view = u64::from(app.events.list.view);
    assert_eq!(app.events.list.total, 60);
    assert_eq!(app.events.list.rows.len() as u64, view);
    app.step(Action::End);
    assert_eq!((app.events.list.selected, app.events.list.offset), (59, 60 - view));
    assert!(app.events.list.current().is_some());
    app.step(Action::PageUp);
    assert_eq!(app.events.list.selected, 59 - view);
    app.step(Action::Home);
    assert_eq!((app.events.list.selected, app.events.list.offset), (0, 0));
    app.step(Action::ClickRow(3));
    assert_eq!(app.events.list.selected, 3);
}

#[test]
fn another_connection_s_commit_shows_on_the_next_tick_keeping_the_selection() {
    let (f, store) = fixture();
    for i in 0..5 {
        event(&store, &f.olga, &format!("Event {i}"), "2026-12-01 18:00", 5);
    }
    let mut app = app(store, &f.dana);
    app.step(Action::Down);
    app.step(Action::Down);
    let other = open(&f.dir);
    let id = app.events.list.current().map(|e| e.id).expect("selected");
    other.book(&f.dana, id, 1).expect("book from another connection");
    app.step(Action::Tick(now()));
    assert_eq!(app.events.list.selected, 2);
    assert_eq!(app.events.list.current().map(|e| e.booked), Some(1), "reloaded without a key");
}

#[test]
fn organizers_open_on_their_upcoming_events_with_the_summary() {
    let (f, store) = fixture();
    let later = event(&store, &f.olga, "Later", "2026-12-01 18:00", 5);
    let sooner = event(&store, &f.olga, "Sooner", "2026-06-20 18:00", 2);
    event(&store, &f.omar, "Not hers", "2026-06-10 18:00", 5);
    store.book(&f.dana, sooner, 1).expect("book");
    store.book(&f.dana, sooner, 2).expect("book");
    store.book(&f.dana, later, 1).expect("book");
    let mut app = app(store, &f.olga);
    assert_eq!(app.events.filter, EventFilter::MineUpcoming);
    let ids: Vec<i64> = app.events.list.rows.iter().map(|e| e.id).collect();
    assert_eq!(ids, [sooner, later], "hers only, soonest first");
    let summary = app.events.summary.expect("the summary came with the page");
    assert_eq!((summary.seats_left, summary.full, summary.nearly_full, summary.today), (4, 1, 0, 0));
    // A booking elsewhere moves the summary on the next reload.
    let other = open(&f.dir);
    other.cancel(&f.dana, 1).expect("cancel");
    app.step(Action::Tick(now()));
    let summary = app.events.summary.expect("summary");
    assert_eq!((summary.seats_left, summary.full), (5, 0), "{summary:?}");
    // A desk opens on everything, and the summary counts every organizer's events.
    let mut desk = super::fixture::app(open(&f.dir), &f.dana);
    assert_eq!((desk.events.filter, desk.events.list.total), (EventFilter::All, 3));
    desk.step(Action::Tick(now()));
    assert_eq!(desk.events.summary.map(|s| s.seats_left), Some(10));
    // Everyone's summary reads every event: after a change it is read again within seconds,
    // not on every reload.
    other.cancel(&f.dana, 3).expect("cancel");
    desk.step(Action::Tick(now() + chrono::Duration::seconds(1)));
    assert_eq!(desk.events.summary.map(|s| s.seats_left), Some(10), "not yet");
    desk.step(Action::Tick(now() + chrono::Duration::seconds(6)));
    assert_eq!(desk.events.summary.map(|s| s.seats_left), Some(11), "read again on a later tick");
}

#[test]
fn a_tab_switch_keeps_the_summary_until_a_change_comes_in() {
    let (f, store) = fixture();
    let e = event(&store, &f.olga, "Meetup", "2026-12-01 18:00", 5);
    let mut app = app(store, &f.olga);
    app.step(Action::Tick(now()));
    assert_eq!(app.events.summary.map(|s| s.seats_left), Some(5));
    let other = open(&f.dir);
    other.book(&f.dana, e, 1).expect("book from another connection");
    // Not polled yet: switching tabs and back reads the list again but not the summary.
    app.step(Action::GoTab(Tab::History));
    app.step(Action::GoTab(Tab::Events));
    assert_eq!(app.events.summary.map(|s| s.seats_left), Some(5), "kept: no change seen");
    // The tick sees the other connection's commit and reads it at once (an organizer's own).
    app.step(Action::Tick(now()));
    assert_eq!(app.events.summary.map(|s| s.seats_left), Some(4), "read after the change");
    // Cleared by hand to see whether anything asks for it again.
    app.events.summary = None;
    app.step(Action::GoTab(Tab::History));
    app.step(Action::GoTab(Tab::Events));
    assert_eq!(app.events.summary, None, "a switch alone asks nothing");
    app.step(Action::Tick(now() + chrono::Duration::seconds(6)));
    assert_eq!(app.events.summary.map(|s| s.seats_left), Some(4), "read again once older than 5 s");
}

#[test]
fn the_detail_carries_the_events_bookings_per_day() {
    let (f, store) = fixture();
    let e = event(&store, &f.olga, "Meetup", "2026-12-01 18:00", 5);
    store.book(&f.dana, e, 1).expect("book");
    store.book(&f.dana, e, 2).expect("book");
    let app = app(store, &f.dana);
    assert_eq!(app.events.detail_of, Some(e));
    let days: Vec<(u32, u32)> = app.events.days.iter().map(|d| (d.booked, d.cancelled)).collect();
    assert_eq!(days, [(2, 0)], "two seats taken on the fixture's day");
    assert_eq!(app.events.days[0].day, now().date_naive());
}
