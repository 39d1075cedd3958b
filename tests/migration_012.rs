//! Upgrade step 11 -> 12 (PostgreSQL: 8 -> 9): the index of cancelled bookings. A version-11
//! file (and a version-8 PostgreSQL database) holding a cancelled booking upgrades: the index
//! holds exactly the cancelled bookings, the Bookings tab's "cancelled" filter lists and counts
//! them, and a cancel and a rebooking after the upgrade keep it in step.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/pg.rs"]
mod pg;

use eventdesk::model::{BookingStatus, Session};
use eventdesk::store::{BULK_PASSWORD, BookingQuery, BulkSpec, Location, Page, Store};

const SPEC: BulkSpec = BulkSpec { organizers: 1, events: 20, attendees: 40, bookings: 100 };

/// A generated store's organizer, and two of her active bookings on events still to come.
fn two_upcoming_bookings(store: &Store) -> (Session, i64, i64) {
    store.generate(&SPEC).unwrap();
    let s = store.authenticate("bulk-org-1", BULK_PASSWORD).unwrap();
    let q =
        BookingQuery { status: Some(BookingStatus::Active), page: Page::new(0, 100), ..Default::default() };
    let upcoming: Vec<i64> = store
        .list_bookings(&q)
        .unwrap()
        .into_iter()
        .filter(|b| b.event_start > chrono::Utc::now())
        .map(|b| b.booking.id)
        .collect();
    (s, upcoming[0], upcoming[1])
}

fn cancelled(store: &Store) -> Vec<i64> {
    let q =
        BookingQuery { status: Some(BookingStatus::Cancelled), page: Page::new(0, 50), ..Default::default() };
    let listed: Vec<i64> = store.list_bookings(&q).unwrap().into_iter().map(|b| b.booking.id).collect();
    assert_eq!(store.count_bookings(&q).unwrap(), listed.len() as u64, "exact count");
    assert_eq!(store.count_bookings_upto(&q, 10).unwrap(), listed.len() as u64, "capped count");
    listed
}

/// After the upgrade: what the filter shows, then a cancel and a rebooking through the store.
fn the_filter_after_the_upgrade(store: &Store, s: &Session, (first, second): (i64, i64)) {
    assert_eq!(cancelled(store), [first], "the booking cancelled before the upgrade");
    store.cancel(s, second).unwrap();
    let mut both = [first, second];
    both.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(cancelled(store), both, "newest booking first");
    store.rebook(s, first).unwrap();
    assert_eq!(cancelled(store), [second]);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_version_11_file_indexes_its_cancelled_bookings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v11.db");
    let store = Store::open(&path).unwrap();
    let (s, first, second) = two_upcoming_bookings(&store);
    store.cancel(&s, first).unwrap();
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("DROP INDEX bookings_cancelled; PRAGMA user_version = 11;").unwrap();

    let store = Store::open(&path).unwrap();
    let indexed: Vec<i64> = raw
        .prepare("SELECT id FROM bookings INDEXED BY bookings_cancelled WHERE status = 'cancelled'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(indexed, [first], "the upgrade indexed the cancelled booking");
    the_filter_after_the_upgrade(&store, &s, (first, second));
}

#[test]
fn a_version_8_postgres_database_indexes_its_cancelled_bookings() {
    let Some(db) = pg::TestDb::create("migration_012") else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return;
    };
    let store = Store::open(Location::parse(&db.url)).unwrap();
    let (s, first, second) = two_upcoming_bookings(&store);
    store.cancel(&s, first).unwrap();
    drop(store);
    let mut c = db.client();
    c.batch_execute("DROP INDEX bookings_cancelled; UPDATE eventdesk_schema SET version = 8;").unwrap();

    let store = Store::open(Location::parse(&db.url)).unwrap();
    let version: i64 = c.query_one("SELECT version FROM eventdesk_schema", &[]).unwrap().get(0);
    assert!(version >= 9, "upgraded past step 9 (to {version})");
    let def: String = c
        .query_one("SELECT indexdef FROM pg_indexes WHERE indexname = 'bookings_cancelled'", &[])
        .unwrap()
        .get(0);
    assert!(def.contains("WHERE (status = 'cancelled'::text)"), "{def}");
    the_filter_after_the_upgrade(&store, &s, (first, second));
}
