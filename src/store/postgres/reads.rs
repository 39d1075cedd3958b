//! Reads: single rows and pages of lists, each one statement outside any transaction.

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use super::db::Db;
use super::rows::{
    self, ATTENDEE_COLUMNS, BOOKING_COLUMNS, EVENT_COLUMNS, Fetched, HISTORY_COLUMNS, OPERATOR_COLUMNS,
    WAITLIST_COLUMNS,
};
use super::sql::{Where, after_row, contains_pattern, p, reversed};
use crate::model::fold::{canonical_email, fold};
use crate::model::{About, Attendee, BookingRow, Event, HistoryEntry, Operator, Role, WaitlistEntry};
use crate::store::engine::Credentials;
use crate::store::query::Plan;
use crate::store::{BookingQuery, EventFilter, EventQuery, HistoryQuery, Page, WaitlistQuery};

/// A booking's check-in stands (the partial unique index answers it).
const STANDING_CHECK_IN: &str =
    "EXISTS (SELECT 1 FROM checkins c2 WHERE c2.booking_id = b.id AND c2.undone_at IS NULL)";

/// Runs `select` (ending in its WHERE clause) for one page in `order`, reading a back-half
/// page from the other end when the total is known, and from a row when the page seeks
/// (`table` names the table, with the alias `order` uses, to read that row's key from).
pub(super) fn page<C: GenericClient, T>(
    db: &mut Db<'_, C>,
    select: &str,
    (order, table): (&str, &str),
    mut filter: Where,
    page: Page,
    map: fn(&postgres::Row) -> Fetched<T>,
) -> Fetched<Vec<T>> {
    let plan = page.plan();
    let order = if plan.reverse { reversed(order) } else { order.to_string() };
    let select = seeking(select, &mut filter, plan, &order, table);
    let limit = filter.page(plan);
    let sql = format!("{select} ORDER BY {order}{limit}");
    let mut rows = db.rows(&sql, &filter.params(), map)?;
    if plan.reverse {
        rows.reverse();
    }
    Ok(rows)
}

/// `select` (ending in its WHERE clause) narrowed to the rows after the plan's seek row (and
/// that row, when including), in `order` as read.
fn seeking(select: &str, filter: &mut Where, plan: Plan, order: &str, table: &str) -> String {
    let Some(id) = plan.after else { return select.to_string() };
    let joiner = if filter.is_empty() { "WHERE" } else { "AND" };
    let mark = filter.push(p(id));
    format!("{select} {joiner} {}", after_row(order, table, plan.including).replace('?', &mark))
}

pub(super) fn count<C: GenericClient>(db: &mut Db<'_, C>, sql: &str, filter: &Where) -> Fetched<u64> {
    db.one(sql, &filter.params(), rows::count_of)
}

/// Counts the rows of `from` (ending in its WHERE clause) that `page` reads on from (all of
/// them unless it seeks), stopping at `cap + 1` when capped: a count that must not grow with
/// the table reads at most that many index entries.
fn count_page<C: GenericClient>(
    db: &mut Db<'_, C>,
    from: &str,
    (order, table): (&str, &str),
    mut w: Where,
    page: Page,
    (cap, in_order): (Option<u64>, bool),
) -> Fetched<u64> {
    let plan = page.plan();
    let order = if plan.reverse { reversed(order) } else { order.to_string() };
    let from = seeking(from, &mut w, plan, &order, table);
    let Some(cap) = cap else { return count(db, &format!("SELECT count(*) FROM {from}"), &w) };
    let limit = w.push(p(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX)));
    let walk = if in_order { format!(" ORDER BY {order}") } else { String::new() };
    count(db, &format!("SELECT count(*) FROM (SELECT 1 FROM {from}{walk} LIMIT {limit}) counted"), &w)
}

/// Whether a capped count walks its list's order (see `count_events`).
const IN_ORDER: bool = true;

