//! Figure 3: the terminal app without a terminal (ratatui `TestBackend`, 120 x 40), at 10 000,
//! 100 000 and 1 000 000 bookings: cold start to the first frame (open the store, build the
//! App, load the first page, draw), and one key to the next frame for every key that reads:
//! moving, paging, Home/End and a deep page in each tab, a page in the middle of the History
//! tab, switching tabs, the filters, a search keystroke in the lists and in the booking picker.
//! Each figure is the median of 15 samples, printed and appended to
//! `target/bench-results/keys.csv` for `docs/curves/plot.py`.
//! Sign-in is left out of the cold start: Argon2 is slow on purpose and runs once per session.
//! With `EVENTDESK_TEST_PG` set, the same figures again on PostgreSQL, on databases generated
//! once and kept on that server. `APP_SIZES=10k,100k,1m`, `APP_ENGINES=sqlite,pg` and
//! `APP_FIGURES=keys,door` choose what runs (default: everything).
//!
//! The door (issue 9), at 1 000 000 bookings on an event holding 5 000 of them (added to a copy
//! of the generated database by the bench, not by the generator): one key of the door's search
//! to the next frame, and a check-in (Enter) to the next frame (`APP_FIGURES=door`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime};
use eventdesk::app::{Action, App, Tab};
use eventdesk::model::{Clock, NewEvent, Session};
use eventdesk::store::{BULK_PASSWORD, BulkSpec, EventQuery, Location, OpenOptions, Page, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tui_input::InputRequest;

const SIZE: Rect = Rect { x: 0, y: 0, width: 120, height: 40 };

struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
}

impl Screen {
    fn open(location: &Location, session: &Session) -> Screen {
        Screen::on(Store::open(location).unwrap(), session, chrono::Utc::now())
    }

    fn on(store: Store, session: &Session, now: DateTime<Utc>) -> Screen {
        let mut app = App::new(store, Some(session.clone()), SIZE);
        app.update(Action::Tick(now));
        app.settle();
        let mut terminal = Terminal::new(TestBackend::new(SIZE.width, SIZE.height)).unwrap();
        terminal.draw(|f| eventdesk::ui::render(f, &app)).unwrap();
        Screen { app, terminal }
    }

    /// One key's worth of work: the action, the store calls it asks for, then the frame.
    fn key(&mut self, action: Action) {
        self.app.update(action);
        self.app.settle();
        let app = &self.app;
        self.terminal.draw(|f| eventdesk::ui::render(f, app)).unwrap();
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(Action::Edit(InputRequest::InsertChar(c)));
        }
    }
}

/// Times `measured` only; `setup` puts the app back into the state the key starts from.
fn timed(screen: &mut Screen, iters: u64, setup: &[Action], measured: &[Action]) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        for a in setup {
            screen.key(a.clone());
        }
        let started = Instant::now();
        for a in measured {
            screen.key(a.clone());
        }
        total += started.elapsed();
    }
    total
}

/// Samples per key: each one key → frame, after `WARM_UP` untimed ones.
const SAMPLES: usize = 15;
const WARM_UP: usize = 2;

/// One row of `target/bench-results/keys.csv`: the key's median over `SAMPLES`.
struct Figure {
    engine: &'static str,
    bookings: u64,
    key: &'static str,
    ms: f64,
}

/// Where the figures of one database go, printed as they come.
struct Run {
    engine: &'static str,
    bookings: u64,
    figures: Vec<Figure>,
}

impl Run {
    /// The median of `SAMPLES` runs of `measured`, each after `setup` (untimed).
    fn key(&mut self, s: &mut Screen, key: &'static str, setup: &[Action], measured: &[Action]) {
        let mut ms: Vec<f64> = (0..SAMPLES + WARM_UP)
            .map(|_| timed(s, 1, setup, measured).as_secs_f64() * 1e3)
            .skip(WARM_UP)
            .collect();
        self.push(key, &mut ms);
    }

    fn push(&mut self, key: &'static str, ms: &mut [f64]) {
        ms.sort_by(f64::total_cmp);
        let (median, low, high) = (ms[ms.len() / 2], ms[0], ms[ms.len() * 9 / 10]);
        println!("{:>8} {:>9} {key:<44} {median:>9.3} ms  ({low:.3}–{high:.3})", self.engine, self.bookings);
        self.figures.push(Figure { engine: self.engine, bookings: self.bookings, key, ms: median });
    }
}

