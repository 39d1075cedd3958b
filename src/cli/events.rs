//! `eventdesk event ...`: create, list, show, edit and delete events.

use chrono::{DateTime, Utc};
use clap::{ArgGroup, Args, Subcommand};
use serde_json::json;

use super::Context;
use super::context::all_pages;
use super::export::{CsvFlag, csv_list};
use super::output::{self, Align, Table};
use crate::export::EVENT_COLUMNS;
use crate::model::{Event, EventInput, EventPatchInput, format_local, plural, sanitize_display};
use crate::store::{EventFilter, EventQuery};

/// The `event` subcommands.
#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Create an event (organizers only)
    Add(AddArgs),
    /// List events, ordered by start
    List(ListArgs),
    /// Show one event
    Show { id: i64 },
    /// Change an event you created; the whole event is re-validated
    Edit(EditArgs),
    /// Delete an event you created; with active bookings it needs --force and cancels them
    Delete {
        id: i64,
        /// Cancel the event's active bookings and delete it
        #[arg(long)]
        force: bool,
    },
}

/// `event add`. Times and capacity stay text here so a bad value is a field error (exit 3).
#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub title: String,
    /// "YYYY-MM-DD HH:MM" local time, or RFC 3339
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub end: String,
    #[arg(long)]
    pub capacity: String,
    #[arg(long, default_value = "")]
    pub description: String,
}

/// `event list`: at most one filter.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("filter").args(["upcoming", "past", "mine", "available"])))]
pub struct ListArgs {
    #[arg(long)]
    pub upcoming: bool,
    #[arg(long)]
    pub past: bool,
    /// Events you created (needs sign-in)
    #[arg(long)]
    pub mine: bool,
    /// Upcoming events with seats left
    #[arg(long)]
    pub available: bool,
    /// Only titles containing this text
    #[arg(long, default_value = "")]
    pub search: String,
    #[command(flatten)]
    pub out: CsvFlag,
}

/// `event edit`: at least one change.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true)
    .args(["title", "description", "start", "end", "capacity"])))]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub start: Option<String>,
    #[arg(long)]
    pub end: Option<String>,
    #[arg(long)]
    pub capacity: Option<String>,
    /// Refuse (exit 3) unless the event is still at this version (from `event show --json`)
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
}

pub fn run(ctx: &Context, command: EventCommand) -> anyhow::Result<()> {
    match command {
        EventCommand::Add(args) => add(ctx, &args),
        EventCommand::List(args) => list(ctx, &args),
        EventCommand::Show { id } => show(ctx, id),
        EventCommand::Edit(args) => edit(ctx, &args),
        EventCommand::Delete { id, force } => delete(ctx, id, force),
    }
}

fn add(ctx: &Context, args: &AddArgs) -> anyhow::Result<()> {
    let input = EventInput {
        title: &args.title,
        description: &args.description,
        start: &args.start,
        end: &args.end,
        capacity: &args.capacity,
    };
    // Checked before sign-in, so a typo costs no password prompt; the store checks it again.
    let new = input.parse(Some(ctx.store()?.now()))?;
    let session = ctx.session()?;
    let event = ctx.store()?.create_event(&session, &new)?;
    print_changed(ctx, "created", &event)
}

fn list(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    let (filter, creator_id) = match args {
        ListArgs { upcoming: true, .. } => (EventFilter::Upcoming, None),
        ListArgs { past: true, .. } => (EventFilter::Past, None),
        ListArgs { available: true, .. } => (EventFilter::Available, None),
        ListArgs { mine: true, .. } => (EventFilter::Mine, Some(ctx.session()?.operator_id)),
        _ => (EventFilter::All, None),
    };
    let store = ctx.store()?;
    let fetch =
        |page| store.list_events(&EventQuery { filter, creator_id, search: args.search.clone(), page });
    if args.out.csv {
        return csv_list(EVENT_COLUMNS, fetch);
    }
    let events = all_pages(fetch)?;
    if ctx.json {
        return output::json(&events);
    }
    output::emit(&table(&events, store.now()).render("no events"))
}

fn table(events: &[Event], now: DateTime<Utc>) -> Table {
    let mut table = Table::new(&[
        ("ID", Align::Right),
        ("START", Align::Left),
        ("END", Align::Left),
        ("BOOKED", Align::Right),
        ("LEFT", Align::Right),
        ("STATUS", Align::Left),
        ("TITLE", Align::Left),
    ]);
    for e in events {
        table.row(vec![
            e.id.to_string(),
            format_local(e.starts_at),
            format_local(e.ends_at),
            format!("{}/{}", e.booked, e.capacity),
            e.seats_left().to_string(),
            status(e, now),
            e.title.clone(),
        ]);
    }
    table
}

fn show(ctx: &Context, id: i64) -> anyhow::Result<()> {
    let event = ctx.store()?.event(id)?;
    if ctx.json {
        return output::json(&event);
    }
    output::emit(&describe(&event, ctx.store()?.now()))
}

fn edit(ctx: &Context, args: &EditArgs) -> anyhow::Result<()> {
    let mut patch = EventPatchInput {
        title: args.title.as_deref(),
        description: args.description.as_deref(),
        start: args.start.as_deref(),
        end: args.end.as_deref(),
        capacity: args.capacity.as_deref(),
    }
    .parse()?;
    patch.if_version = args.if_version;
    let session = ctx.session()?;
    let freed = ctx.store()?.update_event(&session, args.id, &patch)?;
    if ctx.json {
        return output::json(&freed);
    }
    print_changed(ctx, "updated", &freed.changed)?;
    super::bookings::print_promoted(&freed.promoted)
}

fn delete(ctx: &Context, id: i64, force: bool) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let cancelled = ctx.store()?.delete_event(&session, id, force)?;
    if ctx.json {
        return output::json(&json!({ "id": id, "deleted": true, "bookings_cancelled": cancelled }));
    }
    output::line(format!("deleted event {id}; cancelled {}", plural(cancelled, "booking", "bookings")))
}

fn print_changed(ctx: &Context, verb: &str, event: &Event) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(event);
    }
    output::line(format!(
        "{verb} event {}: {} ({} – {}, {})",
        event.id,
        sanitize_display(&event.title),
        format_local(event.starts_at),
        format_local(event.ends_at),
        plural(event.capacity, "seat", "seats")
    ))
}

/// upcoming / ongoing / past, plus "full" and "deleted" when they apply.
fn status(event: &Event, now: DateTime<Utc>) -> String {
    let mut words = vec![event.phase(now).as_str()];
    if event.is_full() {
        words.push("full");
    }
    if event.deleted_at.is_some() {
        words.push("deleted");
    }
    words.join(", ")
}

fn describe(e: &Event, now: DateTime<Utc>) -> String {
    let mut text = format!("event {}: {}\n", e.id, sanitize_display(&e.title));
    let rows = [
        ("organizer", sanitize_display(&e.organizer)),
        ("start", format_local(e.starts_at)),
        ("end", format_local(e.ends_at)),
        ("seats", format!("{} of {} booked, {} left", e.booked, e.capacity, e.seats_left())),
        ("status", status(e, now)),
    ];
    for (label, value) in rows {
        text.push_str(&format!("  {label:<11}{value}\n"));
    }
    if !e.description.is_empty() {
        text.push_str(&format!("\n{}\n", sanitize_description(&e.description)));
    }
    text
}

/// Descriptions keep their line breaks; every other control character is made visible.
fn sanitize_description(text: &str) -> String {
    text.lines().map(sanitize_display).collect::<Vec<_>>().join("\n")
}
