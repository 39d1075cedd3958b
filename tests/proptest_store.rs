//! Hostile input through the store: whatever a validator accepts is stored and read back
//! byte-for-byte; whatever it refuses comes back as `Error::Invalid` on the right field with
//! nothing written; searches with SQL metacharacters match literally; arbitrary ids are
//! `NotFound`, never a crash. `check()` is clean after every run.

#![allow(clippy::unwrap_used)]

#[path = "support/accounts.rs"]
mod accounts;

#[path = "support/engines.rs"]
mod engines;
#[path = "support/hostile.rs"]
mod hostile;

use chrono::{DateTime, Duration, TimeZone, Utc};
use engines::Db;
use eventdesk::model::fold::fold;
use eventdesk::model::{Clock, Error, Field, NewAttendee, NewEvent, NewOperator, Role, Session, parse_time};
use eventdesk::store::{AttendeeQuery, BookingQuery, EventQuery, OpenOptions, Page, Store};
use hostile::{check, email, hostile, huge, one_line_ok, printable};
use proptest::prelude::*;

on_both_engines!(
    event_text_is_stored_exactly_or_refused_on_its_field,
    attendees_are_stored_exactly_or_refused_on_their_fields,
    searches_with_sql_metacharacters_match_literally,
    arbitrary_ids_are_not_found_never_a_crash,
    parsed_times_are_stored_exactly,
    hundred_thousand_characters_through_the_store,
    credentials_round_trip_exactly,
);

const CASES: u32 = 256;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

struct Desk {
    store: Store,
    org: Session,
}

fn desk(db: &Db) -> Desk {
    let store = db.open(OpenOptions { clock: Clock::Fixed(t0()), ..Default::default() });
    let org = accounts::register(&store, "olga", Role::Organizer);
    Desk { store, org }
}

