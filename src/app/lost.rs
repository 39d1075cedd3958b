//! A selected row that left its list on a reload, and why, for the status line. The store
//! thread that read the page asks why (one lookup by id); the app names the row from the page
//! it still shows, since that is what the desk was looking at.

use super::App;
use super::paged::Kept;
use crate::model::{BookingStatus, WaitStatus};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost {
    pub id: i64,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Deleted,
    FilteredOut,
    Cancelled,
    EventDeleted,
    Promoted,
    Removed,
}

impl Why {
    fn words(self) -> &'static str {
        match self {
            Why::Deleted => "it was deleted",
            Why::FilteredOut => "it was filtered out",
            Why::Cancelled => "it was cancelled",
            Why::EventDeleted => "its event was deleted",
            Why::Promoted => "they were booked from the waiting list",
            Why::Removed => "they were removed from the waiting list",
        }
    }
}

fn lost(kept: Kept, why: impl FnOnce(i64) -> Why) -> Option<Lost> {
    match kept {
        Kept::Stayed => None,
        Kept::Lost(id) => Some(Lost { id, why: why(id) }),
    }
}

pub(super) fn lost_event(store: &Store, kept: Kept) -> Option<Lost> {
    lost(kept, |id| if store.event(id).is_err() { Why::Deleted } else { Why::FilteredOut })
}

pub(super) fn lost_booking(store: &Store, kept: Kept) -> Option<Lost> {
    lost(kept, |id| match store.booking(id) {
        Ok(b) if b.event_deleted => Why::EventDeleted,
        Ok(b) if b.booking.status == BookingStatus::Cancelled => Why::Cancelled,
        Ok(_) => Why::FilteredOut,
        Err(_) => Why::Deleted,
    })
}

pub(super) fn lost_entry(store: &Store, kept: Kept) -> Option<Lost> {
    lost(kept, |id| match store.waitlist_entry(id).map(|w| w.status) {
        Ok(WaitStatus::Promoted) => Why::Promoted,
        Ok(WaitStatus::Removed) => Why::Removed,
        Ok(WaitStatus::Waiting) => Why::FilteredOut,
        Err(_) => Why::Deleted,
    })
}

pub(super) fn lost_attendee(store: &Store, kept: Kept) -> Option<Lost> {
    lost(kept, |id| if store.attendee(id).is_err() { Why::Deleted } else { Why::FilteredOut })
}

impl App {
    /// Says on the status line that the selected row left the list, and why; the selection is
    /// then on its neighbour. A write's answer the desk has not acted on since stays: it
    /// already says what happened (the desk's own delete, a booking refused).
    pub(super) fn say_lost(&mut self, name: Option<String>, lost: Option<Lost>) {
        let (Some(name), Some(lost)) = (name, lost) else { return };
        if self.said_by_write {
            return;
        }
        self.info(format!("\u{201c}{name}\u{201d} is no longer in this list: {}", lost.why.words()));
    }
}
