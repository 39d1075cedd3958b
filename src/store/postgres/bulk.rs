//! The PostgreSQL generator: one transaction, rows sent as arrays (`unnest`) in large slices,
//! so a slice of 50 000 rows is one round trip. Every CHECK, unique index and foreign key
//! runs; the identity sequences and the history counter are moved past the generated ids at
//! the end.
//!
//! Three row-by-row triggers are switched off, only inside this transaction (DDL is
//! transactional in PostgreSQL: a failure rolls the switch back with the rows), because a row
//! that one transaction updates again and again keeps every version it leaves until commit:
//! - `history_number` bumps the single `history_ids` row per history row, so the 2 000 000th
//!   update walks a chain of 2 000 000 versions (a million-booking run did not finish in 14
//!   minutes). The generator numbers its rows itself and sets the counter once.
//! - `bookings_count_insert` (with its capacity guard, which reads that counter) bumps
//!   `events.booked` once per booking, leaving every event row ten versions deep: a table of
//!   100 000 events grew to 132 MB and every scan of it paid for that. The generator counts
//!   the bookings per event in one UPDATE at the end instead, and the CHECK `booked <=
//!   capacity` refuses that UPDATE — and so the whole generation — if any event overfilled.
use std::cell::Cell;
use std::time::Instant;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use chrono::{DateTime, Utc};
use postgres::{Client, Transaction};

use super::rows::Fetched;
use crate::model::fold::{canonical_email, fold};
use crate::model::history_details::{self as details, Named};
use crate::model::{Error, NewEvent, Result};
use crate::store::bulk::{
    BULK_PASSWORD, BulkSpec, BulkSummary, DAY, TOPIC, attendee_name, event_title, organizer_name,
};

/// Rows per statement.
const SLICE: u64 = 50_000;

const HISTORY_SQL: &str = "INSERT INTO history (id, actor, action, object_kind, object_id, details, created_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[])";

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// History rows for one slice, as columns.
#[derive(Default)]
struct History {
    number: Vec<i64>,
    actor: Vec<String>,
    action: Vec<&'static str>,
    kind: Vec<&'static str>,
    id: Vec<i64>,
    details: Vec<String>,
    at: Vec<i64>,
}

