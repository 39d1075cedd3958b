//! Draws a form: one row per field (label and input), the error or hint under it, and the
//! form-level message at the bottom. Sets the terminal cursor in the focused field.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthChar;

use crate::app::{Form, FormField};
use crate::ui::{clean, theme};

const LABEL_WIDTH: u16 = 14;

/// The height a form needs inside its border.
pub fn height(form: &Form) -> u16 {
    let fields = u16::try_from(form.fields.len()).unwrap_or(u16::MAX / 2);
    fields.saturating_mul(2) + 2
}

/// Draws `form` as a bordered popup over `area` (which it clears first).
pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(Line::styled(format!(" {} ", form.title), theme::TITLE));
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block.border_style(theme::BORDER_FOCUS), area);
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate() {
        if y + 1 >= inner.bottom() {
            break;
        }
        let row = Rect::new(inner.x, y, inner.width, 1);
        render_field(frame, row, field, i == form.focus);
        let note = Rect::new(inner.x + LABEL_WIDTH, y + 1, inner.width.saturating_sub(LABEL_WIDTH), 1);
        let message = match (&field.error, field.hint) {
            (Some(e), _) => Line::styled(format!("↑ {}", clean(e)), theme::ERROR),
            (None, Some(h)) => Line::styled(h, theme::MUTED),
            (None, None) => Line::default(),
        };
        frame.render_widget(Paragraph::new(message), note);
        y += 2;
    }
    if let Some(e) = &form.error {
        let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        frame.render_widget(
            Paragraph::new(Line::styled(clean(e), theme::ERROR)).wrap(Wrap { trim: true }),
            rest,
        );
    }
}

fn render_field(frame: &mut Frame, row: Rect, field: &FormField, focused: bool) {
    let label_style = if field.error.is_some() { theme::ERROR } else { theme::LABEL };
    let label = Span::styled(format!("{:>w$} ", field.name, w = usize::from(LABEL_WIDTH - 2)), label_style);
    frame.render_widget(Paragraph::new(Line::from(label)), Rect { width: LABEL_WIDTH, ..row });
    let input = Rect { x: row.x + LABEL_WIDTH, width: row.width.saturating_sub(LABEL_WIDTH), ..row };
    let width = usize::from(input.width.saturating_sub(1).max(1));
    let (text, cursor) = visible_text(field, width);
    let style = if focused { theme::INPUT_FOCUS } else { theme::INPUT };
    frame.render_widget(Paragraph::new(text).style(style), input);
    if focused {
        let x = input.x + u16::try_from(cursor).unwrap_or(0);
        frame.set_cursor_position(Position::new(x.min(input.right().saturating_sub(1)), input.y));
    }
}

/// The part of the value that fits in `width` columns around the cursor, masked if secret,
/// with control characters made visible; and the cursor column inside it.
fn visible_text(field: &FormField, width: usize) -> (String, usize) {
    let shown: String =
        if field.masked { "•".repeat(field.value().chars().count()) } else { clean(field.value()) };
    let cursor = if field.masked { field.input.cursor() } else { field.input.visual_cursor() };
    let scroll = cursor.saturating_sub(width);
    let (mut skipped, mut out, mut used) = (0, String::new(), 0);
    for c in shown.chars() {
        let w = c.width().unwrap_or(0);
        if skipped < scroll {
            skipped += w;
            continue;
        }
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    (out, cursor - skipped.min(cursor))
}
