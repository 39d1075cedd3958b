//! Property tests for every parser and validator the desk and the CLI call: each input is
//! either accepted (and then equals what the documented rule says) or refused with a message
//! on the right field; nothing panics; sanitized display text is always inert.
//! Store round-trips of the same inputs live in `proptest_store.rs`.

#![allow(clippy::unwrap_used)]

#[path = "support/hostile.rs"]
mod hostile;

use chrono::{DateTime, Duration, Timelike, Utc};
use eventdesk::model::{
    CAPACITY_MAX, Field, NewEvent, TIME_FORMAT_HINT, format_local, inert, parse_capacity, parse_time,
    sanitize_display, validate_description, validate_email, validate_name, validate_password, validate_phone,
    validate_title, validate_username,
};
use hostile::{check, email, hostile, huge, one_line_ok};
use proptest::prelude::*;

const CASES: u32 = 256;

#[test]
fn titles_and_names_accept_exactly_the_documented_one_line_text() {
    check(CASES, hostile(), |s| {
        let expect = one_line_ok(&s, 200);
        match validate_title(&s) {
            Ok(v) => prop_assert_eq!(Some(v), expect),
            Err(e) => {
                prop_assert_eq!(e.field, Field::Title);
                prop_assert!(!e.message.is_empty());
                prop_assert_eq!(expect, None);
            }
        }
        for field in [Field::Name, Field::Organization, Field::Address] {
            match validate_name(field, &s) {
                Ok(v) => prop_assert_eq!(Some(v), one_line_ok(&s, 200)),
                Err(e) => prop_assert!(e.field == field && one_line_ok(&s, 200).is_none()),
            }
        }
        Ok(())
    });
}

#[test]
fn descriptions_allow_newlines_and_tabs_but_no_other_controls() {
    check(CASES, hostile(), |s| {
        let t = s.trim();
        let ok = t.chars().count() <= 5_000 && !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
        match validate_description(&s) {
            Ok(v) => prop_assert!(ok && v == t),
            Err(e) => prop_assert!(e.field == Field::Description && !ok),
        }
        Ok(())
    });
}

#[test]
fn emails_are_one_address_without_spaces_or_controls() {
    check(CASES, email(), |s| {
        let t = s.trim();
        match validate_email(&s) {
            Ok(v) => {
                prop_assert_eq!(&v, t);
                let (local, domain) = v.split_once('@').unwrap();
                prop_assert!(!local.is_empty() && domain.contains('.') && !domain.contains('@'));
                prop_assert!(!v.chars().any(|c| c.is_control() || c.is_whitespace()));
            }
            Err(e) => prop_assert_eq!(e.field, Field::Email),
        }
        Ok(())
    });
}

#[test]
fn usernames_are_ascii_words_of_3_to_32() {
    let strategy = prop_oneof![hostile(), "[ ]{0,2}[a-zA-Z0-9._-]{0,40}[ \t]{0,2}"];
    check(CASES, strategy, |s| {
        let t = s.trim();
        let ok = (3..=32).contains(&t.len())
            && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        match validate_username(&s) {
            Ok(v) => prop_assert!(ok && v == t),
            Err(e) => prop_assert!(e.field == Field::Username && !ok),
        }
        Ok(())
    });
}

#[test]
fn passwords_are_never_trimmed_and_refuse_controls() {
    check(CASES, prop_oneof![hostile(), "\\PC{0,300}"], |s| {
        let n = s.chars().count();
        let ok = (8..=256).contains(&n) && !s.chars().any(char::is_control);
        match validate_password(&s) {
            Ok(()) => prop_assert!(ok, "accepted {s:?}"),
            Err(e) => prop_assert!(e.field == Field::Password && !ok),
        }
        Ok(())
    });
}

#[test]
fn phones_are_digits_and_punctuation_or_empty() {
    check(CASES, prop_oneof![hostile(), "[0-9 +().-]{0,40}"], |s| {
        let t = s.trim();
        let ok = t.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && (3..=32).contains(&t.len())
            && t.chars().filter(char::is_ascii_digit).count() >= 3;
        match validate_phone(&s) {
            Ok(None) => prop_assert!(t.is_empty()),
            Ok(Some(v)) => prop_assert!(ok && v == t),
            Err(e) => prop_assert!(e.field == Field::Phone && !ok && !t.is_empty()),
        }
        Ok(())
    });
}