fn figures(run: &mut Run, location: &Location, session: &Session) -> Screen {
    let mut cold: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            let screen = Screen::open(location, session);
            let ms = started.elapsed().as_secs_f64() * 1e3;
            drop(screen);
            ms
        })
        .collect();
    run.push("first_frame", &mut cold);
    let mut s = Screen::open(location, session);
    list_figures(run, &mut s, Tab::Events, "events");
    // Every step of the filter key, from All round to All again.
    let steps = [
        "events_filter",
        "events_filter_past",
        "events_filter_mine",
        "events_filter_mine_upcoming",
        "events_filter_available",
        "events_filter_all",
    ];
    filter_figures(run, &mut s, Tab::Events, &steps);
    s.key(Action::ClearFilters);
    s.key(Action::CycleFilter); // back to the organizer's own upcoming events
    for _ in 0..3 {
        s.key(Action::CycleFilter);
    }
    for (key, tab) in [("tab_bookings", Tab::Bookings), ("tab_history", Tab::History)] {
        run.key(&mut s, key, &[Action::GoTab(Tab::Events)], &[Action::GoTab(tab)]);
    }
    run.key(&mut s, "tab_events", &[Action::GoTab(Tab::History)], &[Action::GoTab(Tab::Events)]);
    list_figures(run, &mut s, Tab::Bookings, "bookings");
    let steps =
        ["bookings_filter", "bookings_filter_cancelled", "bookings_filter_waiting", "bookings_filter_any"];
    filter_figures(run, &mut s, Tab::Bookings, &steps);
    s.key(Action::ClearFilters);
    list_figures(run, &mut s, Tab::History, "history");
    middle_figure(run, &mut s);
    list_search_figures(run, &mut s);
    run.key(&mut s, "open_picker", &[Action::GoTab(Tab::Bookings), Action::Cancel], &[Action::Book]);
    s.key(Action::Cancel);
    s
}

/// Moving through one tab's list: a row, a page, the end and back to the top, and a page
/// after 30 pages of paging (each read where the last one ended).
fn list_figures(run: &mut Run, s: &mut Screen, tab: Tab, name: &'static str) {
    let key = |what: &str| -> &'static str { Box::leak(format!("{name}_{what}").into_boxed_str()) };
    let go = Action::GoTab(tab);
    run.key(s, key("move"), &[go.clone(), Action::Home], &[Action::Down]);
    run.key(s, key("page_down"), &[go.clone(), Action::Home], &[Action::PageDown]);
    run.key(s, key("end"), &[go.clone(), Action::Home], &[Action::End]);
    run.key(s, key("home"), &[go.clone(), Action::End], &[Action::Home]);
    s.key(go);
    s.key(Action::Home);
    for _ in 0..30 {
        s.key(Action::PageDown);
    }
    // PageDown then (untimed) PageUp: the same deep page each time.
    run.key(s, key("page_down_deep"), &[Action::PageUp], &[Action::PageDown]);
    s.key(Action::Home);
}

/// A page in the middle of the History tab (a million rows deep at 1 M): the list is put
/// there directly (untimed), then PageDown reads the next page.
fn middle_figure(run: &mut Run, s: &mut Screen) {
    s.key(Action::GoTab(Tab::History));
    s.key(Action::Home);
    let middle = s.app.history.list.total / 2;
    s.app.history.list.select(middle);
    s.key(Action::Down);
    run.key(s, "history_page_middle", &[Action::PageUp], &[Action::PageDown]);
    s.key(Action::Home);
}

/// The last letter of a search typed into the Events and the Bookings tab's search ("Rus" and
/// "Priya"): deleted (untimed) and typed again each sample.
fn list_search_figures(run: &mut Run, s: &mut Screen) {
    let undo = [Action::Edit(InputRequest::DeletePrevChar)];
    for (key, tab, word) in
        [("events_search", Tab::Events, "Rus"), ("bookings_search", Tab::Bookings, "Priya")]
    {
        s.key(Action::GoTab(tab));
        s.key(Action::Search);
        s.type_text(word);
        let last = [Action::Edit(InputRequest::InsertChar(word.chars().last().unwrap()))];
        run.key(s, key, &undo, &last);
        clear(s, word.len());
        s.key(Action::Cancel);
    }
}

