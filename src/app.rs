//! App state and the one place it changes: `App::update(Action)`. The App owns the store, on
//! threads of its own (`db`): it sends store calls there and takes their answers in as
//! `Action::Answer`, so the screen never waits on the database. Rendering reads `&App` and
//! never touches the store or the clock.

mod action;
mod answers;
mod bookings;
mod browse;
mod confirm;
mod db;
mod door;
mod editing;
mod events;
mod export;
mod form;
mod forms;
mod history;
pub mod layout;
mod lost;
mod paged;
mod picker;
mod signin;
#[cfg(test)]
pub(crate) mod tests;
mod waiting;
mod waitlist;
mod worker;
mod writes;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;

pub use action::{Action, Tab};
pub use answers::{Answer, PickerPage};
pub use bookings::BookingsTab;
pub use confirm::Confirm;
pub use door::{DoorOutcome, DoorPage, DoorResult, DoorTab, DoorWrite};
pub use events::{Detail, EventsPage, EventsTab, filter_label as events_filter_label};
pub use export::Export;
pub use form::{Form, FormField, FormKind};
pub use forms::{HistoryFilter, Submit};
pub use history::HistoryTab;
pub use paged::{Loaded, Paged};
pub use picker::{ATTENDEE_CAP, PICKER_ROWS, Picker, PickerList};
pub use waiting::Waiting;
pub use waitlist::FullEvent;
pub use worker::{Reply, Slot};
pub use writes::Wrote;

use crate::model::{Error, Event, Session};
use crate::store::Store;

/// How long `settle` waits for one answer before it decides the store threads are gone.
const SETTLE_LIMIT: Duration = Duration::from_secs(120);

/// How long a status-line message stays when no key is pressed.
const STATUS_FADES: chrono::Duration = chrono::Duration::seconds(10);

/// What has the keyboard: the top layer consumes keys first, so `q` typed in a field never quits.
#[derive(Debug, Clone)]
// One mode exists at a time and moves by value through `update`: boxing the picker buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum Mode {
    SignIn(Form),
    Browse,
    /// Typing into the current tab's search field; the list follows each keystroke.
    Search,
    Form(Form),
    Picker(Picker),
    Confirm(Confirm),
    Help,
}

/// The line under the tabs that says what the last action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The whole state of the terminal app.
pub struct App {
    db: db::Db,
    pub session: Option<Session>,
    /// The time the screen is drawn for; moved on by `Action::Tick`, so renders are stable.
    pub now: DateTime<Utc>,
    pub size: Rect,
    pub tab: Tab,
    pub mode: Mode,
    pub events: EventsTab,
    pub bookings: BookingsTab,
    pub history: HistoryTab,
    pub door: DoorTab,
    pub status: Option<Status>,
    pub running: bool,
    /// The store's change token at the last load; a different value means another process wrote.
    token: Option<i64>,
    /// The event an inline "new attendee" form books onto, for Esc back to its picker.
    inline_event: Option<Event>,
    /// The list `E` is writing to a file, while it runs.
    pub export: Option<Export>,
    /// Where `E` writes its files.
    pub export_dir: std::path::PathBuf,
    /// Why the app stopped by itself (the database file went away under it); the terminal
    /// edge prints it once the screen is restored.
    pub stopped: Option<Error>,
    /// The status line holds a write's answer the desk has not acted on since: a list that
    /// lost its selected row through that write does not talk over it.
    said_by_write: bool,
    /// When the status line was last set: it fades after `STATUS_FADES`.
    status_said: DateTime<Utc>,
}

