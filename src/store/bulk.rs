//! Generating a large database quickly, for benchmarks, load tests and big demos: what to
//! generate and what came of it. Each engine writes the rows its own fastest way; the result is
//! a database the desk itself could have written (every trigger and CHECK runs, every object
//! has its history row, `check()` passes).

use std::ops::Range;
use std::time::Instant;

use serde::Serialize;

use super::Store;
use crate::model::{Error, Field, Result};

/// Password of every generated organizer (`bulk-org-<id>`), so benches and testers can sign in.
pub const BULK_PASSWORD: &str = "bulk-password";

pub(super) const DAY: i64 = 86_400;
/// Steps attendees across events, so one attendee's bookings land on unrelated events.
const SPREAD: u64 = 7_919;

pub(super) const FIRST: [&str; 16] = [
    "Ana", "Ben", "Carla", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jon", "Kai", "Lena", "Mateo",
    "Nora", "Omar", "Priya",
];
pub(super) const LAST: [&str; 16] = [
    "Ruiz", "Okafor", "Novak", "Tanaka", "Silva", "Berg", "Costa", "Haddad", "Ivanova", "Kim", "Larsen",
    "Moreau", "Nakamura", "Owusu", "Petrov", "Quinn",
];
pub(super) const TOPIC: [&str; 8] =
    ["Rust", "SQLite", "Jazz", "Pottery", "Chess", "Yoga", "Robotics", "Poetry"];
pub(super) const KIND: [&str; 6] = ["Meetup", "Workshop", "Evening", "Course", "Talk", "Night"];

/// How much to generate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkSpec {
    pub organizers: u64,
    pub events: u64,
    pub attendees: u64,
    /// Active bookings, spread evenly over the events; at most events × attendees.
    pub bookings: u64,
}

/// What was generated: the id ranges of the new rows and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkSummary {
    pub organizers: Range<i64>,
    pub events: Range<i64>,
    pub attendees: Range<i64>,
    pub bookings: Range<i64>,
    pub history_rows: u64,
    pub millis: u64,
}

impl BulkSummary {
    /// Username of the first generated organizer (password `BULK_PASSWORD`).
    pub fn organizer_username(&self) -> String {
        organizer_name(self.organizers.start)
    }
}

pub(super) fn organizer_name(id: i64) -> String {
    format!("bulk-org-{id}")
}

/// Title of the `i`-th generated event (0-based), whose id is `id`.
pub(super) fn event_title(i: u64, id: i64) -> String {
    format!("{} {} #{id}", TOPIC[i as usize % 8], KIND[(i / 8) as usize % 6])
}

/// Name of the `k`-th generated attendee (0-based).
pub(super) fn attendee_name(k: u64) -> String {
    format!("{} {}", FIRST[k as usize % 16], LAST[(k / 16) as usize % 16])
}

impl BulkSpec {
    /// What was generated, from the first new id of each table (operators, events, attendees,
    /// bookings) and when generating started: the same for every engine.
    pub(super) fn summary(&self, first: [i64; 4], started: Instant) -> BulkSummary {
        let [operator, event, attendee, booking] = first;
        let range = |start: i64, n: u64| start..start.saturating_add(i64::try_from(n).unwrap_or(i64::MAX));
        BulkSummary {
            organizers: range(operator, self.organizers),
            events: range(event, self.events),
            attendees: range(attendee, self.attendees),
            bookings: range(booking, self.bookings),
            history_rows: self.organizers + self.events + self.attendees + self.bookings,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        let room = self.events.saturating_mul(self.attendees);
        if self.bookings > room {
            return Err(Error::invalid(
                Field::Capacity,
                format!("{} bookings need events × attendees ≥ {}", self.bookings, self.bookings),
            ));
        }
        if self.events > 0 && self.organizers == 0 {
            return Err(Error::invalid(Field::Role, "events need at least one organizer"));
        }
        Ok(())
    }

    /// Which event and attendee (0-based) booking `j` pairs. Distinct for every `j` below
    /// events × attendees: one round books every attendee once, on consecutive-modulo events.
    pub(super) fn pair(&self, j: u64) -> (u64, u64) {
        let a = j % self.attendees;
        let round = j / self.attendees;
        ((a * SPREAD + round) % self.events, a)
    }

    /// Active bookings each event will receive, so its capacity can be set to hold them.
    pub(super) fn per_event(&self) -> Vec<u32> {
        let mut counts = vec![0u32; usize::try_from(self.events).unwrap_or(0)];
        for j in 0..self.bookings {
            let (e, _) = self.pair(j);
            if let Some(c) = usize::try_from(e).ok().and_then(|e| counts.get_mut(e)) {
                *c += 1;
            }
        }
        counts
    }
}

impl Store {
    /// Appends `spec`'s organizers, events, attendees and bookings with their history rows.
    /// About 30 s for 100 000 events and 1 000 000 attendees and bookings on SQLite (release,
    /// 2 cores).
    pub fn generate(&self, spec: &BulkSpec) -> Result<BulkSummary> {
        spec.validate()?;
        self.engine.generate(spec, self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_distinct_and_spread_evenly() {
        let spec = BulkSpec { organizers: 1, events: 7, attendees: 5, bookings: 35 };
        let pairs: std::collections::HashSet<_> = (0..spec.bookings).map(|j| spec.pair(j)).collect();
        assert_eq!(pairs.len(), 35);
        assert_eq!(spec.per_event(), vec![5; 7]);
    }

    #[test]
    fn too_many_bookings_are_refused() {
        let spec = BulkSpec { organizers: 1, events: 2, attendees: 3, bookings: 7 };
        assert!(spec.validate().is_err());
    }
}
