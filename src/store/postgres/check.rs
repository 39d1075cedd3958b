//! `check` on PostgreSQL: the guards are present and switched on, the constraints validated,
//! the counters right, the history whole. The server keeps its pages sound itself (checksums,
//! WAL); what a raw session can break is what is checked here.

use chrono::{DateTime, Utc};
use postgres::Client;

use super::db::Db;
use super::guards::{GUARDS, Kind};
use super::rows::{Fetched, count_of};
use crate::model::plural;
use crate::store::CheckReport;
use crate::store::check::{
    DoorFindings, FOLDED, fold_is_stale, report_emails, report_stale_folds, report_stale_search_text,
};

/// Every trigger of the schema: the guards, the counters, the history numbering and the change
/// notification. A superuser can switch one off (`ALTER TABLE ... DISABLE TRIGGER`), which is
/// as bad as dropping it.
const TRIGGERS: [&str; 28] = [
    "bookings_guard_insert",
    "bookings_guard_update",
    "bookings_count_insert",
    "bookings_count_update",
    "bookings_never_deleted",
    "bookings_never_truncated",
    "events_booked_guard",
    "events_capacity_guard",
    "events_never_deleted",
    "events_never_truncated",
    "history_number",
    "history_no_update",
    "history_no_delete",
    "history_no_truncate",
    "history_notify",
    "waitlist_not_booked",
    "waitlist_append_only",
    "waitlist_never_deleted",
    "waitlist_never_truncated",
    "checkins_active_booking",
    "checkins_append_only",
    "checkins_never_deleted",
    "checkins_never_truncated",
    "bookings_checked_in_guard",
    "bookings_search_insert",
    "bookings_search_update",
    "bookings_search_attendee",
    "bookings_search_event",
];

/// The trigram indexes behind the attendee search: without them searches are only slow.
const SEARCH_INDEXES: [&str; 3] =
    ["attendees_search_name", "attendees_search_email", "attendees_search_grams_walk"];

/// The triggers that keep the name postings (migration 005) in step with `attendees`.
const GRAMS_SYNC: [&str; 3] =
    ["attendees_search_grams_insert", "attendees_search_grams_update", "attendees_search_grams_delete"];

/// Each unmerged attendee's name grams as the postings must hold them.
const EXPECTED_GRAMS: &str =
    "SELECT g AS gram, a.name, a.id, a.name_fold FROM attendees a, attendee_grams(a.name_fold) AS g
  WHERE a.merged_into IS NULL";

type Db0<'a> = Db<'a, Client>;

pub(super) fn check(db: &mut Db0<'_>, now: DateTime<Utc>) -> Fetched<CheckReport> {
    let mut report = CheckReport::default();
    let p = &mut report.problems;
    check_triggers(db, p)?;
    check_constraints(db, p)?;
    check_counters(db, p)?;
    check_grams(db, p)?;
    let sql = "SELECT count(*) FROM bookings b
                WHERE b.search_fold IS DISTINCT FROM booking_search_fold(b.attendee_id, b.event_id)";
    report_stale_search_text(db.one(sql, &[], count_of)?, p);
    check_history(db, p)?;
    door(db, now)?.report(p);
    let sql = "SELECT id, email, email_canonical FROM attendees WHERE merged_into IS NULL ORDER BY id";
    let rows = db.rows(sql, &[], |r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))?;
    report_emails(rows, p);
    for (table, column, sql) in FOLDED {
        let rows: Vec<(String, Option<String>)> =
            db.rows(sql, &[], |r| Ok((r.try_get(0)?, r.try_get(1)?)))?;
        let stale = rows.iter().filter(|(text, stored)| fold_is_stale(text, stored.as_deref())).count();
        report_stale_folds(table, column, stale as u64, p);
    }
    let mut count = |sql: &str| db.one(sql, &[], count_of);
    report.events = count("SELECT count(*) FROM events WHERE deleted_at IS NULL")?;
    report.bookings = count("SELECT count(*) FROM bookings")?;
    report.active_bookings = count("SELECT count(*) FROM bookings WHERE status = 'active'")?;
    report.history = count("SELECT count(*) FROM history")?;
    report.waiting = count("SELECT count(*) FROM waitlist WHERE status = 'waiting'")?;
    report.checked_in = count("SELECT count(*) FROM checkins WHERE undone_at IS NULL")?;
    Ok(report)
}

