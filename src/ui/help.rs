//! The `?` overlay: every key of the current screen, generated from the keymap tables.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::{self, Context};
use crate::ui::{centered, theme};

pub fn render(frame: &mut Frame, area: Rect, ctx: Context) {
    let bindings = keymap::bindings(ctx);
    let lines: Vec<Line> = bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>10}", keymap::key_label(b)), theme::LABEL),
                Span::raw(format!("  {}", b.desc)),
            ])
        })
        .collect();
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX - 2).saturating_add(2);
    let popup = centered(area, 44, height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::BORDER_FOCUS)
        .title(Line::styled(" Keys (Esc closes) ", theme::TITLE));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
