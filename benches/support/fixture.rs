//! The large database the benches share: generated once into `target/bench-data/`, then reused.

#![allow(dead_code)] // each bench uses only some of these

use std::path::{Path, PathBuf};
use std::time::Instant;

use std::str::FromStr;

use eventdesk::store::{BulkSpec, Location, Store};

#[path = "../../tests/support/pg.rs"]
pub mod pg;

/// The scale issue 4 asks about: 100 000 events, 1 000 000 attendees and bookings.
pub const LARGE: BulkSpec =
    BulkSpec { organizers: 50, events: 100_000, attendees: 1_000_000, bookings: 1_000_000 };
/// The small end of the flat-growth comparison: 10 000 bookings.
pub const SMALL: BulkSpec = BulkSpec { organizers: 5, events: 1_000, attendees: 10_000, bookings: 10_000 };

pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("bench-data")
}

/// The database for `spec`, generated on first use. It is built under a temporary name and
/// renamed when complete, so an interrupted run never leaves a half-filled cache behind.
pub fn database(spec: &BulkSpec) -> PathBuf {
    let dir = data_dir();
    let name = format!("e{}-a{}-b{}.db", spec.events, spec.attendees, spec.bookings);
    let path = dir.join(&name);
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let partial = dir.join(format!("{name}.partial"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    let store = Store::open(&partial).expect("open the bench database");
    let summary = store.generate(spec).expect("generate the bench database");
    drop(store);
    std::fs::rename(&partial, &path).expect("move the bench database into place");
    eprintln!(
        "generated {} in {:.1} s ({} history rows; generate() itself {} ms)",
        path.display(),
        started.elapsed().as_secs_f64(),
        summary.history_rows,
        summary.millis
    );
    path
}

/// The database for `spec` on the PostgreSQL server that `EVENTDESK_TEST_PG` points at (None
/// when it is unset): a database named after the spec, generated on first use and kept, so
/// the next run reuses it. Generating is one transaction, so a database that holds the spec's
/// bookings is complete; anything else is dropped and generated again.
pub fn postgres_database(spec: &BulkSpec) -> Option<String> {
    let admin = std::env::var(pg::VAR).ok().filter(|u| !u.trim().is_empty())?;
    let name = format!("eventdesk_bench_e{}_a{}_b{}", spec.events, spec.attendees, spec.bookings);
    let url = pg::with_database(&admin, &name);
    let complete = postgres::Config::from_str(&url)
        .ok()
        .and_then(|c| c.connect(postgres::NoTls).ok())
        .and_then(|mut c| c.query_one("SELECT count(*) FROM bookings", &[]).ok())
        .is_some_and(|row| row.get::<_, i64>(0) == i64::try_from(spec.bookings).unwrap_or(-1));
    if complete {
        return Some(url);
    }
    let mut client = pg::connect(&admin);
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).expect("drop");
    client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the bench database");
    let started = Instant::now();
    let store = Store::open(Location::parse(&url)).expect("open the bench database");
    let summary = store.generate(spec).expect("generate the bench database");
    // Fresh statistics, so the planner sees a million rows rather than an empty table.
    pg::connect(&url).batch_execute("VACUUM ANALYZE").expect("vacuum the bench database");
    eprintln!(
        "generated {name} on PostgreSQL in {:.1} s ({} history rows; generate() itself {} ms)",
        started.elapsed().as_secs_f64(),
        summary.history_rows,
        summary.millis
    );
    Some(url)
}
