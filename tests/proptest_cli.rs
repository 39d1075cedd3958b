//! Hostile command-line values through the real binary: ids, attendee references and event
//! titles. A value is accepted and stored exactly (exit 0), or refused as a usage error (2) or
//! with a field-level or not-found message (3); never a panic (101) or an unexpected error (1),
//! and nothing raw reaches the terminal. Each case is a process, so the case counts are small.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/hostile.rs"]
mod hostile;

use common::Desk;
use hostile::{check, hostile};
use proptest::prelude::*;

/// argv cannot carry NUL; everything else goes through as typed.
fn arg() -> impl Strategy<Value = String> {
    prop_oneof![hostile(), any::<i64>().prop_map(|n| n.to_string()), "[0-9 +-]{0,25}"]
        .prop_map(|s| s.replace('\0', ""))
        // "1", "+1" or "01" name the test's own event or attendee, which are meant to work.
        .prop_filter("not an id that exists", |s| {
            !s.trim().parse::<i64>().is_ok_and(|n| (1..=100).contains(&n))
        })
}

/// Nothing raw on stdout, nor in eventdesk's own messages. clap's usage errors (exit 2) echo the
/// user's own argument as typed, escapes included: that is reported, not hidden, by
/// `usage_errors_echo_the_argument_raw` below.
fn clean(run: &common::Run) -> bool {
    let raw = ['\x1b', '\x07', '\u{9b}', '\u{202e}'];
    !run.stdout.contains(raw) && (run.code == 2 || !run.stderr.contains(raw))
}

#[test]
fn hostile_ids_are_usage_errors_or_not_found() {
    let desk = Desk::new();
    let event = desk.event(3).to_string();
    let attendee = desk.attendee(1);
    let before = desk.count("SELECT count(*) FROM history");
    check(40, arg(), |id| {
        let runs = [
            desk.run(&["event", "show", &id]),
            desk.desk(&["cancel", &id]),
            desk.desk(&["book", "--event", &id, "--attendee", &attendee.to_string()]),
            desk.desk(&["book", "--event", &event, "--attendee", &id]),
        ];
        for run in &runs {
            prop_assert!(matches!(run.code, 2 | 3), "{id:?}: {run:?}");
            prop_assert!(clean(run), "{id:?}: {run:?}");
        }
        Ok(())
    });
    assert_eq!(desk.count("SELECT count(*) FROM history"), before, "nothing was written");
    assert_eq!(desk.run(&["check"]).code, 0);
}

#[test]
fn hostile_titles_are_stored_exactly_or_refused_on_the_title_field() {
    let desk = Desk::new();
    let start = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(2));
    let end = common::rfc3339(chrono::Utc::now() + chrono::TimeDelta::days(3));
    check(40, arg(), |title| {
        let run = desk.organizer(&[
            "event",
            "add",
            "--title",
            &title,
            "--start",
            &start,
            "--end",
            &end,
            "--capacity",
            "3",
            "--json",
        ]);
        prop_assert!(clean(&run), "{title:?}: {run:?}");
        match run.code {
            0 => {
                let id = common::id(&run.json());
                let stored: String = desk
                    .sql()
                    .query_row("SELECT title FROM events WHERE id = ?", [id], |r| r.get(0))
                    .unwrap();
                prop_assert_eq!(stored.as_bytes(), title.trim().as_bytes());
            }
            // clap refuses values that look like flags; the store refuses bad titles by field.
            2 => prop_assert!(title.trim_start().starts_with('-'), "{title:?}: {run:?}"),
            3 => prop_assert!(run.stderr.starts_with("eventdesk: title: "), "{title:?}: {run:?}"),
            _ => prop_assert!(false, "{title:?}: {run:?}"),
        }
        Ok(())
    });
    assert_eq!(desk.run(&["check"]).code, 0);
}

/// Known gap, kept visible: clap prints an unparsable id back as typed. It is the user's own
/// input, not stored data, but a script passing untrusted text as an id echoes it. clap strips
/// ANSI sequences when stderr is not a terminal (as here), not bidi overrides. When the CLI
/// sanitizes usage errors this test fails and should be flipped.
#[test]
fn usage_errors_echo_the_argument_raw() {
    let desk = Desk::new();
    let run = desk.run(&["event", "show", "\u{202e}12"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains('\u{202e}'), "usage errors are sanitized now; flip this test: {run:?}");
}
