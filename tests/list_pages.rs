//! Keyset pages and capped counts on both engines: a page read next to a row (`Seek`), or
//! counted back from the end (`Page::from_end`), holds exactly the rows the same positions hold
//! in the whole list read at once, for the events (every filter, with a search), bookings
//! (newest first, by status, by organizer, searched), waiting-list (by event, then queue order),
//! history and attendee lists (unsearched, and searched through each kind of postings walk);
//! and a capped count is the exact count cut at `cap + 1`, counted from the seek row.

#![allow(clippy::unwrap_used)] // test helpers: a failed setup should stop the test loudly

#[path = "support/engines.rs"]
mod engines;

use engines::Db;
use eventdesk::model::{BookingStatus, HistoryAction, Session, WaitStatus};
use eventdesk::store::{
    AttendeeQuery, BULK_PASSWORD, BookingQuery, BulkSpec, EventFilter, EventQuery, HistoryQuery, OpenOptions,
    Page, Seek, Store, WaitlistQuery,
};

on_both_engines!(pages_next_to_a_row_are_the_rows_at_those_positions);

/// More rows than a page, few enough to read whole.
const SPEC: BulkSpec = BulkSpec { organizers: 3, events: 90, attendees: 300, bookings: 700 };

/// A list's capped count for a page.
type Count<'a> = Box<dyn Fn(Page, u64) -> u64 + 'a>;

/// One list as the tests see it: its rows' ids for a page, and its capped count for a page.
/// The attendee lists have none here: their count is the picker's, from the top only, checked
/// against the whole list in tests/attendee_search_pages.rs.
struct List<'a> {
    name: String,
    read: Box<dyn Fn(Page) -> Vec<i64> + 'a>,
    count: Option<Count<'a>>,
}

fn pages_next_to_a_row_are_the_rows_at_those_positions(db: &Db) {
    let store = db.open(OpenOptions::default());
    let summary = store.generate(&SPEC).unwrap();
    let org = store.authenticate(&summary.organizer_username(), BULK_PASSWORD).unwrap();
    // Some cancelled bookings, so the status filter leaves gaps in the ids.
    let some: Vec<i64> = store
        .list_bookings(&BookingQuery { page: Page::new(0, 700), ..BookingQuery::default() })
        .unwrap()
        .iter()
        .map(|b| b.booking.id)
        .step_by(7)
        .collect();
    for id in some {
        store.cancel(&org, id).ok();
    }
    let waiting = fill_waiting_lists(&store, &org);
    assert!(waiting >= 30, "only {waiting} waiting entries");
    for list in lists(&store, org.operator_id) {
        agrees_with_the_whole_list(&list);
    }
}

/// Puts attendees on the organizer's full upcoming events' waiting lists (many in the same
/// second, so the queue order's ties fall to the id); returns how many.
fn fill_waiting_lists(store: &Store, org: &Session) -> usize {
    let q = EventQuery {
        filter: EventFilter::MineUpcoming,
        creator_id: Some(org.operator_id),
        page: Page::new(0, 1_000),
        ..EventQuery::default()
    };
    let full: Vec<i64> =
        store.list_events(&q).unwrap().iter().filter(|e| e.is_full()).map(|e| e.id).take(6).collect();
    let mut added = 0;
    for (n, event) in full.iter().enumerate() {
        for attendee in (1..=300).skip(n * 11).step_by(13).take(8) {
            added += usize::from(store.waitlist_add(org, *event, attendee).is_ok());
        }
    }
    if let Some(entry) = store.list_waitlist(&WaitlistQuery::default()).unwrap().first() {
        store.waitlist_remove(org, entry.id).unwrap();
    }
    added
}

