//! The side lock desks line up on before SQLite's write lock (`<db>-wlock`, an flock): a real
//! child process takes it (and, in some tests, SQLite's lock too) and is stopped with SIGSTOP
//! or killed with SIGKILL. A stopped holder must not stall the other desks: they go on
//! without the side lock after its deadline, and book, or report the database busy while
//! SQLite's own lock is held too. Once the holder goes on (SIGCONT) or dies, everything
//! proceeds, the side lock in use again.

#![allow(clippy::unwrap_used)]

#[path = "support/accounts.rs"]
mod accounts;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use accounts::register;
use chrono::Utc;
use eventdesk::model::{Error, NewAttendee, NewEvent, Role, Session};
use eventdesk::store::{OpenOptions, Store};

const HOLDER_ENV: &str = "EVENTDESK_WLOCK_HOLDER";

/// The side lock's file: the database's path with `-wlock` appended.
fn side_file(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wlock");
    PathBuf::from(name)
}

/// Not a test on its own: the holder process the other tests spawn, stop and kill. Without
/// the holder environment it returns at once (it is `#[ignore]`d so it is not counted as a pass).
#[test]
#[ignore = "holder process for the side-lock tests; does nothing when run directly"]
fn wlock_holder() {
    let Ok(spec) = std::env::var(HOLDER_ENV) else { return };
    let (db, also_sqlite) = spec.split_once('|').unwrap();
    let side =
        File::options().read(true).write(true).create(true).truncate(false).open(side_file(Path::new(db)));
    let side = side.unwrap();
    side.lock().unwrap();
    let conn = rusqlite::Connection::open(db).unwrap();
    if also_sqlite == "sqlite" {
        // As a desk stopped in the middle of its write transaction.
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    }
    println!("locked");
    std::io::stdout().flush().unwrap();
    // Holds both until told to let go (a line, or stdin closed).
    let _ = std::io::stdin().lock().read_line(&mut String::new());
    if also_sqlite == "sqlite" {
        conn.execute_batch("ROLLBACK").unwrap();
    }
    side.unlock().unwrap();
}

/// A holder process; on drop it is resumed and killed, so no test leaves a stopped process.
struct Holder {
    child: Child,
}

impl Holder {
    /// Starts a holder of the side lock (and of SQLite's write lock when `also_sqlite`) and
    /// waits until it holds them.
    fn start(db: &Path, also_sqlite: bool) -> Holder {
        let spec = format!("{}|{}", db.display(), if also_sqlite { "sqlite" } else { "side" });
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "wlock_holder", "--ignored", "--nocapture", "--test-threads", "1"])
            .env(HOLDER_ENV, spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The harness prints "test wlock_holder ... " first, on the same line.
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end: a closed pipe would fail the holder's last lines.
            for line in lines.map_while(Result::ok) {
                if line.trim_end().ends_with("locked") {
                    let _ = send.send(true);
                }
            }
        });
        let holder = Holder { child };
        let said_locked = receive.recv_timeout(Duration::from_secs(60)).unwrap_or(false);
        assert!(said_locked, "the holder never took the locks");
        holder
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").args([name, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill {name} failed");
    }

    /// Resumes the holder and has it let go of its locks and exit.
    fn resume_and_release(mut self) {
        self.signal("-CONT");
        writeln!(self.child.stdin.take().unwrap()).unwrap();
        assert!(self.child.wait().unwrap().success(), "the holder let go and exited");
    }

    /// SIGKILL, and waits until it is gone (its files closed by the kernel).
    fn kill_9(mut self) {
        self.signal("-KILL");
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), None, "killed by the signal");
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.child.id().to_string()]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database with a desk account and an event with room for `seats` attendees, all added.
struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
    session: Session,
    event: i64,
    attendees: Vec<i64>,
}

