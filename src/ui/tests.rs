//! `TestBackend` renders of every screen and popup, as insta snapshots. Times are shown in local
//! time, so they are masked before comparing; the clock is fixed and the database fresh, so ids
//! and the rest are stable.

mod door;
mod glance;
mod popups;
mod safety;
mod screens;
mod waiting;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::tests::fixture::{self, Fixture};
use crate::store::Store;

/// Draws the app on a `width`×`height` test terminal.
pub fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| super::render(frame, app)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, wide characters counted once.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
        }
        out.push('\n');
    }
    mask_times(&out)
}

/// Replaces every `YYYY-MM-DD HH:MM` (local time, so it depends on the machine's zone), and
/// every clock time after "at " ("already checked in at 18:02 by desk2").
fn mask_times(s: &str) -> String {
    mask_clocks(&mask_dates(s))
}

fn mask_clocks(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let fits = |i: usize| {
        "at dd:dd".chars().enumerate().all(|(k, p)| {
            chars.get(i + k).is_some_and(|c| if p == 'd' { c.is_ascii_digit() } else { *c == p })
        })
    };
    let (mut out, mut i) = (String::new(), 0);
    while i < chars.len() {
        if fits(i) {
            out.push_str("at hh:mm");
            i += 8;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn mask_dates(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let shape = "dddd-dd-dd dd:dd";
    let fits = |i: usize| {
        shape.chars().enumerate().all(|(k, p)| {
            chars.get(i + k).is_some_and(|c| if p == 'd' { c.is_ascii_digit() } else { *c == p })
        })
    };
    let (mut out, mut i) = (String::new(), 0);
    while i < chars.len() {
        if fits(i) {
            out.push_str("YYYY-MM-DD hh:mm");
            i += shape.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A desk or organizer app over the standard fixture, with two events and a booking.
pub fn populated(organizer: bool) -> (Fixture, App) {
    let (f, store) = fixture::fixture();
    seed(&f, &store);
    let who = if organizer { f.olga.clone() } else { f.dana.clone() };
    let app = fixture::app(store, &who);
    (f, app)
}

fn seed(f: &Fixture, store: &Store) {
    let meetup = fixture::event(store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 2);
    let full = fixture::event(store, &f.omar, "Tiny Workshop", "2026-12-02 18:00", 1);
    fixture::event(store, &f.olga, "Conference", "2026-12-03 09:00", 10);
    store.book(&f.dana, meetup, 1).expect("book");
    store.book(&f.dana, full, 2).expect("book");
    let cancelled = store.book(&f.dana, meetup, 2).expect("book");
    store.cancel(&f.dana, cancelled.booking.id).expect("cancel");
}

#[test]
fn masking_only_touches_times() {
    assert_eq!(mask_times("at 2026-12-01 18:00 x 2026-12"), "at YYYY-MM-DD hh:mm x 2026-12");
    assert_eq!(mask_times("checked in at 18:02 by desk2, 12:30"), "checked in at hh:mm by desk2, 12:30");
}
