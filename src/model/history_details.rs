//! The details a history row keeps, written once here for every writer (the store's rules and
//! the bulk generator) and read by the sentences. Names and titles are copied in when the row
//! is written, so renaming an event later cannot change what an old row says happened.

use serde_json::{Value, json};

use super::NewEvent;

/// The keys of the details objects that sentences read.
pub mod key {
    pub const EVENT_ID: &str = "event_id";
    pub const EVENT_TITLE: &str = "event_title";
    pub const ATTENDEE_ID: &str = "attendee_id";
    pub const ATTENDEE_NAME: &str = "attendee_name";
    pub const FROM_EVENT_ID: &str = "from_event_id";
    pub const FROM_EVENT_TITLE: &str = "from_event_title";
    pub const TO_EVENT_ID: &str = "to_event_id";
    pub const TO_EVENT_TITLE: &str = "to_event_title";
    pub const REASON: &str = "reason";
    pub const TITLE: &str = "title";
    pub const NAME: &str = "name";
    pub const CHANGES: &str = "changes";
    pub const POSITION: &str = "position";
    pub const ENTRY_ID: &str = "entry_id";
    pub const BOOKING_ID: &str = "booking_id";
}

/// An object as a row names it: its id and, when written, its name or title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<'a> {
    pub id: i64,
    pub name: &'a str,
}

impl<'a> Named<'a> {
    pub fn new(id: i64, name: &'a str) -> Self {
        Named { id, name }
    }
}

/// A booking made, rebooked or cancelled: which attendee, on which event.
pub fn booking(event: Named<'_>, attendee: Named<'_>) -> Value {
    json!({
        key::EVENT_ID: event.id,
        key::EVENT_TITLE: event.name,
        key::ATTENDEE_ID: attendee.id,
        key::ATTENDEE_NAME: attendee.name,
    })
}

/// A booking cancelled for a reason other than a desk's choice (its event was deleted).
pub fn booking_cancelled(event: Named<'_>, attendee: Named<'_>, reason: &str) -> Value {
    let mut details = booking(event, attendee);
    details[key::REASON] = json!(reason);
    details
}

/// A booking moved from one event to another.
pub fn booking_moved(attendee: Named<'_>, from: Named<'_>, to: Named<'_>) -> Value {
    json!({
        key::ATTENDEE_ID: attendee.id,
        key::ATTENDEE_NAME: attendee.name,
        key::FROM_EVENT_ID: from.id,
        key::FROM_EVENT_TITLE: from.name,
        key::TO_EVENT_ID: to.id,
        key::TO_EVENT_TITLE: to.name,
    })
}

/// An attendee put on an event's waiting list, at `position`.
pub fn waiting(event: Named<'_>, attendee: Named<'_>, position: u32) -> Value {
    let mut details = booking(event, attendee);
    details[key::POSITION] = json!(position);
    details
}

/// A waiting entry that became booking `booking_id` when a seat freed (`reason` says how).
pub fn promoted(event: Named<'_>, attendee: Named<'_>, entry_id: i64, reason: &str) -> Value {
    let mut details = booking(event, attendee);
    details[key::ENTRY_ID] = json!(entry_id);
    details[key::REASON] = json!(reason);
    details
}

/// Why a seat freed, as a promotion row says it.
pub mod freed_by {
    pub const CANCEL: &str = "a booking was cancelled";
    pub const MOVE: &str = "a booking moved to another event";
    pub const CAPACITY: &str = "capacity raised";
    pub const EDIT: &str = "the event was edited";
}

/// An edit: the object's name or title after it (`name_key`), and each changed field's old
/// and new value.
pub fn changed(name_key: &str, name: &str, changes: serde_json::Map<String, Value>) -> Value {
    json!({ name_key: name, key::CHANGES: changes })
}

/// An event's fields as created; an edit's changes compare two of these.
pub fn event(e: &NewEvent) -> Value {
    json!({
        key::TITLE: e.title, "description": e.description, "start": e.starts_at, "end": e.ends_at, "capacity": e.capacity,
    })
}

/// An attendee added at the desk.
pub fn attendee_created(name: &str, email: &str, phone: Option<&str>) -> Value {
    json!({ key::NAME: name, "email": email, "phone": phone })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookings_carry_both_names() {
        let d = booking(Named::new(12, "Climate Tech Breakfast"), Named::new(7, "Marta Kowalczyk"));
        assert_eq!(d[key::EVENT_TITLE], "Climate Tech Breakfast");
        assert_eq!((d[key::EVENT_ID].as_i64(), d[key::ATTENDEE_ID].as_i64()), (Some(12), Some(7)));
        let c = booking_cancelled(Named::new(12, "X"), Named::new(7, "Y"), "event deleted");
        assert_eq!(
            (c[key::REASON].as_str(), c[key::ATTENDEE_NAME].as_str()),
            (Some("event deleted"), Some("Y"))
        );
    }
}
