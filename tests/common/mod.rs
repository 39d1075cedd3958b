//! Shared by the integration tests: a temporary database with one organizer and one desk
//! account, and a way to run the real `eventdesk` binary against it.
//!
//! (`tests/common/mod.rs` rather than `tests/common.rs`, so cargo does not build it as a test.)

#![allow(dead_code)] // each test crate uses a different part of this

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use eventdesk::model::{Clock, NewEvent};
use eventdesk::store::{Location, OpenOptions, Store};
use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");
pub const ORGANIZER: (&str, &str) = ("olga", "organizer-pw-1");
pub const DESK: (&str, &str) = ("dora", "desk-pw-1234");

/// A finished command: exit code and both streams.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout parsed as JSON.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts the exit code and that stderr holds exactly `line` (one `eventdesk: ` line).
    pub fn fails(&self, code: i32, line: &str) {
        assert_eq!(self.code, code, "{self:?}");
        assert!(self.stdout.is_empty(), "a failure prints nothing on stdout: {self:?}");
        assert_eq!(self.stderr.trim_end(), format!("eventdesk: {line}"), "{self:?}");
    }
}

#[path = "../support/engines.rs"]
pub mod engines;

/// A temporary home directory (`HOME` points inside it, so nothing touches the real one) and a
/// database: by default an SQLite file in that directory, or any engine's (`Desk::on`).
pub struct Desk {
    pub dir: TempDir,
    /// The SQLite file, for the tests that look at the file itself.
    pub db: PathBuf,
    pub location: Location,
}

impl Desk {
    /// An initialised database with the organizer and desk accounts registered.
    pub fn new() -> Desk {
        Desk::registered(Desk::empty())
    }

    /// Like `new`, on the conformance suite's database of either engine.
    pub fn on(db: &engines::Db) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = db.location.clone();
        let path = location.path().map_or_else(|| dir.path().join("not-an-sqlite-desk"), Path::to_path_buf);
        Desk::registered(Desk { dir, db: path, location })
    }

    fn registered(desk: Desk) -> Desk {
        // Only `init` creates a database; every other command refuses a path with none.
        assert_eq!(desk.run(&["init"]).code, 0, "init");
        desk.register("organizer", ORGANIZER, &["--org", "Rust León", "--address", "Calle Ancha 1"]);
        desk.register("desk", DESK, &[]);
        desk
    }

    /// A fresh home directory around an existing path (which may not exist yet).
    pub fn at(path: &Path) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        Desk { dir, db: path.to_path_buf(), location: Location::Sqlite(path.to_path_buf()) }
    }

    /// A temporary directory and a database path that does not exist yet.
    pub fn empty() -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("desk.db");
        Desk { dir, location: Location::Sqlite(db.clone()), db }
    }

    pub fn register(&self, role: &str, (user, password): (&str, &str), extra: &[&str]) {
        let mut args = vec!["register", "--role", role, "--username", user];
        args.extend_from_slice(extra);
        let run = self.run_with(Some(("", password)), &args);
        assert_eq!(run.code, 0, "register {user}: {run:?}");
    }

    /// The command with a clean environment: only what the test sets reaches the binary.
    pub fn command(&self, signed_in: Option<(&str, &str)>, args: &[&str]) -> Command {
        self.command_in(Command::new(BIN), signed_in, args)
    }

    /// Like `command`, but the process waits at `start` until it is released.
    pub fn held_command(&self, start: &StartLine, signed_in: Option<(&str, &str)>, args: &[&str]) -> Command {
        self.command_in(start.command(), signed_in, args)
    }

    fn command_in(&self, mut cmd: Command, signed_in: Option<(&str, &str)>, args: &[&str]) -> Command {
        cmd.env_remove("EVENTDESK_DB").env_remove("EVENTDESK_USER").env_remove("EVENTDESK_PASSWORD");
        match &self.location {
            Location::Sqlite(path) => cmd.arg("--db").arg(path),
            // As a desk would: the URL (and its password) in the environment, not in `ps`.
            Location::Postgres(url) => cmd.env("EVENTDESK_DB", url),
        };
        cmd.args(args);
        cmd.env("HOME", self.dir.path()).env("XDG_DATA_HOME", self.dir.path().join("data"));
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        if let Some((user, password)) = signed_in {
            if !user.is_empty() {
                cmd.env("EVENTDESK_USER", user);
            }
            cmd.env("EVENTDESK_PASSWORD", password);
        }
        cmd
    }

    pub fn run_with(&self, signed_in: Option<(&str, &str)>, args: &[&str]) -> Run {
        Run::from(self.command(signed_in, args).output().expect("run eventdesk"))
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(None, args)
    }

    pub fn organizer(&self, args: &[&str]) -> Run {
        self.run_with(Some(ORGANIZER), args)
    }

    pub fn desk(&self, args: &[&str]) -> Run {
        self.run_with(Some(DESK), args)
    }

    /// An upcoming event (starting tomorrow) created by the organizer; returns its id.
    pub fn event(&self, capacity: u32) -> i64 {
        let start = Utc::now() + TimeDelta::days(1);
        let (s, e) = (rfc3339(start), rfc3339(start + TimeDelta::hours(2)));
        let cap = capacity.to_string();
        let args = ["event", "add", "--title", "Rust Meetup", "--start", &s, "--end", &e, "--capacity", &cap];
        id(&self.organizer(&[&args[..], &["--json"]].concat()).json())
    }

    /// An attendee `n` (email `person{n}@example.org`); returns its id.
    pub fn attendee(&self, n: usize) -> i64 {
        let email = format!("person{n}@example.org");
        let name = format!("Person {n}");
        id(&self.desk(&["attendee", "add", "--name", &name, "--email", &email, "--json"]).json())
    }

    /// Books as the desk; returns the booking id.
    pub fn book(&self, event: i64, attendee: i64) -> i64 {
        let (e, a) = (event.to_string(), attendee.to_string());
        id(&self.desk(&["book", "--event", &e, "--attendee", &a, "--json"]).json())
    }

    /// An event starting `starts_in` from now (negative: it has started), with `attendees` booked.
    /// The CLI refuses both, so it is made through the library with the store clock set to an
    /// hour before the start, the way the demo places its past events.
    pub fn event_at(&self, starts_in: TimeDelta, length: TimeDelta, capacity: i64, attendees: &[i64]) -> i64 {
        let starts_at = Utc::now() + starts_in;
        let clock = Clock::Fixed(starts_at - TimeDelta::hours(1));
        let store =
            Store::open_with(&self.location, OpenOptions { clock, ..OpenOptions::default() }).expect("open");
        let session = store.authenticate(ORGANIZER.0, ORGANIZER.1).expect("sign in");
        let new = NewEvent {
            title: "Placed event".into(),
            description: String::new(),
            starts_at,
            ends_at: starts_at + length,
            capacity,
        };
        let event = store.create_event(&session, &new).expect("create a placed event");
        for &attendee in attendees {
            store.book(&session, event.id, attendee).expect("book onto a placed event");
        }
        event.id
    }

    /// A raw connection for checking what an SQLite file really holds.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open the database with rusqlite")
    }

    /// A one-integer query on the raw database, whichever engine holds it.
    pub fn count(&self, sql: &str) -> i64 {
        engines::count(&self.location, sql)
    }

    /// A one-text query on the raw database, whichever engine holds it.
    pub fn text(&self, sql: &str) -> String {
        engines::text(&self.location, sql)
    }

    pub fn path(&self) -> &Path {
        &self.db
    }
}

