//! A search of 3+ characters through migration 005's name-ordered postings, as on SQLite
//! (`store/sqlite/search/grams.rs`): the postings of the rarest gram walked in list order and
//! checked with the real LIKE, merged with the attendees whose email alone matches (found by
//! the email trigram index of 004). Each half is read to at most the page's end, so a page
//! costs the same wherever in the alphabet its matches sort.

use postgres::GenericClient;

use crate::store::Page;
use crate::store::postgres::db::Db;
use crate::store::postgres::rows::{self, Fetched};
use crate::store::postgres::sql::{Param, after_row, contains_pattern, p, reversed};

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
pub(super) const ORDER: &str = "nocase(name) COLLATE \"C\", id";

/// Postings counted per gram, at most, when choosing the rarest.
const RARITY_CAP: i64 = 1_000;

/// PostgreSQL text cannot hold a NUL: the stand-in `contains_pattern` uses, which no name holds.
fn searched(text: &str) -> String {
    text.chars().map(|c| if c == '\0' { '\u{1}' } else { c }).collect()
}

/// The gram of `text` with the fewest postings (counted up to `RARITY_CAP`); None for a text
/// shorter than 3 characters.
fn rarest<C: GenericClient>(db: &mut Db<'_, C>, text: &str) -> Fetched<Option<String>> {
    let sql = "SELECT g FROM attendee_grams($1) AS g
                ORDER BY (SELECT count(*) FROM (SELECT 1 FROM attendees_search_grams p
                                                 WHERE p.gram = g LIMIT $2) c), g
                LIMIT 1";
    let text = text.to_string();
    db.opt(sql, &[&text, &RARITY_CAP], |r| r.try_get(0))
}

/// The statement text of both halves, each with its `?` marks numbered from `params`, each
/// ending in its WHERE clause and reading `id, name`.
struct Halves {
    names: String,
    emails: String,
    params: Vec<Param>,
}

impl Halves {
    fn new(text: &str, gram: String) -> Halves {
        let pattern = contains_pattern(text);
        let params: Vec<Param> = vec![p(gram), p(pattern.clone()), p(pattern.clone()), p(pattern)];
        Halves {
            names: "SELECT id, name FROM attendees_search_grams WHERE gram = $1 AND name_fold LIKE $2".into(),
            emails: "SELECT id, name FROM emails".into(),
            params,
        }
    }

    /// The email half's candidates, materialized so the planner asks the email trigram index
    /// for them rather than walking the name index.
    const EMAILS: &str = "WITH emails AS MATERIALIZED (
        SELECT id, name FROM attendees WHERE merged_into IS NULL AND email_canonical LIKE $3
           AND coalesce(name_fold, '') NOT LIKE $4)";

    fn push(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn refs(&self) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        self.params.iter().map(|p| &**p as &(dyn postgres::types::ToSql + Sync)).collect()
    }
}

/// The statement of one page and its parameters: each half after the seek row, in list order,
/// cut at the page's end, then the two merged.
fn page_sql(text: &str, gram: String, page: Page) -> (String, Halves) {
    let plan = page.plan();
    let order = if plan.reverse { reversed(ORDER) } else { ORDER.to_string() };
    let mut h = Halves::new(text, gram);
    let mut halves = [h.names.clone(), h.emails.clone()];
    if let Some(id) = plan.after {
        let mark = h.push(p(id));
        let key = after_row(&order, "attendees", plan.including).replace('?', &mark);
        halves[0] = format!("{} AND {key}", halves[0]);
        halves[1] = format!("{} WHERE {key}", halves[1]);
    }
    let end = h.push(p(i64::try_from(plan.offset.saturating_add(plan.limit)).unwrap_or(i64::MAX)));
    let limit = h.push(p(i64::try_from(plan.limit).unwrap_or(i64::MAX)));
    let offset = h.push(p(i64::try_from(plan.offset).unwrap_or(i64::MAX)));
    let [names, emails] = halves;
    let sql = format!(
        "{} SELECT id FROM (({names} ORDER BY {order} LIMIT {end}) UNION ALL
                            ({emails} ORDER BY {order} LIMIT {end})) m
          ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        Halves::EMAILS
    );
    (sql, h)
}

/// The ids of one page of the attendees matching `text` (folded, 3+ characters), in list
/// order; None when `text` has no gram.
pub(super) fn page<C: GenericClient>(
    db: &mut Db<'_, C>,
    text: &str,
    page: Page,
) -> Fetched<Option<Vec<i64>>> {
    let text = searched(text);
    let Some(gram) = rarest(db, &text)? else { return Ok(None) };
    let (sql, h) = page_sql(&text, gram, page);
    let mut ids = db.rows(&sql, &h.refs(), |r| r.try_get::<_, i64>(0))?;
    if page.plan().reverse {
        ids.reverse();
    }
    Ok(Some(ids))
}

/// How many attendees match `text` (folded, 3+ characters), up to `cap + 1`; None when
/// `text` has no gram.
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, text: &str, cap: u64) -> Fetched<Option<u64>> {
    let text = searched(text);
    let Some(gram) = rarest(db, &text)? else { return Ok(None) };
    let mut h = Halves::new(&text, gram);
    let enough = h.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let sql = format!(
        "{} SELECT count(*) FROM (({} LIMIT {enough}) UNION ALL ({} LIMIT {enough}) LIMIT {enough}) m",
        Halves::EMAILS,
        h.names,
        h.emails
    );
    Ok(Some(db.one(&sql, &h.refs(), rows::count_of)?))
}
