//! Upgrade step 8 -> 9: the event indexes carry deleted_at, so a count of events (the Events
//! tab's first read) is answered from the index alone. A version-8 file with a deleted event
//! upgrades, its counts leave the deleted event out, and the plans read no table row.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use chrono::{Duration, Utc};
use eventdesk::model::{Role, Session};
use eventdesk::store::{EventFilter, EventQuery, Page, Store};
use rusqlite::Connection;

/// The counts the Events tab makes, as the store writes them: every upcoming event, and one
/// organizer's events not over yet.
const COUNTS: [&str; 2] = [
    "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL AND e.starts_at > 0 LIMIT 1001)",
    "SELECT count(*) FROM (SELECT 1 FROM events e WHERE e.deleted_at IS NULL AND e.creator_id = 1 AND e.ends_at > 0 LIMIT 1001)",
];

fn plans(raw: &Connection) -> Vec<String> {
    COUNTS.iter().map(|sql| old_schema::query_plan(raw, sql)).collect()
}

#[test]
fn version_8_file_upgrades_and_counts_events_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    drop(Store::open(&path).unwrap());
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_12).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_10).unwrap();
    raw.execute_batch(old_schema::UNDO_STEP_9).unwrap();
    let start = (Utc::now() + Duration::days(3)).timestamp();
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, organization, address, created_at)
              VALUES ('olga', 'x', 'organizer', 'Olga', 'Org', 'Street 1', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold, deleted_at)
              VALUES ('Kept', {start}, {start} + 3600, 5, 1, 0, 0, 'kept', NULL),
                     ('Gone', {start}, {start} + 3600, 5, 1, 0, 0, 'gone', 1),
                     ('Also kept', {start} + 60, {start} + 3600, 5, 1, 0, 0, 'also kept', NULL);"
    ))
    .unwrap();
    for plan in plans(&raw) {
        assert!(!plan.contains("COVERING"), "version 8 reads the table: {plan}");
    }
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 9, "upgraded past step 9 (to {version})");
    for plan in plans(&raw) {
        assert!(plan.contains("USING COVERING INDEX events_by_"), "{plan}");
    }
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);

    let olga = Session { operator_id: 1, username: "olga".into(), role: Role::Organizer };
    for filter in [EventFilter::Upcoming, EventFilter::MineUpcoming] {
        let q = EventQuery {
            filter,
            creator_id: Some(olga.operator_id),
            page: Page::new(0, 10),
            ..Default::default()
        };
        let titles: Vec<String> = store.list_events(&q).unwrap().into_iter().map(|e| e.title).collect();
        assert_eq!(titles, ["Kept", "Also kept"], "{filter:?}");
        assert_eq!(
            store.count_events_upto(&q, 1_000).unwrap(),
            2,
            "{filter:?}: the deleted event is not counted"
        );
    }
}
