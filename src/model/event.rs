//! Events: what is booked, its capacity, and what follows from the clock.

use chrono::{DateTime, Utc};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::text::{validate_description, validate_title};
use super::{Error, Field, FieldError};

/// Where an event stands relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Ongoing,
    Past,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Ongoing => "ongoing",
            Phase::Past => "past",
        }
    }
}

/// A stored event with its live booked count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: u32,
    pub booked: u32,
    pub creator_id: i64,
    /// The creating organizer's organization (or name), for display.
    pub organizer: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Counts edits of the event's own fields (never bookings), for edits based on a version.
    pub version: i64,
}

impl Event {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.booked)
    }

    pub fn is_full(&self) -> bool {
        self.booked >= self.capacity
    }

    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if now < self.starts_at {
            Phase::Upcoming
        } else if now < self.ends_at {
            Phase::Ongoing
        } else {
            Phase::Past
        }
    }

    /// Whether a new booking could be taken now (ignoring duplicates).
    pub fn is_bookable(&self, now: DateTime<Utc>) -> bool {
        self.deleted_at.is_none() && self.phase(now) == Phase::Upcoming && !self.is_full()
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Event", 13)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("description", &self.description)?;
        st.serialize_field("start", &self.starts_at)?;
        st.serialize_field("end", &self.ends_at)?;
        st.serialize_field("capacity", &self.capacity)?;
        st.serialize_field("booked", &self.booked)?;
        st.serialize_field("seats_left", &self.seats_left())?;
        st.serialize_field("creator_id", &self.creator_id)?;
        st.serialize_field("organizer", &self.organizer)?;
        st.serialize_field("created_at", &self.created_at)?;
        st.serialize_field("updated_at", &self.updated_at)?;
        st.serialize_field("version", &self.version)?;
        st.end()
    }
}

/// A new event as typed: times already parsed, capacity as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i64,
}

/// Changes to an event; `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub capacity: Option<i64>,
    /// The version the edit was based on: a different stored version refuses it.
    pub if_version: Option<i64>,
}

impl EventPatch {
    pub fn is_empty(&self) -> bool {
        EventPatch { if_version: None, ..self.clone() } == EventPatch::default()
    }

    /// The whole event as it would be after the patch, so it is validated as one.
    pub fn apply(&self, current: &Event) -> NewEvent {
        NewEvent {
            title: self.title.clone().unwrap_or_else(|| current.title.clone()),
            description: self.description.clone().unwrap_or_else(|| current.description.clone()),
            starts_at: self.starts_at.unwrap_or(current.starts_at),
            ends_at: self.ends_at.unwrap_or(current.ends_at),
            capacity: self.capacity.unwrap_or(i64::from(current.capacity)),
        }
    }
}

/// The start rules, as the field says them.
const NEW_START: &str = "a new event must start in the future";
const MOVED_START: &str = "a moved start must be in the future (or keep the current start)";

/// Largest capacity accepted: far above any venue, far below integer trouble.
pub const CAPACITY_MAX: i64 = 1_000_000;

impl NewEvent {
    /// Checks every field; `now` is given when the start must lie in the future (new events).
    pub fn validate(&self, must_start_after: Option<DateTime<Utc>>) -> Result<NewEvent, Error> {
        self.check(must_start_after.map(|now| (now, NEW_START)))
    }

    /// Checks an edited event: a start left where it was may lie in the past (the event may be
    /// under way), a moved one must lie in the future.
    pub fn validate_edit(&self, old_start: DateTime<Utc>, now: DateTime<Utc>) -> Result<NewEvent, Error> {
        self.check((self.starts_at != old_start).then_some((now, MOVED_START)))
    }