#[test]
fn capacity_parses_whole_numbers_and_the_event_bounds_them() {
    let strategy = prop_oneof![hostile(), any::<i64>().prop_map(|n| format!(" {n} ")), "[+-]?[0-9]{1,25}"];
    check(CASES, strategy, |s| {
        match parse_capacity(&s) {
            Ok(n) => {
                prop_assert_eq!(Some(n), s.trim().parse::<i64>().ok());
                let e = event_with(n, Utc::now() + Duration::days(1));
                let in_range = (1..=CAPACITY_MAX).contains(&n);
                match e.validate(Some(Utc::now())) {
                    Ok(v) => prop_assert!(in_range && v.capacity == n),
                    Err(err) => {
                        let fields: Vec<_> = err.field_errors().iter().map(|f| f.field).collect();
                        prop_assert!(!in_range && fields == [Field::Capacity], "{fields:?}");
                    }
                }
            }
            Err(e) => prop_assert!(e.field == Field::Capacity && s.trim().parse::<i64>().is_err()),
        }
        Ok(())
    });
}

#[test]
fn parse_time_never_panics_and_explains_what_it_expects() {
    check(CASES * 2, prop_oneof![hostile(), "[0-9T:Z+. -]{0,30}"], |s| {
        if let Err(msg) = parse_time(&s) {
            prop_assert!(msg.contains(TIME_FORMAT_HINT) || msg.contains("does not exist"), "{msg}");
        }
        Ok(())
    });
}

/// Times the store can keep: whole seconds between 1970 and 9999.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..253_402_300_799, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap())
}

#[test]
fn parse_time_round_trips_rfc3339_to_the_second() {
    check(CASES, (instant(), "[ \t]{0,3}"), |(t, pad)| {
        let whole = t.with_nanosecond(0).unwrap();
        prop_assert_eq!(parse_time(&format!("{pad}{}{pad}", whole.to_rfc3339())), Ok(whole));
        // Fractions are dropped: the store keeps whole seconds, so what is parsed is what is kept.
        prop_assert_eq!(parse_time(&t.to_rfc3339()), Ok(whole));
        Ok(())
    });
}

#[test]
fn parse_time_round_trips_local_minutes() {
    check(CASES, instant(), |t| {
        let typed = format_local(t);
        match parse_time(&typed) {
            Ok(back) => prop_assert_eq!(format_local(back), typed),
            Err(msg) => prop_assert!(msg.contains("does not exist"), "{typed}: {msg}"),
        }
        Ok(())
    });
}

/// Regression: 18:00:00.2 to 18:00:00.7 passed validation (end after start) but both are stored
/// as 18:00:00, so the schema's CHECK refused it with a raw database message.
#[test]
fn sub_second_events_are_refused_on_the_end_field() {
    let start = parse_time("2030-01-01T18:00:00.2Z").unwrap();
    let e = NewEvent { ends_at: start + Duration::milliseconds(500), ..event_with(5, start) };
    let err = e.validate(None).unwrap_err();
    let fields: Vec<_> = err.field_errors().iter().map(|f| f.field).collect();
    assert_eq!(fields, [Field::End]);
}

#[test]
fn sanitized_display_text_is_always_inert_and_keeps_its_length() {
    check(CASES * 4, hostile(), |s| {
        let shown = sanitize_display(&s);
        prop_assert!(inert(&shown), "{shown:?}");
        prop_assert_eq!(shown.chars().count(), s.chars().count());
        let raw = ['\x1b', '\u{9b}', '\u{202e}'];
        prop_assert!(!shown.contains(raw), "{shown:?}");
        if inert(&s) {
            prop_assert_eq!(&shown, &s);
        }
        prop_assert_eq!(sanitize_display(&shown), shown);
        Ok(())
    });
}

#[test]
fn hundred_thousand_characters_are_refused_on_their_field_without_panicking() {
    let big = huge();
    assert_eq!(big.chars().count(), 100_000);
    assert_eq!(validate_title(&big).unwrap_err().field, Field::Title);
    assert!(validate_title(&big).unwrap_err().message.contains("100000"));
    assert_eq!(validate_name(Field::Name, &big).unwrap_err().field, Field::Name);
    assert_eq!(validate_description(&big).unwrap_err().field, Field::Description);
    assert_eq!(validate_email(&big).unwrap_err().field, Field::Email);
    assert_eq!(validate_phone(&big).unwrap_err().field, Field::Phone);
    assert_eq!(validate_username(&big).unwrap_err().field, Field::Username);
    assert_eq!(validate_password(&big).unwrap_err().field, Field::Password);
    assert_eq!(parse_capacity(&big).unwrap_err().field, Field::Capacity);
    assert!(parse_time(&big).unwrap_err().contains(TIME_FORMAT_HINT));
    let plain = "x".repeat(100_000);
    assert!(validate_title(&plain).unwrap_err().message.contains("at most 200"));
    assert!(validate_password(&plain).is_err());
    assert!(inert(&sanitize_display(&big)));
}

fn event_with(capacity: i64, start: DateTime<Utc>) -> NewEvent {
    NewEvent {
        title: "Hostile input night".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        capacity,
    }
}
