//! The import half of `copy` on PostgreSQL: the rows go in by `COPY … FROM STDIN (FORMAT
//! binary)`, a slice of up to 50 000 rows per COPY, all in one transaction. Binary, not text:
//! every value travels as its bytes, so a tab, a newline or a backslash in a description needs
//! no escaping and cannot be mistaken for a separator.
//!
//! Row by row, three triggers would make a large copy quadratic: one transaction updating the
//! same row again and again leaves every version it writes until commit, and each update walks
//! them. `history_number` updates the one `history_ids` row per history row (2 000 000 of them
//! at a million bookings); `bookings_count_insert` updates an event row per booking (its guard
//! `bookings_guard_insert` reads that counter). So, when this role owns the tables (the role
//! that ran `init` does: no superuser involved), they are switched off inside this transaction
//! — DDL is transactional, so a failure switches them back with the rows, and no other session
//! sees them off: the copy holds every table in EXCLUSIVE mode until commit — and their work is
//! done once at the end, as the generator (`bulk.rs`) does:
//! - the booked counters are counted in one UPDATE, and the CHECK `events_full` (booked <=
//!   capacity) refuses it — and the whole copy — if any event would be overfilled;
//! - the history counter is set past the highest copied id.
//!
//! In the same way the secondary indexes of attendees, bookings and history (the trigram GIN
//! indexes above all: a GIN insert per row is the slowest part of a row-by-row load) are dropped
//! when their table's first row arrives and built again from their stored definitions after its
//! last: a unique one that meets a duplicate fails the copy there, as the row would have.
//!
//! Every other guard runs row by row as before: CHECKs, primary keys, foreign keys, the
//! waiting-list and check-in triggers. A role that does not own the tables copies with every
//! trigger and index in place (slower, the same result).

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

use super::rows::Fetched;
use crate::model::fold::{canonical_email, fold};
use crate::model::{Error, Result};
use crate::store::copy::{Row, RowCounts, Sink};

/// Rows per COPY statement: a slice is held in memory while it is written.
const SLICE: usize = 50_000;

/// The triggers whose work the import does itself (see the module comment).
const SWITCHED_OFF: [(&str, &str); 4] = [
    ("history", "history_number"),
    ("bookings", "bookings_guard_insert"),
    ("bookings", "bookings_count_insert"),
    ("events", "events_booked_guard"),
];

const I: Type = Type::INT8;
const T: Type = Type::TEXT;

/// The COPY statement and column types of a row's table.
fn target(row: &Row) -> (&'static str, &'static [Type]) {
    match row {
        Row::Operator { .. } => (
            "COPY operators (id, username, password_hash, role, name, email, organization, address,
               failed_logins, locked_until, created_at) FROM STDIN (FORMAT binary)",
            &[I, T, T, T, T, T, T, T, I, I, I],
        ),
        Row::Attendee { .. } => (
            "COPY attendees (id, name, email, phone, created_at, updated_at, name_fold, email_canonical,
               merged_into, version) FROM STDIN (FORMAT binary)",
            &[I, T, T, T, I, I, T, T, I, I],
        ),
        Row::Event { .. } => (
            "COPY events (id, title, description, starts_at, ends_at, capacity, creator_id, created_at,
               updated_at, deleted_at, title_fold, version) FROM STDIN (FORMAT binary)",
            &[I, T, T, I, I, I, I, I, I, I, T, I],
        ),
        Row::Booking { .. } => (
            "COPY bookings (id, event_id, attendee_id, status, booked_at, cancelled_at) FROM STDIN (FORMAT binary)",
            &[I, I, I, T, I, I],
        ),
        Row::History { .. } => (
            "COPY history (id, actor, action, object_kind, object_id, details, created_at)
               FROM STDIN (FORMAT binary)",
            &[I, T, T, T, I, T, I],
        ),
        Row::Waitlist { .. } => (
            "COPY waitlist (id, event_id, attendee_id, status, joined_at, left_at) FROM STDIN (FORMAT binary)",
            &[I, I, I, T, I, I],
        ),
        Row::CheckIn { .. } => (
            "COPY checkins (id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by)
               FROM STDIN (FORMAT binary)",
            &[I, I, I, T, I, T],
        ),
    }
}

