use std::time::Duration;

use postgres::Client;

use super::super::config::PgConfig;
use super::super::connect::connect;
use super::super::migrate::migrate;
use super::super::test_pg::TestDb;
use super::*;

fn session(db: &TestDb, lock_timeout: Duration) -> Client {
    connect(&PgConfig::parse(&db.url).expect("test URL"), lock_timeout).expect("connect")
}

#[test]
fn a_lock_held_past_lock_timeout_is_busy() {
    let Some(db) = TestDb::create("busy") else { return };
    let mut holder = session(&db, Duration::from_secs(5));
    migrate(&mut holder).expect("migrate");
    let mut hold = holder.transaction().expect("begin");
    hold.batch_execute("LOCK events").expect("lock");
    let mut waiter = session(&db, Duration::from_millis(100));
    let err = waiter.batch_execute("UPDATE events SET title = 'x'").expect_err("must time out");
    assert_eq!(map(&err, "h"), Error::Busy);
}

#[test]
fn a_deadlock_victim_is_busy() {
    let Some(db) = TestDb::create("deadlock") else { return };
    let mut a = session(&db, Duration::from_secs(5));
    a.batch_execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)").expect("table");
    let mut b = session(&db, Duration::from_secs(5));
    let mut ta = a.transaction().expect("begin a");
    ta.batch_execute("UPDATE t SET id = id WHERE id = 1").expect("a locks 1");
    let other = std::thread::spawn(move || {
        let mut tb = b.transaction().expect("begin b");
        tb.batch_execute("UPDATE t SET id = id WHERE id = 2").expect("b locks 2");
        std::thread::sleep(Duration::from_millis(200));
        tb.batch_execute("UPDATE t SET id = id WHERE id = 1").map_err(|e| map(&e, "h"))
    });
    std::thread::sleep(Duration::from_millis(100));
    let mine = ta.batch_execute("UPDATE t SET id = id WHERE id = 2").map_err(|e| map(&e, "h"));
    drop(ta);
    let theirs = other.join().expect("thread");
    assert!(
        [&mine, &theirs].iter().any(|r| **r == Err(Error::Busy)),
        "one side is the deadlock's victim: {mine:?} / {theirs:?}"
    );
}

#[test]
fn a_dropped_connection_is_one_line_naming_the_server() {
    let Some(db) = TestDb::create("lost") else { return };
    let mut victim = session(&db, Duration::from_secs(5));
    let pid: i32 = victim.query_one("SELECT pg_backend_pid()", &[]).expect("pid").get(0);
    db.client().execute("SELECT pg_terminate_backend($1)", &[&pid]).expect("terminate");
    let err = victim.batch_execute("SELECT 1").expect_err("the session is gone");
    let Error::Storage(line) = map(&err, "127.0.0.1:5432") else { panic!("{err}") };
    assert!(line.starts_with("lost the connection to the database server at 127.0.0.1:5432 ("), "{line}");
    assert!(line.ends_with("; try again") && !line.contains('\n'), "{line}");
}

#[test]
fn other_server_errors_carry_the_message_not_a_bare_code() {
    let Some(db) = TestDb::create("other") else { return };
    let err = db.client().batch_execute("SELECT * FROM no_such_table").expect_err("missing table");
    assert_eq!(
        map(&err, "h"),
        Error::Storage("the database server at h reported: relation \"no_such_table\" does not exist".into())
    );
}