/// The event by id, deleted or not: `deleted_at` says which (the rules tell the two apart).
pub(super) fn event<C: GenericClient>(db: &mut Db<'_, C>, id: i64) -> Fetched<Option<Event>> {
    let sql = format!("SELECT {EVENT_COLUMNS} WHERE e.id = $1");
    db.opt(&sql, &[&id], rows::event)
}

fn event_filter(q: &EventQuery, now: i64) -> (Where, &'static str) {
    let mut w = Where::default();
    w.add("e.deleted_at IS NULL", vec![]);
    let order = match q.filter {
        EventFilter::All => "e.starts_at, e.id",
        EventFilter::Upcoming => {
            w.add("e.starts_at > ?", vec![p(now)]);
            "e.starts_at, e.id"
        }
        EventFilter::Past => {
            // The schema's end > start makes the start bound redundant, but it is what lets the
            // newest-first walk seek to the events that have started instead of stepping over
            // every upcoming one (16.7 ms on SQLite, 4.2 ms on PostgreSQL at 100 000 events).
            w.add("e.ends_at <= ? AND e.starts_at < ?", vec![p(now), p(now)]);
            "e.starts_at DESC, e.id DESC"
        }
        EventFilter::Mine => {
            w.add("e.creator_id = ?", vec![p(q.creator_id.unwrap_or(-1))]);
            "e.starts_at, e.id"
        }
        EventFilter::MineUpcoming => {
            w.add("e.creator_id = ? AND e.ends_at > ?", vec![p(q.creator_id.unwrap_or(-1)), p(now)]);
            "e.starts_at, e.id"
        }
        EventFilter::Available => {
            w.add("e.starts_at > ? AND e.booked < e.capacity", vec![p(now)]);
            "e.starts_at, e.id"
        }
    };
    if !q.search.trim().is_empty() {
        w.add("e.title_fold LIKE ?", vec![p(contains_pattern(&fold(q.search.trim())))]);
    }
    (w, order)
}

/// One page of events, ordered by start (newest first for past events).
pub(super) fn list_events<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &EventQuery,
    now: DateTime<Utc>,
) -> Fetched<Vec<Event>> {
    let (w, order) = event_filter(q, now.timestamp());
    page(db, &format!("SELECT {EVENT_COLUMNS}{}", w.sql()), (order, EVENTS), w, q.page, rows::event)
}

/// Events lists read their seek row's key from here.
const EVENTS: &str = "events e";

/// How many events match (from the page's seek row, when it seeks), up to `cap + 1` if capped.
/// A capped count walks the start index as the page does: without the order the planner
/// counted a title search (`title_fold LIKE`) by scanning the heap, whose first rows are past
/// events, 5 ms at 100 000 events against 0.4 ms for the walk.
pub(super) fn count_events<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &EventQuery,
    now: DateTime<Utc>,
    cap: Option<u64>,
) -> Fetched<u64> {
    let (w, order) = event_filter(q, now.timestamp());
    count_page(db, &format!("events e{}", w.sql()), (order, EVENTS), w, q.page, (cap, IN_ORDER))
}

/// One booking; `lock` (inside a write) keeps other writers off its row until commit.
pub(super) fn booking<C: GenericClient>(
    db: &mut Db<'_, C>,
    id: i64,
    lock: bool,
) -> Fetched<Option<BookingRow>> {
    let lock = if lock { " FOR UPDATE OF b" } else { "" };
    db.opt(&format!("SELECT {BOOKING_COLUMNS} WHERE b.id = $1{lock}"), &[&id], rows::booking)
}

