//! Fault injection through the real binary: a lock held by a `sqlite3` shell, read-only files
//! and folders (made so even for root), a missing folder, a full disk (tmpfs), a file that is
//! not a database, a truncated and a corrupt one, and one from a newer eventdesk. Each fault
//! gets exit 1 and one line naming the file and what to do, in the CLI and when the terminal
//! app is opened (which then never touches the terminal); the file's bytes stay unchanged.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/fs_faults.rs"]
mod fs_faults;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Desk;
use fs_faults::{Lock, ReadOnly, Tmpfs, is_root};

/// A database with one event, one attendee and one booking, all through the binary.
fn populated() -> (Desk, i64, i64) {
    let desk = Desk::new();
    let event = desk.event(5);
    let attendee = desk.attendee(1);
    desk.book(event, attendee);
    (desk, event, attendee)
}

fn snapshot(desk: &Desk) -> (i64, i64, i64) {
    let n = |t: &str| desk.count(&format!("SELECT count(*) FROM {t}"));
    (n("events"), n("bookings"), n("history"))
}

/// One `eventdesk: <file>: ...` line on stderr mentioning `what`, exit 1, nothing on stdout
/// (so no escape sequence reached the terminal), for a CLI command and for the app.
fn assert_refused(db: &Path, what: &[&str]) {
    let name = db.file_name().unwrap().to_str().unwrap();
    let with = |args: &[&str]| Desk::at(db).run_with(Some(common::DESK), args);
    for run in [with(&["event", "list"]), with(&["book", "--event", "1", "--attendee", "1"]), with(&[])] {
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.is_empty(), "stdout must stay untouched: {run:?}");
        let lines: Vec<_> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {run:?}");
        assert!(lines[0].starts_with("eventdesk: ") && lines[0].contains(name), "names the file: {run:?}");
        for w in what {
            assert!(lines[0].contains(w), "{w:?} missing: {run:?}");
        }
    }
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_lock_held_past_the_busy_timeout_is_busy_and_writes_nothing() {
    let (desk, event, _) = populated();
    let attendee = desk.attendee(2);
    let before = snapshot(&desk);
    let mut shell = Command::new("sqlite3")
        .arg(&desk.db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sqlite3 is needed for this test (apt-get install sqlite3)");
    let mut stdin = shell.stdin.take().unwrap();
    stdin
        .write_all(b"BEGIN EXCLUSIVE;\nINSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Lock', 'lock@x.org', 0, 0);\n.print locked\n")
        .unwrap();
    let mut line = String::new();
    BufReader::new(shell.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "locked");
    let (e, a) = (event.to_string(), attendee.to_string());
    let started = Instant::now();
    let run = desk.desk(&["book", "--event", &e, "--attendee", &a]);
    let waited = started.elapsed();
    run.fails(1, "the database is busy, try again");
    // Three attempts of the 5 s busy timeout, with backoff between them: the lock was held ~15 s.
    assert!(waited >= Duration::from_secs(14), "gave up after {waited:?}");
    stdin.write_all(b"ROLLBACK;\n.quit\n").unwrap();
    drop(stdin);
    assert!(shell.wait().unwrap().success());
    assert_eq!(snapshot(&desk), before, "nothing half-written");
    assert_eq!(desk.count("SELECT count(*) FROM attendees WHERE email = 'lock@x.org'"), 0);
    // The same command, as typed, goes through once the lock is gone.
    assert_eq!(desk.desk(&["book", "--event", &e, "--attendee", &a]).code, 0);
    assert_eq!(desk.run(&["check"]).code, 0);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let desk = Desk::empty();
    std::fs::write(&desk.db, "name,email\nAna,ana@example.org\n".repeat(200)).unwrap();
    let before = bytes(&desk.db);
    assert_refused(&desk.db, &["not a database", "another --db"]);
    assert_eq!(bytes(&desk.db), before);
}

#[test]
fn a_truncated_database_is_refused_untouched() {
    let (desk, _, _) = populated();
    let len = std::fs::metadata(&desk.db).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&desk.db).unwrap().set_len(len / 3).unwrap();
    let before = bytes(&desk.db);
    assert_refused(&desk.db, &["corrupt", "restore it from a backup"]);
    assert_eq!(bytes(&desk.db), before);
}

