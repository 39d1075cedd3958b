//! The conformance suite's two engines: a test written once against `&Db` runs on an SQLite
//! file and on a fresh PostgreSQL database.
//!
//! `on_both_engines!(name, ...)` turns each `fn name(db: &Db)` (with `Db` in scope) into a module `name` with the
//! tests `name::sqlite` and `name::postgres`. The PostgreSQL one needs `EVENTDESK_TEST_PG`
//! (see `pg.rs`): without it it passes after saying once that it skipped, and under `CI=true`
//! it fails.

// Shared by several test crates; each uses a part.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Once;

use eventdesk::store::{Location, OpenOptions, Store};
use tempfile::TempDir;

#[path = "pg.rs"]
pub mod pg;

/// An empty database of one engine, removed when dropped.
pub struct Db {
    pub location: Location,
    _file: Option<TempDir>,
    _server: Option<pg::TestDb>,
}

impl Db {
    /// A path in a new temporary folder; the store creates the file.
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = Location::Sqlite(dir.path().join("conformance.db"));
        Db { location, _file: Some(dir), _server: None }
    }

    /// A new database on the test server, or None when the PostgreSQL half is skipped.
    pub fn postgres(label: &str) -> Option<Db> {
        let Some(server) = pg::TestDb::create(label) else {
            skipped();
            return None;
        };
        Some(Db { location: Location::parse(&server.url), _file: None, _server: Some(server) })
    }

    pub fn is_postgres(&self) -> bool {
        self.location.is_postgres()
    }

    pub fn open(&self, options: OpenOptions) -> Store {
        Store::open_with(&self.location, options).unwrap_or_else(|e| panic!("open {}: {e}", self.location))
    }

    /// `SELECT count(*) ...` (or any one-integer query) on the raw database, bypassing the store.
    pub fn count(&self, sql: &str) -> i64 {
        count(&self.location, sql)
    }

    /// Runs raw SQL statements on the database, bypassing the store.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        execute(&self.location, sql)
    }
}

/// A one-integer query on the raw database at `location`.
pub fn count(location: &Location, sql: &str) -> i64 {
    match location {
        Location::Postgres(url) => int(&pg::connect(url).query_one(sql, &[]).expect("count query"), 0),
        Location::Sqlite(path) => {
            rusqlite::Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).expect("count query")
        }
    }
}

/// An integer column of either width: PostgreSQL types a literal like `0` as a 4-byte
/// integer, `count(*)` and the tables' columns as 8-byte ones.
fn int(row: &postgres::Row, i: usize) -> i64 {
    row.try_get::<_, i64>(i).or_else(|_| row.try_get::<_, i32>(i).map(i64::from)).expect("an integer column")
}

/// A one-text query on the raw database at `location`.
pub fn text(location: &Location, sql: &str) -> String {
    match location {
        Location::Postgres(url) => pg::connect(url).query_one(sql, &[]).expect("text query").get(0),
        Location::Sqlite(path) => {
            rusqlite::Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).expect("text query")
        }
    }
}

/// Rows of two integers from the raw database at `location`.
pub fn pairs(location: &Location, sql: &str) -> Vec<(i64, i64)> {
    match location {
        Location::Postgres(url) => {
            let rows = pg::connect(url).query(sql, &[]).expect("pairs query");
            rows.iter().map(|r| (int(r, 0), int(r, 1))).collect()
        }
        Location::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut stmt = conn.prepare(sql).expect("pairs query");
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("pairs query");
            rows.collect::<Result<_, _>>().expect("pairs rows")
        }
    }
}

/// What `--db` or `EVENTDESK_DB` takes for `location` (the whole URL, password included).
pub fn arg(location: &Location) -> String {
    match location {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => url.clone(),
    }
}

/// Raw SQL statements on the database at `location`, bypassing the store.
pub fn execute(location: &Location, sql: &str) -> Result<(), String> {
    match location {
        // The server's own message: the error's Display says only "db error".
        Location::Postgres(url) => pg::connect(url)
            .batch_execute(sql)
            .map_err(|e| e.as_db_error().map_or_else(|| e.to_string(), |db| db.message().to_string())),
        Location::Sqlite(path) => {
            rusqlite::Connection::open(path).unwrap().execute_batch(sql).map_err(|e| e.to_string())
        }
    }
}

/// Says once per test binary that the PostgreSQL half did not run.
fn skipped() {
    static SAID: Once = Once::new();
    SAID.call_once(pg::say_if_skipped);
}

/// One module per test function, with the function run on each engine.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&super::Db::sqlite());
                }

                #[test]
                fn postgres() {
                    if let Some(db) = super::Db::postgres(stringify!($name)) {
                        super::$name(&db);
                    }
                }
            }
        )*
    };
}
