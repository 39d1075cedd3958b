//! What the screen says while the database keeps the app waiting, and for how long.

use chrono::{DateTime, Utc};

use super::App;

/// A read answered within this many seconds is not worth a word on screen.
const QUIET_READ_SECONDS: i64 = 1;

/// A store call the app is waiting for, as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// What is being done: "booking", "saving", "loading".
    pub what: &'static str,
    /// Whole seconds since it was asked, by the app's clock.
    pub seconds: i64,
    /// Whether Esc gives it up.
    pub can_give_up: bool,
}

impl Waiting {
    /// "booking… waiting for the database · Esc gives up", then the same with ", 3 s".
    pub fn text(&self) -> String {
        let mut text = format!("{}… waiting for the database", self.what);
        if self.seconds >= 1 {
            text.push_str(&format!(", {} s", self.seconds));
        }
        if self.can_give_up {
            text.push_str(" · Esc gives up");
        }
        text
    }
}

impl App {
    /// The write waiting for the database, else a read that has taken a while, if any.
    pub fn waiting(&self) -> Option<Waiting> {
        let seconds = |since: DateTime<Utc>| (self.now - since).num_seconds().max(0);
        if let Some(w) = self.db.pending_write() {
            return Some(Waiting {
                what: w.what,
                seconds: seconds(w.since),
                can_give_up: w.ticket.is_some(),
            });
        }
        let seconds = seconds(self.db.oldest_read()?);
        (seconds >= QUIET_READ_SECONDS).then_some(Waiting { what: "loading", seconds, can_give_up: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_named_then_timed() {
        let w = |seconds, can_give_up| Waiting { what: "saving", seconds, can_give_up }.text();
        assert_eq!(w(0, true), "saving… waiting for the database · Esc gives up");
        assert_eq!(w(3, true), "saving… waiting for the database, 3 s · Esc gives up");
        assert_eq!(w(12, false), "saving… waiting for the database, 12 s");
    }
}
