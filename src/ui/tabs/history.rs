//! The History tab: newest first; the selected row's JSON details pretty-printed beside it.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{detail_block, empty, list_block};
use crate::app::layout::Areas;
use crate::app::{App, HistoryFilter};
use crate::model::{HistoryEntry, format_local};
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::{clean, theme};

fn title(f: &HistoryFilter) -> String {
    let mut parts = vec!["History · newest first".to_string()];
    let mut add = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{name}: {}", clean(&v)));
        }
    };
    add("actor", f.actor.clone());
    add("action", f.action.clone());
    add("kind", f.kind.clone());
    add("since", f.since.map(format_local));
    add("until", f.until.map(format_local));
    parts.join(" · ")
}

fn object(h: &HistoryEntry) -> String {
    match h.object_id {
        Some(id) => format!("{} #{id}", clean(&h.object_kind)),
        None => clean(&h.object_kind),
    }
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let list = &app.history.list;
    let block = list_block(title(&app.history.filter), list);
    if list.rows.is_empty() {
        empty(frame, areas.list, block, "No history matches. Press f to change the filter, x to clear it.");
    } else {
        let rows = list.rows.iter().map(|h| {
            Row::new(vec![
                Cell::from(format_local(h.created_at)),
                Cell::from(clean(&h.actor)),
                Cell::from(clean(&h.action)),
                Cell::from(object(h)),
            ])
        });
        let widths =
            [Constraint::Length(16), Constraint::Fill(1), Constraint::Length(12), Constraint::Fill(1)];
        let header = Row::new(["Time", "Actor", "Action", "Object"]).style(theme::TABLE_HEADER);
        let table = selectable(rows, widths).header(header).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(list));
    }
    let block = detail_block("Details");
    let Some(h) = list.current() else {
        return empty(frame, areas.detail, block, "Select a row to see its details.");
    };
    let json = serde_json::to_string_pretty(&h.details).unwrap_or_else(|_| h.details.to_string());
    let lines: Vec<Line> = json.lines().map(|l| Line::raw(clean(l))).collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), areas.detail);
}
