//! Figure (issue 10): key → frame while a write waits on a lock another connection holds.
//!
//! A desk books while a raw connection holds `BEGIN IMMEDIATE` for the whole run (the app's
//! store waits up to ten minutes, so the booking keeps waiting). Each figure is one key's
//! `App::update` and the `TestBackend` frame it leads to (120 × 40): switching tabs (the first
//! frame, and the frame once the tab's page has been read on the read thread), moving the
//! selection, and opening help. Database: 200 events, 300 attendees, 600 bookings.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup: fail loudly

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use eventdesk::app::{Action, App, Tab};
use eventdesk::model::{NewAttendee, NewEvent, NewOperator, Role, Session};
use eventdesk::store::{OpenOptions, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const SIZE: Rect = Rect { x: 0, y: 0, width: 120, height: 40 };

fn account(store: &Store, username: &str, role: Role) -> Session {
    let new = NewOperator {
        username: username.into(),
        password: "bench-password".into(),
        role: Some(role),
        name: username.into(),
        organization: "Bench".into(),
        address: "Main Street 1".into(),
        ..NewOperator::default()
    };
    store.register(&new).unwrap();
    store.authenticate(username, "bench-password").unwrap()
}

/// The database, and the desk's session on it.
fn database(path: &std::path::Path) -> Session {
    let store = Store::open(path).unwrap();
    let olga = account(&store, "olga", Role::Organizer);
    let dana = account(&store, "dana", Role::Desk);
    let attendees: Vec<i64> = (0..300)
        .map(|i| {
            let new = NewAttendee {
                name: format!("Person {i}"),
                email: format!("p{i}@example.org"),
                phone: String::new(),
            };
            store.add_attendee(&dana, &new).unwrap().id
        })
        .collect();
    for i in 0..200 {
        let starts_at = Utc::now() + TimeDelta::days(1 + i);
        let new = NewEvent {
            title: format!("Event {i:03}"),
            description: String::new(),
            starts_at,
            ends_at: starts_at + TimeDelta::hours(2),
            capacity: 50,
        };
        let event = store.create_event(&olga, &new).unwrap().id;
        for k in 0..3 {
            let attendee = attendees[usize::try_from((i * 3 + k) % 300).unwrap()];
            store.book(&dana, event, attendee).unwrap();
        }
    }
    dana
}

struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
}

impl Screen {
    fn draw(&mut self) {
        let app = &self.app;
        self.terminal.draw(|f| eventdesk::ui::render(f, app)).unwrap();
    }

    /// One key: the action, then the next frame; `loaded` also waits for the reads it asked.
    fn key(&mut self, action: Action, loaded: bool) {
        self.app.update(action);
        if loaded {
            self.app.settle_reads();
        }
        self.draw();
    }
}

fn timed(s: &mut Screen, iters: u64, setup: &[Action], measured: &Action, loaded: bool) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        for a in setup {
            s.key(a.clone(), true);
        }
        let started = Instant::now();
        s.key(measured.clone(), loaded);
        total += started.elapsed();
    }
    total
}

fn waiting(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waiting.db");
    let dana = database(&path);
    let options = OpenOptions { busy_timeout: Duration::from_secs(600), ..OpenOptions::default() };
    let app = App::new(Store::open_with(&path, options).unwrap(), Some(dana), SIZE);
    let terminal = Terminal::new(TestBackend::new(SIZE.width, SIZE.height)).unwrap();
    let mut s = Screen { app, terminal };
    s.app.settle();
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    s.key(Action::Book, true);
    s.key(Action::Submit, false);
    assert_eq!(s.app.waiting().map(|w| w.what), Some("booking"), "the booking waits on the lock");

    let mut g = c.benchmark_group("key_while_a_write_waits");
    g.sample_size(10).measurement_time(Duration::from_secs(1)).warm_up_time(Duration::from_millis(200));
    let events = [Action::GoTab(Tab::Events)];
    g.bench_function("tab_first_frame", |b| {
        b.iter_custom(|n| timed(&mut s, n, &events, &Action::GoTab(Tab::Bookings), false))
    });
    g.bench_function("tab_page_loaded", |b| {
        b.iter_custom(|n| timed(&mut s, n, &events, &Action::GoTab(Tab::Bookings), true))
    });
    g.bench_function("move_selection_detail_loaded", |b| {
        b.iter_custom(|n| timed(&mut s, n, &[Action::GoTab(Tab::Events), Action::Home], &Action::Down, true))
    });
    g.bench_function("help", |b| b.iter_custom(|n| timed(&mut s, n, &[Action::Home], &Action::Help, false)));
    g.finish();
    assert!(s.app.waiting().is_some(), "the booking waited all along");
    lock.execute_batch("ROLLBACK").unwrap();
    s.app.settle();
}

criterion_group!(benches, waiting);
criterion_main!(benches);