impl History {
    fn push(
        &mut self,
        base: &Base,
        actor: String,
        action: &'static str,
        (kind, id): (&'static str, i64),
        details: String,
        at: i64,
    ) {
        self.number.push(base.next_history());
        self.actor.push(actor);
        self.action.push(action);
        self.kind.push(kind);
        self.id.push(id);
        self.details.push(details);
        self.at.push(at);
    }

    fn write(self, tx: &mut Transaction<'_>) -> Fetched<()> {
        tx.execute(
            HISTORY_SQL,
            &[&self.number, &self.actor, &self.action, &self.kind, &self.id, &self.details, &self.at],
        )?;
        Ok(())
    }
}

/// The first free id of each table, and the clock the rows are stamped with.
struct Base {
    operator: i64,
    event: i64,
    attendee: i64,
    booking: i64,
    /// The next history id; rows are numbered in the order they are generated.
    history: Cell<i64>,
    now: i64,
}

impl Base {
    fn next_history(&self) -> i64 {
        let id = self.history.get();
        self.history.set(id + 1);
        id
    }
}

pub(super) fn generate(
    client: &mut Client,
    spec: &BulkSpec,
    now: DateTime<Utc>,
) -> Result<BulkSummary, GenerateError> {
    let started = Instant::now();
    // Argon2 is deliberately slow, and these accounts share a password: one hash for all.
    let hash = Argon2::default()
        .hash_password(BULK_PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| GenerateError::Hash(e.to_string()))?
        .to_string();
    let mut tx = client.transaction()?;
    // Other desks may read meanwhile, but not write: the first free ids must not move.
    tx.batch_execute("LOCK TABLE operators, events, attendees, bookings IN EXCLUSIVE MODE")?;
    let last_history: i64 = tx.query_one("SELECT last_id FROM history_ids FOR UPDATE", &[])?.try_get(0)?;
    switch_triggers(&mut tx, "DISABLE")?;
    let mut next = |table: &str| -> Fetched<i64> {
        tx.query_one(&format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"), &[])?.try_get(0)
    };
    let base = Base {
        operator: next("operators")?,
        event: next("events")?,
        attendee: next("attendees")?,
        booking: next("bookings")?,
        history: Cell::new(last_history + 1),
        now: now.timestamp(),
    };
    slices(spec.organizers, |range| organizers(&mut tx, &base, &hash, range))?;
    let counts = spec.per_event();
    slices(spec.events, |range| events(&mut tx, &base, spec, &counts, range))?;
    slices(spec.attendees, |range| attendees(&mut tx, &base, range))?;
    slices(spec.bookings, |range| bookings(&mut tx, &base, spec, range))?;
    tx.execute(
        "UPDATE events e SET booked = e.booked + c.n
           FROM (SELECT event_id, count(*) AS n FROM bookings WHERE id >= $1 AND status = 'active' GROUP BY event_id) c
          WHERE e.id = c.event_id",
        &[&base.booking],
    )?;
    super::copy::advance_sequences(&mut tx)?;
    tx.execute("UPDATE history_ids SET last_id = $1", &[&(base.history.get() - 1)])?;
    switch_triggers(&mut tx, "ENABLE")?;
    tx.commit()?;
    Ok(spec.summary([base.operator, base.event, base.attendee, base.booking], started))
}

/// The row-by-row triggers the generator does the work of itself (see the module comment).
const SWITCHED_OFF: [(&str, &str); 4] = [
    ("history", "history_number"),
    ("bookings", "bookings_guard_insert"),
    ("bookings", "bookings_count_insert"),
    ("events", "events_booked_guard"),
];

fn switch_triggers(tx: &mut Transaction<'_>, how: &str) -> Fetched<()> {
    for (table, trigger) in SWITCHED_OFF {
        tx.batch_execute(&format!("ALTER TABLE {table} {how} TRIGGER {trigger}"))?;
    }
    Ok(())
}

/// Why generating failed: the server, or hashing the shared password.
pub(super) enum GenerateError {
    Db(postgres::Error),
    Hash(String),
}

impl From<postgres::Error> for GenerateError {
    fn from(e: postgres::Error) -> Self {
        GenerateError::Db(e)
    }
}

impl GenerateError {
    pub(super) fn into_error(self, at: &str) -> Error {
        match self {
            GenerateError::Db(e) => super::error::map(&e, at),
            GenerateError::Hash(e) => Error::Storage(format!("cannot hash the password: {e}")),
        }
    }
}

fn slices(total: u64, mut fill: impl FnMut(std::ops::Range<u64>) -> Fetched<()>) -> Fetched<()> {
    let mut start = 0;
    while start < total {
        let end = (start + SLICE).min(total);
        fill(start..end)?;
        start = end;
    }
    Ok(())
}

fn organizers(tx: &mut Transaction<'_>, base: &Base, hash: &str, range: std::ops::Range<u64>) -> Fetched<()> {
    let (mut ids, mut users, mut orgs, mut history) = (vec![], vec![], vec![], History::default());
    let created = base.now - 400 * DAY;
    for k in range {
        let id = base.operator + int(k);
        let (user, org) = (organizer_name(id), format!("{} Society {id}", TOPIC[k as usize % 8]));
        let details =
            serde_json::json!({ "role": "organizer", "name": user, "organization": org }).to_string();
        history.push(base, user.clone(), "register", ("operator", id), details, created);
        ids.push(id);
        users.push(user);
        orgs.push(org);
    }
    tx.execute(
        "INSERT INTO operators (id, username, password_hash, role, name, organization, address, created_at)
         SELECT id, u, $3, 'organizer', u, o, 'Calle Mayor 1', $4 FROM unnest($1::bigint[], $2::text[], $5::text[]) AS r(id, u, o)",
        &[&ids, &users, &hash, &created, &orgs],
    )?;
    history.write(tx)
}

/// Events run from 90 days ago to 270 days ahead, evenly spaced, two hours each; about a third
/// are exactly full, the rest have a few seats left (as the SQLite generator makes them).
fn events(
    tx: &mut Transaction<'_>,
    base: &Base,
    spec: &BulkSpec,
    counts: &[u32],
    range: std::ops::Range<u64>,
) -> Fetched<()> {
    let spacing = (360 * DAY / int(spec.events.max(1))).max(1);
    let (mut ids, mut titles, mut starts, mut capacities, mut creators, mut created) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut history = History::default();
    for i in range {
        let id = base.event + int(i);
        let title = event_title(i, id);
        let start = base.now - 90 * DAY + int(i) * spacing;
        let booked = i64::from(counts.get(i as usize).copied().unwrap_or(0));
        let capacity = (booked + if i % 3 == 0 { 0 } else { 1 + int(i % 17) }).max(1);
        let creator = base.operator + int(i % spec.organizers);
        let at = (start - 30 * DAY).min(base.now);
        let new = NewEvent {
            title: title.clone(),
            description: String::new(),
            starts_at: super::rows::time(start),
            ends_at: super::rows::time(start + 7200),
            capacity,
        };
        let details = details::event(&new).to_string();
        history.push(base, organizer_name(creator), "create", ("event", id), details, at);
        ids.push(id);
        titles.push(title);
        starts.push(start);
        capacities.push(capacity);
        creators.push(creator);
        created.push(at);
    }
    tx.execute(
        "INSERT INTO events (id, title, starts_at, ends_at, capacity, creator_id, created_at, updated_at, title_fold)
         SELECT id, t, s, s + 7200, c, o, a, a, f
           FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[])
             AS r(id, t, s, c, o, a, f)",
        &[&ids, &titles, &starts, &capacities, &creators, &created, &titles.iter().map(|t| fold(t)).collect::<Vec<_>>()],
    )?;
    history.write(tx)
}

fn attendees(tx: &mut Transaction<'_>, base: &Base, range: std::ops::Range<u64>) -> Fetched<()> {
    let actor = organizer_name(base.operator);
    let created = base.now - 200 * DAY;
    let (mut ids, mut names, mut emails, mut history) = (vec![], vec![], vec![], History::default());
    for k in range {
        let id = base.attendee + int(k);
        let name = attendee_name(k);
        let email = format!("bulk-{id}@example.org");
        let details = details::attendee_created(&name, &email, None).to_string();
        history.push(base, actor.clone(), "create", ("attendee", id), details, created);
        ids.push(id);
        names.push(name);
        emails.push(email);
    }
    tx.execute(
        "INSERT INTO attendees (id, name, email, created_at, updated_at, name_fold, email_canonical)
         SELECT id, n, e, $4, $4, nf, ec
           FROM unnest($1::bigint[], $2::text[], $3::text[], $5::text[], $6::text[]) AS r(id, n, e, nf, ec)",
        &[
            &ids,
            &names,
            &emails,
            &created,
            &names.iter().map(|n| fold(n)).collect::<Vec<_>>(),
            &emails.iter().map(|e| canonical_email(e)).collect::<Vec<_>>(),
        ],
    )?;
    history.write(tx)
}

/// Bookings go in attendee order; the events' counters are set once, after the last slice.
fn bookings(
    tx: &mut Transaction<'_>,
    base: &Base,
    spec: &BulkSpec,
    range: std::ops::Range<u64>,
) -> Fetched<()> {
    let actor = organizer_name(base.operator);
    let spacing = (360 * DAY / int(spec.events.max(1))).max(1);
    let (mut ids, mut events, mut people, mut times) = (vec![], vec![], vec![], vec![]);
    let mut history = History::default();
    for j in range {
        let (e, a) = spec.pair(j);
        let (id, event_id, attendee_id) =
            (base.booking + int(j), base.event + int(e), base.attendee + int(a));
        // Booked some time after the event was published and before it starts.
        let start = base.now - 90 * DAY + int(e) * spacing;
        let at = ((start - 30 * DAY).min(base.now) + int(j % 1000) * 60).min(base.now).min(start - 60);
        let details = details::booking(
            Named::new(event_id, &event_title(e, event_id)),
            Named::new(attendee_id, &attendee_name(a)),
        )
        .to_string();
        history.push(base, actor.clone(), "book", ("booking", id), details, at);
        ids.push(id);
        events.push(event_id);
        people.push(attendee_id);
        times.push(at);
    }
    tx.execute(
        "INSERT INTO bookings (id, event_id, attendee_id, booked_at, search_fold)
         SELECT u.*, booking_search_fold(u.a, u.e)
           FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u (id, e, a, t)",
        &[&ids, &events, &people, &times],
    )?;
    history.write(tx)
}
