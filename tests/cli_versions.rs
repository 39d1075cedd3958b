//! `--if-version` through the real binary: an edit based on the version shown goes through, one
//! based on a version another desk replaced exits 3 with what changed, and writes nothing.

#![allow(clippy::unwrap_used)] // test bodies run through on_both_engines!, outside #[test]

mod common;

use common::Desk;
use common::engines::Db;

on_both_engines!(
    a_stale_event_edit_exits_3_and_writes_nothing,
    a_stale_attendee_edit_exits_3_and_writes_nothing
);

fn updates(desk: &Desk) -> i64 {
    desk.count("SELECT count(*) FROM history WHERE action = 'update'")
}

fn a_stale_event_edit_exits_3_and_writes_nothing(db: &Db) {
    let desk = Desk::on(db);
    let id = desk.event(3).to_string();
    assert_eq!(desk.run(&["event", "show", &id, "--json"]).json()["version"], 1);
    let edited =
        desk.organizer(&["event", "edit", &id, "--title", "Moved", "--if-version", "1", "--json"]).json();
    assert_eq!(edited["version"], 2, "{edited}");
    desk.organizer(&["event", "edit", &id, "--title", "Mine", "--if-version", "1"]).fails(
        3,
        "another desk changed this event since you opened it (version 1 → 2): title is now “Moved”; review and save again",
    );
    assert_eq!(desk.text(&format!("SELECT title FROM events WHERE id = {id}")), "Moved");
    assert_eq!(updates(&desk), 1);
    let again =
        desk.organizer(&["event", "edit", &id, "--title", "Mine", "--if-version", "2", "--json"]).json();
    assert_eq!(again["version"], 3, "{again}");
}

fn a_stale_attendee_edit_exits_3_and_writes_nothing(db: &Db) {
    let desk = Desk::on(db);
    let a = desk.attendee(1).to_string();
    let edited =
        desk.desk(&["attendee", "edit", &a, "--name", "Ana Ruiz", "--if-version", "1", "--json"]).json();
    assert_eq!(edited["version"], 2, "{edited}");
    desk.desk(&["attendee", "edit", &a, "--name", "Ana R.", "--if-version", "1"]).fails(
        3,
        "another desk changed this attendee since you opened it (version 1 → 2): name is now “Ana Ruiz”; review and save again",
    );
    assert_eq!(desk.text(&format!("SELECT name FROM attendees WHERE id = {a}")), "Ana Ruiz");
    assert_eq!(updates(&desk), 1);
}
