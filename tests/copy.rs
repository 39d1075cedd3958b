//! `eventdesk copy --to TARGET` through the real binary: the demo and a generated database
//! into empty targets, counts equal on both sides, the target checks clean and signs in with
//! the copied password hashes, and a target that holds anything is refused untouched.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");

fn run(home: &Path, db: &str, args: &[&str], password: Option<(&str, &str)>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["--db", db]).args(args).env("HOME", home).env_remove("EVENTDESK_DB");
    cmd.env_remove("EVENTDESK_USER").env_remove("EVENTDESK_PASSWORD");
    if let Some((user, pw)) = password {
        cmd.env("EVENTDESK_USER", user).env("EVENTDESK_PASSWORD", pw);
    }
    cmd.output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Copies `source` to `target` and checks what a copy must show; returns the report.
fn copy_and_compare(home: &Path, source: &str, target: &str) -> Value {
    let report = json(&run(home, source, &["copy", "--to", target, "--json"], None));
    assert_eq!(report["source_rows"], report["target_rows"], "{report}");
    assert_eq!(report["copied"], report["source_rows"], "{report}");
    assert_eq!(report["check"]["problems"], serde_json::json!([]), "{report}");
    let check = json(&run(home, target, &["check", "--json"], None));
    assert_eq!(check["ok"], true, "{check}");
    report
}

fn history_ids(home: &Path, db: &str, who: (&str, &str)) -> Vec<Value> {
    let rows = json(&run(home, db, &["history", "--limit", "100000", "--json"], Some(who)));
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::json!([r["id"], r["action"], r["created_at"]]))
        .collect()
}

#[test]
fn the_demo_copies_whole_and_a_second_copy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (home, source, target) = (dir.path(), dir.path().join("demo.db"), dir.path().join("copy.db"));
    let (source, target) = (source.to_str().unwrap(), target.to_str().unwrap());
    assert!(run(home, source, &["demo", "--no-open"], None).status.success());
    let report = copy_and_compare(home, source, target);
    assert!(report["copied"]["bookings"].as_u64().unwrap() > 50, "{report}");
    // The indexes and triggers the import drops while the rows go in are back, as a new file
    // has them.
    let fresh = dir.path().join("fresh.db");
    drop(eventdesk::store::Store::open(fresh.as_path()).unwrap());
    let schema = "SELECT group_concat(type || ' ' || name || ': ' || sql, char(10)) FROM
                    (SELECT * FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name)";
    let at = |path: &Path| engines::text(&eventdesk::store::Location::Sqlite(path.to_path_buf()), schema);
    assert_eq!(at(Path::new(target)), at(&fresh));
    // The password hashes came along: the demo desk signs in on the copy, and the history
    // (ids, actions, times) is the same row for row.
    let desk = ("desk", "desk-demo-1");
    assert_eq!(history_ids(home, source, desk), history_ids(home, target, desk));
    let listed = |db| json(&run(home, db, &["bookings", "--json"], Some(desk)));
    assert_eq!(listed(source), listed(target));

    let before = std::fs::read(target).unwrap();
    let again = run(home, source, &["copy", "--to", target], None);
    assert_eq!(again.status.code(), Some(3), "{again:?}");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("the target database is not empty"), "{stderr}");
    assert_eq!(std::fs::read(target).unwrap(), before, "a refused copy leaves the target untouched");

    let onto_itself = run(home, source, &["copy", "--to", source], None);
    assert_eq!(onto_itself.status.code(), Some(3), "{onto_itself:?}");
}

