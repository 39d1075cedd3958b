//! `check` on an SQLite file: page integrity, foreign keys, the guards, the counters, history.

use chrono::{DateTime, Utc};

use super::Sqlite;
use super::errors::GUARDS;
use super::search::grams::name_grams;
use super::sql::booking_search_fold;
use crate::model::{Result, plural};
use crate::store::CheckReport;
use crate::store::check::{
    DoorFindings, FOLDED, fold_is_stale, report_emails, report_stale_folds, report_stale_search_text,
};

/// The partial unique indexes that hold one active booking per pair, one waiting entry per
/// pair and one standing check-in per booking.
const UNIQUE_INDEXES: [&str; 3] = ["bookings_one_active", "waitlist_one_waiting", "checkins_one_standing"];

/// The triggers that keep the attendee search indexes (migrations 006 and 007) in step with
/// `attendees`, and the bookings' search text (010) with bookings, attendees and events. Not
/// guards: without them nothing is refused, searches just miss rows.
const SEARCH_SYNC: [&str; 13] = [
    "attendees_search_insert",
    "attendees_search_update",
    "attendees_search_delete",
    "attendees_search_emails_insert",
    "attendees_search_emails_update",
    "attendees_search_emails_delete",
    "attendees_search_grams_insert",
    "attendees_search_grams_update",
    "attendees_search_grams_delete",
    "bookings_search_insert",
    "bookings_search_update",
    "bookings_search_attendee",
    "bookings_search_event",
];

/// A checksum term of one posting (SQLite has no hash function): its id, every character of
/// its gram bound to the id, and its name's length, first, middle and last characters.
fn posting_hash(gram: &str, name: &str, id: &str, fold: &str) -> String {
    format!(
        "((unicode(substr({gram}, 1, 1)) * 961 + coalesce(unicode(substr({gram}, 2, 1)), 0) * 31
           + coalesce(unicode(substr({gram}, 3, 1)), 0) + length({gram}) * 7919)
            % 1000003 * ({id} % 65521 + 1)
          + (length({name}) * 104729 + unicode({name}) * 613 + unicode(substr({name}, -1)) * 17
             + unicode(substr({name}, (length({name}) + 1) / 2, 1)) + length({fold}) * 7) * 31 + {id})"
    )
}

