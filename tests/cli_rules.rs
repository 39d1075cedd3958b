//! One test per booking and event rule, through the real binary: the exit code, the exact
//! reason on stderr, and what the database holds afterwards.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use chrono::TimeDelta;
use common::Desk;
use common::engines::Db;

const HOUR: TimeDelta = TimeDelta::hours(1);

on_both_engines!(
    booking_a_missing_event_is_refused,
    booking_an_ended_event_is_refused,
    booking_an_ongoing_event_is_refused,
    booking_twice_is_refused,
    booking_a_full_event_is_refused,
    refusals_come_in_the_rule_order,
    attendees_are_found_by_id_or_email,
    rebooking_after_a_cancel_reactivates_the_booking,
    rebooking_checks_capacity_again,
    only_an_active_booking_can_be_cancelled,
    a_started_event_keeps_its_bookings,
    moving_a_booking_checks_capacity,
    capacity_cannot_drop_below_the_bookings,
    editing_revalidates_the_whole_event,
    deleting_an_event_with_bookings_needs_force_and_cancels_them,
    desk_staff_cannot_create_events,
    organizers_change_only_their_own_events,
    attendee_emails_are_unique_and_edits_are_validated,
    event_lists_filter_by_phase_and_seats,
);

fn history(desk: &Desk, action: &str) -> i64 {
    desk.count(&format!("SELECT count(*) FROM history WHERE action = '{action}'"))
}

fn book_args(event: i64, attendee: &str) -> Vec<String> {
    ["book", "--event", &event.to_string(), "--attendee", attendee, "--json"].map(String::from).to_vec()
}

fn desk_book(desk: &Desk, event: i64, attendee: &str) -> common::Run {
    let args = book_args(event, attendee);
    desk.desk(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn booking_a_missing_event_is_refused(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    desk_book(&desk, 999, &a.to_string()).fails(3, "no event with id 999");
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 0);
    assert_eq!(history(&desk, "book"), 0);
}

fn booking_an_ended_event_is_refused(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    let event = desk.event_at(-HOUR * 3, HOUR, 10, &[]);
    desk_book(&desk, event, &a.to_string()).fails(3, "the event has already ended");
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 0);
}

fn booking_an_ongoing_event_is_refused(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    let event = desk.event_at(-HOUR, HOUR * 3, 10, &[]);
    desk_book(&desk, event, &a.to_string()).fails(3, "the event has already started");
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 0);
}

fn booking_twice_is_refused(db: &Db) {
    let desk = Desk::on(db);
    let (event, a) = (desk.event(5), desk.attendee(1));
    desk.book(event, a);
    desk_book(&desk, event, &a.to_string())
        .fails(3, "the attendee already holds an active booking on this event");
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 1);
    assert_eq!(history(&desk, "book"), 1);
}

fn booking_a_full_event_is_refused(db: &Db) {
    let desk = Desk::on(db);
    let (event, a, b) = (desk.event(1), desk.attendee(1), desk.attendee(2));
    desk.book(event, a);
    desk_book(&desk, event, &b.to_string()).fails(3, "event full: no seats left");
    assert_eq!(desk.count(&format!("SELECT booked FROM events WHERE id = {event}")), 1);
    assert_eq!(history(&desk, "book"), 1);
}

fn refusals_come_in_the_rule_order(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    // Ended, full and already booked at once: "ended" wins.
    let past = desk.event_at(-HOUR * 3, HOUR, 1, &[a]);
    desk_book(&desk, past, &a.to_string()).fails(3, "the event has already ended");
    let ongoing = desk.event_at(-HOUR, HOUR * 3, 1, &[a]);
    desk_book(&desk, ongoing, &a.to_string()).fails(3, "the event has already started");
    // Upcoming, full and already booked: the duplicate is reported before "full".
    let upcoming = desk.event(1);
    desk.book(upcoming, a);
    desk_book(&desk, upcoming, &a.to_string())
        .fails(3, "the attendee already holds an active booking on this event");
}

fn attendees_are_found_by_id_or_email(db: &Db) {
    let desk = Desk::on(db);
    let (event, a) = (desk.event(5), desk.attendee(1));
    let booked = desk_book(&desk, event, "Person1@Example.org").json();
    assert_eq!(booked["attendee_id"], a);
    desk_book(&desk, event, "nobody@example.org").fails(3, "no attendee with email nobody@example.org");
    desk_book(&desk, event, "999").fails(3, "no attendee with id 999");
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 1);
}

