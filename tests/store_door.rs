//! At the door, on the store directly and on both engines: the waiting list and its automatic
//! promotion, check-in and its undo, no-shows, roles, and the rows `copy` carries.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/desk.rs"]
mod desk;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, Utc};
use desk::{Desk, desk, refusal, t0};
use engines::Db;
use eventdesk::model::{
    BookingRef, BookingStatus, Clock, Error, EventPatch, HistoryAction, Refusal, Role, Session, WaitStatus,
    format_clock,
};
use eventdesk::store::{BookingQuery, HistoryQuery, OpenOptions, Page, WaitlistQuery};

on_both_engines!(
    waitlist_refusals_come_in_order,
    a_cancel_promotes_the_head_of_the_list_first_come_first_served,
    a_capacity_raise_promotes_several_in_order,
    a_booking_moved_away_promotes_on_the_event_it_left,
    a_promotion_reactivates_the_attendees_cancelled_booking,
    nobody_is_promoted_once_the_event_started,
    a_removed_entry_leaves_the_list_and_keeps_its_history,
    deleting_an_event_closes_its_list,
    check_in_refusals_come_in_order,
    check_in_by_attendee_and_event,
    undo_is_recorded_and_the_booking_can_check_in_again,
    an_undo_confirmed_for_one_check_in_leaves_a_newer_one_standing,
    a_checked_in_booking_can_be_neither_cancelled_nor_moved,
    no_shows_are_known_once_the_event_ended,
    organizers_work_the_door_of_their_own_events_only,
    waitlist_lists_filter_and_count,
    copy_carries_the_waiting_list_and_check_ins,
);

impl Desk {
    fn wait(&self, event: i64, attendee: i64) -> i64 {
        self.store.waitlist_add(&self.desk, event, attendee).unwrap().id
    }

    fn start_of(&self, event: i64) -> DateTime<Utc> {
        self.store.event(event).unwrap().starts_at
    }

    /// The event's waiting attendees, head first.
    fn waiting(&self, event: i64) -> Vec<(i64, u32)> {
        let q =
            WaitlistQuery { event_id: Some(event), status: Some(WaitStatus::Waiting), ..Default::default() };
        let rows = self.store.list_waitlist(&q).unwrap();
        rows.iter().map(|e| (e.attendee_id, e.position.unwrap())).collect()
    }

    fn active_on(&self, event: i64) -> Vec<i64> {
        let q =
            BookingQuery { event_id: Some(event), status: Some(BookingStatus::Active), ..Default::default() };
        let mut ids: Vec<i64> =
            self.store.list_bookings(&q).unwrap().iter().map(|b| b.booking.attendee_id).collect();
        ids.sort_unstable();
        ids
    }

    fn history(&self, action: HistoryAction) -> Vec<eventdesk::model::HistoryEntry> {
        let q = HistoryQuery { action: Some(action), ..Default::default() };
        self.store.history(&q).unwrap()
    }

    fn assert_check(&self) {
        let report = self.store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}

fn waitlist_refusals_come_in_order(db: &Db) {
    let mut d = desk(db);
    let [a, b, c] = d.attendees(1, 3)[..] else { unreachable!() };
    let add = |d: &Desk, e, who| d.store.waitlist_add(&d.desk, e, who);
    assert!(matches!(add(&d, 999, a), Err(Error::NotFound { kind: "event", .. })), "missing first");
    let deleted = d.event(1, 5);
    d.book(deleted, b);
    d.store.delete_event(&d.org, deleted, true).unwrap();
    assert_eq!(refusal(add(&d, deleted, a)), Refusal::EventDeleted);
    let soon = d.event(1, 1);
    d.book(soon, a);
    let full = d.event(1, 48);
    d.book(full, a);
    d.at(t0() + Duration::hours(4));
    assert_eq!(refusal(add(&d, soon, a)), Refusal::EventEnded, "ended, before 'holds a seat'");
    d.at(t0() + Duration::hours(2));
    assert_eq!(refusal(add(&d, soon, a)), Refusal::EventOngoing, "ongoing, before 'holds a seat'");
    d.at(t0());
    assert_eq!(refusal(add(&d, full, a)), Refusal::AlreadyBooked);
    let entry = add(&d, full, b).unwrap();
    assert_eq!(
        (entry.status, entry.position, entry.event_id, entry.attendee_id, entry.joined_at),
        (WaitStatus::Waiting, Some(1), full, b, t0())
    );
    assert_eq!(refusal(add(&d, full, b)), Refusal::AlreadyWaiting);
    let open = d.event(2, 48);
    d.book(open, a);
    assert_eq!(refusal(add(&d, open, c)), Refusal::SeatsLeft);
    assert_eq!(Refusal::SeatsLeft.to_string(), "seats left: book instead");
    assert_eq!(add(&d, full, c).unwrap().position, Some(2));
    let h = d.history(HistoryAction::WaitlistAdd);
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].object_kind.as_str(), h[0].details["position"].as_i64()), ("waitlist", Some(2)));
    assert_eq!(h[0].sentence(), "dave put Person 3 on the waiting list of Event 1/48 (position 2)");
    d.assert_check();
}

