//! Screen geometry shared by rendering and by mouse handling, so a click lands on what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

/// The smallest terminal the layout fits in; below it only a "make the window larger" note shows.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 20;

/// From this width on the detail pane sits beside the list instead of under it.
const WIDE: u16 = 110;

/// Rows taken by the list block's borders and its header row.
const LIST_CHROME: u16 = 3;

/// The regions of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    /// Everything between the tab bar and the status line (list and detail, or the door).
    pub body: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn new(size: Rect) -> Areas {
        let [header, tabs, body, status, footer] = size.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        // Side by side when there is room for both; stacked on narrow terminals.
        let split = if size.width >= WIDE {
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
        } else {
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)])
        };
        let [list, detail] = body.layout(&split);
        Areas { header, tabs, body, list, detail, status, footer }
    }

    /// How many table rows fit in the list (what one page loads).
    pub fn list_rows(&self) -> u16 {
        self.list.height.saturating_sub(LIST_CHROME).max(1)
    }

    /// The visible row index under a screen position inside the list, if any.
    pub fn row_at(&self, column: u16, row: u16) -> Option<u16> {
        let first = self.list.y + LIST_CHROME - 1;
        let inside = column > self.list.x && column + 1 < self.list.right() && row + 1 < self.list.bottom();
        (inside && row >= first).then(|| row - first)
    }
}

/// Rows of the door's counter box: a border, three rows of big digits, a border.
pub const DOOR_COUNTER: u16 = 5;

/// The regions of the Door tab, inside the main screen's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoorAreas {
    /// The event, the big "checked in 37 / 120" and the other figures.
    pub counter: Rect,
    /// The search line.
    pub search: Rect,
    /// The last check-in at this desk and how it went (a refusal with its reason).
    pub outcome: Rect,
    /// The matching bookings.
    pub list: Rect,
}

impl DoorAreas {
    pub fn new(body: Rect) -> DoorAreas {
        let [counter, search, outcome, list] = body.layout(&Layout::vertical([
            Constraint::Length(DOOR_COUNTER),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ]));
        DoorAreas { counter, search, outcome, list }
    }

    /// How many matches fit in the list (what one page loads).
    pub fn list_rows(&self) -> u16 {
        self.list.height.saturating_sub(LIST_CHROME).max(1)
    }

    /// The visible row index under a screen position inside the list, if any.
    pub fn row_at(&self, column: u16, row: u16) -> Option<u16> {
        let first = self.list.y + LIST_CHROME - 1;
        let inside = column > self.list.x && column + 1 < self.list.right() && row + 1 < self.list.bottom();
        (inside && row >= first).then(|| row - first)
    }
}

/// Whether the terminal is too small to draw the main screen.
pub fn too_small(size: Rect) -> bool {
    size.width < MIN_WIDTH || size.height < MIN_HEIGHT
}

/// The label of each tab in the tab bar and the columns it spans, for drawing and clicking.
pub fn tab_spans(tabs: Rect) -> Vec<(super::Tab, u16, u16)> {
    let mut x = tabs.x + 1;
    super::Tab::ALL
        .iter()
        .map(|&tab| {
            let width = u16::try_from(tab_label(tab).chars().count()).unwrap_or(u16::MAX / 4);
            let span = (tab, x, x + width);
            x += width + 1;
            span
        })
        .collect()
}

/// What the tab bar shows for a tab: its number key and title.
pub fn tab_label(tab: super::Tab) -> String {
    format!(" {} {} ", tab.index() + 1, tab.title())
}
