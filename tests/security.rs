//! Security evidence: roles are enforced by the store (a forged session does not help), only
//! Argon2 hashes are stored, no password reaches the file or the history, failed sign-ins are
//! recorded and lock the account, history is append-only in the schema, `check` sees a gap,
//! and the files are private. CLI checks of the same rules are in `security_cli.rs`.

#![allow(clippy::unwrap_used)]

#[path = "support/engines.rs"]
mod engines;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::{
    Clock, Error, EventPatch, HistoryAction, NewEvent, NewOperator, Refusal, Role, Session,
};
use eventdesk::store::{EventQuery, HistoryQuery, OpenOptions, Store};
use rusqlite::Connection;

on_both_engines!(
    desk_accounts_cannot_create_edit_or_delete_events,
    organizers_cannot_touch_each_others_events,
    failed_sign_ins_are_recorded_and_lock_the_account,
    parallel_wrong_guesses_all_count_towards_the_lock_out,
);

const PASSWORD: &str = "Secret-Pa55-zq7wXv";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

struct Desk {
    store: Store,
    dir: tempfile::TempDir,
}

/// An SQLite file in a folder of its own (the file tests look at both).
fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let options = OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() };
    let store = Store::open_with(dir.path().join("data").join("s.db"), options).unwrap();
    Desk { store, dir }
}

/// The conformance suite's database of either engine.
fn desk_on(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    Desk { store, dir: tempfile::tempdir().unwrap() }
}

impl Desk {
    fn register(&self, username: &str, role: Role) -> Session {
        let new = NewOperator {
            username: username.into(),
            password: PASSWORD.into(),
            role: Some(role),
            organization: format!("{username} org"),
            address: "Calle Mayor 1".into(),
            ..Default::default()
        };
        self.store.register(&new).unwrap();
        self.store.login(username, PASSWORD).unwrap()
    }

    fn event(&self, s: &Session) -> Result<i64, Error> {
        let start = t0() + Duration::days(2);
        let new = NewEvent {
            title: "Owned".into(),
            description: String::new(),
            starts_at: start,
            ends_at: start + Duration::hours(1),
            capacity: 3,
        };
        self.store.create_event(s, &new).map(|e| e.id)
    }

    fn history_rows(&self) -> u64 {
        self.store.count_history(&HistoryQuery::default()).unwrap()
    }

    fn raw(&self) -> Connection {
        Connection::open(self.store.path().unwrap()).unwrap()
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Forbidden(m)) => m,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

fn desk_accounts_cannot_create_edit_or_delete_events(db: &Db) {
    let d = desk_on(db);
    let org = d.register("olga", Role::Organizer);
    let desk = d.register("dave", Role::Desk);
    let id = d.event(&org).unwrap();
    let before = (d.history_rows(), d.store.event(id).unwrap());
    assert!(forbidden(d.event(&desk)).contains("only organizers"));
    let patch = EventPatch { title: Some("Hijacked".into()), ..Default::default() };
    assert!(forbidden(d.store.update_event(&desk, id, &patch)).contains("only organizers"));
    assert!(forbidden(d.store.delete_event(&desk, id, true)).contains("only organizers"));
    // A session value claiming a role it does not have is not trusted: the store asks the file.
    let forged = Session { role: Role::Organizer, ..desk.clone() };
    assert!(forbidden(d.event(&forged)).contains("only organizers"));
    assert!(forbidden(d.store.update_event(&forged, id, &patch)).contains("only organizers"));
    assert_eq!((d.history_rows(), d.store.event(id).unwrap()), before, "a refusal writes nothing");
    assert_eq!(d.store.count_events(&EventQuery::default()).unwrap(), 1);
}

fn organizers_cannot_touch_each_others_events(db: &Db) {
    let d = desk_on(db);
    let olga = d.register("olga", Role::Organizer);
    let omar = d.register("omar", Role::Organizer);
    let id = d.event(&olga).unwrap();
    let before = (d.history_rows(), d.store.event(id).unwrap());
    let patch = EventPatch { capacity: Some(1000), ..Default::default() };
    assert!(forbidden(d.store.update_event(&omar, id, &patch)).contains("only your own"));
    assert!(forbidden(d.store.delete_event(&omar, id, true)).contains("only your own"));
    // Claiming olga's id under omar's name does not pass either.
    let forged = Session { operator_id: olga.operator_id, ..omar.clone() };
    assert!(matches!(d.store.update_event(&forged, id, &patch), Err(Error::Unauthenticated(_))));
    assert_eq!((d.history_rows(), d.store.event(id).unwrap()), before);
    assert_eq!(d.store.update_event(&olga, id, &patch).unwrap().changed.capacity, 1000, "the owner can");
}

/// Every byte the database wrote so far: the main file, the WAL and the shared memory.
fn file_bytes(db: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        all.extend(std::fs::read(&p).unwrap_or_default());
    }
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn only_argon2id_hashes_are_stored_and_no_password_anywhere() {
    let d = desk();
    let olga = d.register("olga", Role::Organizer);
    d.register("dave", Role::Desk);
    assert!(d.store.login("dave", "Wrong-Guess-9931").is_err());
    d.store.logout(&olga).unwrap();
    let hashes: Vec<String> = d
        .raw()
        .prepare("SELECT password_hash FROM operators")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
    }
    assert_ne!(hashes[0], hashes[1], "each hash has its own salt");
    let bytes = file_bytes(d.store.path().unwrap());
    assert!(contains(&bytes, b"$argon2id$"), "the scan reads the data it means to");
    assert!(!contains(&bytes, PASSWORD.as_bytes()), "the password is in the file");
    assert!(!contains(&bytes, b"Wrong-Guess-9931"), "a failed guess is in the file");
    let history = d.store.history(&HistoryQuery::default()).unwrap();
    for h in &history {
        let text = format!("{} {}", h.actor, h.details);
        assert!(!text.contains(PASSWORD) && !text.contains("Wrong-Guess"), "{text}");
    }
}

