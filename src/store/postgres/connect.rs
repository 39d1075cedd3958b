//! Connecting to the server, with the session settings the store relies on, and one line per
//! way that can fail: what went wrong and what to check. The password is never part of it.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use super::config::{Host, PgConfig, SslMode};
use super::tls;
use crate::model::Error;

/// How long connecting may take when the URL sets no `connect_timeout`: libpq waits forever,
/// but a desk that hangs on start-up looks broken.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens one session. `lock_timeout` bounds every lock wait, as the busy timeout does on SQLite.
pub fn connect(config: &PgConfig, lock_timeout: Duration) -> Result<Client, Error> {
    let unusable = |message: String| Error::Unusable { location: config.redacted().to_string(), message };
    let settings = settings(config, lock_timeout);
    let outcome = match tls_mode(config) {
        SslMode::Disable => settings.connect(NoTls),
        SslMode::Prefer | SslMode::Require => {
            settings.connect(tls::unverified_connector().map_err(unusable)?)
        }
    };
    outcome.map_err(|e| unusable(explain(&e, config)))
}

/// The client settings, with the session's own settings sent in the startup packet so they
/// cost no extra round trip: lock waits bounded, times in UTC.
fn settings(config: &PgConfig, lock_timeout: Duration) -> postgres::Config {
    let mut c = postgres::Config::new();
    c.user(&config.user).dbname(&config.dbname).port(config.port);
    if let Some(password) = config.password() {
        c.password(password);
    }
    match &config.host {
        Host::Tcp(name) => c.host(name),
        Host::Socket(dir) => c.host_path(dir),
    };
    c.ssl_mode(match tls_mode(config) {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require => postgres::config::SslMode::Require,
    });
    c.application_name(config.application_name.as_deref().unwrap_or("eventdesk"));
    c.connect_timeout(config.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
    // At least 1 ms: lock_timeout = 0 would mean "wait forever".
    let millis = lock_timeout.as_millis().max(1);
    c.options(&format!("-c lock_timeout={millis} -c TimeZone=UTC"));
    c
}

/// The server never speaks TLS over a Unix socket, and libpq ignores `sslmode` there.
fn tls_mode(config: &PgConfig) -> SslMode {
    match config.host {
        Host::Socket(_) => SslMode::Disable,
        Host::Tcp(_) => config.sslmode,
    }
}

/// One line about a failed connection attempt, saying which failure and what to check.
pub fn explain(e: &postgres::Error, config: &PgConfig) -> String {
    let at = config.host_label();
    if let Some(db) = e.as_db_error() {
        return explain_server(db.code(), db.message(), config);
    }
    let top = e.to_string();
    if top.starts_with("error performing TLS handshake") {
        let cause = e.source().map(|s| s.to_string()).unwrap_or_default();
        return if cause.contains("does not support TLS") {
            format!(
                "the server at {at} does not offer TLS, but the URL says sslmode=require; enable ssl on the server or use sslmode=prefer"
            )
        } else {
            format!("the TLS handshake with {at} failed ({cause}); check the server's ssl settings")
        };
    }
    if top.contains("password missing") {
        return format!(
            "the server wants a password for user {}: put it in the URL, PGPASSWORD or ~/.pgpass",
            config.user
        );
    }
    if top.starts_with("timeout waiting for server") {
        return format!(
            "timed out connecting to {at}; check the host and port, and that no firewall drops the connection"
        );
    }
    match e.source().and_then(|s| s.downcast_ref::<io::Error>()) {
        Some(io) => explain_io(io, config),
        None => format!("cannot connect to {at}: {top}"),
    }
}

/// A refusal the server sent, e.g. a wrong password or a missing database.
fn explain_server(code: &SqlState, message: &str, config: &PgConfig) -> String {
    let (user, db, at) = (&config.user, &config.dbname, config.host_label());
    match *code {
        SqlState::INVALID_PASSWORD => format!(
            "wrong password for user {user} at {at}: check the password in the URL, PGPASSWORD or ~/.pgpass"
        ),
        SqlState::INVALID_CATALOG_NAME => format!(
            "the database {db} does not exist on {at}: create it (createdb -O {user} {db}) or fix the name in the URL"
        ),
        SqlState::INVALID_AUTHORIZATION_SPECIFICATION => format!(
            "the server at {at} refused user {user} ({message}); check the user name and the server's pg_hba.conf"
        ),
        SqlState::TOO_MANY_CONNECTIONS => {
            format!("the server at {at} has no free connections ({message}); try again")
        }
        SqlState::CANNOT_CONNECT_NOW => {
            format!("the server at {at} is starting up or shutting down; try again")
        }
        _ => format!("the server at {at} refused the connection: {message}"),
    }
}

/// A failure below PostgreSQL's protocol: no such host, nobody listening, no socket.
fn explain_io(io: &io::Error, config: &PgConfig) -> String {
    let at = config.host_label();
    match (io.kind(), &config.host) {
        (io::ErrorKind::ConnectionRefused, _) => {
            format!(
                "connection refused at {at}: check that PostgreSQL is running there and listens on port {}",
                config.port
            )
        }
        (io::ErrorKind::NotFound, Host::Socket(_)) => format!(
            "no PostgreSQL socket at {at}: check that the server is running and the socket directory and port are right"
        ),
        (io::ErrorKind::TimedOut, _) => format!("timed out connecting to {at}; check the host and port"),
        (io::ErrorKind::PermissionDenied, _) => format!("permission denied connecting to {at}"),
        (_, Host::Tcp(name)) if is_lookup_failure(io) => {
            format!("unknown host {name}: check the host name in the URL")
        }
        _ => format!("cannot connect to {at}: {io}"),
    }
}

/// The resolver's failure carries no kind of its own, only its message.
fn is_lookup_failure(io: &io::Error) -> bool {
    let text = io.to_string();
    text.contains("lookup") || text.contains("Name or service not known") || text.contains("resolve")
}

#[cfg(test)]
#[path = "connect_tests.rs"]
mod tests;
