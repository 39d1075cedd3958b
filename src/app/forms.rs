//! The concrete forms: their fields, and the pure validation that turns one into a `Submit`.

use chrono::{DateTime, Utc};

use super::form::{Form, FormField, FormKind};
use crate::model::{
    self, About, Event, EventInput, EventPatch, EventPatchInput, FieldError, HistoryAction, NewAttendee,
    NewEvent, NewOperator, ObjectKind, Role, TIME_EXAMPLE,
};

/// A validated form, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submit {
    Login { username: String, password: String },
    Register(NewOperator),
    NewEvent(NewEvent),
    EditEvent(i64, EventPatch),
    NewAttendee(i64, NewAttendee),
    HistoryFilter(HistoryFilter),
}

/// The History tab's filters; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub actor: Option<String>,
    pub action: Option<HistoryAction>,
    pub kind: Option<ObjectKind>,
    /// Set from the Events and Bookings tabs ("everything about this"); the form keeps it.
    pub about: Option<About>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

const DATE_HINT: &str = TIME_EXAMPLE;
/// The register form's role choice, as `Role::parse` reads it.
const ROLES: &[&str] = &["organizer", "desk"];
const DESCRIPTION_HINT: &str = "optional; a paste keeps its line breaks";

pub fn login() -> Form {
    Form::new(
        FormKind::Login,
        "Sign in",
        vec![FormField::new("username"), FormField::new("password").masked()],
    )
}

pub fn register() -> Form {
    let fields = vec![
        FormField::new("username").hint("3–32 letters, digits . _ -"),
        FormField::new("password").masked().hint("at least 8 characters"),
        FormField::choice("role", ROLES).hint("←/→ or Space to change"),
        FormField::new("name"),
        FormField::new("email").hint("optional"),
        FormField::new("organization").hint("organizers only"),
        FormField::new("address").hint("organizers only"),
    ];
    Form::new(FormKind::Register, "Register a new account", fields)
}

pub fn new_event() -> Form {
    let fields = vec![
        FormField::new("title"),
        FormField::new("description").multiline().hint(DESCRIPTION_HINT),
        FormField::new("start").hint(DATE_HINT),
        FormField::new("end").hint(DATE_HINT),
        FormField::new("capacity").hint("seats, e.g. 40"),
    ];
    Form::new(FormKind::NewEvent, "New event", fields)
}

pub fn edit_event(e: &Event) -> Form {
    let fields = vec![
        FormField::new("title").with_value(&e.title),
        FormField::new("description").with_value(&e.description).multiline().hint(DESCRIPTION_HINT),
        FormField::new("start").with_value(&model::format_input(e.starts_at)).hint(DATE_HINT),
        FormField::new("end").with_value(&model::format_input(e.ends_at)).hint(DATE_HINT),
        FormField::new("capacity").with_value(&e.capacity.to_string()).hint("seats, e.g. 40"),
    ];
    Form::new(FormKind::EditEvent(e.id, e.version), format!("Edit event #{}", e.id), fields)
}

pub fn new_attendee(event_id: i64) -> Form {
    let fields = vec![
        FormField::new("name"),
        FormField::new("email").hint("e.g. ana@example.org"),
        FormField::new("phone").hint("optional"),
    ];
    Form::new(FormKind::NewAttendee { event_id }, "New attendee", fields)
}

pub fn history_filter(current: &HistoryFilter) -> Form {
    let time = |t: Option<DateTime<Utc>>| t.map(model::format_input).unwrap_or_default();
    let fields = vec![
        FormField::new("actor").with_value(current.actor.as_deref().unwrap_or("")).hint("username"),
        FormField::new("action")
            .with_value(current.action.map_or("", HistoryAction::as_str))
            .hint("book, cancel, …"),
        FormField::new("kind")
            .with_value(current.kind.map_or("", ObjectKind::as_str))
            .hint("event, booking, …"),
        FormField::new("since").with_value(&time(current.since)).hint(DATE_HINT),
        FormField::new("until").with_value(&time(current.until)).hint(DATE_HINT),
    ];
    Form::new(FormKind::HistoryFilter(current.about), "Filter history (empty = any)", fields)
}

