//! Pure rendering of `&App`: no store, no clock, no I/O. Every piece of stored text goes through
//! `clean` so escape sequences in names or titles are drawn inert.

mod help;
mod signin;
mod tabs;
#[cfg(test)]
mod tests;
pub mod theme;
mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::layout::{self, Areas, MIN_HEIGHT, MIN_WIDTH};
use crate::app::{App, Mode};
use crate::keymap::{self, Context};
use crate::model::sanitize_display;

/// Wide enough that the longest validation message (the date format) fits beside its field.
pub const FORM_WIDTH: u16 = 96;

/// Stored or typed text made safe to draw.
pub fn clean(s: &str) -> String {
    sanitize_display(s)
}

/// `text` cut to `width` columns, with an ellipsis when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Draws the whole screen for the app's current state.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small(area) {
        return too_small(frame, area);
    }
    if let Mode::SignIn(form) = &app.mode {
        return signin::render(frame, area, app, form);
    }
    let areas = Areas::new(area);
    header(frame, areas.header, app);
    tab_bar(frame, areas.tabs, app);
    tabs::render(frame, &areas, app);
    status(frame, areas.status, app);
    footer(frame, areas.footer, Context::of(app));
    match &app.mode {
        Mode::Form(form) => {
            let popup = centered(area, FORM_WIDTH, widgets::form::height(form) + 2);
            widgets::form::render(frame, popup, form);
        }
        Mode::Picker(picker) => widgets::picker::render(frame, &layout::PickerAreas::new(area), picker),
        Mode::Confirm(confirm) => widgets::confirm::render(frame, &layout::ConfirmAreas::new(area), confirm),
        Mode::Help => help::render(frame, area, Context::browsing(app)),
        Mode::Browse | Mode::Search | Mode::SignIn(_) => {}
    }
}

pub use crate::app::layout::centered;

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme::ERROR),
        Line::raw(format!("{}×{} — make the window larger", area.width, area.height)),
        Line::styled(format!("(at least {MIN_WIDTH}×{MIN_HEIGHT})"), theme::MUTED),
    ];
    let box_area = centered(area, area.width, 3);
    frame.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), box_area);
}

fn header(frame: &mut Frame, area: Rect, app: &App) {
    let who = app
        .session
        .as_ref()
        .map(|s| format!("{} ({}) ", clean(&s.username), s.role.as_str()))
        .unwrap_or_default();
    frame.render_widget(Block::new().style(theme::HEADER), area);
    frame.render_widget(Paragraph::new(" eventdesk — event booking desk"), area);
    frame.render_widget(Paragraph::new(format!("signed in as {who}")).right_aligned(), area);
}

fn tab_bar(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = vec![Span::raw(" ")];
    for tab in crate::app::Tab::ALL {
        let style = if tab == app.tab { theme::TAB_ACTIVE } else { theme::TAB };
        spans.push(Span::styled(layout::tab_label(tab), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The last outcome, and while the database keeps the app waiting, what for and how long: on
/// its own, or to the right of a message that came after the wait began.
pub fn status(frame: &mut Frame, area: Rect, app: &App) {
    let message = app.status.as_ref().map(|s| {
        let style = if s.error { theme::ERROR } else { theme::INFO };
        Line::styled(format!(" {}", clean(&s.text)), style)
    });
    let waiting = app.waiting().map(|w| w.text()).or_else(|| app.export.as_ref().map(|e| e.text()));
    let waiting = waiting.map(|text| Line::styled(format!(" {text} "), theme::WAITING));
    match (message, waiting) {
        (Some(message), Some(waiting)) => {
            let [left, right] = area.layout(&Layout::horizontal([
                Constraint::Min(0),
                Constraint::Length(u16::try_from(waiting.width()).unwrap_or(u16::MAX)),
            ]));
            frame.render_widget(Paragraph::new(message), left);
            frame.render_widget(Paragraph::new(waiting), right);
        }
        (Some(line), None) | (None, Some(line)) => frame.render_widget(Paragraph::new(line), area),
        (None, None) => {}
    }
}

/// The keys that work right now, from the same table the key handler reads: as many as fit,
/// the rest behind `?`.
pub fn footer(frame: &mut Frame, area: Rect, ctx: Context) {
    let mut spans = Vec::new();
    for b in keymap::footer_fitting(ctx, area.width) {
        spans.push(Span::styled(format!(" {} ", keymap::key_label(b)), theme::KEY));
        spans.push(Span::raw(format!(" {} ", b.desc)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
