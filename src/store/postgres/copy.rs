//! Rows out of and into a PostgreSQL database for `copy`. Export reads one snapshot (a
//! REPEATABLE READ, READ ONLY transaction) through a portal, so a large table streams in
//! slices instead of arriving whole. Import (`copy_in.rs`) writes in one transaction by COPY,
//! then moves each identity sequence past the copied ids so the next row the desk writes gets
//! a fresh one.

use postgres::{Client, Row as PgRow, Transaction};

use super::db::Db;
use super::rows::Fetched;
use crate::store::copy::{Row, RowCounts};

/// Rows fetched per round trip while exporting.
const SLICE: i32 = 5_000;

const OPERATORS: &str = "SELECT id, username, password_hash, role, name, email, organization, address, \
     failed_logins, locked_until, created_at FROM operators ORDER BY id";
const ATTENDEES: &str =
    "SELECT id, name, email, phone, created_at, updated_at, merged_into, version FROM attendees ORDER BY id";
const EVENTS: &str = "SELECT id, title, description, starts_at, ends_at, capacity, creator_id, created_at, \
     updated_at, deleted_at, version FROM events ORDER BY id";
const BOOKINGS: &str =
    "SELECT id, event_id, attendee_id, status, booked_at, cancelled_at FROM bookings ORDER BY id";
const HISTORY: &str =
    "SELECT id, actor, action, object_kind, object_id, details, created_at FROM history ORDER BY id";
const WAITLIST: &str =
    "SELECT id, event_id, attendee_id, status, joined_at, left_at FROM waitlist ORDER BY id";
const CHECKINS: &str = "SELECT id, booking_id, checked_in_at, checked_in_by, undone_at, undone_by \
     FROM checkins ORDER BY id";

fn operator(r: &PgRow) -> Fetched<Row> {
    Ok(Row::Operator {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        password_hash: r.try_get(2)?,
        role: r.try_get(3)?,
        name: r.try_get(4)?,
        email: r.try_get(5)?,
        organization: r.try_get(6)?,
        address: r.try_get(7)?,
        failed_logins: r.try_get(8)?,
        locked_until: r.try_get(9)?,
        created_at: r.try_get(10)?,
    })
}

fn attendee(r: &PgRow) -> Fetched<Row> {
    Ok(Row::Attendee {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        email: r.try_get(2)?,
        phone: r.try_get(3)?,
        created_at: r.try_get(4)?,
        updated_at: r.try_get(5)?,
        merged_into: r.try_get(6)?,
        version: r.try_get(7)?,
    })
}

fn event(r: &PgRow) -> Fetched<Row> {
    Ok(Row::Event {
        id: r.try_get(0)?,
        title: r.try_get(1)?,
        description: r.try_get(2)?,
        starts_at: r.try_get(3)?,
        ends_at: r.try_get(4)?,
        capacity: r.try_get(5)?,
        creator_id: r.try_get(6)?,
        created_at: r.try_get(7)?,
        updated_at: r.try_get(8)?,
        deleted_at: r.try_get(9)?,
        version: r.try_get(10)?,
    })
}

fn booking(r: &PgRow) -> Fetched<Row> {
    Ok(Row::Booking {
        id: r.try_get(0)?,
        event_id: r.try_get(1)?,
        attendee_id: r.try_get(2)?,
        status: r.try_get(3)?,
        booked_at: r.try_get(4)?,
        cancelled_at: r.try_get(5)?,
    })
}

fn history(r: &PgRow) -> Fetched<Row> {
    Ok(Row::History {
        id: r.try_get(0)?,
        actor: r.try_get(1)?,
        action: r.try_get(2)?,
        object_kind: r.try_get(3)?,
        object_id: r.try_get(4)?,
        details: r.try_get(5)?,
        created_at: r.try_get(6)?,
    })
}

fn waiting(r: &PgRow) -> Fetched<Row> {
    Ok(Row::Waitlist {
        id: r.try_get(0)?,
        event_id: r.try_get(1)?,
        attendee_id: r.try_get(2)?,
        status: r.try_get(3)?,
        joined_at: r.try_get(4)?,
        left_at: r.try_get(5)?,
    })
}

fn check_in(r: &PgRow) -> Fetched<Row> {
    Ok(Row::CheckIn {
        id: r.try_get(0)?,
        booking_id: r.try_get(1)?,
        checked_in_at: r.try_get(2)?,
        checked_in_by: r.try_get(3)?,
        undone_at: r.try_get(4)?,
        undone_by: r.try_get(5)?,
    })
}

type Reader = fn(&PgRow) -> Fetched<Row>;

/// The tables in the order they are copied: every row after the rows it refers to (check-ins
/// after the bookings' final states).
const TABLES: [(&str, Reader); 7] = [
    (OPERATORS, operator),
    (ATTENDEES, attendee),
    (EVENTS, event),
    (BOOKINGS, booking),
    (HISTORY, history),
    (WAITLIST, waiting),
    (CHECKINS, check_in),
];

/// Why an export or import stopped: the server, or the other side of the copy.
pub(super) enum Stop {
    Db(postgres::Error),
    Other(crate::model::Error),
}

impl From<postgres::Error> for Stop {
    fn from(e: postgres::Error) -> Self {
        Stop::Db(e)
    }
}

/// Hands every row to `sink`, from one snapshot.
pub(super) fn export(
    client: &mut Client,
    sink: &mut dyn FnMut(Row) -> crate::model::Result<()>,
) -> Result<(), Stop> {
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    for (sql, read) in TABLES {
        let portal = tx.bind(sql, &[])?;
        loop {
            let rows = tx.query_portal(&portal, SLICE)?;
            for row in &rows {
                sink(read(row)?).map_err(Stop::Other)?;
            }
            if rows.len() < usize::try_from(SLICE).unwrap_or(usize::MAX) {
                break;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn counts<C: postgres::GenericClient>(db: &mut Db<'_, C>) -> Fetched<RowCounts> {
    db.one(
        "SELECT (SELECT count(*) FROM operators), (SELECT count(*) FROM attendees),
                (SELECT count(*) FROM events), (SELECT count(*) FROM bookings), (SELECT count(*) FROM history),
                (SELECT count(*) FROM waitlist), (SELECT count(*) FROM checkins)",
        &[],
        |r| {
            let n = |i| r.try_get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
            Ok(RowCounts {
                operators: n(0)?,
                attendees: n(1)?,
                events: n(2)?,
                bookings: n(3)?,
                history: n(4)?,
                waitlist: n(5)?,
                checkins: n(6)?,
            })
        },
    )
}

/// Moves each identity sequence past the ids the copy brought, so the next row gets a new one.
pub(super) fn advance_sequences(tx: &mut Transaction<'_>) -> Fetched<()> {
    for table in ["operators", "attendees", "events", "bookings", "waitlist", "checkins"] {
        tx.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) IS NOT NULL"
        ))?;
    }
    Ok(())
}