/// A start line for processes that must act at the same instant. Each process is a shell that
/// marks itself ready, then blocks reading a named pipe, and `exec`s eventdesk once it reads a
/// line. The test holds the pipe open for reading and writing, so no open ever blocks and no
/// process can hang on it; `release` writes one line per process in a single write, waking
/// them all together. No hook in eventdesk itself is involved.
pub struct StartLine {
    dir: TempDir,
    fifo: PathBuf,
    hold: File,
    spawned: AtomicUsize,
}

/// `$0` is the pipe, `$1` the ready mark; the rest is the eventdesk command line.
const HELD: &str = r#": > "$1"; IFS= read -r _ < "$0"; shift; exec "$@""#;

impl StartLine {
    pub fn new() -> StartLine {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("go");
        let made = Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
        assert!(made.success(), "mkfifo failed");
        // Read+write: opening never blocks (Linux), and the pipe has a writer until we drop it.
        let hold = std::fs::OpenOptions::new().read(true).write(true).open(&fifo).expect("open the fifo");
        StartLine { dir, fifo, hold, spawned: AtomicUsize::new(0) }
    }

    fn command(&self) -> Command {
        let n = self.spawned.fetch_add(1, Ordering::SeqCst);
        let mut cmd = Command::new("sh");
        cmd.args(["-c", HELD]).arg(&self.fifo).arg(self.dir.path().join(format!("ready-{n}"))).arg(BIN);
        cmd
    }

    /// Waits until every spawned process is at the line, then lets them all go at once.
    pub fn release(&mut self) {
        let n = self.spawned.load(Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while (0..n).any(|i| !self.dir.path().join(format!("ready-{i}")).exists()) {
            assert!(Instant::now() < deadline, "processes never reached the start line");
            std::thread::sleep(Duration::from_millis(2));
        }
        // From the mark to the blocking read is a few shell steps; give them time to get there.
        std::thread::sleep(Duration::from_millis(50));
        self.hold.write_all("\n".repeat(n).as_bytes()).expect("release the start line");
    }
}

/// Waits for every child (killing all if one hangs) and returns their outcomes in order.
pub fn finish(children: Vec<Child>) -> Vec<Run> {
    let deadline = Instant::now() + Duration::from_secs(120);
    children
        .into_iter()
        .map(|mut child| {
            while child.try_wait().expect("poll child").is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    panic!("a process hung past the deadline");
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Run::from(child.wait_with_output().expect("collect child output"))
        })
        .collect()
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}
