//! On PostgreSQL, the walks behind the lists' filters read only what they keep:
//! - (schema 8) every events list and its capped count run in (starts_at, id) order from the
//!   start indexes alone: no heap row is fetched and nothing is sorted. Before, the indexes
//!   lacked `id`, so a capped count of up to 1 001 rows fetched each from the heap and sorted;
//! - the Past filter seeks to the events that have started rather than stepping over every
//!   upcoming one;
//! - (schema 9) the Bookings "cancelled" filter reads the partial index of cancelled bookings
//!   rather than walking every booking newest first.
//!
//! The statements are the ones `src/store/postgres/reads.rs` builds, with their bind values
//! inlined.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/pg.rs"]
mod pg;

use eventdesk::store::{BulkSpec, Location, Store};

fn plan(c: &mut postgres::Client, sql: &str) -> String {
    let rows = c.query(&format!("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}"), &[]).unwrap();
    rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
}

/// Events over 2 organizers, all-visible pages (as autovacuum leaves a settled table), and no
/// shortcut around an index that tables this small would tempt the planner into.
fn generated(label: &str) -> Option<(pg::TestDb, postgres::Client)> {
    let Some(db) = pg::TestDb::create(label) else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return None;
    };
    let store = Store::open(Location::parse(&db.url)).unwrap();
    store.generate(&BulkSpec { organizers: 2, events: 3_000, attendees: 100, bookings: 300 }).unwrap();
    drop(store);
    let mut c = db.client();
    c.batch_execute("VACUUM ANALYZE").unwrap();
    c.batch_execute("SET enable_seqscan = off; SET enable_bitmapscan = off").unwrap();
    Some((db, c))
}

fn assert_index_only(plan: &str, index: &str) {
    assert!(plan.contains(&format!("Index Only Scan using {index} on events e")), "{plan}");
    assert!(plan.contains("Heap Fetches: 0"), "{plan}");
    assert!(!plan.contains("Sort"), "the index gives the order: {plan}");
}

#[test]
fn capped_event_counts_walk_the_start_indexes_alone() {
    let Some((_db, mut c)) = generated("event_walks") else { return };
    let creator: i64 = c.query_one("SELECT min(creator_id) FROM events", &[]).unwrap().get(0);
    let now = chrono::Utc::now().timestamp();

    let all = "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL \
               ORDER BY e.starts_at, e.id LIMIT 1001) counted";
    assert_index_only(&plan(&mut c, all), "events_by_start");

    let mine_upcoming = format!(
        "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL \
         AND e.creator_id = {creator} AND e.ends_at > {now} ORDER BY e.starts_at, e.id LIMIT 1001) counted"
    );
    assert_index_only(&plan(&mut c, &mine_upcoming), "events_by_creator");

    let counted: i64 = c.query_one(&mine_upcoming, &[]).unwrap().get(0);
    assert_eq!(counted, 1001, "1 500 events each, three quarters not over yet: the cap is reached");
}

#[test]
fn the_past_filter_seeks_to_the_events_that_have_started() {
    let Some((_db, mut c)) = generated("past_walk") else { return };
    let now = chrono::Utc::now().timestamp();
    let past = format!(
        "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL \
         AND e.ends_at <= {now} AND e.starts_at < {now} ORDER BY e.starts_at DESC, e.id DESC LIMIT 1001) counted"
    );
    let plan = plan(&mut c, &past);
    assert!(plan.contains("Index Only Scan Backward using events_by_start"), "{plan}");
    assert!(plan.contains(&format!("Index Cond: (starts_at < {now})")), "{plan}");
}

#[test]
fn the_cancelled_filter_reads_the_cancelled_bookings_alone() {
    let Some((_db, mut c)) = generated("cancelled_walk") else { return };
    let page =
        "SELECT b.id FROM bookings b WHERE b.status = 'cancelled' ORDER BY b.id DESC LIMIT 33 OFFSET 0";
    let plan = plan(&mut c, page);
    assert!(plan.contains("Scan Backward using bookings_cancelled on bookings b"), "{plan}");
    assert!(plan.contains("(actual rows=0 loops=1)"), "no booking is cancelled: {plan}");
}
