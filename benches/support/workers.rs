//! The child side of the multi-process benches: the bench binary re-invoked with a worker
//! mode. Each worker sets up, waits at the start line, books its own attendees one by one,
//! and prints one JSON line with every latency.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use eventdesk::model::history_details::{self, Named};
use eventdesk::race::start_line;
use eventdesk::store::{BusyPolicy, Location, OpenOptions, Store};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

/// What one worker did.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Tally {
    pub start_us: u64,
    pub end_us: u64,
    /// Latency of every attempt, failed ones included.
    pub micros: Vec<u64>,
    pub errors: u64,
    pub error_samples: Vec<String>,
}

/// `--key value` pairs after the mode.
pub struct Args(HashMap<String, String>);

impl Args {
    pub fn parse(raw: &[String]) -> Args {
        let pairs = raw
            .chunks(2)
            .filter_map(|kv| Some((kv[0].trim_start_matches("--").to_string(), kv.get(1)?.clone())));
        Args(pairs.collect())
    }

    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// A number; an absent key reads as 0.
    pub fn num(&self, key: &str) -> i64 {
        match self.get(key) {
            "" => 0,
            v => v.parse().unwrap_or_else(|_| panic!("worker argument --{key} must be a number")),
        }
    }
}

pub fn wall_us() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

/// Books `--count` attendees from `--first`, or until `--seconds` have passed, timing each.
fn book_all(args: &Args, mut book: impl FnMut(i64) -> Result<(), String>) -> Tally {
    let deadline =
        (args.num("seconds") > 0).then(|| Instant::now() + Duration::from_secs(args.num("seconds") as u64));
    let mut t = Tally { start_us: wall_us(), ..Tally::default() };
    for k in 0..args.num("count") {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let started = Instant::now();
        let result = book(args.num("first") + k);
        t.micros.push(started.elapsed().as_micros() as u64);
        if let Err(e) = result {
            t.errors += 1;
            if t.error_samples.len() < 5 {
                t.error_samples.push(e);
            }
        }
    }
    t.end_us = wall_us();
    t
}

fn print(tally: &Tally) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(tally).expect("serialize tally")).expect("write tally");
}

/// Through eventdesk's store, with the busy policy given.
pub fn store_worker(args: &Args) {
    let busy =
        if args.get("busy") == "default" { BusyPolicy::SqliteDefault } else { BusyPolicy::ShortSleeps };
    let options = OpenOptions { busy, ..OpenOptions::default() };
    // A path, or a PostgreSQL URL for the server figure.
    let store = Store::open_with(Location::parse(args.get("db")), options).expect("open store");
    let session = store.authenticate(args.get("user"), args.get("password")).expect("sign in");
    let event = args.num("event");
    start_line::wait_for_start().expect("start line");
    print(&book_all(args, |a| store.book(&session, event, a).map(|_| ()).map_err(|e| e.to_string())));
}

/// Cancels bookings `--first` .. `--first + --count` through the store; a cancel that does not
/// promote exactly `--promotes` waiting attendees counts as an error.
pub fn cancel_worker(args: &Args) {
    let store =
        Store::open_with(Location::parse(args.get("db")), OpenOptions::default()).expect("open store");
    let session = store.authenticate(args.get("user"), args.get("password")).expect("sign in");
    let promotes = usize::try_from(args.num("promotes")).unwrap_or(0);
    start_line::wait_for_start().expect("start line");
    print(&book_all(args, |id| match store.cancel(&session, id) {
        Ok(freed) if freed.promoted.len() == promotes => Ok(()),
        Ok(freed) => Err(format!("cancel {id} promoted {} attendees, not {promotes}", freed.promoted.len())),
        Err(e) => Err(e.to_string()),
    }));
}

/// The minimal raw-rusqlite baseline of issue 4, on its own minimal schema (`BASELINE_SCHEMA`).
pub fn raw_worker(args: &Args) {
    let mut conn = Connection::open(args.get("db")).expect("open baseline");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous");
    conn.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
    let event = args.num("event");
    start_line::wait_for_start().expect("start line");
    print(&book_all(args, |a| raw_book(&mut conn, event, a).map_err(|e| e.to_string())));
}

