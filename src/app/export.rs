//! `E`: the current tab's list, with its filters, written whole to a CSV file. The export runs
//! on a thread and connection of its own (`Db::spawn`) and streams page by page, so the screen
//! stays live and memory stays flat at a million rows. Its progress is copied into state on
//! each tick; `E` again or Esc stops it, and a stopped export leaves no file behind.

use std::path::PathBuf;
use std::sync::Arc;

use super::worker::Slot;
use super::{Answer, App, Tab};
use crate::export::{self, List, Progress, Saved};
use crate::model::plural;
use crate::store::Page;

/// An export under way, as the status line shows it.
#[derive(Debug, Clone)]
pub struct Export {
    /// What is being exported ("bookings").
    pub list: &'static str,
    pub written: u64,
    /// The rows the list held when the export began (0 until counted).
    pub total: u64,
    /// Asked to stop; the answer (and the removal of its file) is on the way.
    pub stopping: bool,
    progress: Arc<Progress>,
}

impl Export {
    /// "exporting bookings… 5 000 of 12 000 rows · E or Esc stops".
    pub fn text(&self) -> String {
        if self.stopping {
            return format!("stopping the {} export…", self.list);
        }
        let of = if self.total > 0 { format!(" of {}", self.total) } else { String::new() };
        format!("exporting {}… {}{of} rows · E or Esc stops", self.list, self.written)
    }
}

impl App {
    /// `E`: starts exporting the current tab's list, or stops the export under way.
    pub(super) fn export_action(&mut self) {
        match &self.export {
            Some(e) if e.stopping => self.info(format!("Stopping the {} export…", e.list)),
            Some(_) => self.stop_export(),
            None => self.start_export(),
        }
    }

    /// The current tab's list as on screen: its filters and search, every page of it.
    fn export_list(&self) -> List {
        match self.tab {
            Tab::Events => List::Events(self.event_query(Page::default())),
            Tab::Bookings => List::Bookings(self.booking_query(Page::default())),
            Tab::History => List::History(self.history_query(Page::default())),
            // The door's list: the event's active bookings that match its search.
            Tab::Door => List::Bookings(match &self.door.event {
                Some(e) => super::door::door_query(e.id, self.door.search.value().trim().to_string()),
                None => self.booking_query(Page::default()),
            }),
        }
    }

    fn start_export(&mut self) {
        let list = self.export_list();
        let name = list.name();
        let progress = Arc::new(Progress::default());
        let (dir, stem) =
            (self.export_dir.clone(), format!("eventdesk-{name}-{}", self.now.format("%Y%m%d-%H%M%S")));
        let shared = progress.clone();
        let work = move |store: crate::model::Result<crate::store::Store>| {
            let saved = store
                .map_err(anyhow::Error::from)
                .and_then(|store| export::to_file(&store, &list, &dir, &stem, &shared));
            Answer::Exported(saved.map_err(|e| format!("{e:#}")))
        };
        match self.db.spawn(Slot::Export, work) {
            Ok(_) => {
                self.export = Some(Export { list: name, written: 0, total: 0, stopping: false, progress });
                // The progress takes the status line; the file's path comes with the end.
                self.status = None;
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Stops the export under way (E again, Esc, quitting); its file is removed.
    pub(super) fn stop_export(&mut self) {
        if let Some(e) = self.export.as_mut().filter(|e| !e.stopping) {
            e.progress.stop();
            e.stopping = true;
        }
    }

    /// Copies the export's progress into state (on each tick: render reads state only).
    pub(super) fn export_tick(&mut self) {
        if let Some(e) = &mut self.export {
            e.written = e.progress.written();
            e.total = e.progress.total();
        }
    }

    /// The export's answer: where the file is, or that it stopped, or why it failed.
    pub(super) fn on_exported(&mut self, saved: Result<Saved, String>) {
        let Some(export) = self.export.take() else { return };
        match saved {
            Ok(Saved::Done { path, rows }) => {
                let what = plural(rows, "row", "rows");
                self.info(format!("Exported {what} of {} to {}", export.list, path.display()));
            }
            Ok(Saved::Stopped { rows }) => {
                self.warn(format!(
                    "Export of {} stopped after {rows} rows; no file was written",
                    export.list
                ));
            }
            Err(e) => self.warn(format!("Export of {} failed: {e}", export.list)),
        }
    }
}

/// Where `E` writes when nothing else is said: the directory the app was started in.
pub(super) fn default_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}
