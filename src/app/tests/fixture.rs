//! A fresh database with a fixed clock, two organizers, a desk account and a few attendees.

use chrono::{DateTime, TimeZone, Utc};
use ratatui::layout::Rect;
use tempfile::TempDir;
use tui_input::InputRequest;

use crate::app::{Action, App, Mode, Tab};
use crate::model::{Clock, NewAttendee, NewEvent, NewOperator, Role, Session, parse_time};
use crate::store::{OpenOptions, Store};

pub const PASSWORD: &str = "correct horse";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).single().expect("valid date")
}

/// The database file lives as long as the fixture.
pub struct Fixture {
    pub dir: TempDir,
    pub olga: Session,
    pub omar: Session,
    pub dana: Session,
}

pub fn open(dir: &TempDir) -> Store {
    let opts = OpenOptions { clock: Clock::Fixed(now()), ..OpenOptions::default() };
    Store::open_with(dir.path().join("desk.db"), opts).expect("open store")
}

fn operator(store: &Store, username: &str, role: Role) -> Session {
    let new = NewOperator {
        username: username.into(),
        password: PASSWORD.into(),
        role: Some(role),
        name: username.into(),
        organization: format!("{username} events"),
        address: "Calle Mayor 1".into(),
        ..NewOperator::default()
    };
    store.register(&new).expect("register");
    store.login(username, PASSWORD).expect("login")
}

/// A fixture and a store on it; the store gets moved into the `App`.
pub fn fixture() -> (Fixture, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir);
    let olga = operator(&store, "olga", Role::Organizer);
    let omar = operator(&store, "omar", Role::Organizer);
    let dana = operator(&store, "dana", Role::Desk);
    for (name, email) in [("Ana Ruiz", "ana@example.org"), ("Ben Ito", "ben@example.org")] {
        let new = NewAttendee { name: name.into(), email: email.into(), phone: String::new() };
        store.add_attendee(&dana, &new).expect("attendee");
    }
    (Fixture { dir, olga, omar, dana }, store)
}

pub fn event(store: &Store, who: &Session, title: &str, start: &str, capacity: i64) -> i64 {
    let starts_at = parse_time(start).expect("start");
    let new = NewEvent {
        title: title.into(),
        description: format!("About {title}"),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        capacity,
    };
    store.create_event(who, &new).expect("create event").id
}

/// An event starting at `starts_at` (two hours long), for tests that need it near "now".
pub fn event_at(store: &Store, who: &Session, title: &str, starts_at: DateTime<Utc>, capacity: i64) -> i64 {
    let new = NewEvent {
        title: title.into(),
        description: format!("About {title}"),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(2),
        capacity,
    };
    store.create_event(who, &new).expect("create event").id
}

/// Adds an attendee; returns its id.
pub fn attendee(store: &Store, who: &Session, name: &str, email: &str) -> i64 {
    let new = NewAttendee { name: name.into(), email: email.into(), phone: String::new() };
    store.add_attendee(who, &new).expect("attendee").id
}

/// An app signed in as `session`, with its first page loaded.
pub fn app(store: Store, session: &Session) -> App {
    let mut app = App::new(store, Some(session.clone()), Rect::new(0, 0, 120, 40));
    app.settle();
    app
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.step(Action::Edit(InputRequest::InsertChar(c)));
    }
}

/// Replaces the focused field's text.
pub fn retype(app: &mut App, text: &str) {
    app.step(Action::Edit(InputRequest::DeleteLine));
    type_text(app, text);
}

pub fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

pub fn form(app: &App) -> &crate::app::Form {
    match &app.mode {
        Mode::Form(f) | Mode::SignIn(f) => f,
        other => panic!("expected a form, got {other:?}"),
    }
}

pub fn goto(app: &mut App, tab: Tab) {
    app.step(Action::GoTab(tab));
    assert_eq!(app.tab, tab);
}

/// Types `value` into the focused field, or, in a choice field, moves the choice to it.
pub fn fill(app: &mut App, value: &str) {
    let choices = form(app).fields[form(app).focus].choices;
    if choices.is_empty() {
        return type_text(app, value);
    }
    assert!(choices.contains(&value), "{value} is not one of {choices:?}");
    while form(app).fields[form(app).focus].value() != value {
        app.step(Action::Edit(InputRequest::InsertChar(' ')));
    }
}

/// Fills an event form's five fields (title, description, start, end, capacity) and submits.
pub fn fill_event(app: &mut App, values: [&str; 5]) {
    for v in values {
        retype(app, v);
        app.step(Action::NextField);
    }
    app.step(Action::Submit);
}
