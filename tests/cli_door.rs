//! The door through the real binary, on both engines: `waitlist`, `checkin`, `noshows`, and the
//! promotions `cancel`, `move` and `event edit` report. Exit codes, exact reasons, and what the
//! database holds afterwards.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::engines::Db;
use common::{DESK, Desk, ORGANIZER};
use eventdesk::model::{Clock, format_clock};
use eventdesk::store::{OpenOptions, Store};
use serde_json::Value;

const HOUR: TimeDelta = TimeDelta::hours(1);

on_both_engines!(
    waitlist_add_refusals_come_in_order,
    waitlist_list_and_remove,
    cancel_move_and_edit_report_who_was_promoted,
    checkin_refusals_come_in_order,
    checkin_by_attendee_undo_and_the_bookings_list,
    a_checked_in_booking_cannot_be_cancelled,
    noshows_once_the_event_ended,
    organizers_work_only_their_own_doors,
);

fn s(n: i64) -> String {
    n.to_string()
}

fn waitlist_add(desk: &Desk, event: i64, attendee: &str) -> common::Run {
    desk.desk(&["waitlist", "add", "--event", &s(event), "--attendee", attendee, "--json"])
}

fn history(desk: &Desk, action: &str) -> i64 {
    desk.count(&format!("SELECT count(*) FROM history WHERE action = '{action}'"))
}

fn attendee_ids(promoted: &Value) -> Vec<i64> {
    promoted.as_array().unwrap().iter().map(|p| p["attendee_id"].as_i64().unwrap()).collect()
}

/// The store as the desk signs in to it, its clock at `at`: for what the CLI cannot do at
/// this moment (check in at an event that has since ended).
fn store_at(desk: &Desk, at: DateTime<Utc>) -> (Store, eventdesk::model::Session) {
    let store =
        Store::open_with(&desk.location, OpenOptions { clock: Clock::Fixed(at), ..OpenOptions::default() })
            .expect("open");
    let session = store.authenticate(DESK.0, DESK.1).expect("sign in");
    (store, session)
}

fn waitlist_add_refusals_come_in_order(db: &Db) {
    let desk = Desk::on(db);
    let (a, b, c) = (desk.attendee(1), desk.attendee(2), desk.attendee(3));
    waitlist_add(&desk, 999, &s(a)).fails(3, "no event with id 999");
    let ended = desk.event_at(-HOUR * 3, HOUR, 1, &[a]);
    waitlist_add(&desk, ended, &s(b)).fails(3, "the event has already ended");
    let ongoing = desk.event_at(-HOUR, HOUR * 3, 1, &[a]);
    waitlist_add(&desk, ongoing, &s(b)).fails(3, "the event has already started");
    let full = desk.event(1);
    desk.book(full, a);
    waitlist_add(&desk, full, &s(a)).fails(3, "the attendee already holds an active booking on this event");
    let entry = waitlist_add(&desk, full, "person2@example.org").json();
    assert_eq!(
        (entry["event_id"].as_i64(), entry["attendee_id"].as_i64(), entry["position"].as_i64()),
        (Some(full), Some(b), Some(1))
    );
    assert!(entry["id"].as_i64().is_some() && entry["joined_at"].as_str().is_some(), "{entry}");
    waitlist_add(&desk, full, &s(b)).fails(3, "the attendee is already on this event's waiting list");
    let open = desk.event(2);
    waitlist_add(&desk, open, &s(c)).fails(3, "seats left: book instead");
    waitlist_add(&desk, full, "nobody@example.org").fails(3, "no attendee with email nobody@example.org");
    let human = desk.desk(&["waitlist", "add", "--event", &s(full), "--attendee", &s(c)]);
    assert_eq!(human.code, 0, "{human:?}");
    assert!(
        human.stdout.starts_with("added entry ") && human.stdout.contains(", position 2 (joined "),
        "{human:?}"
    );
    assert_eq!(desk.count("SELECT count(*) FROM waitlist"), 2);
    assert_eq!(history(&desk, "waitlist_add"), 2);
    assert_eq!(
        desk.run(&["waitlist", "add", "--event", &s(full), "--attendee", &s(c)]).code,
        4,
        "signed in only"
    );
}

