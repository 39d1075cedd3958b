//! App state and the one place it changes: `App::update(Action)`. The App owns the store and is
//! the only caller of it; rendering reads `&App` and never touches the store or the clock.

mod action;
mod bookings;
mod browse;
mod confirm;
mod editing;
mod events;
mod form;
mod forms;
mod history;
pub mod layout;
mod paged;
mod picker;
mod signin;
#[cfg(test)]
pub(crate) mod tests;

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;

pub use action::{Action, Tab};
pub use bookings::BookingsTab;
pub use confirm::Confirm;
pub use events::{EventsTab, filter_label as events_filter_label};
pub use form::{Form, FormField, FormKind};
pub use forms::{HistoryFilter, Submit};
pub use history::HistoryTab;
pub use paged::Paged;
pub use picker::{ATTENDEE_CAP, PICKER_ROWS, Picker, PickerList};

use crate::model::{Error, Session};
use crate::store::Store;

/// What has the keyboard: the top layer consumes keys first, so `q` typed in a field never quits.
#[derive(Debug, Clone)]
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
    store: Store,
    pub session: Option<Session>,
    /// The time the screen is drawn for; moved on by `Action::Tick`, so renders are stable.
    pub now: DateTime<Utc>,
    pub size: Rect,
    pub tab: Tab,
    pub mode: Mode,
    pub events: EventsTab,
    pub bookings: BookingsTab,
    pub history: HistoryTab,
    pub status: Option<Status>,
    pub running: bool,
    /// The store's change token at the last load; a different value means another process wrote.
    token: Option<i64>,
}

impl App {
    /// A new app over `store`; without a session it opens on the sign-in screen.
    pub fn new(store: Store, session: Option<Session>, size: Rect) -> App {
        let mode = if session.is_some() { Mode::Browse } else { Mode::SignIn(forms::login()) };
        let mut app = App {
            now: store.now(),
            store,
            session,
            size,
            tab: Tab::Events,
            mode,
            events: EventsTab::default(),
            bookings: BookingsTab::default(),
            history: HistoryTab::default(),
            status: None,
            running: true,
            token: None,
        };
        app.resize(size.width, size.height);
        app
    }

    /// Applies one action. Every state change of the app goes through here.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Tick(now) => return self.tick(now),
            Action::Resize(w, h) => return self.resize(w, h),
            _ => {}
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

    fn quit(&mut self) -> Mode {
        self.running = false;
        Mode::Browse
    }

    /// Moves the clock on and reloads the visible page when another connection committed.
    fn tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        if self.session.is_none() {
            return;
        }
        match self.store.change_token() {
            Ok(token) if Some(token) != self.token => {
                self.token = Some(token);
                self.reload();
            }
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        let rows = layout::Areas::new(self.size).list_rows();
        self.events.list.view = rows;
        self.bookings.list.view = rows;
        self.history.list.view = rows;
        if self.session.is_some() {
            self.reload();
        }
    }

    /// Reloads what is on screen: the current tab's page (and detail), and an open picker.
    pub(crate) fn reload(&mut self) {
        self.load_page(true);
        if let Mode::Picker(picker) = &mut self.mode {
            let mut picker = picker.clone();
            if let Err(e) = self.load_picker(&mut picker) {
                self.fail(&e);
            }
            self.mode = Mode::Picker(picker);
        }
    }

    /// Loads the current tab's visible page, with a fresh total when `recount`.
    fn load_page(&mut self, recount: bool) {
        let result = match self.tab {
            Tab::Events => self.load_events(recount),
            Tab::Bookings => self.load_bookings(recount),
            Tab::History => self.load_history(recount),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: false });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), error: true });
    }

    fn fail(&mut self, e: &Error) {
        self.warn(e.to_string());
    }

    /// The signed-in session; every screen past sign-in has one.
    fn session(&self) -> Result<Session, Error> {
        self.session.clone().ok_or_else(|| Error::Unauthenticated("sign in first".into()))
    }

    /// Whether the signed-in operator created this event (only they may change it).
    pub fn owns(&self, creator_id: i64) -> bool {
        self.session.as_ref().is_some_and(|s| s.is_organizer() && s.operator_id == creator_id)
    }
}
