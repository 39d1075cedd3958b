//! The race: many OS processes running the real binary against one database at the same
//! instant, on each engine. Exactly the seats there are get booked, everyone else hears "full",
//! and nothing else happens.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use common::engines::Db;
use common::{DESK, Desk, Run, StartLine, finish};

on_both_engines!(
    sixteen_processes_race_for_five_seats,
    cancels_and_books_racing_on_a_full_event_keep_the_invariant
);

const FULL: &str = "eventdesk: event full: no seats left\n";
const ROUNDS: usize = 20;

fn booked(desk: &Desk, event: i64) -> (i64, i64) {
    let active =
        desk.count(&format!("SELECT count(*) FROM bookings WHERE event_id = {event} AND status = 'active'"));
    (desk.count(&format!("SELECT booked FROM events WHERE id = {event}")), active)
}

/// History rows of these actions about the event's bookings (none of them moves between events).
fn history_rows(desk: &Desk, event: i64, actions: &str) -> i64 {
    desk.count(&format!(
        "SELECT count(*) FROM history h JOIN bookings b ON b.id = h.object_id
         WHERE h.object_kind = 'booking' AND h.action IN ({actions}) AND b.event_id = {event}"
    ))
}

/// Spawns one held process per command line, releases them together and collects the outcomes.
fn race(desk: &Desk, commands: &[Vec<String>]) -> Vec<Run> {
    let mut start = StartLine::new();
    let children = commands
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            desk.held_command(&start, Some(DESK), &args).spawn().expect("spawn eventdesk")
        })
        .collect();
    start.release();
    finish(children)
}

fn book(event: i64, attendee: i64) -> Vec<String> {
    ["book", "--event", &event.to_string(), "--attendee", &attendee.to_string()].map(String::from).to_vec()
}

fn sixteen_processes_race_for_five_seats(db: &Db) {
    let desk = Desk::on(db);
    let attendees: Vec<i64> = (0..16).map(|n| desk.attendee(n)).collect();
    for round in 0..ROUNDS {
        let event = desk.event(5);
        let commands: Vec<_> = attendees.iter().map(|&a| book(event, a)).collect();
        let runs = race(&desk, &commands);
        let won = runs.iter().filter(|r| r.code == 0).count();
        let full = runs.iter().filter(|r| r.code == 3 && r.stderr == FULL).count();
        assert_eq!((won, full), (5, 11), "round {round}: {runs:#?}");
        assert!(runs.iter().filter(|r| r.code == 0).all(|r| r.stderr.is_empty()), "round {round}: {runs:#?}");
        assert_eq!(booked(&desk, event), (5, 5), "round {round}");
        assert_eq!(history_rows(&desk, event, "'book'"), 5, "round {round}");
    }
    assert_eq!(desk.run(&["check"]).code, 0);
}

/// One round of the mixed race: cancel two of the five, and let four waiting attendees try
/// for the two seats that free up. Returns how many books went through.
fn mixed_round(desk: &Desk, event: i64, attendees: &[i64], round: usize) -> usize {
    let listed =
        desk.desk(&["bookings", "--event", &event.to_string(), "--status", "active", "--json"]).json();
    let mut active: Vec<(i64, i64)> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|b| (b["id"].as_i64().unwrap(), b["attendee_id"].as_i64().unwrap()))
        .collect();
    active.sort_unstable();
    assert_eq!(active.len(), 5, "round {round} starts full");
    let cancels: Vec<i64> = active.iter().cycle().skip(round % 5).take(2).map(|b| b.0).collect();
    let waiting = attendees.iter().filter(|a| !active.iter().any(|b| b.1 == **a));
    let books: Vec<i64> = waiting.cycle().skip(round).take(4).copied().collect();
    let mut commands: Vec<Vec<String>> =
        cancels.iter().map(|b| vec!["cancel".into(), b.to_string()]).collect();
    commands.extend(books.iter().map(|&a| book(event, a)));
    let runs = race(desk, &commands);
    let (cancel_runs, book_runs) = runs.split_at(2);
    assert!(cancel_runs.iter().all(|r| r.code == 0), "round {round}: {runs:#?}");
    let won = book_runs.iter().filter(|r| r.code == 0).count();
    let full = book_runs.iter().filter(|r| r.code == 3 && r.stderr == FULL).count();
    assert_eq!(won + full, 4, "round {round}: only booked or full: {runs:#?}");
    won
}

fn cancels_and_books_racing_on_a_full_event_keep_the_invariant(db: &Db) {
    let desk = Desk::on(db);
    let attendees: Vec<i64> = (0..12).map(|n| desk.attendee(n)).collect();
    let event = desk.event(5);
    for &a in &attendees[..5] {
        desk.book(event, a);
    }
    let (mut seated, mut cancelled) = (5, 0);
    for round in 0..ROUNDS {
        let won = mixed_round(&desk, event, &attendees, round);
        cancelled += 2;
        seated += won;
        let (count, active) = booked(&desk, event);
        assert_eq!(count, active, "round {round}: the kept count matches the bookings");
        assert_eq!(active, i64::try_from(seated - cancelled).unwrap(), "round {round}");
        assert!(active <= 5, "round {round}: overbooked");
        assert_eq!(history_rows(&desk, event, "'book', 'reactivate'"), i64::try_from(seated).unwrap());
        assert_eq!(history_rows(&desk, event, "'cancel'"), i64::try_from(cancelled).unwrap());
        let check = desk.run(&["check"]);
        assert_eq!(check.code, 0, "round {round}: {check:?}");
        // Top up to full for the next round, outside the race.
        let free: Vec<i64> = attendees.iter().copied().filter(|a| !is_active(&desk, event, *a)).collect();
        for &a in free.iter().take(usize::try_from(5 - active).unwrap()) {
            desk.book(event, a);
            seated += 1;
        }
    }
}

fn is_active(desk: &Desk, event: i64, attendee: i64) -> bool {
    desk.count(&format!(
        "SELECT count(*) FROM bookings WHERE event_id = {event} AND attendee_id = {attendee} AND status = 'active'"
    )) == 1
}
