//! One person, one email, on both engines: emails and searches compare text in NFC with full
//! case folding (model::fold), whatever form or case it was typed in.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/accounts.rs"]
mod accounts;
#[path = "support/desk.rs"]
mod desk;
#[path = "support/engines.rs"]
mod engines;

use chrono::Duration;
use desk::{Desk, desk, refusal, t0};
use engines::Db;
use eventdesk::model::{AttendeePatch, Error, EventPatch, NewAttendee, NewEvent, Refusal};
use eventdesk::store::{AttendeeQuery, BookingQuery, EventQuery, OpenOptions, WaitlistQuery};

on_both_engines!(
    one_address_in_every_form_is_one_attendee,
    an_edit_to_another_form_of_a_taken_email_is_refused,
    attendee_search_folds_case_and_form,
    event_title_search_folds_case_and_form,
    booking_and_waiting_searches_fold_case_and_form,
    a_lookup_by_email_folds_case_and_form,
    a_merge_moves_bookings_and_waiting_entries,
    a_merge_is_refused_where_both_hold_a_seat_or_a_place,
    only_the_desk_merges,
    check_reports_one_person_twice_until_merged,
    check_reports_search_forms_written_around_the_store,
    copy_carries_merges_into_later_attendees,
    a_merged_attendee_is_booked_waited_and_edited_as_the_one_kept,
);

/// "élodie" with the accent as a combining mark (NFD).
const ELODIE_NFD: &str = "e\u{301}lodie";

impl Desk {
    fn add(&self, name: &str, email: &str) -> Result<i64, Error> {
        let new = NewAttendee { name: name.into(), email: email.into(), phone: String::new() };
        self.store.add_attendee(&self.desk, &new).map(|a| a.id)
    }

    fn names(&self, search: &str) -> Vec<String> {
        let q = AttendeeQuery { search: search.into(), ..Default::default() };
        self.store.list_attendees(&q).unwrap().into_iter().map(|a| a.name).collect()
    }

