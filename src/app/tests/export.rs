//! `E`: every tab's whole list, with its filters, to a CSV file off the UI thread.

use std::path::{Path, PathBuf};

use super::fixture::*;
use crate::app::{Action, App, Tab};
use crate::export::{BOOKING_COLUMNS, EVENT_COLUMNS, HISTORY_COLUMNS};
use crate::model::{BookingStatus, HistoryAction, Session};
use crate::store::{BookingQuery, BulkSpec, HistoryQuery, Page};

/// A fixture with more rows in every list than a screen shows, and an app exporting to a
/// folder of its own.
fn big(who: fn(&super::fixture::Fixture) -> &Session) -> (super::fixture::Fixture, App, tempfile::TempDir) {
    let (f, store) = fixture();
    let spec = BulkSpec { organizers: 1, events: 60, attendees: 200, bookings: 300 };
    store.generate(&spec).expect("generate");
    let session = who(&f).clone();
    let mut app = app(store, &session);
    let out = tempfile::tempdir().expect("tempdir");
    app.export_dir = out.path().to_path_buf();
    (f, app, out)
}

/// The one file in `dir` (and no `.part` left beside it).
fn only_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("entry").path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("csv"), "{files:?}");
    files[0].clone()
}

/// The file's header and its rows, parsed back.
fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).expect("open csv");
    let header = reader.headers().expect("header").iter().map(str::to_string).collect();
    (header, reader.records().map(|r| r.expect("record")).collect())
}

fn export(app: &mut App) -> PathBuf {
    app.step(Action::Export);
    assert!(app.export.is_none(), "the export ended: {}", status(app));
    let path = only_file(&app.export_dir);
    assert!(status(app).contains(&path.display().to_string()), "the path is shown: {}", status(app));
    path
}

#[test]
fn bookings_export_every_page_with_the_tabs_filters() {
    let (f, mut app, _out) = big(|f| &f.dana);
    let store = open(&f.dir);
    let some = store.list_bookings(&BookingQuery::default()).expect("bookings");
    store.cancel(&f.dana, some[3].booking.id).expect("cancel");
    goto(&mut app, Tab::Bookings);
    app.step(Action::CycleFilter);
    assert_eq!(app.bookings.status, Some(BookingStatus::Active));
    let visible = app.bookings.list.rows.len();
    let total = app.bookings.list.total;
    assert!(total > visible as u64 * 5, "more than one page: {total} vs {visible}");
    let path = export(&mut app);
    let (header, rows) = read_csv(&path);
    assert_eq!(header, BOOKING_COLUMNS);
    assert_eq!(rows.len() as u64, total, "every page, not just the visible one");
    let q = BookingQuery {
        status: Some(BookingStatus::Active),
        page: Page::new(0, 10_000),
        ..BookingQuery::default()
    };
    let expected = store.list_bookings(&q).expect("bookings");
    let ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let want: Vec<String> = expected.iter().map(|b| b.booking.id.to_string()).collect();
    assert_eq!(ids, want, "the same rows, newest first");
    assert!(!ids.contains(&some[3].booking.id.to_string()), "the cancelled one is filtered out");
    assert!(rows.iter().all(|r| &r[3] == "active"));
    assert_eq!(&rows[0][6], expected[0].attendee_name.as_str());
    assert!(status(&app).starts_with(&format!("Exported {total} rows of bookings to ")), "{}", status(&app));
}

#[test]
fn events_export_follows_the_search() {
    let (_f, mut app, _out) = big(|f| &f.dana);
    app.step(Action::Search);
    type_text(&mut app, "Rust");
    app.step(Action::Submit);
    let total = app.events.list.total;
    assert!(total > 1 && total < 60, "the search narrows: {total}");
    let path = export(&mut app);
    let (header, rows) = read_csv(&path);
    assert_eq!(header, EVENT_COLUMNS);
    assert_eq!(rows.len() as u64, total);
    assert!(rows.iter().all(|r| r[1].contains("Rust")), "only matching titles");
}

#[test]
fn history_export_has_the_sentences_and_the_filter() {
    let (f, mut app, _out) = big(|f| &f.olga);
    goto(&mut app, Tab::History);
    app.step(Action::CycleFilter);
    retype(&mut app, "");
    app.step(Action::NextField);
    type_text(&mut app, "book");
    app.step(Action::Submit);
    let total = app.history.list.total;
    assert_eq!(total, 300, "one book row per generated booking");
    let path = export(&mut app);
    let (header, rows) = read_csv(&path);
    assert_eq!(header, HISTORY_COLUMNS);
    assert_eq!(rows.len(), 300);
    assert!(rows.iter().all(|r| &r[2] == "book"), "only book rows");
    let store = open(&f.dir);
    let q =
        HistoryQuery { action: Some(HistoryAction::Book), page: Page::new(0, 1), ..HistoryQuery::default() };
    let first = store.history(&q).expect("history");
    assert_eq!(&rows[0][0], first[0].id.to_string().as_str(), "newest first");
    assert_eq!(&rows[0][7], first[0].sentence().as_str(), "the summary is the sentence");
}

