//! The confirmation popup: what will happen, and the two answers as buttons a click can press
//! (placed by `ConfirmAreas`, which the mouse handling reads too).

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::Confirm;
use crate::app::layout::{ConfirmAreas, NO_BUTTON, YES_BUTTON};
use crate::ui::{clean, theme};

pub fn render(frame: &mut Frame, areas: &ConfirmAreas, confirm: &Confirm) {
    frame.render_widget(Clear, areas.popup);
    let block = Block::bordered()
        .border_style(theme::ERROR)
        .title(Line::styled(format!(" {} ", confirm.title()), theme::TITLE));
    frame.render_widget(block, areas.popup);
    let message = Paragraph::new(Line::raw(clean(&confirm.message()))).wrap(Wrap { trim: true });
    frame.render_widget(message, areas.message);
    for (label, area) in [(YES_BUTTON, areas.yes), (NO_BUTTON, areas.no)] {
        let (key, word) = label.split_at(3);
        let button = Line::from(vec![Span::styled(key, theme::KEY), Span::styled(word, theme::BUTTON)]);
        frame.render_widget(Paragraph::new(button), area);
    }
}
