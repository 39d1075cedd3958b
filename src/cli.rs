//! The scriptable command line: the same store calls as the terminal app, one command per use
//! case, plain-text tables for people and `--json` for scripts.

mod accounts;
mod attendees;
mod bookings;
mod check;
mod context;
mod copy;
mod demo;
mod door;
mod events;
mod export;
mod history;
mod output;
mod race;
mod report;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

pub use context::Context;
pub use report::{exit_code, report};

/// Command-line arguments of `eventdesk`.
#[derive(Debug, Parser)]
#[command(name = "eventdesk", version, about = "A terminal booking desk for events")]
#[command(after_help = "With no command, the terminal app opens.")]
pub struct Cli {
    /// Database: an SQLite file, or a PostgreSQL URL (postgres://user@host/db?sslmode=require)
    /// [default: $EVENTDESK_DB, else eventdesk.db in the user data directory]
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Operator to sign in as; the password comes from EVENTDESK_PASSWORD or a prompt
    #[arg(long, global = true, env = "EVENTDESK_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Machine-readable output (RFC 3339 times)
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands; each group lives in its own file under `cli/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or migrate the database
    Init,
    /// Create an operator account (password from EVENTDESK_PASSWORD or a prompt)
    Register(accounts::RegisterArgs),
    /// Create, list, show, edit and delete events
    #[command(subcommand)]
    Event(events::EventCommand),
    /// Add, list and edit attendees
    #[command(subcommand)]
    Attendee(attendees::AttendeeCommand),
    /// Book an attendee onto an event
    Book(bookings::BookArgs),
    /// Cancel an active booking
    Cancel(bookings::CancelArgs),
    /// Move a booking to another event (same rules as a new booking)
    Move(bookings::MoveArgs),
    /// List bookings
    Bookings(bookings::ListArgs),
    /// Put attendees on a full event's waiting list, list and remove entries
    #[command(subcommand)]
    Waitlist(door::WaitlistCommand),
    /// Check a booking in at the door (or undo it): by booking id, or --event and --attendee
    Checkin(door::CheckinArgs),
    /// An ended event's active bookings never checked in
    Noshows(door::NoshowsArgs),
    /// Show the audit history, newest first
    History(history::HistoryArgs),
    /// Verify integrity, foreign keys and booked counts; non-zero exit if broken
    Check,
    /// Copy the whole database (accounts, events, attendees, bookings, history) into an empty
    /// database of either engine, then check the target
    Copy(copy::CopyArgs),
    /// Create (or reuse) a demo database with realistic data and open the app on it
    Demo(demo::DemoArgs),
    /// Start N processes at one instant to book the last K seats; report winners, refusals,
    /// errors, the invariant check and the latency spread
    Race(race::RaceArgs),
    /// One racing process (started by `race`)
    #[command(hide = true)]
    RaceWorker(race::WorkerArgs),
}

impl Cli {
    /// Usage errors clap cannot see: `--json` given before the command is a global flag, so
    /// its conflict with a list's `--csv` is checked here (the same message and exit 2).
    pub fn check(&self) -> Result<(), clap::Error> {
        let csv = match &self.command {
            Some(Command::Event(events::EventCommand::List(args))) => args.out.csv,
            Some(Command::Attendee(attendees::AttendeeCommand::List { out, .. })) => out.csv,
            Some(Command::Bookings(args)) => args.out.csv,
            Some(Command::History(args)) => args.out.csv,
            Some(Command::Waitlist(door::WaitlistCommand::List { out, .. })) => out.csv,
            Some(Command::Noshows(args)) => args.out.csv,
            _ => false,
        };
        if csv && self.json {
            let message = "the argument '--csv' cannot be used with '--json'";
            return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message));
        }
        Ok(())
    }
}

/// Runs the parsed command line; errors carry the domain error when there is one.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let ctx = Context::new(cli.db, cli.user, cli.json);
    let Some(command) = cli.command else {
        return context::open_app(ctx);
    };
    match command {
        Command::Init => accounts::init(&ctx.creating()),
        Command::Register(args) => accounts::register(&ctx, &args),
        Command::Event(cmd) => events::run(&ctx, cmd),
        Command::Attendee(cmd) => attendees::run(&ctx, cmd),
        Command::Book(args) => bookings::book(&ctx, &args),
        Command::Cancel(args) => bookings::cancel(&ctx, &args),
        Command::Move(args) => bookings::move_booking(&ctx, &args),
        Command::Bookings(args) => bookings::list(&ctx, &args),
        Command::Waitlist(cmd) => door::waitlist(&ctx, cmd),
        Command::Checkin(args) => door::checkin(&ctx, &args),
        Command::Noshows(args) => door::noshows(&ctx, &args),
        Command::History(args) => history::run(&ctx, &args),
        Command::Check => check::run(&ctx),
        Command::Copy(args) => copy::run(&ctx, &args),
        Command::Demo(args) => demo::run(&ctx, &args),
        Command::Race(args) => race::run(&ctx, &args),
        Command::RaceWorker(args) => race::worker(&ctx, &args),
    }
}
