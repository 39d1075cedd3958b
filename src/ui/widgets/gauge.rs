//! The booked/capacity bar: green with room, amber when nearly full, red when full.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::model::is_nearly_full;
use crate::ui::theme;

/// The colour for a fill level: amber from the share the summary line counts as nearly full.
pub fn fill_style(booked: u32, capacity: u32) -> Style {
    if booked >= capacity {
        theme::FILL_FULL
    } else if is_nearly_full(booked, capacity) {
        theme::FILL_NEAR
    } else {
        theme::FILL_OK
    }
}

/// A `width`-cell bar followed by `booked/capacity`.
pub fn seats_bar(booked: u32, capacity: u32, width: u16) -> Line<'static> {
    let width = u64::from(width);
    let filled = if capacity == 0 {
        width
    } else {
        (u64::from(booked.min(capacity)) * width).div_ceil(u64::from(capacity))
    };
    let style = fill_style(booked, capacity);
    let bar = "█".repeat(usize::try_from(filled).unwrap_or(0));
    let rest = "░".repeat(usize::try_from(width - filled.min(width)).unwrap_or(0));
    Line::from(vec![
        Span::styled(bar, style),
        Span::styled(rest, theme::MUTED),
        Span::styled(format!(" {booked}/{capacity}"), style),
    ])
}

/// A table cell: a `bar`-cell gauge and `booked/capacity` right-aligned in `count` cells, so
/// the counts of every row line up.
pub fn seats_cell(booked: u32, capacity: u32, bar: u16, count: u16) -> Line<'static> {
    let mut line = seats_bar(booked, capacity, bar);
    if let Some(last) = line.spans.last_mut() {
        let text = format!("{booked}/{capacity}");
        last.content = format!(" {text:>w$}", w = usize::from(count)).into();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_fill() {
        assert_eq!(fill_style(1, 10), theme::FILL_OK);
        assert_eq!(fill_style(8, 10), theme::FILL_NEAR);
        assert_eq!(fill_style(10, 10), theme::FILL_FULL);
    }

    #[test]
    fn bar_width_is_fixed_and_any_booking_shows() {
        let text = |l: Line| l.spans.iter().map(|s| s.content.to_string()).collect::<String>();
        assert_eq!(text(seats_bar(0, 10, 5)), "░░░░░ 0/10");
        assert_eq!(text(seats_bar(1, 100, 5)), "█░░░░ 1/100");
        assert_eq!(text(seats_bar(10, 10, 5)), "█████ 10/10");
    }
}