fn failed_sign_ins_are_recorded_and_lock_the_account(db: &Db) {
    let mut d = desk_on(db);
    d.register("dave", Role::Desk);
    d.store.login("nobody", "whatever-123").unwrap_err();
    for i in 1..=4 {
        let e = d.store.login("dave", "not-the-password").unwrap_err();
        assert!(matches!(e, Error::Unauthenticated(_)), "attempt {i}: {e:?}");
    }
    // The fifth failure locks; then even the right password is refused until the time passes.
    d.store.login("dave", "not-the-password").unwrap_err();
    match d.store.login("dave", PASSWORD) {
        Err(Error::Refused(Refusal::AccountLocked { seconds })) => assert!((1..=60).contains(&seconds)),
        other => panic!("expected the lock-out, got {other:?}"),
    }
    let q = HistoryQuery { action: Some(HistoryAction::LoginFailed), ..Default::default() };
    let failed = d.store.history(&q).unwrap();
    assert_eq!(failed.len(), 6, "one row per failure, the unknown name included");
    assert_eq!(failed[0].details["consecutive_failures"], 5);
    assert_eq!(failed[0].details["locked"], true);
    assert_eq!(failed.last().unwrap().actor, "nobody");
    d.store.set_clock(Clock::Fixed(t0() + Duration::seconds(61)));
    assert_eq!(d.store.login("dave", PASSWORD).unwrap().username, "dave");
    d.store.login("dave", "not-the-password").unwrap_err();
    assert!(d.store.login("dave", PASSWORD).is_ok(), "a success resets the count");
}

#[test]
fn history_is_append_only_in_the_schema() {
    let d = desk();
    d.register("olga", Role::Organizer);
    let raw = d.raw();
    let before = d.history_rows();
    for sql in
        ["UPDATE history SET actor = 'mallory'", "DELETE FROM history", "DELETE FROM history WHERE id = 1"]
    {
        let err = raw.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(d.history_rows(), before);
    assert_eq!(d.store.history(&HistoryQuery::default()).unwrap().last().unwrap().actor, "olga");
}

#[test]
fn check_reports_a_history_gap_made_by_a_raw_session() {
    let d = desk();
    let olga = d.register("olga", Role::Organizer);
    d.event(&olga).unwrap();
    d.store.logout(&olga).unwrap();
    assert!(d.store.check().unwrap().is_ok());
    let raw = d.raw();
    raw.execute_batch("DROP TRIGGER history_no_delete; DELETE FROM history WHERE id = 2;").unwrap();
    let problems = d.store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("history: 1 row missing")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("history_no_delete is missing")), "{problems:?}");
}

#[test]
fn database_files_are_private() {
    let d = desk();
    let olga = d.register("olga", Role::Organizer);
    d.event(&olga).unwrap();
    let db = d.store.path().unwrap().to_path_buf();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{}: mode {mode:o}", Path::new(&p).display());
    }
    let folder = std::fs::metadata(d.dir.path().join("data")).unwrap().permissions().mode();
    assert_eq!(folder & 0o077, 0, "the created folder: mode {folder:o}");
}

/// Regression: the failure count was read before hashing and written back as `read + 1`, so
/// guesses made in parallel (one process each) were counted once per batch and an attacker
/// could keep guessing without ever reaching the lock-out.
fn parallel_wrong_guesses_all_count_towards_the_lock_out(db: &Db) {
    let d = desk_on(db);
    d.register("dave", Role::Desk);
    let location = d.store.location().clone();
    let barrier = std::sync::Barrier::new(4);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let store = Store::open_with(
                    &location,
                    OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() },
                )
                .unwrap();
                barrier.wait();
                assert!(matches!(
                    store.authenticate("dave", "parallel-guess"),
                    Err(Error::Unauthenticated(_))
                ));
            });
        }
    });
    let failed = engines::count(&location, "SELECT failed_logins FROM operators WHERE username = 'dave'");
    assert_eq!(failed, 4, "every parallel guess is counted");
    d.store.login("dave", "one-more-guess").unwrap_err();
    assert!(matches!(d.store.login("dave", PASSWORD), Err(Error::Refused(Refusal::AccountLocked { .. }))));
}

/// Regression: an existing empty file (`touch eventdesk.db`) became a database with password
/// hashes but kept its world-readable mode. An empty file is now treated as a new one.
#[test]
fn an_empty_file_turned_into_a_database_is_made_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("touched.db");
    std::fs::write(&db, b"").unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&db).unwrap();
    let mode = std::fs::metadata(&db).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    drop(store);
    // A file that already holds data is not ours to re-permission, only to refuse or open.
    let shared = dir.path().join("shared.db");
    drop(Store::open(&shared).unwrap());
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
    drop(Store::open(&shared).unwrap());
    assert_eq!(std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777, 0o640);
}
