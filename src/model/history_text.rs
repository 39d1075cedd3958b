//! History in words: each row as a sentence (who, what, on what) and its details as labelled
//! lines. Pure: names come from the row's details as written; a row written before names were
//! kept says "event #12" rather than today's title, which could lie about a renamed event.

use chrono::DateTime;
use serde_json::Value;

use super::history::{HistoryAction, HistoryEntry};
use super::history_details::key;
use super::time::format_local;

impl HistoryEntry {
    /// The row as a sentence, e.g. "desk booked Marta Kowalczyk onto Climate Tech Breakfast".
    pub fn sentence(&self) -> String {
        let who = &self.actor;
        let Some(action) = self.history_action() else {
            return format!("{who} {} {}", self.action, self.object());
        };
        let d = &self.details;
        match action {
            HistoryAction::Register => {
                format!("{who} registered as {}", text(d, "role").unwrap_or("an operator"))
            }
            HistoryAction::Login => format!("{who} signed in"),
            HistoryAction::Logout => format!("{who} signed out"),
            HistoryAction::LoginFailed => format!("sign-in as {who} failed{}", failure(d)),
            HistoryAction::Create | HistoryAction::Update | HistoryAction::Delete => {
                self.change_sentence(action)
            }
            HistoryAction::Book => format!("{who} booked {} onto {}", attendee(d), event(d, key::EVENT_ID)),
            HistoryAction::Reactivate => {
                format!("{who} rebooked {} onto {}", attendee(d), event(d, key::EVENT_ID))
            }
            HistoryAction::Cancel => {
                format!(
                    "{who} cancelled {}'s booking on {}{}",
                    attendee(d),
                    event(d, key::EVENT_ID),
                    reason(d)
                )
            }
            HistoryAction::Move => format!(
                "{who} moved {} from {} to {}",
                attendee(d),
                event(d, key::FROM_EVENT_ID),
                event(d, key::TO_EVENT_ID)
            ),
            HistoryAction::WaitlistAdd => {
                let at = d[key::POSITION].as_i64().map(|p| format!(" (position {p})")).unwrap_or_default();
                format!("{who} put {} on the waiting list of {}{at}", attendee(d), event(d, key::EVENT_ID))
            }
            HistoryAction::WaitlistRemove => format!(
                "{who} removed {} from the waiting list of {}{}",
                attendee(d),
                event(d, key::EVENT_ID),
                reason(d)
            ),
            HistoryAction::Promote => format!(
                "{who} promoted {} from the waiting list onto {}{}",
                attendee(d),
                event(d, key::EVENT_ID),
                reason(d)
            ),
            HistoryAction::CheckIn => {
                format!("{who} checked {} in at {}", attendee(d), event(d, key::EVENT_ID))
            }
            HistoryAction::CheckInUndo => {
                format!("{who} undid the check-in of {} at {}", attendee(d), event(d, key::EVENT_ID))
            }
            HistoryAction::Merge => format!(
                "{who} merged attendee {} into attendee {}",
                d["other_id"].as_i64().map_or_else(|| "?".into(), |id| id.to_string()),
                d["keep_id"].as_i64().map_or_else(|| "?".into(), |id| id.to_string())
            ),
        }
    }

    /// Create, update and delete of an event, attendee or account.
    fn change_sentence(&self, action: HistoryAction) -> String {
        let (who, d) = (&self.actor, &self.details);
        let name = text(d, key::TITLE).or_else(|| text(d, key::NAME));
        let thing = match name {
            Some(name) => format!("{} {name}", self.object_kind),
            None => self.object(),
        };
        match action {
            HistoryAction::Create => {
                let seats = match d["capacity"].as_i64() {
                    Some(1) => " (1 seat)".to_string(),
                    Some(c) => format!(" ({c} seats)"),
                    None => String::new(),
                };
                let verb = if self.object_kind == "attendee" { "added" } else { "created" };
                format!("{who} {verb} {thing}{seats}")
            }
            HistoryAction::Delete => match d["cancelled_bookings"].as_i64() {
                Some(n) if n > 0 => format!("{who} deleted {thing}, cancelling {n} booking(s)"),
                _ => format!("{who} deleted {thing}"),
            },
            _ => {
                let changes = changes(d);
                if changes.is_empty() {
                    format!("{who} changed {thing}")
                } else {
                    format!("{who} changed {thing}: {}", changes.join(", "))
                }
            }
        }
    }