#[test]
fn a_second_e_stops_the_export_and_leaves_no_file() {
    let (f, store) = fixture();
    store
        .generate(&BulkSpec { organizers: 1, events: 100, attendees: 20_000, bookings: 20_000 })
        .expect("gen");
    drop(store);
    let mut app = app(open(&f.dir), &f.dana);
    let out = tempfile::tempdir().expect("tempdir");
    app.export_dir = out.path().to_path_buf();
    goto(&mut app, Tab::Bookings);
    app.update(Action::Export);
    assert!(app.export.is_some());
    app.update(Action::Export);
    assert!(app.export.as_ref().is_some_and(|e| e.stopping), "asked to stop");
    app.update(Action::Tick(now()));
    let note = app.export.as_ref().map(crate::app::Export::text).unwrap_or_default();
    assert_eq!(note, "stopping the bookings export…");
    app.settle();
    assert!(app.export.is_none());
    assert!(status(&app).contains("stopped after"), "{}", status(&app));
    let left: Vec<_> = std::fs::read_dir(out.path()).expect("dir").collect();
    assert!(left.is_empty(), "no file, no .part: {left:?}");
}

#[test]
fn the_screen_stays_live_while_exporting_and_esc_stops() {
    let (f, store) = fixture();
    store
        .generate(&BulkSpec { organizers: 1, events: 100, attendees: 20_000, bookings: 20_000 })
        .expect("gen");
    let mut app = app(store, &f.dana);
    let out = tempfile::tempdir().expect("tempdir");
    app.export_dir = out.path().to_path_buf();
    goto(&mut app, Tab::Bookings);
    app.update(Action::Export);
    // Tabs and pages still load while the export thread reads.
    app.update(Action::GoTab(Tab::Events));
    app.settle_reads();
    assert_eq!(app.tab, Tab::Events);
    assert!(app.events.list.total >= 100, "the Events page came in");
    app.update(Action::Cancel);
    app.settle();
    let written = std::fs::read_dir(out.path()).expect("dir").count();
    // Esc came after a page load, so the export may have ended first: then the file is whole.
    if status(&app).contains("stopped after") {
        assert_eq!(written, 0);
    } else {
        let (_, rows) = read_csv(&only_file(out.path()));
        assert_eq!(rows.len(), 20_000, "{}", status(&app));
    }
}

#[test]
fn a_stopped_export_removes_its_part_file() {
    let (_f, store) = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = crate::export::Progress::default();
    progress.stop();
    let list = crate::export::List::History(HistoryQuery::default());
    let saved = crate::export::to_file(&store, &list, dir.path(), "x", &progress).expect("export");
    assert_eq!(saved, crate::export::Saved::Stopped { rows: progress.written() });
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    // Run again without stopping: the file gets its name, and a second run a new one.
    let go = crate::export::Progress::default();
    let first = crate::export::to_file(&store, &list, dir.path(), "x", &go).expect("export");
    let second = crate::export::to_file(&store, &list, dir.path(), "x", &go).expect("export");
    let path = |s: crate::export::Saved| match s {
        crate::export::Saved::Done { path, .. } => path,
        other => panic!("{other:?}"),
    };
    assert_eq!(path(first).file_name().and_then(|n| n.to_str()), Some("x.csv"));
    assert_eq!(path(second).file_name().and_then(|n| n.to_str()), Some("x-2.csv"), "never overwrites");
}

#[test]
fn quitting_mid_export_leaves_no_file() {
    let (f, store) = fixture();
    store
        .generate(&BulkSpec { organizers: 1, events: 100, attendees: 20_000, bookings: 20_000 })
        .expect("gen");
    let mut app = app(store, &f.dana);
    let out = tempfile::tempdir().expect("tempdir");
    app.export_dir = out.path().to_path_buf();
    goto(&mut app, Tab::Bookings);
    app.update(Action::Export);
    app.update(Action::Quit);
    assert!(!app.running);
    app.wind_down(std::time::Duration::from_secs(10));
    assert!(app.export.is_none(), "the export ended");
    let left: Vec<_> = std::fs::read_dir(out.path()).expect("dir").collect();
    assert!(left.is_empty(), "no file, no .part: {left:?}");
}