fn rebooking_after_a_cancel_reactivates_the_booking(db: &Db) {
    let desk = Desk::on(db);
    let (event, a) = (desk.event(2), desk.attendee(1));
    let booking = desk.book(event, a);
    let cancelled = desk.desk(&["cancel", &booking.to_string(), "--json"]).json();
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["seats_left"].as_i64()),
        (Some("cancelled"), Some(2))
    );
    let again = desk_book(&desk, event, &a.to_string()).json();
    assert_eq!((again["id"].as_i64(), again["status"].as_str()), (Some(booking), Some("active")));
    assert_eq!(desk.count("SELECT count(*) FROM bookings"), 1);
    assert_eq!((history(&desk, "book"), history(&desk, "cancel"), history(&desk, "reactivate")), (1, 1, 1));
}

fn rebooking_checks_capacity_again(db: &Db) {
    let desk = Desk::on(db);
    let (event, a, b) = (desk.event(1), desk.attendee(1), desk.attendee(2));
    let booking = desk.book(event, a);
    assert_eq!(desk.desk(&["cancel", &booking.to_string()]).code, 0);
    desk.book(event, b);
    desk_book(&desk, event, &a.to_string()).fails(3, "event full: no seats left");
    assert_eq!(history(&desk, "reactivate"), 0);
}

fn only_an_active_booking_can_be_cancelled(db: &Db) {
    let desk = Desk::on(db);
    let (event, a) = (desk.event(2), desk.attendee(1));
    let booking = desk.book(event, a).to_string();
    assert_eq!(desk.desk(&["cancel", &booking]).code, 0);
    desk.desk(&["cancel", &booking]).fails(3, "only an active booking can be cancelled or moved");
    desk.desk(&["cancel", "999"]).fails(3, "no booking with id 999");
    assert_eq!(history(&desk, "cancel"), 1);
    assert_eq!(desk.count(&format!("SELECT booked FROM events WHERE id = {event}")), 0);
}

fn a_started_event_keeps_its_bookings(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    let event = desk.event_at(-HOUR, HOUR * 3, 5, &[a]);
    let booking = desk.count(&format!("SELECT id FROM bookings WHERE event_id = {event}"));
    desk.desk(&["cancel", &booking.to_string()])
        .fails(3, "the event has started; its bookings can no longer change");
    assert_eq!(desk.count("SELECT count(*) FROM bookings WHERE status = 'active'"), 1);
}

fn moving_a_booking_checks_capacity(db: &Db) {
    let desk = Desk::on(db);
    let (from, full, open) = (desk.event(3), desk.event(1), desk.event(2));
    let (a, b) = (desk.attendee(1), desk.attendee(2));
    desk.book(full, b);
    let booking = desk.book(from, a).to_string();
    desk.desk(&["move", &booking, "--to-event", &full.to_string()]).fails(3, "event full: no seats left");
    let moved = desk.desk(&["move", &booking, "--to-event", &open.to_string(), "--json"]).json();
    assert_eq!((moved["event_id"].as_i64(), moved["seats_left"].as_i64()), (Some(open), Some(1)));
    let booked = |e: i64| desk.count(&format!("SELECT booked FROM events WHERE id = {e}"));
    assert_eq!((booked(from), booked(full), booked(open)), (0, 1, 1));
}

fn capacity_cannot_drop_below_the_bookings(db: &Db) {
    let desk = Desk::on(db);
    let event = desk.event(3);
    for n in 1..=2 {
        desk.book(event, desk.attendee(n));
    }
    let id = event.to_string();
    desk.organizer(&["event", "edit", &id, "--capacity", "1"])
        .fails(3, "capacity cannot drop below the 2 active bookings");
    assert_eq!(desk.count(&format!("SELECT capacity FROM events WHERE id = {id}")), 3);
    let edited = desk.organizer(&["event", "edit", &id, "--capacity", "2", "--json"]).json();
    assert_eq!((edited["capacity"].as_i64(), edited["seats_left"].as_i64()), (Some(2), Some(0)));
}

fn editing_revalidates_the_whole_event(db: &Db) {
    let desk = Desk::on(db);
    let id = desk.event(3).to_string();
    desk.organizer(&["event", "edit", &id, "--end", "2001-01-01 10:00"])
        .fails(3, "end: the end must be after the start");
    desk.organizer(&["event", "edit", &id, "--capacity", "lots"])
        .fails(3, "capacity: a whole number of seats, e.g. 40");
    assert_eq!(history(&desk, "update"), 0);
}