#[test]
fn a_corrupt_page_is_reported_with_the_file_untouched() {
    let (desk, _, _) = populated();
    let mut data = bytes(&desk.db);
    // Page 1 (header and schema) stays intact; every table and index page is garbage.
    for b in &mut data[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&desk.db, &data).unwrap();
    assert_refused(&desk.db, &["corrupt", "restore it from a backup"]);
    assert_eq!(bytes(&desk.db), data);
    let check = desk.run(&["check"]);
    assert_eq!(check.code, 1, "check must fail on a corrupt file: {check:?}");
}

/// Corruption that opening cannot see (one table's page): the command that reads it fails with
/// the file named, and `check` fails.
#[test]
fn a_corrupt_table_page_found_after_opening_names_the_file() {
    let (desk, event, attendee) = populated();
    let (root, page): (i64, i64) = desk
        .sql()
        .query_row("SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'events'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let mut data = bytes(&desk.db);
    let at = usize::try_from((root - 1) * page).unwrap();
    data[at..at + usize::try_from(page).unwrap()].fill(0xA5);
    std::fs::write(&desk.db, &data).unwrap();
    let (e, a) = (event.to_string(), attendee.to_string());
    for run in [
        desk.run(&["event", "list"]),
        desk.desk(&["book", "--event", &e, "--attendee", &a]),
        desk.run(&["check"]),
    ] {
        assert_eq!(run.code, 1, "{run:?}");
        let line = run.stderr.trim_end();
        assert!(
            !line.contains('\n') && line.contains("desk.db") && line.contains("restore it from a backup"),
            "{run:?}"
        );
    }
    assert_eq!(bytes(&desk.db), data);
}

#[test]
fn a_database_from_a_newer_eventdesk_is_refused_untouched() {
    let (desk, _, _) = populated();
    desk.sql().pragma_update(None, "user_version", 99).unwrap();
    let before = bytes(&desk.db);
    assert_refused(&desk.db, &["schema version 99", "upgrade eventdesk"]);
    assert_eq!(bytes(&desk.db), before);
}

#[test]
fn a_read_only_file_is_refused_untouched() {
    let (desk, _, _) = populated();
    let before = bytes(&desk.db);
    let lock = ReadOnly::immutable(&desk.db);
    println!("read-only file made by {:?} (root: {})", lock.how, is_root());
    assert_refused(&desk.db, &["read-only"]);
    drop(lock);
    assert_eq!(bytes(&desk.db), before);
}

#[test]
fn a_read_only_folder_is_refused_untouched() {
    let (desk, _, _) = populated();
    let before = bytes(&desk.db);
    let folder = ReadOnly::immutable(desk.dir.path());
    println!("read-only folder made by {:?} (root: {})", folder.how, is_root());
    // The file is writable but its -wal and -shm cannot be created beside it.
    let hint = if folder.how == Lock::ReadOnlyMount { "read-only" } else { "writable" };
    assert_refused(&desk.db, &[hint]);
    // Only `init` makes a new file, and here it cannot.
    assert_refused(&desk.dir.path().join("new.db"), &["no eventdesk database", "eventdesk init"]);
    let init = Desk::at(&desk.dir.path().join("new.db")).run(&["init"]);
    assert_eq!(init.code, 1, "{init:?}");
    assert!(init.stderr.contains("cannot create"), "{init:?}");
    drop(folder);
    assert_eq!(bytes(&desk.db), before);
    assert!(!desk.dir.path().join("new.db").exists());
}

#[test]
fn a_read_only_file_system_is_refused_untouched() {
    let (desk, _, _) = populated();
    let before = bytes(&desk.db);
    let mount = ReadOnly::mounted(desk.dir.path());
    println!("read-only file system made by {:?} (root: {})", mount.how, is_root());
    assert_refused(&desk.db, &[if mount.how == Lock::ReadOnlyMount { "read-only" } else { "writable" }]);
    drop(mount);
    assert_eq!(bytes(&desk.db), before);
}

#[test]
fn a_missing_folder_is_created_private() {
    let desk = Desk::empty();
    let db = desk.dir.path().join("a").join("b").join("desk.db");
    let run = Desk::at(&db).run(&["init"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("desk.db"), "{run:?}");
    for p in [desk.dir.path().join("a"), desk.dir.path().join("a/b")] {
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o700, "{}", p.display());
    }
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o077, 0);
}

