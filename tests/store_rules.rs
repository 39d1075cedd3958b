//! The booking rules, called on the store directly (no CLI, no terminal).

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/desk.rs"]
mod desk;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::Duration;
use desk::{desk, refusal, t0};
use engines::Db;
use eventdesk::model::{
    AttendeePatch, BookingStatus, Error, EventPatch, Field, HistoryAction, NewAttendee, NewEvent,
    NewOperator, Refusal, Role, Session,
};
use eventdesk::store::{AttendeeQuery, BookingQuery, EventFilter, EventQuery, HistoryQuery, Page};

on_both_engines!(
    booking_takes_a_seat_and_records_history,
    refusals_come_in_order,
    cancel_then_rebook_reactivates_and_rechecks_capacity,
    booking_again_after_cancel_reuses_the_row,
    move_goes_through_the_capacity_check,
    only_the_owning_organizer_changes_an_event,
    edit_revalidates_the_whole_event_and_guards_capacity,
    delete_with_bookings_needs_force_and_cancels_them,
    event_lists_filter_and_search,
    accounts_register_login_lockout,
    edited_attendees_are_found_by_their_new_name_and_email,
    attendees_unique_email_and_edit,
    booking_counts_match_the_lists_under_every_filter,
    pages_read_from_the_end_match_pages_read_from_the_start,
);

fn booking_takes_a_seat_and_records_history(db: &Db) {
    let d = desk(db);
    let (e, a) = (d.event(2, 24), d.attendee(1));
    let row = d.store.book(&d.desk, e, a).unwrap();
    assert_eq!(
        (row.booking.status, row.seats_left, row.attendee_name.as_str()),
        (BookingStatus::Active, 1, "Person 1")
    );
    assert_eq!(row, d.store.booking(row.booking.id).unwrap(), "the returned row is what was stored");
    assert_eq!(d.store.event(e).unwrap().booked, 1);
    let h =
        d.store.history(&HistoryQuery { action: Some(HistoryAction::Book), ..Default::default() }).unwrap();
    assert_eq!((h.len(), h[0].actor.as_str(), h[0].object_id), (1, "dave", Some(row.booking.id)));
    assert_eq!(h[0].details["event_id"], e);
}

fn refusals_come_in_order(db: &Db) {
    let mut d = desk(db);
    let a = d.attendee(1);
    assert!(matches!(d.store.book(&d.desk, 999, a), Err(Error::NotFound { kind: "event", .. })));
    let soon = d.event(1, 1);
    let later = d.event(1, 24);
    d.store.book(&d.desk, later, a).unwrap();
    assert_eq!(refusal(d.store.book(&d.desk, later, a)), Refusal::AlreadyBooked);
    let b = d.attendee(2);
    assert_eq!(refusal(d.store.book(&d.desk, later, b)), Refusal::EventFull);
    d.at(t0() + Duration::minutes(90));
    assert_eq!(refusal(d.store.book(&d.desk, soon, a)), Refusal::EventOngoing);
    d.at(t0() + Duration::hours(4));
    assert_eq!(refusal(d.store.book(&d.desk, soon, a)), Refusal::EventEnded);
    assert_eq!(d.history_count(HistoryAction::Book), 1, "a refused booking writes no history");
}

fn cancel_then_rebook_reactivates_and_rechecks_capacity(db: &Db) {
    let mut d = desk(db);
    let e = d.event(1, 24);
    let (a, b) = (d.attendee(1), d.attendee(2));
    let first = d.store.book(&d.desk, e, a).unwrap().booking.id;
    let cancelled = d.store.cancel(&d.desk, first).unwrap().changed;
    assert_eq!((cancelled.booking.status, cancelled.seats_left), (BookingStatus::Cancelled, 1));
    assert_eq!(refusal(d.store.cancel(&d.desk, first)), Refusal::BookingNotActive);
    d.store.book(&d.desk, e, b).unwrap();
    assert_eq!(refusal(d.store.rebook(&d.desk, first)), Refusal::EventFull);
    let second = d.store.book(&d.org, d.event(3, 30), a).unwrap();
    assert_eq!(second.booking.status, BookingStatus::Active);
    let only = d.store.list_bookings(&BookingQuery { event_id: Some(e), ..Default::default() }).unwrap();
    assert_eq!(only.len(), 2);
    d.at(t0() + Duration::hours(25));
    let active_b = only.iter().find(|r| r.booking.attendee_id == b).unwrap().booking.id;
    assert_eq!(refusal(d.store.cancel(&d.desk, active_b)), Refusal::EventStarted);
}

