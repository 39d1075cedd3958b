//! Figures three rows tall, for the door's counter: readable from a step away from the screen.

use ratatui::style::Style;
use ratatui::text::Line;

/// Rows a big figure takes.
pub const HEIGHT: usize = 3;

/// The three rows of one character; None for a character the font does not draw.
fn glyph(c: char) -> Option<[&'static str; HEIGHT]> {
    Some(match c {
        '0' => ["┏━┓", "┃ ┃", "┗━┛"],
        '1' => [" ┓ ", " ┃ ", " ┻ "],
        '2' => ["━━┓", "┏━┛", "┗━━"],
        '3' => ["━━┓", " ━┫", "━━┛"],
        '4' => ["┃ ┃", "┗━┫", "  ┃"],
        '5' => ["┏━━", "┗━┓", "━━┛"],
        '6' => ["┏━━", "┣━┓", "┗━┛"],
        '7' => ["━━┓", "  ┃", "  ┃"],
        '8' => ["┏━┓", "┣━┫", "┗━┛"],
        '9' => ["┏━┓", "┗━┫", "━━┛"],
        '/' => ["  ╱", " ╱ ", "╱  "],
        ' ' => [" ", " ", " "],
        _ => return None,
    })
}

/// How many columns `text` takes drawn big (digits three wide, a space one, one apart).
pub fn width(text: &str) -> usize {
    let glyphs: usize = text.chars().filter_map(glyph).map(|g| g[0].chars().count() + 1).sum();
    glyphs.saturating_sub(1)
}

/// `text` drawn big, one line per row; None when it holds a character the font lacks.
pub fn lines(text: &str, style: Style) -> Option<Vec<Line<'static>>> {
    let glyphs: Vec<[&str; HEIGHT]> = text.chars().map(glyph).collect::<Option<_>>()?;
    let rows = (0..HEIGHT).map(|row| {
        let cells: Vec<&str> = glyphs.iter().map(|g| g[row]).collect();
        Line::styled(cells.join(" "), style)
    });
    Some(rows.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.to_string()).collect()).collect()
    }

    #[test]
    fn figures_are_three_rows_of_fixed_width() {
        let big = lines("37 / 120", Style::new()).expect("drawable");
        assert_eq!(
            text(&big),
            ["━━┓ ━━┓     ╱    ┓  ━━┓ ┏━┓", " ━┫   ┃    ╱     ┃  ┏━┛ ┃ ┃", "━━┛   ┃   ╱      ┻  ┗━━ ┗━┛",]
        );
        assert!(big.iter().all(|l| l.width() == width("37 / 120")));
    }

    #[test]
    fn a_character_without_a_glyph_is_not_drawn_big() {
        assert!(lines("12a", Style::new()).is_none());
    }
}