fn waitlist_list_and_remove(db: &Db) {
    let desk = Desk::on(db);
    let (a, b, c) = (desk.attendee(1), desk.attendee(2), desk.attendee(3));
    let full = desk.event(1);
    desk.book(full, a);
    let first = common::id(&waitlist_add(&desk, full, &s(b)).json());
    waitlist_add(&desk, full, &s(c)).json();
    let listed = desk.desk(&["waitlist", "list", "--event", &s(full), "--json"]).json();
    let rows: Vec<(i64, i64)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["attendee_id"].as_i64().unwrap(), e["position"].as_i64().unwrap()))
        .collect();
    assert_eq!(rows, [(b, 1), (c, 2)]);
    let csv = desk.desk(&["waitlist", "list", "--csv"]);
    assert_eq!(csv.code, 0, "{csv:?}");
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,event_id,attendee_id,status,position,joined_at,left_at,attendee_name,attendee_email,event_title,event_start"
        )
    );
    assert_eq!(lines.count(), 2);
    let table = desk.desk(&["waitlist", "list", "--attendee", "person3@example.org"]);
    assert!(table.stdout.starts_with("ENTRY") && table.stdout.contains("Person 3"), "{table:?}");
    assert!(!table.stdout.contains("Person 2"), "{table:?}");
    let removed = desk.desk(&["waitlist", "remove", &s(first), "--json"]).json();
    assert_eq!((removed["status"].as_str(), removed["position"].as_i64()), (Some("removed"), None));
    desk.desk(&["waitlist", "remove", &s(first)])
        .fails(3, "that entry is no longer on the waiting list (removed)");
    desk.desk(&["waitlist", "remove", "999"]).fails(3, "no waiting-list entry with id 999");
    let after = desk.desk(&["waitlist", "list", "--event", &s(full), "--json"]).json();
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["position"], 1, "the next in line moved up");
    assert_eq!(desk.count("SELECT count(*) FROM waitlist"), 2, "the removed entry stays for the record");
    assert_eq!(desk.desk(&["--json", "waitlist", "list", "--csv"]).code, 2);
    let empty = desk.desk(&["waitlist", "list", "--event", &s(desk.event(3))]);
    assert_eq!(empty.stdout.trim(), "nobody waiting");
}

fn cancel_move_and_edit_report_who_was_promoted(db: &Db) {
    let desk = Desk::on(db);
    let people: Vec<i64> = (1..=6).map(|n| desk.attendee(n)).collect();
    let full = desk.event(1);
    let seat = desk.book(full, people[0]);
    for &p in &people[1..5] {
        waitlist_add(&desk, full, &s(p)).json();
    }
    let cancelled = desk.desk(&["cancel", &s(seat), "--json"]).json();
    assert_eq!((cancelled["id"].as_i64(), cancelled["status"].as_str()), (Some(seat), Some("cancelled")));
    assert_eq!(attendee_ids(&cancelled["promoted"]), [people[1]]);
    let promoted_booking = cancelled["promoted"][0]["booking_id"].as_i64().unwrap();
    // Moving the promoted booking away frees its seat for the next in line; the human output
    // says so on a line of its own.
    let other = desk.event(5);
    let moved = desk.desk(&["move", &s(promoted_booking), "--to-event", &s(other)]);
    assert_eq!(moved.code, 0, "{moved:?}");
    let lines: Vec<&str> = moved.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{moved:?}");
    assert!(lines[0].starts_with(&format!("moved booking {promoted_booking}")), "{moved:?}");
    assert!(
        lines[1].starts_with("promoted Person 3 <person3@example.org> from the waiting list: booking ")
            && lines[1].ends_with(&format!(" on event {full}")),
        "{moved:?}"
    );
    // A capacity raise promotes the rest, in order.
    let edited = desk.organizer(&["event", "edit", &s(full), "--capacity", "4", "--json"]).json();
    assert_eq!(attendee_ids(&edited["promoted"]), [people[3], people[4]]);
    assert_eq!((edited["capacity"].as_i64(), edited["booked"].as_i64()), (Some(4), Some(3)));
    // Nobody waiting: an empty list, and no extra line.
    let quiet = desk.desk(&["cancel", &s(desk.book(other, people[5])), "--json"]).json();
    assert_eq!(quiet["promoted"], serde_json::json!([]));
    assert_eq!(history(&desk, "promote"), 4);
    assert_eq!(desk.run(&["check"]).code, 0);
}

