//! `eventdesk race`: N real OS processes released at one instant to book the last K seats.
//!
//! The testers' tool and the multi-process benches' building block. Each round prepares an
//! event (a fresh K-seat event on a scratch database, or a given event on a given database)
//! and N fresh attendees, starts N workers that each open the store and sign in, releases them
//! together through one pipe (`start_line`), and then checks who won, who was cleanly refused,
//! what else went wrong, and whether every invariant still holds.

mod arena;
mod latency;
mod print;
pub mod start_line;
mod worker;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context as _, bail};
use serde::Serialize;

pub use latency::Spread;
pub use print::render;
pub use worker::{Outcome, WorkerReport, outcome, work};

use arena::Arena;
use start_line::Finished;

use crate::store::Location;

/// What to race.
#[derive(Debug, Clone)]
pub struct RaceSpec {
    pub procs: u32,
    /// Seats of each scratch event (a given event is raced for the seats it has left).
    pub seats: u32,
    pub rounds: u32,
    pub target: Target,
}

/// Where the race happens.
#[derive(Debug, Clone)]
pub enum Target {
    /// A fresh database in the temp folder, removed afterwards; a new event per round.
    Scratch,
    /// An existing event on an existing database (use a copy of a real one): fresh attendees
    /// race for the seats it has left, signed in as `user`.
    Event { db: Location, event_id: i64, user: String, password: String },
}

/// How to start one worker: a program and the arguments that put it in worker mode. The race
/// appends `--db PATH --user NAME --event ID --attendee ID` and passes the password in
/// `EVENTDESK_PASSWORD`, never on the command line.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// This executable's hidden `race-worker` command.
    pub fn current_eventdesk() -> anyhow::Result<WorkerCommand> {
        let program = std::env::current_exe().context("cannot find the running executable")?;
        Ok(WorkerCommand { program, args: vec!["race-worker".into()] })
    }
}

/// One racer that got a seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Winner {
    /// Which process (1-based, in start order).
    pub process: u32,
    pub attendee_id: i64,
    pub booking_id: i64,
}

/// What one round showed.
#[derive(Debug, Clone, Serialize)]
pub struct RoundReport {
    pub round: u32,
    pub event_id: i64,
    /// Seats left when the round started.
    pub seats: u32,
    pub winners: Vec<Winner>,
    /// Processes cleanly refused with "event full".
    pub full: u32,
    /// Every other error, one message per process.
    pub other: Vec<String>,
    pub booked_after: u32,
    pub capacity: u32,
    /// `Store::check` problems after the round (empty when it passed).
    pub check_problems: Vec<String>,
    /// Exactly min(seats, procs) winners, everyone else full, the check clean, booked ≤ capacity.
    pub ok: bool,
}

/// The whole race.
#[derive(Debug, Clone, Serialize)]
pub struct RaceReport {
    pub procs: u32,
    /// The file or server (without any password).
    pub database: String,
    /// The database was a scratch file, removed after the race.
    pub scratch: bool,
    pub rounds: Vec<RoundReport>,
    pub booked: u32,
    pub full: u32,
    pub other: u32,
    /// Time inside the booking call, over every process of every round.
    pub latency: Spread,
    pub ok: bool,
}

/// Runs every round and reports; a failed round does not stop the others.
pub fn run(spec: &RaceSpec, worker: &WorkerCommand) -> anyhow::Result<RaceReport> {
    if spec.procs == 0 || spec.seats == 0 || spec.rounds == 0 {
        bail!("--procs, --seats and --rounds must each be at least 1");
    }
    let arena = Arena::prepare(&spec.target)?;
    let mut rounds = Vec::new();
    let mut micros = Vec::new();
    for n in 1..=spec.rounds {
        rounds.push(race_round(&arena, n, spec, worker, &mut micros)?);
    }
    let count = |f: fn(&RoundReport) -> u32| rounds.iter().map(f).sum::<u32>();
    Ok(RaceReport {
        procs: spec.procs,
        database: arena.location().to_string(),
        scratch: matches!(spec.target, Target::Scratch),
        booked: count(|r| r.winners.len() as u32),
        full: count(|r| r.full),
        other: count(|r| r.other.len() as u32),
        latency: Spread::of(&mut micros),
        ok: rounds.iter().all(|r| r.ok),
        rounds,
    })
}

fn race_round(
    arena: &Arena,
    n: u32,
    spec: &RaceSpec,
    worker: &WorkerCommand,
    micros: &mut Vec<u64>,
) -> anyhow::Result<RoundReport> {
    let event = arena.event_for_round(n, spec.seats)?;
    let attendees = arena.attendees(n, spec.procs)?;
    let commands: Vec<Command> = attendees.iter().map(|&a| arena.command(worker, event.id, a)).collect();
    let finished = start_line::start_together(commands).context("cannot start the racing processes")?;
    let mut report = RoundReport {
        round: n,
        event_id: event.id,
        seats: event.seats_left(),
        winners: Vec::new(),
        full: 0,
        other: Vec::new(),
        booked_after: 0,
        capacity: event.capacity,
        check_problems: Vec::new(),
        ok: false,
    };
    tally(&mut report, &finished, &attendees, micros);
    let after = arena.store().event(event.id)?;
    report.booked_after = after.booked;
    report.check_problems = arena.store().check()?.problems;
    let expected = report.seats.min(spec.procs) as usize;
    report.ok = report.winners.len() == expected
        && report.other.is_empty()
        && report.check_problems.is_empty()
        && after.booked <= after.capacity;
    Ok(report)
}

/// Sorts each process's result into winners, clean refusals and other errors.
fn tally(report: &mut RoundReport, finished: &[Finished], attendees: &[i64], micros: &mut Vec<u64>) {
    for (i, (done, &attendee_id)) in finished.iter().zip(attendees).enumerate() {
        let process = i as u32 + 1;
        match parse(done) {
            Ok(r) => {
                micros.push(r.micros);
                match r.outcome {
                    Outcome::Booked { booking_id } => {
                        report.winners.push(Winner { process, attendee_id, booking_id })
                    }
                    Outcome::Full => report.full += 1,
                    Outcome::Other { message } => report.other.push(format!("process {process}: {message}")),
                }
            }
            Err(message) => report.other.push(format!("process {process}: {message}")),
        }
    }
}

/// The worker's JSON line, or why there is none.
fn parse(done: &Finished) -> Result<WorkerReport, String> {
    let stderr = done.stderr.trim();
    if !done.was_ready {
        return Err(format!("failed before the start: {stderr}"));
    }
    let line = done.stdout.lines().next().unwrap_or_default();
    serde_json::from_str(line).map_err(|_| {
        let said = if stderr.is_empty() { done.stdout.trim() } else { stderr };
        format!("no result ({said})")
    })
}
