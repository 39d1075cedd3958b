//! Attendee search: an FTS5 trigram index narrows what LIKE decides, and a budgeted walk of
//! the name index serves common names, so every keystroke costs about the same.

use rusqlite::Connection;

use super::reads::{self, count as count_sql_rows, page};
use super::rows::{ATTENDEE_COLUMNS, attendee};
use super::sql::{Where, contains_pattern, fts_phrase};
use crate::model::fold::fold;
use crate::model::{Attendee, Result};
use crate::store::AttendeeQuery;

/// The trigram index holds 3-character substrings, so shorter searches cannot use it.
const TRIGRAM: usize = 3;

/// Above this many trigram candidates a search counts as common: its first page is found
/// sooner by walking the name index in order (it stops after a page of matches) than by
/// collecting every candidate first.
const COMMON: i64 = 2_000;

/// A common search walks the name index for at most BUDGET_TICKS × BUDGET_TICK SQLite VM
/// steps (~20 000 index entries, a few milliseconds) before it sorts its trigram candidates.
const BUDGET_TICK: i32 = 1_000;
const BUDGET_TICKS: u32 = 300;

/// A search narrowed by the trigram index's candidates (migration 006, over the fold columns)
/// when `narrow`, then decided by LIKE of the folded query against the fold columns (model::fold),
/// so it matches exactly what the LIKE alone matched. Without `narrow` it walks the name index
/// with LIKE. Merged attendees are never listed.
fn filter(q: &AttendeeQuery, narrow: bool) -> Where {
    let mut w = Where::default();
    w.add("merged_into IS NULL", []);
    let text = fold(q.search.trim());
    if text.is_empty() {
        return w;
    }
    if narrow {
        w.add(
            "id IN (SELECT rowid FROM attendees_search WHERE attendees_search MATCH ?)",
            [fts_phrase(&text).into()],
        );
    }
    let p = contains_pattern(&text);
    w.add(
        "(name_fold LIKE ? ESCAPE '\\' OR email_canonical LIKE ? ESCAPE '\\')",
        [p.clone().into(), p.into()],
    );
    w
}

/// The trigram index holds 3-character substrings, so shorter searches cannot use it.
fn trigram_searchable(text: &str) -> bool {
    fold(text.trim()).chars().count() >= TRIGRAM
}

/// Attendees by name, one page.
pub(super) fn list(conn: &Connection, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
    let searchable = trigram_searchable(&q.search);
    if searchable && q.page.total.is_none() && !rare(conn, &q.search)? {
        let w = filter(q, false);
        let sql = format!("SELECT id FROM attendees{} ORDER BY {ORDER} LIMIT ? OFFSET ?", w.sql());
        let walked = within_budget(conn, || {
            let mut stmt = conn.prepare_cached(&sql)?;
            let ids = stmt.query_map(rusqlite::params_from_iter(w.paged(q.page.plan())), |r| r.get(0))?;
            ids.collect::<rusqlite::Result<Vec<i64>>>()
        })?;
        if let Some(ids) = walked {
            return ids.into_iter().filter_map(|id| reads::attendee(conn, id).transpose()).collect();
        }
    }
    let w = filter(q, searchable);
    page(conn, &select_sql(&w), (ORDER, "attendees"), w, q.page, attendee)
}

/// How many attendees match, exactly.
pub(super) fn count(conn: &Connection, q: &AttendeeQuery) -> Result<u64> {
    let w = filter(q, trigram_searchable(&q.search));
    count_sql_rows(conn, &count_sql(&w), w.params)
}

/// Counts matches up to `cap + 1` and stops there.
pub(super) fn count_upto(conn: &Connection, q: &AttendeeQuery, cap: u64) -> Result<u64> {
    let limit = i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX);
    let capped = |narrow: bool| {
        let mut w = filter(q, narrow);
        w.params.push(limit.into());
        (format!("SELECT count(*) FROM (SELECT 1 FROM attendees{} LIMIT ?)", w.sql()), w.params)
    };
    // A common search usually finds cap + 1 matches within a short walk of the index; one
    // whose matches sort late runs out of budget and counts the trigram candidates instead.
    if !trigram_searchable(&q.search) || !rare(conn, &q.search)? {
        let (sql, params) = capped(false);
        let walked = within_budget(conn, || {
            conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(0))
        })?;
        if let Some(n) = walked {
            return Ok(u64::try_from(n).unwrap_or(0));
        }
    }
    let (sql, params) = capped(true);
    count_sql_rows(conn, &sql, params)
}

