//! PostgreSQL for the tests: a fresh, uniquely named database per test, dropped afterwards.
//!
//! `EVENTDESK_TEST_PG` holds an admin URL for a role with CREATEDB (never a superuser). When it
//! is unset the PostgreSQL tests skip, so a newcomer's plain `cargo test` passes without a
//! server; under `CI=true` a missing variable fails the test instead, so CI cannot pass by
//! skipping. Also compiled into the library's own tests (`#[path]`), so it uses no test crate.

// Shared by several test crates; each uses a part.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

/// The variable that points the tests at a server.
pub const VAR: &str = "EVENTDESK_TEST_PG";

/// The admin URL, or `None` to skip; panics under CI=true when it is missing.
pub fn admin_url() -> Option<String> {
    match std::env::var(VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{VAR} is not set: under CI=true the PostgreSQL tests must run, not skip")
        }
        _ => None,
    }
}

/// Says, once per test binary that calls it, that the PostgreSQL half did not run. Written to
/// the real stderr (not `eprintln!`, which the test harness captures) so a person sees it.
pub fn say_if_skipped() {
    if admin_url().is_none() {
        // One write, so the line does not interleave with the harness's own output.
        let line = format!("\nPostgreSQL tests skipped: set {VAR}\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// A database made for one test; dropped (with its sessions) when this goes out of scope.
pub struct TestDb {
    admin: String,
    pub name: String,
    /// The admin URL pointed at this database: what `--db` / `Store::open` take.
    pub url: String,
}

static SEQUENCE: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// A new empty database, or `None` when the PostgreSQL tests are skipped.
    pub fn create(label: &str) -> Option<TestDb> {
        let admin = admin_url()?;
        let label: String =
            label.chars().filter(char::is_ascii_alphanumeric).take(24).collect::<String>().to_lowercase();
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let name = format!("eventdesk_test_{}_{n}_{label}", std::process::id());
        let mut client = connect(&admin);
        client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap_or_else(|e| {
            panic!("cannot create the test database {name} ({e}); does the role in {VAR} have CREATEDB?")
        });
        let url = with_database(&admin, &name);
        Some(TestDb { admin, name, url })
    }

    /// A plain session on this database, for raw SQL that bypasses the store.
    pub fn client(&self) -> Client {
        connect(&self.url)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Best effort: a failed drop leaves a database behind, never a failed test.
        if let Ok(mut client) = self.admin.parse::<postgres::Config>().and_then(|c| c.connect(NoTls)) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A session for `url`; TLS is not needed on the test server's loopback.
pub fn connect(url: &str) -> Client {
    let config: postgres::Config = url.parse().unwrap_or_else(|e| panic!("{VAR} is not a valid URL: {e}"));
    config.connect(NoTls).unwrap_or_else(|e| panic!("cannot connect with {VAR}: {e}"))
}

/// `url` with its database (the path) replaced by `name`, query kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let authority_end = head[scheme_end..].find('/').map_or(head.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &head[..authority_end])
}