impl App {
    /// A new app over `store`; without a session it opens on the sign-in screen.
    /// Its first page is asked for at once and arrives as an `Action::Answer`.
    pub fn new(store: Store, session: Option<Session>, size: Rect) -> App {
        let mode = if session.is_some() { Mode::Browse } else { Mode::SignIn(forms::login()) };
        let now = store.now();
        let (db, trouble) = db::Db::start(store);
        let mut app = App {
            db,
            now,
            size,
            tab: Tab::Events,
            mode,
            events: EventsTab { filter: events::default_filter(session.as_ref()), ..EventsTab::default() },
            bookings: BookingsTab::default(),
            history: HistoryTab::default(),
            door: DoorTab::default(),
            status: None,
            running: true,
            token: None,
            inline_event: None,
            export: None,
            export_dir: export::default_dir(),
            stopped: None,
            said_by_write: false,
            status_said: now,
            session,
        };
        if let Some(e) = trouble {
            app.fail(&e);
        }
        app.resize(size.width, size.height);
        app
    }

    /// Applies one action. Every state change of the app goes through here.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Tick(now) => return self.tick(now),
            Action::Resize(w, h) => return self.resize(w, h),
            Action::Answer(reply) => return self.on_answer(reply),
            // What the desk cannot see it must not act on: only quitting works on that screen.
            _ if layout::too_small(self.size) && !matches!(action, Action::Quit) => return,
            // Typing into a field stays on the screen the message was said on.
            Action::Edit(_) | Action::Paste(_) => self.said_by_write = false,
            _ => {
                // A message belongs to the moment it was said: the next action moves on from it.
                self.said_by_write = false;
                self.status = None;
            }
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Browse);
        self.mode = match mode {
            Mode::SignIn(form) => self.on_signin(form, action),
            Mode::Browse => self.on_browse(action),
            Mode::Search => self.on_search(action),
            Mode::Form(form) => self.on_form(form, action),
            Mode::Picker(picker) => self.on_picker(picker, action),
            Mode::Confirm(confirm) => self.on_confirm(confirm, action),
            Mode::Help => match action {
                Action::Quit => self.quit(),
                _ => Mode::Browse,
            },
        };
    }

    /// The answers that came back from the store since the last call, for `update`.
    pub fn answers(&self) -> Vec<Action> {
        self.db.try_replies().into_iter().map(Action::Answer).collect()
    }

    /// Whether a store call is still out (the terminal loop then looks for answers often).
    pub fn busy(&self) -> bool {
        self.db.busy()
    }

    /// Waits until every store call has answered and applies the answers, as if the store were
    /// called in line. For tests, benches and scripted drivers; the terminal loop never waits.
    /// Gives up after `SETTLE_LIMIT` without an answer (a store thread that died).
    pub fn settle(&mut self) {
        self.settle_until(|_| false);
    }

    /// Like `settle`, but stops as soon as `ready` holds after an answer: the frame a person
    /// first sees, before the answers that follow it (benches of a cold start).
    pub fn settle_until(&mut self, ready: impl Fn(&App) -> bool) {
        while self.db.busy() && !ready(self) {
            match self.db.wait_reply(SETTLE_LIMIT) {
                Some(reply) => self.update(Action::Answer(reply)),
                None => return self.warn("the database stopped answering"),
            }
        }
    }

    /// Like `settle`, but leaves a waiting write waiting (tests and benches of the waiting state).
    pub fn settle_reads(&mut self) {
        let started = Instant::now();
        while self.db.oldest_read().is_some() && started.elapsed() < SETTLE_LIMIT {
            if let Some(reply) = self.db.wait_reply(Duration::from_millis(50)) {
                self.update(Action::Answer(reply));
            }
        }
    }

    /// After quitting: waits up to `limit` for an export that was stopped to end and remove its
    /// unfinished file, so leaving mid-export leaves nothing half-written behind.
    pub fn wind_down(&mut self, limit: Duration) {
        let started = Instant::now();
        while self.export.is_some() && started.elapsed() < limit {
            if let Some(reply) = self.db.wait_reply(Duration::from_millis(20)) {
                self.update(Action::Answer(reply));
            }
        }
    }

    /// One action and everything it asked of the store, as if called in line (tests).
    #[cfg(test)]
    pub(crate) fn step(&mut self, action: Action) {
        self.update(action);
        self.settle();
    }

    /// Sends a store call for `slot` to the read thread.
    fn read(&mut self, slot: Slot, also: &[Slot], work: impl FnOnce(&mut Store) -> Answer + Send + 'static) {
        if let Err(e) = self.db.read(slot, also, self.now, Box::new(work)) {
            self.fail(&e);
        }
    }

    /// Quits at once; a write still waiting is given up, so quitting never saves it later.
    fn quit(&mut self) -> Mode {
        if self.db.pending_write().is_some_and(|w| w.ticket.is_some()) {
            self.give_up();
        }
        self.stop_export();
        self.running = false;
        Mode::Browse
    }

    /// Moves the clock on and asks whether another connection committed (one poll at a time).
    fn tick(&mut self, now: DateTime<Utc>) {
        let before = std::mem::replace(&mut self.now, now);
        if now - self.status_said >= STATUS_FADES {
            self.status = None;
        }
        if self.session.is_some() && self.boundary_passed(before, now) {
            // A listed event started or ended: time filters and phases move on without a write.
            self.reload();
        }
        self.export_tick();
        self.load_summary();
        if self.session.is_none() || self.db.reading(Slot::Token) {
            return;
        }
        self.read(Slot::Token, &[], |s| Answer::Token(s.change_token()));
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        let areas = layout::Areas::new(self.size);
        let rows = areas.list_rows();
        self.events.list.view = rows;
        self.bookings.list.view = rows;
        self.bookings.entries.view = rows;
        self.history.list.view = rows;
        self.door.list.view = layout::DoorAreas::new(areas.body).list_rows();
        if self.session.is_some() {
            self.reload();
        }
    }

    /// Asks again for what is on screen: the current tab's page (and detail), and an open picker.
    pub(crate) fn reload(&mut self) {
        self.load_page(true);
        self.reload_picker();
    }

    /// Asks for the current tab's visible page, with a fresh total when `recount`.
    fn load_page(&mut self, recount: bool) {
        self.load_tab(self.tab, recount);
    }

    fn load_tab(&mut self, tab: Tab, recount: bool) {
        match tab {
            Tab::Events => self.load_events(recount),
            Tab::Bookings => self.load_bookings(recount),
            Tab::History => self.load_history(recount),
            Tab::Door => self.load_door(),
        }
    }

    /// Moves the clock of the store threads (tests of time-dependent filters).
    #[cfg(test)]
    pub(crate) fn set_clock(&mut self, clock: crate::model::Clock) {
        self.db.set_clock(clock);
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: false });
        self.status_said = self.now;
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: true });
        self.status_said = self.now;
    }

    /// Whether a listed event (on the tab or in the event picker) started or ended in `(from, to]`.
    fn boundary_passed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let crossed = |e: &Event| [e.starts_at, e.ends_at].iter().any(|&t| from < t && t <= to);
        let picker = match &self.mode {
            Mode::Picker(Picker { list: PickerList::Events(list), .. }) => list.rows.as_slice(),
            _ => &[],
        };
        self.events.list.rows.iter().chain(picker).any(crossed)
    }

    fn fail(&mut self, e: &Error) {
        if matches!(e, Error::Vanished { .. }) {
            return self.stop(e);
        }
        self.warn(e.to_string());
    }

    /// Ends the app on an error no retry can mend: the file it had open is gone, so staying
    /// would only show data nobody else sees and refuse every change.
    fn stop(&mut self, e: &Error) {
        self.warn(e.to_string());
        self.stopped = Some(e.clone());
        self.mode = self.quit();
    }

    /// The signed-in session; every screen past sign-in has one.
    fn session(&self) -> Result<Session, Error> {
        self.session.clone().ok_or_else(|| Error::Unauthenticated("sign in first".into()))
    }

    /// Whether an organizer is signed in (they see attendees' no-show counts).
    pub fn is_organizer(&self) -> bool {
        self.session.as_ref().is_some_and(Session::is_organizer)
    }

    /// Whether the signed-in operator created this event (only they may change it).
    pub fn owns(&self, creator_id: i64) -> bool {
        self.session.as_ref().is_some_and(|s| s.is_organizer() && s.operator_id == creator_id)
    }
}
