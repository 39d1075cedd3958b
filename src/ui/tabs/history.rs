//! The History tab: newest first, each row a sentence; the selected row's details beside it
//! as labelled lines.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{detail_block, empty, list_block};
use crate::app::layout::Areas;
use crate::app::{App, HistoryFilter};
use crate::model::{About, format_local};
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::{clean, theme};

fn title(f: &HistoryFilter, about_label: Option<&str>) -> String {
    let mut parts = vec!["History · newest first".to_string()];
    let mut add = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{name}: {}", clean(&v)));
        }
    };
    add("actor", f.actor.clone());
    add("action", f.action.map(|a| a.as_str().to_string()));
    add("kind", f.kind.map(|k| k.as_str().to_string()));
    let about = f.about.map(|a| match (about_label, a) {
        (Some(label), _) => label.to_string(),
        (None, About::Event(id)) => format!("event #{id}"),
        (None, About::Attendee(id)) => format!("attendee #{id}"),
    });
    add("about", about);
    add("since", f.since.map(format_local));
    add("until", f.until.map(format_local));
    parts.join(" · ")
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let list = &app.history.list;
    let block = list_block(title(&app.history.filter, app.history.about_label.as_deref()), list);
    if list.rows.is_empty() {
        empty(frame, areas.list, block, "No history matches. Press f to change the filter, x to clear it.");
    } else {
        let rows = list.rows.iter().map(|h| {
            Row::new(vec![Cell::from(format_local(h.created_at)), Cell::from(clean(&h.sentence()))])
        });
        let widths = [Constraint::Length(16), Constraint::Fill(1)];
        let header = Row::new(["Time", "What happened"]).style(theme::TABLE_HEADER);
        let table = selectable(rows, widths).header(header).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(list));
    }
    let block = detail_block("Details");
    let Some(h) = list.current() else {
        return empty(frame, areas.detail, block, "Select a row to see its details.");
    };
    let mut lines = vec![Line::styled(clean(&h.sentence()), theme::TITLE), Line::raw("")];
    lines.extend(h.labelled_lines().into_iter().map(|(label, value)| {
        Line::from(vec![Span::styled(format!("{label}: "), theme::LABEL), Span::raw(clean(&value))])
    }));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
}
