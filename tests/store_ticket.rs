//! A write given up while it waits for another connection's lock is never saved, even when the
//! lock is freed before the store notices; a write whose ticket was not given up is saved.

#![allow(clippy::unwrap_used)]

#[path = "support/accounts.rs"]
mod accounts;

use std::time::Duration;

use eventdesk::model::{Error, NewAttendee, Role};
use eventdesk::store::{Store, WriteTicket};

fn attendee(name: &str) -> NewAttendee {
    NewAttendee { name: name.into(), email: format!("{name}@example.org"), phone: String::new() }
}

fn attendees(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM attendees", [], |r| r.get(0)).unwrap()
}

#[test]
fn given_up_while_waiting_then_the_lock_is_freed_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ticket.db");
    let mut store = Store::open(&path).unwrap();
    let desk = accounts::register(&store, "desk", Role::Desk);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();

    let ticket = WriteTicket::new();
    store.set_ticket(Some(ticket.clone()));
    let writer = std::thread::spawn(move || store.add_attendee(&desk, &attendee("ana")));
    // Let the writer get into its lock wait, give up, then free the lock at once: the store
    // gets the lock, does the work, and must still roll it back.
    std::thread::sleep(Duration::from_millis(200));
    assert!(ticket.give_up(), "nothing was committed yet");
    holder.execute_batch("ROLLBACK").unwrap();
    let outcome = writer.join().unwrap();

    assert_eq!(outcome.unwrap_err(), Error::GivenUp);
    assert_eq!(attendees(&path), 0, "a given-up write is never saved");
}

#[test]
fn a_ticket_that_was_not_given_up_lets_the_write_through_and_then_is_spent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ticket.db");
    let mut store = Store::open(&path).unwrap();
    let desk = accounts::register(&store, "desk", Role::Desk);
    let ticket = WriteTicket::new();
    store.set_ticket(Some(ticket.clone()));
    store.add_attendee(&desk, &attendee("ana")).unwrap();
    assert!(!ticket.give_up(), "too late: it was saved");
    store.set_ticket(None);
    store.add_attendee(&desk, &attendee("ben")).unwrap();
    assert_eq!(attendees(&path), 2);
}
