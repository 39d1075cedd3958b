//! The searchable pickers of the booking flow: first an event, then an attendee.

use tui_input::Input;

use super::paged::Paged;
use crate::model::{Attendee, Event};

/// How many rows a picker shows (and loads) at once.
pub const PICKER_ROWS: u16 = 10;

/// The attendee picker counts matches up to this many; past it, it shows "1 000+".
pub const ATTENDEE_CAP: u64 = 1_000;

/// Which list the picker is choosing from.
#[derive(Debug, Clone)]
pub enum PickerList {
    /// Only events that can take a booking now, seats left shown.
    Events(Paged<Event>),
    /// Attendees to book onto the chosen event.
    Attendees { event: Event, list: Paged<Attendee> },
}

/// A picker popup: a search field over a paged list.
#[derive(Debug, Clone)]
pub struct Picker {
    pub search: Input,
    pub list: PickerList,
    /// An attendee to select once the page holding them has been read.
    pub prefer: Option<i64>,
    /// Enter was pressed before the page for the typed search was in: it chooses from that
    /// page when it arrives, not from the rows of the search before.
    pub submit: bool,
}

impl Picker {
    pub fn events() -> Picker {
        Picker { search: Input::default(), list: PickerList::Events(page()), prefer: None, submit: false }
    }

    pub fn attendees(event: Event) -> Picker {
        Picker {
            search: Input::default(),
            list: PickerList::Attendees { event, list: page() },
            prefer: None,
            submit: false,
        }
    }

    /// Whether the list shows the answer to the search as typed (see `Paged::settled`).
    pub fn settled(&self) -> bool {
        match &self.list {
            PickerList::Events(p) => p.settled(),
            PickerList::Attendees { list, .. } => list.settled(),
        }
    }

    /// Moves the selection; true when the page must reload.
    pub fn step(&mut self, delta: i64) -> bool {
        match &mut self.list {
            PickerList::Events(p) => p.step(delta),
            PickerList::Attendees { list, .. } => list.step(delta),
        }
    }

    /// A click on the `n`-th visible row: selects it. Some(true) when it was selected already
    /// (the second click chooses it), None when no row is there.
    pub fn click(&mut self, n: u16) -> Option<bool> {
        fn on<T>(list: &mut Paged<T>, n: u16) -> Option<bool> {
            let index = list.offset + u64::from(n);
            if index >= list.total || usize::from(n) >= list.rows.len() {
                return None;
            }
            let again = list.selected == index;
            list.select(index);
            Some(again)
        }
        match &mut self.list {
            PickerList::Events(p) => on(p, n),
            PickerList::Attendees { list, .. } => on(list, n),
        }
    }

    /// Back to the first row, after the search changed.
    pub fn reset(&mut self) {
        match &mut self.list {
            PickerList::Events(p) => p.reset(),
            PickerList::Attendees { list, .. } => list.reset(),
        }
    }
}

fn page<T>() -> Paged<T> {
    Paged::with_view(PICKER_ROWS)
}
