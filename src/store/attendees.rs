//! Attendees: the people the desk books.

use serde_json::json;

use super::engine::Record;
use super::query::AttendeeQuery;
use super::{Store, authorize, found, live_attendee};
use crate::model::history_details as details;
use crate::model::{
    Attendee, AttendeePatch, Conflict, Current, Error, HistoryAction, NewAttendee, ObjectKind, Refusal,
    Result, Session,
};

/// The fields the patch sets to something other than what is stored now.
fn attendee_fields(patch: &AttendeePatch, now: &Attendee) -> Vec<&'static str> {
    let phone = now.phone.clone().unwrap_or_default();
    [("name", &patch.name, &now.name), ("email", &patch.email, &now.email), ("phone", &patch.phone, &phone)]
        .into_iter()
        .filter(|(_, new, old)| new.as_ref().is_some_and(|n| n.trim() != old.as_str()))
        .map(|(f, _, _)| f)
        .collect()
}

impl Store {
    pub fn add_attendee(&self, s: &Session, new: &NewAttendee) -> Result<Attendee> {
        let v = new.validate()?;
        self.write(|tx| {
            authorize(tx, s)?;
            if tx.email_taken(&v.email, 0)? {
                return Err(Refusal::EmailTaken.into());
            }
            let now = self.now();
            let id = tx.insert_attendee(&v, now)?;
            let details = details::attendee_created(&v.name, &v.email, v.phone.as_deref());
            tx.record(now, &Record::by(s, HistoryAction::Create, ObjectKind::Attendee, id, details))?;
            found(tx.attendee(id)?, "attendee", id)
        })
    }

    pub fn update_attendee(&self, s: &Session, id: i64, patch: &AttendeePatch) -> Result<Attendee> {
        self.write(|tx| {
            authorize(tx, s)?;
            let old = live_attendee(tx, id)?;
            if let Some(opened) = patch.if_version.filter(|&v| v != old.version) {
                let fields = attendee_fields(patch, &old);
                return Err(Error::Conflict(Box::new(Conflict {
                    opened,
                    current: Current::Attendee(old),
                    fields,
                })));
            }
            let v = patch.apply(&old)?;
            if tx.email_taken(&v.email, id)? {
                return Err(Refusal::EmailTaken.into());
            }
            let mut changes = serde_json::Map::new();
            let mut note = |field: &str, old: serde_json::Value, new: serde_json::Value| {
                if old != new {
                    changes.insert(field.into(), json!({ "old": old, "new": new }));
                }
            };
            note("name", json!(old.name), json!(v.name));
            note("email", json!(old.email), json!(v.email));
            note("phone", json!(old.phone), json!(v.phone));
            if changes.is_empty() {
                return Ok(old);
            }
            let now = self.now();
            tx.update_attendee(id, &v, now)?;
            let details = details::changed(details::key::NAME, &v.name, changes);
            tx.record(now, &Record::by(s, HistoryAction::Update, ObjectKind::Attendee, id, details))?;
            found(tx.attendee(id)?, "attendee", id)
        })
    }

    pub fn attendee(&self, id: i64) -> Result<Attendee> {
        found(self.engine.attendee(id)?, "attendee", id)
    }

    /// Looks an attendee up by email, ignoring case.
    pub fn attendee_by_email(&self, email: &str) -> Result<Attendee> {
        let value = email.trim();
        let by = || Error::NotFoundBy { kind: "attendee", key: "email", value: value.to_string() };
        // No stored email holds a NUL, and PostgreSQL text cannot carry one to compare.
        if value.contains('\0') {
            return Err(by());
        }
        self.engine.attendee_by_email(value)?.ok_or_else(by)
    }

    /// Attendees by name, one page.
    pub fn list_attendees(&self, q: &AttendeeQuery) -> Result<Vec<Attendee>> {
        self.engine.list_attendees(q)
    }

    /// How many attendees match. Exact, so it reads every match: for a picker that only needs
    /// "more than enough", `count_attendees_upto` stops early.
    pub fn count_attendees(&self, q: &AttendeeQuery) -> Result<u64> {
        self.engine.count_attendees(q)
    }

    /// Counts matches up to `cap + 1` and stops there: a result above `cap` means "more than
    /// cap". Cheap at any size, where an exact count of a common name reads every match.
    pub fn count_attendees_upto(&self, q: &AttendeeQuery, cap: u64) -> Result<u64> {
        self.engine.count_attendees_upto(q, cap)
    }
}
