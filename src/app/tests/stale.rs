//! Issue 12: what a desk sees is what it acts on. A second store handle on the same file plays
//! the other desk, changing things between this desk's confirm and its answer.

use super::fixture::*;
use crate::app::{Action, Confirm, Mode};
use crate::model::EventPatch;

#[test]
fn a_delete_confirmed_for_one_booking_asks_again_when_another_desk_booked_meanwhile() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    store.book(&f.dana, id, 1).expect("book");
    let mut app = app(store, &f.olga);
    app.step(Action::DeleteEvent);
    let Mode::Confirm(confirm) = &app.mode else { panic!("expected confirm, got {:?}", app.mode) };
    assert!(confirm.message().contains("cancels 1 active booking."), "{}", confirm.message());
    open(&f.dir).book(&f.dana, id, 2).expect("the other desk books a second seat");
    app.step(Action::Yes);
    assert_eq!(
        status(&app),
        "1 booking was made since you asked (it now has 2 active bookings): confirm again"
    );
    let Mode::Confirm(again) = &app.mode else { panic!("asked again, got {:?}", app.mode) };
    assert_eq!(again, &Confirm::DeleteEvent { id, title: "Rust Meetup".into(), active: 2 });
    assert!(again.message().contains("cancels 2 active bookings"), "{}", again.message());
    assert!(open(&f.dir).event(id).is_ok(), "nothing deleted yet");
    app.step(Action::Yes);
    assert!(status(&app).contains("2 bookings cancelled"), "{}", status(&app));
    assert!(open(&f.dir).event(id).is_err(), "deleted once confirmed again");
}

#[test]
fn an_edit_saved_over_another_desks_edit_is_refused_then_reapplied_on_the_new_version() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    let patch = EventPatch { title: Some("Rust Meetup (room B)".into()), ..Default::default() };
    open(&f.dir).update_event(&f.olga, id, &patch).expect("the other desk saves first");
    fill_event(&mut app, ["Rust Meetup II", "About", "2026-12-01 18:00", "2026-12-01 20:00", "10"]);
    assert!(matches!(app.mode, Mode::Form(_)), "the stale save keeps the form open: {:?}", app.mode);
    let message = form(&app).error.clone().unwrap_or_default();
    assert!(
        message.contains("another desk changed this event since you opened it (version 1 → 2)"),
        "{message}"
    );
    assert!(message.contains("title"), "{message}");
    assert_eq!(open(&f.dir).event(id).expect("event").title, "Rust Meetup (room B)", "nothing written");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "re-applied on the new version: {:?}", app.mode);
    let saved = open(&f.dir).event(id).expect("event");
    assert_eq!((saved.title.as_str(), saved.version), ("Rust Meetup II", 3));
}
