//! The History tab: the audit log, newest first, filtered through a small form.

use super::answers::Answer;
use super::paged::Loaded;
use super::worker::Slot;
use super::{Action, App, HistoryFilter, Mode, Paged, forms};
use crate::model::{HistoryEntry, Result};
use crate::store::{HistoryQuery, Page, Store};

/// State of the History tab.
#[derive(Debug, Clone, Default)]
pub struct HistoryTab {
    pub filter: HistoryFilter,
    pub list: Paged<HistoryEntry>,
}

/// Reads a page of history (on a store thread); see `events::read_page` for `recount`.
fn read_page(
    store: &Store,
    mut q: HistoryQuery,
    mut window: Paged<HistoryEntry>,
    recount: bool,
) -> Result<Loaded<HistoryEntry>> {
    if recount {
        window.clamp(store.count_history(&q)?);
    }
    q.page = window.page();
    let rows = store.history(&q)?;
    Ok(window.loaded(rows))
}

impl App {
    fn history_query(&self, page: Page) -> HistoryQuery {
        let f = &self.history.filter;
        HistoryQuery {
            actor: f.actor.clone(),
            action: f.action.clone(),
            object_kind: f.kind.clone(),
            object_id: None,
            since: f.since,
            until: f.until,
            page,
        }
    }

    /// Asks for the visible page of history.
    pub(super) fn load_history(&mut self, recount: bool) {
        let q = self.history_query(Page::default());
        let window = self.history.list.window();
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

    pub(super) fn set_history_filter(&mut self, filter: HistoryFilter) {
        self.history.filter = filter;
        self.history.list.reset();
        self.reload();
    }
}
