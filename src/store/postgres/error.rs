//! Turns the server's errors into the domain's: the schema's own refusals become the refusals
//! the rules give (through the guard table), lock waits, serialization failures and deadlocks
//! become Busy (the store retries those), a dropped connection is one line naming the server,
//! and nothing else leaks a bare SQLSTATE.

use std::error::Error as _;

use postgres::error::{DbError, SqlState};

use super::guards;
use crate::model::Error;

/// The domain error for `e`, met while talking to the server at `at` (host:port or socket).
pub fn map(e: &postgres::Error, at: &str) -> Error {
    match e.as_db_error() {
        Some(db) => map_server(db, at),
        None if e.is_closed() || is_io(e) => lost(at, &cause(e)),
        None => Error::Storage(format!("talking to the database server at {at}: {}", cause(e))),
    }
}

/// The one line for a connection that went away (server restarted, network cut).
pub fn lost(at: &str, cause: &str) -> Error {
    Error::Storage(format!("lost the connection to the database server at {at} ({cause}); try again"))
}

/// Why a transaction failed in a way that running it again may cure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    /// A lock wait ran out (`lock_timeout`): someone holds a lock for long.
    LockWait,
    /// The server aborted the transaction to keep others consistent: a serialization failure
    /// or a deadlock's victim. Over at once, so worth retrying quickly.
    Conflict,
    /// The session was gone before the transaction began (the server restarted, or dropped it
    /// while it sat idle): nothing of the write reached the server, so it can start over on a
    /// new session.
    Dropped,
}

/// Whether `e` says the session is gone (closed socket, or the server ending it).
pub fn dropped(e: &postgres::Error) -> bool {
    e.is_closed()
        || e.code().is_some_and(|c| {
            matches!(*c, SqlState::ADMIN_SHUTDOWN | SqlState::CRASH_SHUTDOWN | SqlState::CANNOT_CONNECT_NOW)
        })
        || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}

/// The transient failure a code stands for, if any.
pub fn transient(code: &SqlState) -> Option<Transient> {
    match *code {
        SqlState::LOCK_NOT_AVAILABLE => Some(Transient::LockWait),
        SqlState::T_R_SERIALIZATION_FAILURE | SqlState::T_R_DEADLOCK_DETECTED => Some(Transient::Conflict),
        _ => None,
    }
}

fn map_server(db: &DbError, at: &str) -> Error {
    let code = db.code();
    if transient(code).is_some() {
        return Error::Busy;
    }
    if let Some(refusal) = guards::refusal(db) {
        return refusal.into();
    }
    let message = db.message();
    match *code {
        SqlState::ADMIN_SHUTDOWN
        | SqlState::CRASH_SHUTDOWN
        | SqlState::CANNOT_CONNECT_NOW
        | SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT => lost(at, message),
        SqlState::DISK_FULL => Error::Storage(format!(
            "the database server at {at} is out of disk space; free some space there and try again"
        )),
        SqlState::READ_ONLY_SQL_TRANSACTION => Error::Storage(format!(
            "the database server at {at} is read-only (a standby?); connect to the primary"
        )),
        SqlState::INSUFFICIENT_PRIVILEGE => Error::Storage(format!(
            "the database refused access ({message}); connect as the database's owner"
        )),
        _ if code.code().starts_with("23") => Error::Storage(format!("refused by the database: {message}")),
        _ => Error::Storage(format!("the database server at {at} reported: {message}")),
    }
}

fn is_io(e: &postgres::Error) -> bool {
    e.source().is_some_and(|s| s.is::<std::io::Error>())
}

/// The error with its cause, as one line.
fn cause(e: &postgres::Error) -> String {
    match e.source() {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
