//! How a failed command ends: one line per problem on stderr and an exit code scripts can test.

use std::io::Write;

use crate::model::{Error, Refusal, sanitize_display};

/// Exit status for a failed command: 3 refused or invalid, 4 not signed in or not allowed,
/// 1 anything unexpected (busy, unusable file, storage, I/O). Usage errors (2) come from clap.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<Error>() {
        // A locked account is refused by a rule, but what it means to a script is "not signed in".
        Some(Error::Refused(Refusal::AccountLocked { .. })) => 4,
        Some(
            Error::Invalid(_)
            | Error::Refused(_)
            | Error::Conflict(_)
            | Error::NotFound { .. }
            | Error::NotFoundBy { .. },
        ) => 3,
        Some(Error::Unauthenticated(_) | Error::Forbidden(_)) => 4,
        Some(
            Error::Busy
            | Error::GivenUp
            | Error::Unusable { .. }
            | Error::NoDatabase { .. }
            | Error::Vanished { .. }
            | Error::Storage(_),
        )
        | None => 1,
    }
}

/// Prints the error as `eventdesk: ...` lines; a validation error gets one line per field.
pub fn report(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    for line in lines(err) {
        // Nothing sensible is left to do if stderr itself is gone.
        let _ = writeln!(stderr, "eventdesk: {}", sanitize_display(&line));
    }
}

fn lines(err: &anyhow::Error) -> Vec<String> {
    match err.downcast_ref::<Error>() {
        Some(Error::Invalid(fields)) if !fields.is_empty() => {
            fields.iter().map(|f| format!("{}: {}", f.field.label(), f.message)).collect()
        }
        Some(domain) => vec![domain.to_string()],
        None => vec![format!("{err:#}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FieldError};

    #[test]
    fn codes_follow_the_readme_table() {
        let code = |e: Error| exit_code(&e.into());
        assert_eq!(code(Error::Refused(Refusal::EventFull)), 3);
        assert_eq!(code(Error::invalid(Field::Capacity, "at least 1 seat")), 3);
        assert_eq!(code(Error::NotFound { kind: "event", id: "9".into() }), 3);
        assert_eq!(code(Error::NotFoundBy { kind: "attendee", key: "email", value: "x@y.org".into() }), 3);
        assert_eq!(code(Error::Refused(Refusal::EventDeleted)), 3);
        assert_eq!(code(Error::Unauthenticated("x".into())), 4);
        assert_eq!(code(Error::Forbidden("x".into())), 4);
        assert_eq!(code(Error::Refused(Refusal::AccountLocked { seconds: 60 })), 4);
        assert_eq!(code(Error::Busy), 1);
        assert_eq!(code(Error::Storage("x".into())), 1);
        assert_eq!(exit_code(&anyhow::anyhow!("disk on fire")), 1);
    }

    #[test]
    fn validation_errors_get_a_line_per_field() {
        let err: anyhow::Error = Error::Invalid(vec![
            FieldError::new(Field::Start, "expected a date"),
            FieldError::new(Field::Capacity, "at least 1 seat"),
        ])
        .into();
        assert_eq!(lines(&err), ["start: expected a date", "capacity: at least 1 seat"]);
    }
}
