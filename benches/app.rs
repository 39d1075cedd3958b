//! Figure 3: the terminal app without a terminal (ratatui `TestBackend`, 120 x 40), at 10 000
//! and at 1 000 000 bookings: cold start to the first frame (open the store, build the App,
//! load the first page, draw), and one key to the next frame for moving the selection,
//! switching tabs, opening the booking picker and typing into its search.
//! Sign-in is left out of the cold start: Argon2 is slow on purpose and runs once per session.
//! With `EVENTDESK_TEST_PG` set, the same figures again on PostgreSQL (`app_pg_*`), on
//! databases generated once and kept on that server (`cargo bench --bench app -- app_pg`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main, measurement::WallTime,
};
use eventdesk::app::{Action, App, Tab};
use eventdesk::model::Session;
use eventdesk::store::{BULK_PASSWORD, Location, Store};
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
        let store = Store::open(location).unwrap();
        let mut app = App::new(store, Some(session.clone()), SIZE);
        app.update(Action::Tick(chrono::Utc::now()));
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

fn figures(g: &mut BenchmarkGroup<'_, WallTime>, location: &Location, session: &Session) -> Screen {
    g.bench_function("first_frame", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let screen = Screen::open(location, session);
                total += started.elapsed();
                drop(screen);
            }
            total
        })
    });
    let mut s = Screen::open(location, session);
    g.bench_function("key_move_selection", |b| {
        b.iter_custom(|n| timed(&mut s, n, &[Action::GoTab(Tab::Events), Action::Home], &[Action::Down]))
    });
    for (name, tab) in [("key_tab_bookings", Tab::Bookings), ("key_tab_history", Tab::History)] {
        g.bench_function(name, |b| {
            b.iter_custom(|n| timed(&mut s, n, &[Action::GoTab(Tab::Events)], &[Action::GoTab(tab)]))
        });
    }
    g.bench_function("key_tab_events", |b| {
        b.iter_custom(|n| timed(&mut s, n, &[Action::GoTab(Tab::History)], &[Action::GoTab(Tab::Events)]))
    });
    picker_figures(g, &mut s);
    s
}

/// The booking picker (from the Bookings tab): opening it.
fn picker_figures(g: &mut BenchmarkGroup<'_, WallTime>, s: &mut Screen) {
    s.key(Action::GoTab(Tab::Bookings));
    g.bench_function("key_open_picker", |b| {
        b.iter_custom(|n| timed(s, n, &[Action::Cancel], &[Action::Book]))
    });
    s.key(Action::Cancel);
}

/// The last letter of a search typed into the picker: in the event step ("Rus"), and in the
/// attendee step for a name many attendees share that sorts first ("Ana") and one that sorts
/// last ("Priya": a short walk of the name index finds none, so its candidates are sorted), and
/// for one nobody has ("Zoe"). Each search is
/// typed whole; every iteration deletes its last letter (untimed) and types it again (timed).
fn search_figures(g: &mut BenchmarkGroup<'_, WallTime>, s: &mut Screen) {
    let letter = |c| [Action::Edit(InputRequest::InsertChar(c))];
    let undo = [Action::Edit(InputRequest::DeletePrevChar)];
    s.key(Action::GoTab(Tab::Bookings));
    s.key(Action::Book);
    s.type_text("Rus");
    g.bench_function("key_type_in_event_search", |b| b.iter_custom(|n| timed(s, n, &undo, &letter('s'))));
    clear(s, 3);
    s.key(Action::Submit);
    for (name, word) in [
        ("key_type_in_attendee_search_common", "Ana"),
        ("key_type_in_attendee_search_common_sorting_last", "Priya"),
        ("key_type_in_attendee_search_no_match", "Zoe"),
    ] {
        s.type_text(word);
        let last = word.chars().last().unwrap_or('a');
        g.bench_function(name, |b| b.iter_custom(|n| timed(s, n, &undo, &letter(last))));
        clear(s, word.len());
    }
    s.key(Action::Cancel);
}

fn clear(s: &mut Screen, letters: usize) {
    for _ in 0..letters {
        s.key(Action::Edit(InputRequest::DeletePrevChar));
    }
}

fn app(c: &mut Criterion) {
    let mut databases = vec![];
    for (name, spec) in [("app_10k_bookings", fixture::SMALL), ("app_1m_bookings", fixture::LARGE)] {
        databases.push((name.to_string(), Location::Sqlite(fixture::database(&spec))));
    }
    for (name, spec) in [("app_pg_10k_bookings", fixture::SMALL), ("app_pg_1m_bookings", fixture::LARGE)] {
        if let Some(url) = fixture::postgres_database(&spec) {
            databases.push((name.to_string(), Location::parse(&url)));
        }
    }
    for (name, location) in databases {
        let probe = Store::open(&location).unwrap();
        let session = probe.authenticate("bulk-org-1", BULK_PASSWORD).unwrap();
        drop(probe);
        let mut g = c.benchmark_group(&name);
        g.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500));
        let mut screen = figures(&mut g, &location, &session);
        g.finish();
        // Searches at 1M cost up to seconds a key: few flat samples rather than criterion's ramp.
        let mut g = c.benchmark_group(format!("{name}_search"));
        g.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_millis(1));
        g.measurement_time(Duration::from_secs(2));
        search_figures(&mut g, &mut screen);
        g.finish();
    }
}

criterion_group!(benches, app);
criterion_main!(benches);
