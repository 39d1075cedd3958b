//! RFC 4180 CSV for spreadsheets, written page by page as the store returns rows, never
//! collected whole. The header is the list's `--json` field names, in the same order; numbers
//! are written as numbers and text cells are guarded against formula injection.

use std::borrow::Cow;
use std::io::{ErrorKind, IsTerminal, Write};

use anyhow::{Context as _, anyhow};
use serde::Serialize;
use serde_json::Value;

/// Characters a spreadsheet reads as the start of a formula (or that hide one) at the start of
/// a cell.
pub const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written: with a leading `'` when it would start a formula, so a spreadsheet
/// shows it as text instead of running it.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// The cell for one JSON value: numbers as numbers, nothing as an empty cell, nested values
/// (history details) as their JSON text.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => guard(s).into_owned(),
        nested => guard(&nested.to_string()).into_owned(),
    }
}

/// On a terminal, control characters other than line breaks and tabs, and bidi overrides, are
/// replaced (as every other output does); into a file or a pipe the text goes exactly as stored.
fn inert_for_terminal(text: String, terminal: bool) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if terminal && text.contains(unsafe_char) { text.replace(unsafe_char, "\u{fffd}") } else { text }
}

/// The output under the CSV writer. A closed pipe (`| head`) ends the output quietly, like the
/// other outputs, instead of failing the command.
struct Pipe<W: Write> {
    out: W,
    closed: bool,
}

impl<W: Write> Write for Pipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.out.write_all(buf) {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => self.closed = true,
            other => other?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.out.flush() {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            _ if self.closed => Ok(()),
            other => other,
        }
    }
}

/// CSV rows with a fixed header, written to a sink one page at a time.
pub struct CsvWriter<W: Write> {
    columns: &'static [&'static str],
    csv: csv::Writer<Pipe<W>>,
    terminal: bool,
}

impl CsvWriter<std::io::Stdout> {
    /// A writer to stdout; writes the header at once, so an empty list still has one.
    pub fn stdout(columns: &'static [&'static str]) -> anyhow::Result<Self> {
        let out = std::io::stdout();
        let terminal = out.is_terminal();
        Self::new(columns, out, terminal)
    }
}

