//! Where a PostgreSQL store lives: a libpq connection URL, parsed here.
//!
//! `postgres://user:password@host:port/dbname?sslmode=require` with libpq's rules: every part
//! may be left out, a host that starts with `/` (percent-encoded in the authority, or plain in
//! `?host=`) is a socket directory, and the password comes from the URL, else `PGPASSWORD`, else
//! the password file. The password never leaves this type in text: `redacted()` and `Debug`
//! show the URL without it, so no message, log or history row can carry it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::pgpass;

/// The schemes that make a `--db` value a PostgreSQL location rather than a file path.
const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// The query parameters understood; anything else is refused, as libpq does.
const PARAMETERS: &str = "host, port, dbname, user, password, sslmode, connect_timeout, application_name";

/// Where the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    /// The directory holding the server's `.s.PGSQL.<port>` socket.
    Socket(PathBuf),
}

/// libpq's `sslmode`, the three values eventdesk supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it, else plain (libpq's default).
    Prefer,
    /// TLS or nothing; the certificate is not verified (libpq's meaning of `require`).
    Require,
}

/// A parsed PostgreSQL URL with its password resolved.
#[derive(Clone, PartialEq, Eq)]
pub struct PgConfig {
    pub user: String,
    password: Option<String>,
    pub host: Host,
    pub port: u16,
    pub dbname: String,
    pub sslmode: SslMode,
    pub connect_timeout: Option<Duration>,
    pub application_name: Option<String>,
    redacted: String,
}

/// What the parser may look up outside the URL; tests pass their own.
pub struct Env<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    pub home: Option<PathBuf>,
}

impl Env<'_> {
    /// The process's environment and home directory.
    pub fn process() -> Env<'static> {
        Env { var: &|name| std::env::var(name).ok(), home: std::env::home_dir() }
    }
}

impl PgConfig {
    /// Parses `url` against the process's environment (PGPASSWORD, ~/.pgpass, PGUSER, ...).
    pub fn parse(url: &str) -> Result<PgConfig, String> {
        PgConfig::parse_with(url, &Env::process())
    }

    /// Parses `url`; errors are one line that never contains the password.
    pub fn parse_with(url: &str, env: &Env<'_>) -> Result<PgConfig, String> {
        let raw = split(url)?;
        let mut parts = Parts::default();
        parts.authority(raw.authority)?;
        if let Some(path) = raw.path.filter(|p| !p.is_empty()) {
            parts.dbname = Some(decode(path, "database name")?);
        }
        for (key, value) in &raw.query {
            parts.parameter(key, value)?;
        }
        let config = parts.resolve(env, redact(&raw));
        config.map(|mut c| {
            if c.password.is_none() {
                c.password = (env.var)("PGPASSWORD").filter(|p| !p.is_empty());
            }
            if c.password.is_none() {
                c.password = pgpass_file(env).and_then(|f| pgpass::lookup(&f, &c.pgpass_key()));
            }
            c
        })
    }

    /// The URL as given, less its password: safe for every message and history row.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The host as a person reads it in a message.
    pub fn host_label(&self) -> String {
        match &self.host {
            Host::Tcp(name) => format!("{name}:{}", self.port),
            Host::Socket(dir) => format!("{}/.s.PGSQL.{}", dir.display(), self.port),
        }
    }

    /// The fields a password-file line is matched on, as libpq matches them.
    fn pgpass_key(&self) -> pgpass::Key<'_> {
        let host = match &self.host {
            Host::Tcp(name) => name.clone(),
            // libpq matches a socket connection under "localhost" when it uses the default
            // socket directory, and under the directory itself otherwise.
            Host::Socket(dir) if dir == Path::new(DEFAULT_SOCKET_DIR) => "localhost".into(),
            Host::Socket(dir) => dir.display().to_string(),
        };
        pgpass::Key { host, port: self.port, dbname: &self.dbname, user: &self.user }
    }
}

impl fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PgConfig").field(&self.redacted).finish()
    }
}

impl fmt::Display for PgConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

/// Debian's (and most packagers') socket directory; libpq's compiled-in default there.
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

fn pgpass_file(env: &Env<'_>) -> Option<PathBuf> {
    match (env.var)("PGPASSFILE").filter(|p| !p.is_empty()) {
        Some(file) => Some(PathBuf::from(file)),
        None => env.home.as_ref().map(|h| h.join(".pgpass")),
    }
}

/// The URL cut at its delimiters, still percent-encoded.
struct Raw<'a> {
    scheme: &'a str,
    authority: &'a str,
    path: Option<&'a str>,
    query: Vec<(String, &'a str)>,
}

fn split(url: &str) -> Result<Raw<'_>, String> {
    let scheme = SCHEMES
        .iter()
        .find_map(|s| url.get(..s.len()).filter(|p| p.eq_ignore_ascii_case(s)))
        .ok_or("a PostgreSQL URL starts with postgres:// or postgresql://")?;
    let rest = &url[scheme.len()..];
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, query),
        None => (rest, ""),
    };
    let (authority, path) = match rest.split_once('/') {
        Some((authority, path)) => (authority, Some(path)),
        None => (rest, None),
    };
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            format!(
                "the URL parameter '{}' has no value (write name=value)",
                pair.chars().take(40).collect::<String>()
            )
        })?;
        pairs.push((decode(key, "parameter name")?, value));
    }
    Ok(Raw { scheme, authority, path, query: pairs })
}

