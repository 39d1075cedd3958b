//! `eventdesk attendee merge KEEP_ID OTHER_ID` through the real binary, on both engines: the
//! exit code, the exact reason on stderr, and what the database holds afterwards.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use common::Desk;
use common::engines::Db;

on_both_engines!(
    merge_moves_the_bookings_and_says_so,
    merge_refusals_exit_3_and_change_nothing,
    organizers_cannot_merge,
);

fn merge(desk: &Desk, keep: i64, other: i64, json: bool) -> common::Run {
    let (k, o) = (keep.to_string(), other.to_string());
    let mut args = vec!["attendee", "merge", &k, &o];
    if json {
        args.push("--json");
    }
    desk.desk(&args)
}

fn merge_moves_the_bookings_and_says_so(db: &Db) {
    let desk = Desk::on(db);
    let (keep, other) = (desk.attendee(1), desk.attendee(2));
    let event = desk.event(5);
    let booking = desk.book(event, other);
    let run = merge(&desk, keep, other, false);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim_end(),
        format!(
            "merged attendee {other} into attendee {keep}: Person 1 <person1@example.org> \
             (1 booking, 0 waiting-list entries moved)"
        )
    );
    assert_eq!(desk.count(&format!("SELECT attendee_id FROM bookings WHERE id = {booking}")), keep);
    assert_eq!(desk.count("SELECT count(*) FROM history WHERE action = 'merge'"), 1);
    let listed = desk.desk(&["attendee", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "the merged attendee is hidden: {listed}");
    let run = desk.run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
}

fn merge_refusals_exit_3_and_change_nothing(db: &Db) {
    let desk = Desk::on(db);
    let (keep, other) = (desk.attendee(1), desk.attendee(2));
    let event = desk.event(5);
    desk.book(event, keep);
    desk.book(event, other);
    merge(&desk, keep, other, false).fails(
        3,
        &format!(
            "cannot merge: both attendees hold an active seat on event {event}; cancel or remove one of them first"
        ),
    );
    merge(&desk, keep, 999, false).fails(3, "no attendee with id 999");
    merge(&desk, keep, keep, false).fails(3, "an attendee cannot be merged into itself");
    assert_eq!(desk.count("SELECT count(*) FROM attendees WHERE merged_into IS NOT NULL"), 0);
    assert_eq!(desk.count("SELECT count(*) FROM history WHERE action = 'merge'"), 0);
    // A second merge of the same attendee is refused too.
    let third = desk.attendee(3);
    assert_eq!(merge(&desk, keep, third, true).json()["merged_id"], third);
    merge(&desk, other, third, false)
        .fails(3, &format!("attendee {third} was already merged into attendee {keep}"));
}

fn organizers_cannot_merge(db: &Db) {
    let desk = Desk::on(db);
    let (keep, other) = (desk.attendee(1), desk.attendee(2));
    let (k, o) = (keep.to_string(), other.to_string());
    desk.organizer(&["attendee", "merge", &k, &o]).fails(4, "only desk staff can merge attendees");
    assert_eq!(desk.count("SELECT count(*) FROM attendees WHERE merged_into IS NOT NULL"), 0);
}
