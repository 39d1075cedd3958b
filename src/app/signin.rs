//! The sign-in screen: log in, or register an organizer or desk account, then log in.
//! Argon2 makes checking a password slow on purpose, so it runs on the write thread and the
//! screen stays live meanwhile.

use super::editing::{edit_form, show_error};
use super::writes::{Cancel, Wrote};
use super::{Action, Answer, App, Form, FormKind, Mode, Submit, forms};
use crate::model::Session;

impl App {
    pub(super) fn on_signin(&mut self, mut form: Form, action: Action) -> Mode {
        if self.form_waits() {
            return self.while_saving(Mode::SignIn(form), &action);
        }
        if edit_form(&mut form, &action) {
            return Mode::SignIn(form);
        }
        match action {
            Action::Quit => self.quit(),
            Action::Cancel if form.kind == FormKind::Register => Mode::SignIn(forms::login()),
            Action::Cancel => self.quit(),
            Action::ToggleRegister if form.kind == FormKind::Register => Mode::SignIn(forms::login()),
            Action::ToggleRegister => Mode::SignIn(forms::register()),
            Action::Submit => {
                if let Some(submit) = forms::validate(&mut form, self.now) {
                    self.sign_in(submit, &mut form);
                }
                Mode::SignIn(form)
            }
            _ => Mode::SignIn(form),
        }
    }

    /// Sends the sign-in (or registration and sign-in); the form waits for the answer.
    fn sign_in(&mut self, submit: Submit, form: &mut Form) {
        let (what, work): (&'static str, super::worker::Work) = match submit {
            Submit::Login { username, password } => (
                "signing in",
                Box::new(move |s| Answer::Wrote(signed_in_or_failed(s.login(&username, &password)))),
            ),
            Submit::Register(new) => (
                "registering",
                Box::new(move |s| {
                    let session = s.register(&new).and_then(|_| s.login(&new.username, &new.password));
                    Answer::Wrote(signed_in_or_failed(session))
                }),
            ),
            _ => return show_error(form, &crate::model::Error::Unauthenticated("sign in first".into())),
        };
        self.send_write(what, true, Cancel::Never, work);
    }

    /// Opens the main screen for a session that just signed in.
    pub(super) fn signed_in(&mut self, session: Session) {
        self.info(format!("Signed in as {} ({})", session.username, session.role.as_str()));
        self.events = super::EventsTab {
            filter: super::events::default_filter(Some(&session)),
            list: self.events.list.clone(),
            ..super::EventsTab::default()
        };
        self.events.list.reset();
        self.session = Some(session);
        self.tab = super::Tab::Events;
        self.mode = Mode::Browse;
        self.reload();
    }

    /// Signs out at once; the history row follows from the write thread.
    pub(super) fn logout(&mut self) -> Mode {
        if let Some(session) = self.session.take() {
            let work = Box::new(move |s: &mut crate::store::Store| {
                Answer::Wrote(match s.logout(&session) {
                    Ok(()) => Wrote::Saved("Signed out".into()),
                    Err(e) => Wrote::Failed(e),
                })
            });
            self.send_write("signing out", false, Cancel::Never, work);
        }
        self.start_clean();
        Mode::SignIn(forms::login())
    }

    /// The next operator starts where a new app does: no filters, searches, selections or
    /// half-made forms of the one before.
    fn start_clean(&mut self) {
        self.tab = super::Tab::Events;
        self.events =
            super::EventsTab { list: super::Paged::with_view(self.events.list.view), ..Default::default() };
        let rows = self.bookings.list.view;
        self.bookings = super::BookingsTab::default();
        self.bookings.list.view = rows;
        self.bookings.entries.view = rows;
        self.history =
            super::HistoryTab { list: super::Paged::with_view(self.history.list.view), ..Default::default() };
        let rows = self.door.list.view;
        self.door = super::DoorTab::default();
        self.door.list.view = rows;
        self.inline_event = None;
    }
}

fn signed_in_or_failed(session: crate::model::Result<Session>) -> Wrote {
    match session {
        Ok(session) => Wrote::SignedIn(session),
        Err(e) => Wrote::Failed(e),
    }
}