fn lists(store: &Store, organizer: i64) -> Vec<List<'_>> {
    let mut lists = vec![];
    let filters = [
        EventFilter::All,
        EventFilter::Upcoming,
        EventFilter::Past,
        EventFilter::Mine,
        EventFilter::MineUpcoming,
        EventFilter::Available,
    ];
    for (filter, search) in filters.into_iter().flat_map(|f| [(f, ""), (f, "e")]) {
        let q = move |page| EventQuery { filter, creator_id: Some(organizer), search: search.into(), page };
        lists.push(List {
            name: format!("events {filter:?} {search:?}"),
            read: Box::new(move |page| store.list_events(&q(page)).unwrap().iter().map(|e| e.id).collect()),
            count: Some(Box::new(move |page, cap| store.count_events_upto(&q(page), cap).unwrap())),
        });
    }
    let bookings = [
        ("all", BookingQuery::default()),
        ("active", BookingQuery { status: Some(BookingStatus::Active), ..BookingQuery::default() }),
        ("organizer's", BookingQuery { organizer_id: Some(organizer), ..BookingQuery::default() }),
        ("searched", BookingQuery { search: "an".into(), ..BookingQuery::default() }),
    ];
    for (label, base) in bookings {
        let name = format!("bookings {label}");
        let (b1, b2) = (base.clone(), base);
        lists.push(List {
            name,
            read: Box::new(move |page| {
                let q = BookingQuery { page, ..b1.clone() };
                store.list_bookings(&q).unwrap().iter().map(|b| b.booking.id).collect()
            }),
            count: Some(Box::new(move |page, cap| {
                store.count_bookings_upto(&BookingQuery { page, ..b2.clone() }, cap).unwrap()
            })),
        });
    }
    let waitlists = [
        ("all", WaitlistQuery::default()),
        ("waiting", WaitlistQuery { status: Some(WaitStatus::Waiting), ..WaitlistQuery::default() }),
        ("searched", WaitlistQuery { search: "a".into(), ..WaitlistQuery::default() }),
    ];
    for (label, base) in waitlists {
        let name = format!("waiting list {label}");
        let (w1, w2) = (base.clone(), base);
        lists.push(List {
            name,
            read: Box::new(move |page| {
                let q = WaitlistQuery { page, ..w1.clone() };
                store.list_waitlist(&q).unwrap().iter().map(|w| w.id).collect()
            }),
            count: Some(Box::new(move |page, cap| {
                store.count_waitlist_upto(&WaitlistQuery { page, ..w2.clone() }, cap).unwrap()
            })),
        });
    }
    let history = [
        HistoryQuery::default(),
        HistoryQuery { action: Some(HistoryAction::Cancel), ..HistoryQuery::default() },
    ];
    for base in history {
        let name = format!("history {:?}", base.action);
        let (h1, h2) = (base.clone(), base);
        lists.push(List {
            name,
            read: Box::new(move |page| {
                store.history(&HistoryQuery { page, ..h1.clone() }).unwrap().iter().map(|h| h.id).collect()
            }),
            count: Some(Box::new(move |page, cap| {
                store.count_history_upto(&HistoryQuery { page, ..h2.clone() }, cap).unwrap()
            })),
        });
    }
    // Unsearched (the name index), one and two letters (their own postings), a name and an
    // email (the rarest gram's postings, and the email index).
    for search in ["", "a", "an", "ana", "bulk-2"] {
        lists.push(List {
            name: format!("attendees {search:?}"),
            read: Box::new(move |page| {
                let q = AttendeeQuery { search: search.into(), page };
                store.list_attendees(&q).unwrap().iter().map(|a| a.id).collect()
            }),
            count: None,
        });
    }
    lists
}

/// Every seek, from either end, at a few positions, against the whole list read at once.
fn agrees_with_the_whole_list(list: &List<'_>) {
    let all = (list.read)(Page::new(0, 100_000));
    let n = all.len();
    assert!(n > 0 || list.name.contains("Available"), "{}: nothing to page through", list.name);
    let reversed: Vec<i64> = all.iter().rev().copied().collect();
    let limit = 9usize;
    let l = u32::try_from(limit).unwrap();
    let window =
        |rows: &[i64], from: usize, to: usize| rows[from.min(rows.len())..to.min(rows.len())].to_vec();
    let back = |mut rows: Vec<i64>| {
        rows.reverse();
        rows
    };
    for k in [0, 1, n / 3, n / 2, n.saturating_sub(limit), n.saturating_sub(1)].into_iter().filter(|&k| k < n)
    {
        for skip in [0usize, 4] {
            let at = format!("{} at {k} skipping {skip}", list.name);
            let s = skip as u64;
            let from = Page::new(s, l).seeking(Seek::From(all[k]));
            assert_eq!((list.read)(from), window(&all, k + skip, k + skip + limit), "from, {at}");
            let before = Page::new(s, l).seeking(Seek::Before(all[k]));
            let end = k.saturating_sub(skip);
            assert_eq!((list.read)(before), window(&all, end.saturating_sub(limit), end), "before, {at}");
            // Counted from the end: position k there is `reversed[k]`, rows come in list order.
            let tail = Page::new(s, l).from_end();
            assert_eq!((list.read)(tail), back(window(&reversed, skip, skip + limit)), "from the end, {at}");
            let tail_from = tail.seeking(Seek::From(reversed[k]));
            let want = back(window(&reversed, k + skip, k + skip + limit));
            assert_eq!((list.read)(tail_from), want, "from the end, from, {at}");
            let tail_before = tail.seeking(Seek::Before(reversed[k]));
            let want = back(window(&reversed, end.saturating_sub(limit), end));
            assert_eq!((list.read)(tail_before), want, "from the end, before, {at}");
        }
        let Some(count) = &list.count else { continue };
        let capped = |rest: usize, cap: u64| (rest as u64).min(cap + 1);
        for cap in [5, 1_000] {
            let at = format!("{} count at {k} capped at {cap}", list.name);
            assert_eq!(count(Page::new(0, 1).seeking(Seek::From(all[k])), cap), capped(n - k, cap), "{at}");
            let tail = Page::new(0, 1).from_end().seeking(Seek::From(reversed[k]));
            assert_eq!(count(tail, cap), capped(n - k, cap), "from the end, {at}");
            assert_eq!(count(Page::new(0, 1), cap), capped(n, cap), "from the top, {at}");
        }
    }
}
