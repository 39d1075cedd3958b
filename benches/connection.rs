//! Figure 7: what opening a connection costs against reusing one, for the same small read.
//! The store opens with WAL, synchronous=FULL, foreign keys, the busy handler and the schema
//! check; the raw open is SQLite alone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eventdesk::store::Store;

fn connection(c: &mut Criterion) {
    let path = fixture::database(&fixture::SMALL);
    let store = Store::open(&path).unwrap();
    let mut g = c.benchmark_group("connection");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("reuse_then_read_event", |b| b.iter(|| black_box(store.event(1).unwrap())));
    g.bench_function("store_open_then_read_event", |b| {
        b.iter(|| {
            let fresh = Store::open(&path).unwrap();
            black_box(fresh.event(1).unwrap())
        })
    });
    g.bench_function("raw_sqlite_open", |b| b.iter(|| black_box(rusqlite::Connection::open(&path).unwrap())));
    g.finish();
}

criterion_group!(benches, connection);
criterion_main!(benches);
