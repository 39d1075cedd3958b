//! Figure 12: `E` on the Bookings tab at 1 000 000 bookings — the whole list streamed to a CSV
//! file by the terminal app (TestBackend, 120 x 40) while it keeps drawing a frame every 16 ms
//! and answering a key now and then. Reports the export's time, the longest frame and key,
//! and the process's peak RSS (VmHWM), in a fresh process so generating the database does not
//! set the peak. Run the child alone under `/usr/bin/time -v` for the same figure from outside:
//! `target/release/deps/export-* --measure`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench harness: fail loudly

#[path = "support/fixture.rs"]
mod fixture;

use std::io::BufRead;
use std::process::Command;
use std::time::{Duration, Instant};

use eventdesk::app::{Action, App, Tab};
use eventdesk::model::{Role, Session};
use eventdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const FRAME: Duration = Duration::from_millis(16);
/// A key (Down, then Up) every this many frames while the export runs.
const KEY_EVERY: u32 = 10;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if args.iter().any(|a| a == "--measure") {
        return measure();
    }
    fixture::database(&fixture::LARGE);
    println!("\n(12) E on the Bookings tab at 1 000 000 bookings, in a fresh process");
    let out = Command::new(std::env::current_exe().unwrap()).arg("--measure").output().unwrap();
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
}

fn status(field: &str) -> String {
    let text = std::fs::read_to_string("/proc/self/status").unwrap();
    text.lines()
        .find(|l| l.starts_with(field))
        .map_or_else(String::new, |l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn measure() {
    let path = fixture::database(&fixture::LARGE);
    let dir = fixture::data_dir().join("export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(&path).unwrap();
    let session = Session { operator_id: 1, username: "bulk-org-1".into(), role: Role::Organizer };
    let size = Rect::new(0, 0, 120, 40);
    let mut app = App::new(store, Some(session), size);
    app.export_dir = dir.clone();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    app.update(Action::Tick(chrono::Utc::now()));
    app.update(Action::GoTab(Tab::Bookings));
    app.settle();
    let before = status("VmHWM:");

    let started = Instant::now();
    app.update(Action::Export);
    let (mut frames, mut keys) = (Vec::new(), Vec::new());
    let mut n = 0u32;
    while app.export.is_some() {
        std::thread::sleep(FRAME.saturating_sub(frames.last().copied().unwrap_or_default()));
        let frame = Instant::now();
        for answer in app.answers() {
            app.update(answer);
        }
        app.update(Action::Tick(chrono::Utc::now()));
        n += 1;
        let key = n.is_multiple_of(KEY_EVERY).then_some(if n.is_multiple_of(2 * KEY_EVERY) {
            Action::Up
        } else {
            Action::Down
        });
        if let Some(key) = key {
            // Key to frame: the key, the page it may ask for, and the frame showing it.
            app.update(key);
            app.settle_reads();
        }
        terminal.draw(|f| eventdesk::ui::render(f, &app)).unwrap();
        let took = frame.elapsed();
        if n.is_multiple_of(KEY_EVERY) {
            keys.push(took);
        } else {
            frames.push(took);
        }
    }
    let elapsed = started.elapsed();
    let peak = status("VmHWM:");
    let message = app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    let file = std::fs::read_dir(&dir).unwrap().next().expect("an export file").unwrap().path();
    let bytes = std::fs::metadata(&file).unwrap().len();
    let lines = std::io::BufReader::new(std::fs::File::open(&file).unwrap()).lines().count();
    frames.sort();
    keys.sort();
    println!("    {message}");
    println!(
        "    {} rows (+ header) in {:.1} s = {:.0} rows/s, {:.0} MB file",
        lines - 1,
        elapsed.as_secs_f64(),
        (lines - 1) as f64 / elapsed.as_secs_f64(),
        bytes as f64 / 1e6
    );
    println!(
        "    frames while exporting: {} drawn, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        frames.len(),
        ms(percentile(&frames, 0.5)),
        ms(percentile(&frames, 0.99)),
        ms(frames.last().copied().unwrap_or_default())
    );
    println!(
        "    key -> frame while exporting: {} keys, p50 {:.2} ms, max {:.2} ms",
        keys.len(),
        ms(percentile(&keys, 0.5)),
        ms(keys.last().copied().unwrap_or_default())
    );
    println!("    VmHWM before E {before}, after the export {peak} (VmRSS now {})", status("VmRSS:"));
    let _ = std::fs::remove_dir_all(&dir);
}
