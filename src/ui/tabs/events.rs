//! The Events tab: title, when, status badge, fill bar and seats left; details on the side.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{LOADING, detail_block, empty, list_block, search_note};
use crate::app::layout::Areas;
use crate::app::{App, events_filter_label};
use crate::model::{Attendance, Event, Phase, check_in_opens, format_local, plural};
use crate::ui::widgets::gauge::seats_bar;
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::{clean, theme};

const BAR: u16 = 8;

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let tab = &app.events;
    let title =
        format!("Events · {}{}", events_filter_label(tab.filter), search_note(app, tab.search.value()));
    let block = list_block(title, &tab.list);
    if !tab.list.is_loaded() {
        empty(frame, areas.list, block, LOADING);
    } else if tab.list.rows.is_empty() {
        let hint = if app.session.as_ref().is_some_and(|s| s.is_organizer()) {
            "No events here. Press n to create one, f to change the filter."
        } else {
            "No events here. Press f to change the filter, x to clear it."
        };
        empty(frame, areas.list, block, hint);
    } else {
        let rows = tab.list.rows.iter().map(|e| row(e, app));
        let widths = [
            Constraint::Fill(1),
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(BAR + 8),
            Constraint::Length(5),
        ];
        let header = Row::new(["Title", "When", "Status", "Booked", "Left"]).style(theme::TABLE_HEADER);
        let table = selectable(rows, widths).header(header).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(&tab.list));
    }
    detail(frame, areas, app);
}

fn badge(phase: Phase) -> Span<'static> {
    let style = match phase {
        Phase::Upcoming => theme::UPCOMING,
        Phase::Ongoing => theme::ONGOING,
        Phase::Past => theme::PAST,
    };
    Span::styled(phase.as_str(), style)
}

fn row(e: &Event, app: &App) -> Row<'static> {
    Row::new(vec![
        Cell::from(clean(&e.title)),
        Cell::from(format_local(e.starts_at)),
        Cell::from(badge(e.phase(app.now))),
        Cell::from(seats_bar(e.booked, e.capacity, BAR)),
        Cell::from(e.seats_left().to_string()),
    ])
}

fn detail(frame: &mut Frame, areas: &Areas, app: &App) {
    let block = detail_block("Details");
    let Some(e) = app.events.list.current() else {
        return empty(frame, areas.detail, block, "Select an event to see its details.");
    };
    let label = |l: &str| Span::styled(format!("{l:<10}"), theme::LABEL);
    let owner = if app.owns(e.creator_id) { " (yours)" } else { "" };
    let mut lines = vec![
        Line::styled(clean(&e.title), theme::TITLE),
        Line::from(vec![label("organizer"), Span::raw(format!("{}{owner}", clean(&e.organizer)))]),
        Line::from(vec![
            label("starts"),
            Span::raw(format_local(e.starts_at)),
            Span::raw("  "),
            badge(e.phase(app.now)),
        ]),
        Line::from(vec![label("ends"), Span::raw(format_local(e.ends_at))]),
        Line::from([vec![label("seats")], seats_bar(e.booked, e.capacity, BAR).spans].concat()),
    ];
    let loaded = app.events.detail_of == Some(e.id);
    // What the door needs comes before the description: it stays in view on small screens.
    if let Some(a) = app.events.attendance.as_ref().filter(|_| loaded) {
        lines.push(Line::from(vec![label("door"), Span::raw(door_figures(a))]));
        if app.now >= check_in_opens(e) && e.phase(app.now) != Phase::Past {
            lines.push(Line::styled("check-in is open: D opens the door", theme::INFO));
        }
    }
    lines.push(Line::default());
    if loaded {
        waiting(&mut lines, app);
    }
    if !e.description.is_empty() {
        // One line per line of the description: a typed list or address stays one.
        lines.extend(e.description.lines().map(|l| Line::raw(clean(l))));
        lines.push(Line::default());
    }
    if !loaded {
        lines.push(Line::styled("Attendees (…)", theme::LABEL));
        return frame
            .render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
    }
    attendees(&mut lines, app);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
}

/// "booked 2 · checked in 1", and "· no-shows 1" once the event has ended.
fn door_figures(a: &Attendance) -> String {
    let no_shows = a.no_shows.map(|n| format!(" · no-shows {n}")).unwrap_or_default();
    format!("booked {} · checked in {}{no_shows}", a.booked, a.checked_in)
}

/// The waiting list's head, with positions; nothing when nobody waits.
fn waiting(lines: &mut Vec<Line<'static>>, app: &App) {
    let total = app.events.attendance.map_or(0, |a| a.waiting);
    if total == 0 {
        return;
    }
    lines.push(Line::styled(format!("Waiting list ({total})"), theme::LABEL));
    for w in &app.events.waiting {
        let position = w.position.map_or_else(|| "–".to_string(), |p| p.to_string());
        lines.push(Line::raw(format!("{position:>3}. {}", clean(&w.attendee_name))));
    }
    let shown = u32::try_from(app.events.waiting.len()).unwrap_or(u32::MAX);
    if shown < total {
        lines.push(Line::styled(format!("… and {} more (Bookings tab, f)", total - shown), theme::MUTED));
    }
    lines.push(Line::default());
}

/// The attendees; an organizer also sees each one's no-shows over ended events.
fn attendees(lines: &mut Vec<Line<'static>>, app: &App) {
    let tab = &app.events;
    let shown = u64::try_from(tab.attendees.len()).unwrap_or(u64::MAX);
    lines.push(Line::styled(format!("Attendees ({})", tab.attendee_total), theme::LABEL));
    let organizer = app.is_organizer();
    lines.extend(tab.attendees.iter().map(|b| {
        let mut spans = vec![Span::raw(format!("• {}", clean(&b.attendee_name)))];
        if b.checked_in_at.is_some() {
            spans.push(Span::styled(" ✓", theme::INFO));
        }
        let n = tab.no_shows_of(b.booking.attendee_id);
        if organizer && n > 0 {
            spans.push(Span::styled(format!("  ({})", plural(n, "no-show", "no-shows")), theme::WAITING));
        }
        Line::from(spans)
    }));
    if shown < tab.attendee_total {
        let more = tab.attendee_total - shown;
        lines.push(Line::styled(format!("… and {more} more (Enter lists them)"), theme::MUTED));
    }
}
