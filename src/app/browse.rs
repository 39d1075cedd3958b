//! Browse mode: moving around the lists, switching tabs, and opening the other modes.

use super::{Action, App, Confirm, Mode, Paged, Tab};

/// Moves a list for a navigation action; true when its page must reload.
pub(super) fn navigate<T>(list: &mut Paged<T>, action: &Action) -> bool {
    let page = i64::from(list.view.max(1));
    match action {
        Action::Up => list.step(-1),
        Action::Down => list.step(1),
        Action::PageUp => list.step(-page),
        Action::PageDown => list.step(page),
        Action::Home => list.home(),
        Action::End => list.end(),
        Action::ClickRow(n) => list.click(*n),
        _ => false,
    }
}

pub(super) fn is_navigation(action: &Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End
            | Action::ClickRow(_)
    )
}

impl App {
    pub(super) fn on_browse(&mut self, action: Action) -> Mode {
        if self.tab == Tab::Door {
            return self.on_door(action);
        }
        match action {
            Action::Quit => self.quit(),
            Action::NextTab => self.switch(self.tab.next()),
            Action::PrevTab => self.switch(self.tab.prev()),
            Action::GoTab(tab) => self.switch(tab),
            Action::Help => Mode::Help,
            Action::Logout => Mode::Confirm(Confirm::Logout),
            Action::Search if self.tab == Tab::History => {
                self.info("History has no text search: press f to filter by actor, action, kind or dates");
                Mode::Browse
            }
            Action::Search => Mode::Search,
            Action::HistoryAbout => self.history_about_selected(),
            Action::Export => {
                self.export_action();
                Mode::Browse
            }
            // Esc while browsing: give up the write that keeps the status line waiting, and
            // stop an export under way.
            Action::Cancel => {
                self.give_up();
                self.stop_export();
                Mode::Browse
            }
            a if is_navigation(&a) => {
                self.move_selection(&a);
                Mode::Browse
            }
            other => match self.tab {
                Tab::Events => self.events_action(other),
                Tab::Bookings => self.bookings_action(other),
                Tab::History => self.history_action(other),
                Tab::Door => Mode::Browse,
            },
        }
    }

    pub(super) fn switch(&mut self, tab: Tab) -> Mode {
        self.tab = tab;
        self.reload();
        Mode::Browse
    }

    /// Moves the current tab's selection, loading a new page only when it scrolled; inside the
    /// page only the Events detail pane follows the selection.
    pub(super) fn move_selection(&mut self, action: &Action) {
        let reload = match self.tab {
            Tab::Events => navigate(&mut self.events.list, action),
            Tab::Bookings if self.bookings.waiting => navigate(&mut self.bookings.entries, action),
            Tab::Bookings => navigate(&mut self.bookings.list, action),
            Tab::History => navigate(&mut self.history.list, action),
            Tab::Door => navigate(&mut self.door.list, action),
        };
        if reload {
            self.load_page(false);
        } else if self.tab == Tab::Events {
            self.load_event_detail();
        }
    }
}
