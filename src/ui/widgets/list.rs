//! The selectable table every list and picker draws, and its selection state.

use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table, TableState};

use crate::app::Paged;
use crate::ui::theme;

/// A table whose selected row is marked the same way in every list and picker.
pub fn selectable<'a, R, C>(rows: R, widths: C) -> Table<'a>
where
    R: IntoIterator,
    R::Item: Into<Row<'a>>,
    C: IntoIterator,
    C::Item: Into<Constraint>,
{
    Table::new(rows, widths).row_highlight_style(theme::SELECTED).highlight_symbol("▶ ")
}

/// The table state for the loaded page of `list`, built at render time from the app's state.
pub fn page_state<T>(list: &Paged<T>) -> TableState {
    TableState::default().with_selected(list.selected_in_page())
}
