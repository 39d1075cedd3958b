//! The Door tab through `App::update`: search, Enter checks in, refusals in place, undo, and
//! the other door's check-ins arriving live. A second `Store` on the same file plays the other
//! door.

use chrono::Duration;

use super::fixture::*;
use crate::app::{Action, App, Confirm, DoorResult, DoorWrite, Mode, Tab};
use crate::model::{BookingStatus, Clock};
use crate::store::{BookingQuery, OpenOptions, Store};

/// An event starting in an hour (check-in is open) with Ana, Ben and Cleo booked; an app
/// signed in as the desk with the event at the door.
fn at_the_door() -> (Fixture, App, i64) {
    let (f, store) = fixture();
    let id = event_at(&store, &f.olga, "Rust Meetup", now() + Duration::hours(1), 10);
    let cleo = attendee(&store, &f.dana, "Cleo Park", "cleo@example.org");
    for a in [1, 2, cleo] {
        store.book(&f.dana, id, a).expect("book");
    }
    let mut app = app(store, &f.dana);
    app.step(Action::OpenDoor);
    assert_eq!(app.tab, Tab::Door);
    (f, app, id)
}

fn names(app: &App) -> Vec<String> {
    app.door.list.rows.iter().map(|b| b.attendee_name.clone()).collect()
}

fn checked_in(store: &Store, event_id: i64) -> Vec<(String, String)> {
    let q = BookingQuery {
        event_id: Some(event_id),
        status: Some(BookingStatus::Active),
        checked_in: Some(true),
        ..BookingQuery::default()
    };
    let rows = store.list_bookings(&q).expect("bookings");
    rows.into_iter().map(|b| (b.attendee_name, b.checked_in_by.unwrap_or_default())).collect()
}

fn counter(app: &App) -> (u32, u32) {
    app.door.attendance.map(|a| (a.checked_in, a.booked)).expect("figures read")
}

#[test]
fn typing_narrows_the_matches_and_enter_checks_in_the_highlighted_one() {
    let (f, mut app, id) = at_the_door();
    assert_eq!(names(&app), ["Ana Ruiz", "Ben Ito", "Cleo Park"], "in name order");
    assert_eq!(counter(&app), (0, 3));
    // "ru" is in the event's title too: at the door only the attendee's name or email counts.
    type_text(&mut app, "ru");
    assert_eq!(names(&app), ["Ana Ruiz"]);
    app.step(Action::Edit(tui_input::InputRequest::DeleteLine));
    type_text(&mut app, "BEN@");
    assert_eq!(names(&app), ["Ben Ito"], "email, any case");
    app.step(Action::Submit);
    assert_eq!(status(&app), "Checked in Ben Ito — 1 / 3");
    assert_eq!(counter(&app), (1, 3), "the counter moves");
    assert_eq!(app.door.search.value(), "", "the search clears for the next person");
    assert_eq!(app.door.list.total, 3);
    assert_eq!(app.door.list.selected, 0, "the next person starts from the top");
    let ben = app.door.list.rows.iter().find(|b| b.attendee_name == "Ben Ito").expect("Ben listed");
    assert_eq!(ben.checked_in_by.as_deref(), Some("dana"), "the row is marked");
    let outcome = app.door.outcome.clone().expect("outcome shown in place");
    assert!(matches!(outcome.result, DoorResult::Done { .. }), "{outcome:?}");
    assert_eq!(checked_in(&open(&f.dir), id), [("Ben Ito".to_string(), "dana".to_string())]);
    assert!(app.running, "typing never quits");
}

#[test]
fn q_and_digits_type_into_the_door_search() {
    let (_f, mut app, _) = at_the_door();
    type_text(&mut app, "q1");
    assert!(app.running);
    assert_eq!(app.door.search.value(), "q1");
    assert_eq!(app.door.list.total, 0);
    app.step(Action::Cancel);
    assert_eq!((app.door.search.value(), app.door.list.total), ("", 3), "Esc clears the search");
    app.step(Action::Submit);
    assert!(status(&app).starts_with("Checked in Ana Ruiz"), "Enter on the first row: {}", status(&app));
}