fn a_cancel_promotes_the_head_of_the_list_first_come_first_served(db: &Db) {
    let d = desk(db);
    let e = d.event(1, 24);
    let [a, b, c, x] = d.attendees(1, 4)[..] else { unreachable!() };
    let first = d.book(e, a);
    for who in [b, c, x] {
        d.wait(e, who);
    }
    assert_eq!(d.waiting(e), [(b, 1), (c, 2), (x, 3)]);
    let freed = d.store.cancel(&d.desk, first).unwrap();
    assert_eq!(freed.changed.booking.status, BookingStatus::Cancelled);
    assert_eq!(
        freed.promoted.iter().map(|p| p.attendee_id).collect::<Vec<_>>(),
        [b],
        "the head, and only it"
    );
    assert_eq!(freed.changed.seats_left, 0, "the freed seat is taken again at once");
    assert_eq!(freed.changed, d.store.booking(first).unwrap(), "the returned row is what was stored");
    let p = &freed.promoted[0];
    let booked = d.store.booking(p.booking_id).unwrap();
    assert_eq!(
        (booked.booking.status, booked.booking.event_id, booked.attendee_name.as_str()),
        (BookingStatus::Active, e, "Person 2")
    );
    assert_eq!(d.waiting(e), [(c, 1), (x, 2)], "everyone moves up");
    assert_eq!(d.store.waitlist_entry(p.entry_id).unwrap().status, WaitStatus::Promoted);
    let promote = d.history(HistoryAction::Promote);
    assert_eq!((promote.len(), promote[0].object_id), (1, Some(p.booking_id)));
    assert_eq!(
        promote[0].sentence(),
        "dave promoted Person 2 from the waiting list onto Event 1/24 (a booking was cancelled)"
    );
    let cancel = d.history(HistoryAction::Cancel);
    assert!(cancel[0].id < promote[0].id, "the change's own row, then the promotion beside it");
    // The next cancel goes to the next in line.
    let freed = d.store.cancel(&d.desk, p.booking_id).unwrap();
    assert_eq!(freed.promoted.iter().map(|p| p.attendee_id).collect::<Vec<_>>(), [c]);
    assert_eq!((d.active_on(e), d.waiting(e)), (vec![c], vec![(x, 1)]));
    assert_eq!(d.store.event(e).unwrap().booked, 1);
    d.assert_check();
    // With nobody waiting, a cancel promotes nobody.
    let lone = d.event(1, 30);
    let id = d.book(lone, a);
    let quiet = d.store.cancel(&d.desk, id).unwrap();
    assert!(quiet.promoted.is_empty());
    assert_eq!((quiet.changed.seats_left, &quiet.changed), (1, &d.store.booking(id).unwrap()));
}

