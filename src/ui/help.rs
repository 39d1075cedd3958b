//! The `?` overlay: every key of the current screen, generated from the keymap tables, in two
//! columns when one would not fit the terminal's height.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::{self, Context};
use crate::ui::{centered, theme};

/// One column's width inside the border: a right-aligned key and its description.
const COLUMN: u16 = 38;

pub fn render(frame: &mut Frame, area: Rect, ctx: Context) {
    let lines: Vec<Line> = keymap::bindings(ctx)
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>10}", keymap::key_label(b)), theme::LABEL),
                Span::raw(format!("  {}", b.desc)),
            ])
        })
        .collect();
    let count = u16::try_from(lines.len()).unwrap_or(u16::MAX / 2);
    let columns = if count + 2 > area.height { 2 } else { 1 };
    let per_column = count.div_ceil(columns);
    let popup = centered(area, COLUMN * columns + 2, per_column + 2);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::BORDER_FOCUS)
        .title(Line::styled(" Keys (Esc closes) ", theme::TITLE));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let parts = inner.layout_vec(&Layout::horizontal(vec![Constraint::Length(COLUMN); usize::from(columns)]));
    for (part, chunk) in parts.iter().zip(lines.chunks(usize::from(per_column.max(1)))) {
        frame.render_widget(Paragraph::new(chunk.to_vec()), *part);
    }
}
