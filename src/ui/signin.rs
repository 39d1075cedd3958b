//! The sign-in screen: the login or registration form in the middle of an empty screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::{App, Form};
use crate::keymap::Context;
use crate::ui::{centered, footer, theme, widgets};

pub fn render(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let title = Rect { height: 1, ..area };
    frame.render_widget(
        Paragraph::new(Line::styled(" eventdesk — sign in or register (Ctrl-R)", theme::HEADER))
            .style(theme::HEADER),
        title,
    );
    let popup = centered(area, crate::ui::FORM_WIDTH, widgets::form::height(form) + 2);
    widgets::form::render(frame, popup, form);
    let foot = Rect { y: area.bottom().saturating_sub(1), height: 1, ..area };
    footer(frame, foot, Context::of(app));
    // Checking a password takes a moment (and longer if the database is busy): say so.
    let status = Rect { y: area.bottom().saturating_sub(2), height: 1, ..area };
    crate::ui::status(frame, status, app);
}
