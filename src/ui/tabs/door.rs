//! The Door tab: the big "checked in 37 / 120", the search, the last outcome in place, and the
//! event's bookings matching the search with their check-ins.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row};

use super::{LOADING, detail_block, empty, list_block};
use crate::app::layout::{Areas, DoorAreas};
use crate::app::{App, DoorOutcome, DoorResult};
use crate::model::{Attendance, BookingRow, Event, Phase, check_in_opens, format_local, plural};
use crate::ui::widgets::bignum;
use crate::ui::widgets::gauge::fill_style;
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::{clean, theme};

/// Columns the figures beside the big counter need; below that only the small line shows.
const FIGURES: usize = 34;

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let Some(event) = &app.door.event else {
        let hint = "No event at the door yet. In the Events tab, select the event and press D.";
        return empty(frame, areas.body, detail_block("Door"), hint);
    };
    let d = DoorAreas::new(areas.body);
    counter(frame, d.counter, app, event);
    search(frame, d.search, app);
    outcome(frame, d.outcome, app.door.outcome.as_ref());
    list(frame, d.list, app, event);
}

fn counter(frame: &mut Frame, area: Rect, app: &App, event: &Event) {
    let title = format!(" Door · {} · {} ", clean(&event.title), format_local(event.starts_at));
    let block = Block::bordered().border_style(theme::BORDER_FOCUS).title(Line::styled(title, theme::TITLE));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(a) = &app.door.attendance else {
        return frame.render_widget(Paragraph::new(Line::styled(LOADING, theme::MUTED)), inner);
    };
    let figure = format!("{} / {}", a.checked_in, a.booked);
    let style = fill_style(a.checked_in, a.booked.max(1)).add_modifier(ratatui::style::Modifier::BOLD);
    let big = bignum::width(&figure);
    let room = usize::from(inner.width);
    let lines = figures(a, app, event);
    match bignum::lines(&figure, style).filter(|_| big + 3 + FIGURES <= room) {
        Some(digits) => {
            let width = u16::try_from(big).unwrap_or(u16::MAX);
            let [_, left, _, right] = inner.layout(&Layout::horizontal([
                Constraint::Length(1),
                Constraint::Length(width),
                Constraint::Length(2),
                Constraint::Min(0),
            ]));
            frame.render_widget(Paragraph::new(digits), left);
            frame.render_widget(Paragraph::new(lines), right);
        }
        None => frame.render_widget(Paragraph::new(lines), inner),
    }
}

/// "checked in 37 / 120", the seats and the waiting list, and whether check-in is open.
fn figures(a: &Attendance, app: &App, event: &Event) -> Vec<Line<'static>> {
    let style = fill_style(a.checked_in, a.booked.max(1));
    let seats =
        format!("booked {} of {} · waiting {}", a.booked, plural(a.capacity, "seat", "seats"), a.waiting);
    let opens = check_in_opens(event);
    let window = match (event.phase(app.now), a.no_shows) {
        (Phase::Past, Some(n)) => {
            Line::styled(format!("ended · {}", plural(n, "no-show", "no-shows")), theme::MUTED)
        }
        (Phase::Past, None) => Line::styled("ended", theme::MUTED),
        _ if app.now < opens => {
            Line::styled(format!("check-in opens {}", format_local(opens)), theme::WAITING)
        }
        _ => Line::styled(format!("check-in open until {}", format_local(event.ends_at)), theme::INFO),
    };
    vec![
        Line::styled(
            format!("checked in {} / {}", a.checked_in, a.booked),
            style.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Line::raw(seats),
        window,
    ]
}

fn search(frame: &mut Frame, area: Rect, app: &App) {
    let label = "find: ";
    let value = clean(app.door.search.value());
    let list = &app.door.list;
    let count = if !list.is_loaded() {
        String::new()
    } else if app.door.search.value().trim().is_empty() {
        plural(list.total, "booking", "bookings")
    } else {
        plural(list.total, "match", "matches")
    };
    let [left, right] = area.layout(&Layout::horizontal([Constraint::Min(0), Constraint::Length(20)]));
    let line = Line::from(vec![
        Span::styled(format!(" {label}"), theme::LABEL),
        Span::styled(value, theme::INPUT_FOCUS),
    ]);
    frame.render_widget(Paragraph::new(line), left);
    frame.render_widget(
        Paragraph::new(Line::styled(format!("{count} "), theme::MUTED).right_aligned()),
        right,
    );
    let cursor = u16::try_from(app.door.search.visual_cursor() + label.len() + 1).unwrap_or(u16::MAX);
    frame.set_cursor_position(Position::new((left.x + cursor).min(left.right().saturating_sub(1)), left.y));
}

fn outcome(frame: &mut Frame, area: Rect, outcome: Option<&DoorOutcome>) {
    let line = match outcome {
        None => Line::styled(
            " type a few letters of a name or email; Enter checks in the highlighted one",
            theme::MUTED,
        ),
        Some(o) => {
            let (mark, style): (&str, Style) = match o.result {
                DoorResult::Sending => ("…", theme::WAITING),
                DoorResult::Done { .. } => ("✓", theme::INFO),
                DoorResult::Refused(_) => ("✗", theme::ERROR),
            };
            Line::styled(format!(" {mark} {}", clean(&o.text())), style)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn list(frame: &mut Frame, area: Rect, app: &App, event: &Event) {
    let list = &app.door.list;
    let block = list_block(format!("Bookings of {}", clean(&event.title)), list);
    if !list.is_loaded() {
        return empty(frame, area, block, LOADING);
    }
    if list.rows.is_empty() {
        let search = app.door.search.value().trim();
        let message = if search.is_empty() {
            "No active bookings on this event.".to_string()
        } else {
            format!("Nobody matches \u{201c}{}\u{201d} among this event's bookings.", clean(search))
        };
        return empty(frame, area, block, &message);
    }
    let rows = list.rows.iter().map(row);
    let widths = [Constraint::Length(1), Constraint::Fill(1), Constraint::Fill(1), Constraint::Length(28)];
    let header = Row::new(["", "Attendee", "Email", "Checked in"]).style(theme::TABLE_HEADER);
    let table = selectable(rows, widths).header(header).block(block);
    frame.render_stateful_widget(table, area, &mut page_state(list));
}

fn row(b: &BookingRow) -> Row<'static> {
    let (mark, when) = match (&b.checked_in_at, &b.checked_in_by) {
        (Some(at), Some(by)) => ("✓", format!("{} by {}", format_local(*at), clean(by))),
        _ => ("", String::new()),
    };
    Row::new(vec![
        Cell::from(Span::styled(mark, theme::INFO)),
        Cell::from(clean(&b.attendee_name)),
        Cell::from(clean(&b.attendee_email)),
        Cell::from(Span::styled(when, theme::MUTED)),
    ])
}
