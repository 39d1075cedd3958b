//! Upgrade step 5 -> 6: one person, one email. A version-5 file may hold one address in several
//! cases or Unicode forms as several attendees; it upgrades (the fold columns are back-filled in
//! Rust), `check` reports them, and merging them clears the report.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use chrono::{Duration, Utc};
use eventdesk::model::{Error, NewAttendee, Refusal, Role, Session};
use eventdesk::store::{AttendeeQuery, EventQuery, Store};

#[test]
fn version_5_file_with_one_person_twice_upgrades_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    let raw = old_schema::file_at_version(&path, 5);
    let start = (Utc::now() + Duration::days(3)).timestamp();
    // NOCASE folds ASCII only, so version 5 took all of these as different addresses.
    raw.execute_batch(&format!(
        "INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('dora', 'x', 'desk', 'Dora', 0);
         INSERT INTO events (title, starts_at, ends_at, capacity, creator_id, created_at, updated_at)
              VALUES ('Soirée Élodie', {start}, {start} + 3600, 5, 1, 0, 0);
         INSERT INTO attendees (name, email, created_at, updated_at) VALUES
              ('Élodie Martin', 'élodie@x.org', 0, 0),
              ('ÉLODIE MARTIN', 'ÉLODIE@x.org', 0, 0),
              ('E\u{301}lodie M', 'e\u{301}lodie@X.ORG', 0, 0),
              ('Hans Straße', 'straße@x.org', 0, 0),
              ('Hans Strasse', 'STRASSE@x.org', 0, 0);
         INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (1, 2, 0);
         INSERT INTO history (actor, action, object_kind, object_id, created_at) VALUES ('dora', 'book', 'booking', 1, 0);"
    ))
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 6, "upgraded past step 6 (to {version})");
    let canonical: Vec<String> = raw
        .prepare("SELECT email_canonical FROM attendees ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(canonical, ["élodie@x.org", "élodie@x.org", "élodie@x.org", "strasse@x.org", "strasse@x.org"]);
    let unique: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'attendees_email_canonical_unique'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unique, 0, "not while duplicates exist");

    let problems = store.check().unwrap().problems;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("attendees 1, 2, 3 share the email élodie@x.org"), "{problems:?}");
    assert!(problems[1].starts_with("attendees 4, 5 share the email strasse@x.org"), "{problems:?}");

    // The back-filled columns serve the searches, trigram index included.
    let names =
        |text: &str| store.list_attendees(&AttendeeQuery { search: text.into(), ..Default::default() });
    assert_eq!(names("ÉLODIE").unwrap().len(), 3);
    assert_eq!(names("strasse").unwrap().len(), 2);
    let titles =
        store.list_events(&EventQuery { search: "e\u{301}lodie".into(), ..Default::default() }).unwrap();
    assert_eq!(titles.len(), 1);

    // No new duplicate, even without the unique index.
    let dora = Session { operator_id: 1, username: "dora".into(), role: Role::Desk };
    let again = NewAttendee { name: "Élodie".into(), email: "Élodie@x.org".into(), phone: String::new() };
    assert!(matches!(store.add_attendee(&dora, &again), Err(Error::Refused(Refusal::EmailTaken))));

    let merged = store.merge_attendees(&dora, 1, 2).unwrap();
    assert_eq!(merged.bookings_moved, 1);
    store.merge_attendees(&dora, 1, 3).unwrap();
    store.merge_attendees(&dora, 4, 5).unwrap();
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);
    assert_eq!(names("élodie").unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [1]);
    let booked: i64 =
        raw.query_row("SELECT attendee_id FROM bookings WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(booked, 1);
}