/// The highlight is a person, not a row position: when another desk's booking shifts the rows,
/// it stays on the same booking, and Enter checks in that booking's id.
#[test]
fn the_highlight_and_the_enter_follow_the_booking_not_the_row_position() {
    let (f, mut app, id) = at_the_door();
    app.step(Action::Down);
    assert_eq!(app.door.list.current().map(|b| b.attendee_name.as_str()), Some("Ben Ito"));
    let other = open(&f.dir);
    let aaron = attendee(&other, &f.dana, "Aaron Abe", "aaron@example.org");
    other.book(&f.dana, id, aaron).expect("a booking that sorts first");
    app.step(Action::Tick(now()));
    assert_eq!(names(&app), ["Aaron Abe", "Ana Ruiz", "Ben Ito", "Cleo Park"], "the rows moved");
    assert_eq!(app.door.list.current().map(|b| b.attendee_name.as_str()), Some("Ben Ito"));
    // A refresh sent with the Enter and answered first changes nothing either.
    other.cancel(&f.dana, app.door.list.rows[0].booking.id).expect("Aaron cancels");
    app.update(Action::Tick(now()));
    app.update(Action::Submit);
    app.settle();
    assert_eq!(checked_in(&other, id), [("Ben Ito".to_string(), "dana".to_string())]);
}

#[test]
fn a_refusal_shows_in_place_with_its_reason_and_who_did_it() {
    let (f, mut app, id) = at_the_door();
    type_text(&mut app, "ana");
    let ana = app.door.list.current().map(|b| b.booking.id).expect("Ana");
    // The other door gets there first; this screen has not refreshed yet.
    open(&f.dir).check_in(&f.olga, ana).expect("the other door checks Ana in");
    app.step(Action::Submit);
    let outcome = app.door.outcome.clone().expect("outcome");
    assert_eq!(outcome.write, DoorWrite::CheckIn);
    let DoorResult::Refused(why) = &outcome.result else { panic!("refused: {outcome:?}") };
    assert!(why.starts_with("already checked in at ") && why.ends_with(" by olga"), "{why}");
    assert!(
        outcome.text().starts_with("Ana Ruiz not checked in: already checked in at"),
        "{}",
        outcome.text()
    );
    assert!(app.status.as_ref().is_some_and(|s| s.error), "a warning on the status line too");
    assert_eq!(checked_in(&open(&f.dir), id).len(), 1, "still one check-in");
}

#[test]
fn the_list_and_counter_follow_the_other_door_live() {
    let (f, mut app, _) = at_the_door();
    let ben = app.door.list.rows.iter().find(|b| b.attendee_name == "Ben Ito").map(|b| b.booking.id);
    open(&f.dir).check_in(&f.olga, ben.expect("Ben")).expect("the other door");
    app.step(Action::Tick(now()));
    assert_eq!(counter(&app), (1, 3));
    let row = app.door.list.rows.iter().find(|b| b.attendee_name == "Ben Ito").expect("Ben");
    assert_eq!(row.checked_in_by.as_deref(), Some("olga"));
}

#[test]
fn undo_asks_first_and_then_undoes_the_highlighted_check_in() {
    let (f, mut app, id) = at_the_door();
    type_text(&mut app, "cleo");
    app.step(Action::UndoCheckIn);
    assert_eq!(status(&app), "Cleo Park is not checked in: nothing to undo");
    assert!(matches!(app.mode, Mode::Browse));
    app.step(Action::Submit);
    type_text(&mut app, "cleo");
    app.step(Action::UndoCheckIn);
    let Mode::Confirm(Confirm::UndoCheckIn { attendee, by, .. }) = &app.mode else {
        panic!("asks first: {:?}", app.mode)
    };
    assert_eq!((attendee.as_str(), by.as_str()), ("Cleo Park", "dana"));
    app.step(Action::Cancel);
    assert_eq!(checked_in(&open(&f.dir), id).len(), 1, "n changes nothing");
    app.step(Action::UndoCheckIn);
    app.step(Action::Yes);
    assert_eq!(status(&app), "Undid Cleo Park's check-in — 0 / 3");
    assert_eq!(counter(&app), (0, 3));
    assert!(checked_in(&open(&f.dir), id).is_empty());
    assert_eq!(app.tab, Tab::Door, "still at the door");
}

