//! `eventdesk check`: proves the database is sound and every invariant holds.

use serde::Serialize;

use super::Store;
use crate::model::{Result, plural};

/// What `check` found. `problems` is empty when everything holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub problems: Vec<String>,
    pub events: u64,
    pub bookings: u64,
    pub active_bookings: u64,
    pub history: u64,
    /// Entries still on a waiting list.
    pub waiting: u64,
    /// Standing check-ins.
    pub checked_in: u64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Integrity, foreign keys, booked counters, capacity, history completeness, and the door:
    /// nobody waiting on an event with free seats before it started, no check-in standing on
    /// a booking that is not active.
    pub fn check(&self) -> Result<CheckReport> {
        self.engine.check(self.now())
    }
}

/// What an engine found about the door, worded once for both engines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DoorFindings {
    /// (event id, seats left, entries waiting) for upcoming events with both.
    pub waiting_with_seats: Vec<(i64, i64, i64)>,
    /// Waiting entries of attendees who hold a seat on the same event.
    pub booked_waiters: u64,
    /// Waiting entries on deleted events.
    pub deleted_waiting: u64,
    /// Standing check-ins on bookings that are not active.
    pub stray_check_ins: u64,
}

impl DoorFindings {
    pub(super) fn report(&self, p: &mut Vec<String>) {
        for &(event, seats, waiting) in &self.waiting_with_seats {
            p.push(format!(
                "event {event}: {} and {} waiting before the start; the list's head should have been promoted",
                plural(seats.unsigned_abs(), "seat left", "seats left"),
                waiting
            ));
        }
        if self.booked_waiters > 0 {
            let entries = plural(self.booked_waiters, "waiting entry belongs", "waiting entries belong");
            p.push(format!("waiting list: {entries} to an attendee who already holds a seat on that event"));
        }
        if self.deleted_waiting > 0 {
            let entries = plural(self.deleted_waiting, "entry is", "entries are");
            p.push(format!("waiting list: {entries} still waiting on a deleted event"));
        }
        if self.stray_check_ins > 0 {
            let check_ins = plural(self.stray_check_ins, "check-in stands", "check-ins stand");
            p.push(format!("check-ins: {check_ins} on a booking that is not active"));
        }
    }
}

/// The live (unmerged) attendees as stored: id, email, and the stored canonical email. Worded
/// once for both engines: attendees one person apart only in the case or Unicode form of their
/// email (made before migration 006, or by a raw session), and canonical columns that do not
/// hold the fold of their email (a raw write that bypassed the store).
pub(super) fn report_emails(rows: Vec<(i64, String, Option<String>)>, p: &mut Vec<String>) {
    use std::collections::BTreeMap;

    use crate::model::fold::canonical_email;
    let mut by_canonical: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut stale = 0u64;
    for (id, email, stored) in rows {
        let canonical = canonical_email(&email);
        if stored.as_deref() != Some(canonical.as_str()) {
            stale += 1;
        }
        by_canonical.entry(canonical).or_default().push(id);
    }
    // By lowest id (the rows come in id order), so the report reads in the order they were made.
    let mut shared: Vec<(String, Vec<i64>)> =
        by_canonical.into_iter().filter(|(_, ids)| ids.len() > 1).collect();
    shared.sort_by_key(|(_, ids)| ids[0]);
    for (email, ids) in shared {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        p.push(format!(
            "attendees {} share the email {email} (in another case or Unicode form); \
             merge them with `eventdesk attendee merge KEEP_ID OTHER_ID`",
            ids.join(", ")
        ));
    }
    if stale > 0 {
        let rows = plural(stale, "attendee's canonical email does", "attendees' canonical emails do");
        p.push(format!("attendees: {rows} not match the email (written around the store)"));
    }
}

/// The search columns the store folds in Rust, with the query reading each beside its text.
pub(super) const FOLDED: [(&str, &str, &str); 2] = [
    ("attendees", "name", "SELECT name, name_fold FROM attendees WHERE merged_into IS NULL"),
    ("events", "title", "SELECT title, title_fold FROM events WHERE deleted_at IS NULL"),
];

/// Whether a search column holds the fold of its text; one that does not (a raw write around
/// the store) hides its row from every search.
pub(super) fn fold_is_stale(text: &str, stored: Option<&str>) -> bool {
    stored != Some(crate::model::fold::fold(text).as_str())
}

/// Worded once for both engines: `stale` rows of `table` whose `column` search form does not
/// match the text.
pub(super) fn report_stale_folds(table: &str, column: &str, stale: u64, p: &mut Vec<String>) {
    if stale > 0 {
        let rows = plural(stale, "row", "rows");
        p.push(format!(
            "{table}: {rows} with a {column} whose search form does not match it (written around the \
             store): search misses them"
        ));
    }
}

/// Bookings whose search text (`search_fold`) no longer matches their attendee and event: a
/// search for the new name or title misses them. Rewriting `attendee_id` in place fires the
/// trigger that writes it again, on both engines.
pub(super) fn report_stale_search_text(stale: u64, p: &mut Vec<String>) {
    if stale > 0 {
        p.push(format!(
            "search text: {} out of step with {} attendee and event; \
             rewrite it with UPDATE bookings SET attendee_id = attendee_id",
            plural(stale, "booking is", "bookings are"),
            if stale == 1 { "its" } else { "their" }
        ));
    }
}
