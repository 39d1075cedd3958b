//! `eventdesk copy --to TARGET`: the whole database into an empty one of either engine.

use anyhow::anyhow;
use clap::Args;

use super::Context;
use super::output;
use crate::model::{plural, plural_len, sanitize_display};
use crate::store::{CopyReport, Location, RowCounts, Store};

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The empty database to fill: an SQLite file (created if missing) or a PostgreSQL URL
    #[arg(long, value_name = "PATH|URL")]
    pub to: String,
}

/// Copies, prints both sides' row counts and the target's check; a failed check is exit 1.
pub fn run(ctx: &Context, args: &CopyArgs) -> anyhow::Result<()> {
    let source = ctx.store()?;
    let target = Store::open(Location::parse(&args.to))?;
    let report = source.copy_to(&target)?;
    if ctx.json {
        output::json(&report)?;
    } else {
        output::emit(&render(&report))?;
    }
    match report.check.problems.len() {
        0 => Ok(()),
        n => Err(anyhow!(
            "the copy was made, but check found {} in the target",
            plural_len(n, "problem", "problems")
        )),
    }
}

fn render(r: &CopyReport) -> String {
    let line = |side: &str, at: &str, n: &RowCounts| {
        format!(
            "{side} {}: {}, {}, {}, {}, {}, {}, {}\n",
            sanitize_display(at),
            plural(n.operators, "operator", "operators"),
            plural(n.attendees, "attendee", "attendees"),
            plural(n.events, "event", "events"),
            plural(n.bookings, "booking", "bookings"),
            plural(n.history, "history row", "history rows"),
            plural(n.waitlist, "waiting-list entry", "waiting-list entries"),
            plural(n.checkins, "check-in", "check-ins")
        )
    };
    let mut text = format!("copied {}\n", plural(r.copied.total(), "row", "rows"));
    text.push_str(&line("source", &r.source, &r.source_rows));
    text.push_str(&line("target", &r.target, &r.target_rows));
    text.push_str(&format!("check of the target: {}\n", if r.check.is_ok() { "ok" } else { "PROBLEMS" }));
    for problem in &r.check.problems {
        text.push_str(&format!("  {}\n", sanitize_display(problem)));
    }
    text
}
