//! The waiting list in the terminal app: offered when a booking finds the event full, shown in
//! the Bookings tab (its `f` filter's last step) where an entry can be removed.

use super::answers::Answer;
use super::lost::{Lost, lost_entry};
use super::paged::Loaded;
use super::worker::Slot;
use super::writes::Wrote;
use super::{Action, App, Confirm, Mode, Paged};
use crate::model::{About, Result, WaitStatus, WaitlistEntry};
use crate::store::{Page, Store, WaitlistQuery};

/// A booking the store refused because the event is full: who, onto what, and what the status
/// line says. The app then offers the waiting list in the same flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullEvent {
    pub event_id: i64,
    pub title: String,
    pub attendee_id: i64,
    pub attendee: String,
    /// The status line's words ("Tiny Workshop is full", "Added Ana; Tiny Workshop is full").
    pub note: String,
}

/// Reads a page of waiting entries (on a store thread); see `events::read_page` for `recount`.
fn read_page(
    store: &Store,
    q: WaitlistQuery,
    (mut window, keep): (Paged<WaitlistEntry>, Option<i64>),
    recount: bool,
) -> Result<(Loaded<WaitlistEntry>, Option<Lost>)> {
    window
        .searched(&q.search)
        .count(recount, |page, cap| store.count_waitlist_upto(&WaitlistQuery { page, ..q.clone() }, cap))?;
    let (page, kept) = window.read_keeping(
        keep,
        |w| w.id,
        |page| store.list_waitlist(&WaitlistQuery { page, ..q.clone() }),
    )?;
    Ok((page, lost_entry(store, kept)))
}

impl App {
    fn waitlist_query(&self, page: Page) -> WaitlistQuery {
        WaitlistQuery {
            event_id: self.bookings.event.as_ref().map(|e| e.0),
            attendee_id: self.bookings.attendee.as_ref().map(|a| a.0),
            status: Some(WaitStatus::Waiting),
            organizer_id: None,
            search: self.bookings.search.value().trim().to_string(),
            page,
        }
    }

    /// Asks for the visible page of waiting entries (the Bookings tab's waiting view).
    pub(super) fn load_waitlist(&mut self, recount: bool) {
        let q = self.waitlist_query(Page::default());
        let window = (self.bookings.entries.window(), self.bookings.entries.kept(|w| w.id));
        self.read(Slot::Bookings, &[], move |s| Answer::Waitlist(read_page(s, q, window, recount)));
    }

    /// Keys of the Bookings tab while it shows the waiting list.
    pub(super) fn waitlist_action(&mut self, action: Action) -> Mode {
        let selected = self.bookings.entries.current().cloned();
        match (action, selected) {
            (Action::CancelBooking, Some(w)) => Mode::Confirm(Confirm::RemoveWaiting {
                entry_id: w.id,
                attendee: w.attendee_name.clone(),
                event: w.event_title.clone(),
                position: w.position,
            }),
            (Action::FilterEvent, Some(w)) => {
                let same = self.bookings.event.as_ref().is_some_and(|e| e.0 == w.event_id);
                self.bookings.event = (!same).then(|| (w.event_id, w.event_title.clone()));
                self.refilter_bookings()
            }
            (Action::FilterAttendee, Some(w)) => {
                let same = self.bookings.attendee.as_ref().is_some_and(|a| a.0 == w.attendee_id);
                self.bookings.attendee = (!same).then(|| (w.attendee_id, w.attendee_name.clone()));
                self.refilter_bookings()
            }
            (_, None) => {
                self.warn("no waiting entry selected");
                Mode::Browse
            }
            _ => Mode::Browse,
        }
    }

    /// The selected waiting entry's attendee, for "everything about".
    pub(super) fn waiting_about(&self) -> Option<(About, String)> {
        let w = self.bookings.entries.current()?;
        Some((About::Attendee(w.attendee_id), format!("attendee {}", w.attendee_name)))
    }

    /// After the confirmation: puts the attendee on the full event's waiting list.
    pub(super) fn join_waitlist(&mut self, full: &FullEvent) -> Result<()> {
        let session = self.session()?;
        let (event_id, attendee_id) = (full.event_id, full.attendee_id);
        self.save("adding to the waiting list", false, move |s| {
            match s.waitlist_add(&session, event_id, attendee_id) {
                Ok(w) => Wrote::Saved(format!(
                    "Added {} to the waiting list of {} — position {}",
                    w.attendee_name,
                    w.event_title,
                    w.position.unwrap_or(0)
                )),
                Err(e) => Wrote::refused(e),
            }
        });
        Ok(())
    }

    /// After the confirmation: takes a waiting entry off its list.
    pub(super) fn remove_waiting(&mut self, entry_id: i64) -> Result<()> {
        let session = self.session()?;
        self.save("removing from the waiting list", false, move |s| {
            match s.waitlist_remove(&session, entry_id) {
                Ok(w) => Wrote::Saved(format!(
                    "Removed {} from the waiting list of {}",
                    w.attendee_name, w.event_title
                )),
                Err(e) => Wrote::refused(e),
            }
        });
        Ok(())
    }

    /// A booking found the event full: says so, and offers the waiting list unless the desk
    /// has meanwhile opened something else (then the status line alone says it).
    pub(super) fn offer_waitlist(&mut self, full: FullEvent, holds_form: bool) {
        self.warn(full.note.clone());
        let free = matches!(self.mode, Mode::Browse) || (holds_form && matches!(self.mode, Mode::Form(_)));
        if free {
            self.mode = Mode::Confirm(Confirm::JoinWaitlist(full));
        }
    }
}