fn door(db: &mut Db0<'_>, now: DateTime<Utc>) -> Fetched<DoorFindings> {
    let waiting_with_seats = db.rows(
        "SELECT e.id, e.capacity - e.booked, count(*) FROM waitlist w JOIN events e ON e.id = w.event_id
          WHERE w.status = 'waiting' AND e.deleted_at IS NULL AND e.booked < e.capacity AND e.starts_at > $1
          GROUP BY e.id ORDER BY e.id",
        &[&now.timestamp()],
        |r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)),
    )?;
    let mut count = |sql: &str| db.one(sql, &[], count_of);
    Ok(DoorFindings {
        waiting_with_seats,
        booked_waiters: count(
            "SELECT count(*) FROM waitlist w JOIN bookings b
               ON b.attendee_id = w.attendee_id AND b.event_id = w.event_id AND b.status = 'active'
              WHERE w.status = 'waiting'",
        )?,
        deleted_waiting: count(
            "SELECT count(*) FROM waitlist w JOIN events e ON e.id = w.event_id
              WHERE w.status = 'waiting' AND e.deleted_at IS NOT NULL",
        )?,
        stray_check_ins: count(
            "SELECT count(*) FROM checkins c JOIN bookings b ON b.id = c.booking_id
              WHERE c.undone_at IS NULL AND b.status <> 'active'",
        )?,
    })
}

fn check_triggers(db: &mut Db0<'_>, p: &mut Vec<String>) -> Fetched<()> {
    let names: Vec<&str> = TRIGGERS.to_vec();
    let found = db.rows(
        "SELECT tgname::text, tgenabled <> 'D' FROM pg_trigger WHERE NOT tgisinternal AND tgname::text = ANY($1)",
        &[&names],
        |r| Ok((r.try_get::<_, String>(0)?, r.try_get::<_, bool>(1)?)),
    )?;
    for name in TRIGGERS {
        match found.iter().find(|(n, _)| n == name) {
            None => p.push(format!("schema: the trigger {name} is missing")),
            Some((_, false)) => p.push(format!(
                "schema: the trigger {name} is disabled; enable it (ALTER TABLE ... ENABLE TRIGGER {name})"
            )),
            Some(_) => {}
        }
    }
    Ok(())
}

/// The CHECKs and unique indexes the guard table names, the search indexes, and the foreign
/// keys: present and valid (a NOT VALID constraint or an invalid index guards nothing).
fn check_constraints(db: &mut Db0<'_>, p: &mut Vec<String>) -> Fetched<()> {
    for g in GUARDS {
        let sql = match g.kind {
            Kind::Raise => continue,
            Kind::Check => {
                "SELECT count(*) FROM pg_constraint WHERE conname = $1 AND contype = 'c' AND convalidated"
            }
            Kind::UniqueIndex => {
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE c.relname = $1 AND i.indisunique AND i.indisvalid"
            }
        };
        if db.one(sql, &[&g.name], count_of)? == 0 {
            p.push(format!("schema: the guard {} is missing or not valid", g.name));
        }
    }
    for name in SEARCH_INDEXES {
        let sql = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = $1 AND i.indisvalid";
        if db.one(sql, &[&name], count_of)? == 0 {
            p.push(format!(
                "schema: the attendee search index {name} is missing or not valid; searches will be slow"
            ));
        }
    }
    let unvalidated = db.rows(
        "SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = current_schema() AND contype IN ('f', 'c') AND NOT convalidated ORDER BY 1",
        &[],
        |r| r.try_get::<_, String>(0),
    )?;
    for name in unvalidated {
        p.push(format!("schema: the constraint {name} is NOT VALID; rows may break it"));
    }
    Ok(())
}

