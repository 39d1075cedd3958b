//! The frozen-screen case of issue 10 in a real terminal: a `sqlite3` shell holds the write
//! lock, the desk books and presses `2`. The Bookings tab shows within a second and the status
//! line says the booking waits for the database, counting the seconds; once the lock is freed
//! the booking goes through. Then a cancel waiting on the lock is given up with Esc and is not
//! saved when the lock is freed.
//!
//! The lock is held 6 s: longer than one busy timeout (5 s), so an app that called the store on
//! its UI thread would visibly fail the one-second assertion. tmux and sqlite3 are required.

#[path = "common/mod.rs"]
mod common;
#[path = "support/tmux.rs"]
mod tmux;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, DESK, Desk};
use tmux::Tmux;

/// A `sqlite3` shell holding the write lock until `release`.
struct Lock {
    shell: Child,
    stdin: ChildStdin,
    since: Instant,
}

impl Lock {
    fn hold(desk: &Desk) -> Lock {
        let mut shell = Command::new("sqlite3")
            .arg(&desk.db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("sqlite3 is needed for this test (apt-get install sqlite3)");
        let mut stdin = shell.stdin.take().expect("sqlite3 stdin");
        stdin.write_all(b"BEGIN IMMEDIATE;\n.print locked\n").expect("write to sqlite3");
        let mut line = String::new();
        let stdout = shell.stdout.take().expect("sqlite3 stdout");
        BufReader::new(stdout).read_line(&mut line).expect("read from sqlite3");
        assert_eq!(line.trim(), "locked", "sqlite3 took the write lock");
        Lock { shell, stdin, since: Instant::now() }
    }

    /// Frees the lock once it has been held `at_least`.
    fn release(mut self, at_least: Duration) {
        std::thread::sleep(at_least.saturating_sub(self.since.elapsed()));
        self.stdin.write_all(b"ROLLBACK;\n.quit\n").expect("write to sqlite3");
        drop(self.stdin);
        assert!(self.shell.wait().expect("sqlite3 exits").success());
    }
}

fn start_app(tmux: &Tmux, desk: &Desk) {
    let (user, password) = DESK;
    let command = format!(
        "HOME='{}' EVENTDESK_USER={user} EVENTDESK_PASSWORD='{password}' '{BIN}' --db '{}'; echo \"[exited $?]\"; sleep 120",
        desk.dir.path().display(),
        desk.db.display()
    );
    tmux.start("desk", &command);
}

fn status_line(screen: &str) -> String {
    screen.lines().nth(38).unwrap_or_default().to_string()
}

#[test]
fn a_held_lock_never_freezes_the_screen_and_esc_gives_a_waiting_write_up() {
    let tmux = Tmux::new("waiting");
    let desk = Desk::new();
    let event = desk.event(10);
    let attendee = desk.attendee(1);
    start_app(&tmux, &desk);
    tmux.wait("desk", Duration::from_secs(10), "the events tab", |sc| {
        sc.contains("signed in as dora") && sc.contains("Rust Meetup")
    });
    tmux.keys("desk", &["b"]);
    tmux.wait("desk", Duration::from_secs(5), "the attendee picker", |sc| sc.contains("choose an attendee"));
    tmux.text("desk", "Person 1");
    tmux.wait("desk", Duration::from_secs(5), "one matching attendee", |sc| sc.contains("1 of 1"));

    let lock = Lock::hold(&desk);
    tmux.keys("desk", &["Enter"]);
    tmux.keys("desk", &["2"]);
    let screen = tmux.wait("desk", Duration::from_secs(1), "the Bookings tab, saying it waits", |sc| {
        sc.contains("Bookings · any status") && status_line(sc).contains("booking… waiting for the database")
    });
    assert!(!screen.contains("choose an attendee"), "the picker closed:\n{screen}");
    tmux.wait("desk", Duration::from_secs(4), "the seconds counting", |sc| {
        status_line(sc).contains("waiting for the database, 3 s")
    });
    lock.release(Duration::from_secs(6));
    tmux.wait("desk", Duration::from_secs(5), "the booking, once the lock is free", |sc| {
        status_line(sc).contains("Booked Person 1 on Rust Meetup")
    });
    let active = format!(
        "SELECT count(*) FROM bookings WHERE event_id = {event} AND attendee_id = {attendee} AND status = 'active'"
    );
    assert_eq!(desk.count(&active), 1);

    // Cancel that booking while the lock is held again, give the cancel up, free the lock.
    let lock = Lock::hold(&desk);
    tmux.keys("desk", &["c"]);
    tmux.wait("desk", Duration::from_secs(2), "the cancel question", |sc| {
        sc.contains("Cancel Person 1's booking")
    });
    tmux.keys("desk", &["y"]);
    tmux.wait("desk", Duration::from_secs(1), "the cancel waiting", |sc| {
        status_line(sc).contains("cancelling the booking… waiting for the database")
    });
    tmux.keys("desk", &["Escape"]);
    tmux.wait("desk", Duration::from_secs(1), "the cancel given up", |sc| {
        status_line(sc).contains("Gave up cancelling the booking; nothing was saved")
    });
    lock.release(Duration::from_secs(1));
    // Long enough for a write that was not really given up to land and show.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(desk.count(&active), 1, "the given-up cancel was never saved");
    let screen = tmux.capture("desk");
    assert!(status_line(&screen).contains("Gave up"), "nothing changed on screen either:\n{screen}");
}
