//! The Events tab: title, when, status badge, fill bar and seats left, with the capacity
//! summary on the list's bottom border; details and bookings over time on the side.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{LOADING, detail_block, empty, list_block, search_note};
use crate::app::layout::Areas;
use crate::app::{App, events_filter_label};
use crate::model::{
    Attendance, CapacitySummary, Event, Phase, check_in_opens, format_local, per_day, plural,
};
use crate::ui::widgets::gauge::{seats_bar, seats_cell};
use crate::ui::widgets::list::{page_state, selectable};
use crate::ui::widgets::spark;
use crate::ui::{clean, fit, theme};

const BAR: u16 = 8;

/// The table's columns for a list `width` wide: the title takes whatever the others leave.
struct Columns {
    title: u16,
    /// The gauge's cells; the count beside it is right-aligned in `COUNT` cells.
    bar: u16,
    /// Whether "Left" has a column of its own (the count beside the gauge says it too).
    left: bool,
}

/// Cells of "booked/capacity", right-aligned so the slashes line up for up to 999/999.
const COUNT: u16 = 7;
const WHEN: u16 = 16;
const STATUS: u16 = 8;
const LEFT: u16 = 5;
/// Borders and the selection mark.
const CHROME: u16 = 4;
/// From this list width on, "Left" gets its own column and the gauge its full width.
const ROOMY: u16 = 90;

impl Columns {
    fn for_width(width: u16) -> Columns {
        let (bar, left) = if width >= ROOMY { (BAR, true) } else { (BAR - 2, false) };
        let gaps = if left { 4 } else { 3 };
        let fixed = WHEN + STATUS + bar + 1 + COUNT + if left { LEFT } else { 0 } + gaps + CHROME;
        Columns { title: width.saturating_sub(fixed).max(8), bar, left }
    }

    fn widths(&self) -> Vec<Constraint> {
        let mut w = vec![
            Constraint::Length(self.title),
            Constraint::Length(WHEN),
            Constraint::Length(STATUS),
            Constraint::Length(self.bar + 1 + COUNT),
        ];
        if self.left {
            w.push(Constraint::Length(LEFT));
        }
        w
    }

    fn header(&self) -> Row<'static> {
        let mut cells = vec![
            Cell::from("Title"),
            Cell::from("When"),
            Cell::from("Status"),
            Cell::from(Line::from("Booked").right_aligned()),
        ];
        if self.left {
            cells.push(Cell::from(Line::from("Left").right_aligned()));
        }
        Row::new(cells).style(theme::TABLE_HEADER)
    }

    fn row(&self, e: &Event, app: &App) -> Row<'static> {
        let mut cells = vec![
            Cell::from(fit(&clean(&e.title), usize::from(self.title))),
            Cell::from(format_local(e.starts_at)),
            Cell::from(badge(e.phase(app.now))),
            Cell::from(seats_cell(e.booked, e.capacity, self.bar, COUNT)),
        ];
        if self.left {
            cells.push(Cell::from(Line::from(e.seats_left().to_string()).right_aligned()));
        }
        Row::new(cells)
    }
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let tab = &app.events;
    let title =
        format!("Events · {}{}", events_filter_label(tab.filter), search_note(app, tab.search.value()));
    let mut block = list_block(title, &tab.list);
    if let Some(s) = &tab.summary {
        // Room left of the position ("12 of 340") on the bottom border.
        let room = usize::from(areas.list.width.saturating_sub(20));
        block = block.title_bottom(summary_line(s, room));
    }
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
        let columns = Columns::for_width(areas.list.width);
        let rows = tab.list.rows.iter().map(|e| columns.row(e, app));
        let table = selectable(rows, columns.widths()).header(columns.header()).block(block);
        frame.render_stateful_widget(table, areas.list, &mut page_state(&tab.list));
    }
    detail(frame, areas, app);
}

/// "2 today · 5 this week · 34 seats left · 1 nearly full · 1 full", shortened to fit `room`.
fn summary_line(s: &CapacitySummary, room: usize) -> Line<'static> {
    let long = [
        (format!("{} today", s.today), theme::MUTED),
        (format!("{} this week", s.this_week), theme::MUTED),
        (format!("{} seats left", s.seats_left), theme::MUTED),
        (
            format!("{} nearly full", s.nearly_full),
            if s.nearly_full > 0 { theme::FILL_NEAR } else { theme::MUTED },
        ),
        (format!("{} full", s.full), if s.full > 0 { theme::FILL_FULL } else { theme::MUTED }),
    ];
    let width = |parts: &[(String, ratatui::style::Style)]| {
        parts.iter().map(|(t, _)| t.width() + 3).sum::<usize>() + 1
    };
    let mut parts = long.to_vec();
    for words in
        [["today", "this week", "left", "nearly full", "full"], ["today", "wk", "left", "near", "full"]]
    {
        if width(&parts) <= room {
            break;
        }
        for ((text, _), word) in parts.iter_mut().zip(words) {
            let n = text.split(' ').next().unwrap_or_default().to_string();
            *text = format!("{n} {word}");
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (text, style)) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::MUTED));
        }
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn badge(phase: Phase) -> Span<'static> {
    let style = match phase {
        Phase::Upcoming => theme::UPCOMING,
        Phase::Ongoing => theme::ONGOING,
        Phase::Past => theme::PAST,
    };
    Span::styled(phase.as_str(), style)
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
    if loaded {
        let room = usize::from(areas.detail.width.saturating_sub(2 + 10));
        lines.push(bookings_over_time(app, e, room, label("bookings")));
    }
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

/// "bookings  ▁▃█▁▂  14 in 9 days": seats taken per day from the history, up to today (or
/// the event's end, if that came first), the latest days when they do not all fit.
fn bookings_over_time(app: &App, e: &Event, room: usize, label: Span<'static>) -> Line<'static> {
    let last = app.now.min(e.ends_at).date_naive();
    let series = per_day(&app.events.days, last);
    if series.is_empty() {
        return Line::from(vec![label, Span::styled("none yet", theme::MUTED)]);
    }
    let taken: u64 = series.iter().sum();
    let note = format!("  {taken} in {}", crate::model::plural_len(series.len(), "day", "days"));
    let shown = room.saturating_sub(note.width()).clamp(1, series.len());
    let spark = spark::line(&series[series.len() - shown..]);
    Line::from(vec![label, Span::styled(spark, theme::FILL_OK), Span::styled(note, theme::MUTED)])
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
