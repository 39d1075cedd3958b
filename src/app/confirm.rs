//! Typed confirmations: each says exactly what will happen before anything is changed.

/// A question waiting for `y` (or Enter) / `n` (or Esc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    DeleteEvent { id: i64, title: String, active: u32 },
    CancelBooking { id: i64, attendee: String, event: String },
    Logout,
}

impl Confirm {
    pub fn title(&self) -> &'static str {
        match self {
            Confirm::DeleteEvent { .. } => "Delete event",
            Confirm::CancelBooking { .. } => "Cancel booking",
            Confirm::Logout => "Log out",
        }
    }

    /// The question, naming the consequences (stored text is sanitized when drawn).
    pub fn message(&self) -> String {
        match self {
            Confirm::DeleteEvent { title, active: 0, .. } => {
                format!("Delete \u{201c}{title}\u{201d}? It has no active bookings.")
            }
            Confirm::DeleteEvent { title, active, .. } => format!(
                "Delete \u{201c}{title}\u{201d}? This cancels {active} active booking{}.",
                if *active == 1 { "" } else { "s" }
            ),
            Confirm::CancelBooking { attendee, event, .. } => {
                format!("Cancel {attendee}'s booking on {event}? The seat is freed.")
            }
            Confirm::Logout => "Sign out of eventdesk?".to_string(),
        }
    }
}