/// The postings must be each unmerged attendee's name grams beside its current name and
/// name_fold (a missing one hides the attendee from a search, a stale one lists it out of
/// order or at all), and their triggers must be there and enabled. Compared as a count and a
/// sum of `hashtext` over both sides, one pass each, as on SQLite.
fn check_grams(db: &mut Db0<'_>, p: &mut Vec<String>) -> Fetched<()> {
    for name in GRAMS_SYNC {
        let sql = "SELECT count(*) FROM pg_trigger WHERE tgname = $1 AND tgenabled <> 'D'";
        if db.one(sql, &[&name], count_of)? == 0 {
            p.push(format!("schema: the search index trigger {name} is missing or disabled"));
        }
    }
    let sides = |from: &str| {
        format!(
            "SELECT count(*), coalesce(sum(hashtext(concat_ws('|', gram, name, id, name_fold))), 0)::bigint
               FROM ({from}) p"
        )
    };
    let pair = |r: &postgres::Row| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, i64>(1)?));
    let (want, want_sum) = db.one(&sides(EXPECTED_GRAMS), &[], pair)?;
    let (have, have_sum) =
        db.one(&sides("SELECT gram, name, id, name_fold FROM attendees_search_grams"), &[], pair)?;
    if (want, want_sum) != (have, have_sum) {
        p.push(format!(
            "search index: attendees_search_grams is out of step with attendees ({} held, {want} \
             expected{}); rebuild it with TRUNCATE attendees_search_grams, then INSERT … SELECT as \
             migration 005 does",
            plural(have.unsigned_abs(), "posting", "postings"),
            if want == have { ", stale postings" } else { "" }
        ));
    }
    Ok(())
}

fn check_counters(db: &mut Db0<'_>, p: &mut Vec<String>) -> Fetched<()> {
    let wrong = db.rows(
        "SELECT e.id, e.booked, e.capacity, coalesce(b.n, 0) FROM events e
         LEFT JOIN (SELECT event_id, count(*) AS n FROM bookings WHERE status = 'active' GROUP BY event_id) b
           ON b.event_id = e.id
         WHERE e.booked <> coalesce(b.n, 0) OR coalesce(b.n, 0) > e.capacity ORDER BY e.id",
        &[],
        |r| {
            Ok((
                r.try_get::<_, i64>(0)?,
                r.try_get::<_, i64>(1)?,
                r.try_get::<_, i64>(2)?,
                r.try_get::<_, i64>(3)?,
            ))
        },
    )?;
    for (id, booked, capacity, active) in wrong {
        p.push(format!("event {id}: booked counter {booked}, active bookings {active}, capacity {capacity}"));
    }
    let duplicates = db.one(
        "SELECT count(*) FROM (SELECT 1 FROM bookings WHERE status = 'active'
           GROUP BY attendee_id, event_id HAVING count(*) > 1) d",
        &[],
        count_of,
    )?;
    if duplicates > 0 {
        let pairs = plural(duplicates, "attendee/event pair holds", "attendee/event pairs hold");
        p.push(format!("{pairs} more than one active booking"));
    }
    Ok(())
}

fn check_history(db: &mut Db0<'_>, p: &mut Vec<String>) -> Fetched<()> {
    let (rows, max, next) = db.one(
        "SELECT count(*), coalesce(max(id), 0), (SELECT coalesce(max(last_id), -1) FROM history_ids) FROM history",
        &[],
        |r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, i64>(1)?, r.try_get::<_, i64>(2)?)),
    )?;
    if rows != max {
        let missing = plural((max - rows).unsigned_abs(), "row", "rows");
        p.push(format!("history: {missing} missing (ids run to {max}, {rows} present)"));
    }
    if next < max {
        p.push(format!(
            "history: the id counter history_ids is at {next}, behind the last id {max}; new rows would collide"
        ));
    }
    let unrecorded = db.one(
        "SELECT count(*) FROM bookings b WHERE NOT EXISTS
           (SELECT 1 FROM history h WHERE h.object_kind = 'booking' AND h.object_id = b.id
                  AND h.action IN ('book', 'promote'))",
        &[],
        count_of,
    )?;
    if unrecorded > 0 {
        let bookings = plural(unrecorded, "booking has", "bookings have");
        p.push(format!("history: {bookings} no 'book' or 'promote' row"));
    }
    Ok(())
}
