//! Capacity at a glance: the numbers an organizer opens on, and an event's bookings over time.

use chrono::{DateTime, Days, Local, NaiveDate, NaiveTime, TimeZone, Utc};

/// From this share of seats taken an event counts as nearly full (and its gauge turns amber).
pub const NEARLY_FULL_PERCENT: u32 = 80;

/// Whether `booked` of `capacity` seats is nearly full: at least `NEARLY_FULL_PERCENT`, not full.
pub fn is_nearly_full(booked: u32, capacity: u32) -> bool {
    booked < capacity && u64::from(booked) * 100 >= u64::from(capacity) * u64::from(NEARLY_FULL_PERCENT)
}

/// The summary line over the events that are not over yet (an organizer's own, or everyone's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapacitySummary {
    /// Events on today (started and still running, or starting before the day ends).
    pub today: u64,
    /// Events on from now to the end of the sixth day after today.
    pub this_week: u64,
    /// Seats left over all the events not over yet.
    pub seats_left: u64,
    pub nearly_full: u64,
    pub full: u64,
}

/// Where "today" and "this week" end, as local midnights after `now`: the ends of today and
/// of the sixth day after it. A day without a midnight (a zone that skips it) ends an hour on.
pub fn day_ends(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let today = now.with_timezone(&Local).date_naive();
    let end = |days: u64| {
        let day = today.checked_add_days(Days::new(days)).unwrap_or(today);
        local_midnight(day).unwrap_or(now + chrono::Duration::days(i64::try_from(days).unwrap_or(1)))
    };
    (end(1), end(7))
}

fn local_midnight(day: NaiveDate) -> Option<DateTime<Utc>> {
    let at = |t: NaiveTime| Local.from_local_datetime(&day.and_time(t)).earliest();
    at(NaiveTime::MIN).or_else(|| at(NaiveTime::from_hms_opt(1, 0, 0)?)).map(|t| t.with_timezone(&Utc))
}

/// One day (UTC) of an event's booking activity, as its history recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingDay {
    pub day: NaiveDate,
    /// Seats taken that day: bookings, rebookings and bookings moved onto the event.
    pub booked: u32,
    /// Seats freed that day: cancellations and bookings moved away.
    pub cancelled: u32,
}

impl BookingDay {
    /// The day `days` days after 1970-01-01 (how both engines bucket a time in seconds).
    pub fn from_epoch_day(days: i64, booked: i64, cancelled: i64) -> BookingDay {
        let day = DateTime::from_timestamp(days.saturating_mul(86_400), 0).unwrap_or_default().date_naive();
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        BookingDay { day, booked: n(booked), cancelled: n(cancelled) }
    }
}

/// Seats taken per day from the first day with activity to `last` (inclusive), a zero for
/// each quiet day: the series a sparkline draws.
pub fn per_day(days: &[BookingDay], last: NaiveDate) -> Vec<u64> {
    let Some(first) = days.first().map(|d| d.day) else { return Vec::new() };
    let last = last.max(days.last().map_or(first, |d| d.day));
    let len = usize::try_from((last - first).num_days()).unwrap_or(0) + 1;
    let mut series = vec![0u64; len];
    for d in days {
        if let Ok(i) = usize::try_from((d.day - first).num_days()) {
            series[i] += u64::from(d.booked);
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearly_full_starts_at_eighty_percent_and_stops_at_full() {
        assert!(!is_nearly_full(7, 10));
        assert!(is_nearly_full(8, 10));
        assert!(is_nearly_full(9, 10));
        assert!(!is_nearly_full(10, 10));
        assert!(is_nearly_full(4, 5));
        assert!(!is_nearly_full(0, 1));
    }

    #[test]
    fn quiet_days_are_zeros_up_to_the_last_day() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 6, d).expect("date");
        let days = [
            BookingDay { day: day(2), booked: 3, cancelled: 0 },
            BookingDay { day: day(5), booked: 1, cancelled: 1 },
        ];
        assert_eq!(per_day(&days, day(7)), [3, 0, 0, 1, 0, 0]);
        assert_eq!(per_day(&days, day(1)), [3, 0, 0, 1], "never before the last activity");
        assert!(per_day(&[], day(7)).is_empty());
        assert_eq!(BookingDay::from_epoch_day(1, 2, 0).day, NaiveDate::from_ymd_opt(1970, 1, 2).expect("d"));
    }

    #[test]
    fn the_week_ends_six_days_after_today() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).single().expect("time");
        let (day, week) = day_ends(now);
        assert!(day > now && day - now <= chrono::Duration::hours(25));
        assert!((week - day).num_hours().abs_diff(6 * 24) <= 1);
    }
}