impl<W: Write> CsvWriter<W> {
    pub fn new(columns: &'static [&'static str], out: W, terminal: bool) -> anyhow::Result<Self> {
        let csv = csv::Writer::from_writer(Pipe { out, closed: false });
        let mut w = CsvWriter { columns, csv, terminal };
        w.csv.write_record(columns)?;
        w.csv.flush().context("cannot write the CSV")?;
        Ok(w)
    }

    /// Whether the reader is still there; a list stops fetching pages when it is not.
    pub fn is_open(&self) -> bool {
        !self.csv.get_ref().closed
    }

    /// Flushes what is left and hands the output back, so a file can be synced and closed
    /// with its errors seen (dropping the writer would swallow them).
    pub fn finish(self) -> anyhow::Result<W> {
        let pipe = self.csv.into_inner().map_err(|e| anyhow!("cannot write the CSV: {}", e.error()))?;
        Ok(pipe.out)
    }

    /// Writes one page of rows. Each row must serialize to an object with exactly the header's
    /// fields: a field added to `--json` but not here is an error, not a silently short file.
    pub fn page<T: Serialize>(&mut self, rows: &[T]) -> anyhow::Result<()> {
        for row in rows {
            let Value::Object(fields) = serde_json::to_value(row)? else {
                return Err(anyhow!("internal: a CSV row is not an object"));
            };
            if fields.len() != self.columns.len() {
                let names: Vec<&String> = fields.keys().collect();
                return Err(anyhow!(
                    "internal: CSV columns {:?} out of step with JSON fields {names:?}",
                    self.columns
                ));
            }
            let mut record = Vec::with_capacity(self.columns.len());
            for column in self.columns {
                let value =
                    fields.get(*column).ok_or_else(|| anyhow!("internal: no JSON field {column} for CSV"))?;
                record.push(inert_for_terminal(cell(value), self.terminal));
            }
            self.csv.write_record(&record)?;
        }
        // Each page reaches the reader before the next is read.
        self.csv.flush().context("cannot write the CSV")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(columns: &'static [&'static str], rows: &[Value]) -> String {
        let mut buf = Vec::new();
        let mut w = CsvWriter::new(columns, &mut buf, false).unwrap();
        w.page(rows).unwrap();
        drop(w);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn formula_starts_get_a_quote_and_nothing_else_does() {
        for text in ["=1+1", "+34 600", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(text), format!("'{text}"), "{text:?}");
        }
        for text in ["Rust", "", "a=b", " =x", "'quoted", "1-2", "日本"] {
            assert_eq!(guard(text), text, "{text:?}");
        }
    }

    #[test]
    fn numbers_stay_numbers_and_text_is_guarded() {
        let rows = [serde_json::json!({ "id": -3, "title": "=HYPERLINK(\"x\")", "phone": null, "ok": true })];
        let text = written(&["id", "title", "phone", "ok"], &rows);
        assert_eq!(text, "id,title,phone,ok\n-3,\"'=HYPERLINK(\"\"x\"\")\",,true\n");
    }

    #[test]
    fn an_empty_list_still_has_its_header() {
        assert_eq!(written(&["id", "name"], &[]), "id,name\n");
    }

    #[test]
    fn a_field_the_header_lacks_is_an_error() {
        let mut buf = Vec::new();
        let mut w = CsvWriter::new(&["id"], &mut buf, false).unwrap();
        let err = w.page(&[serde_json::json!({ "id": 1, "new_field": 2 })]).unwrap_err();
        assert!(err.to_string().contains("out of step"), "{err}");
    }

    #[test]
    fn escapes_are_kept_in_files_and_replaced_on_terminals() {
        let evil = "a\x1b[2J\u{9b}\u{202e}b\nc".to_string();
        assert_eq!(inert_for_terminal(evil.clone(), false), evil);
        assert_eq!(inert_for_terminal(evil, true), "a\u{fffd}[2J\u{fffd}\u{fffd}b\nc");
    }
}

#[cfg(test)]
mod round_trip {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// Writes one row of `title` and `n` and reads it back with the csv crate.
    fn back(title: &str, n: i64) -> (Vec<String>, csv::StringRecord) {
        let mut buf = Vec::new();
        let mut w = CsvWriter::new(&["title", "n"], &mut buf, false).unwrap();
        w.page(&[json!({ "title": title, "n": n })]).unwrap();
        drop(w);
        let mut reader = csv::Reader::from_reader(buf.as_slice());
        let header = reader.headers().unwrap().iter().map(str::to_string).collect();
        let mut records = reader.records();
        let record = records.next().unwrap().unwrap();
        assert!(records.next().is_none(), "one row in, one row out");
        (header, record)
    }

    proptest! {
        // Any text at all (quotes, commas, line breaks, controls, any script) comes back as it
        // was stored; only a formula start gains its guard, which the other test covers.
        #[test]
        fn any_text_comes_back_equal(title in any::<String>(), n in any::<i64>()) {
            prop_assume!(!title.starts_with(FORMULA_START));
            let (header, record) = back(&title, n);
            prop_assert_eq!(header, ["title", "n"]);
            prop_assert_eq!(&record[0], title.as_str());
            prop_assert_eq!(record[1].parse::<i64>().ok(), Some(n), "numbers are plain numbers");
        }

        #[test]
        fn text_with_a_formula_start_comes_back_with_one_quote(
            start in proptest::sample::select(FORMULA_START.to_vec()),
            rest in any::<String>(),
        ) {
            let title = format!("{start}{rest}");
            let (_, record) = back(&title, 0);
            let guarded = format!("'{title}");
            prop_assert_eq!(&record[0], guarded.as_str());
        }
    }
}
