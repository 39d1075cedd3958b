//! `eventdesk attendee ...`: the people booked onto events.

use clap::{ArgGroup, Args, Subcommand};

use super::Context;
use super::context::all_pages;
use super::export::{CsvFlag, csv_list};
use super::output::{self, Align, Table};
use crate::export::ATTENDEE_COLUMNS;
use crate::model::{Attendee, AttendeePatch, NewAttendee, plural, sanitize_display};
use crate::store::AttendeeQuery;

/// The `attendee` subcommands.
#[derive(Debug, Subcommand)]
pub enum AttendeeCommand {
    /// Add an attendee (email must be unique)
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// List attendees
    List {
        /// Only names or emails containing this text
        #[arg(long, default_value = "")]
        search: String,
        #[command(flatten)]
        out: CsvFlag,
    },
    /// Change an attendee's name, email or phone (an empty --phone clears it)
    Edit(EditArgs),
    /// Merge OTHER_ID into KEEP_ID (one person entered twice): KEEP_ID takes OTHER_ID's
    /// bookings and waiting-list entries; OTHER_ID stays in history, hidden from lists
    Merge { keep_id: i64, other_id: i64 },
}

/// `attendee edit`: at least one change.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["name", "email", "phone"])))]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Refuse (exit 3) unless the attendee is still at this version (from `--json` output)
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
}

pub fn run(ctx: &Context, command: AttendeeCommand) -> anyhow::Result<()> {
    match command {
        AttendeeCommand::Add { name, email, phone } => {
            let session = ctx.session()?;
            let attendee = ctx.store()?.add_attendee(&session, &NewAttendee { name, email, phone })?;
            print_changed(ctx, "added", &attendee)
        }
        AttendeeCommand::List { search, out } => list(ctx, &search, out),
        AttendeeCommand::Edit(args) => {
            let patch = AttendeePatch {
                name: args.name,
                email: args.email,
                phone: args.phone,
                if_version: args.if_version,
            };
            let session = ctx.session()?;
            let attendee = ctx.store()?.update_attendee(&session, args.id, &patch)?;
            print_changed(ctx, "updated", &attendee)
        }
        AttendeeCommand::Merge { keep_id, other_id } => {
            let session = ctx.session()?;
            let merged = ctx.store()?.merge_attendees(&session, keep_id, other_id)?;
            if ctx.json {
                return output::json(&merged);
            }
            output::line(format!(
                "merged attendee {} into attendee {}: {} <{}> ({}, {} moved)",
                merged.merged_id,
                merged.kept.id,
                sanitize_display(&merged.kept.name),
                sanitize_display(&merged.kept.email),
                plural(merged.bookings_moved, "booking", "bookings"),
                plural(merged.entries_moved, "waiting-list entry", "waiting-list entries"),
            ))
        }
    }
}

fn list(ctx: &Context, search: &str, out: CsvFlag) -> anyhow::Result<()> {
    // Attendees are personal data: listing them needs a signed-in operator.
    ctx.session()?;
    let store = ctx.store()?;
    let fetch = |page| store.list_attendees(&AttendeeQuery { search: search.to_string(), page });
    if out.csv {
        return csv_list(ATTENDEE_COLUMNS, fetch);
    }
    let attendees = all_pages(fetch)?;
    if ctx.json {
        return output::json(&attendees);
    }
    let mut table = Table::new(&[
        ("ID", Align::Right),
        ("NAME", Align::Left),
        ("EMAIL", Align::Left),
        ("PHONE", Align::Left),
    ]);
    for a in &attendees {
        table.row(vec![
            a.id.to_string(),
            a.name.clone(),
            a.email.clone(),
            a.phone.clone().unwrap_or_default(),
        ]);
    }
    output::emit(&table.render("no attendees"))
}

fn print_changed(ctx: &Context, verb: &str, a: &Attendee) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(a);
    }
    output::line(format!(
        "{verb} attendee {}: {} <{}>",
        a.id,
        sanitize_display(&a.name),
        sanitize_display(&a.email)
    ))
}
