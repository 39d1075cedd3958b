//! Faults met by the terminal app while a form is open: a lock held by another process and a
//! full disk. The app shows the one-line reason on screen, keeps every field as typed, writes
//! nothing, and the same form goes through once the fault is gone.

#![allow(clippy::unwrap_used)]

#[path = "support/accounts.rs"]
mod accounts;

#[path = "support/fs_faults.rs"]
mod fs_faults;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use eventdesk::app::{Action, App, Mode};
use eventdesk::model::{Role, Session};
use eventdesk::store::{OpenOptions, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn organizer(db: &Path) -> Session {
    accounts::register(&Store::open(db).unwrap(), "olga", Role::Organizer)
}

const TYPED: [&str; 5] = ["Busy night 日本 🎉", "kept exactly as typed", "", "", "12"];

/// Opens the new-event form and types every field, as a person would.
fn type_new_event(app: &mut App) -> Vec<String> {
    let start = (Utc::now() + chrono::TimeDelta::days(5)).format("%Y-%m-%dT%H:%M:00Z").to_string();
    let end = (Utc::now() + chrono::TimeDelta::days(6)).format("%Y-%m-%dT%H:%M:00Z").to_string();
    let values: Vec<String> = TYPED
        .iter()
        .zip([None, None, Some(start), Some(end), None])
        .map(|(t, v)| v.unwrap_or_else(|| (*t).to_string()))
        .collect();
    app.update(Action::NewEvent);
    app.settle();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            app.update(Action::NextField);
            app.settle();
        }
        app.update(Action::Paste(v.clone()));
        app.settle();
    }
    assert_eq!(form_values(app), values, "typed into the form");
    values
}

fn form_values(app: &App) -> Vec<String> {
    match &app.mode {
        Mode::Form(f) => f.fields.iter().map(|f| f.value().to_string()).collect(),
        other => panic!("the form is gone: {other:?}"),
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| eventdesk::ui::render(frame, app)).unwrap();
    let b = terminal.backend().buffer();
    (0..b.area.height)
        .map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

fn events(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap()
}

/// Submits, expects the form back with `reason` on screen and nothing written.
fn refused(app: &mut App, db: &Path, typed: &[String], reason: &str) {
    let before = events(db);
    app.update(Action::Submit);
    app.settle();
    assert_eq!(form_values(app), typed, "the form keeps what was typed");
    let text = screen(app);
    assert!(text.contains(reason), "{reason:?} is not on screen:\n{text}");
    assert_eq!(events(db), before, "nothing written");
}

fn accepted(app: &mut App, db: &Path) {
    let before = events(db);
    app.update(Action::Submit);
    app.settle();
    assert!(matches!(app.mode, Mode::Browse), "submitted: {:?}", app.mode);
    assert_eq!(events(db), before + 1);
    let title: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT title FROM events ORDER BY id DESC", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, TYPED[0]);
}

#[test]
fn a_held_lock_shows_busy_and_keeps_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let olga = organizer(&db);
    let options = OpenOptions { busy_timeout: Duration::from_millis(200), ..Default::default() };
    let mut app = App::new(Store::open_with(&db, options).unwrap(), Some(olga), Rect::new(0, 0, 120, 40));
    let typed = type_new_event(&mut app);
    let hold = rusqlite::Connection::open(&db).unwrap();
    hold.execute_batch("BEGIN IMMEDIATE; UPDATE operators SET failed_logins = failed_logins;").unwrap();
    refused(&mut app, &db, &typed, "the database is busy, try again");
    hold.execute_batch("ROLLBACK").unwrap();
    accepted(&mut app, &db);
}

#[test]
fn a_full_disk_shows_the_reason_and_keeps_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = fs_faults::Tmpfs::mount(&dir.path().join("small"), 1024) else {
        println!("SKIPPED app disk-full: not root, cannot mount a tmpfs");
        return;
    };
    let db = fs.dir.join("app.db");
    let olga = organizer(&db);
    let mut app = App::new(Store::open(&db).unwrap(), Some(olga), Rect::new(0, 0, 120, 40));
    let mut typed = type_new_event(&mut app);
    // A description long enough that the write needs pages the disk no longer has.
    app.update(Action::PrevField);
    app.settle();
    app.update(Action::PrevField);
    app.settle();
    app.update(Action::PrevField);
    app.settle();
    app.update(Action::Paste(" ".to_string() + &"x".repeat(4_000)));
    app.settle();
    typed[1] = format!("{} {}", TYPED[1], "x".repeat(4_000));
    fs.fill(16);
    refused(&mut app, &db, &typed, "the disk is full");
    fs.free();
    accepted(&mut app, &db);
    drop(app);
    assert!(Store::open(&db).unwrap().check().unwrap().is_ok());
}