fn booking_filter(q: &BookingQuery) -> Where {
    let mut w = Where::default();
    if let Some(id) = q.event_id {
        w.add("b.event_id = ?", vec![p(id)]);
    }
    if let Some(id) = q.attendee_id {
        w.add("b.attendee_id = ?", vec![p(id)]);
    }
    if let Some(id) = q.before_id {
        w.add("b.id < ?", vec![p(id)]);
    }
    if let Some(status) = q.status {
        // Spelled out, not bound: only a statement that names 'cancelled' may use the partial
        // index of cancelled bookings (migration 012; PostgreSQL 009). The text is the enum's.
        w.add(&format!("b.status = '{}'", status.as_str()), vec![]);
    }
    if let Some(id) = q.organizer_id {
        w.add("e.creator_id = ?", vec![p(id)]);
    }
    match q.checked_in {
        Some(true) => w.add(STANDING_CHECK_IN, vec![]),
        Some(false) => w.add(&format!("NOT {STANDING_CHECK_IN}"), vec![]),
        None => {}
    }
    if !q.search.trim().is_empty() {
        // The attendee's name and email and the event's title, kept on the booking (migration
        // 006): the walk reads no other table.
        w.add("b.search_fold LIKE ?", vec![p(contains_pattern(&fold(q.search.trim())))]);
    }
    w
}

/// One page of bookings, newest first.
pub(super) fn list_bookings<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &BookingQuery,
) -> Fetched<Vec<BookingRow>> {
    let w = booking_filter(q);
    page(db, &format!("SELECT {BOOKING_COLUMNS}{}", w.sql()), BOOKINGS, w, q.page, rows::booking)
}

/// Bookings lists run newest first; the seek row's key comes from the bookings table.
const BOOKINGS: (&str, &str) = ("b.id DESC", "bookings b");

/// How many bookings match (from the page's seek row, when it seeks), up to `cap + 1` if capped.
pub(super) fn count_bookings<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &BookingQuery,
    cap: Option<u64>,
) -> Fetched<u64> {
    let w = booking_filter(q);
    // Join only what the filter reads; a search reads the booking's own search_fold.
    let from =
        if q.organizer_id.is_some() { "bookings b JOIN events e ON e.id = b.event_id" } else { "bookings b" };
    count_page(db, &format!("{from}{}", w.sql()), BOOKINGS, w, q.page, (cap, !IN_ORDER))
}

pub(super) fn attendee<C: GenericClient>(db: &mut Db<'_, C>, id: i64) -> Fetched<Option<Attendee>> {
    db.opt(&format!("SELECT {ATTENDEE_COLUMNS} WHERE id = $1"), &[&id], rows::attendee)
}

/// Emails compare without (ASCII) case, as SQLite's `COLLATE NOCASE` column does.
pub(super) fn attendee_by_email<C: GenericClient>(
    db: &mut Db<'_, C>,
    email: &str,
) -> Fetched<Option<Attendee>> {
    db.opt(
        &format!("SELECT {ATTENDEE_COLUMNS} WHERE email_canonical = $1 AND merged_into IS NULL"),
        &[&canonical_email(email)],
        rows::attendee,
    )
}

fn history_filter(q: &HistoryQuery) -> Where {
    let mut w = Where::default();
    if let Some(actor) = &q.actor {
        w.add("nocase(actor) = nocase(?)", vec![p(actor.trim().to_string())]);
    }
    if let Some(action) = q.action {
        w.add("action = ?", vec![p(action.as_str().to_string())]);
    }
    if let Some(kind) = q.object_kind {
        w.add("object_kind = ?", vec![p(kind.as_str().to_string())]);
    }
    if let Some(id) = q.object_id {
        w.add("object_id = ?", vec![p(id)]);
    }
    if let Some(about) = q.about {
        about_filter(&mut w, about);
    }
    if let Some(since) = q.since {
        w.add("created_at >= ?", vec![p(since.timestamp())]);
    }
    if let Some(until) = q.until {
        w.add("created_at < ?", vec![p(until.timestamp())]);
    }
    if let Some(id) = q.before_id {
        w.add("id < ?", vec![p(id)]);
    }
    w
}