fn checkin_refusals_come_in_order(db: &Db) {
    let desk = Desk::on(db);
    let (a, b, c) = (desk.attendee(1), desk.attendee(2), desk.attendee(3));
    let soon = desk.event_at(HOUR, HOUR * 2, 5, &[a, b]);
    let booking = |attendee: i64| {
        desk.count(&format!("SELECT id FROM bookings WHERE attendee_id = {attendee} AND event_id = {soon}"))
    };
    let (ba, bb) = (booking(a), booking(b));
    desk.desk(&["checkin", "999"]).fails(3, "no booking with id 999");
    desk.desk(&["cancel", &s(bb)]);
    desk.desk(&["checkin", &s(bb)])
        .fails(3, "the booking was cancelled; only an active booking can be checked in");
    let done = desk.desk(&["checkin", &s(ba), "--json"]).json();
    assert_eq!((done["booking_id"].as_i64(), done["checked_in_by"].as_str()), (Some(ba), Some("dora")));
    assert_eq!((done["event_checked_in"].as_i64(), done["event_booked"].as_i64()), (Some(1), Some(1)));
    let at: DateTime<Utc> = done["checked_in_at"].as_str().unwrap().parse().unwrap();
    desk.desk(&["checkin", &s(ba)]).fails(3, &format!("already checked in at {} by dora", format_clock(at)));
    let later = desk.event_at(HOUR * 3, HOUR, 5, &[c]);
    let bc = desk.count(&format!("SELECT id FROM bookings WHERE event_id = {later}"));
    let run = desk.desk(&["checkin", &s(bc)]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.starts_with("eventdesk: check-in is not open yet: it opens at "), "{run:?}");
    let ended = desk.event_at(-HOUR * 3, HOUR, 5, &[c]);
    let bd = desk.count(&format!("SELECT id FROM bookings WHERE event_id = {ended}"));
    desk.desk(&["checkin", &s(bd)]).fails(3, "the event has already ended");
    assert_eq!(desk.count("SELECT count(*) FROM checkins"), 1);
    assert_eq!(history(&desk, "checkin"), 1);
    assert_eq!(desk.desk(&["checkin"]).code, 2, "a booking or --event and --attendee");
    assert_eq!(desk.desk(&["checkin", &s(ba), "--event", &s(soon), "--attendee", &s(a)]).code, 2);
    assert_eq!(desk.desk(&["checkin", "--event", &s(soon)]).code, 2);
}

fn checkin_by_attendee_undo_and_the_bookings_list(db: &Db) {
    let desk = Desk::on(db);
    let (a, b) = (desk.attendee(1), desk.attendee(2));
    let soon = desk.event_at(HOUR, HOUR * 2, 5, &[a, b]);
    let by_email = ["checkin", "--event", &s(soon), "--attendee", "person1@example.org"];
    let human = desk.desk(&by_email);
    assert_eq!(human.code, 0, "{human:?}");
    assert!(
        human.stdout.starts_with("checked in Person 1 at ") && human.stdout.contains("1 / 2 checked in"),
        "{human:?}"
    );
    let rows = desk.desk(&["bookings", "--event", &s(soon), "--json"]).json();
    let row = |attendee: i64| {
        rows.as_array().unwrap().iter().find(|r| r["attendee_id"] == attendee).unwrap().clone()
    };
    assert_eq!(row(a)["checked_in_by"].as_str(), Some("dora"));
    assert!(row(a)["checked_in_at"].as_str().is_some());
    assert_eq!(
        (row(b)["checked_in_at"].clone(), row(b)["checked_in_by"].clone()),
        (Value::Null, Value::Null)
    );
    let table = desk.desk(&["bookings", "--event", &s(soon)]);
    assert!(
        table.stdout.lines().next().unwrap().contains("CHECKED IN") && table.stdout.contains("dora"),
        "{table:?}"
    );
    let undone = desk.desk(&[&by_email[..], &["--undo", "--json"]].concat()).json();
    assert_eq!(undone["undone_by"].as_str(), Some("dora"));
    assert_eq!(undone["event_checked_in"].as_i64(), Some(0));
    desk.desk(&[&by_email[..], &["--undo"]].concat()).fails(3, "the booking is not checked in");
    desk.desk(&["checkin", "--event", &s(soon), "--attendee", "999"]).fails(3, "no attendee with id 999");
    assert_eq!(desk.count("SELECT count(*) FROM checkins"), 1, "the undone check-in stays");
    assert_eq!(history(&desk, "checkin_undo"), 1);
    let again = desk.desk(&[&by_email[..], &["--json"]].concat()).json();
    assert!(again["undone_at"].is_null());
    assert_eq!(desk.count("SELECT count(*) FROM checkins"), 2);
    assert_eq!(desk.run(&["check"]).code, 0);
}

