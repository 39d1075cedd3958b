//! Validation of the text people type, and making stored text safe to draw.

use super::{Field, FieldError};

pub const TITLE_MAX: usize = 200;
pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A one-line text: trimmed, 1..=max characters, no control characters.
fn line(field: Field, value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required; type a value"));
    }
    let len = v.chars().count();
    if len > max {
        return Err(FieldError::new(field, format!("too long: {len} characters, at most {max}")));
    }
    if has_control(v) {
        return Err(FieldError::new(field, "remove control characters (tabs, newlines, escapes)"));
    }
    Ok(v.to_string())
}

/// An event title: 1–200 characters on one line.
pub fn validate_title(value: &str) -> Result<String, FieldError> {
    line(Field::Title, value, TITLE_MAX)
}

/// A person's or organization's name, or an address line.
pub fn validate_name(field: Field, value: &str) -> Result<String, FieldError> {
    line(field, value, NAME_MAX)
}

/// A free-text description: newlines and tabs allowed, other control characters not.
pub fn validate_description(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let len = v.chars().count();
    if len > DESCRIPTION_MAX {
        return Err(FieldError::new(
            Field::Description,
            format!("too long: {len} characters, at most {DESCRIPTION_MAX}"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(Field::Description, "remove control characters (escapes, NUL)"));
    }
    Ok(v.to_string())
}

/// An email: one `@`, something on each side, a dot in the domain, no spaces.
pub fn validate_email(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let bad = || FieldError::new(Field::Email, "expected an address like ana@example.org");
    if v.is_empty() {
        return Err(FieldError::new(Field::Email, "required; e.g. ana@example.org"));
    }
    if v.chars().count() > 254 || has_control(v) || v.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok {
        return Err(bad());
    }
    Ok(v.to_string())
}

/// An optional phone number: digits with spaces, `+`, `-`, `(`, `)`, 3–32 characters.
pub fn validate_phone(value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(3..=32).contains(&v.len()) || digits < 3 {
        return Err(FieldError::new(Field::Phone, "digits, spaces and + - ( ) only, e.g. +34 600 123 456"));
    }
    Ok(Some(v.to_string()))
}

/// A username: 3–32 of `a-z A-Z 0-9 . _ -`. Compared case-insensitively.
pub fn validate_username(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let ok = (3..=32).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !ok {
        return Err(FieldError::new(Field::Username, "3–32 letters, digits, '.', '_' or '-'"));
    }
    Ok(v.to_string())
}

/// A password: 8–256 characters, no control characters. Never trimmed.
pub fn validate_password(value: &str) -> Result<(), FieldError> {
    let len = value.chars().count();
    if len < PASSWORD_MIN {
        return Err(FieldError::new(Field::Password, format!("at least {PASSWORD_MIN} characters")));
    }
    if len > PASSWORD_MAX || has_control(value) {
        return Err(FieldError::new(
            Field::Password,
            format!("at most {PASSWORD_MAX} characters, no control characters"),
        ));
    }
    Ok(())
}

/// Replaces control characters (escape sequences, NUL, newlines) by visible stand-ins so stored
/// text can never drive the terminal.
pub fn sanitize_display(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() || is_bidi_override(c) => stand_in(c),
            c => c,
        })
        .collect()
}

/// Bidi overrides and isolates can reorder what follows them on screen (spoofing); they are
/// stored as typed but never drawn raw.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The Unicode "control pictures" for C0 controls and DEL; a replacement mark for the rest.
fn stand_in(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Whether a string is safe to draw as-is.
pub fn inert(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() || is_bidi_override(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_bounds() {
        assert_eq!(validate_title("  Rust Meetup ").unwrap(), "Rust Meetup");
        assert!(validate_title("").is_err());
        assert!(validate_title("   ").is_err());
        assert!(validate_title(&"x".repeat(200)).is_ok());
        let long = validate_title(&"x".repeat(10_000)).unwrap_err();
        assert!(long.message.contains("10000"), "{}", long.message);
        assert!(validate_title("a\x1b[2Jb").is_err());
        assert!(validate_title("日本語のイベント 🎉").is_ok());
    }

    #[test]
    fn emails() {
        assert!(validate_email("ana@example.org").is_ok());
        for bad in ["", "ana", "ana@", "@x.org", "a b@x.org", "a@b", "a@@b.org", "a@.org", "a@b..org"] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(validate_username("desk.ana").is_ok());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("ana ruiz").is_err());
        assert!(validate_username("ánä").is_err());
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough").is_ok());
        assert!(validate_password("bad\u{0}password").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(validate_phone("").unwrap(), None);
        assert_eq!(validate_phone("+34 600 123 456").unwrap().as_deref(), Some("+34 600 123 456"));
        assert!(validate_phone("call me").is_err());
    }

    #[test]
    fn display_sanitizing_makes_escapes_inert() {
        let s = sanitize_display("a\x1b[2Jb\x07\u{9b}c");
        assert!(inert(&s));
        assert_eq!(s, "a\u{241b}[2Jb\u{2407}\u{fffd}c");
    }
}
