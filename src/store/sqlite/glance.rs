//! Capacity at a glance on SQLite: the summary line in one statement, and an event's bookings
//! per day from its history.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value as V;

use crate::model::{BookingDay, CapacitySummary, NEARLY_FULL_PERCENT, Result};
use crate::store::SummaryQuery;

/// One pass over the events not over yet (through `events_by_creator` for one organizer).
pub(super) fn capacity_summary(
    conn: &Connection,
    q: &SummaryQuery,
    now: DateTime<Utc>,
) -> Result<CapacitySummary> {
    let mine = if q.creator_id.is_some() { " AND e.creator_id = ?5" } else { "" };
    let sql = format!(
        "SELECT count(*) FILTER (WHERE e.starts_at < ?2),
                count(*) FILTER (WHERE e.starts_at < ?3),
                coalesce(sum(e.capacity - e.booked), 0),
                count(*) FILTER (WHERE e.booked < e.capacity AND e.booked * 100 >= e.capacity * ?4),
                count(*) FILTER (WHERE e.booked >= e.capacity)
           FROM events e
          WHERE e.deleted_at IS NULL AND e.ends_at > ?1{mine}"
    );
    let mut params = vec![
        V::Integer(now.timestamp()),
        V::Integer(q.day_end.timestamp()),
        V::Integer(q.week_end.timestamp()),
    ];
    params.push(V::Integer(i64::from(NEARLY_FULL_PERCENT)));
    if let Some(id) = q.creator_id {
        params.push(V::Integer(id));
    }
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params), |r| {
        Ok(CapacitySummary {
            today: n(r.get(0)?),
            this_week: n(r.get(1)?),
            seats_left: n(r.get(2)?),
            nearly_full: n(r.get(3)?),
            full: n(r.get(4)?),
        })
    })?)
}

/// The event's booking rows (found through the bookings table and, for bookings moved away
/// since, their `move` rows), each counted on the event its details name.
const BOOKING_DAYS: &str = "
    SELECT created_at / 86400 AS day,
           sum(CASE WHEN action IN ('book', 'reactivate')
                      OR (action = 'move' AND json_extract(details, '$.to_event_id') = ?1)
                    THEN 1 ELSE 0 END),
           sum(CASE WHEN action = 'cancel'
                      OR (action = 'move' AND json_extract(details, '$.from_event_id') = ?1)
                    THEN 1 ELSE 0 END)
      FROM history
     WHERE object_kind = 'booking'
       AND object_id IN (SELECT id FROM bookings WHERE event_id = ?1
                         UNION SELECT object_id FROM history
                          WHERE action = 'move' AND json_extract(details, '$.from_event_id') = ?1)
       AND ((action IN ('book', 'reactivate', 'cancel') AND json_extract(details, '$.event_id') = ?1)
            OR (action = 'move' AND (json_extract(details, '$.to_event_id') = ?1
                                     OR json_extract(details, '$.from_event_id') = ?1)))
     GROUP BY day
     ORDER BY day";

pub(super) fn booking_days(conn: &Connection, event_id: i64) -> Result<Vec<BookingDay>> {
    let mut stmt = conn.prepare_cached(BOOKING_DAYS)?;
    let rows =
        stmt.query_map([event_id], |r| Ok(BookingDay::from_epoch_day(r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
