//! The name postings (SQLite migrations 007 and 011, PostgreSQL 005 and 007) list exactly what
//! matching every row would: the attendees whose folded name or email holds the folded search
//! (one or two characters: the name), unmerged, in list order — for matches that sort first, in
//! the middle and last, email-only ones, Unicode folding, one and two letters, after renames and
//! merges, on every kind of page (offset, from the end, seeking a row either way) and in the
//! capped and exact counts. On both engines.

#![allow(clippy::unwrap_used)] // test setup: a failure should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/desk.rs"]
mod desk;
#[path = "support/engines.rs"]
mod engines;

use engines::Db;
use eventdesk::model::fold::fold;
use eventdesk::model::{Attendee, AttendeePatch, NewAttendee, Session};
use eventdesk::store::{AttendeeQuery, Page, Seek, Store};

on_both_engines!(postings_list_what_matching_every_row_lists);

/// Every unmerged attendee in list order (the empty search), read page by page.
fn everyone(store: &Store) -> Vec<Attendee> {
    let mut all = Vec::new();
    loop {
        let page = Page::new(u64::try_from(all.len()).unwrap(), 500);
        let rows = store.list_attendees(&AttendeeQuery { search: String::new(), page }).unwrap();
        if rows.is_empty() {
            return all;
        }
        all.extend(rows);
    }
}

/// What a search must list: matching every row in Rust, folded as model::fold folds; one or
/// two characters match the name alone.
fn oracle(store: &Store, search: &str) -> Vec<i64> {
    let wanted = fold(search.trim());
    let emails_too = wanted.trim().chars().count() >= 3;
    everyone(store)
        .into_iter()
        .filter(|a| fold(&a.name).contains(&wanted) || (emails_too && fold(&a.email).contains(&wanted)))
        .map(|a| a.id)
        .collect()
}

fn ids(store: &Store, search: &str, page: Page) -> Vec<i64> {
    let q = AttendeeQuery { search: search.into(), page };
    store.list_attendees(&q).unwrap().iter().map(|a| a.id).collect()
}

/// Every kind of page of `search` against the oracle, and both counts.
fn agrees(store: &Store, search: &str) {
    let all = oracle(store, search);
    let n = all.len();
    for offset in [0, 4, n / 2, n.saturating_sub(3)] {
        let page = Page::new(u64::try_from(offset).unwrap(), 7);
        let want: Vec<i64> = all.iter().skip(offset).take(7).copied().collect();
        assert_eq!(ids(store, search, page), want, "{search:?} at {offset} of {n}");
        let back: Vec<i64> = all[..n - offset.min(n)].iter().rev().take(7).rev().copied().collect();
        assert_eq!(ids(store, search, page.from_end()), back, "{search:?} {offset} from the end of {n}");
    }
    for at in [0, n / 3, n.saturating_sub(1)].into_iter().filter(|&i| i < n) {
        let row = all[at];
        let from: Vec<i64> = all.iter().skip(at).take(7).copied().collect();
        assert_eq!(
            ids(store, search, Page::new(0, 7).seeking(Seek::From(row))),
            from,
            "{search:?} from {at}"
        );
        let before: Vec<i64> = all[..at].iter().rev().take(7).rev().copied().collect();
        let got = ids(store, search, Page::new(0, 7).seeking(Seek::Before(row)));
        assert_eq!(got, before, "{search:?} before {at}");
    }
    let q = AttendeeQuery { search: search.into(), page: Page::default() };
    assert_eq!(store.count_attendees(&q).unwrap(), n as u64, "{search:?} exact count");
    assert_eq!(store.count_attendees_upto(&q, 10).unwrap(), n.min(11) as u64, "{search:?} capped count");
}

fn add(store: &Store, s: &Session, name: &str, email: &str) -> i64 {
    let new = NewAttendee { name: name.into(), email: email.into(), ..Default::default() };
    store.add_attendee(s, &new).unwrap().id
}

const SEARCHES: [&str; 22] = [
    "priya",
    "PRIYA",
    "Priya Z",
    "ana",
    "riya",
    "élodie",
    "ELODIE",
    "e\u{301}lodie",
    "strasse",
    "STRASSE",
    "straße",
    "stone@",
    "ya.st",
    "nobody here",
    "a",
    "P",
    "pr",
    "Zo",
    "ß",
    "É",
    "x.",
    "q",
];

fn postings_list_what_matching_every_row_lists(db: &Db) {
    let d = desk::desk(db);
    let (store, s) = (&d.store, &d.desk);
    // "Ana" sorts first, "Mia Priyanka" in the middle, "Zora Priya" last; one Priya is found by
    // her email alone, and the Unicode names fold (NFD É, ß = ss, case).
    let mut priyas = Vec::new();
    for i in 0..40 {
        add(store, s, &format!("Ana {i}"), &format!("ana{i}@x.org"));
        add(store, s, &format!("Mia Priyanka {i}"), &format!("mia{i}@x.org"));
        priyas.push(add(store, s, &format!("Zora Priya {i}"), &format!("z{i}@x.org")));
    }
    let stone = add(store, s, "Bob Stone", "priya.stone@x.org");
    add(store, s, "E\u{301}lodie Martin", "elodie@x.org");
    add(store, s, "ÉLODIE Roy", "eroy@x.org");
    add(store, s, "Hans Straße", "hans@x.org");
    add(store, s, "Greta Strasse", "greta@x.org");
    assert!(oracle(store, "priya").contains(&stone), "the email-only match is in the oracle");
    for search in SEARCHES {
        agrees(store, search);
    }
    // A rename moves an attendee in and out of a search, and to another place in the order;
    // a merged attendee leaves every search.
    let ana = oracle(store, "ana 7")[0];
    let patch = |name: &str| AttendeePatch { name: Some(name.into()), ..Default::default() };
    store.update_attendee(s, ana, &patch("Aaron Priya")).unwrap();
    store.update_attendee(s, priyas[3], &patch("Bob Renamed")).unwrap();
    store.merge_attendees(s, priyas[0], priyas[1]).unwrap();
    let found = oracle(store, "priya");
    assert_eq!(found.first(), Some(&ana), "renamed to sort first");
    assert!(!found.contains(&priyas[3]) && !found.contains(&priyas[1]), "renamed away, merged");
    for search in SEARCHES {
        agrees(store, search);
    }
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check().unwrap().problems);
}