/// Rows about the object itself, or about a booking of it (found through the bookings table);
/// a booking moved away from an event is found through its `move` rows' `from_event_id`.
fn about_filter(w: &mut Where, about: About) {
    match about {
        About::Attendee(id) => w.add(
            "((object_kind = 'attendee' AND object_id = ?)
              OR (object_kind = 'booking' AND object_id IN (SELECT id FROM bookings WHERE attendee_id = ?))
              OR (object_kind = 'waitlist' AND object_id IN (SELECT id FROM waitlist WHERE attendee_id = ?)))",
            vec![p(id), p(id), p(id)],
        ),
        // Compared as text: a cast of the JSON value to a number could fail on a row that
        // raw SQL wrote; the text of an integer id is exact.
        About::Event(id) => w.add(
            "((object_kind = 'event' AND object_id = ?)
              OR (object_kind = 'booking' AND object_id IN (
                    SELECT id FROM bookings WHERE event_id = ?
                    UNION SELECT object_id FROM history
                     WHERE action = 'move' AND details::json ->> 'from_event_id' = ?))
              OR (object_kind = 'waitlist' AND object_id IN (SELECT id FROM waitlist WHERE event_id = ?)))",
            vec![p(id), p(id), p(id.to_string()), p(id)],
        ),
    }
}

/// History rows matching the filter, newest first, one page.
pub(super) fn history<C: GenericClient>(db: &mut Db<'_, C>, q: &HistoryQuery) -> Fetched<Vec<HistoryEntry>> {
    let w = history_filter(q);
    page(db, &format!("SELECT {HISTORY_COLUMNS}{}", w.sql()), HISTORY, w, q.page, rows::history)
}

/// History runs newest first.
const HISTORY: (&str, &str) = ("id DESC", "history");

/// How many rows match (from the page's seek row, when it seeks), up to `cap + 1` if capped.
pub(super) fn count_history<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &HistoryQuery,
    cap: Option<u64>,
) -> Fetched<u64> {
    let w = history_filter(q);
    // Unfiltered, the count is the last id: history ids are dense (the history_ids counter)
    // and the triggers refuse UPDATE, DELETE and TRUNCATE. One index descent, no scan.
    if w.is_empty() && q.page.seek.is_none() {
        let n = count(db, "SELECT coalesce(max(id), 0) FROM history", &w)?;
        return Ok(cap.map_or(n, |cap| n.min(cap.saturating_add(1))));
    }
    count_page(db, &format!("history{}", w.sql()), HISTORY, w, q.page, (cap, !IN_ORDER))
}

pub(super) fn operator<C: GenericClient>(db: &mut Db<'_, C>, id: i64) -> Fetched<Option<Operator>> {
    db.opt(&format!("SELECT {OPERATOR_COLUMNS} WHERE id = $1"), &[&id], rows::operator)
}

pub(super) fn credentials<C: GenericClient>(
    db: &mut Db<'_, C>,
    username: &str,
) -> Fetched<Option<Credentials>> {
    let sql = "SELECT id, username, role, password_hash, failed_logins, locked_until FROM operators
               WHERE nocase(username) = nocase($1)";
    db.opt(sql, &[&username], |r| {
        let role: String = r.try_get(2)?;
        Ok(Credentials {
            id: r.try_get(0)?,
            username: r.try_get(1)?,
            role: Role::parse(&role).unwrap_or(Role::Desk),
            hash: r.try_get(3)?,
            failed: r.try_get(4)?,
            locked_until: r.try_get::<_, Option<i64>>(5)?.map(rows::time),
        })
    })
}

pub(super) fn waitlist_entry<C: GenericClient>(
    db: &mut Db<'_, C>,
    id: i64,
) -> Fetched<Option<WaitlistEntry>> {
    db.opt(&format!("SELECT {WAITLIST_COLUMNS} WHERE w.id = $1"), &[&id], rows::waitlist_entry)
}

