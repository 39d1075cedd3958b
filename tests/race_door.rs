//! Races at the door with real processes, on both engines: cancels and books on a full event
//! with a waiting list (every freed seat goes to the head of the list, in order, and nobody
//! else gets it), and two doors checking the same attendee in at the same instant.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use chrono::TimeDelta;
use common::engines::{Db, pairs};
use common::{DESK, Desk, Run, StartLine, finish};
use serde_json::Value;

on_both_engines!(sixteen_processes_cancel_and_book_while_ten_wait, two_doors_check_the_same_attendee_in);

const FULL: &str = "eventdesk: event full: no seats left\n";
const CAPACITY: usize = 5;
const WAITING: usize = 10;
const PROCESSES: usize = 16;
const ROUNDS: usize = 6;
const DOOR_ROUNDS: usize = 20;

/// Spawns one held process per (user, command line), releases them together, collects them.
fn race(desk: &Desk, commands: &[((&str, &str), Vec<String>)]) -> Vec<Run> {
    let mut start = StartLine::new();
    let children = commands
        .iter()
        .map(|(user, args)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            desk.held_command(&start, Some(*user), &args).spawn().expect("spawn eventdesk")
        })
        .collect();
    start.release();
    finish(children)
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

/// The event's waiting attendees, head first.
fn waiting(desk: &Desk, event: i64) -> Vec<i64> {
    let listed = desk.desk(&["waitlist", "list", "--event", &event.to_string(), "--json"]).json();
    listed.as_array().unwrap().iter().map(|e| e["attendee_id"].as_i64().unwrap()).collect()
}

/// (booking id, attendee id) of the event's active bookings.
fn seated(desk: &Desk, event: i64) -> Vec<(i64, i64)> {
    pairs(
        &desk.location,
        &format!(
            "SELECT id, attendee_id FROM bookings WHERE event_id = {event} AND status = 'active' ORDER BY id"
        ),
    )
}

fn sixteen_processes_cancel_and_book_while_ten_wait(db: &Db) {
    let desk = Desk::on(db);
    let event = desk.event(u32::try_from(CAPACITY).unwrap());
    let mut next = 0;
    let mut person = || {
        next += 1;
        desk.attendee(next)
    };
    for _ in 0..CAPACITY {
        let a = person();
        desk.book(event, a);
    }
    for _ in 0..WAITING {
        let a = person();
        desk.desk(&["waitlist", "add", "--event", &event.to_string(), "--attendee", &a.to_string()]);
    }
    let outsiders: Vec<i64> = (0..PROCESSES).map(|_| person()).collect();
    let mut promoted_so_far = Vec::new();
    for round in 0..ROUNDS {
        let line = waiting(&desk, event);
        assert_eq!(line.len(), WAITING, "round {round} starts with ten waiting");
        let cancels = 1 + round % 3;
        let seats = seated(&desk, event);
        assert_eq!(seats.len(), CAPACITY, "round {round} starts full");
        let mut commands: Vec<_> = seats
            .iter()
            .take(cancels)
            .map(|(id, _)| (DESK, args(&["cancel", &id.to_string(), "--json"])))
            .collect();
        commands.extend(
            outsiders.iter().take(PROCESSES - cancels).map(|a| {
                (DESK, args(&["book", "--event", &event.to_string(), "--attendee", &a.to_string()]))
            }),
        );
        let runs = race(&desk, &commands);
        let (cancel_runs, book_runs) = runs.split_at(cancels);
        // Every freed seat went to the list in the cancel's own transaction: no book saw it.
        assert!(book_runs.iter().all(|r| r.code == 3 && r.stderr == FULL), "round {round}: {runs:#?}");
        let mut promoted: Vec<(i64, i64)> = Vec::new();
        for run in cancel_runs {
            let freed: Value = run.json();
            let list = freed["promoted"].as_array().unwrap();
            assert_eq!(list.len(), 1, "round {round}: one seat, one promotion: {freed}");
            promoted
                .push((list[0]["booking_id"].as_i64().unwrap(), list[0]["attendee_id"].as_i64().unwrap()));
        }
        // In commit order (the promote rows' ids), the seats went to the head of the line.
        let order = pairs(
            &desk.location,
            &format!(
                "SELECT h.id, h.object_id FROM history h WHERE h.action = 'promote' AND h.id > {} ORDER BY h.id",
                promoted_so_far.last().map_or(0, |(h, _): &(i64, i64)| *h)
            ),
        );
        let by_booking = |booking: i64| promoted.iter().find(|(b, _)| *b == booking).unwrap().1;
        let in_order: Vec<i64> = order.iter().map(|(_, booking)| by_booking(*booking)).collect();
        assert_eq!(in_order, line[..cancels], "round {round}: the head of the list, in order");
        promoted_so_far.extend(order);
        let after = seated(&desk, event);
        assert_eq!(after.len(), CAPACITY, "round {round}: full again, never over");
        assert_eq!(desk.count(&format!("SELECT booked FROM events WHERE id = {event}")), 5, "round {round}");
        assert_eq!(waiting(&desk, event), line[cancels..], "round {round}: the rest moved up");
        // Each waiting attendee was promoted at most once, and each promotion is one entry.
        let twice = desk.count(
            "SELECT count(*) FROM (SELECT attendee_id FROM waitlist WHERE status = 'promoted'
               GROUP BY attendee_id HAVING count(*) > 1) d",
        );
        assert_eq!(twice, 0, "round {round}");
        assert_eq!(
            desk.count("SELECT count(*) FROM waitlist WHERE status = 'promoted'"),
            i64::try_from(promoted_so_far.len()).unwrap()
        );
        let check = desk.run(&["check"]);
        assert_eq!(check.code, 0, "round {round}: {check:?}");
        // Back to ten waiting for the next round, outside the race.
        for _ in 0..cancels {
            let a = person();
            desk.desk(&["waitlist", "add", "--event", &event.to_string(), "--attendee", &a.to_string()]);
        }
    }
}

