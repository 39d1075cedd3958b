//! An event as typed, parsed once for both the terminal form and the command line: the text
//! of each field becomes a `NewEvent` (or an `EventPatch`), with every problem reported at once
//! and in form order.

use chrono::{DateTime, TimeDelta, Utc};

use super::event::{EventPatch, NewEvent, parse_capacity};
use super::{Error, Field, FieldError, parse_time};

/// The order fields are shown in, and so the order their problems are reported in.
const ORDER: [Field; 5] = [Field::Title, Field::Description, Field::Start, Field::End, Field::Capacity];

/// Every field of a new event as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub capacity: &'a str,
}

impl EventInput<'_> {
    /// Parses and validates as one event; `must_start_after` is given for new events. When a
    /// time or the capacity does not parse, the other fields are still checked, so one attempt
    /// shows every problem.
    pub fn parse(&self, must_start_after: Option<DateTime<Utc>>) -> Result<NewEvent, Error> {
        let mut errors = Vec::new();
        let starts_at =
            keep(parse_time(self.start).map_err(|m| FieldError::new(Field::Start, m)), &mut errors);
        let ends_at = keep(parse_time(self.end).map_err(|m| FieldError::new(Field::End, m)), &mut errors);
        let capacity = keep(parse_capacity(self.capacity), &mut errors);
        let (Some(starts_at), Some(ends_at), Some(capacity)) = (starts_at, ends_at, capacity) else {
            return Err(self.with_the_rest(errors, capacity));
        };
        let new = NewEvent {
            title: self.title.to_string(),
            description: self.description.to_string(),
            starts_at,
            ends_at,
            capacity,
        };
        new.validate(must_start_after)
    }

    /// The parse errors plus what the parsable fields get wrong, checked with stand-in times.
    fn with_the_rest(&self, mut errors: Vec<FieldError>, capacity: Option<i64>) -> Error {
        let stand_in = DateTime::<Utc>::UNIX_EPOCH;
        let rest = NewEvent {
            title: self.title.to_string(),
            description: self.description.to_string(),
            starts_at: stand_in,
            ends_at: stand_in + TimeDelta::hours(1),
            capacity: capacity.unwrap_or(1),
        };
        if let Err(Error::Invalid(more)) = rest.validate(None) {
            errors.extend(more);
        }
        errors.sort_by_key(|e| ORDER.iter().position(|f| *f == e.field));
        Error::Invalid(errors)
    }
}

/// The fields an edit changes, as text; `None` keeps the stored value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventPatchInput<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    pub capacity: Option<&'a str>,
}

impl EventPatchInput<'_> {
    /// Parses the given times and capacity; the store validates the patched event as a whole.
    pub fn parse(&self) -> Result<EventPatch, Error> {
        let mut errors = Vec::new();
        let time = |v: &str, f: Field| parse_time(v).map_err(|m| FieldError::new(f, m));
        let starts_at = self.start.map(|v| keep(time(v, Field::Start), &mut errors));
        let ends_at = self.end.map(|v| keep(time(v, Field::End), &mut errors));
        let capacity = self.capacity.map(|v| keep(parse_capacity(v), &mut errors));
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(EventPatch {
            title: self.title.map(str::to_string),
            description: self.description.map(str::to_string),
            starts_at: starts_at.flatten(),
            ends_at: ends_at.flatten(),
            capacity: capacity.flatten(),
            if_version: None,
        })
    }
}

/// Keeps a parsed value, or records its field error so all of them are reported together.
fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: Error) -> Vec<Field> {
        e.field_errors().iter().map(|f| f.field).collect()
    }

    const GOOD: EventInput<'static> = EventInput {
        title: " Rust Meetup ",
        description: "",
        start: "2030-12-01T18:00:00Z",
        end: "2030-12-01T20:00:00Z",
        capacity: "40",
    };

    #[test]
    fn a_good_event_parses_trimmed() {
        let e = GOOD.parse(None).unwrap();
        assert_eq!((e.title.as_str(), e.capacity), ("Rust Meetup", 40));
        assert_eq!(e.starts_at.to_rfc3339(), "2030-12-01T18:00:00+00:00");
    }

    #[test]
    fn every_problem_is_reported_in_form_order() {
        let bad = EventInput { title: " ", start: "tomorrow", capacity: "0", ..GOOD };
        assert_eq!(fields(bad.parse(None).unwrap_err()), [Field::Title, Field::Start, Field::Capacity]);
        let unparsable = EventInput { capacity: "lots", end: "later", ..GOOD };
        assert_eq!(fields(unparsable.parse(None).unwrap_err()), [Field::End, Field::Capacity]);
        let backwards = EventInput { end: "2030-12-01T17:00:00Z", ..GOOD };
        assert_eq!(fields(backwards.parse(None).unwrap_err()), [Field::End]);
        let now = parse_time("2031-01-01T00:00:00Z").unwrap();
        assert_eq!(fields(GOOD.parse(Some(now)).unwrap_err()), [Field::Start], "must start after now");
    }

    #[test]
    fn a_patch_parses_only_what_it_changes() {
        let p = EventPatchInput { capacity: Some(" 12 "), title: Some("New"), ..Default::default() }
            .parse()
            .unwrap();
        assert_eq!((p.capacity, p.title.as_deref(), p.starts_at), (Some(12), Some("New"), None));
        let bad = EventPatchInput { start: Some("soon"), capacity: Some("x"), ..Default::default() };
        assert_eq!(fields(bad.parse().unwrap_err()), [Field::Start, Field::Capacity]);
        assert!(EventPatchInput::default().parse().unwrap().is_empty());
    }
}