fn booking_again_after_cancel_reuses_the_row(db: &Db) {
    let d = desk(db);
    let (e, a) = (d.event(2, 24), d.attendee(1));
    let id = d.store.book(&d.desk, e, a).unwrap().booking.id;
    d.store.cancel(&d.desk, id).unwrap();
    let again = d.store.book(&d.desk, e, a).unwrap();
    assert_eq!(again, d.store.booking(id).unwrap(), "the returned row is what was stored");
    assert_eq!((again.booking.id, again.booking.status), (id, BookingStatus::Active));
    assert_eq!(d.history_count(HistoryAction::Reactivate), 1);
    assert!(d.store.check().unwrap().is_ok());
}

fn move_goes_through_the_capacity_check(db: &Db) {
    let d = desk(db);
    let (from, full) = (d.event(2, 24), d.event(1, 30));
    let (a, b) = (d.attendee(1), d.attendee(2));
    let id = d.store.book(&d.desk, from, a).unwrap().booking.id;
    d.store.book(&d.desk, full, b).unwrap();
    assert_eq!(refusal(d.store.move_booking(&d.desk, id, full)), Refusal::EventFull);
    assert_eq!(refusal(d.store.move_booking(&d.desk, id, from)), Refusal::SameEvent);
    let open = d.event(5, 40);
    let moved = d.store.move_booking(&d.desk, id, open).unwrap().changed;
    assert_eq!(moved.booking.event_id, open);
    assert_eq!((d.store.event(from).unwrap().booked, d.store.event(open).unwrap().booked), (0, 1));
    assert!(d.store.check().unwrap().is_ok());
}

fn only_the_owning_organizer_changes_an_event(db: &Db) {
    let d = desk(db);
    let e = d.event(5, 24);
    let other = register(&d.store, "otto", Role::Organizer);
    let patch = EventPatch { title: Some("Renamed".into()), ..Default::default() };
    assert!(matches!(d.store.update_event(&other, e, &patch), Err(Error::Forbidden(_))));
    assert!(matches!(d.store.update_event(&d.desk, e, &patch), Err(Error::Forbidden(_))));
    assert!(matches!(d.store.delete_event(&other, e, true), Err(Error::Forbidden(_))));
    let new = NewEvent {
        title: "x".into(),
        description: String::new(),
        starts_at: t0() + Duration::days(1),
        ends_at: t0() + Duration::days(2),
        capacity: 1,
    };
    assert!(matches!(d.store.create_event(&d.desk, &new), Err(Error::Forbidden(_))));
    let forged = Session { role: Role::Organizer, ..d.desk.clone() };
    assert!(
        matches!(d.store.create_event(&forged, &new), Err(Error::Forbidden(_))),
        "the store trusts the database, not the session"
    );
    assert_eq!(d.store.update_event(&d.org, e, &patch).unwrap().changed.title, "Renamed");
}

fn edit_revalidates_the_whole_event_and_guards_capacity(db: &Db) {
    let d = desk(db);
    let e = d.event(3, 24);
    d.store.book(&d.desk, e, d.attendee(1)).unwrap();
    d.store.book(&d.desk, e, d.attendee(2)).unwrap();
    let shrink = EventPatch { capacity: Some(1), ..Default::default() };
    assert_eq!(refusal(d.store.update_event(&d.org, e, &shrink)), Refusal::CapacityBelowBooked { booked: 2 });
    let bad_end = EventPatch { ends_at: Some(t0()), ..Default::default() };
    let err = d.store.update_event(&d.org, e, &bad_end).unwrap_err();
    assert_eq!(err.field_errors()[0].field, Field::End);
    let ok = d
        .store
        .update_event(&d.org, e, &EventPatch { capacity: Some(2), ..Default::default() })
        .unwrap()
        .changed;
    assert!(ok.is_full());
    let h =
        d.store.history(&HistoryQuery { action: Some(HistoryAction::Update), ..Default::default() }).unwrap();
    assert_eq!(h[0].details["changes"]["capacity"], serde_json::json!({ "old": 3, "new": 2 }));
}