/// Runs `query` within a budget of SQLite VM steps (a few milliseconds); None when it ran
/// out, so the caller can take a path whose cost does not depend on where matches sort.
fn within_budget<T>(conn: &Connection, query: impl FnOnce() -> rusqlite::Result<T>) -> Result<Option<T>> {
    let mut ticks = 0;
    conn.progress_handler(
        BUDGET_TICK,
        Some(move || {
            ticks += 1;
            ticks > BUDGET_TICKS
        }),
    );
    let outcome = query();
    conn.progress_handler(0, None::<fn() -> bool>);
    match outcome {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Whether a search has few enough trigram candidates to be narrowed by them; asks the
/// index for at most COMMON + 1 of them.
fn rare(conn: &Connection, search: &str) -> Result<bool> {
    if !trigram_searchable(search) {
        return Ok(false);
    }
    let sql =
        "SELECT count(*) FROM (SELECT rowid FROM attendees_search WHERE attendees_search MATCH ? LIMIT ?)";
    let found =
        count_sql_rows(conn, sql, vec![fts_phrase(&fold(search.trim())).into(), (COMMON + 1).into()])?;
    Ok(found <= COMMON as u64)
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

    fn list_sql(w: &Where) -> String {
        format!("{} ORDER BY {ORDER} LIMIT ? OFFSET ?", select_sql(w))
    }

    #[test]
    fn rare_searches_use_the_trigram_index() {
        for text in ["Zoe", "Ana", "bulk-1@"] {
            let q = AttendeeQuery { search: text.into(), ..Default::default() };
            let w = filter(&q, true);
            for steps in [
                plan(&list_sql(&w), filter(&q, true).paged(q.page.plan())),
                plan(&count_sql(&w), w.params.clone()),
            ] {
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
    fn common_searches_walk_the_name_index_in_order() {
        let q = AttendeeQuery { search: "Ana".into(), ..Default::default() };
        let w = filter(&q, false);
        let sql = format!("SELECT id FROM attendees{} ORDER BY {ORDER} LIMIT ? OFFSET ?", w.sql());
        let steps = plan(&sql, filter(&q, false).paged(q.page.plan()));
        assert!(steps.iter().any(|s| s.contains("COVERING INDEX attendees_by_name")), "{steps:?}");
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "no sort: it stops after a page; {steps:?}"
        );
    }

    #[test]
    fn short_searches_keep_the_like_scan() {
        let q = AttendeeQuery { search: " An ".into(), ..Default::default() };
        let w = filter(&q, trigram_searchable(&q.search));
        assert_eq!(w.params.len(), 2, "LIKE only");
        assert!(!w.sql().contains("MATCH"), "{}", w.sql());
    }

    #[test]
    fn common_and_rare_searches_find_the_same_attendees() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("common.db"));
        let conn = &store.conn;
        // 21 000 "Ana" (common, sorting first), 3 000 "Zed" (common, sorting past the walk) and
        // a few "Zoë" (rare).
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
        assert!(!rare(conn, "ana").unwrap() && !rare(conn, "zed").unwrap() && rare(conn, "zoë").unwrap());
        for text in ["ana", "zed", "zoë", "p21", "nobody"] {
            let q = |page| AttendeeQuery { search: text.into(), page };
            let exact = count(conn, &q(Page::default())).unwrap();
            for offset in [0, 3, 500, 2_990, 20_990] {
                let page = Page::new(offset, 10);
                let w = filter(&q(page), true);
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

    #[test]
    fn a_walk_past_its_budget_gives_way_and_leaves_the_connection_usable() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("budget.db"));
        let conn = &store.conn;
        let count_to = |n: i64| {
            let sql = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) SELECT count(*) FROM c";
            within_budget(conn, || conn.query_row(sql, [n], |r| r.get::<_, i64>(0)))
        };
        assert_eq!(count_to(100).unwrap(), Some(100));
        assert_eq!(count_to(10_000_000).unwrap(), None, "interrupted, not an error");
        let after: i64 = store.conn.query_row("SELECT count(*) FROM attendees", [], |r| r.get(0)).unwrap();
        assert_eq!(after, 0, "the handler is gone: a long query afterwards runs to the end");
        let long: i64 = store
            .conn
            .query_row("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000) SELECT count(*) FROM c", [], |r| r.get(0))
            .unwrap();
        assert_eq!(long, 1_000_000);
    }
}