/// The last letter of a search typed into the picker: in the event step ("Rus"), and in the
/// attendee step for a name many attendees share that sorts first ("Ana") and one that sorts
/// last ("Priya": a short walk of the name index finds none, so its candidates are sorted), and
/// for one nobody has ("Zoe"); and two letters and one that match only names sorting last ("Pr",
/// "Y": only Priya has a y) and nothing ("Zo", "X"), which walked the name index with LIKE before
/// the postings held short grams. Each search is typed whole; every iteration deletes its last
/// letter (untimed) and types it again (timed).
fn search_figures(run: &mut Run, s: &mut Screen) {
    let letter = |c| [Action::Edit(InputRequest::InsertChar(c))];
    let undo = [Action::Edit(InputRequest::DeletePrevChar)];
    s.key(Action::GoTab(Tab::Bookings));
    s.key(Action::Book);
    s.type_text("Rus");
    run.key(s, "picker_event_search", &undo, &letter('s'));
    clear(s, 3);
    s.key(Action::Submit);
    for (name, word) in [
        ("picker_attendee_search_common", "Ana"),
        ("picker_attendee_search_common_sorting_last", "Priya"),
        ("picker_attendee_search_no_match", "Zoe"),
        ("picker_attendee_search_two_letters_sorting_last", "Pr"),
        ("picker_attendee_search_two_letters_no_match", "Zo"),
        ("picker_attendee_search_one_letter_sorting_last", "Y"),
        ("picker_attendee_search_one_letter_no_match", "X"),
    ] {
        s.type_text(word);
        let last = word.chars().last().unwrap_or('a');
        run.key(s, name, &undo, &letter(last));
        clear(s, word.len());
    }
    s.key(Action::Cancel);
}

