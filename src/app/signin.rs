//! The sign-in screen: log in, or register an organizer or desk account, then log in.

use super::editing::{edit_form, show_error};
use super::{Action, App, Form, FormKind, Mode, Submit, forms};
use crate::model::{Error, Session};

impl App {
    pub(super) fn on_signin(&mut self, mut form: Form, action: Action) -> Mode {
        if edit_form(&mut form, &action) {
            return Mode::SignIn(form);
        }
        match action {
            Action::Quit => self.quit(),
            Action::Cancel if form.kind == FormKind::Register => Mode::SignIn(forms::login()),
            Action::Cancel => self.quit(),
            Action::ToggleRegister if form.kind == FormKind::Register => Mode::SignIn(forms::login()),
            Action::ToggleRegister => Mode::SignIn(forms::register()),
            Action::Submit => match forms::validate(&mut form, self.now) {
                None => Mode::SignIn(form),
                Some(submit) => match self.sign_in(submit) {
                    Ok(session) => self.signed_in(session),
                    Err(e) => {
                        show_error(&mut form, &e);
                        Mode::SignIn(form)
                    }
                },
            },
            _ => Mode::SignIn(form),
        }
    }

    fn sign_in(&mut self, submit: Submit) -> Result<Session, Error> {
        match submit {
            Submit::Login { username, password } => self.store.login(&username, &password),
            Submit::Register(new) => {
                self.store.register(&new)?;
                self.store.login(&new.username, &new.password)
            }
            _ => Err(Error::Unauthenticated("sign in first".into())),
        }
    }

    fn signed_in(&mut self, session: Session) -> Mode {
        self.info(format!("Signed in as {} ({})", session.username, session.role.as_str()));
        self.session = Some(session);
        self.tab = super::Tab::Events;
        self.reload();
        Mode::Browse
    }

    pub(super) fn logout(&mut self) -> Mode {
        if let Some(session) = self.session.take()
            && let Err(e) = self.store.logout(&session)
        {
            self.fail(&e);
            return Mode::SignIn(forms::login());
        }
        self.info("Signed out");
        Mode::SignIn(forms::login())
    }
}
