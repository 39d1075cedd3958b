//! A panic inside the running app, in a real terminal (tmux): the terminal comes back in its
//! normal state (main screen, echo and line editing on, no mouse capture), the panic message is
//! printed where the user can read it, and the database is untouched.
//!
//! The trigger `EVENTDESK_TEST_PANIC=1` exists in debug builds only (see `tui::injected_panic`).

#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;
use std::time::Duration;

use tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");

fn cli(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("EVENTDESK_PASSWORD", "correct horse battery")
        .env_remove("EVENTDESK_DB")
        .env_remove("EVENTDESK_USER")
        .output()
        .expect("run eventdesk")
}

#[test]
fn a_panic_in_the_app_restores_the_terminal_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("panic.db");
    assert!(cli(&db, &["init"]).status.success(), "init");
    let out = cli(&db, &["register", "--role", "desk", "--username", "desk1"]);
    assert!(out.status.success(), "register: {}", String::from_utf8_lossy(&out.stderr));
    let before = cli(&db, &["check", "--json"]);

    let tmux = Tmux::new("panic");
    // After the app dies, the shell reports its exit status and the terminal modes as stty sees
    // them, then keeps the pane open for the capture.
    let command = format!(
        "EVENTDESK_TEST_PANIC=1 EVENTDESK_USER=desk1 EVENTDESK_PASSWORD='correct horse battery' '{BIN}' --db '{}'; \
         echo \"[exited $?]\"; stty -a | tr ' ' '\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' '; echo '[modes]'; sleep 120",
        db.display()
    );
    tmux.start("app", &command);
    let screen = tmux.wait("app", Duration::from_secs(10), "the app to exit", |s| s.contains("[modes]"));

    assert!(screen.contains("injected test panic"), "the panic message is shown:\n{screen}");
    assert!(screen.contains("[exited 101]"), "a panic exits 101:\n{screen}");
    assert!(screen.contains("echo icanon") || screen.contains("icanon echo"), "raw mode is off:\n{screen}");
    assert!(!screen.contains("-echo") && !screen.contains("-icanon"), "raw mode is off:\n{screen}");
    assert!(!screen.contains("Events"), "the app's screen is gone (alternate screen left):\n{screen}");
    assert_eq!(tmux.format("app", "#{alternate_on}"), "0", "back on the main screen");
    assert_eq!(tmux.format("app", "#{mouse_any_flag}"), "0", "mouse capture released");

    let after = cli(&db, &["check", "--json"]);
    assert!(after.status.success(), "check after the panic: {}", String::from_utf8_lossy(&after.stderr));
    let (before, after) = (json(&before.stdout), json(&after.stdout));
    assert_eq!(
        after["history"],
        before["history"].as_u64().unwrap_or(0) + 1,
        "only the sign-in was recorded"
    );
    assert_eq!((&after["events"], &after["bookings"]), (&before["events"], &before["bookings"]));
    let history = cli(&db, &["--user", "desk1", "history", "--json", "--limit", "1"]);
    assert_eq!(
        json(&history.stdout)[0]["action"],
        "login",
        "the newest row is the sign-in, nothing after it"
    );
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}
