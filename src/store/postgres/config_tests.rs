use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;

use super::*;

/// Parses with exactly the variables given and no home directory.
fn parse(url: &str, vars: &[(&str, &str)]) -> Result<PgConfig, String> {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let lookup = move |name: &str| vars.get(name).cloned();
    PgConfig::parse_with(url, &Env { var: &lookup, home: None })
}

#[test]
fn every_part_of_a_full_url() {
    let c = parse("postgres://desk:s%40cret@db.example:5433/event%20desk?sslmode=require", &[]).unwrap();
    assert_eq!(c.user, "desk");
    assert_eq!(c.password(), Some("s@cret"));
    assert_eq!(c.host, Host::Tcp("db.example".into()));
    assert_eq!(c.port, 5433);
    assert_eq!(c.dbname, "event desk");
    assert_eq!(c.sslmode, SslMode::Require);
}

#[test]
fn libpq_defaults_fill_what_the_url_leaves_out() {
    let c = parse("postgresql://", &[("USER", "olga")]).unwrap();
    assert_eq!(c.user, "olga");
    assert_eq!(c.dbname, "olga", "the database defaults to the user name");
    assert_eq!(c.host, Host::Socket(DEFAULT_SOCKET_DIR.into()));
    assert_eq!(c.port, 5432);
    assert_eq!(c.sslmode, SslMode::Prefer);
    assert_eq!(c.password(), None);
    let c = parse("postgres:///db", &[("PGHOST", "10.0.0.1"), ("PGPORT", "6000"), ("PGUSER", "u")]).unwrap();
    assert_eq!((c.host, c.port, c.user.as_str()), (Host::Tcp("10.0.0.1".into()), 6000, "u"));
}

#[test]
fn a_socket_directory_as_host() {
    let c = parse("postgresql://eventdesk@%2Fvar%2Frun%2Fpostgresql/eventdesk", &[]).unwrap();
    assert_eq!(c.host, Host::Socket("/var/run/postgresql".into()));
    let c = parse("postgresql:///eventdesk?host=/tmp/pg&user=eventdesk", &[]).unwrap();
    assert_eq!(c.host, Host::Socket("/tmp/pg".into()));
    assert_eq!(c.host_label(), "/tmp/pg/.s.PGSQL.5432");
}

#[test]
fn ipv6_hosts_keep_their_brackets_out() {
    let c = parse("postgres://u@[::1]:5433/db", &[]).unwrap();
    assert_eq!((c.host, c.port), (Host::Tcp("::1".into()), 5433));
    assert_eq!(parse("postgres://u@[::1]/db", &[]).unwrap().port, 5432);
}

#[test]
fn bad_urls_say_what_to_fix() {
    let err = |url: &str| parse(url, &[("USER", "u")]).unwrap_err();
    assert!(err("postgres://h:99999/db").contains("port '99999'"));
    assert!(err("postgres://h/db?sslmode=maybe").contains("sslmode 'maybe'"));
    assert!(err("postgres://h/db?sslmode=verify-full").contains("use disable, prefer or require"));
    assert!(err("postgres://h/db?colour=blue").contains("'colour' is not supported"));
    assert!(err("postgres://h/db?sslmode").contains("has no value"));
    assert!(err("postgres://a,b/db").contains("several hosts"));
    assert!(err("postgres://[::1/db").contains("closing ']'"));
    assert!(parse("postgres://h/db", &[]).unwrap_err().contains("names no user"));
}

#[test]
fn no_message_ever_holds_the_password() {
    let secret = "hunter2%zz";
    for url in [
        format!("postgres://u:{secret}@h/db"),
        format!("postgres://u@h/db?password={secret}"),
        format!("postgres://u:{secret}@h:0/db"),
        format!("postgres://u:{secret}@h/db?nope=1"),
    ] {
        let e = parse(&url, &[]).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
    }
}

#[test]
fn redacted_and_debug_drop_the_password_and_keep_the_rest() {
    let c = parse("postgres://desk:hunter2@db.example:5433/eventdesk?sslmode=require", &[]).unwrap();
    assert_eq!(c.redacted(), "postgres://desk@db.example:5433/eventdesk?sslmode=require");
    assert_eq!(c.to_string(), c.redacted());
    let debug = format!("{c:?}");
    assert!(!debug.contains("hunter2") && debug.contains("db.example"), "{debug}");
    let c = parse("postgresql://h/db?user=desk&password=hunter2&sslmode=disable", &[]).unwrap();
    assert_eq!(c.password(), Some("hunter2"));
    assert_eq!(c.redacted(), "postgresql://h/db?user=desk&sslmode=disable");
}

#[test]
fn the_password_comes_from_the_url_then_pgpassword_then_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    fs::write(&file, "h:5432:db:u:from-file\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let file = file.to_str().unwrap();
    let vars = [("PGPASSFILE", file), ("PGPASSWORD", "from-env")];
    assert_eq!(parse("postgres://u:from-url@h/db", &vars).unwrap().password(), Some("from-url"));
    assert_eq!(parse("postgres://u@h/db", &vars).unwrap().password(), Some("from-env"));
    assert_eq!(parse("postgres://u@h/db", &vars[..1]).unwrap().password(), Some("from-file"));
    assert_eq!(parse("postgres://u@other/db", &vars[..1]).unwrap().password(), None);
}

#[test]
fn pgpass_is_found_in_home_and_matches_the_default_socket_as_localhost() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".pgpass");
    fs::write(&file, "localhost:5432:*:eventdesk:via-socket\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let none = |_: &str| None;
    let env = Env { var: &none, home: Some(dir.path().to_path_buf()) };
    let c = PgConfig::parse_with("postgresql://eventdesk@%2Fvar%2Frun%2Fpostgresql/eventdesk", &env).unwrap();
    assert_eq!(c.password(), Some("via-socket"));
}
