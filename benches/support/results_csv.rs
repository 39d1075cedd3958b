//! Machine-readable rows of the contention figures, appended to
//! `target/bench-results/contention.csv` for the plot script (one header, however many runs).

use std::io::Write;
use std::path::{Path, PathBuf};

use eventdesk::race::Spread;

const HEADER: &str = "engine,variant,processes,booked_per_s,p50_ms,p99_ms,max_ms,errors";

/// One measured row: which engine, which variant (`eventdesk`, `baseline`, `baseline_indexed`, `baseline_small_pages`).
pub struct Row<'a> {
    pub engine: &'a str,
    pub variant: &'a str,
    pub processes: u64,
    pub per_second: f64,
    pub spread: &'a Spread,
    pub errors: u64,
}

/// Where the rows go: beside `target/bench-data`, under the same target folder.
pub fn path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    target.join("bench-results").join("contention.csv")
}

/// Appends `row`, writing the header first when the file is new. A failure is reported, not
/// fatal: the printed table is the figure, the file only feeds the plot.
pub fn append(row: &Row<'_>) {
    if let Err(e) = try_append(&path(), row) {
        eprintln!("could not append to {}: {e}", path().display());
    }
}

fn try_append(path: &Path, row: &Row<'_>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    if file.metadata()?.len() == 0 {
        writeln!(file, "{HEADER}")?;
    }
    let s = row.spread;
    writeln!(
        file,
        "{},{},{},{:.1},{:.3},{:.3},{:.3},{}",
        row.engine, row.variant, row.processes, row.per_second, s.p50_ms, s.p99_ms, s.max_ms, row.errors
    )
}
