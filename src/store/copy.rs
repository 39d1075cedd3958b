//! `eventdesk copy`: the whole database, row for row, into an empty database of either engine
//! (how a desk that started on the embedded file moves to PostgreSQL, and back).

use serde::Serialize;

use super::{CheckReport, Store};
use crate::model::{Error, Refusal, Result};

/// One stored row, as both engines hold it: times in whole seconds since the epoch, history
/// details as JSON text. Ids are kept, so history keeps pointing at the right objects.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Row {
    Operator {
        id: i64,
        username: String,
        password_hash: String,
        role: String,
        name: String,
        email: Option<String>,
        organization: Option<String>,
        address: Option<String>,
        failed_logins: i64,
        locked_until: Option<i64>,
        created_at: i64,
    },
    Attendee {
        id: i64,
        name: String,
        email: String,
        phone: Option<String>,
        created_at: i64,
        updated_at: i64,
        /// The attendee this one was merged into (`attendee merge`).
        merged_into: Option<i64>,
        version: i64,
    },
    /// `booked` is not copied: the target's triggers count the bookings as they arrive.
    Event {
        id: i64,
        title: String,
        description: String,
        starts_at: i64,
        ends_at: i64,
        capacity: i64,
        creator_id: i64,
        created_at: i64,
        updated_at: i64,
        deleted_at: Option<i64>,
        version: i64,
    },
    Booking {
        id: i64,
        event_id: i64,
        attendee_id: i64,
        status: String,
        booked_at: i64,
        cancelled_at: Option<i64>,
    },
    History {
        id: i64,
        actor: String,
        action: String,
        object_kind: String,
        object_id: Option<i64>,
        details: String,
        created_at: i64,
    },
    Waitlist {
        id: i64,
        event_id: i64,
        attendee_id: i64,
        status: String,
        joined_at: i64,
        left_at: Option<i64>,
    },
    CheckIn {
        id: i64,
        booking_id: i64,
        checked_in_at: i64,
        checked_in_by: String,
        undone_at: Option<i64>,
        undone_by: Option<String>,
    },
}

/// Rows per table, in the order they are copied (parents before the rows that refer to them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub operators: u64,
    pub attendees: u64,
    pub events: u64,
    pub bookings: u64,
    pub history: u64,
    pub waitlist: u64,
    pub checkins: u64,
}

impl RowCounts {
    pub(super) fn add(&mut self, row: &Row) {
        match row {
            Row::Operator { .. } => self.operators += 1,
            Row::Attendee { .. } => self.attendees += 1,
            Row::Event { .. } => self.events += 1,
            Row::Booking { .. } => self.bookings += 1,
            Row::History { .. } => self.history += 1,
            Row::Waitlist { .. } => self.waitlist += 1,
            Row::CheckIn { .. } => self.checkins += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.operators
            + self.attendees
            + self.events
            + self.bookings
            + self.history
            + self.waitlist
            + self.checkins
    }
}

/// What a copy did: rows read from the source, rows in the target afterwards, and the
/// target's `check`.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    pub source: String,
    pub target: String,
    pub copied: RowCounts,
    pub source_rows: RowCounts,
    pub target_rows: RowCounts,
    pub check: CheckReport,
}

/// Hands each row of a database, table by table in id order, to `sink`.
pub(super) type Sink<'a> = dyn FnMut(Row) -> Result<()> + 'a;

impl Store {
    /// Copies every row of this database into `target`, which must be empty (a freshly
    /// created or initialised database), in one transaction of the target: a failure leaves
    /// it as empty as it was. Then checks the target.
    pub fn copy_to(&self, target: &Store) -> Result<CopyReport> {
        if self.location() == target.location() {
            return Err(Refusal::CopyOntoItself.into());
        }
        let copied = target.engine.import(&mut |sink| self.engine.export(sink))?;
        let check = target.check()?;
        Ok(CopyReport {
            source: self.location().to_string(),
            target: target.location().to_string(),
            copied,
            source_rows: self.engine.row_counts()?,
            target_rows: target.engine.row_counts()?,
            check,
        })
    }
}

/// The refusal an import gives when the target holds anything at all.
pub(super) fn not_empty(counts: RowCounts) -> Error {
    Refusal::TargetNotEmpty { rows: counts.total() }.into()
}