    /// "event #12", or just "event" for a row about no particular object.
    fn object(&self) -> String {
        match self.object_id {
            Some(id) => format!("{} #{id}", self.object_kind),
            None => self.object_kind.clone(),
        }
    }

    /// The row's fields as (label, value) lines, for a details pane: who, what, when, then
    /// each stored detail in words. Changes get a line per field.
    pub fn labelled_lines(&self) -> Vec<(String, String)> {
        let mut lines = vec![
            ("When".to_string(), format_local(self.created_at)),
            ("Who".to_string(), self.actor.clone()),
            ("Action".to_string(), self.action.replace('_', " ")),
            ("Object".to_string(), self.object()),
        ];
        let Value::Object(fields) = &self.details else {
            if !self.details.is_null() {
                lines.push(("Details".into(), plain(&self.details)));
            }
            return lines;
        };
        for (name, value) in fields {
            if name == key::CHANGES {
                for change in changes(&self.details) {
                    lines.push(("Changed".into(), change));
                }
            } else {
                lines.push((label(name), plain(value)));
            }
        }
        lines
    }
}

fn text<'a>(d: &'a Value, key: &str) -> Option<&'a str> {
    d[key].as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// The attendee by name, or by id in rows written before names were kept.
fn attendee(d: &Value) -> String {
    match (text(d, key::ATTENDEE_NAME), d[key::ATTENDEE_ID].as_i64()) {
        (Some(name), _) => name.to_string(),
        (None, Some(id)) => format!("attendee #{id}"),
        (None, None) => "an attendee".into(),
    }
}

/// The event whose id is under `id_key`, by the title written beside it.
fn event(d: &Value, id_key: &str) -> String {
    let title_key = match id_key {
        key::FROM_EVENT_ID => key::FROM_EVENT_TITLE,
        key::TO_EVENT_ID => key::TO_EVENT_TITLE,
        _ => key::EVENT_TITLE,
    };
    match (text(d, title_key), d[id_key].as_i64()) {
        (Some(title), _) => title.to_string(),
        (None, Some(id)) => format!("event #{id}"),
        (None, None) => "an event".into(),
    }
}

/// " (event deleted)", or nothing when the row gives no reason.
fn reason(d: &Value) -> String {
    text(d, key::REASON).map(|r| format!(" ({r})")).unwrap_or_default()
}

fn failure(d: &Value) -> String {
    let mut parts: Vec<String> = text(d, key::REASON).map(str::to_string).into_iter().collect();
    if let Some(n) = d["consecutive_failures"].as_i64() {
        parts.push(format!("{n} in a row"));
    }
    if d["locked"].as_bool() == Some(true) {
        parts.push("account locked".into());
    }
    if parts.is_empty() { String::new() } else { format!(": {}", parts.join(", ")) }
}

/// "capacity 40 → 50", one per changed field (in key order: the JSON map is sorted).
fn changes(d: &Value) -> Vec<String> {
    let Some(fields) = d[key::CHANGES].as_object() else { return Vec::new() };
    fields
        .iter()
        .map(|(field, change)| {
            format!("{} {} → {}", label(field).to_lowercase(), plain(&change["old"]), plain(&change["new"]))
        })
        .collect()
}