/// A full disk, in its two shapes: the WAL cannot grow (the write fails) and the shared-memory
/// file cannot grow (the open fails). Needs root to mount a tmpfs.
#[test]
fn a_full_disk_is_reported_and_nothing_is_half_written() {
    let (desk, event, _) = populated();
    let attendee = desk.attendee(2);
    // 36 KiB: the 32 KiB shared-memory file fits, one booking's WAL frames do not.
    for (leave_kib, says) in [(36, "the disk is full"), (4, "free space")] {
        let Some(fs) = Tmpfs::mount(&desk.dir.path().join(format!("full-{leave_kib}")), 1024) else {
            println!("SKIPPED disk-full ({leave_kib} KiB left): not root, cannot mount a tmpfs");
            return;
        };
        let db = fs.dir.join("desk.db");
        std::fs::copy(&desk.db, &db).unwrap();
        let on_tmpfs = Desk::at(&db);
        let before = (snapshot(&on_tmpfs), bytes(&db));
        fs.fill(leave_kib);
        let long = "x".repeat(5_000);
        let (e, a) = (event.to_string(), attendee.to_string());
        let start = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(3));
        let end = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(4));
        let add = [
            "event",
            "add",
            "--title",
            "Full",
            "--start",
            &start,
            "--end",
            &end,
            "--capacity",
            "9",
            "--description",
            &long,
        ];
        for run in [on_tmpfs.organizer(&add), on_tmpfs.desk(&["book", "--event", &e, "--attendee", &a])] {
            assert_eq!(run.code, 1, "{run:?}");
            let line = run.stderr.trim_end();
            assert!(!line.contains('\n') && line.contains("desk.db") && line.contains(says), "{run:?}");
        }
        fs.free();
        assert_eq!((snapshot(&on_tmpfs), bytes(&db)), before, "nothing half-written ({leave_kib} KiB)");
        assert_eq!(on_tmpfs.run(&["check"]).code, 0);
        assert_eq!(on_tmpfs.organizer(&add).code, 0, "works again once there is room");
        drop(on_tmpfs);
    }
}

/// The store API gives `Error::Busy` the same way, quickly, with a short busy timeout.
#[test]
fn the_store_reports_busy_after_its_retries() {
    let (desk, event, attendee) = populated();
    let hold = desk.sql();
    hold.execute_batch("BEGIN IMMEDIATE; UPDATE operators SET failed_logins = failed_logins;").unwrap();
    let options =
        eventdesk::store::OpenOptions { busy_timeout: Duration::from_millis(200), ..Default::default() };
    let store = eventdesk::store::Store::open_with(&desk.db, options).unwrap();
    let s = store.authenticate(common::DESK.0, common::DESK.1).unwrap();
    let started = Instant::now();
    assert_eq!(store.cancel(&s, 1).unwrap_err(), eventdesk::model::Error::Busy);
    assert!(started.elapsed() >= Duration::from_millis(600), "three attempts: {:?}", started.elapsed());
    hold.execute_batch("ROLLBACK").unwrap();
    assert!(store.book(&s, event, attendee).is_err(), "still booked: nothing was cancelled");
    assert_eq!(desk.run(&["check"]).code, 0);
}
