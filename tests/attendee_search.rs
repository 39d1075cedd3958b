//! The attendee search matches exactly the attendees whose folded name or email (NFC, full case
//! folding: model::fold) holds the folded query, `%`, `_` and `\` literal: no fewer rows, no
//! more. (Before migration 006 the oracle was ASCII-folding LIKE; folding all of Unicode is the
//! point of 006.) Names are chosen where Unicode and ASCII case folding disagree.

#![allow(clippy::unwrap_used)]

#[path = "support/hostile.rs"]
mod hostile;

use eventdesk::model::fold::fold;
use eventdesk::model::{NewAttendee, NewOperator, Role};
use eventdesk::store::{AttendeeQuery, Page, Store};
use hostile::{check, hostile};
use proptest::prelude::*;

const PEOPLE: [(&str, &str); 10] = [
    ("Kelvin \u{212A}elvin", "k1@x.org"),
    ("ſtraße Strasse", "strasse@x.org"),
    ("Zoë ZOË zoe", "zoe@x.org"),
    ("O'Brien %_ \\back", "ob@x.org"),
    ("Quote \"x\" \"\"", "q@x.org"),
    ("İstanbul istanbul", "ist@x.org"),
    ("ÅNGSTRÖM ångström", "ang@x.org"),
    ("Ana Ruiz", "ANA.RUIZ@Example.ORG"),
    ("日本語 🎉 テスト", "jp@x.org"),
    ("Σίσυφος ΣΊΣΥΦΟΣ", "sis@x.org"),
];

/// What the search must match since migration 006: the attendees whose name or email holds
/// the query as a substring once both are folded (NFC, full case folding), worked out here in
/// Rust from the rows as stored, in list order; a query of one or two characters, since
/// migration 011, the name alone.
fn fold_oracle(conn: &rusqlite::Connection, text: &str) -> Vec<i64> {
    // A NUL cannot reach the database; the store searches for a stand-in no stored text holds.
    let wanted = fold(&text.trim().replace('\0', "\u{1}"));
    let sql = "SELECT id, name, email FROM attendees ORDER BY name COLLATE NOCASE, id";
    let mut stmt = conn.prepare(sql).unwrap();
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)));
    rows.unwrap()
        .map(Result::unwrap)
        .filter(|(_, name, email)| {
            fold(name).contains(&wanted) || (emails_too(&wanted) && fold(email).contains(&wanted))
        })
        .map(|(id, _, _)| id)
        .collect()
}

/// One or two characters search names only; three or more, names and emails.
fn emails_too(wanted: &str) -> bool {
    wanted.trim().chars().count() >= 3
}

/// A piece of a stored name or email, with some letters' case flipped (ASCII and not).
fn pieces() -> impl Strategy<Value = String> {
    let texts: Vec<String> = PEOPLE.iter().flat_map(|(n, e)| [n.to_string(), e.to_string()]).collect();
    (prop::sample::select(texts), any::<u64>(), any::<u64>()).prop_map(|(t, a, flips)| {
        let chars: Vec<char> = t.chars().collect();
        let start = usize::try_from(a % chars.len() as u64).unwrap();
        let len = 1 + usize::try_from((a >> 32) % 6).unwrap();
        chars[start..(start + len).min(chars.len())]
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                let flip = flips >> (i % 64) & 1 == 1;
                let up: String = c.to_uppercase().collect();
                let down: String = c.to_lowercase().collect();
                if !flip {
                    vec![*c]
                } else if up != c.to_string() {
                    up.chars().collect()
                } else {
                    down.chars().collect()
                }
            })
            .collect()
    })
}

#[test]
fn search_matches_exactly_what_like_matched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.db")).unwrap();
    let org = NewOperator {
        username: "olga".into(),
        password: "password-123".into(),
        role: Some(Role::Organizer),
        organization: "Rust León".into(),
        address: "Calle Mayor 1".into(),
        ..Default::default()
    };
    store.register(&org).unwrap();
    let s = store.authenticate("olga", "password-123").unwrap();
    for (name, email) in PEOPLE {
        let new = NewAttendee { name: name.into(), email: email.into(), ..Default::default() };
        store.add_attendee(&s, &new).unwrap();
    }
    let raw = rusqlite::Connection::open(store.path().unwrap()).unwrap();
    check(512, prop_oneof![3 => pieces(), 1 => hostile()], |q: String| {
        let query = AttendeeQuery { search: q.clone(), page: Page::new(0, 1_000) };
        let found: Vec<i64> = store.list_attendees(&query).unwrap().iter().map(|a| a.id).collect();
        let expected = if q.trim().is_empty() {
            raw.prepare("SELECT id FROM attendees ORDER BY name COLLATE NOCASE, id")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        } else {
            fold_oracle(&raw, &q)
        };
        prop_assert_eq!(&found, &expected, "search {:?}", q);
        prop_assert_eq!(store.count_attendees(&query).unwrap(), expected.len() as u64, "count {:?}", q);
        Ok(())
    });
    assert!(store.check().unwrap().is_ok());
}
