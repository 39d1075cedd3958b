//! What the store threads send back, and how `App::update` takes it in.

use super::door::DoorPage;
use super::events::{Detail, EventsPage};
use super::paged::Loaded;
use super::worker::{Reply, Slot};
use super::writes::Wrote;
use super::{App, Mode, PickerList, Tab};
use crate::model::{Attendee, BookingRow, Error, Event, HistoryEntry, WaitlistEntry};

/// The result of one store call, as data the app applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Token(Result<i64, Error>),
    Events(Result<Box<EventsPage>, Error>),
    Bookings(Result<Loaded<BookingRow>, Error>),
    /// The Bookings tab's waiting view.
    Waitlist(Result<Loaded<WaitlistEntry>, Error>),
    /// Boxed: an event and a page are far larger than the other answers.
    Door(Result<Box<DoorPage>, Error>),
    History(Result<Loaded<HistoryEntry>, Error>),
    Detail(Result<Detail, Error>),
    Summary(Result<crate::model::CapacitySummary, Error>),
    Picker(Result<PickerPage, Error>),
    Wrote(Wrote),
    /// An export ended: written, stopped, or failed (why, in words).
    Exported(Result<crate::export::Saved, String>),
    /// A settings change went through; nothing to show.
    Done,
}

/// A page of the open picker's list.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerPage {
    /// The page, and the event that was selected if it left the list.
    Events(Loaded<Event>, Option<super::events::Lost>),
    Attendees {
        event_id: i64,
        page: Loaded<Attendee>,
    },
}

impl App {
    /// Applies a reply from a store thread, unless something newer made it stale.
    pub(super) fn on_answer(&mut self, reply: Reply) {
        let Some(accepted) = self.db.accept(reply) else { return };
        let result = match accepted.answer {
            Answer::Token(token) => token.map(|t| self.on_token(t)),
            Answer::Events(page) => page.map(|p| self.show_events(accepted.id, *p)),
            Answer::Bookings(page) => page.map(|p| {
                if !self.bookings.list.fill(p) {
                    self.load_tab(Tab::Bookings, false);
                }
            }),
            Answer::Waitlist(page) => page.map(|p| {
                if !self.bookings.entries.fill(p) {
                    self.load_tab(Tab::Bookings, false);
                }
            }),
            Answer::Door(page) => page.map(|p| self.show_door(*p)),
            Answer::History(page) => page.map(|p| {
                if !self.history.list.fill(p) {
                    self.load_tab(Tab::History, false);
                }
            }),
            Answer::Detail(detail) => detail.map(|d| self.show_detail(d)),
            Answer::Summary(summary) => summary.map(|s| self.events.summary = Some(s)),
            Answer::Picker(page) => page.map(|p| self.show_picker(p)),
            Answer::Wrote(wrote) => {
                let holds_form = accepted.write.is_some_and(|w| w.holds_form);
                self.on_wrote(wrote, holds_form);
                self.said_by_write = true;
                Ok(())
            }
            Answer::Exported(saved) => {
                self.on_exported(saved);
                Ok(())
            }
            Answer::Done => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    /// Reloads what is on screen when another connection committed since the last poll.
    fn on_token(&mut self, token: i64) {
        if Some(token) != self.token {
            self.token = Some(token);
            self.reload();
        }
    }

    /// Fills the open picker, if it is still the one the page was read for.
    fn show_picker(&mut self, page: PickerPage) {
        let Mode::Picker(picker) = &mut self.mode else { return };
        let mut said = None;
        let current = match (&mut picker.list, page) {
            (PickerList::Events(list), PickerPage::Events(page, lost)) => {
                said = lost.and_then(|l| Some((l, super::events::title_of(list, l.id)?)));
                list.fill(page)
            }
            (PickerList::Attendees { event, list }, PickerPage::Attendees { event_id, page }) => {
                if event.id != event_id {
                    true
                } else {
                    let filled = list.fill(page);
                    select_preferred(list, &mut picker.prefer);
                    filled
                }
            }
            // The picker moved on to the other step: its own read is on the way.
            _ => true,
        };
        if let Some((lost, title)) = said {
            self.say_lost(&title, lost);
        }
        if !current {
            self.reload_picker();
        }
    }

    /// Whether a read for `slot` answers the newest call made for it.
    pub(super) fn is_latest(&self, slot: Slot, id: u64) -> bool {
        self.db.is_latest(slot, id)
    }
}

/// Selects the attendee the picker was opened for, once a page holding them is in.
fn select_preferred(list: &mut super::Paged<Attendee>, prefer: &mut Option<i64>) {
    let Some(id) = *prefer else { return };
    if let Some(i) = list.rows.iter().position(|a| a.id == id) {
        list.select(list.offset + i as u64);
        *prefer = None;
    }
}
