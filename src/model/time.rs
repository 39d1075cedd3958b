//! Time input and output: stored in UTC, entered and shown in local time.

use chrono::{DateTime, Local, LocalResult, NaiveDateTime, TimeZone, Utc};

/// The format the desk types dates in.
pub const TIME_FORMAT_HINT: &str = "YYYY-MM-DD HH:MM";
/// An example value shown beside date fields.
pub const TIME_EXAMPLE: &str = "2026-12-01 18:00";

const LOCAL_FORMATS: [&str; 4] =
    ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"];

/// Where "now" comes from. Rules take the time from here so tests and demos can fix it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Parses `YYYY-MM-DD HH:MM` (local time, seconds optional) or RFC 3339.
/// The error says what was expected, ready to show beside the field.
/// Fractions of a second are dropped: the store keeps whole seconds, so the value returned is
/// exactly the value stored.
pub fn parse_time(input: &str) -> Result<DateTime<Utc>, String> {
    parse_time_precise(input).map(|t| DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t))
}

fn parse_time_precise(input: &str) -> Result<DateTime<Utc>, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err(format!("enter a date and time as {TIME_FORMAT_HINT}, e.g. {TIME_EXAMPLE}"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive =
        LOCAL_FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok()).ok_or_else(|| {
            format!("expected {TIME_FORMAT_HINT} (local time) or RFC 3339, e.g. {TIME_EXAMPLE}")
        })?;
    match Local.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // A repeated hour when clocks go back: take the first occurrence, as a person would.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => {
            Err(format!("{s} does not exist in local time (clocks change); pick another time"))
        }
    }
}

/// Formats a stored time for people: local `YYYY-MM-DD HH:MM`.
pub fn format_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_with_and_without_seconds_fraction() {
        let t = parse_time("2026-12-01T18:00:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T18:00:00+00:00");
        let t = parse_time("2026-12-01T18:00:00+02:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T16:00:00+00:00");
    }

    #[test]
    fn parses_local_format_round_trip() {
        let t = parse_time("2026-12-01 18:00").unwrap();
        assert_eq!(format_local(t), "2026-12-01 18:00");
        assert_eq!(parse_time(" 2026-12-01T18:00 ").unwrap(), t);
    }

    #[test]
    fn rejects_garbage_with_the_expected_format() {
        for bad in ["", "tomorrow", "2026-13-01 18:00", "2026-12-01", "01/12/2026 18:00", "2026-12-01 25:00"]
        {
            let err = parse_time(bad).unwrap_err();
            assert!(err.contains(TIME_FORMAT_HINT), "{bad}: {err}");
        }
    }
}
