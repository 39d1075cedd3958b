//! Where a store lives: an SQLite file, or a PostgreSQL server named by a libpq URL.

use std::fmt;
use std::path::{Path, PathBuf};

/// What `--db` and `EVENTDESK_DB` name. A `postgres://` or `postgresql://` URL is a server;
/// anything else is an SQLite file path.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// The URL as given; it may hold a password, so it is only ever shown redacted.
    Postgres(String),
}

impl Location {
    pub fn parse(text: &str) -> Location {
        let lower = text.trim_start().get(..13).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Postgres(text.trim().to_string())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }

    /// The file, for an SQLite store.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }
}

/// The URL with its password taken out: what any message, JSON output or history row shows.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = rest.find(['/', '?']).map_or((rest, ""), |i| rest.split_at(i));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    let tail = redact_query(tail);
    format!("{scheme}://{authority}{tail}")
}

/// `?password=...` is as secret as the one in the authority.
fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else { return tail.to_string() };
    let kept: Vec<&str> =
        query.split('&').filter(|pair| !pair.to_ascii_lowercase().starts_with("password=")).collect();
    if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Location::Postgres(_) => f.debug_tuple("Postgres").field(&self.to_string()).finish(),
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Self {
        Location::Sqlite(path.to_path_buf())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Self {
        Location::Sqlite(path.clone())
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Self {
        Location::Sqlite(path)
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_the_rest_are_files() {
        assert!(Location::parse("postgres://u@h/db").is_postgres());
        assert!(Location::parse("PostgreSQL://u@h/db").is_postgres());
        assert_eq!(Location::parse("events.db"), Location::Sqlite("events.db".into()));
        assert_eq!(Location::parse("./postgres:/x"), Location::Sqlite("./postgres:/x".into()));
        assert_eq!(Location::parse("pg"), Location::Sqlite("pg".into()));
    }

    #[test]
    fn passwords_never_show() {
        let secret = "s3cr:et@x";
        for url in [
            format!("postgres://desk:{secret}@db.example.org:5432/events?sslmode=require"),
            format!("postgres://desk@db.example.org/events?password={secret}&sslmode=require"),
        ] {
            let location = Location::parse(&url);
            for shown in [location.to_string(), format!("{location:?}")] {
                assert!(!shown.contains("s3cr"), "{shown}");
                assert!(shown.contains("desk@db.example.org"), "{shown}");
                assert!(shown.contains("sslmode=require"), "{shown}");
            }
        }
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
        assert_eq!(
            redact_url("postgresql://u:p@%2Fvar%2Frun%2Fpostgresql/db"),
            "postgresql://u@%2Fvar%2Frun%2Fpostgresql/db"
        );
    }
}
