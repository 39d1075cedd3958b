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

/// The case: desk B opens the edit on capacity 10; the CLI sets capacity 9 and a new
/// title; B sets capacity 6. The save is refused, the form says which fields changed under it,
/// shows the new title (B never touched it) and keeps B's capacity beside the stored one.
#[test]
fn a_stale_edit_shows_what_changed_under_it_and_reapplies_only_the_desks_own_edits() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    let patch =
        EventPatch { title: Some("Rust Meetup (room B)".into()), capacity: Some(9), ..Default::default() };
    open(&f.dir).update_event(&f.olga, id, &patch).expect("the other desk saves first");
    while form(&app).fields[form(&app).focus].name != "capacity" {
        app.step(Action::NextField);
    }
    retype(&mut app, "6");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Form(_)), "refused, the form stays: {:?}", app.mode);
    let form_now = form(&app);
    assert_eq!(
        form_now.error.as_deref(),
        Some(
            "another desk changed this event since you opened it (version 1 → 2): title, capacity; \
             Enter saves your edits over it, Esc discards them"
        )
    );
    let title = form_now.field("title").expect("title");
    assert_eq!(title.value(), "Rust Meetup (room B)", "a field the desk did not touch shows what is stored");
    assert_eq!(title.error.as_deref(), Some("changed by another desk: now shown"));
    let capacity = form_now.field("capacity").expect("capacity");
    assert_eq!(capacity.value(), "6", "the desk's own edit is kept");
    assert_eq!(capacity.error.as_deref(), Some("another desk saved \u{201c}9\u{201d}: Enter keeps yours"));
    assert_eq!(form_now.field("description").and_then(|d| d.error.clone()), None, "unchanged: nothing said");
    assert_eq!(open(&f.dir).event(id).expect("event").capacity, 9, "nothing written");

    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "saved on the new version: {:?}", app.mode);
    let saved = open(&f.dir).event(id).expect("event");
    assert_eq!((saved.title.as_str(), saved.capacity, saved.version), ("Rust Meetup (room B)", 6, 3));
}

#[test]
fn esc_on_a_stale_edit_discards_the_desks_edits_and_keeps_the_other_desks() {
    let (f, store) = fixture();
    let id = event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 10);
    let mut app = app(store, &f.olga);
    app.step(Action::EditEvent);
    let patch = EventPatch { capacity: Some(9), ..Default::default() };
    open(&f.dir).update_event(&f.olga, id, &patch).expect("the other desk saves first");
    fill_event(&mut app, ["Rust Meetup", "", "2026-12-01 18:00", "2026-12-01 20:00", "12"]);
    assert!(matches!(app.mode, Mode::Form(_)));
    app.step(Action::Cancel);
    assert!(matches!(app.mode, Mode::Browse));
    let stored = open(&f.dir).event(id).expect("event");
    assert_eq!((stored.capacity, stored.version), (9, 2), "the other desk's save stands");
}