fn desk(seats: usize) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let store = Store::open(&db).unwrap();
    let olga = register(&store, "olga", Role::Organizer);
    let session = register(&store, "dana", Role::Desk);
    let starts_at = Utc::now() + chrono::Duration::days(3);
    let new = NewEvent {
        title: "Rust Meetup".into(),
        description: String::new(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        capacity: i64::try_from(seats).unwrap(),
    };
    let event = store.create_event(&olga, &new).unwrap().id;
    let attendees = (0..seats)
        .map(|n| {
            let new = NewAttendee {
                name: format!("Guest {n}"),
                email: format!("guest{n}@example.org"),
                phone: String::new(),
            };
            store.add_attendee(&session, &new).unwrap().id
        })
        .collect();
    Desk { _dir: dir, db, session, event, attendees }
}

/// Books `attendee` through a store opened with `busy_timeout`, on its own thread: a booking
/// that hangs fails the test (after a minute) rather than hanging it.
fn book_in_time(d: &Desk, attendee: i64, busy_timeout: Duration) -> Result<(), Error> {
    let (db, session, event) = (d.db.clone(), d.session.clone(), d.event);
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let store = Store::open_with(&db, OpenOptions { busy_timeout, ..OpenOptions::default() }).unwrap();
        let _ = send.send(store.book(&session, event, attendee).map(|_| ()));
    });
    receive.recv_timeout(Duration::from_secs(60)).expect("the booking hung behind a stopped process")
}

fn booked(d: &Desk) -> u32 {
    let store = Store::open(&d.db).unwrap();
    store.event(d.event).unwrap().booked
}

/// Whether nobody holds the side lock right now (tried without waiting).
fn side_lock_is_free(db: &Path) -> bool {
    let f = File::options().read(true).write(true).open(side_file(db)).unwrap();
    f.try_lock().is_ok()
}

/// Waits until the side lock can be taken: a store dropped while it waited (the ones
/// `book_in_time` opened) still gets and gives it back once, so "free" may be a moment away,
/// but it must come. A lock held for good fails the test after a minute.
fn side_lock_comes_free(db: &Path) {
    let f = File::options().read(true).write(true).open(side_file(db)).unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f.lock().is_ok());
    });
    let took = receive.recv_timeout(Duration::from_secs(60)).expect("the side lock was never released");
    assert!(took, "flock failed");
}

#[test]
fn a_stopped_holder_of_the_side_lock_does_not_stall_bookings() {
    let d = desk(4);
    let holder = Holder::start(&d.db, false);
    holder.signal("-STOP");
    assert!(!side_lock_is_free(&d.db), "the stopped process keeps the side lock");
    // SQLite's lock is free: past the side lock's deadline the bookings go through.
    book_in_time(&d, d.attendees[0], Duration::from_secs(5)).unwrap();
    book_in_time(&d, d.attendees[1], Duration::from_secs(5)).unwrap();
    holder.resume_and_release();
    side_lock_comes_free(&d.db);
    book_in_time(&d, d.attendees[2], Duration::from_secs(5)).unwrap();
    side_lock_comes_free(&d.db);
    assert_eq!(booked(&d), 3);
}

#[test]
fn a_stopped_holder_of_both_locks_gets_the_busy_line_then_everything_proceeds() {
    let d = desk(2);
    let holder = Holder::start(&d.db, true);
    holder.signal("-STOP");
    let outcome = book_in_time(&d, d.attendees[0], Duration::from_millis(300));
    assert_eq!(outcome, Err(Error::Busy), "the desk says the database is busy instead of hanging");
    holder.resume_and_release();
    book_in_time(&d, d.attendees[0], Duration::from_millis(300)).unwrap();
    assert_eq!(booked(&d), 1, "the busy attempt wrote nothing; the later one booked");
}

#[test]
fn a_killed_holder_frees_the_side_lock_at_once() {
    let d = desk(2);
    let holder = Holder::start(&d.db, true);
    assert!(!side_lock_is_free(&d.db));
    holder.kill_9();
    assert!(side_lock_is_free(&d.db), "the kernel released it with the process");
    // No wait at all is allowed, for either lock: both were freed with the process.
    book_in_time(&d, d.attendees[0], Duration::ZERO).unwrap();
    assert_eq!(booked(&d), 1);
}