fn deleting_an_event_with_bookings_needs_force_and_cancels_them(db: &Db) {
    let desk = Desk::on(db);
    let event = desk.event(5);
    for n in 1..=3 {
        desk.book(event, desk.attendee(n));
    }
    let id = event.to_string();
    desk.organizer(&["event", "delete", &id])
        .fails(3, "the event has 3 active bookings; confirm (--force) to cancel them and delete it");
    assert_eq!(desk.count("SELECT count(*) FROM bookings WHERE status = 'active'"), 3);
    let deleted = desk.organizer(&["event", "delete", &id, "--force", "--json"]).json();
    assert_eq!(deleted["bookings_cancelled"], 3);
    assert_eq!(desk.count("SELECT count(*) FROM bookings WHERE status = 'cancelled'"), 3);
    assert_eq!((history(&desk, "cancel"), history(&desk, "delete")), (3, 1));
    // Nothing is hard-deleted: the row stays, marked, and leaves every list.
    assert_eq!(desk.count(&format!("SELECT deleted_at IS NOT NULL FROM events WHERE id = {id}")), 1);
    assert_eq!(desk.organizer(&["event", "list", "--json"]).json(), serde_json::json!([]));
    desk.run(&["event", "show", &id]).fails(3, "that event was deleted");
}

fn desk_staff_cannot_create_events(db: &Db) {
    let desk = Desk::on(db);
    let start = common::rfc3339(chrono::Utc::now() + TimeDelta::days(1));
    let end = common::rfc3339(chrono::Utc::now() + TimeDelta::days(2));
    desk.desk(&["event", "add", "--title", "T", "--start", &start, "--end", &end, "--capacity", "5"])
        .fails(4, "only organizers can create events");
    assert_eq!(desk.count("SELECT count(*) FROM events"), 0);
}

fn organizers_change_only_their_own_events(db: &Db) {
    let desk = Desk::on(db);
    let id = desk.event(5).to_string();
    let other = ("oscar", "other-organizer-pw");
    desk.register("organizer", other, &["--org", "Other Org", "--address", "Elsewhere 2"]);
    desk.run_with(Some(other), &["event", "edit", &id, "--title", "Mine now"])
        .fails(4, "you can edit only your own events; this one is Rust León's");
    desk.run_with(Some(other), &["event", "delete", &id, "--force"])
        .fails(4, "you can delete only your own events; this one is Rust León's");
    let title = desk.text("SELECT title FROM events");
    assert_eq!(title, "Rust Meetup");
    assert_eq!(desk.count("SELECT count(*) FROM events WHERE deleted_at IS NULL"), 1);
    assert_eq!(
        desk.organizer(&["event", "list", "--mine", "--json"]).json().as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        desk.run_with(Some(other), &["event", "list", "--mine", "--json"]).json(),
        serde_json::json!([])
    );
}

fn attendee_emails_are_unique_and_edits_are_validated(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1).to_string();
    desk.attendee(2);
    let add = ["attendee", "add", "--name", "Someone", "--email", "PERSON1@example.org"];
    desk.desk(&add).fails(3, "an attendee with that email already exists");
    desk.desk(&["attendee", "edit", &a, "--email", "person2@example.org"])
        .fails(3, "an attendee with that email already exists");
    desk.desk(&["attendee", "edit", &a, "--phone", "call me"])
        .fails(3, "phone: digits, spaces and + - ( ) only, e.g. +34 600 123 456");
    let edited = desk
        .desk(&["attendee", "edit", &a, "--name", "Ana Ruiz", "--phone", "+34 600 123 456", "--json"])
        .json();
    assert_eq!(
        (edited["name"].as_str(), edited["phone"].as_str()),
        (Some("Ana Ruiz"), Some("+34 600 123 456"))
    );
    assert_eq!(desk.count("SELECT count(*) FROM attendees"), 2);
    assert_eq!(history(&desk, "update"), 1);
}

fn event_lists_filter_by_phase_and_seats(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1);
    let past = desk.event_at(-HOUR * 5, HOUR, 3, &[]);
    let full = desk.event(1);
    desk.book(full, a);
    let open = desk.event(4);
    let ids = |flag: &str| -> Vec<i64> {
        let list = desk.organizer(&["event", "list", flag, "--json"]).json();
        list.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids("--past"), [past]);
    assert_eq!(ids("--upcoming"), [full, open]);
    assert_eq!(ids("--available"), [open]);
    assert_eq!(ids("--mine"), [past, full, open]);
}
