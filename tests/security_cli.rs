//! The security rules of `security.rs`, seen through the real binary: roles give exit 4 and
//! change nothing, the lock-out holds across processes, a password never reaches the output
//! or the file, and files made under a permissive umask are still private.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use common::{DESK, Desk, ORGANIZER, Run};

const OMAR: (&str, &str) = ("omar", "omar-password-77");

fn state(desk: &Desk) -> (String, i64) {
    let events: String = desk
        .sql()
        .query_row(
            "SELECT group_concat(id || title || capacity || coalesce(deleted_at, '-'), '|') FROM events",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (events, desk.count("SELECT count(*) FROM history"))
}

fn not_allowed(run: &Run, says: &str) {
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains(says), "{says:?}: {run:?}");
}

#[test]
fn desk_accounts_get_exit_4_for_every_event_change() {
    let desk = Desk::new();
    let id = desk.event(5).to_string();
    let before = state(&desk);
    let start = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(2));
    let end = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(3));
    let add = ["event", "add", "--title", "Desk party", "--start", &start, "--end", &end, "--capacity", "5"];
    not_allowed(&desk.desk(&add), "only organizers");
    not_allowed(&desk.desk(&["event", "edit", &id, "--title", "Hijacked"]), "only organizers");
    not_allowed(&desk.desk(&["event", "delete", &id, "--force"]), "only organizers");
    assert_eq!(state(&desk), before, "a refusal writes nothing");
}

#[test]
fn organizers_get_exit_4_on_each_others_events() {
    let desk = Desk::new();
    desk.register("organizer", OMAR, &["--org", "Omar Events", "--address", "Gran Vía 2"]);
    let id = desk.event(5).to_string();
    let before = state(&desk);
    not_allowed(&desk.run_with(Some(OMAR), &["event", "edit", &id, "--capacity", "500"]), "only your own");
    not_allowed(&desk.run_with(Some(OMAR), &["event", "delete", &id, "--force"]), "only your own");
    assert_eq!(state(&desk), before);
    assert_eq!(desk.organizer(&["event", "edit", &id, "--capacity", "500"]).code, 0, "the owner can");
}

#[test]
fn the_lock_out_holds_across_processes_and_no_password_is_echoed() {
    let desk = Desk::new();
    let guess = "Guess-Number-0001";
    for _ in 0..5 {
        let run = desk.run_with(Some((DESK.0, guess)), &["bookings"]);
        not_allowed(&run, "wrong username or password");
        assert!(!run.stderr.contains(guess), "{run:?}");
    }
    let locked = desk.desk(&["bookings"]);
    not_allowed(&locked, "too many failed sign-ins");
    assert!(!locked.stderr.contains(DESK.1));
    let failed = desk.count("SELECT count(*) FROM history WHERE action = 'login_failed' AND actor = 'dora'");
    assert_eq!(failed, 5);
    assert_eq!(desk.organizer(&["bookings"]).code, 0, "other accounts are not locked");
    let mut all = std::fs::read(&desk.db).unwrap();
    all.extend(std::fs::read(desk.db.with_extension("db-wal")).unwrap_or_default());
    for secret in [guess, DESK.1, ORGANIZER.1] {
        assert!(!all.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} is in the file");
    }
}

/// Under umask 000 the binary still creates the folder 0700 and the file 0600, and the `-wal`
/// and `-shm` that SQLite makes beside it (here by a `sqlite3` shell, also under umask 000)
/// copy the file's mode.
#[test]
fn files_are_private_even_under_a_permissive_umask() {
    let desk = Desk::empty();
    let db = desk.dir.path().join("fresh").join("desk.db");
    let init = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" --db \"$1\" init", common::BIN])
        .arg(&db)
        .env("HOME", desk.dir.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
    let mut shell = Command::new("sh")
        .args(["-c", "umask 000; exec sqlite3 \"$0\""])
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sqlite3 is needed for this test");
    let mut stdin = shell.stdin.take().unwrap();
    stdin.write_all(b"BEGIN IMMEDIATE;\nINSERT INTO history (actor, action, object_kind, created_at) VALUES (1, 2, 3, 4);\n.print ready\n").unwrap();
    let mut line = String::new();
    BufReader::new(shell.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready");
    for suffix in ["-wal", "-shm"] {
        let mut p = db.clone().into_os_string();
        p.push(suffix);
        assert_eq!(mode(std::path::Path::new(&p)), 0o600, "{suffix}");
    }
    stdin.write_all(b"ROLLBACK;\n.quit\n").unwrap();
    drop(stdin);
    assert!(shell.wait().unwrap().success());
}

/// Text written raw into the file (bypassing validation) cannot drive the terminal through any
/// listing: tables and error lines show stand-ins; `--json` escapes C0 controls.
#[test]
fn hostile_stored_text_never_reaches_the_terminal_raw() {
    let desk = Desk::new();
    let event = desk.event(5);
    let attendee = desk.attendee(1);
    desk.book(event, attendee);
    let evil = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{202e}Evil";
    let raw = desk.sql();
    raw.execute("UPDATE events SET title = ?1, description = ?1", [evil]).unwrap();
    raw.execute("UPDATE attendees SET name = ?1", [evil]).unwrap();
    drop(raw);
    desk.run_with(Some((evil, "whatever-123")), &["bookings"]);
    let id = event.to_string();
    let commands: [&[&str]; 6] = [
        &["event", "list"],
        &["event", "show", &id],
        &["attendee", "list"],
        &["bookings"],
        &["history"],
        &["book", "--event", &id, "--attendee", "1"],
    ];
    for args in commands {
        for json in [false, true] {
            let args = if json { [args, &["--json"]].concat() } else { args.to_vec() };
            let run = desk.organizer(&args);
            // Tables and error lines are fully inert; JSON writes every one of these as \uXXXX.
            let all = ['\x1b', '\x07', '\u{9b}', '\u{202e}'];
            assert!(!run.stdout.contains(all), "{args:?} printed it raw: {run:?}");
            assert!(!run.stderr.contains(all), "{args:?}: {run:?}");
            if json && run.code == 0 && args[0] != "history" {
                assert!(
                    ["\\u001b", "\\u009b", "\\u202e"].iter().all(|e| run.stdout.contains(e)),
                    "{args:?}: the JSON keeps the text, escaped: {run:?}"
                );
            }
        }
    }
}

/// A history row deleted in a raw session (after dropping the guard) makes `eventdesk check`
/// fail and say what is missing; before that, check passes.
#[test]
fn check_reports_a_history_gap_through_the_binary() {
    let desk = Desk::new();
    let event = desk.event(3);
    desk.book(event, desk.attendee(1));
    assert_eq!(desk.run(&["check"]).code, 0);
    let refused = desk.sql().execute("DELETE FROM history WHERE id = 2", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    desk.sql().execute_batch("DROP TRIGGER history_no_delete; DELETE FROM history WHERE id = 2;").unwrap();
    let run = desk.run(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("history: 1 row missing"), "{run:?}");
    assert!(run.stdout.contains("history_no_delete is missing"), "{run:?}");
}
