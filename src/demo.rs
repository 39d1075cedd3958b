//! The demo database: accounts, attendees, events and bookings from `assets/demo.json`, placed
//! relative to now and created through the store's normal functions, so every booking has its
//! history row and the data obeys the same rules as real data.

use std::collections::HashMap;

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Clock, NewAttendee, NewEvent, NewOperator, Role, Session};
use crate::store::{AttendeeQuery, BookingQuery, EventQuery, Store};

const DATA: &str = include_str!("../assets/demo.json");
/// Accounts exist well before any event, so history reads in a believable order.
const ACCOUNTS_AGO: TimeDelta = TimeDelta::days(60);
const ATTENDEES_AGO: TimeDelta = TimeDelta::days(45);
/// Each event is announced three weeks before it starts (and never in the future).
const ANNOUNCED_BEFORE: TimeDelta = TimeDelta::days(21);

#[derive(Deserialize)]
struct DemoData {
    organizers: Vec<Account>,
    desks: Vec<Account>,
    attendees: Vec<NewAttendee>,
    events: Vec<DemoEvent>,
}

#[derive(Deserialize)]
struct Account {
    username: String,
    password: String,
    name: String,
    email: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    address: String,
}

/// An event relative to the current hour; `bookings` and `cancelled` index into `attendees`.
#[derive(Deserialize)]
struct DemoEvent {
    title: String,
    description: String,
    organizer: String,
    start_hours: i64,
    hours: i64,
    capacity: i64,
    bookings: Vec<usize>,
    cancelled: Vec<usize>,
}

/// A demo sign-in, printed by `eventdesk demo` and listed in the README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: Role,
}

/// What `seed` created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub accounts: Vec<DemoLogin>,
    pub attendees: usize,
    pub events: usize,
    pub bookings: usize,
    pub cancelled: usize,
}

fn load() -> anyhow::Result<DemoData> {
    serde_json::from_str(DATA).context("assets/demo.json is malformed")
}

/// Every demo sign-in: organizers first, then desk staff.
pub fn accounts() -> anyhow::Result<Vec<DemoLogin>> {
    let data = load()?;
    let login =
        |a: &Account, role| DemoLogin { username: a.username.clone(), password: a.password.clone(), role };
    let organizers = data.organizers.iter().map(|a| login(a, Role::Organizer));
    Ok(organizers.chain(data.desks.iter().map(|a| login(a, Role::Desk))).collect())
}

/// The desk account the app opens signed in as.
pub fn desk_login() -> anyhow::Result<DemoLogin> {
    accounts()?
        .into_iter()
        .find(|a| a.role == Role::Desk)
        .ok_or_else(|| anyhow!("demo data has no desk account"))
}

/// Whether the database already holds data (then the demo reuses it instead of seeding twice).
pub fn is_seeded(store: &Store) -> anyhow::Result<bool> {
    Ok(store.count_events(&EventQuery::default())? > 0
        || store.count_attendees(&AttendeeQuery::default())? > 0)
}

/// Fills an empty database with the demo data. The store clock is moved back while past and
/// ongoing events are created and booked (the rules refuse both at the real time), and is
/// always restored to the system clock, also on failure.
pub fn seed(store: &mut Store) -> anyhow::Result<DemoSummary> {
    let data = load()?;
    let now = store.now();
    let result = seed_all(store, &data, now);
    store.set_clock(Clock::System);
    result
}

fn seed_all(store: &mut Store, data: &DemoData, now: DateTime<Utc>) -> anyhow::Result<DemoSummary> {
    store.set_clock(Clock::Fixed(now - ACCOUNTS_AGO));
    let organizers: HashMap<String, Session> = register_all(store, &data.organizers, Role::Organizer)?
        .into_iter()
        .map(|s| (s.username.clone(), s))
        .collect();
    let desks = register_all(store, &data.desks, Role::Desk)?;
    let first_desk = desks.first().ok_or_else(|| anyhow!("demo data has no desk account"))?;
    store.set_clock(Clock::Fixed(now - ATTENDEES_AGO));
    let attendees = data
        .attendees
        .iter()
        .map(|a| store.add_attendee(first_desk, a).map(|a| a.id))
        .collect::<Result<Vec<i64>, _>>()?;
    // Whole hours make the demo's times read like a real programme.
    let hour = now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now);
    let mut summary = DemoSummary {
        accounts: accounts()?,
        attendees: attendees.len(),
        events: 0,
        bookings: 0,
        cancelled: 0,
    };
    let mut cast =
        Cast { organizers: &organizers, desks: &desks, attendees: &attendees, events: HashMap::new() };
    for (at, op) in timeline(data, hour, now)? {
        store.set_clock(Clock::Fixed(at));
        cast.run(store, data, &op, hour, &mut summary)?;
    }
    Ok(summary)
}

/// Registers the accounts and signs each in (the login rows belong in a realistic history).
fn register_all(store: &Store, accounts: &[Account], role: Role) -> anyhow::Result<Vec<Session>> {
    let mut sessions = Vec::new();
    for a in accounts {
        let new = NewOperator {
            username: a.username.clone(),
            password: a.password.clone(),
            role: Some(role),
            name: a.name.clone(),
            email: a.email.clone(),
            organization: a.organization.clone(),
            address: a.address.clone(),
        };
        store.register(&new)?;
        sessions.push(store.login(&a.username, &a.password)?);
    }
    Ok(sessions)
}

/// One booking-desk step on an event, in the order it happens.
enum Step {
    Book(usize),
    Cancel(usize),
}

/// One dated step of the demo's history: `event` and `attendee` index into the demo data.
enum Op {
    Create { event: usize },
    Book { event: usize, attendee: usize, desk: usize },
    Cancel { event: usize, attendee: usize, desk: usize },
}

