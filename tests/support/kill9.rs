//! The kill -9 harness: the shared database, the workers' loops and logs, and the checks run
//! after every round.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fs::OpenOptions as FileOptions;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use eventdesk::model::{BookingStatus, Error, NewAttendee, NewEvent, NewOperator, Role};
use eventdesk::store::{BookingQuery, Location, Page, Store};

use super::engines::{self, Db};

const ORG: (&str, &str) = ("korg", "kill9-organizer-pw");
const DESK: (&str, &str) = ("kdesk", "kill9-desk-pw");

/// xorshift64*: small, seeded, good enough to pick moments and ids.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick(&mut self, ids: &[i64]) -> i64 {
        ids[usize::try_from(self.below(ids.len() as u64)).unwrap()]
    }
}

/// One database (of either engine) with events and attendees, and the folder the workers log
/// into.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub location: Location,
    events: Vec<i64>,
    attendees: Vec<i64>,
}

impl Setup {
    pub fn new(db: &Db, events: usize, capacity: i64, attendees: usize) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let location = db.location.clone();
        let store = Store::open(&location).unwrap();
        for ((user, password), role) in [(ORG, Role::Organizer), (DESK, Role::Desk)] {
            let new = NewOperator {
                username: user.into(),
                password: password.into(),
                role: Some(role),
                organization: "Crash Test Org".into(),
                address: "Calle Mayor 1".into(),
                ..Default::default()
            };
            store.register(&new).unwrap();
        }
        let org = store.authenticate(ORG.0, ORG.1).unwrap();
        let start = Utc::now() + TimeDelta::days(10);
        let events = (0..events)
            .map(|i| {
                let title = format!("Crash test {i}");
                let new = NewEvent {
                    title,
                    description: String::new(),
                    starts_at: start,
                    ends_at: start + TimeDelta::hours(2),
                    capacity,
                };
                store.create_event(&org, &new).unwrap().id
            })
            .collect();
        let attendees = (0..attendees)
            .map(|i| {
                let new = NewAttendee {
                    name: format!("Crash {i}"),
                    email: format!("crash{i}@example.org"),
                    phone: String::new(),
                };
                store.add_attendee(&org, &new).unwrap().id
            })
            .collect();
        Setup { dir, location, events, attendees }
    }

    /// What an in-process worker needs, as one environment value.
    pub fn worker_spec(&self, n: usize, seed: u64) -> String {
        let join = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let log = self.dir.path().join(format!("worker-{n}.log"));
        format!(
            "{}\t{}\t{seed}\t{}\t{}",
            engines::arg(&self.location),
            log.display(),
            join(&self.events),
            join(&self.attendees)
        )
    }

    /// Waits (up to 30 s) until in-process worker `n` has opened the database and signed in.
    pub fn wait_ready(&self, n: usize) {
        let ready = self.dir.path().join(format!("worker-{n}.ready"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready.exists() {
            assert!(Instant::now() < deadline, "worker {n} never got ready");
            std::thread::sleep(Duration::from_millis(2));
        }
        std::fs::remove_file(&ready).unwrap();
    }

    /// Every id a worker logged as committed (a torn last line, cut by the kill, is ignored).
    pub fn committed(&self) -> Committed {
        let mut c = Committed::default();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "log") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
                    match line.trim().split_once(' ') {
                        Some(("book", id)) => c.books.push(id.parse().unwrap()),
                        Some(("cancel", id)) => c.cancels.push(id.parse().unwrap()),
                        _ => panic!("{}: bad log line {line:?}", path.display()),
                    }
                }
            }
        }
        c
    }
}

#[derive(Default)]
pub struct Committed {
    pub books: Vec<i64>,
    pub cancels: Vec<i64>,
}

fn append(log: &Path, line: &str) {
    // One short write to an O_APPEND file: a kill leaves a whole line or a torn last line.
    let mut f = FileOptions::new().create(true).append(true).open(log).unwrap();
    f.write_all(line.as_bytes()).unwrap();
}

