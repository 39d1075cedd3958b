//! The Bookings tab: attendee, event, booked-at and status; the selected booking in detail.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{LOADING, detail_block, empty, list_block, search_note};
use crate::app::App;
use crate::app::layout::Areas;
use crate::model::{BookingRow, BookingStatus, WaitlistEntry, format_local};
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::{clean, theme};

fn title(app: &App) -> String {
    let tab = &app.bookings;
    let mut parts = vec![if tab.waiting { "Waiting list" } else { "Bookings" }.to_string()];
    if !tab.waiting {
        parts.push(tab.status.map_or("any status", BookingStatus::as_str).to_string());
    }
    if let Some((_, t)) = &tab.event {
        parts.push(format!("event: {}", clean(t)));
    }
    if let Some((_, n)) = &tab.attendee {
        parts.push(format!("attendee: {}", clean(n)));
    }
    format!("{}{}", parts.join(" · "), search_note(app, tab.search.value()))
}

fn status_span(status: BookingStatus) -> Span<'static> {
    let style = match status {
        BookingStatus::Active => theme::ACTIVE,
        BookingStatus::Cancelled => theme::CANCELLED,
    };
    Span::styled(status.as_str(), style)
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    if app.bookings.waiting {
        return waiting(frame, areas, app);
    }
    let list = &app.bookings.list;
    let block = list_block(title(app), list);
    if !list.is_loaded() {
        empty(frame, areas.list, block, LOADING);
    } else if list.rows.is_empty() {
        empty(frame, areas.list, block, "No bookings here. Press b to book, x to clear the filters.");
    } else {
        let rows = list.rows.iter().map(|b| {
            Row::new(vec![
                Cell::from(clean(&b.attendee_name)),
                Cell::from(clean(&b.event_title)),
                Cell::from(format_local(b.booking.booked_at)),
                Cell::from(status_span(b.booking.status)),
            ])
        });
        let widths =
            [Constraint::Fill(1), Constraint::Fill(1), Constraint::Length(16), Constraint::Length(9)];
        let header = Row::new(["Attendee", "Event", "Booked at", "Status"]).style(theme::TABLE_HEADER);
        let table = selectable(rows, widths).header(header).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(list));
    }
    detail(frame, areas, list.current(), app.now);
}

/// What can be done with the booking, offered only when it can be done.
fn next_step(b: &BookingRow, now: DateTime<Utc>) -> &'static str {
    match b.booking.status {
        _ if b.event_deleted => "its event was deleted: it can no longer change",
        _ if b.event_start <= now => "its event has started: it can no longer change",
        BookingStatus::Active => "c cancels this booking",
        BookingStatus::Cancelled => "r rebooks it (if seats are left)",
    }
}

fn detail(frame: &mut Frame, areas: &Areas, row: Option<&BookingRow>, now: DateTime<Utc>) {
    let block = detail_block("Booking");
    let Some(b) = row else {
        return empty(frame, areas.detail, block, "Select a booking to see it here.");
    };
    let label = |l: &str| Span::styled(format!("{l:<11}"), theme::LABEL);
    let mut lines = vec![
        Line::from(vec![label("attendee"), Span::raw(clean(&b.attendee_name))]),
        Line::from(vec![label("email"), Span::raw(clean(&b.attendee_email))]),
        Line::from(vec![
            label("event"),
            Span::raw(clean(&b.event_title)),
            Span::styled(if b.event_deleted { " (deleted)" } else { "" }, theme::MUTED),
        ]),
        Line::from(vec![label("starts"), Span::raw(format_local(b.event_start))]),
        Line::from(vec![label("booked at"), Span::raw(format_local(b.booking.booked_at))]),
        Line::from(vec![label("status"), status_span(b.booking.status)]),
    ];
    if let (Some(at), Some(by)) = (b.checked_in_at, &b.checked_in_by) {
        lines.push(Line::from(vec![
            label("checked in"),
            Span::raw(format!("{} by {}", format_local(at), clean(by))),
        ]));
    }
    if let Some(t) = b.booking.cancelled_at {
        lines.push(Line::from(vec![label("cancelled"), Span::raw(format_local(t))]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(next_step(b, now), theme::MUTED));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
}

/// The waiting view: entries in list order, position first; the selected one in detail.
fn waiting(frame: &mut Frame, areas: &Areas, app: &App) {
    let list = &app.bookings.entries;
    let block = list_block(title(app), list);
    if !list.is_loaded() {
        empty(frame, areas.list, block, LOADING);
    } else if list.rows.is_empty() {
        empty(
            frame,
            areas.list,
            block,
            "Nobody is waiting here. Press f for bookings, x to clear the filters.",
        );
    } else {
        let rows = list.rows.iter().map(|w| {
            Row::new(vec![
                Cell::from(w.position.map_or_else(|| "–".to_string(), |p| p.to_string())),
                Cell::from(clean(&w.attendee_name)),
                Cell::from(clean(&w.event_title)),
                Cell::from(format_local(w.joined_at)),
            ])
        });
        let widths =
            [Constraint::Length(4), Constraint::Fill(1), Constraint::Fill(1), Constraint::Length(16)];
        let header = Row::new(["#", "Attendee", "Event", "Joined"]).style(theme::TABLE_HEADER);
        let table = selectable(rows, widths).header(header).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(list));
    }
    waiting_detail(frame, areas, list.current());
}

fn waiting_detail(frame: &mut Frame, areas: &Areas, entry: Option<&WaitlistEntry>) {
    let block = detail_block("Waiting");
    let Some(w) = entry else {
        return empty(frame, areas.detail, block, "Select an entry to see it here.");
    };
    let label = |l: &str| Span::styled(format!("{l:<11}"), theme::LABEL);
    let position = w.position.map_or_else(|| "–".to_string(), |p| p.to_string());
    let lines = vec![
        Line::from(vec![label("attendee"), Span::raw(clean(&w.attendee_name))]),
        Line::from(vec![label("email"), Span::raw(clean(&w.attendee_email))]),
        Line::from(vec![label("event"), Span::raw(clean(&w.event_title))]),
        Line::from(vec![label("starts"), Span::raw(format_local(w.event_start))]),
        Line::from(vec![label("joined"), Span::raw(format_local(w.joined_at))]),
        Line::from(vec![label("position"), Span::raw(position)]),
        Line::default(),
        Line::styled("the next freed seat goes to position 1; c takes this entry off the list", theme::MUTED),
    ];
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
}
