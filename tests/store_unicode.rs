//! One person, one email, on both engines: emails and searches compare text in NFC with full
//! case folding (model::fold), whatever form or case it was typed in.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/engines.rs"]
mod engines;

use accounts::register;
use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::{
    AttendeePatch, Clock, Error, EventPatch, NewAttendee, NewEvent, Refusal, Role, Session,
};
use eventdesk::store::{AttendeeQuery, EventQuery, OpenOptions, Store};

on_both_engines!(
    one_address_in_every_form_is_one_attendee,
    an_edit_to_another_form_of_a_taken_email_is_refused,
    attendee_search_folds_case_and_form,
    event_title_search_folds_case_and_form,
    a_lookup_by_email_folds_case_and_form,
);

/// "élodie" with the accent as a combining mark (NFD).
const ELODIE_NFD: &str = "e\u{301}lodie";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

struct Desk {
    store: Store,
    org: Session,
    desk: Session,
}

fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = register(&store, "olga", Role::Organizer);
    let desk = register(&store, "dave", Role::Desk);
    Desk { store, org, desk }
}

impl Desk {
    fn add(&self, name: &str, email: &str) -> Result<i64, Error> {
        let new = NewAttendee { name: name.into(), email: email.into(), phone: String::new() };
        self.store.add_attendee(&self.desk, &new).map(|a| a.id)
    }

    fn names(&self, search: &str) -> Vec<String> {
        let q = AttendeeQuery { search: search.into(), ..Default::default() };
        self.store.list_attendees(&q).unwrap().into_iter().map(|a| a.name).collect()
    }

    fn event(&self, title: &str) -> i64 {
        let new = NewEvent {
            title: title.into(),
            description: String::new(),
            starts_at: t0() + Duration::days(1),
            ends_at: t0() + Duration::days(1) + Duration::hours(2),
            capacity: 10,
        };
        self.store.create_event(&self.org, &new).unwrap().id
    }

    fn titles(&self, search: &str) -> Vec<String> {
        let q = EventQuery { search: search.into(), ..Default::default() };
        self.store.list_events(&q).unwrap().into_iter().map(|e| e.title).collect()
    }
}

fn is_email_taken(outcome: Result<i64, Error>) -> bool {
    matches!(outcome, Err(Error::Refused(Refusal::EmailTaken)))
}

fn one_address_in_every_form_is_one_attendee(db: &Db) {
    let d = desk(db);
    let first = d.add("Élodie Martin", "élodie@example.org").unwrap();
    for other in ["ÉLODIE@example.org", &format!("{ELODIE_NFD}@example.org"), "E\u{301}LODIE@EXAMPLE.ORG"] {
        assert!(is_email_taken(d.add("Élodie M.", other)), "{other:?} is élodie@example.org");
    }
    d.add("Hans Straße", "straße@example.org").unwrap();
    assert!(is_email_taken(d.add("Hans Strasse", "STRASSE@example.org")), "ß folds to ss");
    assert!(d.add("Hans Strase", "strase@example.org").is_ok(), "a different address stays apart");
    assert_eq!(db.count("SELECT count(*) FROM attendees"), 3);
    // Stored as typed.
    assert_eq!(d.store.attendee(first).unwrap().email, "élodie@example.org");
}

fn an_edit_to_another_form_of_a_taken_email_is_refused(db: &Db) {
    let d = desk(db);
    d.add("Élodie Martin", "élodie@example.org").unwrap();
    let hans = d.add("Hans", "straße@example.org").unwrap();
    let patch = AttendeePatch { email: Some("ÉLODIE@EXAMPLE.ORG".into()), ..Default::default() };
    let outcome = d.store.update_attendee(&d.desk, hans, &patch).map(|a| a.id);
    assert!(is_email_taken(outcome));
    // Her own address in another case is hers to keep.
    let patch = AttendeePatch { email: Some("STRASSE@example.org".into()), ..Default::default() };
    assert_eq!(d.store.update_attendee(&d.desk, hans, &patch).unwrap().email, "STRASSE@example.org");
}

fn attendee_search_folds_case_and_form(db: &Db) {
    let d = desk(db);
    d.add("Élodie Martin", "em@example.org").unwrap();
    d.add(&format!("{} Durand", ELODIE_NFD.replacen('e', "E", 1)), "ed@example.org").unwrap();
    d.add("Eloise Petit", "ep@example.org").unwrap();
    d.add("Hans Straße", "hans@example.org").unwrap();
    // Short searches (no trigram index) and long ones (the index) alike.
    for typed in ["élodie", "ÉLODIE", ELODIE_NFD, "E\u{301}LODIE", "éLo"] {
        assert_eq!(d.names(typed).len(), 2, "{typed:?}: {:?}", d.names(typed));
    }
    assert_eq!(d.names("élodie martin"), ["Élodie Martin"]);
    assert_eq!(d.names("STRASSE"), ["Hans Straße"]);
    assert_eq!(d.names("EM@EXAMPLE"), ["Élodie Martin"]);
    assert!(d.names("elodie").is_empty(), "folding keeps the accent");
    let q = AttendeeQuery { search: "ÉLODIE".into(), ..Default::default() };
    assert_eq!(d.store.count_attendees(&q).unwrap(), 2);
    assert_eq!(d.store.count_attendees_upto(&q, 1).unwrap(), 2);
}

fn event_title_search_folds_case_and_form(db: &Db) {
    let d = desk(db);
    let id = d.event("Soirée Élodie");
    d.event("Other night");
    for typed in ["élodie", "ÉLODIE", ELODIE_NFD, "SOIRE\u{301}E"] {
        assert_eq!(d.titles(typed), ["Soirée Élodie"], "{typed:?}");
    }
    // An edit folds the new title too.
    let patch = EventPatch { title: Some("Große Nacht".into()), ..Default::default() };
    d.store.update_event(&d.org, id, &patch).unwrap();
    assert_eq!(d.titles("GROSSE"), ["Große Nacht"]);
    assert!(d.titles("élodie").is_empty());
}

fn a_lookup_by_email_folds_case_and_form(db: &Db) {
    let d = desk(db);
    let id = d.add("Élodie Martin", "élodie@example.org").unwrap();
    for typed in ["ÉLODIE@example.org", &format!(" {ELODIE_NFD}@Example.org ")] {
        assert_eq!(d.store.attendee_by_email(typed).unwrap().id, id, "{typed:?}");
    }
}
