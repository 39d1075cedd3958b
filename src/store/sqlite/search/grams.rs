//! A search of 3+ characters through migration 007's name-ordered postings: the postings of
//! the search's rarest gram, walked in the list's order and checked with the real LIKE, plus
//! the few attendees whose email alone matches. A page stops after its rows, wherever in the
//! alphabet the matches sort, so a common name costs what a rare one does.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::model::Result;
use crate::store::Page;
use crate::store::query::Plan;
use crate::store::sqlite::sql::{after_row, contains_pattern, fts_phrase, reversed};

/// Attendee lists run by name (the postings' key after the gram).
pub(super) const ORDER: &str = "name COLLATE NOCASE, id";

/// The same order as the postings' key reads it: their `name` is NOCASE already, and the
/// row value without a COLLATE is what lets a keyset page seek into the key (with one it
/// walks the gram's postings from the start).
const POSTINGS_ORDER: &str = "name, id";

/// Postings counted per gram, at most, when choosing the rarest: enough to tell a rare gram
/// from a common one, few enough that choosing costs the same at any size.
const RARITY_CAP: i64 = 1_000;

/// The positions 0 .. length - 3 of the text `expr` as the rows of a `json_each` (the same
/// series the triggers of migration 007 build).
fn positions(expr: &str) -> String {
    format!(
        "json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length({expr}), 0) - 2, 0))), '00', '0,'), ',') || ']')"
    )
}

/// The search as the postings hold text: a NUL (which no name holds) becomes the stand-in
/// `contains_pattern` uses, so it finds no posting instead of cutting the text short.
fn searched(text: &str) -> String {
    text.chars().map(|c| if c == '\0' { '\u{1}' } else { c }).collect()
}

/// The gram of `text` (folded, 3+ characters) with the fewest postings, counted up to
/// `RARITY_CAP` each.
fn rarest(conn: &Connection, text: &str) -> Result<Option<String>> {
    let sql = format!(
        "SELECT g.gram FROM (SELECT DISTINCT substr(?1, s.key + 1, 3) AS gram FROM {} s) g
          ORDER BY (SELECT count(*) FROM (SELECT 1 FROM attendees_search_grams p
                                           WHERE p.gram = g.gram LIMIT ?2)), g.gram
          LIMIT 1",
        positions("?1")
    );
    let gram = conn.prepare_cached(&sql)?.query_row(rusqlite::params![text, RARITY_CAP], |r| r.get(0));
    Ok(gram.optional()?)
}

/// The two disjoint halves of the matches of `text`: the attendees whose name matches (the
/// postings of `gram`, each checked on the posting's own name_fold; merged attendees have
/// none), and those whose email alone does (the email index's
/// candidates, checked); each ends in its WHERE clause, reads `id, name`, and comes with the
/// order its keyset condition compares in.
fn halves(text: &str, gram: &str) -> [(String, Vec<Value>, &'static str); 2] {
    let p = contains_pattern(text);
    let names = (
        "SELECT id, name FROM attendees_search_grams WHERE gram = ? AND name_fold LIKE ? ESCAPE '\\'"
            .to_string(),
        vec![gram.to_string().into(), p.clone().into()],
        POSTINGS_ORDER,
    );
    let emails = (
        "SELECT id, name FROM attendees
          WHERE id IN (SELECT rowid FROM attendees_search_emails WHERE attendees_search_emails MATCH ?)
            AND merged_into IS NULL AND email_canonical LIKE ? ESCAPE '\\'
            AND coalesce(name_fold, '') NOT LIKE ? ESCAPE '\\'"
            .to_string(),
        vec![fts_phrase(text).into(), p.clone().into(), p.into()],
        ORDER,
    );
    [names, emails]
}

/// The ids of one page of the attendees matching `text` (folded, 3+ characters), in list
/// order; None when `text` has no gram (shorter than 3 characters).
pub(super) fn page(conn: &Connection, text: &str, page: Page) -> Result<Option<Vec<i64>>> {
    let text = searched(text);
    let Some(gram) = rarest(conn, &text)? else { return Ok(None) };
    let plan = page.plan();
    let (sql, params) = page_sql(&text, &gram, plan);
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
    let mut ids = ids.collect::<rusqlite::Result<Vec<i64>>>()?;
    if plan.reverse {
        ids.reverse();
    }
    Ok(Some(ids))
}

/// Indexes the attendees from `first` on in the postings and the email index in one
/// statement each (the generator and `copy`, with the triggers dropped): the postings are
/// inserted sorted in the key's own order (NOCASE), which builds the b-tree from the left, and
/// a gram repeated in one name is dropped by OR IGNORE rather than by a DISTINCT, which sorted
/// the 8.4 M rows a second time and spilled to disk: 75 → 21 s at a million attendees.
pub(super) fn index_from(conn: &Connection, first: i64) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO attendees_search_grams (gram, name, id, name_fold)
             SELECT substr(a.name_fold, g.key + 1, 3), a.name, a.id, a.name_fold
               FROM attendees a, {} g WHERE a.id >= ? AND a.merged_into IS NULL
              ORDER BY 1, 2 COLLATE NOCASE, 3",
            positions("a.name_fold")
        ),
        [first],
    )?;
    conn.execute(
        "INSERT INTO attendees_search_emails (rowid, email_canonical)
         SELECT id, email_canonical FROM attendees WHERE id >= ?",
        [first],
    )?;
    Ok(())
}

