//! Multi-process figures of issue 4, each a comparison inside one run:
//!   (1) contended booking throughput at P = 1, 2, 4, 8 processes × 2 000 distinct attendees on
//!       one event, eventdesk's store against the minimal raw-rusqlite baseline (and against
//!       the store's own statements run by hand on its own file, which splits the gap into
//!       what the schema costs and what the store adds);
//!   (6) lock fairness at P = 8 sustained for 30 s, `ShortSleeps` against `SqliteDefault`;
//!   (4) cross-terminal refresh: one process commits, another running the app's tick sees it;
//!   (9) the same contended booking on PostgreSQL over loopback, beside SQLite in the same run
//!       (`postgres`; needs EVENTDESK_TEST_PG, an admin URL of a role with CREATEDB: each run
//!       books into a database of its own);
//!   (11) issue 9: contended cancel throughput on a full event with and without a waiting list
//!       (every cancel of the first promotes the list's head in its own transaction), on SQLite
//!       and, with EVENTDESK_TEST_PG, on PostgreSQL (`cancel`; CANCEL_PER=N cancels per process).
//! `cargo bench --bench contention [-- throughput|fairness|refresh|postgres|cancel]`;
//! FAIRNESS_SECONDS=N shortens figure 6. Children are this binary re-invoked with a worker mode.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench harness: fail loudly

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/refresh.rs"]
mod refresh;
#[path = "support/results_csv.rs"]
mod results_csv;
#[path = "support/workers.rs"]
mod workers;

use std::path::PathBuf;
use std::process::Command;

use chrono::Duration;
use eventdesk::model::{NewEvent, NewOperator, Role};
use eventdesk::race::{Spread, start_line};
use eventdesk::store::{BulkSpec, Location, Store};
use fixture::pg;
use rusqlite::Connection;
use workers::{Args, Tally};