#[test]
fn a_generated_database_copies_with_every_count_equal() {
    let dir = tempfile::tempdir().unwrap();
    let (home, source, target) = (dir.path(), dir.path().join("big.db"), dir.path().join("big-copy.db"));
    let (source, target) = (source.to_str().unwrap(), target.to_str().unwrap());
    let generate = ["demo", "--no-open", "--events", "200", "--attendees", "5000", "--bookings", "10000"];
    assert!(run(home, source, &generate, None).status.success());
    let report = copy_and_compare(home, source, target);
    assert!(report["copied"]["bookings"].as_u64().unwrap() >= 10_000, "{report}");
    // The human form names both sides and the check.
    let text = run(home, target, &["copy", "--to", dir.path().join("third.db").to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("check of the target: ok") && text.contains("10"), "{text}");
}

#[path = "support/engines.rs"]
mod engines;

/// The move up and back: the demo file onto PostgreSQL, then from PostgreSQL into a new file,
/// every count equal and every check clean; a second copy into the now-full server database is
/// refused. Skips (saying so once) without EVENTDESK_TEST_PG; fails under CI=true.
#[test]
fn the_demo_moves_to_postgres_and_back() {
    let Some(server) = engines::Db::postgres("copy") else { return };
    let url = engines::arg(&server.location);
    let dir = tempfile::tempdir().unwrap();
    let (home, source, back) = (dir.path(), dir.path().join("demo.db"), dir.path().join("back.db"));
    let (source, back) = (source.to_str().unwrap(), back.to_str().unwrap());
    assert!(run(home, source, &["demo", "--no-open"], None).status.success());
    let up = copy_and_compare(home, source, &url);
    assert!(!up["target"].as_str().unwrap().contains(":eventdesk@"), "the password never shows: {up}");
    let down = copy_and_compare(home, &url, back);
    assert_eq!(up["source_rows"], down["target_rows"]);
    let desk = ("desk", "desk-demo-1");
    assert_eq!(history_ids(home, source, desk), history_ids(home, &url, desk));
    assert_eq!(history_ids(home, source, desk), history_ids(home, back, desk));
    // The copied ids are taken on the server too: a new booking gets a fresh id.
    let booked = run(
        home,
        &url,
        &["attendee", "add", "--name", "New", "--email", "new@example.org", "--json"],
        Some(desk),
    );
    assert!(json(&booked)["id"].as_i64().unwrap() > 40);
    let again = run(home, source, &["copy", "--to", &url], None);
    assert_eq!(again.status.code(), Some(3), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn a_generated_database_moves_to_postgres() {
    let Some(server) = engines::Db::postgres("copybig") else { return };
    let url = engines::arg(&server.location);
    let dir = tempfile::tempdir().unwrap();
    let (home, source) = (dir.path(), dir.path().join("big.db"));
    let source = source.to_str().unwrap();
    let generate = ["demo", "--no-open", "--events", "200", "--attendees", "5000", "--bookings", "10000"];
    assert!(run(home, source, &generate, None).status.success());
    let report = copy_and_compare(home, source, &url);
    assert!(report["copied"]["bookings"].as_u64().unwrap() >= 10_000, "{report}");
}

/// Text that a text-format COPY or a hand-built statement would have to escape: quotes,
/// backslashes (with COPY's own `\N` and `\.` markers), tabs, line ends, control and
/// combining characters, emoji, the empty string. No NUL: PostgreSQL's text cannot hold one.
const TRICKY: [&str; 8] = [
    "it's \"quoted\" and 'single'",
    "back\\slash, \\N and \\\\ and a trailing \\",
    "tab\there\tand\ttab\t",
    "line one\nline two\r\nline three\n\\.\nafter the end marker",
    "ünïcödé e\u{301} 日本語 👩\u{200d}👩\u{200d}👧 \u{feff}bom \u{7f}del \u{1}ctl",
    "",
    "  leading and trailing spaces  ",
    "%s %d {} ${HOME} $1 ? :name -- ; DROP TABLE events;",
];

/// History details as the store writes them (JSON text), kept byte for byte: escapes,
/// raw Unicode, nesting, nulls and spacing the store would never produce.
const DETAILS: &str = r#"{ "note" : "tab\t quote\" back\\slash \n \u00e9 \u0000?", "raw": "日本語 😀", "n": [1, null, true, 2.5e3] }"#;

/// Rewrites the demo's text columns with `TRICKY` (and some NULLs), and adds one row of each
/// kind the demo may lack, through a raw session: the schema's guards still hold.
fn make_tricky(path: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    for (i, text) in TRICKY.iter().enumerate() {
        let id = i64::try_from(i).unwrap() + 1;
        conn.execute("UPDATE events SET description = ?1 WHERE id = ?2", rusqlite::params![text, id])
            .unwrap();
        conn.execute("UPDATE attendees SET phone = ?1 WHERE id = ?2", rusqlite::params![text, id]).unwrap();
    }
    let title = "Talk: \"Rust\" \\ C\tand ünï 😀";
    conn.execute(
        "UPDATE events SET title = ?1, title_fold = ?2 WHERE id = 1",
        rusqlite::params![title, eventdesk::model::fold::fold(title)],
    )
    .unwrap();
    conn.execute("UPDATE attendees SET phone = NULL WHERE id = ?1", [TRICKY.len() + 1]).unwrap();
    conn.execute(
        "UPDATE operators SET name = ?1, email = NULL WHERE id = (SELECT min(id) FROM operators WHERE role = 'desk')",
        [TRICKY[3]],
    )
    .unwrap();
    conn.execute(
        "UPDATE operators SET organization = ?1, address = ?2, email = ?3
          WHERE id = (SELECT min(id) FROM operators WHERE role = 'organizer')",
        [TRICKY[0], TRICKY[1], TRICKY[4]],
    )
    .unwrap();
    let history = n("SELECT max(id) FROM history") + 1;
    conn.execute(
        "INSERT INTO history (id, actor, action, object_kind, object_id, details, created_at)
         VALUES (?1, ?2, 'note', 'event', NULL, ?3, 1700000000)",
        rusqlite::params![history, TRICKY[2], DETAILS],
    )
    .unwrap();
    let (booking, event, attendee) = (
        n("SELECT min(id) FROM bookings WHERE status = 'active'"),
        n("SELECT min(id) FROM events"),
        n("SELECT max(id) FROM attendees"),
    );
    conn.execute(
        "INSERT INTO waitlist (event_id, attendee_id, status, joined_at, left_at) VALUES (?1, ?2, 'removed', 1700000000, 1700000100)",
        [event, attendee],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO checkins (booking_id, checked_in_at, checked_in_by, undone_at, undone_by)
         VALUES (?1, 1700000000, ?2, 1700000060, ?3)",
        rusqlite::params![booking, TRICKY[4], TRICKY[3]],
    )
    .unwrap();
}

/// Every table of an SQLite file in id order, as typed values: the columns a copy carries,
/// plus each event's booked counter (which the target counts again).
fn dump(path: &str) -> Vec<(&'static str, Vec<Vec<rusqlite::types::Value>>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    [
        ("operators", "id, username, password_hash, role, name, email, organization, address, failed_logins, locked_until, created_at"),
        ("attendees", "id, name, email, phone, created_at, updated_at, merged_into, version"),
        ("events", "id, title, description, starts_at, ends_at, capacity, creator_id, created_at, updated_at, deleted_at, version, booked"),
        ("bookings", "id, event_id, attendee_id, status, booked_at, cancelled_at"),
        ("history", "id, actor, action, object_kind, object_id, details, created_at"),
        ("waitlist", "id, event_id, attendee_id, status, joined_at, left_at"),
        ("checkins", "id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by"),
    ]
    .into_iter()
    .map(|(table, columns)| {
        let mut stmt = conn.prepare(&format!("SELECT {columns} FROM {table} ORDER BY id")).unwrap();
        let width = stmt.column_count();
        let rows = stmt
            .query_map([], |r| (0..width).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect())
            .unwrap()
            .collect::<Result<Vec<Vec<_>>, _>>()
            .unwrap();
        (table, rows)
    })
    .collect()
}

/// SQLite → PostgreSQL → SQLite leaves every value as it was, byte for byte and type for type;
/// the server holds the same text on the way.
#[test]
fn tricky_text_survives_the_trip_to_postgres_and_back() {
    let Some(server) = engines::Db::postgres("copytext") else { return };
    let url = engines::arg(&server.location);
    let dir = tempfile::tempdir().unwrap();
    let (home, source, back) = (dir.path(), dir.path().join("tricky.db"), dir.path().join("back.db"));
    let (source, back) = (source.to_str().unwrap(), back.to_str().unwrap());
    assert!(run(home, source, &["demo", "--no-open"], None).status.success());
    make_tricky(source);
    let before = dump(source);
    for (table, rows) in &before {
        assert!(!rows.is_empty(), "the source has no {table}: the test would not cover it");
    }
    copy_and_compare(home, source, &url);
    let on_server = |sql: &str| engines::text(&server.location, sql);
    assert_eq!(on_server("SELECT description FROM events WHERE id = 4"), TRICKY[3]);
    assert_eq!(on_server("SELECT details FROM history ORDER BY id DESC LIMIT 1"), DETAILS);
    assert_eq!(on_server("SELECT coalesce(phone, 'null') FROM attendees WHERE id = 9"), "null");
    copy_and_compare(home, &url, back);
    let after = dump(back);
    for ((table, want), (_, got)) in before.iter().zip(&after) {
        assert_eq!(want.len(), got.len(), "{table}: row count");
        for (w, g) in want.iter().zip(got) {
            assert_eq!(w, g, "{table}: a row changed on the way");
        }
    }
    let text = rusqlite::Connection::open(back)
        .unwrap()
        .query_row("SELECT description FROM events WHERE id = 2", [], |r| r.get::<_, String>(0))
        .unwrap();
    assert_eq!(text, TRICKY[1], "the tricky text is really there");
}

/// The import switches some row triggers off while it fills the server (src/store/postgres/
/// copy_in.rs): after a copy they are all on again and guard as before.
#[test]
fn after_a_copy_to_postgres_every_guard_is_back_on() {
    let Some(server) = engines::Db::postgres("copyguards") else { return };
    let url = engines::arg(&server.location);
    let dir = tempfile::tempdir().unwrap();
    let (home, source) = (dir.path(), dir.path().join("demo.db"));
    let source = source.to_str().unwrap();
    assert!(run(home, source, &["demo", "--no-open"], None).status.success());
    copy_and_compare(home, source, &url);
    assert_eq!(
        server.count("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"),
        0
    );
    // The indexes dropped while the rows went in are back, exactly as a new database has them.
    let fresh = engines::Db::postgres("copyfresh").unwrap();
    drop(fresh.open(eventdesk::store::OpenOptions::default()));
    let indexes =
        "SELECT string_agg(indexname || ': ' || indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes
                    WHERE schemaname = 'public'";
    assert_eq!(engines::text(&server.location, indexes), engines::text(&fresh.location, indexes));

    // The counter moved past the copied history: a row without an id gets the next one.
    let last = server.count("SELECT max(id) FROM history");
    server
        .execute("INSERT INTO history (actor, action, object_kind, details, created_at) VALUES ('raw', 'note', 'event', '{}', 1)")
        .unwrap();
    assert_eq!(server.count("SELECT max(id) FROM history"), last + 1);
    // Only the booking triggers write the counters, and they count a new booking.
    let refused = server.execute("UPDATE events SET booked = 0 WHERE booked > 0").unwrap_err();
    assert!(refused.contains("events.booked"), "{refused}");
    let event = server.count("SELECT min(id) FROM events WHERE booked < capacity AND deleted_at IS NULL");
    let free = |event: i64| {
        server.count(&format!(
            "SELECT min(id) FROM attendees a WHERE NOT EXISTS
               (SELECT 1 FROM bookings b WHERE b.attendee_id = a.id AND b.event_id = {event} AND b.status = 'active')"
        ))
    };
    let booked = server.count(&format!("SELECT booked FROM events WHERE id = {event}"));
    let book = |event: i64| {
        server.execute(&format!(
            "INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES ({event}, {}, 1)",
            free(event)
        ))
    };
    book(event).unwrap();
    assert_eq!(server.count(&format!("SELECT booked FROM events WHERE id = {event}")), booked + 1);
    // And the capacity guard refuses a seat that is not there.
    server.execute(&format!("UPDATE events SET capacity = booked WHERE id = {event}")).unwrap();
    let full = book(event).unwrap_err();
    assert!(full.contains("event full"), "{full}");
}

/// A source that holds more active bookings on an event than its capacity (its guards were
/// dropped by hand) is refused by either target: PostgreSQL's count at the end of the import
/// meets `booked <= capacity`, SQLite's trigger meets the seat that is not there. Both targets
/// stay empty.
#[test]
fn an_overfilled_source_is_refused_and_the_target_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (home, source, file) = (dir.path(), dir.path().join("demo.db"), dir.path().join("copy.db"));
    let (source, file) = (source.to_str().unwrap(), file.to_str().unwrap());
    assert!(run(home, source, &["demo", "--no-open"], None).status.success());
    let conn = rusqlite::Connection::open(source).unwrap();
    let event: i64 =
        conn.query_row("SELECT min(id) FROM events WHERE deleted_at IS NULL", [], |r| r.get(0)).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER bookings_guard_insert; DROP TRIGGER bookings_count_insert;
         INSERT INTO bookings (event_id, attendee_id, status, booked_at)
         SELECT {event}, a.id, 'active', 1700000000 FROM attendees a
          WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.event_id = {event} AND b.attendee_id = a.id AND b.status = 'active')
          LIMIT (SELECT capacity - booked + 1 FROM events WHERE id = {event});"
    ))
    .unwrap();
    let over: i64 = conn
        .query_row(
            &format!(
                "SELECT (SELECT count(*) FROM bookings WHERE event_id = {event} AND status = 'active') - capacity
                   FROM events WHERE id = {event}"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(over, 1, "the source holds one booking more than the event's capacity");
    drop(conn);

    let refused = run(home, source, &["copy", "--to", file], None);
    assert!(!refused.status.success(), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("event full"), "{refused:?}");
    let rows = |location: &eventdesk::store::Location| {
        engines::count(location, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM bookings)")
    };
    assert_eq!(rows(&eventdesk::store::Location::parse(file)), 0);

    let Some(server) = engines::Db::postgres("copyover") else { return };
    let refused = run(home, source, &["copy", "--to", &engines::arg(&server.location)], None);
    assert!(!refused.status.success(), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("event full"), "{refused:?}");
    assert_eq!(rows(&server.location), 0);
    assert_eq!(
        server.count("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"),
        0
    );
}
