//! `eventdesk check`: integrity, foreign keys and the booked-count invariant.

use anyhow::anyhow;
use serde_json::json;

use super::Context;
use super::output;
use crate::model::{plural, plural_len, sanitize_display};

/// Prints the report; a broken database ends with exit 1 so scripts and CI notice.
pub fn run(ctx: &Context) -> anyhow::Result<()> {
    let report = ctx.store()?.check()?;
    if ctx.json {
        output::json(&json!({
            "ok": report.is_ok(),
            "problems": report.problems,
            "events": report.events,
            "bookings": report.bookings,
            "history": report.history,
            "waiting": report.waiting,
            "checked_in": report.checked_in,
        }))?;
    } else {
        let mut text = format!(
            "checked {}, {}, {}: {}\n",
            plural(report.events, "event", "events"),
            plural(report.bookings, "booking", "bookings"),
            plural(report.history, "history row", "history rows"),
            if report.is_ok() { "ok" } else { "PROBLEMS" }
        );
        for problem in &report.problems {
            text.push_str(&format!("  {}\n", sanitize_display(problem)));
        }
        output::emit(&text)?;
    }
    match report.problems.len() {
        0 => Ok(()),
        n => Err(anyhow!("check failed: {}", plural_len(n, "problem", "problems"))),
    }
}