fn waitlist_filter(q: &WaitlistQuery) -> Where {
    let mut w = Where::default();
    if let Some(id) = q.event_id {
        w.add("w.event_id = ?", vec![p(id)]);
    }
    if let Some(id) = q.attendee_id {
        w.add("w.attendee_id = ?", vec![p(id)]);
    }
    if let Some(status) = q.status {
        w.add("w.status = ?", vec![p(status.as_str().to_string())]);
    }
    if let Some(id) = q.organizer_id {
        w.add("e.creator_id = ?", vec![p(id)]);
    }
    if !q.search.trim().is_empty() {
        let pattern = contains_pattern(&fold(q.search.trim()));
        w.add(
            "(a.name_fold LIKE ? OR a.email_canonical LIKE ? OR e.title_fold LIKE ?)",
            vec![p(pattern.clone()), p(pattern.clone()), p(pattern)],
        );
    }
    w
}

/// One page of waiting-list entries, by event and then queue order.
pub(super) fn list_waitlist<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &WaitlistQuery,
) -> Fetched<Vec<WaitlistEntry>> {
    let w = waitlist_filter(q);
    let select = format!("SELECT {WAITLIST_COLUMNS}{}", w.sql());
    page(db, &select, WAITLIST, w, q.page, rows::waitlist_entry)
}

/// Waiting lists run by event, then queue order.
const WAITLIST: (&str, &str) = ("w.event_id, w.joined_at, w.id", "waitlist w");

/// How many entries match (from the page's seek row, when it seeks), up to `cap + 1` if capped.
pub(super) fn count_waitlist<C: GenericClient>(
    db: &mut Db<'_, C>,
    q: &WaitlistQuery,
    cap: Option<u64>,
) -> Fetched<u64> {
    let w = waitlist_filter(q);
    let from = "waitlist w JOIN attendees a ON a.id = w.attendee_id JOIN events e ON e.id = w.event_id";
    count_page(db, &format!("{from}{}", w.sql()), WAITLIST, w, q.page, (cap, !IN_ORDER))
}

/// The event's standing check-ins on active bookings.
pub(super) fn checked_in<C: GenericClient>(db: &mut Db<'_, C>, event_id: i64) -> Fetched<u32> {
    let sql = "SELECT count(*) FROM bookings b JOIN checkins c ON c.booking_id = b.id AND c.undone_at IS NULL
               WHERE b.event_id = $1 AND b.status = 'active'";
    let n = db.one(sql, &[&event_id], rows::count_of)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Standing check-ins and waiting entries, in one round trip.
pub(super) fn door_counts<C: GenericClient>(db: &mut Db<'_, C>, event_id: i64) -> Fetched<(u32, u32)> {
    let sql = "SELECT (SELECT count(*) FROM bookings b JOIN checkins c ON c.booking_id = b.id AND c.undone_at IS NULL
                        WHERE b.event_id = $1 AND b.status = 'active'),
                      (SELECT count(*) FROM waitlist WHERE event_id = $1 AND status = 'waiting')";
    db.one(sql, &[&event_id], |r| {
        let n = |i| r.try_get::<_, i64>(i).map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        Ok((n(0)?, n(1)?))
    })
}

pub(super) fn no_show_counts<C: GenericClient>(
    db: &mut Db<'_, C>,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Fetched<Vec<(i64, u32)>> {
    let sql = format!(
        "SELECT b.attendee_id, count(*) FROM bookings b JOIN events e ON e.id = b.event_id
          WHERE b.attendee_id = ANY($1) AND b.status = 'active' AND e.deleted_at IS NULL AND e.ends_at <= $2
            AND NOT {STANDING_CHECK_IN}
          GROUP BY b.attendee_id ORDER BY b.attendee_id"
    );
    let ids = ids.to_vec();
    db.rows(&sql, &[&ids, &now.timestamp()], |r| {
        Ok((r.try_get::<_, i64>(0)?, u32::try_from(r.try_get::<_, i64>(1)?).unwrap_or(u32::MAX)))
    })
}
