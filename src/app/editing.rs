//! The typing modes: search, forms, pickers and confirmations. Each takes the mode by value and
//! returns the next one, so a failed submit can hand the form back untouched.

use tui_input::{Input, InputRequest};

use super::bookings::{Attempt, booking_outcome, promoted_note};
use super::browse::is_navigation;
use super::writes::Wrote;
use super::{Action, App, Confirm, Form, FormKind, Mode, Picker, PickerList, Submit, Tab, forms};
use crate::model::{Attendee, Conflict, Error, Event, NewAttendee, Refusal, Session, plural, quoted};
use crate::store::Store;

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
pub(super) fn paste_into(input: &mut Input, text: &str) {
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
            Tab::Bookings => {
                self.bookings.list.reset();
                self.bookings.entries.reset();
            }
            _ => self.events.list.reset(),
        }
        self.reload();
        if done { Mode::Browse } else { Mode::Search }
    }

    pub(super) fn on_form(&mut self, mut form: Form, action: Action) -> Mode {
        if self.form_waits() {
            return self.while_saving(Mode::Form(form), &action);
        }
        if edit_form(&mut form, &action) {
            return Mode::Form(form);
        }
        match action {
            Action::Quit => self.quit(),
            Action::Cancel => self.cancel_form(&form),
            Action::Submit => match forms::validate(&mut form, self.now) {
                None => Mode::Form(form),
                Some(submit) => self.apply(submit, form),
            },
            _ => Mode::Form(form),
        }
    }

    /// A form waiting for its write takes no edits: Esc gives the write up (the form stays, as
    /// typed), Ctrl-C quits, anything else waits.
    pub(super) fn while_saving(&mut self, mode: Mode, action: &Action) -> Mode {
        match action {
            Action::Quit => self.quit(),
            Action::Cancel => {
                self.give_up();
                mode
            }
            _ => mode,
        }
    }

    /// Esc: an inline attendee form goes back to its picker, any other form just closes.
    fn cancel_form(&mut self, form: &Form) -> Mode {
        if let FormKind::NewAttendee { event_id } = form.kind
            && let Some(event) = self.inline_event.take().filter(|e| e.id == event_id)
        {
            return self.open_picker(Picker::attendees(event));
        }
        self.info("Cancelled; nothing changed");
        Mode::Browse
    }

    /// Sends a validated form to the store; the form stays open until the answer.
    fn apply(&mut self, submit: Submit, form: Form) -> Mode {
        let session = match self.session() {
            Ok(s) => s,
            Err(e) => {
                let mut form = form;
                show_error(&mut form, &e);
                return Mode::Form(form);
            }
        };
        match submit {
            Submit::NewEvent(new) => {
                self.save("saving", true, move |s| match s.create_event(&session, &new) {
                    Ok(e) => Wrote::Saved(format!(
                        "Created {} with {}",
                        e.title,
                        plural(e.capacity, "seat", "seats")
                    )),
                    Err(e) => Wrote::Failed(e),
                });
            }
            Submit::EditEvent(_, patch) if patch.is_empty() => {
                self.info("No changes");
                return Mode::Browse;
            }
            Submit::EditEvent(id, patch) => {
                self.save("saving", true, move |s| match s.update_event(&session, id, &patch) {
                    Ok(e) => Wrote::Saved(format!("Saved {}{}", e.changed.title, promoted_note(&e.promoted))),
                    Err(e) => Wrote::Failed(e),
                });
            }
            Submit::NewAttendee(event_id, new) => {
                self.save("saving", true, move |s| add_and_book(s, &session, event_id, &new));
            }
            Submit::HistoryFilter(filter) => {
                self.set_history_filter(filter);
                return Mode::Browse;
            }
            Submit::Login { .. } | Submit::Register(_) => return Mode::Browse,
        }
        Mode::Form(form)
    }

    /// The answer to Ctrl-N's form when the email was already on file: the attendee picker
    /// for the event, narrowed to that attendee, who is selected once the page is read.
    pub(super) fn pick_existing(&mut self, existing: &Attendee, event: Event) {
        let mut picker = Picker::attendees(event);
        paste_into(&mut picker.search, &existing.email);
        picker.prefer = Some(existing.id);
        self.load_picker(&picker);
        self.mode = Mode::Picker(picker);
        self.info(format!("{} ({}) is already on file: Enter books them", existing.name, existing.email));
    }

    pub(super) fn on_picker(&mut self, mut picker: Picker, action: Action) -> Mode {
        // A key after an early Enter means the desk has moved on from it.
        picker.submit = false;
        let reload = match &action {
            Action::Quit => return self.quit(),
            Action::Cancel => return Mode::Browse,
            // Typed fast (or pasted) and Enter at once: choose from what the search finds, not
            // from the rows of the search before it, still on screen.
            Action::Submit if !picker.settled() => {
                picker.submit = true;
                false
            }
            Action::Submit => return self.pick(picker),
            Action::ClickRow(n) => match picker.click(*n) {
                Some(true) => return self.pick(picker),
                Some(false) | None => false,
            },
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
        if reload {
            self.load_picker(&picker);
        }
        Mode::Picker(picker)
    }

    fn inline_attendee(&mut self, picker: Picker) -> Mode {
        match &picker.list {
            PickerList::Attendees { event, .. } => {
                self.inline_event = Some(event.clone());
                Mode::Form(forms::new_attendee(event.id))
            }
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
                    Confirm::DeleteEvent { id, title, active } => self.delete_event(*id, title, *active),
                    Confirm::CancelBooking { id, .. } => self.cancel_booking(*id),
                    Confirm::JoinWaitlist(full) => self.join_waitlist(full),
                    Confirm::RemoveWaiting { entry_id, .. } => self.remove_waiting(*entry_id),
                    Confirm::UndoCheckIn { booking_id, attendee, at, .. } => {
                        self.undo_check_in(*booking_id, attendee, *at)
                    }
                    Confirm::Logout => return self.logout(),
                };
                if let Err(e) = result {
                    self.fail(&e);
                }
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
    if let (Error::Conflict(c), FormKind::EditEvent(id, _)) = (e, form.kind) {
        form.kind = FormKind::EditEvent(id, c.current.version());
        return rebase(form, c);
    }
    match e {
        Error::Invalid(errors) => form.set_errors(errors),
        other => {
            form.set_errors(&[]);
            form.error = Some(other.to_string());
        }
    }
}

/// Refused as stale: the form moves onto the version stored now. A field the other desk changed
/// and this desk did not takes the stored value; one both changed keeps this desk's value and
/// says what is stored. The form then compares with what is stored now, so submitting again
/// applies this desk's edits over the other desk's (Esc discards them).
fn rebase(form: &mut Form, c: &Conflict) {
    form.set_errors(&[]);
    let mut under = Vec::new();
    for field in &mut form.fields {
        let Some(stored) = c.current.field(field.name) else { continue };
        if stored == field.initial {
            continue;
        }
        under.push(field.name);
        field.error = Some(if field.changed() {
            format!("another desk saved {}: Enter keeps yours", quoted(&stored))
        } else {
            field.input = Input::new(stored.clone());
            "changed by another desk: now shown".to_string()
        });
        field.initial = stored;
    }
    let what = if under.is_empty() { "nothing on this form".to_string() } else { under.join(", ") };
    form.error = Some(format!(
        "another desk changed this event since you opened it (version {} → {}): {what}; Enter saves your edits over it, Esc discards them",
        c.opened,
        c.current.version()
    ));
}

/// Ctrl-N's form, on the write thread: adds the attendee, then books them. An email already on
/// file (a retry after a refused booking, or someone added meanwhile) answers with that
/// attendee instead of failing, so the retry books the person who now exists.
fn add_and_book(store: &mut Store, session: &Session, event_id: i64, new: &NewAttendee) -> Wrote {
    match store.add_attendee(session, new) {
        Ok(added) => book_added(store, session, event_id, &added),
        Err(Error::Refused(Refusal::EmailTaken)) => {
            match store.attendee_by_email(&new.email).and_then(|a| Ok((a, store.event(event_id)?))) {
                Ok(found) => Wrote::OnFile(Box::new(found)),
                Err(e) => Wrote::Failed(e),
            }
        }
        Err(e) => Wrote::Failed(e),
    }
}

/// Books a just-added attendee; a refusal says both facts, since the attendee stays added.
fn book_added(store: &Store, session: &Session, event_id: i64, added: &Attendee) -> Wrote {
    let name = &added.name;
    let event = match store.event(event_id) {
        Ok(event) => event,
        Err(e) => return Wrote::Refused(format!("Added {name}; not booked: {e}")),
    };
    let attempt = Attempt::new(&event, added);
    match store.book(session, event.id, added.id) {
        Err(Error::Refused(Refusal::EventFull)) => {
            attempt.full(format!("Added {name}; {} is full — not booked", event.title))
        }
        Err(e @ Error::Vanished { .. }) => Wrote::Failed(e),
        Err(e) => Wrote::Refused(format!("Added {name}; not booked: {e}")),
        booked => booking_outcome("Booked", attempt, booked),
    }
}