/// The filter key pressed once from each of its steps in `tab`: `names[k]` is the press that
/// leaves the k-th step after a clear (the setup, untimed, clears and steps k times).
fn filter_figures(run: &mut Run, s: &mut Screen, tab: Tab, names: &[&'static str]) {
    for (k, name) in names.iter().enumerate() {
        let mut setup = vec![Action::GoTab(tab), Action::ClearFilters];
        setup.extend(std::iter::repeat_n(Action::CycleFilter, k));
        run.key(s, name, &setup, &[Action::CycleFilter]);
    }
}

fn clear(s: &mut Screen, letters: usize) {
    for _ in 0..letters {
        s.key(Action::Edit(InputRequest::DeletePrevChar));
    }
}

/// The middle of the curve: 100 000 bookings.
const MEDIUM: BulkSpec = BulkSpec { organizers: 20, events: 10_000, attendees: 100_000, bookings: 100_000 };

/// Which sizes and engines to run: `APP_SIZES=10k,100k,1m` and `APP_ENGINES=sqlite,pg`
/// (default: all; PostgreSQL only with `EVENTDESK_TEST_PG`).
fn selected(var: &str, name: &str) -> bool {
    std::env::var(var).map_or(true, |v| v.split(',').any(|s| s.trim() == name))
}

fn databases() -> Vec<(&'static str, BulkSpec, Location)> {
    let mut out = vec![];
    for (size, spec) in [("10k", fixture::SMALL), ("100k", MEDIUM), ("1m", fixture::LARGE)] {
        if !selected("APP_SIZES", size) {
            continue;
        }
        if selected("APP_ENGINES", "sqlite") {
            out.push(("sqlite", spec, Location::Sqlite(fixture::database(&spec))));
        }
        if selected("APP_ENGINES", "pg")
            && let Some(url) = fixture::postgres_database(&spec)
        {
            out.push(("postgres", spec, Location::parse(&own_copy(&url))));
        }
    }
    out
}

/// With `APP_PG_COPY=<suffix>`, the generated PostgreSQL database copied once (as a template)
/// to `<name>_<suffix>` and that copy measured: a branch whose store migrates the schema then
/// leaves the database other checkouts share at their version.
fn own_copy(url: &str) -> String {
    let Some(suffix) = std::env::var("APP_PG_COPY").ok().filter(|s| !s.trim().is_empty()) else {
        return url.to_string();
    };
    let base = url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let name = format!("{base}_{}", suffix.trim());
    let mut admin = fixture::pg::connect(url);
    let exists = admin.query_one("SELECT count(*) FROM pg_database WHERE datname = $1", &[&name]).unwrap();
    if exists.get::<_, i64>(0) == 0 {
        let admin_url = fixture::pg::with_database(url, "postgres");
        drop(admin);
        admin = fixture::pg::connect(&admin_url);
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {base}")).unwrap();
    }
    fixture::pg::with_database(url, &name)
}

/// Appends the figures to `target/bench-results/keys.csv` (`engine,bookings,key,ms`), the input
/// of `docs/curves/plot.py`.
fn append_csv(figures: &[Figure]) {
    use std::io::Write;
    let dir = fixture::data_dir().with_file_name("bench-results");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys.csv");
    let fresh = !path.exists();
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    if fresh {
        writeln!(f, "engine,bookings,key,ms").unwrap();
    }
    for r in figures {
        writeln!(f, "{},{},{},{:.4}", r.engine, r.bookings, r.key, r.ms).unwrap();
    }
}

fn app(_: &mut Criterion) {
    if !selected("APP_FIGURES", "keys") {
        return;
    }
    for (engine, spec, location) in databases() {
        let probe = Store::open(&location).unwrap();
        let session = probe.authenticate("bulk-org-1", BULK_PASSWORD).unwrap();
        drop(probe);
        let mut run = Run { engine, bookings: spec.bookings, figures: vec![] };
        let mut screen = figures(&mut run, &location, &session);
        search_figures(&mut run, &mut screen);
        append_csv(&run.figures);
    }
}

/// How many bookings the door's event holds.
const DOOR_BOOKINGS: u32 = 5_000;
/// The door's attendees are every `DOOR_STRIDE`-th attendee, from the first.
const DOOR_STRIDE: i64 = 199;
/// An email only one of the door's attendees has (attendee 1 + 21 × 199).
const DOOR_EMAIL: &str = "bulk-4180@";
const DOOR_TITLE: &str = "Door Bench Night";

/// The door bench's fixed clock: the door event starts an hour later, so check-in is open.
fn door_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2031, 3, 1, 18, 0, 0).unwrap()
}

fn door_store(path: &Path) -> Store {
    Store::open_with(path, OpenOptions { clock: Clock::Fixed(door_now()), ..OpenOptions::default() }).unwrap()
}

/// The 1 M database plus one event with `DOOR_BOOKINGS` bookings, made once from a copy of the
/// generated one (built under a temporary name, renamed when complete).
fn door_database() -> PathBuf {
    let base = fixture::database(&fixture::LARGE);
    let name = base.file_name().unwrap().to_string_lossy().into_owned();
    let path = base.with_file_name(format!("door{DOOR_BOOKINGS}x{DOOR_STRIDE}-{name}"));
    if path.exists() {
        return path;
    }
    let partial = base.with_file_name(format!("door{DOOR_BOOKINGS}x{DOOR_STRIDE}-{name}.partial"));
    std::fs::copy(&base, &partial).unwrap();
    let started = Instant::now();
    let store = door_store(&partial);
    let org = store.authenticate("bulk-org-1", BULK_PASSWORD).unwrap();
    let new = NewEvent {
        title: DOOR_TITLE.into(),
        description: "The door bench: 5 000 bookings, check-in open".into(),
        starts_at: door_now() + Span::hours(1),
        ends_at: door_now() + Span::hours(4),
        capacity: i64::from(DOOR_BOOKINGS),
    };
    let event = store.create_event(&org, &new).unwrap().id;
    // Attendees spread over the whole table, as a real event's are (every 199th: each
    // generated name turns up about 20 times among them).
    for k in 0..i64::from(DOOR_BOOKINGS) {
        store.book(&org, event, 1 + k * DOOR_STRIDE).unwrap();
    }
    drop(store);
    std::fs::rename(&partial, &path).unwrap();
    eprintln!("added {DOOR_TITLE} with {DOOR_BOOKINGS} bookings in {:.1} s", started.elapsed().as_secs_f64());
    path
}

