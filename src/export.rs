//! Whole lists as CSV, for the command line's `--csv` and the terminal app's `E`: one writer,
//! one set of columns per list (the `--json` field names) and one way to read each list to its
//! end, page by page, so neither front end ever holds more than a page of a long list.

mod file;
mod writer;

use std::io::Write;

use serde::Serialize;

use crate::model::{BookingRow, Error, HistoryEntry, Result};
use crate::store::{BookingQuery, EventQuery, HistoryQuery, Page, Store};

pub use file::{Progress, Saved, to_file};
pub use writer::{CsvWriter, FORMULA_START, guard};

/// Rows read per page when a list is read to its end: large, since each page costs a
/// round trip (and, for lists read by OFFSET, a walk over the rows before it).
pub const PAGE: u32 = 5_000;

/// `event list --csv` columns: the `--json` field names of an event, in order.
pub const EVENT_COLUMNS: &[&str] = &[
    "id",
    "title",
    "description",
    "start",
    "end",
    "capacity",
    "booked",
    "seats_left",
    "creator_id",
    "organizer",
    "created_at",
    "updated_at",
    "version",
];

/// `bookings --csv` columns: the `--json` field names of a booking row, in order.
pub const BOOKING_COLUMNS: &[&str] = &[
    "id",
    "event_id",
    "attendee_id",
    "status",
    "booked_at",
    "cancelled_at",
    "attendee_name",
    "attendee_email",
    "event_title",
    "event_start",
    "seats_left",
    "checked_in_at",
    "checked_in_by",
];

/// `history --csv` columns: the `--json` field names of a history row, in order.
pub const HISTORY_COLUMNS: &[&str] =
    &["id", "actor", "action", "object_kind", "object_id", "details", "created_at", "summary"];

/// `attendee list --csv` columns: the `--json` field names of an attendee, in order.
pub const ATTENDEE_COLUMNS: &[&str] =
    &["id", "name", "email", "phone", "created_at", "updated_at", "version"];

/// A history row as `--json` and `--csv` write it: the stored fields and the sentence.
#[derive(Debug, Serialize)]
pub struct HistoryRow {
    #[serde(flatten)]
    pub entry: HistoryEntry,
    pub summary: String,
}

impl From<HistoryEntry> for HistoryRow {
    fn from(entry: HistoryEntry) -> Self {
        HistoryRow { summary: entry.sentence(), entry }
    }
}

/// Hands each page of a list to `sink` as it is read, until the list ends or `sink` says stop
/// (false). Stops on an empty page rather than a short one, so a store that caps the page size
/// below what was asked still hands over every row.
pub fn each_page<T, E: From<Error>>(
    mut fetch: impl FnMut(Page) -> Result<Vec<T>>,
    mut sink: impl FnMut(Vec<T>) -> std::result::Result<bool, E>,
) -> std::result::Result<(), E> {
    let mut offset = 0u64;
    loop {
        let page = fetch(Page::new(offset, PAGE))?;
        if page.is_empty() {
            return Ok(());
        }
        offset += page.len() as u64;
        if !sink(page)? {
            return Ok(());
        }
    }
}

/// Pages of a list ordered by id, newest first, each starting below the last id of the one
/// before: reading a million rows costs one index descent per page, not an OFFSET walk over
/// every row before it. `read` gets the id to start below and the page size.
fn keyset<T>(
    mut read: impl FnMut(Option<i64>, u32) -> Result<Vec<T>>,
    id: fn(&T) -> i64,
) -> impl FnMut(Page) -> Result<Vec<T>> {
    let mut before: Option<i64> = None;
    move |page| {
        let rows = read(before, page.limit)?;
        if let Some(last) = rows.last().map(id) {
            if before.is_some_and(|b| last >= b) {
                return Err(Error::Storage("internal: a list did not come in id order".into()));
            }
            before = Some(last);
        }
        Ok(rows)
    }
}

/// Every booking `query` matches, newest first, page by page (its `page` is ignored).
pub fn bookings<'s>(
    store: &'s Store,
    query: BookingQuery,
) -> impl FnMut(Page) -> Result<Vec<BookingRow>> + 's {
    keyset(
        move |before_id, limit| {
            store.list_bookings(&BookingQuery { before_id, page: Page::new(0, limit), ..query.clone() })
        },
        |r: &BookingRow| r.booking.id,
    )
}

/// Every history row `query` matches, newest first, page by page (its `page` is ignored).
pub fn history<'s>(
    store: &'s Store,
    query: HistoryQuery,
) -> impl FnMut(Page) -> Result<Vec<HistoryEntry>> + 's {
    keyset(
        move |before_id, limit| {
            store.history(&HistoryQuery { before_id, page: Page::new(0, limit), ..query.clone() })
        },
        |e: &HistoryEntry| e.id,
    )
}

/// A list with its filters, as a screen or a command shows it, to be written whole.
#[derive(Debug, Clone, PartialEq)]
pub enum List {
    Events(EventQuery),
    Bookings(BookingQuery),
    History(HistoryQuery),
}

/// How far a written list got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows: u64,
    /// False when `progress` stopped it (or the reader went away) before the list ended.
    pub complete: bool,
}

impl List {
    /// What the list holds, in words and in file names ("bookings").
    pub fn name(&self) -> &'static str {
        match self {
            List::Events(_) => "events",
            List::Bookings(_) => "bookings",
            List::History(_) => "history",
        }
    }

    /// How many rows writing the list will write.
    pub fn count(&self, store: &Store) -> Result<u64> {
        match self {
            List::Events(q) => store.count_events(q),
            List::Bookings(q) => store.count_bookings(q),
            List::History(q) => store.count_history(q),
        }
    }

    /// Writes the header and every row to `out` as CSV, a page at a time; after each page
    /// `progress` hears how many rows are written and may stop the list there (false).
    pub fn write<W: Write>(
        &self,
        store: &Store,
        out: &mut CsvWriter<W>,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> anyhow::Result<Written> {
        let mut out = Streamed { out, rows: 0, complete: true, progress };
        match self {
            List::Events(q) => {
                each_page(|page| store.list_events(&EventQuery { page, ..q.clone() }), |p| out.page(&p))?
            }
            List::Bookings(q) => each_page(bookings(store, q.clone()), |p| out.page(&p))?,
            List::History(q) => each_page(history(store, q.clone()), |p| {
                out.page(&p.into_iter().map(HistoryRow::from).collect::<Vec<_>>())
            })?,
        }
        Ok(Written { rows: out.rows, complete: out.complete })
    }

    /// The CSV header of the list.
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            List::Events(_) => EVENT_COLUMNS,
            List::Bookings(_) => BOOKING_COLUMNS,
            List::History(_) => HISTORY_COLUMNS,
        }
    }
}

/// A CSV writer that counts rows and asks whether to go on after every page.
struct Streamed<'o, 'p, W: Write> {
    out: &'o mut CsvWriter<W>,
    rows: u64,
    complete: bool,
    progress: &'p mut dyn FnMut(u64) -> bool,
}

impl<W: Write> Streamed<'_, '_, W> {
    fn page<T: Serialize>(&mut self, rows: &[T]) -> anyhow::Result<bool> {
        self.out.page(rows)?;
        self.rows += rows.len() as u64;
        let go_on = self.out.is_open() && (self.progress)(self.rows);
        self.complete = go_on;
        Ok(go_on)
    }
}