/// Validates a form without touching the store. On error, the messages are already set beside
/// the fields and the form is otherwise untouched.
pub fn validate(form: &mut Form, now: DateTime<Utc>) -> Option<Submit> {
    let result = match form.kind {
        FormKind::Login => login_submit(form),
        FormKind::Register => register_submit(form),
        FormKind::NewEvent => event_fields(form, Some(now)).map(Submit::NewEvent),
        FormKind::EditEvent(id, version) => edit_fields(form, now)
            .and_then(|_| patch(form))
            .map(|p| Submit::EditEvent(id, EventPatch { if_version: Some(version), ..p })),
        FormKind::NewAttendee { event_id } => attendee_submit(form, event_id),
        FormKind::HistoryFilter(about) => history_submit(form, about).map_err(|(name, msg)| {
            form.set_errors(&[]);
            form.set_field_error(name, msg);
            Vec::new()
        }),
    };
    match result {
        Ok(submit) => {
            form.set_errors(&[]);
            Some(submit)
        }
        Err(errors) if errors.is_empty() => None,
        Err(errors) => {
            form.set_errors(&errors);
            None
        }
    }
}

type Checked<T> = Result<T, Vec<FieldError>>;

fn login_submit(form: &Form) -> Checked<Submit> {
    let username = form.value("username").trim().to_string();
    let password = form.value("password").to_string();
    let mut errors = Vec::new();
    if username.is_empty() {
        errors.push(FieldError::new(model::Field::Username, "type your username"));
    }
    if password.is_empty() {
        errors.push(FieldError::new(model::Field::Password, "type your password"));
    }
    if errors.is_empty() { Ok(Submit::Login { username, password }) } else { Err(errors) }
}

fn register_submit(form: &Form) -> Checked<Submit> {
    let new = NewOperator {
        username: form.value("username").to_string(),
        password: form.value("password").to_string(),
        role: Role::parse(form.value("role")),
        name: form.value("name").to_string(),
        email: form.value("email").to_string(),
        organization: form.value("organization").to_string(),
        address: form.value("address").to_string(),
    };
    match new.validate() {
        Ok(_) => Ok(Submit::Register(new)),
        Err(e) => Err(e.field_errors().to_vec()),
    }
}

/// The event form's text, as the model parses it (the command line goes through the same).
fn event_input(form: &Form) -> EventInput<'_> {
    EventInput {
        title: form.value("title"),
        description: form.value("description"),
        start: form.value("start"),
        end: form.value("end"),
        capacity: form.value("capacity"),
    }
}

/// Parses and checks the event fields as one event; `now` is given for new events.
fn event_fields(form: &Form, now: Option<DateTime<Utc>>) -> Checked<NewEvent> {
    event_input(form).parse(now).map_err(|e| e.field_errors().to_vec())
}

/// An edit is checked as the store will: a start left where it was may be past, a moved one not.
fn edit_fields(form: &Form, now: DateTime<Utc>) -> Checked<NewEvent> {
    let new = event_fields(form, None)?;
    // The value the form opened with is the stored start, as the form shows it.
    let old_start = form.field("start").and_then(|f| model::parse_time(&f.initial).ok());
    new.validate_edit(old_start.unwrap_or(new.starts_at), now).map_err(|e| e.field_errors().to_vec())
}

/// Only the fields the user changed, so history records a meaningful diff.
fn patch(form: &Form) -> Checked<EventPatch> {
    let changed = |name: &str| form.field(name).filter(|f| f.changed()).map(FormField::value);
    let input = EventPatchInput {
        title: changed("title"),
        description: changed("description"),
        start: changed("start"),
        end: changed("end"),
        capacity: changed("capacity"),
    };
    input.parse().map_err(|e| e.field_errors().to_vec())
}

fn attendee_submit(form: &Form, event_id: i64) -> Checked<Submit> {
    let new = NewAttendee {
        name: form.value("name").to_string(),
        email: form.value("email").to_string(),
        phone: form.value("phone").to_string(),
    };
    match new.validate() {
        Ok(_) => Ok(Submit::NewAttendee(event_id, new)),
        Err(e) => Err(e.field_errors().to_vec()),
    }
}

/// The filter form's values; `about` is not a field, so it comes in from the filter shown.
fn history_submit(form: &Form, about: Option<About>) -> Result<Submit, (&'static str, String)> {
    let text = |name: &str| Some(form.value(name).trim().to_string()).filter(|s| !s.is_empty());
    let action =
        text("action").map(|a| HistoryAction::parse_or_explain(&a)).transpose().map_err(|m| ("action", m))?;
    let kind = text("kind").map(|k| ObjectKind::parse_or_explain(&k)).transpose().map_err(|m| ("kind", m))?;
    let time = |name: &'static str| match text(name) {
        None => Ok(None),
        Some(v) => model::parse_time(&v).map(Some).map_err(|m| (name, m)),
    };
    let since = time("since")?;
    let until = time("until")?;
    Ok(Submit::HistoryFilter(HistoryFilter { actor: text("actor"), action, kind, about, since, until }))
}