/// The door's figures: opening it, keys of its search, Enter checking the one match in, and
/// another door's check-in reaching this one.
fn door(c: &mut Criterion) {
    if !selected("APP_FIGURES", "door") {
        return;
    }
    let path = door_database();
    let store = door_store(&path);
    let session = store.authenticate("bulk-org-1", BULK_PASSWORD).unwrap();
    let other = door_store(&path);
    let q = EventQuery { search: DOOR_TITLE.into(), page: Page::new(0, 1), ..EventQuery::default() };
    let event = other.list_events(&q).unwrap().remove(0);
    let mut s = Screen::on(store, &session, door_now());
    s.key(Action::Search);
    s.type_text(DOOR_TITLE);
    s.key(Action::Submit);
    s.key(Action::OpenDoor);
    assert_eq!((s.app.tab, s.app.door.list.total), (Tab::Door, u64::from(DOOR_BOOKINGS)), "{}", event.title);
    let mut g = c.benchmark_group("app_1m_bookings_door");
    g.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500));
    g.bench_function("key_door_open", |b| {
        b.iter_custom(|n| timed(&mut s, n, &[Action::GoTab(Tab::Events)], &[Action::OpenDoor]))
    });
    door_search_figures(&mut g, &mut s);
    door_check_in_figure(&mut g, &mut s, &other, &session);
    door_live_figure(&mut g, &mut s, &other, &session);
    g.finish();
}

/// The last key of a search at the door, typed again each iteration after deleting it
/// (untimed): a first letter (every email holds an "a", so all 5 000 match), a common first
/// name, a full name, and an email that only one attendee has.
fn door_search_figures(g: &mut BenchmarkGroup<'_, WallTime>, s: &mut Screen) {
    let undo = [Action::Edit(InputRequest::DeletePrevChar)];
    for (name, word) in [
        ("key_door_search_first_letter", "a"),
        ("key_door_search_first_name", "Priya"),
        ("key_door_search_full_name", "Priya Quinn"),
        ("key_door_search_email", DOOR_EMAIL),
    ] {
        s.type_text(word);
        let last = [Action::Edit(InputRequest::InsertChar(word.chars().last().unwrap()))];
        g.bench_function(name, |b| b.iter_custom(|n| timed(s, n, &undo, &last)));
        clear(s, word.chars().count());
    }
}

/// Enter on the one match of an email: the check-in's write, its answer and the frame. Each
/// iteration first undoes it from another connection and lets the door see that (untimed).
fn door_check_in_figure(
    g: &mut BenchmarkGroup<'_, WallTime>,
    s: &mut Screen,
    other: &Store,
    session: &Session,
) {
    s.type_text(DOOR_EMAIL);
    let booking = s.app.door.list.current().map(|b| b.booking.id).expect("one match");
    clear(s, DOOR_EMAIL.len());
    g.bench_function("key_door_check_in", |b| {
        b.iter_custom(|n| {
            let mut total = Duration::ZERO;
            for _ in 0..n {
                if other.undo_check_in(session, booking).is_ok() {
                    s.key(Action::Tick(door_now()));
                }
                s.type_text(DOOR_EMAIL);
                let started = Instant::now();
                s.key(Action::Submit);
                total += started.elapsed();
                let status = s.app.status.as_ref().map(|st| st.text.as_str()).unwrap_or_default();
                assert!(status.starts_with("Checked in "), "{status}");
            }
            total
        })
    });
}

/// Another door checks someone in (or undoes it, alternately; untimed): this door's next tick
/// asks the change token, reads the roster again and draws the frame that shows it.
fn door_live_figure(g: &mut BenchmarkGroup<'_, WallTime>, s: &mut Screen, other: &Store, session: &Session) {
    let booking = s.app.door.list.rows[1].booking.id;
    g.bench_function("other_door_check_in_to_frame", |b| {
        b.iter_custom(|n| {
            let mut total = Duration::ZERO;
            for _ in 0..n {
                if other.check_in(session, booking).is_err() {
                    other.undo_check_in(session, booking).unwrap();
                }
                let started = Instant::now();
                s.key(Action::Tick(door_now()));
                total += started.elapsed();
            }
            total
        })
    });
}

criterion_group!(benches, app, door);
criterion_main!(benches);
