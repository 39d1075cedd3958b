//! Issue 13 through the real binary: what the command line says when a desk gets something
//! wrong, word for word, and the exit code a script sees.

mod common;

use chrono::{TimeDelta, Utc};
use common::{Desk, ORGANIZER, Run, rfc3339};

/// New York's rules as a POSIX TZ string, so the test needs no zoneinfo files.
const NEW_YORK: &str = "EST5EDT,M3.2.0,M11.1.0";

fn organizer_in_new_york(desk: &Desk, args: &[&str]) -> Run {
    let out = desk.command(Some(ORGANIZER), args).env("TZ", NEW_YORK).output().expect("run eventdesk");
    Run { code: out.status.code().unwrap_or(-1), stdout: lossy(&out.stdout), stderr: lossy(&out.stderr) }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn add_event(desk: &Desk, start: &str, end: &str) -> Run {
    let args = ["event", "add", "--title", "Night Run", "--start", start, "--end", end, "--capacity", "5"];
    organizer_in_new_york(desk, &args)
}

#[test]
fn an_ambiguous_local_time_is_refused_with_both_instants() {
    let desk = Desk::new();
    add_event(&desk, "2027-11-07 01:30", "2027-11-07 03:00").fails(
        3,
        "start: 2027-11-07 01:30 happens twice in this time zone: \
         type 2027-11-07T01:30:00-04:00 (first) or 2027-11-07T01:30:00-05:00 (second)",
    );
    let second = add_event(&desk, "2027-11-07T01:30:00-05:00", "2027-11-07 03:00");
    assert_eq!(second.code, 0, "{second:?}");
    let stored = desk.count("SELECT starts_at FROM events");
    assert_eq!(stored, chrono::DateTime::parse_from_rfc3339("2027-11-07T06:30:00Z").unwrap().timestamp());
}

#[test]
fn a_local_time_the_clocks_skip_is_refused_with_one_after_the_jump() {
    let desk = Desk::new();
    add_event(&desk, "2027-03-14 02:30", "2027-03-14 05:00").fails(
        3,
        "start: 2027-03-14 02:30 does not exist in this time zone (the clocks jump forward over it); \
         pick another time, e.g. 2027-03-14 03:30",
    );
    assert_eq!(desk.count("SELECT count(*) FROM events"), 0);
}

#[test]
fn an_edit_moving_the_start_into_the_past_states_the_edit_rule() {
    let desk = Desk::new();
    let id = desk.event(3).to_string();
    let past = rfc3339(Utc::now() - TimeDelta::days(1));
    desk.organizer(&["event", "edit", &id, "--start", &past])
        .fails(3, "start: a moved start must be in the future (or keep the current start)");
}

#[test]
fn a_deleted_event_is_called_deleted_not_missing() {
    let desk = Desk::new();
    let (event, a) = (desk.event(3), desk.attendee(1));
    let id = event.to_string();
    assert_eq!(desk.organizer(&["event", "delete", &id]).code, 0);
    desk.desk(&["book", "--event", &id, "--attendee", &a.to_string()]).fails(3, "that event was deleted");
    desk.run(&["event", "show", &id]).fails(3, "that event was deleted");
    desk.run(&["event", "show", "999"]).fails(3, "no event with id 999");
}

#[test]
fn an_unknown_attendee_fails_the_same_way_by_id_or_email() {
    let desk = Desk::new();
    desk.attendee(1);
    desk.desk(&["bookings", "--attendee", "nobody@example.org"])
        .fails(3, "no attendee with email nobody@example.org");
    desk.desk(&["bookings", "--attendee", "99999"]).fails(3, "no attendee with id 99999");
    desk.desk(&["book", "--event", "1", "--attendee", "nobody@example.org"])
        .fails(3, "no attendee with email nobody@example.org");
    let known = desk.desk(&["bookings", "--attendee", "person1@example.org"]);
    assert_eq!((known.code, known.stdout.trim()), (0, "no bookings"), "{known:?}");
}

#[test]
fn an_unknown_event_filter_fails_but_a_deleted_event_still_lists_its_bookings() {
    let desk = Desk::new();
    desk.desk(&["bookings", "--event", "99999"]).fails(3, "no event with id 99999");
    let event = desk.event(3);
    desk.book(event, desk.attendee(1));
    let id = event.to_string();
    assert_eq!(desk.organizer(&["event", "delete", &id, "--force"]).code, 0);
    let listed = desk.desk(&["bookings", "--event", &id, "--json"]).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
}

#[test]
fn counts_take_the_singular_for_one() {
    let desk = Desk::new();
    let event = desk.event(2);
    let booked =
        desk.desk(&["book", "--event", &event.to_string(), "--attendee", &desk.attendee(1).to_string()]);
    assert!(booked.stdout.trim_end().ends_with("; 1 seat left"), "{booked:?}");
    let start = rfc3339(Utc::now() + TimeDelta::days(2));
    let end = rfc3339(Utc::now() + TimeDelta::days(2) + TimeDelta::hours(1));
    let added = desk.organizer(&[
        "event",
        "add",
        "--title",
        "Solo",
        "--start",
        &start,
        "--end",
        &end,
        "--capacity",
        "1",
    ]);
    assert!(added.stdout.trim_end().ends_with(", 1 seat)"), "{added:?}");
    let deleted = desk.organizer(&["event", "delete", &event.to_string(), "--force"]);
    assert_eq!(deleted.stdout.trim_end(), format!("deleted event {event}; cancelled 1 booking"));
}
