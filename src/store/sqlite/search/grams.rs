//! An attendee search through the name-ordered postings of migrations 007 and 011: the
//! postings of one of the search's grams, walked in the list's order and checked with the real
//! LIKE, plus (from three characters on) the few attendees whose email alone matches. A page
//! stops after its rows, wherever in the alphabet the matches sort, so a common name costs what
//! a rare one does, and a search of one letter what a search of five does.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::model::Result;
use crate::store::query::{Plan, gram_candidates};
use crate::store::sqlite::sql::{after_row, contains_pattern, fts_phrase, reversed};
use crate::store::{Page, searches_emails};

/// Attendee lists run by name (the postings' key after the gram).
pub(super) const ORDER: &str = "name COLLATE NOCASE, id";

/// The same order as the postings' key reads it: their `name` is NOCASE already, and the
/// row value without a COLLATE is what lets a keyset page seek into the key (with one it
/// walks the gram's postings from the start).
const POSTINGS_ORDER: &str = "name, id";

/// The longest gram the postings hold: a longer search walks the postings of its rarest one.
const LONGEST: usize = 3;

/// Postings counted per gram, at most, when choosing the rarest: enough to tell a rare gram
/// from a common one, few enough that choosing costs the same at any size.
const RARITY_CAP: i64 = 1_000;

/// Every gram the postings hold for the text `expr` (each substring of 1 to 3 characters, as
/// the triggers of migration 011 build them), as a FROM list, the gram, and the condition that
/// keeps a gram inside the text: `SELECT {gram} FROM {from} WHERE {fits}`.
pub(in crate::store::sqlite) struct NameGrams {
    pub from: String,
    pub gram: String,
    pub fits: String,
}

pub(in crate::store::sqlite) fn name_grams(expr: &str) -> NameGrams {
    NameGrams {
        from: format!(
            "json_each('[' || rtrim(replace(hex(zeroblob(coalesce(length({expr}), 0))), '00', '0,'), ',') || ']') g, \
             json_each('[1,2,3]') n"
        ),
        gram: format!("substr({expr}, g.key + 1, n.value)"),
        fits: format!("g.key + n.value <= length({expr})"),
    }
}

/// The search as the postings hold text: a NUL (which no name holds) becomes the stand-in
/// `contains_pattern` uses, so it finds no posting instead of cutting the text short.
fn searched(text: &str) -> String {
    text.chars().map(|c| if c == '\0' { '\u{1}' } else { c }).collect()
}

/// The gram whose postings a search of `text` (folded) walks: the text itself when it is no
/// longer than a gram, else its rarest 3-character gram (`rarest`). None for an empty text.
fn walked_gram(conn: &Connection, text: &str) -> Result<Option<String>> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() <= LONGEST {
        return Ok(Some(text.to_string()));
    }
    rarest(conn, text)
}

/// The candidate gram (`gram_candidates`) with the fewest postings, counted up to
/// `RARITY_CAP` each; ties go by the gram.
fn rarest(conn: &Connection, text: &str) -> Result<Option<String>> {
    let candidates = serde_json::to_string(&gram_candidates(text)).unwrap_or_else(|_| "[]".into());
    let sql = "SELECT g.value FROM json_each(?1) g
                ORDER BY (SELECT count(*) FROM (SELECT 1 FROM attendees_search_grams p
                                                 WHERE p.gram = g.value LIMIT ?2)), g.value
                LIMIT 1";
    let gram = conn.prepare_cached(sql)?.query_row(rusqlite::params![candidates, RARITY_CAP], |r| r.get(0));
    Ok(gram.optional()?)
}

/// The disjoint parts of the matches of `text`: the attendees whose name matches (the
/// postings of `gram`, each checked on the posting's own name_fold; merged attendees have
/// none), and from three characters on those whose email alone does (the email index's
/// candidates, checked); each ends in its WHERE clause, reads `id, name`, and comes with the
/// order its keyset condition compares in.
fn parts(text: &str, gram: &str) -> Vec<(String, Vec<Value>, &'static str)> {
    let p = contains_pattern(text);
    let names = (
        "SELECT id, name FROM attendees_search_grams WHERE gram = ? AND name_fold LIKE ? ESCAPE '\\'"
            .to_string(),
        vec![gram.to_string().into(), p.clone().into()],
        POSTINGS_ORDER,
    );
    if !searches_emails(text) {
        return vec![names];
    }
    let emails = (
        "SELECT id, name FROM attendees
          WHERE id IN (SELECT rowid FROM attendees_search_emails WHERE attendees_search_emails MATCH ?)
            AND merged_into IS NULL AND email_canonical LIKE ? ESCAPE '\\'
            AND coalesce(name_fold, '') NOT LIKE ? ESCAPE '\\'"
            .to_string(),
        vec![fts_phrase(text).into(), p.clone().into(), p.into()],
        ORDER,
    );
    vec![names, emails]
}

