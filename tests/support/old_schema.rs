//! An SQLite file as an older eventdesk left it: the first `version` migrations applied by hand,
//! for the upgrade tests to insert rows into and then open with this build.

// Shared by several test crates; each uses a part.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

/// The SQLite migrations in order, as this build ships them, up to the last one that is SQL
/// alone: from 006 on a step also back-fills in Rust, so newer files come from the store itself.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/001_initial.sql"),
    include_str!("../../migrations/002_attendee_search_index.sql"),
    include_str!("../../migrations/003_attendee_trigram_search.sql"),
    include_str!("../../migrations/004_waitlist_and_checkins.sql"),
    include_str!("../../migrations/005_edit_versions.sql"),
];

/// Creates `path` at schema `version`, marked as eventdesk's, and returns a raw connection on it.
pub fn file_at_version(path: &Path, version: usize) -> rusqlite::Connection {
    let raw = rusqlite::Connection::open(path).unwrap();
    for sql in &MIGRATIONS[..version] {
        raw.execute_batch(sql).unwrap();
    }
    raw.execute_batch(&format!("PRAGMA application_id = 0x4576446b; PRAGMA user_version = {version};"))
        .unwrap();
    raw
}

/// PostgreSQL's step 6 (SQLite's 10) taken back, the version left for the caller to set: no
/// search text on the bookings.
pub const PG_UNDO_STEP_6: &str = "
    DROP TRIGGER bookings_search_insert ON bookings;
    DROP TRIGGER bookings_search_update ON bookings;
    DROP TRIGGER bookings_search_attendee ON attendees;
    DROP TRIGGER bookings_search_event ON events;
    DROP FUNCTION bookings_search_fill(), bookings_search_attendee(), bookings_search_event();
    DROP FUNCTION booking_search_fold(bigint, bigint);
    ALTER TABLE bookings DROP COLUMN search_fold;";

/// Step 12 taken back: no index of the cancelled bookings. A test that goes back further runs
/// this first.
pub const UNDO_STEP_12: &str = "DROP INDEX bookings_cancelled;";

/// PostgreSQL's step 9 (SQLite's 12) taken back. Step 8 rebuilds the events' start indexes
/// whatever they hold, so a test going back past it need not undo it.
pub const PG_UNDO_STEP_9: &str = "DROP INDEX bookings_cancelled;";

/// Step 10 taken back: no search text on the bookings, and the two event indexes as step 9
/// left them. A test that goes back further runs this first (after `UNDO_STEP_12`).
pub const UNDO_STEP_10: &str = "
    DROP TRIGGER bookings_search_insert;
    DROP TRIGGER bookings_search_update;
    DROP TRIGGER bookings_search_attendee;
    DROP TRIGGER bookings_search_event;
    ALTER TABLE bookings DROP COLUMN search_fold;
    DROP INDEX events_by_start;
    CREATE INDEX events_by_start ON events (starts_at, deleted_at) WHERE deleted_at IS NULL;
    DROP INDEX events_by_creator;
    CREATE INDEX events_by_creator ON events (creator_id, starts_at, ends_at, deleted_at) WHERE deleted_at IS NULL;
    PRAGMA user_version = 9;";

/// Step 9 taken back: the two event indexes without deleted_at, as step 7 left them. A test
/// that goes back further runs this first.
pub const UNDO_STEP_9: &str = "
    DROP INDEX events_by_start;
    CREATE INDEX events_by_start ON events (starts_at) WHERE deleted_at IS NULL;
    DROP INDEX events_by_creator;
    CREATE INDEX events_by_creator ON events (creator_id, starts_at, ends_at) WHERE deleted_at IS NULL;
    PRAGMA user_version = 8;";

/// Step 8 taken back: the pair's two indexes and the history actor index as steps 1-7 left
/// them. A test that goes back further runs this first, so step 8 finds what it drops.
pub const UNDO_STEP_8: &str = "
    DROP INDEX bookings_one_active;
    CREATE UNIQUE INDEX bookings_one_active ON bookings (attendee_id, event_id) WHERE status = 'active';
    CREATE INDEX bookings_by_attendee ON bookings (attendee_id, event_id);
    CREATE INDEX history_by_actor ON history (actor, action, id);
    PRAGMA user_version = 7;";

/// The steps of SQLite's plan for `sql`, joined by "; " (its literals inline: no parameters).
pub fn query_plan(raw: &rusqlite::Connection, sql: &str) -> String {
    let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let steps: Vec<String> =
        stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().collect::<Result<_, _>>().unwrap();
    steps.join("; ")
}
