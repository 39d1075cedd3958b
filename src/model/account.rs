//! Operators: the people who sign in to the desk.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::text::{validate_name, validate_password, validate_username};
use super::{Error, Field, FieldError};

/// What an operator may do: organizers run events, desk staff book attendees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Organizer,
    Desk,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::Desk => "desk",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "organizer" => Some(Role::Organizer),
            "desk" => Some(Role::Desk),
            _ => None,
        }
    }
}

/// A stored operator account (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Who is signed in: what the store checks permissions against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub operator_id: i64,
    pub username: String,
    pub role: Role,
}

impl Session {
    pub fn is_organizer(&self) -> bool {
        self.role == Role::Organizer
    }
}

/// A registration as typed; `validate` returns the cleaned value or every field's problem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewOperator {
    pub username: String,
    pub password: String,
    pub role: Option<Role>,
    pub name: String,
    pub email: String,
    pub organization: String,
    pub address: String,
}

/// A registration that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOperator {
    pub username: String,
    pub role: Role,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    pub address: Option<String>,
}

impl NewOperator {
    pub fn validate(&self) -> Result<ValidOperator, Error> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
        let username = keep(validate_username(&self.username));
        let name = if self.name.trim().is_empty() {
            username.clone()
        } else {
            keep(validate_name(Field::Name, &self.name))
        };
        let email = if self.email.trim().is_empty() {
            Some(None)
        } else {
            keep(super::validate_email(&self.email)).map(Some)
        };
        let organizer = self.role == Some(Role::Organizer);
        let optional = |field, value: &str, errors: &mut Vec<FieldError>| {
            if value.trim().is_empty() {
                if organizer {
                    errors.push(FieldError::new(field, "required for organizers"));
                }
                return None;
            }
            validate_name(field, value).map_err(|e| errors.push(e)).ok()
        };
        let organization = optional(Field::Organization, &self.organization, &mut errors);
        let address = optional(Field::Address, &self.address, &mut errors);
        if let Err(e) = validate_password(&self.password) {
            errors.push(e);
        }
        if self.role.is_none() {
            errors.push(FieldError::new(Field::Role, "choose organizer or desk"));
        }
        match (username, name, email, self.role) {
            (Some(username), Some(name), Some(email), Some(role)) if errors.is_empty() => Ok(ValidOperator {
                username,
                role,
                name,
                email,
                organization: organization.filter(|_| organizer),
                address: address.filter(|_| organizer),
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organizer() -> NewOperator {
        NewOperator {
            username: "olga".into(),
            password: "correct horse".into(),
            role: Some(Role::Organizer),
            organization: "Rust León".into(),
            address: "Calle Mayor 1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn organizer_needs_organization_and_address() {
        assert!(organizer().validate().is_ok());
        let err = NewOperator { organization: String::new(), address: " ".into(), ..organizer() }
            .validate()
            .unwrap_err();
        let fields: Vec<_> = err.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Organization, Field::Address]);
    }

    #[test]
    fn desk_ignores_organization_and_defaults_name() {
        let v = NewOperator { role: Some(Role::Desk), ..organizer() }.validate().unwrap();
        assert_eq!((v.organization, v.name.as_str()), (None, "olga"));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err =
            NewOperator { username: "x".into(), password: "short".into(), role: None, ..Default::default() }
                .validate()
                .unwrap_err();
        let fields: Vec<_> = err.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Username, Field::Password, Field::Role]);
    }
}