fn a_capacity_raise_promotes_several_in_order(db: &Db) {
    let d = desk(db);
    let e = d.event(2, 24);
    let people = d.attendees(1, 7);
    d.book(e, people[0]);
    d.book(e, people[1]);
    for &who in &people[2..] {
        d.wait(e, who);
    }
    let raise = |to| EventPatch { capacity: Some(to), ..Default::default() };
    let freed = d.store.update_event(&d.org, e, &raise(5)).unwrap();
    let promoted: Vec<i64> = freed.promoted.iter().map(|p| p.attendee_id).collect();
    assert_eq!(promoted, people[2..5], "three seats, the first three in line, in order");
    assert_eq!(
        (freed.changed.capacity, freed.changed.booked),
        (5, 5),
        "the event as it is after the promotions"
    );
    assert_eq!(d.waiting(e), [(people[5], 1), (people[6], 2)]);
    let rows = d.history(HistoryAction::Promote);
    let in_order: Vec<i64> = rows.iter().rev().map(|h| h.details["attendee_id"].as_i64().unwrap()).collect();
    assert_eq!(in_order, people[2..5], "history rows in list order");
    assert!(rows.iter().all(|h| h.details["reason"] == "capacity raised"));
    // More seats than waiters: everyone waiting gets in, the rest stay free.
    let freed = d.store.update_event(&d.org, e, &raise(10)).unwrap();
    assert_eq!(freed.promoted.iter().map(|p| p.attendee_id).collect::<Vec<_>>(), people[5..]);
    assert_eq!((freed.changed.booked, d.waiting(e).len()), (7, 0));
    // An edit that opens no seat promotes nobody.
    let renamed = EventPatch { title: Some("Renamed".into()), ..Default::default() };
    assert!(d.store.update_event(&d.org, e, &renamed).unwrap().promoted.is_empty());
    d.assert_check();
}

fn a_booking_moved_away_promotes_on_the_event_it_left(db: &Db) {
    let d = desk(db);
    let (from, to) = (d.event(1, 24), d.event(2, 24));
    let [a, b, c] = d.attendees(1, 3)[..] else { unreachable!() };
    let id = d.book(from, a);
    d.wait(from, b);
    d.book(to, c);
    let freed = d.store.move_booking(&d.desk, id, to).unwrap();
    assert_eq!(freed.changed.booking.event_id, to);
    assert_eq!(freed.promoted.iter().map(|p| (p.attendee_id, p.event_id)).collect::<Vec<_>>(), [(b, from)]);
    assert_eq!((d.active_on(from), d.active_on(to)), (vec![b], vec![a, c]));
    assert_eq!(d.history(HistoryAction::Promote)[0].details["reason"], "a booking moved to another event");
    d.assert_check();
}

fn a_promotion_reactivates_the_attendees_cancelled_booking(db: &Db) {
    let d = desk(db);
    let e = d.event(1, 24);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let old = d.book(e, b);
    d.store.cancel(&d.desk, old).unwrap();
    let seat = d.book(e, a);
    d.wait(e, b);
    let freed = d.store.cancel(&d.desk, seat).unwrap();
    assert_eq!(freed.promoted[0].booking_id, old, "the pair's row, not a second one");
    assert_eq!(d.store.booking(old).unwrap().booking.status, BookingStatus::Active);
    let q = BookingQuery { attendee_id: Some(b), ..Default::default() };
    assert_eq!(d.store.count_bookings(&q).unwrap(), 1);
    d.assert_check();
}

fn nobody_is_promoted_once_the_event_started(db: &Db) {
    let mut d = desk(db);
    let e = d.event(1, 24);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let seat = d.book(e, a);
    d.wait(e, b);
    d.at(d.start_of(e) + Duration::minutes(10));
    assert_eq!(refusal(d.store.cancel(&d.desk, seat)), Refusal::EventStarted);
    let raise = EventPatch { capacity: Some(3), ..Default::default() };
    let freed = d.store.update_event(&d.org, e, &raise).unwrap();
    assert!(freed.promoted.is_empty(), "{:?}", freed.promoted);
    assert_eq!((freed.changed.seats_left(), d.waiting(e)), (2, vec![(b, 1)]));
    assert!(d.history(HistoryAction::Promote).is_empty());
    d.assert_check();
}

