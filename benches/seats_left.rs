//! Figure 2: one page of events with booked / capacity / seats left, and the "with seats left"
//! filter, over 100 000 events and 1 000 000 bookings — through the store (booked counter)
//! against the same page computed with a `COUNT(*)` join, in the same run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eventdesk::store::{EventFilter, EventQuery, Page, Store};
use rusqlite::Connection;

/// The same rows the store's "available" page shows, with the booked count derived from the
/// bookings instead of the counter: what the old system did.
const COUNT_JOIN_AVAILABLE: &str = "SELECT e.id, e.title, e.starts_at, e.capacity, count(b.id) AS booked,
        e.capacity - count(b.id) AS seats_left
     FROM events e JOIN operators o ON o.id = e.creator_id
     LEFT JOIN bookings b ON b.event_id = e.id AND b.status = 'active'
     WHERE e.deleted_at IS NULL AND e.starts_at > ?1
     GROUP BY e.id HAVING count(b.id) < e.capacity
     ORDER BY e.starts_at, e.id LIMIT 50";

const COUNT_JOIN_ALL: &str = "SELECT e.id, e.title, e.starts_at, e.capacity, count(b.id) AS booked,
        e.capacity - count(b.id) AS seats_left
     FROM events e JOIN operators o ON o.id = e.creator_id
     LEFT JOIN bookings b ON b.event_id = e.id AND b.status = 'active'
     WHERE e.deleted_at IS NULL
     GROUP BY e.id ORDER BY e.starts_at, e.id LIMIT 50";

fn page(filter: EventFilter, offset: u64) -> EventQuery {
    EventQuery { filter, page: Page::new(offset, 50), ..Default::default() }
}

fn count_join(conn: &Connection, sql: &str, params: &[i64]) -> usize {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(4)).unwrap();
    rows.count()
}

fn seats_left(c: &mut Criterion) {
    let path = fixture::database(&fixture::LARGE);
    let store = Store::open(&path).unwrap();
    let now = store.now().timestamp();
    let mut g = c.benchmark_group("seats_left_page");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("counter/available", |b| {
        b.iter(|| black_box(store.list_events(&page(EventFilter::Available, 0)).unwrap()))
    });
    g.bench_function("counter/all", |b| {
        b.iter(|| black_box(store.list_events(&page(EventFilter::All, 0)).unwrap()))
    });
    g.bench_function("counter/available_page_100", |b| {
        b.iter(|| black_box(store.list_events(&page(EventFilter::Available, 5_000)).unwrap()))
    });
    g.bench_function("counter/count_available", |b| {
        b.iter(|| black_box(store.count_events(&page(EventFilter::Available, 0)).unwrap()))
    });
    g.finish();

    let conn = Connection::open(&path).unwrap();
    let mut g = c.benchmark_group("seats_left_page_count_join");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("count_join/available", |b| {
        b.iter(|| black_box(count_join(&conn, COUNT_JOIN_AVAILABLE, &[now])))
    });
    g.bench_function("count_join/all", |b| b.iter(|| black_box(count_join(&conn, COUNT_JOIN_ALL, &[]))));
    g.finish();
}

criterion_group!(benches, seats_left);
criterion_main!(benches);
