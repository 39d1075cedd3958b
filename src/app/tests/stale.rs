//! Issue 12: what a desk sees is what it acts on. A second store handle on the same file plays
//! the other desk, changing things between this desk's confirm and its answer.

use super::fixture::*;
use crate::app::{Action, Confirm, Mode};

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