fn a_removed_entry_leaves_the_list_and_keeps_its_history(db: &Db) {
    let d = desk(db);
    let e = d.event(1, 24);
    let [a, b, c] = d.attendees(1, 3)[..] else { unreachable!() };
    let seat = d.book(e, a);
    let (eb, ec) = (d.wait(e, b), d.wait(e, c));
    let removed = d.store.waitlist_remove(&d.desk, eb).unwrap();
    assert_eq!((removed.status, removed.position, removed.left_at), (WaitStatus::Removed, None, Some(t0())));
    assert_eq!(d.waiting(e), [(c, 1)]);
    assert_eq!(
        refusal(d.store.waitlist_remove(&d.desk, eb)),
        Refusal::NotWaiting { status: WaitStatus::Removed }
    );
    assert!(matches!(d.store.waitlist_remove(&d.desk, 999), Err(Error::NotFound { .. })));
    let h = d.history(HistoryAction::WaitlistRemove);
    assert_eq!((h.len(), h[0].object_id), (1, Some(eb)));
    assert_eq!(h[0].sentence(), "dave removed Person 2 from the waiting list of Event 1/24");
    // The removed attendee is skipped; a promoted entry cannot be removed.
    let freed = d.store.cancel(&d.desk, seat).unwrap();
    assert_eq!(freed.promoted.iter().map(|p| p.entry_id).collect::<Vec<_>>(), [ec]);
    assert_eq!(
        refusal(d.store.waitlist_remove(&d.desk, ec)),
        Refusal::NotWaiting { status: WaitStatus::Promoted }
    );
    // Removed, an attendee may join again, at the back.
    let again = d.store.waitlist_add(&d.desk, e, b).unwrap();
    assert_ne!(again.id, eb);
    assert_eq!(again.position, Some(1));
    d.assert_check();
}

fn deleting_an_event_closes_its_list(db: &Db) {
    let d = desk(db);
    let e = d.event(1, 24);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    d.book(e, a);
    let entry = d.wait(e, b);
    d.store.delete_event(&d.org, e, true).unwrap();
    assert_eq!(d.store.waitlist_entry(entry).unwrap().status, WaitStatus::Removed);
    assert!(d.history(HistoryAction::Promote).is_empty(), "a deleted event promotes nobody");
    assert_eq!(d.history(HistoryAction::WaitlistRemove)[0].details["reason"], "event deleted");
    d.assert_check();
}

fn check_in_refusals_come_in_order(db: &Db) {
    let mut d = desk(db);
    let e = d.event(3, 24);
    let start = d.start_of(e);
    let [a, b, c] = d.attendees(1, 3)[..] else { unreachable!() };
    let (ba, bb, bc) = (d.book(e, a), d.book(e, b), d.book(e, c));
    d.store.cancel(&d.desk, bb).unwrap();
    let check_in = |d: &Desk, id: i64| d.store.check_in(&d.desk, id);
    assert!(matches!(check_in(&d, 999), Err(Error::NotFound { kind: "booking", .. })));
    assert_eq!(refusal(check_in(&d, bb)), Refusal::BookingCancelled, "cancelled, before 'not open'");
    let opens = start - Duration::hours(2);
    assert_eq!(refusal(check_in(&d, ba)), Refusal::CheckInNotOpen { opens_at: opens });
    d.at(opens - Duration::seconds(1));
    assert_eq!(refusal(check_in(&d, ba)), Refusal::CheckInNotOpen { opens_at: opens });
    d.at(opens);
    let done = check_in(&d, ba).unwrap();
    assert_eq!(
        (done.booking_id, done.checked_in_at, done.checked_in_by.as_str(), done.undone_at),
        (ba, opens, "dave", None)
    );
    assert_eq!((done.event_checked_in, done.event_booked), (1, 2));
    let again = refusal(check_in(&d, ba));
    assert_eq!(again, Refusal::AlreadyCheckedIn { at: opens, by: "dave".into() });
    assert_eq!(again.to_string(), format!("already checked in at {} by dave", format_clock(opens)));
    let row = d.store.booking(ba).unwrap();
    assert_eq!((row.checked_in_at, row.checked_in_by.as_deref()), (Some(opens), Some("dave")));
    d.at(start + Duration::hours(2));
    assert_eq!(refusal(check_in(&d, bb)), Refusal::BookingCancelled, "cancelled, before 'ended'");
    assert_eq!(refusal(check_in(&d, ba)), Refusal::AlreadyCheckedIn { at: opens, by: "dave".into() });
    assert_eq!(refusal(check_in(&d, bc)), Refusal::EventEnded);
    d.at(start + Duration::minutes(30));
    assert_eq!(check_in(&d, bc).unwrap().event_checked_in, 2, "open while the event runs");
    assert_eq!(d.history(HistoryAction::CheckIn).len(), 2);
    d.assert_check();
}

