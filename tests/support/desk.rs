//! The store tests' desk: one database of either engine at a fixed "now", an organizer and a
//! desk operator, and the events and attendees the tests book with.

// Shared by several test crates; each uses a part.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use eventdesk::model::{Clock, Error, HistoryAction, NewAttendee, NewEvent, Refusal, Role, Session};
use eventdesk::store::{HistoryQuery, OpenOptions, Store};

use super::accounts::register;
use super::engines::Db;

/// The tests' "now": Wednesday 25 November 2026, noon UTC.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

pub struct Desk {
    pub store: Store,
    /// `olga`, the organizer who creates the events.
    pub org: Session,
    /// `dave`, at the front desk.
    pub desk: Session,
}

/// A new database on `db` with the clock stopped at `t0()`.
pub fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "dave", Role::Desk);
    Desk { store, org, desk }
}

impl Desk {
    /// An event of `capacity` seats by the organizer, starting `hours` after t0, two hours long.
    pub fn event(&self, capacity: i64, hours: i64) -> i64 {
        let start = t0() + Duration::hours(hours);
        let new = NewEvent {
            title: format!("Event {capacity}/{hours}"),
            description: String::new(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            capacity,
        };
        self.store.create_event(&self.org, &new).unwrap().id
    }

    /// Attendee number `n`: "Person n", pn@example.org.
    pub fn attendee(&self, n: usize) -> i64 {
        let new = NewAttendee {
            name: format!("Person {n}"),
            email: format!("p{n}@example.org"),
            phone: String::new(),
        };
        self.store.add_attendee(&self.desk, &new).unwrap().id
    }

    pub fn attendees(&self, from: usize, n: usize) -> Vec<i64> {
        (from..from + n).map(|i| self.attendee(i)).collect()
    }

    /// Books as the desk; the booking's id.
    pub fn book(&self, event: i64, attendee: i64) -> i64 {
        self.store.book(&self.desk, event, attendee).unwrap().booking.id
    }

    /// Moves the store's clock.
    pub fn at(&mut self, t: DateTime<Utc>) {
        self.store.set_clock(Clock::Fixed(t));
    }

    pub fn history_count(&self, action: HistoryAction) -> u64 {
        let q = HistoryQuery { action: Some(action), ..Default::default() };
        self.store.count_history(&q).unwrap()
    }
}

/// The refusal `r` failed with; any other outcome fails the test.
pub fn refusal(r: Result<impl std::fmt::Debug, Error>) -> Refusal {
    match r {
        Err(Error::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}