    fn titled_event(&self, title: &str) -> i64 {
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

fn capacity_event(d: &Desk, title: &str, capacity: i64) -> i64 {
    let new = NewEvent {
        title: title.into(),
        description: String::new(),
        starts_at: t0() + Duration::days(2),
        ends_at: t0() + Duration::days(2) + Duration::hours(2),
        capacity,
    };
    d.store.create_event(&d.org, &new).unwrap().id
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
    let id = d.titled_event("Soirée Élodie");
    d.titled_event("Other night");
    for typed in ["élodie", "ÉLODIE", ELODIE_NFD, "SOIRE\u{301}E"] {
        assert_eq!(d.titles(typed), ["Soirée Élodie"], "{typed:?}");
    }
    // An edit folds the new title too.
    let patch = EventPatch { title: Some("Große Nacht".into()), ..Default::default() };
    d.store.update_event(&d.org, id, &patch).unwrap();
    assert_eq!(d.titles("GROSSE"), ["Große Nacht"]);
    assert!(d.titles("élodie").is_empty());
}

/// The Bookings tab and its waiting view search attendee names, emails and event titles.
fn booking_and_waiting_searches_fold_case_and_form(db: &Db) {
    let d = desk(db);
    let soiree = capacity_event(&d, "Soirée Straße", 1);
    let elodie = d.add("Élodie Martin", "ÉM@example.org").unwrap();
    let hans = d.add("Hans Petit", "hans@example.org").unwrap();
    d.store.book(&d.desk, soiree, elodie).unwrap();
    d.store.waitlist_add(&d.desk, soiree, hans).unwrap();
    let bookings = |typed: &str| {
        let q = BookingQuery { search: typed.into(), ..Default::default() };
        let rows = d.store.list_bookings(&q).unwrap();
        assert_eq!(d.store.count_bookings(&q).unwrap(), rows.len() as u64, "{typed:?}: count and page agree");
        rows.into_iter().map(|b| b.attendee_name).collect::<Vec<_>>()
    };
    for typed in ["élodie", "ÉLODIE", ELODIE_NFD, "é", "ÉM@EXAMPLE", "soire\u{301}e", "STRASSE"] {
        assert_eq!(bookings(typed), ["Élodie Martin"], "{typed:?}");
    }
    assert!(bookings("elodie").is_empty(), "folding keeps the accent");
    let waiting = |typed: &str| {
        let q = WaitlistQuery { search: typed.into(), ..Default::default() };
        d.store.list_waitlist(&q).unwrap().into_iter().map(|w| w.attendee_name).collect::<Vec<_>>()
    };
    for typed in ["HANS", "SOIRÉE", "strasse"] {
        assert_eq!(waiting(typed), ["Hans Petit"], "{typed:?}");
    }
}

fn a_lookup_by_email_folds_case_and_form(db: &Db) {
    let d = desk(db);
    let id = d.add("Élodie Martin", "élodie@example.org").unwrap();
    for typed in ["ÉLODIE@example.org", &format!(" {ELODIE_NFD}@Example.org ")] {
        assert_eq!(d.store.attendee_by_email(typed).unwrap().id, id, "{typed:?}");
    }
}

fn a_merge_moves_bookings_and_waiting_entries(db: &Db) {
    let d = desk(db);
    let keep = d.add("Élodie Martin", "elodie.martin@example.org").unwrap();
    let other = d.add("ELODIE MARTIN", "e.martin@example.org").unwrap();
    let somebody = d.add("Somebody", "s@example.org").unwrap();
    let roomy = capacity_event(&d, "Roomy", 5);
    let full = capacity_event(&d, "Full", 1);
    let booking = d.store.book(&d.desk, roomy, other).unwrap().booking.id;
    d.store.book(&d.desk, full, somebody).unwrap();
    let entry = d.store.waitlist_add(&d.desk, full, other).unwrap().id;

    let merged = d.store.merge_attendees(&d.desk, keep, other).unwrap();
    assert_eq!(
        (merged.kept.id, merged.merged_id, merged.bookings_moved, merged.entries_moved),
        (keep, other, 1, 1)
    );
    assert_eq!(db.count(&format!("SELECT attendee_id FROM bookings WHERE id = {booking}")), keep);
    assert_eq!(db.count(&format!("SELECT attendee_id FROM waitlist WHERE id = {entry}")), keep);
    assert_eq!(db.count(&format!("SELECT merged_into FROM attendees WHERE id = {other}")), keep);
    assert_eq!(db.count("SELECT count(*) FROM attendees"), 3, "nothing is deleted");
    assert_eq!(d.names("martin"), ["Élodie Martin"], "the merged attendee is hidden");
    assert_eq!(d.names(""), ["Somebody", "Élodie Martin"], "from the whole list too (byte order)");
    assert_eq!(d.store.count_attendees(&AttendeeQuery::default()).unwrap(), 2);
    let sql = format!(
        "SELECT count(*) FROM history WHERE action = 'merge' AND object_kind = 'attendee' AND object_id = {keep}"
    );
    assert_eq!(db.count(&sql), 1);
    // The merged row's address is still this person's: nobody new takes it.
    assert!(is_email_taken(d.add("Other Martin", "E.MARTIN@example.org")));
    assert!(d.store.check().unwrap().is_ok(), "{:?}", d.store.check().unwrap().problems);
    let again = d.store.merge_attendees(&d.desk, keep, other);
    assert!(matches!(again, Err(Error::Refused(Refusal::AlreadyMerged { .. }))), "{again:?}");
}

fn a_merge_is_refused_where_both_hold_a_seat_or_a_place(db: &Db) {
    let d = desk(db);
    let keep = d.add("Ana", "ana@example.org").unwrap();
    let other = d.add("Ana R", "ana.r@example.org").unwrap();
    let event = capacity_event(&d, "Both", 5);
    d.store.book(&d.desk, event, keep).unwrap();
    d.store.book(&d.desk, event, other).unwrap();
    let outcome = d.store.merge_attendees(&d.desk, keep, other);
    match outcome {
        Err(Error::Refused(r @ Refusal::MergeClash { event_id, .. })) => {
            assert_eq!(event_id, event);
            assert!(r.to_string().contains("both attendees hold an active seat"), "{r}");
        }
        other => panic!("expected a clash, got {other:?}"),
    }
    assert_eq!(db.count("SELECT count(*) FROM attendees WHERE merged_into IS NOT NULL"), 0, "rolled back");
    assert_eq!(db.count("SELECT count(*) FROM history WHERE action = 'merge'"), 0);

    let full = capacity_event(&d, "Full", 1);
    let third = d.add("Third", "t@example.org").unwrap();
    d.store.book(&d.desk, full, third).unwrap();
    let (a, b) = (d.add("Wait A", "wa@example.org").unwrap(), d.add("Wait B", "wb@example.org").unwrap());
    d.store.waitlist_add(&d.desk, full, a).unwrap();
    d.store.waitlist_add(&d.desk, full, b).unwrap();
    let outcome = d.store.merge_attendees(&d.desk, a, b);
    assert!(matches!(outcome, Err(Error::Refused(Refusal::MergeClash { .. }))), "{outcome:?}");
    let outcome = d.store.merge_attendees(&d.desk, third, a);
    assert!(
        matches!(outcome, Err(Error::Refused(Refusal::MergeClash { .. }))),
        "seat and place: {outcome:?}"
    );
    assert!(matches!(d.store.merge_attendees(&d.desk, a, a), Err(Error::Refused(Refusal::MergeSelf))));
    assert!(matches!(d.store.merge_attendees(&d.desk, a, 999), Err(Error::NotFound { .. })));
}

fn only_the_desk_merges(db: &Db) {
    let d = desk(db);
    let keep = d.add("Ana", "ana@example.org").unwrap();
    let other = d.add("Ana R", "ana.r@example.org").unwrap();
    assert!(matches!(d.store.merge_attendees(&d.org, keep, other), Err(Error::Forbidden(_))));
    assert_eq!(db.count("SELECT count(*) FROM attendees WHERE merged_into IS NOT NULL"), 0);
}

fn check_reports_one_person_twice_until_merged(db: &Db) {
    let d = desk(db);
    let keep = d.add("Élodie Martin", "élodie@example.org").unwrap();
    assert!(d.store.check().unwrap().is_ok());
    // A raw session bypasses the store: no canonical email, another case and form.
    db.execute(&format!(
        "INSERT INTO attendees (name, email, created_at, updated_at) VALUES ('Élodie M', '{}@EXAMPLE.ORG', 0, 0)",
        ELODIE_NFD.to_uppercase()
    ))
    .unwrap();
    let other = db.count("SELECT max(id) FROM attendees");
    let problems = d.store.check().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&format!("attendees {keep}, {other} share the email élodie@example.org"))),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("canonical email does not match")), "{problems:?}");
    d.store.merge_attendees(&d.desk, keep, other).unwrap();
    assert!(d.store.check().unwrap().is_ok(), "{:?}", d.store.check().unwrap().problems);
}