fn check_in_by_attendee_and_event(db: &Db) {
    let mut d = desk(db);
    let e = d.event(3, 1);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let id = d.book(e, a);
    d.at(d.start_of(e));
    let pair = |who| BookingRef::Pair { event_id: e, attendee_id: who };
    assert_eq!(d.store.check_in(&d.desk, pair(a)).unwrap().booking_id, id);
    let err = d.store.check_in(&d.desk, pair(b)).unwrap_err();
    assert!(matches!(err, Error::NotFoundBy { kind: "booking", .. }), "{err:?}");
    assert_eq!(d.store.undo_check_in(&d.desk, pair(a)).unwrap().booking_id, id);
}

fn undo_is_recorded_and_the_booking_can_check_in_again(db: &Db) {
    let mut d = desk(db);
    let e = d.event(3, 1);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let (ba, bb) = (d.book(e, a), d.book(e, b));
    d.at(t0() + Duration::minutes(5));
    assert_eq!(refusal(d.store.undo_check_in(&d.desk, ba)), Refusal::NotCheckedIn);
    let first = d.store.check_in(&d.desk, ba).unwrap();
    d.at(t0() + Duration::minutes(6));
    let undone = d.store.undo_check_in(&d.desk, ba).unwrap();
    assert_eq!((undone.id, undone.checked_in_at), (first.id, first.checked_in_at));
    assert_eq!(
        (undone.undone_at, undone.undone_by.as_deref()),
        (Some(t0() + Duration::minutes(6)), Some("dave"))
    );
    assert_eq!(undone.event_checked_in, 0);
    assert_eq!(d.store.booking(ba).unwrap().checked_in_at, None);
    assert_eq!(refusal(d.store.undo_check_in(&d.desk, ba)), Refusal::NotCheckedIn);
    let second = d.store.check_in(&d.desk, ba).unwrap();
    assert_ne!(second.id, first.id, "a new check-in, beside the undone one");
    assert_eq!(db.count("SELECT count(*) FROM checkins"), 2, "nothing erased");
    assert_eq!(db.count("SELECT count(*) FROM checkins WHERE undone_at IS NOT NULL"), 1);
    let h = d.history(HistoryAction::CheckInUndo);
    assert_eq!((h.len(), h[0].object_id), (1, Some(ba)));
    assert_eq!(h[0].sentence(), "dave undid the check-in of Person 1 at Event 3/1");
    d.store.check_in(&d.desk, bb).unwrap();
    let q =
        |checked_in| BookingQuery { event_id: Some(e), checked_in: Some(checked_in), ..Default::default() };
    assert_eq!(
        (d.store.count_bookings(&q(true)).unwrap(), d.store.count_bookings(&q(false)).unwrap()),
        (2, 0)
    );
    d.at(d.start_of(e) + Duration::hours(2));
    assert_eq!(refusal(d.store.undo_check_in(&d.desk, ba)), Refusal::EventEnded);
    d.assert_check();
}

/// Door 1 asks to undo the 18:05 check-in; door 2 undoes it and checks the attendee in again
/// at 18:07 meanwhile. Door 1's confirmed undo is refused naming the new one, which stands.
fn an_undo_confirmed_for_one_check_in_leaves_a_newer_one_standing(db: &Db) {
    let mut d = desk(db);
    let e = d.event(3, 1);
    let [a] = d.attendees(1, 1)[..] else { unreachable!() };
    let id = d.book(e, a);
    d.at(t0() + Duration::minutes(5));
    let asked = d.store.check_in(&d.desk, id).unwrap().checked_in_at;
    d.at(t0() + Duration::minutes(6));
    d.store.undo_check_in(&d.desk, id).unwrap();
    d.at(t0() + Duration::minutes(7));
    let again = d.store.check_in(&d.desk, id).unwrap();
    let undos = d.history(HistoryAction::CheckInUndo).len();
    let refused = refusal(d.store.undo_check_in_confirmed(&d.desk, id, asked));
    assert_eq!(refused, Refusal::CheckInChanged { at: again.checked_in_at, by: "dave".into() });
    assert!(
        refused.to_string().starts_with("the check-in changed since you asked: it is now the one made at ")
    );
    assert_eq!(d.store.booking(id).unwrap().checked_in_at, Some(again.checked_in_at), "the newer one stands");
    assert_eq!(d.history(HistoryAction::CheckInUndo).len(), undos, "nothing recorded");
    // Confirmed for the one that stands, it goes through.
    let undone = d.store.undo_check_in_confirmed(&d.desk, id, again.checked_in_at).unwrap();
    assert_eq!(undone.id, again.id);
    assert_eq!(d.store.booking(id).unwrap().checked_in_at, None);
    d.assert_check();
}

