//! Output for people (aligned plain-text tables) and for scripts (JSON). Every stored string
//! passes through `sanitize_display`, so an event title cannot drive the terminal.

use std::io::{ErrorKind, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::model::sanitize_display;

/// Writes `text` to stdout. A closed pipe (`eventdesk event list | head`) is not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints one value as JSON: an object for a single item, an array for a list.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = escape_unsafe(&serde_json::to_string_pretty(value)?);
    text.push('\n');
    emit(&text)
}

/// serde_json escapes C0 controls but writes C1 controls (U+0080–U+009F, e.g. the one-byte CSI
/// U+009B some terminals obey) and bidi overrides raw. They can only occur inside JSON strings,
/// so writing them as `\uXXXX` keeps the data exact and the terminal safe.
fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints a line of human text, with stored strings already made safe by the caller.
pub fn line(text: impl AsRef<str>) -> anyhow::Result<()> {
    emit(&format!("{}\n", text.as_ref()))
}

/// Column alignment: numbers read best right-aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A plain-text table: a header row, then rows, columns padded to their widest cell.
pub struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, Align)]) -> Self {
        Self { columns: columns.to_vec(), rows: Vec::new() }
    }

    /// Adds a row; cells are sanitized here so no caller can forget.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| sanitize_display(c)).collect());
    }

    /// The table as text, or `empty` when there are no rows.
    pub fn render(&self, empty: &str) -> String {
        if self.rows.is_empty() {
            return format!("{empty}\n");
        }
        let header: Vec<String> = self.columns.iter().map(|(name, _)| (*name).to_string()).collect();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                std::iter::once(&header).chain(&self.rows).map(|r| r.get(i).map_or(0, |c| c.width())).max()
            })
            .map(Option::unwrap_or_default)
            .collect();
        std::iter::once(&header).chain(&self.rows).map(|row| self.render_row(row, &widths)).collect()
    }

    fn render_row(&self, row: &[String], widths: &[usize]) -> String {
        let last = self.columns.len().saturating_sub(1);
        let mut out = String::new();
        for (i, ((_, align), width)) in self.columns.iter().zip(widths).enumerate() {
            let cell = row.get(i).map_or("", String::as_str);
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            match align {
                Align::Right => out.extend([pad.as_str(), cell]),
                // The last column is not padded, so lines carry no trailing blanks.
                Align::Left if i == last => out.push_str(cell),
                Align::Left => out.extend([cell, pad.as_str()]),
            }
            if i != last {
                out.push_str("  ");
            }
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters_and_numbers() {
        let mut t = Table::new(&[("ID", Align::Right), ("TITLE", Align::Left), ("LEFT", Align::Right)]);
        t.row(vec!["7".into(), "日本".into(), "3".into()]);
        t.row(vec!["12".into(), "Rust".into(), "10".into()]);
        assert_eq!(t.render("none"), "ID  TITLE  LEFT\n 7  日本      3\n12  Rust     10\n");
    }

    #[test]
    fn escapes_never_reach_the_terminal() {
        let mut t = Table::new(&[("TITLE", Align::Left)]);
        t.row(vec!["a\x1b[2Jb".into()]);
        assert!(!t.render("").contains('\x1b'));
        assert_eq!(Table::new(&[("X", Align::Left)]).render("no rows"), "no rows\n");
    }

    #[test]
    fn json_escapes_c1_controls_and_bidi_overrides_but_keeps_the_data() {
        let title = "a\u{9b}31m\u{202e}b 日本 \x1b";
        let text = escape_unsafe(&serde_json::to_string(&serde_json::json!({ "title": title })).unwrap());
        assert!(!text.contains(['\u{9b}', '\u{202e}', '\x1b']), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], title, "the same string after parsing");
    }
}
