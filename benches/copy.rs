//! Figure 14: `eventdesk copy` of a generated database, SQLite → PostgreSQL and back
//! (PostgreSQL → SQLite), at 10 000 and 100 000 bookings (`COPY_BOOKINGS=1000000` for the
//! large one; a comma list for several). Prints each direction's wall time, the target's
//! `check()` inside it, and rows per second of the rest (reading, writing, committing).
//! Needs `EVENTDESK_TEST_PG`; the sources are generated once under target/bench-data/.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::path::Path;
use std::time::{Duration, Instant};

use eventdesk::store::{BulkSpec, Location, Store};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes = std::env::var("COPY_BOOKINGS").unwrap_or_else(|_| "10000,100000".into());
    for bookings in sizes.split(',').filter_map(|s| s.trim().parse::<u64>().ok()) {
        measure(&spec(bookings));
    }
}

/// The generator's shape at `bookings`: ten bookings per event, one attendee per booking
/// (the large database's proportions; 10 000 is the fixture's SMALL).
fn spec(bookings: u64) -> BulkSpec {
    match bookings {
        1_000_000 => fixture::LARGE,
        10_000 => fixture::SMALL,
        n => BulkSpec { organizers: 5, events: (n / 10).max(1), attendees: n, bookings: n },
    }
}

fn measure(spec: &BulkSpec) {
    let source_path = fixture::database(spec);
    let source = Store::open(source_path.as_path()).unwrap();
    let server = fixture::pg::TestDb::create("benchcopy").expect("set EVENTDESK_TEST_PG for the copy bench");
    let up = Store::open(Location::parse(&server.url)).unwrap();
    println!("\n(14) copy of {} bookings", spec.bookings);
    run("SQLite → PostgreSQL", &source, &up);

    let back_path = fixture::data_dir().join("copy-back-scratch.db");
    remove(&back_path);
    let back = Store::open(back_path.as_path()).unwrap();
    run("PostgreSQL → SQLite", &up, &back);
    drop(back);
    remove(&back_path);
}

/// One copy, timed whole; then the target's check alone, to tell the copy from the check.
fn run(label: &str, from: &Store, to: &Store) {
    let started = Instant::now();
    let report = from.copy_to(to).unwrap();
    let whole = started.elapsed();
    assert!(report.check.is_ok(), "{label}: check found {:?}", report.check.problems);
    assert_eq!(report.source_rows, report.target_rows, "{label}: counts differ");
    let started = Instant::now();
    to.check().unwrap();
    let check = started.elapsed();
    let rows = report.copied.total();
    let moving = whole.saturating_sub(check).max(Duration::from_millis(1));
    println!(
        "  {label}: {rows} rows ({} bookings, {} history) in {:.2} s, of which check {:.2} s; \
         {:.0} rows/s without the check",
        report.copied.bookings,
        report.copied.history,
        whole.as_secs_f64(),
        check.as_secs_f64(),
        rows as f64 / moving.as_secs_f64()
    );
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
