//! Crash mid-write: processes book and cancel in a loop on one file and are killed with SIGKILL
//! at random moments, round after round. After every round the file must be sound and nothing
//! a process saw committed may be missing:
//! - `PRAGMA integrity_check` is ok and `eventdesk check` exits 0;
//! - active bookings <= capacity on every event, and the booked counters match;
//! - every id a process logged (it logs only after COMMIT returned) is in the database with
//!   its history row;
//! - no history row without its change, and each booking's history adds up to its status.
//!
//! Two kinds of workers: this test binary re-run as a tight in-process loop (hundreds of
//! transactions a second, so most kills land inside one), and the real `eventdesk` binary
//! driven from threads that log a booking only after the child exited 0.
//!
//! SIGKILL proves atomicity and recovery after a process dies; it cannot prove durability
//! across a power cut (the OS still holds the page cache), which `synchronous=FULL` covers.
//!
//! Soak: `KILL9_ROUNDS=500 cargo test --release --test crash_kill9 -- --ignored --nocapture`.

#![allow(clippy::unwrap_used)]

#[path = "support/engines.rs"]
mod engines;
#[path = "support/kill9.rs"]
mod kill9;

use std::process::Command;
use std::time::{Duration, Instant};

use engines::Db;
use kill9::{Rng, Setup, assert_sound};

on_both_engines!(kill9_in_process_workers_lose_nothing, kill9_real_binary_loses_nothing);

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");
const WORKER_ENV: &str = "EVENTDESK_KILL9_WORKER";

fn rounds(default: u32) -> u32 {
    std::env::var("KILL9_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(default)
}

/// Not a test on its own: the process the other tests spawn and kill. Without the worker
/// environment it returns at once (it is `#[ignore]`d so it is not counted as a pass).
#[test]
#[ignore = "worker process for the kill -9 tests; does nothing when run directly"]
fn kill9_worker() {
    if let Ok(spec) = std::env::var(WORKER_ENV) {
        kill9::worker_loop(&spec);
    }
}

fn spawn_worker(setup: &Setup, n: usize, seed: u64) -> std::process::Child {
    let exe = std::env::current_exe().unwrap();
    Command::new(exe)
        .args(["--exact", "kill9_worker", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(WORKER_ENV, setup.worker_spec(n, seed))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `rounds` rounds of 3 in-process workers, each killed at its own random moment.
fn in_process_rounds(db: &Db, rounds: u32, seed: u64) {
    let setup = Setup::new(db, 3, 3, 12);
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    for round in 0..rounds {
        let mut workers: Vec<_> = (0..3).map(|n| spawn_worker(&setup, n, rng.next())).collect();
        for (n, w) in workers.iter_mut().enumerate() {
            setup.wait_ready(n);
            std::thread::sleep(Duration::from_millis(60 + rng.below(300)));
            assert!(w.try_wait().unwrap().is_none(), "a worker stopped before it was killed");
            w.kill().unwrap();
        }
        for w in workers {
            let out = w.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                None,
                "worker exited by itself: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_sound(&setup, &format!("in-process round {round}"));
    }
    let c = setup.committed();
    println!(
        "kill -9 in-process: {rounds} rounds, {} kills, {} logged books, {} logged cancels, {:.1?}",
        rounds * 3,
        c.books.len(),
        c.cancels.len(),
        started.elapsed()
    );
    assert!(c.books.len() > 20 * rounds as usize / 10, "the workers hardly committed anything");
}

fn kill9_in_process_workers_lose_nothing(db: &Db) {
    in_process_rounds(db, rounds(30), 0x5eed_0001);
}

/// The real binary: three driver threads run `eventdesk --json book|cancel` in a loop and log
/// a booking only after the child exited 0; a killer sends SIGKILL to whichever is running.
fn cli_rounds(db: &Db, rounds: u32, seed: u64) {
    let setup = Setup::new(db, 2, 3, 8);
    let started = Instant::now();
    let mut kills = 0;
    for round in 0..rounds {
        kills +=
            kill9::cli_round(&setup, BIN, seed.wrapping_add(u64::from(round)), Duration::from_millis(700));
        assert_sound(&setup, &format!("CLI round {round}"));
    }
    let c = setup.committed();
    println!(
        "kill -9 real binary: {rounds} rounds, {kills} kills, {} logged books, {} logged cancels, {:.1?}",
        c.books.len(),
        c.cancels.len(),
        started.elapsed()
    );
    assert!(kills >= rounds, "too few processes were killed mid-run ({kills})");
    assert!(!c.books.is_empty(), "no booking was committed through the binary");
}

fn kill9_real_binary_loses_nothing(db: &Db) {
    cli_rounds(db, rounds(10), 0x5eed_0002);
}

/// A kill while a new file is being created and migrated: the next start must migrate it (or
/// find it done) and the result must pass `check`. Each round records what the kill left (no
/// file, a file not yet migrated, a migrated file) and the test asserts the middle case occurs.
#[test]
fn kill9_during_migration_leaves_a_file_the_next_start_can_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(0x5eed_0003);
    let mut left = [0u32; 3];
    let rounds = rounds(10) * 4;
    for round in 0..rounds {
        let db = dir.path().join(format!("m{round}.db"));
        let run = |args: &[&str]| {
            Command::new(BIN).arg("--db").arg(&db).args(args).env("HOME", dir.path()).output().unwrap()
        };
        let mut child =
            Command::new(BIN).arg("--db").arg(&db).arg("init").env("HOME", dir.path()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(12_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        left[state_after_kill(&db)] += 1;
        let init = run(&["init"]);
        assert!(init.status.success(), "round {round}: {}", String::from_utf8_lossy(&init.stderr));
        let check = run(&["check"]);
        assert!(check.status.success(), "round {round}: {}", String::from_utf8_lossy(&check.stdout));
    }
    println!("kill -9 during init: {rounds} rounds; left no file / unmigrated / migrated: {left:?}");
    assert!(left[1] > 0, "no kill landed between creating and migrating the file: {left:?}");
}

/// 0: no file, 1: a file without the schema, 2: a migrated file. Opening recovers a hot WAL,
/// as any next opener would; reading the version writes nothing.
fn state_after_kill(db: &std::path::Path) -> usize {
    if !db.exists() {
        return 0;
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    if version > 0 { 2 } else { 1 }
}

#[test]
#[ignore = "soak: KILL9_ROUNDS=500 cargo test --release --test crash_kill9 -- --ignored --nocapture"]
fn kill9_soak() {
    let n = rounds(300);
    let dbs = [Some(Db::sqlite()), Db::postgres("soak")];
    for db in dbs.iter().flatten() {
        in_process_rounds(db, n, 0x50ac_0001 ^ u64::from(n));
        cli_rounds(db, n / 5, 0x50ac_0002);
    }
}
