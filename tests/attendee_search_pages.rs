//! The attendee search's pages and capped count on both engines, at a size where the engines'
//! first step (a walk of the first few thousand name-index entries) cannot see every match: each page
//! must still be exactly the matches in name order, wherever they sort.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/engines.rs"]
mod engines;

use engines::Db;
use eventdesk::model::Attendee;
use eventdesk::store::{AttendeeQuery, BulkSpec, OpenOptions, Page, Store};

on_both_engines!(every_page_is_the_matches_in_name_order);

/// Attendees past the walk, so a search of a name that sorts last needs the second step.
const ATTENDEES: u64 = 24_000;

fn query(search: &str, offset: u64, limit: u32) -> AttendeeQuery {
    AttendeeQuery { search: search.into(), page: Page::new(offset, limit) }
}

/// Every attendee in the store's own order, read unsearched.
fn all(store: &Store) -> Vec<Attendee> {
    store.list_attendees(&query("", 0, u32::try_from(ATTENDEES).unwrap() + 10)).unwrap()
}

fn every_page_is_the_matches_in_name_order(db: &Db) {
    let store = db.open(OpenOptions::default());
    store.generate(&BulkSpec { attendees: ATTENDEES, ..BulkSpec::default() }).unwrap();
    let everyone = all(&store);
    assert_eq!(everyone.len() as u64, ATTENDEES);
    // Sorting first, sorting last, in the surname, in the email only, two letters, nobody.
    for search in ["ana", "PRIYA", "quinn", "bulk-2399", "iy", "zoe"] {
        let needle = search.to_ascii_lowercase();
        let expected: Vec<i64> = everyone
            .iter()
            .filter(|a| {
                a.name.to_ascii_lowercase().contains(&needle)
                    || a.email.to_ascii_lowercase().contains(&needle)
            })
            .map(|a| a.id)
            .collect();
        for (offset, limit) in [(0, 50), (50, 50), (expected.len().saturating_sub(7) as u64, 50)] {
            let got: Vec<i64> =
                store.list_attendees(&query(search, offset, limit)).unwrap().iter().map(|a| a.id).collect();
            let want: Vec<i64> =
                expected.iter().copied().skip(offset as usize).take(limit as usize).collect();
            assert_eq!(got, want, "{search:?} at offset {offset}");
        }
        let capped = store.count_attendees_upto(&query(search, 0, 50), 1_000).unwrap();
        assert_eq!(capped, (expected.len() as u64).min(1_001), "{search:?} capped count");
        assert_eq!(
            store.count_attendees(&query(search, 0, 50)).unwrap(),
            expected.len() as u64,
            "{search:?}"
        );
    }
}