/// A raw session renames an attendee and an event without their search forms: search no longer
/// finds them by the new text, and `check` says so until the store writes them again.
fn check_reports_search_forms_written_around_the_store(db: &Db) {
    let d = desk(db);
    let a = d.add("Élodie Martin", "em@example.org").unwrap();
    let e = d.titled_event("Soirée");
    assert!(d.store.check().unwrap().is_ok());
    db.execute(&format!("UPDATE attendees SET name = 'Zoë Quist' WHERE id = {a}")).unwrap();
    db.execute(&format!("UPDATE events SET title = 'Nuit' WHERE id = {e}")).unwrap();
    assert!(d.names("zoë").is_empty(), "the stale search form hides the row");
    let problems = d.store.check().unwrap().problems;
    assert_eq!(
        problems,
        [
            "attendees: 1 row with a name whose search form does not match it (written around the store): \
             search misses them",
            "events: 1 row with a title whose search form does not match it (written around the store): \
             search misses them",
        ]
    );
    // Written through the store again, both are found and check is clean.
    let patch = AttendeePatch { name: Some("Zoë Quist-Martin".into()), ..Default::default() };
    d.store.update_attendee(&d.desk, a, &patch).unwrap();
    let patch = EventPatch { title: Some("Nuit blanche".into()), ..Default::default() };
    d.store.update_event(&d.org, e, &patch).unwrap();
    assert_eq!(d.names("ZOË"), ["Zoë Quist-Martin"]);
    assert!(d.store.check().unwrap().is_ok(), "{:?}", d.store.check().unwrap().problems);
}

fn copy_carries_merges_into_later_attendees(db: &Db) {
    let d = desk(db);
    let other = d.add("Élodie M", "e.m@example.org").unwrap();
    let keep = d.add("Élodie Martin", "élodie@example.org").unwrap();
    d.store.merge_attendees(&d.desk, keep, other).unwrap();
    // The merged row points at a later id: the copy inserts it first.
    let file = Db::sqlite();
    let copy = d.store.copy_to(&file.open(OpenOptions::default())).unwrap();
    assert!(copy.check.is_ok(), "{:?}", copy.check.problems);
    assert_eq!(file.count(&format!("SELECT merged_into FROM attendees WHERE id = {other}")), keep);
    let back = if db.is_postgres() { Db::postgres("unicode_copy_back") } else { Some(Db::sqlite()) };
    let Some(back) = back else { return };
    let again = file.open(OpenOptions::default()).copy_to(&back.open(OpenOptions::default())).unwrap();
    assert!(again.check.is_ok(), "{:?}", again.check.problems);
    let q = AttendeeQuery { search: "élodie".into(), ..Default::default() };
    let found: Vec<i64> =
        back.open(OpenOptions::default()).list_attendees(&q).unwrap().iter().map(|a| a.id).collect();
    assert_eq!(found, [keep]);
}

fn a_merged_attendee_is_booked_waited_and_edited_as_the_one_kept(db: &Db) {
    let d = desk(db);
    let keep = d.add("Élodie Martin", "elodie.martin@example.org").unwrap();
    let other = d.add("ELODIE MARTIN", "e.martin@example.org").unwrap();
    let roomy = capacity_event(&d, "Roomy", 5);
    let full = capacity_event(&d, "Full", 1);
    d.store.book(&d.desk, full, keep).unwrap();
    d.store.merge_attendees(&d.desk, keep, other).unwrap();
    let history = db.count("SELECT count(*) FROM history");

    let merged = Refusal::Merged { id: other, into: keep };
    assert_eq!(refusal(d.store.book(&d.desk, roomy, other)), merged);
    assert_eq!(refusal(d.store.waitlist_add(&d.desk, full, other)), merged);
    let patch = AttendeePatch { name: Some("Élodie M.".into()), ..Default::default() };
    assert_eq!(refusal(d.store.update_attendee(&d.desk, other, &patch)), merged);
    assert_eq!(
        merged.to_string(),
        format!("attendee {other} was merged into attendee {keep}: use attendee {keep}")
    );
    assert_eq!(db.count("SELECT count(*) FROM history"), history, "nothing written");
    assert_eq!(db.count(&format!("SELECT count(*) FROM bookings WHERE attendee_id = {other}")), 0);
    d.store.book(&d.desk, roomy, keep).unwrap();
}
