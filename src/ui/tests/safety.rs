//! Stored text must never drive the terminal, and wide characters must not break the layout.

use super::{draw, text};
use crate::app::layout::Areas;
use crate::app::tests::fixture;
use ratatui::layout::Rect;

#[test]
fn escapes_are_inert_and_cjk_keeps_columns_and_borders() {
    let (f, store) = fixture::fixture();
    fixture::event(&store, &f.olga, "日本語のイベント 🎉 Rust", "2026-12-01 18:00", 4);
    fixture::event(&store, &f.olga, "Plain title", "2026-12-02 18:00", 4);
    let mut app = fixture::app(store, &f.olga);
    // The store refuses control characters in new titles, so plant them in the loaded page the
    // way a raw sqlite3 session could have stored them: render must still draw them inert.
    let row = &mut app.events.list.rows[0];
    row.title = format!("Evil\x1b[2J\x07{}", row.title);
    row.organizer = "Org\x1b]0;pwned\x07".into();
    let buffer = draw(&app, 120, 40);
    let screen = text(&buffer);
    assert!(!screen.contains('\x1b') && !screen.contains('\x07'), "{screen}");
    let areas = Areas::new(Rect::new(0, 0, 120, 40));
    let right = areas.list.right() - 1;
    for y in areas.list.y..areas.list.bottom() {
        let symbol = buffer[(right, y)].symbol();
        assert!(["│", "┐", "┘"].contains(&symbol), "row {y}: border broken: {symbol:?}\n{screen}");
    }
    let date_columns: Vec<u16> =
        (areas.list.y + 2..areas.list.y + 4).map(|y| date_column(&buffer, y)).collect();
    assert_eq!(date_columns[0], date_columns[1], "the When column lines up:\n{screen}");
    insta::assert_snapshot!("cjk_title", screen);
}

/// The column where a `2026-` date starts on row `y`.
fn date_column(buffer: &ratatui::buffer::Buffer, y: u16) -> u16 {
    (0..buffer.area.width.saturating_sub(5))
        .find(|&x| (0..5).map(|k| buffer[(x + k, y)].symbol()).collect::<String>() == "2026-")
        .unwrap_or(u16::MAX)
}
