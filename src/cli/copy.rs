//! `eventdesk copy --to TARGET`: the whole database into an empty one of either engine.

use anyhow::anyhow;
use clap::Args;

use super::Context;
use super::output;
use crate::model::sanitize_display;
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
        n => Err(anyhow!("the copy was made, but check found {n} problem(s) in the target")),
    }
}

fn render(r: &CopyReport) -> String {
    let line = |side: &str, at: &str, n: &RowCounts| {
        format!(
            "{side} {}: {} operators, {} attendees, {} events, {} bookings, {} history rows\n",
            sanitize_display(at),
            n.operators,
            n.attendees,
            n.events,
            n.bookings,
            n.history
        )
    };
    let mut text = format!("copied {} rows\n", r.copied.total());
    text.push_str(&line("source", &r.source, &r.source_rows));
    text.push_str(&line("target", &r.target, &r.target_rows));
    text.push_str(&format!("check of the target: {}\n", if r.check.is_ok() { "ok" } else { "PROBLEMS" }));
    for problem in &r.check.problems {
        text.push_str(&format!("  {}\n", sanitize_display(problem)));
    }
    text
}
