//! Attendees: the people the desk books.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::history::{Record, record};
use super::query::{AttendeeQuery, Where, contains_pattern, fts_phrase};
use super::rows::{ATTENDEE_COLUMNS, attendee};
use super::{Store, authorize};
use crate::model::{
    Action, Attendee, AttendeePatch, Error, NewAttendee, ObjectKind, Refusal, Result, Session,
};

fn email_taken(tx: &Connection, email: &str, except: i64) -> Result<bool> {
    let sql = "SELECT 1 FROM attendees WHERE email = ? AND id <> ?";
    Ok(tx.query_row(sql, params![email, except], |_| Ok(())).optional()?.is_some())
}

fn load(conn: &Connection, id: i64) -> Result<Attendee> {
    conn.prepare_cached(&format!("SELECT {ATTENDEE_COLUMNS} WHERE id = ?"))?
        .query_row([id], attendee)
        .optional()?
        .ok_or(Error::NotFound { kind: "attendee", id: id.to_string() })
}

fn by_email(conn: &Connection, email: &str) -> Result<Attendee> {
    conn.prepare_cached(&format!("SELECT {ATTENDEE_COLUMNS} WHERE email = ?"))?
        .query_row([email.trim()], attendee)
        .optional()?
        .ok_or(Error::NotFound { kind: "attendee", id: email.trim().to_string() })
}

/// The trigram index holds 3-character substrings, so shorter searches cannot use it.
const TRIGRAM: usize = 3;

/// A search narrows to the trigram index's candidates (migration 003), then LIKE decides, so
/// it matches exactly what the LIKE alone matched: the index folds case for all of Unicode,
/// LIKE for ASCII only. Searches of 1-2 characters scan the name index with LIKE alone.
fn filter(q: &AttendeeQuery) -> Where {
    let mut w = Where::default();
    let text = q.search.trim();
    if text.is_empty() {
        return w;
    }
    if text.chars().count() >= TRIGRAM {
        w.add(
            "id IN (SELECT rowid FROM attendees_search WHERE attendees_search MATCH ?)",
            [fts_phrase(text).into()],
        );
    }
    let p = contains_pattern(text);
    w.add("(name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", [p.clone().into(), p.into()]);
    w
}

impl Store {
    pub fn add_attendee(&self, s: &Session, new: &NewAttendee) -> Result<Attendee> {
        let v = new.validate()?;
        self.write(|tx| {
            authorize(tx, s)?;
            if email_taken(tx, &v.email, 0)? {
                return Err(Refusal::EmailTaken.into());
            }
            let now = self.now();
            tx.execute(
                "INSERT INTO attendees (name, email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                params![v.name, v.email, v.phone, now.timestamp(), now.timestamp()],
            )?;
            let id = tx.last_insert_rowid();
            let details = json!({ "name": v.name, "email": v.email, "phone": v.phone });
            record(tx, now, Record::by(s, Action::Create, ObjectKind::Attendee, id, details))?;
            load(tx, id)
        })
    }

    pub fn update_attendee(&self, s: &Session, id: i64, patch: &AttendeePatch) -> Result<Attendee> {
        self.write(|tx| {
            authorize(tx, s)?;
            let old = load(tx, id)?;
            let v = patch.apply(&old)?;
            if email_taken(tx, &v.email, id)? {
                return Err(Refusal::EmailTaken.into());
            }
            let mut changes = serde_json::Map::new();
            let mut note = |field: &str, old: serde_json::Value, new: serde_json::Value| {
                if old != new {
                    changes.insert(field.into(), json!({ "old": old, "new": new }));
                }
            };
            note("name", json!(old.name), json!(v.name));
            note("email", json!(old.email), json!(v.email));
            note("phone", json!(old.phone), json!(v.phone));
            if changes.is_empty() {
                return Ok(old);
            }
            let now = self.now();
            tx.execute(
                "UPDATE attendees SET name = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?",
                params![v.name, v.email, v.phone, now.timestamp(), id],
            )?;
            let details = json!({ "changes": changes });
            record(tx, now, Record::by(s, Action::Update, ObjectKind::Attendee, id, details))?;
            load(tx, id)
        })
    }

    pub fn attendee(&self, id: i64) -> Result<Attendee> {
        load(&self.conn, id).map_err(|e| self.locate(e))
    }

    /// Looks an attendee up by email, ignoring case.
    pub fn attendee_by_email(&self, email: &str) -> Result<Attendee> {
        by_email(&self.conn, email).map_err(|e| self.locate(e))
    }

    /// Attendees by name, one page.
    pub fn list_attendees(&self, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
        let w = filter(q);
        self.page(&select_sql(&w), ORDER, w, q.page, attendee)
    }

    pub fn count_attendees(&self, q: &AttendeeQuery) -> Result<u64> {
        let w = filter(q);
        self.count(&count_sql(&w), w.params)
    }
}

/// Attendee lists run by name.
const ORDER: &str = "name COLLATE NOCASE, id";

fn select_sql(w: &Where) -> String {
    format!("SELECT {ATTENDEE_COLUMNS}{}", w.sql())
}

fn count_sql(w: &Where) -> String {
    format!("SELECT count(*) FROM attendees{}", w.sql())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps SQLite plans for `sql` on a freshly migrated file.
    fn plan(sql: &str, params: Vec<rusqlite::types::Value>) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    fn list_sql(w: &Where) -> String {
        format!("{} ORDER BY {ORDER} LIMIT ? OFFSET ?", select_sql(w))
    }

    #[test]
    fn searches_of_three_characters_use_the_trigram_index() {
        for text in ["Zoe", "Ana", "bulk-1@"] {
            let q = AttendeeQuery { search: text.into(), ..Default::default() };
            let w = filter(&q);
            for steps in
                [plan(&list_sql(&w), filter(&q).paged(q.page.plan())), plan(&count_sql(&w), w.params.clone())]
            {
                assert!(
                    steps.iter().any(|s| s.contains("attendees_search VIRTUAL TABLE")),
                    "{text}: {steps:?}"
                );
                assert!(
                    !steps.iter().any(|s| s.starts_with("SCAN") && s.split(' ').nth(1) == Some("attendees")),
                    "{text}: {steps:?}"
                );
            }
        }
    }

    #[test]
    fn short_searches_keep_the_like_scan() {
        let q = AttendeeQuery { search: " An ".into(), ..Default::default() };
        let w = filter(&q);
        assert_eq!(w.params.len(), 2, "LIKE only");
    }
}
