//! A store error that is no one's fault (the database busy) keeps the form exactly as typed.

use std::time::Duration;

use super::fixture::*;
use crate::app::{Action, Mode};
use crate::model::Clock;
use crate::store::{OpenOptions, Store};

#[test]
fn busy_database_keeps_the_form_and_a_retry_succeeds() {
    let (f, store) = fixture();
    drop(store);
    // A short lock wait so the test is quick; the desk's default is 5 s.
    let opts = OpenOptions {
        clock: Clock::Fixed(now()),
        busy_timeout: Duration::from_millis(30),
        ..OpenOptions::default()
    };
    let store = Store::open_with(f.dir.path().join("desk.db"), opts).expect("reopen");
    let mut app = app(store, &f.olga);
    app.step(Action::NewEvent);
    for v in ["Rust Meetup", "", "2026-12-01 18:00", "2026-12-01 20:00", "40"] {
        type_text(&mut app, v);
        app.step(Action::NextField);
    }
    // Another process holding the write lock; only a raw connection can do that from a test.
    let blocker = rusqlite::Connection::open(f.dir.path().join("desk.db")).expect("raw connection");
    blocker.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
    app.step(Action::Submit);
    let form = form(&app);
    assert_eq!(form.error.as_deref(), Some("the database is busy, try again"));
    assert_eq!((form.value("title"), form.value("capacity")), ("Rust Meetup", "40"));
    blocker.execute_batch("ROLLBACK").expect("release the lock");
    app.step(Action::Submit);
    assert!(matches!(app.mode, Mode::Browse), "{:?}", app.mode);
    assert_eq!(app.events.list.total, 1);
}