impl Sqlite {
    pub(super) fn check_all(&self, now: DateTime<Utc>) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let p = &mut report.problems;
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                p.push(format!("integrity: {line}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
        {
            let (table, rowid, parent) = row?;
            p.push(format!("foreign key: {table} row {rowid} points to a missing {parent}"));
        }
        for (name, _) in GUARDS {
            let present: i64 = self.conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                [name],
                |r| r.get(0),
            )?;
            if present == 0 {
                p.push(format!("schema: the guard trigger {name} is missing"));
            }
        }
        for name in UNIQUE_INDEXES {
            let sql = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?";
            if self.conn.query_row(sql, [name], |r| r.get::<_, i64>(0))? == 0 {
                p.push(format!("schema: the guard index {name} is missing"));
            }
        }
        self.check_search_index(p)?;
        self.check_counters(p)?;
        self.check_history(p)?;
        self.door(now)?.report(p);
        let mut stmt = self.conn.prepare(
            "SELECT id, email, email_canonical FROM attendees WHERE merged_into IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        report_emails(rows.collect::<rusqlite::Result<_>>()?, p);
        for (table, column, sql) in FOLDED {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            let mut stale = 0;
            while let Some(r) = rows.next()? {
                stale += u64::from(fold_is_stale(
                    &r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?.as_deref(),
                ));
            }
            report_stale_folds(table, column, stale, p);
        }
        let count = |sql: &str| -> Result<u64> {
            Ok(u64::try_from(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?).unwrap_or(0))
        };
        report.events = count("SELECT count(*) FROM events WHERE deleted_at IS NULL")?;
        report.bookings = count("SELECT count(*) FROM bookings")?;
        report.active_bookings = count("SELECT count(*) FROM bookings WHERE status = 'active'")?;
        report.history = count("SELECT count(*) FROM history")?;
        report.waiting = count("SELECT count(*) FROM waitlist WHERE status = 'waiting'")?;
        report.checked_in = count("SELECT count(*) FROM checkins WHERE undone_at IS NULL")?;
        Ok(report)
    }

    fn door(&self, now: DateTime<Utc>) -> Result<DoorFindings> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.capacity - e.booked, count(*) FROM waitlist w JOIN events e ON e.id = w.event_id
              WHERE w.status = 'waiting' AND e.deleted_at IS NULL AND e.booked < e.capacity AND e.starts_at > ?
              GROUP BY e.id ORDER BY e.id",
        )?;
        let rows = stmt.query_map([now.timestamp()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let count = |sql: &str| -> Result<u64> {
            Ok(u64::try_from(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?).unwrap_or(0))
        };
        Ok(DoorFindings {
            waiting_with_seats: rows.collect::<rusqlite::Result<_>>()?,
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

    /// The search index must cover exactly the attendees, and its sync triggers must exist.
    /// Read-only on purpose: FTS5's own 'integrity-check' is a write statement that held the
    /// write lock for ~8 s at a million attendees, stalling every desk; a stale entry can only
    /// come from a missing trigger, which is reported here.
    fn check_search_index(&self, p: &mut Vec<String>) -> Result<()> {
        let present = |kind: &str, name: &str| -> Result<bool> {
            let sql = "SELECT count(*) FROM sqlite_master WHERE type = ? AND name = ?";
            Ok(self.conn.query_row(sql, [kind, name], |r| r.get::<_, i64>(0))? > 0)
        };
        for name in SEARCH_SYNC {
            if !present("trigger", name)? {
                p.push(format!("schema: the search index trigger {name} is missing"));
            }
        }
        for index in ["attendees_search", "attendees_search_emails"] {
            if !present("table", &format!("{index}_docsize"))? {
                p.push(format!("schema: the attendee search index {index} is missing"));
                continue;
            }
            let (missing, stray): (i64, i64) = self.conn.query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM attendees a
                              WHERE NOT EXISTS (SELECT 1 FROM {index}_docsize d WHERE d.id = a.id)),
                            (SELECT count(*) FROM {index}_docsize d
                              WHERE NOT EXISTS (SELECT 1 FROM attendees a WHERE a.id = d.id))"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if missing + stray > 0 {
                p.push(format!(
                    "search index: {} missing from {index}, {}; \
                     rebuild it with INSERT INTO {index} ({index}) VALUES ('rebuild')",
                    plural(missing.unsigned_abs(), "attendee", "attendees"),
                    plural(stray.unsigned_abs(), "stray entry", "stray entries")
                ));
            }
        }
        if present("table", "attendees_search_grams")? {
            self.check_grams(p)?;
        } else {
            p.push("schema: the attendee name postings attendees_search_grams are missing".into());
        }
        self.check_booking_search(p)
    }

    /// Each booking's search text must be what its attendee and event hold now: a stale one
    /// hides the booking from a search for the new name or title.
    fn check_booking_search(&self, p: &mut Vec<String>) -> Result<()> {
        let sql = format!(
            "SELECT count(*) FROM bookings b WHERE b.search_fold IS NOT {}",
            booking_search_fold("b.attendee_id", "b.event_id")
        );
        let stale: i64 = self.conn.query_row(&sql, [], |r| r.get(0))?;
        report_stale_search_text(stale.unsigned_abs(), p);
        Ok(())
    }

    /// The postings must be each unmerged attendee's distinct name grams beside its current
    /// name and name_fold: a missing one hides the attendee from the searches of that gram, a
    /// stale one (an old name, a merged attendee) lists it out of order or at all. Compared as
    /// a count and a checksum of both sides, each one pass in its own order: matching them row
    /// by row took 117 s at a million attendees, this takes a few seconds.
    fn check_grams(&self, p: &mut Vec<String>) -> Result<()> {
        let expected = format!(
            "SELECT sum((SELECT count(*) FROM ({grams}))),
                    sum((SELECT sum({hash}) FROM ({grams})))
               FROM attendees a WHERE a.merged_into IS NULL",
            grams = {
                let g = name_grams("a.name_fold");
                format!("SELECT DISTINCT {} AS gram FROM {} WHERE {}", g.gram, g.from, g.fits)
            },
            hash = posting_hash("gram", "a.name", "a.id", "a.name_fold"),
        );
        let held = format!(
            "SELECT count(*), sum({}) FROM attendees_search_grams",
            posting_hash("gram", "name", "id", "name_fold")
        );
        let pair = |sql: &str| -> Result<(i64, i64)> {
            let (n, sum): (Option<i64>, Option<i64>) =
                self.conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok((n.unwrap_or(0), sum.unwrap_or(0)))
        };
        let ((want, want_sum), (have, have_sum)) = (pair(&expected)?, pair(&held)?);
        if (want, want_sum) != (have, have_sum) {
            p.push(format!(
                "search index: attendees_search_grams is out of step with attendees ({} held, {want} \
                 expected{}); rebuild it with DELETE FROM attendees_search_grams, then INSERT … SELECT \
                 as migrations 007 and 011 do",
                plural(have.unsigned_abs(), "posting", "postings"),
                if want == have { ", stale postings" } else { "" }
            ));
        }
        Ok(())
    }

    fn check_counters(&self, p: &mut Vec<String>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.booked, e.capacity, coalesce(b.n, 0) FROM events e
             LEFT JOIN (SELECT event_id, count(*) AS n FROM bookings WHERE status = 'active' GROUP BY event_id) b
               ON b.event_id = e.id
             WHERE e.booked <> coalesce(b.n, 0) OR coalesce(b.n, 0) > e.capacity",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
        })? {
            let (id, booked, capacity, active) = row?;
            p.push(format!(
                "event {id}: booked counter {booked}, active bookings {active}, capacity {capacity}"
            ));
        }
        let duplicates: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT 1 FROM bookings WHERE status = 'active' GROUP BY attendee_id, event_id HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )?;
        if duplicates > 0 {
            let pairs =
                plural(duplicates.unsigned_abs(), "attendee/event pair holds", "attendee/event pairs hold");
            p.push(format!("{pairs} more than one active booking"));
        }
        Ok(())
    }

    fn check_history(&self, p: &mut Vec<String>) -> Result<()> {
        let (rows, max): (i64, i64) =
            self.conn.query_row("SELECT count(*), coalesce(max(id), 0) FROM history", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if rows != max {
            let missing = plural((max - rows).unsigned_abs(), "row", "rows");
            p.push(format!("history: {missing} missing (ids run to {max}, {rows} present)"));
        }
        let unrecorded: i64 = self.conn.query_row(
            "SELECT count(*) FROM bookings b WHERE NOT EXISTS
               (SELECT 1 FROM history h WHERE h.object_kind = 'booking' AND h.object_id = b.id
                  AND h.action IN ('book', 'promote'))",
            [],
            |r| r.get(0),
        )?;
        if unrecorded > 0 {
            let bookings = plural(unrecorded.unsigned_abs(), "booking has", "bookings have");
            p.push(format!("history: {bookings} no 'book' or 'promote' row"));
        }
        Ok(())
    }
}
