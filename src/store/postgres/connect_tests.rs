use std::io::{Read, Write};
use std::net::TcpListener;

use super::super::test_pg::TestDb;
use super::*;

const TIMEOUT: Duration = Duration::from_secs(5);

fn fails(url: &str) -> String {
    let config = PgConfig::parse(url).expect("a valid URL");
    match connect(&config, TIMEOUT) {
        Ok(_) => panic!("{url} connected"),
        Err(e) => e.to_string(),
    }
}

/// A port on 127.0.0.1 that nobody listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind").port()
}

#[test]
fn a_refused_connection_names_the_host_and_port() {
    let port = closed_port();
    let line = fails(&format!("postgres://u:hunter2@127.0.0.1:{port}/db?sslmode=disable"));
    assert_eq!(
        line,
        format!(
            "postgres://u@127.0.0.1:{port}/db?sslmode=disable: connection refused at 127.0.0.1:{port}: \
             check that PostgreSQL is running there and listens on port {port}"
        )
    );
}

#[test]
fn an_unknown_host_says_so() {
    let line = fails("postgres://u:hunter2@no-such-host.invalid/db?connect_timeout=3");
    assert!(line.contains("unknown host no-such-host.invalid"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
}

#[test]
fn a_missing_socket_says_to_check_the_server() {
    let line = fails("postgresql://u@%2Fnonexistent%2Fdir/db");
    assert!(line.contains("no PostgreSQL socket at /nonexistent/dir/.s.PGSQL.5432"), "{line}");
}

/// A server that answers the TLS request with "no", as one with ssl = off does.
#[test]
fn tls_required_but_not_offered_says_which() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut request = [0u8; 8];
        stream.read_exact(&mut request).expect("SSLRequest");
        stream.write_all(b"N").expect("answer");
    });
    let line = fails(&format!("postgres://u:hunter2@127.0.0.1:{port}/db?sslmode=require"));
    server.join().expect("fake server");
    assert!(line.contains("does not offer TLS, but the URL says sslmode=require"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
}

/// The test database's URL rebuilt with another password.
fn with_password(url: &str, password: &str) -> String {
    let c = PgConfig::parse(url).expect("test URL");
    let Host::Tcp(host) = &c.host else { panic!("{} must name a TCP host", super::super::test_pg::VAR) };
    format!("postgres://{}:{password}@{host}:{}/{}?sslmode=disable", c.user, c.port, c.dbname)
}

#[test]
fn a_wrong_password_is_named_and_never_echoed() {
    let Some(db) = TestDb::create("wrongpw") else { return };
    let line = fails(&with_password(&db.url, "not-the-password"));
    assert!(line.contains("wrong password for user"), "{line}");
    assert!(!line.contains("not-the-password"), "{line}");
}

#[test]
fn a_missing_database_says_how_to_create_it() {
    let Some(db) = TestDb::create("missingdb") else { return };
    let url = super::super::test_pg::with_database(&db.url, "no_such_eventdesk_db");
    let line = fails(&url);
    assert!(line.contains("the database no_such_eventdesk_db does not exist"), "{line}");
    assert!(line.contains("createdb -O"), "{line}");
}

#[test]
fn require_encrypts_and_the_session_settings_hold() {
    let Some(db) = TestDb::create("tls") else { return };
    let url = format!("{}{}sslmode=require", db.url, if db.url.contains('?') { "&" } else { "?" });
    let config = PgConfig::parse(&url).expect("test URL");
    let mut client = connect(&config, Duration::from_millis(1500)).expect("connect with TLS");
    let row = client
        .query_one(
            "SELECT (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), \
                    current_setting('lock_timeout'), current_setting('TimeZone'), \
                    current_setting('application_name')",
            &[],
        )
        .expect("settings");
    let (ssl, lock, zone, app): (bool, String, String, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert!(ssl, "sslmode=require must encrypt");
    assert_eq!((lock.as_str(), zone.as_str(), app.as_str()), ("1500ms", "UTC", "eventdesk"));
}