impl Desk {
    fn event(&self, title: &str, description: &str) -> Result<eventdesk::model::Event, Error> {
        let start = t0() + Duration::days(3);
        let new = NewEvent {
            title: title.into(),
            description: description.into(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            capacity: 10,
        };
        self.store.create_event(&self.org, &new)
    }

    fn assert_clean(&self) {
        let report = self.store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}

fn fields(e: &Error) -> Vec<Field> {
    e.field_errors().iter().map(|f| f.field).collect()
}

fn all() -> Page {
    Page::new(0, 100_000)
}

fn event_text_is_stored_exactly_or_refused_on_its_field(db: &Db) {
    let d = desk(db);
    check(CASES, (prop_oneof![hostile(), printable()], hostile()), |(title, description)| {
        let before = d.store.count_events(&EventQuery::default()).unwrap();
        let title_ok = one_line_ok(&title, 200);
        match d.event(&title, &description) {
            Ok(e) => {
                prop_assert_eq!(Some(e.title.clone()), title_ok);
                prop_assert_eq!(e.description.as_bytes(), description.trim().as_bytes());
                let back = d.store.event(e.id).unwrap();
                prop_assert_eq!(back.title.as_bytes(), e.title.as_bytes());
                prop_assert_eq!(back.description, e.description);
            }
            Err(err) => {
                let f = fields(&err);
                prop_assert!(!f.is_empty(), "not a field error: {err}");
                prop_assert!(f.iter().all(|f| matches!(f, Field::Title | Field::Description)));
                prop_assert_eq!(f.contains(&Field::Title), title_ok.is_none());
                prop_assert_eq!(d.store.count_events(&EventQuery::default()).unwrap(), before);
            }
        }
        Ok(())
    });
    d.assert_clean();
}

fn attendees_are_stored_exactly_or_refused_on_their_fields(db: &Db) {
    let d = desk(db);
    check(CASES, (prop_oneof![hostile(), printable()], email(), hostile()), |(name, email, phone)| {
        let new = NewAttendee { name: name.clone(), email: email.clone(), phone: phone.clone() };
        let before = d.store.count_attendees(&AttendeeQuery::default()).unwrap();
        match d.store.add_attendee(&d.org, &new) {
            Ok(a) => {
                let back = d.store.attendee(a.id).unwrap();
                prop_assert_eq!(back.name.as_bytes(), name.trim().as_bytes());
                prop_assert_eq!(back.email.as_bytes(), email.trim().as_bytes());
                prop_assert_eq!(back.phone.as_deref(), Some(phone.trim()).filter(|p| !p.is_empty()));
                let by_email = d.store.attendee_by_email(&email.to_ascii_uppercase()).unwrap();
                prop_assert_eq!(by_email.id, a.id);
            }
            Err(Error::Refused(r)) => {
                // Only a case-insensitive duplicate of an earlier case may be refused as taken.
                prop_assert!(d.store.attendee_by_email(email.trim()).is_ok(), "{r}");
            }
            Err(err) => {
                let f = fields(&err);
                prop_assert!(!f.is_empty(), "not a field error: {err}");
                prop_assert!(f.iter().all(|f| matches!(f, Field::Name | Field::Email | Field::Phone)));
                prop_assert_eq!(f.contains(&Field::Name), one_line_ok(&name, 200).is_none());
                prop_assert_eq!(d.store.count_attendees(&AttendeeQuery::default()).unwrap(), before);
            }
        }
        Ok(())
    });
    d.assert_clean();
}

/// Every result contains the search text (folded as model::fold does for events and attendees,
/// ASCII case folded as LIKE does for bookings), and a stored
/// title is found by any piece of itself: `%`, `_`, `\` and quotes are matched literally.
fn searches_with_sql_metacharacters_match_literally(db: &Db) {
    let d = desk(db);
    let stored = ["50% off_sale", "a_b", "back\\slash", "it's \"quoted\"", "x;--y", "日本語 🎉", "%", "_"];
    let mut ids = Vec::new();
    for t in stored {
        ids.push(d.event(t, "").unwrap().id);
    }
    let a = d
        .store
        .add_attendee(
            &d.org,
            &NewAttendee { name: "O'Brien %_".into(), email: "ob@x.org".into(), ..Default::default() },
        )
        .unwrap();
    d.store.book(&d.org, ids[0], a.id).unwrap();
    let pieces = prop::sample::select(stored.to_vec()).prop_flat_map(|t| {
        let n = t.chars().count();
        (Just(t), 0..n).prop_flat_map(move |(t, i)| (Just(t), Just(i), i + 1..=n))
    });
    let search = prop_oneof![hostile(), pieces.prop_map(|(t, i, j)| t.chars().skip(i).take(j - i).collect())];
    check(CASES, search, |q: String| {
        let events = d
            .store
            .list_events(&EventQuery { search: q.clone(), page: all(), ..Default::default() })
            .unwrap();
        let attendees = d.store.list_attendees(&AttendeeQuery { search: q.clone(), page: all() }).unwrap();
        let bookings = d
            .store
            .list_bookings(&BookingQuery { search: q.clone(), page: all(), ..Default::default() })
            .unwrap();
        let needle = q.trim().to_ascii_lowercase();
        let has = |s: &str| s.to_ascii_lowercase().contains(&needle);
        // Event and attendee searches compare folded text (migration 006); bookings' ASCII.
        let folded = fold(q.trim());
        let has_folded = |s: &str| fold(s).contains(&folded);
        for e in &events {
            prop_assert!(has_folded(&e.title), "{q:?} matched {:?}", e.title);
        }
        for a in &attendees {
            prop_assert!(has_folded(&a.name) || has_folded(&a.email), "{q:?} matched {:?}", a.name);
        }
        for b in &bookings {
            prop_assert!(has(&b.attendee_name) || has(&b.attendee_email) || has(&b.event_title));
        }
        let expected = stored.iter().filter(|t| has_folded(t)).count();
        prop_assert_eq!(events.len(), if needle.is_empty() { stored.len() } else { expected }, "{:?}", q);
        Ok(())
    });
    d.assert_clean();
}

fn arbitrary_ids_are_not_found_never_a_crash(db: &Db) {
    let d = desk(db);
    let e = d.event("Real", "").unwrap();
    check(CASES, any::<i64>().prop_filter("not a real id", move |&id| id != e.id), |id| {
        let not_found = |r: Result<(), Error>| matches!(r, Err(Error::NotFound { .. }));
        prop_assert!(not_found(d.store.event(id).map(drop)));
        prop_assert!(not_found(d.store.booking(id).map(drop)));
        prop_assert!(not_found(d.store.attendee(id).map(drop)));
        prop_assert!(not_found(d.store.cancel(&d.org, id).map(drop)));
        prop_assert!(not_found(d.store.book(&d.org, id, id).map(drop)));
        prop_assert!(not_found(d.store.book(&d.org, e.id, id).map(drop)));
        prop_assert!(not_found(d.store.delete_event(&d.org, id, true).map(drop)));
        Ok(())
    });
    assert_eq!(d.store.check().unwrap().bookings, 0);
    d.assert_clean();
}

fn parsed_times_are_stored_exactly(db: &Db) {
    let d = desk(db);
    // Both ends inside the years RFC 3339 can write (the last second of 9999 is 253_402_300_799).
    const LONGEST: i64 = 10_000_000;
    let secs = t0().timestamp() + 86_400..253_402_300_799i64 - LONGEST;
    check(64, (secs, 0u32..1_000_000_000, 1i64..LONGEST), |(start, nanos, len)| {
        let s = DateTime::from_timestamp(start, nanos).unwrap().to_rfc3339();
        let e = DateTime::from_timestamp(start + len, nanos).unwrap().to_rfc3339();
        let (starts_at, ends_at) = (parse_time(&s).unwrap(), parse_time(&e).unwrap());
        let new = NewEvent { title: "t".into(), description: String::new(), starts_at, ends_at, capacity: 1 };
        let stored = d.store.create_event(&d.org, &new).unwrap();
        prop_assert_eq!((stored.starts_at, stored.ends_at), (starts_at, ends_at));
        Ok(())
    });
    // Sub-second events: refused on the end field, not by the schema's CHECK.
    let start = parse_time("2030-01-01T18:00:00.2Z").unwrap();
    let new = NewEvent {
        title: "t".into(),
        description: String::new(),
        starts_at: start,
        ends_at: start + Duration::milliseconds(600),
        capacity: 1,
    };
    assert_eq!(fields(&d.store.create_event(&d.org, &new).unwrap_err()), [Field::End]);
    d.assert_clean();
}

fn hundred_thousand_characters_through_the_store(db: &Db) {
    let d = desk(db);
    let big = huge();
    assert_eq!(fields(&d.event(&big, "").unwrap_err()), [Field::Title]);
    assert_eq!(fields(&d.event("ok", &big).unwrap_err()), [Field::Description]);
    let new = NewAttendee { name: big.clone(), email: big.clone(), phone: big.clone() };
    assert_eq!(
        fields(&d.store.add_attendee(&d.org, &new).unwrap_err()),
        [Field::Name, Field::Email, Field::Phone]
    );
    for q in [big.clone(), "%".repeat(100_000), "\\".repeat(100_000)] {
        assert!(
            d.store.list_events(&EventQuery { search: q.clone(), ..Default::default() }).unwrap().is_empty()
        );
        assert!(
            d.store
                .list_attendees(&AttendeeQuery { search: q.clone(), ..Default::default() })
                .unwrap()
                .is_empty()
        );
        assert!(d.store.list_bookings(&BookingQuery { search: q, ..Default::default() }).unwrap().is_empty());
    }
    let login = d.store.authenticate(&big, &big).unwrap_err();
    assert!(matches!(login, Error::Unauthenticated(_)), "{login}");
    let reg =
        NewOperator { username: big.clone(), password: big, role: Some(Role::Desk), ..Default::default() };
    let f = fields(&d.store.register(&reg).unwrap_err());
    assert!(f.contains(&Field::Username) && f.contains(&Field::Password), "{f:?}");
    assert_eq!(d.store.count_events(&EventQuery::default()).unwrap(), 0);
    d.assert_clean();
}

/// Usernames and passwords through registration and sign-in (Argon2 makes each case cost
/// ~0.1 s, so fewer cases here; the validators themselves get 256 in proptest_input).
fn credentials_round_trip_exactly(db: &Db) {
    let d = desk(db);
    let taken = std::cell::RefCell::new(std::collections::HashSet::from(["olga".to_string()]));
    let password = prop_oneof!["\\PC{8,40}", hostile::fragments(10).prop_map(|s| format!("pw{s}pw{s}"))];
    check(24, ("[a-zA-Z0-9._-]{3,32}", password), |(user, pw)| {
        let new = NewOperator {
            username: user.clone(),
            password: pw.clone(),
            role: Some(Role::Desk),
            ..Default::default()
        };
        match d.store.register(&new) {
            Ok(op) => {
                prop_assert!(taken.borrow_mut().insert(user.to_ascii_lowercase()));
                prop_assert_eq!(&op.username, &user);
                let s = d.store.authenticate(&user.to_ascii_uppercase(), &pw).unwrap();
                prop_assert_eq!(s.operator_id, op.id);
                prop_assert!(
                    d.store.authenticate(&user, &format!(" {pw}")).is_err(),
                    "a password is never trimmed"
                );
            }
            Err(Error::Refused(_)) => prop_assert!(taken.borrow().contains(&user.to_ascii_lowercase())),
            Err(err) => prop_assert_eq!(fields(&err), [Field::Password]),
        }
        Ok(())
    });
    d.assert_clean();
}
