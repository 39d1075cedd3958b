//! Attendee search: a search walks the name-ordered postings (migrations 007 and 011,
//! `search/grams.rs`) of its own text (one to three characters) or of its rarest 3-character
//! gram, and stops after a page, so every keystroke costs about the same wherever its matches
//! sort. The exact count narrows by the trigram index (006) first, or counts a short search's
//! postings.

pub(super) mod grams;

use rusqlite::Connection;

use super::reads::{self, count as count_sql_rows, page};
use super::rows::{ATTENDEE_COLUMNS, attendee};
use super::sql::{Where, contains_pattern, fts_phrase};
use crate::model::fold::fold;
use crate::model::{Attendee, Result};
use crate::store::{AttendeeQuery, searches_emails};

/// A search narrowed by the trigram index's candidates (migration 006, over the fold columns),
/// then decided by LIKE of the folded query against the fold columns (model::fold), so it
/// matches exactly what the LIKE alone matched; one or two characters are matched against the
/// name alone (`searches_emails`). Merged attendees are never listed.
fn filter(q: &AttendeeQuery) -> Where {
    let mut w = Where::default();
    w.add("merged_into IS NULL", []);
    let text = fold(q.search.trim());
    if text.is_empty() {
        return w;
    }
    let p = contains_pattern(&text);
    if !searches_emails(&text) {
        w.add("name_fold LIKE ? ESCAPE '\\'", [p.into()]);
        return w;
    }
    w.add(
        "id IN (SELECT rowid FROM attendees_search WHERE attendees_search MATCH ?)",
        [fts_phrase(&text).into()],
    );
    w.add(
        "(name_fold LIKE ? ESCAPE '\\' OR email_canonical LIKE ? ESCAPE '\\')",
        [p.clone().into(), p.into()],
    );
    w
}

/// The folded search as the postings are searched (what `contains_pattern` matches).
fn folded(q: &AttendeeQuery) -> String {
    fold(q.search.trim()).trim().to_string()
}

/// Attendees by name, one page.
pub(super) fn list(conn: &Connection, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
    if let Some(ids) = grams::page(conn, &folded(q), q.page)? {
        return ids.into_iter().filter_map(|id| reads::attendee(conn, id).transpose()).collect();
    }
    let w = filter(q);
    page(conn, &select_sql(&w), (ORDER, "attendees"), w, q.page, attendee)
}

/// Indexes the attendees from `first` on in every search index (006's and 007's), one
/// statement each: for the generator and `copy`, which drop the sync triggers while they fill.
pub(super) fn index_from(conn: &Connection, first: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO attendees_search (rowid, name_fold, email_canonical)
         SELECT id, name_fold, email_canonical FROM attendees WHERE id >= ?",
        [first],
    )?;
    grams::index_from(conn, first)
}

/// How many attendees match, exactly.
pub(super) fn count(conn: &Connection, q: &AttendeeQuery) -> Result<u64> {
    let text = folded(q);
    if !text.is_empty() && !searches_emails(&text) {
        return grams::count_gram(conn, &text);
    }
    let w = filter(q);
    count_sql_rows(conn, &count_sql(&w), w.params)
}

/// Counts matches up to `cap + 1` and stops there, in the postings.
pub(super) fn count_upto(conn: &Connection, q: &AttendeeQuery, cap: u64) -> Result<u64> {
    if let Some(n) = grams::count_upto(conn, &folded(q), cap)? {
        return Ok(n);
    }
    let limit = i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX);
    let mut w = filter(q);
    w.params.push(limit.into());
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM attendees{} LIMIT ?)", w.sql());
    count_sql_rows(conn, &sql, w.params)
}

/// Attendee lists run by name.
const ORDER: &str = grams::ORDER;

fn select_sql(w: &Where) -> String {
    format!("SELECT {ATTENDEE_COLUMNS}{}", w.sql())
}