/// The in-process worker: books and cancels until it is killed; logs after COMMIT returned.
pub fn worker_loop(spec: &str) -> ! {
    let parts: Vec<&str> = spec.split('\t').collect();
    let ids = |s: &str| s.split(',').map(|x| x.parse().unwrap()).collect::<Vec<i64>>();
    let (db, log, mut rng) =
        (Location::parse(parts[0]), Path::new(parts[1]), Rng::new(parts[2].parse().unwrap()));
    let (events, attendees) = (ids(parts[3]), ids(parts[4]));
    let store = Store::open(&db).unwrap();
    let s = store.authenticate(DESK.0, DESK.1).unwrap();
    // Connected and signed in: from here on a kill lands among the writes, not in the start-up.
    std::fs::write(log.with_extension("ready"), b"").unwrap();
    loop {
        let outcome = if rng.below(10) < 6 {
            store
                .book(&s, rng.pick(&events), rng.pick(&attendees))
                .map(|b| format!("book {}\n", b.booking.id))
        } else {
            let q = BookingQuery {
                status: Some(BookingStatus::Active),
                page: Page::new(0, 500),
                ..Default::default()
            };
            let active: Vec<i64> = store.list_bookings(&q).unwrap().iter().map(|b| b.booking.id).collect();
            if active.is_empty() {
                continue;
            }
            store.cancel(&s, rng.pick(&active)).map(|b| format!("cancel {}\n", b.changed.booking.id))
        };
        match outcome {
            Ok(line) => append(log, &line),
            Err(Error::Refused(_) | Error::Busy) => {}
            Err(e) => {
                eprintln!("worker: unexpected error: {e}");
                std::process::exit(3);
            }
        }
    }
}

/// One round through the real binary: three drivers, one killer, for `length`. Returns kills.
pub fn cli_round(setup: &Setup, bin: &str, seed: u64, length: Duration) -> u32 {
    let slots: Vec<Mutex<Option<Child>>> = (0..3).map(|_| Mutex::new(None)).collect();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for (n, slot) in slots.iter().enumerate() {
            let stop = &stop;
            scope.spawn(move || drive(setup, bin, n, Rng::new(seed ^ (n as u64 + 1) << 32), slot, stop));
        }
        let mut rng = Rng::new(seed);
        let deadline = Instant::now() + length;
        let mut kills = 0;
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20 + rng.below(120)));
            let mut slot = slots[usize::try_from(rng.below(3)).unwrap()].lock().unwrap();
            if let Some(child) = slot.as_mut()
                && child.try_wait().unwrap().is_none()
            {
                child.kill().unwrap();
                kills += 1;
            }
        }
        stop.store(true, Ordering::SeqCst);
        kills
    })
}

