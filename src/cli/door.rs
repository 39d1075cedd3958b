//! `waitlist`, `checkin` and `noshows`: the door of an event.

use clap::{ArgGroup, Args, Subcommand};

use super::Context;
use super::bookings::{self, resolve_attendee};
use super::context::all_pages;
use super::export::{CsvFlag, csv_list};
use super::output::{self, Align, Table};
use crate::model::{
    BookingRef, CheckIn, WaitStatus, WaitlistEntry, format_clock, format_local, sanitize_display,
};
use crate::store::{Page, WaitlistQuery};

/// The `waitlist` subcommands.
#[derive(Debug, Subcommand)]
pub enum WaitlistCommand {
    /// Put an attendee on a full event's waiting list
    Add {
        #[arg(long, value_name = "ID")]
        event: i64,
        /// Attendee id or email address
        #[arg(long, value_name = "ID|EMAIL")]
        attendee: String,
    },
    /// List the waiting entries, by event and position
    List {
        #[arg(long, value_name = "ID")]
        event: Option<i64>,
        /// Attendee id or email address
        #[arg(long, value_name = "ID|EMAIL")]
        attendee: Option<String>,
        #[command(flatten)]
        out: CsvFlag,
    },
    /// Take an entry off its waiting list (the entry and its history stay)
    Remove { entry_id: i64 },
}

/// `eventdesk checkin`: a booking by id, or an attendee's booking on an event.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["booking_id", "event"])))]
pub struct CheckinArgs {
    #[arg(conflicts_with_all = ["event", "attendee"])]
    pub booking_id: Option<i64>,
    #[arg(long, value_name = "ID", requires = "attendee")]
    pub event: Option<i64>,
    /// Attendee id or email address
    #[arg(long, value_name = "ID|EMAIL", requires = "event")]
    pub attendee: Option<String>,
    /// Undo the booking's check-in (recorded, not erased)
    #[arg(long)]
    pub undo: bool,
}

/// `eventdesk noshows`: an ended event's active bookings never checked in.
#[derive(Debug, Args)]
pub struct NoshowsArgs {
    #[arg(long, value_name = "ID")]
    pub event: i64,
    #[command(flatten)]
    pub out: CsvFlag,
}

/// `waitlist list --csv` columns: the `--json` field names of an entry, in order.
const WAITLIST_COLUMNS: &[&str] = &[
    "id",
    "event_id",
    "attendee_id",
    "status",
    "position",
    "joined_at",
    "left_at",
    "attendee_name",
    "attendee_email",
    "event_title",
    "event_start",
];

pub fn waitlist(ctx: &Context, command: WaitlistCommand) -> anyhow::Result<()> {
    match command {
        WaitlistCommand::Add { event, attendee } => {
            let session = ctx.session()?;
            let store = ctx.store()?;
            let attendee_id = resolve_attendee(store, &attendee)?;
            let entry = store.waitlist_add(&session, event, attendee_id)?;
            print_entry(ctx, "added", &entry)
        }
        WaitlistCommand::List { event, attendee, out } => list(ctx, event, attendee.as_deref(), out),
        WaitlistCommand::Remove { entry_id } => {
            let session = ctx.session()?;
            let entry = ctx.store()?.waitlist_remove(&session, entry_id)?;
            print_entry(ctx, "removed", &entry)
        }
    }
}

fn list(ctx: &Context, event: Option<i64>, attendee: Option<&str>, out: CsvFlag) -> anyhow::Result<()> {
    // Entries name attendees: personal data, so sign-in first.
    ctx.session()?;
    let store = ctx.store()?;
    let attendee_id = attendee.map(|a| resolve_attendee(store, a)).transpose()?;
    if let Some(id) = event {
        bookings::check_event(store, id)?;
    }
    let query = WaitlistQuery {
        event_id: event,
        attendee_id,
        status: Some(WaitStatus::Waiting),
        ..WaitlistQuery::default()
    };
    let fetch = |page: Page| store.list_waitlist(&WaitlistQuery { page, ..query.clone() });
    if out.csv {
        return csv_list(WAITLIST_COLUMNS, fetch);
    }
    let rows = all_pages(fetch)?;
    if ctx.json {
        return output::json(&rows);
    }
    let mut table = Table::new(&[
        ("ENTRY", Align::Right),
        ("EVENT", Align::Right),
        ("POS", Align::Right),
        ("TITLE", Align::Left),
        ("ATTENDEE", Align::Left),
        ("EMAIL", Align::Left),
        ("JOINED", Align::Left),
    ]);
    for e in &rows {
        table.row(vec![
            e.id.to_string(),
            e.event_id.to_string(),
            e.position.map(|p| p.to_string()).unwrap_or_default(),
            e.event_title.clone(),
            e.attendee_name.clone(),
            e.attendee_email.clone(),
            format_local(e.joined_at),
        ]);
    }
    output::emit(&table.render("nobody waiting"))
}

/// "added entry 5: attendee 7 "Ana Ruiz" waits for event 3 "Rust Night", position 2 (joined ...)".
fn print_entry(ctx: &Context, verb: &str, e: &WaitlistEntry) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(e);
    }
    let place = match e.position {
        Some(p) => {
            format!("waits for event {} \"{}\", position {p}", e.event_id, sanitize_display(&e.event_title))
        }
        None => {
            format!("left the waiting list of event {} \"{}\"", e.event_id, sanitize_display(&e.event_title))
        }
    };
    output::line(format!(
        "{verb} entry {}: attendee {} \"{}\" {place} (joined {})",
        e.id,
        e.attendee_id,
        sanitize_display(&e.attendee_name),
        format_local(e.joined_at)
    ))
}

pub fn checkin(ctx: &Context, args: &CheckinArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let store = ctx.store()?;
    let booking = match (args.booking_id, args.event, args.attendee.as_deref()) {
        (Some(id), _, _) => BookingRef::Id(id),
        (None, Some(event_id), Some(attendee)) => {
            BookingRef::Pair { event_id, attendee_id: resolve_attendee(store, attendee)? }
        }
        // clap's group and `requires` make every other combination a usage error.
        _ => return Err(anyhow::anyhow!("name a booking id, or --event and --attendee")),
    };
    let c = if args.undo {
        store.undo_check_in(&session, booking)?
    } else {
        store.check_in(&session, booking)?
    };
    print_check_in(ctx, &c)
}

fn print_check_in(ctx: &Context, c: &CheckIn) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(c);
    }
    let what = match &c.undone_at {
        Some(at) => {
            format!("undid the check-in of {} at {}", sanitize_display(&c.attendee_name), format_clock(*at))
        }
        None => {
            format!("checked in {} at {}", sanitize_display(&c.attendee_name), format_clock(c.checked_in_at))
        }
    };
    output::line(format!(
        "{what}: booking {}, event {} \"{}\"; {} / {} checked in",
        c.booking_id,
        c.event_id,
        sanitize_display(&c.event_title),
        c.event_checked_in,
        c.event_booked
    ))
}

pub fn noshows(ctx: &Context, args: &NoshowsArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let store = ctx.store()?;
    // Refused (exit 3) before any output while the event has not ended.
    store.count_no_shows(&session, args.event)?;
    let fetch = |page: Page| store.no_shows(&session, args.event, page);
    if args.out.csv {
        return csv_list(bookings::CSV_COLUMNS, fetch);
    }
    let rows = all_pages(fetch)?;
    if ctx.json {
        return output::json(&rows);
    }
    output::emit(&bookings::table(&rows).render("no no-shows: everyone booked was checked in"))
}
