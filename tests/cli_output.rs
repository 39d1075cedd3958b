//! What the commands print: `--json` shapes with the stable field names, human tables, global
//! flags on either side of the command, and the demo database.

mod common;

use common::{DESK, Desk};
use serde_json::Value;

fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> =
        v.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

fn has(v: &Value, wanted: &[&str]) {
    for key in wanted {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
}

fn is_rfc3339(v: &Value) -> bool {
    v.as_str().is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
}

#[test]
fn json_objects_and_arrays_use_the_documented_names() {
    let desk = Desk::new();
    let event = desk.event(4);
    let shown = desk.run(&["event", "show", &event.to_string(), "--json"]).json();
    has(
        &shown,
        &["id", "title", "start", "end", "capacity", "booked", "seats_left", "created_at", "version"],
    );
    assert!(is_rfc3339(&shown["start"]) && is_rfc3339(&shown["end"]), "{shown}");
    let attendee =
        desk.desk(&["attendee", "add", "--name", "Ana Ruiz", "--email", "ana@example.org", "--json"]).json();
    assert_eq!(keys(&attendee), ["created_at", "email", "id", "name", "phone", "updated_at", "version"]);
    let booking =
        desk.desk(&["book", "--event", &event.to_string(), "--attendee", "ana@example.org", "--json"]).json();
    has(&booking, &["id", "event_id", "attendee_id", "status", "booked_at", "seats_left"]);
    assert_eq!((booking["status"].as_str(), booking["seats_left"].as_u64()), (Some("active"), Some(3)));
    let list = desk.desk(&["bookings", "--event", &event.to_string(), "--json"]).json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let history = desk.desk(&["history", "--action", "book", "--json"]).json();
    let row = &history[0];
    has(row, &["actor", "action", "object_kind", "object_id", "details", "created_at"]);
    assert_eq!((row["actor"].as_str(), row["object_kind"].as_str()), (Some(DESK.0), Some("booking")));
    assert_eq!(row["details"]["event_id"], event);
}

#[test]
fn global_flags_work_before_and_after_the_command() {
    let desk = Desk::new();
    desk.event(2);
    let after = desk.run(&["event", "list", "--json"]).json();
    let mut before_cmd = desk.command(None, &[]);
    before_cmd.args(["--json", "event", "list"]);
    let before: Value = serde_json::from_slice(&before_cmd.output().unwrap().stdout).unwrap();
    assert_eq!(after, before);
    assert_eq!(after.as_array().map(Vec::len), Some(1));
}

#[test]
fn human_lists_are_aligned_tables_with_escapes_made_inert() {
    let desk = Desk::new();
    let event = desk.event(2);
    desk.desk(&["attendee", "add", "--name", "Zoë Ωmega", "--email", "zoe@example.org"]);
    desk.desk(&["book", "--event", &event.to_string(), "--attendee", "zoe@example.org"]);
    let table = desk.desk(&["bookings"]).stdout;
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[0].starts_with("ID  STATUS  EVENT  START"), "{table}");
    assert!(lines[1].contains("Zoë Ωmega") && lines[1].contains("active"), "{table}");
    let title_col = lines[0].find("TITLE").unwrap();
    assert_eq!(lines[1].get(title_col..title_col + 11), Some("Rust Meetup"), "{table}");
    // The store refuses control characters in names; descriptions keep newlines only.
    let id = event.to_string();
    let run = desk.organizer(&["event", "edit", &id, "--description", "line one\nline two\u{1b}[2J"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(!desk.run(&["event", "show", &id]).stdout.contains('\u{1b}'));
}

#[test]
fn history_filters_and_limits() {
    let desk = Desk::new();
    let event = desk.event(5);
    for n in 1..=3 {
        desk.book(event, desk.attendee(n));
    }
    let two = desk.desk(&["history", "--kind", "booking", "--limit", "2", "--json"]).json();
    let ids: Vec<i64> = two.as_array().unwrap().iter().map(|r| r["object_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [3, 2], "newest first");
    let mine = desk.desk(&["history", "--actor", "olga", "--json"]).json();
    assert!(mine.as_array().unwrap().iter().all(|r| r["actor"] == "olga"), "{mine}");
    let future = desk.desk(&["history", "--since", "2999-01-01", "--json"]).json();
    assert_eq!(future, serde_json::json!([]));
}

#[test]
fn the_demo_database_is_seeded_once_and_obeys_the_rules() {
    let desk = Desk::empty();
    let first = desk.run(&["demo", "--no-open"]);
    assert_eq!(first.code, 0, "{first:?}");
    for account in ["desk-demo-1", "desk-demo-2", "organizer-demo-1", "rustleon"] {
        assert!(first.stdout.contains(account), "{account} not printed: {first:?}");
    }
    let as_desk = Some(("desk", "desk-demo-1"));
    let events = desk.run_with(as_desk, &["event", "list", "--json"]).json();
    let events = events.as_array().unwrap();
    assert!(events.len() >= 12);
    let now = chrono::Utc::now();
    let time = |e: &Value, k: &str| chrono::DateTime::parse_from_rfc3339(e[k].as_str().unwrap()).unwrap();
    let past = events.iter().find(|e| time(e, "end") < now).expect("a past event");
    assert!(events.iter().any(|e| time(e, "start") < now && time(e, "end") > now), "an ongoing event");
    assert!(events.iter().any(|e| time(e, "start") > now && e["seats_left"] == 0), "a full upcoming event");
    let booking = ["book", "--event", &past["id"].to_string(), "--attendee", "ana.ruiz@example.org"];
    desk.run_with(as_desk, &booking).fails(3, "the event has already ended");
    let cancelled = desk.run_with(as_desk, &["bookings", "--status", "cancelled", "--json"]).json();
    assert!(cancelled.as_array().is_some_and(|c| !c.is_empty()), "some cancellations");
    let counts =
        |d: &Desk| (d.count("SELECT count(*) FROM bookings"), d.count("SELECT count(*) FROM history"));
    let seeded = counts(&desk);
    assert_eq!(desk.count("SELECT count(*) FROM history WHERE action IN ('book', 'reactivate')"), seeded.0);
    let again = desk.run(&["demo", "--no-open"]);
    assert!(again.stdout.starts_with("reusing the demo database"), "{again:?}");
    assert_eq!(counts(&desk), seeded, "reuse adds nothing");
    let reset = desk.run(&["demo", "--reset", "--no-open", "--json"]).json();
    assert_eq!((reset["reused"].as_bool(), reset["seeded"]["events"].as_u64()), (Some(false), Some(12)));
    assert_eq!(counts(&desk), seeded, "a reset seeds the same data afresh");
    assert_eq!(desk.run(&["check"]).code, 0);
}

#[test]
fn the_demo_lives_in_the_data_dir_and_ignores_eventdesk_db() {
    let desk = Desk::empty();
    let mut cmd = std::process::Command::new(common::BIN);
    cmd.args(["demo", "--no-open"]).env("HOME", desk.dir.path()).env_remove("EVENTDESK_USER");
    cmd.env("XDG_DATA_HOME", desk.dir.path().join("data")).env("EVENTDESK_DB", &desk.db);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(desk.dir.path().join("data/eventdesk/eventdesk-demo.db").is_file());
    assert!(!desk.db.exists(), "EVENTDESK_DB must not be seeded by the demo");
}

#[test]
fn bookings_filter_by_event_attendee_status_and_organizer() {
    let desk = Desk::new();
    let (mine, a, b) = (desk.event(3), desk.attendee(1), desk.attendee(2));
    let other = ("oscar", "other-organizer-pw");
    desk.register("organizer", other, &["--org", "Other Org", "--address", "Elsewhere 2"]);
    let (s, e) = (
        common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(3)),
        common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(4)),
    );
    let theirs = common::id(
        &desk
            .run_with(
                Some(other),
                &[
                    "event",
                    "add",
                    "--title",
                    "Theirs",
                    "--start",
                    &s,
                    "--end",
                    &e,
                    "--capacity",
                    "3",
                    "--json",
                ],
            )
            .json(),
    );
    let first = desk.book(mine, a);
    desk.book(mine, b);
    desk.book(theirs, a);
    assert_eq!(desk.desk(&["cancel", &first.to_string()]).code, 0);
    let count = |args: &[&str]| desk.organizer(&[args, &["--json"]].concat()).json().as_array().map(Vec::len);
    assert_eq!(count(&["bookings"]), Some(3));
    assert_eq!(count(&["bookings", "--mine"]), Some(2));
    assert_eq!(count(&["bookings", "--event", &theirs.to_string()]), Some(1));
    assert_eq!(count(&["bookings", "--attendee", "person1@example.org"]), Some(2));
    assert_eq!(count(&["bookings", "--status", "cancelled"]), Some(1));
    assert_eq!(count(&["bookings", "--mine", "--status", "active"]), Some(1));
}
