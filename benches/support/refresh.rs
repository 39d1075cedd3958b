//! Figure 4: cross-terminal refresh latency. A child process commits bookings at random
//! moments; this process runs the terminal app's loop (tick every 150 ms, as `tui::TICK`,
//! then draw) on a `TestBackend` and notes when the Events tab shows each new booking.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eventdesk::app::{Action, App};
use eventdesk::race::Spread;
use eventdesk::store::{Location, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::Scratch;
use super::workers::wall_us;

/// The app's tick (`src/tui.rs`).
const TICK: Duration = Duration::from_millis(150);
const COMMITS: usize = 40;

/// Runs the figure on `s` (an SQLite file, or a server URL in `s.db`), headed by `engine`.
pub fn run(s: &Scratch, user: &str, password: &str, engine: &str) {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .arg("committer")
        .arg("--db")
        .arg(&s.db)
        .args(["--event", &s.event.to_string(), "--first", &s.first_attendee.to_string()])
        .args(["--user", user, "--password", password])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "ready");
    let (commits_tx, commits) = mpsc::channel::<u64>();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = commits_tx.send(line.trim().parse().unwrap_or(0));
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    // The writer's commits come at pseudo-random moments, unrelated to the reader's tick.
    let trigger = std::thread::spawn(move || {
        for i in 0..COMMITS {
            std::thread::sleep(Duration::from_millis(60 + (wall_us() % 300) + (i as u64 % 7) * 11));
            writeln!(stdin, "book").unwrap();
        }
    });
    let mut micros = watch(s, user, password, &commits);
    trigger.join().unwrap();
    let _ = child.wait();
    let spread = Spread::of(&mut micros);
    println!(
        "\n(4) cross-terminal refresh on {engine}: commit in one process -> visible in another app's next frame"
    );
    println!("    {} commits, tick {} ms: {spread}", spread.samples, TICK.as_millis());
}

/// The app loop: tick, draw, and time every booking that became visible since the last tick.
fn watch(s: &Scratch, user: &str, password: &str, commits: &mpsc::Receiver<u64>) -> Vec<u64> {
    let store = Store::open(Location::parse(&s.db.to_string_lossy())).unwrap();
    let session = store.authenticate(user, password).unwrap();
    let mut app = App::new(store, Some(session), Rect::new(0, 0, 120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let booked = |app: &App| app.events.list.rows.first().map_or(0, |e| e.booked);
    app.update(Action::Tick(chrono::Utc::now()));
    app.settle();
    let (mut seen, mut micros) = (booked(&app), Vec::new());
    let started = Instant::now();
    while micros.len() < COMMITS && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(TICK);
        app.update(Action::Tick(chrono::Utc::now()));
        app.settle();
        terminal.draw(|frame| eventdesk::ui::render(frame, &app)).unwrap();
        let now = booked(&app);
        if now > seen {
            let shown = wall_us();
            for _ in seen..now {
                micros.push(shown.saturating_sub(commits.recv().unwrap()));
            }
            seen = now;
        }
    }
    micros
}
