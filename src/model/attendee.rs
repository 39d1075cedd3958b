//! Attendees: the people booked onto events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::text::{validate_email, validate_name, validate_phone};
use super::{Error, Field};

/// A stored attendee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Counts edits of the attendee, for edits based on a version.
    pub version: i64,
}

/// An attendee as typed at the desk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewAttendee {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// A validated attendee, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAttendee {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

impl NewAttendee {
    pub fn validate(&self) -> Result<ValidAttendee, Error> {
        let name = validate_name(Field::Name, &self.name);
        let email = validate_email(&self.email);
        let phone = validate_phone(&self.phone);
        match (name, email, phone) {
            (Ok(name), Ok(email), Ok(phone)) => Ok(ValidAttendee { name, email, phone }),
            (name, email, phone) => {
                Err(Error::Invalid([name.err(), email.err(), phone.err()].into_iter().flatten().collect()))
            }
        }
    }
}

/// Changes to an attendee; `None` keeps the stored value. An empty phone clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendeePatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The version the edit was based on: a different stored version refuses it.
    pub if_version: Option<i64>,
}

impl AttendeePatch {
    /// The attendee as it would be after the patch, validated as a whole.
    pub fn apply(&self, current: &Attendee) -> Result<ValidAttendee, Error> {
        NewAttendee {
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            email: self.email.clone().unwrap_or_else(|| current.email.clone()),
            phone: self.phone.clone().unwrap_or_else(|| current.phone.clone().unwrap_or_default()),
        }
        .validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_bad_field() {
        let err =
            NewAttendee { name: " ".into(), email: "nope".into(), phone: "x".into() }.validate().unwrap_err();
        let fields: Vec<_> = err.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Name, Field::Email, Field::Phone]);
    }

    #[test]
    fn trims_and_keeps_optional_phone() {
        let v =
            NewAttendee { name: " Ana Ruiz ".into(), email: "ana@example.org".into(), phone: String::new() }
                .validate()
                .unwrap();
        assert_eq!((v.name.as_str(), v.phone), ("Ana Ruiz", None));
    }
}
