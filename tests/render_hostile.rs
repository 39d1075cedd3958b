//! Hostile data stored in the file (as a raw `sqlite3` session could write it, bypassing the
//! validators) is loaded by the app and drawn on every screen: no escape, bell, C1 control or
//! bidi override reaches the buffer, and wide CJK/emoji text never breaks the borders.

#![allow(clippy::unwrap_used)]

#[path = "support/accounts.rs"]
mod accounts;

use chrono::{Duration, Utc};
use eventdesk::app::layout::{Areas, DoorAreas};
use eventdesk::app::{Action, App, Tab};
use eventdesk::model::{NewAttendee, NewEvent, Role, Session, inert};
use eventdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const EVIL: [&str; 5] = [
    "\x1b[2J\x1b[HCleared screen",
    "\x1b]0;owned title\x07OSC title",
    "\x1b]52;c;ZXZpbA==\x07clipboard",
    "Bidi \u{202e}exe.txt\u{202c} \u{9b}31m C1",
    "\x1bP+q\x1b\\ DCS \x00 NUL \x7f DEL",
];

fn setup() -> (tempfile::TempDir, std::path::PathBuf, Session) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hostile.db");
    let store = Store::open(&db).unwrap();
    let olga = accounts::register(&store, "olga", Role::Organizer);
    let start = Utc::now() + Duration::days(3);
    for i in 0..8i64 {
        let starts_at = start + Duration::hours(i);
        let new = NewEvent {
            title: format!("t{i}"),
            description: String::new(),
            starts_at,
            ends_at: starts_at + Duration::hours(1),
            capacity: 5,
        };
        let e = store.create_event(&olga, &new).unwrap();
        let new =
            NewAttendee { name: format!("a{i}"), email: format!("a{i}@example.org"), phone: String::new() };
        let a = store.add_attendee(&olga, &new).unwrap();
        store.book(&olga, e.id, a.id).unwrap();
    }
    // A failed sign-in stores the typed name as the history actor: that path needs no raw SQL.
    let _ = store.login("\x1b]0;pwned\x07\x1b[2J", "whatever-123");
    drop(store);
    let raw = rusqlite::Connection::open(&db).unwrap();
    let wide = "日本語のイベント🎉".repeat(20);
    for (i, title) in EVIL.iter().chain([&wide.as_str(), &"👩‍👩‍👧🇪🇸 混合 mixed ｗｉｄｅ"]).enumerate()
    {
        let id = i64::try_from(i).unwrap() + 1;
        let title: String = title.chars().take(200).collect();
        raw.execute(
            "UPDATE events SET title = ?1, description = ?1 WHERE id = ?2",
            rusqlite::params![title, id],
        )
        .unwrap();
        raw.execute(
            "UPDATE attendees SET name = ?1, email = ?1 || '@x.org' WHERE id = ?2",
            rusqlite::params![title, id],
        )
        .unwrap();
    }
    raw.execute("UPDATE operators SET organization = ?1, name = ?1", [EVIL[1]]).unwrap();
    (dir, db, olga)
}

/// A fresh backend per frame: `TestBackend` keeps stale text in the cell behind a wide
/// character (the diff skips it; a real terminal overwrites both columns).
fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| eventdesk::ui::render(frame, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The text as a terminal shows it: the cell behind a wide character is not printed.
fn screen(b: &Buffer) -> String {
    let mut text = String::new();
    for y in 0..b.area.height {
        let mut hidden = 0;
        for x in 0..b.area.width {
            let symbol = b[(x, y)].symbol();
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            text += symbol;
            hidden = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        text.push('\n');
    }
    text
}

/// The list whose borders must stay whole on `tab` (the door lays its body out on its own).
fn list_of(size: Rect, tab: Tab) -> Rect {
    let areas = Areas::new(size);
    if tab == Tab::Door { DoorAreas::new(areas.body).list } else { areas.list }
}

/// No unsafe character in any cell, and (with no popup over it) the list's borders are whole.
fn assert_safe(b: &Buffer, borders: Option<Rect>, what: &str) {
    for cell in b.content() {
        assert!(inert(cell.symbol()), "{what}: unsafe cell {:?}\n{}", cell.symbol(), screen(b));
    }
    let text = screen(b);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\0'] {
        assert!(!text.contains(bad), "{what}: {bad:?} reached the screen");
    }
    let Some(list) = borders else { return };
    for y in list.y + 1..list.bottom() - 1 {
        for x in [list.x, list.right() - 1] {
            assert_eq!(b[(x, y)].symbol(), "│", "{what}: border broken at ({x}, {y})\n{text}");
        }
    }
}

#[test]
fn hostile_stored_text_is_drawn_inert_on_every_screen() {
    let (_dir, db, olga) = setup();
    for (w, h) in [(120, 40), (80, 24), (200, 50)] {
        let size = Rect::new(0, 0, w, h);
        let mut app = App::new(Store::open(&db).unwrap(), Some(olga.clone()), size);
        app.settle();
        let mut seen = String::new();
        for tab in Tab::ALL {
            if tab == Tab::Door {
                // The door of the first event: its hostile title and attendee's name.
                for a in [Action::GoTab(Tab::Events), Action::Home, Action::OpenDoor] {
                    app.update(a);
                    app.settle();
                }
            } else {
                app.update(Action::GoTab(tab));
                app.settle();
            }
            for step in 0..9 {
                let b = draw(&app);
                seen += &screen(&b);
                assert_safe(&b, Some(list_of(size, tab)), &format!("{w}x{h} {tab:?} row {step}"));
                app.update(Action::Down);
                app.settle();
            }
        }
        for shown in ["Cleared screen", "pwned", "clipboard", "OSC title", "日本語"] {
            assert!(seen.contains(shown), "{w}x{h}: {shown:?} was never drawn, so the test proves nothing");
        }
        // The attendee picker and the help overlay draw the same stored names.
        app.update(Action::GoTab(Tab::Events));
        app.settle();
        app.update(Action::Book);
        app.settle();
        assert_safe(&draw(&app), None, "picker");
        app.update(Action::Cancel);
        app.settle();
        app.update(Action::Help);
        app.settle();
        assert_safe(&draw(&app), None, "help");
    }
}

/// CJK and emoji titles keep the columns after them in place.
#[test]
fn wide_titles_keep_the_columns_aligned() {
    let (_dir, db, olga) = setup();
    let size = Rect::new(0, 0, 120, 40);
    let mut app = App::new(Store::open(&db).unwrap(), Some(olga), size);
    app.settle();
    let b = draw(&app);
    let list = Areas::new(size).list;
    // Every event row shows the same "n/5" seats cell; find where it starts on each row.
    let columns: Vec<u16> = (list.y + 2..list.bottom() - 1)
        .filter_map(|y| {
            (list.x..list.right().saturating_sub(2))
                .find(|&x| b[(x, y)].symbol() == "/" && b[(x + 1, y)].symbol() == "5")
        })
        .collect();
    assert!(columns.len() >= 8, "expected a seats column on every row:\n{}", screen(&b));
    assert!(columns.iter().all(|&c| c == columns[0]), "columns drift: {columns:?}\n{}", screen(&b));
}
