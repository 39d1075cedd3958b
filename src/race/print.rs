//! The race as people read it: one line per round, then the totals and the latency spread.

use std::fmt::Write as _;

use super::{RaceReport, RoundReport};
use crate::model::{plural, plural_len, sanitize_display};

/// Human-readable report.
pub fn render(report: &RaceReport) -> String {
    let mut text = format!(
        "race: {} per round, {}, {}database {}\n",
        plural(report.procs, "process", "processes"),
        plural_len(report.rounds.len(), "round", "rounds"),
        if report.scratch { "scratch " } else { "" },
        sanitize_display(&report.database)
    );
    for round in &report.rounds {
        text.push_str(&round_line(round));
    }
    let _ = writeln!(
        text,
        "total: {} booked, {} cleanly refused (full), {}; {} of {} ok",
        report.booked,
        report.full,
        plural(report.other, "other error", "other errors"),
        report.rounds.iter().filter(|r| r.ok).count(),
        plural_len(report.rounds.len(), "round", "rounds")
    );
    let _ = writeln!(text, "latency of the booking call: {}", report.latency);
    let _ = writeln!(text, "{}", if report.ok { "RACE OK" } else { "RACE FAILED" });
    text
}

fn round_line(r: &RoundReport) -> String {
    let winners: Vec<String> = r.winners.iter().map(|w| format!("p{}", w.process)).collect();
    let check = if r.check_problems.is_empty() { "check ok" } else { "CHECK FAILED" };
    let mut line = format!(
        "round {:>3}: event {} with {} left: won by {} [{}]; full {}; other {}; {check}; booked {}/{}{}\n",
        r.round,
        r.event_id,
        plural(r.seats, "seat", "seats"),
        r.winners.len(),
        winners.join(" "),
        r.full,
        r.other.len(),
        r.booked_after,
        r.capacity,
        if r.ok { "" } else { "  <-- FAILED" }
    );
    for message in r.other.iter().chain(&r.check_problems) {
        let _ = writeln!(line, "           {}", sanitize_display(message));
    }
    line
}
