//! What the lists ask for: filters and pages, independent of the engine.

use chrono::{DateTime, Utc};

use crate::model::{About, BookingStatus, HistoryAction, ObjectKind, WaitStatus};

/// A window of rows. Lists never load more than one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u32,
    /// The list's length, when the caller already counted it: a page in the back half is then
    /// read from the other end, so `End` on a million rows costs what `Home` does.
    pub total: Option<u64>,
    /// Read next to a row already shown (keyset paging): `offset` then counts from that row,
    /// so a page a million rows deep costs what the first one does, where an OFFSET would
    /// step over every row before it.
    pub seek: Option<Seek>,
    /// Offsets count back from the list's end: the page `offset` rows before the last one,
    /// for a list whose length was not counted (the app caps its counts).
    pub from_end: bool,
}

/// Where a keyset page starts, in the order the page counts in (the list's order, or back
/// from its end with `Page::from_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// At this row (by id) and on.
    From(i64),
    /// Just before this row, reading towards the start: the page's offset counts back from it.
    Before(i64),
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 50, total: None, seek: None, from_end: false }
    }
}

impl Page {
    pub fn new(offset: u64, limit: u32) -> Self {
        Page { offset, limit, ..Page::default() }
    }

    /// The same page of a list known to hold `total` rows.
    pub fn of(self, total: u64) -> Self {
        Page { total: Some(total), ..self }
    }

    /// The same page counted from the row `seek` names rather than from the top.
    pub fn seeking(self, seek: Seek) -> Self {
        Page { seek: Some(seek), ..self }
    }

    /// The same page counted back from the end of the list.
    pub fn from_end(self) -> Self {
        Page { from_end: true, ..self }
    }

    /// How to read this page: in the list's order, or reversed from its end; after a row when
    /// seeking.
    pub(crate) fn plan(self) -> Plan {
        let limit = u64::from(self.limit);
        if let Some(seek) = self.seek {
            // Before the row means reading the other way, from just past it.
            let (id, including, back) = match seek {
                Seek::From(id) => (id, true, false),
                Seek::Before(id) => (id, false, true),
            };
            let reverse = self.from_end != back;
            return Plan { reverse, offset: self.offset, limit, after: Some(id), including };
        }
        if self.from_end {
            return Plan { reverse: true, offset: self.offset, limit, after: None, including: false };
        }
        let forward = Plan { reverse: false, offset: self.offset, limit, after: None, including: false };
        let Some(total) = self.total else { return forward };
        if self.offset <= total / 2 {
            return forward;
        }
        let end = self.offset.saturating_add(u64::from(self.limit)).min(total);
        Plan { reverse: true, offset: total - end, limit: end.saturating_sub(self.offset), ..forward }
    }
}

/// A page as SQL reads it: `reverse` reads the list's order backwards (the rows are turned
/// round again after reading); `after` keeps only rows past that row in the order read (and
/// the row itself when `including`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    pub reverse: bool,
    pub offset: u64,
    pub limit: u64,
    pub after: Option<i64>,
    pub including: bool,
}

/// Which events a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EventFilter {
    #[default]
    All,
    Upcoming,
    Past,
    /// Events created by `EventQuery::creator_id`.
    Mine,
    /// Events created by `EventQuery::creator_id` that are not over yet, soonest first: what
    /// an organizer opens on.
    MineUpcoming,
    /// Upcoming events with seats left.
    Available,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    pub filter: EventFilter,
    pub creator_id: Option<i64>,
    /// Matches titles containing this text, compared in NFC with full case folding.
    pub search: String,
    pub page: Page,
}

/// What the capacity summary counts: the events not over yet, of one organizer or of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryQuery {
    pub creator_id: Option<i64>,
    /// Where "today" ends and where "this week" ends (see `model::day_ends`).
    pub day_end: DateTime<Utc>,
    pub week_end: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookingQuery {
    pub event_id: Option<i64>,
    pub attendee_id: Option<i64>,
    pub status: Option<BookingStatus>,
    /// Only bookings on events this organizer created.
    pub organizer_id: Option<i64>,
    /// Matches attendee name or email, or event title.
    pub search: String,
    /// Only bookings with a smaller id: the next page of a list read to its end (an export)
    /// starts below the last id it got, found through the index instead of an OFFSET that
    /// re-reads, and re-joins, every row before it.
    pub before_id: Option<i64>,
    /// Only bookings whose check-in stands (true) or does not (false).
    pub checked_in: Option<bool>,
    pub page: Page,
}