fn two_doors_check_the_same_attendee_in(db: &Db) {
    let desk = Desk::on(db);
    let second = ("dana", "desk-pw-5678");
    desk.register("desk", second, &[]);
    let attendees: Vec<i64> = (0..DOOR_ROUNDS).map(|n| desk.attendee(n)).collect();
    // Starts in an hour: check-in is open.
    let event = desk.event_at(TimeDelta::hours(1), TimeDelta::hours(2), 50, &attendees);
    let bookings = seated(&desk, event);
    for (round, (booking, _)) in bookings.iter().enumerate() {
        let door = |user| (user, args(&["checkin", &booking.to_string()]));
        // Alternate who is listed first, so neither door always starts first.
        let commands = if round % 2 == 0 { [door(DESK), door(second)] } else { [door(second), door(DESK)] };
        let runs = race(&desk, &commands);
        let won: Vec<usize> = (0..2).filter(|&i| runs[i].code == 0).collect();
        assert_eq!(won.len(), 1, "round {round}: exactly one door succeeds: {runs:#?}");
        let (winner, loser) = (won[0], 1 - won[0]);
        let winner_name = commands[winner].0.0;
        let refused = &runs[loser];
        assert_eq!(refused.code, 3, "round {round}: {runs:#?}");
        assert!(
            refused.stderr.starts_with("eventdesk: already checked in at ")
                && refused.stderr.trim_end().ends_with(&format!(" by {winner_name}")),
            "round {round}: the other door hears when and by whom: {runs:#?}"
        );
        assert_eq!(desk.count(&format!("SELECT count(*) FROM checkins WHERE booking_id = {booking}")), 1);
        let by = desk.text(&format!("SELECT checked_in_by FROM checkins WHERE booking_id = {booking}"));
        assert_eq!(by, winner_name, "round {round}");
    }
    assert_eq!(
        desk.count("SELECT count(*) FROM history WHERE action = 'checkin'"),
        i64::try_from(DOOR_ROUNDS).unwrap()
    );
    assert_eq!(desk.run(&["check"]).code, 0);
}
