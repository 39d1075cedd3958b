//! The History tab: the audit log, newest first, filtered through a small form.

use super::answers::Answer;
use super::paged::Loaded;
use super::worker::Slot;
use super::{Action, App, HistoryFilter, Mode, Paged, Tab, forms};
use crate::model::{About, HistoryEntry, Result};
use crate::store::{HistoryQuery, Page, Store};

/// State of the History tab.
#[derive(Debug, Clone, Default)]
pub struct HistoryTab {
    pub filter: HistoryFilter,
    pub list: Paged<HistoryEntry>,
    /// What `filter.about` names, in words ("event Rust Meetup"), while it is set.
    pub about_label: Option<String>,
}

/// Reads a page of history (on a store thread); see `events::read_page` for `recount`.
fn read_page(
    store: &Store,
    q: HistoryQuery,
    (mut window, keep): (Paged<HistoryEntry>, Option<i64>),
    recount: bool,
) -> Result<Loaded<HistoryEntry>> {
    window.count(recount, |page, cap| store.count_history_upto(&HistoryQuery { page, ..q.clone() }, cap))?;
    // Newest first: what other desks do lands above the selection, which follows its entry.
    // History is append-only, so an entry never leaves the list but by a new filter.
    let (page, _) =
        window.read_keeping(keep, |h| h.id, |page| store.history(&HistoryQuery { page, ..q.clone() }))?;
    Ok(page)
}

impl App {
    pub(super) fn history_query(&self, page: Page) -> HistoryQuery {
        let f = &self.history.filter;
        HistoryQuery {
            actor: f.actor.clone(),
            action: f.action,
            object_kind: f.kind,
            object_id: None,
            about: f.about,
            since: f.since,
            until: f.until,
            before_id: None,
            page,
        }
    }

    /// Asks for the visible page of history.
    pub(super) fn load_history(&mut self, recount: bool) {
        let q = self.history_query(Page::default());
        let window = (self.history.list.window(), self.history.list.kept(|h| h.id));
        self.read(Slot::History, &[], move |s| Answer::History(read_page(s, q, window, recount)));
    }

    pub(super) fn history_action(&mut self, action: Action) -> Mode {
        match action {
            Action::CycleFilter => Mode::Form(forms::history_filter(&self.history.filter)),
            Action::ClearFilters => {
                self.set_history_filter(HistoryFilter::default());
                Mode::Browse
            }
            _ => Mode::Browse,
        }
    }

    /// Opens the History tab on everything about the selected event (Events tab) or the
    /// selected booking's attendee (Bookings tab).
    pub(super) fn history_about_selected(&mut self) -> Mode {
        let about =
            match self.tab {
                Tab::Events => {
                    self.events.list.current().map(|e| (About::Event(e.id), format!("event {}", e.title)))
                }
                Tab::Bookings if self.bookings.waiting => self.waiting_about(),
                Tab::Bookings => self.bookings.list.current().map(|b| {
                    (About::Attendee(b.booking.attendee_id), format!("attendee {}", b.attendee_name))
                }),
                Tab::History | Tab::Door => return Mode::Browse,
            };
        let Some((about, label)) = about else {
            self.info("Select a row first: its history opens on the History tab");
            return Mode::Browse;
        };
        self.tab = Tab::History;
        self.set_history_filter(HistoryFilter { about: Some(about), ..HistoryFilter::default() });
        self.history.about_label = Some(label);
        Mode::Browse
    }

    pub(super) fn set_history_filter(&mut self, filter: HistoryFilter) {
        if filter.about != self.history.filter.about {
            self.history.about_label = None;
        }
        self.history.filter = filter;
        self.history.list.reset();
        self.reload();
    }
}
