//! The file is the file: a path with no database is refused (and nothing is made there) by
//! every command but `init` and `demo`, and a store whose file was removed or replaced under
//! it refuses to write, saying so, rather than saving into a file nobody will open again.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
mod common;

use std::path::Path;

use accounts::register;
use chrono::{Duration, TimeZone, Utc};
use common::Desk;
use eventdesk::model::{Clock, Error, NewAttendee, NewEvent, Role, Session};
use eventdesk::store::{OpenOptions, Store};

/// What is in the directory, by name (the database, its -wal and -shm, a data folder).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn commands_refuse_a_missing_database_and_create_nothing() {
    let desk = Desk::empty();
    let line = format!("no eventdesk database at {}: run `eventdesk init` to create one", desk.db.display());
    let signed_in = Some(common::DESK);
    let to = desk.dir.path().join("copy.db");
    let to = to.to_str().unwrap();
    for args in [
        &["event", "list"][..],
        &["book", "--event", "1", "--attendee", "1"],
        &["check"],
        &["bookings", "--csv"],
        &["register", "--role", "desk", "--username", "dana"],
        &["copy", "--to", to],
        // No command: the terminal app, whose store opens before the terminal is touched.
        &[],
    ] {
        desk.run_with(signed_in, args).fails(1, &line);
        assert_eq!(entries(desk.dir.path()), Vec::<String>::new(), "{args:?} created something");
    }
    assert_eq!(desk.run(&["init"]).code, 0, "init creates the database");
    assert_eq!(desk.run(&["check"]).code, 0, "then the other commands find it");
}

#[test]
fn the_library_opens_an_existing_file_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");
    let refused = Store::open_existing(&path).err().unwrap();
    assert_eq!(refused, Error::NoDatabase { location: path.display().to_string() });
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    drop(Store::open(&path).unwrap());
    assert!(Store::open_existing(&path).is_ok(), "the default still creates, then it exists");
}

/// A store on a new file with a desk account, one event and one attendee.
fn desk_store(path: &Path) -> (Store, Session, i64, i64) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let store =
        Store::open_with(path, OpenOptions { clock: Clock::Fixed(now), ..OpenOptions::default() }).unwrap();
    let olga = register(&store, "olga", Role::Organizer);
    let dana = register(&store, "dana", Role::Desk);
    let new = NewEvent {
        title: "Rust Meetup".into(),
        description: String::new(),
        starts_at: now + Duration::days(3),
        ends_at: now + Duration::days(3) + Duration::hours(2),
        capacity: 52,
    };
    let event = store.create_event(&olga, &new).unwrap().id;
    let ana = NewAttendee { name: "Ana Ruiz".into(), email: "ana@example.org".into(), phone: String::new() };
    let attendee = store.add_attendee(&dana, &ana).unwrap().id;
    (store, dana, event, attendee)
}

fn vanished(path: &Path) -> Error {
    Error::Vanished { location: path.display().to_string() }
}

#[test]
fn a_store_whose_file_was_removed_refuses_to_book_and_recreates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let (store, dana, event, attendee) = desk_store(&path);
    assert!(store.change_token().is_ok());
    for file in entries(dir.path()) {
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    assert_eq!(store.book(&dana, event, attendee).err(), Some(vanished(&path)));
    assert_eq!(store.change_token().err(), Some(vanished(&path)), "the refresh tick notices it too");
    let message = vanished(&path).to_string();
    assert!(message.contains("removed or replaced") && message.contains("nothing was saved"), "{message}");
    assert!(!path.exists(), "the file must not come back");
    drop(store);
    assert_eq!(
        Store::open_existing(&path).err(),
        Some(Error::NoDatabase { location: path.display().to_string() })
    );
}

#[test]
fn a_store_whose_file_was_replaced_refuses_to_book_and_leaves_the_new_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let (store, dana, event, attendee) = desk_store(&path);
    let other = dir.path().join("other.db");
    drop(desk_store(&other));
    std::fs::rename(&other, &path).unwrap();
    assert_eq!(store.book(&dana, event, attendee).err(), Some(vanished(&path)));
    drop(store);
    let after = Store::open_existing(&path).unwrap();
    assert!(after.check().unwrap().problems.is_empty(), "the moved-in file is not corrupted");
    assert_eq!(after.check().unwrap().bookings, 0, "nothing was booked into it");
}
