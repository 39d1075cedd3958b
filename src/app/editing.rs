//! The typing modes: search, forms, pickers and confirmations. Each takes the mode by value and
//! returns the next one, so a failed submit can hand the form back untouched.

use tui_input::{Input, InputRequest};

use super::browse::is_navigation;
use super::{Action, App, Confirm, Form, FormKind, Mode, Picker, PickerList, Submit, Tab, forms};
use crate::model::{Attendee, Error, NewAttendee, Refusal, Session, plural};

/// Typing and focus moves shared by every form; false when the action is not an edit.
pub(super) fn edit_form(form: &mut Form, action: &Action) -> bool {
    match action {
        Action::Edit(req) => form.edit(*req),
        Action::Paste(text) => form.paste(text),
        Action::NextField => form.next(),
        Action::PrevField => form.prev(),
        _ => return false,
    }
    true
}

/// Pastes into a one-line search field; newlines and control characters are dropped.
fn paste_into(input: &mut Input, text: &str) {
    for c in text.chars().filter(|c| !c.is_control()) {
        input.handle(InputRequest::InsertChar(c));
    }
}

impl App {
    pub(super) fn on_search(&mut self, action: Action) -> Mode {
        let input = match self.tab {
            Tab::Bookings => &mut self.bookings.search,
            _ => &mut self.events.search,
        };
        let done = matches!(action, Action::Cancel);
        match action {
            Action::Quit => return self.quit(),
            Action::Submit => return Mode::Browse,
            Action::Edit(req) => drop(input.handle(req)),
            Action::Paste(text) => paste_into(input, &text),
            Action::Cancel => input.reset(),
            a if is_navigation(&a) => {
                self.move_selection(&a);
                return Mode::Search;
            }
            _ => return Mode::Search,
        }
        match self.tab {
            Tab::Bookings => self.bookings.list.reset(),
            _ => self.events.list.reset(),
        }
        self.reload();
        if done { Mode::Browse } else { Mode::Search }
    }

    pub(super) fn on_form(&mut self, mut form: Form, action: Action) -> Mode {
        if edit_form(&mut form, &action) {
            return Mode::Form(form);
        }
        match action {
            Action::Quit => self.quit(),
            Action::Cancel => self.cancel_form(&form),
            Action::Submit => match forms::validate(&mut form, self.now) {
                None => Mode::Form(form),
                Some(submit) => match self.apply(submit) {
                    Ok(mode) => mode,
                    Err(e) => {
                        show_error(&mut form, &e);
                        Mode::Form(form)
                    }
                },
            },
            _ => Mode::Form(form),
        }
    }

    /// Esc: an inline attendee form goes back to its picker, any other form just closes.
    fn cancel_form(&mut self, form: &Form) -> Mode {
        if let FormKind::NewAttendee { event_id } = form.kind
            && let Ok(event) = self.store.event(event_id)
        {
            return self.open_picker(Picker::attendees(event));
        }
        self.info("Cancelled; nothing changed");
        Mode::Browse
    }

    /// Sends a validated form to the store.
    fn apply(&mut self, submit: Submit) -> Result<Mode, Error> {
        let session = self.session()?;
        match submit {
            Submit::NewEvent(new) => {
                let e = self.store.create_event(&session, &new)?;
                self.info(format!("Created {} with {}", e.title, plural(e.capacity, "seat", "seats")));
            }
            Submit::EditEvent(_, patch) if patch.is_empty() => self.info("No changes"),
            Submit::EditEvent(id, patch) => {
                let e = self.store.update_event(&session, id, &patch)?;
                self.info(format!("Saved {}", e.title));
            }
            Submit::NewAttendee(event_id, new) => return self.add_and_book(event_id, &new),
            Submit::HistoryFilter(filter) => self.set_history_filter(filter),
            Submit::Login { .. } | Submit::Register(_) => {}
        }
        self.reload();
        Ok(Mode::Browse)
    }

