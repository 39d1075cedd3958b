//! The body of each tab: a paged table on one side, the selected row's detail on the other.

mod bookings;
mod door;
mod events;
mod history;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::app::layout::Areas;
use crate::app::{App, Mode, Paged, Tab};
use crate::ui::theme;

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    match app.tab {
        Tab::Events => events::render(frame, areas, app),
        Tab::Bookings => bookings::render(frame, areas, app),
        Tab::History => history::render(frame, areas, app),
        Tab::Door => door::render(frame, areas, app),
    }
}

/// The list's border with its title: what is shown, and where the selection is in the total.
fn list_block<T>(title: String, list: &Paged<T>) -> Block<'static> {
    let position = list.position();
    Block::bordered()
        .border_style(theme::BORDER)
        .title(Line::styled(format!(" {title} "), theme::TITLE))
        .title_bottom(Line::styled(format!(" {position} "), theme::MUTED).right_aligned())
}

/// What an empty list says, inside its block.
/// What a list shows before its first page has been read.
const LOADING: &str = "Loading…";

fn empty(frame: &mut Frame, area: Rect, block: Block, message: &str) {
    frame.render_widget(Paragraph::new(Line::styled(message.to_string(), theme::MUTED)).block(block), area);
}

/// The search part of a list title, with a cursor mark while typing.
fn search_note(app: &App, value: &str) -> String {
    let typing = matches!(app.mode, Mode::Search);
    match (value.is_empty(), typing) {
        (true, false) => String::new(),
        (_, true) => format!(" · search: {}▏", crate::ui::clean(value)),
        (false, false) => format!(" · search: {}", crate::ui::clean(value)),
    }
}

fn detail_block(title: &str) -> Block<'static> {
    Block::bordered().border_style(theme::BORDER).title(Line::styled(format!(" {title} "), theme::TITLE))
}