    fn check(&self, start_rule: Option<(DateTime<Utc>, &str)>) -> Result<NewEvent, Error> {
        let mut errors: Vec<FieldError> = Vec::new();
        let title = validate_title(&self.title).map_err(|e| errors.push(e)).ok();
        let description = validate_description(&self.description).map_err(|e| errors.push(e)).ok();
        if let Some((now, rule)) = start_rule
            && self.starts_at <= now
        {
            errors.push(FieldError::new(Field::Start, rule));
        }
        // Compared at the store's resolution (whole seconds), or 18:00:00.2–18:00:00.7 would pass
        // here and then be refused by the schema's CHECK with a raw database message.
        if self.ends_at.timestamp() <= self.starts_at.timestamp() {
            errors.push(FieldError::new(Field::End, "the end must be after the start"));
        }
        if self.capacity < 1 {
            errors.push(FieldError::new(Field::Capacity, "at least 1 seat"));
        } else if self.capacity > CAPACITY_MAX {
            errors.push(FieldError::new(Field::Capacity, format!("at most {CAPACITY_MAX} seats")));
        }
        match (title, description) {
            (Some(title), Some(description)) if errors.is_empty() => {
                Ok(NewEvent { title, description, ..self.clone() })
            }
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// Parses a capacity as typed, with a message fit for the field.
pub fn parse_capacity(input: &str) -> Result<i64, FieldError> {
    input
        .trim()
        .parse::<i64>()
        .map_err(|_| FieldError::new(Field::Capacity, "a whole number of seats, e.g. 40"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn new_event() -> NewEvent {
        NewEvent {
            title: "Rust Meetup".into(),
            description: String::new(),
            starts_at: now() + Duration::days(1),
            ends_at: now() + Duration::days(1) + Duration::hours(2),
            capacity: 30,
        }
    }

    fn fields(e: Error) -> Vec<Field> {
        e.field_errors().iter().map(|f| f.field).collect()
    }

    #[test]
    fn valid_event_passes() {
        assert!(new_event().validate(Some(now())).is_ok());
    }

    #[test]
    fn end_must_follow_start_and_capacity_at_least_one() {
        let e = NewEvent { ends_at: new_event().starts_at, capacity: 0, ..new_event() };
        assert_eq!(fields(e.validate(Some(now())).unwrap_err()), [Field::End, Field::Capacity]);
    }

    #[test]
    fn new_event_must_start_in_future_but_edit_need_not() {
        let e = NewEvent { starts_at: now(), ..new_event() };
        assert_eq!(fields(e.clone().validate(Some(now())).unwrap_err()), [Field::Start]);
        assert!(e.validate(None).is_ok());
    }

    #[test]
    fn an_edit_may_keep_a_past_start_but_not_move_one_into_the_past() {
        let e = NewEvent { starts_at: now() - Duration::hours(1), ..new_event() };
        assert!(e.validate_edit(e.starts_at, now()).is_ok(), "an ongoing event keeps its start");
        let err = e.validate_edit(now() + Duration::days(1), now()).unwrap_err();
        assert_eq!(err.field_errors(), [FieldError::new(Field::Start, MOVED_START)]);
        assert!(!err.to_string().contains("new event"), "{err}");
        let later = NewEvent { starts_at: now() + Duration::hours(1), ..new_event() };
        assert!(later.validate_edit(now() - Duration::days(1), now()).is_ok());
    }

    #[test]
    fn patch_revalidates_the_whole_event() {
        let stored = Event {
            id: 1,
            title: "x".into(),
            description: String::new(),
            starts_at: now() + Duration::days(2),
            ends_at: now() + Duration::days(3),
            capacity: 5,
            booked: 0,
            creator_id: 1,
            organizer: "o".into(),
            created_at: now(),
            updated_at: now(),
            deleted_at: None,
            version: 1,
        };
        let patch = EventPatch { ends_at: Some(now() + Duration::days(1)), ..Default::default() };
        assert_eq!(fields(patch.apply(&stored).validate(None).unwrap_err()), [Field::End]);
    }

    #[test]
    fn phases_and_seats() {
        let mut e = Event {
            id: 1,
            title: "x".into(),
            description: String::new(),
            starts_at: now(),
            ends_at: now() + Duration::hours(1),
            capacity: 2,
            booked: 2,
            creator_id: 1,
            organizer: "o".into(),
            created_at: now(),
            updated_at: now(),
            deleted_at: None,
            version: 1,
        };
        assert_eq!(e.phase(now() - Duration::seconds(1)), Phase::Upcoming);
        assert_eq!(e.phase(now()), Phase::Ongoing);
        assert_eq!(e.phase(now() + Duration::hours(1)), Phase::Past);
        assert!(e.is_full());
        assert_eq!(e.seats_left(), 0);
        e.booked = 1;
        assert!(!e.is_full());
        assert!(e.is_bookable(now() - Duration::hours(1)));
    }

    #[test]
    fn capacity_parsing() {
        assert_eq!(parse_capacity(" 40 ").unwrap(), 40);
        assert!(parse_capacity("forty").is_err());
    }
}