fn a_checked_in_booking_can_be_neither_cancelled_nor_moved(db: &Db) {
    let mut d = desk(db);
    let (e, other) = (d.event(2, 1), d.event(2, 30));
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let id = d.book(e, a);
    d.book(e, b);
    d.at(t0() + Duration::minutes(10));
    d.store.check_in(&d.desk, id).unwrap();
    assert_eq!(refusal(d.store.cancel(&d.desk, id)), Refusal::CheckedIn);
    assert_eq!(Refusal::CheckedIn.to_string(), "checked in: undo the check-in first");
    assert_eq!(refusal(d.store.move_booking(&d.desk, id, other)), Refusal::CheckedIn);
    d.store.undo_check_in(&d.desk, id).unwrap();
    assert_eq!(d.store.move_booking(&d.desk, id, other).unwrap().changed.booking.event_id, other);
    d.assert_check();
}

fn no_shows_are_known_once_the_event_ended(db: &Db) {
    let mut d = desk(db);
    let e = d.event(5, 1);
    let people = d.attendees(1, 5);
    let ids: Vec<i64> = people.iter().map(|&p| d.book(e, p)).collect();
    d.store.cancel(&d.desk, ids[4]).unwrap();
    d.at(t0() + Duration::minutes(30));
    d.store.check_in(&d.desk, ids[0]).unwrap();
    d.store.check_in(&d.desk, ids[1]).unwrap();
    d.store.undo_check_in(&d.desk, ids[1]).unwrap();
    let err = d.store.no_shows(&d.desk, e, Page::default()).unwrap_err();
    let ends = t0() + Duration::hours(3);
    assert_eq!(err, Error::Refused(Refusal::EventNotEnded { ends_at: ends }));
    let before = d.store.attendance(e).unwrap();
    assert_eq!((before.booked, before.checked_in, before.no_shows), (4, 1, None));
    d.at(ends);
    let mut missing: Vec<i64> =
        d.store.no_shows(&d.desk, e, Page::default()).unwrap().iter().map(|b| b.booking.id).collect();
    missing.sort_unstable();
    assert_eq!(missing, [ids[1], ids[2], ids[3]], "never checked in, or undone; not the cancelled one");
    assert_eq!(d.store.count_no_shows(&d.desk, e).unwrap(), 3);
    let after = d.store.attendance(e).unwrap();
    assert_eq!((after.booked, after.checked_in, after.no_shows, after.waiting), (4, 1, Some(3), 0));
    let counts = d.store.no_show_counts(&people).unwrap();
    assert_eq!(counts, [(people[1], 1), (people[2], 1), (people[3], 1)]);
    assert!(matches!(d.store.no_shows(&d.desk, 999, Page::default()), Err(Error::NotFound { .. })));
}

fn organizers_work_the_door_of_their_own_events_only(db: &Db) {
    let mut d = desk(db);
    let other = register(&d.store, "otto", Role::Organizer);
    let e = d.event(1, 1);
    let [a, b] = d.attendees(1, 2)[..] else { unreachable!() };
    let seat = d.book(e, a);
    let forbidden =
        |r: Result<_, Error>| matches!(r, Err(Error::Forbidden(m)) if m.contains("only on your own events"));
    assert!(forbidden(d.store.waitlist_add(&other, e, b).map(drop)));
    let entry = d.store.waitlist_add(&d.org, e, b).unwrap().id;
    assert!(forbidden(d.store.waitlist_remove(&other, entry).map(drop)));
    d.at(t0() + Duration::minutes(5));
    assert!(forbidden(d.store.check_in(&other, seat).map(drop)));
    d.store.check_in(&d.org, seat).unwrap();
    assert!(forbidden(d.store.undo_check_in(&other, seat).map(drop)));
    d.store.undo_check_in(&d.desk, seat).unwrap();
    d.at(t0() + Duration::hours(4));
    assert!(forbidden(d.store.no_shows(&other, e, Page::default()).map(drop)));
    assert_eq!(d.store.no_shows(&d.org, e, Page::default()).unwrap().len(), 1);
    let forged = Session { role: Role::Desk, ..other.clone() };
    assert!(forbidden(d.store.no_shows(&forged, e, Page::default()).map(drop)), "the database's role counts");
}

