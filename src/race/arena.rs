//! Where a race runs: the database, the operator the racers sign in as, and each round's event
//! and attendees.

use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use chrono::Duration;

use super::{Target, WorkerCommand};
use crate::model::{Event, NewAttendee, NewEvent, NewOperator, Role, Session};
use crate::store::{Location, Store};

const SCRATCH_PASSWORD: &str = "race-password";

/// The database of a race and who acts on it. A scratch database is removed on drop.
pub(super) struct Arena {
    store: Store,
    location: Location,
    session: Session,
    password: String,
    /// The organizer that creates scratch events; `None` when racing a given event.
    organizer: Option<Session>,
    fixed_event: Option<i64>,
    scratch_dir: Option<PathBuf>,
    /// Makes attendee emails unique across races on the same database.
    tag: u128,
}

impl Arena {
    pub(super) fn prepare(target: &Target) -> anyhow::Result<Arena> {
        let tag = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        match target {
            Target::Scratch => Arena::scratch(tag),
            Target::Event { db, event_id, user, password } => {
                let store = Store::open(db)?;
                let session = store.authenticate(user, password)?;
                store.event(*event_id)?;
                Ok(Arena {
                    store,
                    location: db.clone(),
                    session,
                    password: password.clone(),
                    organizer: None,
                    fixed_event: Some(*event_id),
                    scratch_dir: None,
                    tag,
                })
            }
        }
    }

    fn scratch(tag: u128) -> anyhow::Result<Arena> {
        let dir = std::env::temp_dir().join(format!("eventdesk-race-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("race.db");
        let store = Store::open(&path)?;
        let account = |username: &str, role| -> anyhow::Result<Session> {
            store.register(&NewOperator {
                username: username.into(),
                password: SCRATCH_PASSWORD.into(),
                role: Some(role),
                organization: "Race Club".into(),
                address: "Start Line 1".into(),
                ..Default::default()
            })?;
            Ok(store.authenticate(username, SCRATCH_PASSWORD)?)
        };
        let organizer = account("race-organizer", Role::Organizer)?;
        let session = account("race-desk", Role::Desk)?;
        Ok(Arena {
            store,
            location: Location::Sqlite(path),
            session,
            password: SCRATCH_PASSWORD.into(),
            organizer: Some(organizer),
            fixed_event: None,
            scratch_dir: Some(dir),
            tag,
        })
    }

    pub(super) fn store(&self) -> &Store {
        &self.store
    }

    pub(super) fn location(&self) -> &Location {
        &self.location
    }

    /// The given event as it stands now, or a fresh event with `seats` seats starting tomorrow.
    pub(super) fn event_for_round(&self, round: u32, seats: u32) -> anyhow::Result<Event> {
        if let Some(id) = self.fixed_event {
            return Ok(self.store.event(id)?);
        }
        let organizer = self.organizer.as_ref().context("internal: a scratch race has an organizer")?;
        let start = self.store.now() + Duration::days(1);
        let new = NewEvent {
            title: format!("Race round {round}"),
            description: String::new(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            capacity: i64::from(seats),
        };
        Ok(self.store.create_event(organizer, &new)?)
    }

    /// `procs` new attendees, one per racing process.
    pub(super) fn attendees(&self, round: u32, procs: u32) -> anyhow::Result<Vec<i64>> {
        (1..=procs)
            .map(|p| {
                let new = NewAttendee {
                    name: format!("Racer {round}-{p}"),
                    email: format!("racer-{}-{round}-{p}@example.org", self.tag),
                    phone: String::new(),
                };
                Ok(self.store.add_attendee(&self.session, &new)?.id)
            })
            .collect()
    }

    /// The command line of one racer.
    pub(super) fn command(&self, worker: &WorkerCommand, event_id: i64, attendee_id: i64) -> Command {
        let mut command = Command::new(&worker.program);
        command
            .args(&worker.args)
            .args(["--user", &self.session.username])
            .args(["--event", &event_id.to_string(), "--attendee", &attendee_id.to_string()])
            .env("EVENTDESK_PASSWORD", &self.password)
            .env_remove("EVENTDESK_USER");
        // In the environment rather than the arguments: a server URL may hold a password,
        // and any user can read another process's arguments.
        match &self.location {
            Location::Sqlite(path) => command.arg("--db").arg(path).env_remove("EVENTDESK_DB"),
            Location::Postgres(url) => command.env("EVENTDESK_DB", url),
        };
        command
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        if let Some(dir) = &self.scratch_dir {
            // Best effort: a leftover scratch folder in the temp dir harms nothing.
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