    /// Ctrl-N's form: adds the attendee, then books them. An email already on file (a retry
    /// after a refused booking, or someone added meanwhile) opens the picker on that attendee
    /// instead of failing, so the retry books the person who now exists.
    fn add_and_book(&mut self, event_id: i64, new: &NewAttendee) -> Result<Mode, Error> {
        let session = self.session()?;
        let added = match self.store.add_attendee(&session, new) {
            Err(Error::Refused(Refusal::EmailTaken)) => return self.pick_existing(event_id, &new.email),
            other => other?,
        };
        self.book_added(&session, event_id, &added);
        self.reload();
        Ok(Mode::Browse)
    }

    /// Books a just-added attendee; a refusal says both facts, since the attendee stays added.
    fn book_added(&mut self, session: &Session, event_id: i64, added: &Attendee) {
        let name = &added.name;
        let event = match self.store.event(event_id) {
            Ok(event) => event,
            Err(e) => return self.warn(format!("Added {name}; not booked: {e}")),
        };
        match self.store.book(session, event.id, added.id) {
            Err(Error::Refused(Refusal::EventFull)) => {
                self.warn(format!("Added {name}; {} is full — not booked", event.title));
            }
            Err(e) => self.warn(format!("Added {name}; not booked: {e}")),
            booked => self.report_booking("Booked", &event.title, booked),
        }
    }

    /// The attendee picker for the event, narrowed to the attendee who holds `email`.
    fn pick_existing(&mut self, event_id: i64, email: &str) -> Result<Mode, Error> {
        let existing = self.store.attendee_by_email(email)?;
        let mut picker = Picker::attendees(self.store.event(event_id)?);
        paste_into(&mut picker.search, &existing.email);
        self.load_picker(&mut picker)?;
        if let PickerList::Attendees { list, .. } = &mut picker.list
            && let Some(i) = list.rows.iter().position(|a| a.id == existing.id)
        {
            list.select(list.offset + i as u64);
        }
        self.info(format!("{} ({}) is already on file: Enter books them", existing.name, existing.email));
        Ok(Mode::Picker(picker))
    }

    pub(super) fn on_picker(&mut self, mut picker: Picker, action: Action) -> Mode {
        let reload = match &action {
            Action::Quit => return self.quit(),
            Action::Cancel => return Mode::Browse,
            Action::Submit => return self.pick(picker),
            Action::NewAttendee => return self.inline_attendee(picker),
            Action::Edit(req) => {
                picker.search.handle(*req);
                picker.reset();
                true
            }
            Action::Paste(text) => {
                paste_into(&mut picker.search, text);
                picker.reset();
                true
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                let delta = picker_delta(&action);
                picker.step(delta)
            }
            _ => false,
        };
        if reload && let Err(e) = self.load_picker(&mut picker) {
            self.fail(&e);
        }
        Mode::Picker(picker)
    }

    fn inline_attendee(&mut self, picker: Picker) -> Mode {
        match &picker.list {
            PickerList::Attendees { event, .. } => Mode::Form(forms::new_attendee(event.id)),
            PickerList::Events(_) => {
                self.info("pick an event first; new attendees are added in the next step");
                Mode::Picker(picker)
            }
        }
    }

    pub(super) fn on_confirm(&mut self, confirm: Confirm, action: Action) -> Mode {
        match action {
            Action::Quit => self.quit(),
            Action::Yes | Action::Submit => {
                let result = match &confirm {
                    Confirm::DeleteEvent { id, title, .. } => self.delete_event(*id, title),
                    Confirm::CancelBooking { id, .. } => self.cancel_booking(*id),
                    Confirm::Logout => return self.logout(),
                };
                if let Err(e) = result {
                    self.fail(&e);
                }
                self.reload();
                Mode::Browse
            }
            Action::Cancel => {
                self.info("Nothing changed");
                Mode::Browse
            }
            _ => Mode::Confirm(confirm),
        }
    }
}

fn picker_delta(action: &Action) -> i64 {
    let page = i64::from(super::PICKER_ROWS);
    match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        _ => page,
    }
}

/// Puts a store error beside the fields it names, or on the form itself.
pub(super) fn show_error(form: &mut Form, e: &Error) {
    match e {
        Error::Invalid(errors) => form.set_errors(errors),
        other => {
            form.set_errors(&[]);
            form.error = Some(other.to_string());
        }
    }
}
