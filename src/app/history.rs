//! The History tab: the audit log, newest first, filtered through a small form.

use super::{Action, App, HistoryFilter, Mode, Paged, forms};
use crate::model::{Error, HistoryEntry};
use crate::store::{HistoryQuery, Page};

/// State of the History tab.
#[derive(Debug, Clone, Default)]
pub struct HistoryTab {
    pub filter: HistoryFilter,
    pub list: Paged<HistoryEntry>,
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

    /// Loads the visible page; `recount` also refreshes the total (skipped when only scrolling,
    /// because a count over a large table costs far more than a page).
    pub(super) fn load_history(&mut self, recount: bool) -> Result<(), Error> {
        if recount {
            let total = self.store.count_history(&self.history_query(Page::default()))?;
            self.history.list.clamp(total);
        }
        let page = self.history.list.page();
        self.history.list.rows = self.store.history(&self.history_query(page))?;
        Ok(())
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
