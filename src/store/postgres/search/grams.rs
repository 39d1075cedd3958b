//! An attendee search through the name-ordered postings of migrations 005 and 007, as on
//! SQLite (`store/sqlite/search/grams.rs`): the postings of one of the search's grams walked in
//! list order and checked with the real LIKE, merged (from three characters on) with the
//! attendees whose email alone matches (found by the email trigram index of 004). Each part is
//! read to at most the page's end, so a page costs the same wherever in the alphabet its
//! matches sort, and a search of one letter what a search of five does.

use postgres::GenericClient;

use crate::model::Attendee;
use crate::store::postgres::db::Db;
use crate::store::postgres::rows::{self, ATTENDEE_COLUMNS, Fetched};
use crate::store::postgres::sql::{Param, after_row, contains_pattern, p, reversed};
use crate::store::query::gram_candidates;
use crate::store::{Page, searches_emails};

/// Attendee lists run by name, compared as SQLite's NOCASE compares (byte order).
pub(super) const ORDER: &str = "nocase(name) COLLATE \"C\", id";

/// Postings counted per gram, at most, when choosing the rarest.
const RARITY_CAP: i64 = 1_000;

/// The longest gram the postings hold: a longer search walks the postings of its rarest one.
const LONGEST: usize = 3;

/// PostgreSQL text cannot hold a NUL: the stand-in `contains_pattern` uses, which no name holds.
fn searched(text: &str) -> String {
    text.chars().map(|c| if c == '\0' { '\u{1}' } else { c }).collect()
}

/// The gram whose postings a search of `text` walks: the text itself when it is no longer than
/// a gram, else the candidate gram (`gram_candidates`) with the fewest postings (counted up to
/// `RARITY_CAP`; ties go by the gram, in byte order as on SQLite).
/// None for an empty text.
fn walked_gram<C: GenericClient>(db: &mut Db<'_, C>, text: &str) -> Fetched<Option<String>> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() <= LONGEST {
        return Ok(Some(text.to_string()));
    }
    let sql = "SELECT g FROM unnest($1::text[]) AS g
                ORDER BY (SELECT count(*) FROM (SELECT 1 FROM attendees_search_grams p
                                                 WHERE p.gram = g LIMIT $2) c), g COLLATE \"C\"
                LIMIT 1";
    let candidates = gram_candidates(text);
    db.opt(sql, &[&candidates, &RARITY_CAP], |r| r.try_get(0))
}

/// The statement text of the parts, each with its `?` marks numbered from `params`, each
/// ending in its WHERE clause and reading `id, name`: the names, and from three characters on
/// the emails (from the `EMAILS` CTE).
struct Parts {
    names: String,
    emails: Option<String>,
    params: Vec<Param>,
}

impl Parts {
    fn new(text: &str, gram: String) -> Parts {
        let pattern = contains_pattern(text);
        let names =
            "SELECT id, name FROM attendees_search_grams WHERE gram = $1 AND name_fold LIKE $2".into();
        if !searches_emails(text) {
            return Parts { names, emails: None, params: vec![p(gram), p(pattern)] };
        }
        Parts {
            names,
            emails: Some("SELECT id, name FROM emails".into()),
            params: vec![p(gram), p(pattern.clone()), p(pattern.clone()), p(pattern)],
        }
    }

    /// The email part's candidates, materialized so the planner asks the email trigram index
    /// for them rather than walking the name index.
    const EMAILS: &str = "WITH emails AS MATERIALIZED (
        SELECT id, name FROM attendees WHERE merged_into IS NULL AND email_canonical LIKE $3
           AND coalesce(name_fold, '') NOT LIKE $4)";

    /// The statement's opening: the email CTE when there is an email part.
    fn with(&self) -> &'static str {
        if self.emails.is_some() { Parts::EMAILS } else { "" }
    }

    fn push(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn refs(&self) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        self.params.iter().map(|p| &**p as &(dyn postgres::types::ToSql + Sync)).collect()
    }
}

/// The statement of one page and its parameters: each part after the seek row, in list
/// order, cut at the page's end, then the parts merged.
fn page_sql(text: &str, gram: String, page: Page) -> (String, Parts) {
    let plan = page.plan();
    let order = if plan.reverse { reversed(ORDER) } else { ORDER.to_string() };
    let mut h = Parts::new(text, gram);
    let mut names = h.names.clone();
    let mut emails = h.emails.clone();
    if let Some(id) = plan.after {
        let mark = h.push(p(id));
        let key = after_row(&order, "attendees", plan.including).replace('?', &mark);
        names = format!("{names} AND {key}");
        emails = emails.map(|e| format!("{e} WHERE {key}"));
    }
    let end = h.push(p(i64::try_from(plan.offset.saturating_add(plan.limit)).unwrap_or(i64::MAX)));
    let limit = h.push(p(i64::try_from(plan.limit).unwrap_or(i64::MAX)));
    let offset = h.push(p(i64::try_from(plan.offset).unwrap_or(i64::MAX)));
    let parts: Vec<String> = std::iter::once(names)
        .chain(emails)
        .map(|part| format!("({part} ORDER BY {order} LIMIT {end})"))
        .collect();
    // The page's attendees are read in the same statement: one round trip, not one per row.
    let sql = format!(
        "{} SELECT {ATTENDEE_COLUMNS} JOIN (SELECT id FROM ({}) m ORDER BY {order} LIMIT {limit} OFFSET {offset}) \
         page USING (id) ORDER BY {order}",
        h.with(),
        parts.join(" UNION ALL ")
    );
    (sql, h)
}

/// One page of the attendees matching `text` (folded), in list order; None for an empty text.
pub(super) fn page<C: GenericClient>(
    db: &mut Db<'_, C>,
    text: &str,
    page: Page,
) -> Fetched<Option<Vec<Attendee>>> {
    let text = searched(text);
    let Some(gram) = walked_gram(db, &text)? else { return Ok(None) };
    let (sql, h) = page_sql(&text, gram, page);
    let mut found = db.rows(&sql, &h.refs(), rows::attendee)?;
    if page.plan().reverse {
        found.reverse();
    }
    Ok(Some(found))
}

/// How many attendees match `text` (folded), up to `cap + 1`; None for an empty text.
pub(super) fn count_upto<C: GenericClient>(db: &mut Db<'_, C>, text: &str, cap: u64) -> Fetched<Option<u64>> {
    let text = searched(text);
    let Some(gram) = walked_gram(db, &text)? else { return Ok(None) };
    let mut h = Parts::new(&text, gram);
    let enough = h.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let parts: Vec<String> =
        std::iter::once(&h.names).chain(&h.emails).map(|part| format!("({part} LIMIT {enough})")).collect();
    let sql = format!(
        "{} SELECT count(*) FROM (SELECT 1 FROM ({}) u LIMIT {enough}) m",
        h.with(),
        parts.join(" UNION ALL ")
    );
    Ok(Some(db.one(&sql, &h.refs(), rows::count_of)?))
}

/// How many attendees' names hold `text` (folded, one or two characters: a gram), exactly: its
/// postings, counted in the index.
pub(super) fn count_gram<C: GenericClient>(db: &mut Db<'_, C>, text: &str) -> Fetched<u64> {
    let text = searched(text);
    db.one("SELECT count(*) FROM attendees_search_grams WHERE gram = $1", &[&text], rows::count_of)
}
