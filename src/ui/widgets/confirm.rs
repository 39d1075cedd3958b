//! The confirmation popup: what will happen, and the two answers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::Confirm;
use crate::ui::{clean, theme};

pub fn render(frame: &mut Frame, area: Rect, confirm: &Confirm) {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(theme::ERROR)
        .title(Line::styled(format!(" {} ", confirm.title()), theme::TITLE));
    let answers = Line::from(vec![
        Span::styled(" y ", theme::KEY),
        Span::raw(" yes   "),
        Span::styled(" n ", theme::KEY),
        Span::raw(" no"),
    ]);
    let text = vec![Line::raw(clean(&confirm.message())), Line::default(), answers];
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), area);
}
