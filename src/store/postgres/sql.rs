//! SQL text for PostgreSQL built from the engine-neutral queries: WHERE clauses with numbered
//! parameters, LIKE patterns, reversed orders for pages read from the end.

use postgres::types::ToSql;

use crate::store::query::Plan;
pub(super) use crate::store::sql::{after_row, reversed};

/// One statement parameter, owned so a clause can be built up before the query runs.
pub(super) type Param = Box<dyn ToSql + Sync + Send>;

/// A `LIKE` pattern with ASCII letters folded to lower case, to be compared with
/// `nocase(column)`: exactly what SQLite's LIKE matches.
pub(super) fn contains_pattern(text: &str) -> String {
    crate::store::sql::contains_pattern(text, |c| c.to_ascii_lowercase())
}

/// A WHERE clause built from optional conditions, with its parameters in order.
#[derive(Default)]
pub(super) struct Where {
    clauses: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    /// Adds `clause`, whose `?` marks stand for `params` in order (numbered `$n` here).
    pub(super) fn add(&mut self, clause: &str, params: Vec<Param>) {
        let mut pieces = clause.split('?');
        let mut sql = pieces.next().unwrap_or_default().to_string();
        for (n, piece) in pieces.enumerate() {
            sql.push_str(&format!("${}{piece}", self.params.len() + n + 1));
        }
        debug_assert_eq!(clause.matches('?').count(), params.len(), "{clause}");
        self.params.extend(params);
        self.clauses.push(sql);
    }

    /// Appends the plan's LIMIT and OFFSET; returns their SQL.
    pub(super) fn page(&mut self, plan: Plan) -> String {
        let n = self.params.len();
        self.params.push(Box::new(i64::try_from(plan.limit).unwrap_or(i64::MAX)));
        self.params.push(Box::new(i64::try_from(plan.offset).unwrap_or(i64::MAX)));
        format!(" LIMIT ${} OFFSET ${}", n + 1, n + 2)
    }

    /// Appends one more parameter; returns its `$n`.
    pub(super) fn push(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    pub(super) fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    pub(super) fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect()
    }
}

/// A boxed parameter.
pub(super) fn p(value: impl ToSql + Sync + Send + 'static) -> Param {
    Box::new(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_clauses() {
        let mut w = Where::default();
        w.add("a = ?", vec![p(1i64)]);
        w.add("(b LIKE ? OR c LIKE ?)", vec![p("x".to_string()), p("y".to_string())]);
        let page = w.page(Plan { reverse: false, offset: 0, limit: 10, after: None, including: false });
        assert_eq!(w.sql(), " WHERE a = $1 AND (b LIKE $2 OR c LIKE $3)");
        assert_eq!(page, " LIMIT $4 OFFSET $5");
        assert_eq!(w.params().len(), 5);
    }

    #[test]
    fn patterns_fold_ascii_only_and_escape_wildcards() {
        assert_eq!(contains_pattern(" 50%_Off\\ "), "%50\\%\\_off\\\\%");
        assert_eq!(contains_pattern("ÉCOLE a\0b"), "%École a\u{1}b%");
    }
}