fn count_sql(w: &Where) -> String {
    format!("SELECT count(*) FROM attendees{}", w.sql())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Page;
    use crate::store::sqlite::Sqlite;

    fn open(path: &std::path::Path) -> Sqlite {
        Sqlite::open(path, &Default::default()).unwrap()
    }

    /// The steps SQLite plans for `sql` on a freshly migrated file.
    fn plan(sql: &str, params: Vec<rusqlite::types::Value>) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("plan.db"));
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn exact_counts_use_the_trigram_index() {
        for text in ["Zoe", "Ana", "bulk-1@"] {
            let q = AttendeeQuery { search: text.into(), ..Default::default() };
            let w = filter(&q);
            let steps = plan(&count_sql(&w), w.params.clone());
            assert!(steps.iter().any(|s| s.contains("attendees_search VIRTUAL TABLE")), "{text}: {steps:?}");
            assert!(
                !steps.iter().any(|s| s.starts_with("SCAN") && s.split(' ').nth(1) == Some("attendees")),
                "{text}: {steps:?}"
            );
        }
    }

    #[test]
    fn short_searches_match_names_only_and_count_their_postings() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("short.db"));
        store
            .conn
            .execute_batch(
                "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
                 VALUES ('Ana', 'x@x.org', 0, 0, 'ana', 'x@x.org'), ('Bob', 'ana@x.org', 0, 0, 'bob', 'ana@x.org'),
                        ('Orla', 'o@x.org', 0, 0, 'orla', 'o@x.org');",
            )
            .unwrap();
        let names = |text: &str| -> Vec<String> {
            let q = AttendeeQuery { search: text.into(), ..Default::default() };
            let listed: Vec<String> = list(&store.conn, &q).unwrap().into_iter().map(|a| a.name).collect();
            assert_eq!(count(&store.conn, &q).unwrap(), listed.len() as u64, "{text}");
            assert_eq!(count_upto(&store.conn, &q, 10).unwrap(), listed.len() as u64, "{text}");
            listed
        };
        assert_eq!(names(" An "), ["Ana"], "two letters: names only");
        assert_eq!(names("o"), ["Bob", "Orla"], "one letter: not every .org address");
        assert_eq!(names("or"), ["Orla"]);
        assert_eq!(names("ana"), ["Ana", "Bob"], "three: names and emails");
        assert_eq!(names("q"), Vec::<String>::new());
    }

    #[test]
    fn the_postings_find_what_the_trigram_index_and_like_find() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("common.db"));
        let conn = &store.conn;
        // 21 000 "Ana" (common, sorting first), 3 000 "Zed" (common, sorting last) and a few
        // "Zoë" (rare).
        store
            .conn
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24000)
                 INSERT INTO attendees (name, email, created_at, updated_at)
                 SELECT CASE WHEN i % 7001 = 0 THEN 'Zoë ' || i WHEN i <= 21000 THEN 'Ana ' || i
                        ELSE 'Zed ' || i END, 'p' || i || '@x.org', 0, 0 FROM n;
                 -- What model::fold gives for these (lowercase ë already, ASCII otherwise).
                 UPDATE attendees SET name_fold = lower(name), email_canonical = email;",
            )
            .unwrap();
        for text in ["ana", "zed", "zoë", "p21", "nobody", "a", "z", "ze", "ë", "2", "p2"] {
            let q = |page| AttendeeQuery { search: text.into(), page };
            let exact = count(conn, &q(Page::default())).unwrap();
            for offset in [0, 3, 500, 2_990, 20_990] {
                let page = Page::new(offset, 10);
                let w = filter(&q(page));
                let sorted: Vec<i64> =
                    super::page(conn, &select_sql(&w), (ORDER, "attendees"), w, page, attendee)
                        .unwrap()
                        .iter()
                        .map(|a| a.id)
                        .collect();
                let listed: Vec<i64> = list(conn, &q(page)).unwrap().iter().map(|a| a.id).collect();
                assert_eq!(listed, sorted, "{text} at {offset}");
                assert_eq!(listed.len() as u64, exact.saturating_sub(offset).min(10), "{text} at {offset}");
            }
            assert_eq!(count_upto(conn, &q(Page::default()), 100).unwrap(), exact.min(101), "{text}");
        }
    }
}
