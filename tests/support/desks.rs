//! Desks made of the real binary: the app in a tmux terminal, and one-shot CLI runs, on a
//! database given as `EVENTDESK_DB` the way a desk would (a path or a server URL). Needs the
//! crate to include `support/tmux.rs` as `mod tmux`.

// Shared by several test crates; each uses a part.
#![allow(dead_code)]

use std::process::Command;

use super::tmux::Tmux;

pub const BIN: &str = env!("CARGO_BIN_EXE_eventdesk");
/// Every account the tests register has this password.
pub const PASSWORD: &str = "correct horse battery";

/// Starts the app on `db` signed in as `user`; the pane stays open after the app exits, so a
/// crash leaves its message to capture.
pub fn start_app(tmux: &Tmux, name: &str, db: &str, user: &str) {
    let command = format!(
        "EVENTDESK_DB='{db}' EVENTDESK_USER={user} EVENTDESK_PASSWORD='{PASSWORD}' '{BIN}'; echo \"[exited $?]\"; sleep 120"
    );
    tmux.start(name, &command);
}

/// Runs the CLI; panics with its output unless it succeeds. Returns stdout.
pub fn cli(db: &str, user: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("EVENTDESK_PASSWORD", PASSWORD).env("EVENTDESK_DB", db);
    match user {
        Some(u) => cmd.env("EVENTDESK_USER", u),
        None => cmd.env_remove("EVENTDESK_USER"),
    };
    let out = cmd.output().expect("run eventdesk");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "eventdesk {args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The `id` of the object a `--json` command created.
pub fn created_id(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).expect("--json output");
    value["id"].as_i64().expect("created object has an id").to_string()
}

/// Adds one of olga's events `days` from today, 18:00–20:00 local time (real time: the apps
/// under test run on the system clock). Returns its id.
pub fn event_in(db: &str, days: i64, title: &str, capacity: &str) -> String {
    let day = (chrono::Local::now() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let (start, end) = (format!("{day} 18:00"), format!("{day} 20:00"));
    let args = ["--json", "event", "add", "--title", title, "--start", &start, "--end", &end];
    created_id(&cli(db, Some("olga"), &[&args[..], &["--capacity", capacity]].concat()))
}

/// A new database at `db` with the organizer "olga" (Acme) and a desk account per name.
pub fn venue(db: &str, desks: &[&str]) {
    cli(db, None, &["init"]);
    let organizer = "register --role organizer --username olga --org Acme --address Main-Street-1";
    cli(db, None, &organizer.split(' ').collect::<Vec<_>>());
    for desk in desks {
        cli(db, None, &["register", "--role", "desk", "--username", desk]);
    }
}

/// Adds the attendee `who` ("Ana Ruiz") as olga, with the email "ana@example.org"; returns it.
pub fn attendee(db: &str, who: &str) -> String {
    let email = format!("{}@example.org", who.split(' ').next().unwrap_or(who).to_lowercase());
    cli(db, Some("olga"), &["attendee", "add", "--name", who, "--email", &email]);
    email
}
