//! `eventdesk history`: the audit trail, newest first, filtered and limited.

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::Context;
use super::context::all_pages;
use super::export::{CsvFlag, csv_list};
use super::output::{self, Align, Table};
use crate::export::{HISTORY_COLUMNS, HistoryRow as Row};
use crate::model::{About, HistoryAction, ObjectKind, format_local, parse_time};
use crate::store::{HistoryQuery, Page};

/// `eventdesk history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only rows by this operator
    #[arg(long)]
    pub actor: Option<String>,
    /// Only rows of this action
    #[arg(long, value_parser = action_parser())]
    pub action: Option<HistoryAction>,
    /// Only rows about this kind of object
    #[arg(long, value_parser = kind_parser())]
    pub kind: Option<ObjectKind>,
    /// Everything about this event: its rows and its bookings' rows
    #[arg(long, value_name = "ID", conflicts_with = "attendee")]
    pub event: Option<i64>,
    /// Everything about this attendee: their rows and their bookings' rows
    #[arg(long, value_name = "ID")]
    pub attendee: Option<i64>,
    /// From this time on: "YYYY-MM-DD [HH:MM]" local, or RFC 3339
    #[arg(long, value_parser = parse_bound)]
    pub since: Option<DateTime<Utc>>,
    /// Before this time
    #[arg(long, value_parser = parse_bound)]
    pub until: Option<DateTime<Utc>>,
    /// At most this many rows
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    #[command(flatten)]
    pub out: CsvFlag,
}

pub fn run(ctx: &Context, args: &HistoryArgs) -> anyhow::Result<()> {
    // History names people and what was done to them: sign-in first.
    ctx.session()?;
    let query = HistoryQuery {
        actor: args.actor.clone(),
        action: args.action,
        object_kind: args.kind,
        object_id: None,
        about: args.event.map(About::Event).or(args.attendee.map(About::Attendee)),
        since: args.since,
        until: args.until,
        before_id: None,
        page: Page::default(),
    };
    let store = ctx.store()?;
    // Pages up to the limit, so a large export streams like the other lists.
    let limit = u64::from(args.limit);
    let fetch = |page: Page| -> crate::model::Result<Vec<Row>> {
        let left = limit.saturating_sub(page.offset);
        if left == 0 {
            return Ok(Vec::new());
        }
        let page = Page::new(page.offset, page.limit.min(u32::try_from(left).unwrap_or(u32::MAX)));
        Ok(store.history(&HistoryQuery { page, ..query.clone() })?.into_iter().map(Row::from).collect())
    };
    if args.out.csv {
        return csv_list(HISTORY_COLUMNS, fetch);
    }
    let rows = all_pages(fetch)?;
    if ctx.json {
        return output::json(&rows);
    }
    output::emit(&table(&rows).render("no history"))
}

/// `--action`: clap lists the choices in `--help` and in the error for a wrong one.
fn action_parser() -> impl TypedValueParser<Value = HistoryAction> {
    PossibleValuesParser::new(HistoryAction::ALL.map(HistoryAction::as_str))
        .try_map(|s| HistoryAction::parse_or_explain(&s))
}

fn kind_parser() -> impl TypedValueParser<Value = ObjectKind> {
    PossibleValuesParser::new(ObjectKind::ALL.map(ObjectKind::as_str))
        .try_map(|s| ObjectKind::parse_or_explain(&s))
}

/// A query bound: a full time as `parse_time` takes it, or a bare date meaning local midnight.
fn parse_bound(s: &str) -> Result<DateTime<Utc>, String> {
    parse_time(s).or_else(|err| {
        let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| err)?;
        let midnight = date.and_hms_opt(0, 0, 0).ok_or("no midnight on that date")?;
        Local
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("{s} has no midnight in local time"))
    })
}

/// People read the sentence; `--json` and `--csv` have every stored field.
fn table(rows: &[Row]) -> Table {
    let mut table =
        Table::new(&[("ID", Align::Right), ("TIME", Align::Left), ("WHAT HAPPENED", Align::Left)]);
    for r in rows {
        table.row(vec![r.entry.id.to_string(), format_local(r.entry.created_at), r.summary.clone()]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_take_dates_and_times() {
        let midnight = parse_bound("2026-12-01").unwrap();
        assert_eq!(format_local(midnight), "2026-12-01 00:00");
        assert_eq!(parse_bound("2026-12-01T18:00:00Z").unwrap().to_rfc3339(), "2026-12-01T18:00:00+00:00");
        assert!(parse_bound("yesterday").unwrap_err().contains("YYYY-MM-DD"));
    }
}
