//! `eventdesk check`: proves the database is sound and every invariant holds.

use serde::Serialize;

use super::Store;
use crate::model::Result;

/// What `check` found. `problems` is empty when everything holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub problems: Vec<String>,
    pub events: u64,
    pub bookings: u64,
    pub active_bookings: u64,
    pub history: u64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Integrity, foreign keys, booked counters, capacity, and history completeness.
    pub fn check(&self) -> Result<CheckReport> {
        self.engine.check()
    }
}
