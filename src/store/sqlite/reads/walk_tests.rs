//! How far a filtered list walks: the work of a page and of its capped count must not grow
//! with the rows the filter leaves out. Counted in SQLite's virtual-machine steps (a progress
//! handler), so the tests speak of work done rather than of time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;

use super::*;
use crate::model::BookingStatus;
use crate::store::BulkSpec;
use crate::store::sqlite::Sqlite;

/// Every booking in the file is active, and three events in four are still to come.
fn generated(dir: &std::path::Path) -> Sqlite {
    let store = Sqlite::open(&dir.join("walks.db"), &Default::default()).unwrap();
    let spec = BulkSpec { organizers: 2, events: 40_000, attendees: 4_000, bookings: 20_000 };
    store.generate_rows(&spec, Utc::now()).unwrap();
    store
}

/// The VM steps `read` takes, in units of 100.
fn steps(conn: &Connection, read: impl FnOnce()) -> u64 {
    let count = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&count);
    conn.progress_handler(
        100,
        Some(move || {
            seen.fetch_add(1, Ordering::Relaxed);
            false
        }),
    );
    read();
    conn.progress_handler(100, None::<fn() -> bool>);
    count.load(Ordering::Relaxed)
}

/// Steps (x100) a page of 33 rows may take, and its count capped at 1 000: a few times what
/// they take when they read only the rows they keep (0-20 and 0-110 here). Stepping over the
/// 20 000 active bookings, or over the 30 000 upcoming events, took 600 and 1 200.
const PAGE_MOST: u64 = 100;
const COUNT_MOST: u64 = 300;

#[test]
fn the_cancelled_filter_reads_the_cancelled_bookings_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = generated(dir.path());
    let q =
        BookingQuery { status: Some(BookingStatus::Cancelled), page: Page::new(0, 33), ..Default::default() };
    let page = steps(&store.conn, || assert!(list_bookings(&store.conn, &q).unwrap().is_empty()));
    let counted = steps(&store.conn, || assert_eq!(count_bookings(&store.conn, &q, Some(1_000)).unwrap(), 0));
    assert!(page < PAGE_MOST && counted < COUNT_MOST, "page {page}, count {counted} (x100 steps)");

    let active = BookingQuery { status: Some(BookingStatus::Active), ..q };
    let counted =
        steps(&store.conn, || assert_eq!(count_bookings(&store.conn, &active, Some(1_000)).unwrap(), 1_001));
    assert!(counted < COUNT_MOST, "the active filter stops at its cap: {counted}");
}

#[test]
fn the_past_filter_seeks_to_the_events_that_have_started() {
    let dir = tempfile::tempdir().unwrap();
    let store = generated(dir.path());
    let now = Utc::now();
    let q = EventQuery {
        filter: EventFilter::Past,
        creator_id: None,
        search: String::new(),
        page: Page::new(0, 33),
    };
    let page = steps(&store.conn, || assert_eq!(list_events(&store.conn, &q, now).unwrap().len(), 33));
    let counted =
        steps(&store.conn, || assert_eq!(count_events(&store.conn, &q, now, Some(1_000)).unwrap(), 1_001));
    assert!(page < PAGE_MOST && counted < COUNT_MOST, "page {page}, count {counted} (x100 steps)");
}
