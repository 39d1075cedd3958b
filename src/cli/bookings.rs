//! `book`, `cancel`, `move` and `bookings`: seats on events.

use clap::{Args, ValueEnum};

use super::Context;
use super::context::all_pages;
use super::export::{CsvFlag, csv_list};
use super::output::{self, Align, Table};
use crate::model::{
    self, BookingRow, BookingStatus, Error, Freed, Promotion, Refusal, format_local, plural, sanitize_display,
};
use crate::store::{BookingQuery, Page, Store};

/// `eventdesk book`.
#[derive(Debug, Args)]
pub struct BookArgs {
    #[arg(long)]
    pub event: i64,
    /// Attendee id or email address
    #[arg(long, value_name = "ID|EMAIL")]
    pub attendee: String,
}

/// `eventdesk cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    pub booking_id: i64,
}

/// `eventdesk move`.
#[derive(Debug, Args)]
pub struct MoveArgs {
    pub booking_id: i64,
    #[arg(long, value_name = "ID")]
    pub to_event: i64,
}

/// `eventdesk bookings`: newest first.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_name = "ID")]
    pub event: Option<i64>,
    /// Attendee id or email address
    #[arg(long, value_name = "ID|EMAIL")]
    pub attendee: Option<String>,
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only bookings on events you created
    #[arg(long)]
    pub mine: bool,
    #[command(flatten)]
    pub out: CsvFlag,
}

/// `bookings --csv` columns: the `--json` field names of a booking row, in order.
pub(super) const CSV_COLUMNS: &[&str] = &[
    "id",
    "event_id",
    "attendee_id",
    "status",
    "booked_at",
    "cancelled_at",
    "attendee_name",
    "attendee_email",
    "event_title",
    "event_start",
    "seats_left",
    "checked_in_at",
    "checked_in_by",
];

/// A booking status as typed; clap rejects anything else with a usage error.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Active,
    Cancelled,
}

impl From<StatusArg> for BookingStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Active => BookingStatus::Active,
            StatusArg::Cancelled => BookingStatus::Cancelled,
        }
    }
}

pub fn book(ctx: &Context, args: &BookArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let store = ctx.store()?;
    let attendee_id = resolve_attendee(store, &args.attendee)?;
    let row = store.book(&session, args.event, attendee_id)?;
    print_changed(ctx, "booked", &row)
}

pub fn cancel(ctx: &Context, args: &CancelArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let freed = ctx.store()?.cancel(&session, args.booking_id)?;
    print_freed(ctx, "cancelled", &freed)
}

pub fn move_booking(ctx: &Context, args: &MoveArgs) -> anyhow::Result<()> {
    let session = ctx.session()?;
    let freed = ctx.store()?.move_booking(&session, args.booking_id, args.to_event)?;
    print_freed(ctx, "moved", &freed)
}

/// A change that freed a seat: the booking's line, then one line per waiting attendee it
/// promoted; in `--json` the booking with `"promoted": [...]`.
fn print_freed(ctx: &Context, verb: &str, freed: &Freed<BookingRow>) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(freed);
    }
    print_changed(ctx, verb, &freed.changed)?;
    print_promoted(&freed.promoted)
}

/// "promoted Ana Ruiz (ana@example.org) from the waiting list: booking 12 on event 3".
pub(super) fn print_promoted(promoted: &[Promotion]) -> anyhow::Result<()> {
    for p in promoted {
        output::line(format!(
            "promoted {} <{}> from the waiting list: booking {} on event {}",
            sanitize_display(&p.attendee_name),
            sanitize_display(&p.attendee_email),
            p.booking_id,
            p.event_id
        ))?;
    }
    Ok(())
}

pub fn list(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    // Bookings name attendees: personal data, so sign-in first.
    let session = ctx.session()?;
    let store = ctx.store()?;
    let attendee_id = args.attendee.as_deref().map(|a| resolve_attendee(store, a)).transpose()?;
    if let Some(id) = args.event {
        check_event(store, id)?;
    }
    let query = BookingQuery {
        event_id: args.event,
        attendee_id,
        status: args.status.map(Into::into),
        organizer_id: args.mine.then_some(session.operator_id),
        ..BookingQuery::default()
    };
    if args.out.csv {
        return csv_list(CSV_COLUMNS, keyset(store, query));
    }
    let fetch = |page| store.list_bookings(&BookingQuery { page, ..query.clone() });
    let rows = all_pages(fetch)?;
    if ctx.json {
        return output::json(&rows);
    }
    output::emit(&table(&rows).render("no bookings"))
}

/// Pages of bookings newest first, each starting below the last id of the one before (the list
/// is ordered by id), so reading a million costs one index descent per page, not an OFFSET walk.
fn keyset(store: &Store, query: BookingQuery) -> impl FnMut(Page) -> model::Result<Vec<BookingRow>> {
    let mut before: Option<i64> = None;
    move |page| {
        let q = BookingQuery { before_id: before, page: Page::new(0, page.limit), ..query.clone() };
        let rows = store.list_bookings(&q)?;
        if let Some(last) = rows.last() {
            if before.is_some_and(|b| last.booking.id >= b) {
                return Err(model::Error::Storage("internal: bookings did not come in id order".into()));
            }
            before = Some(last.booking.id);
        }
        Ok(rows)
    }
}

/// An existing attendee given as a numeric id or as an email address. Either way an unknown one
/// is an error naming what was typed (exit 3), never an empty list.
pub(super) fn resolve_attendee(store: &Store, given: &str) -> anyhow::Result<i64> {
    let given = given.trim();
    let attendee = match given.parse::<i64>() {
        Ok(id) => store.attendee(id)?,
        Err(_) => store.attendee_by_email(given)?,
    };
    Ok(attendee.id)
}

/// An event filter must name an event that exists; a deleted one still lists its bookings.
pub(super) fn check_event(store: &Store, id: i64) -> anyhow::Result<()> {
    match store.event(id) {
        Ok(_) | Err(Error::Refused(Refusal::EventDeleted)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn table(rows: &[BookingRow]) -> Table {
    let mut table = Table::new(&[
        ("ID", Align::Right),
        ("STATUS", Align::Left),
        ("EVENT", Align::Right),
        ("START", Align::Left),
        ("TITLE", Align::Left),
        ("ATTENDEE", Align::Left),
        ("EMAIL", Align::Left),
        ("BOOKED AT", Align::Left),
        ("CHECKED IN", Align::Left),
        ("BY", Align::Left),
    ]);
    for r in rows {
        table.row(vec![
            r.booking.id.to_string(),
            r.booking.status.as_str().to_string(),
            r.booking.event_id.to_string(),
            format_local(r.event_start),
            r.event_title.clone(),
            r.attendee_name.clone(),
            r.attendee_email.clone(),
            format_local(r.booking.booked_at),
            r.checked_in_at.map(format_local).unwrap_or_default(),
            r.checked_in_by.clone().unwrap_or_default(),
        ]);
    }
    table
}

fn print_changed(ctx: &Context, verb: &str, r: &BookingRow) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(r);
    }
    output::line(format!(
        "{verb} booking {}: {} on event {} \"{}\" ({}); {} left",
        r.booking.id,
        sanitize_display(&r.attendee_name),
        r.booking.event_id,
        sanitize_display(&r.event_title),
        format_local(r.event_start),
        plural(r.seats_left, "seat", "seats")
    ))
}
