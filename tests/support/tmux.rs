//! A private tmux server for end-to-end tests in real terminals: start sessions, type, read the
//! screen. tmux is required: without it the test fails with a message instead of passing.

// Shared by several test crates; each uses a part.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A private tmux server (its own socket) that is killed when the test ends, pass or fail.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn new(purpose: &str) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.as_ref().is_ok_and(|o| o.status.success()),
            "tmux is required for the {purpose} test (CI installs it; `apt-get install tmux`): {version:?}"
        );
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        Tmux { socket: format!("eventdesk-{purpose}-{}-{nanos}", std::process::id()) }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("run tmux")
    }

    /// Starts `command` in a detached 120×40 session. Callers keep the pane open after the app
    /// exits (`; sleep 120`) so a crash leaves its message to capture.
    pub fn start(&self, name: &str, command: &str) {
        let out = self.run(&["new-session", "-d", "-s", name, "-x", "120", "-y", "40", command]);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A tmux format value of the pane, e.g. `#{alternate_on}`.
    pub fn format(&self, name: &str, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", name, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, name: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", name];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    pub fn text(&self, name: &str, text: &str) {
        assert!(self.run(&["send-keys", "-t", name, "-l", text]).status.success(), "send-keys -l {text}");
    }

    pub fn capture(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    /// Polls the screen until `ready` holds; fails with the screen when `within` runs out.
    pub fn wait(&self, name: &str, within: Duration, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture(name);
            if ready(&screen) {
                return screen;
            }
            assert!(start.elapsed() < within, "{name}: waited {within:?} for {what}; screen:\n{screen}");
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Ask where the socket is before killing the server, then remove it too.
        let socket = self.run(&["display-message", "-p", "#{socket_path}"]);
        let _ = self.run(&["kill-server"]);
        let path = String::from_utf8_lossy(&socket.stdout).trim().to_string();
        if !path.is_empty() {
            let _ = std::fs::remove_file(path);
        }
    }
}
