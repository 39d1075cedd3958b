//! Draws a form: per field a label and its input (several rows for a multi-line field), the
//! error or hint under it (wrapped when long), and the form-level message at the bottom. Sets
//! the terminal cursor in the focused field.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::{Form, FormField};
use crate::ui::{FORM_WIDTH, clean, theme};

const LABEL_WIDTH: u16 = 14;
/// How many lines of a multi-line field show at once; the cursor's line is always among them.
const FIELD_LINES: usize = 4;
/// How many lines a field's message may take.
const NOTE_LINES: usize = 3;
/// The columns beside the labels in a full-width form (border and margins off).
const NOTE_WIDTH: usize = (FORM_WIDTH - 4 - LABEL_WIDTH) as usize;

/// The height a form needs inside its border.
pub fn height(form: &Form) -> u16 {
    let rows: usize = form.fields.iter().map(|f| input_rows(f) + note(f).len()).sum();
    u16::try_from(rows).unwrap_or(u16::MAX / 2).saturating_add(2)
}

/// Rows the field's input takes: one, or one per line of a multi-line value (up to a cap).
fn input_rows(field: &FormField) -> usize {
    if field.multiline { field.value().split('\n').count().clamp(1, FIELD_LINES) } else { 1 }
}

/// The message under a field, wrapped to the form's width: its error, else its hint.
fn note(field: &FormField) -> Vec<Line<'static>> {
    let (text, style): (String, Style) = match (&field.error, field.hint) {
        (Some(e), _) => (format!("↑ {}", clean(e)), theme::ERROR),
        (None, Some(h)) => (h.to_string(), theme::MUTED),
        (None, None) => return vec![Line::default()],
    };
    wrap(&text, NOTE_WIDTH).into_iter().take(NOTE_LINES).map(|l| Line::styled(l, style)).collect()
}

/// Greedy word wrap; a word longer than the width stays whole (and is cut when drawn).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let (mut lines, mut line) = (Vec::new(), String::new());
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Draws `form` as a bordered popup over `area` (which it clears first).
pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(Line::styled(format!(" {} ", form.title), theme::TITLE));
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block.border_style(theme::BORDER_FOCUS), area);
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate() {
        let (rows, note) = (to_u16(input_rows(field)), note(field));
        let notes = to_u16(note.len());
        if y + rows + notes > inner.bottom() {
            break;
        }
        render_field(frame, Rect::new(inner.x, y, inner.width, rows), field, i == form.focus);
        let width = inner.width.saturating_sub(LABEL_WIDTH);
        frame.render_widget(Paragraph::new(note), Rect::new(inner.x + LABEL_WIDTH, y + rows, width, notes));
        y += rows + notes;
    }
    if let Some(e) = &form.error {
        let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        frame.render_widget(
            Paragraph::new(Line::styled(clean(e), theme::ERROR)).wrap(Wrap { trim: true }),
            rest,
        );
    }
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX / 4)
}

fn render_field(frame: &mut Frame, area: Rect, field: &FormField, focused: bool) {
    let label_style = if field.error.is_some() { theme::ERROR } else { theme::LABEL };
    let label = Span::styled(format!("{:>w$} ", field.name, w = usize::from(LABEL_WIDTH - 2)), label_style);
    frame.render_widget(Paragraph::new(Line::from(label)), Rect { width: LABEL_WIDTH, height: 1, ..area });
    let input = Rect { x: area.x + LABEL_WIDTH, width: area.width.saturating_sub(LABEL_WIDTH), ..area };
    let width = usize::from(input.width.saturating_sub(1).max(1));
    let (lines, (row, col)) = if field.multiline {
        visible_lines(field, width, usize::from(area.height.max(1)))
    } else {
        let (text, cursor) = visible_text(field, width);
        (vec![text], (0, cursor))
    };
    let style = if focused { theme::INPUT_FOCUS } else { theme::INPUT };
    if !field.choices.is_empty() {
        return render_choice(frame, input, field, focused);
    }
    let text: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(text).style(style), input);
    if focused {
        let x = input.x + to_u16(col);
        let y = input.y + to_u16(row);
        frame.set_cursor_position(Position::new(x.min(input.right().saturating_sub(1)), y));
    }
}

/// A choice field: every choice, the chosen one marked (and highlighted while focused); no
/// text cursor, since nothing is typed.
fn render_choice(frame: &mut Frame, area: Rect, field: &FormField, focused: bool) {
    let mut spans = Vec::new();
    for choice in field.choices {
        let chosen = *choice == field.value();
        let mark = if chosen { "(•)" } else { "( )" };
        let style = match (chosen, focused) {
            (true, true) => theme::INPUT_FOCUS,
            (true, false) => theme::TITLE,
            (false, _) => theme::MUTED,
        };
        spans.push(Span::styled(format!(" {mark} {choice} "), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The part of the value that fits in `width` columns around the cursor, masked if secret,
/// with control characters made visible; and the cursor column inside it.
fn visible_text(field: &FormField, width: usize) -> (String, usize) {
    let shown: String =
        if field.masked { "•".repeat(field.value().chars().count()) } else { clean(field.value()) };
    let cursor = if field.masked { field.input.cursor() } else { field.input.visual_cursor() };
    let (out, skipped) = window(&shown, cursor.saturating_sub(width), width);
    (out, cursor - skipped.min(cursor))
}

/// The lines of a multi-line value that fit in `rows` × `width` around the cursor, every line
/// scrolled as far as the cursor's; and the cursor's row and column inside them.
fn visible_lines(field: &FormField, width: usize, rows: usize) -> (Vec<String>, (usize, usize)) {
    let before: String = field.value().chars().take(field.input.cursor()).collect();
    let row = before.matches('\n').count();
    let col = clean(before.rsplit('\n').next().unwrap_or("")).width();
    let first = row.saturating_sub(rows.saturating_sub(1));
    let scroll = col.saturating_sub(width);
    let mut skipped_on_cursor_line = 0;
    let lines = (field.value().split('\n').enumerate().skip(first).take(rows))
        .map(|(i, line)| {
            let (out, skipped) = window(&clean(line), scroll, width);
            if i == row {
                skipped_on_cursor_line = skipped;
            }
            out
        })
        .collect();
    (lines, (row - first, col - skipped_on_cursor_line.min(col)))
}

/// `shown` from column `scroll` on, at most `width` columns; and the columns actually skipped.
fn window(shown: &str, scroll: usize, width: usize) -> (String, usize) {
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
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_wrap_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("short", 78), ["short"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn the_cursor_line_of_a_multi_line_value_stays_visible() {
        let mut field = FormField::new("description").multiline().with_value("one\ntwo\nthree\nfour\nfive");
        let (lines, cursor) = visible_lines(&field, 20, 4);
        assert_eq!(
            (lines, cursor),
            (vec!["two".into(), "three".into(), "four".into(), "five".into()], (3, 4))
        );
        field.input = field.input.clone().with_cursor(5);
        let (lines, cursor) = visible_lines(&field, 20, 4);
        assert_eq!((lines[0].as_str(), cursor), ("one", (1, 1)), "o-n-e-newline-t|wo");
        assert_eq!(input_rows(&field), 4);
    }
}
