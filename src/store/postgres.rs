//! The PostgreSQL engine: connection URL, connecting, migrations, and mapping the server's
//! errors to the domain's. Engine-specific strengths (`lock_timeout`, `SELECT ... FOR UPDATE`,
//! LISTEN/NOTIFY) stay in here.

#![allow(dead_code)] // wired into Store by the engine seam

mod config;
mod connect;
mod error;
mod guards;
mod migrate;
mod pgpass;
mod tls;

#[cfg(test)]
#[path = "../../tests/support/pg.rs"]
mod test_pg;

#[allow(unused_imports)] // Location names these once the seam wires PostgreSQL in
pub use config::{Host, PgConfig, SslMode, is_url};
