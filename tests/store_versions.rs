//! Edits based on a version, on the store directly and on both engines: an edit bumps the
//! version, a booking does not, and an edit based on a replaced version is refused with the row
//! as it stands now, writing nothing. Confirms are checked again at commit: a delete confirmed
//! for N bookings, and a cancel confirmed for an active booking, act only if that still holds.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::{
    AttendeePatch, Clock, Current, Error, EventPatch, HistoryAction, NewAttendee, NewEvent, Refusal, Role,
    Session,
};
use eventdesk::store::{HistoryQuery, OpenOptions, Store};

on_both_engines!(
    an_edit_bumps_the_version_and_a_booking_does_not,
    a_stale_event_edit_is_refused_with_the_current_row,
    a_stale_attendee_edit_is_refused_with_the_current_row,
    an_edit_on_the_current_version_goes_through,
    copy_carries_versions,
    a_confirmed_delete_is_refused_when_the_bookings_changed,
    a_booking_cancelled_by_another_desk_is_refused_once,
);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

struct Desk {
    store: Store,
    org: Session,
    desk: Session,
}

fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "dave", Role::Desk);
    Desk { store, org, desk }
}

impl Desk {
    fn event(&self) -> i64 {
        let start = t0() + Duration::days(2);
        let new = NewEvent {
            title: "Talk".into(),
            description: String::new(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            capacity: 5,
        };
        self.store.create_event(&self.org, &new).unwrap().id
    }

    fn attendee(&self) -> i64 {
        let new =
            NewAttendee { name: "Ana Ruiz".into(), email: "ana@example.org".into(), phone: String::new() };
        self.store.add_attendee(&self.desk, &new).unwrap().id
    }

    fn edit_event(
        &self,
        id: i64,
        title: &str,
        capacity: Option<i64>,
        if_version: Option<i64>,
    ) -> Result<i64, Error> {
        let patch = EventPatch { title: Some(title.into()), capacity, if_version, ..Default::default() };
        self.store.update_event(&self.org, id, &patch).map(|f| f.changed.version)
    }

    fn history_rows(&self) -> u64 {
        self.store.count_history(&HistoryQuery::default()).unwrap()
    }
}

fn an_edit_bumps_the_version_and_a_booking_does_not(db: &Db) {
    let d = desk(db);
    let e = d.event();
    let a = d.attendee();
    assert_eq!(d.store.event(e).unwrap().version, 1);
    assert_eq!(d.store.attendee(a).unwrap().version, 1);
    let booking = d.store.book(&d.desk, e, a).unwrap().booking.id;
    d.store.cancel(&d.desk, booking).unwrap();
    assert_eq!(d.store.event(e).unwrap().version, 1, "bookings change `booked`, not the version");
    assert_eq!(d.edit_event(e, "Talk, renamed", None, None).unwrap(), 2);
    // An edit that changes nothing is not a new version.
    assert_eq!(d.edit_event(e, "Talk, renamed", None, None).unwrap(), 2);
    let patch = AttendeePatch { phone: Some("+44 20 7946 0000".into()), ..Default::default() };
    assert_eq!(d.store.update_attendee(&d.desk, a, &patch).unwrap().version, 2);
    assert_eq!(d.store.attendee(a).unwrap().version, 2);
    assert_eq!(db.count("SELECT max(version) FROM events"), 2);
}

fn a_stale_event_edit_is_refused_with_the_current_row(db: &Db) {
    let d = desk(db);
    let e = d.event();
    // Desk one opened at version 1; desk two saves version 2 meanwhile.
    assert_eq!(d.edit_event(e, "Talk (room B)", Some(8), Some(1)).unwrap(), 2);
    let before = d.history_rows();
    let err = d.edit_event(e, "Talk (room C)", Some(6), Some(1)).unwrap_err();
    let Error::Conflict(conflict) = &err else { panic!("expected a conflict, got {err:?}") };
    assert_eq!(conflict.opened, 1);
    let Current::Event(now) = &conflict.current else { panic!("an event conflict carries the event") };
    assert_eq!((now.title.as_str(), now.capacity, now.version), ("Talk (room B)", 8, 2));
    assert_eq!(conflict.fields, ["title", "capacity"]);
    assert_eq!(
        err.to_string(),
        "another desk changed this event since you opened it (version 1 → 2): title is now “Talk (room B)”, \
         capacity is now “8”; review and save again"
    );
    let stored = d.store.event(e).unwrap();
    assert_eq!((stored.title.as_str(), stored.capacity, stored.version), ("Talk (room B)", 8, 2));
    assert_eq!(d.history_rows(), before, "a refused edit records nothing");
}

fn a_stale_attendee_edit_is_refused_with_the_current_row(db: &Db) {
    let d = desk(db);
    let a = d.attendee();
    let first =
        AttendeePatch { name: Some("Ana Ruiz-Okafor".into()), if_version: Some(1), ..Default::default() };
    assert_eq!(d.store.update_attendee(&d.desk, a, &first).unwrap().version, 2);
    let before = d.history_rows();
    let stale = AttendeePatch { name: Some("Ana R.".into()), if_version: Some(1), ..Default::default() };
    let err = d.store.update_attendee(&d.desk, a, &stale).unwrap_err();
    let Error::Conflict(conflict) = &err else { panic!("expected a conflict, got {err:?}") };
    let Current::Attendee(now) = &conflict.current else {
        panic!("an attendee conflict carries the attendee")
    };
    assert_eq!((now.name.as_str(), now.version), ("Ana Ruiz-Okafor", 2));
    assert_eq!(conflict.fields, ["name"]);
    assert!(
        err.to_string().starts_with("another desk changed this attendee since you opened it (version 1 → 2)")
    );
    assert_eq!(d.store.attendee(a).unwrap().name, "Ana Ruiz-Okafor");
    assert_eq!(d.history_rows(), before);
}

fn an_edit_on_the_current_version_goes_through(db: &Db) {
    let d = desk(db);
    let e = d.event();
    assert_eq!(d.edit_event(e, "One", None, Some(1)).unwrap(), 2);
    assert_eq!(d.edit_event(e, "Two", None, Some(2)).unwrap(), 3);
    assert!(matches!(d.edit_event(e, "Three", None, Some(2)), Err(Error::Conflict(_))));
    assert_eq!(d.store.event(e).unwrap().title, "Two");
}

fn copy_carries_versions(db: &Db) {
    let d = desk(db);
    let e = d.event();
    let a = d.attendee();
    d.edit_event(e, "One", None, None).unwrap();
    d.edit_event(e, "Two", None, None).unwrap();
    let patch = AttendeePatch { name: Some("Ana R.".into()), ..Default::default() };
    d.store.update_attendee(&d.desk, a, &patch).unwrap();
    let file = Db::sqlite();
    let copy = d.store.copy_to(&file.open(OpenOptions::default())).unwrap();
    assert!(copy.check.is_ok(), "{:?}", copy.check.problems);
    let copied = file.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    assert_eq!((copied.event(e).unwrap().version, copied.attendee(a).unwrap().version), (3, 2));
    let back = if db.is_postgres() { Db::postgres("versions_copy_back") } else { Some(Db::sqlite()) };
    let Some(back) = back else { return };
    copied.copy_to(&back.open(OpenOptions::default())).unwrap();
    let store = back.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    assert_eq!((store.event(e).unwrap().version, store.attendee(a).unwrap().version), (3, 2));
}

fn cancels(d: &Desk) -> u64 {
    let q = HistoryQuery { action: Some(HistoryAction::Cancel), ..Default::default() };
    d.store.count_history(&q).unwrap()
}

fn a_confirmed_delete_is_refused_when_the_bookings_changed(db: &Db) {
    let d = desk(db);
    let e = d.event();
    let a = d.attendee();
    let b = d
        .store
        .add_attendee(
            &d.desk,
            &NewAttendee { name: "Ben".into(), email: "ben@example.org".into(), phone: String::new() },
        )
        .unwrap()
        .id;
    d.store.book(&d.desk, e, a).unwrap();
    // The confirm said "1 booking will be cancelled"; another desk books a second seat.
    d.store.book(&d.desk, e, b).unwrap();
    let err = d.store.delete_event_confirmed(&d.org, e, 1).unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::BookingsChanged { was: 1, now: 2 }));
    assert_eq!(
        err.to_string(),
        "1 booking was made since you asked (it now has 2 active bookings): confirm again"
    );
    assert!(d.store.event(e).is_ok(), "nothing deleted");
    assert_eq!(cancels(&d), 0);
    let err = d.store.delete_event_confirmed(&d.org, e, 3).unwrap_err();
    assert!(err.to_string().starts_with("1 booking was cancelled since you asked"), "{err}");
    // Confirmed again with the new count, it goes.
    assert_eq!(d.store.delete_event_confirmed(&d.org, e, 2).unwrap(), 2);
    assert_eq!(cancels(&d), 2);
    assert!(d.store.event(e).is_err());
    // Without force, an event with bookings is still refused.
    let other = d.event();
    d.store.book(&d.desk, other, a).unwrap();
    let err = d.store.delete_event(&d.org, other, false).unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::HasActiveBookings { active: 1 }));
}

fn a_booking_cancelled_by_another_desk_is_refused_once(db: &Db) {
    let d = desk(db);
    let e = d.event();
    let a = d.attendee();
    let booking = d.store.book(&d.desk, e, a).unwrap().booking.id;
    // Two desks confirmed the same cancel; the second store handle is the other desk.
    let other = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    other.cancel(&d.desk, booking).unwrap();
    let err = d.store.cancel(&d.desk, booking).unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::BookingNotActive));
    assert_eq!(cancels(&d), 1, "one history row for one cancel");
    assert_eq!(d.store.event(e).unwrap().booked, 0);
}
