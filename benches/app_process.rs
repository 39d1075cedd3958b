//! App figures that need a fresh process.
//! Figure 5: peak RSS (VmHWM) of the terminal app browsing all three tabs on the large
//! database, each case in its own process so nothing else inflates the peak: once signed in
//! through Argon2 as the app does (its hash alone takes 19 MiB), once with a ready session to
//! show what browsing itself needs.
//! `-- --first-frame`: one start of the app to its first frame, in milliseconds, for timing a
//! cold start after the database file was dropped from the OS cache (see docs/PERFORMANCE.md):
//! the frame with the Events list, which the terminal draws as soon as the page is in, and the
//! frame once every answer is in (the summary line comes after the page, on the same thread).

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench harness: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::process::Command;

use eventdesk::app::{Action, App, Tab};
use eventdesk::model::{Role, Session};
use eventdesk::store::{BULK_PASSWORD, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tui_input::InputRequest;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if let Some(mode) = args.iter().find_map(|a| a.strip_prefix("--measure=")) {
        return measure(mode == "sign-in");
    }
    if args.iter().any(|a| a == "--first-frame") {
        return first_frame();
    }
    // Generating the database in this process would set the peak, so it happens first, here,
    // and the measurements run in children.
    fixture::database(&fixture::LARGE);
    println!("\n(5) peak RSS of the app browsing all tabs at 1 000 000 bookings");
    for mode in ["sign-in", "session"] {
        let out =
            Command::new(std::env::current_exe().unwrap()).arg(format!("--measure={mode}")).output().unwrap();
        print!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Open, build the App, load and draw: what a person waits for after pressing Enter.
fn first_frame() {
    let path = fixture::database(&fixture::LARGE);
    let session = Session { operator_id: 1, username: "bulk-org-1".into(), role: Role::Organizer };
    let started = std::time::Instant::now();
    let store = Store::open(&path).unwrap();
    let size = Rect::new(0, 0, 120, 40);
    let mut app = App::new(store, Some(session), size);
    app.update(Action::Tick(chrono::Utc::now()));
    app.settle_until(|app| app.events.list.is_loaded());
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|f| eventdesk::ui::render(f, &app)).unwrap();
    let list = started.elapsed();
    assert!(!app.events.list.rows.is_empty(), "the first frame shows events");
    app.settle();
    terminal.draw(|f| eventdesk::ui::render(f, &app)).unwrap();
    assert!(app.events.summary.is_some(), "the summary line is in");
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!("first frame after {:.1} ms; every answer in after {:.1} ms", ms(list), ms(started.elapsed()));
}

/// Every tab paged through, every filter, and the booking picker with a search.
fn browse_everything(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    let mut key = |app: &mut App, a: Action| {
        app.update(a);
        app.settle();
        terminal.draw(|f| eventdesk::ui::render(f, app)).unwrap();
    };
    key(app, Action::Tick(chrono::Utc::now()));
    for tab in [Tab::Events, Tab::Bookings, Tab::History] {
        key(app, Action::GoTab(tab));
        for a in [Action::PageDown, Action::PageDown, Action::Down, Action::End, Action::PageUp, Action::Home]
        {
            key(app, a);
        }
        for _ in 0..5 {
            key(app, Action::CycleFilter);
            key(app, Action::Down);
        }
        key(app, Action::Cancel);
        key(app, Action::ClearFilters);
    }
    // A common name in the Bookings search: its capped count fills the reader's page cache.
    key(app, Action::GoTab(Tab::Bookings));
    key(app, Action::Search);
    for c in "Priya".chars() {
        key(app, Action::Edit(InputRequest::InsertChar(c)));
    }
    key(app, Action::Cancel);
    key(app, Action::Book);
    for c in "Rust".chars() {
        key(app, Action::Edit(InputRequest::InsertChar(c)));
    }
    key(app, Action::Cancel);
}

fn status(field: &str) -> String {
    let text = std::fs::read_to_string("/proc/self/status").unwrap();
    text.lines()
        .find(|l| l.starts_with(field))
        .map_or_else(String::new, |l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
}

fn measure(sign_in: bool) {
    let path = fixture::database(&fixture::LARGE);
    let store = Store::open(&path).unwrap();
    let session = if sign_in {
        store.login("bulk-org-1", BULK_PASSWORD).unwrap()
    } else {
        Session { operator_id: 1, username: "bulk-org-1".into(), role: Role::Organizer }
    };
    let after_sign_in = status("VmHWM:");
    let size = Rect::new(0, 0, 120, 40);
    let mut app = App::new(store, Some(session), size);
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    browse_everything(&mut app, &mut terminal);
    println!(
        "    {:<8} VmHWM after sign-in {:>9}, after browsing {:>9} (VmRSS now {})",
        if sign_in { "sign-in" } else { "session" },
        after_sign_in,
        status("VmHWM:"),
        status("VmRSS:")
    );
}
