//! Everything that can happen to the app, as data: keys, mouse, ticks and resizes all become an
//! `Action` before `App::update` sees them, so tests drive the app without a terminal.

use chrono::{DateTime, Utc};
use tui_input::InputRequest;

use super::worker::Reply;

/// The tabs of the main screen, in the order `1/2/3/4` and Tab cycle through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Events,
    Bookings,
    History,
    /// Check-in at the door of one event.
    Door,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Events, Tab::Bookings, Tab::History, Tab::Door];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Events => "Events",
            Tab::Bookings => "Bookings",
            Tab::History => "History",
            Tab::Door => "Door",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Tab::Events => 0,
            Tab::Bookings => 1,
            Tab::History => 2,
            Tab::Door => 3,
        }
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// One step of the app. Produced by the keymap, the mouse mapping, the tick timer and the
/// store threads.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    /// The clock moved on: refresh `now` and reload when another connection committed.
    Tick(DateTime<Utc>),
    /// A store call answered (see `App::answers`).
    Answer(Reply),
    Resize(u16, u16),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    NextTab,
    PrevTab,
    GoTab(Tab),
    /// A mouse click on the n-th visible row of the current list.
    ClickRow(u16),
    Search,
    CycleFilter,
    FilterEvent,
    FilterAttendee,
    ClearFilters,
    NewEvent,
    EditEvent,
    DeleteEvent,
    /// From the Events tab: open the Bookings tab filtered to the selected event.
    ShowBookings,
    /// From the Events tab: open the Door tab on the selected event, ready to check people in.
    OpenDoor,
    /// In the Door tab: undo the highlighted attendee's check-in (asks first).
    UndoCheckIn,
    /// From the Events tab: everything about the selected event; from the Bookings tab:
    /// everything about the selected booking's attendee. Opens the History tab filtered.
    HistoryAbout,
    /// Writes the current tab's whole list, as filtered, to a CSV file; again, stops it.
    Export,
    Book,
    CancelBooking,
    Rebook,
    Help,
    Logout,
    /// A text edit in the focused field (typing, deleting, moving the cursor).
    Edit(InputRequest),
    /// Bracketed paste: inserted into the focused field. Only a multi-line field keeps its
    /// newlines; a paste never submits.
    Paste(String),
    NextField,
    PrevField,
    Submit,
    Cancel,
    ToggleRegister,
    NewAttendee,
    Yes,
}
