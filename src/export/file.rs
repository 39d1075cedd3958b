//! A whole list into a new CSV file, the way the terminal app's `E` writes one: under a
//! `.part` name until the last row is in, then linked to its final name, which is never an
//! existing file's. A stopped or failed export leaves no file behind, so a half-written list
//! can never be taken for a whole one.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::Context as _;

use super::{CsvWriter, List};
use crate::store::Store;

/// How far an export running on another thread is, and the flag that stops it.
#[derive(Debug, Default)]
pub struct Progress {
    written: AtomicU64,
    /// The rows the list held when the export began; 0 until counted.
    total: AtomicU64,
    stop: AtomicBool,
}

impl Progress {
    /// Rows written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// The rows the list held when the export began (0 until counted).
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Asks the export to stop after the page it is writing; it then removes its file.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Every row is in the file at `path`.
    Done { path: PathBuf, rows: u64 },
    /// Stopped by `Progress::stop` after `rows` rows; no file was left.
    Stopped { rows: u64 },
}

/// Writes `list` whole to a new file in `dir` named `<stem>.csv` (or `<stem>-2.csv`, … when
/// that exists), reporting each page to `progress`.
pub fn to_file(
    store: &Store,
    list: &List,
    dir: &Path,
    stem: &str,
    progress: &Progress,
) -> anyhow::Result<Saved> {
    progress.total.store(list.count(store)?, Ordering::Relaxed);
    let (part, file) = create_part(dir, stem)?;
    let result = write(store, list, file, progress).and_then(|rows| match rows {
        Some(rows) => publish(&part, dir, stem).map(|path| Saved::Done { path, rows }),
        None => Ok(Saved::Stopped { rows: progress.written() }),
    });
    // Whatever happened, the part file goes: linked into place, or not wanted.
    let _ = std::fs::remove_file(&part);
    result
}

/// Writes every row; None when stopped before the end.
fn write(store: &Store, list: &List, file: File, progress: &Progress) -> anyhow::Result<Option<u64>> {
    let mut out = CsvWriter::new(list.columns(), file, false)?;
    let written = list.write(store, &mut out, &mut |rows| {
        progress.written.store(rows, Ordering::Relaxed);
        !progress.stopped()
    })?;
    if !written.complete {
        return Ok(None);
    }
    out.finish()?.sync_all().context("cannot save the CSV file")?;
    Ok(Some(written.rows))
}

/// The n-th candidate name: `stem.csv`, `stem-2.csv`, ...
fn name(dir: &Path, stem: &str, n: u32) -> PathBuf {
    if n == 1 { dir.join(format!("{stem}.csv")) } else { dir.join(format!("{stem}-{n}.csv")) }
}

/// A new, empty `.part` file beside a free final name.
fn create_part(dir: &Path, stem: &str) -> anyhow::Result<(PathBuf, File)> {
    for n in 1..1_000 {
        let path = name(dir, stem, n);
        if path.exists() {
            continue;
        }
        let part = path.with_extension("csv.part");
        match OpenOptions::new().write(true).create_new(true).open(&part) {
            Ok(file) => return Ok((part, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", part.display())),
        }
    }
    anyhow::bail!("no free file name for {stem}.csv in {}", dir.display())
}

/// Gives the finished part file its final name: a hard link, which fails rather than
/// replace a file that appeared meanwhile (the next free name is taken then).
fn publish(part: &Path, dir: &Path, stem: &str) -> anyhow::Result<PathBuf> {
    for n in 1..1_000 {
        let path = name(dir, stem, n);
        match std::fs::hard_link(part, &path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e).with_context(|| format!("cannot save {}", path.display())),
        }
    }
    anyhow::bail!("no free file name for {stem}.csv in {}", dir.display())
}