#[test]
fn check_in_before_it_opens_says_when_it_does() {
    let (f, store) = fixture();
    let id = event_at(&store, &f.olga, "Later", now() + Duration::days(3), 10);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.dana);
    app.step(Action::OpenDoor);
    app.step(Action::Submit);
    let DoorResult::Refused(why) = app.door.outcome.clone().expect("outcome").result else {
        panic!("refused")
    };
    assert!(why.starts_with("check-in is not open yet: it opens at "), "{why}");
}

#[test]
fn an_organizer_is_refused_at_another_organizers_door() {
    let (f, store) = fixture();
    let id = event_at(&store, &f.olga, "Olga's", now() + Duration::hours(1), 10);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.omar);
    // Organizers open on their own upcoming events: from there, two `f` reach everyone's.
    app.step(Action::CycleFilter);
    app.step(Action::CycleFilter);
    app.step(Action::OpenDoor);
    app.step(Action::Submit);
    let DoorResult::Refused(why) = app.door.outcome.clone().expect("outcome").result else {
        panic!("refused")
    };
    assert_eq!(why, "you can check attendees in only on your own events; this one is olga events's");
}

#[test]
fn the_door_tab_without_an_event_says_how_to_choose_one() {
    let (f, store) = fixture();
    let mut app = app(store, &f.dana);
    app.step(Action::GoTab(Tab::Door));
    type_text(&mut app, "a");
    assert_eq!(status(&app), "no event at the door: select one in the Events tab and press D");
    app.step(Action::Submit);
    assert!(app.door.outcome.is_none());
    app.step(Action::NextTab);
    assert_eq!(app.tab, Tab::Events, "Tab leaves the door");
}

#[test]
fn after_the_event_the_door_counts_no_shows() {
    let (f, mut app, id) = at_the_door();
    app.step(Action::Submit);
    let later = now() + Duration::hours(4);
    app.set_clock(Clock::Fixed(later));
    app.step(Action::Tick(later));
    let a = app.door.attendance.expect("figures");
    assert_eq!((a.checked_in, a.booked, a.no_shows), (1, 3, Some(2)));
    type_text(&mut app, "ben");
    app.step(Action::Submit);
    let DoorResult::Refused(why) = app.door.outcome.clone().expect("outcome").result else {
        panic!("refused")
    };
    assert_eq!(why, "the event has already ended");
    let late = Store::open_with(
        f.dir.path().join("desk.db"),
        OpenOptions { clock: Clock::Fixed(later), ..OpenOptions::default() },
    )
    .expect("open");
    assert_eq!(late.count_no_shows(&f.dana, id).expect("no-shows"), 2);
}

/// This door asks to undo Cleo's check-in; the other door undoes it and checks her in again a
/// minute later. Yes is refused naming the newer check-in, which stands, and the confirmation
/// is asked again for it.
#[test]
fn an_undo_confirmed_for_a_replaced_check_in_asks_again_for_the_one_that_stands() {
    let (f, mut app, id) = at_the_door();
    type_text(&mut app, "cleo");
    app.step(Action::Submit);
    type_text(&mut app, "cleo");
    app.step(Action::UndoCheckIn);
    assert!(matches!(app.mode, Mode::Confirm(Confirm::UndoCheckIn { .. })), "{:?}", app.mode);
    let cleo = app.door.list.current().map(|b| b.booking.id).expect("Cleo");
    let later = OpenOptions { clock: Clock::Fixed(now() + Duration::minutes(1)), ..OpenOptions::default() };
    let other = Store::open_with(f.dir.path().join("desk.db"), later).expect("the other door");
    other.undo_check_in(&f.olga, cleo).expect("the other door undoes it");
    let again = other.check_in(&f.olga, cleo).expect("and checks Cleo in again");
    app.step(Action::Yes);
    assert!(status(&app).starts_with("the check-in changed since you asked"), "{}", status(&app));
    let Mode::Confirm(Confirm::UndoCheckIn { at, by, .. }) = &app.mode else {
        panic!("asked again: {:?}", app.mode)
    };
    assert_eq!((*at, by.as_str()), (again.checked_in_at, "olga"), "the confirmation names the one standing");
    assert_eq!(checked_in(&open(&f.dir), id), [("Cleo Park".to_string(), "olga".to_string())], "it stands");
    app.step(Action::Yes);
    assert!(checked_in(&open(&f.dir), id).is_empty(), "confirmed again, it is undone");
}
