//! The PostgreSQL schema: refusing what isn't ours, and migrating in one locked transaction.
//!
//! A database is eventdesk's when it holds the `eventdesk_schema` marker row, which also counts
//! the migrations applied. A new (empty) database gets the whole schema; one with the marker
//! gets what it lacks; anything else — a newer schema, or tables without the marker — is
//! refused before anything is written.

use postgres::{Client, GenericClient};

use super::unicode;

/// The schema, in order; the marker's `version` counts how many have been applied.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    ("001_initial", include_str!("../../../migrations/postgres/001_initial.sql")),
    ("002_waitlist_and_checkins", include_str!("../../../migrations/postgres/002_waitlist_and_checkins.sql")),
    ("003_edit_versions", include_str!("../../../migrations/postgres/003_edit_versions.sql")),
    ("004_unicode_identity", include_str!("../../../migrations/postgres/004_unicode_identity.sql")),
    ("005_attendee_name_grams", include_str!("../../../migrations/postgres/005_attendee_name_grams.sql")),
    ("006_booking_search_text", include_str!("../../../migrations/postgres/006_booking_search_text.sql")),
    ("007_short_name_grams", include_str!("../../../migrations/postgres/007_short_name_grams.sql")),
    ("008_event_walks_carry_id", include_str!("../../../migrations/postgres/008_event_walks_carry_id.sql")),
    ("009_cancelled_bookings", include_str!("../../../migrations/postgres/009_cancelled_bookings.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Taken for the migrating transaction, so desks running `init` at once on a new database
/// queue, and each one after the first finds the work done. Advisory locks are per database,
/// so stores in other databases on the same server never wait for it. ("EvDk", schema.)
const MIGRATION_LOCK: i64 = 0x4576_446b_0000_0001;

const MARKER: &str = "CREATE TABLE eventdesk_schema (
    singleton   BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    application TEXT    NOT NULL CHECK (application = 'eventdesk'),
    version     BIGINT  NOT NULL CHECK (version > 0)
)";

/// Brings the database to `SCHEMA_VERSION`, or refuses it untouched with one line.
pub fn migrate(client: &mut Client) -> Result<(), String> {
    // The common case reads and writes nothing else: an up-to-date database takes no lock.
    if identify(client)? == SCHEMA_VERSION {
        return Ok(());
    }
    let mut tx = client.transaction().map_err(|e| explain(&e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(|e| explain(&e))?;
    let version = identify(&mut tx)?;
    let start = usize::try_from(version).unwrap_or(0);
    for (i, (_, sql)) in MIGRATIONS.iter().enumerate().skip(start) {
        tx.batch_execute(sql).map_err(|e| explain(&e))?;
        if i + 1 == unicode::VERSION {
            unicode::after_sql(&mut tx).map_err(|e| explain(&e))?;
        }
    }
    if version == 0 {
        tx.batch_execute(MARKER).map_err(|e| explain(&e))?;
        tx.execute(
            "INSERT INTO eventdesk_schema (application, version) VALUES ('eventdesk', $1)",
            &[&SCHEMA_VERSION],
        )
    } else {
        tx.execute("UPDATE eventdesk_schema SET version = $1", &[&SCHEMA_VERSION])
    }
    .map_err(|e| explain(&e))?;
    tx.commit().map_err(|e| explain(&e))?;
    if (1..POSTINGS_FILLED).contains(&version) {
        // Migrations 005 and 007 fill the postings in one go; until a VACUUM marks their pages
        // all-visible, each index-only step of a search fetches its heap row too (25 ms
        // instead of 3 ms for "Priya" at a million attendees, until autovacuum came round).
        // VACUUM cannot run inside the migration's transaction, hence here, once.
        client.batch_execute("VACUUM (ANALYZE) attendees_search_grams").map_err(|e| explain(&e))?;
    }
    Ok(())
}

/// The schema version of the last migration that fills the name postings in one go (007).
const POSTINGS_FILLED: i64 = 7;

/// The schema version of an eventdesk database (0 for a new, empty one); refuses the rest.
pub fn identify(client: &mut impl GenericClient) -> Result<i64, String> {
    let row = client
        .query_one(
            "SELECT to_regclass('eventdesk_schema') IS NOT NULL,
                    (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                        AND n.nspname NOT LIKE 'pg\\_%')",
            &[],
        )
        .map_err(|e| explain(&e))?;
    let (marked, tables): (bool, i64) = (row.get(0), row.get(1));
    let version = match (marked, tables) {
        (false, 0) => 0,
        (false, _) => return Err(NOT_OURS.into()),
        (true, _) => client
            .query_opt("SELECT version FROM eventdesk_schema WHERE application = 'eventdesk'", &[])
            .ok()
            .flatten()
            .map(|r| r.get::<_, i64>(0))
            .ok_or(NOT_OURS)?,
    };
    if version > SCHEMA_VERSION {
        return Err(format!(
            "this database has schema version {version}, newer than this eventdesk supports ({SCHEMA_VERSION}); \
             upgrade eventdesk"
        ));
    }
    Ok(version)
}

const NOT_OURS: &str = "this PostgreSQL database holds tables that are not eventdesk's; \
    pass the URL of an empty database (createdb -O USER NAME) or of an eventdesk one";

/// One line about a failure while migrating.
fn explain(e: &postgres::Error) -> String {
    use postgres::error::SqlState;
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::LOCK_NOT_AVAILABLE => {
            "the database is busy, try again (another desk is setting up its schema)".into()
        }
        Some(db) if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE => format!(
            "cannot set up the schema: {}; connect as the database's owner (CREATE DATABASE ... OWNER)",
            db.message()
        ),
        Some(db) => format!("cannot set up the schema: {}", db.message()),
        None => format!("cannot set up the schema: {e}"),
    }
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;