const USER: &str = "bench-desk";
const PASSWORD: &str = "bench-password";
/// Bookings per process in figure 1 (`THROUGHPUT_PER=N` for a shorter run on a slow disk).
fn per_process() -> u64 {
    std::env::var("THROUGHPUT_PER").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

/// A database prepared for one measurement: an event with room for every attendee.
pub struct Scratch {
    pub db: PathBuf,
    pub event: i64,
    pub first_attendee: i64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("worker-store") => return workers::store_worker(&Args::parse(&args[1..])),
        Some("worker-raw") => return workers::raw_worker(&Args::parse(&args[1..])),
        Some("worker-sql") => return workers::sql_worker(&Args::parse(&args[1..])),
        Some("worker-cancel") => return workers::cancel_worker(&Args::parse(&args[1..])),
        Some("committer") => return workers::committer(&Args::parse(&args[1..])),
        _ if args.iter().any(|a| a == "--list") => return,
        _ => {}
    }
    let wanted = |name: &str| !args.iter().any(|a| !a.starts_with('-')) || args.iter().any(|a| a == name);
    if wanted("throughput") {
        throughput();
    }
    if wanted("fairness") {
        fairness();
    }
    if wanted("refresh") {
        refresh::run(&store_db("refresh", 1_000), USER, PASSWORD, "SQLite");
    }
    // Only when asked for: it needs a server.
    if args.iter().any(|a| a == "postgres") {
        postgres();
    }
    if wanted("cancel") {
        cancel();
    }
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = fixture::data_dir().join("contention").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh eventdesk database: a desk account, an organizer, one event tomorrow with a seat
/// for each of `attendees` generated attendees.
pub fn store_db(name: &str, attendees: u64) -> Scratch {
    let db = fresh_dir(name).join("eventdesk.db");
    seeded(Location::Sqlite(db.clone()), db, attendees)
}

/// Seeds the accounts, the event and its attendees into the database at `location`.
fn seeded(location: Location, db: PathBuf, attendees: u64) -> Scratch {
    let store = Store::open(location).unwrap();
    for (username, role) in [(USER, Role::Desk), ("bench-org", Role::Organizer)] {
        let new = NewOperator {
            username: username.into(),
            password: PASSWORD.into(),
            role: Some(role),
            organization: "Bench".into(),
            address: "Lab 1".into(),
            ..Default::default()
        };
        store.register(&new).unwrap();
    }
    let org = store.authenticate("bench-org", PASSWORD).unwrap();
    let start = store.now() + Duration::days(1);
    let capacity = attendees as i64;
    let new = NewEvent {
        title: "Contended".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        capacity,
    };
    let event = store.create_event(&org, &new).unwrap().id;
    let summary = store.generate(&BulkSpec { attendees, ..BulkSpec::default() }).unwrap();
    Scratch { db, event, first_attendee: summary.attendees.start }
}

/// How a baseline file is laid out: SQLite's defaults, or with eventdesk's indexes and/or its
/// page size (src/store/sqlite/open.rs), to show what each costs or gives the baseline.
#[derive(Clone, Copy)]
struct Layout {
    indexed: bool,
    small_pages: bool,
}

/// The baseline variants measured beside the minimal one, with the line that names each.
const BASELINE_VARIANTS: [(&str, &str, Layout); 3] = [
    ("baseline_indexed", "baseline + eventdesk's 5 indexes", Layout { indexed: true, small_pages: false }),
    ("baseline_small_pages", "baseline with 1 KiB pages", Layout { indexed: false, small_pages: true }),
    (
        "baseline_indexed_small_pages",
        "baseline + eventdesk's 5 indexes, 1 KiB pages (eventdesk's own layout)",
        Layout { indexed: true, small_pages: true },
    ),
];

/// A fresh baseline database with one event of `capacity` seats, laid out as `layout` says.
fn raw_db(name: &str, capacity: u64, layout: Layout) -> Scratch {
    let db = fresh_dir(name).join("baseline.db");
    let conn = Connection::open(&db).unwrap();
    if layout.small_pages {
        conn.pragma_update(None, "page_size", 1024).unwrap();
    }
    conn.execute_batch(workers::BASELINE_SCHEMA).unwrap();
    if layout.indexed {
        conn.execute_batch(workers::BASELINE_INDEXES).unwrap();
    }
    conn.execute("INSERT INTO events (id, capacity) VALUES (1, ?1)", [capacity as i64]).unwrap();
    Scratch { db, event: 1, first_attendee: 1 }
}

/// Starts `procs` workers of `mode` at one instant; worker p books its own attendee range.
fn race(mode: &str, s: &Scratch, procs: u64, count: u64, extra: &[&str]) -> Vec<Tally> {
    let exe = std::env::current_exe().unwrap();
    let commands = (0..procs)
        .map(|p| {
            let mut c = Command::new(&exe);
            c.arg(mode).arg("--db").arg(&s.db);
            c.args(["--event", &s.event.to_string(), "--count", &count.to_string()]);
            c.args(["--first", &(s.first_attendee + (p * count) as i64).to_string()]);
            c.args(["--user", USER, "--password", PASSWORD]).args(extra);
            c
        })
        .collect();
    let finished = start_line::start_together(commands).unwrap();
    finished
        .iter()
        .map(|f| {
            serde_json::from_str(f.stdout.trim()).unwrap_or_else(|_| panic!("worker failed: {}", f.stderr))
        })
        .collect()
}

/// Throughput, spread and errors over all workers of one or more runs.
struct Figure {
    booked: u64,
    errors: u64,
    /// Median over the runs, and the slowest and fastest run.
    per_second: f64,
    range: (f64, f64),
    spread: Spread,
    samples: Vec<String>,
}

fn per_second(run: &[Tally]) -> f64 {
    let start = run.iter().map(|t| t.start_us).min().unwrap_or(0);
    let end = run.iter().map(|t| t.end_us).max().unwrap_or(0);
    let booked: u64 = run.iter().map(|t| t.micros.len() as u64 - t.errors).sum();
    booked as f64 / ((end.saturating_sub(start)) as f64 / 1e6).max(1e-9)
}

fn summarize(runs: &[Vec<Tally>]) -> Figure {
    let mut rates: Vec<f64> = runs.iter().map(|r| per_second(r)).collect();
    rates.sort_by(f64::total_cmp);
    let all: Vec<&Tally> = runs.iter().flatten().collect();
    let mut micros: Vec<u64> = all.iter().flat_map(|t| t.micros.iter().copied()).collect();
    let errors: u64 = all.iter().map(|t| t.errors).sum();
    Figure {
        booked: micros.len() as u64 - errors,
        errors,
        per_second: rates[rates.len() / 2],
        range: (rates[0], rates[rates.len() - 1]),
        spread: Spread::of(&mut micros),
        samples: all.iter().flat_map(|t| t.error_samples.clone()).take(3).collect(),
    }
}

/// Runs per figure-1 row, eventdesk and baseline alternating, so a slow spell of the shared
/// disk hits both sides rather than one.
const REPEATS: usize = 3;

fn throughput() {
    println!(
        "\n(1) contended booking throughput: P processes x {} distinct attendees on one event, synchronous=FULL",
        per_process()
    );
    println!(
        "    booked/s is the median of {REPEATS} alternating runs (slowest-fastest); latencies over all runs"
    );
    println!(
        "{:>2} | {:>23} {:>4} | {:>23} {:>4} | {:>5} | eventdesk p50/p99/max ms | baseline p50/p99/max ms",
        "P", "eventdesk booked/s", "err", "baseline booked/s", "err", "ratio"
    );
    // THROUGHPUT_PROCS=8 (comma-separated) measures only those rows.
    let procs_list: Vec<u64> = std::env::var("THROUGHPUT_PROCS")
        .ok()
        .map(|v| v.split(',').filter_map(|p| p.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2, 4, 8]);
    for procs in procs_list {
        let minimal = Layout { indexed: false, small_pages: false };
        let (mut store, mut raw, mut by_hand) = (Vec::new(), Vec::new(), Vec::new());
        let mut others: Vec<Vec<Vec<Tally>>> = BASELINE_VARIANTS.iter().map(|_| Vec::new()).collect();
        for _ in 0..REPEATS {
            let s = store_db(&format!("store-p{procs}"), procs * per_process());
            store.push(race("worker-store", &s, procs, per_process(), &[]));
            let h = store_db(&format!("sql-p{procs}"), procs * per_process());
            by_hand.push(race("worker-sql", &h, procs, per_process(), &[]));
            let r = raw_db(&format!("raw-p{procs}"), procs * per_process(), minimal);
            raw.push(race("worker-raw", &r, procs, per_process(), &[]));
            for ((variant, _, layout), runs) in BASELINE_VARIANTS.iter().zip(&mut others) {
                let r = raw_db(&format!("raw-{variant}-p{procs}"), procs * per_process(), *layout);
                runs.push(race("worker-raw", &r, procs, per_process(), &[]));
            }
        }
        let (store, raw) = (summarize(&store), summarize(&raw));
        print_row(procs, &store, &raw);
        csv_row("sqlite", "eventdesk", procs, &store);
        csv_row("sqlite", "baseline", procs, &raw);
        for ((variant, line, _), runs) in BASELINE_VARIANTS.iter().zip(&others) {
            let f = summarize(runs);
            println!("   {line}: {} booked/s, {} errors, {}", rate(&f), f.errors, f.spread);
            csv_row("sqlite", variant, procs, &f);
        }
        let f = summarize(&by_hand);
        println!(
            "   eventdesk's statements by hand on its own file: {} booked/s ({:.2} of the minimal baseline), {} errors, {}",
            rate(&f),
            f.per_second / raw.per_second,
            f.errors,
            f.spread
        );
        csv_row("sqlite", "eventdesk_sql", procs, &f);
    }
    println!("    rows appended to {}", results_csv::path().display());
}

/// Appends one figure to the CSV the plot script reads.
fn csv_row(engine: &str, variant: &str, procs: u64, f: &Figure) {
    results_csv::append(&results_csv::Row {
        engine,
        variant,
        processes: procs,
        per_second: f.per_second,
        spread: &f.spread,
        errors: f.errors,
    });
}

/// A figure's median rate and its slowest-fastest range.
fn rate(f: &Figure) -> String {
    format!("{:.0} ({:.0}-{:.0})", f.per_second, f.range.0, f.range.1)
}

fn print_row(procs: u64, store: &Figure, raw: &Figure) {
    let (s, r) = (&store.spread, &raw.spread);
    println!(
        "{procs:>2} | {:>23} {:>4} | {:>23} {:>4} | {:>5.2} | {:>6.2} {:>6.2} {:>8.2}      | {:>6.2} {:>6.2} {:>8.2}",
        rate(store),
        store.errors,
        rate(raw),
        raw.errors,
        store.per_second / raw.per_second,
        s.p50_ms,
        s.p99_ms,
        s.max_ms,
        r.p50_ms,
        r.p99_ms,
        r.max_ms
    );
    report_errors("eventdesk", store);
    report_errors("baseline", raw);
}

fn report_errors(what: &str, f: &Figure) {
    for s in &f.samples {
        println!("     {what} error: {s}");
    }
}

fn fairness() {
    let seconds: u64 = std::env::var("FAIRNESS_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let (procs, per) = (8u64, 60_000u64);
    println!("\n(6) lock fairness: P = {procs} sustained {seconds} s through the store");
    println!(
        "{:>13} | {:>9} | {:>8} | {:>8} | {:>8} | {:>8} | errors",
        "busy policy", "booked/s", "booked", "p50 ms", "p99 ms", "max ms"
    );
    for (name, policy) in [("ShortSleeps", "short"), ("SqliteDefault", "default")] {
        let s = store_db(&format!("fair-{policy}"), procs * per);
        let extra = ["--busy", policy, "--seconds", &seconds.to_string()];
        let f = summarize(&[race("worker-store", &s, procs, per, &extra)]);
        println!(
            "{name:>13} | {:>9.0} | {:>8} | {:>8.2} | {:>8.2} | {:>8.2} | {}",
            f.per_second, f.booked, f.spread.p50_ms, f.spread.p99_ms, f.spread.max_ms, f.errors
        );
        report_errors(name, &f);
    }
}

/// Figure 9: the booking race through the store on PostgreSQL over loopback, and on an SQLite
/// file in the same run. Targets: 0 errors and 0 overbookings at every P, p99 <= 50 ms at P = 8.
fn postgres() {
    println!(
        "\n(9) contended booking through the store, PostgreSQL over loopback beside SQLite (one run each)"
    );
    println!(
        "{:>2} | {:>17} {:>4} {:>5} | {:>24} | {:>15} {:>4} | {:>24}",
        "P",
        "PostgreSQL book/s",
        "err",
        "over",
        "PostgreSQL p50/p99/max ms",
        "SQLite booked/s",
        "err",
        "SQLite p50/p99/max ms"
    );
    let procs_list: Vec<u64> = std::env::var("THROUGHPUT_PROCS")
        .ok()
        .map(|v| v.split(',').filter_map(|p| p.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2, 4, 8]);
    for procs in procs_list {
        let server = pg::TestDb::create(&format!("bench_p{procs}")).expect("set EVENTDESK_TEST_PG");
        let seats = procs * per_process();
        let s = seeded(Location::parse(&server.url), PathBuf::from(&server.url), seats);
        let on_server = summarize(&[race("worker-store", &s, procs, per_process(), &[])]);
        let over = server
            .client()
            .query_one("SELECT count(*) FROM events WHERE booked > capacity", &[])
            .map(|r| r.get::<_, i64>(0))
            .unwrap();
        let file = store_db(&format!("pg-side-p{procs}"), seats);
        let on_file = summarize(&[race("worker-store", &file, procs, per_process(), &[])]);
        let (a, b) = (&on_server.spread, &on_file.spread);
        println!(
            "{procs:>2} | {:>17.0} {:>4} {over:>5} | {:>7.2} {:>7.2} {:>8.2} | {:>15.0} {:>4} | {:>7.2} {:>7.2} {:>8.2}",
            on_server.per_second,
            on_server.errors,
            a.p50_ms,
            a.p99_ms,
            a.max_ms,
            on_file.per_second,
            on_file.errors,
            b.p50_ms,
            b.p99_ms,
            b.max_ms
        );
        report_errors("PostgreSQL", &on_server);
        // The SQLite side of this figure is one run, not figure 1's median: only the server's row.
        csv_row("postgres", "eventdesk", procs, &on_server);
    }
    // Figure 4 again, with the app listening on the server (LISTEN/NOTIFY) instead of polling
    // the file's data_version.
    let server = pg::TestDb::create("bench_refresh").expect("set EVENTDESK_TEST_PG");
    let s = seeded(Location::parse(&server.url), PathBuf::from(&server.url), 1_000);
    refresh::run(&s, USER, PASSWORD, "PostgreSQL");
}

/// A full event of `seats` seats (booked by the first `seats` attendees, booking ids 1..=seats)
/// and, when `waiting`, as many more attendees on its waiting list. Rows are put in by SQL in
/// one go (the same on both engines): setting up is not what is measured.
fn full_event(location: Location, db: PathBuf, seats: u64, waiting: bool) -> Scratch {
    let s = seeded(location.clone(), db, seats * 2);
    let (first, last) = (s.first_attendee, s.first_attendee + seats as i64 - 1);
    let mut sql = format!(
        "INSERT INTO bookings (event_id, attendee_id, booked_at)
           SELECT {event}, id, 0 FROM attendees WHERE id BETWEEN {first} AND {last} ORDER BY id;",
        event = s.event
    );
    if waiting {
        sql.push_str(&format!(
            "INSERT INTO waitlist (event_id, attendee_id, joined_at)
               SELECT {event}, id, id FROM attendees WHERE id > {last} ORDER BY id;",
            event = s.event
        ));
    }
    match &location {
        Location::Sqlite(path) => Connection::open(path).unwrap().execute_batch(&sql).unwrap(),
        Location::Postgres(url) => pg::connect(url).batch_execute(&sql).unwrap(),
    }
    // Worker p cancels its own range of booking ids, starting at 1.
    Scratch { first_attendee: 1, ..s }
}

/// Figure 11: cancels racing on one full event, with nobody waiting and with a waiting list as
/// long as the event (every cancel promotes one attendee in its own transaction).
fn cancel() {
    let per: u64 = std::env::var("CANCEL_PER").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    println!("\n(11) contended cancel throughput: P processes x {per} cancels on one full event");
    println!("    cancels/s is the median of {REPEATS} alternating runs, each on fresh databases");
    println!(
        "{:>10} | {:>2} | {:>16} {:>4} | {:>24} | {:>16} {:>4} | {:>24} | {:>5}",
        "engine",
        "P",
        "no list cancel/s",
        "err",
        "no list p50/p99/max ms",
        "waiting cancel/s",
        "err",
        "waiting p50/p99/max ms",
        "ratio"
    );
    let server = std::env::var("EVENTDESK_TEST_PG").is_ok();
    for procs in [1u64, 4] {
        let seats = procs * per;
        let (mut without, mut with) = (Vec::new(), Vec::new());
        let (mut pg_without, mut pg_with) = (Vec::new(), Vec::new());
        for n in 0..REPEATS {
            for (waiting, runs) in [(false, &mut without), (true, &mut with)] {
                let db = fresh_dir(&format!("cancel-{waiting}-p{procs}-{n}")).join("eventdesk.db");
                let s = full_event(Location::Sqlite(db.clone()), db, seats, waiting);
                runs.push(cancels(&s, procs, per, waiting));
            }
            if server {
                for (waiting, runs) in [(false, &mut pg_without), (true, &mut pg_with)] {
                    let server =
                        pg::TestDb::create(&format!("cancel_{waiting}_p{procs}_{n}")).expect("a database");
                    let s =
                        full_event(Location::parse(&server.url), PathBuf::from(&server.url), seats, waiting);
                    runs.push(cancels(&s, procs, per, waiting));
                }
            }
        }
        cancel_row("SQLite", procs, &summarize(&without), &summarize(&with));
        if server {
            cancel_row("PostgreSQL", procs, &summarize(&pg_without), &summarize(&pg_with));
        }
    }
}

/// One run: every worker cancels its own range; with a list, each cancel must promote one.
fn cancels(s: &Scratch, procs: u64, per: u64, waiting: bool) -> Vec<Tally> {
    race("worker-cancel", s, procs, per, &["--promotes", if waiting { "1" } else { "0" }])
}

fn cancel_row(engine: &str, procs: u64, without: &Figure, with: &Figure) {
    let (a, b) = (&without.spread, &with.spread);
    println!(
        "{engine:>10} | {procs:>2} | {:>16.0} {:>4} | {:>7.2} {:>7.2} {:>8.2} | {:>16.0} {:>4} | {:>7.2} {:>7.2} {:>8.2} | {:>5.2}",
        without.per_second,
        without.errors,
        a.p50_ms,
        a.p99_ms,
        a.max_ms,
        with.per_second,
        with.errors,
        b.p50_ms,
        b.p99_ms,
        b.max_ms,
        with.per_second / without.per_second
    );
    report_errors("no list", without);
    report_errors("waiting", with);
}
