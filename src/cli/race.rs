//! `eventdesk race`: the testers' tool; `race-worker` (hidden) is one racing process.

use anyhow::{Context as _, anyhow};
use clap::Args;

use super::Context;
use super::context::env_password;
use super::output;
use crate::race::{self, RaceSpec, Target, WorkerCommand};

/// `eventdesk race`.
#[derive(Debug, Args)]
pub struct RaceArgs {
    /// Racing processes per round, started at the same instant
    #[arg(long, default_value_t = 16)]
    pub procs: u32,
    /// Seats of each round's scratch event
    #[arg(long, default_value_t = 5)]
    pub seats: u32,
    /// Rounds, each on a fresh event
    #[arg(long, default_value_t = 1)]
    pub rounds: u32,
    /// Race for this event's remaining seats on --db (use a copy of a real database) instead
    /// of a scratch database; the racers sign in as --user with EVENTDESK_PASSWORD
    #[arg(long, value_name = "ID")]
    pub event: Option<i64>,
}

/// `eventdesk race-worker`: started by `race`, not by people.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[arg(long)]
    pub event: i64,
    #[arg(long)]
    pub attendee: i64,
}

/// Runs the race, prints it, and fails (exit 1) when any round broke a rule.
pub fn run(ctx: &Context, args: &RaceArgs) -> anyhow::Result<()> {
    let target = match args.event {
        None => Target::Scratch,
        Some(event_id) => Target::Event {
            db: ctx.db_location()?,
            event_id,
            user: ctx.user().ok_or_else(|| anyhow!("race --event needs --user NAME"))?.to_string(),
            password: env_password()?.context("race --event needs EVENTDESK_PASSWORD for the racers")?,
        },
    };
    let spec = RaceSpec { procs: args.procs, seats: args.seats, rounds: args.rounds, target };
    let report = race::run(&spec, &WorkerCommand::current_eventdesk()?)?;
    if ctx.json {
        output::json(&report)?;
    } else {
        output::emit(&race::render(&report))?;
    }
    if report.ok { Ok(()) } else { Err(anyhow!("the race broke a rule; see the rounds above")) }
}

/// Opens the store and signs in before the start line, so only the booking is timed.
pub fn worker(ctx: &Context, args: &WorkerArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    race::work(ctx.store()?, &session, args.event, args.attendee)
}