/// One row, in the column order of its table's COPY statement.
fn write(w: &mut BinaryCopyInWriter<'_>, row: &Row) -> Fetched<()> {
    let values: &[&(dyn ToSql + Sync)] = match row {
        Row::Operator {
            id,
            username,
            password_hash,
            role,
            name,
            email,
            organization,
            address,
            failed_logins,
            locked_until,
            created_at,
        } => &[
            id,
            username,
            password_hash,
            role,
            name,
            email,
            organization,
            address,
            failed_logins,
            locked_until,
            created_at,
        ],
        Row::Attendee { id, name, email, phone, created_at, updated_at, merged_into, version } => {
            return w.write(&[
                id,
                name,
                email,
                phone,
                created_at,
                updated_at,
                &fold(name),
                &canonical_email(email),
                merged_into,
                version,
            ]);
        }
        Row::Event {
            id,
            title,
            description,
            starts_at,
            ends_at,
            capacity,
            creator_id,
            created_at,
            updated_at,
            deleted_at,
            version,
        } => {
            return w.write(&[
                id,
                title,
                description,
                starts_at,
                ends_at,
                capacity,
                creator_id,
                created_at,
                updated_at,
                deleted_at,
                &fold(title),
                version,
            ]);
        }
        Row::Booking { id, event_id, attendee_id, status, booked_at, cancelled_at } => {
            &[id, event_id, attendee_id, status, booked_at, cancelled_at]
        }
        Row::History { id, actor, action, object_kind, object_id, details, created_at } => {
            &[id, actor, action, object_kind, object_id, details, created_at]
        }
        Row::Waitlist { id, event_id, attendee_id, status, joined_at, left_at } => {
            &[id, event_id, attendee_id, status, joined_at, left_at]
        }
        Row::CheckIn { id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by } => {
            &[id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by]
        }
    };
    w.write(values)
}

/// The tables whose secondary indexes are built once at the end of their rows instead of row
/// by row (see the module comment); the other tables are small, or only have a primary key.
const REBUILT: [&str; 3] = ["attendees", "bookings", "history"];

/// Where the import stands: the table being filled, its rows waiting for their COPY, and its
/// indexes while they are off.
struct Loader {
    /// Whether this role may switch triggers and indexes off (it owns the tables).
    owner: bool,
    table: Option<&'static str>,
    rows: Vec<Row>,
    /// The definitions of the current table's dropped indexes.
    dropped: Vec<String>,
}

impl Loader {
    fn push(&mut self, tx: &mut Transaction<'_>, row: Row) -> Fetched<()> {
        let table = table(&row);
        if self.table != Some(table) {
            self.finish_table(tx)?;
            self.table = Some(table);
            if self.owner && REBUILT.contains(&table) {
                self.dropped = drop_indexes(tx, table)?;
            }
        } else if self.rows.len() >= SLICE {
            self.flush(tx)?;
        }
        self.rows.push(row);
        Ok(())
    }

    /// Sends the waiting rows as one COPY.
    fn flush(&mut self, tx: &mut Transaction<'_>) -> Fetched<()> {
        let Some(first) = self.rows.first() else { return Ok(()) };
        let (sql, types) = target(first);
        let mut writer = BinaryCopyInWriter::new(tx.copy_in(sql)?, types);
        for row in &self.rows {
            write(&mut writer, row)?;
        }
        writer.finish()?;
        self.rows.clear();
        Ok(())
    }

    /// The table's last rows, then its indexes again: a unique one meeting a duplicate fails
    /// here, and with it the whole copy. The next table's guards find them in place (the
    /// waiting list's trigger looks bookings up by attendee and event).
    fn finish_table(&mut self, tx: &mut Transaction<'_>) -> Fetched<()> {
        self.flush(tx)?;
        if !self.dropped.is_empty() {
            // CREATE INDEX refuses while checks are pending: the deferred `merged_into` key
            // (an attendee may be merged into a later one) is checked now that they are all in.
            tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")?;
        }
        for definition in self.dropped.drain(..) {
            tx.batch_execute(&definition)?;
        }
        Ok(())
    }
}

