//! Forms as data: tui-input fields, which one has focus, and the message beside each field.
//! A form never calls the store; `forms::validate` turns it into a `Submit` or field errors.

use tui_input::{Input, InputRequest};

use crate::model::FieldError;

/// One labelled text field. `name` matches `model::Field::label` so store errors land beside it.
#[derive(Debug, Clone)]
pub struct FormField {
    pub name: &'static str,
    pub input: Input,
    /// The value the form opened with, so an edit only sends what changed.
    pub initial: String,
    pub masked: bool,
    /// A free-text field whose value may hold line breaks (a description).
    pub multiline: bool,
    pub hint: Option<&'static str>,
    pub error: Option<String>,
    /// A choice among these values instead of free text: ←/→ or Space moves it.
    pub choices: &'static [&'static str],
}

impl FormField {
    pub fn new(name: &'static str) -> FormField {
        FormField {
            name,
            input: Input::default(),
            initial: String::new(),
            masked: false,
            multiline: false,
            hint: None,
            error: None,
            choices: &[],
        }
    }

    /// A field that takes one of `choices`, the first to begin with.
    pub fn choice(name: &'static str, choices: &'static [&'static str]) -> FormField {
        let first = choices.first().copied().unwrap_or_default();
        FormField { choices, ..FormField::new(name).with_value(first) }
    }

    /// Moves a choice field's value by `step` places, wrapping round.
    fn cycle(&mut self, step: isize) {
        let n = self.choices.len();
        if n == 0 {
            return;
        }
        let at = self.choices.iter().position(|c| *c == self.value()).unwrap_or(0);
        let next = (at as isize + step).rem_euclid(n as isize) as usize;
        self.input = Input::new(self.choices[next].to_string());
    }

    pub fn with_value(mut self, value: &str) -> FormField {
        self.input = Input::new(value.to_string());
        self.initial = value.to_string();
        self
    }

    pub fn masked(mut self) -> FormField {
        self.masked = true;
        self
    }

    pub fn multiline(mut self) -> FormField {
        self.multiline = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> FormField {
        self.hint = Some(hint);
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn changed(&self) -> bool {
        self.input.value() != self.initial
    }
}

/// What a form is for; decides its fields, its validation and what submitting does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Login,
    Register,
    NewEvent,
    /// The event's id and the version the form was opened on (a later one refuses the save).
    EditEvent(i64, i64),
    /// Added from the attendee picker; the new attendee is booked onto this event.
    NewAttendee {
        event_id: i64,
    },
    /// The History filter; "everything about" is kept from the filter the form was opened on.
    HistoryFilter(Option<crate::model::About>),
}

/// A form on screen.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A message about the whole form (a refusal, "busy", a wrong password).
    pub error: Option<String>,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<FormField>) -> Form {
        Form { kind, title: title.into(), fields, focus: 0, error: None }
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields.iter().find(|f| f.name == name).map_or("", FormField::value)
    }

    pub fn field(&self, name: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// A key in the focused field: text edits it; in a choice field ←/→ and Space move the
    /// choice and every other key is ignored (nothing can be typed into it).
    pub fn edit(&mut self, req: InputRequest) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        if f.choices.is_empty() {
            f.input.handle(req);
            return;
        }
        match req {
            InputRequest::GoToPrevChar => f.cycle(-1),
            InputRequest::GoToNextChar | InputRequest::InsertChar(' ') => f.cycle(1),
            _ => {}
        }
    }

    /// Pastes into the focused field; a paste never submits. A multi-line field keeps the
    /// paste's line breaks (CR LF and lone CR become LF), any other field gets spaces.
    pub fn paste(&mut self, text: &str) {
        if self.fields.get(self.focus).is_some_and(|f| !f.choices.is_empty()) {
            return;
        }
        let multiline = self.fields.get(self.focus).is_some_and(|f| f.multiline);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for c in text.chars() {
            let c = match c {
                '\n' if multiline => '\n',
                '\n' | '\t' => ' ',
                c => c,
            };
            if c == '\n' || !c.is_control() {
                self.edit(InputRequest::InsertChar(c));
            }
        }
    }

    /// Shows each error beside its field (and focuses the first one); errors for fields the
    /// form does not have go to the form-level message.
    pub fn set_errors(&mut self, errors: &[FieldError]) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.error = None;
        let mut first = None;
        for e in errors {
            match self.fields.iter().position(|f| f.name == e.field.label()) {
                Some(i) => {
                    self.fields[i].error = Some(e.message.clone());
                    first = Some(first.map_or(i, |f: usize| f.min(i)));
                }
                None => self.error = Some(format!("{}: {}", e.field.label(), e.message)),
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }

    /// Shows one message beside a named field (for checks the model does not cover).
    pub fn set_field_error(&mut self, name: &str, message: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(message);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
}
