//! Lock waits: a write blocked by another connection's lock gives up after *its own store's*
//! busy timeout (plus the retries) with `Error::Busy`, and writes nothing.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use eventdesk::model::{Error, NewOperator, Role};
use eventdesk::store::{OpenOptions, Store};

fn operator(name: &str) -> NewOperator {
    NewOperator {
        username: name.into(),
        password: "password-123".into(),
        role: Some(Role::Desk),
        ..Default::default()
    }
}

#[test]
fn each_store_waits_its_own_timeout_then_reports_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    let short = Store::open_with(
        &path,
        OpenOptions { busy_timeout: Duration::from_millis(100), ..Default::default() },
    )
    .unwrap();
    // Opened later on the same thread with a far longer limit: it must not stretch `short`'s.
    let _long =
        Store::open_with(&path, OpenOptions { busy_timeout: Duration::from_secs(30), ..Default::default() })
            .unwrap();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let started = Instant::now();
    let outcome = short.register(&operator("blocked"));
    let waited = started.elapsed();
    assert_eq!(outcome.unwrap_err(), Error::Busy);
    assert_eq!(Error::Busy.to_string(), "the database is busy, try again");
    // Three attempts of 100 ms plus two short backoffs; far below the other store's 30 s.
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(5), "waited {waited:?}");

    holder.execute_batch("ROLLBACK").unwrap();
    let count: i64 = holder.query_row("SELECT count(*) FROM operators", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0, "nothing half-written");
    short.register(&operator("later")).unwrap();
}
