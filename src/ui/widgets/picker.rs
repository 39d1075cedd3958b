//! The picker popup of the booking flow: a search line over a page of events or attendees.

use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row};

use super::list::{page_state, selectable};
use crate::app::layout::PickerAreas;
use crate::app::{ATTENDEE_CAP, Paged, Picker, PickerList};
use crate::model::{Attendee, Event, format_local};
use crate::ui::{clean, theme};

pub fn render(frame: &mut Frame, areas: &PickerAreas, picker: &Picker) {
    let area = areas.popup;
    frame.render_widget(Clear, area);
    let title = match &picker.list {
        PickerList::Events(_) => " Book: choose an event (a full one offers its waiting list) ".to_string(),
        PickerList::Attendees { event, .. } if event.is_full() => {
            format!(" {} is full: choose an attendee for its waiting list ", clean(&event.title))
        }
        PickerList::Attendees { event, .. } => {
            format!(" Book onto {}: choose an attendee (Ctrl-N adds one) ", clean(&event.title))
        }
    };
    let block = Block::bordered().border_style(theme::BORDER_FOCUS).title(Line::styled(title, theme::TITLE));
    frame.render_widget(block, area);
    let PickerAreas { search, list, count, .. } = *areas;
    let text = clean(picker.search.value());
    let line = Line::from(vec![Span::styled("search: ", theme::LABEL), Span::raw(text)]);
    frame.render_widget(Paragraph::new(line), search);
    let cursor = u16::try_from(picker.search.visual_cursor()).unwrap_or(0);
    frame.set_cursor_position(Position::new((search.x + 8 + cursor).min(search.right()), search.y));
    let (total, position) = match &picker.list {
        PickerList::Events(p) => (render_events(frame, list, p), p.selected),
        PickerList::Attendees { list: p, .. } => (render_attendees(frame, list, p), p.selected),
    };
    let note = match total {
        0 => "no matches".to_string(),
        _ if let PickerList::Events(p) = &picker.list
            && (p.more || p.from_end) =>
        {
            p.position()
        }
        t if t > ATTENDEE_CAP && matches!(picker.list, PickerList::Attendees { .. }) => {
            format!("{} of {ATTENDEE_CAP}+ (type more to narrow)", position + 1)
        }
        t => format!("{} of {t}", position + 1),
    };
    frame.render_widget(Paragraph::new(Line::styled(note, theme::MUTED)), count);
}

fn render_events(frame: &mut Frame, area: Rect, p: &Paged<Event>) -> u64 {
    let rows = p.rows.iter().map(|e| {
        Row::new(vec![
            Cell::from(clean(&e.title)),
            Cell::from(format_local(e.starts_at)),
            Cell::from(if e.is_full() { "full".to_string() } else { format!("{} left", e.seats_left()) }),
        ])
    });
    let widths = [Constraint::Fill(1), Constraint::Length(16), Constraint::Length(10)];
    let table = selectable(rows, widths);
    frame.render_stateful_widget(table, area, &mut page_state(p));
    p.total
}

fn render_attendees(frame: &mut Frame, area: Rect, p: &Paged<Attendee>) -> u64 {
    let rows = p.rows.iter().map(|a| Row::new(vec![Cell::from(clean(&a.name)), Cell::from(clean(&a.email))]));
    let widths = [Constraint::Fill(1), Constraint::Fill(1)];
    let table = selectable(rows, widths);
    frame.render_stateful_widget(table, area, &mut page_state(p));
    p.total
}
