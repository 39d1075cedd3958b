//! The attendee search matches exactly what `name LIKE '%text%' OR email LIKE '%text%'` (with
//! `%`, `_`, `\` literal) matched before the trigram index: no fewer rows, no more. Names are
//! chosen where Unicode case folding (the index's) and ASCII folding (LIKE's) disagree.

#![allow(clippy::unwrap_used)]

#[path = "support/hostile.rs"]
mod hostile;

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

/// What LIKE matched before migration 003, asked of the file directly.
fn like_oracle(conn: &rusqlite::Connection, text: &str) -> Vec<i64> {
    let mut p = String::from("%");
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(if c == '\0' { '\u{1}' } else { c });
    }
    p.push('%');
    let sql = "SELECT id FROM attendees WHERE name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'
               ORDER BY name COLLATE NOCASE, id";
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([p], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
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
            like_oracle(&raw, &q)
        };
        prop_assert_eq!(&found, &expected, "search {:?}", q);
        prop_assert_eq!(store.count_attendees(&query).unwrap(), expected.len() as u64, "count {:?}", q);
        Ok(())
    });
    assert!(store.check().unwrap().is_ok());
}
