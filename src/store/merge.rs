//! Merging two attendees found to be one person (issue 12): before migration 006 one address
//! typed in two cases or Unicode forms made two attendees.

use serde::Serialize;
use serde_json::json;

use super::engine::{Record, Tx};
use super::{Store, authorize, found};
use crate::model::{Attendee, Error, HistoryAction, ObjectKind, Refusal, Result, Role, Session};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// The attendee kept, after the merge.
    pub kept: Attendee,
    /// The attendee merged into it (kept for history, hidden from lists and searches).
    pub merged_id: i64,
    pub bookings_moved: u64,
    pub entries_moved: u64,
}

impl Store {
    /// Hands `other`'s bookings and waiting-list entries to `keep` and marks `other` merged
    /// into it, with a `merge` history row, in one transaction. Desk staff only. Refused when
    /// both hold a seat on one event, both wait on one, or one holds a seat where the other
    /// waits: the result would break one seat (or one place) per attendee and event.
    pub fn merge_attendees(&self, s: &Session, keep: i64, other: i64) -> Result<Merged> {
        self.write(|tx| {
            if authorize(tx, s)? != Role::Desk {
                return Err(Error::Forbidden("only desk staff can merge attendees".into()));
            }
            let kept = found(tx.attendee(keep)?, "attendee", keep)?;
            let merged = found(tx.attendee(other)?, "attendee", other)?;
            if keep == other {
                return Err(Refusal::MergeSelf.into());
            }
            for id in [keep, other] {
                if let Some(into) = tx.merged_into(id)? {
                    return Err(Refusal::AlreadyMerged { id, into }.into());
                }
            }
            refuse_clashes(tx, keep, other)?;
            let now = self.now();
            let (bookings_moved, entries_moved) = tx.merge_attendee(keep, other, now)?;
            let details = json!({
                "keep_id": keep, "other_id": other,
                "name": kept.name, "email": kept.email,
                "other_name": merged.name, "other_email": merged.email,
                "bookings_moved": bookings_moved, "entries_moved": entries_moved,
            });
            tx.record(now, &Record::by(s, HistoryAction::Merge, ObjectKind::Attendee, keep, details))?;
            let kept = found(tx.attendee(keep)?, "attendee", keep)?;
            Ok(Merged { kept, merged_id: other, bookings_moved, entries_moved })
        })
    }
}

fn refuse_clashes(tx: &mut dyn Tx, keep: i64, other: i64) -> Result<()> {
    let (keep_seats, keep_waits) = tx.holdings(keep)?;
    let (other_seats, other_waits) = tx.holdings(other)?;
    let clash = |a: &[i64], b: &[i64], what: &'static str| -> Result<()> {
        match a.iter().find(|e| b.contains(e)) {
            Some(&event_id) => Err(Refusal::MergeClash { event_id, what }.into()),
            None => Ok(()),
        }
    };
    clash(&keep_seats, &other_seats, "both attendees hold an active seat")?;
    clash(&keep_waits, &other_waits, "both attendees wait on the list")?;
    clash(&keep_seats, &other_waits, "one holds a seat and the other waits")?;
    clash(&keep_waits, &other_seats, "one holds a seat and the other waits")
}