fn delete_with_bookings_needs_force_and_cancels_them(db: &Db) {
    let d = desk(db);
    let e = d.event(3, 24);
    d.store.book(&d.desk, e, d.attendee(1)).unwrap();
    d.store.book(&d.desk, e, d.attendee(2)).unwrap();
    assert_eq!(refusal(d.store.delete_event(&d.org, e, false)), Refusal::HasActiveBookings { active: 2 });
    assert_eq!(d.store.delete_event(&d.org, e, true).unwrap(), 2);
    assert_eq!(refusal(d.store.event(e)), Refusal::EventDeleted);
    assert_eq!(d.store.count_events(&EventQuery::default()).unwrap(), 0);
    let kept = d.store.list_bookings(&BookingQuery { event_id: Some(e), ..Default::default() }).unwrap();
    assert!(kept.iter().all(|b| b.booking.status == BookingStatus::Cancelled) && kept.len() == 2);
    assert_eq!((d.history_count(HistoryAction::Cancel), d.history_count(HistoryAction::Delete)), (2, 1));
    assert!(d.store.check().unwrap().is_ok());
}

fn event_lists_filter_and_search(db: &Db) {
    let mut d = desk(db);
    let past = d.event(1, 1);
    let full = d.event(1, 24);
    let open = d.event(5, 48);
    d.store.book(&d.desk, full, d.attendee(1)).unwrap();
    d.at(t0() + Duration::hours(5));
    let ids = |filter| {
        let q = EventQuery { filter, creator_id: Some(d.org.operator_id), ..Default::default() };
        d.store.list_events(&q).unwrap().iter().map(|e| e.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(EventFilter::All), [past, full, open]);
    assert_eq!(ids(EventFilter::Upcoming), [full, open]);
    assert_eq!(ids(EventFilter::Past), [past]);
    assert_eq!(ids(EventFilter::Available), [open]);
    assert_eq!(ids(EventFilter::Mine), [past, full, open]);
    let q = EventQuery { search: "5/48".into(), ..Default::default() };
    assert_eq!(d.store.list_events(&q).unwrap()[0].id, open);
    assert_eq!(d.store.count_events(&EventQuery { search: "%".into(), ..Default::default() }).unwrap(), 0);
}

fn accounts_register_login_lockout(db: &Db) {
    let d = desk(db);
    let dup = NewOperator {
        username: "OLGA".into(),
        password: "password-123".into(),
        role: Some(Role::Desk),
        ..Default::default()
    };
    assert_eq!(refusal(d.store.register(&dup)), Refusal::UsernameTaken);
    assert!(matches!(d.store.login("olga", "wrong-pass"), Err(Error::Unauthenticated(_))));
    assert!(matches!(d.store.login("nobody", "wrong-pass"), Err(Error::Unauthenticated(_))));
    let s = d.store.login("Olga", "password-123").unwrap();
    assert_eq!(s.username, "olga");
    d.store.logout(&s).unwrap();
    for _ in 0..5 {
        assert!(d.store.login("dave", "nope-nope").is_err());
    }
    assert!(matches!(refusal(d.store.login("dave", "password-123")), Refusal::AccountLocked { .. }));
    assert_eq!(d.history_count(HistoryAction::LoginFailed), 7);
    assert_eq!((d.history_count(HistoryAction::Login), d.history_count(HistoryAction::Logout)), (1, 1));
    let all = d.store.history(&HistoryQuery::default()).unwrap();
    assert!(
        all.iter().all(|h| !h.details.to_string().contains("password-123")),
        "passwords never reach history"
    );
}

/// Searches of 3+ characters go through the trigram index, which triggers keep in step: an
/// edit must be found by its new name and email and no longer by the old ones.
fn edited_attendees_are_found_by_their_new_name_and_email(db: &Db) {
    let d = desk(db);
    let a = d.attendee(1);
    d.attendee(2);
    let found = |text: &str| -> Vec<i64> {
        let q = AttendeeQuery { search: text.into(), ..Default::default() };
        let ids: Vec<i64> = d.store.list_attendees(&q).unwrap().iter().map(|a| a.id).collect();
        assert_eq!(d.store.count_attendees(&q).unwrap(), ids.len() as u64, "{text}");
        ids
    };
    assert_eq!(found("person 1"), [a]);
    let patch = AttendeePatch {
        name: Some("Zoë Quispe".into()),
        email: Some("zq@andes.example".into()),
        ..Default::default()
    };
    d.store.update_attendee(&d.desk, a, &patch).unwrap();
    for new in ["Zoë Q", "QUISPE", "andes.ex", "zq@"] {
        assert_eq!(found(new), [a], "{new}");
    }
    for old in ["Person 1", "p1@example"] {
        assert!(found(old).is_empty(), "{old}");
    }
    assert_eq!(found("Person").len(), 1, "the other attendee is untouched");
    // The search folds all of Unicode (migration 006), not ASCII only.
    assert_eq!(found("ZOË"), [a]);
    assert!(d.store.check().unwrap().is_ok());
}

fn attendees_unique_email_and_edit(db: &Db) {
    let d = desk(db);
    let a = d.attendee(1);
    let dup = NewAttendee { name: "Other".into(), email: "P1@EXAMPLE.org".into(), phone: String::new() };
    assert_eq!(refusal(d.store.add_attendee(&d.desk, &dup)), Refusal::EmailTaken);
    let patch = AttendeePatch { phone: Some("+34 600 000 000".into()), ..Default::default() };
    let edited = d.store.update_attendee(&d.desk, a, &patch).unwrap();
    assert_eq!(edited.phone.as_deref(), Some("+34 600 000 000"));
    assert_eq!(d.store.attendee_by_email("p1@example.ORG").unwrap().id, a);
    assert_eq!(d.history_count(HistoryAction::Update), 1);
}

fn booking_counts_match_the_lists_under_every_filter(db: &Db) {
    let d = desk(db);
    let (e1, e2) = (d.event(5, 24), d.event(5, 30));
    let other = register(&d.store, "otto", Role::Organizer);
    let new = NewEvent {
        title: "Otto's".into(),
        description: String::new(),
        starts_at: t0() + Duration::days(3),
        ends_at: t0() + Duration::days(4),
        capacity: 5,
    };
    let e3 = d.store.create_event(&other, &new).unwrap().id;
    for (n, e) in [e1, e1, e2, e3].into_iter().enumerate() {
        d.store.book(&d.desk, e, d.attendee(n)).unwrap();
    }
    let first = d.store.list_bookings(&BookingQuery::default()).unwrap().last().unwrap().booking.id;
    d.store.cancel(&d.desk, first).unwrap();
    let queries = [
        BookingQuery::default(),
        BookingQuery { event_id: Some(e1), ..Default::default() },
        BookingQuery { status: Some(BookingStatus::Active), ..Default::default() },
        BookingQuery { organizer_id: Some(d.org.operator_id), ..Default::default() },
        BookingQuery { organizer_id: Some(other.operator_id), search: "person".into(), ..Default::default() },
        BookingQuery { search: "Otto".into(), ..Default::default() },
        BookingQuery { search: "p1@".into(), status: Some(BookingStatus::Active), ..Default::default() },
    ];
    let expected = [4, 2, 3, 3, 1, 1, 1];
    for (q, want) in queries.iter().zip(expected) {
        assert_eq!(d.store.list_bookings(q).unwrap().len(), want, "{q:?}");
        assert_eq!(d.store.count_bookings(q).unwrap(), want as u64, "{q:?}");
    }
}

fn pages_read_from_the_end_match_pages_read_from_the_start(db: &Db) {
    let d = desk(db);
    let events: Vec<i64> = (0..9).map(|i| d.event(3, 24 + i)).collect();
    for n in 0..21 {
        d.store.book(&d.desk, events[n % events.len()], d.attendee(n)).unwrap();
    }
    fn same<T: PartialEq + std::fmt::Debug>(total: u64, list: impl Fn(Page) -> Vec<T>) {
        for offset in 0..=total {
            let forward = list(Page::new(offset, 4));
            assert_eq!(list(Page::new(offset, 4).of(total)), forward, "offset {offset} of {total}");
            assert!(forward.len() <= 4);
        }
    }
    for filter in [EventFilter::All, EventFilter::Upcoming, EventFilter::Available] {
        let q = |page| EventQuery { filter, page, ..Default::default() };
        same(d.store.count_events(&q(Page::default())).unwrap(), |p| d.store.list_events(&q(p)).unwrap());
    }
    let bookings = |page| BookingQuery { page, ..Default::default() };
    same(d.store.count_bookings(&bookings(Page::default())).unwrap(), |p| {
        d.store.list_bookings(&bookings(p)).unwrap()
    });
    let attendees = |page| AttendeeQuery { page, ..Default::default() };
    same(d.store.count_attendees(&attendees(Page::default())).unwrap(), |p| {
        d.store.list_attendees(&attendees(p)).unwrap()
    });
    let history = |page| HistoryQuery { page, ..Default::default() };
    same(d.store.count_history(&history(Page::default())).unwrap(), |p| {
        d.store.history(&history(p)).unwrap()
    });
}
