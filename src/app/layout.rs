//! Screen geometry shared by rendering and by mouse handling, so a click lands on what was drawn.

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// The smallest terminal the layout fits in; below it only a "make the window larger" note shows.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 20;

/// From this width on the detail pane sits beside the list instead of under it.
const WIDE: u16 = 110;

/// The side detail pane's width on wide terminals: a third of the screen within these.
const DETAIL_MIN: u16 = 40;
const DETAIL_MAX: u16 = 64;

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
        // Side by side when there is room for both, the detail pane a third of the width
        // within bounds and the list (whose titles want it) the rest; stacked on narrow terminals.
        let split = if size.width >= WIDE {
            let detail = (size.width / 3).clamp(DETAIL_MIN, DETAIL_MAX);
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail)])
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

/// A `width`×`height` rectangle in the middle of `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        area.layout(&Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center));
    let [cell] =
        row.layout(&Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center));
    cell
}

/// The booking picker popup: its search line, its list and its count line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickerAreas {
    pub popup: Rect,
    pub search: Rect,
    pub list: Rect,
    pub count: Rect,
}

const PICKER_WIDTH: u16 = 76;

impl PickerAreas {
    pub fn new(size: Rect) -> PickerAreas {
        let popup = centered(size, PICKER_WIDTH, super::PICKER_ROWS + 4);
        let inner = popup.inner(ratatui::layout::Margin::new(1, 1));
        let [search, list, count] = inner.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ]));
        PickerAreas { popup, search, list, count }
    }

    /// The visible row of the picker's list under a screen position, if any.
    pub fn row_at(&self, column: u16, row: u16) -> Option<u16> {
        let inside = (self.list.x..self.list.right()).contains(&column)
            && (self.list.y..self.list.bottom()).contains(&row);
        inside.then(|| row - self.list.y)
    }
}

/// What a confirmation's two buttons say; `ConfirmAreas` places them.
pub const YES_BUTTON: &str = " y  yes ";
pub const NO_BUTTON: &str = " n  no ";

/// A confirmation popup: the question, and its two buttons on the last line inside the border.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmAreas {
    pub popup: Rect,
    pub message: Rect,
    pub yes: Rect,
    pub no: Rect,
}

impl ConfirmAreas {
    pub fn new(size: Rect) -> ConfirmAreas {
        let popup = centered(size, 60, 7);
        let inner = popup.inner(ratatui::layout::Margin::new(1, 1));
        let [message, _, buttons] = inner.layout(&Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        let width = |label: &str| u16::try_from(label.chars().count()).unwrap_or(8);
        let yes = Rect { width: width(YES_BUTTON).min(buttons.width), ..buttons };
        let no_x = (yes.right() + 3).min(buttons.right());
        let no = Rect { x: no_x, width: width(NO_BUTTON).min(buttons.right() - no_x), ..buttons };
        ConfirmAreas { popup, message, yes, no }
    }

    /// The answer a click at this screen position gives, if it hits a button.
    pub fn button_at(&self, column: u16, row: u16) -> Option<bool> {
        let hit = |r: Rect| r.contains(ratatui::layout::Position::new(column, row));
        if hit(self.yes) {
            Some(true)
        } else if hit(self.no) {
            Some(false)
        } else {
            None
        }
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
