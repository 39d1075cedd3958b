//! The audit history: written by every rule inside its own transaction, read newest first.

use serde_json::Value;

use super::Store;
use super::engine::Record;
use super::query::HistoryQuery;
use crate::model::{HistoryAction, HistoryEntry, ObjectKind, Result, Session};

impl<'a> Record<'a> {
    /// A change the signed-in operator made to one object.
    pub(super) fn by(
        s: &'a Session,
        action: HistoryAction,
        kind: ObjectKind,
        id: i64,
        details: Value,
    ) -> Self {
        Record { actor: &s.username, action, kind, id: Some(id), details }
    }
}

impl Store {
    /// History rows matching the filter, newest first, one page.
    pub fn history(&self, q: &HistoryQuery) -> Result<Vec<HistoryEntry>> {
        self.engine.history(q)
    }

    /// How many rows match, exactly (from the row `q.page` seeks, when it seeks).
    pub fn count_history(&self, q: &HistoryQuery) -> Result<u64> {
        self.engine.count_history(q, None)
    }

    /// Counts matches up to `cap + 1` and stops there, as `count_events_upto`.
    pub fn count_history_upto(&self, q: &HistoryQuery, cap: u64) -> Result<u64> {
        self.engine.count_history(q, Some(cap))
    }
}