fn raw_book(conn: &mut Connection, event: i64, attendee: i64) -> rusqlite::Result<()> {
    let now = (wall_us() / 1_000_000) as i64;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let took = tx
        .prepare_cached("UPDATE events SET booked = booked + 1 WHERE id = ?1 AND booked < capacity")?
        .execute([event])?;
    if took == 0 {
        return Err(rusqlite::Error::QueryReturnedNoRows);
    }
    tx.prepare_cached("INSERT INTO bookings (event_id, attendee_id, booked_at) VALUES (?1, ?2, ?3)")?
        .execute(params![event, attendee, now])?;
    let details = format!(r#"{{"event_id":{event},"attendee_id":{attendee}}}"#);
    tx.prepare_cached(
        "INSERT INTO history (actor, action, object_kind, object_id, details, created_at)
         VALUES ('bench', 'book', 'booking', last_insert_rowid(), ?1, ?2)",
    )?
    .execute(params![details, now])?;
    tx.commit()
}

/// The baseline's schema: a maintained counter and the two inserts, nothing else.
pub const BASELINE_SCHEMA: &str = "PRAGMA journal_mode = WAL;
    CREATE TABLE events (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, booked INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE bookings (id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL, attendee_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'active', booked_at INTEGER NOT NULL);
    CREATE TABLE history (id INTEGER PRIMARY KEY, actor TEXT NOT NULL, action TEXT NOT NULL,
        object_kind TEXT NOT NULL, object_id INTEGER, details TEXT NOT NULL, created_at INTEGER NOT NULL);";

/// eventdesk's secondary indexes on the same tables, to show what they cost the baseline.
pub const BASELINE_INDEXES: &str = "
    CREATE UNIQUE INDEX bookings_one_active
        ON bookings (attendee_id, event_id, (CASE status WHEN 'active' THEN 1 END));
    CREATE INDEX bookings_by_event ON bookings (event_id, status);
    CREATE INDEX history_by_object ON history (object_kind, object_id, id);
    CREATE INDEX history_by_time ON history (created_at, id);
    CREATE INDEX history_by_action ON history (action, id);";

/// Figure 4's writer: books one attendee per line read on stdin, printing the commit time.
pub fn committer(args: &Args) {
    let store = Store::open(Location::parse(args.get("db"))).expect("open store");
    let session = store.authenticate(args.get("user"), args.get("password")).expect("sign in");
    let (event, mut attendee) = (args.num("event"), args.num("first"));
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", start_line::READY).and_then(|()| out.flush()).expect("ready");
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
        store.book(&session, event, attendee).expect("committer booking");
        attendee += 1;
        writeln!(out, "{}", wall_us()).and_then(|()| out.flush()).expect("commit time");
    }
}

/// The statements `Store::book` runs, written out by hand on a file the store made: its reads
/// (the operator's role, the event with its organizer, the attendee and whether it was
/// merged, the pair's earlier booking) and its writes (the booking with its search text, whose
/// triggers count the seat, and the history row with the store's details). What this costs
/// beyond the minimal baseline is the schema's; what `Store::book` costs beyond this is the
/// store's own (the side lock, the file check, the rules in Rust).
pub fn sql_worker(args: &Args) {
    let conn = Connection::open(args.get("db")).expect("open eventdesk file");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous");
    conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
    conn.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
    let user = args.get("user");
    let operator: i64 = conn
        .query_row("SELECT id FROM operators WHERE username = ?", [user], |r| r.get(0))
        .expect("the desk account");
    let event = args.num("event");
    start_line::wait_for_start().expect("start line");
    print(&book_all(args, |a| sql_book(&conn, (operator, user), event, a).map_err(|e| e.to_string())));
}

fn sql_book(
    conn: &Connection,
    (operator, user): (i64, &str),
    event: i64,
    attendee: i64,
) -> rusqlite::Result<()> {
    let now = (wall_us() / 1_000_000) as i64;
    conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    let outcome = (|| {
        let _role: String = conn
            .prepare_cached("SELECT role FROM operators WHERE id = ? AND username = ?")?
            .query_row(params![operator, user], |r| r.get(0))?;
        let title: String = conn
            .prepare_cached(
                "SELECT e.title, e.capacity - e.booked, coalesce(o.organization, o.name)
                   FROM events e JOIN operators o ON o.id = e.creator_id WHERE e.id = ?",
            )?
            .query_row([event], |r| r.get(0))?;
        let (name, _merged): (String, Option<i64>) = conn
            .prepare_cached("SELECT name, merged_into FROM attendees WHERE id = ?")?
            .query_row([attendee], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let _prior: Option<i64> = conn
            .prepare_cached(
                "SELECT id FROM bookings WHERE attendee_id = ? AND event_id = ?
                  ORDER BY CASE status WHEN 'active' THEN 1 END DESC, id DESC LIMIT 1",
            )?
            .query_row([attendee, event], |r| r.get(0))
            .optional()?;
        conn.prepare_cached(
            "INSERT INTO bookings (event_id, attendee_id, booked_at, search_fold) VALUES (?1, ?2, ?3,
               (SELECT coalesce(name_fold, '') || char(31) || coalesce(email_canonical, '')
                  FROM attendees WHERE id = ?2)
               || char(31) || (SELECT coalesce(title_fold, '') FROM events WHERE id = ?1))",
        )?
        .execute(params![event, attendee, now])?;
        let id = conn.last_insert_rowid();
        let details = history_details::booking(Named::new(event, &title), Named::new(attendee, &name));
        conn.prepare_cached(
            "INSERT INTO history (actor, action, object_kind, object_id, details, created_at)
             VALUES (?, 'book', 'booking', ?, ?, ?)",
        )?
        .execute(params![user, id, details.to_string(), now])?;
        conn.prepare_cached("COMMIT")?.execute([])
    })();
    if outcome.is_err() && !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    outcome.map(|_| ())
}
