//! Fuzzing the terminal app without a terminal: seeded random key, mouse, paste, resize and
//! tick sequences go through the real event mapping (`tui::to_action`) into `App::update`, and
//! every step is drawn on a `TestBackend`. Nothing may panic, no drawn cell may hold a control
//! character or a bidi override, and the store's invariants hold afterwards.
//!
//! More steps or other walks: `FUZZ_STEPS=200000 FUZZ_SEED=7 cargo test --release --test fuzz_keys -- --nocapture`.

#![allow(clippy::unwrap_used)]

#[path = "support/hostile.rs"]
mod hostile;

use chrono::{Duration, Utc};
use eventdesk::app::{Action, App, FormKind, Mode};
use eventdesk::keymap::{self, Context};
use eventdesk::model::{NewAttendee, NewEvent, NewOperator, Role, Session, inert};
use eventdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }
    fn small(&mut self, n: u16) -> u16 {
        u16::try_from(self.below(usize::from(n))).unwrap()
    }
}

const PASSWORD: &str = "fuzz-password-1";

/// A database with two organizers' events, a desk account, attendees and bookings.
fn setup(dir: &std::path::Path) -> (std::path::PathBuf, Vec<Session>) {
    let db = dir.join("fuzz.db");
    let store = Store::open(&db).unwrap();
    let mut sessions = Vec::new();
    for (user, role) in [("olga", Role::Organizer), ("omar", Role::Organizer), ("dora", Role::Desk)] {
        let new = NewOperator {
            username: user.into(),
            password: PASSWORD.into(),
            role: Some(role),
            organization: format!("{user} 日本 🎉"),
            address: "Calle Mayor 1".into(),
            ..Default::default()
        };
        store.register(&new).unwrap();
        sessions.push(store.authenticate(user, PASSWORD).unwrap());
    }
    let start = Utc::now() + Duration::days(2);
    for i in 0..14i64 {
        let owner = &sessions[usize::try_from(i % 2).unwrap()];
        let title = [
            "Rust night",
            "日本語のイベント",
            "Emoji 🎉🎉",
            "Long title ".repeat(15).trim().to_string().as_str(),
        ][usize::try_from(i % 4).unwrap()]
        .to_string();
        let starts_at = start + Duration::hours(i * 5);
        let new = NewEvent {
            title,
            description: "d".into(),
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            capacity: 1 + i % 4,
        };
        store.create_event(owner, &new).unwrap();
    }
    for i in 0..20 {
        let new = NewAttendee {
            name: format!("Person {i} 李"),
            email: format!("p{i}@example.org"),
            phone: String::new(),
        };
        let a = store.add_attendee(&sessions[2], &new).unwrap();
        let _ = store.book(&sessions[2], 1 + i64::from(i % 14), a.id);
    }
    (db, sessions)
}

const SPECIAL: [KeyCode; 17] = [
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Insert,
    KeyCode::F(1),
    KeyCode::Null,
];

const CHARS: &[char] = &[
    'q', 'y', 'n', 'b', 'c', 'e', 'd', '/', '?', ' ', 'a', '1', '9', '-', ':', '@', '.', '日', '🎉',
    '\u{202e}', '\u{7}', '\u{1b}', 'é',
];

fn key(rng: &mut Rng) -> KeyEvent {
    let code = if rng.below(2) == 0 {
        SPECIAL[rng.below(SPECIAL.len())]
    } else {
        KeyCode::Char(CHARS[rng.below(CHARS.len())])
    };
    let modifiers = [
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ][rng.below(6)];
    let mut k = KeyEvent::new(code, modifiers);
    k.kind = [
        KeyEventKind::Press,
        KeyEventKind::Press,
        KeyEventKind::Press,
        KeyEventKind::Repeat,
        KeyEventKind::Release,
    ][rng.below(5)];
    k
}

