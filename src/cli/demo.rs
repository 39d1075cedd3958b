//! `eventdesk demo`: create (or reuse, or reset) the demo database, print its sign-ins and open
//! the terminal app on it as the demo desk account.

use std::io::{ErrorKind, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Args;
use serde_json::json;

use super::Context;
use super::context::data_dir;
use super::output::{self, Align, Table};
use crate::demo::{self, DemoLogin};
use crate::model::{Role, sanitize_display};
use crate::store::{BULK_PASSWORD, BulkSpec, BulkSummary, Location, Store};

/// The demo file's name in the user data directory, apart from the everyday database.
const DEMO_FILE: &str = "eventdesk-demo.db";

/// `eventdesk demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Delete the demo database (and its -wal/-shm files) and seed a fresh one
    #[arg(long)]
    pub reset: bool,
    /// Only create and print; do not open the terminal app
    #[arg(long)]
    pub no_open: bool,
    /// Also generate this many events, for load tests (e.g. 100000; with --reset)
    #[arg(long, value_name = "N")]
    pub events: Option<u64>,
    /// Also generate this many active bookings over the generated events and attendees
    #[arg(long, value_name = "N")]
    pub bookings: Option<u64>,
    /// Generated attendees [default: as many as bookings]
    #[arg(long, value_name = "N")]
    pub attendees: Option<u64>,
}

/// The bulk part of a demo, when any of its flags is given; missing counts follow the others.
fn bulk_spec(args: &DemoArgs) -> Option<BulkSpec> {
    if args.events.is_none() && args.bookings.is_none() && args.attendees.is_none() {
        return None;
    }
    let bookings = args.bookings.unwrap_or(0);
    let events = args.events.unwrap_or(if bookings > 0 { (bookings / 10).max(1) } else { 0 });
    let attendees = args.attendees.unwrap_or(bookings.max(u64::from(bookings > 0)));
    Some(BulkSpec { organizers: (events / 2_000).clamp(1, 100), events, attendees, bookings })
}

/// Only `--db` moves the demo; `EVENTDESK_DB` is ignored so the demo never seeds (or, with
/// `--reset`, deletes) the everyday database an environment points at.
pub fn run(ctx: &Context, args: &DemoArgs) -> anyhow::Result<()> {
    let path = match ctx.db_flag() {
        Some(path) if path.to_str().is_some_and(|p| Location::parse(p).is_postgres()) => {
            bail!(
                "the demo makes its own SQLite file; to try it on PostgreSQL, copy it there with `eventdesk copy`"
            )
        }
        Some(path) => path.to_path_buf(),
        None => data_dir()?.join(DEMO_FILE),
    };
    if args.reset {
        remove_database(&path)?;
    }
    let mut store = Store::open(&path)?;
    let reused = demo::is_seeded(&store)?;
    let bulk = bulk_spec(args);
    if reused && bulk.is_some() {
        return Err(anyhow!("the demo database already exists; add --reset to generate a large one"));
    }
    let seeded = if reused { None } else { Some(demo::seed(&mut store)?) };
    let generated = bulk.map(|spec| store.generate(&spec)).transpose()?;
    let accounts = demo::accounts()?;
    if ctx.json {
        output::json(
            &json!({ "path": path, "reused": reused, "accounts": accounts, "seeded": seeded, "generated": generated }),
        )?;
    } else {
        output::emit(&describe(&path, reused, &accounts))?;
        if let Some(g) = &generated {
            output::line(describe_generated(g))?;
        }
    }
    if args.no_open || !std::io::stdout().is_terminal() {
        return Ok(());
    }
    let desk = demo::desk_login()?;
    let session = store.login(&desk.username, &desk.password)?;
    crate::tui::run(store, Some(session))
}

/// Removes the database file and its WAL companions; missing files are fine.
fn remove_database(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", file.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

fn describe_generated(g: &BulkSummary) -> String {
    format!(
        "generated {} events, {} attendees, {} bookings ({} history rows) in {:.1} s; \
         their organizers sign in as {} (and up) with password {BULK_PASSWORD}",
        g.events.end - g.events.start,
        g.attendees.end - g.attendees.start,
        g.bookings.end - g.bookings.start,
        g.history_rows,
        g.millis as f64 / 1000.0,
        g.organizer_username(),
    )
}

fn describe(path: &Path, reused: bool, accounts: &[DemoLogin]) -> String {
    let what = if reused { "reusing the demo database" } else { "created a demo database" };
    let mut text = format!("{what}: {}\n", sanitize_display(&path.display().to_string()));
    if reused {
        text.push_str("(events were placed relative to when it was made; --reset places them again)\n");
    }
    let mut table =
        Table::new(&[("ROLE", Align::Left), ("USERNAME", Align::Left), ("PASSWORD", Align::Left)]);
    for a in accounts {
        table.row(vec![a.role.as_str().to_string(), a.username.clone(), a.password.clone()]);
    }
    text.push('\n');
    text.push_str(&table.render(""));
    if let Some(desk) = accounts.iter().find(|a| a.role == Role::Desk) {
        text.push_str(&format!(
            "\ntry: EVENTDESK_PASSWORD={} eventdesk --db '{}' --user {} event list\n",
            desk.password,
            sanitize_display(&path.display().to_string()),
            desk.username
        ));
    }
    text
}