fn drive(setup: &Setup, bin: &str, n: usize, mut rng: Rng, slot: &Mutex<Option<Child>>, stop: &AtomicBool) {
    let log = setup.dir.path().join(format!("cli-{n}.log"));
    while !stop.load(Ordering::SeqCst) {
        let (verb, args) = if rng.below(10) < 6 {
            let (e, a) = (rng.pick(&setup.events), rng.pick(&setup.attendees));
            ("book", vec!["book".into(), "--event".into(), e.to_string(), "--attendee".into(), a.to_string()])
        } else {
            let sql = "SELECT id, 0 FROM bookings WHERE status = 'active' ORDER BY random() LIMIT 1";
            let Some(&(id, _)) = engines::pairs(&setup.location, sql).first() else { continue };
            ("cancel", vec!["cancel".into(), id.to_string()])
        };
        let child = Command::new(bin)
            .env("EVENTDESK_DB", engines::arg(&setup.location))
            .arg("--json")
            .args(&args)
            .env("HOME", setup.dir.path())
            .env("EVENTDESK_USER", DESK.0)
            .env("EVENTDESK_PASSWORD", DESK.1)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        *slot.lock().unwrap() = Some(child);
        let status = loop {
            if let Some(status) = slot.lock().unwrap().as_mut().unwrap().try_wait().unwrap() {
                break status;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let out = slot.lock().unwrap().take().unwrap().wait_with_output().unwrap();
        match status.code() {
            Some(0) => {
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                append(&log, &format!("{verb} {}\n", v["id"].as_i64().unwrap()));
            }
            Some(3) | None => {} // refused by a rule (full, already booked, ...) or killed
            Some(code) => {
                panic!("eventdesk {args:?} exited {code}: {}", String::from_utf8_lossy(&out.stderr))
            }
        }
    }
}

/// Everything that must hold after a round of kills.
pub fn assert_sound(setup: &Setup, label: &str) {
    if let Location::Sqlite(path) = &setup.location {
        let raw = rusqlite::Connection::open(path).unwrap();
        let integrity: String = raw.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "{label}");
    }
    let check = Command::new(env!("CARGO_BIN_EXE_eventdesk"))
        .env("EVENTDESK_DB", engines::arg(&setup.location))
        .arg("check")
        .env("HOME", setup.dir.path())
        .output()
        .unwrap();
    assert!(check.status.success(), "{label}: eventdesk check: {}", String::from_utf8_lossy(&check.stderr));
    let count = |sql: &str| engines::count(&setup.location, sql);
    let over = count(
        "SELECT count(*) FROM events e WHERE e.booked <> (SELECT count(*) FROM bookings b WHERE b.event_id = e.id AND b.status = 'active')
            OR e.booked > e.capacity",
    );
    assert_eq!(over, 0, "{label}: an event is over capacity or its counter is off");
    let orphans = count(
        "SELECT count(*) FROM history h WHERE h.object_kind = 'booking' AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = h.object_id)",
    );
    assert_eq!(orphans, 0, "{label}: history rows without their booking");
    // Each book/reactivate takes a seat and each cancel frees it, in the same transaction as
    // its history row: a torn transaction would leave a booking whose history does not add up.
    let torn = count(
        "SELECT count(*) FROM (SELECT b.id, b.status,
                sum(CASE WHEN h.action IN ('book', 'reactivate') THEN 1 ELSE 0 END) AS ups,
                sum(CASE WHEN h.action = 'cancel' THEN 1 ELSE 0 END) AS downs
            FROM bookings b LEFT JOIN history h ON h.object_kind = 'booking' AND h.object_id = b.id
            GROUP BY b.id, b.status) t
         WHERE ups IS NULL OR ups - downs <> CASE WHEN status = 'active' THEN 1 ELSE 0 END",
    );
    assert_eq!(torn, 0, "{label}: a booking's history does not match its status");
    // Each logged commit has its own history row: per booking, the rows that took a seat
    // (book, reactivate) and freed it (cancel) are at least as many as the logged ones.
    let mut recorded: HashMap<(i64, bool), usize> = HashMap::new();
    let rows = engines::pairs(
        &setup.location,
        "SELECT object_id, CASE WHEN action = 'cancel' THEN 1 ELSE 0 END FROM history
         WHERE object_kind = 'booking' AND action IN ('book', 'reactivate', 'cancel')",
    );
    for (id, cancel) in rows {
        *recorded.entry((id, cancel == 1)).or_default() += 1;
    }
    let c = setup.committed();
    let mut logged: HashMap<(i64, bool), usize> = HashMap::new();
    for (ids, cancel) in [(&c.books, false), (&c.cancels, true)] {
        for &id in ids {
            *logged.entry((id, cancel)).or_default() += 1;
        }
    }
    for (key, n) in logged {
        let have = recorded.get(&key).copied().unwrap_or(0);
        assert!(
            have >= n,
            "{label}: booking {} logged {n} {} commit(s), the history has {have}",
            key.0,
            if key.1 { "cancel" } else { "book" }
        );
    }
}