/// The statement of one page: both halves, each after the plan's seek row, merged in list
/// order (SQLite merges the two ordered halves and stops at the LIMIT).
fn page_sql(text: &str, gram: &str, plan: Plan) -> (String, Vec<Value>) {
    let read = |order: &str| if plan.reverse { reversed(order) } else { order.to_string() };
    let mut params = Vec::new();
    let mut selects = Vec::new();
    for (select, half, key) in halves(text, gram) {
        params.extend(half);
        match plan.after {
            Some(id) => {
                params.push(id.into());
                selects.push(format!("{select} AND {}", after_row(&read(key), "attendees", plan.including)));
            }
            None => selects.push(select),
        }
    }
    params.push(i64::try_from(plan.limit).unwrap_or(i64::MAX).into());
    params.push(i64::try_from(plan.offset).unwrap_or(i64::MAX).into());
    let sql = format!("{} ORDER BY {} LIMIT ? OFFSET ?", selects.join(" UNION ALL "), read(ORDER));
    (sql, params)
}

/// How many attendees match `text` (folded, 3+ characters), up to `cap + 1`; None when
/// `text` has no gram.
pub(super) fn count_upto(conn: &Connection, text: &str, cap: u64) -> Result<Option<u64>> {
    let text = searched(text);
    let Some(gram) = rarest(conn, &text)? else { return Ok(None) };
    let [(names, mut params, _), (emails, more, _)] = halves(&text, &gram);
    params.extend(more);
    params.push(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX).into());
    let sql = format!("SELECT count(*) FROM ({names} UNION ALL {emails} LIMIT ?)");
    let n: i64 = conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
    Ok(Some(u64::try_from(n).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::Sqlite;

    /// The steps SQLite plans for a page of "priya" on a freshly migrated file.
    fn plan(page: Page) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("plan.db"), &Default::default()).unwrap();
        let (sql, params) = page_sql("priya", "pri", page.plan());
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn a_page_walks_the_postings_in_order_and_merges_the_email_matches() {
        for page in [
            Page::new(0, 10),
            Page::new(0, 10).from_end(),
            Page::new(0, 10).seeking(crate::store::Seek::From(7)),
        ] {
            let steps = plan(page);
            assert!(steps.iter().any(|s| s.starts_with("MERGE")), "{page:?}: {steps:?}");
            let walk = if page.seek.is_some() { "(gram=? AND name>?)" } else { "(gram=?)" };
            assert!(
                steps
                    .iter()
                    .any(|s| s.contains(&format!("SEARCH attendees_search_grams USING PRIMARY KEY {walk}"))),
                "{page:?}: {steps:?}"
            );
            assert!(
                steps.iter().any(|s| s.contains("attendees_search_emails VIRTUAL TABLE")),
                "{page:?}: {steps:?}"
            );
            // Only the email half (a few candidates) may be sorted; the postings are already in order.
            let sorts = steps.iter().filter(|s| s.contains("TEMP B-TREE")).count();
            assert_eq!(sorts, 1, "{page:?}: {steps:?}");
            assert!(
                !steps.iter().any(|s| s.starts_with("SCAN") && !s.contains("VIRTUAL TABLE")),
                "{page:?}: {steps:?}"
            );
        }
    }

    #[test]
    fn the_rarest_gram_is_chosen_by_its_postings() {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("rare.db"), &Default::default()).unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO attendees (name, email, created_at, updated_at, name_fold, email_canonical)
                 VALUES ('Anaïs', 'a@x.org', 0, 0, 'anaïs', 'a@x.org'), ('Ana', 'b@x.org', 0, 0, 'ana', 'b@x.org'),
                        ('Hana', 'c@x.org', 0, 0, 'hana', 'c@x.org');",
            )
            .unwrap();
        assert_eq!(rarest(&store.conn, "anaïs").unwrap().as_deref(), Some("aïs"));
        assert_eq!(rarest(&store.conn, "hana").unwrap().as_deref(), Some("han"));
        assert_eq!(rarest(&store.conn, "an").unwrap(), None, "no gram in 2 characters");
        assert_eq!(rarest(&store.conn, "zzzana").unwrap().as_deref(), Some("zan"), "ties go by the gram");
    }
}
