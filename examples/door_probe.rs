#![allow(clippy::unwrap_used)]
use eventdesk::model::{BookingStatus, Clock, NewEvent};
use eventdesk::store::{BookingQuery, EventQuery, OpenOptions, Page, Store};
use std::time::Instant;
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2031, 3, 1, 18, 0, 0).unwrap();
    let s =
        Store::open_with(path, OpenOptions { clock: Clock::Fixed(now), ..OpenOptions::default() }).unwrap();
    let org = s.authenticate("bulk-org-1", eventdesk::store::BULK_PASSWORD).unwrap();
    let q = EventQuery { search: "Scattered Door".into(), page: Page::new(0, 1), ..EventQuery::default() };
    let event = match s.list_events(&q).unwrap().first() {
        Some(e) => e.id,
        None => {
            let new = NewEvent {
                title: "Scattered Door".into(),
                description: String::new(),
                starts_at: now + chrono::Duration::hours(1),
                ends_at: now + chrono::Duration::hours(4),
                capacity: 5000,
            };
            let id = s.create_event(&org, &new).unwrap().id;
            let t = Instant::now();
            for k in 0..5000i64 {
                s.book(&org, id, 1 + k * 199).unwrap();
            }
            println!("booked in {:?}", t.elapsed());
            id
        }
    };
    for search in ["a", "priya", "priya quinn", "bulk-4180@", "a", "priya", "priya quinn", "bulk-4180@"] {
        let q = BookingQuery {
            event_id: Some(event),
            status: Some(BookingStatus::Active),
            search: search.into(),
            page: Page::new(0, 26),
            ..BookingQuery::default()
        };
        let t = Instant::now();
        s.attendance(event).unwrap();
        let a = t.elapsed();
        let t = Instant::now();
        let n = s.count_bookings(&q).unwrap();
        let c = t.elapsed();
        let t = Instant::now();
        let r = s.list_bookings(&q).unwrap();
        let l = t.elapsed();
        println!("{search:12} attendance {a:?} count {c:?} ({n}) list {l:?} ({})", r.len());
    }
    let q = BookingQuery {
        event_id: Some(event),
        status: Some(BookingStatus::Active),
        page: Page::new(0, 5000),
        ..BookingQuery::default()
    };
    for _ in 0..3 {
        let t = Instant::now();
        let r = s.list_bookings(&q).unwrap();
        println!("whole roster {:?} ({})", t.elapsed(), r.len());
    }
}