fn mouse(rng: &mut Rng, size: Rect) -> Event {
    let kinds = [
        MouseEventKind::Down(MouseButton::Left),
        MouseEventKind::Down(MouseButton::Right),
        MouseEventKind::Up(MouseButton::Left),
        MouseEventKind::Drag(MouseButton::Left),
        MouseEventKind::ScrollUp,
        MouseEventKind::ScrollDown,
        MouseEventKind::Moved,
    ];
    let (column, row) = (rng.small(size.width.saturating_add(4)), rng.small(size.height.saturating_add(4)));
    Event::Mouse(MouseEvent {
        kind: kinds[rng.below(kinds.len())],
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// The next terminal event: often a key the current screen binds, so the walk gets deep into
/// forms, pickers and confirmations; otherwise anything a terminal could send.
fn next_event(rng: &mut Rng, app: &App) -> Event {
    match rng.below(100) {
        0..45 => {
            let bound = keymap::bindings(Context::of(app));
            if bound.is_empty() {
                Event::Key(key(rng))
            } else {
                Event::Key(keymap::event_for(bound[rng.below(bound.len())]))
            }
        }
        45..75 => Event::Key(key(rng)),
        75..87 => mouse(rng, app.size),
        87..95 => {
            let soup: String =
                (0..rng.below(12)).map(|_| hostile::FRAGMENTS[rng.below(hostile::FRAGMENTS.len())]).collect();
            Event::Paste(if rng.below(20) == 0 { soup.repeat(500) } else { soup })
        }
        _ => {
            let sizes = [(0, 0), (1, 1), (20, 5), (40, 12), (80, 24), (120, 40), (250, 80)];
            let (w, h) = sizes[rng.below(sizes.len())];
            Event::Resize(w, h)
        }
    }
}

/// The sign-in form as it opens: nothing typed, focus on the username.
fn fresh_login(app: &App) -> bool {
    matches!(&app.mode, Mode::SignIn(f) if f.kind == FormKind::Login && f.focus == 0 && f.value("username").is_empty())
}

/// Draws the app and checks that every cell is safe to send to a terminal.
fn draw(terminal: &mut Terminal<TestBackend>, app: &App, step: usize) {
    let (w, h) = (app.size.width, app.size.height);
    if terminal.backend().buffer().area != Rect::new(0, 0, w, h) {
        terminal.backend_mut().resize(w, h);
    }
    terminal.draw(|frame| eventdesk::ui::render(frame, app)).unwrap();
    for cell in terminal.backend().buffer().content() {
        assert!(inert(cell.symbol()), "step {step}: unsafe cell {:?}", cell.symbol());
    }
}

fn fuzz(seed: u64, signed_in: Option<usize>, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (db, sessions) = setup(dir.path());
    let extra = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    let seed = seed ^ extra.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut rng = Rng(seed | 1);
    let session = |n: Option<usize>| n.map(|i| sessions[i].clone());
    let size = Rect::new(0, 0, 120, 40);
    let mut app = App::new(Store::open(&db).unwrap(), session(signed_in), size);
    // Random keys include `E`: its exports go to the test's folder, not the checkout.
    app.export_dir = dir.path().to_path_buf();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let (mut actions, mut restarts) = (0, 0);
    let mut later = Duration::zero();
    let mut seen = std::collections::BTreeMap::new();
    for step in 0..steps {
        if fresh_login(&app) && rng.below(6) == 0 {
            // Random typing almost never signs in: sometimes type real credentials.
            let user = ["olga", "omar", "dora"][rng.below(3)];
            for action in [
                Action::Paste(user.into()),
                Action::NextField,
                Action::Paste(PASSWORD.into()),
                Action::Submit,
            ] {
                app.update(action);
                app.settle();
            }
        } else if rng.below(25) == 0 {
            later += Duration::minutes(i64::try_from(rng.below(90)).unwrap());
            app.update(Action::Tick(Utc::now() + later));
            app.settle();
        } else if let Some(action) = eventdesk::tui::to_action(&app, next_event(&mut rng, &app)) {
            // Quitting restarts the walk from the top; let most quits pass by to get deeper.
            if action != Action::Quit || rng.below(20) == 0 {
                app.update(action);
                app.settle();
                actions += 1;
            }
        }
        *seen.entry(format!("{:?}", Context::of(&app))).or_insert(0u32) += 1;
        if !app.running {
            // The user quit: start again, as a person reopening the app would.
            restarts += 1;
            let size = app.size;
            app = App::new(Store::open(&db).unwrap(), session(signed_in), size);
            app.export_dir = dir.path().to_path_buf();
        }
        draw(&mut terminal, &app, step);
        if step % 500 == 499 {
            // Another connection checks the file while the app keeps it open.
            let report = Store::open(&db).unwrap().check().unwrap();
            assert!(report.is_ok(), "seed {seed:#x} step {step}: {:?}", report.problems);
        }
    }
    drop(app);
    let store = Store::open(&db).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "seed {seed:#x}: {:?}", report.problems);
    println!(
        "fuzz seed {seed:#x} ({signed_in:?}): {steps} steps, {actions} actions, {restarts} restarts, {} history rows; steps per screen {seen:?}",
        report.history
    );
    assert!(seen.len() >= 5, "the walk stayed on too few screens: {seen:?}");
}

fn steps() -> usize {
    std::env::var("FUZZ_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(2_500)
}

#[test]
fn fuzz_as_an_organizer() {
    fuzz(0x0f0f_1234_5678_9abc, Some(0), steps());
}

#[test]
fn fuzz_as_the_desk() {
    fuzz(0xdead_beef_cafe_f00d, Some(2), steps());
}

#[test]
fn fuzz_from_the_sign_in_screen() {
    fuzz(0x1357_9bdf_2468_ace0, None, steps());
}