fn table(row: &Row) -> &'static str {
    match row {
        Row::Operator { .. } => "operators",
        Row::Attendee { .. } => "attendees",
        Row::Event { .. } => "events",
        Row::Booking { .. } => "bookings",
        Row::History { .. } => "history",
        Row::Waitlist { .. } => "waitlist",
        Row::CheckIn { .. } => "checkins",
    }
}

/// Fills the (empty, locked) tables from `fill`'s rows inside `tx`, then does the switched-off
/// triggers' work. The caller commits.
pub(super) fn import(
    tx: &mut Transaction<'_>,
    fill: &mut dyn FnMut(&mut Sink<'_>) -> Result<()>,
    map: &dyn Fn(postgres::Error) -> Error,
) -> Result<RowCounts> {
    let owner = owns_tables(tx).map_err(map)?;
    if owner {
        prepare(tx).map_err(map)?;
    }
    let mut copied = RowCounts::default();
    let mut loader = Loader { owner, table: None, rows: Vec::new(), dropped: Vec::new() };
    fill(&mut |row| {
        copied.add(&row);
        loader.push(tx, row).map_err(map)
    })?;
    loader.finish_table(tx).map_err(map)?;
    if owner {
        recount(tx).map_err(map)?;
        switch_triggers(tx, "ENABLE").map_err(map)?;
    }
    Ok(copied)
}

/// Before the first row: the tables whose indexes go are taken whole now (DROP INDEX would take
/// them later, behind any reader that came meanwhile), index builds get memory enough to sort in
/// one pass, and the triggers go off.
fn prepare(tx: &mut Transaction<'_>) -> Fetched<()> {
    tx.batch_execute(&format!(
        "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE; SET LOCAL maintenance_work_mem = '256MB'",
        REBUILT.join(", ")
    ))?;
    switch_triggers(tx, "DISABLE")
}

/// Drops `table`'s secondary indexes (not those behind a constraint, such as the primary key)
/// and returns their definitions, to build them again.
fn drop_indexes(tx: &mut Transaction<'_>, table: &str) -> Fetched<Vec<String>> {
    let indexes = tx.query(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
          WHERE x.indrelid = $1::text::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
          ORDER BY c.relname",
        &[&table],
    )?;
    let mut definitions = Vec::with_capacity(indexes.len());
    for index in &indexes {
        let name: String = index.try_get(0)?;
        tx.batch_execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        definitions.push(index.try_get(1)?);
    }
    Ok(definitions)
}

/// Whether this role owns the tables whose triggers and indexes the import switches off (ALTER
/// TABLE and DROP INDEX need the owner, never a superuser).
fn owns_tables(tx: &mut Transaction<'_>) -> Fetched<bool> {
    tx.query_one(
        "SELECT coalesce(bool_and(pg_has_role(current_user, relowner, 'USAGE')), false) FROM pg_class
          WHERE oid IN ('attendees'::regclass, 'events'::regclass, 'bookings'::regclass, 'history'::regclass)",
        &[],
    )?
    .try_get(0)
}

fn switch_triggers(tx: &mut Transaction<'_>, how: &str) -> Fetched<()> {
    for (table, trigger) in SWITCHED_OFF {
        tx.batch_execute(&format!("ALTER TABLE {table} {how} TRIGGER {trigger}"))?;
    }
    Ok(())
}

/// The switched-off triggers' work, once: every event's counter from its active bookings (the
/// CHECK `events_full` refuses an overfilled one), the history counter past the copied ids.
fn recount(tx: &mut Transaction<'_>) -> Fetched<()> {
    tx.batch_execute(
        "UPDATE events e SET booked = c.n
           FROM (SELECT event_id, count(*) AS n FROM bookings WHERE status = 'active' GROUP BY event_id) c
          WHERE e.id = c.event_id;
         UPDATE history_ids SET last_id = greatest(last_id, (SELECT coalesce(max(id), 0) FROM history));",
    )
}
