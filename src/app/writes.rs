//! Writes off the UI thread: sending one, giving it up with Esc, and taking its answer in.
//!
//! One write waits at a time. While it waits the screen stays live and says so; a form that
//! sent it stays open, as typed, until the answer (or until Esc gives the write up, after which
//! the store is guaranteed never to commit it: see `store::WriteTicket`).

use super::db::{GiveUp, PendingWrite};
use super::door::{DoorOutcome, DoorResult};
use super::editing::show_error;
use super::waitlist::FullEvent;
use super::worker::Work;
use super::{App, Confirm, Mode};
use crate::model::{Attendee, Error, Event, Session};
use crate::store::{Store, WriteTicket};

/// How a write ended, as the app shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Wrote {
    /// Saved; the message says what happened.
    Saved(String),
    /// Nothing saved for a reason of the data (full, already booked, ...): a warning, and the
    /// form that sent it closes.
    Refused(String),
    /// Nothing saved; the form that sent it stays open and shows why beside its fields.
    Failed(Error),
    SignedIn(Session),
    /// Ctrl-N's attendee was already on file: the form gives way to a picker on them.
    OnFile(Box<(Attendee, Event)>),
    /// Nothing booked: the event is full. The app offers its waiting list.
    Full(FullEvent),
    /// A check-in or its undo at the door, done or refused (shown in place in the Door tab).
    Door(DoorOutcome),
    /// Nothing changed: what the confirm stated no longer holds, so it is asked again as it
    /// stands now (the message says what changed).
    AskAgain(Box<Confirm>, String),
}

impl Wrote {
    /// A write that ended in an error, shown as a refusal; a file gone from under the desk
    /// stays an error, so the app stops on it instead of carrying on.
    pub(super) fn refused(e: Error) -> Wrote {
        match e {
            Error::Vanished { .. } => Wrote::Failed(e),
            other => Wrote::Refused(other.to_string()),
        }
    }
}

/// Whether Esc may give a write up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cancel {
    Allowed,
    /// A sign-in attempt always runs to the end: a failed one must count towards the lock-out.
    Never,
}

impl App {
    /// Sends a write that Esc may give up. `holds_form`: the open form waits for the answer.
    /// False (with the reason on screen) when another write is still waiting.
    pub(super) fn save(
        &mut self,
        what: &'static str,
        holds_form: bool,
        work: impl FnOnce(&mut Store) -> Wrote + Send + 'static,
    ) -> bool {
        self.send_write(what, holds_form, Cancel::Allowed, Box::new(move |s| super::Answer::Wrote(work(s))))
    }

    pub(super) fn send_write(
        &mut self,
        what: &'static str,
        holds_form: bool,
        cancel: Cancel,
        work: Work,
    ) -> bool {
        if let Some(w) = self.db.pending_write() {
            let how = if w.ticket.is_some() { "; Esc gives it up" } else { "" };
            self.warn(format!("still {}: wait for it{how}", w.what));
            return false;
        }
        let ticket = (cancel == Cancel::Allowed).then(WriteTicket::new);
        let pending = PendingWrite { id: 0, what, since: self.now, ticket, holds_form };
        match self.db.write(pending, work) {
            Ok(()) => {
                // The waiting line takes the status line's place until the answer.
                self.status = None;
                true
            }
            Err(e) => {
                self.fail(&e);
                false
            }
        }
    }

    /// Whether a form on screen is waiting for its write (it then takes no edits).
    pub(super) fn form_waits(&self) -> bool {
        self.db.pending_write().is_some_and(|w| w.holds_form)
    }

    /// Esc while a write waits: give it up, or say why it cannot be.
    pub(super) fn give_up(&mut self) {
        match self.db.give_up() {
            GiveUp::Gave(what) => self.warn(format!("Gave up {what}; nothing was saved")),
            GiveUp::TooLate(what) => self.warn(format!("Too late to give up {what}: it is being saved")),
            GiveUp::NotAllowed(what) => self.warn(format!("{what}… this cannot be given up; it ends soon")),
            GiveUp::Nothing => {}
        }
    }

    /// Takes a write's answer in; `holds_form` says the mode is the form that sent it.
    pub(super) fn on_wrote(&mut self, wrote: Wrote, holds_form: bool) {
        match wrote {
            Wrote::Saved(message) => {
                self.info(message);
                self.close_form(holds_form);
            }
            Wrote::Refused(message) => {
                self.warn(message);
                self.close_form(holds_form);
            }
            Wrote::Failed(e @ Error::Vanished { .. }) => self.stop(&e),
            Wrote::Failed(e) => match &mut self.mode {
                Mode::Form(form) | Mode::SignIn(form) if holds_form => return show_error(form, &e),
                _ => self.fail(&e),
            },
            Wrote::SignedIn(session) => return self.signed_in(session),
            Wrote::OnFile(found) if holds_form => return self.pick_existing(&found.0, found.1),
            Wrote::OnFile(_) => {}
            Wrote::Full(full) => self.offer_waitlist(full, holds_form),
            Wrote::AskAgain(confirm, message) => {
                if let Some(o) = &mut self.door.outcome
                    && o.result == DoorResult::Sending
                {
                    o.result = DoorResult::Refused(message.clone());
                }
                self.warn(message);
                if matches!(self.mode, Mode::Browse) {
                    self.mode = Mode::Confirm(*confirm);
                }
            }
            // The door changes its row and counter from the answer; the change token brings the rest.
            Wrote::Door(outcome) => return self.on_door_wrote(outcome),
        }
        // What this desk just changed shows in the summary at once, however often it is read.
        self.events.summary_asked = None;
        self.reload();
    }

    fn close_form(&mut self, holds_form: bool) {
        if holds_form && matches!(self.mode, Mode::Form(_)) {
            self.mode = Mode::Browse;
        }
    }
}
