//! `--csv` on the list commands: the shared CSV writer (`crate::export`) pointed at stdout.

use serde::Serialize;

use crate::export::{CsvWriter, each_page};

/// `--csv` on a list command. Conflicts with the global `--json`: one output at a time.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct CsvFlag {
    /// Write the list as CSV (RFC 4180, UTF-8, header = the --json field names), page by page
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

/// Streams a whole list to stdout as CSV: each page is written as soon as it is read.
pub fn csv_list<T: Serialize>(
    columns: &'static [&'static str],
    fetch: impl FnMut(crate::store::Page) -> crate::model::Result<Vec<T>>,
) -> anyhow::Result<()> {
    let mut out = CsvWriter::stdout(columns)?;
    each_page(fetch, |page| {
        out.page(&page)?;
        Ok(out.is_open())
    })
}