fn a_checked_in_booking_cannot_be_cancelled(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    let soon = desk.event_at(HOUR, HOUR * 2, 5, &[a]);
    let id = desk.count(&format!("SELECT id FROM bookings WHERE event_id = {soon}"));
    ok(&desk.desk(&["checkin", &s(id)]));
    desk.desk(&["cancel", &s(id)]).fails(3, "checked in: undo the check-in first");
    desk.desk(&["move", &s(id), "--to-event", &s(desk.event(3))])
        .fails(3, "checked in: undo the check-in first");
    assert_eq!(desk.count("SELECT count(*) FROM bookings WHERE status = 'active'"), 1);
    ok(&desk.desk(&["checkin", &s(id), "--undo"]));
    assert_eq!(desk.desk(&["cancel", &s(id), "--json"]).json()["status"], "cancelled");
}

fn noshows_once_the_event_ended(db: &Db) {
    let desk = Desk::on(db);
    let (a, b, c) = (desk.attendee(1), desk.attendee(2), desk.attendee(3));
    let running = desk.event_at(-HOUR, HOUR * 3, 5, &[a]);
    desk.desk(&["noshows", "--event", &s(running)]).fails(3, &{
        let (store, _) = store_at(&desk, Utc::now());
        let ends = store.event(running).unwrap().ends_at;
        format!(
            "the event has not ended yet (it ends at {}); no-shows are known once it has",
            eventdesk::model::format_local(ends)
        )
    });
    desk.desk(&["noshows", "--event", "999"]).fails(3, "no event with id 999");
    let ended = desk.event_at(-HOUR * 3, HOUR, 5, &[a, b, c]);
    let (store, session) = store_at(&desk, Utc::now() - HOUR * 3 + TimeDelta::minutes(10));
    let booking = |attendee: i64| {
        desk.count(&format!("SELECT id FROM bookings WHERE attendee_id = {attendee} AND event_id = {ended}"))
    };
    store.check_in(&session, booking(a)).unwrap();
    let listed = desk.desk(&["noshows", "--event", &s(ended), "--json"]).json();
    let mut ids: Vec<i64> =
        listed.as_array().unwrap().iter().map(|r| r["attendee_id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, [b, c]);
    let csv = desk.desk(&["noshows", "--event", &s(ended), "--csv"]);
    assert_eq!(csv.code, 0, "{csv:?}");
    assert!(
        csv.stdout.lines().next().unwrap().ends_with(",seats_left,checked_in_at,checked_in_by"),
        "{csv:?}"
    );
    assert_eq!(csv.stdout.lines().count(), 3);
    let table = desk.desk(&["noshows", "--event", &s(ended)]);
    assert!(table.stdout.contains("Person 2") && !table.stdout.contains("Person 1"), "{table:?}");
    assert_eq!(desk.run(&["noshows", "--event", &s(ended)]).code, 4, "signed in only");
}

fn organizers_work_only_their_own_doors(db: &Db) {
    let desk = Desk::on(db);
    desk.register("organizer", ("otto", "otto-pw-12345"), &["--org", "Otto's", "--address", "Somewhere 2"]);
    let otto = |args: &[&str]| desk.run_with(Some(("otto", "otto-pw-12345")), args);
    let (a, b) = (desk.attendee(1), desk.attendee(2));
    let soon = desk.event_at(HOUR, HOUR * 2, 1, &[a]);
    let id = desk.count(&format!("SELECT id FROM bookings WHERE event_id = {soon}"));
    let theirs = "you can manage waiting lists only on your own events; this one is Rust León's";
    otto(&["waitlist", "add", "--event", &s(soon), "--attendee", &s(b)]).fails(4, theirs);
    otto(&["checkin", &s(id)])
        .fails(4, "you can check attendees in only on your own events; this one is Rust León's");
    let own = desk.run_with(Some(ORGANIZER), &["checkin", &s(id), "--json"]).json();
    assert_eq!(own["checked_in_by"].as_str(), Some(ORGANIZER.0));
    assert_eq!(desk.count("SELECT count(*) FROM checkins"), 1);
}

/// Asserts success (human output).
fn ok(run: &common::Run) {
    assert_eq!(run.code, 0, "{run:?}");
}