/// Which waiting-list entries a list shows, ordered by event and then position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitlistQuery {
    pub event_id: Option<i64>,
    pub attendee_id: Option<i64>,
    /// None: every entry, whether still waiting or not.
    pub status: Option<WaitStatus>,
    /// Only entries on events this organizer created.
    pub organizer_id: Option<i64>,
    /// Matches attendee name or email, or event title.
    pub search: String,
    pub page: Page,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendeeQuery {
    /// Matches name or email; one or two characters match names only (`searches_emails`).
    pub search: String,
    pub page: Page,
}

/// Whether an attendee search of this folded text looks at emails as well as names: from three
/// characters on. One or two characters of an email match most addresses ("or" is in every
/// .org), so a short search is a name's first letters being typed; and the postings that keep
/// every search a page's work at any size would hold twice as many rows for emails as for names.
pub fn searches_emails(folded: &str) -> bool {
    folded.trim().chars().count() >= 3
}

/// The 3-character grams of a search text (folded, longer than 3 characters) that a search
/// counts the postings of, to choose the one it walks: every distinct one, or for a text with
/// more than `GRAM_CANDIDATES` of them every n-th in sorted order. Any gram of the text lists
/// every match, so the choice only decides how much is walked; and choosing from every gram of a
/// pasted 100 000-character search took minutes on PostgreSQL, whose `substr` counts characters
/// from the start each time.
pub(crate) fn gram_candidates(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    grams.sort_unstable();
    grams.dedup();
    if grams.len() <= GRAM_CANDIDATES {
        return grams;
    }
    let step = grams.len() / GRAM_CANDIDATES;
    grams.into_iter().step_by(step).take(GRAM_CANDIDATES).collect()
}

/// At most this many grams of a search are counted to choose the rarest.
const GRAM_CANDIDATES: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryQuery {
    pub actor: Option<String>,
    pub action: Option<HistoryAction>,
    pub object_kind: Option<ObjectKind>,
    pub object_id: Option<i64>,
    /// Everything about one event or attendee, bookings included.
    pub about: Option<About>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only rows with a smaller id: the next page of a list read to its end (an export), as
    /// `BookingQuery::before_id`.
    pub before_id: Option<i64>,
    pub page: Page,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gram_candidates_are_the_distinct_grams_and_at_most_64() {
        assert_eq!(gram_candidates("anana"), ["ana", "nan"]);
        assert_eq!(gram_candidates("zoë q"), ["oë ", "zoë", "ë q"]);
        let long: String = (0..100_000u32).map(|i| char::from_u32(0x4e00 + i % 5_000).unwrap()).collect();
        let picked = gram_candidates(&long);
        assert_eq!(picked.len(), 64);
        assert!(picked.iter().all(|g| g.chars().count() == 3 && long.contains(g.as_str())));
        assert_eq!(gram_candidates(&"%".repeat(100_000)), ["%%%"]);
    }

    #[test]
    fn back_half_pages_read_from_the_end() {
        let page = |offset| Page::new(offset, 10).of(100);
        let plan = |reverse, offset, limit| Plan { reverse, offset, limit, after: None, including: false };
        assert_eq!(page(0).plan(), plan(false, 0, 10));
        assert_eq!(page(50).plan(), plan(false, 50, 10));
        assert_eq!(page(90).plan(), plan(true, 0, 10));
        assert_eq!(page(85).plan(), plan(true, 5, 10));
        assert_eq!(page(95).plan(), plan(true, 0, 5), "a short last page");
        assert_eq!(page(120).plan().limit, 0, "past the end");
        assert_eq!(Page::new(90, 10).plan(), plan(false, 90, 10), "no total, no guess");
        assert_eq!(Page::new(3, 10).from_end().plan(), plan(true, 3, 10), "uncounted: from the end");
    }

    #[test]
    fn seeking_pages_read_from_their_row_in_either_direction() {
        let (from, before) = (Seek::From(7), Seek::Before(7));
        let plan = |reverse, including| Plan { reverse, offset: 2, limit: 10, after: Some(7), including };
        assert_eq!(
            Page::new(2, 10).of(100).seeking(from).plan(),
            plan(false, true),
            "a total does not matter"
        );
        assert_eq!(Page::new(2, 10).seeking(before).plan(), plan(true, false));
        assert_eq!(
            Page::new(2, 10).from_end().seeking(from).plan(),
            plan(true, true),
            "from, counted from the end"
        );
        assert_eq!(Page::new(2, 10).from_end().seeking(before).plan(), plan(false, false));
    }
}
