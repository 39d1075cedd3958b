//! Writing and reading the audit history.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::Value;

use super::Store;
use super::query::{HistoryQuery, Where};
use super::rows::{HISTORY_COLUMNS, history};
use crate::model::{About, HistoryAction, HistoryEntry, ObjectKind, Result, Session};

/// One history row, written inside the transaction of the change it records.
pub(super) struct Record<'a> {
    pub actor: &'a str,
    pub action: HistoryAction,
    pub kind: ObjectKind,
    pub id: Option<i64>,
    pub details: Value,
}

impl<'a> Record<'a> {
    /// A change the signed-in operator made to one object.
    pub(super) fn by(
        s: &'a Session,
        action: HistoryAction,
        kind: ObjectKind,
        id: i64,
        details: Value,
    ) -> Self {
        Record { actor: &s.username, action, kind, id: Some(id), details }
    }
}

pub(super) fn record(conn: &Connection, now: DateTime<Utc>, r: Record<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO history (actor, action, object_kind, object_id, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![r.actor, r.action.as_str(), r.kind.as_str(), r.id, r.details.to_string(), now.timestamp()])?;
    Ok(())
}

fn filter(q: &HistoryQuery) -> Where {
    use rusqlite::types::Value as V;
    let mut w = Where::default();
    if let Some(actor) = &q.actor {
        w.add("actor = ? COLLATE NOCASE", [V::Text(actor.trim().to_string())]);
    }
    if let Some(action) = q.action {
        w.add("action = ?", [V::Text(action.as_str().into())]);
    }
    if let Some(kind) = q.object_kind {
        w.add("object_kind = ?", [V::Text(kind.as_str().into())]);
    }
    if let Some(id) = q.object_id {
        w.add("object_id = ?", [V::Integer(id)]);
    }
    if let Some(about) = q.about {
        about_filter(&mut w, about);
    }
    if let Some(since) = q.since {
        w.add("created_at >= ?", [V::Integer(since.timestamp())]);
    }
    if let Some(until) = q.until {
        w.add("created_at < ?", [V::Integer(until.timestamp())]);
    }
    w
}

/// Rows about the object itself, or about a booking of it. Bookings are found through the
/// bookings table (indexed; a booking's attendee never changes) rather than by reading every
/// row's JSON. A moved booking now sits on its new event, so the old event finds it through
/// its `move` rows, which carry `from_event_id`.
fn about_filter(w: &mut Where, about: About) {
    use rusqlite::types::Value as V;
    match about {
        About::Attendee(id) => w.add(
            "((object_kind = 'attendee' AND object_id = ?)
              OR (object_kind = 'booking' AND object_id IN (SELECT id FROM bookings WHERE attendee_id = ?)))",
            [V::Integer(id), V::Integer(id)],
        ),
        About::Event(id) => w.add(
            "((object_kind = 'event' AND object_id = ?)
              OR (object_kind = 'booking' AND object_id IN (
                    SELECT id FROM bookings WHERE event_id = ?
                    UNION SELECT object_id FROM history
                     WHERE action = 'move' AND json_extract(details, '$.from_event_id') = ?)))",
            [V::Integer(id), V::Integer(id), V::Integer(id)],
        ),
    }
}

impl Store {
    /// History rows matching the filter, newest first, one page.
    pub fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>> {
        let w = filter(q);
        self.page(&format!("SELECT {HISTORY_COLUMNS}{}", w.sql()), "id DESC", w, q.page, history)
    }

    pub fn count_history(&self, q: &HistoryQuery) -> Result<u64> {
        let w = filter(q);
        // Unfiltered, the count is the last id: history is append-only (triggers refuse UPDATE
        // and DELETE) and `check` verifies the ids have no gaps. One b-tree descent instead of
        // a scan of millions of rows.
        let sql = if w.params.is_empty() {
            "SELECT coalesce(max(id), 0) FROM history".to_string()
        } else {
            format!("SELECT count(*) FROM history{}", w.sql())
        };
        self.count(&sql, w.params)
    }
}