/// The ids of one page of the attendees matching `text` (folded), in list order; None for an
/// empty text.
pub(super) fn page(conn: &Connection, text: &str, page: Page) -> Result<Option<Vec<i64>>> {
    let text = searched(text);
    let Some(gram) = walked_gram(conn, &text)? else { return Ok(None) };
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
    let g = name_grams("a.name_fold");
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO attendees_search_grams (gram, name, id, name_fold)
             SELECT {}, a.name, a.id, a.name_fold
               FROM attendees a, {} WHERE a.id >= ? AND a.merged_into IS NULL AND {}
              ORDER BY 1, 2 COLLATE NOCASE, 3",
            g.gram, g.from, g.fits
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

/// The statement of one page: each part after the plan's seek row, merged in list order
/// (SQLite merges the ordered parts and stops at the LIMIT).
fn page_sql(text: &str, gram: &str, plan: Plan) -> (String, Vec<Value>) {
    let read = |order: &str| if plan.reverse { reversed(order) } else { order.to_string() };
    let mut params = Vec::new();
    let mut selects = Vec::new();
    for (select, part, key) in parts(text, gram) {
        params.extend(part);
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

/// How many attendees match `text` (folded), up to `cap + 1`; None for an empty text.
pub(super) fn count_upto(conn: &Connection, text: &str, cap: u64) -> Result<Option<u64>> {
    let text = searched(text);
    let Some(gram) = walked_gram(conn, &text)? else { return Ok(None) };
    let mut params = Vec::new();
    let mut selects = Vec::new();
    for (select, part, _) in parts(&text, &gram) {
        selects.push(select);
        params.extend(part);
    }
    params.push(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX).into());
    let sql = format!("SELECT count(*) FROM ({} LIMIT ?)", selects.join(" UNION ALL "));
    let n: i64 = conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
    Ok(Some(u64::try_from(n).unwrap_or(0)))
}

/// How many attendees' names hold `text` (folded, one or two characters: a gram), exactly: its
/// postings, counted in the index.
pub(super) fn count_gram(conn: &Connection, text: &str) -> Result<u64> {
    let text = searched(text);
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM attendees_search_grams WHERE gram = ?")?
        .query_row([text], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::Sqlite;

    /// The steps SQLite plans for a page of `text` walking `gram` on a freshly migrated file.
    fn plan_of(text: &str, gram: &str, page: Page) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("plan.db"), &Default::default()).unwrap();
        let (sql, params) = page_sql(text, gram, page.plan());
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    fn plan(page: Page) -> Vec<String> {
        plan_of("priya", "pri", page)
    }

    /// A first page, a page from the end, and a page that seeks from a row.
    fn pages() -> [Page; 3] {
        [Page::new(0, 10), Page::new(0, 10).from_end(), Page::new(0, 10).seeking(crate::store::Seek::From(7))]
    }

    /// Whether the plan walks the postings by their key, from the seek row when the page seeks.
    fn walks_postings(steps: &[String], page: Page) -> bool {
        let walk = if page.seek.is_some() { "(gram=? AND name>?)" } else { "(gram=?)" };
        let step = format!("SEARCH attendees_search_grams USING PRIMARY KEY {walk}");
        steps.iter().any(|s| s.contains(&step))
    }

    #[test]
    fn a_page_walks_the_postings_in_order_and_merges_the_email_matches() {
        for page in pages() {
            let steps = plan(page);
            assert!(steps.iter().any(|s| s.starts_with("MERGE")), "{page:?}: {steps:?}");
            assert!(walks_postings(&steps, page), "{page:?}: {steps:?}");
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
    fn a_short_search_walks_its_own_postings_alone() {
        for page in pages() {
            let steps = plan_of("pr", "pr", page);
            assert!(walks_postings(&steps, page), "{page:?}: {steps:?}");
            assert!(!steps.iter().any(|s| s.contains("TEMP B-TREE")), "nothing sorted: {page:?}: {steps:?}");
            assert!(!steps.iter().any(|s| s.contains("attendees_search_emails")), "names only: {steps:?}");
        }
    }

    #[test]
    fn a_search_no_longer_than_a_gram_walks_itself() {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("own.db"), &Default::default()).unwrap();
        assert_eq!(walked_gram(&store.conn, "").unwrap(), None);
        assert_eq!(walked_gram(&store.conn, "é").unwrap().as_deref(), Some("é"));
        assert_eq!(walked_gram(&store.conn, "an").unwrap().as_deref(), Some("an"));
        assert_eq!(walked_gram(&store.conn, "ana").unwrap().as_deref(), Some("ana"));
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
        assert_eq!(rarest(&store.conn, "an").unwrap(), None, "no 3-character gram in 2 characters");
        assert_eq!(rarest(&store.conn, "zzzana").unwrap().as_deref(), Some("zan"), "ties go by the gram");
    }
}
