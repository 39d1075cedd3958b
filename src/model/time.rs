//! Time input and output: stored in UTC, entered and shown in local time.

use chrono::{DateTime, Local, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};

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
    parse_time_in(input, &Local)
}

/// `parse_time` in an explicit zone. A local time the zone has twice (clocks go back) or not
/// at all (clocks go forward) is refused with the choices, never silently resolved.
pub fn parse_time_in<Tz: TimeZone>(input: &str, zone: &Tz) -> Result<DateTime<Utc>, String> {
    parse_time_precise(input, zone).map(|t| DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t))
}

fn parse_time_precise<Tz: TimeZone>(input: &str, zone: &Tz) -> Result<DateTime<Utc>, String> {
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
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            // Ordered by instant: chrono's `Local` may report the later one first.
            let (first, second) = if a <= b { (a, b) } else { (b, a) };
            Err(format!(
                "{} happens twice in this time zone: type {} (first) or {} (second)",
                naive.format(SHOWN),
                exact(&first),
                exact(&second)
            ))
        }
        LocalResult::None => Err(skipped(&naive, zone)),
    }
}

/// The minutes people type and read.
const SHOWN: &str = "%Y-%m-%d %H:%M";

/// An instant written so that no zone rule can change it: RFC 3339 with its offset.
fn exact<Tz: TimeZone>(t: &DateTime<Tz>) -> String {
    t.fixed_offset().format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The message for a local time the clocks jump over, with the first time after the jump.
fn skipped<Tz: TimeZone>(naive: &NaiveDateTime, zone: &Tz) -> String {
    let after = (1..=4)
        .map(|h| *naive + TimeDelta::hours(h))
        .find(|t| zone.from_local_datetime(t).earliest().is_some())
        .map(|t| format!(", e.g. {}", t.format(SHOWN)))
        .unwrap_or_default();
    format!(
        "{} does not exist in this time zone (the clocks jump forward over it); pick another time{after}",
        naive.format(SHOWN)
    )
}

/// Formats a stored time for people: local `YYYY-MM-DD HH:MM`.
pub fn format_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format(SHOWN).to_string()
}

/// The local time of day, `HH:MM` ("already checked in at 18:02").
pub fn format_clock(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M").to_string()
}

/// Formats a stored time for a form field, so that parsing it gives the same instant back:
/// local `YYYY-MM-DD HH:MM`, or RFC 3339 with the offset when that local time happens twice.
pub fn format_input(t: DateTime<Utc>) -> String {
    format_input_in(t, &Local)
}

/// `format_input` in an explicit zone.
pub fn format_input_in<Tz: TimeZone>(t: DateTime<Utc>, zone: &Tz) -> String {
    let local = t.with_timezone(zone);
    let naive = local.naive_local();
    match zone.from_local_datetime(&naive) {
        LocalResult::Ambiguous(..) => exact(&local),
        _ => naive.format(SHOWN).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveDate};

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

    /// America/New_York in 2027, enough of it for the two clock changes: EDT (-04:00) from
    /// 2027-03-14 07:00 UTC until 2027-11-07 06:00 UTC, EST (-05:00) otherwise.
    #[derive(Debug, Clone, Copy)]
    struct NewYork2027;

    impl NewYork2027 {
        fn edt() -> FixedOffset {
            FixedOffset::west_opt(4 * 3600).unwrap()
        }
        fn est() -> FixedOffset {
            FixedOffset::west_opt(5 * 3600).unwrap()
        }
    }

    impl TimeZone for NewYork2027 {
        type Offset = FixedOffset;

        fn from_offset(_: &FixedOffset) -> Self {
            NewYork2027
        }

        fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<FixedOffset> {
            self.offset_from_local_datetime(&local.and_hms_opt(0, 0, 0).unwrap())
        }

        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<FixedOffset> {
            let fits = |off: FixedOffset| self.offset_from_utc_datetime(&(*local - off)) == off;
            match (fits(Self::edt()), fits(Self::est())) {
                // The later instant first, as chrono's `Local` reports it on Linux.
                (true, true) => LocalResult::Ambiguous(Self::est(), Self::edt()),
                (true, false) => LocalResult::Single(Self::edt()),
                (false, true) => LocalResult::Single(Self::est()),
                (false, false) => LocalResult::None,
            }
        }

        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_hms_opt(0, 0, 0).unwrap())
        }

        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            let at = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
            let summer = at("2027-03-14 07:00") <= *utc && *utc < at("2027-11-07 06:00");
            if summer { Self::edt() } else { Self::est() }
        }
    }

    #[test]
    fn an_ambiguous_local_time_is_refused_with_both_choices() {
        let err = parse_time_in("2027-11-07 01:30", &NewYork2027).unwrap_err();
        assert_eq!(
            err,
            "2027-11-07 01:30 happens twice in this time zone: \
             type 2027-11-07T01:30:00-04:00 (first) or 2027-11-07T01:30:00-05:00 (second)"
        );
        let first = parse_time_in("2027-11-07T01:30:00-04:00", &NewYork2027).unwrap();
        let second = parse_time_in("2027-11-07T01:30:00-05:00", &NewYork2027).unwrap();
        assert_eq!(second - first, TimeDelta::hours(1));
        assert_eq!(
            parse_time_in("2027-11-07 02:30", &NewYork2027).unwrap().to_rfc3339(),
            "2027-11-07T07:30:00+00:00"
        );
    }

    #[test]
    fn a_skipped_local_time_is_refused_with_a_time_after_the_jump() {
        let err = parse_time_in("2027-03-14 02:30", &NewYork2027).unwrap_err();
        assert_eq!(
            err,
            "2027-03-14 02:30 does not exist in this time zone (the clocks jump forward over it); \
             pick another time, e.g. 2027-03-14 03:30"
        );
        assert!(parse_time_in("2027-03-14 03:30", &NewYork2027).is_ok());
    }

    #[test]
    fn a_form_value_parses_back_to_the_same_instant_even_in_the_repeated_hour() {
        for utc in ["2027-11-07T05:30:00Z", "2027-11-07T06:30:00Z", "2027-07-01T12:00:00Z"] {
            let t = parse_time(utc).unwrap();
            let shown = format_input_in(t, &NewYork2027);
            assert_eq!(parse_time_in(&shown, &NewYork2027), Ok(t), "{utc} shown as {shown}");
        }
        assert_eq!(
            format_input_in(parse_time("2027-07-01T12:00:00Z").unwrap(), &NewYork2027),
            "2027-07-01 08:00"
        );
    }
}
