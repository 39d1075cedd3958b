//! On PostgreSQL (schema 8), the walks every events list and its capped count run, in
//! (starts_at, id) order, read the start indexes alone: no heap row is fetched and nothing is
//! sorted. Before schema 8 the indexes lacked `id`, so a capped count of up to 1 001 rows
//! fetched each from the heap and sorted them, which grew an organizer's Events tab with the data.
//!
//! The statements are the ones `src/store/postgres/reads.rs` builds for a capped count (the
//! `All` filter and `MineUpcoming`, the organizer's default), with their bind values inlined.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/pg.rs"]
mod pg;

use eventdesk::store::{BulkSpec, Location, Store};

fn plan(c: &mut postgres::Client, sql: &str) -> String {
    let rows = c.query(&format!("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}"), &[]).unwrap();
    rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
}

fn assert_index_only(plan: &str, index: &str) {
    assert!(plan.contains(&format!("Index Only Scan using {index} on events e")), "{plan}");
    assert!(plan.contains("Heap Fetches: 0"), "{plan}");
    assert!(!plan.contains("Sort"), "the index gives the order: {plan}");
}

#[test]
fn capped_event_counts_walk_the_start_indexes_alone() {
    let Some(db) = pg::TestDb::create("event_walks") else {
        assert!(std::env::var("CI").is_err(), "CI runs the PostgreSQL half");
        return;
    };
    let store = Store::open(Location::parse(&db.url)).unwrap();
    store.generate(&BulkSpec { organizers: 2, events: 3_000, attendees: 100, bookings: 300 }).unwrap();
    drop(store);
    let mut c = db.client();
    // All-visible pages, as autovacuum leaves a settled table; and no shortcut around the
    // index that a table this small would tempt the planner into.
    c.batch_execute("VACUUM ANALYZE events").unwrap();
    c.batch_execute("SET enable_seqscan = off; SET enable_bitmapscan = off").unwrap();
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
