//! One session's statements: each distinct SQL text is prepared once per connection and then
//! run by name, so a statement costs one round trip instead of two (parse, then execute).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{GenericClient, Row, Statement};

use super::rows::Fetched;

/// Prepared statements of one connection, by SQL text. A new connection starts a new cache:
/// a statement belongs to the session that prepared it.
#[derive(Default)]
pub(super) struct Cache(HashMap<String, Statement>);

/// Enough for every fixed statement and the filter combinations of the lists; past it the
/// cache starts over rather than grow without bound.
const CACHE_LIMIT: usize = 512;

pub(super) type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// A client (a session or an open transaction) with its statement cache.
pub(super) struct Db<'a, C: GenericClient> {
    pub client: &'a mut C,
    pub cache: &'a mut Cache,
}

impl<C: GenericClient> Db<'_, C> {
    fn statement(&mut self, sql: &str) -> Fetched<Statement> {
        if let Some(stmt) = self.cache.0.get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.prepare(sql)?;
        if self.cache.0.len() >= CACHE_LIMIT {
            self.cache.0.clear();
        }
        self.cache.0.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(super) fn rows<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        map: fn(&Row) -> Fetched<T>,
    ) -> Fetched<Vec<T>> {
        let stmt = self.statement(sql)?;
        self.client.query(&stmt, params)?.iter().map(map).collect()
    }

    pub(super) fn opt<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        map: fn(&Row) -> Fetched<T>,
    ) -> Fetched<Option<T>> {
        let stmt = self.statement(sql)?;
        self.client.query_opt(&stmt, params)?.as_ref().map(map).transpose()
    }

    pub(super) fn one<T>(
        &mut self,
        sql: &str,
        params: Params<'_>,
        map: fn(&Row) -> Fetched<T>,
    ) -> Fetched<T> {
        let stmt = self.statement(sql)?;
        map(&self.client.query_one(&stmt, params)?)
    }

    pub(super) fn exec(&mut self, sql: &str, params: Params<'_>) -> Fetched<u64> {
        let stmt = self.statement(sql)?;
        self.client.execute(&stmt, params)
    }
}
