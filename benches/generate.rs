//! Creating the large database: how long `Store::generate` takes at full scale, and how long
//! `check()` then needs to prove it consistent. Writes a scratch file under target/bench-data/.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::time::Instant;

use eventdesk::store::Store;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = fixture::data_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("generate-scratch.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = Store::open(&path).unwrap();
    let spec = fixture::LARGE;
    let started = Instant::now();
    let summary = store.generate(&spec).unwrap();
    let generated = started.elapsed();
    let started = Instant::now();
    let report = store.check().unwrap();
    let checked = started.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "generate: {} events, {} attendees, {} bookings, {} history rows in {:.1} s; file {} MB",
        spec.events,
        spec.attendees,
        spec.bookings,
        summary.history_rows,
        generated.as_secs_f64(),
        size / 1_000_000
    );
    println!("check: {} in {:.1} s", if report.is_ok() { "ok" } else { "PROBLEMS" }, checked.as_secs_f64());
    for p in report.problems.iter().take(5) {
        println!("  {p}");
    }
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