/// The URL again with the password left out of the user part and the query.
fn redact(raw: &Raw<'_>) -> String {
    let mut out = raw.scheme.to_string();
    if let Some((user, host)) = raw.authority.rsplit_once('@') {
        let user = user.split_once(':').map_or(user, |(name, _)| name);
        out.push_str(&format!("{user}@{host}"));
    } else {
        out.push_str(raw.authority);
    }
    if let Some(path) = raw.path {
        out.push('/');
        out.push_str(path);
    }
    let kept: Vec<String> =
        raw.query.iter().filter(|(k, _)| k != "password").map(|(k, v)| format!("{k}={v}")).collect();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out
}

/// The decoded pieces before defaults are filled in.
#[derive(Default)]
struct Parts {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<String>,
    dbname: Option<String>,
    sslmode: Option<String>,
    connect_timeout: Option<String>,
    application_name: Option<String>,
}

impl Parts {
    fn authority(&mut self, authority: &str) -> Result<(), String> {
        let hostport = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => {
                let (user, password) = match userinfo.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (userinfo, None),
                };
                self.user = Some(decode(user, "user name")?).filter(|u| !u.is_empty());
                // Never echo a password, not even a badly encoded one.
                self.password = match password {
                    Some(p) => Some(decode(p, "password").map_err(|_| {
                        "the password in the URL is not valid percent-encoded UTF-8".to_string()
                    })?),
                    None => None,
                };
                hostport
            }
            None => authority,
        };
        if hostport.contains(',') {
            return Err("several hosts in one URL are not supported; name one host".into());
        }
        let (host, port) = split_host_port(hostport)?;
        self.host = Some(decode(host, "host")?).filter(|h| !h.is_empty());
        self.port = port.map(str::to_string);
        Ok(())
    }

    fn parameter(&mut self, key: &str, value: &str) -> Result<(), String> {
        let what = if key == "password" { "password" } else { key };
        let value = decode(value, what).map_err(|e| {
            if key == "password" {
                "the password in the URL is not valid percent-encoded UTF-8".into()
            } else {
                e
            }
        })?;
        let slot = match key {
            "host" => &mut self.host,
            "port" => &mut self.port,
            "dbname" => &mut self.dbname,
            "user" => &mut self.user,
            "password" => &mut self.password,
            "sslmode" => &mut self.sslmode,
            "connect_timeout" => &mut self.connect_timeout,
            "application_name" => &mut self.application_name,
            _ => {
                return Err(format!(
                    "the URL parameter '{}' is not supported (known: {PARAMETERS})",
                    key.chars().take(40).collect::<String>()
                ));
            }
        };
        *slot = Some(value);
        Ok(())
    }

    /// Fills what the URL left out the way libpq does: PGHOST, PGPORT, PGUSER, PGDATABASE,
    /// PGSSLMODE, then the built-in defaults.
    fn resolve(self, env: &Env<'_>, redacted: String) -> Result<PgConfig, String> {
        let var = |name: &str| (env.var)(name).filter(|v| !v.is_empty());
        let user = self.user.or_else(|| var("PGUSER")).or_else(|| var("USER")).or_else(|| var("LOGNAME"));
        let user = user.ok_or("the URL names no user (write postgres://USER@HOST/DATABASE)")?;
        let host = match self.host.or_else(|| var("PGHOST")) {
            Some(h) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
            Some(h) => Host::Tcp(h),
            None => Host::Socket(PathBuf::from(DEFAULT_SOCKET_DIR)),
        };
        let port = match self.port.or_else(|| var("PGPORT")) {
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                format!(
                    "the port '{}' is not a number from 1 to 65535",
                    p.chars().take(20).collect::<String>()
                )
            })?,
            None => 5432,
        };
        let sslmode = parse_sslmode(self.sslmode.or_else(|| var("PGSSLMODE")).as_deref())?;
        let connect_timeout = match self.connect_timeout {
            Some(t) => Some(Duration::from_secs(t.parse::<u64>().map_err(|_| {
                format!(
                    "connect_timeout '{}' is not a whole number of seconds",
                    t.chars().take(20).collect::<String>()
                )
            })?)),
            None => None,
        }
        .filter(|t| !t.is_zero());
        let dbname = self.dbname.or_else(|| var("PGDATABASE")).unwrap_or_else(|| user.clone());
        Ok(PgConfig {
            user,
            password: self.password,
            host,
            port,
            dbname,
            sslmode,
            connect_timeout,
            application_name: self.application_name,
            redacted,
        })
    }
}

fn parse_sslmode(mode: Option<&str>) -> Result<SslMode, String> {
    match mode {
        None | Some("prefer") => Ok(SslMode::Prefer),
        Some("disable") => Ok(SslMode::Disable),
        Some("require") => Ok(SslMode::Require),
        Some(other @ ("allow" | "verify-ca" | "verify-full")) => {
            Err(format!("sslmode={other} is not supported; use disable, prefer or require"))
        }
        Some(other) => Err(format!(
            "sslmode '{}' is not one of disable, prefer, require",
            other.chars().take(20).collect::<String>()
        )),
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or("an IPv6 host in the URL lacks its closing ']'")?;
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or_else(|| "write an IPv6 host as [address]:port".to_string()),
        };
    }
    Ok(match hostport.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (hostport, None),
    })
}

/// Percent-decodes one URL component into UTF-8.
fn decode(text: &str, what: &str) -> Result<String, String> {
    let bad = || format!("the {what} in the URL is not valid percent-encoded UTF-8");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(bad)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
