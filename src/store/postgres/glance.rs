//! Capacity at a glance on PostgreSQL: the summary line in one statement (one round trip), and
//! an event's bookings per day from its history.

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use super::db::Db;
use super::rows::Fetched;
use crate::model::{BookingDay, CapacitySummary, NEARLY_FULL_PERCENT};
use crate::store::SummaryQuery;

pub(super) fn capacity_summary<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &SummaryQuery,
    now: DateTime<Utc>,
) -> Fetched<CapacitySummary> {
    let mine = if q.creator_id.is_some() { " AND e.creator_id = $5" } else { "" };
    let sql = format!(
        "SELECT count(*) FILTER (WHERE e.starts_at < $2),
                count(*) FILTER (WHERE e.starts_at < $3),
                coalesce(sum(e.capacity - e.booked), 0)::bigint,
                count(*) FILTER (WHERE e.booked < e.capacity AND e.booked * 100 >= e.capacity * $4),
                count(*) FILTER (WHERE e.booked >= e.capacity)
           FROM events e
          WHERE e.deleted_at IS NULL AND e.ends_at > $1{mine}"
    );
    let (now, day, week) = (now.timestamp(), q.day_end.timestamp(), q.week_end.timestamp());
    let near = i64::from(NEARLY_FULL_PERCENT);
    let map = |r: &postgres::Row| -> Fetched<CapacitySummary> {
        let n = |i: usize| r.try_get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
        Ok(CapacitySummary {
            today: n(0)?,
            this_week: n(1)?,
            seats_left: n(2)?,
            nearly_full: n(3)?,
            full: n(4)?,
        })
    };
    match q.creator_id {
        Some(id) => db.one(&sql, &[&now, &day, &week, &near, &id], map),
        None => db.one(&sql, &[&now, &day, &week, &near], map),
    }
}

/// As on SQLite; ids in the details are compared as text (see `reads::about_filter`).
const BOOKING_DAYS: &str = "
    SELECT created_at / 86400 AS day,
           count(*) FILTER (WHERE action IN ('book', 'reactivate')
                               OR (action = 'move' AND details::json ->> 'to_event_id' = $2)),
           count(*) FILTER (WHERE action = 'cancel'
                               OR (action = 'move' AND details::json ->> 'from_event_id' = $2))
      FROM history
     WHERE object_kind = 'booking'
       AND object_id IN (SELECT id FROM bookings WHERE event_id = $1
                         UNION SELECT object_id FROM history
                          WHERE action = 'move' AND details::json ->> 'from_event_id' = $2)
       AND ((action IN ('book', 'reactivate', 'cancel') AND details::json ->> 'event_id' = $2)
            OR (action = 'move' AND (details::json ->> 'to_event_id' = $2
                                     OR details::json ->> 'from_event_id' = $2)))
     GROUP BY day
     ORDER BY day";

pub(super) fn booking_days<C: GenericClient>(db: &mut Db<'_, C>, event_id: i64) -> Fetched<Vec<BookingDay>> {
    let text = event_id.to_string();
    db.rows(BOOKING_DAYS, &[&event_id, &text], |r| {
        Ok(BookingDay::from_epoch_day(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
    })
}
