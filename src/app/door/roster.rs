//! The door's roster: every active booking of the event at the door, held in memory in name
//! order, so each key of the search narrows it without a store call. The store reads it again
//! when another connection writes (the change token), on a store thread.

use chrono::{DateTime, Utc};

use crate::model::BookingRow;

/// The rows read for one event, and which of them match the search.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    rows: Vec<BookingRow>,
    /// Per row: name and email in lower case, as the search compares them.
    keys: Vec<(String, String)>,
    /// Indexes into `rows` of the rows matching the search, in order.
    matches: Vec<usize>,
}

impl Roster {
    /// The event's active bookings, sorted by name (then email, then booking id).
    pub fn new(mut rows: Vec<BookingRow>) -> Roster {
        rows.sort_by_cached_key(|b| {
            (b.attendee_name.to_lowercase(), b.attendee_email.to_lowercase(), b.booking.id)
        });
        let keys =
            rows.iter().map(|b| (b.attendee_name.to_lowercase(), b.attendee_email.to_lowercase())).collect();
        let matches = (0..rows.len()).collect();
        Roster { rows, keys, matches }
    }

    /// Keeps the rows whose name or email contains `search` (any case); all of them when it
    /// is blank.
    pub fn filter(&mut self, search: &str) {
        let needle = search.trim().to_lowercase();
        self.matches = if needle.is_empty() {
            (0..self.rows.len()).collect()
        } else {
            let found = |(name, email): &(String, String)| name.contains(&needle) || email.contains(&needle);
            (0..self.rows.len()).filter(|&i| found(&self.keys[i])).collect()
        };
    }

    /// How many rows match.
    pub fn len(&self) -> u64 {
        u64::try_from(self.matches.len()).unwrap_or(u64::MAX)
    }

    /// Where a booking stands among the matches.
    pub fn position(&self, booking_id: i64) -> Option<u64> {
        let i = self.matches.iter().position(|&i| self.rows[i].booking.id == booking_id)?;
        u64::try_from(i).ok()
    }

    /// Up to `limit` matches from `offset` on, for the visible page.
    pub fn window(&self, offset: u64, limit: u32) -> Vec<BookingRow> {
        let from = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        self.matches.iter().skip(from).take(take).map(|&i| self.rows[i].clone()).collect()
    }

    /// Marks a booking checked in (`Some((when, by))`) or not, as this desk's own write
    /// answered, until the next read brings the stored rows.
    pub fn mark(&mut self, booking_id: i64, check_in: Option<(DateTime<Utc>, String)>) {
        if let Some(row) = self.rows.iter_mut().find(|b| b.booking.id == booking_id) {
            (row.checked_in_at, row.checked_in_by) = check_in.unzip();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Booking, BookingStatus};

    fn row(id: i64, name: &str, email: &str) -> BookingRow {
        BookingRow {
            booking: Booking {
                id,
                event_id: 1,
                attendee_id: id,
                status: BookingStatus::Active,
                booked_at: DateTime::UNIX_EPOCH,
                cancelled_at: None,
            },
            attendee_name: name.into(),
            attendee_email: email.into(),
            event_title: "Rust Meetup".into(),
            event_start: DateTime::UNIX_EPOCH,
            seats_left: 0,
            checked_in_at: None,
            checked_in_by: None,
            event_deleted: false,
        }
    }

    fn names(r: &Roster) -> Vec<String> {
        r.window(0, 100).into_iter().map(|b| b.attendee_name).collect()
    }

    #[test]
    fn rows_sort_by_name_and_narrow_by_name_or_email_in_any_case() {
        let mut r = Roster::new(vec![
            row(1, "ben Ito", "ben@example.org"),
            row(2, "Ana Ruiz", "ana@example.org"),
            row(3, "Émile Zola", "ZOLA@example.org"),
        ]);
        assert_eq!(names(&r), ["Ana Ruiz", "ben Ito", "Émile Zola"]);
        r.filter("BEN");
        assert_eq!(names(&r), ["ben Ito"]);
        r.filter(" zola@ ");
        assert_eq!(names(&r), ["Émile Zola"], "email, trimmed, any case");
        r.filter("émile");
        assert_eq!(names(&r), ["Émile Zola"], "beyond ASCII too");
        r.filter("ruizana");
        assert_eq!(r.len(), 0, "never across name and email");
        r.filter("");
        assert_eq!((r.len(), r.position(3)), (3, Some(2)));
    }

    #[test]
    fn windows_page_the_matches_and_marks_change_one_row() {
        let mut r = Roster::new((1..=30).map(|i| row(i, &format!("P{i:02}"), "p@example.org")).collect());
        assert_eq!(r.window(25, 10).len(), 5);
        assert_eq!(r.window(10, 2).iter().map(|b| b.booking.id).collect::<Vec<_>>(), [11, 12]);
        r.mark(12, Some((DateTime::UNIX_EPOCH, "desk2".into())));
        assert_eq!(r.window(11, 1)[0].checked_in_by.as_deref(), Some("desk2"));
        r.mark(12, None);
        assert_eq!(r.window(11, 1)[0].checked_in_at, None);
    }
}
