//! What the store threads send back, and how `App::update` takes it in.

use super::door::DoorPage;
use super::events::{Detail, EventsPage};
use super::lost::Lost;
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
    /// A page, and the booking that was selected if it left the list.
    Bookings(Result<(Loaded<BookingRow>, Option<Lost>), Error>),
    /// The Bookings tab's waiting view.
    Waitlist(Result<(Loaded<WaitlistEntry>, Option<Lost>), Error>),
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
    Events(Loaded<Event>, Option<Lost>),
    Attendees {
        event_id: i64,
        page: Loaded<Attendee>,
        lost: Option<Lost>,
    },
}

impl App {
    /// Applies a reply from a store thread, unless something newer made it stale.
    pub(super) fn on_answer(&mut self, reply: Reply) {
        let Some(accepted) = self.db.accept(reply) else { return };
        let result = match accepted.answer {
            Answer::Token(token) => token.map(|t| self.on_token(t)),
            Answer::Events(page) => page.map(|p| self.show_events(accepted.id, *p)),
            Answer::Bookings(page) => page.map(|(p, lost)| {
                let name = lost.and_then(|l| booking_name(&self.bookings.list, l.id));
                if !self.bookings.list.fill(p) {
                    return self.load_tab(Tab::Bookings, false);
                }
                self.say_lost(name, lost);
            }),
            Answer::Waitlist(page) => page.map(|(p, lost)| {
                let name = lost.and_then(|l| entry_name(&self.bookings.entries, l.id));
                if !self.bookings.entries.fill(p) {
                    return self.load_tab(Tab::Bookings, false);
                }
                self.say_lost(name, lost);
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
        let mut said = (None, None);
        let current = match (&mut picker.list, page) {
            (PickerList::Events(list), PickerPage::Events(page, lost)) => {
                said = (lost.and_then(|l| super::events::title_of(list, l.id)), lost);
                list.fill(page)
            }
            (PickerList::Attendees { event, list }, PickerPage::Attendees { event_id, page, lost }) => {
                if event.id != event_id {
                    true
                } else {
                    said = (lost.and_then(|l| attendee_name(list, l.id)), lost);
                    let filled = list.fill(page);
                    select_preferred(list, &mut picker.prefer);
                    filled
                }
            }
            // The picker moved on to the other step: its own read is on the way.
            _ => true,
        };
        self.say_lost(said.0, said.1);
        if !current {
            return self.reload_picker();
        }
        let chosen_early = matches!(&self.mode, Mode::Picker(p) if p.submit && p.settled());
        if chosen_early && let Mode::Picker(mut picker) = std::mem::replace(&mut self.mode, Mode::Browse) {
            picker.submit = false;
            self.mode = self.pick(picker);
        }
    }

    /// Whether a read for `slot` answers the newest call made for it.
    pub(super) fn is_latest(&self, slot: Slot, id: u64) -> bool {
        self.db.is_latest(slot, id)
    }
}

/// How the status line names a row that left its list: as the page the desk saw showed it.
fn booking_name(list: &super::Paged<BookingRow>, id: i64) -> Option<String> {
    let row = list.rows.iter().find(|b| b.booking.id == id)?;
    Some(format!("{} on {}", row.attendee_name, row.event_title))
}

fn entry_name(list: &super::Paged<WaitlistEntry>, id: i64) -> Option<String> {
    let w = list.rows.iter().find(|w| w.id == id)?;
    Some(format!("{} waiting for {}", w.attendee_name, w.event_title))
}

fn attendee_name(list: &super::Paged<Attendee>, id: i64) -> Option<String> {
    list.rows.iter().find(|a| a.id == id).map(|a| a.name.clone())
}

/// Selects the attendee the picker was opened for, once a page holding them is in.
fn select_preferred(list: &mut super::Paged<Attendee>, prefer: &mut Option<i64>) {
    let Some(id) = *prefer else { return };
    if let Some(i) = list.rows.iter().position(|a| a.id == id) {
        list.select(list.offset + i as u64);
        *prefer = None;
    }
}