fn waitlist_lists_filter_and_count(db: &Db) {
    let d = desk(db);
    let (e1, e2) = (d.event(1, 24), d.event(1, 30));
    let people = d.attendees(1, 5);
    d.book(e1, people[0]);
    d.book(e2, people[0]);
    for &p in &people[1..4] {
        d.wait(e1, p);
    }
    d.wait(e2, people[4]);
    d.wait(e2, people[1]);
    let all = d.store.list_waitlist(&WaitlistQuery::default()).unwrap();
    let order: Vec<(i64, i64, Option<u32>)> =
        all.iter().map(|w| (w.event_id, w.attendee_id, w.position)).collect();
    assert_eq!(
        order,
        [
            (e1, people[1], Some(1)),
            (e1, people[2], Some(2)),
            (e1, people[3], Some(3)),
            (e2, people[4], Some(1)),
            (e2, people[1], Some(2))
        ]
    );
    let by = |q: WaitlistQuery| d.store.count_waitlist(&q).unwrap();
    assert_eq!(by(WaitlistQuery { attendee_id: Some(people[1]), ..Default::default() }), 2);
    let mine = WaitlistQuery {
        organizer_id: Some(d.org.operator_id),
        search: "person 4".into(),
        ..Default::default()
    };
    assert_eq!(
        d.store.list_waitlist(&mine).unwrap()[0].position,
        Some(3),
        "a filter keeps the list's positions"
    );
    let page =
        d.store.list_waitlist(&WaitlistQuery { page: Page::new(3, 2).of(5), ..Default::default() }).unwrap();
    assert_eq!(page.iter().map(|w| w.attendee_id).collect::<Vec<_>>(), [people[4], people[1]]);
    let attendance = d.store.attendance(e1).unwrap();
    assert_eq!((attendance.waiting, attendance.booked, attendance.capacity), (3, 1, 1));
}

fn copy_carries_the_waiting_list_and_check_ins(db: &Db) {
    let mut d = desk(db);
    let e = d.event(1, 1);
    let [a, b, c] = d.attendees(1, 3)[..] else { unreachable!() };
    let seat = d.book(e, a);
    d.wait(e, b);
    let gone = d.wait(e, c);
    d.store.waitlist_remove(&d.desk, gone).unwrap();
    d.at(t0() + Duration::minutes(1));
    d.store.check_in(&d.desk, seat).unwrap();
    d.store.undo_check_in(&d.desk, seat).unwrap();
    d.store.check_in(&d.desk, seat).unwrap();
    let file = Db::sqlite();
    let copy = d.store.copy_to(&file.open(OpenOptions::default())).unwrap();
    assert_eq!((copy.copied.waitlist, copy.copied.checkins), (2, 2));
    assert_eq!(copy.target_rows, copy.source_rows);
    assert!(copy.check.is_ok(), "{:?}", copy.check.problems);
    // And on into a second database of this test's engine.
    let back = if db.is_postgres() { Db::postgres("door_copy_back") } else { Some(Db::sqlite()) };
    let Some(back) = back else { return };
    let copied = file.open(OpenOptions::default());
    let again = copied.copy_to(&back.open(OpenOptions::default())).unwrap();
    assert_eq!(again.target_rows, copy.source_rows);
    assert!(again.check.is_ok(), "{:?}", again.check.problems);
    let store =
        back.open(OpenOptions { clock: Clock::Fixed(t0() + Duration::minutes(2)), ..Default::default() });
    let row = store.booking(seat).unwrap();
    assert_eq!(row.checked_in_by.as_deref(), Some("dave"));
    assert_eq!(
        refusal(store.check_in(&d.desk, seat)),
        Refusal::AlreadyCheckedIn { at: t0() + Duration::minutes(1), by: "dave".into() }
    );
}