/// Every event's creation, bookings and cancellations, dated and sorted, so the history reads
/// in time order newest first. Each event is announced three weeks before it starts (never in
/// the future); its steps are spread evenly until it starts (or until now).
fn timeline(
    data: &DemoData,
    hour: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(DateTime<Utc>, Op)>> {
    let mut ops = Vec::new();
    for (event, e) in data.events.iter().enumerate() {
        let starts_at = hour + TimeDelta::hours(e.start_hours);
        let created = (starts_at - ANNOUNCED_BEFORE).min(now - TimeDelta::minutes(30));
        ops.push((created, Op::Create { event }));
        let steps = steps(e);
        let window = (starts_at.min(now) - TimeDelta::minutes(5)) - created;
        let parts = i32::try_from(steps.len() + 1)?;
        for (k, step) in steps.iter().enumerate() {
            let at = created + window * i32::try_from(k + 1)? / parts;
            ops.push((
                at,
                match *step {
                    Step::Book(attendee) => Op::Book { event, attendee, desk: k },
                    Step::Cancel(attendee) => Op::Cancel { event, attendee, desk: k },
                },
            ));
        }
    }
    // Stable: steps at the same instant keep their order.
    ops.sort_by_key(|(at, _)| *at);
    Ok(ops)
}

/// The accounts and attendees the timeline acts with, and the events it has created so far
/// (by their index in the demo data).
struct Cast<'a> {
    organizers: &'a HashMap<String, Session>,
    desks: &'a [Session],
    attendees: &'a [i64],
    events: HashMap<usize, i64>,
}

impl Cast<'_> {
    fn run(
        &mut self,
        store: &Store,
        data: &DemoData,
        op: &Op,
        hour: DateTime<Utc>,
        summary: &mut DemoSummary,
    ) -> anyhow::Result<()> {
        let desk = |k: usize| &self.desks[k % self.desks.len()];
        let attendee =
            |i: usize| self.attendees.get(i).copied().ok_or_else(|| anyhow!("no demo attendee {i}"));
        match *op {
            Op::Create { event } => {
                let e = &data.events[event];
                let organizer = self
                    .organizers
                    .get(&e.organizer)
                    .ok_or_else(|| anyhow!("demo event {:?} names an unknown organizer", e.title))?;
                let starts_at = hour + TimeDelta::hours(e.start_hours);
                let new = NewEvent {
                    title: e.title.clone(),
                    description: e.description.clone(),
                    starts_at,
                    ends_at: starts_at + TimeDelta::hours(e.hours),
                    capacity: e.capacity,
                };
                let id = store.create_event(organizer, &new)?.id;
                self.events.insert(event, id);
                summary.events += 1;
            }
            Op::Book { event, attendee: i, desk: k } => {
                let event_id =
                    *self.events.get(&event).ok_or_else(|| anyhow!("demo books before creating"))?;
                store.book(desk(k), event_id, attendee(i)?)?;
                summary.bookings += 1;
            }
            Op::Cancel { event, attendee: i, desk: k } => {
                let event_id =
                    *self.events.get(&event).ok_or_else(|| anyhow!("demo cancels before creating"))?;
                let q = BookingQuery {
                    event_id: Some(event_id),
                    attendee_id: Some(attendee(i)?),
                    ..BookingQuery::default()
                };
                let booking = store
                    .list_bookings(&q)?
                    .into_iter()
                    .next()
                    .ok_or_else(|| anyhow!("demo cancels an unbooked {i}"))?;
                store.cancel(desk(k), booking.booking.id)?;
                summary.bookings -= 1;
                summary.cancelled += 1;
            }
        }
        Ok(())
    }
}

/// Those who later cancel book first and cancel before the rest book, so a small event can
/// show cancellations and still fill up without ever being over capacity.
fn steps(e: &DemoEvent) -> Vec<Step> {
    let stays = e.bookings.iter().filter(|i| !e.cancelled.contains(i));
    e.cancelled
        .iter()
        .map(|&i| Step::Book(i))
        .chain(e.cancelled.iter().map(|&i| Step::Cancel(i)))
        .chain(stays.map(|&i| Step::Book(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_consistent() {
        let data = load().unwrap();
        assert!(data.attendees.len() >= 40 && data.events.len() >= 12);
        for e in &data.events {
            assert!(e.cancelled.iter().all(|i| e.bookings.contains(i)), "{}", e.title);
            assert!(e.bookings.iter().all(|&i| i < data.attendees.len()), "{}", e.title);
            let active = i64::try_from(e.bookings.len() - e.cancelled.len()).unwrap();
            assert!(active <= e.capacity, "{} is overbooked", e.title);
            assert!(data.organizers.iter().any(|o| o.username == e.organizer), "{}", e.title);
        }
        let phases: Vec<i64> = data.events.iter().map(|e| e.start_hours.signum()).collect();
        assert!(phases.contains(&-1) && phases.contains(&1));
        assert!(
            data.events.iter().any(|e| e.start_hours < 0 && e.start_hours + e.hours > 0),
            "no ongoing event"
        );
    }

    #[test]
    fn the_app_opens_as_a_desk_account() {
        assert_eq!(desk_login().unwrap().role, Role::Desk);
        assert_eq!(accounts().unwrap().len(), 5);
    }

    #[test]
    fn the_history_reads_newest_first_in_time_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("demo.db")).unwrap();
        let summary = seed(&mut store).unwrap();
        let q = crate::store::HistoryQuery { page: crate::store::Page::new(0, 10_000), ..Default::default() };
        let times: Vec<_> = store.history(&q).unwrap().iter().map(|h| h.created_at).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "history ids and times disagree");
        assert!(times.len() > summary.bookings + summary.events);
        assert!(store.check().unwrap().is_ok());
    }
}