/// "attendee_name" → "Attendee name"; the id and title keys read as what they name.
fn label(key: &str) -> String {
    let words = match key {
        key::EVENT_TITLE => "event".to_string(),
        key::ATTENDEE_NAME => "attendee".to_string(),
        key::FROM_EVENT_TITLE => "from event".to_string(),
        key::TO_EVENT_TITLE => "to event".to_string(),
        "start" | "end" => key.to_string(),
        other => other.replace('_', " "),
    };
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A stored value as a person reads it: text unquoted, times local, nothing as "—".
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => format_local(t.to_utc()),
            Err(_) if s.is_empty() => "(empty)".into(),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::history_details::{self as details, Named};

    fn row(actor: &str, action: &str, kind: &str, id: i64, details: Value) -> HistoryEntry {
        HistoryEntry {
            id: 1,
            actor: actor.into(),
            action: action.into(),
            object_kind: kind.into(),
            object_id: Some(id),
            details,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    const BREAKFAST: Named<'static> = Named { id: 12, name: "Climate Tech Breakfast" };
    const MARTA: Named<'static> = Named { id: 7, name: "Marta Kowalczyk" };

    #[test]
    fn booking_rows_name_the_attendee_and_the_event() {
        let says = |action, d| row("desk", action, "booking", 149, d).sentence();
        assert_eq!(
            says("book", details::booking(BREAKFAST, MARTA)),
            "desk booked Marta Kowalczyk onto Climate Tech Breakfast"
        );
        assert_eq!(
            says("reactivate", details::booking(BREAKFAST, MARTA)),
            "desk rebooked Marta Kowalczyk onto Climate Tech Breakfast"
        );
        assert_eq!(
            says("cancel", details::booking(BREAKFAST, MARTA)),
            "desk cancelled Marta Kowalczyk's booking on Climate Tech Breakfast"
        );
        assert_eq!(
            says("cancel", details::booking_cancelled(BREAKFAST, MARTA, "event deleted")),
            "desk cancelled Marta Kowalczyk's booking on Climate Tech Breakfast (event deleted)"
        );
        let moved = details::booking_moved(MARTA, BREAKFAST, Named::new(13, "Rust Night"));
        assert_eq!(
            says("move", moved),
            "desk moved Marta Kowalczyk from Climate Tech Breakfast to Rust Night"
        );
    }

    #[test]
    fn door_rows_name_the_attendee_and_the_event() {
        let says = |action, kind, d| row("desk", action, kind, 149, d).sentence();
        assert_eq!(
            says("waitlist_add", "waitlist", details::waiting(BREAKFAST, MARTA, 3)),
            "desk put Marta Kowalczyk on the waiting list of Climate Tech Breakfast (position 3)"
        );
        assert_eq!(
            says("waitlist_remove", "waitlist", details::booking(BREAKFAST, MARTA)),
            "desk removed Marta Kowalczyk from the waiting list of Climate Tech Breakfast"
        );
        let promoted = details::promoted(BREAKFAST, MARTA, 4, details::freed_by::CAPACITY);
        assert_eq!(
            says("promote", "booking", promoted),
            "desk promoted Marta Kowalczyk from the waiting list onto Climate Tech Breakfast (capacity raised)"
        );
        assert_eq!(
            says("checkin", "booking", details::booking(BREAKFAST, MARTA)),
            "desk checked Marta Kowalczyk in at Climate Tech Breakfast"
        );
        assert_eq!(
            says("checkin_undo", "booking", details::booking(BREAKFAST, MARTA)),
            "desk undid the check-in of Marta Kowalczyk at Climate Tech Breakfast"
        );
    }

    #[test]
    fn rows_written_without_names_say_which_object_by_id() {
        let says = |action, d| row("desk", action, "booking", 149, d).sentence();
        assert_eq!(
            says("book", json!({ "event_id": 12, "attendee_id": 7 })),
            "desk booked attendee #7 onto event #12"
        );
        assert_eq!(
            says("move", json!({ "attendee_id": 7, "from_event_id": 12, "to_event_id": 13 })),
            "desk moved attendee #7 from event #12 to event #13"
        );
        assert_eq!(says("cancel", json!({})), "desk cancelled an attendee's booking on an event");
        assert_eq!(row("ana", "update", "event", 12, json!({})).sentence(), "ana changed event #12");
        assert_eq!(row("ana", "delete", "event", 12, Value::Null).sentence(), "ana deleted event #12");
    }

    #[test]
    fn events_and_attendees_created_changed_and_deleted() {
        let created = json!({ "title": "Rust Night", "description": "", "capacity": 40 });
        assert_eq!(
            row("ana", "create", "event", 3, created).sentence(),
            "ana created event Rust Night (40 seats)"
        );
        let added = details::attendee_created("Marta Kowalczyk", "m@example.org", None);
        assert_eq!(
            row("desk", "create", "attendee", 7, added).sentence(),
            "desk added attendee Marta Kowalczyk"
        );
        let mut changes = serde_json::Map::new();
        changes.insert("title".into(), json!({ "old": "Rust Meetup", "new": "Rust Night" }));
        changes.insert("capacity".into(), json!({ "old": 40, "new": 50 }));
        let renamed = details::changed(key::TITLE, "Rust Night", changes);
        assert_eq!(
            row("ana", "update", "event", 3, renamed).sentence(),
            "ana changed event Rust Night: capacity 40 → 50, title Rust Meetup → Rust Night"
        );
        let mut changes = serde_json::Map::new();
        changes.insert("phone".into(), json!({ "old": null, "new": "+34 600" }));
        let edited = details::changed(key::NAME, "Marta Kowalczyk", changes);
        assert_eq!(
            row("desk", "update", "attendee", 7, edited).sentence(),
            "desk changed attendee Marta Kowalczyk: phone — → +34 600"
        );
        let deleted = json!({ "title": "Rust Night", "cancelled_bookings": 2 });
        assert_eq!(
            row("ana", "delete", "event", 3, deleted).sentence(),
            "ana deleted event Rust Night, cancelling 2 booking(s)"
        );
        let quiet = json!({ "title": "Rust Night", "cancelled_bookings": 0 });
        assert_eq!(row("ana", "delete", "event", 3, quiet).sentence(), "ana deleted event Rust Night");
    }

    #[test]
    fn accounts_register_sign_in_out_and_fail() {
        let op = |action, d| row("ana", action, "operator", 1, d).sentence();
        assert_eq!(
            op("register", json!({ "role": "organizer", "name": "Ana" })),
            "ana registered as organizer"
        );
        assert_eq!(op("login", json!({})), "ana signed in");
        assert_eq!(op("logout", json!({})), "ana signed out");
        assert_eq!(
            op(
                "login_failed",
                json!({ "reason": "wrong password", "consecutive_failures": 5, "locked": true })
            ),
            "sign-in as ana failed: wrong password, 5 in a row, account locked"
        );
        assert_eq!(
            op("login_failed", json!({ "reason": "wrong username or password" })),
            "sign-in as ana failed: wrong username or password"
        );
    }

    #[test]
    fn an_action_from_a_newer_version_still_reads() {
        assert_eq!(row("ana", "archive", "event", 3, json!({})).sentence(), "ana archive event #3");
    }

    #[test]
    fn every_action_has_a_sentence_that_names_the_actor() {
        for action in HistoryAction::ALL {
            let said = row("zed", action.as_str(), "booking", 1, json!({})).sentence();
            assert!(said.contains("zed"), "{action:?}: {said}");
            let raw = format!("zed {} booking #1", action.as_str());
            assert_ne!(said, raw, "{action:?} has words of its own");
        }
    }

    #[test]
    fn details_read_as_labelled_lines() {
        let mut changes = serde_json::Map::new();
        changes.insert("capacity".into(), json!({ "old": 40, "new": 50 }));
        let h = row("ana", "update", "event", 3, details::changed(key::TITLE, "Rust Night", changes));
        let lines = h.labelled_lines();
        let find = |label: &str| lines.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str());
        assert_eq!(find("Who"), Some("ana"));
        assert_eq!(find("Object"), Some("event #3"));
        assert_eq!(find("Title"), Some("Rust Night"));
        assert_eq!(find("Changed"), Some("capacity 40 → 50"));
        let b = row("desk", "book", "booking", 9, details::booking(BREAKFAST, MARTA)).labelled_lines();
        assert!(b.contains(&("Attendee".into(), "Marta Kowalczyk".into())), "{b:?}");
        assert!(b.contains(&("Event id".into(), "12".into())), "{b:?}");
        assert!(!b.iter().any(|(_, v)| v.contains('{')), "no raw JSON: {b:?}");
    }
}
